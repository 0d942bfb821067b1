"""The Ray engine of ``mistok run``: same files as the local engine, worker failures, bad input.

One local Ray instance (two CPUs) serves the whole module. Without Ray installed the module is
skipped, except where ``MISTOK_TEST_RAY=required`` (``.ci/run`` sets it): there a missing Ray
is a failure, so that CI cannot pass without running these tests.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

try:
    import ray
except ImportError:
    if os.environ.get("MISTOK_TEST_RAY") == "required":
        raise
    pytest.skip("ray is not installed (pip install 'mistok[ray]')", allow_module_level=True)

from click.testing import CliRunner
from run_helpers import SEEDS, finding_lines, snapshot, write_archive

from aligner.errors import MistokError
from mistok.cli import main
from mistok.pipeline.drafting import GivenTranslator
from mistok.pipeline.driver import run_pipeline
from mistok.pipeline.ray_engine import RayScheduler, RaySettings, connect
from mistok.pipeline.scheduling import InProcessScheduler
from mistok.run_records import RunSettings

pytestmark = [pytest.mark.ray, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cluster():
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        object_store_memory=300 * 1024 * 1024,
    )
    # the tests' own stage functions and translators travel by value (workers cannot import
    # the test module)
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    yield RayScheduler()
    ray.shutdown()


def _die_once(function: Callable, marker: str, item: object) -> object:
    """``function(item)``, but the first call anywhere kills its worker process, as a lost
    node would (it creates ``marker`` first, so the retried task lives)."""
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return function(item)
    os._exit(1)


class _LosesAWorker:
    """The Ray scheduler, but the first per-pair task's worker (align, bitext, check) dies."""

    shares_files = False

    def __init__(self, scheduler: RayScheduler, marker: Path) -> None:
        self.scheduler = scheduler
        self.marker = marker

    def map(self, stage: str, function: Callable, items: Sequence) -> Iterator:
        if stage == "per-pair":
            function = functools.partial(_die_once, function, str(self.marker))
        return self.scheduler.map(stage, function, items)

    def start(self, stage: str, function: Callable, item: object) -> Callable:
        return self.scheduler.start(stage, function, item)

    def translate(self, *args: object, **kwargs: object) -> Iterator:
        return self.scheduler.translate(*args, **kwargs)


