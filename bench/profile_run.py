"""One ``mistok run`` (no model) on an archive, timed, or under cProfile.

    python bench/make_synthetic_archive.py 2000 /tmp/syn2000
    MISTOK_RUN_WORKERS=1 python bench/profile_run.py /tmp/syn2000 OUT            # wall, CPU
    MISTOK_RUN_WORKERS=1 python bench/profile_run.py /tmp/syn2000 OUT run.prof   # profile

ARCHIVE holds ``uk.jsonl`` and ``en.jsonl``; OUT should be a fresh folder (a rerun is served
from the cache). Prints the wall time and the driver's CPU time: with ``MISTOK_RUN_WORKERS=1``
every stage runs in the driver, so that is the run's CPU; the pool's workers are children of
the forkserver and are not counted. With a third argument, writes cProfile statistics there
and prints the top cumulative entries (``MISTOK_RUN_WORKERS=1`` so the profile sees the work).
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import time
from pathlib import Path

from mistok.pipeline.driver import run_pipeline
from mistok.run_records import RunSettings


def main() -> None:
    archive, out = Path(sys.argv[1]), Path(sys.argv[2])
    settings = RunSettings((archive / "uk.jsonl", archive / "en.jsonl"), out)
    if len(sys.argv) > 3:
        profile = cProfile.Profile()
        profile.enable()
        run_pipeline(settings)
        profile.disable()
        profile.dump_stats(sys.argv[3])
        pstats.Stats(sys.argv[3]).sort_stats("cumulative").print_stats(40)
        return
    wall, cpu = time.perf_counter(), time.process_time()
    run_pipeline(settings)
    print(f"wall {time.perf_counter() - wall:.1f} s, driver CPU {time.process_time() - cpu:.1f} s")


if __name__ == "__main__":  # the pool's forkserver imports this module again
    main()
