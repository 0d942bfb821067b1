"""``mistok run`` on the command line: the quick start, bad input, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mistok.cli import main

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def invoke(*args: str):
    return CliRunner().invoke(main, ["run", *args])


def _error_line(result) -> str:
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("mistok: error: ")
    return lines[0]


def test_quick_start_on_seeds(tmp_path):
    out = tmp_path / "out"
    result = invoke(str(SEEDS), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "pairs" in result.output and "report.html" in result.output
    for name in ("pairs.tsv", "report.json", "report.html", "junit.xml", "bitext.tmx"):
        assert (out / name).is_file(), name
    assert (out / "dataset" / "bitext.parquet").is_file()


def test_help_has_an_example():
    result = CliRunner().invoke(main, ["run", "--help"])
    assert result.exit_code == 0
    assert "mistok run seeds -o out" in result.output


def test_empty_folder_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    result = invoke(str(tmp_path / "empty"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "no article files" in _error_line(result)
    assert not (tmp_path / "out").exists()


def test_one_language_only_is_refused(tmp_path):
    folder = tmp_path / "uk"
    folder.mkdir()
    (folder / "a.uk.txt").write_text((SEEDS / "umerov-south-korea.uk.txt").read_text())
    result = invoke(str(folder), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    line = _error_line(result)
    assert "no English" in line and str(folder) in line
    assert "found 1 Ukrainian article but no English ones" in line
    assert not (tmp_path / "out").exists()


def test_unreadable_file_is_listed_and_the_rest_runs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for lang in ("uk", "en"):
        source = SEEDS / f"umerov-south-korea.{lang}.txt"
        (folder / f"story.{lang}.txt").write_text(source.read_text(encoding="utf-8"))
    (folder / "broken.uk.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    out = tmp_path / "out"
    result = invoke(str(folder), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "broken.uk.txt" in result.output
    report = json.loads((out / "report.json").read_text())
    assert [Path(s["path"]).name for s in report["skipped_files"]] == ["broken.uk.txt"]
    assert report["counts"]["pairs"] == 1


def test_output_that_is_a_file_is_refused_and_kept(tmp_path):
    target = tmp_path / "out"
    target.write_text("keep me")
    result = invoke(str(SEEDS), "-o", str(target))
    assert result.exit_code == 2
    assert "is a file" in _error_line(result)
    assert target.read_text() == "keep me"


def test_output_into_an_input_folder_is_refused(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for lang in ("uk", "en"):
        source = SEEDS / f"umerov-south-korea.{lang}.txt"
        (folder / f"story.{lang}.txt").write_text(source.read_text(encoding="utf-8"))
    result = invoke(str(folder), "-o", str(folder))
    assert result.exit_code == 2
    assert "is an input folder" in _error_line(result)
    assert sorted(p.name for p in folder.iterdir()) == ["story.en.txt", "story.uk.txt"]


def test_three_inputs_are_refused(tmp_path):
    result = invoke(str(SEEDS), str(SEEDS), str(SEEDS), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "UK_DIR and EN_DIR" in _error_line(result)


def test_pairs_tsv_is_what_mistok_pair_prints(tmp_path):
    out = tmp_path / "out"
    assert invoke(str(SEEDS), "-o", str(out)).exit_code == 0
    printed = CliRunner().invoke(main, ["pair", str(SEEDS), "--format", "tsv"])
    assert printed.exit_code == 0, printed.output
    assert (out / "pairs.tsv").read_text() == printed.stdout


SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.mark.slow
@pytest.mark.shared
def test_pairs_tsv_matches_mistok_pair_on_an_archive(tmp_path):
    data = SHARED / "data" / "wmt22-uk-en" / "pair-hard"
    if not data.is_dir():
        pytest.skip(f"{data} is absent (the ../shared folder beside the checkout)")
    folders = [str(data / "uk"), str(data / "en")]
    out = tmp_path / "out"
    result = invoke(*folders, "-o", str(out), "--bridge", str(data / "uk-mt"))
    assert result.exit_code == 0, result.output
    printed = CliRunner().invoke(main, ["pair", *folders, "--bridge", str(data / "uk-mt")])
    assert printed.exit_code == 0
    assert (out / "pairs.tsv").read_text() == printed.stdout
    report = json.loads((out / "report.json").read_text())
    assert report["counts"]["pairs"] > 150


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_model_folder_drafts_its_direction_and_lists_the_other(tmp_path, tiny_marian, offline_hub):
    folder = tmp_path / "in"
    folder.mkdir()
    for lang in ("uk", "en"):
        source = SEEDS / f"umerov-south-korea.{lang}.txt"
        (folder / f"story.{lang}.txt").write_text(source.read_text(encoding="utf-8"))
    with (folder / "story.en.txt").open("a", encoding="utf-8") as english:
        english.write("\n\nSubscribe to our newsletter to get the day's main stories.\n")
    (folder / "harvest.uk.txt").write_text(
        "Аграрії Полтавщини зібрали 2,4 мільйона тонн зерна.\n\n"
        "Найбільше зібрали кукурудзи та соняшнику.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = invoke(str(folder), "-o", str(out), "--model", str(tiny_marian.transformers))
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    drafted = {(d["article"], d["src"], d["tgt"]) for d in report["translation"]["drafts"]}
    assert ("harvest", "uk", "en") in drafted
    draft = (out / "drafts" / "harvest.en.txt").read_text(encoding="utf-8")
    assert "machine_draft: true" in draft.split("---")[1]
    pending = report["translation"]["needs_translation"]
    # a local Marian folder translates one direction; the English-only paragraphs wait
    assert pending and all((p["src"], p["tgt"]) == ("en", "uk") for p in pending)
    assert "en→uk" in report["translation"]["message"]


def test_duplicate_article_is_noted_and_left_out(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for lang in ("uk", "en"):
        source = SEEDS / f"umerov-south-korea.{lang}.txt"
        (folder / f"story.{lang}.txt").write_text(source.read_text(encoding="utf-8"))
    (folder / "story-copy.uk.txt").write_text((folder / "story.uk.txt").read_text())
    out = tmp_path / "out"
    result = invoke(str(folder), "-o", str(out))
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    assert report["counts"]["uk_articles"] == 1 and report["counts"]["pairs"] == 1
    assert any("story-copy" in s["reason"] for s in report["skipped_files"])
    assert "story-copy" in result.output


def test_style_file_reaches_the_checks_and_a_change_rechecks(tmp_path):
    style = tmp_path / "style.toml"
    style.write_text('[rejected]\n"Umyerov" = "Umerov"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(str(SEEDS), "-o", str(out), "--style", str(style))
    assert result.exit_code == 0, result.output

    def style_findings() -> list[dict]:
        report = json.loads((out / "report.json").read_text())
        (pair,) = report["pairs"]
        return [f for f in pair["findings"] if f["check"] == "style"]

    rejected = [f for f in style_findings() if "Umyerov" in f["message"]]
    assert rejected and all(f["severity"] == "error" for f in rejected)
    assert "style:sha256=" in json.loads((out / "report.json").read_text())["signature"]

    style.write_text('[names]\n"Умєров" = "Umerov"\n', encoding="utf-8")
    assert invoke(str(SEEDS), "-o", str(out), "--style", str(style)).exit_code == 0
    assert not [f for f in style_findings() if f["severity"] == "error"]


def test_a_failed_write_is_one_line_and_leaves_whole_files(tmp_path, monkeypatch):
    from mistok.pipeline import bitext_files

    def disk_full(rows, folder):
        raise OSError(28, "No space left on device", str(folder))

    monkeypatch.setattr(bitext_files, "stage_dataset", disk_full)
    out = tmp_path / "out"
    result = invoke(str(SEEDS), "-o", str(out))
    assert result.exit_code == 2
    assert "No space left on device" in _error_line(result)
    # the report is published last, so a run that failed before it has none
    assert not (out / "report.json").exists()
    assert not list(out.rglob(".tmp-mistok-*"))


def test_fail_on_gates_the_exit_code_after_writing_everything(tmp_path):
    # the seed pair has warnings (Umerov/Umyerov) and no errors
    out = tmp_path / "out"
    plain = invoke(str(SEEDS), "-o", str(out))
    assert plain.exit_code == 0, plain.output
    counts = json.loads((out / "report.json").read_text())["findings"]
    assert counts["error"] == 0 < counts["warning"]

    assert invoke(str(SEEDS), "-o", str(out), "--fail-on", "error").exit_code == 0
    (out / "report.json").unlink()
    failed = invoke(str(SEEDS), "-o", str(out), "--fail-on", "warning")
    assert failed.exit_code == 1
    last = failed.output.strip().splitlines()[-1]
    assert last == f"mistok: {counts['warning']} findings at or above --fail-on warning; exit 1"
    assert (out / "report.json").is_file()  # written before the exit


def test_write_baseline_records_every_finding_and_baseline_holds_them_back(tmp_path):
    out, baseline = tmp_path / "out", tmp_path / "baseline.txt"
    first = invoke(str(SEEDS), "-o", str(out), "--write-baseline", str(baseline))
    assert first.exit_code == 0, first.output
    found = sum(json.loads((out / "report.json").read_text())["findings"].values())
    recorded = [x for x in baseline.read_text().splitlines() if x and not x.startswith("#")]
    assert found > 0 and len(recorded) == found
    assert f"recorded {found} findings in the baseline" in " ".join(first.output.split())
    again = invoke(str(SEEDS), "-o", str(out), "--baseline", str(baseline), "--fail-on", "note")
    assert again.exit_code == 0, again.output  # every finding is in the baseline
    assert sum(json.loads((out / "report.json").read_text())["findings"].values()) == 0


def test_summary_reads_as_sentences_and_counts_reuse(tmp_path):
    out = tmp_path / "out"

    def lines(result) -> list[str]:
        return [" ".join(line.split()) for line in result.output.splitlines()]

    first = lines(invoke(str(SEEDS), "-o", str(out)))
    report = json.loads((out / "report.json").read_text())
    (pending,) = report["translation"]["needs_translation"]  # no model here
    assert f"needs translation {len(pending['paragraphs'])} paragraph" in first
    counted = [f"{report['findings'][k]} {k}" for k in ("error", "warning", "note")]
    plural = [text if text.startswith("1 ") else text + "s" for text in counted]
    assert f"findings {', '.join(plural)}" in first
    assert "reused nothing" in first
    second = lines(invoke(str(SEEDS), "-o", str(out)))
    assert "reused pairing yes, 1/1 alignments, 1/1 checks, 0 drafts" in second


def test_a_folder_of_other_files_is_refused_and_left_alone(tmp_path):
    # a run replaces the files of its folders (drafts/, pairs/, ...): never someone else's
    out = tmp_path / "newsroom"
    (out / "drafts").mkdir(parents=True)
    (out / "drafts" / "editor-notes.txt").write_text("keep me")
    result = invoke(str(SEEDS), "-o", str(out))
    assert result.exit_code == 2
    assert "holds files that no mistok run wrote" in _error_line(result)
    assert [p.name for p in out.rglob("*")] == ["drafts", "editor-notes.txt"]

    (out / "drafts" / "editor-notes.txt").unlink()  # an empty folder (but for dotfiles) is fine
    (out / ".DS_Store").write_text("")
    assert invoke(str(SEEDS), "-o", str(out)).exit_code == 0
    assert invoke(str(SEEDS), "-o", str(out)).exit_code == 0  # and so is a run's own folder


def test_warnings_met_on_the_way_are_one_line_each(tmp_path, monkeypatch):
    import warnings

    from mistok.pipeline import steps

    real = steps.align_pair

    def align_with_a_warning(pair, settings=None):
        warnings.warn("a sentence was cut to fit the model", UserWarning, stacklevel=1)
        warnings.warn("a sentence was cut to fit the model", UserWarning, stacklevel=1)
        return real(pair, settings)

    monkeypatch.setattr(steps, "align_pair", align_with_a_warning)
    result = invoke(str(SEEDS), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines.count("mistok: warning: a sentence was cut to fit the model") == 1
    assert "UserWarning" not in result.output


def test_engine_ct2_is_the_old_spelling_of_mt_engine(tmp_path):
    out = tmp_path / "out"
    result = invoke(str(SEEDS), "-o", str(out), "--engine", "ct2")
    assert result.exit_code == 0, result.output
    assert "--engine ct2 is now --mt-engine ct2" in result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["settings"]["mt_engine"] == "ct2"


def test_a_bug_in_a_new_folder_leaves_the_cache_and_says_where_things_are(
    tmp_path, monkeypatch
):
    """An unexpected error (a bug, exit 1) in a folder the run made: no report.json or
    manifest.json claims a run, the message says what the folder holds, and a rerun resumes
    from the cached results."""
    from run_helpers import write_archive

    from mistok.pipeline import steps

    def crash(stage: str, done: int) -> None:
        if stage == "check":
            raise ZeroDivisionError("division by zero")

    archive, out = write_archive(tmp_path / "in"), tmp_path / "out"
    monkeypatch.setattr(steps, "after_stage_result", crash)
    result = invoke(str(archive), "-o", str(out))
    assert result.exit_code == 1 and isinstance(result.exception, ZeroDivisionError)
    line = " ".join(result.output.split())
    assert "unexpected ZeroDivisionError (a bug in mistok" in line
    assert f"{out} was made by this run and holds no complete output" in line
    assert f"{out / '.mistok-cache'}" in line and "a rerun resumes" in line
    assert not (out / "report.json").exists() and not (out / "manifest.json").exists()
    monkeypatch.setattr(steps, "after_stage_result", lambda stage, done: None)
    result = invoke(str(archive), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "reused pairing yes, 1/3 alignments, 1/3 checks" in " ".join(result.output.split())
