"""Read an archive of articles in both languages, as ``mistok pair`` and ``mistok run`` take it.

The inputs are a Ukrainian and an English folder (``UK_DIR EN_DIR``), or one archive holding
both languages: a folder, a JSON Lines file, a Parquet file, or a Hugging Face dataset saved
on disk (``datasets.save_to_disk``). A folder may hold Parquet or JSON Lines shards beside (or
instead of) article files. JSON Lines lines, Parquet rows and dataset records share one
schema, :func:`aligner.readers.article_from_record`'s: every field (dates included) is kept.

Parquet is read a record batch at a time, so that memory per shard stays bounded however large
the shard; the 50 MiB limit on one input file does not apply to it. It needs ``pyarrow`` (the
``data`` extra).

Bad input, decided here:

- an unreadable file (or record, or Parquet file) among good ones is listed in ``skipped`` and
  left out; a record as ``file[row]`` (rows counted from 0);
- a Parquet file given as the only input that cannot be opened is an :class:`InputError`;
- the declared language wins: a file's front matter ``lang`` or ``.uk``/``.en`` name suffix, a
  record's ``lang``, else the folder it sits in (``UK_DIR EN_DIR``). A text whose letters say
  otherwise (a Ukrainian article quoting Russian, an "uk" folder of English files) is read as
  declared, with one warning naming the file (``language_mismatches``, counted in summaries).
  Only an article that declares nothing (a file in a one-folder archive, a record without
  ``lang``) takes its language from its letters, and is skipped, with the reason, when they
  cannot tell (short Cyrillic text) or say Russian;
- ``UK_DIR EN_DIR`` given the wrong way round (every article of each folder reads as the other
  language) is an :class:`InputError`: one line, nothing paired;
- of two articles of one language with the same id, or the same text, only the first (by id)
  is kept, so that the copy is not reported as a missing translation; the other is listed in
  ``skipped`` with the reason.

Every input article is either in ``uk``/``en`` or in ``skipped``: nothing is dropped silently.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aligner.document import LANGUAGES, Article
from aligner.errors import InputError, first_line
from aligner.language import LANGUAGE_NAMES, LanguageMismatchWarning, detect_language
from aligner.readers import article_from_record, iter_articles_lenient
from mistok.article_store import ArticleStore

__all__ = [
    "PARQUET_BATCH_ROWS",
    "ArchiveInput",
    "read_archive",
    "skipped_comment_block",
]

#: Rows of a Parquet file held in memory at a time.
PARQUET_BATCH_ROWS = 1024
PARQUET_SUFFIX = ".parquet"
# The column pandas writes for a non-default index: no field of an article.
_PANDAS_INDEX = re.compile(r"__index_level_\d+__")


@dataclass
class ArchiveInput:
    """The articles of an archive split by language, and what was left out and why. Read
    with a ``store`` (:func:`read_archive`), ``uk`` and ``en`` hold a
    :class:`~mistok.article_store.StoredArticle` per article instead of the article."""

    uk: list[Any] = field(default_factory=list)
    en: list[Any] = field(default_factory=list)
    #: (file or record, reason) of each input left out.
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: Warnings about inputs that were used (declared language, reader warnings).
    notes: list[str] = field(default_factory=list)
    #: (file or record, declared language, language its letters say) of each article read as
    #: declared although its text looks like another language.
    language_mismatches: list[tuple[str, str, str]] = field(default_factory=list)
    #: Where the articles go as they are read (None: kept in ``uk`` and ``en`` themselves).
    store: ArticleStore | None = None
    #: Each article's text digest (:func:`_text_digest`), in the order of ``uk`` and ``en``.
    _digests: dict[str, list[bytes]] = field(default_factory=lambda: {"uk": [], "en": []})
    #: Per folder language: the articles whose letters tell uk or en, and those that tell
    #: their folder's language (:func:`_refuse_swapped_folders`).
    _letters: dict[str, list[int]] = field(default_factory=lambda: {"uk": [0, 0], "en": [0, 0]})

    def take_warnings(self, caught: Iterable[warnings.WarningMessage]) -> None:
        """Keep the readers' warnings as notes, and count the declared-language mismatches."""
        for warning in caught:
            message = warning.message
            if isinstance(message, LanguageMismatchWarning):
                self.language_mismatches.append(
                    (str(message.source), str(message.declared), str(message.detected))
                )
            self.notes.append(str(message))

    def add(
        self, article: Article, expected: str | None, where: str, notes: list[str] | None = None
    ) -> None:
        """Add ``article`` to its language's list (or its stand-in, the article going to the
        store); note it (in ``notes``, else :attr:`notes`) when ``expected`` (its folder's
        language) differs."""
        if expected is not None:
            if article.lang != expected:
                (self.notes if notes is None else notes).append(
                    f"{where}: {article.id!r} declares {article.lang} but sits with the "
                    f"{expected} articles; paired as {article.lang}"
                )
            detected = detect_language(article.text)
            if detected in ("uk", "en"):
                told = self._letters[article.lang]
                told[0] += 1
                told[1] += detected == article.lang
        self._digests[article.lang].append(_text_digest(article))
        kept = article if self.store is None else self.store.keep(article)
        (self.uk if article.lang == "uk" else self.en).append(kept)


