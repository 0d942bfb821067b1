"""``mistok config show COMMAND OPTIONS``: the settings a command would use, its options over
the file's, each with where it came from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mistok.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [str(ROOT / "seeds" / f"umerov-south-korea.{lang}.txt") for lang in ("uk", "en")]


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder whose mistok.toml sets the aligner's width and the TM unit."""
    path = tmp_path / "mistok.toml"
    path.write_text('[align]\nwidth = 9\n\n[output]\ntm_unit = "paragraph"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("MISTOK_ALIGN_WIDTH", "MISTOK_RUN_TM_UNIT", "MISTOK_RUN_FAIL_ON"):
        monkeypatch.delenv(name, raising=False)
    return path


def _lines(args: list[str], env: dict[str, str] | None = None) -> dict[str, str]:
    """``config show`` with ``args``: NAME -> ``VALUE  # SOURCE``."""
    result = CliRunner().invoke(main, ["config", "show", *args], env=env)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    rows = [line.split(" = ", 1) for line in result.stdout.splitlines() if " = " in line]
    return dict(rows)


def test_without_options_every_setting_is_the_files_or_a_default(configured: Path) -> None:
    shown = _lines(["run"])
    assert shown["align.width"] == f"9  # {configured}:2"
    assert shown["output.tm_unit"] == f'"paragraph"  # {configured}:5'
    assert shown["translate.mt_engine"] == '"transformers"  # default'
    assert not any(name.startswith("--") for name in shown)


def test_run_options_override_the_file_and_say_command_line(configured: Path) -> None:
    shown = _lines(["run", "--tm-unit", "sentence", "--mt-engine", "ct2", "--fail-on", "error"])
    assert shown["output.tm_unit"] == '"sentence"  # command line'
    assert shown["translate.mt_engine"] == '"ct2"  # command line'
    assert shown["align.width"] == f"9  # {configured}:2"  # not an option of run
    # an option the configuration does not hold is listed after the settings
    assert shown["--fail-on"] == '"error"  # command line'
    # the inputs may be given as to run itself; they are no setting
    given = _lines(["run", "archive", "-o", "out", "--fail-on", "error"])
    assert given["--out"] == '"out"  # command line'
    assert not any("archive" in value for value in given.values())


def test_the_old_engine_spelling_sets_the_translation_engine(configured: Path) -> None:
    shown = _lines(["run", "--engine", "ct2"])
    assert shown["translate.mt_engine"] == '"ct2"  # command line'


def test_an_environment_variable_is_named_as_the_source(configured: Path) -> None:
    shown = _lines(["align"], env={"MISTOK_ALIGN_WIDTH": "3"})
    assert shown["align.width"] == "3  # environment (MISTOK_ALIGN_WIDTH)"
    shown = _lines(["run"], env={"MISTOK_RUN_FAIL_ON": "warning"})
    assert shown["--fail-on"] == '"warning"  # environment (MISTOK_RUN_FAIL_ON)'


def test_what_config_show_says_is_what_align_uses(configured: Path) -> None:
    assert _lines(["align", "--width", "4"])["align.width"] == "4  # command line"
    runner = CliRunner()
    aligned = runner.invoke(main, ["align", *SEEDS, "--format", "scores", "--width", "4"])
    assert aligned.exit_code == 0, aligned.output
    assert json.loads(aligned.stdout)["signature"].endswith("|width:4")
    from_file = runner.invoke(main, ["align", *SEEDS, "--format", "scores"])
    assert json.loads(from_file.stdout)["signature"].endswith("|width:9")


def test_the_commands_own_config_option_is_read(configured: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_text("[align]\nwidth = 5\n", encoding="utf-8")
    assert _lines(["align", "--config", str(other)])["align.width"] == f"5  # {other}:2"
    assert _lines(["--config", str(other), "pair"])["align.width"] == f"5  # {other}:2"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["translate", "--to", "en"], "translate: not a command that reads the run configuration"),
        (["run", "--fail-on", "fatal"], "Invalid value for '--fail-on'"),
        (["align", "--widthx", "3"], "No such option '--widthx'"),
        (["align", "--width", "0"], "band width must be at least 1 paragraph, not 0"),
        (["--config", "a.toml", "run", "--config", "b.toml"], "give --config once"),
    ],
)
def test_a_bad_command_or_option_is_exit_2(configured: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["config", "show", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
