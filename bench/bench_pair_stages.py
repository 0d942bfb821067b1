"""CPU per pair of the per-pair stages of ``mistok run``, measured apart, in one process.

    python bench/make_synthetic_archive.py 2000 /tmp/syn2000
    python bench/bench_pair_stages.py [ARCHIVE [N [PROFILE]]]

For the first N gold pairs (default 1,000) of a synthetic archive (default
/work/ref/syn2000), one pass each, in the order a run's worker does them for one pair:
paragraph alignment (``align_paragraphs``), the sentence alignment of the bitext
(``align_bead_sentences``), and the checks with the review page and the JUnit report
(``check_pair`` + ``render``). With PROFILE, writes cProfile statistics of the three stages
there (the timings then include the profiler's cost). Prints the CPU milliseconds per pair
of each, and a digest of what they produced (beads, pages, JUnit, sentence beads): two
versions of the code that print the same digest produced the same results. Run it in a
fresh process per version (the per-text caches are part of what is measured).
"""

from __future__ import annotations

import cProfile
import hashlib
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

from aligner.align import align_paragraphs
from aligner.document import Article
from aligner.sentences import align_bead_sentences
from eval.rendering import render
from eval.runner import check_pair


def _articles(path: Path, lang: str) -> dict[str, Article]:
    with path.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    return {r["id"]: Article(r["id"], lang, tuple(r["paragraphs"])) for r in records}


def main() -> None:
    archive = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/ref/syn2000")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    profiler = cProfile.Profile() if len(sys.argv) > 3 else None
    uk, en = _articles(archive / "uk.jsonl", "uk"), _articles(archive / "en.jsonl", "en")
    gold = [line.split("\t") for line in (archive / "gold.tsv").read_text().splitlines()[1:]]
    pairs = [(uk[u], en[e]) for u, e in gold if u in uk and e in en][:n]
    seconds = {"align": 0.0, "bitext": 0.0, "check": 0.0}
    digest = hashlib.sha256()
    if profiler is not None:
        profiler.enable()
    for a, b in pairs:
        clock = time.process_time()
        alignment = align_paragraphs(a, b)
        seconds["align"] += time.process_time() - clock
        clock = time.process_time()
        inside = align_bead_sentences(a.paragraphs, b.paragraphs, alignment)
        seconds["bitext"] += time.process_time() - clock
        clock = time.process_time()
        # no clock times in the report, as a run's outputs
        report = replace(check_pair(a, b, alignment=alignment), timings={})
        pages = (render(report, "html"), render(report, "junit"))
        seconds["check"] += time.process_time() - clock
        digest.update(repr((alignment.beads, pages, [s.beads for s in inside])).encode())
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(sys.argv[3])
    per_pair = {k: 1000 * v / len(pairs) for k, v in seconds.items()}
    shown = " ".join(f"{k} {v:.2f}" for k, v in per_pair.items())
    print(
        f"{len(pairs)} pairs, CPU ms per pair: {shown} total {sum(per_pair.values()):.2f}; "
        f"digest {digest.hexdigest()[:12]}"
    )


if __name__ == "__main__":
    main()
