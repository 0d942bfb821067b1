"""xliff/, findings.csv and findings.xlsx made by a worker while the driver writes the rest
(:mod:`mistok.pipeline.translator_files_job`): the same bytes as one process writes, the same
care for what is not mistok's, and no temporary file left behind."""

from __future__ import annotations

import pytest
from run_helpers import snapshot, write_archive

from aligner.errors import MistokError
from mistok.output_dir import TEMP_PREFIX
from mistok.pipeline import driver, steps
from mistok.pipeline.driver import run_pipeline
from mistok.pipeline.scheduling import InProcessScheduler, ProcessPoolScheduler
from mistok.run_records import RunSettings


def pool() -> ProcessPoolScheduler:
    """Two workers that take every stage, however small (the archive is a few pairs)."""
    return ProcessPoolScheduler(2, chunk_sizes={"pair": 1, "per-pair": 1}, min_chunks=1)


def leftovers(out) -> list[str]:
    return sorted(p.name for p in out.rglob(f"{TEMP_PREFIX}*"))


def test_the_translators_files_of_a_worker_are_one_process_files(tmp_path):
    archive = write_archive(tmp_path / "in")
    here, there = tmp_path / "here", tmp_path / "pool"
    run_pipeline(RunSettings((archive,), here), scheduler=InProcessScheduler())
    with pool() as scheduler:
        run_pipeline(RunSettings((archive,), there), scheduler=scheduler)
    files = snapshot(there)
    assert files == snapshot(here)
    assert any(name.startswith("xliff/") for name in files)  # a job per article to translate
    assert (there / "findings.csv").read_text().count("\n") > 1  # findings, not a header only
    assert leftovers(there) == []


def test_a_users_findings_file_is_kept_and_no_staged_file_is_left(tmp_path):
    archive = write_archive(tmp_path / "in")
    out = tmp_path / "out"
    with pool() as scheduler:
        run_pipeline(RunSettings((archive,), out), scheduler=scheduler)
    (out / "findings.csv").write_text("my own notes\n")
    jobs = sorted((out / "xliff").iterdir())
    jobs[0].write_text("my own translation\n")
    (archive / "seoul.en.txt").write_text("A different article now.\n")  # new findings
    with pool() as scheduler:
        summary = run_pipeline(RunSettings((archive,), out), scheduler=scheduler)
    kept = dict(summary.kept)
    assert kept["findings.csv"] == "changed since mistok wrote it"
    assert (out / "findings.csv").read_text() == "my own notes\n"
    assert jobs[0].read_text() == "my own translation\n"
    assert leftovers(out) == []


def test_a_run_stopped_before_its_write_step_leaves_no_staged_file(tmp_path, monkeypatch):
    archive = write_archive(tmp_path / "in")

    def write_fails(state):
        assert state.staged_translator_files is not None  # the job was started
        raise MistokError("stopped before the write step")

    changed = tuple((n, write_fails if n == "write" else s) for n, s in steps.STEPS)
    monkeypatch.setattr(driver, "STEPS", changed)
    out = tmp_path / "out"
    with pool() as scheduler, pytest.raises(MistokError, match="before the write step"):
        run_pipeline(RunSettings((archive,), out), scheduler=scheduler)
    assert leftovers(out) == []
    assert not (out / "findings.csv").exists() and not list(out.glob("xliff/*"))
