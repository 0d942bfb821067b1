"""One ``mistok run`` (no model) on an archive, timed, or under cProfile.

    python bench/make_synthetic_archive.py 2000 /tmp/syn2000
    MISTOK_RUN_WORKERS=1 python bench/profile_run.py /tmp/syn2000 OUT            # wall, CPU
    MISTOK_RUN_WORKERS=1 python bench/profile_run.py /tmp/syn2000 OUT run.prof   # profile

ARCHIVE holds ``uk.jsonl`` and ``en.jsonl``; OUT should be a fresh folder (a rerun is served
from the cache). Prints the wall time and the driver's CPU time: with ``MISTOK_RUN_WORKERS=1``
every stage runs in the driver, so that is the run's CPU; the pool's workers are children of
the forkserver and are not counted. With a third argument, writes cProfile statistics there
and prints the top cumulative entries (``MISTOK_RUN_WORKERS=1`` so the profile sees the work).
With ``--memory`` instead, prints the driver's resident memory (now, and its peak so far) after
each step of the run.

    python bench/profile_run.py /tmp/syn2000 OUT --memory

With ``--steps``, prints each step's wall time, the CPU time of the driver and of the workers in
it (Linux: read from ``/proc``), and the core-seconds left idle.

    MISTOK_RUN_WORKERS=2 python bench/profile_run.py /tmp/syn2000 OUT --steps
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

from mistok.pipeline.driver import run_pipeline
from mistok.run_records import RunSettings


def _resident_mb() -> tuple[float, float]:
    """The driver's resident memory now and at its peak, in MB (Linux)."""
    import resource

    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    now = pages * resource.getpagesize() / 2**20
    return now, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _with_memory_report() -> None:
    """Make the driver print its memory after each step."""
    from mistok.pipeline import driver
    from mistok.pipeline.free_memory import release_free_memory

    def reported(name, step):
        def run(state):
            step(state)
            release_free_memory()  # as the driver does after each step: what the next starts from
            now, peak = _resident_mb()
            print(f"after {name:<9} resident {now:7.1f} MB, peak {peak:7.1f} MB", flush=True)

        return name, run

    driver.STEPS = tuple(reported(name, step) for name, step in driver.STEPS)


def _descendants_cpu() -> float:
    """CPU seconds (user + system) of this process's descendants so far (the pool's
    forkserver and workers), read from ``/proc`` (Linux; 0 elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                text = stat.read()
        except OSError:
            continue
        fields = text[text.rfind(")") + 2 :].split()
        parents[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    total, frontier = 0.0, {os.getpid()}
    while frontier:
        frontier = {pid for pid, (parent, _) in parents.items() if parent in frontier}
        total += sum(parents[pid][1] for pid in frontier)
    return total


def _with_step_times() -> None:
    """Make the driver print each step's wall seconds, its CPU seconds and the workers', and
    the core-seconds left idle (``cores × wall − CPU``)."""
    from mistok.pipeline import driver

    cores = len(os.sched_getaffinity(0))

    def timed(name, step):
        def run(state):
            wall, cpu, workers = time.perf_counter(), time.process_time(), _descendants_cpu()
            step(state)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            workers = _descendants_cpu() - workers
            print(
                f"{name:<9} wall {wall:6.2f} s, driver CPU {cpu:6.2f} s, workers' CPU "
                f"{workers:6.2f} s, idle {cores * wall - cpu - workers:6.2f} core-s",
                flush=True,
            )

        return name, run

    driver.STEPS = tuple(timed(name, step) for name, step in driver.STEPS)


def main() -> None:
    archive, out = Path(sys.argv[1]), Path(sys.argv[2])
    settings = RunSettings((archive / "uk.jsonl", archive / "en.jsonl"), out)
    if sys.argv[3:] == ["--memory"]:
        _with_memory_report()
    elif sys.argv[3:] == ["--steps"]:
        _with_step_times()
    elif len(sys.argv) > 3:
        profile = cProfile.Profile()
        profile.enable()
        run_pipeline(settings)
        profile.disable()
        profile.dump_stats(sys.argv[3])
        pstats.Stats(sys.argv[3]).sort_stats("cumulative").print_stats(40)
        return
    wall, cpu = time.perf_counter(), time.process_time()
    run_pipeline(settings)
    elapsed, used = time.perf_counter() - wall, time.process_time() - cpu
    print(f"wall {elapsed:.1f} s, driver CPU {used:.1f} s, driver peak {_resident_mb()[1]:.0f} MB")


if __name__ == "__main__":  # the pool's forkserver imports this module again
    main()
