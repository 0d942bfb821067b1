"""Change one setting of a ``mistok.toml``, rerun into the same folder: exactly the stages
that setting affects compute again (the others come from the cache), and the outputs and the
run's record of its settings change (issue 13's proof).

The stages' work is counted by the run itself (:attr:`RunSummary.computed`), and the
scheduler's tasks by a scheduler that runs them in this process: a stage that computes nothing
was reused whole.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from run_helpers import write_archive

from mistok.cli import main
from mistok.pipeline.driver import RunSummary, run_pipeline
from mistok.pipeline.scheduling import InProcessScheduler
from mistok.run_config import load_run_config
from mistok.run_records import RunSettings

STAGES = ("pair", "align", "bitext", "translate", "check")
#: Without a model (the empty hub of ``offline_hub``) nothing is drafted, so nothing is cached:
#: the translate stage tries its requests again on every run. The test with the tiny model
#: counts that stage.
NO_MODEL_STAGES = ("pair", "align", "bitext", "check")

pytestmark = pytest.mark.usefixtures("offline_hub")


class CountingScheduler:
    """The in-process scheduler, counting the items each stage computes."""

    name = "local"
    shares_files = True

    def __init__(self) -> None:
        self.inner = InProcessScheduler()
        self.computed: Counter[str] = Counter()

    def map(self, stage: str, function: Callable, items: Sequence) -> Iterator:
        self.computed[f"{stage} tasks"] += len(items)
        return self.inner.map(stage, function, items)

    def start(self, stage: str, function: Callable, item: object) -> Callable:
        return self.inner.start(stage, function, item)

    def translate(self, chunks: Sequence[Sequence], source: object, model_id: str) -> Iterator:
        self.computed["translate"] += sum(len(chunk) for chunk in chunks)
        return self.inner.translate(chunks, source, model_id)  # type: ignore[arg-type]


def run_with_config(archive: Path, out: Path, text: str) -> tuple[RunSummary, Counter[str]]:
    """``mistok run ARCHIVE -o OUT`` with ``text`` as its mistok.toml (beside OUT), the
    settings taken from the file as the command takes them; and what each stage computed."""
    path = out.parent / "mistok.toml"
    path.write_text(text, encoding="utf-8")
    config = load_run_config(path)
    settings = RunSettings(
        (archive,),
        out,
        config.model,
        config.mt_engine,
        config.style,
        tm_unit=config.tm_unit,
        baseline=config.baseline,
        config=config,
    )
    scheduler = CountingScheduler()
    summary = run_pipeline(settings, scheduler=scheduler)
    computed = Counter(summary.computed) + scheduler.computed
    # the per-pair stages run as one task per pair that needs any of them
    assert computed["per-pair tasks"] == max(computed[s] for s in ("align", "bitext", "check"))
    return summary, computed


def files(out: Path) -> dict[str, bytes]:
    """Every output file (not the cache, the lock, or the dataset folder, whose HF state
    holds a random fingerprint; its rows are bitext.jsonl's)."""
    skipped = (".mistok-cache/", ".mistok-lock", "dataset/")
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and not path.relative_to(out).as_posix().startswith(skipped)
    }


def report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


STYLE = '[names]\n"Умєров" = "Umyerov"\n'

#: One setting changed from the defaults: the stages it must rerun, files it must change.
CHANGES = {
    "pair": ("[pair]\nthreshold = 0.6\n", {"pair"}, {"report.json"}),
    "align": (
        "[align]\njoin_penalty = 0.3\n",
        {"align", "bitext", "check"},  # new beads: their sentence units and findings too
        {"alignments/visit__visit.json", "bitext.jsonl", "report.json"},
    ),
    "bitext": ('[output]\ntm_unit = "paragraph"\n', {"bitext"}, {"bitext.jsonl", "bitext.tmx"}),
    "checks": ('[checks.style]\nseverity = "error"\n', {"check"}, {"findings.csv"}),
    "style": ('[style]\nfile = "style.toml"\n', {"check"}, {"findings.csv", "report.json"}),
    "score": ("[score]\nweights = {names = 1.0}\n", {"check"}, {"report.json"}),
}


@pytest.mark.parametrize("table", CHANGES)
def test_one_changed_setting_reruns_exactly_the_stages_it_affects(
    tmp_path: Path, table: str
) -> None:
    text, rerun, changed_files = CHANGES[table]
    archive = write_archive(tmp_path / "in")
    (tmp_path / "style.toml").write_text(STYLE, encoding="utf-8")
    out = tmp_path / "out"
    first, computed = run_with_config(archive, out, "")
    pairs = first.counts["pairs"]
    assert pairs == 3 and all(computed[stage] for stage in NO_MODEL_STAGES)
    assert first.counts["drafts"] == 0
    before, signature = files(out), report(out)["signature"]

    summary, computed = run_with_config(archive, out, text)
    assert {stage for stage in NO_MODEL_STAGES if computed[stage]} == rerun
    per_item = {"pair": 1, "align": pairs, "bitext": pairs, "check": pairs}
    for stage in rerun:  # every item of an affected stage, none of the others
        assert computed[stage] == per_item[stage], stage
    for stage in ("pair", "align", "check"):
        assert summary.reused[stage] == (0 if stage in rerun else per_item[stage]), stage
    after = files(out)
    assert {name for name in changed_files if before[name] != after[name]} == changed_files
    assert report(out)["signature"] != signature


