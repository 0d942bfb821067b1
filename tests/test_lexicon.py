"""The core lexicon: file format, matching of inflected forms, user files, concept bags."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest

from aligner.errors import InputError
from aligner.lexicon import EN_STOPWORDS, UK_STOPWORDS, Lexicon, load_lexicon
from aligner.stemming import normalize_uk, stem_en, stem_uk, tokenize

BUNDLED = Path(__file__).resolve().parents[1] / "aligner" / "data" / "lexicon.tsv"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def dice(a: Counter[int], b: Counter[int]) -> float:
    return 2 * sum((a & b).values()) / (sum(a.values()) + sum(b.values()))


def test_bundled_lexicon_has_at_least_3000_entries(lexicon: Lexicon) -> None:
    assert len(lexicon) >= 3000


def test_every_bundled_line_is_well_formed() -> None:
    lemmas = []
    for number, line in enumerate(BUNDLED.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        uk, sep, en = line.partition("\t")
        assert sep and "\t" not in en, f"line {number}: {line!r}"
        assert uk == uk.strip().lower() and " " not in uk, f"line {number}: {line!r}"
        words = en.split("|")
        assert all(w and w == w.strip() for w in words), f"line {number}: {line!r}"
        assert len(set(words)) == len(words), f"line {number}: repeated translation"
        assert not re.search("[a-z]", uk), f"line {number}: Latin letter in {uk!r}"
        assert not re.search("[\u0400-\u04ff]", en), f"line {number}: Cyrillic in {en!r}"
        content = [t for t in tokenize(en) if t not in EN_STOPWORDS]
        assert all(len(t) > 1 for t in content), f"line {number}: one-letter word"
        lemmas.append(uk)
    assert len(set(lemmas)) == len(lemmas), "a lemma is listed twice"


def test_no_bundled_lemma_is_a_function_word() -> None:
    stop = {normalize_uk(w) for w in UK_STOPWORDS}
    for line in BUNDLED.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            assert normalize_uk(line.split("\t")[0]) not in stop, line


@pytest.mark.parametrize(
    ("forms", "english"),
    [
        ("війна війни війні війною", "war"),
        ("міністр міністра міністрові міністром міністрів", "minister"),
        ("заявив заявила заявили заявить", "say"),
        ("повідомляє повідомляють повідомив повідомила", "report"),
        ("зустрівся зустрілися зустрітися", "meet"),
        ("Харків Харкова Харкові", "kharkiv"),
        ("Києва Києві Київ", "kyiv"),
        ("року роки років рік", "year"),
        ("гривня гривні гривень", "hryvnia"),
        ("санкції санкцій санкціями", "sanctions"),
        ("дії дій", "action"),
        ("Чехії Чехія", "czech"),
        ("Сеулі Сеул", "seoul"),
        ("квітня квітень", "april"),
    ],
)
def test_inflected_forms_find_their_concept(lexicon: Lexicon, forms: str, english: str) -> None:
    concept = lexicon.en_token_concept(english)
    assert concept is not None
    for word in forms.split():
        assert concept in lexicon.uk_token_concepts(word), word


@pytest.mark.parametrize(
    ("word", "meant", "not_meant"),
    [
        ("ріки", "river", "year"),
        ("року", "year", "river"),
        ("міста", "city", "bridge"),
        ("мосту", "bridge", "city"),
        ("сім'ї", "family", "seven"),
        ("болю", "pain", "white"),
        ("білого", "white", "pain"),
    ],
)
def test_a_generated_form_does_not_take_another_lemmas_key(
    lexicon: Lexicon, word: str, meant: str, not_meant: str
) -> None:
    assert meant in lexicon.translations(word)
    assert not_meant not in lexicon.translations(word)


def test_function_words_and_unknown_words_have_no_translation(lexicon: Lexicon) -> None:
    assert lexicon.translations("він") == frozenset()
    assert lexicon.translations("що") == frozenset()
    assert lexicon.translations("Умєров") == frozenset()
    assert not lexicon.concepts("він і вона, що на", "uk")
    assert not lexicon.concepts("he and she, that is on the", "en")


def test_all_twelve_months_and_seven_weekdays_are_listed(lexicon: Lexicon) -> None:
    months = (
        "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня"
    )
    english = (
        "january february march april may june july august september october november december"
    )
    for uk, en in zip(months.split(), english.split(), strict=True):
        assert en in lexicon.translations(uk), uk
        assert en in lexicon.translations(uk.capitalize()), uk
    days = "понеділок вівторок середа четвер п'ятниця субота неділя"
    english = "monday tuesday wednesday thursday friday saturday sunday"
    for uk, en in zip(days.split(), english.split(), strict=True):
        assert en in lexicon.translations(uk), uk


def test_uk_and_en_words_meet_on_one_concept(lexicon: Lexicon) -> None:
    uk = lexicon.concepts("Міністр заявив про обстріл", "uk")
    en = lexicon.concepts("The minister said", "en")
    minister = lexicon.en_token_concept("ministers")
    say = lexicon.en_token_concept("said")
    assert minister is not None and say is not None
    assert uk[minister] == 1 and en[minister] == 1
    assert uk[say] == 1 and en[say] == 1


def test_a_translation_shares_more_concepts_than_an_unrelated_sentence(lexicon: Lexicon) -> None:
    uk = lexicon.concepts(
        "Президент України зустрівся з прем'єр-міністром Польщі у Варшаві, щоб обговорити "
        "постачання зброї та відновлення енергетичної інфраструктури.",
        "uk",
    )
    translation = lexicon.concepts(
        "The President of Ukraine met the Prime Minister of Poland in Warsaw to discuss arms "
        "supplies and the restoration of energy infrastructure.",
        "en",
    )
    unrelated = lexicon.concepts(
        "Heavy rain and strong wind are expected in the north of the country on Friday, "
        "forecasters warn; schools will close early.",
        "en",
    )
    assert dice(uk, translation) > 0.5
    assert dice(uk, translation) > 3 * dice(uk, unrelated)


def test_concepts_rejects_an_unknown_language(lexicon: Lexicon) -> None:
    with pytest.raises(ValueError, match="language"):
        lexicon.concepts("text", "de")


def test_user_file_adds_entries(tmp_path: Path) -> None:
    user = tmp_path / "newsroom.tsv"
    user.write_text(
        "# our newsroom's words\n\nбайрактар\tbayraktar\nпаляниця\tpalianytsia|bread\n",
        encoding="utf-8",
    )
    plain = load_lexicon()
    extended = load_lexicon([user])
    assert len(extended) == len(plain) + 2
    assert plain.translations("байрактари") == frozenset()
    assert extended.translations("байрактари") == {"bayraktar"}
    assert extended.translations("паляницю") == {"palianytsia", "bread"}
    concepts = extended.concepts("Bayraktars", "en")
    assert sum(concepts.values()) == 1


def test_user_file_alone_without_the_bundled_lexicon(tmp_path: Path) -> None:
    user = tmp_path / "mini.tsv"
    user.write_text("дрон\tdrone|uav\n", encoding="utf-8")
    mini = load_lexicon([user], bundled=False)
    assert len(mini) == 1
    assert mini.translations("дронами") == {"drone", "uav"}
    assert mini.translations("війна") == frozenset()


def test_an_edited_user_file_is_read_again(tmp_path: Path) -> None:
    user = tmp_path / "edit.tsv"
    user.write_text("дрон\tdrone\n", encoding="utf-8")
    assert load_lexicon([user], bundled=False).translations("дрон") == {"drone"}
    user.write_text("дрон\tuav\n", encoding="utf-8")
    stat = user.stat()
    os.utime(user, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_lexicon([user], bundled=False).translations("дрон") == {"uav"}


@pytest.mark.parametrize(
    ("line", "complaint"),
    [
        ("дрон drone", "2 tab-separated fields"),
        ("дрон\tdrone\tuav", "2 tab-separated fields"),
        ("ударний дрон\tattack drone", "one word"),
        ("drone\tdrone", "Cyrillic"),
        ("дрон\tdrone||uav", "empty English"),
        ("дрон\t", "empty English"),
        ("дрон\t123", "no letters"),
    ],
)
def test_malformed_user_line_names_file_and_line(tmp_path: Path, line: str, complaint: str) -> None:
    user = tmp_path / "broken.tsv"
    user.write_text(f"# header\nвійна\twar\n{line}\n", encoding="utf-8")
    with pytest.raises(InputError, match=complaint) as caught:
        load_lexicon([user])
    assert f"{user}:3" in str(caught.value)


def test_missing_user_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_lexicon([tmp_path / "absent.tsv"])


def test_lexicon_is_immutable_and_cached(lexicon: Lexicon) -> None:
    assert load_lexicon() is lexicon
    with pytest.raises(TypeError):
        lexicon.uk_index["x"] = frozenset()  # type: ignore[index]
    with pytest.raises(AttributeError):
        lexicon.n_entries = 0  # type: ignore[misc]


def test_english_stopwords_never_become_concepts(lexicon: Lexicon) -> None:
    for word in EN_STOPWORDS:
        assert lexicon.en_token_concept(word) is None, word


def test_may_is_the_month_only_when_capitalised(lexicon: Lexicon) -> None:
    may = lexicon.en_token_concept("May")
    assert may is not None and may in lexicon.uk_token_concepts("травня")
    assert lexicon.en_token_concept("may") is None
    assert not lexicon.concepts("Prices may rise.", "en") & lexicon.concepts("у травні", "uk")


def test_ukrainian_stem_collisions_are_rare() -> None:
    # lemmas sharing a key but no English word are a potential nonsense match (водій / вода)
    entries: dict[str, list[set[str]]] = {}
    for line in BUNDLED.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            uk, en = line.split("\t")
            english = {stem_en(word) for word in tokenize(en)}
            entries.setdefault(stem_uk(uk), []).append(english)
    clashes = [sets for sets in entries.values() if len(sets) > 1 and not set.intersection(*sets)]
    assert len(clashes) / len(entries) < 0.015
