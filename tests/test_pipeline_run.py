"""The local engine of ``mistok run`` end to end, through its Python API."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import killed_run
import pytest
from run_helpers import SEEDS, EchoTranslator, finding_lines, snapshot, write_archive

from mistok.pipeline.driver import run_pipeline
from mistok.run_records import RunSettings


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds") / "out"
    summary = run_pipeline(RunSettings((SEEDS,), out))
    return out, summary


def test_baseline_entries_are_made_only_when_asked(seeds_run, tmp_path):
    _, summary = seeds_run
    assert summary.counts["findings_warning"] > 0 and summary.baseline_entries == ()
    asked = run_pipeline(RunSettings((SEEDS,), tmp_path / "out", record_baseline=True))
    findings = sum(asked.counts[f"findings_{k}"] for k in ("error", "warning", "note"))
    assert len(asked.baseline_entries) == findings


def test_seeds_run_writes_every_output(seeds_run):
    out, summary = seeds_run
    assert (out / "pairs.tsv").read_text() == "uk\ten\numerov-south-korea\tumerov-south-korea\n"
    pair = "umerov-south-korea__umerov-south-korea"
    alignment = json.loads((out / "alignments" / f"{pair}.json").read_text())
    assert sorted(i for b in alignment["beads"] for i in b["uk"]) == list(range(17))
    assert sorted(j for b in alignment["beads"] for j in b["en"]) == list(range(16))
    assert alignment["signature"]
    assert all(0.0 <= b["score"] <= 1.0 for b in alignment["beads"])
    report = json.loads((out / "report.json").read_text())
    assert report["counts"]["pairs"] == 1
    assert report["signature"].startswith("run|") and "pair|" in report["signature"]
    pair_entry = report["pairs"][0]
    assert pair_entry["check_signature"] and isinstance(pair_entry["findings"], list)
    assert sum(pair_entry["counts"].values()) == len(pair_entry["findings"])
    assert report["pairs"][0]["review"] == f"pairs/{pair}.html"
    assert (out / "pairs" / f"{pair}.html").read_text().lstrip().lower().startswith("<!doctype")
    assert f'href="pairs/{pair}.html"' in (out / "report.html").read_text()
    # sentence units by default: every two-sided paragraph bead gives at least one
    units = [json.loads(line) for line in (out / "bitext.jsonl").read_text().splitlines()]
    assert summary.counts["bitext_rows"] == len(units)
    two_sided = {n for n, b in enumerate(alignment["beads"]) if b["uk"] and b["en"]}
    assert {u["bead"] for u in units} == two_sided
    assert {u["segtype"] for u in units} == {"sentence"}


def test_seeds_run_summary_names_outputs_by_their_top_level(seeds_run):
    out, summary = seeds_run
    top = {f"{p.name}/" if p.is_dir() else p.name for p in out.iterdir()}
    top -= {".mistok-cache/", ".mistok-lock"}
    assert set(summary.outputs) == top and list(summary.outputs) == sorted(summary.outputs)
    assert "pairs/" in summary.outputs and "report.json" in summary.outputs
    files = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
    files = [p for p in files if ".mistok-cache" not in p.parts and "dataset" not in p.parts]
    assert summary.output_count == len(files) + 1  # dataset/ counts as one


def test_seeds_run_bitext_reads_back(seeds_run):
    import datasets
    from translate.storage import tmx

    out, summary = seeds_run
    store = tmx.tmxfile.parsefile(str(out / "bitext.tmx"))
    units = [u for u in store.units if not u.isheader()]
    assert len(units) == summary.counts["bitext_rows"] > 10
    assert "Умєров" in units[0].source and "South Korea" in units[0].target
    dataset = datasets.load_from_disk(str(out / "dataset"))
    assert dataset.num_rows == len(units)
    assert dataset[0]["uk"] == units[0].source
    assert len((out / "bitext.jsonl").read_text().splitlines()) == len(units)


def test_seeds_run_junit_is_one_document(seeds_run):
    import xml.etree.ElementTree as ET

    out, _ = seeds_run
    root = ET.parse(out / "junit.xml").getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("id") for s in suites] == ["umerov-south-korea__umerov-south-korea"]
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites)


def test_without_a_model_the_missing_parts_are_listed(tmp_path, monkeypatch):
    from aligner.errors import ModelUnavailableError
    from mistok.pipeline import translation

    def no_model(settings, **options):
        raise ModelUnavailableError("opus-mt is not in the local cache")

    monkeypatch.setattr(translation, "_load_translator", no_model)
    out = tmp_path / "out"
    summary = run_pipeline(RunSettings((write_archive(tmp_path / "in"),), out))
    assert summary.counts["drafts"] == 0
    pending = {(r.kind, r.article_id) for r in summary.needs_translation}
    assert ("article", "harvest") in pending
    # the summary names what is left, without the texts (an archive's would all be in memory)
    assert all(r.texts == () and r.indices for r in summary.needs_translation)
    assert "mistok models pull opus-mt" in summary.model_message
    assert "harvest" in (out / "needs_translation.tsv").read_text()
    assert not (out / "drafts").exists() or not any((out / "drafts").iterdir())
    report = json.loads((out / "report.json").read_text())
    assert report["translation"]["message"] == summary.model_message
    index = (out / "report.html").read_text()
    assert "<title>mistok run: 3 pairs</title>" in index
    assert "harvest (uk→en):\nthe whole article</li>" in index
    for request in summary.needs_translation:
        if request.kind == "paragraphs":  # each list item links the page that shows them
            assert f'<a href="pairs/{request.pair_id}.html">review page</a>' in index


@pytest.mark.filterwarnings("ignore::aligner.language.LanguageMismatchWarning")
def test_drafts_are_marked_and_reused(tmp_path):
    archive = write_archive(tmp_path / "in")
    out = tmp_path / "out"
    translator = EchoTranslator()
    first = run_pipeline(RunSettings((archive,), out), translator=translator)
    assert first.needs_translation == ()
    draft = (out / "drafts" / "harvest.en.txt").read_text()
    assert draft.startswith("---\n") and "machine_draft: true" in draft
    assert "[uk>en] Аграрії Полтавщини" in draft
    from aligner.readers import read_article

    article = read_article(out / "drafts" / "harvest.en.txt")
    assert article.lang == "en" and article.meta["machine_draft"] in ("true", "True")

    calls = translator.calls
    second = run_pipeline(RunSettings((archive,), out), translator=translator)
    assert translator.calls == calls  # every draft came from the cache
    assert second.reused["translate"] == first.counts["drafts"]
    assert second.reused["align"] == first.counts["pairs"]


def test_two_folders_and_one_folder_give_the_same_pairs(tmp_path):
    mixed = run_pipeline(RunSettings((write_archive(tmp_path / "a"),), tmp_path / "o1"))
    split = write_archive(tmp_path / "b", split=True)
    separate = run_pipeline(RunSettings((split / "uk", split / "en"), tmp_path / "o2"))
    assert (tmp_path / "o1" / "pairs.tsv").read_text() == (
        tmp_path / "o2" / "pairs.tsv"
    ).read_text()
    assert mixed.counts == separate.counts


def test_rerun_reuses_everything_and_changes_nothing(tmp_path):
    archive = write_archive(tmp_path / "in")
    out = tmp_path / "out"
    run_pipeline(RunSettings((archive,), out))
    before = snapshot(out)
    # the lock file (which holds the pid of the run that has the folder) aside
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    mtimes.pop(out / ".mistok-lock")
    second = run_pipeline(RunSettings((archive,), out))
    assert second.reused["pair"] == 1 and second.reused["align"] == second.counts["pairs"]
    assert snapshot(out) == before
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert after.pop(out / ".mistok-lock") and after == mtimes


def test_changed_input_redoes_its_pair_and_drops_stale_outputs(tmp_path):
    archive = write_archive(tmp_path / "in")
    out = tmp_path / "out"
    first = run_pipeline(RunSettings((archive,), out))
    old_alignments = sorted(p.name for p in (out / "alignments").iterdir())
    for lang in ("uk", "en"):
        (archive / f"seoul.{lang}.txt").unlink()
    second = run_pipeline(RunSettings((archive,), out))
    assert second.counts["pairs"] < first.counts["pairs"]
    new_alignments = sorted(p.name for p in (out / "alignments").iterdir())
    assert len(new_alignments) == second.counts["pairs"] < len(old_alignments)
    assert sorted(p.name for p in (out / "pairs").iterdir()) == [
        n.replace(".json", ".html") for n in new_alignments
    ]


def _cli_run(archive: Path, out: Path, kill_after: int | None = None):
    # Each run is its own process with its own hash seed: the stages must not depend on it.
    env = {**os.environ, "COLUMNS": "250"}  # an unwrapped summary
    env.pop("PYTHONHASHSEED", None)
    command = [sys.executable, "-m", "mistok", "run", str(archive), "-o", str(out)]
    if kill_after is not None:
        command = killed_run.command("align", kill_after, *command[3:])
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_killed_run_resumes_to_the_clean_result(tmp_path):
    archive = write_archive(tmp_path / "in")
    clean = tmp_path / "clean"
    assert _cli_run(archive, clean).returncode == 0

    # the folder first holds a finished run of an older state of the archive
    older = write_archive(tmp_path / "older")
    for lang in ("uk", "en"):
        (older / f"aid.{lang}.txt").unlink()
    resumed = tmp_path / "resumed"
    assert _cli_run(older, resumed).returncode == 0
    older_report = (resumed / "report.json").read_bytes()

    killed = _cli_run(archive, resumed, kill_after=1)
    assert killed.returncode == -9, killed.stderr
    # killed before writing: the older run's outputs are still whole
    assert (resumed / "report.json").read_bytes() == older_report

    finished = _cli_run(archive, resumed)
    assert finished.returncode == 0, finished.stderr
    assert "3/3 alignments" in finished.stderr  # all three were reused
    assert snapshot(resumed) == snapshot(clean)
    assert not list(resumed.rglob(".tmp-mistok-*"))


def test_bridge_folder_reaches_the_aligner(tmp_path):
    archive = write_archive(tmp_path / "in", split=True)
    bridge = tmp_path / "mt"
    bridge.mkdir()
    english = (archive / "en" / "visit.en.txt").read_text(encoding="utf-8")
    paragraphs = (archive / "uk" / "visit.uk.txt").read_text(encoding="utf-8").split("\n\n")
    # one English paragraph per Ukrainian one: the right count is what makes it usable
    mt = (english.split("\n\n") * 3)[: len(paragraphs)]
    (bridge / "visit.uk.txt").write_text("\n\n".join(mt), encoding="utf-8")
    out = tmp_path / "out"
    run_pipeline(RunSettings((archive / "uk", archive / "en"), out, bridge=bridge))
    pairs = (out / "pairs.tsv").read_text().splitlines()
    visit = next(row.split("\t")[1] for row in pairs if row.startswith("visit\t"))
    alignment = json.loads((out / "alignments" / f"visit__{visit}.json").read_text())
    assert "bridge:yes" in alignment["signature"]

    # a bridge whose paragraphs do not match one for one is left out of the alignment, said so
    (bridge / "visit.uk.txt").write_text("\n\n".join(mt[:-1]), encoding="utf-8")
    summary = run_pipeline(RunSettings((archive / "uk", archive / "en"), out, bridge=bridge))
    alignment = json.loads((out / "alignments" / f"visit__{visit}.json").read_text())
    assert "bridge:no" in alignment["signature"]
    assert any(n.startswith("bridge of visit: ") for n in summary.notes), summary.notes
    # the same in a new folder (whose pairs are not planned first): said once
    fresh = run_pipeline(
        RunSettings((archive / "uk", archive / "en"), tmp_path / "new", bridge=bridge)
    )
    assert [n for n in fresh.notes if n.startswith("bridge of visit: ")] == [
        n for n in summary.notes if n.startswith("bridge of visit: ")
    ]


def test_article_in_the_wrong_folder_is_used_as_declared(tmp_path):
    archive = write_archive(tmp_path / "in", split=True)
    (archive / "en" / "aid.en.txt").rename(archive / "uk" / "aid-english.txt")
    out = tmp_path / "out"
    summary = run_pipeline(RunSettings((archive / "uk", archive / "en"), out))
    # the folder declares Ukrainian: the article is processed as Ukrainian, with a warning
    assert summary.counts["en_articles"] == 2 and summary.counts["uk_articles"] == 5
    assert summary.counts["declared_language_mismatches"] == 1
    assert any("aid-english" in n and "declared uk" in n for n in summary.notes)
    report = json.loads((out / "report.json").read_text())
    assert report["notes"] == list(summary.notes)


def test_stage_records_pickle_for_other_processes():
    # a cluster engine ships the records between processes: each must survive pickle
    import pickle

    from aligner.readers import read_article
    from mistok import run_records as rec
    from mistok.pipeline import stages

    uk = read_article(SEEDS / "umerov-south-korea.uk.txt")
    en = read_article(SEEDS / "umerov-south-korea.en.txt")
    partitions = stages.pairing_partitions([uk], [en])
    paired = [stages.pair_partition(p) for p in partitions]
    pairing, _ = stages.merge_pairing(paired, [uk.id], [en.id])
    aligned = stages.align_pair(rec.ArticlePair(uk, en, pairing.pairs[0]))
    cached = rec.AlignedPair(aligned.pair, rec.alignment_from_dict(aligned.alignment_dict()))
    task = rec.PairToCheck(aligned, ("a line",), None)
    verdict = stages.check_aligned_pair(task)
    records = [pairing, aligned, cached, task, verdict, rec.PairCheck.from_dict(verdict.to_dict())]
    records += partitions + paired  # a pairing task's input and output travel too
    records += stages.one_sided_paragraph_requests(aligned) + stages.bitext_rows(aligned)
    for record in records:
        copy = pickle.loads(pickle.dumps(record))
        assert copy == record, type(record).__name__
    assert pairing.pairs[0].signals and verdict.counts
    with pytest.raises(TypeError):  # still read-only after the round trip
        pickle.loads(pickle.dumps(verdict)).counts["error"] = 99  # type: ignore[index]


def test_review_pages_are_written_as_checked_not_kept(tmp_path, monkeypatch):
    # at archive scale the pages of all pairs would not fit in memory until the write stage
    from mistok.pipeline import steps

    seen = {}
    real = steps.write_outputs

    def spy(state):
        seen["pages_on_disk"] = sorted(p.name for p in (state.output.root / "pairs").iterdir())
        seen["verdicts"] = list(state.verdicts)
        return real(state)

    monkeypatch.setattr(steps, "write_outputs", spy)
    out = tmp_path / "out"
    summary = run_pipeline(RunSettings((write_archive(tmp_path / "in"),), out))
    assert len(seen["pages_on_disk"]) == summary.counts["pairs"] == 3
    assert all(v.html == "" and "articles" not in v.report for v in seen["verdicts"])
    report = json.loads((out / "report.json").read_text())
    assert all(p["findings"] is not None and p["check_signature"] for p in report["pairs"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert sum(name.startswith("pairs/") for name in manifest["outputs"]) == 3


def test_without_datasets_the_rest_is_written_and_the_old_dataset_removed(tmp_path, monkeypatch):
    from mistok.pipeline import steps

    out = tmp_path / "out"
    run_pipeline(RunSettings((SEEDS,), out))
    assert (out / "dataset").is_dir()
    monkeypatch.setattr(
        steps, "dataset_unavailable", lambda: "datasets not installed, so dataset/ ..."
    )
    summary = run_pipeline(RunSettings((SEEDS,), out))
    assert not (out / "dataset").exists()
    assert "datasets not installed, so dataset/ ..." in summary.notes
    assert (out / "bitext.tmx").is_file() and (out / "bitext.jsonl").is_file()
    assert json.loads((out / "manifest.json").read_text())["dataset_key"] is None
    assert "dataset/" not in summary.outputs


def test_file_stems_are_distinct_and_short():
    from mistok.run_records import STEM_BYTES, PairLink, file_stem

    assert file_stem("umerov-south-korea") == "umerov-south-korea"  # a file stem stays
    assert file_stem("Умєров_у.Сеулі") == "Умєров_у.Сеулі"
    assert file_stem("a/b") != file_stem("a_b") != file_stem("a b")
    assert file_stem("a/b").startswith("a_b-")
    url = "https://example.ua/news/" + "умєров-прибув-до-сеула-" * 10
    assert len(file_stem(url).encode()) <= STEM_BYTES + 11
    assert file_stem(url) != file_stem(url + "x")
    pair = PairLink(url, url.replace("ua/", "com/"), 1.0).pair_id
    assert len(f"{pair}.en.json".encode()) < 255  # one file name, within the usual limit


@pytest.mark.filterwarnings("ignore::aligner.language.LanguageMismatchWarning")
def test_translation_is_cached_batch_by_batch(tmp_path, monkeypatch):
    # a run that stops in the middle of translating keeps the drafts made so far
    from aligner.errors import ModelUnavailableError
    from mistok.pipeline import translation

    monkeypatch.setattr(translation, "TRANSLATE_BATCH", 1)

    class FailsAfterOneCall(EchoTranslator):
        def translate(self, texts, src, tgt):
            if self.calls:
                raise ModelUnavailableError("the model went away")
            return super().translate(texts, src, tgt)

    archive = write_archive(tmp_path / "in")
    (archive / "visit.en.txt").write_text(  # a second request: English-only paragraphs
        (archive / "visit.en.txt").read_text() + "\nSubscribe to our newsletter.\n"
    )
    out = tmp_path / "out"
    first = run_pipeline(RunSettings((archive,), out), translator=FailsAfterOneCall())
    assert first.counts["drafts"] == 1 and len(first.needs_translation) >= 1
    assert "the model went away" in first.model_message
    total = first.counts["drafts"] + len(first.needs_translation)

    echo = EchoTranslator()
    second = run_pipeline(RunSettings((archive,), out), translator=echo)
    assert second.reused["translate"] == 1 and second.counts["drafts"] == total
    assert echo.calls == total - 1  # one call per batch of one, the cached draft skipped


def test_translator_issues_reach_the_drafts_and_the_report(tmp_path):
    from models.report import TranslationIssue, TranslationReport, TranslationResult

    class ReportingTranslator(EchoTranslator):
        name = "reporting-mt"

        def translate_with_report(self, texts, src, tgt):
            flagged = [i for i, t in enumerate(texts) if t.startswith("Найбільше")]
            issues = tuple(
                TranslationIssue("empty", i, "the model returned nothing") for i in flagged
            )
            return TranslationResult(
                tuple(self.translate(texts, src, tgt)), TranslationReport(issues)
            )

    archive = write_archive(tmp_path / "in")
    out = tmp_path / "out"
    for _ in range(2):  # the second run takes the drafts, issues included, from the cache
        summary = run_pipeline(RunSettings((archive,), out), translator=ReportingTranslator())
        expected = "¶ 1: empty: the model returned nothing"  # harvest's second paragraph
        report = json.loads((out / "report.json").read_text())
        (harvest,) = [d for d in report["translation"]["drafts"] if d["article"] == "harvest"]
        assert harvest["issues"] == [expected]
        assert all(d["issues"] == [] for d in report["translation"]["drafts"] if d is not harvest)
        assert expected in (out / "drafts" / "harvest.en.txt").read_text().split("---")[1]
        assert expected in (out / "report.html").read_text()
        assert any(n.startswith("1 of ") and expected in n for n in summary.notes)


def test_cached_drafts_are_tied_to_the_model_weights(tmp_path, tiny_marian, offline_hub):
    import os
    import shutil

    from mistok.pipeline.translation import _weights_fingerprint

    folder = tmp_path / "model"
    shutil.copytree(tiny_marian.transformers, folder)
    settings = RunSettings((tmp_path,), tmp_path / "out", model=str(folder))
    before = _weights_fingerprint(settings, "uk", "en")
    assert before == _weights_fingerprint(settings, "uk", "en")  # stable across calls
    weights = next(p for p in folder.iterdir() if p.suffix in (".safetensors", ".bin"))
    stat = weights.stat()
    os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # retrained
    assert _weights_fingerprint(settings, "uk", "en") != before
    missing = RunSettings((tmp_path,), tmp_path / "out", model=str(tmp_path / "nowhere"))
    assert _weights_fingerprint(missing, "uk", "en") == "none"


class ChecksElsewhere:
    """The in-process scheduler, running the check stage from another (empty) folder, as a
    worker of a cluster started elsewhere, or on another machine, does: it cannot see the
    input files named relative to the driver's folder."""

    name = "local"
    shares_files = True

    def __init__(self, elsewhere: Path) -> None:
        from mistok.pipeline.scheduling import InProcessScheduler

        self.inner, self.elsewhere = InProcessScheduler(), elsewhere

    def map(self, stage, function, items):
        if stage != "check":
            yield from self.inner.map(stage, function, items)
            return
        for index, item in enumerate(items):  # the item is taken where the driver is
            here = Path.cwd()
            os.chdir(self.elsewhere)
            try:
                result = function(item)
            finally:
                os.chdir(here)
            yield index, result

    def start(self, stage, function, item):
        return self.inner.start(stage, function, item)

    def translate(self, chunks, source, model_id):
        return self.inner.translate(chunks, source, model_id)