#: A setting of the [output] table, as mistok.toml gives it: what the run signature and the
#: recorded settings then say.
OUTPUT_SETTINGS = {
    "tm_unit": ('[output]\ntm_unit = "paragraph"\n', "tm-unit:paragraph", "paragraph"),
    "baseline": ('[output]\nbaseline = "baseline.txt"\n', "baseline:sha256=", "baseline.txt"),
}


@pytest.mark.parametrize("setting", OUTPUT_SETTINGS)
def test_an_output_setting_is_in_the_run_signature(tmp_path: Path, setting: str) -> None:
    """Every setting that changes an output is in the signature (and in the settings that
    report.json and manifest.json record): two runs that differ in it say so."""
    from eval.baseline import baseline_text

    text, named, recorded = OUTPUT_SETTINGS[setting]
    archive = write_archive(tmp_path / "in")
    for folder in ("default", "changed"):
        (tmp_path / folder).mkdir()
    (tmp_path / "changed" / "baseline.txt").write_text(baseline_text([]), encoding="utf-8")
    run_with_config(archive, tmp_path / "default" / "out", "")
    run_with_config(archive, tmp_path / "changed" / "out", text)
    default, changed = report(tmp_path / "default" / "out"), report(tmp_path / "changed" / "out")
    assert "tm-unit:sentence" in default["signature"]
    assert "baseline:none" in default["signature"]
    assert named in changed["signature"] and named not in default["signature"]
    assert str(changed["settings"][setting]).endswith(recorded)
    manifest = json.loads((tmp_path / "changed" / "out" / "manifest.json").read_text("utf-8"))
    assert manifest["settings"] == changed["settings"] != default["settings"]


@pytest.mark.slow
def test_another_translation_engine_redrafts_and_reuses_everything_else(
    tmp_path: Path, tiny_marian
) -> None:
    archive = write_archive(tmp_path / "in")
    out = tmp_path / "out"
    transformers = f'[translate]\nmodel = "{tiny_marian.transformers}"\n'
    first, computed = run_with_config(archive, out, transformers)
    assert first.counts["drafts"] >= 1 and computed["translate"] >= first.counts["drafts"]
    before, signature = files(out), report(out)["signature"]
    ct2 = f'[translate]\nmodel = "{tiny_marian.ct2}"\nmt_engine = "ct2"\n'
    summary, computed = run_with_config(archive, out, ct2)
    assert {stage for stage in STAGES if computed[stage]} == {"translate"}
    assert summary.reused["translate"] == 0
    assert summary.reused["align"] == summary.reused["check"] == first.counts["pairs"]
    after = files(out)
    drafts = {name for name in after if name.startswith("drafts/")}
    assert drafts and any(before.get(name) != after[name] for name in drafts)
    assert report(out)["signature"] != signature
    assert "mt-engine:ct2" in report(out)["signature"]


def test_mistok_run_with_an_aligner_and_a_check_setting_in_mistok_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's proof through the command: a non-default aligner and check setting in the
    working folder's mistok.toml change the outputs and the signature; the run says what it
    reused."""
    archive = write_archive(tmp_path / "in")
    out = tmp_path / "out"
    runner = CliRunner()

    def run() -> str:
        result = runner.invoke(main, ["run", str(archive), "-o", str(out)])
        assert result.exit_code == 0, result.output
        return " ".join(result.output.split())

    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert "reused nothing" in run()
    before, default = files(out), report(out)
    (tmp_path / "work" / "mistok.toml").write_text(
        '[align]\njoin_penalty = 0.3\n\n[checks.style]\nseverity = "error"\n', encoding="utf-8"
    )
    assert "reused pairing yes, 0/3 alignments, 0/3 checks, 0 drafts" in run()
    after, configured = files(out), report(out)
    assert "align-settings:" not in default["signature"]
    assert "align-settings:" in configured["signature"]
    assert "check-settings:" in configured["signature"]
    assert configured["settings"]["config"]["file"] == str(Path.cwd() / "mistok.toml")
    assert before["alignments/visit__visit.json"] != after["alignments/visit__visit.json"]
    assert before["findings.csv"] != after["findings.csv"]
    assert configured["findings"]["error"] > default["findings"]["error"] == 0
    assert "reused pairing yes, 3/3 alignments, 3/3 checks, 0 drafts" in run()
    assert files(out) == after
