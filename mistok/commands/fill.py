"""``mistok fill``: translate the one-sided paragraphs of a pair into the other version.

The pair is aligned, every paragraph that one version has and the other lacks (a ``1-0`` or
``0-1`` bead) is machine-translated, and the draft is inserted, marked, where the alignment
puts it: after the paragraphs of the beads before it. Inputs are never touched; the filled
versions are written as new files.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from aligner.alignment import Alignment
from aligner.document import Article
from aligner.errors import InputError, ModelUnavailableError
from mistok.commands.shared import (
    echo_issues,
    load_cli_translator,
    mt_metadata,
    progress_bar,
    read_pair,
    render_article,
    translator_options,
)
from mistok.console import echo_warning, echo_warnings
from mistok.output_files import check_writable, refuse_input_as_output, write_files_together

if TYPE_CHECKING:
    from models.translator import ParagraphTranslator

__all__ = ["fill", "Insertion", "plan_fill", "fill_version", "DEFAULT_MARKER"]

DEFAULT_MARKER = "[MT draft] "


@dataclass(frozen=True)
class Insertion:
    """A draft for version ``into`` made from paragraph ``source_index`` of the other version,
    to stand at ``position`` (0-based) of the filled ``into`` version."""

    into: str  # "uk" or "en": the version that gets the draft
    source_index: int
    position: int


def _check_alignment(alignment: Alignment) -> None:
    uk = [i for bead in alignment.beads for i in bead.uk]
    en = [i for bead in alignment.beads for i in bead.en]
    if uk != list(range(alignment.n_uk)) or en != list(range(alignment.n_en)):
        raise InputError("the alignment does not cover every paragraph once, in order")


def plan_fill(alignment: Alignment) -> list[Insertion]:
    """Where each one-sided paragraph's draft goes in the other version.

    Walks the beads in document order counting the paragraphs each filled version has so
    far; a one-sided bead's paragraphs become drafts at the current position of the other
    version. Pure: no text needed.
    """
    _check_alignment(alignment)
    insertions: list[Insertion] = []
    length = {"uk": 0, "en": 0}
    for bead in alignment.beads:
        if bead.uk and not bead.en:
            for i in bead.uk:
                insertions.append(Insertion("en", i, length["en"]))
                length["en"] += 1
        elif bead.en and not bead.uk:
            for i in bead.en:
                insertions.append(Insertion("uk", i, length["uk"]))
                length["uk"] += 1
        length["uk"] += len(bead.uk)
        length["en"] += len(bead.en)
    return insertions


def fill_version(
    paragraphs: Sequence[str],
    insertions: Sequence[Insertion],
    drafts: Sequence[str],
    marker: str = DEFAULT_MARKER,
) -> list[str]:
    """``paragraphs`` with ``drafts`` (one per insertion, prefixed by ``marker``) inserted at
    the insertions' positions of the filled version."""
    if len(insertions) != len(drafts):
        raise ValueError(f"{len(drafts)} drafts for {len(insertions)} insertions")
    filled = list(paragraphs)
    for insertion, draft in sorted(
        zip(insertions, drafts, strict=True), key=lambda pair: pair[0].position
    ):
        filled.insert(insertion.position, f"{marker}{draft}")
    return filled


def _load_translators(
    options: Mapping[str, object], directions: Sequence[tuple[str, str]]
) -> dict[str, ParagraphTranslator]:
    """A translator per direction needed, keyed by target language, before any work is done.

    A direction whose model is unavailable (a local Marian folder serves one direction only)
    is left out with a warning, as long as another direction has a model; when none has,
    the first error stops the command (exit 2, nothing written).
    """
    translators: dict[str, ParagraphTranslator] = {}
    errors: list[ModelUnavailableError] = []
    for src, tgt in directions:
        try:
            translators[tgt] = load_cli_translator(options, src, tgt)
        except ModelUnavailableError as err:
            errors.append(err)
    if errors and not translators:
        raise errors[0]
    for err in errors:
        echo_warning(f"{err}; that version gets no drafts")
    return translators


def _output_path(directory: Path, article: Article, source: Path) -> Path:
    """``<id>.filled.<lang><suffix>`` in ``directory``."""
    return directory / f"{article.id}.filled.{article.lang}{source.suffix}"


