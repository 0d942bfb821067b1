"""The consistency score as an MT metric beside BLEU, chrF and TER: a document-level test set
(hypothesis segments with their document ids, optionally the source segments) gets a corpus
score with its signature and one score per document, so MT systems can be compared on it.

Per document (the segments of one id, in order, as the paragraphs of one article):
- **names**: the consistency of the names of an English hypothesis and, with sources, of the
  renderings of each source name (:mod:`eval.name_renderings`; every segment is a two-sided
  bead): a Ukrainian name's English spellings (uk→en), or an English name's Ukrainian lemmas
  (en→uk: a Ukrainian hypothesis is scored through its sources only);
- **numbers** (with sources): the share of number and date mentions that agree, segment by
  segment.
Coverage and adequacy need the articles' own alignment and a bridge; they are not part of
this metric. The corpus score treats the whole test set as one archive: a name spelled
*Kyiv* in one document and *Kiev* in another is inconsistent there, not in either document.

    from eval.consistency_metric import corpus_consistency
    result = corpus_consistency(hypotheses, doc_ids, sources)
    result.corpus.overall, {doc: s.overall for doc, s in result.documents.items()}
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aligner.alignment import Alignment, Bead
from aligner.document import Article
from aligner.errors import InputError
from aligner.language import detect_language
from eval.consistency_score import (
    ComponentScore,
    ConsistencyScore,
    ScoreSettings,
    names_component,
    numbers_component,
    score_signature,
)

__all__ = ["CorpusConsistency", "corpus_consistency"]


@dataclass(frozen=True)
class CorpusConsistency:
    """The corpus score and each document's score, in first-seen document order."""

    corpus: ConsistencyScore
    documents: dict[str, ConsistencyScore]
    hypothesis_lang: str

    def to_dict(self) -> dict[str, object]:
        """``{"score", "signature", "components", "documents": {id: {...}}}`` (JSON)."""
        return {
            "score": _round(self.corpus.overall),
            "signature": self.corpus.signature,
            "components": {n: _round(c.score) for n, c in self.corpus.components.items()},
            "documents": {
                doc: {
                    "score": _round(s.overall),
                    "components": {n: _round(c.score) for n, c in s.components.items()},
                }
                for doc, s in self.documents.items()
            },
        }

    def text(self) -> str:
        """sacrebleu's shape: ``CONSISTENCY|signature = 97.12 (names 97.1, numbers 99.0)``."""
        parts = ", ".join(f"{n} {_shown(c.score)}" for n, c in self.corpus.components.items())
        return f"CONSISTENCY|{self.corpus.signature} = {_shown(self.corpus.overall)} ({parts})"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _shown(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _documents(lines: Sequence[str], doc_ids: Sequence[str]) -> dict[str, list[int]]:
    order: dict[str, list[int]] = {}
    for index, doc in enumerate(doc_ids):
        order.setdefault(doc, []).append(index)
    return order


def corpus_consistency(
    hypotheses: Sequence[str],
    doc_ids: Sequence[str],
    sources: Sequence[str] | None = None,
    settings: ScoreSettings | None = None,
) -> CorpusConsistency:
    """Score a document-level test set. ``doc_ids[i]`` is the document of ``hypotheses[i]``
    (and of ``sources[i]``); a document's segments need not be contiguous but keep their order.

    Raises :class:`InputError` when the counts differ, an id is empty, or there is nothing to
    score."""
    settings = settings or ScoreSettings()
    if len(doc_ids) != len(hypotheses):
        raise InputError(
            f"{len(hypotheses)} hypothesis lines but {len(doc_ids)} document ids; give one "
            "document id per hypothesis line"
        )
    if sources is not None and len(sources) != len(hypotheses):
        raise InputError(
            f"{len(hypotheses)} hypothesis lines but {len(sources)} source lines; give one "
            "source line per hypothesis line"
        )
    if not hypotheses:
        raise InputError("no segments to score: the hypothesis has no lines")
    empty = next((i for i, d in enumerate(doc_ids) if not d.strip()), None)
    if empty is not None:
        raise InputError(f"document id of line {empty + 1} is empty; every line needs one")
    hyp_lang = detect_language("\n".join(hypotheses)) if any(map(str.strip, hypotheses)) else "en"
    hyp_lang = hyp_lang if hyp_lang in ("uk", "en") else "en"
    src_lang = "en" if hyp_lang == "uk" else "uk"
    documents = _documents(hypotheses, doc_ids)

    def article(doc: str, texts: Sequence[str], lang: str) -> Article:
        return Article(doc, lang, tuple(texts[i] for i in documents[doc]))

    hyp_articles = {doc: article(doc, hypotheses, hyp_lang) for doc in documents}
    src_articles = (
        {doc: article(doc, sources, src_lang) for doc in documents} if sources is not None else {}
    )
    # names within the documents: of the hypothesis when it is English (an English source's
    # spellings are not the system's doing); across languages: each source name's renderings
    english = hyp_articles if hyp_lang == "en" else {}
    term_source = "uk" if hyp_lang == "en" else "en"

    from eval.name_renderings import aligned_renderings, term_consistency
    from eval.names import find_name_variants

    scored: dict[str, ConsistencyScore] = {}
    all_renderings = []
    number_parts = []
    for doc in documents:
        components: dict[str, ComponentScore] = {}
        terms = []
        if sources is not None:
            uk, en = (
                (src_articles[doc], hyp_articles[doc])
                if hyp_lang == "en"
                else (hyp_articles[doc], src_articles[doc])
            )
            units = [((u,), (e,)) for u, e in zip(uk.paragraphs, en.paragraphs, strict=True)]
            renderings = aligned_renderings(units)
            all_renderings += renderings
            terms = term_consistency(renderings, term_source)
            n = len(uk.paragraphs)
            one_to_one = Alignment(tuple(Bead((i,), (i,)) for i in range(n)), n, n)
            components["numbers"] = numbers_component(uk, en, one_to_one)
            number_parts.append(components["numbers"])
        if doc in english or terms:
            groups = (
                find_name_variants([english[doc]], include_consistent=True)
                if doc in english
                else []
            )
            components["names"] = names_component(groups, terms, settings.names_target)
        scored[doc] = _document_score("document", doc, components, sources is not None, settings)

    corpus_components: dict[str, ComponentScore] = {}
    if english or sources is not None:
        groups = (
            find_name_variants(list(english.values()), include_consistent=True) if english else []
        )
        corpus_components["names"] = names_component(
            groups,
            term_consistency(all_renderings, term_source) if sources is not None else (),
            settings.names_target,
        )
    if number_parts:
        corpus_components["numbers"] = ComponentScore(
            "numbers",
            sum(p.matched for p in number_parts),
            sum(p.total for p in number_parts),
            number_parts[0].unit,
        )
    corpus = _document_score(
        "corpus", f"{len(documents)} documents", corpus_components, sources is not None, settings
    )
    return CorpusConsistency(corpus, scored, hyp_lang)


def _document_score(
    scope: str,
    subject: str,
    components: dict[str, ComponentScore],
    with_sources: bool,
    settings: ScoreSettings,
) -> ConsistencyScore:
    ordered = {n: components[n] for n in ("names", "numbers") if n in components}
    signature = score_signature(scope, ordered, settings)
    signature = signature.replace(
        f"|scope:{scope}|", f"|scope:{scope}|src:{'yes' if with_sources else 'no'}|"
    )
    return ConsistencyScore(scope, subject, ordered, signature, settings.weights)
