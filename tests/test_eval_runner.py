"""The runner: choosing and configuring checks, modes, config files, source lines."""

from __future__ import annotations

import pytest

from aligner.alignment import Alignment, Bead
from aligner.document import Article
from aligner.errors import ConfigError, InputError
from eval.runner import (
    check_archive,
    check_article,
    check_pair,
    load_config,
    paragraph_lines,
    select_checks,
)

UK = Article("a", "uk", ("Було 12 ракет.", "Ще один абзац."))
EN = Article("a", "en", ("There were 13 missiles.",))
ALIGNMENT = Alignment((Bead((0,), (0,)), Bead((1,), ())), 2, 1)


def test_select_checks_by_mode():
    pair = {c.name for c in select_checks(None, "pair")}
    assert {"numbers", "coverage", "adequacy"} <= pair
    article = {c.name for c in select_checks(None, "article")}
    assert "coverage" in article and "numbers" not in article
    assert [c.name for c in select_checks(["numbers", "numbers"], "pair")] == ["numbers"]


def test_unknown_check_lists_valid_names():
    with pytest.raises(ConfigError, match=r"unknown check 'nmbers'; valid checks: .*numbers"):
        select_checks(["nmbers"], "pair")
    with pytest.raises(ConfigError, match="settings for unknown check 'nope'"):
        select_checks(None, "pair", {"nope": {}})


def test_pair_runs_pair_and_article_checks():
    uk = Article(
        "a",
        "uk",
        (
            "Вчора ввечері випущено 12 ракет і дронів по Києву і Львову, їх збила українська ППО.",
            "Министр обороны встретился с коллегой сегодня.",
        ),
    )
    report = check_pair(
        uk,
        EN,
        alignment=ALIGNMENT,
        checks=["numbers", "coverage"],
        settings={"coverage": {"max_ratio_factor": 10.0}},
    )
    assert report.mode == "pair" and report.checks == ("numbers", "coverage")
    assert {f.rule for f in report.findings} == {
        "numbers.different",
        "coverage.omission",
        "coverage.russian_paragraph",
    }


def test_settings_change_severity():
    report = check_pair(
        UK,
        EN,
        alignment=ALIGNMENT,
        checks=["coverage"],
        settings={"coverage": {"severity": {"omission": "error"}}},
    )
    assert [f.severity.value for f in report.findings] == ["error"]


def test_bridge_must_match_the_ukrainian_paragraphs():
    with pytest.raises(InputError, match="the bridge has 1 paragraphs but .* has 2"):
        check_pair(UK, EN, alignment=ALIGNMENT, bridge=["only one"])


def test_alignment_must_cover_the_articles():
    with pytest.raises(InputError, match="the alignment covers 2 Ukrainian and 1 English"):
        check_pair(UK, Article("a", "en", ("One.", "Two.")), alignment=ALIGNMENT)


def test_languages_must_be_uk_then_en():
    with pytest.raises(InputError, match="Ukrainian and an English"):
        check_pair(EN, UK, alignment=ALIGNMENT)


def test_article_mode_skips_pair_only_checks():
    report = check_article(EN, checks=["numbers", "coverage"])
    assert report.checks == ("coverage",)
    assert report.findings == ()


def test_empty_archive_is_an_input_error():
    with pytest.raises(InputError, match="no articles"):
        check_archive([])


def test_load_config(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text('[checks.coverage]\nmin_chars = 10\nseverity = { omission = "note" }\n')
    assert load_config(good) == {"coverage": {"min_chars": 10, "severity": {"omission": "note"}}}
    bad = tmp_path / "bad.toml"
    bad.write_text("[checks.coverage]\nmin_chars = \n")
    with pytest.raises(ConfigError, match=r"bad.toml: not valid TOML: .*line 2"):
        load_config(bad)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("[checks.spelling]\n")
    with pytest.raises(ConfigError, match="unknown check 'spelling'"):
        load_config(unknown)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.toml")


def test_paragraph_lines(tmp_path):
    source = tmp_path / "a.en.txt"
    source.write_text("---\ntitle: T\n---\n\nFirst  paragraph\ncontinues.\n\nSecond one.\n")
    article = Article(
        "a", "en", ("First paragraph\ncontinues.", "Second one.", "Gone."), source=source
    )
    assert paragraph_lines(article) == (5, 8, None)
    assert paragraph_lines(Article("a", "en", ("x",))) == (None,)


def test_bridge_checks_run_only_with_a_bridge():
    without = check_pair(UK, EN, alignment=ALIGNMENT)
    bridged = check_pair(UK, EN, alignment=ALIGNMENT, bridge=["There were 12 missiles.", "More."])
    assert "adequacy" not in without.checks and "adequacy" not in without.signature
    assert "adequacy" in bridged.checks
