"""``mistok run``: pair, align, translate what is missing, check, and write everything."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from aligner.errors import InputError, MistokError, ModelUnavailableError
from aligner.readers import check_input_size
from eval.base import Severity
from eval.consistency_score import SCORE_NAMES, parse_thresholds
from mistok.commands.shared import apply_config_options, config_option
from mistok.console import (
    echo_info,
    echo_score_gate,
    echo_warnings,
    is_quiet,
    make_console,
)
from mistok.output_dir import CACHE_DIRNAME, check_output_folder, refuse_foreign_folder
from mistok.output_files import (
    OutputError,
    check_writable,
    describe_os_error,
    refuse_input_as_output,
    same_file,
    write_output,
)
from mistok.pipeline.driver import RunSummary, run_pipeline
from mistok.pipeline.scheduling import StageScheduler
from mistok.run_config import RunConfig, load_run_config
from mistok.run_records import RunSettings

if TYPE_CHECKING:
    from mistok.pipeline.ray_engine import RaySettings

T = TypeVar("T")


#: Files left in place (not mistok's) shown in the summary; report.json lists every one.
KEPT_SHOWN = 20


@click.command("run")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="Output folder: new, empty, or an earlier run's (a rerun redoes only what changed).",
)
@click.option("--model", default=None, help="Translation model name or folder (default: opus-mt).")
@click.option(
    "--engine",
    type=click.Choice(["local", "ray", "transformers", "ct2"]),
    default="local",
    show_default=True,
    help="Where the stages run: local (this process) or ray (a Ray cluster; needs "
    "'mistok[ray]'). Both write the same files. (transformers/ct2 here are the old spelling "
    "of --mt-engine.)",
)
@click.option(
    "--mt-engine",
    type=click.Choice(["transformers", "ct2"]),
    default="transformers",
    show_default=True,
    help="Translation engine.",
)
@click.option(
    "--ray-address",
    default=None,
    metavar="auto|HOST:PORT|ray://HOST:PORT",
    help="With --engine ray: the cluster to use (default: $RAY_ADDRESS, else start Ray on "
    "this machine for the run).",
)
@click.option(
    "--ray-num-cpus",
    type=click.IntRange(min=1),
    default=None,
    help="With --engine ray and no cluster: CPUs of the Ray started here (default: all).",
)
@click.option(
    "--ray-actors",
    type=click.IntRange(min=1),
    default=None,
    help="With --engine ray: translation actors, each loading the model once "
    "(default: one per GPU, else one).",
)
@click.option(
    "--ray-gpus-per-actor",
    type=click.FloatRange(min=0),
    default=None,
    help="With --engine ray: GPUs reserved by each translation actor (default: 1 when the "
    "cluster has GPUs, else 0).",
)
@click.option(
    "--style",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Newsroom style file (TOML) with preferred spellings.",
)
@click.option(
    "--bridge",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of <uk id>.txt or <uk id>.json (or the source file stem): English machine "
    "translation of each Ukrainian article.",
)
@click.option(
    "--fail-on",
    type=click.Choice([s.value for s in Severity]),
    default=None,
    help="Exit 1 when a finding is at or above this severity, after writing everything "
    "(default: exit 0 whatever the findings).",
)
@click.option(
    "--tm-unit",
    type=click.Choice(["sentence", "paragraph"]),
    default="sentence",
    show_default=True,
    help="Unit of bitext.tmx, bitext.jsonl and dataset/: sentences aligned inside each "
    "paragraph bead, or whole paragraph beads.",
)
@click.option(
    "--min-score",
    "min_scores",
    multiple=True,
    metavar="NAME=VALUE",
    help=f"Exit 1, after writing everything, when the archive's consistency score is below "
    f"VALUE (0-100); NAME is one of {', '.join(SCORE_NAMES)}. Repeat for several.",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Leave out of the reports the findings recorded in this baseline file (as in "
    "`mistok check --baseline`); --fail-on counts only the new ones.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record every finding of the run (new and in --baseline) in this baseline file.",
)
@config_option(
    "with a table per stage: [align], [pair], [checks.NAME], [translate], [style], [output]"
)
def run(
    inputs: tuple[Path, ...],
    out: Path,
    model: str | None,
    engine: str,
    mt_engine: str,
    ray_address: str | None,
    ray_num_cpus: int | None,
    ray_actors: int | None,
    ray_gpus_per_actor: float | None,
    style: Path | None,
    bridge: Path | None,
    fail_on: str | None,
    tm_unit: str,
    min_scores: tuple[str, ...],
    baseline: Path | None = None,
    write_baseline: Path | None = None,
    config_path: Path | None = None,
) -> None:
    """Pair, align, translate what is missing, check, and write reports and bitext.

    INPUTS is UK_DIR and EN_DIR, or one archive holding both languages: a folder
    (NAME.uk.txt beside NAME.en.txt, or the language told from the text), a JSON Lines file,
    a Parquet file or folder of Parquet/JSONL shards, or a saved HF dataset with `lang`
    fields. OUT receives pairs.tsv, alignments/, drafts/
    (machine drafts), needs_translation.tsv (what no model drafted), report.json,
    report.html (linking a review page per pair), junit.xml, xliff/ (XLIFF 2.0 for
    translators), findings.csv and findings.xlsx, bitext.tmx, bitext.jsonl and dataset/
    (HF datasets + Parquet; sentence units unless --tm-unit paragraph).
    Exit codes: 0 done, 1 findings at or above --fail-on (when given), 2 nothing could
    proceed (no articles of one language, an unusable OUT, a failed write).

    \b
    Examples:
      mistok run seeds -o out
      mistok run archive/uk archive/en -o out --bridge archive/uk-mt
      mistok run archive/uk archive/en -o out --fail-on error   # CI: exit 1 on errors
      mistok run archive/uk archive/en -o out --min-score overall=90   # CI: a score gate
      mistok run archive -o out --baseline .mistok-baseline --fail-on warning  # new ones only
      mistok run archive.jsonl -o out --engine ray --ray-address auto   # on a Ray cluster
      mistok run archive -o out --config newsroom.toml   # settings of every stage
    """
    if len(inputs) > 2:
        raise InputError(f"got {len(inputs)} inputs; give one folder, or UK_DIR and EN_DIR")
    thresholds = parse_thresholds(min_scores)
    engine, old_spelling = _engines(engine)
    if config_path is not None:
        check_input_size(config_path)  # the size limit of every reader
    # --model, --mt-engine, --style, --tm-unit and --baseline reach the run through its
    # configuration, over the file's settings when given (commands/shared.CONFIG_OPTIONS)
    ctx = click.get_current_context()
    config = apply_config_options(load_run_config(config_path), "run", ctx)
    if old_spelling is not None:  # --engine transformers|ct2 wins over --mt-engine
        config = config.with_option("translate.mt_engine", old_spelling)
    ray_settings = _ray_settings(engine, ray_address, ray_num_cpus, ray_actors, ray_gpus_per_actor)
    _check_before_work(inputs, out, config, bridge, write_baseline)
    console = make_console()
    settings = RunSettings(
        tuple(inputs),
        out,
        config.model,
        config.mt_engine,
        config.style,
        bridge,
        tm_unit=config.tm_unit,
        baseline=config.baseline,
        config=config,
        record_baseline=write_baseline is not None,
    )
    summary = _run_stages(settings, console, ray_settings)
    if write_baseline is not None:
        _write_baseline(write_baseline, summary)
    print_summary(summary, console)
    echo_info(
        f"wrote {summary.output_count} outputs in {summary.out}: {', '.join(summary.outputs)}"
    )
    failing = failing_findings(summary.counts, fail_on) if fail_on else 0
    if failing:
        click.echo(
            f"mistok: {_plural(failing, 'finding')} at or above --fail-on {fail_on}; exit 1",
            err=True,
        )
    below = archive_below_thresholds(out, thresholds) if thresholds else []
    if failing or below:
        sys.exit(1)


def _engines(engine: str) -> tuple[str, str | None]:
    """Where the stages run (local or ray), and the translation engine when ``--engine``
    names one (``transformers|ct2``: the old spelling of ``--mt-engine``, with a warning)."""
    if engine in ("transformers", "ct2"):
        click.echo(
            f"mistok: warning: --engine {engine} is now --mt-engine {engine} "
            "(--engine chooses local or ray)",
            err=True,
        )
        return "local", engine
    return engine, None


def _ray_settings(
    engine: str,
    address: str | None,
    num_cpus: int | None,
    actors: int | None,
    gpus_per_actor: float | None,
) -> RaySettings | None:
    """The Ray options of ``--engine ray`` (None for the local engine, which takes none)."""
    ray_options = (address, num_cpus, actors, gpus_per_actor)
    if engine == "local":
        if any(option is not None for option in ray_options):
            raise click.UsageError("the --ray-* options need --engine ray")
        return None
    from mistok.pipeline.ray_engine import RaySettings

    return RaySettings(address, num_cpus, actors, gpus_per_actor)


def _check_before_work(
    inputs: tuple[Path, ...],
    out: Path,
    config: RunConfig,
    bridge: Path | None,
    write_baseline: Path | None,
) -> None:
    """Everything that can be refused before Ray starts or any input is read: input files
    over the size limit, a --model not on this machine, an output folder that is an input,
    not writable or another run's, a --write-baseline over an input."""
    for path in (config.style, config.baseline):  # the size limit of every reader
        if path is not None:
            check_input_size(path)
    if config.model is not None:
        require_model(config.model, config.mt_engine, _model_origin(config))
    for given in inputs:
        if given.exists() and same_file(given, out):
            raise OutputError(f"output {out} is an input folder; choose another -o")
    if write_baseline is not None:  # only the baseline read may be written over itself
        others = [p for p in (*inputs, config.style, bridge) if p is not None]
        refuse_input_as_output(write_baseline, others)
        check_writable(write_baseline)
    check_output_folder(out)
    refuse_foreign_folder(out)


