"""The shared document model: an article is a sequence of paragraphs in one language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType

__all__ = ["LANGUAGES", "Article"]

#: The languages mistok reads, as ``Article.lang`` spells them.
LANGUAGES = ("uk", "en")


@dataclass(frozen=True)
class Article:
    """One language version of a news article.

    ``paragraphs`` keeps the order of the source; a paragraph is never empty. ``meta`` holds
    any further front-matter fields as strings, in a read-only mapping (a copy of what was
    passed in). Articles compare and hash by value, and pickle and deep-copy (for worker
    processes).
    """

    id: str
    lang: str
    paragraphs: tuple[str, ...]
    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    source: Path | None = None
    meta: Mapping[str, str] = field(default_factory=dict, hash=False)  # a mapping has no hash

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(f"unsupported language {self.lang!r}; expected one of {LANGUAGES}")
        if not isinstance(self.paragraphs, tuple):
            object.__setattr__(self, "paragraphs", tuple(self.paragraphs))
        if any(not p.strip() for p in self.paragraphs):
            raise ValueError(f"article {self.id!r} has an empty paragraph")
        # a private copy: neither the caller's dict nor anyone else can change it afterwards
        object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))

    def __reduce__(self) -> tuple[type[Article], tuple[object, ...]]:
        # a mappingproxy cannot be pickled: rebuild from the field values, meta as a plain dict
        values = (
            dict(self.meta) if f.name == "meta" else getattr(self, f.name) for f in fields(self)
        )
        return type(self), tuple(values)

    @property
    def text(self) -> str:
        """The paragraphs joined by blank lines."""
        return "\n\n".join(self.paragraphs)

    def __len__(self) -> int:
        return len(self.paragraphs)
