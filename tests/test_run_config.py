"""One run configuration: read and checked once, found in the working folder, overridden by
options, shown with its sources, and reaching each stage and its cache keys."""

from __future__ import annotations

import json
import pickle
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from run_helpers import write_archive

from aligner.errors import ConfigError
from mistok.cli import main
from mistok.pipeline.driver import run_pipeline
from mistok.run_config import RunConfig, find_config, load_run_config
from mistok.run_records import RunSettings

FULL = """\
[align]
width = 12
join_penalty = 0.3

[pair]
threshold = 0.6

[pair.candidates]
date_window_days = 5

[checks.numbers]
severity = "note"

[translate]
mt_engine = "ct2"

[style]
file = "house.toml"

[output]
tm_unit = "paragraph"
"""


def _config(folder: Path, text: str, name: str = "mistok.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "house.toml").write_text('[names]\n"Умєров" = "Umerov"\n', encoding="utf-8")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_table_is_read_and_its_source_kept(tmp_path: Path) -> None:
    config = load_run_config(_config(tmp_path, FULL))
    assert config.align.width == 12 and config.align.join_penalty == 0.3
    assert config.pair.threshold == 0.6 and config.pair.candidates.date_window_days == 5
    assert config.check_settings() == {"numbers": {"severity": "note"}}
    assert (config.mt_engine, config.tm_unit) == ("ct2", "paragraph")
    assert config.style == tmp_path / "house.toml"
    shown = {name: (value, source) for name, value, source in config.describe()}
    assert shown["align.width"] == ("12", f"{tmp_path / 'mistok.toml'}:2")
    assert shown["pair.candidates.date_window_days"][1].endswith("mistok.toml:9")
    assert shown["align.threshold"] == ("-0.05", "default")
    assert pickle.loads(pickle.dumps(config)) == config  # it travels to Ray workers


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("[aling]\nx = 1\n", 1, "aling: unknown table"),
        ("[align]\nwidht = 3\n", 2, "align.widht: unknown setting"),
        ('[align]\nwidth = "wide"\n', 2, "align.width: must be a number"),
        ("[align]\nwidth = 0\n", 2, "align.width: must be at least 1, not 0"),
        ("[pair]\nthreshold = 1.5\n", 2, "pair.threshold: must be above 0 and below 1, not 1.5"),
        ("[pair.candidates]\nper_article = 2.5\n", 2, "must be a whole number"),
        ('\n[style]\nfile = "missing.toml"\n', 3, "style.file: "),
        ("[checks.numbrs]\nx = 1\n", 1, "checks.numbrs: unknown check"),
        ('[checks.numbers]\nneighbours = "x"\n', 2, "checks.numbers.neighbours: "),
        ('[translate]\nmt_engine = "fast"\n', 2, "must be one of transformers, ct2"),
    ],
)
def test_a_mistake_is_one_line_with_file_line_and_key_and_nothing_is_written(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = _config(tmp_path / "conf", text)
    with pytest.raises(ConfigError, match=f"^{path}:{line}: ") as caught:
        load_run_config(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(write_archive(tmp_path / "in")),
                                       "-o", str(out), "--config", str(path)])  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert not out.exists()


def test_every_number_setting_has_a_range_that_holds_its_default() -> None:
    """Every number of every check table is range-checked (a check that gains a number
    setting must declare its range), and no declared range refuses its own default."""
    from eval.base import check_classes
    from mistok.run_config import _RANGES, Range

    defaults = {name: value for name, value, _ in _setting_defaults()}
    for check, cls in check_classes().items():
        for key, value in cls.defaults.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                defaults[f"checks.{check}.{key}"] = value
    checks = {name for name in defaults if name.startswith("checks.")}
    assert checks <= set(_RANGES), sorted(checks - set(_RANGES))
    for name, allowed in _RANGES.items():
        if name != "score.weights.*":
            assert name in defaults, f"{name}: not a number setting"
            assert defaults[name] in allowed, f"{name}: default {defaults[name]} not {allowed}"
    assert str(Range(0, 1, low_open=True, high_open=True)) == "above 0 and below 1"
    assert 1.0 not in Range(0, 1, high_open=True) and 0.0 in Range(0, 1, high_open=True)


