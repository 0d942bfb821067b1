"""Pick a folder where creating files is cheap, for timing ``mistok run``.

    python bench/fast_folder.py BASE [N]      # prints BASE/c<time>: run with -o that/out

On this project's benchmark machine (ext4 without a journal) creating a file cost 20–40 µs in
some folders and 390–730 µs in others, for minutes on end, depending on the block group the
folder's inodes come from (see BENCHMARKS.md, "Issue 16, session 7"); a run at 12,500 articles
per side creates about 28,700 files, so the folder alone moved its time by several seconds.
This makes new folders under BASE until creating N empty files (default 3,000) in one costs
under 80 µs each, and prints it (the probe's files stay in ``probe/`` beside the output:
removing them would make the next files dearer again). Gives up after 40 folders.
"""

from __future__ import annotations

import os
import sys
import time

CHEAP_US = 80.0


def main() -> int:
    base = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    os.makedirs(base, exist_ok=True)
    for _ in range(40):
        folder = os.path.join(base, f"c{time.time_ns()}")
        probe = os.path.join(folder, "probe")
        os.makedirs(probe)
        clock = time.process_time()
        for number in range(count):
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
            os.close(os.open(os.path.join(probe, f"f{number}"), flags, 0o666))
        cost = (time.process_time() - clock) / count * 1e6
        print(f"{folder}: {cost:.0f} us a file", file=sys.stderr)
        if cost < CHEAP_US:
            print(folder)
            return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
