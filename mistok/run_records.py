"""The records of ``mistok run``: what a run is asked to do (:class:`RunSettings`), what it
read (:class:`RunInputs`), and what each stage produces (a pairing, aligned pairs, translation
requests and drafts, bitext rows, the checks' verdict on a pair).

They are shared by the driver (:mod:`mistok.pipeline`), the exporters (:mod:`mistok.export`)
and the review application, so they sit below all three. Stage results convert to and from
JSON-ready dicts (``to_dict`` / ``from_dict``) so that they can be cached on disk, and they
pickle (their read-only mappings as plain dicts) so that they can be shipped between processes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, ClassVar

from aligner.alignment import Alignment, Bead
from aligner.document import Article
from aligner.errors import InputError

if TYPE_CHECKING:
    from mistok.article_store import (
        ArticlesInFile,
        ArticleStore,
        PackedArticles,
        StoredArticle,
        StoredArticles,
    )
    from mistok.run_config import RunConfig


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
    #: Whether the run's summary carries every finding's baseline entry
    #: (:attr:`mistok.pipeline.state.RunSummary.baseline_entries`, what ``--write-baseline``
    #: records); without it that tuple stays empty, as an archive's findings are many.
    record_baseline: bool = False

    def __post_init__(self) -> None:
        if len(self.inputs) not in (1, 2):
            raise InputError("give one folder with both languages, or UK_DIR and EN_DIR")


@dataclass(frozen=True)
class RunInputs:
    """The articles a run reads (sorted by id, frozen), and what could not be read. Each
    article lies in ``store``; ``uk`` and ``en`` hold what stands for it."""

    uk: StoredArticles
    en: StoredArticles
    skipped: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    #: articles read as their declared language although the text looks like another
    language_mismatches: int = 0
    store: ArticleStore | None = None

    def load(self, stored: StoredArticle) -> Article:
        """The article ``stored`` stands for, read back from the store."""
        assert self.store is not None, "the read step keeps the articles in a store"
        return self.store.load(stored)

    def pack(
        self, numbers: Iterable[int], *, shared: bool = False
    ) -> PackedArticles | ArticlesInFile:
        """The articles of these places in the store, for a worker process: packed
        (:meth:`ArticleStore.pack`), or, ``shared``, where they lie in the store's file
        (:meth:`ArticleStore.places`; the store shared first, :meth:`ArticleStore.share`)."""
        assert self.store is not None, "the read step keeps the articles in a store"
        return self.store.places(numbers) if shared else self.store.pack(numbers)

    def key(self, stored: StoredArticle) -> str:
        """The fingerprint of the article ``stored`` stands for (what its results are cached
        by), made as it was read."""
        assert self.store is not None, "the read step keeps the articles in a store"
        return self.store.key(stored)


# -- stage results -------------------------------------------------------------------------

_UNSAFE_NAME = re.compile(r"[^\w.-]+")

#: The most UTF-8 bytes of an article id kept in a file name (a pair's name holds two).
STEM_BYTES = 100


def _frozen(mapping: Mapping | None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


class _ReadOnlyMappings:
    """For frozen dataclasses: the fields named in ``_mappings`` hold a read-only copy of what
    was given, and pickle as plain dicts (a ``mappingproxy`` cannot be pickled)."""

    _mappings: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        for name in self._mappings:
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        values = (
            dict(getattr(self, f.name)) if f.name in self._mappings else getattr(self, f.name)
            for f in fields(self)  # type: ignore[arg-type]
        )
        return type(self), tuple(values)


def file_stem(article_id: str) -> str:
    """An article id made safe for a file name, one-to-one.

    An id that is a safe, short file name already (a file stem) is used as it is. Otherwise
    ``/``, spaces and the like become ``_``, the result is cut to :data:`STEM_BYTES`, and a
    hash of the id is added, so that two ids never share a file (``a/b`` and ``a_b``) and a
    pair's file name (two stems) stays within the usual 255-byte limit (a URL for an id).
    """
    safe = _UNSAFE_NAME.sub("_", article_id).strip(".") or "_"
    if safe == article_id and len(safe.encode("utf-8")) <= STEM_BYTES:
        return safe
    cut = safe.encode("utf-8")[:STEM_BYTES].decode("utf-8", errors="ignore")
    return f"{cut}-{hashlib.sha256(article_id.encode('utf-8')).hexdigest()[:10]}"


def article_fingerprint(article: Article) -> dict[str, object]:
    """What of an article changes the results: the cache key material of per-article work."""
    return {
        "id": article.id,
        "lang": article.lang,
        "paragraphs": list(article.paragraphs),
        "title": article.title,
        "date": article.date.isoformat() if article.date else None,
        "url": article.url,
    }


# -- records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairLink(_ReadOnlyMappings):
    """One pairing decision: a Ukrainian and an English article that tell the same story."""

    _mappings = ("signals",)

    uk_id: str
    en_id: str
    confidence: float
    signals: Mapping[str, float] = field(default_factory=dict)

    @property
    def pair_id(self) -> str:
        """The pair's name in file names: ``<uk stem>__<en stem>`` (see :func:`file_stem`)."""
        return f"{file_stem(self.uk_id)}__{file_stem(self.en_id)}"

    def to_dict(self) -> dict[str, object]:
        return {
            "uk": self.uk_id,
            "en": self.en_id,
            "confidence": self.confidence,
            "signals": dict(self.signals),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> PairLink:
        return cls(
            str(data["uk"]),
            str(data["en"]),
            float(data["confidence"]),  # type: ignore[arg-type]
            data.get("signals") or {},  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class Pairing:
    """The pairing of an archive: pairs, the articles left without a counterpart, settings.
    ``pairs`` is a tuple, or a spool of them (:class:`mistok.result_spool.ResultSpool`) in a
    run, which keeps a large archive's pairs on disk."""

    pairs: Sequence[PairLink]
    unpaired_uk: tuple[str, ...]
    unpaired_en: tuple[str, ...]
    signature: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "pairs": [p.to_dict() for p in self.pairs],
            "unpaired_uk": list(self.unpaired_uk),
            "unpaired_en": list(self.unpaired_en),
            "signature": self.signature,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Pairing:
        return cls(
            tuple(PairLink.from_dict(p) for p in data["pairs"]),  # type: ignore[union-attr]
            tuple(data["unpaired_uk"]),  # type: ignore[arg-type]
            tuple(data["unpaired_en"]),  # type: ignore[arg-type]
            str(data.get("signature", "")),
        )

    def tsv_lines(self) -> Iterator[str]:
        """The lines (without their newlines) of the ``mistok pair --format tsv`` contract:
        header ``uk<TAB>en``, ``-`` for none; one at a time (an archive's pairs are spooled)."""
        yield "uk\ten"
        yield from (f"{p.uk_id}\t{p.en_id}" for p in self.pairs)
        yield from (f"{uk}\t-" for uk in self.unpaired_uk)
        yield from (f"-\t{en}" for en in self.unpaired_en)


@dataclass(frozen=True)
class ArticlePair:
    """Both versions of one story, as paired: the input of the per-pair stages."""

    uk: Article
    en: Article
    link: PairLink
    #: English machine translation of each Ukrainian paragraph, when one is at hand.
    bridge: tuple[str, ...] | None = None

    @property
    def pair_id(self) -> str:
        return self.link.pair_id

    @property
    def usable_bridge(self) -> tuple[str, ...] | None:
        """The bridge when it has one English paragraph per Ukrainian one, else ``None``."""
        if self.bridge and len(self.bridge) == len(self.uk.paragraphs):
            return self.bridge
        return None


@dataclass(frozen=True)
class AlignedPair:
    """An article pair with its paragraph alignment."""

    pair: ArticlePair
    alignment: Alignment

    @property
    def pair_id(self) -> str:
        return self.pair.pair_id

    @property
    def one_sided_paragraphs(self) -> int:
        """How many paragraphs of either article the alignment leaves without a counterpart."""
        return sum(len(b.uk) + len(b.en) for b in self.alignment.beads if b.is_one_sided)

    def alignment_dict(self) -> dict[str, object]:
        """The ``alignments/<pair>.json`` content: beads with scores and the signature."""
        return {
            "uk": self.pair.uk.id,
            "en": self.pair.en.id,
            "confidence": self.pair.link.confidence,
            "n_uk": self.alignment.n_uk,
            "n_en": self.alignment.n_en,
            "beads": [
                {"uk": list(b.uk), "en": list(b.en), "score": b.score, "confidence": b.confidence}
                for b in self.alignment.beads
            ],
            "signature": self.alignment.signature(),
        }


@dataclass(frozen=True)
class PairToCheck:
    """An aligned pair as the check stage takes it: with the lines of both articles' source
    files, read by the driver (the findings' line numbers come from them), so that a worker
    that cannot see the files — in another folder, on another machine — numbers the same
    lines. None: no source file to number from (not a ``.txt``/``.md`` file, or unreadable)."""

    aligned: AlignedPair
    uk_lines: tuple[str, ...] | None = None
    en_lines: tuple[str, ...] | None = None

    def source_lines(self) -> dict[tuple[str, str], tuple[str, ...] | None]:
        """The lines by (article id, language), as :func:`eval.runner.check_pair` takes them."""
        pair = self.aligned.pair
        return {(pair.uk.id, "uk"): self.uk_lines, (pair.en.id, "en"): self.en_lines}


@dataclass(frozen=True)
class PairWork:
    """What is left to do for one pair in the per-pair stage (align → bitext → check, one
    task): its alignment when it is known (cached, or set by a person in ``mistok review``;
    ``None``: align it), whether its bitext rows and its checks are needed, for the checks
    the lines of both articles' source files (see :class:`PairToCheck`), else its cached
    verdict."""

    pair: ArticlePair
    alignment: Alignment | None = None
    bitext: bool = True
    check: bool = True
    uk_lines: tuple[str, ...] | None = None
    en_lines: tuple[str, ...] | None = None
    #: the cached verdict (:meth:`PairCheck.without_page`) when the checks are not redone
    verdict: PairCheck | None = None


@dataclass(frozen=True)
class PairOutcome:
    """The per-pair stage's results for one pair, encoded where they were computed as the
    driver stores them: JSON text for the result cache (``*_json``, ``None`` for what was not
    computed) and pickles for the run's spools, so that the driver only writes bytes.

    ``alignment_file`` is the text of ``alignments/<pair>.json``, ``rows`` the pickled
    :class:`PairBitext`, ``verdict`` the pickled :meth:`PairCheck.without_page`, ``page``
    the pair's review page (HTML) and ``report`` the pickled piece of the archive-wide
    reports (:class:`mistok.pipeline.report.PairReportPiece`). Every stage works on the
    alignment as a rerun reads it back from the cache."""

    alignment_file: str
    beads: int
    one_sided: int
    requests: tuple[TranslationRequest, ...]
    alignment_json: str | None = None
    rows: bytes | None = None
    row_count: int = 0
    rows_json: str | None = None
    verdict: bytes | None = None
    verdict_json: str | None = None
    page: str = ""
    report: bytes = b""


def alignment_from_dict(data: Mapping[str, object]) -> Alignment:
    """The inverse of :meth:`AlignedPair.alignment_dict` (the settings come back as one
    ``signature`` string)."""
    beads = tuple(
        Bead(
            tuple(b["uk"]),  # type: ignore[index]
            tuple(b["en"]),  # type: ignore[index]
            float(b["score"]),  # type: ignore[index]
            float(b.get("confidence", 1.0)),  # type: ignore[union-attr]
        )
        for b in data["beads"]  # type: ignore[union-attr]
    )
    settings = dict(
        part.split(":", 1) for part in str(data.get("signature", "")).split("|") if ":" in part
    )
    return Alignment(beads, int(data["n_uk"]), int(data["n_en"]), settings)  # type: ignore[arg-type]


@dataclass(frozen=True)
class TranslationRequest:
    """Paragraphs that exist in one language only and need a draft in the other.

    ``pair_id`` is ``None`` for a whole article without a counterpart; otherwise the request
    holds the one-sided paragraphs of that pair.
    """

    article_id: str
    src: str
    tgt: str
    indices: tuple[int, ...]
    texts: tuple[str, ...]
    pair_id: str | None = None

    @property
    def kind(self) -> str:
        return "article" if self.pair_id is None else "paragraphs"

    @property
    def draft_name(self) -> str:
        """The file under ``drafts/`` that holds this request's draft."""
        if self.pair_id is None:
            return f"{file_stem(self.article_id)}.{self.tgt}.txt"
        return f"{self.pair_id}.{self.tgt}.json"

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "article": self.article_id,
            "src": self.src,
            "tgt": self.tgt,
            "paragraphs": list(self.indices),
            "pair": self.pair_id,
        }


@dataclass(frozen=True)
class Draft:
    """A machine translation of a request: never to be published without a person's review."""

    request: TranslationRequest
    texts: tuple[str, ...]
    model: str
    #: What the translator flagged, one line each (``¶ 9: russian: ...``, numbered as the
    #: paragraphs of the source article): output worth a closer look.
    issues: tuple[str, ...] = ()


#: The units of a translation memory: sentences inside paragraph beads, or whole beads.
TM_UNITS = ("sentence", "paragraph")


@dataclass(frozen=True)
class BitextRow:
    """One translation-memory unit: a sentence bead inside a two-sided paragraph bead
    (``segtype="sentence"``), or the paragraph bead itself (``segtype="paragraph"``).

    ``bead`` numbers the paragraph bead in the pair's alignment; a sentence unit also has
    ``sentence_bead``, its number inside that paragraph bead, and in ``uk_sentences`` /
    ``en_sentences`` the index of each of its sentences within its paragraph (document order;
    ``uk_paragraphs`` / ``en_paragraphs`` then list the paragraphs those sentences are in).
    """

    pair_id: str
    uk_id: str
    en_id: str
    bead: int
    uk_paragraphs: tuple[int, ...]
    en_paragraphs: tuple[int, ...]
    uk: str
    en: str
    score: float
    pair_confidence: float
    segtype: str = "paragraph"
    sentence_bead: int | None = None
    uk_sentences: tuple[int, ...] = ()
    en_sentences: tuple[int, ...] = ()

    @property
    def unit_id(self) -> str:
        """The unit's id, unique in a run: ``<pair>#<bead>``, or for a sentence unit
        ``<pair>#<bead>.<sentence bead>``."""
        if self.sentence_bead is None:
            return f"{self.pair_id}#{self.bead}"
        return f"{self.pair_id}#{self.bead}.{self.sentence_bead}"

    def to_dict(self) -> dict[str, object]:
        return {
            "pair": self.pair_id,
            "uk_id": self.uk_id,
            "en_id": self.en_id,
            "bead": self.bead,
            "uk_paragraphs": list(self.uk_paragraphs),
            "en_paragraphs": list(self.en_paragraphs),
            "uk": self.uk,
            "en": self.en,
            "score": self.score,
            "pair_confidence": self.pair_confidence,
            "segtype": self.segtype,
            "sentence_bead": self.sentence_bead,
            "uk_sentences": list(self.uk_sentences),
            "en_sentences": list(self.en_sentences),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> BitextRow:
        """The row that :meth:`to_dict` gave (a cached result of the bitext stage)."""
        return cls(
            pair_id=str(data["pair"]),
            uk_id=str(data["uk_id"]),
            en_id=str(data["en_id"]),
            bead=int(data["bead"]),  # type: ignore[arg-type]
            uk_paragraphs=tuple(data["uk_paragraphs"]),  # type: ignore[arg-type]
            en_paragraphs=tuple(data["en_paragraphs"]),  # type: ignore[arg-type]
            uk=str(data["uk"]),
            en=str(data["en"]),
            score=float(data["score"]),  # type: ignore[arg-type]
            pair_confidence=float(data["pair_confidence"]),  # type: ignore[arg-type]
            segtype=str(data["segtype"]),
            sentence_bead=data["sentence_bead"],  # type: ignore[arg-type]
            uk_sentences=tuple(data["uk_sentences"]),  # type: ignore[arg-type]
            en_sentences=tuple(data["en_sentences"]),  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class PairBitext:
    """One pair's bitext rows, with their lines of ``bitext.jsonl`` and their translation
    units of ``bitext.tmx`` already rendered (where the pair was aligned): the archive-wide
    files are then these pieces joined in pair order."""

    rows: tuple[BitextRow, ...]
    jsonl: str
    tmx: str


@dataclass(frozen=True)
class PairCheck(_ReadOnlyMappings):
    """The checks' verdict on one aligned pair, already rendered for its outputs."""

    _mappings = ("counts", "report")

    pair_id: str
    counts: Mapping[str, int]
    report: Mapping[str, object]
    html: str
    junit: str

    def to_dict(self) -> dict[str, object]:
        return {
            "pair": self.pair_id,
            "counts": dict(self.counts),
            "report": dict(self.report),
            "html": self.html,
            "junit": self.junit,
        }

    def without_page(self) -> PairCheck:
        """This verdict without its review page and with only the findings and signature of
        its report: what the archive-wide outputs (``report.json``, ``junit.xml``) use, a
        fraction of the memory (the report also holds both articles' texts). The consistency
        scores stay: report.json gives them per pair and pooled for the archive."""
        kept = {
            k: self.report[k]
            for k in ("findings", "signature", "scores", "suppressed")
            if k in self.report
        }
        return replace(self, html="", report=kept)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> PairCheck:
        return cls(
            str(data["pair"]),
            data["counts"],  # type: ignore[arg-type]
            data["report"],  # type: ignore[arg-type]
            str(data["html"]),
            str(data["junit"]),
        )
