"""Command-line habits: --color and NO_COLOR, '-' for standard input, --quiet/--verbose, and
the shell completion the README documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mistok.cli import main

SEEDS = Path(__file__).parent.parent / "seeds"
UK_SEED = SEEDS / "umerov-south-korea.uk.txt"
EN_SEED = SEEDS / "umerov-south-korea.en.txt"
ESC = "\x1b["


def _check(args, env=None, stdin=None):
    return CliRunner().invoke(main, ["check", *args], env=env or {}, input=stdin)


@pytest.mark.parametrize(
    ("args", "env", "colored"),
    [
        (["--color", "always"], {}, True),
        (["--color", "always"], {"NO_COLOR": "1"}, True),  # an explicit choice wins
        (["--color", "never"], {}, False),
        ([], {}, False),  # auto: not a terminal here
        ([], {"NO_COLOR": "1"}, False),
        ([], {"NO_COLOR": "1", "MISTOK_COLOR": "always"}, True),  # a standing user choice
        (["--color", "never"], {"MISTOK_COLOR": "always"}, False),
        ([], {"MISTOK_CHECK_COLOR": "always"}, True),  # the usual environment override
    ],
)
def test_color_choice_and_no_color(args, env, colored):
    result = _check([str(EN_SEED), *args], env=env)
    assert result.exit_code == 0, result.output
    assert (ESC in result.stdout) is colored
    assert "mistok check:" in result.stdout


def test_every_command_takes_the_common_options():
    for name, command in main.commands.items():
        commands = command.commands.values() if hasattr(command, "commands") else [command]
        for sub in commands:
            opts = {o for p in sub.params for o in getattr(p, "opts", ())}
            assert {"--color", "--quiet", "--verbose"} <= opts, f"{name} {sub.name}"


def test_check_reads_an_article_from_standard_input():
    text = EN_SEED.read_text(encoding="utf-8")
    result = _check(["-", "--format", "json"], stdin=text)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["articles"][0]["id"] == "stdin" and report["articles"][0]["source"] is None
    assert any(f["rule"] == "names.variant" for f in report["findings"])


def test_check_pair_with_one_side_on_standard_input():
    text = EN_SEED.read_text(encoding="utf-8")
    result = _check([str(UK_SEED), "-", "--format", "json"], stdin=text)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["mode"] == "pair"
    both = _check(["-", "-"], stdin=text)
    assert both.exit_code == 2 and "not both" in both.output


def test_empty_standard_input_is_one_line_exit_2():
    result = _check(["-"], stdin="")
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("mistok: error: - (standard input)") and "empty" in line


def test_score_reads_a_hypothesis_from_standard_input(tmp_path):
    ref = tmp_path / "ref.txt"
    ref.write_text("The cat sat on the mat.\nIt was warm.\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["score", "--hyp", "-", "--ref", str(ref), "--format", "json"],
        input="The cat sat on the mat.\nIt was warm.\n",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["bleu"]["score"] == pytest.approx(100.0)


def test_quiet_and_verbose(tmp_path):
    baseline = tmp_path / "b.txt"
    args = [str(EN_SEED), "--write-baseline", str(baseline)]
    quiet = _check([*args, "--quiet"])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert "mistok check:" in quiet.stdout  # the report asked for is still printed
    verbose = _check([str(EN_SEED), "--baseline", str(baseline), "--verbose"])
    assert "signature: mode:article" in verbose.stderr
    assert "in the baseline" in verbose.stderr
    assert "not reported" not in _check([str(EN_SEED), "--baseline", str(baseline), "-q"]).stderr


def test_shell_completion_script():
    result = CliRunner().invoke(
        main, [], env={"_MISTOK_COMPLETE": "bash_source"}, prog_name="mistok"
    )
    assert result.exit_code == 0
    assert "_MISTOK_COMPLETE=bash_complete" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["pair", str(SEEDS), "--format", "json"],
        ["align", str(UK_SEED), str(EN_SEED), "--format", "tsv"],
    ],
)
def test_a_reader_that_went_away_is_a_quiet_exit_141(args):
    """`mistok pair ... | head -1`: a real pipe whose read end is closed before mistok
    writes, so every write fails with EPIPE; no message, and the shell's SIGPIPE status."""
    import os
    import subprocess
    import sys

    root = str(Path(__file__).resolve().parents[1])
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "mistok", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": root},
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 141
    assert done.stderr.decode() == ""
