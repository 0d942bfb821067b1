"""The archive of a run read into a temporary file one article at a time (issue 16: the
driver of ``mistok run`` keeps a small stand-in per article, not the article)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pickle
from pathlib import Path

import pytest

from aligner.document import Article
from aligner.readers import iter_articles_lenient
from mistok.archive import read_archive
from mistok.article_store import ArticleStore, StoredArticle, StoredArticles
from mistok.pipeline.inputs import read_run_inputs
from mistok.run_records import article_fingerprint


def _article(article_id: str, lang: str, text: str) -> Article:
    return Article(
        id=article_id,
        lang=lang,
        paragraphs=(text, f"{text} again."),
        title=f"title {article_id}",
        date=dt.date(2024, 3, 1),
        source=Path(f"/news/{article_id}.{lang}.txt"),
    )


def test_a_stored_article_reads_back_whole_and_keeps_what_planning_needs() -> None:
    store = ArticleStore(fingerprint=lambda a: hashlib.sha256(a.id.encode()).hexdigest())
    kept = [store.keep(_article(f"a{n}", "en", f"Story {n}.")) for n in range(3)]
    assert len(store) == 3
    assert kept[1] == StoredArticle("a1", "en", dt.date(2024, 3, 1), Path("/news/a1.en.txt"), 1)
    assert store.key(kept[1]) == hashlib.sha256(b"a1").hexdigest()
    assert store.load(kept[2]) == _article("a2", "en", "Story 2.")
    assert store.load(kept[0]) == _article("a0", "en", "Story 0.")  # any order, any number
    kept.append(store.keep(_article("a3", "en", "Story 3.")))  # a key kept after one was read
    expected = [hashlib.sha256(f"a{n}".encode()).hexdigest() for n in range(4)]
    assert [store.key(k) for k in kept] == expected
    with pytest.raises(KeyError, match="without a fingerprint"):
        ArticleStore().key(kept[0])
    store.close()


def test_articles_of_one_source_file_share_one_path_object() -> None:
    store = ArticleStore()
    first, second = (
        store.keep(_article("x", "uk", "Перший.")),
        store.keep(_article("y", "uk", "Другий.")),
    )
    assert first.source is not None and first.source != second.source
    again = store.keep(
        Article(id="z", lang="uk", paragraphs=("Третій.",), source=Path("/news/x.uk.txt"))
    )
    assert again.source is first.source


def test_a_json_lines_file_is_read_one_article_at_a_time(tmp_path: Path) -> None:
    lines = [json.dumps({"id": f"e{n}", "lang": "en", "text": f"Story {n}."}) for n in (1, 2)]
    archive = tmp_path / "news.jsonl"
    archive.write_text("\n".join([lines[0], "{not json", lines[1]]) + "\n", encoding="utf-8")
    skipped: list[tuple[Path, str]] = []
    articles = iter_articles_lenient(archive, lambda p, m: skipped.append((p, m)))
    assert next(articles).id == "e1"
    assert skipped == []  # the bad line is met only when reading goes on
    assert [a.id for a in articles] == ["e2"]
    assert len(skipped) == 1 and "news.jsonl:2" in skipped[0][1]


def test_a_run_reads_the_same_archive_as_pair_with_stand_ins(tmp_path: Path) -> None:
    records = [
        {"id": "u2", "lang": "uk", "text": "Міністр Умєров прибув до Києва у вівторок."},
        {"id": "u1", "lang": "uk", "text": "Уряд ухвалив бюджет на наступний рік."},
        {"id": "u3", "lang": "uk", "text": "Уряд ухвалив бюджет на наступний рік."},  # a copy
        {"id": "e1", "lang": "en", "text": "The government passed next year's budget."},
    ]
    archive = tmp_path / "archive.jsonl"
    archive.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    whole = read_archive([archive])
    inputs = read_run_inputs([archive])
    try:
        assert [a.id for a in inputs.uk] == ["u1", "u2"] == sorted(a.id for a in whole.uk)
        assert all(isinstance(a, StoredArticle) for a in (*inputs.uk, *inputs.en))
        assert inputs.skipped == tuple((str(p), why) for p, why in whole.skipped)
        by_id = {a.id: a for a in whole.uk + whole.en}
        for stored in (*inputs.uk, *inputs.en):
            article = inputs.load(stored)
            assert article == by_id[stored.id]
            assert inputs.key(stored) == _run_key(article)
    finally:
        assert inputs.store is not None
        inputs.store.close()


def _run_key(article: Article) -> str:
    """The fingerprint a run keys an article's results by (as the run computes it)."""
    from mistok.output_dir import content_key

    return content_key(article_fingerprint(article))


