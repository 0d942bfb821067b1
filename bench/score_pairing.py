"""Score article pairing against a gold ``uk<TAB>en`` TSV (``-`` for no counterpart).

Pair precision/recall/F1 over (uk, en) pairs, and F1 of the articles reported as having no
counterpart (over ("uk", id) and ("en", id) items), as in ``../shared/README.md``.

    python bench/score_pairing.py GOLD.tsv PREDICTED.tsv
    mistok pair UK EN | python bench/score_pairing.py GOLD.tsv -
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path


def read_pairs_tsv(lines: Iterable[str]) -> list[tuple[str, str]]:
    """Rows ``uk<TAB>en`` of a pairing TSV; the header row ``uk<TAB>en`` and comment lines
    (``mistok pair``'s trailing ``# skipped<TAB>input<TAB>reason`` block) are skipped."""
    rows = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        uk, _, en = line.partition("\t")
        if (uk, en) == ("uk", "en"):
            continue
        rows.append((uk.strip(), en.strip()))
    return rows


def _f1(found: set, gold: set) -> tuple[float, float, float]:
    hits = len(found & gold)
    precision = hits / len(found) if found else float(not gold)
    recall = hits / len(gold) if gold else float(not found)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score_pairing(
    gold: Iterable[tuple[str, str]], predicted: Iterable[tuple[str, str]]
) -> dict[str, float]:
    """Pair P/R/F1 and no-counterpart P/R/F1 of predicted rows against gold rows."""

    def split(rows: Iterable[tuple[str, str]]) -> tuple[set, set]:
        pairs, alone = set(), set()
        for uk, en in rows:
            if uk != "-" and en != "-":
                pairs.add((uk, en))
            elif uk != "-":
                alone.add(("uk", uk))
            elif en != "-":
                alone.add(("en", en))
        return pairs, alone

    gold_pairs, gold_alone = split(gold)
    found_pairs, found_alone = split(predicted)
    p, r, f = _f1(found_pairs, gold_pairs)
    ap, ar, af = _f1(found_alone, gold_alone)
    return {
        "pair_precision": p,
        "pair_recall": r,
        "pair_f1": f,
        "alone_precision": ap,
        "alone_recall": ar,
        "alone_f1": af,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    gold = read_pairs_tsv(Path(argv[0]).read_text(encoding="utf-8").splitlines())
    source = sys.stdin if argv[1] == "-" else open(argv[1], encoding="utf-8")  # noqa: SIM115
    with source:
        predicted = read_pairs_tsv(source)
    for name, value in score_pairing(gold, predicted).items():
        print(f"{name}\t{value:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