def _run_stages(settings: RunSettings, console, ray_settings: RaySettings | None) -> RunSummary:
    """The pipeline, on Ray when ``ray_settings`` are given, else in this process; each
    distinct warning once, as one line; a failed write (a full disk) one error line; an
    unexpected error (a bug) a line that says what the output folder holds, then the
    traceback (exit 1)."""
    made_here = not Path(settings.out).exists()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")  # each distinct message once, as one line
            if ray_settings is not None:
                from mistok.pipeline.ray_engine import ray_scheduler

                with ray_scheduler(ray_settings) as scheduler:
                    return _run_with_progress(settings, console, scheduler)
            return _run_with_progress(settings, console)
    except OSError as err:  # e.g. the disk filled up while the cache was written
        raise OutputError(f"{describe_os_error(err, settings.out)}; a rerun resumes") from None
    except MistokError:
        raise
    except Exception as err:
        click.echo(stopped_run_note(err, Path(settings.out), made_here), err=True)
        raise
    finally:
        echo_warnings(caught)


def stopped_run_note(err: Exception, out: Path, made_here: bool) -> str:
    """What a run stopped by an unexpected error (a bug) left in its output folder. The
    folder stays, as a killed run's does: the results cached so far let a rerun resume
    (once the cause is gone). report.json and manifest.json are written last, and never left
    claiming a complete run."""
    cache = out / CACHE_DIRNAME
    if not out.exists():
        where = f"nothing was written ({out} was not made)"
    elif made_here:
        where = (
            f"{out} was made by this run and holds no complete output (report.json, written "
            f"last, is absent or marked incomplete): only the results computed so far, in "
            f"{cache}, and the review pages of the pairs checked; a rerun resumes from them, "
            f"or delete {out} to start afresh"
        )
    else:
        where = (
            f"the results computed so far are in {cache}, and a rerun resumes from them; the "
            f"earlier report.json in {out} is marked incomplete if this run changed a file"
        )
    return (
        f"mistok: error: the run stopped on an unexpected {type(err).__name__} (a bug in "
        f"mistok: please report it with the traceback below); {where}"
    )


