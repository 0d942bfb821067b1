"""``mistok check``: consistency checks on an article pair, one article, or an archive."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from aligner.bridge_files import read_pair_bridge
from aligner.errors import ConfigError, InputError
from aligner.readers import check_input_size
from eval.base import Severity, available_checks, check_classes
from eval.baseline import apply_baseline, baseline_text, read_baseline, report_entries
from eval.consistency_score import (
    SCORE_NAMES,
    ScoreSettings,
    parse_thresholds,
)
from eval.rendering import FORMATS, render
from eval.report import Report
from eval.runner import (
    check_archive,
    check_article,
    check_pair,
    file_digest,
    select_checks,
)
from mistok.commands.shared import apply_config_options, config_option, read_pair
from mistok.console import (
    color_wanted,
    echo_info,
    echo_score_gate,
    is_quiet,
    is_verbose,
    read_article_arg,
)
from mistok.output_files import (
    check_writable,
    is_stdout,
    refuse_input_as_output,
    write_output,
)
from mistok.run_config import load_run_config

_PATH = click.Path(path_type=Path, dir_okay=False)


def write_atomically(path: Path, text: str, inputs: tuple[Path, ...] = ()) -> None:
    """Write the report to ``path`` (``-``: stdout; a device or pipe is written through, a
    regular file atomically) and never over one of ``inputs``: :func:`write_output`."""
    write_output(path, text.encode("utf-8"), inputs)


def _check_names(value: str | None) -> list[str] | None:
    if value is None:
        return None
    names = [n.strip() for n in value.split(",") if n.strip()]
    if not names:
        raise click.BadParameter("give at least one check name", param_hint="--checks")
    valid = available_checks()
    unknown = [n for n in names if n not in valid]
    if unknown:
        raise click.BadParameter(
            f"unknown check {unknown[0]!r}; valid checks: {', '.join(valid)}",
            param_hint="--checks",
        )
    return names


def describe_checks() -> str:
    """Every registered check: name, where it applies, what it does, its settings."""
    lines = []
    for name, cls in check_classes().items():
        scopes = ", ".join(s for s in ("pair", "article", "archive") if s in cls.scopes())
        lines.append(f"{name} ({scopes}): {cls.description}")
        kinds = ", ".join(f"{k}={v.value}" for k, v in cls.severities.items())
        if kinds:
            lines.append(f"    severities: {kinds}")
        settings = ", ".join(f"{k}={v!r}" for k, v in cls.defaults.items())
        if settings:
            lines.append(f"    settings: {settings}")
    return "\n".join(lines)


def _list_checks(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(describe_checks())
        ctx.exit(0)


@click.command("check")
@click.argument("paths", nargs=-1, type=_PATH)
@click.option(
    "--archive",
    type=click.Path(path_type=Path, file_okay=False),
    help="Check every article of this folder together (name variants across the archive).",
)
@click.option("--style", "style_path", type=_PATH, help="House style file (TOML).")
@click.option(
    "--bridge",
    "bridge_path",
    type=_PATH,
    help="English machine translation of UK, one paragraph per Ukrainian paragraph "
    "(.json list of strings, or text with blank lines between paragraphs).",
)
@click.option("--checks", "check_names", help="Comma-separated checks to run (default: all).")
@config_option("whose [checks.NAME] tables set thresholds and severities ([score] and [style] too)")
@click.option(
    "--fail-on",
    type=click.Choice([s.value for s in Severity]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding is at or above this severity.",
)
@click.option(
    "--exit-zero",
    is_flag=True,
    help="Exit 0 even when there are findings (--min-score still applies).",
)
@click.option(
    "--min-score",
    "min_scores",
    multiple=True,
    metavar="NAME=VALUE",
    help=f"Exit 1 when a consistency score is below VALUE (0-100); NAME is one of "
    f"{', '.join(SCORE_NAMES)}. Repeat for several.",
)
@click.option(
    "--each",
    is_flag=True,
    help="Check each FILE given (any number; what a pre-commit hook passes): NAME.uk.* with "
    "its NAME.en.* counterpart beside it as a pair, a file without one on its own; one report.",
)
@click.option(
    "--format",
    "fmt",
    envvar="MISTOK_CHECK_FORMAT",
    type=click.Choice([*FORMATS, "csv"]),
    default="text",
    show_default=True,
    help="Report format; json is the master format, csv one row per finding (a spreadsheet).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Write the report here instead of stdout ('-': stdout). A regular file is replaced "
    "atomically; a device or named pipe is written into; a symlink's target is written.",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=_PATH,
    help="Report only findings not recorded in this baseline file (see --write-baseline).",
)
@click.option(
    "--write-baseline",
    "write_baseline_path",
    type=_PATH,
    help="Record the current findings in this baseline file, and exit 0.",
)
@click.option(
    "--list-checks",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_list_checks,
    help="List the checks with their severities and settings, and exit.",
)
def check(
    paths: tuple[Path, ...],
    archive: Path | None,
    style_path: Path | None,
    bridge_path: Path | None,
    check_names: str | None,
    config_path: Path | None,
    fail_on: str,
    exit_zero: bool,
    min_scores: tuple[str, ...],
    fmt: str,
    output: Path | None,
    baseline_path: Path | None = None,
    write_baseline_path: Path | None = None,
    each: bool = False,
) -> None:
    """Check an article pair (UK EN), one ARTICLE, or an --archive DIR for consistency.

    A pair gets every check (names, numbers and dates, coverage, adequacy with --bridge);
    one article gets the single-article checks (name variants, house style, language); an
    archive gets name variants across all its articles, with counts per spelling.
    Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage, input or output error,
    130 interrupted.
    Thresholds and severities come from --config (TOML: a [checks.NAME] table per check,
    e.g. `severity = {omission = "note"}`); --list-checks shows what each check accepts.
    Every report carries consistency scores in [0, 100] (names, numbers, coverage, adequacy
    and overall, with a signature); --min-score NAME=VALUE makes one a CI gate (exit 1
    below it), and a [score] table in --config sets their weights and names target.
    --baseline FILE reports only findings not in FILE (--write-baseline FILE records them);
    the style file's [[accept]] entries accept deliberate spellings, each with a reason.
    '-' reads one article (or one version of a pair) from standard input.

    \b
    Examples:
      mistok check seeds/umerov-south-korea.uk.txt seeds/umerov-south-korea.en.txt
      mistok check seeds/umerov-south-korea.en.txt --format json
      mistok check seeds/umerov-south-korea.uk.txt seeds/umerov-south-korea.en.txt --format csv
      mistok check --archive articles/en --style house.toml --format junit -o report.xml
      mistok check UK EN --min-score overall=90 --min-score names=95
      mistok check --archive articles --baseline .mistok-baseline --format sarif -o m.sarif
      cat story.en.txt | mistok check -
    """
    names = _check_names(check_names)
    thresholds = parse_thresholds(min_scores)
    _refuse_unusable_arguments(paths, archive, bridge_path, each)
    if each and not paths:
        if not is_quiet():
            click.echo("mistok: no files to check", err=True)
        return
    inputs = tuple(
        p for p in (*paths, style_path, bridge_path, config_path, baseline_path) if p is not None
    )
    _refuse_unwritable_outputs(output, write_baseline_path, inputs, baseline_path)
    baseline = read_baseline(baseline_path) if baseline_path is not None else None
    config = _check_config(config_path, style_path)
    style, style_id = _load_style(config.style_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if each:
            report = _run_each(paths, style, style_id, names, config.settings, config.score)
        else:
            report = _run(
                paths, archive, bridge_path, style, style_id, names, config.settings, config.score
            )
    _tell_warnings(caught, names, report)
    report = apply_baseline(report, baseline)
    _tell_suppressed(report, baseline_path)
    level = Severity(fail_on)
    if is_stdout(output):
        output = None
    colored = fmt == "text" and output is None and color_wanted()
    text = _render_report(report, fmt, level, colored)
    if write_baseline_path is not None:
        _write_baseline(write_baseline_path, report)
    _emit_report(text, output, inputs, colored)
    if write_baseline_path is None:  # recording a baseline exits 0
        _exit_on_failures(report, thresholds, level, exit_zero)


def _load_style(style_path: Path | None) -> tuple[object | None, str | None]:
    """The house style file and its digest (the report's style id); none without a file."""
    if style_path is None:
        return None, None
    from eval.style import load_style

    return load_style(style_path), file_digest(style_path)


def _emit_report(text: str, output: Path | None, inputs: tuple[Path, ...], colored: bool) -> None:
    """The report to ``output`` (never over an input), or to stdout when ``None``."""
    if output is not None:
        write_atomically(output, text, inputs)
    else:
        # click strips colour codes when stdout is no terminal, unless told (--color always)
        click.echo(text, nl=not text.endswith("\n"), color=True if colored else None)


def _exit_on_failures(
    report: Report, thresholds: dict[str, float], level: Severity, exit_zero: bool
) -> None:
    """Exit 1 when a --min-score is not met, or a finding is at or above --fail-on (unless
    --exit-zero)."""
    below = below_thresholds(report, thresholds)
    if below or (report.fails(level) and not exit_zero):
        sys.exit(1)


def _refuse_unusable_arguments(
    paths: tuple[Path, ...], archive: Path | None, bridge_path: Path | None, each: bool
) -> None:
    """A usage error (exit 2) for arguments that ask for no mode or for two at once."""
    if archive is not None and paths:
        raise click.UsageError("give either --archive DIR or article paths, not both")
    if each and (archive is not None or bridge_path is not None):
        raise click.UsageError("--each checks the files given; it takes no --archive or --bridge")
    if archive is None and not each and len(paths) not in (1, 2):
        raise click.UsageError("give UK EN (a pair), one ARTICLE, or --archive DIR")
    if bridge_path is not None and len(paths) != 2:
        raise click.UsageError("--bridge needs a pair: UK EN")


def _refuse_unwritable_outputs(
    output: Path | None,
    write_baseline_path: Path | None,
    inputs: tuple[Path, ...],
    baseline_path: Path | None,
) -> None:
    """Before any work: the report and the baseline written never over an input (only the
    baseline read may be written over itself), and never where they cannot be written."""
    if output is not None:
        refuse_input_as_output(output, inputs)
        check_writable(output)
    if write_baseline_path is not None:
        refuse_input_as_output(write_baseline_path, [p for p in inputs if p != baseline_path])
        check_writable(write_baseline_path)


@dataclass(frozen=True)
class _CheckConfig:
    """What the run configuration gives ``mistok check``."""

    settings: dict[str, dict[str, object]] | None  # [checks.NAME] tables
    score: ScoreSettings | None  # [score]
    style_path: Path | None  # --style, else [style] file


def _check_config(config_path: Path | None, style_path: Path | None) -> _CheckConfig:
    """--config, else mistok.toml here, else [tool.mistok] in pyproject.toml: the run
    configuration's [checks.NAME], [score] and [style] tables (the whole file is checked, and
    every check's settings and severities before any article is read)."""
    for path in (style_path, config_path):  # the size limit of every reader
        if path is not None:
            check_input_size(path)
    run_config = load_run_config(config_path)
    run_config = apply_config_options(run_config, "check", click.get_current_context())
    settings = run_config.check_settings() or None
    score_settings = None
    if run_config.score:
        score_settings = ScoreSettings.from_mapping(run_config.score_settings())
    if style_path is None and run_config.style is not None:
        style_path = run_config.style
        check_input_size(style_path)
    if settings is not None:
        try:
            select_checks(None, "pair", settings)
        except ConfigError as err:
            raise ConfigError(f"{config_path}: {err}") from None
    return _CheckConfig(settings, score_settings, style_path)


def _tell_warnings(
    caught: Sequence[warnings.WarningMessage], names: list[str] | None, report: Report
) -> None:
    """The warnings met while checking, one line each (e.g. a declared language the text
    contradicts), and the checks asked for that had nothing to do in the report's mode."""
    if is_quiet():
        return
    for warning in caught:
        click.echo(f"mistok: warning: {warning.message}", err=True)
    for name in names or ():
        if name not in report.checks:
            click.echo(
                f"mistok: warning: check {name!r} has nothing to do in {report.mode} mode; skipped",
                err=True,
            )


def _render_report(report: Report, fmt: str, level: Severity, colored: bool) -> str:
    """The report as text in ``fmt`` (``csv``: one row per finding)."""
    if fmt == "text":
        from eval.render_text import render_text

        return render_text(report, color=colored)
    if fmt == "csv":
        return findings_csv(report)
    return render(report, fmt, fail_on=level)


def _write_baseline(path: Path, report: Report) -> None:
    """Record the report's findings in the baseline ``path`` (which may be --baseline)."""
    entries = report_entries(report)
    write_atomically(path, baseline_text(entries))
    if not is_quiet():
        click.echo(
            f"mistok: recorded {len(entries)} finding(s) in the baseline {path}",
            err=True,
        )


def findings_csv(report: Report) -> str:
    """The report's findings as CSV, one row per finding (:mod:`mistok.export.findings`)."""
    from mistok.export.findings import csv_text, finding_rows

    findings = report.to_dict().get("findings", [])
    return csv_text(finding_rows(("", finding) for finding in findings))


def below_thresholds(report: Report, thresholds: dict[str, float]) -> list[str]:
    """Say on stderr which --min-score thresholds the report's score is below (and which
    could not be applied: nothing to judge); returns the failures."""
    if not thresholds:
        return []
    if report.scores is None:
        click.echo("mistok: warning: this report has no consistency scores", err=True)
        return []
    return echo_score_gate(report.scores.main, thresholds, report.subject)


def _tell_suppressed(report: Report, baseline_path: Path | None) -> None:
    """One stderr line on what the style file accepted and the baseline held back."""
    if is_quiet():
        return
    if report.accepted:
        click.echo(
            f"mistok: {len(report.accepted)} finding(s) accepted by the style file's "
            "[[accept]] entries, not reported",
            err=True,
        )
    if baseline_path is not None:
        click.echo(
            f"mistok: {len(report.baselined)} finding(s) in the baseline {baseline_path} not "
            f"reported; {len(report.findings)} new",
            err=True,
        )
    if is_verbose():
        timings = ", ".join(f"{k} {v:.3f}s" for k, v in report.timings.items())
        echo_info(f"checks: {timings or 'none'}")
        echo_info(f"signature: {report.signature}")


def counterpart_groups(paths: Sequence[Path]) -> list[tuple[Path, ...]]:
    """The files to check, grouped: ``(uk, en)`` for NAME.uk.EXT with a NAME.en.* beside it
    (either of them given), ``(file,)`` for the rest; in the order given, each once."""
    from aligner.readers import HTML_SUFFIXES, TEXT_SUFFIXES

    groups: dict[tuple[Path, ...], None] = {}
    for path in paths:
        base, dot, lang = path.stem.rpartition(".")
        other = {"uk": "en", "en": "uk"}.get(lang.lower()) if dot else None
        partner = None
        if other is not None:
            suffixes = [
                path.suffix,
                *(s for s in TEXT_SUFFIXES + HTML_SUFFIXES if s != path.suffix),
            ]
            found = (path.with_name(f"{base}.{other}{suffix}") for suffix in suffixes)
            partner = next((p for p in found if p.is_file()), None)
        if partner is None:
            groups[(path,)] = None
        else:
            groups[(path, partner) if lang.lower() == "uk" else (partner, path)] = None
    return list(groups)


def _run_each(
    paths: tuple[Path, ...],
    style: object | None,
    style_id: str | None,
    names: list[str] | None,
    settings: dict[str, dict[str, object]] | None,
    score_settings: ScoreSettings | None = None,
) -> Report:
    """Every file given checked (with its counterpart where there is one), as one report."""
    from eval.combine import combine_reports

    reports = [
        _run(group, None, None, style, style_id, names, settings, score_settings)
        for group in counterpart_groups(paths)
    ]
    return combine_reports(reports)


def _run(
    paths: tuple[Path, ...],
    archive: Path | None,
    bridge_path: Path | None,
    style: object | None,
    style_id: str | None,
    names: list[str] | None,
    settings: dict[str, dict[str, object]] | None,
    score_settings: ScoreSettings | None = None,
) -> Report:
    """Read the inputs and run the checks of the mode the arguments ask for."""
    from aligner.readers import read_articles

    if archive is not None:
        articles = read_articles(archive)
        if not articles:
            raise InputError(f"{archive}: no articles found (.txt, .md, .html, .jsonl)")
        return check_archive(
            articles,
            style=style,
            style_id=style_id,
            checks=names,
            settings=settings,
            score_settings=score_settings,
        )
    if len(paths) == 1:
        article = read_article_arg(paths[0])
        return check_article(
            article,
            style=style,
            style_id=style_id,
            checks=names,
            settings=settings,
            score_settings=score_settings,
        )
    uk_path, en_path = paths
    uk, en = read_pair(uk_path, en_path)
    bridge = read_pair_bridge(bridge_path, uk) if bridge_path is not None else None
    return check_pair(
        uk,
        en,
        bridge=bridge,
        style=style,
        style_id=style_id,
        checks=names,
        settings=settings,
        score_settings=score_settings,
    )
