"""The articles of a run's archive kept in a temporary file instead of in memory.

``mistok run`` reads an archive of any size. Each article is pickled into an
:class:`ArticleStore` as it is read, and the driver keeps only a :class:`StoredArticle` per
article: its id, language, date and source file, what pairing plans, cache keys and file
names need. A stage that needs an article's text reads it back (:meth:`ArticleStore.load`)
as the scheduler takes the work item, so only the items in flight hold texts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

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
    hand; the keys are kept in memory, 32 bytes each."""

    def __init__(
        self,
        folder: Path | None = None,
        fingerprint: Callable[[Article], str] | None = None,
    ) -> None:
        self._fingerprint = fingerprint
        self._keys = bytearray()
        self._spool: ResultSpool[Article] = ResultSpool(folder)
        # one Path object per source file, however many articles a file holds
        self._sources: dict[Path, Path] = {}

    def keep(self, article: Article) -> StoredArticle:
        """Put ``article`` in the store; what stands for it."""
        number = len(self._spool)
        self._spool.put(number, article)
        source = article.source
        if source is not None:
            source = self._sources.setdefault(source, source)
        if self._fingerprint is not None:
            self._keys += bytes.fromhex(self._fingerprint(article))
        return StoredArticle(article.id, article.lang, article.date, source, number)

    def load(self, stored: StoredArticle) -> Article:
        """The article ``stored`` stands for, read back."""
        return self._spool.get(stored.number)

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
