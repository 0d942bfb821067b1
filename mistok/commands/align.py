"""``mistok align``: align the paragraphs of a Ukrainian and an English version."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import click

from aligner.align import AlignerSettings, align_paragraphs
from aligner.alignment import Alignment
from aligner.bridge_files import read_pair_bridge
from aligner.document import Article
from aligner.lexicon import load_lexicon
from aligner.readers import check_input_size
from mistok.commands.shared import apply_config_options, config_option, read_pair
from mistok.console import echo_warnings, make_console
from mistok.run_config import load_run_config


def _tsv(alignment: Alignment) -> str:
    lines = ["uk\ten\tkind\tscore\tconfidence"]
    for bead in alignment.beads:
        uk = ",".join(map(str, bead.uk))
        en = ",".join(map(str, bead.en))
        lines.append(f"{uk}\t{en}\t{bead.kind}\t{bead.score:.4f}\t{bead.confidence:.3f}")
    return "\n".join(lines)


def _scored_json(alignment: Alignment) -> str:
    return json.dumps(
        {
            "signature": alignment.signature(),
            "beads": [
                {
                    "uk": list(b.uk),
                    "en": list(b.en),
                    "kind": b.kind,
                    "score": b.score,
                    "confidence": b.confidence,
                }
                for b in alignment.beads
            ],
        },
        ensure_ascii=False,
        indent=2,
    )


def _print_side_by_side(alignment: Alignment, uk: Article, en: Article) -> None:
    from rich.table import Table

    table = Table(show_lines=True, title=f"{uk.id} ↔ {en.id}", caption=alignment.signature())
    table.add_column("bead", no_wrap=True)
    table.add_column("Ukrainian", ratio=1)
    table.add_column("English", ratio=1)
    for bead in alignment.beads:
        label = f"{bead.kind}\n{bead.score:.2f}\nc {bead.confidence:.2f}"
        uk_text = "\n\n".join(f"[{i}] {uk.paragraphs[i]}" for i in bead.uk) or "—"
        en_text = "\n\n".join(f"[{j}] {en.paragraphs[j]}" for j in bead.en) or "—"
        table.add_row(label, uk_text, en_text, style=None if bead.uk and bead.en else "yellow")
    make_console(stderr=False).print(table)


@click.command()
@click.argument("uk_file", type=click.Path(path_type=Path))
@click.argument("en_file", type=click.Path(path_type=Path))
@click.option(
    "--bridge",
    type=click.Path(path_type=Path),
    help="English machine translation of UK_FILE, one paragraph per Ukrainian paragraph "
    "(.json list of strings, or text with blank lines between paragraphs).",
)
@click.option(
    "--format",
    "fmt",
    envvar="MISTOK_ALIGN_FORMAT",
    type=click.Choice(["json", "scores", "tsv", "text"]),
    default="text",
    show_default=True,
    help="json: beads [[uk],[en]] only; scores: beads with kinds, scores, confidences and the "
    "signature (review beads with confidence under 0.5).",
)
@click.option(
    "--lexicon",
    "lexicons",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Your own uk<TAB>en1|en2 lexicon file, added to the bundled one (repeatable).",
)
@click.option(
    "--width",
    type=int,
    default=AlignerSettings.width,
    show_default=True,
    help="Band half-width in paragraphs.",
)
@click.option(
    "--overrides",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Manual alignments set in `mistok review` (OUT/review/alignments.json): the beads "
    "a person set for these two articles are used while both are unchanged.",
)
@config_option("whose [align] table sets the aligner settings")
def align(
    uk_file: Path,
    en_file: Path,
    bridge: Path | None,
    fmt: str,
    lexicons: tuple[Path, ...],
    width: int,
    overrides: Path | None = None,
    config_path: Path | None = None,
) -> None:
    """Align the paragraphs of UK_FILE (Ukrainian) and EN_FILE (English).

    Prints beads: 1-1, 2-1, 1-2 and one-sided (1-0, 0-1) paragraph groups.

    \b
    Example:
      mistok align seeds/umerov-south-korea.uk.txt seeds/umerov-south-korea.en.txt
      mistok align doc.uk.txt doc.en.txt --bridge doc.uk.mt.txt --format json
      mistok align doc.uk.txt doc.en.txt --overrides out/review/alignments.json
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        uk, en = read_pair(uk_file, en_file)
        translated = read_pair_bridge(bridge, uk) if bridge else None
    echo_warnings(caught)
    config = load_run_config(config_path)
    settings = apply_config_options(config, "align", click.get_current_context()).align
    for path in lexicons:  # the size limit of every reader
        check_input_size(path)
    lexicon = load_lexicon(extra=lexicons)
    alignment = align_paragraphs(uk, en, bridge=translated, settings=settings, lexicon=lexicon)
    if overrides is not None:
        from mistok.review.overrides_cli import override_alignment

        alignment = override_alignment(overrides, uk, en, alignment)
    if fmt == "json":
        click.echo(json.dumps(alignment.as_lists()))
    elif fmt == "scores":
        click.echo(_scored_json(alignment))
    elif fmt == "tsv":
        click.echo(_tsv(alignment))
    else:
        _print_side_by_side(alignment, uk, en)
