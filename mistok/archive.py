"""Read an archive of articles in both languages, as ``mistok pair`` and ``mistok run`` take it.

The inputs are a Ukrainian and an English folder (``UK_DIR EN_DIR``), or one archive holding
both languages: a folder, a JSON Lines file, or a Hugging Face dataset saved on disk
(``datasets.save_to_disk``) whose records have ``lang`` fields.

Bad input, decided here:

- an unreadable file (or record) among good ones is listed in ``skipped`` and left out;
- an article whose text is in the other language than its folder (an English file in the
  Ukrainian folder) is kept in its real language, with a note: a mis-filed article is still a
  version of some article, and dropping it would report a missing translation that exists;
- of two articles of one language with the same id, or the same text, only the first (by id)
  is kept, so that the copy is not reported as a missing translation.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from aligner.document import LANGUAGES, Article
from aligner.errors import InputError
from aligner.language import detect_language
from aligner.readers import read_articles_lenient, read_text

__all__ = ["ArchiveInput", "read_archive", "read_bridge_folder"]

_BLANK_LINES = re.compile(r"\n\s*\n")


@dataclass
class ArchiveInput:
    """The articles of an archive split by language, and what was left out and why."""

    uk: list[Article] = field(default_factory=list)
    en: list[Article] = field(default_factory=list)
    #: (file or record, reason) of each input left out.
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: Warnings about inputs that were used (wrong folder, duplicated text, reader warnings).
    notes: list[str] = field(default_factory=list)

    def add(self, article: Article, expected: str | None, where: str) -> None:
        """Add ``article`` to its language's list; note it when ``expected`` (its folder's
        language) differs."""
        if expected is not None and article.lang != expected:
            language = "Ukrainian" if article.lang == "uk" else "English"
            self.notes.append(
                f"{where}: {article.id!r} is in {language} but sits with the {expected} "
                f"articles; paired as {article.lang}"
            )
        (self.uk if article.lang == "uk" else self.en).append(article)


def read_archive(paths: Sequence[Path]) -> ArchiveInput:
    """Read ``UK_DIR EN_DIR``, or one folder, JSON Lines file or saved HF dataset holding both
    languages. Raises :class:`InputError` only when a path cannot be read at all (missing,
    a folder without article files, a dataset that does not load)."""
    archive = ArchiveInput()
    if len(paths) == 1 and _is_hf_dataset(paths[0]):
        for number, record in enumerate(_hf_dataset_records(paths[0])):
            where = f"{paths[0]}[{number}]"
            try:
                archive.add(_article_from_record(dict(record), where), None, where)
            except (InputError, ValueError) as error:
                archive.skipped.append((where, str(error)))
    else:
        # The folder's language is not forced on its files: each file's language comes from
        # its name, front matter or script, and a mismatch is noted by add().
        expected_languages: Sequence[str | None] = LANGUAGES if len(paths) == 2 else (None,)
        for path, expected in zip(paths, expected_languages, strict=True):
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


def _hf_dataset_records(path: Path) -> Iterable[dict]:
    """Records of a dataset (or every split of a dataset dict) saved with ``save_to_disk``."""
    try:
        import datasets
    except ImportError as error:  # pragma: no cover - the data extra is missing
        raise InputError(
            f"{path}: reading a Hugging Face dataset needs the 'datasets' package "
            "(pip install 'mistok[data]')"
        ) from error
    try:
        loaded = datasets.load_from_disk(str(path))
    except Exception as error:  # noqa: BLE001 - datasets raises many kinds for a bad folder
        raise InputError(f"{path}: not a readable saved dataset ({error})") from error
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
    elif not isinstance(paragraphs, (list, tuple)):
        raise InputError(f"{where}: 'paragraphs' must be a list of strings")
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


def read_bridge_folder(folder: Path, uk: Sequence[Article]) -> tuple[dict[str, str], list[str]]:
    """The English machine translation of each Ukrainian article, from ``folder``.

    A translation is ``<uk id>.txt`` or ``<uk source file stem>.txt``. Returns the texts by
    article id, and one note per file that could not be read (and one when no file matches).
    Raises :class:`InputError` when ``folder`` is not a folder.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"--bridge {folder}: not a folder; give a folder of <uk id>.txt files")
    texts: dict[str, str] = {}
    notes: list[str] = []
    for article in uk:
        names = {f"{article.id}.txt"}
        if article.source is not None:
            names.add(f"{article.source.stem}.txt")
        path = next((folder / n for n in sorted(names) if (folder / n).is_file()), None)
        if path is None:
            continue
        try:
            texts[article.id] = read_text(path)
        except InputError as err:
            notes.append(f"bridge skipped: {err}")
    if uk and not texts:
        notes.append(
            f"--bridge {folder}: no bridge file matches a Ukrainian article (expected <uk id>.txt, "
            f"e.g. {uk[0].id}.txt)"
        )
    return texts, notes
