"""``mistok pair``: pair the Ukrainian and English articles of an archive.

Input is two folders (Ukrainian, English), or one archive of both languages: a folder (of
article files, JSON Lines or Parquet shards), a JSON Lines or Parquet file, or a Hugging Face
dataset saved on disk (``datasets.save_to_disk``) whose records have ``lang`` fields.

Pairing is :func:`aligner.pairing_partitions.pair_in_partitions`: an archive whose dates
span more than ``PairingSettings.partition_days`` is paired in date partitions, a shorter or
undated one exactly as :func:`aligner.pairing.pair_articles` pairs it.

Reading the archive and what happens to bad input there is :mod:`mistok.archive`. Exit status
2 (one line on stderr) only when nothing can be paired: a path that does not exist, no
readable article at all, no article in one of the two languages, or ``UK_DIR EN_DIR`` given
the wrong way round.

Every input article appears in the output: in a pair, with ``-`` (no counterpart), or in the
skipped list with its reason — ``skipped`` in ``--format json``, and in the TSV a trailing
comment block of ``# skipped<TAB>file or record<TAB>reason`` lines after the rows. The
declared language (the folder, a file's front matter or name suffix, a record's ``lang``)
wins over what the letters say: such an article is paired as declared, with one warning per
file and a count at the end.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import click

from aligner.bridge_files import read_bridge_folder
from aligner.errors import InputError
from aligner.pairing import PairingResult
from aligner.pairing_partitions import pair_in_partitions
from mistok.archive import ArchiveInput, read_archive, skipped_comment_block
from mistok.commands.shared import config_option
from mistok.console import echo_warning, echo_warnings
from mistok.run_config import load_run_config

__all__ = ["pair"]


def _tsv(result: PairingResult, archive: ArchiveInput) -> str:
    rows = ["uk\ten"]
    rows.extend(f"{p.uk}\t{p.en}" for p in sorted(result.pairs, key=lambda p: (p.uk, p.en)))
    rows.extend(f"{uk}\t-" for uk in sorted(result.unpaired_uk))
    rows.extend(f"-\t{en}" for en in sorted(result.unpaired_en))
    return "\n".join(rows) + skipped_comment_block(archive.skipped)


def _json(result: PairingResult, archive: ArchiveInput) -> str:
    return json.dumps(
        {
            "signature": result.signature,
            "pairs": [
                {"uk": p.uk, "en": p.en, "confidence": p.confidence, "signals": dict(p.signals)}
                for p in result.pairs
            ],
            "unpaired_uk": list(result.unpaired_uk),
            "unpaired_en": list(result.unpaired_en),
            "skipped": [{"source": s, "reason": r} for s, r in archive.skipped],
            "language_mismatches": [
                {"source": s, "declared": d, "detected": t}
                for s, d, t in archive.language_mismatches
            ],
        },
        ensure_ascii=False,
        indent=2,
    )


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--bridge",
    type=click.Path(path_type=Path),
    help="Folder of <uk id>.txt or <uk id>.json files: the English translation of each "
    "Ukrainian article.",
)
@click.option(
    "--format",
    "fmt",
    envvar="MISTOK_PAIR_FORMAT",
    type=click.Choice(["tsv", "json"]),
    default="tsv",
    show_default=True,
    help="tsv: uk<TAB>en rows, '-' for no counterpart; json: pairs with confidences and signals.",
)
@config_option("whose [pair] table sets the pairing settings")
def pair(
    inputs: tuple[Path, ...], bridge: Path | None, fmt: str, config_path: Path | None = None
) -> None:
    """Pair the Ukrainian and English versions of articles: UK_DIR EN_DIR, or one ARCHIVE
    (a JSON Lines file or a saved Hugging Face dataset with 'lang' fields, a Parquet file or
    folder of Parquet/JSONL shards, or a folder of both languages).

    Articles without a counterpart are listed with '-': they are the missing versions.
    Inputs left out (unreadable, a repeated id or text) are reported on stderr and listed at
    the end: '# skipped<TAB>input<TAB>reason' lines in the TSV, 'skipped' in the JSON. The
    declared language (the folder, front matter, a record's 'lang') wins; a text that looks
    like another language is paired as declared, with a warning.

    \b
    Example:
      mistok pair archive/uk archive/en > pairs.tsv
      mistok pair archive/uk archive/en --bridge archive/uk-mt --format json
      mistok pair archive.jsonl
    """
    if len(inputs) > 2:
        raise click.UsageError(
            "give UK_DIR EN_DIR, or one archive: a folder, a JSONL or Parquet file, or a "
            "saved dataset"
        )
    for path in inputs:
        if not path.exists():
            raise InputError(f"{path}: no such file or directory")
    config = load_run_config(config_path)
    archive = _read_both_languages(inputs)
    translations = _bridge_translations(bridge, archive) if bridge else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = pair_in_partitions(archive.uk, archive.en, translations, config.pair)
    echo_warnings(caught)
    click.echo(_tsv(result, archive) if fmt == "tsv" else _json(result, archive))


def _read_both_languages(inputs: tuple[Path, ...]) -> ArchiveInput:
    """The archive, with a warning line for each input left out and each note, and a count
    of the articles read as declared against their text; an :class:`InputError` when one
    language has no readable article."""
    archive = read_archive(list(inputs))
    for where, reason in archive.skipped:
        echo_warning(f"skipped {where}: {reason}")
    for note in archive.notes:
        echo_warning(f"{note}")
    if archive.language_mismatches:
        count = len(archive.language_mismatches)
        echo_warning(
            f"{count} article{'s' if count != 1 else ''} read as declared "
            "although the text looks like another language (listed above)"
        )
    for lang, articles in (("Ukrainian", archive.uk), ("English", archive.en)):
        if not articles:
            given = " ".join(str(p) for p in inputs)
            raise InputError(f"{given}: no readable {lang} article, nothing to pair")
    return archive


def _bridge_translations(bridge: Path, archive: ArchiveInput) -> dict[str, str]:
    """The bridge folder's English translation of each Ukrainian article (its notes as
    warnings); an :class:`InputError` when it has none."""
    found = read_bridge_folder(bridge, archive.uk)
    translations = found.texts()
    if not translations:
        raise InputError(found.notes[-1])
    for note in found.notes:
        echo_warning(f"{note}")
    return translations
