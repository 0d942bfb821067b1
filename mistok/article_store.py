"""The articles of a run's archive kept in a temporary file instead of in memory.

``mistok run`` reads an archive of any size. Each article is pickled into an
:class:`ArticleStore` as it is read, and the driver keeps only a :class:`StoredArticle` per
article: its id, language, date and source file, what pairing plans, cache keys and file
names need. A stage that needs an article's text reads it back (:meth:`ArticleStore.load`)
as the scheduler takes the work item, so only the items in flight hold texts.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import pickle
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from aligner.document import Article
from mistok.mapped_sequence import MappedSequence
from mistok.packed_strings import PackedStrings, widened_for
from mistok.result_spool import ResultSpool, SpoolReader


class StoredArticle(NamedTuple):
    """What the driver keeps of an article that lies in an :class:`ArticleStore` (a tuple:
    small, and it pickles on every Python)."""

    id: str
    lang: str
    date: dt.date | None
    source: Path | None
    #: its place in the store
    number: int


class ArticleStore:
    """Articles pickled one after another into an anonymous temporary file (in ``folder``,
    else the system's temporary folder), each read back by its :class:`StoredArticle`. The
    file goes away when the store is closed, or with the process (a store moved to a named
    file, :meth:`share`, leaves that file behind if the process is killed, for the next run
    to remove). ``fingerprint`` makes each article's key (a SHA-256 hex digest, :meth:`key`)
    as it is kept, while its text is at hand; the keys wait in another anonymous file. An
    article is kept as its field values with its source file as a number (one Path object per
    file): reading it back makes no Path."""

    def __init__(
        self,
        folder: Path | None = None,
        fingerprint: Callable[[Article], str] | None = None,
    ) -> None:
        self._fingerprint = fingerprint
        # the keys, 32 bytes an article, wait on disk beside the articles, not in memory
        self._keys = tempfile.TemporaryFile(dir=folder) if fingerprint is not None else None
        self._keys_written = self._keys_on_disk = 0
        self._spool: ResultSpool[tuple[object, ...]] = ResultSpool(folder)
        self._sources = _PathNumbers()

    def keep(self, article: Article) -> StoredArticle:
        """Put ``article`` in the store; what stands for it."""
        number = len(self._spool)
        source = self._sources.number(article.source)
        values = (article.id, article.lang, article.paragraphs, article.title, article.date)
        self._spool.put(number, (*values, article.url, source, dict(article.meta)))
        if self._fingerprint is not None:
            assert self._keys is not None  # made with the fingerprint
            self._keys.write(bytes.fromhex(self._fingerprint(article)))
            self._keys_written += 1
        return StoredArticle(
            article.id, article.lang, article.date, self._sources.paths[source], number
        )

    def load(self, stored: StoredArticle) -> Article:
        """The article ``stored`` stands for, read back."""
        return _article(self._spool.get(stored.number), self._sources.paths)

    def pack(self, numbers: Iterable[int]) -> PackedArticles:
        """The articles of these places in the store (:attr:`StoredArticle.number`), as the
        store keeps them, in one blob: what a worker process unpacks
        (:meth:`PackedArticles.unpack`), so that the sender makes no article's text."""
        blob, ends = bytearray(), array("q")
        for number in numbers:
            blob += self._spool.get_pickled(number)
            ends.append(len(blob))
        return PackedArticles(blob, ends, tuple(self._sources.paths))

    def share(self, folder: Path) -> None:
        """Move the store to a named file in ``folder`` (the output's cache folder, which
        exists once the inputs proved usable; a killed run's file there is removed by the
        next run), so that worker processes read articles from it themselves
        (:meth:`places`)."""
        self._spool.make_named(folder)

    def places(self, numbers: Iterable[int]) -> ArticlesInFile:
        """The articles of these places in a shared store (:meth:`share`), as where they lie
        in its file: what a worker process on this machine reads them from
        (:meth:`ArticlesInFile.unpack`); the sender reads none of them."""
        return ArticlesInFile(self._spool.reader(numbers), tuple(self._sources.paths))

    def key(self, stored: StoredArticle) -> str:
        """The key ``fingerprint`` made of the article (hex)."""
        if self._keys is None or not 0 <= stored.number < self._keys_written:
            raise KeyError(f"no key for {stored.id!r}: the store was made without a fingerprint")
        if stored.number >= self._keys_on_disk:
            self._keys.flush()
            self._keys_on_disk = self._keys_written
        return os.pread(self._keys.fileno(), 32, stored.number * 32).hex()

    def __len__(self) -> int:
        return len(self._spool)

    def close(self) -> None:
        self._spool.close()
        if self._keys is not None:
            self._keys.close()


@dataclass(frozen=True)
class PackedArticles:
    """Articles pickled one after another in one blob (:meth:`ArticleStore.pack`); ``ends``
    is where each ends, ``sources`` the store's source files by number. One large bytes
    object instead of an object per paragraph: it pickles to a worker as it is, and the
    memory it took is given back whole when it goes."""

    blob: bytes | bytearray
    ends: array
    sources: tuple[Path | None, ...]

    def unpack(self) -> tuple[Article, ...]:
        """The articles, in the order packed."""
        pieces = blob_pieces(self.blob, self.ends)
        return tuple(_article(pickle.loads(piece), self.sources) for piece in pieces)


@dataclass(frozen=True)
class ArticlesInFile:
    """Articles as where they lie in a shared store's file (:meth:`ArticleStore.places`):
    small to send, read by the process that unpacks them."""

    pieces: SpoolReader[tuple[object, ...]]
    sources: tuple[Path | None, ...]

    def unpack(self) -> tuple[Article, ...]:
        """The articles, in the order given."""
        return tuple(_article(fields, self.sources) for fields in self.pieces)


def blob_pieces(blob: bytes | bytearray, ends: Sequence[int]) -> Iterator[memoryview]:
    """The pieces of a blob that holds several one after another, ``ends`` where each ends
    (views: nothing is copied)."""
    view = memoryview(blob)
    for start, end in itertools.pairwise(itertools.chain((0,), ends)):
        yield view[start:end]


def _article(fields: tuple[object, ...], sources: Sequence[Path | None]) -> Article:
    """An article from the field values the store keeps (its source file by number)."""
    *values, url, source, meta = fields
    return Article(*values, url=url, source=sources[source], meta=meta)  # type: ignore[arg-type,index]


class _PathNumbers:
    """One number per distinct source file, and the one Path object kept for it (0: none):
    however many articles a file holds, the driver keeps its path once."""

    def __init__(self) -> None:
        self.paths: list[Path | None] = [None]
        self._numbers: dict[Path | None, int] = {None: 0}

    def number(self, path: Path | None) -> int:
        found = self._numbers.setdefault(path, len(self.paths))
        if found == len(self.paths):
            self.paths.append(path)
        return found


class StoredArticles(MappedSequence[StoredArticle]):
    """One language's stand-ins, in the order given (a run's: by id), kept in a few arrays
    (about 30 bytes an article) instead of a tuple and its strings per article; each item is
    made when asked for. :meth:`ids` is the ids alone, for a search by id."""

    def __init__(self, lang: str, articles: Iterable[StoredArticle] = ()) -> None:
        self.lang = lang
        self._ids = PackedStrings()
        self._days = array("i")  # date ordinals; 0: no date
        sources = _PathNumbers()
        self._source_of = array("i")
        self._numbers = array("I")  # places in the store
        for article in articles:
            if article.lang != lang:
                raise ValueError(f"{article.id!r} is {article.lang}, not {lang}")
            self._ids.append(article.id)
            self._days.append(article.date.toordinal() if article.date is not None else 0)
            self._source_of.append(sources.number(article.source))
            self._numbers = widened_for(self._numbers, article.number)
            self._numbers.append(article.number)
        self._sources = sources.paths
        super().__init__(range(len(self._numbers)), self._item)

    def _item(self, index: int) -> StoredArticle:
        day = self._days[index]
        return StoredArticle(
            self._ids[index],
            self.lang,
            dt.date.fromordinal(day) if day else None,
            self._sources[self._source_of[index]],
            self._numbers[index],
        )

    def ids(self) -> Sequence[str]:
        """The articles' ids, in order (each made when asked for)."""
        return self._ids

    def packed_ids(self) -> PackedIds:
        """The articles' ids in one blob, to send to a worker process."""
        return PackedIds(bytes(self._ids.text), array("q", self._ids.ends))


@dataclass(frozen=True)
class PackedIds:
    """Article ids one after another in UTF-8 (``ends``: where each ends): an archive's ids
    sent to a worker process without a str object per id (:meth:`StoredArticles.packed_ids`)."""

    text: bytes
    ends: array

    def unpack(self) -> list[str]:
        """The ids, in order."""
        return [str(piece, "utf-8", "surrogatepass") for piece in blob_pieces(self.text, self.ends)]
