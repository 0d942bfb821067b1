"""Corpus metrics: the same scores and signatures as sacrebleu's own API."""

from __future__ import annotations

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from aligner.errors import ConfigError, InputError
from eval.metrics import corpus_scores, parse_metrics, read_lines

HYP = ["The cat sat on a mat.", "Kyiv is the capital of Ukraine.", "He said nothing."]
REF = ["The cat sat on the mat.", "Kyiv is Ukraine's capital.", "He did not say anything."]


@pytest.mark.parametrize("name, metric", [("bleu", BLEU), ("chrf", CHRF), ("ter", TER)])
def test_scores_and_signatures_are_sacrebleus(name, metric):
    expected = metric().corpus_score(HYP, [REF])
    result = corpus_scores(HYP, REF, [name])[name]
    assert result.score == pytest.approx(expected.score)
    assert result.signature.startswith("nrefs:1|") and "|version:" in result.signature
    assert result.text.split(" = ")[0].endswith(result.signature)


def test_parse_metrics():
    assert parse_metrics("BLEU, chrf,bleu") == ["bleu", "chrf"]
    with pytest.raises(ConfigError, match="unknown metric 'meteor'; valid metrics: bleu, chrf"):
        parse_metrics("bleu,meteor")
    with pytest.raises(ConfigError, match="no metric"):
        parse_metrics(" , ")


def test_line_counts_must_match():
    with pytest.raises(InputError, match="3 hypothesis lines but 2 reference lines"):
        corpus_scores(HYP, REF[:2])


def test_nothing_to_score_is_an_input_error():
    with pytest.raises(InputError, match="no segments to score"):
        corpus_scores([], [], ["bleu", "chrf", "ter"])


def test_read_lines_strips_like_sacrebleu(tmp_path):
    path = tmp_path / "h.txt"
    path.write_bytes(b"one  \r\ntwo\n\nthree")
    assert read_lines(path) == ["one", "two", "", "three"]
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe")
    with pytest.raises(InputError, match="not UTF-8"):
        read_lines(bad)
