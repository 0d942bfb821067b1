"""The stages of ``mistok run`` as pure functions over records.

read → pair → align → translate → check → export. Each stage takes records and returns records;
none of them touches files, prints or keeps state, so any scheduler can run them: the local
engine (:mod:`mistok.local_engine`) loops over them in one process, a cluster engine can map
them over partitions. The per-pair stages (:func:`align_pair`,
:func:`one_sided_paragraph_requests`, :func:`check_aligned_pair`, :func:`bitext_rows`) look at
one pair only; pairing works on date partitions of the archive (:func:`pairing_partitions`,
:func:`pair_partition`), and :func:`merge_pairing` is the one step that sees all of them (their
pairs, not their articles).

Records convert to and from JSON-ready dicts (``to_dict`` / ``from_dict``) so that a stage's
result can be cached on disk, and they pickle (their read-only mappings as plain dicts) so that
they can be shipped between processes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, ClassVar

from aligner.alignment import Alignment, Bead
from aligner.document import Article

if TYPE_CHECKING:  # imported where used: numpy and scipy load with the pairing
    from aligner.align import AlignerSettings
    from aligner.pairing import PairingSettings
    from aligner.pairing_partitions import PairingPartition, PartitionPairs

#: Paragraphs of one side of a 2-1 or 1-2 bead are joined with this to make one segment.
BEAD_JOINER = " "

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
    """The pairing of an archive: pairs, the articles left without a counterpart, settings."""

    pairs: tuple[PairLink, ...]
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

    def tsv(self) -> str:
        """The ``mistok pair --format tsv`` contract: header ``uk<TAB>en``, ``-`` for none."""
        rows = ["uk\ten"]
        rows += [f"{p.uk_id}\t{p.en_id}" for p in self.pairs]
        rows += [f"{uk}\t-" for uk in self.unpaired_uk]
        rows += [f"-\t{en}" for en in self.unpaired_en]
        return "\n".join(rows) + "\n"


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


# -- stages ----------------------------------------------------------------------------------


def pairing_partitions(
    uk: Sequence[Article],
    en: Sequence[Article],
    bridge: Mapping[str, str] | None = None,
    settings: PairingSettings | None = None,
) -> list[PairingPartition]:
    """The date partitions that pairing works on, each paired on its own by
    :func:`pair_partition` (one partition for an archive that spans a few months or has
    undated articles; see :mod:`aligner.pairing_partitions`).

    ``bridge`` maps a Ukrainian article id to the English machine translation of its text.
    """
    from aligner.pairing_partitions import plan_partitions

    bridge = dict(bridge) if bridge else None
    if settings is None:
        return plan_partitions(list(uk), list(en), bridge)
    return plan_partitions(list(uk), list(en), bridge, settings)


def pair_partition(
    partition: PairingPartition, settings: PairingSettings | None = None
) -> PartitionPairs:
    """Pair the articles of one partition (a stage that a cluster runs as one task)."""
    from aligner.pairing_partitions import pair_partition as pair_one

    return pair_one(partition) if settings is None else pair_one(partition, settings)


def merge_pairing(
    results: Sequence[PartitionPairs],
    uk_ids: Sequence[str],
    en_ids: Sequence[str],
    settings: PairingSettings | None = None,
) -> tuple[Pairing, list[str]]:
    """The archive's pairing from its partitions' (in any order), and the warnings met while
    pairing them (each once)."""
    from aligner.pairing_partitions import merge_partitions

    ordered = sorted(results, key=lambda r: r.number)
    if settings is None:
        result = merge_partitions(ordered, list(uk_ids), list(en_ids))
    else:
        result = merge_partitions(ordered, list(uk_ids), list(en_ids), settings)
    links = tuple(
        PairLink(
            str(p.uk),
            str(p.en),
            round(float(p.confidence), 6),
            {k: round(float(v), 6) for k, v in p.signals.items()},
        )
        for p in result.pairs
    )
    pairing = Pairing(
        pairs=tuple(sorted(links, key=lambda p: (p.uk_id, p.en_id))),
        unpaired_uk=tuple(sorted(result.unpaired_uk)),
        unpaired_en=tuple(sorted(result.unpaired_en)),
        signature=str(result.signature),
    )
    notes = list(dict.fromkeys(message for r in ordered for message in r.warnings))
    return pairing, notes


def align_pair(pair: ArticlePair, settings: AlignerSettings | None = None) -> AlignedPair:
    """Align the paragraphs of one pair (with its bridge when the bridge fits paragraph by
    paragraph)."""
    from aligner.align import align_paragraphs

    alignment = align_paragraphs(pair.uk, pair.en, bridge=pair.usable_bridge, settings=settings)
    return AlignedPair(pair, alignment)


def one_sided_paragraph_requests(aligned: AlignedPair) -> list[TranslationRequest]:
    """The one-sided paragraphs of an aligned pair, as requests for a draft (at most one per
    direction)."""
    uk, en = aligned.pair.uk, aligned.pair.en
    only_uk = sorted(i for b in aligned.alignment.beads if not b.en for i in b.uk)
    only_en = sorted(j for b in aligned.alignment.beads if not b.uk for j in b.en)
    requests = []
    if only_uk:
        texts = tuple(uk.paragraphs[i] for i in only_uk)
        requests.append(
            TranslationRequest(uk.id, "uk", "en", tuple(only_uk), texts, aligned.pair_id)
        )
    if only_en:
        texts = tuple(en.paragraphs[j] for j in only_en)
        requests.append(
            TranslationRequest(en.id, "en", "uk", tuple(only_en), texts, aligned.pair_id)
        )
    return requests


def article_request(article: Article) -> TranslationRequest:
    """A whole article without a counterpart, as a request for a draft in the other language."""
    tgt = "en" if article.lang == "uk" else "uk"
    indices = tuple(range(len(article.paragraphs)))
    return TranslationRequest(article.id, article.lang, tgt, indices, article.paragraphs)


def translate_requests(
    requests: Sequence[TranslationRequest],
    translate: Callable[[list[str], str, str], object],
    model: str,
) -> list[Draft]:
    """Draft every request with ``translate(texts, src, tgt)``, batching by direction.

    ``translate`` returns the translations, or a result with ``texts`` and ``report.issues``
    (as :meth:`models.Translator.translate_with_report` does); each issue's ``paragraph``
    indexes the texts it was given, and the issue goes to the draft of the request that holds
    that paragraph.
    """
    drafts: list[Draft | None] = [None] * len(requests)
    for src, tgt in sorted({(r.src, r.tgt) for r in requests}):
        chosen = [i for i, r in enumerate(requests) if (r.src, r.tgt) == (src, tgt)]
        owners = [(i, local) for i in chosen for local in range(len(requests[i].texts))]
        result = translate([requests[i].texts[local] for i, local in owners], src, tgt)
        out = list(getattr(result, "texts", result))  # type: ignore[call-overload]
        if len(out) != len(owners):
            raise ValueError(f"translator returned {len(out)} texts for {len(owners)}")
        issues: dict[int, list[str]] = {}
        for issue in getattr(getattr(result, "report", None), "issues", ()):
            i, local = owners[issue.paragraph]
            where = requests[i].indices[local]
            issues.setdefault(i, []).append(f"¶ {where}: {issue.kind}: {issue.message}")
        start = 0
        for i in chosen:
            n = len(requests[i].texts)
            text = tuple(out[start : start + n])
            drafts[i] = Draft(requests[i], text, model, tuple(issues.get(i, ())))
            start += n
    return [d for d in drafts if d is not None]


def bitext_rows(aligned: AlignedPair, unit: str = "sentence") -> list[BitextRow]:
    """The two-sided beads of a pair as bitext rows: with ``unit="sentence"`` (the default)
    the sentence beads inside each two-sided paragraph bead (:mod:`aligner.sentences`), with
    ``unit="paragraph"`` the paragraph beads. One-sided beads are no bitext: they are reported
    as findings and drafted instead."""
    if unit not in TM_UNITS:
        raise ValueError(f"unknown translation-memory unit {unit!r}; use one of {TM_UNITS}")
    if unit == "sentence":
        return _sentence_rows(aligned)
    uk, en = aligned.pair.uk, aligned.pair.en
    rows = []
    for number, bead in enumerate(aligned.alignment.beads):
        if bead.is_one_sided:
            continue
        rows.append(
            BitextRow(
                pair_id=aligned.pair_id,
                uk_id=uk.id,
                en_id=en.id,
                bead=number,
                uk_paragraphs=bead.uk,
                en_paragraphs=bead.en,
                uk=BEAD_JOINER.join(uk.paragraphs[i] for i in bead.uk),
                en=BEAD_JOINER.join(en.paragraphs[j] for j in bead.en),
                score=float(bead.score),
                pair_confidence=aligned.pair.link.confidence,
            )
        )
    return rows


def _sentence_rows(aligned: AlignedPair) -> list[BitextRow]:
    from aligner.sentences import align_bead_sentences, sentence_numbers

    uk, en = aligned.pair.uk, aligned.pair.en
    rows = []
    for inside in align_bead_sentences(uk.paragraphs, en.paragraphs, aligned.alignment):
        uk_numbers, en_numbers = sentence_numbers(inside.uk), sentence_numbers(inside.en)
        for number, bead, uk_text, en_text in inside.pairs():
            rows.append(
                BitextRow(
                    pair_id=aligned.pair_id,
                    uk_id=uk.id,
                    en_id=en.id,
                    bead=inside.paragraph_bead,
                    uk_paragraphs=tuple(sorted({inside.uk[i].paragraph for i in bead.uk})),
                    en_paragraphs=tuple(sorted({inside.en[j].paragraph for j in bead.en})),
                    uk=uk_text,
                    en=en_text,
                    score=bead.score,
                    pair_confidence=aligned.pair.link.confidence,
                    segtype="sentence",
                    sentence_bead=number,
                    uk_sentences=tuple(uk_numbers[i] for i in bead.uk),
                    en_sentences=tuple(en_numbers[j] for j in bead.en),
                )
            )
    return rows


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


def check_aligned_pair(
    aligned: AlignedPair,
    style: object | None = None,
    style_id: str | None = None,
    baseline: object | None = None,
    checks: Mapping[str, Mapping[str, object]] | None = None,
    score: Mapping[str, object] | None = None,
) -> PairCheck:
    """Run every pair check of the evaluator over one aligned pair and render its report
    (JSON, HTML review page, JUnit); findings recorded in ``baseline`` (an
    :class:`eval.baseline.Baseline`) are left out of them."""
    from eval.baseline import apply_baseline
    from eval.consistency_score import ScoreSettings
    from eval.rendering import render
    from eval.runner import check_pair as evaluate_pair

    pair = aligned.pair
    report = evaluate_pair(
        pair.uk,
        pair.en,
        alignment=aligned.alignment,
        bridge=pair.usable_bridge,
        style=style,
        style_id=style_id,
        settings=checks,
        score_settings=ScoreSettings.from_mapping(score) if score else None,
    )
    # a run's files are the same bytes on every engine and on a resumed run: no clock times
    report = apply_baseline(replace(report, timings={}), baseline)  # type: ignore[arg-type]
    return PairCheck(
        pair_id=aligned.pair_id,
        counts=report.counts(),
        report=report.to_dict(),
        html=render(report, "html"),
        junit=render(report, "junit"),
    )
