"""Run a set of checks over an article pair, one article or an archive, and build the report.

These are the Python API behind ``mistok check``::

    from eval.runner import check_pair
    report = check_pair(uk_article, en_article, bridge=mt_paragraphs, checks=["numbers"])
    print(render(report, "text"))

``checks`` names the checks to run (default: every registered check that applies);
``settings`` maps a check name to its settings (the ``[checks.NAME]`` tables of a TOML config).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from aligner.alignment import Alignment
from aligner.document import Article
from aligner.errors import ConfigError, InputError
from aligner.toml_files import read_toml
from aligner.version import package_version
from eval.base import Check, Finding, PairContext, check_classes, get_check, sort_key
from eval.consistency_score import (
    Scores,
    ScoreSettings,
    archive_scores,
    article_scores,
    pair_scores,
)
from eval.report import Report

__all__ = [
    "check_archive",
    "check_article",
    "check_pair",
    "file_digest",
    "load_config",
    "load_score_settings",
    "paragraph_lines",
    "read_source_lines",
    "select_checks",
]

#: The lines of each article's source file by (id, lang), as the caller read them
#: (:func:`read_source_lines`); None where there are none to number paragraphs from.
SourceLines = Mapping[tuple[str, str], tuple[str, ...] | None]

#: Which hooks run in each mode: a pair also gets the single-article checks of both versions.
_SCOPES = {"pair": ("pair", "article"), "article": ("article",), "archive": ("archive",)}


def file_digest(path: str | Path) -> str:
    """``sha256=`` and the first 12 hex digits of a file's SHA-256 (for signatures)."""
    return "sha256=" + hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def load_config(path: str | Path) -> dict[str, dict[str, object]]:
    """The ``[checks.NAME]`` tables of a TOML config file, by check name.

    Raises :class:`ConfigError` naming the file, line and reason when the file is not valid
    TOML, and when a check name is unknown.
    """
    path = Path(path)
    data = read_toml(path, "config file")
    checks = data.get("checks", {})
    if not isinstance(checks, dict) or any(not isinstance(v, dict) for v in checks.values()):
        raise ConfigError(f"{path}: [checks] must hold one table per check, e.g. [checks.numbers]")
    known = check_classes()
    for name in checks:
        if name not in known:
            raise ConfigError(
                f"{path}: unknown check {name!r} in [checks]; valid checks: {', '.join(known)}"
            )
    return checks


def load_score_settings(path: str | Path) -> ScoreSettings:
    """The ``[score]`` table of a TOML config file (weights, names target); the defaults
    when the file has none. Raises :class:`ConfigError` naming the file on a bad value."""
    path = Path(path)
    table = read_toml(path, "config file").get("score", {})
    if not isinstance(table, dict):
        raise ConfigError(f'{path}: [score] must be a table, e.g. [score] names_target = "house"')
    try:
        return ScoreSettings.from_mapping(table)
    except ConfigError as err:
        raise ConfigError(f"{path}: {err}") from None


def select_checks(
    names: Iterable[str] | None,
    mode: str,
    settings: Mapping[str, Mapping[str, object]] | None = None,
) -> list[Check]:
    """The configured checks to run in ``mode`` (``"pair"``, ``"article"``, ``"archive"``).

    ``names`` None means every registered check; a named check that has nothing to do in
    ``mode`` is left out. Unknown names raise :class:`ConfigError` listing the valid ones.
    """
    settings = settings or {}
    known = check_classes()
    for name in settings:
        if name not in known:
            raise ConfigError(
                f"settings for unknown check {name!r}; valid checks: {', '.join(known)}"
            )
    wanted = list(known) if names is None else [n.strip() for n in names if n.strip()]
    checks = [get_check(name, settings.get(name)) for name in dict.fromkeys(wanted)]
    return [c for c in checks if c.scopes() & set(_SCOPES[mode])]


