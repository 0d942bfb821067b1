"""End to end: ``mistok score`` agrees with sacrebleu's own command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from mistok.cli import main

HYP = "The cat sat on a mat.\nKyiv is the capital of Ukraine.\nHe said nothing at all.\n"
REF = "The cat sat on the mat.\nKyiv is Ukraine's capital.\nHe did not say anything.\n"


@pytest.fixture()
def files(tmp_path):
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text(HYP, encoding="utf-8")
    ref.write_text(REF, encoding="utf-8")
    return hyp, ref


def _score(*args):
    return CliRunner().invoke(main, ["score", *map(str, args)])


def test_json_is_one_object_keyed_by_metric(files):
    hyp, ref = files
    result = _score("--hyp", hyp, "--ref", ref, "--metrics", "bleu,chrf,ter", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["bleu", "chrf", "ter"]
    for value in data.values():
        assert set(value) == {"score", "signature"}
        assert isinstance(value["score"], float)


def test_matches_the_sacrebleu_command_line(files):
    hyp, ref = files
    ours = json.loads(_score("--hyp", hyp, "--ref", ref, "--format", "json").stdout)
    theirs = subprocess.run(
        [
            sys.executable,
            "-m",
            "sacrebleu",
            str(ref),
            "-i",
            str(hyp),
            "-m",
            "bleu",
            "chrf",
            "-w",
            "4",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    reference = {entry["name"]: entry for entry in json.loads(theirs.stdout)}
    assert round(ours["bleu"]["score"], 4) == reference["BLEU"]["score"]
    assert round(ours["chrf"]["score"], 4) == reference["chrF2"]["score"]
    assert ours["bleu"]["signature"] == reference["BLEU"]["signature"]
    assert ours["chrf"]["signature"] == reference["chrF2"]["signature"]


def test_text_prints_sacrebleus_signature(files):
    result = _score("--hyp", files[0], "--ref", files[1], "--metrics", "chrf")
    assert result.exit_code == 0
    [line] = result.stdout.splitlines()
    assert line.startswith("chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:")
    assert " = " in line


def test_line_count_mismatch_exits_two(files, tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("Only one line.\n", encoding="utf-8")
    result = _score("--hyp", short, "--ref", files[1])
    assert result.exit_code == 2
    assert "short.txt has 1 lines but" in result.stderr and "has 3" in result.stderr


def test_unknown_metric_exits_two(files):
    result = _score("--hyp", files[0], "--ref", files[1], "--metrics", "bleu,meteor")
    assert result.exit_code == 2
    assert "unknown metric 'meteor'; valid metrics: bleu, chrf, ter" in result.stderr


def test_empty_files_exit_two(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = _score("--hyp", empty, "--ref", empty)
    assert result.exit_code == 2
    assert "no segments to score" in result.stderr
