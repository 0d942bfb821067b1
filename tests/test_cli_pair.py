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
    rows = result.stdout.strip().split("\n")[1:]
    assert rows[:5] == GOLD_ROWS
    skipped = [row.split("\t") for row in rows[5:]]
    assert [(s[0], Path(s[1]).name) for s in skipped] == [
        ("# skipped", "broken.txt"),
        ("# skipped", "empty.txt"),
    ]
    assert "binary" in skipped[0][2] and "empty" in skipped[1][2]


def test_an_article_in_the_wrong_folder_is_processed_as_declared(archive) -> None:
    uk, en = archive
    # Swap two files: the Ukrainian umerov article goes to en/, the English a1 article to uk/.
    (uk / "umerov.txt").rename(en / "umerov.txt")
    (en / "a1.txt").rename(uk / "a1.txt")
    result = _run(str(uk), str(en), "--format", "json")
    assert result.exit_code == 0, result.output
    assert "umerov.txt: declared en, text looks Ukrainian" in result.stderr
    assert "a1.txt: declared uk, text looks English" in result.stderr
    assert "2 articles read as declared" in result.stderr
    data = json.loads(result.stdout)
    listed = {p["uk"] for p in data["pairs"]} | set(data["unpaired_uk"])
    assert "a1" in listed and "umerov" not in listed
    assert len(data["language_mismatches"]) == 2


def test_folders_given_the_wrong_way_round_are_one_line_and_exit_2(archive) -> None:
    uk, en = archive
    result = _run(str(en), str(uk))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "look swapped" in result.stderr
    assert result.stdout == ""


def test_a_ukrainian_folder_of_english_files_is_processed_with_a_warning_each(
    tmp_path: Path,
) -> None:
    uk = _write(tmp_path / "uk", {k: v for k, v in EN.items() if k != "d4"})
    en = _write(tmp_path / "en", EN)
    result = _run(str(uk), str(en), "--format", "json")
    assert result.exit_code == 0, result.output
    for name in ("a1", "b2", "c3"):
        assert f"{name}.txt: declared uk, text looks English" in result.stderr
    assert "3 articles read as declared" in result.stderr
    data = json.loads(result.stdout)
    uk_listed = {p["uk"] for p in data["pairs"]} | set(data["unpaired_uk"])
    assert uk_listed == {"a1", "b2", "c3"}


def test_duplicate_articles_are_reported_and_paired_once(archive) -> None:
    uk, en = archive
    (uk / "umerov-copy.txt").write_text((uk / "umerov.txt").read_text("utf-8"), "utf-8")
    result = _run(str(uk), str(en))
    assert result.exit_code == 0, result.output
    assert "'umerov-copy' has the same text as 'umerov'" in result.stderr
    rows = result.stdout.strip().split("\n")[1:]
    assert rows[:-1] == GOLD_ROWS
    assert rows[-1].startswith("# skipped\t") and "umerov-copy" in rows[-1]


def test_an_empty_folder_is_an_error(tmp_path: Path, archive) -> None:
    uk, _ = archive
    (tmp_path / "empty").mkdir()
    result = _run(str(uk), str(tmp_path / "empty"))
    assert result.exit_code == 2
    assert "no article files" in result.stderr


def test_an_english_folder_with_no_readable_file_is_an_error(tmp_path: Path) -> None:
    uk = _write(tmp_path / "uk", {"umerov": UK["umerov"]})
    other = tmp_path / "other"
    other.mkdir()
    (other / "empty.txt").write_text("  \n", encoding="utf-8")
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


def _edge_case_archive(tmp_path: Path, uk_texts, en_texts) -> tuple[Path, Path, int]:
    """UK_DIR and EN_DIR full of edge cases; returns them and the number of input articles."""
    uk = _write(tmp_path / "uk", uk_texts)
    en = _write(tmp_path / "en", en_texts)
    inputs = len(uk_texts) + len(en_texts)
    edge_files = {
        # Cyrillic without і ї є ґ: the letters cannot tell, the folder can
        uk / "short.txt": "Дякую, всім добра. Тримаймося разом!",
        # a Ukrainian article quoting Russian speech at length: "looks Russian"
        uk / "quote.txt": "Він сказав: «Мы все это видели, это было ужасно, объясните нам, "
        "почему эти люди молчат, всё это съёмки». Ще одне речення.",
        uk / "english.txt": "An English article filed with the Ukrainian ones, as it happens.",
        uk / "zz-copy.txt": (uk / "umerov.txt").read_text("utf-8"),  # the same text twice
        uk / "empty.txt": " \n",
        en / "emoji.txt": "👍👍 🔥",  # no letters at all
        en / "broken.txt": "\x00\x01binary\x00",
    }
    for path, text in edge_files.items():
        path.write_text(text, encoding="utf-8")
    records = [
        '{"id": "rec-en", "lang": "en", "text": "A record that declares English."}',
        '{"id": "rec-uk", "text": "Запис без мови, у теці українських статей."}',
        "not json at all",
    ]
    (uk / "records.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    return uk, en, inputs + len(edge_files) + len(records)


def test_every_input_article_appears_in_every_output(tmp_path: Path) -> None:
    uk, en, inputs = _edge_case_archive(tmp_path, UK, EN)
    tsv = _run(str(uk), str(en))
    assert tsv.exit_code == 0, tsv.output
    rows = [line.split("\t") for line in tsv.stdout.strip().split("\n")[1:]]
    paired = [r for r in rows if r[0] != "# skipped"]
    skipped = [r for r in rows if r[0] == "# skipped"]
    articles = [name for row in paired for name in row if name != "-"]
    assert len(articles) + len(skipped) == inputs
    assert len(set(articles)) == len(articles)
    for name in ("short", "quote", "english", "rec-en", "rec-uk", "emoji"):
        assert name in articles
    assert {Path(r[1]).name for r in skipped} == {
        "zz-copy.txt",
        "empty.txt",
        "broken.txt",
        "records.jsonl",
    }
    assert all(r[2] for r in skipped)  # each with its reason

    data = json.loads(_run(str(uk), str(en), "--format", "json").stdout)
    in_json = [p[side] for p in data["pairs"] for side in ("uk", "en")]
    in_json += data["unpaired_uk"] + data["unpaired_en"]
    assert sorted(in_json) == sorted(articles)
    assert len(data["skipped"]) == len(skipped) and all(s["reason"] for s in data["skipped"])
    assert {Path(m["source"]).name for m in data["language_mismatches"]} == {
        "quote.txt",
        "english.txt",
    }
    assert "declared uk, text looks Russian" in tsv.stderr
