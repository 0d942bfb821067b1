"""Coverage and discrimination of the bundled Ukrainian↔English lexicon.

On ``../shared/data/wmt22-uk-en/align`` (Ukrainian and English versions of each document, with a
gold paragraph alignment) this prints:

- load time of the bundled lexicon (first, uncached load);
- token coverage: the share of Ukrainian content tokens (not function words) that map to at
  least one concept, and the same share for English tokens; also the coverage of lowercase
  tokens only (names, which are not the lexicon's business, are mostly capitalised);
- discrimination: for each gold 1-1 bead, the similarity of the Ukrainian and English concept
  bags for the true pair versus the mean over the other English paragraphs of the document,
  and the share of Ukrainian paragraphs whose true partner ranks first (ties count as a
  fraction), for three similarities (Dice and cosine over concept counts, and the share of
  Ukrainian tokens with a concept present in the English paragraph).

Run: ``python bench/bench_lexicon.py [--uncovered N]``. Skips when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
ALIGN = SHARED / "data" / "wmt22-uk-en" / "align"


def _paragraphs(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def dice(a: Counter[int], b: Counter[int]) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 0.0


def cosine(a: Counter[int], b: Counter[int]) -> float:
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uncovered", type=int, default=0, help="print N most frequent misses")
    args = parser.parse_args()
    if not ALIGN.is_dir():
        print(f"skipped: {ALIGN} not found (the shared data lives beside the checkout)")
        return 0

    started = time.perf_counter()
    from aligner.lexicon import load_lexicon
    from aligner.stemming import tokenize

    lexicon = load_lexicon()
    load_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    load_lexicon.__wrapped__ if hasattr(load_lexicon, "__wrapped__") else None
    cached_ms = (time.perf_counter() - started) * 1000

    docs = sorted(p.name[: -len(".gold.json")] for p in ALIGN.glob("*.gold.json"))
    uk_tokens = uk_covered = uk_lower = uk_lower_covered = en_tokens = en_covered = 0
    misses: Counter[str] = Counter()

    def uk_token_share(uk_sets: list[frozenset[int]], en_bag: Counter[int]) -> float:
        with_concepts = [s for s in uk_sets if s]
        if not with_concepts:
            return 0.0
        return sum(1 for s in with_concepts if s & en_bag.keys()) / len(with_concepts)

    measures: dict[str, Callable[..., float]] = {"dice": dice, "cosine": cosine}
    true_sum = {m: 0.0 for m in [*measures, "uk-share"]}
    false_sum = dict.fromkeys(true_sum, 0.0)
    first = dict.fromkeys(true_sum, 0.0)
    n_beads = 0
    for doc in docs:
        uk = _paragraphs(ALIGN / f"{doc}.uk.txt")
        en = _paragraphs(ALIGN / f"{doc}.en.txt")
        gold = json.loads((ALIGN / f"{doc}.gold.json").read_text(encoding="utf-8"))
        uk_sets = []
        for paragraph in uk:
            sets = []
            for token in tokenize(paragraph):
                concepts = lexicon.uk_token_concepts(token)
                if token.lower() not in _uk_function_words():
                    uk_tokens += 1
                    uk_covered += bool(concepts)
                    if token[0].islower():
                        uk_lower += 1
                        uk_lower_covered += bool(concepts)
                        if not concepts:
                            misses[token.lower()] += 1
                sets.append(concepts)
            uk_sets.append(sets)
        for paragraph in en:
            for token in tokenize(paragraph):
                if token.lower() not in _en_function_words():
                    en_tokens += 1
                    en_covered += lexicon.en_token_concept(token) is not None
        uk_bags = [lexicon.concepts(p, "uk") for p in uk]
        en_bags = [lexicon.concepts(p, "en") for p in en]
        for uk_side, en_side in gold:
            if len(uk_side) != 1 or len(en_side) != 1 or len(en) < 2:
                continue
            u, e = uk_side[0], en_side[0]
            n_beads += 1
            scorers = {name: (lambda j, f=f, u=u: f(uk_bags[u], en_bags[j])) for name, f in measures.items()}
            scorers["uk-share"] = lambda j, u=u: uk_token_share(uk_sets[u], en_bags[j])
            for name, score in scorers.items():
                scores = [score(j) for j in range(len(en))]
                true = scores[e]
                others = [s for j, s in enumerate(scores) if j != e]
                true_sum[name] += true
                false_sum[name] += sum(others) / len(others)
                better = sum(1 for s in others if s > true)
                ties = sum(1 for s in others if s == true)
                first[name] += (better == 0) / (1 + ties)

    print(f"lexicon: {len(lexicon)} entries, {len(lexicon.uk_index)} Ukrainian keys, "
          f"{len(lexicon.en_index)} concepts; first load {load_ms:.0f} ms (with imports)")
    del cached_ms
    started = time.perf_counter()
    from aligner.lexicon import _bundled_entries, _load

    _bundled_entries.cache_clear()
    _load.cache_clear()
    load_lexicon()
    print(f"reload without cache: {(time.perf_counter() - started) * 1000:.0f} ms")
    print(f"documents: {len(docs)}; gold 1-1 beads scored: {n_beads}")
    print(f"coverage uk content tokens: {uk_covered / uk_tokens:.3f} ({uk_covered}/{uk_tokens}); "
          f"lowercase only: {uk_lower_covered / uk_lower:.3f}")
    print(f"coverage en content tokens: {en_covered / en_tokens:.3f} ({en_covered}/{en_tokens})")
    print(f"{'similarity':<10} {'true':>7} {'false':>7} {'top-1':>7}")
    for name in true_sum:
        print(f"{name:<10} {true_sum[name] / n_beads:7.3f} {false_sum[name] / n_beads:7.3f} "
              f"{first[name] / n_beads:7.3f}")
    if args.uncovered:
        print("most frequent uncovered lowercase uk tokens:")
        print(" ".join(f"{w}:{n}" for w, n in misses.most_common(args.uncovered)))
    return 0


def _uk_function_words() -> frozenset[str]:
    from aligner.lexicon import UK_STOPWORDS

    return UK_STOPWORDS


def _en_function_words() -> frozenset[str]:
    from aligner.lexicon import EN_STOPWORDS

    return EN_STOPWORDS


if __name__ == "__main__":
    sys.exit(main())