def test_a_worker_that_cannot_see_the_inputs_numbers_the_same_lines(tmp_path, monkeypatch):
    """The findings' line numbers come from the source files read in the driver, not where
    the check runs (a Ray worker in another folder used to write every line as null)."""
    write_archive(tmp_path / "in")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path)
    run_pipeline(RunSettings((Path("in"),), tmp_path / "here"))
    lines = finding_lines(tmp_path / "here")
    assert lines and all(isinstance(line, int) for line in lines)
    run_pipeline(
        RunSettings((Path("in"),), tmp_path / "there"),
        scheduler=ChecksElsewhere(tmp_path / "elsewhere"),
    )
    assert finding_lines(tmp_path / "there") == lines
    assert snapshot(tmp_path / "there") == snapshot(tmp_path / "here")


def test_a_run_stopped_after_its_report_leaves_it_marked_incomplete(tmp_path, monkeypatch):
    """report.json is written before manifest.json: a run that fails in between does not
    leave a report claiming a complete run."""
    from mistok.output_dir import OutputDir

    def fail(self, *manifest):
        raise RuntimeError("a bug while writing the manifest")

    write_archive(tmp_path / "in")
    monkeypatch.setattr(OutputDir, "write_manifest", fail)
    with pytest.raises(RuntimeError):
        run_pipeline(RunSettings((tmp_path / "in",), tmp_path / "out"))
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["complete"] is False and report["incomplete"]
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_a_large_archive_empties_the_free_lists_after_reading_and_planning(
    tmp_path, monkeypatch
):
    from mistok.pipeline import steps

    calls: list[str] = []
    monkeypatch.setattr(steps, "empty_free_lists", lambda: calls.append("emptied"))
    run_pipeline(RunSettings((SEEDS,), tmp_path / "small"))
    assert calls == []  # two articles: a full collection is not worth it
    monkeypatch.setattr(steps, "MANY_STAND_INS", 2)
    run_pipeline(RunSettings((SEEDS,), tmp_path / "large"))
    assert calls == ["emptied", "emptied"]  # once the reader's stand-ins, once the plan's


