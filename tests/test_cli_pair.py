"""The ``mistok pair`` command: TSV/JSON contract, bridge folder, archive inputs, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures_pairing import EN, UK

from mistok.cli import main

GOLD_ROWS = ["strike\tb2", "strike-update\tc3", "umerov\ta1", "library\t-", "-\td4"]


def _write(folder: Path, texts: dict[str, tuple[str, ...]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for key, paragraphs in texts.items():
        (folder / f"{key}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def archive(tmp_path: Path) -> tuple[Path, Path]:
    return _write(tmp_path / "uk", UK), _write(tmp_path / "en", EN)


def _run(*args: str):
    return CliRunner().invoke(main, ["pair", *args])


def test_tsv_has_a_header_pairs_then_unpaired_rows(archive) -> None:
    uk, en = archive
    result = _run(str(uk), str(en))
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().split("\n")
    assert lines[0] == "uk\ten"
    assert lines[1:] == GOLD_ROWS


def test_json_gives_confidences_signals_and_signature(archive) -> None:
    uk, en = archive
    result = _run(str(uk), str(en), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["signature"].startswith("pair|")
    assert {(p["uk"], p["en"]) for p in data["pairs"]} == {
        ("strike", "b2"),
        ("strike-update", "c3"),
        ("umerov", "a1"),
    }
    assert all(0.5 <= p["confidence"] <= 1 and "numbers" in p["signals"] for p in data["pairs"])
    assert data["unpaired_uk"] == ["library"] and data["unpaired_en"] == ["d4"]


def test_bridge_folder_holds_english_per_ukrainian_stem(archive, tmp_path: Path) -> None:
    uk, en = archive
    bridge = _write(tmp_path / "mt", {"umerov": EN["a1"], "strike": EN["b2"]})
    result = _run(str(uk), str(en), "--bridge", str(bridge), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["signature"].startswith("pair|mode:bridge")
    by_uk = {p["uk"]: p for p in data["pairs"]}
    assert by_uk["umerov"]["en"] == "a1" and by_uk["umerov"]["signals"]["bridge"] > 0.9


def test_a_bridge_folder_matching_no_article_is_an_error(archive, tmp_path: Path) -> None:
    uk, en = archive
    bridge = _write(tmp_path / "mt", {"unrelated": ("Text.",)})
    result = _run(str(uk), str(en), "--bridge", str(bridge))
    assert result.exit_code == 2
    assert "no bridge file matches" in result.stderr


def test_one_jsonl_file_with_lang_fields(tmp_path: Path) -> None:
    path = tmp_path / "archive.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for texts, lang in ((UK, "uk"), (EN, "en")):
            for key, paragraphs in texts.items():
                record = {"id": key, "lang": lang, "paragraphs": list(paragraphs)}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    result = _run(str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().split("\n")[1:] == GOLD_ROWS


def test_a_saved_hugging_face_dataset(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    records = [
        {"id": key, "lang": lang, "text": "\n\n".join(paragraphs)}
        for texts, lang in ((UK, "uk"), (EN, "en"))
        for key, paragraphs in texts.items()
    ]
    datasets.Dataset.from_list(records).save_to_disk(str(tmp_path / "ds"))
    result = _run(str(tmp_path / "ds"))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().split("\n")[1:] == GOLD_ROWS


def test_unreadable_files_are_reported_and_the_rest_paired(archive) -> None:
    uk, en = archive
    (uk / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00" * 20)
    (en / "empty.txt").write_text("   \n", encoding="utf-8")
    result = _run(str(uk), str(en))
    assert result.exit_code == 0, result.output
    assert "broken.txt" in result.stderr and "empty.txt" in result.stderr
    assert result.stdout.strip().split("\n")[1:] == GOLD_ROWS


def test_an_article_in_the_wrong_folder_is_paired_in_its_real_language(archive) -> None:
    uk, en = archive
    # Swap: the Ukrainian umerov article goes to en/, the English a1 article to uk/.
    (uk / "umerov.txt").rename(en / "umerov.txt")
    (en / "a1.txt").rename(uk / "a1.txt")
    result = _run(str(uk), str(en))
    assert result.exit_code == 0, result.output
    assert "'umerov' is in Ukrainian but sits with the en articles" in result.stderr
    assert "umerov\ta1" in result.stdout.split("\n")


def test_duplicate_articles_are_reported_and_paired_once(archive) -> None:
    uk, en = archive
    (uk / "umerov-copy.txt").write_text((uk / "umerov.txt").read_text("utf-8"), "utf-8")
    result = _run(str(uk), str(en))
    assert result.exit_code == 0, result.output
    assert "'umerov-copy' has the same text as 'umerov'" in result.stderr
    assert result.stdout.strip().split("\n")[1:] == GOLD_ROWS


def test_an_empty_folder_is_an_error(tmp_path: Path, archive) -> None:
    uk, _ = archive
    (tmp_path / "empty").mkdir()
    result = _run(str(uk), str(tmp_path / "empty"))
    assert result.exit_code == 2
    assert "no article files" in result.stderr


def test_folders_with_only_one_language_are_an_error(tmp_path: Path) -> None:
    uk = _write(tmp_path / "uk", {"umerov": UK["umerov"]})
    other = _write(tmp_path / "other", {"strike": UK["strike"]})
    result = _run(str(uk), str(other))
    assert result.exit_code == 2
    assert "no readable English article" in result.stderr


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    result = _run(str(tmp_path / "nope"), str(tmp_path / "nada"))
    assert result.exit_code == 2
    assert "no such file or directory" in result.stderr


def test_one_folder_with_both_languages(tmp_path: Path) -> None:
    folder = _write(tmp_path / "both", {f"{k}.uk": v for k, v in UK.items()})
    _write(folder, {f"{k}.en": v for k, v in EN.items()})
    result = _run(str(folder))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().split("\n")[1:] == GOLD_ROWS


def test_a_dataset_folder_that_does_not_load_is_one_line_and_exit_2(tmp_path: Path) -> None:
    pytest.importorskip("datasets")
    folder = tmp_path / "ds"
    folder.mkdir()
    (folder / "state.json").write_text("not json", encoding="utf-8")
    result = _run(str(folder))
    assert result.exit_code == 2
    assert "not a readable saved dataset" in result.stderr
    assert "Traceback" not in result.output
