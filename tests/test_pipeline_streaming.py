"""The driver keeps per-pair results out of memory: the result spool, report.json written pair
by pair (the bytes of the one-document serialisation), the dataset key over streamed rows."""

from __future__ import annotations

import hashlib
import itertools
import json
import pickle
from pathlib import Path

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


def test_a_spool_past_4_gib_keeps_its_places_in_wider_integers(tmp_path, monkeypatch):
    from mistok import packed_strings

    values = [{"pair": number, "text": "Київ" * number} for number in range(6)]
    sizes = [len(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)) for value in values]
    # 4 GiB, made small: where the fourth result put (number 2) will start
    monkeypatch.setattr(packed_strings, "NARROW_END", sizes[1] + sizes[0] + sizes[4])
    spool: ResultSpool[dict] = ResultSpool(tmp_path / "cache", named=True)
    spool.put(1, values[1])
    spool.put(0, values[0])
    shares = [spool.reader()]  # results 0 and 1
    spool.put(4, values[4])
    shares.append(spool.reader([4, 0]))
    assert spool._offsets.typecode == "I"  # the file is still under the limit
    for number in (2, 5, 3):  # past the limit
        spool.put(number, values[number])
    assert spool._offsets.typecode == "q"
    assert list(spool) == values and len(spool) == 6 and 5 in spool and 6 not in spool
    assert list(shares[0]) == [values[0], values[1]]  # the readers made before
    assert list(shares[1]) == [values[4], values[0]]
    assert list(spool.reader([5, 2])) == [values[5], values[2]]
    with pytest.raises(ValueError, match="empty"):
        spool.put_pickled(6, b"")
    spool.close()


def test_a_spool_adopted_from_a_file_reads_its_results(tmp_path):
    blobs = [pickle.dumps({"pair": number, "text": "ї" * number}) for number in range(3)]
    path = tmp_path / "pairs"
    path.write_bytes(b"".join(blobs))
    ends = list(itertools.accumulate(len(blob) for blob in blobs))
    spool: ResultSpool[dict] = ResultSpool.adopt(str(path), ends)
    assert [item["pair"] for item in spool] == [0, 1, 2] and 2 in spool and 3 not in spool
    spool.put(3, {"pair": 3})
    assert spool[3] == {"pair": 3} and list(spool.reader([1]))[0]["text"] == "ї"
    spool.close()
    assert not path.exists()


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


def test_a_key_made_item_by_item_is_the_key_of_the_list_at_every_point():
    from mistok.output_dir import ItemsKey

    rows = [{"uk": "Київ", "en": "Kyiv"}, {"b": [1, 2]}, {"c": None}]
    key = ItemsKey(("dataset", "1.2"))
    assert key.hexdigest() == content_key("dataset", "1.2", [])
    for count, row in enumerate(rows, 1):
        key.add(row)
        assert key.hexdigest() == content_key("dataset", "1.2", rows[:count])
        assert key.hexdigest() == key.hexdigest()  # asking does not change it


def _bitext(pair: int) -> list:
    from mistok.run_records import BitextRow

    return [
        BitextRow(f"p{pair}", f"u{pair}", f"e{pair}", bead, (bead,), (bead,),
                  f"Київ {pair}.{bead}", f"Kyiv {pair}.{bead}", 0.9, 0.8)
        for bead in range(pair % 3)  # pair 0 has no rows
    ]  # fmt: skip


def _bitext_job(tmp_path, pairs, *, dataset_key_before=None):
    from mistok.pipeline.bitext_files import BitextJob
    from mistok.pipeline.stages import pair_bitext

    spool = ResultSpool(tmp_path / "cache", named=True)
    for number, rows in enumerate(pairs):
        spool.put(number, pair_bitext(rows, "paragraph"))
    return BitextJob(spool.reader(), str(tmp_path), "paragraph", True, dataset_key_before)


def test_the_bitext_files_and_the_dataset_key_come_from_one_pass_over_the_rows(tmp_path):
    from mistok import __version__
    from mistok.export.dataset import jsonl_text
    from mistok.export.tmx import tmx_bytes
    from mistok.pipeline.bitext_files import DATASET_KEY_PARTS, stage_bitext

    pairs = [_bitext(pair) for pair in range(5)]
    every_row = [row for rows in pairs for row in rows]
    key = content_key(*DATASET_KEY_PARTS, [row.to_dict() for row in every_row])
    # the manifest's key: the dataset is not built again, and no pass is made for it
    staged = stage_bitext(_bitext_job(tmp_path, pairs, dataset_key_before=key))
    assert (staged.dataset_key, staged.dataset) == (key, None)
    jsonl = Path(staged.jsonl.path).read_bytes()
    assert jsonl == jsonl_text(every_row).encode("utf-8")
    assert Path(staged.tmx.path).read_bytes() == tmx_bytes(every_row, __version__, "paragraph")
    assert staged.jsonl.size == len(jsonl)
    assert staged.jsonl.digest == hashlib.sha256(jsonl).hexdigest()
    staged.discard()
    assert not list(tmp_path.glob(".tmp-mistok-*"))


def test_a_bitext_job_that_fails_midway_leaves_no_temporary_file(tmp_path, monkeypatch):
    from mistok.pipeline import bitext_files

    job = _bitext_job(tmp_path, [_bitext(pair) for pair in range(5)])

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bitext_files, "stage_dataset", full_disk)  # after both files
    with pytest.raises(OSError, match="No space"):
        bitext_files.stage_bitext(job)
    assert not list(tmp_path.glob(".tmp-mistok-*"))
