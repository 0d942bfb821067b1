"""Cross-language name check (issue 11): exonyms, sound skeletons, dictionary morphology,
confidence and evidence, bad tables."""

from __future__ import annotations

import pytest

from aligner.errors import ConfigError
from aligner.names import load_exonyms, ranked_uk_lemmas, read_exonym_table
from aligner.translit import en_sound_keys, uk_sound_key
from eval.names import find_missing_names
from eval.style import load_style


@pytest.mark.parametrize(
    ("uk", "en"),
    [("Чемберс", "Chambers"), ("Ліверпуль", "Liverpool"), ("Уолтон", "Walton"),
     ("Вудс", "Woods"), ("Джайантс", "Giants"), ("Брайтон", "Brighton"),
     ("Резерфорд", "Rutherford"), ("Шредер", "Schroeder"), ("Старрідж", "Sturridge")],
)  # fmt: skip
def test_sound_skeletons_meet_across_scripts(uk, en):
    assert uk_sound_key(uk) in en_sound_keys(en)


def test_sound_skeletons_keep_different_names_apart():
    assert uk_sound_key("Чемберс") not in en_sound_keys("Chalmers")


@pytest.mark.parametrize(
    ("uk", "en"),
    [
        ("Його команда обіграла «Ліверпуль» у Брайтоні.", "His team beat Liverpool in Brighton."),
        ("Уряд Китаю заявив про це.", "China's government said so."),
        ("Він поїхав до Шотландії.", "He went to Scotland."),
        ("Вашингтон попередив Китай.", "Washington warned Beijing and the Chinese side."),
    ],
)
def test_english_renderings_of_any_origin_are_found(uk, en):
    assert [m for m in find_missing_names([uk], [en]) if m.confidence >= 0.7] == []


def test_a_really_absent_known_name_is_a_confident_miss_with_evidence():
    [miss] = find_missing_names(["Умєров прибув до Сеула."], ["The minister arrived in Seoul."])
    assert miss.lemma == "Умєров"
    assert miss.confidence >= 0.9
    assert miss.evidence["known_from"] in {"press table", "house style"}


def test_function_words_and_common_words_are_no_names():
    uk = ["Він сказав. Уявіть собі. Білий дім відповів."]
    assert find_missing_names(uk, ["He said. Imagine. The White House replied."]) == []


def test_names_in_other_scripts_pass_without_findings():
    assert find_missing_names(["Прем'єр Ἀθῆναι та 東京 і Ωμέγα."], ["The premier spoke."]) == []


def test_dictionary_re_ranks_lemmas():
    assert ranked_uk_lemmas("Відня")[0] == "Відень"
    assert ranked_uk_lemmas("Уельсу")[0] == "Уельс"


def test_exonyms_come_from_cldr():
    exonyms = load_exonyms()
    assert exonyms.by_uk("Китай")[0] == "China"
    assert exonyms.by_uk("шотландія")[0] == "Scotland"


