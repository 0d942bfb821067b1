"""Translation throughput: transformers fp32 vs CTranslate2 int8, and our pipeline's overhead.

Throughput is a property of the architecture, not of the weights, so this measures a randomly
initialised model of the exact opus-mt shape (d_model 512, 6+6 layers, 8 heads, FFN 2048,
swish, shared embeddings, vocabulary 61,600), built here by ``tests/synthetic_marian.py``: two
sentencepiece models are trained on the seed article and the test fixture corpus (a few
hundred pieces each: that text is small), and the vocabulary is padded with placeholder tokens
to 61,600 so that the embedding and output layers have opus-mt's size. Every output is forced
to the same length (``--out-tokens``), decoding is greedy, batch 8, one thread.

Measured, each in its own process (so peak memory is per engine):
- ``ct2 raw``: ``ctranslate2.Translator.translate_batch`` on the sentences our pipeline sends,
  tokenised beforehand (the floor: nothing but the model).
- ``ct2 mistok``: ``load_translator(..., engine="ct2").translate(paragraphs)``: sentence
  splitting, tokenisation, batching, reassembly, checks included.
- ``transformers mistok``: the same through the transformers engine (fp32).

Goals (issue 3): ct2 mistok ≥ 90 % of ct2 raw, ≥ 4× transformers, peak memory ≤ 40 %.
Wall time and process CPU time are both reported: with one thread per engine, CPU time is
what the work costs and is far less disturbed than wall time by other processes on a shared
machine; the ratios are printed for both.

    python bench/bench_translate.py                   # builds the model in a temp folder
    python bench/bench_translate.py --workdir /tmp/opus-shaped   # keep it for reruns
    python bench/bench_translate.py --batch 32 --threads 1 2     # ct2 tokens/s on 1 and 2 cores

``--threads N …`` adds the CTranslate2 rows (raw and mistok) with N threads for each N (one
process each, pinned to N cores with ``taskset`` where there is one, ``OMP_NUM_THREADS=N``):
how the throughput grows with the machine's cores, through the same ``inter_threads`` /
``intra_threads`` choice as ``mistok run`` (:func:`models.ct2_engine.cpu_threads`: one
replica, every core on its batch).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = ROOT / "seeds" / "umerov-south-korea.uk.txt"
SEED_EN = ROOT / "seeds" / "umerov-south-korea.en.txt"
CORPUS = ROOT / "tests" / "models_fixtures"


def _lines(path: Path) -> list[str]:
    return [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith(("#", "---"))
    ]


def build(workdir: Path) -> tuple[Path, Path]:
    """The opus-shaped model (transformers) and its CTranslate2 int8 copy, built once."""
    from models.convert import convert_to_ct2

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from synthetic_marian import OPUS_MT_SHAPE, build_marian_model  # the tests' model builder

    hf, ct2 = workdir / "opus-shaped", workdir / "opus-shaped-ct2-int8"
    if not (hf / "model.safetensors").is_file():
        source = _lines(SEED) + _lines(CORPUS / "corpus.uk.txt")
        target = _lines(SEED_EN) + _lines(CORPUS / "corpus.en.txt")
        build_marian_model(hf, source, target, shape=OPUS_MT_SHAPE, spm_vocab_size=4000)
    if not (ct2 / "model.bin").is_file():
        convert_to_ct2(hf, out=ct2, quantization="int8")
    return hf, ct2


def _paragraphs() -> list[str]:
    from aligner.readers import read_article

    return list(read_article(SEED, lang="uk").paragraphs)


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited on exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # macOS: bytes? KB on Linux


def worker(
    engine: str, model: Path, out_tokens: int, batch: int, repeats: int, threads: int = 1
) -> list[dict]:
    """Runs in a child process: one engine's measurements, returned as JSON rows.

    For ct2, the raw ``translate_batch`` floor and our ``translate`` run interleaved in the
    same process, in alternating order, and the best of ``repeats`` is kept for each, so that
    load from other processes on a shared machine hits both alike.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from models import load_translator
    from models.segmenting import plan_segments

    paragraphs = _paragraphs()
    translator = load_translator(
        model,
        engine=engine,
        beam_size=1,
        batch_size=batch,
        threads=threads,
        min_output_tokens=out_tokens,
        max_output_tokens=out_tokens,
    )
    impl = translator.engine("uk", "en")
    plan = plan_segments(paragraphs, impl.count_tokens, translator.max_sentence_tokens)
    sentences = [s.text for s in plan.segments]
    translator.translate(paragraphs[:1])  # warm up
    wall: dict[str, list[float]] = {"raw": [], "mistok": []}
    cpu: dict[str, list[float]] = {"raw": [], "mistok": []}
    produced = {"mistok": out_tokens * len(sentences)}
    tokens = [impl._tokens(s) for s in sentences] if engine == "ct2" else []  # noqa: SLF001

    def timed(kind: str, work) -> object:
        start, start_cpu = time.perf_counter(), time.process_time()
        result = work()
        wall[kind].append(time.perf_counter() - start)
        cpu[kind].append(time.process_time() - start_cpu)
        return result

    def run_raw() -> None:
        results = timed(
            "raw",
            lambda: impl.translator.translate_batch(
                tokens,
                max_batch_size=batch,
                beam_size=1,
                max_input_length=0,
                min_decoding_length=out_tokens,
                max_decoding_length=out_tokens,
            ),
        )
        produced["raw"] = sum(len(r.hypotheses[0]) for r in results)

    def run_mistok() -> None:
        timed("mistok", lambda: translator.translate(paragraphs))

    for repeat in range(repeats):
        order = [run_raw, run_mistok] if engine == "ct2" else [run_mistok]
        for run in order if repeat % 2 == 0 else reversed(order):
            run()
    peak = _peak_mb()
    rows = []
    for kind, measured in wall.items():
        if measured:
            best, best_cpu = min(measured), min(cpu[kind])
            rows.append(
                {
                    "kind": f"{engine}-{kind}",
                    "threads": threads,
                    "paragraphs": len(paragraphs),
                    "sentences": len(sentences),
                    "tokens": produced[kind],
                    "seconds": best,
                    "tokens_per_s": produced[kind] / best,
                    "cpu_seconds": best_cpu,
                    "tokens_per_cpu_s": produced[kind] / best_cpu,
                    "peak_mb": peak,
                }
            )
    return rows


