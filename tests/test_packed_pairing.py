"""The pairing stages of ``mistok run`` as the local engine runs them (issue 16): partitions
sent with their articles packed, and the merge made in a worker, give what pairing the
articles themselves gives."""

from __future__ import annotations

import json
import pickle
from dataclasses import replace

from test_pairing_partitions import SETTINGS, _pair, _result, dated_archive

from aligner.pairing_partitions import pair_partition, plan_partitions
from mistok.article_store import ArticleStore, StoredArticle, StoredArticles
from mistok.pipeline.stages import (
    PackedPartition,
    PairingToMerge,
    encode_cached,
    merge_packed_pairing,
    merge_pairing,
    pair_packed_partition,
)


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
