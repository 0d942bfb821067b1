"""aligner.srx_rules walks LanguageTool's SRX rules as choppa's SrxTextIterator does: the same
segments, checked against the iterator (English) and tokenize-uk (Ukrainian) itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from choppa import SrxTextIterator
from hypothesis import given, settings
from hypothesis import strategies as st
from tokenize_uk import tokenize_sents_with_spans

from aligner.sentences import sentence_spans
from aligner.srx_rules import break_rules, srx_document, srx_segments

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def _choppa(text: str, lang: str) -> list[str]:
    return list(SrxTextIterator(srx_document(), f"{lang}_two", text))


def _tokenize_uk_spans(text: str) -> list[tuple[int, int]]:
    return [(a, b) for _s, a, b in tokenize_sents_with_spans(text)]


_CASES = [
    "Президент В. Зеленський прибув до м. Києва. Він зустрівся з міністром.",
    "Mr. Smith met Dr. Jones on Oct. 2, 1968. U.S. troops left.",
    "Ціна — 3.5 млн грн. Ще 2,5 млн… Хто? Ніхто!» Далі:\nновий рядок\n\nабзац",
    "He said: “Go.” Then... she left?! (Really.) [Yes.] e.g. this i.e. that etc. End",
    "т. зв. «реформа» вул. Хрещатик, буд. 1. проф. Петренко та ін. Кінець.",
    "a{0>b<0}c. D",
    "<0}Почав. <0}Далі<0}. Кінець<0}",  # the rule with an empty before pattern breaks at <0}
    "",
    " ",
    "...",
    "Hi.)",
]


@pytest.mark.parametrize("text", _CASES)
@pytest.mark.parametrize("lang", ["uk", "en"])
def test_segments_are_the_iterators(text: str, lang: str) -> None:
    assert srx_segments(text, break_rules(f"{lang}_two")) == _choppa(text, lang)


_PUNCTUATION = list(".!?…;:,\"«»“”()[]{}<> \n\t-–—•😀") + ["Mr.", "Dr.", "вул.", "т.", "U.S.", ":)"]
_PUNCTUATION += ["<0}", "{0>"]  # the markers of the rules with an empty before or after
_WORDS = ["Умєров", "прибув", "Kyiv", "the", "Він", "A", "3", "2024", "млн", "грн", "Oct"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PUNCTUATION + _WORDS), max_size=30), st.sampled_from(["uk", "en"]))
def test_random_texts_give_the_iterators_segments(pieces: list[str], lang: str) -> None:
    text = "".join(pieces)
    assert srx_segments(text, break_rules(f"{lang}_two")) == _choppa(text, lang)


@pytest.mark.parametrize("text", _CASES)
def test_ukrainian_spans_are_tokenize_uks(text: str) -> None:
    # sentence_spans adds its own breaks after emoji and before bullets (social=True)
    assert sentence_spans(text, "uk", social=False) == _tokenize_uk_spans(text)


@pytest.mark.shared
@pytest.mark.parametrize("name", ["wmt22-uk-en", "ntrex-en-uk"])
def test_every_paragraph_of_the_dev_sets_splits_as_before(name: str) -> None:
    folder = SHARED / name / "align"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found: the shared data is not part of the project")
    checked = 0
    for path in sorted(folder.glob("*.txt")):
        lang = "uk" if path.name.endswith(".uk.txt") else "en"
        text = path.read_text(encoding="utf-8")
        for piece in [text, *text.split("\n\n")]:
            assert srx_segments(piece, break_rules(f"{lang}_two")) == _choppa(piece, lang), (
                path.name
            )
            checked += 1
    assert checked > 500  # 973 and more texts, whole files and their paragraphs
