"""The driver's cost of the result cache of ``mistok run``, per entry.

    python bench/bench_result_cache.py [PAIRS] [FOLDER]

A cold run's pattern for PAIRS pairs (default 2,000): for each pair an align, a bitext and a
check entry of about the sizes a run stores (1, 3.5 and 14 KB of JSON), each looked up (a
miss) and then put; the output folder flushed. Then a warm rerun: a new cache on the same
folder, every entry looked up (a hit), and ``drop_unused``. Then the cold run again in a new
folder, with the values already JSON-encoded (as the workers of a run encode them:
``put_encoded``). Prints the microseconds of CPU and of wall time per entry for each. Runs
with whichever mistok is first on the path (so the same script measures an older checkout).
FOLDER (default: a new temporary one) must be new.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from mistok.output_dir import OutputDir, content_key

STAGES = (("align", 1_000), ("bitext", 3_500), ("check", 14_000))


def _value(stage: str, number: int, size: int) -> dict[str, object]:
    words = [f"слово{number}-{i}" for i in range(size // 14)]
    return {"stage": stage, "pair": number, "text": " ".join(words), "beads": [[0, 1], [1]]}


def _timed(label: str, count: int, work) -> None:  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<40} {cpu / count * 1e6:8.1f} us CPU {wall / count * 1e6:8.1f} us wall")


def _close(out: OutputDir) -> None:
    closing = getattr(out, "close", None)  # older versions have no close
    if closing is not None:
        closing()


def main() -> None:
    pairs = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp()) / "out"
    entries = [
        (stage, content_key(stage, number), _value(stage, number, size))
        for number in range(pairs)
        for stage, size in STAGES
    ]

    out = OutputDir(folder)

    def cold() -> None:
        for stage, key, value in entries:
            if out.cache.get(stage, key) is None:
                out.cache.put(stage, key, value)
        out.flush()

    _timed("cold: get (miss) + put, flush", len(entries), cold)
    _close(out)
    out = OutputDir(folder)

    def warm() -> None:
        for stage, key, _ in entries:
            assert out.cache.get(stage, key) is not None

    _timed("warm: get (hit)", len(entries), warm)
    _timed("warm: drop_unused (per entry)", len(entries), out.cache.drop_unused)
    _close(out)

    out = OutputDir(folder.with_name(folder.name + "-encoded"))
    if not hasattr(out.cache, "put_encoded"):  # an older version
        return
    encoded = [
        (stage, key, json.dumps(value, ensure_ascii=False, sort_keys=True))
        for stage, key, value in entries
    ]

    def cold_encoded() -> None:
        for stage, key, text in encoded:
            if out.cache.get(stage, key) is None:
                out.cache.put_encoded(stage, key, text)
        out.flush()

    _timed("cold: get (miss) + put_encoded, flush", len(entries), cold_encoded)
    _close(out)


if __name__ == "__main__":
    main()