def check_pair(
    uk: Article,
    en: Article,
    *,
    alignment: Alignment | None = None,
    bridge: Sequence[str] | None = None,
    style: object | None = None,
    style_id: str | None = None,
    checks: Iterable[str] | None = None,
    settings: Mapping[str, Mapping[str, object]] | None = None,
    score_settings: ScoreSettings | None = None,
    source_lines: SourceLines | None = None,
) -> Report:
    """Align (unless ``alignment`` is given) and check a Ukrainian/English article pair.

    ``bridge`` is the English machine translation of each Ukrainian paragraph; ``style`` the
    loaded house style and ``style_id`` what identifies it in the signature (a file digest).
    ``source_lines`` gives the lines of both source files (:func:`read_source_lines`) where
    the caller read them already, e.g. where the files are not at hand (a worker on another
    machine); by default the findings' line numbers come from reading the files here.
    """
    if uk.lang != "uk" or en.lang != "en":
        raise InputError(
            f"check_pair needs a Ukrainian and an English article, got {uk.lang!r} "
            f"({uk.id}) and {en.lang!r} ({en.id})"
        )
    if bridge is not None and len(bridge) != len(uk.paragraphs):
        raise InputError(
            f"the bridge has {len(bridge)} paragraphs but the Ukrainian article {uk.id!r} has "
            f"{len(uk.paragraphs)}; give one English translation per Ukrainian paragraph"
        )
    if alignment is None:
        from aligner.align import align_paragraphs

        alignment = align_paragraphs(uk, en, bridge=bridge)
    elif (alignment.n_uk, alignment.n_en) != (len(uk.paragraphs), len(en.paragraphs)):
        raise InputError(
            f"the alignment covers {alignment.n_uk} Ukrainian and {alignment.n_en} English "
            f"paragraphs but {uk.id!r} has {len(uk.paragraphs)} and {en.id!r} has "
            f"{len(en.paragraphs)}; align this pair again"
        )
    selected = [
        check
        for check in select_checks(checks, "pair", settings)
        if bridge is not None or not check.needs_bridge
    ]
    ctx = PairContext(uk, en, alignment, bridge=bridge, style=style)
    findings: list[Finding] = []
    timings: dict[str, float] = {}
    for check in selected:
        clock = time.perf_counter()
        if "pair" in check.scopes():
            findings += check.findings_in_pair(ctx)
        if "article" in check.scopes():
            findings += check.findings_in_article(uk, style)
            findings += check.findings_in_article(en, style)
        timings[check.name] = time.perf_counter() - clock
    adequacy = next((c for c in selected if c.name == "adequacy"), None)
    score_settings = score_settings or ScoreSettings()
    if adequacy is not None:  # the score's floor is the check's, as configured
        score_settings = replace(score_settings, adequacy_floor=float(adequacy.settings["floor"]))
    scores = pair_scores(
        uk,
        en,
        alignment,
        bridge=bridge,
        style=style,
        press=_press(selected),
        checks=[c.name for c in selected],
        settings=score_settings,
    )
    report = _report(
        "pair", (uk, en), findings, selected, alignment, bridge, style_id, style, scores,
        source_lines,
    )  # fmt: skip
    return replace(report, timings=timings)


def check_article(
    article: Article,
    *,
    style: object | None = None,
    style_id: str | None = None,
    checks: Iterable[str] | None = None,
    settings: Mapping[str, Mapping[str, object]] | None = None,
    score_settings: ScoreSettings | None = None,
) -> Report:
    """Check one article on its own (name variants, house style, language)."""
    selected = select_checks(checks, "article", settings)
    findings, timings = _timed(selected, lambda check: check.findings_in_article(article, style))
    scores = article_scores(
        article,
        style=style,
        press=_press(selected),
        checks=[c.name for c in selected],
        settings=score_settings,
    )
    report = _report("article", (article,), findings, selected, None, None, style_id, style, scores)
    return replace(report, timings=timings)


def check_archive(
    articles: Sequence[Article],
    *,
    style: object | None = None,
    style_id: str | None = None,
    checks: Iterable[str] | None = None,
    settings: Mapping[str, Mapping[str, object]] | None = None,
    score_settings: ScoreSettings | None = None,
) -> Report:
    """Check a collection of articles together (name variants across the archive)."""
    if not articles:
        raise InputError("the archive holds no articles; nothing to check")
    selected = select_checks(checks, "archive", settings)
    findings, timings = _timed(selected, lambda check: check.findings_in_archive(articles, style))
    scores = archive_scores(
        articles,
        style=style,
        press=_press(selected),
        checks=[c.name for c in selected],
        settings=score_settings,
    )
    report = _report(
        "archive", tuple(articles), findings, selected, None, None, style_id, style, scores
    )
    return replace(report, timings=timings)


def _press(checks: Sequence[Check]) -> object | None:
    """The press table of the ``names`` check that ran (its settings may add a user table),
    so the names score groups names as the check does."""
    names = next((c for c in checks if c.name == "names"), None)
    return names.press() if names is not None else None  # type: ignore[attr-defined]


def _timed(
    checks: Sequence[Check], run: Callable[[Check], list[Finding]]
) -> tuple[list[Finding], dict[str, float]]:
    """Every check's findings, and the seconds each took (JUnit reports them)."""
    findings: list[Finding] = []
    timings: dict[str, float] = {}
    for check in checks:
        clock = time.perf_counter()
        findings += run(check)
        timings[check.name] = time.perf_counter() - clock
    return findings, timings


