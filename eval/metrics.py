"""Corpus metrics through sacrebleu: BLEU, chrF and TER with sacrebleu's own signatures.

BLEU is for articles and corpora (it means little on one short segment); the paragraph-level
score is chrF (see the ``adequacy`` check). Scores and signatures are sacrebleu's, unchanged,
so they can be compared with any published figure that carries the same signature.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from aligner.errors import ConfigError, InputError

__all__ = ["DOCUMENT_METRICS", "METRICS", "MetricScore", "corpus_scores", "read_lines"]

#: Metric names accepted by :func:`corpus_scores`, in printing order.
METRICS = ("bleu", "chrf", "ter")
#: Document-level metrics (:mod:`eval.consistency_metric`): they need document ids, and a
#: reference is optional for them.
DOCUMENT_METRICS = ("consistency",)


@dataclass(frozen=True)
class MetricScore:
    """One corpus score: ``score`` as sacrebleu computes it, ``signature`` its settings
    (``nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0``), and ``text`` sacrebleu's
    one-line rendering with the signature (``BLEU|nrefs:1|…|version:2.6.0 = 44.45 78.1/…``)."""

    metric: str
    score: float
    signature: str
    text: str

    def to_dict(self) -> dict[str, object]:
        return {"score": self.score, "signature": self.signature}


def _metric(name: str):
    from sacrebleu.metrics import BLEU, CHRF, TER

    return {"bleu": BLEU, "chrf": CHRF, "ter": TER}[name]()


def parse_metrics(names: str | Iterable[str], valid: Sequence[str] = METRICS) -> list[str]:
    """``"bleu,chrf"`` → ``["bleu", "chrf"]``; a :class:`ConfigError` for a name not in
    ``valid``."""
    if isinstance(names, str):
        names = names.split(",")
    out = []
    for name in names:
        key = name.strip().lower()
        if not key:
            continue
        if key not in valid:
            raise ConfigError(f"unknown metric {name.strip()!r}; valid metrics: {', '.join(valid)}")
        if key not in out:
            out.append(key)
    if not out:
        raise ConfigError(f"no metric given; valid metrics: {', '.join(valid)}")
    return out


def corpus_scores(
    hypotheses: Sequence[str], references: Sequence[str], metrics: Iterable[str] = ("bleu", "chrf")
) -> dict[str, MetricScore]:
    """Corpus-level scores of ``hypotheses`` against one reference each, by metric name.

    Raises :class:`InputError` when the line counts differ or there is nothing to score, and
    :class:`ConfigError` for an unknown metric."""
    if len(hypotheses) != len(references):
        raise InputError(
            f"{len(hypotheses)} hypothesis lines but {len(references)} reference lines; "
            "give one hypothesis per reference line"
        )
    if not hypotheses:
        raise InputError("no segments to score: the hypothesis and reference have no lines")
    out = {}
    for name in parse_metrics(metrics):
        metric = _metric(name)
        result = metric.corpus_score(list(hypotheses), [list(references)])
        signature = str(metric.get_signature())
        out[name] = MetricScore(
            metric=name,
            score=float(result.score),
            signature=signature,
            text=result.format(width=2, signature=signature),
        )
    return out


def read_lines(path: str | Path) -> list[str]:
    """The lines of a UTF-8 text file, trailing whitespace removed (as sacrebleu reads them)."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8", newline="\n") as handle:
            return [line.rstrip() for line in handle]
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from None
    except UnicodeDecodeError as err:
        raise InputError(
            f"{path}: not UTF-8 text (byte {err.start}): convert it to UTF-8"
        ) from None
