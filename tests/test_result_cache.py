"""The result cache of ``mistok run`` (one SQLite database per output folder): batched
writes that survive a reopen and a kill, a corrupt database started anew, ``drop_unused``,
and the one-file-per-result layout of earlier versions."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import warnings
from contextlib import closing
from pathlib import Path

import pytest

from mistok import result_cache
from mistok.output_dir import OutputDir, ResultCache, content_key
from mistok.result_cache import BATCH_RESULTS, DATABASE_NAME

ROOT = Path(__file__).resolve().parents[1]


def _rows(cache_root: Path) -> dict[tuple[str, str], object]:
    """What the database holds, read with a connection of its own."""
    with closing(sqlite3.connect(cache_root / DATABASE_NAME)) as db:
        rows = db.execute("SELECT stage, key, value FROM results").fetchall()
    return {(stage, key): json.loads(value) for stage, key, value in rows}


def test_values_survive_a_reopen_and_come_back_as_put(tmp_path):
    cache = ResultCache(tmp_path)
    value = {"текст": "Умєров", "beads": [[0], [1, 2]], "score": 0.5, "none": None}
    cache.put("align", "a", value)
    cache.put_encoded("check", "c", json.dumps([1, "два"], ensure_ascii=False))
    assert cache.get("align", "a") == value  # before it is written
    cache.close()
    again = ResultCache(tmp_path)
    assert again.get("align", "a") == value
    assert again.get("check", "c") == [1, "два"]
    assert again.get("check", "missing") is None
    again.close()
    assert _rows(tmp_path)[("align", "a")] == value


def test_results_are_written_in_batches_and_at_commit(tmp_path):
    cache = ResultCache(tmp_path)
    for number in range(BATCH_RESULTS + 3):
        cache.put("align", str(number), number)
    assert len(_rows(tmp_path)) == BATCH_RESULTS  # one batch written, three kept back
    cache.commit()
    assert len(_rows(tmp_path)) == BATCH_RESULTS + 3
    assert cache.unsynced  # for OutputDir.flush


def test_a_late_result_is_written_with_the_ones_before_it(tmp_path, monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(result_cache.time, "monotonic", lambda: clock[0])
    cache = ResultCache(tmp_path)
    assert cache.get("translate", "a") is None
    cache.put("translate", "a", 1)
    assert _rows(tmp_path) == {}
    clock[0] += result_cache.BATCH_SECONDS
    cache.put("translate", "b", 2)
    assert _rows(tmp_path) == {("translate", "a"): 1, ("translate", "b"): 2}


def test_the_flush_of_the_output_folder_writes_the_cache(tmp_path):
    out = OutputDir(tmp_path / "out")
    out.cache.put("pair", "k", {"pairs": []})
    out.flush()
    assert _rows(out.cache.root) == {("pair", "k"): {"pairs": []}}
    out.close()


def test_a_killed_process_keeps_the_batches_it_wrote(tmp_path):
    """SIGKILL half-way through a batch: the batches written before survive, the database
    opens without an error, and the lost tail is simply missing (recomputed)."""
    count = BATCH_RESULTS * 2 + 5
    script = (
        "import os, signal, sys\n"
        "from mistok.result_cache import ResultCache\n"
        "cache = ResultCache(sys.argv[1])\n"
        f"for number in range({count}):\n"
        "    cache.put('check', str(number), {'number': number})\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, capture_output=True
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    again = ResultCache(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not started anew: it was readable
        kept = [n for n in range(count) if again.get("check", str(n)) == {"number": n}]
    assert kept == list(range(BATCH_RESULTS * 2))
    again.close()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: path.write_bytes(b"not a database\n" * 500), id="garbage"),
        pytest.param(lambda path: path.write_bytes(path.read_bytes()[:5000]), id="truncated"),
        pytest.param(lambda path: _set_format(path, 99), id="another format"),
        pytest.param(lambda path: _another_programs(path), id="another schema"),
    ],
)
def test_an_unreadable_database_is_started_anew(tmp_path, damage):
    cache = ResultCache(tmp_path)
    for number in range(50):
        cache.put("check", str(number), "x" * 2_000)
    cache.close()
    damage(tmp_path / DATABASE_NAME)
    again = ResultCache(tmp_path)
    with pytest.warns(UserWarning, match="was unreadable .* a new one was started"):
        assert again.get("check", "1") is None
    again.put("check", "1", "new")
    assert again.drop_unused() == 0
    again.close()
    assert _rows(tmp_path) == {("check", "1"): "new"}


def _set_format(path: Path, version: int) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA user_version = {version}")


def _another_programs(path: Path) -> None:
    path.unlink()
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE results (name TEXT)")


def test_drop_unused_removes_exactly_what_the_run_did_not_ask_for(tmp_path):
    earlier = ResultCache(tmp_path)
    for stage in ("align", "check", "translate"):
        for key in ("found", "asked-and-recomputed", "not-asked"):
            earlier.put(stage, key, f"{stage}/{key}")
    earlier.close()

    run = ResultCache(tmp_path)
    for stage in ("align", "check"):  # translate: a stage this run did not use
        assert run.get(stage, "found") == f"{stage}/found"
        run.put(stage, "asked-and-recomputed", "new")
        assert run.get(stage, "never-there") is None
        run.put(stage, "new", "new")
    assert run.drop_unused() == 2  # align/not-asked and check/not-asked
    run.close()
    assert sorted(_rows(tmp_path)) == sorted(
        [(s, k) for s in ("align", "check") for k in ("found", "asked-and-recomputed", "new")]
        + [("translate", k) for k in ("found", "asked-and-recomputed", "not-asked")]
    )
    next_run = ResultCache(tmp_path)  # a new run: what this one asked for is not its own
    next_run.get("align", "new")
    assert next_run.drop_unused() == 2  # align/found and align/asked-and-recomputed
    next_run.close()


def test_may_hold_is_false_only_for_a_stage_without_any_result(tmp_path):
    fresh = ResultCache(tmp_path)
    assert not fresh.may_hold("align")  # a new folder: its keys need not be asked one by one
    fresh.put("align", "a", 1)
    assert fresh.may_hold("align")  # put, not written yet
    fresh.close()
    again = ResultCache(tmp_path)
    assert again.may_hold("align") and not again.may_hold("check")
    # asking counts as using the stage: its results the run did not ask for are dropped
    assert again.drop_unused() == 1
    again.close()
    _write_old_entry(tmp_path / "old", "check", "k", 2)  # a folder of the old layout
    assert ResultCache(tmp_path / "old").may_hold("check")


def _write_old_entry(cache_root: Path, stage: str, key: str, value: object) -> None:
    """A result as versions before the database kept it: ``<stage>/<key>.json``."""
    folder = cache_root / stage
    folder.mkdir(parents=True, exist_ok=True)
    entry = {"key": key, "value": value}
    (folder / f"{key}.json").write_text(json.dumps(entry, ensure_ascii=False), "utf-8")


def test_an_old_per_file_cache_is_read_copied_and_then_removed(tmp_path):
    _write_old_entry(tmp_path, "align", "used", {"beads": [[0], [0]], "мова": "uk"})
    _write_old_entry(tmp_path, "align", "unused", 1)
    (tmp_path / "align" / "torn.json").write_text('{"key": "torn", "val')
    _write_old_entry(tmp_path, "translate", "other stage", 2)
    cache = ResultCache(tmp_path)
    assert cache.get("align", "used") == {"beads": [[0], [0]], "мова": "uk"}
    assert cache.get("align", "torn") is None
    assert cache.drop_unused() == 2  # the unused and the torn file
    cache.close()
    assert not (tmp_path / "align").exists()
    assert (tmp_path / "translate").is_dir()  # a stage the run did not use: left as it was
    assert _rows(tmp_path) == {("align", "used"): {"beads": [[0], [0]], "мова": "uk"}}


def test_a_rerun_over_a_folder_of_the_old_layout_reuses_its_results(tmp_path):
    from click.testing import CliRunner
    from run_helpers import snapshot, write_archive

    from mistok.cli import main

    archive, out = write_archive(tmp_path / "in"), tmp_path / "out"
    assert CliRunner().invoke(main, ["run", str(archive), "-o", str(out)]).exit_code == 0
    before = snapshot(out)
    cache_root = out / ".mistok-cache"
    for (stage, key), value in _rows(cache_root).items():  # as an earlier version left it
        _write_old_entry(cache_root, stage, key, value)
    (cache_root / DATABASE_NAME).unlink()

    result = CliRunner().invoke(main, ["run", str(archive), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "reused pairing yes, 3/3 alignments, 3/3 checks" in " ".join(result.output.split())
    assert snapshot(out) == before
    assert sorted(p.name for p in cache_root.iterdir() if p.is_dir()) == []
    assert {stage for stage, _ in _rows(cache_root)} == {"pair", "align", "bitext", "check"}


def test_a_run_over_a_corrupt_cache_recomputes_with_one_warning_line(tmp_path):
    from click.testing import CliRunner
    from run_helpers import snapshot, write_archive

    from mistok.cli import main

    archive, out = write_archive(tmp_path / "in"), tmp_path / "out"
    assert CliRunner().invoke(main, ["run", str(archive), "-o", str(out)]).exit_code == 0
    before = snapshot(out)
    (out / ".mistok-cache" / DATABASE_NAME).write_bytes(b"\0garbage" * 4096)

    result = CliRunner().invoke(main, ["run", str(archive), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    warned = [line for line in result.output.splitlines() if "was unreadable" in line]
    assert len(warned) == 1 and warned[0].startswith("mistok: warning: the result cache ")
    assert "reused nothing" in " ".join(result.output.split())
    assert snapshot(out) == before


def test_content_keys_are_what_the_cache_is_keyed_by(tmp_path):
    cache = ResultCache(tmp_path)
    key = content_key("align", {"a": 1})
    cache.put("align", key, 1)
    assert cache.get("align", content_key("align", {"a": 1})) == 1
    assert cache.get("align", content_key("align", {"a": 2})) is None
    cache.close()
