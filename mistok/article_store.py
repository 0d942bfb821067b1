"""The articles of a run's archive kept in a temporary file instead of in memory.

``mistok run`` reads an archive of any size. Each article is pickled into an
:class:`ArticleStore` as it is read, and the driver keeps only a :class:`StoredArticle` per
article: its id, language, date and source file, what pairing plans, cache keys and file
names need. A stage that needs an article's text reads it back (:meth:`ArticleStore.load`)
as the scheduler takes the work item, so only the items in flight hold texts.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple, overload

from aligner.document import Article
from mistok.result_spool import ResultSpool


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
    file goes away when the store is closed, or with the process. ``fingerprint`` makes each
    article's key (a SHA-256 hex digest, :meth:`key`) as it is kept, while its text is at
    hand; the keys are kept in memory, 32 bytes each. An article is kept as its field values
    with its source file as a number (one Path object per file): reading it back makes no
    Path."""

    def __init__(
        self,
        folder: Path | None = None,
        fingerprint: Callable[[Article], str] | None = None,
    ) -> None:
        self._fingerprint = fingerprint
        self._keys = bytearray()
        self._spool: ResultSpool[tuple[object, ...]] = ResultSpool(folder)
        # one Path object per source file, however many articles a file holds
        self._sources: list[Path | None] = [None]
        self._source_numbers: dict[Path | None, int] = {None: 0}

    def keep(self, article: Article) -> StoredArticle:
        """Put ``article`` in the store; what stands for it."""
        number = len(self._spool)
        source = self._source_numbers.setdefault(article.source, len(self._sources))
        if source == len(self._sources):
            self._sources.append(article.source)
        values = (article.id, article.lang, article.paragraphs, article.title, article.date)
        self._spool.put(number, (*values, article.url, source, dict(article.meta)))
        if self._fingerprint is not None:
            self._keys += bytes.fromhex(self._fingerprint(article))
        return StoredArticle(
            article.id, article.lang, article.date, self._sources[source], number
        )

    def load(self, stored: StoredArticle) -> Article:
        """The article ``stored`` stands for, read back."""
        *values, url, source, meta = self._spool.get(stored.number)
        return Article(*values, url=url, source=self._sources[source], meta=meta)  # type: ignore[arg-type]

    def key(self, stored: StoredArticle) -> str:
        """The key ``fingerprint`` made of the article (hex)."""
        start = stored.number * 32
        if start + 32 > len(self._keys):
            raise KeyError(f"no key for {stored.id!r}: the store was made without a fingerprint")
        return self._keys[start : start + 32].hex()

    def __len__(self) -> int:
        return len(self._spool)

    def close(self) -> None:
        self._spool.close()


class StoredArticles(Sequence[StoredArticle]):
    """One language's stand-ins, in the order given (a run's: by id), kept in a few arrays
    (about 40 bytes an article) instead of a tuple and its strings per article; each item is
    made when asked for. :meth:`ids` is the ids alone, for a search by id."""

    def __init__(self, lang: str, articles: Iterable[StoredArticle] = ()) -> None:
        self.lang = lang
        self._id_text = bytearray()
        self._id_ends = array("q")
        self._days = array("i")  # date ordinals; 0: no date
        self._sources: list[Path | None] = [None]
        self._source_numbers: dict[Path | None, int] = {None: 0}
        self._source_of = array("i")
        self._numbers = array("q")
        for article in articles:
            self._add(article)
        self._source_numbers = {}

    def _add(self, article: StoredArticle) -> None:
        if article.lang != self.lang:
            raise ValueError(f"{article.id!r} is {article.lang}, not {self.lang}")
        self._id_text += article.id.encode("utf-8", "surrogatepass")
        self._id_ends.append(len(self._id_text))
        self._days.append(article.date.toordinal() if article.date is not None else 0)
        source = self._source_numbers.setdefault(article.source, len(self._sources))
        if source == len(self._sources):
            self._sources.append(article.source)
        self._source_of.append(source)
        self._numbers.append(article.number)

    def __len__(self) -> int:
        return len(self._numbers)

    @overload
    def __getitem__(self, index: int) -> StoredArticle: ...
    @overload
    def __getitem__(self, index: slice) -> list[StoredArticle]: ...
    def __getitem__(self, index: int | slice) -> StoredArticle | list[StoredArticle]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        day = self._days[index]
        return StoredArticle(
            self._id(index),
            self.lang,
            dt.date.fromordinal(day) if day else None,
            self._sources[self._source_of[index]],
            self._numbers[index],
        )

    def _id(self, index: int) -> str:
        start = self._id_ends[index - 1] if index else 0
        return self._id_text[start : self._id_ends[index]].decode("utf-8", "surrogatepass")

    def ids(self) -> Sequence[str]:
        """The articles' ids, in order (each made when asked for)."""
        return _Ids(self)


class _Ids(Sequence[str]):
    """The ids of :class:`StoredArticles`, for a search by id without making the items."""

    def __init__(self, articles: StoredArticles) -> None:
        self._articles = articles

    def __len__(self) -> int:
        return len(self._articles)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._articles._id(index)
