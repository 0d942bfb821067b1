"""Speed of the pair checks: 10,000 aligned paragraph pairs on one core.

    python bench/bench_check.py                 # every registered check, with a bridge
    python bench/bench_check.py --pairs 2000 --checks numbers,coverage

Builds article pairs of 20 paragraphs from the WMT22 uk→en development segments
(../shared/data/wmt22-uk-en/segments.tsv: Ukrainian source, English reference, and one MT
system's output as the translation bridge), repeating the segments until there are --pairs
paragraph pairs, aligns them one to one (the alignment itself is benchmarked in
bench_align.py), and runs the checks through ``eval.runner.check_pair``. Prints the time per
check and in total, and the findings per rule. Target: under 30 s for 10,000 pairs.
Exits 0 with a message when ../shared is absent.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core, before numpy loads

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

from aligner.alignment import Alignment, Bead  # noqa: E402
from aligner.document import Article  # noqa: E402
from eval.runner import check_pair, select_checks  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "wmt22-uk-en" / "segments.tsv"
PARAGRAPHS_PER_ARTICLE = 20


def build_pairs(path: Path, n_pairs: int, system: str):
    """(uk, en, bridge, alignment) article pairs holding ``n_pairs`` paragraph pairs."""
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    uk_col, en_col, mt_col = header.index("uk"), header.index("en_ref"), header.index(system)
    rows = [line.split("\t") for line in lines[1:] if line]
    rows = [r for r in rows if r[uk_col].strip() and r[en_col].strip() and r[mt_col].strip()]
    pairs = []
    taken = 0
    while taken < n_pairs:
        size = min(PARAGRAPHS_PER_ARTICLE, n_pairs - taken)
        chunk = [rows[(taken + i) % len(rows)] for i in range(size)]
        name = f"bench-{len(pairs)}"
        uk = Article(name, "uk", tuple(r[uk_col] for r in chunk))
        en = Article(name, "en", tuple(r[en_col] for r in chunk))
        bridge = [r[mt_col] for r in chunk]
        alignment = Alignment(tuple(Bead((i,), (i,)) for i in range(size)), size, size)
        pairs.append((uk, en, bridge, alignment))
        taken += size
    return pairs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--checks", help="comma-separated checks (default: all registered)")
    parser.add_argument("--system", default="Online-B", help="MT system used as the bridge")
    args = parser.parse_args()
    if not DATA.is_file():
        print(f"skipped: {DATA} not found (the shared data sits beside the checkout)")
        return 0
    names = args.checks.split(",") if args.checks else None
    pairs = build_pairs(DATA, args.pairs, args.system)
    checks = [c.name for c in select_checks(names, "pair")]
    print(f"{args.pairs} paragraph pairs in {len(pairs)} articles; bridge: {args.system}")

    per_check = {}
    for name in checks:
        start = time.process_time()
        for uk, en, bridge, alignment in pairs:
            check_pair(uk, en, alignment=alignment, bridge=bridge, checks=[name])
        per_check[name] = time.process_time() - start

    start_wall, start_cpu = time.perf_counter(), time.process_time()
    rules = Counter()
    for uk, en, bridge, alignment in pairs:
        report = check_pair(uk, en, alignment=alignment, bridge=bridge, checks=checks)
        rules.update(f"{f.rule}:{f.severity.value}" for f in report.findings)
    wall, cpu = time.perf_counter() - start_wall, time.process_time() - start_cpu

    for name, seconds in per_check.items():
        print(f"  {name:<10} {seconds:7.2f} s CPU")
    print(
        f"all checks together: {wall:.2f} s wall, {cpu:.2f} s CPU "
        f"({args.pairs / wall:,.0f} pairs/s); target < 30 s: {'met' if wall < 30 else 'MISSED'}"
    )
    print("findings per rule:", ", ".join(f"{k} {v}" for k, v in sorted(rules.items())) or "none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