def _report(
    mode: str,
    articles: tuple[Article, ...],
    findings: list[Finding],
    checks: list[Check],
    alignment: Alignment | None,
    bridge: Sequence[str] | None,
    style_id: str | None,
    style: object | None = None,
    scores: Scores | None = None,
    source_lines: SourceLines | None = None,
) -> Report:
    version = package_version()
    signature = _signature(mode, checks, alignment, bridge, style_id, version)
    findings, accepted = _identify_and_accept(sorted(findings, key=sort_key), articles, style)
    cited = {(loc.article, loc.lang) for f in findings for loc in f.locations}
    texts = {
        (a.id, a.lang): (
            read_source_lines(a) if source_lines is None else source_lines.get((a.id, a.lang))
        )
        for a in articles
        if (a.id, a.lang) in cited and a.source is not None
    }
    by_key = {(a.id, a.lang): a for a in articles}
    lines = {key: _starts(by_key[key].paragraphs, text) for key, text in texts.items()}
    segments = {
        key: _segments(by_key[key], starts, texts[key]) for key, starts in lines.items()
    }
    return Report(
        mode=mode,
        articles=articles,
        findings=tuple(findings),
        checks=tuple(c.name for c in checks),
        signature=signature,
        version=version,
        alignment=alignment,
        settings={c.name: dict(c.settings) for c in checks},
        paragraph_lines={k: v for k, v in lines.items() if any(n is not None for n in v)},
        scores=scores,
        accepted=tuple(accepted),
        paragraph_segments={k: v for k, v in segments.items() if v is not None},
    )


def _segments(
    article: Article, starts: tuple[int | None, ...], lines: Sequence[str] | None
) -> tuple | None:
    """Where each paragraph's source lines start (for columns); None when nothing is known."""
    if lines is None or all(n is None for n in starts):
        return None
    from eval.positions import paragraph_segments

    return paragraph_segments(lines, article.paragraphs, starts)


def _identify_and_accept(
    findings: list[Finding], articles: tuple[Article, ...], style: object | None
) -> tuple[list[Finding], list[Finding]]:
    """The findings with their fingerprints, split into (reported, accepted by the style
    file's ``[[accept]]`` entries)."""
    from eval.fingerprint import fingerprints
    from eval.style import Style, resolve_style

    texts = {(a.id, a.lang): a.paragraphs for a in articles}

    def paragraph_text(article_id: str, lang: str, index: int) -> str | None:
        paragraphs = texts.get((article_id, lang), ())
        return paragraphs[index] if 0 <= index < len(paragraphs) else None

    prints = fingerprints(findings, paragraph_text)
    identified = [replace(f, fingerprint=p) for f, p in zip(findings, prints, strict=True)]
    entries = resolve_style(style).accept if isinstance(style, (Style, str, Path)) else ()
    if not entries:
        return identified, []
    reported, accepted = [], []
    for finding in identified:
        (accepted if any(e.matches(finding) for e in entries) else reported).append(finding)
    return reported, accepted


def _signature(
    mode: str,
    checks: list[Check],
    alignment: Alignment | None,
    bridge: Sequence[str] | None,
    style_id: str | None,
    version: str,
) -> str:
    parts = [f"mode:{mode}", "checks:" + ("+".join(c.name for c in checks) or "none")]
    for check in checks:
        parts += [f"{check.name}.{k}:{v}" for k, v in check.signature_fields().items()]
    if alignment is not None:
        parts += [f"align.{k}:{v}" for k, v in sorted(alignment.settings.items())]
        parts.append("bridge:" + ("yes" if bridge is not None else "no"))
    parts.append(f"style:{style_id or 'default'}")  # checks fall back to the shipped style
    parts.append(f"version:{version}")
    return "|".join(parts)


def read_source_lines(article: Article) -> tuple[str, ...] | None:
    """The lines of the article's source file, where its paragraphs' lines can be numbered
    from (a ``.txt`` or ``.md`` file that can be read); None otherwise (e.g. an HTML source)."""
    source = article.source
    if source is None or Path(source).suffix.lower() not in (".txt", ".md"):
        return None
    from aligner.readers import read_text

    try:
        return tuple(read_text(source).splitlines())
    except (OSError, InputError):
        return None


def paragraph_lines(article: Article) -> tuple[int | None, ...]:
    """The 1-based line of the source file where each paragraph starts (None where the text
    cannot be found there, e.g. an HTML source or a normalised character)."""
    return _starts(article.paragraphs, read_source_lines(article))


def _starts(paragraphs: Sequence[str], lines: Sequence[str] | None) -> tuple[int | None, ...]:
    """:func:`paragraph_lines` of the source file's ``lines`` (None: no file)."""
    if lines is None:
        return (None,) * len(paragraphs)
    squeezed = [" ".join(line.split()) for line in lines]
    out: list[int | None] = []
    position = 0
    for paragraph in paragraphs:
        head = " ".join(paragraph.split("\n", 1)[0].split())[:40]
        whole = " ".join(paragraph.split())
        found = None
        for n in range(position, len(squeezed)):
            # a wrapped paragraph's first line may be shorter than the head
            if head and (head in squeezed[n] or (squeezed[n] and whole.startswith(squeezed[n]))):
                found = n
                break
        if found is None:
            out.append(None)
        else:
            out.append(found + 1)
            position = found + 1
    return tuple(out)
