"""``mistok run`` on the synthetic archive: the local engine against the Ray engine.

    python bench/bench_engines.py [--size 12500] [--workdir /tmp/bench-engines] [--cpus 2 1]
    python bench/bench_engines.py --cpus 1 --taskset 0     # everything on one core: overhead
    python bench/bench_engines.py --size 50000 --no-ray    # the local engine alone

Builds the synthetic archive of the pairing benchmark (``bench/make_synthetic_archive.py``,
needs ../shared/data/wmt22-uk-en) with ``--size`` articles per side, then runs the whole
pipeline on it, each run in a fresh process and a fresh output folder:

- the local engine (its CPU stages in one worker process per core, ``$MISTOK_RUN_WORKERS``);
- the Ray engine on a Ray started on this machine with each CPU count of ``--cpus`` (the
  worker-count simulation: one worker against two shows whether the stages spread).

``--taskset CORES`` runs every process of the benchmark (the driver, and Ray's processes,
which inherit it) on those cores only (Linux ``taskset``): with one core, the local engine
against Ray with one worker measures Ray's overhead in CPU, which two free cores hide (the
driver's share of the work then runs beside the worker).

It prints the wall time of each stage, the driver's peak memory, and whether every output
file of each Ray run is byte-identical to the local run's (the result cache, the folder's
lock, which holds the pid of the run, and the HF dataset folder, whose state file holds a
random fingerprint, aside; the dataset's rows are compared through bitext.parquet). No model
is loaded (the drafts are left to ``bench_translate.py``): the translation stage only lists
what needs a draft.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _digest_outputs(out: Path) -> dict[str, str]:
    digests = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out).as_posix()
        if not path.is_file() or relative.startswith(".mistok-cache/"):
            continue
        if relative == ".mistok-lock":  # the folder's lock (the pid of the run), not an output
            continue
        if relative.startswith("dataset/") and not relative.endswith(".parquet"):
            continue
        digests[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def run_once(engine: str, cpus: int, archive: Path, out: Path) -> dict[str, object]:
    """One run in this process; what it measured, as JSON-ready values."""
    from mistok.pipeline.driver import run_pipeline
    from mistok.run_records import RunSettings

    settings = RunSettings((archive / "uk.jsonl", archive / "en.jsonl"), out)
    start = time.perf_counter()
    if engine == "local":
        summary = run_pipeline(settings)
        startup = 0.0
    else:
        from mistok.pipeline.ray_engine import RaySettings, ray_scheduler

        with ray_scheduler(RaySettings(num_cpus=cpus)) as scheduler:
            startup = time.perf_counter() - start
            summary = run_pipeline(settings, scheduler=scheduler)
    wall = time.perf_counter() - start
    return {
        "engine": engine,
        "cpus": cpus,
        "wall": wall,
        "startup": startup,
        "timings": dict(summary.timings),
        "pairs": summary.counts["pairs"],
        "driver_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=12500)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench-engines"))
    parser.add_argument("--cpus", type=int, nargs="+", default=[2, 1])
    parser.add_argument("--taskset", metavar="CORES", help="e.g. 0: run pinned to core 0")
    parser.add_argument("--no-ray", action="store_true", help="the local engine only")
    parser.add_argument("--one", nargs=4, metavar=("ENGINE", "CPUS", "ARCHIVE", "OUT"))
    args = parser.parse_args()
    if args.one:  # a child process: one run, its numbers on stdout
        engine, cpus, archive, out = args.one
        print(json.dumps(run_once(engine, int(cpus), Path(archive), Path(out))))
        return

    archive = args.workdir / f"archive-{args.size}"
    if not (archive / "uk.jsonl").exists():
        subprocess.run(
            [sys.executable, str(HERE / "make_synthetic_archive.py"), str(args.size), str(archive)],
            check=True,
        )
    runs = [("local", 1)] + ([] if args.no_ray else [("ray", c) for c in args.cpus])
    results = []
    digests = {}
    for engine, cpus in runs:
        out = args.workdir / f"out-{engine}-{cpus}{'-pinned' if args.taskset else ''}"
        if out.exists():
            subprocess.run(["rm", "-rf", str(out)], check=True)
        pin = ["taskset", "-c", args.taskset] if args.taskset else []
        done = subprocess.run(
            [*pin, sys.executable, __file__, "--one", engine, str(cpus), str(archive), str(out)],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        digests[(engine, cpus)] = _digest_outputs(out)
        result["identical"] = digests[(engine, cpus)] == digests[("local", 1)]
        results.append(result)
        print(json.dumps(result), file=sys.stderr)

    stages = list(results[0]["timings"])  # the run's steps, in order
    where = f", pinned to core(s) {args.taskset}" if args.taskset else ""
    print(f"\n{args.size:,} articles per side, {results[0]['pairs']:,} pairs{where}\n")
    print("| engine | " + " | ".join(stages) + " | Ray start | total | driver peak | same files |")
    print("|---" * (len(stages) + 5) + "|")
    for r in results:
        name = "local" if r["engine"] == "local" else f"ray, {r['cpus']} CPU"
        cells = [f"{r['timings'].get(s, 0.0):.1f}" for s in stages]
        print(
            f"| {name} | " + " | ".join(cells) + f" | {r['startup']:.1f} | {r['wall']:.1f} s | "
            f"{r['driver_rss_mb']:.0f} MB | {'yes' if r['identical'] else 'NO'} |"
        )


if __name__ == "__main__":
    main()
