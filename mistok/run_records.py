"""The records of what ``mistok run`` is asked to do (:class:`RunSettings`) and what it read
(:class:`RunInputs`), shared by the driver (:mod:`mistok.local_engine`) and the writers
(:mod:`mistok.run_output`) without either importing the other."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.document import Article
from aligner.errors import InputError

if TYPE_CHECKING:
    from mistok.run_config import RunConfig

__all__ = ["RunInputs", "RunSettings"]


def _default_config() -> RunConfig:
    from mistok.run_config import RunConfig

    return RunConfig()


@dataclass(frozen=True)
class RunSettings:
    """What ``mistok run`` was asked to do.

    ``inputs`` is one folder (or JSON Lines file) holding both languages, or a Ukrainian and an
    English folder, in that order.
    """

    inputs: tuple[Path, ...]
    out: Path
    model: str | None = None
    #: The translation engine (``--mt-engine``): transformers or ct2. Where the stages run
    #: (``--engine local|ray``) is the scheduler's business and changes no output.
    mt_engine: str = "transformers"
    style: Path | None = None
    bridge: Path | None = None
    #: The unit of bitext.tmx, bitext.jsonl and dataset/: ``sentence`` or ``paragraph``.
    tm_unit: str = "sentence"
    #: A baseline file (``--baseline``): its findings are left out of the reports.
    baseline: Path | None = None
    #: The stages' settings (aligner, pairing, checks) of the run configuration
    #: (:mod:`mistok.run_config`); the defaults when none is given.
    config: RunConfig = field(default_factory=_default_config)

    def __post_init__(self) -> None:
        if len(self.inputs) not in (1, 2):
            raise InputError("give one folder with both languages, or UK_DIR and EN_DIR")


@dataclass(frozen=True)
class RunInputs:
    """The articles a run reads (sorted by id, frozen), and what could not be read."""

    uk: tuple[Article, ...]
    en: tuple[Article, ...]
    skipped: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    #: articles read as their declared language although the text looks like another
    language_mismatches: int = 0