def _worker_command(engine: str, model: Path, args: argparse.Namespace) -> list[str]:
    """The command line of one measuring worker process (``--worker``)."""
    return [
        sys.executable,
        __file__,
        "--worker",
        engine,
        "--model",
        str(model),
        "--out-tokens",
        str(args.out_tokens),
        "--batch",
        str(args.batch),
        "--repeats",
        str(args.repeats),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--out-tokens", type=int, default=64)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=7, help="ct2 runs (best is kept)")
    parser.add_argument(
        "--threads", type=int, nargs="+", default=[], help="also ct2 with N threads, each N"
    )
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--model", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        repeats = 3 if args.worker == "transformers" else args.repeats
        threads = args.threads[0] if args.threads else 1
        rows = worker(args.worker, args.model, args.out_tokens, args.batch, repeats, threads)
        print(json.dumps(rows))
        return

    temp = None
    if args.workdir is None:
        temp = tempfile.TemporaryDirectory(prefix="mistok-bench-")
        args.workdir = Path(temp.name)
    args.workdir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    hf, ct2 = build(args.workdir)
    print(f"model ready in {time.perf_counter() - start:.0f} s: {hf} and {ct2}", file=sys.stderr)
    rows = []
    for engine, model in (("ct2", ct2), ("transformers", hf)):
        env = dict(os.environ, HF_HUB_OFFLINE="1", OMP_NUM_THREADS="1")
        done = subprocess.run(
            _worker_command(engine, model, args),
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if done.returncode != 0:
            sys.exit(f"{engine} failed:\n{done.stderr}")
        rows.extend(json.loads(done.stdout.strip().splitlines()[-1]))
    by_kind = {row["kind"]: row for row in rows}
    print(
        f"seed article {SEED.name}: {rows[0]['paragraphs']} paragraphs, "
        f"{rows[0]['sentences']} model inputs; opus-mt shape, random weights; "
        f"greedy, batch {args.batch}, {args.out_tokens} output tokens each, 1 thread; "
        f"ct2 best of {args.repeats}, transformers best of 3\n"
    )
    print(
        f"{'engine':<32}{'tokens':>8}{'wall s':>8}{'tok/s':>8}{'cpu s':>8}{'tok/cpu s':>10}"
        f"{'peak MB':>9}"
    )
    names = {
        "ct2-raw": "ct2 int8 raw translate_batch",
        "ct2-mistok": "ct2 int8 mistok translate",
        "transformers-mistok": "transformers fp32 mistok",
    }
    for row in rows:
        print(
            f"{names[row['kind']]:<32}{row['tokens']:>8}{row['seconds']:>8.2f}"
            f"{row['tokens_per_s']:>8.1f}{row['cpu_seconds']:>8.2f}"
            f"{row['tokens_per_cpu_s']:>10.1f}{row['peak_mb']:>9.0f}"
        )
    raw, ours, hf_row = by_kind["ct2-raw"], by_kind["ct2-mistok"], by_kind["transformers-mistok"]
    print()
    for label, key in (("wall", "tokens_per_s"), ("cpu ", "tokens_per_cpu_s")):
        print(
            f"{label}: ct2 mistok / raw {ours[key] / raw[key]:.1%} (goal ≥ 90 %); "
            f"ct2 mistok / transformers {ours[key] / hf_row[key]:.1f}× (goal ≥ 4×)"
        )
    print(
        f"peak memory: ct2 / transformers {ours['peak_mb'] / hf_row['peak_mb']:.0%} "
        "(goal ≤ 40 %; the ct2 process has no torch)"
    )
    if args.threads:
        _threads_table(args, ct2)
    if temp is not None:
        temp.cleanup()


def _threads_table(args: argparse.Namespace, ct2: Path) -> None:
    """CTranslate2 int8 tokens/s with each thread count of ``--threads`` (own process each)."""
    print(f"\nct2 int8, batch {args.batch}, by threads (best of {args.repeats}):")
    print(f"{'threads':>8}{'raw tok/s':>11}{'mistok tok/s':>14}{'mistok tok/cpu s':>18}")
    for threads in args.threads:
        env = dict(os.environ, HF_HUB_OFFLINE="1", OMP_NUM_THREADS=str(threads))
        pin = []
        cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
        if len(cores) >= threads:
            pin = ["taskset", "-c", ",".join(map(str, cores[:threads]))]
        command = [*pin, *_worker_command("ct2", ct2, args), "--threads", str(threads)]
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0:
            sys.exit(f"ct2 with {threads} threads failed:\n{done.stderr}")
        rows = {r["kind"]: r for r in json.loads(done.stdout.strip().splitlines()[-1])}
        raw, ours = rows["ct2-raw"], rows["ct2-mistok"]
        print(
            f"{threads:>8}{raw['tokens_per_s']:>11.1f}{ours['tokens_per_s']:>14.1f}"
            f"{ours['tokens_per_cpu_s']:>18.1f}"
        )


if __name__ == "__main__":
    main()
