"""End to end: ``mistok check`` on pairs, single articles and archives; formats; exit codes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from eval.report import SCHEMA_PATH
from mistok.cli import main

UK = """Міністр оборони України Рустем Умєров 27 листопада прибув до Сеула.

Він обговорив постачання 155-мм снарядів і навчання 40 українських пілотів.

Сторони домовилися зустрітися знову в 2024 році в Києві.
"""
EN = """Ukraine's Defence Minister Rustem Umerov arrived in Seoul on November 27.

He discussed deliveries of 155-mm shells and the training of 40 Ukrainian pilots.

The two sides agreed to meet again in Kyiv in 2024.
"""
BRIDGE = [
    "Ukrainian Defence Minister Rustem Umerov arrived in Seoul on November 27.",
    "He discussed the supply of 155-mm shells and training of 40 Ukrainian pilots.",
    "The parties agreed to meet again in 2024 in Kyiv.",
]


@pytest.fixture()
def pair(tmp_path):
    uk, en = tmp_path / "story.uk.txt", tmp_path / "story.en.txt"
    uk.write_text(UK, encoding="utf-8")
    en.write_text(EN, encoding="utf-8")
    return uk, en


def _run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def _one_error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_clean_pair_exits_zero(pair):
    result = _run("check", *pair, "--checks", "numbers,coverage")
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings, 0 notes" in result.stdout


def test_changed_number_exits_one_with_both_locations(pair, tmp_path):
    uk, en = pair
    en.write_text(EN.replace("40 Ukrainian", "14 Ukrainian"), encoding="utf-8")
    result = _run("check", uk, en, "--format", "json", "--checks", "numbers")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    jsonschema.validate(report, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    [finding] = report["findings"]
    assert finding["rule"] == "numbers.different"
    assert [(loc["lang"], loc["paragraph"]) for loc in finding["locations"]] == [
        ("uk", 1),
        ("en", 1),
    ]
    assert _run("check", uk, en, "--exit-zero").exit_code == 0


def test_fail_on_decides_the_exit_code(pair):
    uk, en = pair
    en.write_text(EN + "\nAn English-only paragraph with extra background for readers.\n")
    assert _run("check", uk, en, "--checks", "coverage").exit_code == 0
    assert _run("check", uk, en, "--checks", "coverage", "--fail-on", "warning").exit_code == 1
    assert _run("check", uk, en, "--checks", "coverage", "--fail-on", "note").exit_code == 1


def test_bridge_runs_adequacy(pair, tmp_path):
    uk, en = pair
    bridge = tmp_path / "bridge.json"
    bridge.write_text(json.dumps(BRIDGE), encoding="utf-8")
    result = _run("check", uk, en, "--bridge", bridge, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert "adequacy" in report["checks"]
    assert "|bridge:yes|" in report["signature"]


@pytest.mark.parametrize(
    "content, message",
    [
        ('["one", "two"', "malformed JSON at line 1"),
        ('{"paragraphs": []}', "must be a list of strings"),
        ('["only one paragraph"]', "the bridge has 1 paragraphs but"),
    ],
)
def test_bad_bridge_is_one_line_exit_two_and_no_report(pair, tmp_path, content, message):
    bridge = tmp_path / "bridge.json"
    bridge.write_text(content, encoding="utf-8")
    out = tmp_path / "report.json"
    result = _run("check", *pair, "--bridge", bridge, "-o", out)
    assert result.exit_code == 2
    assert message in _one_error_line(result)
    assert not out.exists()


def test_swapped_pair_is_one_line_exit_two(pair):
    uk, en = pair
    result = _run("check", en, uk)
    assert result.exit_code == 2
    assert "swap the two arguments" in _one_error_line(result)


def test_check_that_does_not_apply_is_named(pair):
    result = _run("check", pair[1], "--checks", "numbers,coverage")
    assert result.exit_code == 0, result.output
    assert "(checks: coverage)" in result.stdout
    assert _one_error_line(result) == (
        "mistok: warning: check 'numbers' has nothing to do in article mode; skipped"
    )


def test_unknown_check_lists_valid_names(pair):
    result = _run("check", *pair, "--checks", "numbers,spelling")
    assert result.exit_code == 2
    assert "unknown check 'spelling'; valid checks:" in result.stderr
    assert "numbers" in result.stderr and "coverage" in result.stderr


def test_unreadable_style_file(pair, tmp_path):
    style = tmp_path / "house.toml"
    style.write_text('[names]\nКиїв = "Kyiv\n', encoding="utf-8")
    out = tmp_path / "report.html"
    result = _run("check", *pair, "--style", style, "-o", out)
    assert result.exit_code == 2
    assert "house.toml" in _one_error_line(result)
    assert not out.exists()


def test_bad_config_file(pair, tmp_path):
    config = tmp_path / "mistok.toml"
    config.write_text("[checks.coverage]\nmin_chars = 'many'\n", encoding="utf-8")
    result = _run("check", *pair, "--config", config)
    assert result.exit_code == 2
    line = _one_error_line(result)
    assert f"{config}:2: checks.coverage.min_chars: must be a number, not 'many'" in line


@pytest.mark.parametrize(
    "args, message",
    [
        ((), "give UK EN (a pair), one ARTICLE, or --archive DIR"),
        (("a.txt", "b.txt", "c.txt"), "give UK EN"),
        (("x.uk.txt", "--bridge", "b.json"), "--bridge needs a pair"),
        (("--format", "pdf", "a.txt"), "'pdf' is not one of"),
    ],
)
def test_usage_errors_exit_two(args, message):
    result = _run("check", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_empty_archive_exits_two(tmp_path):
    (tmp_path / "empty").mkdir()
    result = _run("check", "--archive", tmp_path / "empty")
    assert result.exit_code == 2
    assert "empty" in _one_error_line(result)


def test_archive_with_paths_is_a_usage_error(tmp_path, pair):
    result = _run("check", "--archive", tmp_path, pair[0])
    assert result.exit_code == 2
    assert "not both" in result.stderr


def test_single_russian_article_is_an_error(tmp_path):
    article = tmp_path / "news.uk.txt"
    article.write_text("Министр обороны встретился с коллегой, чтобы обсудить поставки.\n")
    result = _run("check", article, "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=")
    assert "news.uk.txt,title=coverage.russian::" in result.stdout
    assert result.stderr.startswith("mistok: warning: ")  # the reader's language warning
    assert "looks Russian" in _one_error_line(result)


@pytest.mark.parametrize("fmt", ["text", "json", "html", "junit", "github"])
def test_every_format_writes_atomically_to_a_file(pair, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    result = _run("check", *pair, "--format", fmt, "-o", out, "--checks", "numbers")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        assert json.loads(text)["mode"] == "pair"
    elif fmt == "junit":
        assert ET.fromstring(text).tag == "testsuites"
    elif fmt == "html":
        assert text.startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp")] == []


def test_help_has_an_example():
    result = _run("check", "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout and "--fail-on" in result.stdout


def test_archive_reports_variants_across_articles(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "one.en.txt").write_text(
        "Defence Minister Rustem Umerov met his counterpart in Seoul.\n", encoding="utf-8"
    )
    (archive / "two.en.txt").write_text(
        "Rustem Umyerov said the talks went well.\n\nUmyerov will return next week.\n",
        encoding="utf-8",
    )
    result = _run("check", "--archive", archive, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["mode"] == "archive" and len(report["articles"]) == 2
    variants = [f for f in report["findings"] if f["check"] == "names"]
    assert variants, report["findings"]
    assert {loc["article"] for loc in variants[0]["locations"]} == {"one", "two"}
    text = _run("check", "--archive", archive).stdout
    assert "one.en ¶0" in text and "two.en ¶" in text


def test_list_checks_shows_settings():
    result = _run("check", "--list-checks")
    assert result.exit_code == 0
    assert "numbers (pair):" in result.stdout
    assert "missing=error" in result.stdout and "min_chars=80" in result.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "html", "junit", "github"])
@pytest.mark.parametrize("mode", ["article", "archive"])
def test_every_format_in_article_and_archive_mode(tmp_path, fmt, mode):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.en.txt").write_text("Rustem Umerov flew to Seoul.\n\nUmyerov met Yoon.\n")
    (folder / "b.uk.txt").write_text("Рустем Умєров прилетів до Сеула.\n", encoding="utf-8")
    args = ["--archive", folder] if mode == "archive" else [folder / "a.en.txt"]
    out = tmp_path / "report.out"
    result = _run("check", *args, "--format", fmt, "-o", out, "--exit-zero")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        jsonschema.validate(json.loads(text), json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    elif fmt == "html" and mode == "article":
        assert '<table class="review"' in text and "Umyerov" in text
    elif fmt == "html":
        assert "mistok review: archive (2 articles)" in text and "Umyerov" in text


def test_review_page_and_json_show_each_bead_confidence(tmp_path):
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    uk, en = seeds / "umerov-south-korea.uk.txt", seeds / "umerov-south-korea.en.txt"
    report = json.loads(_run("check", uk, en, "--format", "json", "--exit-zero").stdout)
    confidences = report["alignment"]["confidences"]
    assert len(confidences) == len(report["alignment"]["beads"])
    assert all(0.0 <= c <= 1.0 for c in confidences)
    page = _run("check", uk, en, "--format", "html", "--exit-zero").stdout
    assert page.count('class="confidence') == len(confidences)
    low = sum(c < 0.5 for c in confidences)
    assert page.count("review-me") - page.count(".confidence.review-me") == low