def read_archive(paths: Sequence[Path], store: ArticleStore | None = None) -> ArchiveInput:
    """Read ``UK_DIR EN_DIR``, or one folder, JSON Lines file, Parquet file or saved HF dataset
    holding both languages; a folder's Parquet shards (``*.parquet``, by name) are read with
    its other article files. Raises :class:`InputError` only when a path cannot be read at
    all (missing, a folder without article files, a dataset that does not load, a sole
    Parquet file that does not open, Parquet without ``pyarrow``).

    With a ``store``, each article goes there as it is read, and the archive's lists hold
    their :class:`~mistok.article_store.StoredArticle`: an archive of any size is read in
    the memory of one input file."""
    archive = ArchiveInput(store=store)
    if len(paths) == 1 and _is_hf_dataset(Path(paths[0])):
        path = Path(paths[0])
        # No default id: a dataset row number is not something its owner can look up.
        records = _hf_dataset_records(path)
        _add_records(archive, records, str(path), source=None, id_stem=None, expected=None)
    else:
        # The folder declares its files' language; a file or record may declare its own.
        expected_languages: Sequence[str | None] = LANGUAGES if len(paths) == 2 else (None,)
        for path, expected in zip(paths, expected_languages, strict=True):
            _read_path(archive, Path(path), expected, sole=len(paths) == 1)
        if len(paths) == 2:
            _refuse_swapped_folders(archive, paths)
    archive.uk = _without_duplicates(archive.uk, archive._digests.pop("uk"), archive)
    archive.en = _without_duplicates(archive.en, archive._digests.pop("en"), archive)
    return archive


def _read_path(archive: ArchiveInput, path: Path, expected: str | None, *, sole: bool) -> None:
    """Add the articles of one input path: a Parquet file, or what the readers read (a file,
    or a folder's article files) and the folder's Parquet shards."""
    if path.suffix.lower() == PARQUET_SUFFIX and path.is_file():
        _read_parquet(archive, path, expected, sole=sole)
        return
    shards = _parquet_shards(path) if path.is_dir() else []
    skipped: list[tuple[Path, str]] = []
    notes: list[str] = []  # said after the readers' warnings, as when a file was read whole
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # one article at a time: a large JSON Lines file's articles go to the store as read
        articles = iter_articles_lenient(
            path, lambda p, m: skipped.append((p, m)), default_lang=expected
        )
        try:
            for article in articles:
                archive.add(article, expected, str(article.source or path), notes)
        except InputError:
            if not shards:
                raise
            # a folder of Parquet shards and nothing else
    archive.take_warnings(caught)
    archive.notes += notes
    archive.skipped.extend((str(p), m) for p, m in skipped)
    for shard in shards:
        _read_parquet(archive, shard, expected, sole=False)


def _add_records(
    archive: ArchiveInput,
    records: Iterable[Mapping[str, Any]],
    label: str,
    *,
    source: Path | None,
    id_stem: str | None,
    expected: str | None,
) -> None:
    """Add the article of each record, ``label[row]``; a bad record is skipped with its
    reason, and input that breaks off (a corrupt Parquet page) keeps the rows before it.
    A record without an id gets ``id_stem-row``, or is skipped when ``id_stem`` is None."""
    read = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            for row, record in enumerate(records):
                read = row + 1
                where = f"{label}[{row}]"
                default_id = None if id_stem is None else f"{id_stem}-{row}"
                try:
                    article = article_from_record(
                        record,
                        where=where,
                        source=source,
                        default_id=default_id,
                        default_lang=expected,
                    )
                except (InputError, ValueError) as error:
                    archive.skipped.append((where, str(error)))
                    continue
                archive.add(article, expected, where)
        except InputError as error:  # raised by the records themselves, not by one record
            archive.skipped.append((label, f"{error}; rows from {read} on left out"))
    archive.take_warnings(caught)


def _read_parquet(archive: ArchiveInput, path: Path, expected: str | None, *, sole: bool) -> None:
    """Add the articles of one Parquet file; one that does not open is skipped, or raised
    when it is the ``sole`` input."""
    parquet = _pyarrow_parquet(path)
    try:
        file, columns = _open_parquet(parquet, path)
    except InputError as error:
        if sole:
            raise
        archive.skipped.append((str(path), str(error)))
        return
    with file:
        rows = _parquet_rows(file, columns, path)
        _add_records(archive, rows, str(path), source=path, id_stem=path.stem, expected=expected)


def _pyarrow_parquet(path: Path) -> Any:
    try:
        import pyarrow.parquet
    except ImportError as error:  # pragma: no cover - the data extra is missing
        raise InputError(
            f"{path}: reading Parquet needs the 'pyarrow' package (pip install 'mistok[data]')"
        ) from error
    return pyarrow.parquet


