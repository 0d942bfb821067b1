"""The Check base class, severities and the registry."""

from __future__ import annotations

import pytest

from aligner.alignment import Alignment, Bead
from aligner.document import Article
from aligner.errors import ConfigError
from eval import base
from eval.base import (
    Check,
    Finding,
    Location,
    PairContext,
    Severity,
    available_checks,
    get_check,
    register_check,
)


class _Probe(Check):
    name = "probe-test"
    description = "Reports one finding per paragraph longer than min_chars."
    severities = {"long": Severity.WARNING, "short": Severity.NOTE}
    defaults = {"min_chars": 10, "ratio": 1.5}

    def _check_article(self, article, style=None):
        out = []
        for i, p in enumerate(article.paragraphs):
            kind = "long" if len(p) >= self.settings["min_chars"] else "short"
            out.append(self.finding(kind, p, (Location(article.id, article.lang, i),)))
        return out


@pytest.fixture(autouse=True)
def _registered_probe(monkeypatch):
    """The probe is findable by name during these tests only: registered at import it would
    run in every other test module of the session (``mistok check`` runs all checks)."""
    base.check_classes()  # the built-in checks register in the real registry, not the copy
    monkeypatch.setattr(base, "_REGISTRY", dict(base._REGISTRY))
    register_check(_Probe)


ARTICLE = Article("a", "en", ("a long enough paragraph", "tiny"))


def test_severity_order_and_parse():
    assert Severity.ERROR > Severity.WARNING > Severity.NOTE
    assert max([Severity.NOTE, Severity.ERROR, Severity.WARNING]) is Severity.ERROR
    assert Severity.parse("Warning") is Severity.WARNING
    with pytest.raises(ConfigError, match="error, warning, note"):
        Severity.parse("fatal")


def test_hooks_define_scopes():
    assert _Probe.scopes() == frozenset({"article"})
    assert "probe-test" in available_checks("article")
    assert "probe-test" not in available_checks("pair")
    # hooks a check does not fill in find nothing
    en = Article("a", "en", ("text",))
    ctx = PairContext(Article("a", "uk", ("текст",)), en, Alignment((Bead((0,), (0,)),), 1, 1))
    assert _Probe().findings_in_pair(ctx) == []
    assert _Probe().findings_in_archive([ARTICLE]) == []


def test_default_severities_and_settings():
    findings = _Probe().findings_in_article(ARTICLE)
    assert [(f.kind, f.severity) for f in findings] == [
        ("long", Severity.WARNING),
        ("short", Severity.NOTE),
    ]
    assert findings[0].rule == "probe-test.long"
    assert [f.kind for f in _Probe({"min_chars": 100}).findings_in_article(ARTICLE)] == [
        "short"
    ] * 2


@pytest.mark.parametrize(
    "setting, expected",
    [
        ("error", [Severity.ERROR, Severity.ERROR]),
        ({"short": "error"}, [Severity.WARNING, Severity.ERROR]),
    ],
)
def test_severity_override(setting, expected):
    findings = _Probe({"severity": setting}).findings_in_article(ARTICLE)
    assert [f.severity for f in findings] == expected


@pytest.mark.parametrize(
    "settings, message",
    [
        (
            {"max_chars": 3},
            "unknown setting 'max_chars'; valid settings: min_chars, ratio, severity",
        ),
        ({"min_chars": "ten"}, "must be a number"),
        ({"severity": {"odd": "note"}}, "unknown kind 'odd'"),
        ({"severity": "loud"}, "unknown severity 'loud'"),
    ],
)
def test_bad_settings_are_config_errors(settings, message):
    with pytest.raises(ConfigError, match=message):
        _Probe(settings)


def test_get_check_lists_valid_names():
    assert isinstance(get_check("probe-test"), _Probe)
    with pytest.raises(ConfigError, match=r"unknown check 'nope'; valid checks: .*probe-test"):
        get_check("nope")


def test_finding_to_dict_is_json_ready():
    f = Finding("x", Severity.NOTE, "m", (Location("a", "uk", 2, 0, 3),), data={"k": [1]})
    d = f.to_dict()
    assert d["severity"] == "note" and d["locations"][0]["paragraph"] == 2
    assert d["data"] == {"k": [1]}
