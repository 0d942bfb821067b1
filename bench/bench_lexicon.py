"""Coverage and discrimination of the bundled Ukrainian↔English lexicon.

On ``../shared/data/wmt22-uk-en/align`` (Ukrainian and English versions of each document, with a
gold paragraph alignment) this prints:

- the load time of the bundled lexicon (first load, without the imports; then cached);
- token coverage: the share of Ukrainian content tokens (not function words) that map to at
  least one concept, also for lowercase tokens only (names, which are not the lexicon's
  business, are mostly capitalised), and the share of English content tokens with a concept;
- discrimination: for each gold 1-1 bead, the similarity of the Ukrainian and English concept
  bags for the true pair versus the mean over the other English paragraphs of the document,
  and the share of Ukrainian paragraphs whose true partner ranks first (a tie for first counts
  as a fraction), for three similarities: Dice and cosine over concept counts, and "uk-share",
  the share of the Ukrainian words with a concept that find one of their concepts in the
  English paragraph.

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


def paragraphs(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def dice(a: Counter[int], b: Counter[int]) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 0.0


def cosine(a: Counter[int], b: Counter[int]) -> float:
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def uk_share(uk_words: list[frozenset[int]], en_bag: Counter[int]) -> float:
    known = [concepts for concepts in uk_words if concepts]
    if not known:
        return 0.0
    return sum(1 for concepts in known if not concepts.isdisjoint(en_bag)) / len(known)


def print_collisions() -> None:
    """Lemma keys shared by bundled entries that have no English word in common."""
    from aligner.stemming import stem_en, stem_uk, tokenize

    bundled = Path(__file__).resolve().parents[1] / "aligner" / "data" / "lexicon.tsv"
    by_key: dict[str, list[tuple[str, set[str]]]] = {}
    for line in bundled.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            uk, en = line.split("\t")
            by_key.setdefault(stem_uk(uk), []).append((uk, {stem_en(w) for w in tokenize(en)}))
    clashes = [
        "/".join(uk for uk, _ in group)
        for group in by_key.values()
        if len(group) > 1 and not set.intersection(*(english for _, english in group))
    ]
    print(
        f"lemma keys shared by entries with no English word in common: {len(clashes)} of "
        f"{len(by_key)} ({len(clashes) / len(by_key):.1%}): {' '.join(clashes)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="Lexicon coverage and discrimination.")
    parser.add_argument("--uncovered", type=int, default=0, help="print the N commonest misses")
    args = parser.parse_args()
    if not ALIGN.is_dir():
        print(f"skipped: {ALIGN} not found (the shared data lives beside the checkout)")
        return 0

    from aligner.lexicon import EN_STOPWORDS, UK_STOPWORDS, load_lexicon
    from aligner.stemming import normalize_uk, tokenize

    started = time.perf_counter()
    lexicon = load_lexicon()
    load_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    load_lexicon()
    cached_ms = (time.perf_counter() - started) * 1000
    print(
        f"lexicon: {len(lexicon)} entries, {len(lexicon.uk_index)} Ukrainian keys, "
        f"{len(lexicon.en_index)} concepts; first load {load_ms:.0f} ms, cached {cached_ms:.3f} ms"
    )

    print_collisions()
    uk_function = {normalize_uk(w) for w in UK_STOPWORDS}
    counts = Counter()
    misses: Counter[str] = Counter()
    similarities: dict[str, Callable[[int, int], float]] = {}
    true_sum: Counter[str] = Counter()
    false_sum: Counter[str] = Counter()
    first: Counter[str] = Counter()
    n_beads = 0
    docs = sorted(p.name[: -len(".gold.json")] for p in ALIGN.glob("*.gold.json"))
    for doc in docs:
        uk = paragraphs(ALIGN / f"{doc}.uk.txt")
        en = paragraphs(ALIGN / f"{doc}.en.txt")
        gold = json.loads((ALIGN / f"{doc}.gold.json").read_text(encoding="utf-8"))

        uk_words = []
        for paragraph in uk:
            words = []
            for token in tokenize(paragraph):
                concepts = lexicon.uk_token_concepts(token)
                words.append(concepts)
                if normalize_uk(token) in uk_function:
                    continue
                counts["uk"] += 1
                counts["uk_covered"] += bool(concepts)
                if token[0].islower():
                    counts["uk_lower"] += 1
                    counts["uk_lower_covered"] += bool(concepts)
                    if not concepts:
                        misses[token.lower()] += 1
            uk_words.append(words)
        for paragraph in en:
            for token in tokenize(paragraph):
                if token.lower() not in EN_STOPWORDS:
                    counts["en"] += 1
                    counts["en_covered"] += lexicon.en_token_concept(token) is not None

        uk_bags = [lexicon.concepts(p, "uk") for p in uk]
        en_bags = [lexicon.concepts(p, "en") for p in en]
        similarities = {
            "dice": lambda u, e, ub=uk_bags, eb=en_bags: dice(ub[u], eb[e]),
            "cosine": lambda u, e, ub=uk_bags, eb=en_bags: cosine(ub[u], eb[e]),
            "uk-share": lambda u, e, uw=uk_words, eb=en_bags: uk_share(uw[u], eb[e]),
        }
        for uk_side, en_side in gold:
            if len(uk_side) != 1 or len(en_side) != 1 or len(en) < 2:
                continue
            u, e = uk_side[0], en_side[0]
            n_beads += 1
            for name, similarity in similarities.items():
                scores = [similarity(u, j) for j in range(len(en))]
                true = scores[e]
                others = scores[:e] + scores[e + 1 :]
                true_sum[name] += true
                false_sum[name] += sum(others) / len(others)
                if not any(s > true for s in others):
                    first[name] += 1 / (1 + sum(1 for s in others if s == true))

    print(f"documents: {len(docs)}; gold 1-1 beads scored: {n_beads}")
    print(
        f"coverage of uk content tokens: {counts['uk_covered'] / counts['uk']:.3f} "
        f"({counts['uk_covered']}/{counts['uk']}); lowercase tokens only: "
        f"{counts['uk_lower_covered'] / counts['uk_lower']:.3f}"
    )
    print(
        f"coverage of en content tokens: {counts['en_covered'] / counts['en']:.3f} "
        f"({counts['en_covered']}/{counts['en']})"
    )
    print(f"{'similarity':<10} {'true':>7} {'false':>7} {'top-1':>7}")
    for name in similarities:
        print(
            f"{name:<10} {true_sum[name] / n_beads:7.3f} {false_sum[name] / n_beads:7.3f} "
            f"{first[name] / n_beads:7.3f}"
        )
    if args.uncovered:
        print("commonest uncovered lowercase uk tokens:")
        print(" ".join(f"{w}:{n}" for w, n in misses.most_common(args.uncovered)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
