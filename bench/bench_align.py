"""Paragraph-alignment benchmark on the WMT22 uk-en development split.

    python bench/bench_align.py            # quality table, no bridge and with the MT bridge
    python bench/bench_align.py --speed    # also: a 5,000- and 10,000-paragraph pair, one core

Data: ../shared/data/wmt22-uk-en/align beside the checkout (not part of the project); the script
says so and exits 0 when it is absent. Scoring: strict bead, link and null-bead F1,
micro-averaged over documents (eval.alignment_scores).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core, before numpy loads

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from aligner.align import AlignerSettings, align_paragraphs  # noqa: E402
from aligner.lexicon import load_lexicon  # noqa: E402
from aligner.readers import read_article  # noqa: E402
from eval.alignment_scores import AlignmentScores, score_alignment  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "wmt22-uk-en" / "align"


def load_split(folder: Path) -> list[tuple[str, list[str], list[str], list[str], list]]:
    docs = []
    for gold_path in sorted(folder.glob("*.gold.json")):
        stem = gold_path.name[: -len(".gold.json")]
        uk = list(read_article(folder / f"{stem}.uk.txt", lang="uk").paragraphs)
        en = list(read_article(folder / f"{stem}.en.txt", lang="en").paragraphs)
        mt = (folder / f"{stem}.uk.mt.txt").read_text(encoding="utf-8").strip().split("\n\n")
        docs.append((stem, uk, en, mt, json.loads(gold_path.read_text(encoding="utf-8"))))
    return docs


def evaluate(docs, settings: AlignerSettings, bridged: bool, lexicon) -> AlignmentScores:
    total = AlignmentScores()
    for _stem, uk, en, mt, gold in docs:
        alignment = align_paragraphs(
            uk, en, bridge=mt if bridged else None, settings=settings, lexicon=lexicon
        )
        total = total + score_alignment(alignment.as_lists(), gold)
    return total


def row(name: str, scores: AlignmentScores) -> str:
    return f"| {name} | {scores.bead.f1:.3f} | {scores.link.f1:.3f} | {scores.null.f1:.3f} |"


def speed(docs, lexicon) -> None:
    uk_all = [p for d in docs for p in d[1]]
    en_all = [p for d in docs for p in d[2]]
    for target in (5000, 10000):
        reps = -(-target // len(uk_all))
        uk = (uk_all * reps)[:target]
        en = (en_all * reps)[: round(target * len(en_all) / len(uk_all))]
        start = time.perf_counter()
        align_paragraphs(uk, en, lexicon=lexicon)
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        size = f"{len(uk)} × {len(en)} paragraphs, no bridge"
        print(f"| {size} | {elapsed:.2f} s | peak RSS {peak:.0f} MB |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--speed", action="store_true", help="also time long documents")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"skipped: {args.data} not found (the shared WMT22 data is not part of the project)")
        return 0
    docs = load_split(args.data)
    lexicon = load_lexicon()
    settings = AlignerSettings()
    print(f"{len(docs)} documents from {args.data}")
    print("| aligner | bead F1 | link F1 | one-sided (null) F1 |")
    print("|---|---|---|---|")
    print(row("mistok, no bridge", evaluate(docs, settings, False, lexicon)))
    print(row("mistok, with --bridge", evaluate(docs, settings, True, lexicon)))
    if args.speed:
        speed(docs, lexicon)
    return 0


if __name__ == "__main__":
    sys.exit(main())
