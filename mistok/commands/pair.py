"""``mistok pair``: pair the Ukrainian and English articles of an archive.

Input is two folders (Ukrainian, English), or one JSON Lines file or Hugging Face dataset
saved on disk (``datasets.save_to_disk``) whose records have ``lang`` fields.

Bad input, decided here:

- an unreadable file among good ones is reported on stderr and left out;
- an article whose text is in the other language than its folder (an English file in the
  Ukrainian folder) is paired in its real language, with a warning: a mis-filed article is
  still a version of some article, and dropping it would report a missing translation that
  exists;
- two articles of one language with the same text are reported, and only the first (by id)
  is paired, so that the copy is not reported as a missing translation;
- exit status 2 (one line on stderr) only when nothing can be paired: a path that does not
  exist, no readable article at all, or no article in one of the two languages.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from aligner.document import LANGUAGES, Article
from aligner.errors import InputError
from aligner.language import detect_language
from aligner.pairing import PairingResult, pair_articles
from aligner.readers import read_articles_lenient, read_text
from mistok.console import echo_warnings

__all__ = ["ArchiveInput", "pair", "read_archive", "read_bridge_folder"]

_BLANK_LINES = re.compile(r"\n\s*\n")


class ArchiveInput:
    """The articles of an archive split by language, and what was left out and why."""

    def __init__(self) -> None:
        self.uk: list[Article] = []
        self.en: list[Article] = []
        self.skipped: list[tuple[str, str]] = []
        self.notes: list[str] = []

    def add(self, article: Article, expected: str | None, where: str) -> None:
        if expected is not None and article.lang != expected:
            language = "Ukrainian" if article.lang == "uk" else "English"
            self.notes.append(
                f"{where}: {article.id!r} is in {language} but sits with the {expected} "
                f"articles; paired as {article.lang}"
            )
        (self.uk if article.lang == "uk" else self.en).append(article)


def _hf_dataset_records(path: Path) -> Iterable[dict]:
    """Records of a dataset (or every split of a dataset dict) saved with ``save_to_disk``."""
    try:
        import datasets
    except ImportError as error:  # pragma: no cover - the data extra is missing
        raise InputError(
            f"{path}: reading a Hugging Face dataset needs the 'datasets' package "
            "(pip install 'mistok[data]')"
        ) from error
    loaded = datasets.load_from_disk(str(path))
    parts = loaded.values() if isinstance(loaded, datasets.DatasetDict) else [loaded]
    for part in parts:
        yield from part


def _is_hf_dataset(path: Path) -> bool:
    return path.is_dir() and any(
        (path / name).exists() for name in ("dataset_dict.json", "state.json")
    )


def _article_from_record(record: dict, where: str) -> Article:
    paragraphs = record.get("paragraphs")
    if paragraphs is None:
        text = record.get("text")
        if not isinstance(text, str):
            raise InputError(f"{where}: needs 'paragraphs' (a list) or 'text' (a string)")
        paragraphs = _BLANK_LINES.split(text.replace("\r\n", "\n"))
    paragraphs = [" ".join(p.split()) for p in paragraphs if isinstance(p, str) and p.strip()]
    if not paragraphs:
        raise InputError(f"{where}: no text")
    lang = record.get("lang") or detect_language("\n\n".join(paragraphs))
    if lang not in LANGUAGES:
        raise InputError(f"{where}: language {lang!r} is neither uk nor en")
    article_id = record.get("id")
    if article_id is None or str(article_id) == "":
        raise InputError(f"{where}: no 'id'")
    return Article(id=str(article_id), lang=lang, paragraphs=tuple(paragraphs))


def read_archive(paths: Sequence[Path]) -> ArchiveInput:
    """Read ``UK_DIR EN_DIR``, or one JSONL file / saved HF dataset with ``lang`` fields."""
    archive = ArchiveInput()
    if len(paths) == 1 and _is_hf_dataset(paths[0]):
        for number, record in enumerate(_hf_dataset_records(paths[0])):
            where = f"{paths[0]}[{number}]"
            try:
                archive.add(_article_from_record(dict(record), where), None, where)
            except (InputError, ValueError) as error:
                archive.skipped.append((where, str(error)))
    elif len(paths) == 1:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            articles, skipped = read_articles_lenient(paths[0])
        archive.notes.extend(str(w.message) for w in caught)
        archive.skipped.extend((str(p), m) for p, m in skipped)
        for article in articles:
            archive.add(article, None, str(article.source or paths[0]))
    else:
        for path, expected in zip(paths, LANGUAGES, strict=True):
            # The folder's language is not forced on its files: each file's language comes
            # from its name, front matter or script, and a mismatch is reported by add().
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                articles, skipped = read_articles_lenient(path)
            archive.notes.extend(str(w.message) for w in caught)
            archive.skipped.extend((str(p), m) for p, m in skipped)
            for article in articles:
                archive.add(article, expected, str(article.source or path))
    archive.uk = _without_duplicates(archive.uk, archive)
    archive.en = _without_duplicates(archive.en, archive)
    return archive


def _without_duplicates(articles: list[Article], archive: ArchiveInput) -> list[Article]:
    """First article of each id and of each text (by id); the others are reported."""
    kept: list[Article] = []
    first_by_text: dict[str, str] = {}
    ids: set[str] = set()
    for article in sorted(articles, key=lambda a: a.id):
        where = str(article.source or article.id)
        if article.id in ids:
            archive.skipped.append((where, f"a second {article.lang} article {article.id!r}"))
            continue
        key = " ".join(article.text.split()).casefold()
        if key in first_by_text:
            archive.notes.append(
                f"{where}: {article.id!r} has the same text as {first_by_text[key]!r}; "
                "left out of pairing"
            )
            continue
        first_by_text[key] = article.id
        ids.add(article.id)
        kept.append(article)
    return kept


def read_bridge_folder(folder: Path, uk: Sequence[Article]) -> dict[str, str]:
    """``<uk id>.txt`` files of ``folder``: English translations of the Ukrainian articles."""
    if not folder.is_dir():
        raise InputError(f"{folder}: the bridge must be a folder of <uk id>.txt files")
    bridge: dict[str, str] = {}
    for article in uk:
        path = folder / f"{article.id}.txt"
        if path.is_file():
            try:
                bridge[article.id] = read_text(path)
            except InputError as error:
                click.echo(f"mistok: warning: bridge skipped: {error}", err=True)
    if not bridge:
        raise InputError(
            f"{folder}: no bridge file matches a Ukrainian article (expected <uk id>.txt, "
            f"e.g. {uk[0].id}.txt)"
        )
    return bridge


def _tsv(result: PairingResult) -> str:
    rows = ["uk\ten"]
    rows.extend(f"{p.uk}\t{p.en}" for p in sorted(result.pairs, key=lambda p: (p.uk, p.en)))
    rows.extend(f"{uk}\t-" for uk in sorted(result.unpaired_uk))
    rows.extend(f"-\t{en}" for en in sorted(result.unpaired_en))
    return "\n".join(rows)


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
        },
        ensure_ascii=False,
        indent=2,
    )


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--bridge",
    type=click.Path(path_type=Path),
    help="Folder of <uk id>.txt files: the English translation of each Ukrainian article.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["tsv", "json"]),
    default="tsv",
    show_default=True,
    help="tsv: uk<TAB>en rows, '-' for no counterpart; json: pairs with confidences and signals.",
)
def pair(inputs: tuple[Path, ...], bridge: Path | None, fmt: str) -> None:
    """Pair the Ukrainian and English versions of articles: UK_DIR EN_DIR, or one ARCHIVE
    (a JSON Lines file or a saved Hugging Face dataset with 'lang' fields, or a folder of
    both languages).

    Articles without a counterpart are listed with '-': they are the missing versions.
    Unreadable files are reported on stderr and left out.

    \b
    Example:
      mistok pair archive/uk archive/en > pairs.tsv
      mistok pair archive/uk archive/en --bridge archive/uk-mt --format json
      mistok pair archive.jsonl
    """
    if len(inputs) > 2:
        raise click.UsageError("give UK_DIR EN_DIR, or one JSONL file or dataset folder")
    for path in inputs:
        if not path.exists():
            raise InputError(f"{path}: no such file or directory")
    archive = read_archive(list(inputs))
    for where, reason in archive.skipped:
        click.echo(f"mistok: warning: skipped {where}: {reason}", err=True)
    for note in archive.notes:
        click.echo(f"mistok: warning: {note}", err=True)
    for lang, articles in (("Ukrainian", archive.uk), ("English", archive.en)):
        if not articles:
            given = " ".join(str(p) for p in inputs)
            raise InputError(f"{given}: no readable {lang} article, nothing to pair")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        translations = read_bridge_folder(bridge, archive.uk) if bridge else None
        result = pair_articles(archive.uk, archive.en, bridge=translations)
    echo_warnings(caught)
    click.echo(_tsv(result) if fmt == "tsv" else _json(result, archive))
