"""The pairing stages of ``mistok run`` as the local engine runs them (issue 16): partitions
sent with their articles packed, and the merge made in a worker, give what pairing the
articles themselves gives."""

from __future__ import annotations

import json
import pickle
from dataclasses import replace
from pathlib import Path

from test_pairing_partitions import SETTINGS, _pair, _result, dated_archive

from aligner.pairing_partitions import pair_partition, plan_partitions
from mistok.article_store import ArticleStore, StoredArticle, StoredArticles
from mistok.output_files import TEMP_PREFIX
from mistok.pipeline.stages import (
    PackedPartition,
    PairingToMerge,
    encode_cached,
    merge_packed_pairing,
    merge_pairing,
    pair_packed_partition,
)
from mistok.result_cache import ResultCache
from mistok.result_spool import ResultSpool


def _ids(lang: str, ids: list[str]) -> StoredArticles:
    return StoredArticles(lang, [StoredArticle(i, lang, None, None, n) for n, i in enumerate(ids)])


def test_a_partition_sent_packed_pairs_as_the_partition_itself() -> None:
    uk, en, _ = dated_archive(120, days=200)
    partitions = plan_partitions(uk, en, settings=SETTINGS)
    assert len(partitions) > 1
    store = ArticleStore()
    kept = {(a.lang, a.id): store.keep(a) for a in (*uk, *en)}
    for partition in partitions[:2]:
        packed = PackedPartition(
            replace(partition, uk=(), en=()),
            store.pack(kept[("uk", a.id)].number for a in partition.uk),
            store.pack(kept[("en", a.id)].number for a in partition.en),
        )
        sent = pickle.loads(pickle.dumps(packed))  # as a worker gets it
        paired = pickle.loads(pair_packed_partition(sent, SETTINGS))
        assert paired == pair_partition(partition, SETTINGS) and paired.pairs
    store.close()


def test_the_merge_in_a_worker_gives_the_pairing_and_its_cache_entry() -> None:
    results = [
        _result(1, [_pair("u2", "e1", 0.95), _pair("u3", "e3", 0.80)], "anchors+association"),
        _result(0, [_pair("u1", "e1", 0.90), _pair("u0", "e0", 0.99)]),
    ]
    uk_ids, en_ids = ["u0", "u1", "u2", "u3", "u4"], ["e0", "e1", "e3", "e4"]
    pairing, notes = merge_pairing(results, uk_ids, en_ids, SETTINGS)
    merge = PairingToMerge(
        tuple(pickle.dumps(r) for r in results),
        _ids("uk", uk_ids).packed_ids(),
        _ids("en", en_ids).packed_ids(),
        ("the plan's warning", "the plan's warning"),
        SETTINGS,
    )
    merged = pickle.loads(pickle.dumps(merge_packed_pairing(pickle.loads(pickle.dumps(merge)))))
    links = [pickle.loads(blob) for blob in merged.pickled_links()]
    assert links == list(pairing.pairs) and len(links) == 3  # one contested pair dropped
    assert (merged.unpaired_uk, merged.unpaired_en) == (("u1", "u4"), ("e4",))
    assert merged.signature == pairing.signature
    assert merged.notes == ("the plan's warning", *notes)
    entry = {"pairing": pairing.to_dict(), "notes": list(merged.notes)}
    assert merged.cached == encode_cached(entry) and json.loads(merged.cached) == entry


def test_partitions_read_from_the_shared_store_and_left_in_files_pair_the_same(tmp_path) -> None:
    uk, en, _ = dated_archive(120, days=200)
    partitions = plan_partitions(uk, en, settings=SETTINGS)
    store = ArticleStore()  # anonymous until shared
    kept = {(a.lang, a.id): store.keep(a) for a in (*uk, *en)}
    store.share(tmp_path / "cache")
    (named,) = list((tmp_path / "cache").iterdir())
    assert named.name.startswith(TEMP_PREFIX)
    for partition in partitions[:2]:
        packed = PackedPartition(
            replace(partition, uk=(), en=()),
            store.places(kept[("uk", a.id)].number for a in partition.uk),
            store.places(kept[("en", a.id)].number for a in partition.en),
            results_folder=str(tmp_path / "cache"),
        )
        sent = pickle.loads(pickle.dumps(packed))  # as a worker gets it: names and places
        assert len(pickle.dumps(packed)) < 20_000
        left = pair_packed_partition(sent, SETTINGS)
        assert isinstance(left, str) and Path(left).parent == tmp_path / "cache"
        paired = pickle.loads(Path(left).read_bytes())
        assert paired == pair_partition(partition, SETTINGS) and paired.pairs
        Path(left).unlink()
    store.close()
    assert list((tmp_path / "cache").iterdir()) == []  # the shared store's file is gone too


def test_the_merge_left_in_files_is_the_merge_sent_back(tmp_path) -> None:
    results = [
        _result(1, [_pair("u2", "e1", 0.95), _pair("u3", "e3", 0.80)], "anchors+association"),
        _result(0, [_pair("u1", "e1", 0.90), _pair("u0", "e0", 0.99)]),
    ]
    uk_ids, en_ids = ["u0", "u1", "u2", "u3", "u4"], ["e0", "e1", "e3", "e4"]
    partition_file = tmp_path / f"{TEMP_PREFIX}partition"
    partition_file.write_bytes(pickle.dumps(results[0]))
    merge = PairingToMerge(
        (str(partition_file), pickle.dumps(results[1])),
        _ids("uk", uk_ids).packed_ids(),
        _ids("en", en_ids).packed_ids(),
        settings=SETTINGS,
    )
    sent_back = merge_packed_pairing(replace(merge, partitions=tuple(map(pickle.dumps, results))))
    left = merge_packed_pairing(replace(merge, results_folder=str(tmp_path)))
    assert not partition_file.exists()  # taken
    assert left.links == b"" and left.cached == "" and list(left.link_ends) == list(
        sent_back.link_ends
    )
    assert Path(left.links_file).read_bytes() == sent_back.links
    assert Path(left.cached_file).read_text(encoding="utf-8") == sent_back.cached
    spool = ResultSpool.adopt(left.links_file, left.link_ends)  # as the driver keeps them
    assert list(spool) == [pickle.loads(b) for b in sent_back.pickled_links()]
    spool.close()
    assert not Path(left.links_file).exists()
    cache = ResultCache(tmp_path / "results")
    cache.put_file("pair", "k", Path(left.cached_file))
    assert not Path(left.cached_file).exists()
    cache.close()
    assert ResultCache(tmp_path / "results").get("pair", "k") == json.loads(sent_back.cached)


def test_a_cache_entry_from_a_file_is_stored_where_blobs_are_written_whole(tmp_path, monkeypatch):
    import mistok.result_cache as result_cache

    monkeypatch.setattr(result_cache, "_writes_blobs_in_pieces", lambda db: False)  # 3.10
    entry = tmp_path / f"{TEMP_PREFIX}entry"
    entry.write_text(json.dumps({"pairing": {"pairs": []}, "notes": ["é"]}), encoding="utf-8")
    cache = ResultCache(tmp_path / "results")
    cache.put_file("pair", "k", entry)
    cache.close()
    assert not entry.exists()
    assert ResultCache(tmp_path / "results").get("pair", "k") == {
        "pairing": {"pairs": []},
        "notes": ["é"],
    }
