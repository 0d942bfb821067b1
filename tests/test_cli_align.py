"""The ``mistok align`` contract: output shapes, exit codes and one-line errors on bad input."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mistok.cli import main

ROOT = Path(__file__).resolve().parents[1]
UK = ROOT / "seeds" / "umerov-south-korea.uk.txt"
EN = ROOT / "seeds" / "umerov-south-korea.en.txt"
GOLD = json.loads((ROOT / "seeds" / "umerov-south-korea.gold.json").read_text())


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_json_is_exactly_the_bead_list():
    result = run("align", UK, EN, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == GOLD


def test_scores_format_carries_kinds_scores_and_signature():
    result = run("align", UK, EN, "--format", "scores")
    data = json.loads(result.stdout)
    assert [[b["uk"], b["en"]] for b in data["beads"]] == GOLD
    assert {b["kind"] for b in data["beads"]} == {"1-1", "1-2", "1-0", "2-1"}
    assert "bridge:no" in data["signature"]


def test_tsv_has_a_header_and_one_row_per_bead():
    lines = run("align", UK, EN, "--format", "tsv").stdout.splitlines()
    assert lines[0] == "uk\ten\tkind\tscore\tconfidence"
    assert len(lines) == len(GOLD) + 1
    assert lines[10].split("\t")[:3] == ["9", "", "1-0"]
    assert all(0.0 <= float(line.split("\t")[4]) <= 1.0 for line in lines[1:])


def test_json_stays_the_bead_list_and_scores_carry_the_confidence():
    beads = json.loads(run("align", UK, EN, "--format", "json").stdout)
    assert beads == GOLD
    scored = json.loads(run("align", UK, EN, "--format", "scores").stdout)
    confidences = [b["confidence"] for b in scored["beads"]]
    assert len(confidences) == len(GOLD) and all(0.0 <= c <= 1.0 for c in confidences)
    # the seed aligns exactly: no right bead should be sent to review
    assert sum(c < 0.5 for c in confidences) <= 2


def test_text_shows_both_versions_side_by_side():
    out = run("align", UK, EN).stdout
    assert "Umyerov" in out and "Умєров" in out


def test_bridge_file_is_used(tmp_path):
    uk = tmp_path / "a.uk.txt"
    en = tmp_path / "a.en.txt"
    bridge = tmp_path / "a.mt.txt"
    uk.write_text("Перший абзац.\n\nДругий абзац.\n\nТретій.", encoding="utf-8")
    en.write_text("The first paragraph. The second paragraph.\n\nThe third.", encoding="utf-8")
    mt = "The first paragraph.\n\nThe second paragraph.\n\nThe third."
    bridge.write_text(mt, encoding="utf-8")
    result = run("align", uk, en, "--bridge", bridge, "--format", "json")
    assert json.loads(result.stdout) == [[[0, 1], [0]], [[2], [1]]]


def test_bridge_with_other_paragraph_count_is_refused(tmp_path):
    bridge = tmp_path / "short.txt"
    bridge.write_text("Only one paragraph.", encoding="utf-8")
    result = run("align", UK, EN, "--bridge", bridge)
    assert result.exit_code == 2
    assert "the bridge has 1 paragraphs" in result.stderr


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    cases = {
        "empty": (b"", "empty"),
        "blank": (b"  \n\n \n", "empty"),
        "no_paragraphs": (b"---\ntitle: x\n---\n\n", "no paragraphs"),
        "binary": (bytes(range(256)) * 8, "binary"),
        "latin1": ("Caf\xe9 na\xefve r\xe9sum\xe9 \xbf\xa1".encode("latin-1"), "UTF-8"),
    }
    out = {}
    for name, (data, message) in cases.items():
        path = tmp / f"{name}.txt"
        path.write_bytes(data)
        out[name] = (path, message)
    out["missing"] = (tmp / "nope.txt", "no such file")
    return out


@pytest.mark.parametrize("case", ["empty", "blank", "no_paragraphs", "binary", "latin1", "missing"])
def test_bad_input_is_one_line_exit_2_nothing_else(tmp_path, case):
    path, message = _bad_inputs(tmp_path)[case]
    result = run("align", path, EN)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and message.lower() in lines[0].lower()
    assert "Traceback" not in result.stderr


def test_cp1251_file_is_read(tmp_path):
    uk = tmp_path / "cp.uk.txt"
    uk.write_bytes(UK.read_text(encoding="utf-8").encode("cp1251"))
    result = run("align", uk, EN, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == GOLD


def test_two_files_in_one_language_are_refused():
    result = run("align", EN, EN)
    assert result.exit_code == 2
    assert "both files are in English" in result.stderr


def test_oversized_file_is_refused_without_reading_it_all(tmp_path):
    big = tmp_path / "big.uk.txt"
    with big.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # a sparse 100 MB file
    result = run("align", big, EN)
    assert result.exit_code == 2
    assert str(big) in result.stderr and "over the limit" in result.stderr


def test_inputs_are_not_modified():
    before = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (UK, EN)]
    run("align", UK, EN, "--format", "json")
    assert [hashlib.sha256(p.read_bytes()).hexdigest() for p in (UK, EN)] == before


def test_python_dash_m_and_version():
    out = subprocess.run(
        [sys.executable, "-m", "mistok", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("mistok, version ")


def test_user_lexicon_is_read_and_a_missing_one_refused(tmp_path):
    lexicon = tmp_path / "mine.tsv"
    lexicon.write_text("візит\tvisit|trip\n", encoding="utf-8")
    assert json.loads(run("align", UK, EN, "--lexicon", lexicon, "--format", "json").stdout) == GOLD
    result = run("align", UK, EN, "--lexicon", tmp_path / "nope.tsv")
    assert result.exit_code == 2 and "nope.tsv" in result.stderr


def test_environment_sets_the_format():
    result = CliRunner().invoke(
        main, ["align", str(UK), str(EN)], env={"MISTOK_ALIGN_FORMAT": "json"}
    )
    assert json.loads(result.stdout) == GOLD
