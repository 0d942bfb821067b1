"""Reading a translation bridge from files: the one reader of ``mistok align``, ``check``,
``pair`` and ``run``.

A bridge is an English machine translation of a Ukrainian article, paragraph by paragraph:

- a file: ``.json`` holding a list of strings (one per Ukrainian paragraph), or text (``.txt``,
  ``.md``, anything else) with paragraphs separated by blank lines;
- a folder (``pair`` and ``run``, one bridge per Ukrainian article): ``<uk id>.json`` or
  ``<uk id>.txt``, or the same named after the article's source file.

The paragraphs read are an :data:`aligner.alignment.Bridge` for one article; a folder gives one
per Ukrainian article id.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from aligner.document import Article
from aligner.errors import InputError
from aligner.readers import read_text, split_paragraphs

__all__ = [
    "BRIDGE_SUFFIXES",
    "BridgeFolder",
    "check_bridge_length",
    "read_bridge_file",
    "read_bridge_folder",
    "read_pair_bridge",
]

#: The file types a bridge folder is searched for, in this order.
BRIDGE_SUFFIXES = (".json", ".txt")


def read_bridge_file(path: Path) -> tuple[str, ...]:
    """The paragraphs of one bridge file: a ``.json`` list of strings, or text with
    paragraphs separated by blank lines. Raises :class:`InputError` naming the file."""
    path = Path(path)
    text = read_text(path)
    if path.suffix.lower() != ".json":
        return tuple(split_paragraphs(text, markdown=path.suffix.lower() == ".md"))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(
            f"{path}: malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}"
        ) from None
    if not isinstance(data, list) or not all(isinstance(p, str) for p in data):
        raise InputError(
            f"{path}: a JSON bridge must be a list of strings, one English paragraph per "
            "Ukrainian paragraph"
        )
    return tuple(data)


def check_bridge_length(paragraphs: Sequence[str], path: Path, uk: Article) -> None:
    """Refuse a bridge whose paragraphs are not one per paragraph of ``uk``."""
    if len(paragraphs) != len(uk.paragraphs):
        raise InputError(
            f"{path}: the bridge has {len(paragraphs)} paragraphs but {uk.source or uk.id} has "
            f"{len(uk.paragraphs)}; give one English paragraph per Ukrainian paragraph"
        )


def read_pair_bridge(path: Path, uk: Article) -> tuple[str, ...]:
    """The bridge of one Ukrainian article (``align`` and ``check`` of a pair): one English
    paragraph per paragraph of ``uk``."""
    paragraphs = read_bridge_file(path)
    check_bridge_length(paragraphs, path, uk)
    return paragraphs


@dataclass(frozen=True)
class BridgeFolder:
    """The bridges found in a folder: paragraphs by Ukrainian article id, and one note per
    file that could not be used (and one when no file matches)."""

    paragraphs: Mapping[str, tuple[str, ...]]
    notes: tuple[str, ...] = field(default=())

    def texts(self) -> dict[str, str]:
        """English text per Ukrainian article id (paragraphs joined by a blank line), as
        pairing takes it."""
        return {uk_id: "\n\n".join(pars) for uk_id, pars in self.paragraphs.items()}


def _bridge_path(folder: Path, article: Article) -> Path | None:
    stems = [article.id]
    if article.source is not None and article.source.stem != article.id:
        stems.append(article.source.stem)
    names = sorted(f"{stem}{suffix}" for stem in stems for suffix in BRIDGE_SUFFIXES)
    return next((folder / n for n in names if (folder / n).is_file()), None)


def read_bridge_folder(folder: Path, uk: Sequence[Article]) -> BridgeFolder:
    """The bridge of each Ukrainian article found in ``folder`` (``pair`` and ``run``).

    An unreadable or empty file is a note, not an error: the article goes without a bridge.
    Raises :class:`InputError` when ``folder`` is not a folder.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(
            f"--bridge {folder}: not a folder; give a folder of <uk id>.txt or <uk id>.json files"
        )
    found: dict[str, tuple[str, ...]] = {}
    notes: list[str] = []
    read = 0
    for article in uk:
        path = _bridge_path(folder, article)
        if path is None:
            continue
        try:
            paragraphs = read_bridge_file(path)
        except InputError as err:
            notes.append(f"bridge skipped: {err}")
            continue
        read += 1
        if paragraphs:
            found[article.id] = paragraphs
    if uk and not read:
        notes.append(
            f"--bridge {folder}: no bridge file matches a Ukrainian article (expected <uk id>.txt "
            f"or <uk id>.json, e.g. {uk[0].id}.txt)"
        )
    elif read and not found:
        notes.append(f"--bridge {folder}: the matching files are empty; running without a bridge")
    return BridgeFolder(found, tuple(notes))
