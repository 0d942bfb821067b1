"""The report: JSON against its schema, and the text, JUnit, GitHub and HTML views."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from aligner.alignment import Alignment, Bead
from aligner.document import Article
from eval.base import Finding, Location, Severity
from eval.render_github import render_github
from eval.render_html import render_html, segments
from eval.render_junit import render_junit
from eval.render_text import render_text
from eval.rendering import render
from eval.report import SCHEMA_PATH, Report
from eval.runner import check_article, check_pair

SCRIPT = "<script>window.__pwned = true</script>"


@pytest.fixture(scope="module")
def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture()
def pair_report(tmp_path) -> Report:
    uk_file = tmp_path / "story.uk.txt"
    uk_file.write_text("Заголовок\n\nУряд виділив 5 млн грн.\n\nАбзац без перекладу тут.\n")
    uk = Article(
        "story",
        "uk",
        (f"Уряд виділив 5 млн грн. {SCRIPT}", "Абзац без перекладу тут."),
        source=uk_file,
    )
    en = Article("story", "en", ("The government gave 7 million hryvnias, 100% for R&D.",))
    alignment = Alignment((Bead((0,), (0,)), Bead((1,), ())), 2, 1, {"width": 24})
    return check_pair(uk, en, alignment=alignment, checks=["numbers", "coverage"])


def test_pair_report_validates_against_schema(pair_report, schema):
    document = json.loads(render(pair_report, "json"))
    jsonschema.validate(document, schema)
    assert document["schema_version"] == "1.1"
    # numbers.different is an error; numbers.added (a number on one side only) a warning
    assert document["summary"] == {"error": 1, "warning": 2, "note": 0, "total": 3}
    assert document["alignment"]["beads"] == [[[0], [0]], [[1], []]]
    assert sorted(f["rule"] for f in document["findings"]) == [
        "coverage.omission",
        "numbers.added",
        "numbers.different",
    ]


def test_article_and_archive_reports_validate(schema):
    article = Article("a", "en", ("Kyiv, 2024.",))
    jsonschema.validate(check_article(article).to_dict(), schema)
    archive = Report("archive", (article,), (), ("names",), "mode:archive", "0.1.0")
    document = archive.to_dict()
    jsonschema.validate(document, schema)
    assert "paragraphs" not in document["articles"][0]


def test_schema_rejects_a_wrong_severity(pair_report, schema):
    document = pair_report.to_dict()
    document["findings"][0]["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


def test_signature_names_what_changes_the_result(tmp_path):
    uk = Article("a", "uk", ("Текст.",))
    en = Article("a", "en", ("Text.",))
    alignment = Alignment((Bead((0,), (0,)),), 1, 1, {"width": 24, "bridge": "no"})
    report = check_pair(
        uk,
        en,
        alignment=alignment,
        checks=["coverage", "numbers"],
        settings={"coverage": {"min_chars": 10}},
        style_id="sha256=abc",
    )
    parts = dict(part.split(":", 1) for part in report.signature.split("|"))
    assert parts["mode"] == "pair"
    assert parts["checks"] == "coverage+numbers"
    assert parts["coverage.min_chars"] == "10"
    assert parts["align.width"] == "24"
    assert parts["style"] == "sha256=abc"
    assert parts["version"] == report.version


def test_fails_at_or_above(pair_report):
    assert pair_report.fails(Severity.ERROR)
    clean = Report("article", (), (), (), "mode:article", "0")
    assert not clean.fails(Severity.NOTE)
    notes = Report("article", (), (Finding("x", Severity.NOTE, "m"),), ("x",), "m:a", "0")
    assert notes.fails(Severity.NOTE) and not notes.fails(Severity.WARNING)


def test_paragraph_lines_point_into_the_source(pair_report):
    document = pair_report.to_dict()
    omission = next(f for f in document["findings"] if f["kind"] == "omission")
    assert omission["locations"][0]["line"] == 5


def test_text_report(pair_report):
    text = render_text(pair_report)
    assert "error   numbers.different  [uk ¶0, en ¶0]" in text
    assert "1 error, 2 warnings, 0 notes" in text
    assert "signature: mode:pair" in text
    assert "\x1b[" not in text


def test_junit_has_one_testcase_per_check(pair_report):
    root = ET.fromstring(render_junit(pair_report))
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert set(cases) == {"numbers", "coverage"}
    assert cases["numbers"].find("failure").get("type") == "error"
    assert cases["coverage"].find("failure") is None
    assert "coverage.omission" in cases["coverage"].find("system-out").text
    assert root.get("failures") == "1"
    warning_root = ET.fromstring(render_junit(pair_report, fail_on=Severity.WARNING))
    assert warning_root.get("failures") == "2"


def test_github_annotations_are_escaped(tmp_path):
    source = tmp_path / "a,b:c.txt"
    source.write_text("Para\n")
    article = Article("a", "en", ("Para",), source=source)
    finding = Finding("x", Severity.WARNING, "50% off\nnow", (Location("a", "en", 0),), kind="k")
    report = Report(
        "article",
        (article,),
        (finding,),
        ("x",),
        "mode:article",
        "0",
        None,
        {},
        {("a", "en"): (1,)},
    )
    [line] = render_github(report).splitlines()
    assert line.startswith("::warning file=")
    assert "a%2Cb%3Ac.txt,line=1,title=x.k::" in line
    assert line.endswith("::50%25 off%0Anow")


def test_html_escapes_text_and_highlights_spans(pair_report):
    page = render_html(pair_report)
    assert SCRIPT not in page
    assert "&lt;script&gt;window.__pwned = true&lt;/script&gt;" in page
    assert "R&amp;D" in page
    assert '<mark class="error"' in page
    assert "http://" not in page and "https://" not in page  # nothing loaded from outside
    assert page.count('<tr id="row-') == 2


def test_segments_take_the_worst_covering_severity():
    parts = segments("abcdef", [(1, 4, Severity.NOTE, "n"), (2, 3, Severity.ERROR, "e")])
    assert [(s.text, s.severity) for s in parts] == [
        ("a", None),
        ("b", "note"),
        ("c", "error"),
        ("d", "note"),
        ("ef", None),
    ]
    assert [s.text for s in segments("abc", [(2, 99, Severity.NOTE, "n")])] == ["ab", "c"]


def test_where_names_the_article_only_in_an_archive():
    finding = Finding("x", Severity.NOTE, "m", (Location("a", "en", 2), Location("b", "en")))
    article = Report("article", (), (finding,), ("x",), "mode:article", "0")
    archive = Report("archive", (), (finding,), ("x",), "mode:archive", "0")
    assert article.where(finding) == "en ¶2, b.en"
    assert archive.where(finding) == "a.en ¶2, b.en"