def archive_below_thresholds(out: Path, thresholds: Mapping[str, float]) -> list[str]:
    """Compare the archive's consistency score in ``OUT/report.json`` with the --min-score
    thresholds; say on stderr what is below (or has nothing to judge) and return the failures."""
    import json

    from eval.consistency_score import ConsistencyScore

    document = json.loads((out / "report.json").read_text(encoding="utf-8"))
    if not document.get("scores"):
        click.echo("mistok: warning: no pair was scored; --min-score not applied", err=True)
        return []
    score = ConsistencyScore.from_dict(document["scores"])
    return echo_score_gate(score, thresholds, "the archive", prefix="archive ", suffix="; exit 1")


def _model_origin(config: RunConfig) -> str:
    """Where the run's model was named, as an error line starts: ``FILE:LINE: translate.model``
    when the config file named it, else ``--model MODEL``."""
    source = dict(config.sources).get("translate.model", "")
    path = str(config.path) if config.path is not None else None
    if path is not None and (source == path or source.startswith(f"{path}:")):
        return f"{source}: translate.model"
    return f"--model {config.model}"


def require_model(model: str, engine: str, origin: str | None = None) -> None:
    """A model named with ``--model`` (or ``[translate] model``) must be on this machine for
    at least one direction: a :class:`ModelUnavailableError` (exit 2) before any work
    otherwise, its line starting with ``origin`` (default ``--model MODEL``). Without a model
    a run goes on and lists what needs translation."""
    origin = origin or f"--model {model}"
    try:
        from models import resolve_model
    except ImportError as err:
        raise ModelUnavailableError(
            f"{origin}: the translation layer cannot be imported ({err}); "
            "install it with: pip install 'mistok[translate]'"
        ) from None
    errors: list[MistokError] = []
    for src, tgt in (("uk", "en"), ("en", "uk")):
        try:
            resolve_model(model, src=src, tgt=tgt, engine=engine)
            return
        except MistokError as err:
            errors.append(err)
    raise ModelUnavailableError(f"{origin}: {errors[0]}")


