"""Sentence splitting and sentence alignment inside paragraph beads (aligner.sentences), and
the sentence units of the bitext."""

from __future__ import annotations

import pytest

from aligner.alignment import Alignment, Bead
from aligner.document import Article
from aligner.sentences import (
    align_bead_sentences,
    align_sentences,
    sentence_numbers,
    sentence_spans,
    split_sentences,
)
from mistok.pipeline.stages import bitext_rows
from mistok.run_records import AlignedPair, ArticlePair, PairLink


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Президент В. Зеленський прибув до м. Києва. Він зустрівся з міністром.",
            "uk",
            ["Президент В. Зеленський прибув до м. Києва.", "Він зустрівся з міністром."],
        ),
        (
            "Mr. Smith met Dr. Jones on Oct. 2, 1968. U.S. troops left.",
            "en",
            ["Mr. Smith met Dr. Jones on Oct. 2, 1968.", "U.S. troops left."],
        ),
        (
            "Дякую, мені вже краще🙏🏻 Завтра поїду до лікаря :) Ну що ж",
            "uk",
            ["Дякую, мені вже краще🙏🏻", "Завтра поїду до лікаря :)", "Ну що ж"],
        ),
        (
            "You need two documents: • a passport • a residence permit",
            "en",
            ["You need two documents:", "• a passport", "• a residence permit"],
        ),
        ("He said (and Dad agreed) That was it.", "en", ["He said (and Dad agreed) That was it."]),
    ],
)
def test_split_sentences(text, lang, expected):
    assert split_sentences(text, lang) == expected


def test_spans_point_into_the_paragraph_and_skip_only_whitespace():
    text = "  Перше речення.   Друге речення!  «Третє?» "
    spans = sentence_spans(text, "uk")
    assert [text[a:b] for a, b in spans] == ["Перше речення.", "Друге речення!", "«Третє?»"]
    outside = list(text)
    for a, b in spans:
        outside[a:b] = [""] * (b - a)
    assert "".join(outside).isspace()  # nothing but whitespace is left out


def test_one_sentence_split_in_two_is_a_1_2_bead():
    uk = [
        "Умєров прибув до Сеула 5 листопада, де зустрівся з міністром оборони Кім Йон Хьоном.",
        "Сторони обговорили постачання 155-мм снарядів.",
    ]
    en = [
        "Umerov arrived in Seoul on November 5.",
        "There he met Defense Minister Kim Yong-hyun.",
        "The sides discussed supplies of 155-mm shells.",
    ]
    alignment = align_sentences(uk, en)
    assert alignment.as_lists() == [[[0], [0, 1]], [[1], [2]]]


def test_a_sentence_without_counterpart_is_one_sided():
    uk = [
        "Київ отримав 20 нових автобусів.",
        "Про це повідомив мер міста Віталій Кличко у своєму телеграм-каналі.",
        "Ще 15 автобусів прибудуть у грудні.",
    ]
    en = ["Kyiv received 20 new buses.", "Another 15 buses will arrive in December."]
    alignment = align_sentences(uk, en)
    assert alignment.as_lists() == [[[0], [0]], [[1], []], [[2], [1]]]


def _pair() -> AlignedPair:
    uk = Article(
        "a",
        "uk",
        (
            "Умєров прибув до Сеула 5 листопада. Він провів 3 зустрічі.",
            "Цей абзац є лише українською.",
            "Делегація повернулася 7 листопада.",
        ),
    )
    en = Article(
        "b",
        "en",
        (
            "Umerov arrived in Seoul on November 5. He held 3 meetings.",
            "The delegation returned on November 7.",
        ),
    )
    beads = (Bead((0,), (0,), 0.8), Bead((1,), (), 1.0), Bead((2,), (1,), 0.7))
    return AlignedPair(ArticlePair(uk, en, PairLink("a", "b", 0.9)), Alignment(beads, 3, 2))


def test_bitext_rows_are_sentences_inside_two_sided_beads():
    rows = bitext_rows(_pair())
    assert [(r.bead, r.sentence_bead, r.uk_sentences, r.en_sentences) for r in rows] == [
        (0, 0, (0,), (0,)),
        (0, 1, (1,), (1,)),
        (2, 0, (0,), (0,)),
    ]
    assert rows[1].uk == "Він провів 3 зустрічі." and rows[1].en == "He held 3 meetings."
    assert rows[2].score == 0.7  # one sentence each side: the paragraph bead's score
    assert {r.segtype for r in rows} == {"sentence"}
    assert [r.unit_id for r in rows] == ["a__b#0.0", "a__b#0.1", "a__b#2.0"]


def test_bitext_rows_by_paragraph_on_request():
    rows = bitext_rows(_pair(), "paragraph")
    assert [(r.bead, r.segtype, r.sentence_bead) for r in rows] == [
        (0, "paragraph", None),
        (2, "paragraph", None),
    ]
    with pytest.raises(ValueError, match="unknown translation-memory unit"):
        bitext_rows(_pair(), "word")


def test_sentences_of_a_joined_bead_keep_their_paragraphs():
    uk = ["Перше. Друге.", "Третє."]
    en = ["First. Second. Third."]
    alignment = Alignment((Bead((0, 1), (0,), 0.5),), 2, 1)
    (inside,) = align_bead_sentences(uk, en, alignment)
    assert [(s.paragraph, s.text) for s in inside.uk] == [
        (0, "Перше."),
        (0, "Друге."),
        (1, "Третє."),
    ]
    assert sentence_numbers(inside.uk) == [0, 1, 0]
    assert {i for b in inside.beads for i in b.uk} == {0, 1, 2}  # every sentence, once


_SPLITTER_CASES = [
    "Умєров прибув до Сеула",
    "Умєров прибув до Сеула.",
    "Він сказав: «Так».",
    'He said "go."',
    "Who? Nobody.",
    "Рік 2020 — найважчий!»",
    "Мета:\nперемога",
    "Hi.)",
    "...",
    "a{0>b",
    "The U.S. team won",
    "Слово… Ще",
    "Він прийшов 🙂 Потім пішов",
]


@pytest.mark.parametrize("text", _SPLITTER_CASES)
@pytest.mark.parametrize("lang", ["uk", "en"])
def test_one_sentence_texts_skip_the_rule_engine_with_the_same_spans(
    text: str, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import aligner.sentences as sentences

    fast = sentences._sentence_spans(text, lang, True)
    monkeypatch.setattr(sentences, "_one_sentence", lambda _text: False)
    assert fast == sentences._sentence_spans(text, lang, True)
