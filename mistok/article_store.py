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
from dataclasses import dataclass
from pathlib import Path

from aligner.document import Article
from mistok.result_spool import ResultSpool


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """What the driver keeps of an article that lies in an :class:`ArticleStore`."""

    id: str
    lang: str
    date: dt.date | None
    source: Path | None
    #: its place in the store
    number: int
    #: what the store's ``fingerprint`` made of it ("" without one): a run's cache key
    key: str = ""


class ArticleStore:
    """Articles pickled one after another into an anonymous temporary file (in ``folder``,
    else the system's temporary folder), each read back by its :class:`StoredArticle`. The
    file goes away when the store is closed, or with the process. ``fingerprint`` makes each
    :attr:`StoredArticle.key` as the article is kept (while its text is at hand)."""

    def __init__(
        self,
        folder: Path | None = None,
        fingerprint: Callable[[Article], str] | None = None,
    ) -> None:
        self._fingerprint = fingerprint
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
        key = self._fingerprint(article) if self._fingerprint is not None else ""
        return StoredArticle(article.id, article.lang, article.date, source, number, key)

    def load(self, stored: StoredArticle) -> Article:
        """The article ``stored`` stands for, read back."""
        return self._spool.get(stored.number)

    def __len__(self) -> int:
        return len(self._spool)

    def close(self) -> None:
        self._spool.close()