def test_every_pair_result_is_in_the_cache_before_the_translate_step(tmp_path, monkeypatch):
    import sqlite3

    from mistok import result_cache
    from mistok.pipeline import driver

    # only a full batch is written on its own: what is left is written when the step ends
    monkeypatch.setattr(result_cache, "BATCH_SECONDS", 3600.0)
    stored: dict[str, int] = {}
    translate = dict(driver.STEPS)["translate"]

    def counting_then_translating(state):
        with contextlib.closing(sqlite3.connect(state.output.cache.path)) as db:
            stored.update(db.execute("SELECT stage, count(*) FROM results GROUP BY stage"))
        translate(state)

    counted = [(n, counting_then_translating if n == "translate" else s) for n, s in driver.STEPS]
    monkeypatch.setattr(driver, "STEPS", tuple(counted))
    run_pipeline(RunSettings((SEEDS,), tmp_path / "out"))
    assert stored == {"pair": 1, "align": 1, "bitext": 1, "check": 1}


def test_a_new_folder_is_done_unplanned_with_the_planned_runs_files(tmp_path, monkeypatch):
    # a new output folder makes each pair's work as the scheduler takes it; a folder that
    # may hold cached results plans every pair first: the same files either way
    archive = write_archive(tmp_path / "in")
    unplanned = run_pipeline(RunSettings((archive,), tmp_path / "unplanned"))
    from mistok.output_dir import ResultCache

    monkeypatch.setattr(ResultCache, "may_hold", lambda self, stage: True)
    planned = run_pipeline(RunSettings((archive,), tmp_path / "planned"))
    assert unplanned.counts["pairs"] == 3 and planned.counts == unplanned.counts
    assert snapshot(tmp_path / "planned") == snapshot(tmp_path / "unplanned")
