"""Files for translators and QA tools: XLIFF 2.0 (validated against the core's rules, read back
by translate-toolkit), findings as CSV and XLSX (read back by csv and openpyxl), the
``mistok export`` command over a run folder, and ``mistok check --format csv``."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from run_helpers import EchoTranslator, write_archive

from mistok.cli import main
from mistok.export.findings import COLUMNS, csv_text, finding_rows, xlsx_bytes
from mistok.export.xliff import (
    MACHINE_DRAFT,
    iter_translation_jobs,
    translation_jobs,
    xliff_bytes,
)
from mistok.pipeline.driver import run_pipeline
from mistok.run_records import Draft, RunSettings, TranslationRequest

SCHEMA = Path(__file__).parent / "fixtures" / "xliff" / "xliff_core_2.0_rules.xsd"
NS = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
UNIT = "{urn:oasis:names:tc:xliff:document:2.0}unit"
SEGMENT = "{urn:oasis:names:tc:xliff:document:2.0}segment"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def assert_valid_xliff(data: bytes) -> etree._Element:
    """Valid against the core schema's rules, and the rules the specification states beside
    the schema (unique ids, subState with a state and a prefix, trgLang for targets)."""
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    root = etree.fromstring(data)
    assert schema.validate(root), schema.error_log
    file_ids = [f.get("id") for f in root.findall("x:file", NS)]
    assert len(file_ids) == len(set(file_ids))
    for file in root.findall("x:file", NS):
        unit_ids = [u.get("id") for u in file.iter(UNIT)]
        assert len(unit_ids) == len(set(unit_ids))
    for segment in root.iter(SEGMENT):
        if segment.get("subState"):
            assert segment.get("state")
            assert re.fullmatch(r"[^\s:]+:[^\s:]+", segment.get("subState"))
        if segment.find("x:target", NS) is not None:
            assert root.get("trgLang")
    return root


def _job_records():
    paragraphs = ("Перший абзац з числом 5.", "Другий\x0b абзац & <теги>.")
    request = TranslationRequest("a", "uk", "en", (2, 4), paragraphs, "a__b")
    draft = Draft(request, ("First paragraph with the number 5.", "Second & <tags>."), "echo")
    whole = TranslationRequest("c", "en", "uk", (0,), ("Only in English.",))
    findings = {
        "a__b": [
            {
                "rule": "coverage.omission",
                "severity": "warning",
                "message": "Ukrainian ¶2 has no English counterpart",
                "suggestion": "translate it",
                "locations": [{"article": "a", "lang": "uk", "paragraph": 2}],
            },
            {
                "rule": "names.variant",
                "severity": "error",
                "message": "one name spelled 2 ways",
                "locations": [{"article": "b", "lang": "en", "paragraph": 0}],
            },
        ]
    }
    return [whole], [draft], findings


def test_xliff_jobs_are_valid_and_carry_drafts_and_findings():
    pending, drafts, findings = _job_records()
    jobs = translation_jobs(pending, drafts, findings)
    assert [job.file_name for job in jobs] == ["xliff/a__b.uk-en.xlf", "xliff/c.en-uk.xlf"]
    drafted = assert_valid_xliff(xliff_bytes(jobs[0], "9.9"))
    assert (drafted.get("srcLang"), drafted.get("trgLang")) == ("uk", "en")
    units = drafted.findall("x:file/x:unit", NS)
    assert [u.get("id") for u in units] == ["p2", "p4"]
    segment = units[0].find("x:segment", NS)
    assert segment.get("state") == "initial" and segment.get("subState") == MACHINE_DRAFT
    assert segment.findtext("x:target", namespaces=NS) == "First paragraph with the number 5."
    assert units[1].findtext("x:segment/x:source", namespaces=NS) == "Другий абзац & <теги>."
    # the finding about ¶2 is on its unit; the pair's other finding on the file
    unit_notes = {n.get("category"): n for n in units[0].findall("x:notes/x:note", NS)}
    assert unit_notes["coverage.omission"].get("priority") == "3"
    assert unit_notes["coverage.omission"].text.startswith("[warning] Ukrainian ¶2")
    file_notes = drafted.findall("x:file/x:notes/x:note", NS)
    assert [n.get("category") for n in file_notes] == ["mistok", "names.variant"]
    assert file_notes[1].get("priority") == "1"
    pending_only = assert_valid_xliff(xliff_bytes(jobs[1], "9.9"))
    assert pending_only.find("x:file/x:unit/x:segment/x:target", NS) is None


def test_translator_files_keep_the_job_findings_on_disk_and_write_the_same_xliff(tmp_path):
    from mistok.export.translator_files import TranslatorFiles
    from mistok.pipeline.state import ResultSpool
    from mistok.run_records import PairCheck

    pending, drafts, findings = _job_records()
    other = {"other__pair": [{"rule": "numbers.missing", "severity": "note", "message": "5"}]}
    spool: ResultSpool = ResultSpool(tmp_path)
    with io.BytesIO() as csv_stream:
        files = TranslatorFiles(drafts, pending, csv_stream, spool)
        for pair, found in {**findings, **other}.items():
            files.add(PairCheck(pair, {"note": len(found)}, {"findings": found}, "", ""))
        assert len(spool) == 1  # only the pair with a job: the other's findings are not kept
        written = list(files.xliff_files("9.9"))
    files.close()
    spool.close()
    jobs = translation_jobs(pending, drafts, findings)
    assert written == [(job.file_name, xliff_bytes(job, "9.9")) for job in jobs]
    assert b"names.variant" in written[0][1]


def test_the_schema_rejects_what_xliff_2_forbids():
    pending, drafts, findings = _job_records()
    good = xliff_bytes(translation_jobs(pending, drafts, findings)[0], "9.9")
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    for bad in (
        good.replace(b'srcLang="uk" ', b""),  # srcLang is required
        good.replace(b'state="initial"', b'state="machine"'),  # not a state
        good.replace(b'priority="1"', b'priority="11"'),  # priorities are 1 to 10
        good.replace(b"<source>", b"<target>x</target><source>", 1),  # source comes first
    ):
        assert not schema.validate(etree.fromstring(bad))


@pytest.fixture(scope="module")
def drafted_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("translators")
    archive = write_archive(root / "in")
    out = root / "out"
    summary = run_pipeline(RunSettings((archive,), out), translator=EchoTranslator())
    return archive, out, summary


@pytest.mark.filterwarnings("ignore::aligner.language.LanguageMismatchWarning")
def test_run_writes_valid_xliff_that_translate_toolkit_reads(drafted_run):
    from translate.storage import xliff2

    _archive, out, summary = drafted_run
    files = sorted((out / "xliff").glob("*.xlf"))
    assert "harvest.uk-en.xlf" in {f.name for f in files}  # the article without a counterpart
    for path in files:
        assert_valid_xliff(path.read_bytes())
    store = xliff2.Xliff2File.parsefile(str(out / "xliff" / "harvest.uk-en.xlf"))
    assert store.getsourcelanguage() == "uk" and store.gettargetlanguage() == "en"
    units = list(store.units)
    assert [u.getid() for u in units] == ["p0", "p1"]
    assert units[0].source.startswith("Аграрії Полтавщини")
    assert units[0].target == f"[uk>en] {units[0].source}"
    assert summary.counts["drafts"] >= 1


@pytest.mark.filterwarnings("ignore::aligner.language.LanguageMismatchWarning")
def test_findings_csv_and_xlsx_open_back(drafted_run):
    import openpyxl

    _archive, out, _summary = drafted_run
    report = json.loads((out / "report.json").read_text())
    expected = [(p["pair"], f["rule"]) for p in report["pairs"] for f in p["findings"]]
    assert expected, "the archive should give findings"
    with (out / "findings.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["pair"], r["rule"]) for r in rows] == expected
    assert list(rows[0]) == list(COLUMNS)
    sheet = openpyxl.load_workbook(out / "findings.xlsx")["findings"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == COLUMNS
    assert [(r[0], r[2]) for r in values[1:]] == expected


def test_xlsx_keeps_text_as_text_and_template_sheets(tmp_path):
    import openpyxl

    template = tmp_path / "house.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "cover"
    workbook.active["A1"] = "Newsroom QA"
    workbook.save(template)
    rows = finding_rows([("p", {"rule": "x.y", "severity": "error", "message": "=1+1"})])
    data = xlsx_bytes(rows, template)
    loaded = openpyxl.load_workbook(io.BytesIO(data))
    assert loaded.sheetnames == ["findings", "cover"]
    assert loaded["cover"]["A1"].value == "Newsroom QA"
    message = loaded["findings"].cell(row=2, column=COLUMNS.index("message") + 1)
    assert message.value == "=1+1" and message.data_type == "s"  # never a formula
    assert xlsx_bytes(rows) == xlsx_bytes(rows)  # no clock in the bytes: reruns change nothing


def test_a_streamed_xlsx_is_the_workbook_openpyxl_builds_in_memory():
    # without a template the sheet is written in write-only mode, row by row from a one-pass
    # iterator; the bytes are those of the same rows put into a normal (in-memory) workbook
    import openpyxl

    from mistok.export.findings import FIXED_TIME, SHEET, _reproducible

    rows = finding_rows(
        [("p", {"rule": "x.y", "severity": "error", "message": "=1+1", "locations": []})] * 3
        + [("q", {"message": "plain", "locations": [{"article": "a", "lang": "uk"}]})]
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(list(COLUMNS))
    for number, row in enumerate(rows, start=2):
        for column, name in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=number, column=column, value=row.get(name))
            if isinstance(row.get(name), str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert xlsx_bytes(iter(rows)) == _reproducible(buffer.getvalue())
    header_only = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(iter([]))), read_only=True)
    assert header_only[SHEET].max_row == 1  # read from the sheet's <dimension>


@pytest.mark.filterwarnings("ignore::aligner.language.LanguageMismatchWarning")
def test_export_rebuilds_the_run_files_byte_for_byte(drafted_run, tmp_path):
    _archive, out, _summary = drafted_run
    runner = CliRunner()
    result = runner.invoke(main, ["export", "xliff", str(out), "-o", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    for path in (out / "xliff").glob("*.xlf"):
        assert (tmp_path / "x" / path.name).read_bytes() == path.read_bytes()
    result = runner.invoke(main, ["export", "findings", str(out)])
    assert result.exit_code == 0 and result.output == (out / "findings.csv").read_text()
    target = tmp_path / "f.xlsx"
    result = runner.invoke(
        main, ["export", "findings", str(out), "--format", "xlsx", "-o", str(target)]
    )
    assert result.exit_code == 0 and target.read_bytes() == (out / "findings.xlsx").read_bytes()


def test_export_of_a_run_whose_input_changed_writes_nothing(tmp_path):
    archive = write_archive(tmp_path / "in")
    out = tmp_path / "out"
    run_pipeline(RunSettings((archive,), out))  # no model: paragraphs are left to translate
    (archive / "harvest.uk.txt").write_text("Зовсім інший текст.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", "xliff", str(out), "-o", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "changed since the run" in result.output and len(result.output.splitlines()) == 1
    assert not (tmp_path / "x").exists()


def test_corrupt_template_or_unwritable_output_leaves_nothing(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / "report.json").write_text(json.dumps({"pairs": []}))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    target = tmp_path / "findings.xlsx"
    args = ["export", "findings", str(run), "--format", "xlsx", "-o", str(target)]
    result = CliRunner().invoke(main, [*args, "--template", str(bad)])
    assert result.exit_code == 2 and "not a readable XLSX workbook" in result.output
    assert len(result.output.splitlines()) == 1
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    result = CliRunner().invoke(main, [*args[:-1], str(blocked / "findings.xlsx")])
    assert result.exit_code == 2 and "cannot write the findings" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "bad.xlsx", "run"]


def test_check_format_csv_has_one_row_per_finding():
    pair = [str(SEEDS / "umerov-south-korea.uk.txt"), str(SEEDS / "umerov-south-korea.en.txt")]
    runner = CliRunner()
    as_json = runner.invoke(main, ["check", *pair, "--format", "json", "--exit-zero"])
    as_csv = runner.invoke(main, ["check", *pair, "--format", "csv", "--exit-zero"])
    assert as_csv.exit_code == 0
    findings = json.loads(as_json.output)["findings"]
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert len(rows) == len(findings) > 0
    assert [(r["rule"], r["severity"]) for r in rows] == [
        (f["rule"], f["severity"]) for f in findings
    ]


def test_csv_quotes_commas_and_newlines():
    rows = finding_rows([("p", {"message": 'a, "b"\nc', "locations": []})])
    parsed = list(csv.DictReader(io.StringIO(csv_text(rows))))
    assert parsed[0]["message"] == 'a, "b"\nc' and parsed[0]["article"] == ""


def test_export_xliff_refuses_a_folder_of_other_files(drafted_run, tmp_path):
    _archive, out, _summary = drafted_run
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    result = CliRunner().invoke(main, ["export", "xliff", str(out), "-o", str(other)])
    assert result.exit_code == 2 and (other / "notes.txt").read_text() == "keep me"
    shutil.rmtree(other)


def test_findings_csv_written_row_by_row_is_csv_text():
    import io

    from mistok.export.findings import FindingsCsv

    rows = finding_rows(
        [("p", {"message": 'a "quoted", comma\nline', "severity": "error", "locations": []})]
        + [("q", {"message": "Київ =1+1", "locations": [{"article": "a", "lang": "uk"}] * 2})]
    )
    for some in ([], rows):
        stream = io.BytesIO()
        csv = FindingsCsv(stream)
        for row in some:
            csv.add(row)
        csv.finish()
        assert stream.getvalue() == csv_text(some).encode("utf-8")


class _ReadBack(Sequence):
    """Requests read back one at a time (as a run's spooled requests are): counts the reads."""

    def __init__(self, requests):
        self._requests, self.reads = list(requests), 0

    def __len__(self):
        return len(self._requests)

    def __getitem__(self, index):
        self.reads += 1
        return self._requests[index]


def test_xliff_jobs_read_each_request_again_in_its_turn_instead_of_holding_them():
    pending, drafts, findings = _job_records()
    requests = _ReadBack([*pending, *pending])  # the second of each is not a new job
    jobs = iter_translation_jobs(requests, drafts, findings)
    first = next(jobs)
    reads_before_the_rest = requests.reads
    assert [first, *jobs] == translation_jobs(list(pending), drafts, findings)
    assert requests.reads > reads_before_the_rest  # read in their turn, not kept from the start


def test_the_pairs_with_a_job_are_found_by_id_in_their_packed_list():
    from mistok.export.translator_files import _JobPairs

    ids = ["b__b", "a__a", "ґ__g", "a__a", "a__\udcff"]  # repeated, non-ASCII, a lone surrogate
    pairs = _JobPairs([TranslationRequest("x", "uk", "en", (0,), ("t",), pair) for pair in ids])
    assert list(pairs) == sorted(set(ids)) and len(pairs) == 4
    assert [pairs.slot(pair) for pair in sorted(set(ids))] == [0, 1, 2, 3]
    assert pairs.slot("a__b") is None and pairs.slot("zz") is None