def test_a_check_table_file_is_read_relative_to_the_config_folder(tmp_path: Path) -> None:
    path = _config(tmp_path / "conf", '[checks.names]\nexonym_table = "ex.tsv"\npress_table = ""\n')
    (tmp_path / "conf" / "ex.tsv").write_text("Кельн\tCologne\n", encoding="utf-8")
    names = load_run_config(path).check_settings()["names"]
    assert names == {"exonym_table": str(tmp_path / "conf" / "ex.tsv"), "press_table": ""}


def _setting_defaults() -> list[tuple[str, object, str]]:
    """The number settings of the stages at their defaults, as ``config show`` lists them."""
    rows = [
        (name, json.loads(value), source)
        for name, value, source in RunConfig().describe()
        if name.startswith(("align.", "pair."))
    ]
    return [row for row in rows if type(row[1]) in (int, float)]


def test_found_in_the_working_folder_or_in_pyproject(tmp_path: Path) -> None:
    assert find_config(tmp_path) is None and load_run_config(folder=tmp_path) == RunConfig()
    _config(tmp_path, "[tool.other]\nx = 1\n\n[tool.mistok.align]\nwidth = 7\n", "pyproject.toml")
    assert find_config(tmp_path) == (tmp_path / "pyproject.toml", "tool.mistok")
    config = load_run_config(folder=tmp_path)
    assert config.align.width == 7
    assert dict(config.sources)["align.width"] == f"{tmp_path / 'pyproject.toml'}:5"
    _config(tmp_path, "[align]\nwidth = 9\n")  # mistok.toml comes first
    assert load_run_config(folder=tmp_path).align.width == 9


def test_options_override_the_file_and_config_show_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(tmp_path, FULL)
    monkeypatch.chdir(tmp_path)
    overridden = load_run_config().override(tm_unit="sentence", model=None)
    assert overridden.tm_unit == "sentence" and overridden.mt_engine == "ct2"
    assert dict(overridden.sources)["output.tm_unit"] == "command line"
    shown = CliRunner().invoke(main, ["config", "show"])
    assert shown.exit_code == 0, shown.output
    assert f"align.width = 12  # {Path.cwd() / 'mistok.toml'}:2\n" in shown.stdout
    assert 'translate.mt_engine = "ct2"' in shown.stdout


def _run(archive: Path, out: Path, config: RunConfig):
    return run_pipeline(RunSettings((archive,), out, config=config))


def test_changing_one_stage_reruns_exactly_the_stages_it_affects(tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "in")
    out = tmp_path / "out"
    first = _run(archive, out, RunConfig())
    pairs = first.counts["pairs"]
    assert pairs == 3
    again = _run(archive, out, RunConfig())
    assert again.reused["pair"] == 1 and again.reused["align"] == again.reused["check"] == pairs

    checks = RunConfig(checks=(("numbers", (("severity", "note"),)),))
    rerun = _run(archive, out, checks)
    assert (rerun.reused["pair"], rerun.reused["align"], rerun.reused["check"]) == (1, pairs, 0)

    aligned = replace(checks, align=replace(checks.align, join_penalty=0.3))
    rerun = _run(archive, out, aligned)  # new alignments: their checks too
    assert (rerun.reused["pair"], rerun.reused["align"], rerun.reused["check"]) == (1, 0, 0)

    paired = replace(aligned, pair=replace(aligned.pair, threshold=0.55))
    rerun = _run(archive, out, paired)  # the same pairs: alignments and checks reused
    assert rerun.counts["pairs"] == pairs
    assert (rerun.reused["pair"], rerun.reused["align"], rerun.reused["check"]) == (0, pairs, pairs)


