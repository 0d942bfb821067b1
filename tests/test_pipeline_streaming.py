"""The driver keeps per-pair results out of memory: the result spool, report.json written pair
by pair (the bytes of the one-document serialisation), the dataset key over streamed rows."""

from __future__ import annotations

import json
import pickle

import pytest

from mistok.output_dir import content_key, content_key_of_items
from mistok.pipeline.indented_json import indented_json
from mistok.pipeline.report import (
    _json,
    pair_entry_json,
    pairs_json_end,
    report_json_chunks,
)
from mistok.pipeline.state import ResultSpool


def test_the_spool_gives_results_back_in_pair_order_whatever_the_arrival(tmp_path):
    spool: ResultSpool[dict] = ResultSpool(tmp_path / "cache")
    for number in (2, 0, 3, 1):  # as a pool returns them
        spool.put(number, {"pair": number, "text": "ї" * number})
    assert len(spool) == 4 and 3 in spool and 4 not in spool
    assert [item["pair"] for item in spool] == [0, 1, 2, 3]
    assert [item["pair"] for item in spool] == [0, 1, 2, 3]  # read again, as the writers do
    assert spool.get(2) == {"pair": 2, "text": "її"}
    spool.put(1, {"pair": 1, "text": "again"})  # a result put twice: the last one counts, once
    assert len(spool) == 4 and spool.get(1)["text"] == "again"
    with pytest.raises(KeyError):
        spool.get(7)
    spool.close()
    assert list((tmp_path / "cache").iterdir()) == []  # an anonymous file: nothing left behind


HEAD = {
    "tool": {"name": "mistok", "version": "1"},
    "complete": True,
    "notes": ["a note with \"quotes\" and a\nnewline", "Київ"],
    "scores": None,
    "translation": {"drafts": [], "message": None},
    "zzz": {"nested": [1, 2.5, None]},
}


@pytest.mark.parametrize(
    "pairs",
    [
        [],
        [{"pair": "a__b", "findings": [], "counts": {"error": 0}}],
        [
            {"pair": "a__b", "findings": [{"id": "x", "message": "«Київ»\n"}], "scores": None},
            {"pair": "c__d", "findings": None, "signals": {"title": 0.5}, "counts": {}},
        ],
    ],
)
def test_report_json_written_pair_by_pair_is_the_whole_document(pairs):
    # as the write step joins them: the frame, each entry's text (made where its pair was
    # checked), the end of the list
    before, after = report_json_frame(HEAD)
    texts = [indented_json(p, level=2) for p in pairs]
    entries = [pair_entry_json(text, first=i == 0) for i, text in enumerate(texts)]
    streamed = b"".join([before, *entries, pairs_json_end(len(pairs)), after]).decode("utf-8")
    assert streamed == _json({**HEAD, "pairs": pairs})
    assert json.loads(streamed)["pairs"] == pairs


def test_the_dataset_key_over_streamed_rows_is_the_key_of_the_list():
    rows = [{"uk": "Київ", "en": "Kyiv", "score": 0.5, "sentence_bead": None}, {"b": [1, 2]}]
    for items in ([], rows[:1], rows):
        expected = content_key("dataset", "1.2", items)
        assert content_key_of_items(("dataset", "1.2"), iter(items)) == expected


def test_a_result_pickled_in_a_worker_reads_back_as_one_put_here(tmp_path):
    spool: ResultSpool[dict] = ResultSpool(tmp_path / "cache")
    spool.put(0, {"pair": 0})
    spool.put_pickled(1, pickle.dumps({"pair": 1, "text": "Київ"}))
    assert list(spool) == [{"pair": 0}, {"pair": 1, "text": "Київ"}]
    spool.close()


def test_report_html_written_piece_by_piece_is_the_whole_page():
    from mistok.pipeline.report import index_html, index_html_chunks

    head = {
        "tool": {"version": "1"},
        "counts": {"pairs": 3, "bitext_rows": 5, "uk_articles": 3, "en_articles": 3},
        "findings": {"error": 1, "warning": 1, "note": 0},
        "scores": None,
        "translation": {"drafts": [], "needs_translation": []},
        "pairing": {"unpaired_uk": [], "unpaired_en": []},
    }
    summaries = [
        {
            "pair": f"p{n}",
            "uk": "u",
            "en": "e",
            "counts": counts,
            "confidence": 0.5,
            "one_sided_paragraphs": 0,
            "review": f"pairs/p{n}.html",
            "alignment": f"alignments/p{n}.json",
            "scores": None,
        }
        for n, counts in enumerate([None, {"warning": 1}, {"error": 1}])
    ]
    order = sorted(severity_order(s["counts"], n) for n, s in enumerate(summaries))
    assert [place[-1] for place in order] == [2, 1, 0]  # errors first, then warnings
    streamed = "".join(index_html_chunks(head, (summaries[p[-1]] for p in order)))
    assert streamed == index_html(head, summaries)
    assert streamed.index("p2") < streamed.index("p1") < streamed.index("p0")


def test_severity_order_in_arrays_is_the_order_of_the_sorted_keys():
    from mistok.pipeline.report import SeverityOrder

    counts = [None, {"note": 2}, {"error": 1, "note": 1}, {}, {"warning": 3}, {"error": 1}]
    counts += [{"note": 2}, {"error": 1, "warning": 0, "note": 1}]
    order = SeverityOrder()
    for item in counts:
        order.add(item)
    expected = [key[-1] for key in sorted(severity_order(c, n) for n, c in enumerate(counts))]
    assert list(order.numbers()) == expected == [2, 7, 5, 4, 1, 6, 0, 3]
    assert list(SeverityOrder().numbers()) == []


