"""Number and date anchors on the WMT22 uk-en development split: agreement and speed.

For every segment, the multiset of number keys and date keys extracted from the Ukrainian
source is compared with the one extracted from the English reference. Prints the fraction of
segments whose multisets are identical (over all segments, and over the segments where either
side has an anchor), then the extraction speed over all ``uk`` and ``en_ref`` cells.

    python bench/bench_anchors.py [--show N]   # N disagreements printed for reading

Skips with a message when ``../shared`` (beside the checkout) is absent.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

from aligner.numbers import extract_anchors

SEGMENTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "wmt22-uk-en" / "segments.tsv"


def read_segments(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def anchor_keys(text: str, lang: str) -> Counter[str]:
    numbers, dates = extract_anchors(text, lang)
    return Counter([n.key for n in numbers] + ["date:" + d.key for d in dates])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", type=int, default=0, help="print this many disagreements")
    args = parser.parse_args()
    if not SEGMENTS.is_file():
        print(f"skipped: {SEGMENTS} not found (../shared beside the checkout is absent)")
        return 0
    rows = read_segments(SEGMENTS)

    identical = with_anchors = identical_with_anchors = 0
    shown = 0
    for row in rows:
        uk, en = anchor_keys(row["uk"], "uk"), anchor_keys(row["en_ref"], "en")
        same = uk == en
        identical += same
        if uk or en:
            with_anchors += 1
            identical_with_anchors += same
        if not same and shown < args.show:
            shown += 1
            print(
                f"--- {row['doc']}#{row['seg']}  uk-only {dict(uk - en)}  en-only {dict(en - uk)}"
            )
            print(f"uk: {row['uk']}\nen: {row['en_ref']}")

    print(f"segments: {len(rows)}")
    print(f"identical number+date multisets: {identical / len(rows):.3f} ({identical}/{len(rows)})")
    print(
        f"identical where either side has an anchor: {identical_with_anchors / with_anchors:.3f}"
        f" ({identical_with_anchors}/{with_anchors})"
    )

    cells = [(row["uk"], "uk") for row in rows] + [(row["en_ref"], "en") for row in rows]
    words = sum(len(text.split()) for text, _ in cells)
    best = float("inf")
    for _ in range(5):
        began = time.perf_counter()
        for text, lang in cells:
            extract_anchors(text, lang)
        best = min(best, time.perf_counter() - began)
    print(
        f"speed: {len(cells)} cells, {words} words in {best * 1000:.1f} ms (best of 5) ="
        f" {best * 1e6 / words * 100:.1f} µs per 100 words"
    )
    long_text = " ".join(text for text, _ in cells if _ == "uk")
    long_words = long_text.split()[:1000]
    paragraph = " ".join(long_words)
    began = time.perf_counter()
    for _ in range(20):
        extract_anchors(paragraph, "uk")
    print(f"one 1,000-word Ukrainian paragraph: {(time.perf_counter() - began) / 20 * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
