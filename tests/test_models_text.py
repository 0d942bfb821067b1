"""The translation pipeline without a model: segmenting, glossary, output checks, bridge.

A fake engine stands in for the model so that the pipeline's own logic (order, splitting,
batching, post-edit, reports) is checked exactly; the real engines are in
test_models_engines.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from aligner.errors import ConfigError, ModelUnavailableError
from models import Glossary, ParagraphTranslator, Translator, translation_bridge
from models.output_checks import is_repetitive, missing_numbers, russian_letters
from models.registry import lookup
from models.segmenting import (
    batches_by_length,
    plan_segments,
    reassemble,
    split_sentences,
    split_to_fit,
)


def words(text: str) -> int:
    return len(text.split()) + 1  # +1 for the end-of-sentence token, like a real tokenizer


# --- sentences and pieces --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "Умєров прибув до Сеула. Він зустрівся з міністром.",
            ["Умєров прибув до Сеула.", "Він зустрівся з міністром."],
        ),
        ("«Це важливо!» — сказав він. Далі буде.", ["«Це важливо!» — сказав він.", "Далі буде."]),
        ("Р. Умєров прибув 5 т. вантажу. Так.", ["Р. Умєров прибув 5 т. вантажу.", "Так."]),
        (
            'Mr. Umerov met Dr. Yoon. He said: "We agree." The U.S. agreed.',
            ["Mr. Umerov met Dr. Yoon.", 'He said: "We agree."', "The U.S. agreed."],
        ),
        (
            "Ціна зросла на 2.5 відсотка. 2024 рік був важким.",
            ["Ціна зросла на 2.5 відсотка.", "2024 рік був важким."],
        ),
        ("No full stop at the end", ["No full stop at the end"]),
        ("   ", []),
    ],
)
def test_split_sentences(paragraph: str, expected: list[str]) -> None:
    assert split_sentences(paragraph) == expected


def test_split_to_fit_prefers_clause_boundaries_and_loses_nothing() -> None:
    sentence = "one two three four, five six seven eight; nine ten eleven twelve thirteen fourteen"
    pieces = split_to_fit(sentence, words, 5)
    assert pieces[:2] == ["one two three four,", "five six seven eight;"]
    assert all(words(p) <= 5 for p in pieces)
    assert " ".join(pieces) == sentence


def test_split_to_fit_cuts_a_word_longer_than_the_limit() -> None:
    word = "x" * 50
    pieces = split_to_fit(word, len, 20)
    assert pieces == ["x" * 20, "x" * 20, "x" * 10]


def test_plan_segments_reports_cut_paragraphs_and_reassembles_in_order() -> None:
    long = " ".join(f"w{i}" for i in range(30)) + "."
    paragraphs = ["Перше речення. Друге речення.", long, "Третій абзац."]
    plan = plan_segments(paragraphs, words, 10)
    assert plan.split_paragraphs == (1,)
    assert [s.paragraph for s in plan.segments][:2] == [0, 0]
    assert all(s.tokens <= 10 for s in plan.segments)
    # Reassembling the untranslated pieces gives back each paragraph.
    assert reassemble(plan, [s.text for s in plan.segments]) == paragraphs


def test_batches_group_similar_lengths_and_cover_every_item_once() -> None:
    lengths = [5, 50, 6, 49, 7, 48, 100]
    batches = batches_by_length(lengths, batch_size=2)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    assert all(len(b) <= 2 for b in batches)
    assert batches[0] == [6, 1]  # the longest first
    capped = batches_by_length(lengths, batch_size=8, max_batch_tokens=120)
    assert all(len(b) * max(lengths[i] for i in b) <= 120 or len(b) == 1 for b in capped)


# --- glossary --------------------------------------------------------------------------------

GLOSSARY = Glossary({"Умєров": "Umerov", "Юн Сок Йоль": "Yoon Suk Yeol"})


def test_glossary_respells_variants_when_the_source_has_an_inflected_form() -> None:
    text, messages = GLOSSARY.enforce(
        "Зустріч Умєрова з Юн Сок Йолем тривала годину.",
        "Umyerov's meeting with Yoon Seok-yeol lasted an hour. Umerov left.",
        "uk",
        "en",
    )
    assert text == "Umerov's meeting with Yoon Suk Yeol lasted an hour. Umerov left."
    assert any("Umyerov" in m for m in messages)


def test_glossary_leaves_output_alone_when_the_source_lacks_the_name() -> None:
    text, messages = GLOSSARY.enforce("Міністр прибув.", "Umyerov arrived.", "uk", "en")
    assert (text, messages) == ("Umyerov arrived.", [])


def test_glossary_reports_a_name_the_translation_lost() -> None:
    text, messages = GLOSSARY.enforce(
        "Умєрову подякували.", "The minister was thanked.", "uk", "en"
    )
    assert text == "The minister was thanked."
    assert messages == ["Умєров is in the source but 'Umerov' is not in the translation"]


def test_glossary_fixes_ukrainian_stem_and_keeps_the_ending() -> None:
    text, messages = GLOSSARY.enforce(
        "Umerov met the press.", "Умерова зустріли журналісти.", "en", "uk"
    )
    assert text == "Умєрова зустріли журналісти."
    assert messages


def test_glossary_rejects_empty_entries() -> None:
    with pytest.raises(ConfigError):
        Glossary({"Умєров": " "})


def test_glossary_reads_toml(tmp_path) -> None:
    path = tmp_path / "style.toml"
    path.write_text('[names]\n"Умєров" = "Umerov"\n', encoding="utf-8")
    assert Glossary.from_toml(path).names == {"Умєров": "Umerov"}


# --- output checks ---------------------------------------------------------------------------


def test_output_checks() -> None:
    assert russian_letters("Министр сказал, что это важно, ёлки, мы") == "эёы"
    assert russian_letters("Міністр сказав, що це важливо") == ""
    assert is_repetitive("aid aid aid aid and more")
    assert is_repetitive("inistinistinistinist")
    assert not is_repetitive("The minister met the minister of defence.")
    assert (
        missing_numbers(
            "Загинули 12 людей, 1 200 поранено, 2,5 млн доларів, 25.11.2024",
            "12 died, 1,200 hurt, $2.5 million, 25 November 2024",
            "uk",
            "en",
        )
        == []
    )
    assert missing_numbers("Він бачив 5 танків і 5 гармат", "He saw five tanks", "uk", "en") == [
        "5"
    ]
    assert missing_numbers("He saw 12 tanks.", "Він бачив танки.", "en", "uk") == ["12"]


# --- the pipeline with a fake engine ---------------------------------------------------------


class FakeEngine:
    """Translates by uppercasing and tagging each sentence; counts words as tokens."""

    max_input_tokens = 12

    def __init__(self, answer: Mapping[str, str] | None = None) -> None:
        self.calls: list[list[str]] = []
        self.answer = answer or {}

    def count_tokens(self, text: str) -> int:
        return words(text)

    def translate_batch(self, sentences: Sequence[str]) -> list[str]:
        self.calls.append(list(sentences))
        assert all(words(s) <= self.max_input_tokens for s in sentences)
        return [self.answer.get(s, f"<{s.upper()}>") for s in sentences]

    def settings(self) -> Mapping[str, object]:
        return {"model": "fake", "engine": "fake", "revision": "-"}


def fake_translator(engine: FakeEngine, **kwargs: object) -> ParagraphTranslator:
    return ParagraphTranslator(lambda src, tgt: engine, **kwargs)  # type: ignore[arg-type]


def test_pipeline_keeps_order_and_count_and_rejoins_split_paragraphs() -> None:
    engine = FakeEngine()
    translator = fake_translator(engine, batch_size=3)
    long = "Дуже " + " ".join(["довге"] * 40) + " речення."
    paragraphs = ["Один. Два.", "Already English text here.", long, "Три."]
    result = translator.translate_with_report(paragraphs, "uk", "en")
    assert isinstance(translator, Translator)
    assert len(result.texts) == 4
    assert result.texts[0] == "<ОДИН.> <ДВА.>"
    assert result.texts[1] == paragraphs[1]  # kept: already in the target language
    assert result.texts[3] == "<ТРИ.>"
    assert result.texts[2].replace("<", "").replace(">", "") == long.upper()
    kinds = {(i.kind, i.paragraph) for i in result.report.issues}
    assert ("split", 2) in kinds and ("already_target", 1) in kinds
    assert all(len(call) <= 3 for call in engine.calls)
    assert result.report.settings["model"] == "fake"


def test_batching_gives_the_same_text_as_one_by_one() -> None:
    paragraphs = [f"Речення номер {i}. І ще одне {i}." for i in range(7)]
    batched = fake_translator(FakeEngine(), batch_size=4).translate(paragraphs)
    single = [fake_translator(FakeEngine(), batch_size=1).translate([p])[0] for p in paragraphs]
    assert batched == single


def test_pipeline_reports_russian_empty_repetition_and_lost_numbers() -> None:
    engine = FakeEngine(
        answer={
            "The minister arrived.": "Министр прибыл.",
            "Nothing here.": "",
            "Aid came.": "допомога допомога допомога допомога допомога",
            "He saw 12 tanks.": "Він бачив танки.",
        }
    )
    translator = fake_translator(engine)
    result = translator.translate_with_report(
        ["The minister arrived.", "Nothing here.", "Aid came.", "He saw 12 tanks."], "en", "uk"
    )
    kinds = {(i.kind, i.paragraph) for i in result.report.issues}
    assert kinds == {("russian", 0), ("empty", 1), ("repetition", 2), ("numbers", 3)}


def test_pipeline_applies_the_glossary() -> None:
    engine = FakeEngine(answer={"Умєрова привітали.": "Umyerov was greeted."})
    translator = fake_translator(engine, glossary={"Умєров": "Umerov"})
    result = translator.translate_with_report(["Умєрова привітали."])
    assert result.texts == ("Umerov was greeted.",)
    assert result.report.of_kind("glossary")


def test_progress_callback_reaches_the_total() -> None:
    seen: list[tuple[int, int]] = []
    translator = fake_translator(FakeEngine(), batch_size=2)
    translator.translate_with_report(
        ["Перше. Друге. Третє.", "Четверте."], progress=lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (4, 4)


def test_translate_iter_streams_in_order() -> None:
    translator = fake_translator(FakeEngine())
    stream = (f"Абзац {i}." for i in range(5))
    assert list(translator.translate_iter(stream, chunk_size=2)) == [
        f"<АБЗАЦ {i}.>" for i in range(5)
    ]


def test_bad_direction_and_empty_input() -> None:
    translator = fake_translator(FakeEngine())
    assert translator.translate([]) == []
    assert translator.translate(["", "  "]) == ["", ""]
    with pytest.raises(ConfigError):
        translator.translate(["x"], "uk", "uk")
    with pytest.raises(ConfigError):
        translator.translate(["x"], "ru", "en")


# --- bridge and registry ---------------------------------------------------------------------


def test_bridge_never_translates_a_paragraph_twice() -> None:
    engine = FakeEngine()
    bridge = translation_bridge(fake_translator(engine))
    first = bridge(["Один.", "Два.", "Один."])
    second = bridge(["Два.", "Три."])
    assert first == ["<ОДИН.>", "<ДВА.>", "<ОДИН.>"]
    assert second == ["<ДВА.>", "<ТРИ.>"]
    translated = [s for call in engine.calls for s in call]
    assert sorted(translated) == ["Два.", "Один.", "Три."]


def test_registry_lookup() -> None:
    spec = lookup("opus-mt")
    assert spec.hub_id("uk", "en") == "Helsinki-NLP/opus-mt-uk-en"
    assert spec.hub_id("en", "uk") == "Helsinki-NLP/opus-mt-en-uk"
    assert lookup("nllb-600m").lang_code("uk") == "ukr_Cyrl"
    with pytest.raises(ModelUnavailableError, match="opus-mt, nllb-600m"):
        lookup("gpt-9")


@pytest.mark.parametrize(
    ("device", "cuda_devices", "expected"),
    [
        ("cpu", 0, "cpu"),
        ("auto", 0, "cpu"),
        ("auto", 2, "cuda"),
        ("cuda", 1, "cuda"),
        ("cuda:1", 2, "cuda:1"),
        ("cuda", 0, "sees no CUDA device; use --device cpu"),
        ("cuda:2", 2, "sees 2 CUDA device"),
        ("gpu", 1, "unknown device 'gpu'"),
        ("cuda:x", 1, "unknown device"),
    ],
)
def test_pick_device(device: str, cuda_devices: int, expected: str) -> None:
    from models.engine import pick_device

    if " " not in expected:
        assert pick_device(device, cuda_devices, "torch") == expected
    else:
        with pytest.raises(ConfigError, match=expected):
            pick_device(device, cuda_devices, "torch")