def test_scores_pooled_as_they_come_are_the_pooled_scores():
    from eval.consistency_score import ComponentScore, ConsistencyScore
    from mistok.pipeline.report import ScorePool, pooled_score

    def score(**components: tuple[float, float]) -> ConsistencyScore:
        parts = {n: ComponentScore(n, m, t, f"{n} unit") for n, (m, t) in components.items()}
        return ConsistencyScore("pair", "p", parts, "sig")

    scores = [  # fractions whose float sum depends on the order of the additions
        score(names=(0.1, 0.3), numbers=(2.0, 3.0)),
        score(numbers=(0.7, 1.1), coverage=(10.0, 12.0)),
        score(names=(0.2, 0.7)),
    ]
    pool = ScorePool()
    for item in [None, *scores, None]:
        pool.add(item)
    table = {"weights": {"names": 1, "numbers": 2}}
    assert pool.pooled(table) == pooled_score(scores, table)
    assert pool.pooled() == pooled_score(scores)
    assert pool.pooled()["components"]["names"]["detail"] == {"pooled_from": 2}
    assert ScorePool().pooled() is None and pooled_score([]) is None


def test_pooled_scores_spilled_to_a_file_are_summed_in_the_order_added(tmp_path, monkeypatch):
    from eval.consistency_score import ComponentScore, ConsistencyScore
    from mistok.pipeline.report import ScorePool, SpilledFloats, pooled_score

    monkeypatch.setattr(SpilledFloats, "CHUNK", 2)  # most values wait in the file
    values = [0.1, 1e16, 0.3, -1e16, 0.7, 2.5, 1.1]  # a sum whose bits depend on the order
    scores = [
        ConsistencyScore("pair", "p", {"names": ComponentScore("names", v, 1.0, "u")}, "sig")
        for v in values
    ]
    column = SpilledFloats(tmp_path)
    for value in values:
        column.append(value)
    assert list(column) == values and len(column) == len(values)
    assert list(tmp_path.iterdir()) == []  # an anonymous file: nothing left behind
    pool = ScorePool(tmp_path)
    for item in scores:
        pool.add(item)
    assert pool.pooled() == pooled_score(scores)
    pool.close()


def test_the_tsv_files_written_in_blocks_are_the_whole_texts():
    from types import SimpleNamespace

    from mistok.archive import skipped_comment_block
    from mistok.pipeline.writers import _line_blocks, _pairs_tsv, _pending_tsv
    from mistok.run_records import Pairing, PairLink, TranslationRequest

    links = tuple(PairLink(f"u{n}", f"e{n}", 0.9) for n in range(5))
    pairing = Pairing(links, ("u9", "ї"), ("e9",), "sig")
    skipped = (("a/b.html", "no  text\nat all"),)
    state = SimpleNamespace(pairing=pairing, archive=SimpleNamespace(skipped=skipped))
    rows = "".join(f"u{n}\te{n}\n" for n in range(5))
    expected = "uk\ten\n" + rows + "u9\t-\nї\t-\n-\te9\n" + skipped_comment_block(skipped)
    assert b"".join(_pairs_tsv(state)).decode("utf-8") == expected  # type: ignore[arg-type]
    assert b"".join(_line_blocks(["a", "b", "c"], size=2)) == b"a\nb\nc\n"
    pending = [
        TranslationRequest("u1", "uk", "en", (1, 3), ("x", "y"), "p1"),
        TranslationRequest("e9", "en", "uk", (0,), ("z",), None),
    ]
    assert b"".join(_pending_tsv(pending)) == (
        b"kind\tarticle\tsrc\ttgt\tparagraphs\tpair\n"
        b"paragraphs\tu1\tuk\ten\t1,3\tp1\narticle\te9\ten\tuk\t0\t-\n"
    )
    assert b"".join(_pending_tsv([])) == b"kind\tarticle\tsrc\ttgt\tparagraphs\tpair\n"


def test_lists_of_the_head_written_item_by_item_are_the_whole_document():
    from mistok.pipeline.report import StreamedList, index_html, index_html_chunks

    needs = [{"article": "a", "paragraphs": [1, 2], "pair": None}, {"article": "«б»\n"}]
    plain = {
        **HEAD,
        "pairing": {"signature": "s", "unpaired_uk": ["u1", "u2"], "unpaired_en": []},
        "translation": {"drafts": [], "message": None, "needs_translation": needs},
        "counts": {"pairs": 0, "bitext_rows": 0, "uk_articles": 2, "en_articles": 0},
        "findings": {"error": 0, "warning": 0, "note": 0},
        "skipped_files": [{"path": "x", "reason": "empty"}],
    }
    streamed = {
        **plain,
        "pairing": {
            "signature": "s",
            "unpaired_uk": StreamedList.of(("u1", "u2")),
            "unpaired_en": StreamedList.of(()),
        },
        "translation": {
            "drafts": StreamedList.of([]),
            "message": None,
            "needs_translation": StreamedList(lambda: iter(needs), len(needs)),
        },
        "skipped_files": StreamedList.of(plain["skipped_files"]),
    }
    before, after = report_json_frame(streamed)
    text = (before + pairs_json_end(0) + after).decode("utf-8")
    assert text == _json({**plain, "pairs": []})
    assert "".join(index_html_chunks(streamed, iter([]))) == index_html(plain, [])
    assert "u2" in index_html(plain, []) and "«б»" in text


def report_json_frame(head):
    """report.json before its list of pairs, and after it, as two strings of bytes."""
    before, after = report_json_chunks(head)
    return b"".join(before), b"".join(after)


def severity_order(counts, number):
    """The key report.html's rows are sorted by (errors, then warnings, then notes, most
    first; else pair order), one tuple per pair: what SeverityOrder does in arrays."""
    counts = counts or {}
    return (-counts.get("error", 0), -counts.get("warning", 0), -counts.get("note", 0), number)
