"""The CI formats against their consumers' schemas: SARIF 2.1.0 (OASIS JSON schema), JUnit
(the Jenkins xunit plugin's junit-10.xsd), and GitHub annotations (columns, the 10-per-level
limit). The schemas are in tests/schemas (see its README for where they come from)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from lxml import etree

from aligner.document import Article
from eval.base import Finding, Location, Severity
from eval.render_github import render_github
from eval.render_sarif import FINGERPRINT_KEY, sarif_log
from eval.report import Report
from eval.runner import check_pair
from mistok.cli import main

SCHEMAS = Path(__file__).parent / "schemas"
SEEDS = Path(__file__).parent.parent / "seeds"
UK_SEED = SEEDS / "umerov-south-korea.uk.txt"
EN_SEED = SEEDS / "umerov-south-korea.en.txt"


@pytest.fixture(scope="module")
def sarif_validator():
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


@pytest.fixture(scope="module")
def junit_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "junit-10.xsd")))


@pytest.fixture(scope="module")
def seed_report():
    from aligner.readers import read_article

    return check_pair(read_article(UK_SEED), read_article(EN_SEED))


def test_sarif_is_valid_and_carries_rules_levels_columns_and_fingerprints(
    sarif_validator, seed_report
):
    log = sarif_log(seed_report)
    sarif_validator.validate(log)
    [run] = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == len(seed_report.findings) > 0
    assert {r["level"] for r in results} <= {"error", "warning", "note"}
    assert {"warning", "note"} <= {r["level"] for r in results}
    for result in results:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
        assert re.fullmatch(r"[0-9a-f]{32}", result["partialFingerprints"][FINGERPRINT_KEY])
    # the region points at the very characters of the finding in the source file
    lines = EN_SEED.read_text(encoding="utf-8").splitlines()
    variant = next(r for r in results if r["ruleId"] == "names.variant")
    location = variant["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("umerov-south-korea.en.txt")
    region = location["region"]
    line = lines[region["startLine"] - 1]
    assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == "Rustem Umyerov"
    assert run["columnKind"] == "unicodeCodePoints"


def test_the_sarif_schema_rejects_what_code_scanning_would(sarif_validator, seed_report):
    log = sarif_log(seed_report)
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert not sarif_validator.is_valid(log)
    del log["version"]
    assert not sarif_validator.is_valid(log)


def test_check_writes_sarif(tmp_path, sarif_validator):
    out = tmp_path / "m.sarif"
    result = CliRunner().invoke(
        main, ["check", str(UK_SEED), str(EN_SEED), "--format", "sarif", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    sarif_validator.validate(json.loads(out.read_text(encoding="utf-8")))


def test_junit_of_check_is_valid_for_jenkins_xunit_with_times(tmp_path, junit_schema):
    out = tmp_path / "junit.xml"
    args = ["check", str(UK_SEED), str(EN_SEED), "--format", "junit", "-o", str(out)]
    result = CliRunner().invoke(main, [*args, "--fail-on", "warning"])
    assert result.exit_code == 1
    document = etree.parse(str(out))
    junit_schema.assertValid(document)
    root = document.getroot()
    assert root.tag == "testsuites" and root.get("skipped") is None
    cases = root.findall(".//testcase")
    assert cases and all(float(case.get("time")) >= 0 for case in cases)
    assert float(root.get("time")) == pytest.approx(
        sum(float(c.get("time")) for c in cases), abs=0.01
    )
    assert root.findall(".//failure")


def test_junit_of_run_is_valid_for_jenkins_xunit(tmp_path, junit_schema):
    result = CliRunner().invoke(main, ["run", str(SEEDS), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    document = etree.parse(str(tmp_path / "out" / "junit.xml"))
    junit_schema.assertValid(document)
    root = document.getroot()
    assert root.get("skipped") is None and root.get("time") is not None


def test_the_junit_schema_rejects_skipped_on_testsuites(junit_schema):
    bad = etree.fromstring(
        b'<testsuites skipped="0"><testsuite name="s" tests="0" failures="0" errors="0"/>'
        b"</testsuites>"
    )
    assert not junit_schema.validate(bad)


def _many(tmp_path, n_warnings: int, n_errors: int) -> Report:
    source = tmp_path / "story.en.txt"
    words = [f"Word{i}" for i in range(n_warnings + n_errors)]
    source.write_text("Intro line.\n\n" + "\n".join(words) + "\n", encoding="utf-8")
    article = Article("story", "en", ("Intro line.", " ".join(words)), source=source)
    findings = []
    offset = 0
    for i, word in enumerate(words):
        severity = Severity.WARNING if i < n_warnings else Severity.ERROR
        loc = Location("story", "en", 1, offset, offset + len(word))
        findings.append(Finding("x", severity, f"finding {i}", (loc,), kind="k"))
        offset += len(word) + 1
    from eval.runner import paragraph_lines

    starts = paragraph_lines(article)
    from eval.positions import paragraph_segments

    segments = paragraph_segments(source.read_text().splitlines(), article.paragraphs, starts)
    return Report(
        "article",
        (article,),
        tuple(findings),
        ("x",),
        "mode:article",
        "0",
        paragraph_lines={("story", "en"): starts},
        paragraph_segments={("story", "en"): segments},
    )


def test_github_annotations_have_columns_from_offsets(tmp_path):
    report = _many(tmp_path, 2, 0)
    lines = render_github(report).splitlines()
    # the paragraph is wrapped over several lines: the second word is on line 4, column 1
    assert lines[1].startswith("::warning file=")
    assert ",line=4,col=1,endColumn=5,title=x.k::finding 1" in lines[1]


def test_github_annotations_keep_to_ten_per_level(tmp_path):
    report = _many(tmp_path, 14, 3)
    lines = render_github(report).splitlines()
    warnings = [line for line in lines if line.startswith("::warning ")]
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(warnings) == 10 and len(errors) == 3
    assert "5 more warning findings are not annotated" in warnings[-1]
    plain = [line for line in lines if line.startswith("mistok: warning: ")]
    assert len(plain) == 5  # the rest are still in the log, with file:line:col
    assert plain[0].startswith("mistok: warning: ") and ":12:1: x.k: finding 9" in plain[0]
