"""Record the per-pair work of one ``mistok run`` and replay it, for exact comparisons.

    python bench/replay_pair_work.py record /tmp/syn12500 /tmp/rec-out pairs.pkl 2000
    python bench/replay_pair_work.py replay pairs.pkl --warm 1000            # CPU seconds
    PYTHON=$(python -c 'import sys; print(sys.executable)')   # the interpreter, not a shim
    PYTHONHASHSEED=0 valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/dev/null \\
        "$PYTHON" bench/replay_pair_work.py replay pairs.pkl --warm 1000 --callgrind

``record`` runs the pipeline in one process (``MISTOK_RUN_WORKERS=1``) on ARCHIVE (its
``uk.jsonl`` and ``en.jsonl``) and pickles the first N calls of the per-pair task
(:func:`mistok.pipeline.stages.pair_work`: the work item and the run's stage settings) into
DUMP, then lets the run finish. ``replay`` runs those calls again in this process with
whatever code is on ``sys.path`` (``PYTHONPATH=CHECKOUT``): the first ``--warm`` calls fill the
per-process caches as a worker's first pairs do, and the rest are measured: their CPU time is
printed, or, with ``--callgrind`` under ``valgrind --tool=callgrind --instr-atstart=no``, only
they are instrumented (``callgrind_control -i on``), so that valgrind's "Collected" count is
the instructions of the measured calls alone. Valgrind must start the interpreter itself (a
``pyenv`` shim is a shell script, whose child valgrind does not follow).

On this shared host, whose speed moves by tens of per cent within minutes, the instruction
counts of two checkouts resolve a change of a per cent that timings cannot; with
``PYTHONHASHSEED=0`` a count repeats within 0.1 %.
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path


def record(archive: Path, out: Path, dump: Path, count: int) -> None:
    os.environ["MISTOK_RUN_WORKERS"] = "1"
    from mistok.pipeline import steps
    from mistok.pipeline.driver import run_pipeline
    from mistok.run_records import RunSettings

    calls: list[tuple[object, dict[str, object]]] = []
    original = steps.pair_work

    def recording(work, **kwargs):
        if len(calls) < count:
            calls.append((work, kwargs))
            if len(calls) == count:
                dump.write_bytes(pickle.dumps(calls, protocol=pickle.HIGHEST_PROTOCOL))
        return original(work, **kwargs)

    steps.pair_work = recording  # the per-pair step calls it through the module
    run_pipeline(RunSettings((archive / "uk.jsonl", archive / "en.jsonl"), out))
    if len(calls) < count:
        dump.write_bytes(pickle.dumps(calls, protocol=pickle.HIGHEST_PROTOCOL))
    print(f"{len(calls)} calls recorded in {dump}")


def replay(dump: Path, warm: int, callgrind: bool) -> None:
    from mistok.pipeline.stages import pair_work

    calls = pickle.loads(dump.read_bytes())
    for work, kwargs in calls[:warm]:
        pair_work(work, **kwargs)
    if callgrind:
        _instrument("on")
    started = time.process_time()
    for work, kwargs in calls[warm:]:
        pair_work(work, **kwargs)
    used = time.process_time() - started
    if callgrind:
        _instrument("off")
    print(f"{len(calls) - warm} calls after {warm}: {used:.3f} s CPU")


def _instrument(state: str) -> None:
    subprocess.run(
        ["callgrind_control", "-i", state, str(os.getpid())], check=True, capture_output=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    rec = commands.add_parser("record")
    rec.add_argument("archive", type=Path)
    rec.add_argument("out", type=Path)
    rec.add_argument("dump", type=Path)
    rec.add_argument("count", type=int)
    rep = commands.add_parser("replay")
    rep.add_argument("dump", type=Path)
    rep.add_argument("--warm", type=int, default=1000)
    rep.add_argument("--callgrind", action="store_true")
    args = parser.parse_args()
    if args.command == "record":
        record(args.archive, args.out, args.dump, args.count)
    else:
        replay(args.dump, args.warm, args.callgrind)


if __name__ == "__main__":  # a pool's process server imports this module again
    sys.exit(main())
