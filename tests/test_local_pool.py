"""The local engine on several cores: its process pool writes what one process writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import warnings

import pytest
from run_helpers import snapshot, write_archive

from aligner.errors import ConfigError, InputError, MistokError
from mistok.pipeline.driver import run_pipeline
from mistok.pipeline.scheduling import (
    EARLY_START_BYTES,
    WORKERS_ENV,
    InProcessScheduler,
    ProcessPoolScheduler,
    local_workers,
)
from mistok.run_records import RunSettings

#: Every stage in the pool, one item per task (the tests' archives are a few pairs).
EVERY_ITEM = {"pair": 1, "align": 1, "bitext": 1, "check": 1}


def pool() -> ProcessPoolScheduler:
    return ProcessPoolScheduler(2, chunk_sizes=dict(EVERY_ITEM), min_chunks=1)


def test_the_pool_writes_what_one_process_writes(tmp_path):
    archive = write_archive(tmp_path / "in", split=True)
    inputs = (archive / "uk", archive / "en")
    here = run_pipeline(RunSettings(inputs, tmp_path / "here"), scheduler=InProcessScheduler())
    with pool() as scheduler:
        pooled = run_pipeline(RunSettings(inputs, tmp_path / "pool"), scheduler=scheduler)
    assert here.counts["pairs"] == 3 and here.counts["bitext_rows"] > 3
    assert pooled.counts == here.counts and pooled.notes == here.notes
    assert snapshot(tmp_path / "pool") == snapshot(tmp_path / "here")


def test_every_result_comes_back_once_with_its_index():
    with ProcessPoolScheduler(2, chunk_sizes={"align": 3}, min_chunks=1) as scheduler:
        results = list(scheduler.map("align", _double, list(range(50))))
    assert sorted(results) == [(i, 2 * i) for i in range(50)]


def test_a_small_stage_runs_in_this_process():
    scheduler = ProcessPoolScheduler(2, chunk_sizes={"align": 10}, min_chunks=4)
    assert dict(scheduler.map("align", _pid, [1, 2, 3])) == {
        0: os.getpid(),
        1: os.getpid(),
        2: os.getpid(),
    }
    assert scheduler._pool is None  # no workers were started


def test_the_pairing_merge_runs_in_a_worker_once_the_workers_run():
    with ProcessPoolScheduler(2, chunk_sizes={"pair": 1}, min_chunks=4) as scheduler:
        # before the workers start (an archive paired here), the merge runs here too
        assert dict(scheduler.map("pair-merge", _pid, [1])) == {0: os.getpid()}
        assert scheduler._pool is None
        assert os.getpid() not in dict(scheduler.map("pair", _pid, [1, 2, 3, 4])).values()
        assert dict(scheduler.map("pair-merge", _pid, [1]))[0] != os.getpid()
        assert dict(scheduler.map("align", _pid, [1])) == {0: os.getpid()}  # not the others


def test_a_mistok_error_in_a_worker_reaches_the_driver_as_itself():
    with pool() as scheduler, pytest.raises(ConfigError, match="bad setting"):
        list(scheduler.map("align", _raise_config_error, [1, 2, 3]))


def test_warnings_of_workers_reach_the_driver():
    with pool() as scheduler, pytest.warns(UserWarning, match="cut to fit"):
        assert dict(scheduler.map("align", _warn_and_double, [1, 2])) == {0: 2, 1: 4}


def test_a_worker_that_dies_stops_the_stage_with_one_line():
    with (
        pool() as scheduler,
        pytest.raises(MistokError, match=r"died in the check stage") as caught,
    ):
        list(scheduler.map("check", _die, [1, 2]))
    assert "\n" not in str(caught.value) and "rerun to resume" in str(caught.value)


def test_the_number_of_workers_follows_the_environment(monkeypatch):
    monkeypatch.setenv(WORKERS_ENV, "3")
    assert local_workers() == 3
    monkeypatch.setenv(WORKERS_ENV, "none")  # not a number: one per core
    assert local_workers() == len(os.sched_getaffinity(0))


def _double(item: int) -> int:
    return 2 * item


def _pid(item: int) -> int:
    return os.getpid()


def _raise_config_error(item: int) -> int:
    raise ConfigError("bad setting")


def _warn_and_double(item: int) -> int:
    warnings.warn("a sentence was cut to fit the model", UserWarning, stacklevel=1)
    return item * 2


def _die(item: int) -> int:
    os.kill(os.getpid(), signal.SIGKILL)
    return item


# -- an archive that changes under the run ------------------------------------------------


def _changing_reader(monkeypatch, change):
    """``read_run_inputs`` that changes the archive once, right after reading it."""
    from mistok.pipeline import steps

    read = steps.read_run_inputs
    done = []

    def reading(inputs, out=None):
        found = read(inputs, out)
        if not done:
            done.append(True)
            change()
        return found

    monkeypatch.setattr(steps, "read_run_inputs", reading)


def test_an_archive_that_grows_while_read_is_one_line_and_a_rerun_completes(tmp_path, monkeypatch):
    archive = write_archive(tmp_path / "in")
    grown = archive / "aid.uk.txt"
    text = grown.read_text(encoding="utf-8")
    _changing_reader(monkeypatch, lambda: grown.write_text(text + "\nМорe.\n", "utf-8"))
    out = tmp_path / "out"
    with pytest.raises(InputError, match=rf"^input {grown} grew from \d+ to \d+ bytes") as caught:
        run_pipeline(RunSettings((archive,), out))
    assert "\n" not in str(caught.value) and not out.exists()  # nothing written
    assert run_pipeline(RunSettings((archive,), out)).counts["pairs"] == 3


def test_a_shard_that_disappears_during_the_run_is_named_and_a_rerun_resumes(tmp_path, monkeypatch):
    archive = write_archive(tmp_path / "in")
    out = tmp_path / "out"
    run_pipeline(RunSettings((archive,), out))
    shard = archive / "seoul.en.txt"
    kept = shard.read_bytes()
    _changing_reader(monkeypatch, shard.unlink)
    with pytest.raises(InputError, match=rf"^input {shard} disappeared while the archive was read"):
        run_pipeline(RunSettings((archive,), out))
    shard.write_bytes(kept)
    again = run_pipeline(RunSettings((archive,), out))
    assert again.reused["check"] == 3  # resumed from the cache


# -- junit.xml made piece by piece -------------------------------------------------------


def _junit_as_one_tree(verdicts) -> str:
    """junit.xml as it was made before it was streamed: one tree, indented whole."""
    import xml.etree.ElementTree as ET

    root = ET.Element("testsuites", {"name": "mistok run"})
    totals = {"tests": 0, "failures": 0, "errors": 0}
    seconds = 0.0
    for verdict in verdicts:
        parsed = ET.fromstring(verdict.junit.encode("utf-8"))
        suites = [parsed] if parsed.tag == "testsuite" else parsed.findall("testsuite")
        for suite in suites:
            suite.set("id", verdict.pair_id)
            for key in totals:
                totals[key] += int(suite.get(key, "0") or 0)
            seconds += float(suite.get("time", "0") or 0)
            root.append(suite)
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{seconds:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def test_the_streamed_junit_is_the_one_tree_document(tmp_path):
    import json
    import sqlite3
    from contextlib import closing

    from mistok.export.junit import junit_chunks
    from mistok.run_records import PairCheck

    archive = write_archive(tmp_path / "in")
    out = tmp_path / "out"
    run_pipeline(RunSettings((archive,), out), scheduler=InProcessScheduler())
    with closing(sqlite3.connect(out / ".mistok-cache" / "results.sqlite")) as db:
        cached = db.execute("SELECT value FROM results WHERE stage = 'check' ORDER BY key")
        verdicts = [PairCheck.from_dict(json.loads(value)) for (value,) in cached]
    assert len(verdicts) == 3
    for some in ([], verdicts[:1], verdicts):
        assert b"".join(junit_chunks(some)).decode("utf-8") == _junit_as_one_tree(some)


def _sleep_and_report(folder: str) -> int:
    """Write this worker's pid into ``folder``, then take a long time."""
    import time
    from pathlib import Path

    (Path(folder) / str(os.getpid())).touch()
    time.sleep(60)
    return 0


