"""A mistake in the run configuration, given with ``--config`` to any of the four commands that
read it (run, align, pair, check): one line naming the file, the line and the key, exit 2,
nothing written. Each command checks the whole file, not only its own tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mistok.cli import main

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
UK, EN = (SEEDS / f"umerov-south-korea.{lang}.txt" for lang in ("uk", "en"))
COMMANDS = ("run", "align", "pair", "check")


#: kind of mistake: (file text, "LINE: KEY" that the message must name after the file)
MISTAKES = {
    "unknown table": ("[aling]\nwidth = 3\n", "1: aling"),
    "unknown key": ("[align]\nwidth = 3\n\n[pair]\nthreshhold = 0.6\n", "5: pair.threshhold"),
    "unknown check": ("[checks.numbrs]\nseverity = 'note'\n", "1: checks.numbrs"),
    "unknown check key": ("[checks.coverage]\nmin_charz = 3\n", "2: checks.coverage.min_charz"),
    "unknown score key": ("[score]\nweights = {nmes = 1.0}\n", "2: score.weights.nmes"),
    "wrong type": ('[align]\nwidth = "wide"\n', "2: align.width"),
    "wrong check type": ("[checks.coverage]\nmin_chars = 'x'\n", "2: checks.coverage.min_chars"),
    "not whole": ("[pair.candidates]\nper_article = 2.5\n", "2: pair.candidates.per_article"),
    "out of range": ("[align]\nwidth = 0\n", "2: align.width"),
    "above the range": ("[pair]\nthreshold = 1.5\n", "2: pair.threshold"),
    "threshold one": ("[pair]\nthreshold = 1.0\n", "2: pair.threshold"),
    "threshold zero": ("\n[pair]\nthreshold = 0.0\n", "3: pair.threshold"),
    "check out of range": ("[checks.coverage]\nmin_chars = -3\n", "2: checks.coverage.min_chars"),
    "check above the range": ("[checks.adequacy]\nfloor = 101.0\n", "2: checks.adequacy.floor"),
    "check not whole": ("[checks.numbers]\nneighbours = 1.5\n", "2: checks.numbers.neighbours"),
    "negative score weight": ("[score.weights]\nnames = -1.0\n", "2: score.weights.names"),
    "zero spread": ("[pair]\nlength_log_ratio_sd = 0.0\n", "2: pair.length_log_ratio_sd"),
    "missing table": ("[checks.names]\npress_table = 'x.tsv'\n", "2: checks.names.press_table"),
    "missing path": ("[output]\ntm_unit = 'sentence'\n\n[style]\nfile = 'gone'\n", "5: style.file"),
}  # fmt: skip


def _cases() -> list:
    return [
        pytest.param(command, text, where, id=f"{command}-{kind}")
        for kind, (text, where) in MISTAKES.items()
        for command in COMMANDS
    ]


def _invoke(command: str, config: Path, out: Path) -> Result:
    """``command`` on the seeds with ``--config``; ``out``: where it would write a file."""
    args = {
        "run": ["run", str(SEEDS), "-o", str(out)],
        "align": ["align", str(UK), str(EN)],
        "pair": ["pair", str(SEEDS)],
        "check": ["check", str(UK), str(EN), "-o", str(out)],
    }[command]
    return CliRunner().invoke(main, [*args, "--config", str(config)])


@pytest.mark.parametrize(("command", "text", "where"), _cases())
def test_a_config_mistake_is_one_line_with_file_line_and_key_exit_2_nothing_written(
    tmp_path: Path, command: str, text: str, where: str
) -> None:
    config = tmp_path / "conf" / "mistok.toml"
    config.parent.mkdir()
    config.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = _invoke(command, config, out)
    assert result.exit_code == 2, result.output
    line = rf"mistok: error: {re.escape(f'{config}:{where}')}\b[^\n]*\n"
    assert re.fullmatch(line, result.stderr), result.stderr
    assert result.stdout == ""
    assert not out.exists() and sorted(config.parent.iterdir()) == [config]
    assert config.read_text(encoding="utf-8") == text


def test_a_model_missing_from_the_config_is_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    config = tmp_path / "mistok.toml"
    config.write_text('[translate]\nmodel = "no-such-model-folder/"\n', encoding="utf-8")
    result = _invoke("run", config, tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "no-such-model-folder" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_model_missing_from_the_config_names_the_file_line_and_key(tmp_path: Path) -> None:
    config = tmp_path / "mistok.toml"
    config.write_text('\n[translate]\nmodel = "no-such-model-folder/"\n', encoding="utf-8")
    result = _invoke("run", config, tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"mistok: error: {config}:3: translate.model: ")
    assert not (tmp_path / "out").exists()


def test_a_model_given_on_the_command_line_is_named_as_the_option(tmp_path: Path) -> None:
    config = tmp_path / "mistok.toml"
    config.write_text('[translate]\nmodel = "opus-mt"\n', encoding="utf-8")
    args = ["run", str(SEEDS), "-o", str(tmp_path / "out"), "--config", str(config)]
    result = CliRunner().invoke(main, [*args, "--model", "no-such-model-folder/"])
    assert result.exit_code == 2
    assert result.stderr.startswith("mistok: error: --model no-such-model-folder/: ")