@click.command("fill")
@click.argument("uk_file", type=click.Path(path_type=Path))
@click.argument("en_file", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the filled files (default: beside UK_FILE).",
)
@click.option(
    "--marker",
    default=DEFAULT_MARKER,
    show_default=True,
    help="Text put before every inserted draft paragraph.",
)
@translator_options
def fill(
    uk_file: Path, en_file: Path, output_dir: Path | None, marker: str, **options: object
) -> None:
    """Translate the paragraphs one version lacks and insert them, marked, into it.

    Aligns UK_FILE and EN_FILE, machine-translates every one-sided paragraph and writes
    <id>.filled.uk<suffix> and <id>.filled.en<suffix> with the drafts in place, each
    starting with the marker. The inputs are never overwritten. A Marian model folder (--model
    PATH) translates one direction: the other version gets no drafts, with a warning.

    \b
    Example:
      mistok fill seeds/umerov-south-korea.uk.txt seeds/umerov-south-korea.en.txt -o out/
    """
    from aligner.align import align_paragraphs

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        uk, en = read_pair(uk_file, en_file)
    echo_warnings(caught)
    alignment = align_paragraphs(uk, en)
    insertions = plan_fill(alignment)
    directory = output_dir or uk_file.parent
    outputs = {
        "uk": _output_path(directory, uk, uk_file),
        "en": _output_path(directory, en, en_file),
    }
    glossary = options.get("glossary")
    inputs = [uk_file, en_file] + ([Path(str(glossary))] if glossary else [])
    for path in outputs.values():  # before the models are loaded
        refuse_input_as_output(path, inputs)
        check_writable(path)
    sources = {"en": (uk, "uk"), "uk": (en, "en")}  # the version filled: (source, its lang)
    wanted = {into: [ins for ins in insertions if ins.into == into] for into in sources}
    translators = _load_translators(
        options, [(sources[into][1], into) for into in sources if wanted[into]]
    )
    filled = {"uk": list(uk.paragraphs), "en": list(en.paragraphs)}
    extra: dict[str, dict[str, object]] = {"uk": {}, "en": {}}
    for into, translator in translators.items():
        source, src = sources[into]
        filled[into], extra[into] = _fill_one_version(
            translator, source, src, into, filled[into], wanted[into], marker
        )
    versions = (("uk", uk), ("en", en))
    files = [
        (outputs[lang], _filled_text(article, lang, filled[lang], outputs[lang], extra[lang]))
        for lang, article in versions
    ]
    write_files_together(files, inputs)  # both or neither
    for lang, article in versions:
        added = len(filled[lang]) - len(article.paragraphs)
        click.echo(
            f"{outputs[lang]}: {added} draft paragraph(s) inserted"
            f"{' at ' + extra[lang]['mt_paragraphs'] if added else ''}",
            err=True,
        )


def _fill_one_version(
    translator: ParagraphTranslator,
    source: Article,
    src: str,
    into: str,
    paragraphs: list[str],
    wanted: Sequence[Insertion],
    marker: str,
) -> tuple[list[str], dict[str, object]]:
    """Translate the ``wanted`` paragraphs of ``source`` into ``into`` and insert them, marked,
    into ``paragraphs``; returns the filled paragraphs and the front-matter fields that say
    which are drafts. The model's issues are warning lines on stderr."""
    with progress_bar(f"translating {len(wanted)} {src} paragraphs") as progress:
        result = translator.translate_with_report(
            [source.paragraphs[ins.source_index] for ins in wanted],
            src,
            into,
            progress=progress,
        )
    echo_issues(
        [
            f"{source.source}: paragraph {wanted[i.paragraph].source_index}: {i.kind}: {i.message}"
            for i in result.report.issues
        ]
    )
    drafts = [text or "(no translation)" for text in result.texts]
    extra = mt_metadata(result.report)
    extra["machine_translation"] = "partial"
    extra["mt_paragraphs"] = ",".join(str(ins.position) for ins in wanted)
    extra["mt_marker"] = marker
    return fill_version(paragraphs, wanted, drafts, marker), extra


def _filled_text(
    article: Article, lang: str, paragraphs: list[str], output: Path, extra: Mapping[str, object]
) -> bytes:
    """The filled ``lang`` version of ``article`` as the bytes of ``output`` (its suffix's
    format)."""
    new = Article(
        id=article.id,
        lang=lang,
        paragraphs=tuple(paragraphs),
        title=article.title,
        date=article.date,
        url=article.url,
        meta=article.meta,
    )
    return render_article(new, output.suffix, extra).encode("utf-8")