def test_a_non_default_aligner_and_check_setting_change_the_outputs_and_signature(
    tmp_path: Path,
) -> None:
    archive = write_archive(tmp_path / "in")
    _run(archive, tmp_path / "default", RunConfig())
    config = RunConfig(
        align=replace(RunConfig().align, join_penalty=0.3),
        checks=(("numbers", (("severity", "note"),)),),
    )
    _run(archive, tmp_path / "configured", config)
    before = json.loads((tmp_path / "default" / "report.json").read_text())
    after = json.loads((tmp_path / "configured" / "report.json").read_text())
    assert "settings:" not in before["signature"] and "config" not in before["settings"]
    assert "align-settings:" in after["signature"] and "check-settings:" in after["signature"]
    assert set(after["settings"]["config"]["stages"]) == {"align", "check"}
    page = "alignments/visit__visit.json"
    assert (tmp_path / "default" / page).read_bytes() != (
        tmp_path / "configured" / page
    ).read_bytes()


def test_align_pair_and_check_read_their_tables_from_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(__file__).resolve().parents[1]
    uk, en = (str(root / "seeds" / f"umerov-south-korea.{lang}.txt") for lang in ("uk", "en"))
    path = _config(tmp_path, "[align]\njoin_penalty = 0.3\n\n[pair]\nthreshold = 0.75\n")
    runner = CliRunner()
    aligned = runner.invoke(main, ["align", uk, en, "--format", "scores", "--config", str(path)])
    assert aligned.exit_code == 0, aligned.output
    assert "join_penalty:0.3" in json.loads(aligned.stdout)["signature"].replace(" ", "")
    plain = runner.invoke(main, ["align", uk, en, "--format", "scores"])
    assert "join_penalty:0.3" not in json.loads(plain.stdout)["signature"].replace(" ", "")
    paired = runner.invoke(
        main, ["pair", str(root / "seeds"), "--format", "json", "--config", str(path)]
    )
    assert paired.exit_code == 0, paired.output
    assert "thr:0.75" in json.loads(paired.stdout)["signature"]
    # found in the working folder, and checked whole, by check too
    _config(tmp_path, '[checks.numbers]\nseverity = "fatal"\n')
    monkeypatch.chdir(tmp_path)
    checked = runner.invoke(main, ["check", uk, en])
    assert checked.exit_code == 2
    assert checked.stderr.startswith(f"mistok: error: {Path.cwd() / 'mistok.toml'}:2: ")


def test_the_readme_example_is_a_valid_complete_file(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n# mistok.toml\n", 1)[1].split("```", 1)[0]
    path = _config(tmp_path, example)
    (tmp_path / "house-style.toml").write_text("", encoding="utf-8")
    config = load_run_config(path)
    tables = {name.split(".")[0] for name, _, source in config.describe() if source != "default"}
    assert tables == {"align", "pair", "checks", "score", "translate", "style", "output"}
    # every setting at its default but the one the example says is not
    assert config.align == RunConfig().align and config.pair == RunConfig().pair
    assert config.check_settings()["numbers"] == {"severity": "warning"}


def test_the_score_table_reaches_the_runs_consistency_scores(tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "in")
    path = _config(tmp_path / "conf", "[score]\nweights = {names = 1.0}\n")
    summary = _run(archive, tmp_path / "out", load_run_config(path))
    assert summary.reused["check"] == 0
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    pair_scores = [p["scores"] for p in report["pairs"] if p.get("scores")]
    assert pair_scores and all(
        s["overall"] == s["components"]["names"]["score"] for s in pair_scores
    ), pair_scores
    rerun = _run(archive, tmp_path / "out", RunConfig())  # the default weights: checks again
    assert rerun.reused["check"] == 0 and rerun.reused["align"] == summary.counts["pairs"]
    default = json.loads((tmp_path / "out" / "report.json").read_text())
    assert default["scores"]["overall"] != report["scores"]["overall"]


def test_run_finds_mistok_toml_here_and_its_options_override_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = write_archive(tmp_path / "in")
    _config(tmp_path / "work", '[output]\ntm_unit = "paragraph"\n')
    monkeypatch.chdir(tmp_path / "work")
    runner = CliRunner()
    for args, unit in (((), "paragraph"), (("--tm-unit", "sentence"), "sentence")):
        out = tmp_path / f"out-{unit}"
        result = runner.invoke(main, ["run", str(archive), "-o", str(out), *args])
        assert result.exit_code == 0, result.output
        assert json.loads((out / "report.json").read_text())["settings"]["tm_unit"] == unit
