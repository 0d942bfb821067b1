"""Every module that compares text agrees on what an apostrophe is."""

from __future__ import annotations

import pytest

from aligner.lookalikes import APOSTROPHES, fold_lookalikes, normalize_apostrophes
from aligner.names import uk_lemma_candidates
from aligner.stemming import stem_en, stem_uk, tokenize
from aligner.translit import transliterate


@pytest.mark.parametrize("mark", APOSTROPHES)
def test_each_apostrophe_means_the_same_everywhere(mark: str) -> None:
    word = f"м{mark}ясо"
    assert normalize_apostrophes(word) == fold_lookalikes(word) == "м'ясо"
    assert tokenize(f"свіже {word}.") == ["свіже", word]
    assert stem_uk(word) == stem_uk("м'ясо")
    assert transliterate(word) == "miaso"
    assert uk_lemma_candidates(f"Мар{mark}яною")[0] == "Мар'яна"
    assert stem_en(f"minister{mark}s") == stem_en("minister")


def test_folding_keeps_the_length() -> None:
    text = "п’ять — 1\u202f000\u200b"
    assert fold_lookalikes(text) == "п'ять - 1\u00a0000 "
    assert len(fold_lookalikes(text)) == len(text)


def test_texts_without_a_changed_character_skip_the_translation() -> None:
    """normalize_apostrophes and stemming.normalize_uk translate only a text their search
    finds a character in: every character the tables change must be found."""
    from aligner.lookalikes import _APOSTROPHE_TABLE, _NEEDS_APOSTROPHE
    from aligner.stemming import _UK_NORMAL, _UK_NORMAL_CHANGES, normalize_uk

    for table, search in ((_APOSTROPHE_TABLE, _NEEDS_APOSTROPHE), (_UK_NORMAL, _UK_NORMAL_CHANGES)):
        changed = [chr(k) for k, v in table.items() if v != chr(k)]
        assert changed and all(search.search(c) for c in changed)
    assert normalize_uk("Ґалаґан’ські\u0301") == "галаган'ські"
    assert normalize_apostrophes("Зеленський") == "Зеленський"
