"""Compare two versions of mistok by running them at the same time, one core each.

    git worktree add /tmp/old <commit>
    python bench/compare_at_once.py /tmp/old . /tmp/syn12500 [--rounds 4] [--base /tmp/bo]

On a shared host whose speed moves by tens of per cent within minutes, runs one after the
other cannot resolve a change of a few per cent. Here both versions run ``mistok run`` (no
model, ``MISTOK_RUN_WORKERS=1``: every stage in one process) on ARCHIVE at once, each pinned
to its own core, and the cores are swapped every round; each round's two runs saw the same
host. Each run writes to a fresh folder that ``bench/fast_folder.py`` picked under ``--base``
(file creation costs differ between folders). Prints each round's wall time and CPU of both,
with the change, and the per-pair step's CPU (the ``--steps`` figures of
``bench/profile_run.py``). Needs two cores it may pin (Linux).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BENCH = Path(__file__).resolve().parent
_TOTAL = re.compile(r"^wall ([\d.]+) s, driver CPU ([\d.]+) s", re.MULTILINE)
_PER_PAIR = re.compile(r"^align/bitext/check wall +[\d.]+ s, driver CPU +([\d.]+) s", re.MULTILINE)


def _fast_folder(base: Path) -> Path:
    found = subprocess.run(
        [sys.executable, str(BENCH / "fast_folder.py"), str(base)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return Path(found.stdout.split()[0])


def _run(code: Path, archive: Path, core: int, base: Path) -> tuple[float, float, float]:
    """(wall, CPU, per-pair step CPU) of one run of ``code`` pinned to ``core``."""
    folder = _fast_folder(base)
    env = {**os.environ, "PYTHONPATH": str(code), "MISTOK_RUN_WORKERS": "1"}
    try:
        done = subprocess.run(
            [sys.executable, str(code / "bench" / "profile_run.py"), str(archive),
             str(folder / "out"), "--steps"],
            cwd=code, env=env, capture_output=True, text=True, check=True,
            preexec_fn=lambda: os.sched_setaffinity(0, {core}),
        )  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    total, per_pair = _TOTAL.search(done.stdout), _PER_PAIR.search(done.stdout)
    if total is None or per_pair is None:
        raise SystemExit(f"{code}: no timings in the output of profile_run.py:\n{done.stdout}")
    return float(total.group(1)), float(total.group(2)), float(per_pair.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path, help="a checkout of the version to compare with")
    parser.add_argument("new", type=Path, help="a checkout of the version under test")
    parser.add_argument("archive", type=Path, help="a folder with uk.jsonl and en.jsonl")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--base", type=Path, default=Path(tempfile.gettempdir()) / "mistok-ab")
    args = parser.parse_args()
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        raise SystemExit("needs two cores to pin the two runs to")
    old, new = args.old.resolve(), args.new.resolve()
    print("round | old core | old wall, CPU, per-pair CPU | new wall, CPU, per-pair CPU | wall")
    with ThreadPoolExecutor(2) as pool:
        for number in range(1, args.rounds + 1):
            a, b = (cores[0], cores[1]) if number % 2 else (cores[1], cores[0])
            running_old = pool.submit(_run, old, args.archive, a, args.base)
            running_new = pool.submit(_run, new, args.archive, b, args.base)
            o, n = running_old.result(), running_new.result()
            change = 100 * (n[0] - o[0]) / o[0]
            print(
                f"{number} | {a} | {o[0]:.1f} s, {o[1]:.1f} s, {o[2]:.1f} s "
                f"| {n[0]:.1f} s, {n[1]:.1f} s, {n[2]:.1f} s | {change:+.1f} %"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