def _write_baseline(path: Path, summary: RunSummary) -> None:
    from eval.baseline import baseline_text

    write_output(path, baseline_text(summary.baseline_entries).encode("utf-8"))
    if not is_quiet():
        click.echo(
            f"mistok: recorded {_plural(len(summary.baseline_entries), 'finding')} in the "
            f"baseline {path}",
            err=True,
        )


def _run_with_progress(
    settings: RunSettings, console, scheduler: StageScheduler | None = None
) -> RunSummary:
    if console.is_terminal:
        from rich.progress import Progress

        with Progress(console=console, transient=True) as progress:

            def track(items: Iterable[T], description: str, total: int) -> Iterable[T]:
                return progress.track(items, total=total, description=description)

            return run_pipeline(settings, track=track, scheduler=scheduler)
    return run_pipeline(settings, scheduler=scheduler)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _held_back(counts: Mapping[str, int]) -> str:
    """``; not reported: 3 in the baseline, 1 accepted`` (nothing when none were)."""
    held = [
        f"{counts.get(key, 0)} {what}"
        for key, what in (
            ("findings_baselined", "in the baseline"),
            ("findings_accepted", "accepted"),
        )
        if counts.get(key, 0)
    ]
    return f"; not reported: {', '.join(held)}" if held else ""


def failing_findings(counts: Mapping[str, int], fail_on: str) -> int:
    """How many findings are at or above the ``fail_on`` severity."""
    level = Severity(fail_on)
    return sum(counts.get(f"findings_{s.value}", 0) for s in Severity if s >= level)


