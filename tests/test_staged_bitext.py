"""bitext.jsonl, bitext.tmx and dataset/ made by a worker while the driver writes the rest
(:mod:`mistok.pipeline.bitext_files`): the same bytes, the same care for what is not
mistok's, and no temporary file left behind."""

from __future__ import annotations

import os

import pytest
from run_helpers import snapshot, write_archive

from aligner.errors import ConfigError, MistokError
from mistok.output_dir import TEMP_PREFIX
from mistok.pipeline import driver, steps
from mistok.pipeline.driver import run_pipeline
from mistok.pipeline.scheduling import InProcessScheduler, ProcessPoolScheduler
from mistok.result_spool import ResultSpool
from mistok.run_records import RunSettings


def pool() -> ProcessPoolScheduler:
    """Two workers that take every stage, however small (the archive is a few pairs)."""
    return ProcessPoolScheduler(2, chunk_sizes={"pair": 1, "per-pair": 1}, min_chunks=1)


def leftovers(out) -> list[str]:
    return sorted(p.name for p in out.rglob(f"{TEMP_PREFIX}*"))


def _pid(_: object) -> int:
    return os.getpid()


def _total(reader) -> int:
    return sum(reader)


def _raise_config_error(_: object) -> None:
    raise ConfigError("bad setting")


def test_a_started_job_runs_in_a_worker_once_the_workers_run():
    with ProcessPoolScheduler(2, chunk_sizes={"pair": 1}, min_chunks=1) as scheduler:
        assert scheduler.start("bitext-files", _pid, 1)() == os.getpid()  # no workers yet
        assert scheduler._pool is None
        dict(scheduler.map("pair", _pid, [1, 2]))
        assert scheduler.start("bitext-files", _pid, 1)() != os.getpid()
        with pytest.raises(ConfigError, match="bad setting"):
            scheduler.start("bitext-files", _raise_config_error, 1)()
    # here, the error is raised where the result is asked for too, as from a worker
    failed = InProcessScheduler().start("bitext-files", _raise_config_error, 1)
    with pytest.raises(ConfigError, match="bad setting"):
        failed()


def test_a_named_spool_is_read_by_a_worker_and_removed_when_closed(tmp_path):
    spool: ResultSpool[int] = ResultSpool(tmp_path, named=True)
    for number in (2, 0, 1):  # results arrive in any order
        spool.put(number, 10**number)
    reader = spool.reader()
    spool.put(3, 1000)  # after the reader: not part of it
    with pool() as scheduler:
        dict(scheduler.map("pair", _pid, [1, 2]))  # the workers run
        assert scheduler.start("bitext-files", _total, reader)() == 111
    assert list(reader) == [1, 10, 100]
    assert [p.name.startswith(TEMP_PREFIX) for p in tmp_path.iterdir()] == [True]
    spool.close()
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="named spool"):
        ResultSpool(tmp_path).reader()


def test_the_staged_files_are_what_one_process_writes_and_none_is_left(tmp_path):
    pytest.importorskip("datasets")
    archive = write_archive(tmp_path / "in", split=True)
    inputs = (archive / "uk", archive / "en")
    here = tmp_path / "here"
    run_pipeline(RunSettings(inputs, here), scheduler=InProcessScheduler())
    with pool() as scheduler:
        run_pipeline(RunSettings(inputs, tmp_path / "pool"), scheduler=scheduler)
    assert snapshot(tmp_path / "pool") == snapshot(here)
    assert (here / "bitext.tmx").stat().st_size > 0 and leftovers(tmp_path / "pool") == []


def test_a_users_bitext_and_dataset_files_are_kept_and_no_staged_file_is_left(tmp_path):
    pytest.importorskip("datasets")
    archive = write_archive(tmp_path / "in", split=True)
    inputs = (archive / "uk", archive / "en")
    out = tmp_path / "out"
    with pool() as scheduler:
        run_pipeline(RunSettings(inputs, out), scheduler=scheduler)
    (out / "bitext.jsonl").write_text('{"mine": true}\n')
    (out / "dataset" / "notes.txt").write_text("mine")
    tmx_before = (out / "bitext.tmx").read_bytes()
    (archive / "en" / "aid.en.txt").write_text("A different article now.\n")  # new bitext
    with pool() as scheduler:
        summary = run_pipeline(RunSettings(inputs, out), scheduler=scheduler)
    kept = dict(summary.kept)
    assert kept["bitext.jsonl"] == "changed since mistok wrote it"
    assert kept["dataset/"] == "holds files not written by mistok"
    assert (out / "bitext.jsonl").read_text() == '{"mine": true}\n'
    assert (out / "dataset" / "notes.txt").read_text() == "mine"
    assert (out / "bitext.tmx").read_bytes() != tmx_before  # mistok's own: rewritten
    assert leftovers(out) == []


def test_a_run_stopped_before_its_write_step_leaves_no_staged_file(tmp_path, monkeypatch):
    pytest.importorskip("datasets")
    archive = write_archive(tmp_path / "in", split=True)

    def translate_fails(state):
        assert state.staged_bitext is not None  # the job was started
        raise MistokError("stopped in the translate step")

    changed = tuple((n, translate_fails if n == "translate" else s) for n, s in steps.STEPS)
    monkeypatch.setattr(driver, "STEPS", changed)
    out = tmp_path / "out"
    with pool() as scheduler, pytest.raises(MistokError, match="translate step"):
        run_pipeline(RunSettings((archive / "uk", archive / "en"), out), scheduler=scheduler)
    assert leftovers(out) == []
    assert not (out / "bitext.jsonl").exists() and not (out / "dataset").exists()