def _open_parquet(parquet: Any, path: Path) -> tuple[Any, list[str]]:
    """The open ``ParquetFile`` and the columns to read; :class:`InputError` for a file that
    is not Parquet, is truncated, or has neither a ``paragraphs`` nor a ``text`` column."""
    import pyarrow

    try:
        file = parquet.ParquetFile(path)
        names = list(file.schema_arrow.names)
    except (pyarrow.ArrowException, OSError, ValueError) as error:
        raise InputError(f"{path}: not a readable Parquet file ({first_line(error)})") from error
    columns = [name for name in names if not _PANDAS_INDEX.fullmatch(name)]
    if "paragraphs" not in columns and "text" not in columns:
        file.close()
        raise InputError(
            f"{path}: no 'paragraphs' or 'text' column (columns: {', '.join(columns) or 'none'})"
        )
    return file, columns


def _parquet_rows(file: Any, columns: list[str], path: Path) -> Iterator[dict[str, Any]]:
    """The rows of an open Parquet file as dicts, read :data:`PARQUET_BATCH_ROWS` at a time.
    Raises :class:`InputError` where the file stops being readable."""
    import pyarrow

    batches = file.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=columns)
    while True:
        try:
            batch = next(batches, None)
            # a value Python cannot hold (a timestamp past year 9999) fails here
            rows = [] if batch is None else batch.to_pylist()
        except (pyarrow.ArrowException, OSError, ValueError) as error:
            raise InputError(
                f"{path}: not a readable Parquet file ({first_line(error)})"
            ) from error
        if batch is None:
            return
        yield from rows


def _parquet_shards(folder: Path) -> list[Path]:
    """The Parquet files of ``folder`` by name, leaving out hidden ones and the ``_``-named
    metadata files that Spark and Hive write beside their shards."""
    return sorted(
        child
        for child in folder.iterdir()
        if child.suffix.lower() == PARQUET_SUFFIX
        and not child.name.startswith((".", "_"))
        and child.is_file()
    )


def _hf_dataset_records(path: Path) -> Iterator[Mapping[str, Any]]:
    """Records of a dataset (or of every split of a dataset dict) saved with ``save_to_disk``.
    The dataset is loaded here, so that one that does not load raises before any record."""
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
    return itertools.chain.from_iterable(parts)


def _is_hf_dataset(path: Path) -> bool:
    return path.is_dir() and any(
        (path / name).exists() for name in ("dataset_dict.json", "state.json")
    )


def _without_duplicates(
    articles: list[Any], digests: list[bytes], archive: ArchiveInput
) -> list[Any]:
    """First article of each id and of each text (by id; ``digests``: their texts'); the others
    are reported. The articles may be stand-ins for stored ones."""
    kept: list[Any] = []
    # each text by its digest: a dict of the texts themselves would be a second copy of the
    # archive in memory
    first_by_text: dict[bytes, str] = {}
    ids: set[str] = set()
    for number in sorted(range(len(articles)), key=lambda n: articles[n].id):
        article = articles[number]
        where = str(article.source or article.id)
        if article.id in ids:
            archive.skipped.append((where, f"a second {article.lang} article {article.id!r}"))
            continue
        key = digests[number]
        if key in first_by_text:
            archive.skipped.append(
                (
                    where,
                    f"{where}: {article.id!r} has the same text as {first_by_text[key]!r}; "
                    "left out of pairing",
                )
            )
            continue
        first_by_text[key] = article.id
        ids.add(article.id)
        kept.append(article)
    return kept


def _text_digest(article: Article) -> bytes:
    """The SHA-256 of an article's text with spaces collapsed and case folded: two articles
    with the same digest have the same text."""
    normalized = " ".join(article.text.split()).casefold()
    return hashlib.sha256(normalized.encode("utf-8", "surrogatepass")).digest()


def _refuse_swapped_folders(archive: ArchiveInput, paths: Sequence[Path]) -> None:
    """:class:`InputError` when every article of ``UK_DIR`` reads as English and every one of
    ``EN_DIR`` as Ukrainian (articles whose letters cannot tell are not counted; counted as
    they were read, :meth:`ArchiveInput.add`)."""
    swapped = all(told and not own for told, own in archive._letters.values())
    if swapped:
        uk_dir, en_dir = paths
        raise InputError(
            f"{uk_dir} and {en_dir} look swapped: every article of {uk_dir} reads as "
            f"{LANGUAGE_NAMES['en']} and every article of {en_dir} as {LANGUAGE_NAMES['uk']}; "
            "give the Ukrainian folder first (UK_DIR EN_DIR)"
        )


def skipped_comment_block(skipped: Sequence[tuple[str, str]]) -> str:
    """The trailing comment block of a pairs TSV: ``# skipped<TAB>input<TAB>reason`` per input
    left out, so that every input article appears in the TSV (empty when none was)."""
    lines = []
    for where, reason in skipped:
        clean = " ".join(str(reason).split())
        lines.append(f"# skipped\t{' '.join(str(where).split())}\t{clean}")
    return "".join(f"\n{line}" for line in lines)