def test_workers_end_when_the_driver_is_killed(tmp_path):
    import subprocess
    import sys
    import time
    from pathlib import Path

    script = tmp_path / "driver.py"
    script.write_text(
        "import sys\n"
        "from mistok.pipeline.scheduling import ProcessPoolScheduler\n"
        "from test_local_pool import _sleep_and_report\n"
        "if __name__ == '__main__':\n"
        "    pool = ProcessPoolScheduler(2, chunk_sizes={'align': 1}, min_chunks=1)\n"
        "    list(pool.map('align', _sleep_and_report, [sys.argv[1]] * 4))\n",
        encoding="utf-8",
    )
    pids = tmp_path / "pids"
    pids.mkdir()
    tests = str(Path(__file__).resolve().parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([tests, *sys.path])}
    driver = subprocess.Popen([sys.executable, str(script), str(pids)], env=env)
    deadline = time.monotonic() + 60
    while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = [int(p.name) for p in pids.iterdir()]
    assert len(workers) == 2
    driver.kill()
    driver.wait()
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in workers)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class _SendsEverything(InProcessScheduler):
    """One process, but as if its stages ran elsewhere (Ray's case): every item and result
    goes through the driver, none through the output folder's files."""

    shares_files = False


def test_stages_that_pass_data_through_files_write_what_sending_it_writes(tmp_path):
    archive = write_archive(tmp_path / "in", split=True)
    inputs = (archive / "uk", archive / "en")
    run_pipeline(RunSettings(inputs, tmp_path / "sent"), scheduler=_SendsEverything())
    with pool() as scheduler:  # the store shared, the pairs left in files by the workers
        run_pipeline(RunSettings(inputs, tmp_path / "files"), scheduler=scheduler)
    assert snapshot(tmp_path / "files") == snapshot(tmp_path / "sent")
    assert not list((tmp_path / "files").rglob(".tmp-mistok-*"))  # every file taken or removed