def test_exonym_table_contradicting_itself_names_both_lines(tmp_path):
    path = tmp_path / "exonyms.tsv"
    path.write_text("Кельн\tCologne\nБрюгге\tBruges\nКельн\tKöln\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"'Cologne' \(line 1\) and 'Köln' \(line 3\)"):
        read_exonym_table(path)


def test_style_file_contradicting_itself_names_both_entries(tmp_path):
    path = tmp_path / "style.toml"
    path.write_text('[names]\n"Київ" = "Kyiv"\n\n[rejected]\n"Kyiv" = "Kiev"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"line 2.*'Київ'.*line 5.*'Kyiv'"):
        load_style(path)


def _variants(*paragraphs, style=None):
    from aligner.document import Article
    from eval.names import find_name_variants

    return find_name_variants([Article("a", "en", tuple(paragraphs))], style=style)


@pytest.mark.parametrize(
    "text",
    [
        "Israel said the Israeli army moved.",
        "The Olympics opened; the Olympic team won.",
        "Ukraine and the Ukrainian team.",
        "China and Chinese officials.",
        "The Pokrovsky district near Pokrovsk.",
        "Don't go. I'll see. Don Smith said so.",
        "Chris Harris met Dwi Haris.",
    ],
)
def test_forms_of_one_entity_and_different_people_are_no_variants(text):
    assert _variants(text) == []


@pytest.mark.parametrize(
    ("text", "spellings"),
    [
        ("Lviv is big. Lvov was its old name.", {"Lviv", "Lvov"}),
        ("The Vyshhorodsky district near Vyshgorod.", {"Vyshhorodsky", "Vyshgorod"}),
        ("Kaniv, or Kanev, on the river.", {"Kaniv", "Kanev"}),
        ("Donbas or Donbass.", {"Donbas", "Donbass"}),
    ],
)
def test_variant_classes_are_recalled(text, spellings):
    [group] = _variants(text)
    assert {s for s, _ in group.spellings} == spellings
    assert 0.0 <= group.confidence <= 1.0


def test_a_tie_is_settled_by_the_press_table_not_by_order():
    # no house style for Kyiv here: the press table's current form wins a 1:1 tie
    from eval.style import Style

    [group] = _variants("Kiev said so.", "Kyiv said so.", style=Style({}, {}))
    assert group.suggestion == "Kyiv"
    assert group.suggestion_from == "press form"


def test_places_behind_adjectives_and_regions_are_known_names():
    uk = ["Вночі ворог знову обстріляв села Київської області та Харківщини з артилерії."]
    absent = find_missing_names(uk, ["Overnight the enemy shelled villages with artillery."])
    assert {(m.uk, m.confidence) for m in absent} == {("Київської", 0.9), ("Харківщини", 0.9)}
    found = ["Overnight the enemy shelled villages of Kyiv Oblast and the Kharkiv region."]
    assert find_missing_names(uk, found) == []


def test_common_nouns_for_people_are_at_most_notes():
    uk = ["Вчора Півзахисник клубу отримав травму на тренуванні, повідомив тренер."]
    for miss in find_missing_names(uk, ["Yesterday the club's midfielder was injured."]):
        assert miss.confidence < 0.7


def test_the_bridge_supplies_the_machine_rendering_and_raises_confidence():
    uk = ["Учора Джасінда прилетіла до Сеула і зустрілася з міністром оборони."]
    mt = ["Yesterday Jacinda flew to Seoul and met the defence minister."]
    assert find_missing_names(uk, mt, bridge=mt) == []
    [miss] = find_missing_names(uk, ["Yesterday she flew to Seoul."], bridge=mt)
    assert miss.evidence["bridge_rendering"] == "Jacinda"
    assert miss.confidence > find_missing_names(uk, ["Yesterday she flew to Seoul."])[0].confidence


def test_names_in_other_scripts_give_no_variant_findings():
    assert _variants("Αθήνα and Αθηνα met 東京 and 東京都 in Ωμέγα.") == []


def test_names_of_other_languages_are_not_linked_through_ukrainian_endings():
    assert _variants("Kate met Kata there. Mike met Mika.") == []
    [group] = _variants("Buchi and Bucha.")  # a romanisation keeps its case endings linked
    assert {s for s, _ in group.spellings} == {"Buchi", "Bucha"}


def _cli(*args: object):
    from click.testing import CliRunner

    from mistok.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture()
def story(tmp_path):
    uk, en = tmp_path / "story.uk.txt", tmp_path / "story.en.txt"
    uk.write_text("Міністр Рустем Умєров прибув до Сеула 27 листопада.\n", encoding="utf-8")
    en.write_text("Minister Rustem Umerov arrived in Seoul on November 27.\n", encoding="utf-8")
    return uk, en


def test_cli_refuses_a_contradictory_style_file_in_one_line(story, tmp_path):
    style = tmp_path / "house.toml"
    style.write_text('[names]\n"Київ" = "Kyiv"\n\n[rejected]\n"Kyiv" = "Kiev"\n', encoding="utf-8")
    out = tmp_path / "report.json"
    result = _cli("check", *story, "--style", style, "--format", "json", "-o", out)
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "[names] 'Київ' = 'Kyiv'" in line and "[rejected] 'Kyiv' = 'Kiev'" in line
    assert not out.exists()


def test_cli_refuses_a_contradictory_exonym_table_in_one_line(story, tmp_path):
    table = tmp_path / "exonyms.tsv"
    table.write_text("Кельн\tCologne\nКельн\tKöln\n", encoding="utf-8")
    config = tmp_path / "mistok.toml"
    config.write_text(f'[checks.names]\nexonym_table = "{table}"\n', encoding="utf-8")
    result = _cli("check", *story, "--config", config)
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "exonyms.tsv" in line and "'Cologne' (line 1) and 'Köln' (line 2)" in line


def test_json_findings_carry_confidence_and_evidence(story, tmp_path):
    import json

    uk, en = story
    en.write_text("The minister arrived in Seoul on November 27.\n", encoding="utf-8")
    result = _cli("check", uk, en, "--format", "json", "--checks", "names")
    [finding] = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "names.missing"]
    assert finding["severity"] == "warning"
    assert 0.7 <= finding["data"]["confidence"] <= 1.0
    assert finding["data"]["evidence"]["known_from"] in {"house style", "press table"}


def test_acronyms_are_found_under_their_english_forms():
    uk = ["За даними ДСНС, у Києві загинули троє людей, повідомило МВС."]
    en = ["According to rescuers, three people died in Kyiv, the Interior Ministry said."]
    assert find_missing_names(uk, en) == []
    absent = find_missing_names(uk, ["Three people died in Kyiv."])
    assert {m.uk for m in absent if m.confidence >= 0.7} == {"ДСНС", "МВС"}


@pytest.mark.parametrize(
    ("uk", "en"),
    [
        ("Цинциннаті", "Cincinnati"),
        ("Ріхтер", "Richter"),
        ("Джердан", "Xherdan"),
        ("Гарріс", "Harris"),
    ],
)
def test_english_letters_with_several_readings(uk, en):
    assert uk_sound_key(uk) in en_sound_keys(en)
