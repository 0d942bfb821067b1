"""House style: loading the style file, its errors, and the style check."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.alignment import Alignment, Bead
from aligner.document import Article
from aligner.errors import ConfigError
from eval.base import PairContext, Severity, get_check
from eval.style import default_style, load_style

STYLE = """
[names]
"Київ" = "Kyiv"
"Умєров" = "Umerov"

[rejected]
"Kiev" = "Kyiv"   # rejected form = preferred form
"""


def _write(tmp_path: Path, text: str, name: str = "style.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_style(tmp_path: Path) -> None:
    style = load_style(_write(tmp_path, STYLE))
    assert style.preferred_for_uk("Києві") == "Kyiv"
    assert style.preferred_for_uk("Умєрова") == "Umerov"
    assert style.rejected_form("KIEV") == ("Kiev", "Kyiv")
    assert style.preferred_for_english("Umyerov") == "Umerov"
    assert len(style.signature_hash) == 12


def test_signature_hash_follows_the_file_contents(tmp_path: Path) -> None:
    a = load_style(_write(tmp_path, STYLE, "a.toml"))
    b = load_style(_write(tmp_path, STYLE, "b.toml"))
    c = load_style(_write(tmp_path, STYLE.replace("Umerov", "Umyerov"), "c.toml"))
    assert a.signature_hash == b.signature_hash != c.signature_hash


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ('[names]\n"Київ" = "Kyiv"\n"Умєров" = \n', r"line 3, column \d+: "),
        ('[names]\n"Київ" "Kyiv"\n', r"line 2, column \d+: "),
        ('[nams]\n"Київ" = "Kyiv"\n', r"line 1: unknown table \[nams\]"),
        (
            '[names]\n"Київ" = "Kyiv"\n"Львів" = 3\n',
            r"line 3: \[names\] 'Львів' must be a non-empty",
        ),
        ('[rejected]\n"Київ" = 3\n[names]\n"Київ" = "Kyiv"\n', r"line 2: \[rejected\] 'Київ'"),
        ('[rejected]\nKiev = " "\n', r"line 2: \[rejected\] 'Kiev' must be a non-empty"),
        ("names = 3\n", r"line 1: names must be a table"),
    ],
)
def test_bad_style_file(tmp_path: Path, text: str, pattern: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError, match=pattern) as info:
        load_style(path)
    assert str(path) in str(info.value)


def test_unreadable_style_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_style(tmp_path / "missing.toml")
    path = tmp_path / "cp1251.toml"
    path.write_bytes('[names]\n"Київ" = "Kyiv"\n'.encode("cp1251"))
    with pytest.raises(ConfigError, match="line 2: the style file is not UTF-8"):
        load_style(path)


def test_default_style_is_shipped() -> None:
    style = default_style()
    for uk, en in [
        ("Київ", "Kyiv"),
        ("Харків", "Kharkiv"),
        ("Одеса", "Odesa"),
        ("Зеленський", "Zelenskyy"),
        ("Умєров", "Umerov"),
    ]:
        assert style.names[uk] == en
    assert style.rejected_form("Kiev") == ("Kiev", "Kyiv")


def test_rejected_form_is_an_error_and_a_consistent_other_spelling_a_note() -> None:
    article = Article("a", "en", ("Shelling hit Kiev at night.", "Zelenskyi spoke in Kiev."))
    findings = get_check("style").findings_in_article(article)
    by_kind = {f.kind: f for f in findings}
    assert by_kind["rejected"].severity == Severity.ERROR
    assert by_kind["rejected"].data["count"] == 2
    assert by_kind["rejected"].suggestion == "Kyiv"
    assert by_kind["preference"].severity == Severity.NOTE
    assert by_kind["preference"].suggestion == "Zelenskyy"


def test_user_style_replaces_the_default(tmp_path: Path) -> None:
    style = load_style(_write(tmp_path, '[names]\n"Зеленський" = "Zelensky"\n'))
    article = Article("a", "en", ("Zelensky spoke in Kiev.",))
    assert get_check("style").findings_in_article(article, style) == []


def test_pair_rendering_other_than_preferred_is_a_warning(tmp_path: Path) -> None:
    style = load_style(_write(tmp_path, STYLE))
    uk = Article("p", "uk", ("Міністр Умєров прибув до Києва.",))
    en = Article("p", "en", ("Minister Umyerov arrived in Kyiv.",))
    ctx = PairContext(uk, en, Alignment((Bead((0,), (0,)),), 1, 1), style=style)
    findings = get_check("style").findings_in_pair(ctx)
    assert [(f.kind, f.severity, f.data["used"], f.suggestion) for f in findings] == [
        ("rendering", Severity.WARNING, "Umyerov", "Umerov")
    ]


def test_a_style_survives_pickling():
    import pickle

    style = default_style()
    copy = pickle.loads(pickle.dumps(style))
    assert copy == style and copy.signature_hash == style.signature_hash
    assert copy.rejected_form("Kiev") == style.rejected_form("Kiev")