_PROBE = """
import sys
from mistok.pipeline.scheduling import EARLY_START_BYTES, ProcessPoolScheduler
from probe import loaded

with ProcessPoolScheduler(2, chunk_sizes={"per-pair": 1}, min_chunks=1) as scheduler:
    scheduler.prepare_workers(int(sys.argv[1]))
    names = ["mistok.pipeline.stages", "jinja2"]
    print(sorted({found for _, found in scheduler.map("per-pair", loaded, names * 4)}))
"""


@pytest.mark.parametrize("large", [True, False])
def test_the_workers_of_a_large_archive_start_with_the_stage_modules(tmp_path, large):
    # a fresh interpreter: the process server (and what it preloads) is one per process
    (tmp_path / "probe.py").write_text(
        "import sys\n\ndef loaded(name):\n    return name, name in sys.modules\n"
    )
    size = EARLY_START_BYTES if large else EARLY_START_BYTES - 1
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(size)],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    expected = [("jinja2", large), ("mistok.pipeline.stages", large)]
    assert done.stdout.strip() == str(expected)


_PACKAGE_PROBE = """
import os
import sys
from mistok.pipeline.scheduling import ProcessPoolScheduler
from probe import package_file, working_folder

if __name__ == "__main__":  # the process server imports this script again
    with ProcessPoolScheduler(2, chunk_sizes={"per-pair": 1}, min_chunks=1) as scheduler:
        scheduler.prepare_workers(int(sys.argv[1]))
        names = sys.argv[2:] * 2
        print(sorted({found for _, found in scheduler.map("per-pair", package_file, names)}))
        print(os.getcwd())  # the driver's own working folder still
        print(sorted({found for _, found in scheduler.map("per-pair", working_folder, names)}))
"""


@pytest.mark.parametrize("large", [True, False])
def test_workers_import_mistoks_packages_not_the_users_of_the_same_name(tmp_path, large):
    # run from a folder holding packages named like mistok's (an ML project's eval/ and
    # models/): the workers must import what the driver imports, not those
    from mistok.pipeline.scheduling import PACKAGES_FOLDER

    users = tmp_path / "project"
    for name in ("eval", "models"):
        (users / name).mkdir(parents=True)
        (users / name / "__init__.py").write_text("# the user's own package\n")
    probes = tmp_path / "probes"
    probes.mkdir()
    (probes / "probe.py").write_text(
        "import importlib\nimport os\n\ndef package_file(name):\n"
        "    return name, importlib.import_module(name).__file__\n\n"
        "def working_folder(_):\n    return os.getcwd()\n"
    )
    (probes / "run_probe.py").write_text(_PACKAGE_PROBE)
    size = EARLY_START_BYTES if large else 0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(probes), *sys.path])}
    done = subprocess.run(
        [sys.executable, str(probes / "run_probe.py"), str(size), "eval", "models"],
        cwd=users, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    expected = [(name, str(PACKAGES_FOLDER / name / "__init__.py")) for name in ("eval", "models")]
    # the driver's working folder is its own again, and the workers' is the driver's
    assert done.stdout.splitlines() == [str(expected), str(users), str([str(users)])]