def print_summary(summary: RunSummary, console) -> None:
    """Counts, timings and every problem met, for a person reading the terminal."""
    from rich.table import Table

    table = Table(
        title=f"mistok run → {summary.out}",
        title_justify="left",
        show_header=False,
        box=None,
        padding=(0, 2, 0, 0),
    )
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for name, value in _summary_rows(summary):
        table.add_row(name, value)
    console.print(table)
    _print_problems(summary, console)
    console.print(f"review the pairs: open {summary.out / 'report.html'}", highlight=False)


def _summary_rows(summary: RunSummary) -> list[tuple[str, str]]:
    """The summary table: (what, how many) rows."""
    c = summary.counts
    timings = ", ".join(f"{k} {v:.2f}" for k, v in summary.timings.items())
    return [
        ("articles", f"{c['uk_articles']} Ukrainian, {c['en_articles']} English"),
        ("pairs", str(c["pairs"])),
        ("no counterpart", f"{c['unpaired_uk']} Ukrainian, {c['unpaired_en']} English"),
        ("aligned segments", str(c["bitext_rows"])),
        ("one-sided paragraphs", str(c["one_sided_paragraphs"])),
        (
            "findings",
            f"{_plural(c['findings_error'], 'error')}, {_plural(c['findings_warning'], 'warning')}"
            f", {_plural(c['findings_note'], 'note')}" + _held_back(c),
        ),
        ("machine drafts", f"{c['drafts']} files in drafts/" if c["drafts"] else "none"),
        ("needs translation", _needs_translation(summary) or "nothing"),
        ("files not read", str(c["skipped_files"])),
        ("files left in place", str(len(summary.kept)) if summary.kept else "none"),
        ("language mismatches", str(c.get("declared_language_mismatches", 0))),
        ("reused", _reused(summary)),
        ("seconds", f"{sum(summary.timings.values()):.2f} ({timings})"),
    ]


def _needs_translation(summary: RunSummary) -> str:
    """``2 articles, 5 paragraphs`` that no model drafted (``""`` for none)."""
    pending = summary.needs_translation
    pending_articles = sum(1 for r in pending if r.kind == "article")
    pending_paragraphs = sum(len(r.indices) for r in pending if r.kind == "paragraphs")
    return ", ".join(
        _plural(n, noun)
        for n, noun in ((pending_articles, "article"), (pending_paragraphs, "paragraph"))
        if n
    )


def _reused(summary: RunSummary) -> str:
    """What a rerun took from the earlier run's cache, stage by stage (``nothing``)."""
    reused, pairs = summary.reused, summary.counts["pairs"]
    if not any(reused.values()):
        return "nothing"
    return (
        f"pairing {'yes' if reused['pair'] else 'no'}, "
        f"{reused['align']}/{pairs} alignments, {reused['check']}/{pairs} checks, "
        f"{_plural(reused['translate'], 'draft')}"
    )


def _print_problems(summary: RunSummary, console) -> None:
    """Files not read, notes, files left in place (the first :data:`KEPT_SHOWN`) and what
    the model said, one line each."""
    from rich.markup import escape

    for _path, reason in summary.skipped:
        console.print(f"[yellow]skipped[/] {escape(reason)}", highlight=False)
    for note in summary.notes:
        console.print(f"[yellow]note[/] {escape(note)}", highlight=False)
    for relative, why in summary.kept[:KEPT_SHOWN]:
        console.print(f"[yellow]kept[/] {escape(relative)} ({why})", highlight=False)
    if len(summary.kept) > KEPT_SHOWN:
        more = len(summary.kept) - KEPT_SHOWN
        console.print(f"[yellow]kept[/] {more} more files: report.json lists them", highlight=False)
    if summary.model_message:
        console.print(f"[yellow]{escape(summary.model_message)}[/]", highlight=False)
