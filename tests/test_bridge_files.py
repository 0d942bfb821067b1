"""One bridge reader for align, check, pair and run: the same files accepted, the same
errors, whichever command reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.bridge_files import read_bridge_file, read_bridge_folder, read_pair_bridge
from aligner.document import Article
from aligner.errors import InputError
from mistok.cli import main

UK_TEXT = "Перший абзац.\n\nДругий абзац.\n\nТретій."
EN_TEXT = "The first paragraph. The second paragraph.\n\nThe third."
MT = ["The first paragraph.", "The second paragraph.", "The third."]


def _article(paragraphs: int = 3, article_id: str = "a") -> Article:
    return Article(
        id=article_id, lang="uk", paragraphs=tuple(f"Абзац {i}." for i in range(paragraphs))
    )


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    uk, en = tmp_path / "a.uk.txt", tmp_path / "a.en.txt"
    uk.write_text(UK_TEXT, encoding="utf-8")
    en.write_text(EN_TEXT, encoding="utf-8")
    return uk, en


def _bridges(tmp_path: Path) -> dict[str, Path]:
    as_json = tmp_path / "a.mt.json"
    as_json.write_text(json.dumps(MT, ensure_ascii=False), encoding="utf-8")
    as_text = tmp_path / "a.mt.txt"
    as_text.write_text("\n\n".join(MT), encoding="utf-8")
    return {"json": as_json, "txt": as_text}


def test_json_and_text_bridges_read_the_same_paragraphs(tmp_path: Path) -> None:
    files = _bridges(tmp_path)
    assert read_bridge_file(files["json"]) == read_bridge_file(files["txt"]) == tuple(MT)


@pytest.mark.parametrize("kind", ["json", "txt"])
def test_align_and_check_accept_the_same_bridge_files(pair, tmp_path: Path, kind: str) -> None:
    uk, en = pair
    bridge = _bridges(tmp_path)[kind]
    aligned = CliRunner().invoke(
        main, ["align", str(uk), str(en), "--bridge", str(bridge), "--format", "json"]
    )
    assert aligned.exit_code == 0, aligned.output
    assert json.loads(aligned.stdout) == [[[0, 1], [0]], [[2], [1]]]
    checked = CliRunner().invoke(
        main, ["check", str(uk), str(en), "--bridge", str(bridge), "--format", "json"]
    )
    assert checked.exit_code in (0, 1), checked.output
    assert "bridge" in json.loads(checked.stdout)["signature"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"not": "a list"}', "a JSON bridge must be a list of strings"),
        ("[1, 2, 3]", "a JSON bridge must be a list of strings"),
        ('["one",', "malformed JSON at line 1"),
        ('["only one paragraph"]', "the bridge has 1 paragraphs but"),
    ],
)
def test_align_and_check_refuse_a_bad_bridge_with_the_same_line(
    pair, tmp_path: Path, content: str, message: str
) -> None:
    uk, en = pair
    bridge = tmp_path / "bad.json"
    bridge.write_text(content, encoding="utf-8")
    errors = set()
    for command in ("align", "check"):
        result = CliRunner().invoke(main, [command, str(uk), str(en), "--bridge", str(bridge)])
        assert result.exit_code == 2, (command, result.output)
        assert message in result.stderr and str(bridge) in result.stderr
        errors.add(result.stderr)
    assert len(errors) == 1  # word for word the same error


def test_pair_bridge_must_match_the_paragraph_count(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text(json.dumps(["One.", "Two."]), encoding="utf-8")
    assert read_pair_bridge(path, _article(2)) == ("One.", "Two.")
    with pytest.raises(InputError, match="the bridge has 2 paragraphs but a has 3"):
        read_pair_bridge(path, _article(3))


def test_a_folder_takes_json_and_text_bridges_and_notes_bad_ones(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(["A one.", "A two."]), encoding="utf-8")
    (tmp_path / "b.txt").write_text("B one.\n\nB two.", encoding="utf-8")
    (tmp_path / "c.json").write_text("{broken", encoding="utf-8")
    uk = [_article(2, "a"), _article(2, "b"), _article(2, "c"), _article(2, "d")]
    found = read_bridge_folder(tmp_path, uk)
    assert dict(found.paragraphs) == {"a": ("A one.", "A two."), "b": ("B one.", "B two.")}
    assert found.texts()["b"] == "B one.\n\nB two."
    assert len(found.notes) == 1 and "c.json: malformed JSON" in found.notes[0]


def test_a_folder_matching_nothing_says_what_it_expected(tmp_path: Path) -> None:
    (tmp_path / "other.txt").write_text("Text.", encoding="utf-8")
    found = read_bridge_folder(tmp_path, [_article(1, "a")])
    assert not found.paragraphs
    assert found.notes == (
        f"--bridge {tmp_path}: no bridge file matches a Ukrainian article (expected <uk id>.txt "
        "or <uk id>.json, e.g. a.txt)",
    )
    with pytest.raises(InputError, match="not a folder"):
        read_bridge_folder(tmp_path / "other.txt", [_article(1, "a")])