def test_stand_ins_kept_in_arrays_come_back_as_they_went_in() -> None:
    articles = [
        StoredArticle("a-1", "uk", dt.date(2022, 2, 24), Path("/news/a.jsonl"), 7),
        StoredArticle("b/ü", "uk", None, None, 0),
        StoredArticle("c", "uk", dt.date(1, 1, 1), Path("/news/a.jsonl"), 3),
    ]
    kept = StoredArticles("uk", articles)
    assert len(kept) == 3 and list(kept) == articles and kept[-1] == articles[-1]
    assert list(kept.ids()) == ["a-1", "b/ü", "c"] and kept[1:] == articles[1:]
    assert kept[0].source is kept[2].source  # one Path object per source file
    packed = kept.packed_ids()
    assert pickle.loads(pickle.dumps(packed)).unpack() == ["a-1", "b/ü", "c"]
    assert StoredArticles("en").packed_ids().unpack() == []
    with pytest.raises(ValueError, match="'e' is en, not uk"):
        StoredArticles("uk", [StoredArticle("e", "en", None, None, 1)])


def test_packed_articles_unpack_in_another_process_as_the_store_loads_them() -> None:
    store = ArticleStore()
    kept = [store.keep(_article(f"a{n}", "uk", f"Новина {n}.")) for n in range(4)]
    kept.append(store.keep(Article(id="bare", lang="uk", paragraphs=("Без джерела.",))))
    chosen = [kept[3], kept[0], kept[4]]  # any of them, in any order
    packed = store.pack(a.number for a in chosen)
    sent = pickle.loads(pickle.dumps(packed))  # as a worker process gets it
    assert sent.unpack() == tuple(store.load(a) for a in chosen)
    assert store.pack([]).unpack() == ()
    store.close()


def test_a_mapped_sequence_slices_a_spool_which_takes_only_an_index(tmp_path: Path) -> None:
    from mistok.mapped_sequence import MappedSequence
    from mistok.result_spool import ResultSpool

    spool: ResultSpool[int] = ResultSpool(tmp_path)
    for number in range(5):
        spool.put(number, number * 10)
    doubled = MappedSequence(spool, lambda value: value * 2)
    assert len(doubled) == 5 and doubled[1] == 20
    assert doubled[3:10] == [60, 80]  # as the process pool takes a chunk of items
    assert list(doubled) == [0, 20, 40, 60, 80]
    with pytest.raises(IndexError):
        doubled[5]
    spool.close()


def test_a_sequential_spool_gives_its_values_back_in_order_as_often_as_asked(tmp_path) -> None:
    from mistok.result_spool import SequentialSpool

    spool: SequentialSpool[tuple[str, int]] = SequentialSpool(tmp_path / "cache")
    for number in range(3):
        spool.append((f"uk/a{number}", number))
    assert list(spool) == list(spool) == [("uk/a0", 0), ("uk/a1", 1), ("uk/a2", 2)]
    spool.append(("en/b", 9))  # after a reading: at the end still
    assert len(spool) == 4 and list(spool)[-1] == ("en/b", 9)
    assert list((tmp_path / "cache").iterdir()) == []  # an anonymous file
    spool.close()
