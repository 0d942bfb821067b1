"""Consistency scores: the component definitions, pooling, thresholds, and every place they
are reported (``mistok check`` formats, ``mistok run``, ``mistok score --metrics consistency``)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from aligner.alignment import Alignment, Bead
from aligner.document import Article
from aligner.errors import ConfigError, InputError
from eval.consistency_metric import corpus_consistency
from eval.consistency_score import (
    ComponentScore,
    ConsistencyScore,
    ScoreSettings,
    archive_scores,
    article_scores,
    coverage_component,
    failing_thresholds,
    numbers_component,
    pair_scores,
    parse_thresholds,
    pool,
)
from eval.name_renderings import aligned_renderings, term_consistency
from eval.report import SCHEMA_PATH
from mistok.cli import main

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

EN_CONSISTENT = Article(
    "a",
    "en",
    (
        "Defence Minister Rustem Umerov arrived in Seoul.",
        "Umerov met President Yoon Suk Yeol in Seoul.",
        "Umerov said Yoon promised help.",
    ),
)
EN_VARIANT = Article(
    "b",
    "en",
    (
        "Defence Minister Rustem Umerov arrived in Seoul.",
        "Umyerov met President Yoon Suk Yeol in Seoul.",
        "Umerov said Yoon promised help.",
    ),
)


def one_to_one(n: int) -> Alignment:
    return Alignment(tuple(Bead((i,), (i,)) for i in range(n)), n, n)


# --- components ------------------------------------------------------------------------------


def test_names_score_is_the_mean_entity_share_of_its_majority_spelling():
    clean = article_scores(EN_CONSISTENT).main
    assert clean.get("names") == 100.0
    variant = article_scores(EN_VARIANT).main.components["names"]
    # Umerov 2 of 3 in the majority spelling; Seoul and Yoon consistent
    assert variant.detail["inconsistent"] == ["Umerov / Umyerov"]
    assert variant.total == 3
    assert variant.score == pytest.approx(100 * (2 / 3 + 1 + 1) / 3)


def test_a_name_mentioned_once_is_not_counted_and_nothing_to_judge_is_none():
    once = Article("c", "en", ("Umerov arrived in Seoul.",))
    assert article_scores(once).main.get("names") is None
    assert article_scores(once).main.overall is None


def test_house_target_counts_only_the_style_spelling():
    article = Article("k", "en", ("The mayor of Kiev spoke.", "Kiev was quiet.", "In Kiev, rain."))
    majority = article_scores(article).main.components["names"]
    house = article_scores(article, settings=ScoreSettings(names_target="house")).main
    assert majority.score == 100.0  # one spelling: consistent
    assert house.get("names") == 0.0  # but never the house style's Kyiv
    assert "names:macro-house" in house.signature


def test_archive_names_span_articles():
    kyiv = Article("1", "en", ("Kyiv is the capital.", "Kyiv was shelled."))
    kiev = Article("2", "en", ("Kiev is the capital.", "Kiev was shelled."))
    scores = archive_scores([kyiv, kiev])
    assert [a.get("names") for a in scores.articles] == [100.0, 100.0]
    assert scores.main.get("names") == 50.0  # one entity, half its mentions in one spelling


def test_numbers_score_counts_agreeing_mentions_of_both_sides():
    uk = Article("n", "uk", ("Загинули 5 людей 27 листопада.", "Зібрали 40 тонн."))
    en = Article("n", "en", ("Five people died on November 27, 5 in all.", "They raised 14 tons."))
    component = numbers_component(uk, en, one_to_one(2))
    # uk: 5, 27 листопада, 40; en: November 27, 5, 14 ("Five" is a word): 40 ≠ 14
    assert (component.matched, component.total) == (4, 6)
    assert dict(component.detail) == {"missing": 1, "added": 1}


def test_numbers_in_a_neighbouring_bead_agree():
    uk = Article("m", "uk", ("Перший абзац без чисел.", "Було 40 пілотів."))
    en = Article("m", "en", ("First paragraph, 40 pilots.", "There were pilots."))
    assert numbers_component(uk, en, one_to_one(2)).score == 100.0


def test_coverage_is_the_share_of_characters_in_two_sided_beads():
    uk = Article("c", "uk", ("а" * 30, "б" * 10))
    en = Article("c", "en", ("a" * 30,))
    alignment = Alignment((Bead((0,), (0,)), Bead((1,), ())), 2, 1)
    component = coverage_component(uk, en, alignment)
    assert (component.matched, component.total) == (60, 70)
    assert component.detail["one_sided_paragraphs"] == 1


def test_adequacy_needs_a_bridge_and_counts_text_above_the_floor():
    uk = Article("q", "uk", ("Міністр прибув до Сеула в понеділок.", "Це зовсім інше речення."))
    en = Article("q", "en", ("The minister arrived in Seoul on Monday.", "Cats like milk a lot."))
    without = pair_scores(uk, en, one_to_one(2)).main
    assert "adequacy" not in without.components
    bridge = ["The minister arrived in Seoul on Monday.", "This is a completely other sentence."]
    adequacy = pair_scores(uk, en, one_to_one(2), bridge=bridge).main.components["adequacy"]
    assert adequacy.total == len(en.paragraphs[0]) + len(en.paragraphs[1])
    assert adequacy.matched == len(en.paragraphs[0])  # the unrelated second bead is below 25


def test_overall_is_the_weighted_mean_of_the_components_present():
    score = ConsistencyScore(
        "pair",
        "x",
        {
            "names": ComponentScore("names", 1, 2, "u"),
            "numbers": ComponentScore("numbers", 0, 0, "u"),  # nothing to judge
            "coverage": ComponentScore("coverage", 1, 1, "u"),
        },
        "consistency:1",
    )
    # names 50 (0.3), coverage 100 (0.25); numbers has no score and leaves the mean
    assert score.overall == pytest.approx((0.3 * 50 + 0.25 * 100) / 0.55)


def test_pooling_sums_what_agrees_and_what_could_disagree():
    a = ConsistencyScore("pair", "a", {"numbers": ComponentScore("numbers", 1, 2, "u")}, "s")
    b = ConsistencyScore("pair", "b", {"numbers": ComponentScore("numbers", 9, 10, "u")}, "s")
    pooled = pool([a, b])
    assert pooled.get("numbers") == pytest.approx(100 * 10 / 12)
    assert pooled.signature.startswith("consistency:1|scope:archive|")
    again = ConsistencyScore.from_dict(pooled.to_dict())
    assert again.get("numbers") == pytest.approx(pooled.get("numbers"), abs=0.01)


def test_cross_language_renderings_find_a_name_spelled_two_ways():
    units = [
        (("Удар по Києву.",), ("A strike on Kyiv.",)),
        (("У Києві тихо.",), ("Kiev is quiet.",)),
        (("Президент Володимир Зеленський.",), ("President Volodymyr Zelenskyy.",)),
    ]
    terms = {t.term: t for t in term_consistency(aligned_renderings(units))}
    assert dict(terms["київ"].spellings) == {"kyiv": 1, "kiev": 1}
    assert "володимир" not in terms  # given names are per person, left to the names check
    with_given = term_consistency(aligned_renderings(units, skip_given_names=False))
    assert "володимир" in {t.term for t in with_given}


# --- thresholds and settings -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("speed=50", "unknown score 'speed'"),
        ("names=101", "must lie in [0, 100]"),
        ("names=-1", "must lie in [0, 100]"),
        ("names", "expected NAME=VALUE"),
        ("names=high", "'high' is not a number"),
    ],
)
def test_bad_thresholds_are_refused(item, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_thresholds([item])


def test_thresholds_fail_below_and_skip_what_has_no_score():
    score = article_scores(EN_VARIANT).main
    failures, unavailable = failing_thresholds(
        score, parse_thresholds(["names=90", "overall=50", "numbers=10"])
    )
    assert len(failures) == 1 and failures[0].startswith("names score 88.89 is below")
    assert unavailable == ["numbers"]


def test_unknown_weight_component_is_refused():
    with pytest.raises(ConfigError, match="unknown score component 'speed'"):
        ScoreSettings(weights={"speed": 1.0})


# --- mistok check ----------------------------------------------------------------------------


def _check(*args: object):
    return CliRunner().invoke(main, ["check", *map(str, args)])


@pytest.fixture()
def seed_pair():
    return SEEDS / "umerov-south-korea.uk.txt", SEEDS / "umerov-south-korea.en.txt"


def test_check_json_carries_scores_and_validates(seed_pair):
    result = _check(*seed_pair, "--format", "json")
    document = json.loads(result.stdout)
    jsonschema.validate(document, json.loads(SCHEMA_PATH.read_text()))
    scores = document["scores"]
    assert scores["scope"] == "pair"
    assert set(scores["components"]) == {"names", "numbers", "coverage"}
    assert scores["components"]["names"]["score"] < 100  # Umerov/Umyerov
    assert scores["signature"].startswith("consistency:1|scope:pair|")
    assert [a["subject"] for a in scores["articles"]] == [
        "umerov-south-korea.uk",
        "umerov-south-korea.en",
    ]


def test_check_text_junit_github_and_html_show_the_score(seed_pair):
    text = _check(*seed_pair).stdout
    assert "consistency " in text and "score signature: consistency:1|" in text
    junit = ET.fromstring(_check(*seed_pair, "--format", "junit").stdout)
    properties = {p.get("name"): p.get("value") for p in junit.iter("property")}
    assert float(properties["consistency.overall"]) > 0
    assert properties["consistency.signature"].startswith("consistency:1|")
    github = _check(*seed_pair, "--format", "github").stdout.splitlines()
    assert github[-1].startswith("::notice title=consistency score::consistency ")
    html = _check(*seed_pair, "--format", "html").stdout
    assert 'id="scores"' in html and 'data-component="names"' in html


def test_min_score_gates_the_exit_code(seed_pair):
    assert _check(*seed_pair, "--exit-zero", "--min-score", "overall=50").exit_code == 0
    failed = _check(*seed_pair, "--exit-zero", "--min-score", "names=99.9")
    assert failed.exit_code == 1
    assert "names score" in failed.stderr and "below --min-score names=99.9" in failed.stderr


@pytest.mark.parametrize("value", ["foo=3", "names=101"])
def test_check_bad_min_score_is_one_line_exit_2(seed_pair, value):
    result = _check(*seed_pair, "--min-score", value, "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


def test_score_table_in_config_sets_weights(seed_pair, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("[score]\nweights = {names = 1.0}\n", encoding="utf-8")
    document = json.loads(_check(*seed_pair, "--config", config, "--format", "json").stdout)
    scores = document["scores"]
    assert scores["overall"] == scores["components"]["names"]["score"]
    config.write_text("[score]\nweights = {speed = 1.0}\n", encoding="utf-8")
    bad = _check(*seed_pair, "--config", config)
    assert bad.exit_code == 2 and "unknown score component 'speed'" in bad.stderr


# --- mistok run ------------------------------------------------------------------------------


def test_run_reports_pair_and_archive_scores_and_gates_on_them(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(SEEDS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    document = json.loads((out / "report.json").read_text())
    pair = document["pairs"][0]["scores"]
    assert document["scores"]["scope"] == "archive"
    assert document["scores"]["overall"] == pair["overall"]  # one pair: pooled = its own
    assert 'id="scores"' in (out / "report.html").read_text()
    gated = CliRunner().invoke(main, ["run", str(SEEDS), "-o", str(out), "--min-score", "names=99"])
    assert gated.exit_code == 1
    assert "archive names score" in gated.output
    bad = CliRunner().invoke(main, ["run", str(SEEDS), "-o", str(out), "--min-score", "x=1"])
    assert bad.exit_code == 2


# --- mistok score --metrics consistency ------------------------------------------------------

HYP = ["Kyiv was shelled.", "Kiev is quiet.", "Kyiv spoke.", "Umerov arrived.", "Umerov left."]
SRC = ["Київ обстріляли.", "У Києві тихо.", "Київ заговорив.", "Умєров прибув.", "Умєров поїхав."]
DOCS = ["d1", "d1", "d2", "d3", "d3"]


def test_corpus_consistency_scores_documents_and_the_whole_set():
    result = corpus_consistency(HYP, DOCS, SRC)
    assert result.documents["d1"].get("names") == 50.0  # Kyiv / Kiev inside d1
    assert result.documents["d3"].get("names") == 100.0
    assert result.documents["d2"].get("names") is None  # Kyiv once: nothing to judge
    assert result.corpus.get("names") < 100
    assert "src:yes" in result.corpus.signature
    assert set(result.to_dict()["documents"]) == {"d1", "d2", "d3"}


def test_corpus_consistency_refuses_mismatched_or_empty_ids():
    with pytest.raises(InputError, match="document ids"):
        corpus_consistency(HYP, DOCS[:-1])
    with pytest.raises(InputError, match="line 2 is empty"):
        corpus_consistency(HYP, ["d1", " ", "d2", "d3", "d3"])


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_score_cli_prints_corpus_and_per_document_json(tmp_path):
    hyp = _write(tmp_path / "hyp.txt", HYP)
    docs = _write(tmp_path / "docs.txt", DOCS)
    src = _write(tmp_path / "src.txt", SRC)
    args = ["score", "--hyp", hyp, "--doc-ids", docs, "--src", src, "--metrics", "consistency"]
    result = CliRunner().invoke(main, [*map(str, args), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)["consistency"]
    assert data["signature"].startswith("consistency:1|scope:corpus|src:yes|")
    assert data["documents"]["d1"]["components"]["names"] == 50.0
    text = CliRunner().invoke(main, list(map(str, args))).stdout
    assert text.startswith("CONSISTENCY|consistency:1|")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--metrics", "consistency"], "give --doc-ids FILE"),
        (["--metrics", "bleu,consistenc"], "unknown metric 'consistenc'"),
        (["--metrics", "bleu"], "need a reference"),
    ],
)
def test_score_cli_bad_input_is_one_line_exit_2(tmp_path, extra, message):
    hyp = _write(tmp_path / "hyp.txt", HYP)
    result = CliRunner().invoke(main, ["score", "--hyp", str(hyp), *extra])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_check_archive_scores_names_across_articles_and_validates(tmp_path):
    (tmp_path / "one.en.txt").write_text("Kyiv is the capital.\n\nKyiv was shelled.\n")
    (tmp_path / "two.en.txt").write_text("Kiev is the capital.\n\nKiev was quiet.\n")
    result = _check("--archive", tmp_path, "--format", "json", "--exit-zero")
    document = json.loads(result.stdout)
    jsonschema.validate(document, json.loads(SCHEMA_PATH.read_text()))
    assert document["scores"]["scope"] == "archive"
    assert document["scores"]["components"]["names"]["score"] == 50.0
    assert [a["overall"] for a in document["scores"]["articles"]] == [100.0, 100.0]


def test_a_ukrainian_hypothesis_is_scored_through_the_renderings_of_english_sources():
    sources = ["Kyiv was shelled.", "Kyiv is quiet.", "Kyiv spoke."]
    hypotheses = ["Київ обстріляли.", "У Києві тихо.", "Кийів заговорив."]
    result = corpus_consistency(hypotheses, ["d", "d", "d"], sources)
    assert result.hypothesis_lang == "uk"
    names = result.corpus.components["names"]
    assert names.detail["entities"] == 0  # the English source's own spellings are not scored
    assert names.detail["terms"] == 1 and names.score < 100
    assert corpus_consistency(hypotheses, ["d", "d", "d"]).corpus.get("names") is None
