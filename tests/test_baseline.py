"""Finding fingerprints, baselines (``--baseline``/``--write-baseline``) and the style file's
``[[accept]]`` list."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from aligner.document import Article
from aligner.errors import ConfigError
from eval.baseline import apply_baseline, baseline_text, parse_baseline, report_entries
from eval.runner import check_article, check_pair
from eval.style import load_style
from mistok.cli import main

EN = (
    "Defence Minister Rustem Umerov arrived in Kiev on Monday.",
    "He met officials in the capital.",
    "Umyerov said the talks went well, according to Rustem Umyerov's office.",
)
UK = (
    "Міністр оборони Рустем Умєров у понеділок прибув до Києва.",
    "Він зустрівся з посадовцями в столиці.",
    "Умєров сказав, що переговори пройшли добре.",
)


def _article(paragraphs, lang="en", article_id="story"):
    return Article(article_id, lang, tuple(paragraphs))


def _prints(report):
    return {f.rule: f.fingerprint for f in report.findings}


def test_fingerprints_ignore_edits_elsewhere_and_follow_the_paragraph():
    before = check_article(_article(EN))
    assert before.findings and all(len(f.fingerprint) == 32 for f in before.findings)
    # a paragraph added before the others: every paragraph number shifts, no fingerprint does
    moved = check_article(_article(("A new first paragraph about the weather.", *EN)))
    assert _prints(moved) == _prints(before)
    # apostrophe look-alikes are normalised away
    respelled = check_article(_article((EN[0], EN[1], EN[2].replace("'", "’"))))
    assert _prints(respelled) == _prints(before)
    # an edit of the paragraph a finding is about gives it a new fingerprint
    edited = check_article(_article((EN[0].replace("Monday", "Tuesday"), EN[1], EN[2])))
    assert _prints(edited)["style.rejected"] != _prints(before)["style.rejected"]
    # ... and so does another article id
    other = check_article(_article(EN, article_id="another-story"))
    assert set(_prints(other).values()).isdisjoint(_prints(before).values())


def test_identical_findings_get_distinct_fingerprints():
    uk = _article(("Уряд виділив 5 млн і ще 5 млн грн.",), "uk")
    en = _article(("The government gave money.",), "en")
    report = check_pair(uk, en, checks=["numbers"])
    prints = [f.fingerprint for f in report.findings]
    assert len(prints) >= 2 and len(set(prints)) == len(prints)


def test_baseline_round_trip_and_diff_friendly_text():
    report = check_article(_article(EN))
    text = baseline_text(report_entries(report))
    lines = text.splitlines()
    assert lines[0] == "# mistok-baseline 1"
    entries = [line for line in lines if not line.startswith("#")]
    assert len(entries) == len(report.findings)
    assert all(len(line.split("\t")) == 4 for line in entries)
    assert baseline_text(reversed(report_entries(report))) == text  # order-independent
    baseline = parse_baseline(text)
    filtered = apply_baseline(report, baseline)
    assert filtered.findings == () and len(filtered.baselined) == len(report.findings)
    assert json.loads(json.dumps(filtered.to_dict()))["suppressed"]["baseline"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"version": "2.1.0", "runs": []}\n', "not a mistok baseline"),
        ("<?xml version='1.0'?><SmellBaseline/>\n", "not a mistok baseline"),
        ("# mistok-baseline 2\n", "format 2, newer than this mistok reads (1)"),
        ("# mistok-baseline 1\nnot-a-fingerprint\tx.y\n", "line 2: 'not-a-fingerprint'"),
        ("# mistok-baseline 1\n\n" + "a" * 32 + "\n", "line 3: no rule"),
        ("# mistok-baseline 1\n" + ("a" * 32 + "\tx.y\n") * 2, "line 3: fingerprint"),
    ],
)
def test_bad_baselines_name_the_line_and_reason(text, expected):
    with pytest.raises(ConfigError, match="b.txt") as caught:
        parse_baseline(text, "b.txt")
    assert expected in str(caught.value)


def _style(tmp_path, body):
    path = tmp_path / "house.toml"
    path.write_text(body + '\n[rejected]\n"Kiev" = "Kyiv"\n', encoding="utf-8")
    return path


def test_accept_list_accepts_a_deliberate_spelling(tmp_path):
    plain = check_article(_article(EN), style=load_style(_style(tmp_path, "")))
    assert "style.rejected" in _prints(plain)
    body = '[[accept]]\nspelling = "Kiev"\nrule = "style.rejected"\nreason = "a quotation"\n'
    style = load_style(_style(tmp_path, body))
    assert style.accept[0].line == 1
    report = check_article(_article(EN), style=style)
    assert "style.rejected" not in _prints(report)
    assert [f.rule for f in report.accepted] == ["style.rejected"]
    assert report.to_dict()["suppressed"]["accepted"] == 1
    # the entry is bound to its conditions: another article is not covered by article = ...
    scoped = '[[accept]]\nspelling = "Kiev"\narticle = "elsewhere"\nreason = "a quotation"\n'
    report = check_article(_article(EN), style=load_style(_style(tmp_path, scoped)))
    assert "style.rejected" in _prints(report)


def test_accept_list_by_fingerprint(tmp_path):
    fingerprint = _prints(check_article(_article(EN)))["names.variant"]
    body = f'[[accept]]\nfingerprint = "{fingerprint}"\nreason = "checked with the desk"\n'
    report = check_article(_article(EN), style=load_style(_style(tmp_path, body)))
    assert "names.variant" not in _prints(report)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[[accept]]\nspelling = "Kiev"\n', "line 1: [[accept]] needs a reason"),
        ('[[accept]]\nreason = "x"\n', "line 1: [[accept]] must say what it accepts"),
        ('[[accept]]\nrule = "style.rejected"\nreason = "x"\n', "would switch the rule off"),
        ('[[accept]]\nrule = "nope.x"\narticle = "a"\nreason = "x"\n', "rule 'nope.x'"),
        ('[[accept]]\nfingerprint = "abc"\nreason = "x"\n', "is not 32"),
        ('[[accept]]\nspelling = "Kiev"\nreason = "x"\ncolour = "red"\n', "unknown key 'colour'"),
        ('[[accept]]\nspelling = "Kiev"\nreason = ""\n', "reason must be a non-empty"),
        ('accept = "Kiev"\n', "accept must be a list"),
        (
            '[[accept]]\nspelling = "Kiev"\nreason = "x"\n\n'
            '[[accept]]\nspelling = 3\nreason = "y"\n',
            "line 5: [[accept]] spelling must be a non-empty string",
        ),
    ],
)
def test_bad_accept_entries_name_the_line_and_reason(tmp_path, body, expected):
    with pytest.raises(ConfigError, match="house.toml") as caught:
        load_style(_style(tmp_path, body))
    assert expected in str(caught.value)


# -- the command line -----------------------------------------------------------------------


@pytest.fixture()
def pair(tmp_path):
    uk, en = tmp_path / "story.uk.txt", tmp_path / "story.en.txt"
    uk.write_text("\n\n".join(UK) + "\n", encoding="utf-8")
    en.write_text("\n\n".join(EN) + "\n", encoding="utf-8")
    return uk, en


def test_check_writes_and_uses_a_baseline(tmp_path, pair):
    runner = CliRunner()
    baseline = tmp_path / "baseline.txt"
    args = ["check", *map(str, pair), "--fail-on", "note"]
    first = runner.invoke(main, [*args, "--write-baseline", str(baseline)])
    assert first.exit_code == 0, first.output
    recorded = [line for line in baseline.read_text().splitlines() if not line.startswith("#")]
    assert recorded
    clean = runner.invoke(main, [*args, "--baseline", str(baseline), "--format", "json"])
    assert clean.exit_code == 0, clean.output
    assert f"{len(recorded)} finding(s) in the baseline" in clean.stderr
    document = json.loads(clean.stdout)
    assert document["findings"] == [] and len(document["suppressed"]["baseline"]) == len(recorded)
    # a finding removed from the baseline is reported again, and only it
    baseline.write_text("\n".join(baseline.read_text().splitlines()[:-1]) + "\n")
    again = runner.invoke(main, [*args, "--baseline", str(baseline), "--format", "json"])
    assert again.exit_code == 1
    assert len(json.loads(again.stdout)["findings"]) == 1
    # --baseline F --write-baseline F refreshes it (and may write over its own input)
    refreshed = runner.invoke(
        main, [*args, "--baseline", str(baseline), "--write-baseline", str(baseline)]
    )
    assert refreshed.exit_code == 0
    assert len([x for x in baseline.read_text().splitlines() if x[:1] != "#"]) == len(recorded)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"runs": []}\n', "not a mistok baseline"),
        ("# mistok-baseline 7\n", "newer than this mistok reads"),
    ],
)
def test_check_refuses_a_foreign_or_newer_baseline(tmp_path, pair, content, expected):
    baseline = tmp_path / "b.txt"
    baseline.write_text(content)
    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        main, ["check", *map(str, pair), "--baseline", str(baseline), "-o", str(out)]
    )
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("mistok: error: ") and str(baseline) in line and expected in line
    assert not out.exists()


def test_write_baseline_never_overwrites_an_input(pair):
    result = CliRunner().invoke(main, ["check", str(pair[1]), "--write-baseline", str(pair[1])])
    assert result.exit_code == 2 and "is an input" in result.stderr
    assert pair[1].read_text().startswith("Defence Minister")


def test_run_takes_a_baseline(tmp_path, pair):
    runner = CliRunner()
    baseline = tmp_path / "run-baseline.txt"
    first = runner.invoke(
        main,
        [
            "run",
            str(pair[0].parent),
            "-o",
            str(tmp_path / "out"),
            "--write-baseline",
            str(baseline),
        ],
    )
    assert first.exit_code == 0, first.output
    assert baseline.read_text().startswith("# mistok-baseline 1\n")
    second = runner.invoke(
        main,
        [
            "run",
            str(pair[0].parent),
            "-o",
            str(tmp_path / "out"),
            "--baseline",
            str(baseline),
            "--fail-on",
            "note",
        ],
    )
    assert second.exit_code == 0, second.output
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert all(p["findings"] == [] for p in report["pairs"])
    assert "not reported: " in second.output and "in the baseline" in " ".join(
        second.output.split()
    )