def dated_archive(root: Path) -> Path:
    """The seed-cut archive of the pipeline tests, dated over most of a year, as one JSON
    Lines file: pairing then works on several date partitions (one task each on Ray)."""
    folder = write_archive(root / "files")
    dates = {"visit": "2024-01-10", "aid": "2024-05-02", "seoul": "2024-09-20"}
    records = []
    for path in sorted(folder.glob("*.txt")):
        stem, lang = path.name.split(".")[:2]
        paragraphs = [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        date = dates.get(stem, "2024-03-15")
        records.append({"id": stem, "lang": lang, "date": date, "paragraphs": paragraphs})
    target = root / "archive.jsonl"
    target.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return target


@pytest.mark.parametrize("mt_engine", ["transformers", "ct2"])
def test_ray_run_writes_what_the_local_run_writes(tmp_path, cluster, tiny_marian, mt_engine):
    from aligner.pairing_partitions import plan_partitions
    from mistok.pipeline.inputs import read_run_inputs

    archive = dated_archive(tmp_path)
    inputs = read_run_inputs([archive])
    assert len(plan_partitions(list(inputs.uk), list(inputs.en))) > 1  # a task per partition

    model = str(tiny_marian.transformers if mt_engine == "transformers" else tiny_marian.ct2)
    local = run_pipeline(RunSettings((archive,), tmp_path / "local", model, mt_engine))
    on_ray = run_pipeline(
        RunSettings((archive,), tmp_path / "ray", model, mt_engine), scheduler=cluster
    )
    assert local.counts["pairs"] == 3 and local.counts["drafts"] >= 1  # the real model ran
    assert on_ray.counts == local.counts
    assert on_ray.notes == local.notes
    assert on_ray.model_message == local.model_message
    assert snapshot(tmp_path / "ray") == snapshot(tmp_path / "local")


def test_with_a_bridge_and_a_style_the_files_are_the_same(tmp_path, cluster):
    archive = write_archive(tmp_path / "in", split=True)
    bridge = tmp_path / "mt"
    bridge.mkdir()
    for name in ("visit", "aid"):  # "MT" of two articles: the English text, one per paragraph
        uk = (archive / "uk" / f"{name}.uk.txt").read_text(encoding="utf-8").split("\n\n")
        en = (archive / "en" / f"{name}.en.txt").read_text(encoding="utf-8").split("\n\n")
        (bridge / f"{name}.uk.txt").write_text("\n\n".join((en * 3)[: len(uk)]), "utf-8")
    style = tmp_path / "style.toml"
    style.write_text('[names]\n"Умєров" = "Umyerov"\n', encoding="utf-8")
    inputs = (archive / "uk", archive / "en")
    local = run_pipeline(RunSettings(inputs, tmp_path / "local", style=style, bridge=bridge))
    on_ray = run_pipeline(
        RunSettings(inputs, tmp_path / "ray", style=style, bridge=bridge), scheduler=cluster
    )
    assert on_ray.notes == local.notes and on_ray.counts == local.counts
    assert snapshot(tmp_path / "ray") == snapshot(tmp_path / "local")
    signatures = [
        json.loads(path.read_text())["signature"]
        for path in (tmp_path / "ray" / "alignments").glob("*.json")
    ]
    assert sum("bridge:yes" in s for s in signatures) == 2


def test_a_run_configuration_reaches_the_ray_workers(tmp_path, cluster):
    """Non-default aligner, pairing and check settings: the Ray run writes what the local run
    writes, and both differ from a run with the defaults."""
    from dataclasses import replace

    from mistok.run_config import RunConfig

    archive = write_archive(tmp_path / "in")
    config = RunConfig(
        align=replace(RunConfig().align, join_penalty=0.3),
        pair=replace(RunConfig().pair, threshold=0.55),
        checks=(("numbers", (("severity", "note"),)),),
    )
    run_pipeline(RunSettings((archive,), tmp_path / "default"))
    run_pipeline(RunSettings((archive,), tmp_path / "local", config=config))
    run_pipeline(RunSettings((archive,), tmp_path / "ray", config=config), scheduler=cluster)
    assert snapshot(tmp_path / "ray") == snapshot(tmp_path / "local")
    assert snapshot(tmp_path / "ray") != snapshot(tmp_path / "default")
    report = json.loads((tmp_path / "ray" / "report.json").read_text())
    assert set(report["settings"]["config"]["stages"]) == {"pair", "align", "check"}


def test_a_killed_ray_run_resumes_to_the_clean_result(tmp_path):
    import killed_run

    archive = write_archive(tmp_path / "in")
    clean = tmp_path / "clean"
    run_pipeline(RunSettings((archive,), clean))
    out = tmp_path / "out"
    arguments = ["run", str(archive), "-o", str(out), "--engine", "ray", "--ray-num-cpus", "1"]
    env = dict(os.environ)
    killed = subprocess.Popen(
        killed_run.command("align", 1, *arguments), env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    _, stderr = killed.communicate(timeout=300)
    try:  # the Ray processes that the killed driver started and left behind
        os.killpg(killed.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    assert killed.returncode == -9, stderr[-2000:]  # the driver died after one pair
    assert not (out / "report.json").exists()
    command = [sys.executable, "-m", "mistok", *arguments]
    finished = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert snapshot(out) == snapshot(clean)


def test_each_engine_resumes_the_other(tmp_path, cluster):
    archive = write_archive(tmp_path / "in")
    out = tmp_path / "out"
    first = run_pipeline(RunSettings((archive,), out))
    before = snapshot(out)
    second = run_pipeline(RunSettings((archive,), out), scheduler=cluster)
    assert second.reused["align"] == second.counts["pairs"] == first.counts["pairs"]
    assert second.reused["check"] == second.counts["pairs"]
    assert snapshot(out) == before


def test_a_worker_that_dies_is_replaced_and_the_run_completes(tmp_path, cluster):
    archive = write_archive(tmp_path / "in")
    run_pipeline(RunSettings((archive,), tmp_path / "local"))
    marker = tmp_path / "killed"
    scheduler = _LosesAWorker(cluster, marker)
    run_pipeline(RunSettings((archive,), tmp_path / "ray"), scheduler=scheduler)
    assert marker.exists()  # a worker did die, and Ray ran its task again
    assert snapshot(tmp_path / "ray") == snapshot(tmp_path / "local")


class _FailsOnWorkers:
    """A translator source that the driver's check accepts but that no worker can load."""

    def check(self) -> None:
        return None

    def __call__(self) -> object:
        from aligner.errors import ModelUnavailableError

        raise ModelUnavailableError("model folder /models/opus-mt-uk-en is not on this node")


def test_a_model_missing_on_the_workers_is_reported_per_chunk(cluster):
    from mistok.run_records import TranslationRequest

    request = TranslationRequest("a", "uk", "en", (0,), ("Привіт.",))
    results = dict(cluster.translate([[request], [request]], _FailsOnWorkers(), "m"))
    assert sorted(results) == [0, 1]
    assert all("is not on this node" in r and "Ray worker" in r for r in results.values())


class _Upper:
    name = "upper"

    def translate(self, texts, src, tgt):
        return [t.upper() for t in texts]


def test_translation_actors_match_the_local_drafts(cluster):
    from mistok.run_records import TranslationRequest

    chunks = [
        [TranslationRequest("a", "uk", "en", (0, 2), ("Перший.", "Третій."), "a__b")],
        [TranslationRequest("c", "en", "uk", (1,), ("Second.",))],
    ]
    source = GivenTranslator(_Upper())
    local = dict(InProcessScheduler().translate(chunks, source, "upper"))
    assert dict(cluster.translate(chunks, source, "upper")) == local
    assert local[0][0].texts == ("ПЕРШИЙ.", "ТРЕТІЙ.")


def test_a_stage_error_on_a_worker_reaches_the_driver_as_itself(cluster):
    from aligner.errors import ConfigError

    with pytest.raises(ConfigError, match="bad setting"):
        list(cluster.map("align", _raise_config_error, [1, 2, 3]))


def test_any_other_failure_on_a_worker_is_one_line_naming_the_stage(cluster):
    with pytest.raises(MistokError, match=r"failed the check stage .*rerun to resume") as caught:
        list(cluster.map("check", _fail_with_a_bug, [1]))
    assert "\n" not in str(caught.value)


def _fail_with_a_bug(item: int) -> float:
    raise KeyError("a bug\nover two lines")


def _raise_config_error(item: int) -> int:
    from aligner.errors import ConfigError

    raise ConfigError("bad setting")


def test_warnings_of_workers_reach_the_driver(cluster):
    with pytest.warns(UserWarning, match="cut to fit"):
        assert dict(cluster.map("align", _warn_and_double, [1, 2])) == {0: 2, 1: 4}


def _warn_and_double(item: int) -> int:
    import warnings

    warnings.warn("a sentence was cut to fit the model", UserWarning, stacklevel=1)
    return item * 2


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_no_cluster_at_the_address_is_one_line_and_writes_nothing(tmp_path, cluster):
    out = tmp_path / "out"
    result = invoke("run", str(SEEDS), "-o", str(out), "--engine", "ray", "--ray-address",
                    "127.0.0.1:9")  # fmt: skip
    assert result.exit_code == 2
    assert "no Ray cluster at 127.0.0.1:9" in result.output and "ray start --head" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    with pytest.raises(MistokError, match="not HOST:PORT"):
        connect(RaySettings(address="somewhere"))


def test_ray_options_need_the_ray_engine(tmp_path):
    result = invoke("run", str(SEEDS), "-o", str(tmp_path / "out"), "--ray-actors", "2")
    assert result.exit_code == 2 and "need --engine ray" in result.output
    assert not (tmp_path / "out").exists()


def test_the_cli_runs_on_the_module_cluster(tmp_path, cluster):
    result = invoke("run", str(SEEDS), "-o", str(tmp_path / "out"), "--engine", "ray")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "report.json").is_file()
    assert ray.is_initialized()  # a cluster the run did not start is left running


def test_without_ray_the_engine_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(MistokError, match=r"pip install 'mistok\[ray\]'"):
        connect(RaySettings())


def test_the_local_engine_never_imports_ray(tmp_path):
    code = (
        "import sys; from mistok.cli import main\n"
        f"try: main(['run', {str(SEEDS)!r}, '-o', {str(tmp_path / 'out')!r}])\n"
        "except SystemExit as stop: assert not stop.code, stop.code\n"
        "assert 'ray' not in sys.modules, 'ray was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]


def test_gpu_actors_on_a_cluster_without_gpus_are_refused(cluster):
    from aligner.errors import ConfigError
    from mistok.run_records import TranslationRequest

    scheduler = RayScheduler(RaySettings(gpus_per_actor=1))
    request = TranslationRequest("a", "uk", "en", (0,), ("Привіт.",))
    with pytest.raises(ConfigError, match="has 0 GPUs"):
        list(scheduler.translate([[request]], GivenTranslator(object()), "m"))


def test_a_run_that_starts_its_own_ray_prints_only_its_own_lines(tmp_path):
    # a fresh process: Ray is started for the run and stopped after it; Ray's own warnings
    # (deprecated settings of its default context, token authentication) stay in its logs
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "mistok", "run", str(SEEDS), "-o", str(out), "--engine", "ray",
         "--ray-num-cpus", "1"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "deprecated" not in done.stderr and "WARNING" not in done.stderr, done.stderr
    assert (out / "report.json").is_file()


def test_a_stage_runs_in_windows_and_every_result_comes_back_once(cluster):
    scheduler = RayScheduler(RaySettings(window_items=1, batch_sizes={"align": 2}))
    # 2 CPUs x 2 items x 8 tasks per CPU = windows of 32 items: 70 items make three datasets
    results = list(scheduler.map("align", _double, list(range(70))))
    assert sorted(results) == [(i, 2 * i) for i in range(70)]


def _double(item: int) -> int:
    return int(item) * 2


def test_the_seeds_give_the_golden_files_on_ray(tmp_path, cluster, monkeypatch):
    """The golden hashes of tests/test_golden_outputs.py hold for the Ray engine too."""
    from test_golden_outputs import SEEDS as GOLDEN
    from test_golden_outputs import output_digests

    for name, value in (("HF_HUB_OFFLINE", "1"), ("HF_HOME", "/nonexistent-mistok-golden/hf"),
                        ("MISTOK_CACHE", "/nonexistent-mistok-golden/mistok")):  # fmt: skip
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("HUGGINGFACE_HUB_CACHE", raising=False)
    monkeypatch.chdir(ROOT)  # the review pages name the input files as given
    run_pipeline(RunSettings((Path("seeds"),), tmp_path / "out"), scheduler=cluster)
    assert output_digests(tmp_path / "out") == GOLDEN


def test_relative_inputs_from_another_folder_than_the_clusters_give_the_same_files(
    tmp_path, cluster, monkeypatch
):
    """Inputs named relative to a working folder that is not the one the cluster started in
    (``ray start --head`` run elsewhere, as on any shared cluster): the Ray run writes what the
    local run writes, line numbers included (the driver reads the source files' lines and
    ships them with each pair to check)."""
    write_archive(tmp_path / "in")
    monkeypatch.chdir(tmp_path)  # the module's cluster started in pytest's folder
    run_pipeline(RunSettings((Path("in"),), tmp_path / "local"))
    assert any(line is not None for line in finding_lines(tmp_path / "local"))
    run_pipeline(RunSettings((Path("in"),), tmp_path / "ray"), scheduler=cluster)
    assert finding_lines(tmp_path / "ray") == finding_lines(tmp_path / "local")
    assert snapshot(tmp_path / "ray") == snapshot(tmp_path / "local")
