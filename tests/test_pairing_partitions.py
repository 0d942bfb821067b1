"""Pairing by date partitions: the plan, one partition's pairing, the merge, and agreement
with the whole-archive pairing."""

from __future__ import annotations

import datetime as dt
import pickle
import random
import warnings
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from fixtures_pairing import EN, UK

from aligner.document import Article
from aligner.errors import InputError
from aligner.pairing import PairingResult, PairingSettings, PairResult, pair_articles
from aligner.pairing_partitions import (
    PairingPartition,
    PartitionPairs,
    merge_partitions,
    pair_in_partitions,
    pair_partition,
    partition_margin_days,
    plan_partitions,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "wmt22-uk-en"
SETTINGS = PairingSettings(partition_days=90)
DAY0 = dt.date(2023, 1, 1)


def _articles(texts: dict[str, tuple[str, ...]], lang: str, **fields) -> list[Article]:
    return [Article(id=key, lang=lang, paragraphs=paras, **fields) for key, paras in texts.items()]


# A dated archive of news-like pieces, each told apart by a person (a transliterated name), a
# reporter and a figure, as bench/make_synthetic_archive.py does, but from a few sentence
# pairs of its own (no shared data needed).
_SYLLABLES = (
    ("ко", "ko"), ("ва", "va"), ("лен", "len"), ("шев", "shev"), ("чен", "chen"),
    ("ми", "my"), ("ро", "ro"), ("да", "da"), ("бор", "bor"), ("гу", "hu"), ("за", "za"),
    ("пет", "pet"), ("сав", "sav"), ("хар", "khar"), ("мар", "mar"), ("жур", "zhur"),
)  # fmt: skip
_ENDINGS = (("енко", "enko"), ("ук", "uk"), ("ич", "ych"), ("ов", "ov"), ("ець", "ets"))
_FIRST = (("Олена", "Olena"), ("Андрій", "Andrii"), ("Ірина", "Iryna"), ("Богдан", "Bohdan"),
          ("Тарас", "Taras"), ("Оксана", "Oksana"))  # fmt: skip
_SENTENCES = [(uk, en) for key_uk, key_en in zip(UK, EN, strict=False)
              for uk, en in zip(UK[key_uk], EN[key_en], strict=True)]  # fmt: skip


def _name(rng: random.Random) -> tuple[str, str]:
    parts = [rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))] + [rng.choice(_ENDINGS)]
    return "".join(p[0] for p in parts).capitalize(), "".join(p[1] for p in parts).capitalize()


@cache
def dated_archive(
    n: int, days: int, seed: int = 5
) -> tuple[tuple[Article, ...], tuple[Article, ...], frozenset[tuple[str, str]]]:
    """``n`` stories over ``days`` days; every tenth exists in one language only. The English
    version appears the same day or the next. Returns (uk, en, gold pairs)."""
    rng = random.Random(seed)
    uk, en, gold = [], [], set()
    for k in range(n):
        first_uk, first_en = rng.choice(_FIRST)
        person_uk, person_en = _name(rng)
        reporter_uk, reporter_en = _name(rng)
        figure = rng.randint(11, 99_999)
        chosen = rng.sample(_SENTENCES, 2)
        uk_paragraphs = (
            f"{first_uk} {person_uk} повідомила, що йдеться про {figure} осіб. "
            f"Кореспондент {reporter_uk} стежить за подіями.",
            *(u for u, _ in chosen),
        )
        en_paragraphs = (
            f"{first_en} {person_en} said that {figure} people are concerned. "
            f"Correspondent {reporter_en} follows the events.",
            *(e for _, e in chosen),
        )
        date = DAY0 + dt.timedelta(days=rng.randrange(days))
        uk_id, en_id = f"u{k:04d}", f"e{rng.getrandbits(32):08x}"
        alone = k % 10 == 9
        if not alone or k % 20 == 9:
            uk.append(Article(uk_id, "uk", uk_paragraphs, date=date))
        if not alone or k % 20 == 19:
            en_date = date + dt.timedelta(days=rng.randint(0, 1))
            en.append(Article(en_id, "en", en_paragraphs, date=en_date))
        if not alone:
            gold.add((uk_id, en_id))
    rng.shuffle(en)
    return tuple(uk), tuple(en), frozenset(gold)


def _owned(partitions: list[PairingPartition]) -> list[str]:
    return [a.id for p in partitions for a in p.uk if p.owns(a)]


# --- one partition is exactly pair_articles ---------------------------------------------------


def test_an_undated_archive_is_one_partition_whose_merge_equals_pair_articles() -> None:
    uk, en = _articles(UK, "uk"), _articles(EN, "en")
    partitions = plan_partitions(uk, en, settings=SETTINGS)
    assert len(partitions) == 1
    only = partitions[0]
    assert (only.start, only.end) == (None, None) and only.is_whole_archive
    assert only.uk == tuple(uk) and only.en == tuple(en)  # the caller's order kept
    merged = merge_partitions(
        [pair_partition(only, SETTINGS)], [a.id for a in uk], [a.id for a in en], SETTINGS
    )
    expected = pair_articles(uk, en, settings=SETTINGS)
    assert merged == expected
    assert [(p.uk, p.en, p.confidence, dict(p.signals)) for p in merged.pairs] == [
        (p.uk, p.en, p.confidence, dict(p.signals)) for p in expected.pairs
    ]
    assert "part:" not in merged.signature


def test_a_short_dated_archive_with_a_bridge_equals_pair_articles() -> None:
    uk, en, _ = dated_archive(120, days=60)
    bridge = {a.id: "\n\n".join(b.paragraphs) for a, b in zip(uk[:40], en[:40], strict=True)}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        partitioned = pair_in_partitions(uk, en, bridge, SETTINGS)
    with warnings.catch_warnings(record=True) as caught_whole:
        warnings.simplefilter("always")
        whole = pair_articles(uk, en, bridge, SETTINGS)
    assert partitioned == whole
    assert partitioned.signature.startswith("pair|mode:bridge")
    assert [str(w.message) for w in caught] == [str(w.message) for w in caught_whole]
    assert any("no translation for" in str(w.message) for w in caught)


def test_a_callable_bridge_is_translated_once_and_pairs_as_pair_articles_does() -> None:
    uk, en = _articles(UK, "uk"), _articles(EN, "en")
    lookup = {u: e for key_uk, key_en in zip(UK, EN, strict=False)
              for u, e in zip(UK[key_uk], EN[key_en], strict=True)}  # fmt: skip
    calls: list[int] = []

    def translate(paragraphs):
        calls.append(len(paragraphs))
        return [lookup.get(p, "text") for p in paragraphs]

    assert pair_in_partitions(uk, en, translate, SETTINGS) == pair_articles(
        uk, en, translate, SETTINGS
    )
    assert calls[0] == calls[1] == sum(len(p) for p in UK.values())
    with pytest.raises(TypeError, match="mapping"):
        plan_partitions(uk, en, translate, SETTINGS)


# --- the plan -----------------------------------------------------------------------------------


def test_one_partition_when_an_article_is_undated_the_span_is_short_or_days_is_zero() -> None:
    uk, en, _ = dated_archive(200, days=365)
    assert len(plan_partitions(uk, en, settings=SETTINGS)) > 1
    undated = [*uk[:-1], replace(uk[-1], date=None)]
    assert len(plan_partitions(undated, en, settings=SETTINGS)) == 1
    undated_en = [*en[:-1], replace(en[-1], date=None)]
    assert len(plan_partitions(uk, undated_en, settings=SETTINGS)) == 1
    assert len(plan_partitions(uk, en, settings=replace(SETTINGS, partition_days=0))) == 1
    assert len(plan_partitions(uk, en, settings=replace(SETTINGS, partition_days=366))) == 1
    short_uk, short_en, _ = dated_archive(100, days=90)  # dates span at most 90 days
    assert plan_partitions(short_uk, short_en, settings=SETTINGS)[0].is_whole_archive


def test_cores_own_every_ukrainian_article_once_and_margins_hold_the_neighbours() -> None:
    uk, en, _ = dated_archive(300, days=365)
    partitions = plan_partitions(uk, en, settings=SETTINGS)
    owned = _owned(partitions)
    assert sorted(owned) == sorted(a.id for a in uk)  # each exactly once
    margin = partition_margin_days(SETTINGS)
    assert margin == 2 * SETTINGS.candidates.date_window_days
    first = min(a.date for a in (*uk, *en))
    assert partitions[0].start == first
    for number, part in enumerate(partitions):
        assert part.number == number
        assert (part.end - part.start).days == SETTINGS.partition_days
        low = part.start - dt.timedelta(days=margin)
        high = part.end + dt.timedelta(days=margin)
        for side, articles in ((part.uk, uk), (part.en, en)):
            expected = sorted(a.id for a in articles if low <= a.date < high)
            assert [a.id for a in side] == expected  # neighbours in, sorted by id
        assert any(part.owns(a) for a in part.uk)


@pytest.mark.filterwarnings(
    "ignore::aligner.pairing.BridgeCoverageWarning"
)  # partial bridges on purpose
def test_the_plan_is_deterministic_and_drops_cores_without_ukrainian_articles() -> None:
    uk, en, _ = dated_archive(200, days=365)
    # a gap: nothing between days 100 and 300
    uk = [a for a in uk if not 100 <= (a.date - DAY0).days < 300]
    en = [a for a in en if not 100 <= (a.date - DAY0).days < 300]
    bridge = {a.id: "text" for a in uk[::3]}
    plan = plan_partitions(uk, en, bridge, SETTINGS)
    shuffled_uk, shuffled_en = list(uk), list(en)
    random.Random(1).shuffle(shuffled_uk)
    random.Random(2).shuffle(shuffled_en)
    assert plan_partitions(shuffled_uk, shuffled_en, dict(reversed(bridge.items())), SETTINGS) == (
        plan
    )
    assert [(p.start - DAY0).days for p in plan] == [0, 90, 270, 360]  # 180-270 owns nothing
    for part in plan:  # the bridge of its articles; "" (no translation) where there is none
        assert dict(part.bridge) == {a.id: bridge.get(a.id, "") for a in part.uk}


def test_the_plan_refuses_what_pair_articles_refuses() -> None:
    uk, en, _ = dated_archive(200, days=365)
    with pytest.raises(InputError, match="given as 'uk'"):
        plan_partitions([*uk, en[0]], en, settings=SETTINGS)
    with pytest.raises(InputError, match="ids must be unique"):
        plan_partitions([*uk, replace(uk[0], date=uk[-1].date)], en, settings=SETTINGS)


# --- pickling -----------------------------------------------------------------------------------


@pytest.mark.filterwarnings(
    "ignore::aligner.pairing.BridgeCoverageWarning"
)  # partial bridges on purpose
def test_partitions_and_their_pairs_pickle() -> None:
    uk, en, _ = dated_archive(200, days=365)
    bridge = {a.id: "text" for a in uk[:50]}
    plan = plan_partitions(uk, en, bridge, SETTINGS)
    assert pickle.loads(pickle.dumps(plan)) == plan
    pairs = pair_partition(plan[0], SETTINGS)
    assert pairs.pairs and pairs.stats["candidates"] > 0
    again = pickle.loads(pickle.dumps(pairs))
    assert again == pairs
    assert [dict(p.signals) for p in again.pairs] == [dict(p.signals) for p in pairs.pairs]
    with pytest.raises(TypeError):  # still read-only after the round trip
        again.stats["candidates"] = 0  # type: ignore[index]


# --- the merge ----------------------------------------------------------------------------------


def _pair(uk: str, en: str, confidence: float, score: float | None = None) -> PairResult:
    return PairResult(uk, en, confidence, {"score": confidence * 10 if score is None else score})


def _result(number: int, pairs: list[PairResult], mode: str = "anchors") -> PartitionPairs:
    return PartitionPairs(number, tuple(pairs), SETTINGS.signature(mode), (), {"candidates": 10})


def test_an_english_article_claimed_by_two_partitions_goes_to_the_more_confident_pair() -> None:
    results = [
        _result(0, [_pair("u1", "e1", 0.90), _pair("u0", "e0", 0.99)]),
        _result(1, [_pair("u2", "e1", 0.95), _pair("u3", "e3", 0.80)], "anchors+association"),
    ]
    uk_ids, en_ids = ["u0", "u1", "u2", "u3", "u4"], ["e0", "e1", "e3", "e4"]
    merged = merge_partitions(results, uk_ids, en_ids, SETTINGS)
    assert [(p.uk, p.en) for p in merged.pairs] == [("u0", "e0"), ("u2", "e1"), ("u3", "e3")]
    assert merged.unpaired_uk == ("u1", "u4") and merged.unpaired_en == ("e4",)
    assert merged.stats["contested_pairs"] == 1 and merged.stats["partitions"] == 2
    assert merge_partitions(results[::-1], uk_ids[::-1], en_ids, SETTINGS) == merged
    # the partitions' modes, sorted, and the partitioning
    assert merged.signature.startswith("pair|mode:anchors,anchors+association|")
    assert "|part:90d|" in merged.signature and "|rounds:2|" in merged.signature


def test_ties_are_broken_by_score_then_by_ids_whatever_the_order() -> None:
    tied = [
        _result(0, [_pair("u2", "e1", 0.9, score=3.0)]),
        _result(1, [_pair("u1", "e1", 0.9, score=3.0)]),
        _result(2, [_pair("u3", "e3", 0.9, score=3.0)]),
        _result(3, [_pair("u4", "e3", 0.9, score=3.1)]),
    ]
    ids = (["u1", "u2", "u3", "u4"], ["e1", "e3"])
    for order in (tied, tied[::-1], tied[1:] + tied[:1]):
        merged = merge_partitions(order, *ids, SETTINGS)
        assert [(p.uk, p.en) for p in merged.pairs] == [("u4", "e3"), ("u1", "e1")]
        assert merged.signature == SETTINGS.signature("anchors", partitioned=True)


def test_the_merge_refuses_inconsistent_results() -> None:
    ids = (["u1"], ["e1"])
    with pytest.raises(ValueError, match="same number"):
        merge_partitions([_result(0, []), _result(0, [])], *ids, SETTINGS)
    with pytest.raises(ValueError, match="not both among"):
        merge_partitions([_result(0, [_pair("u9", "e1", 0.9)])], *ids, SETTINGS)
    other = replace(SETTINGS, threshold=0.7)
    with pytest.raises(ValueError, match="other settings"):
        merge_partitions([_result(0, []), _result(1, [])], *ids, other)
    with pytest.raises(ValueError, match="no partition"):
        merge_partitions([], *ids, SETTINGS)


# --- a partitioned archive ----------------------------------------------------------------------


def test_a_partitioned_archive_pairs_what_the_whole_archive_pairs() -> None:
    uk, en, gold = dated_archive(400, days=365)
    partitions = plan_partitions(uk, en, settings=SETTINGS)
    assert len(partitions) == 5
    results = [pair_partition(p, SETTINGS) for p in partitions]
    merged = merge_partitions(results[::-1], [a.id for a in uk], [a.id for a in en], SETTINGS)
    assert merged == pair_in_partitions(uk, en, settings=SETTINGS)
    whole = pair_articles(uk, en, settings=SETTINGS)
    assert "|part:90d|" in merged.signature and "part:" not in whole.signature
    assert merged.stats["partitions"] == 5

    margin = partition_margin_days(SETTINGS)
    inside = set()  # Ukrainian articles at least a margin away from their core's edges
    for part in partitions:
        for a in part.uk:
            if part.owns(a) and part.start + dt.timedelta(days=margin) <= a.date:
                if a.date < part.end - dt.timedelta(days=margin):
                    inside.add(a.id)
    assert len(inside) > 0.8 * len(uk)
    found = {(p.uk, p.en) for p in merged.pairs}
    expected = {(p.uk, p.en) for p in whole.pairs}
    assert {p for p in found if p[0] in inside} == {p for p in expected if p[0] in inside}
    assert len(found & gold) >= 0.95 * len(gold)
    assert len(found - gold) <= 0.02 * len(found)
    assert set(merged.unpaired_uk) == {a.id for a in uk} - {u for u, _ in found}


def test_a_bridge_with_gaps_is_reported_once_for_the_whole_archive() -> None:
    uk, en, _ = dated_archive(200, days=365)
    bridge = {"not-an-article": "text"}  # keyed by other ids: every partition misses all
    with pytest.warns(UserWarning, match="no translation"):
        assert len(plan_partitions(uk, en, bridge, SETTINGS)) > 1
    with pytest.warns(UserWarning, match="no translation") as caught:
        result = pair_in_partitions(uk, en, bridge, SETTINGS)
    messages = [str(w.message) for w in caught if "no translation" in str(w.message)]
    assert messages == [f"the bridge has no translation for {len(uk)} of {len(uk)} Ukrainian "
                        f"articles (first: {uk[0].id!r}); they are paired without it"]  # fmt: skip
    assert result.signature.startswith("pair|mode:anchors")


def test_warnings_of_the_partitions_are_raised_again_once_each(monkeypatch) -> None:
    import aligner.pairing_partitions as module

    def pair_with_warnings(partition, settings):
        found = pair_partition(partition, settings)
        return replace(found, warnings=("the same", f"partition {partition.number}"))

    monkeypatch.setattr(module, "pair_partition", pair_with_warnings)
    uk, en, _ = dated_archive(200, days=365)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module.pair_in_partitions(uk, en, settings=SETTINGS)
    messages = [str(w.message) for w in caught]
    assert messages == ["the same", *(f"partition {k}" for k in range(5))]


@pytest.mark.skipif(not DATA.is_dir(), reason=f"shared data not found at {DATA}")
@pytest.mark.shared
def test_the_pairing_split_is_one_partition() -> None:
    # The development archives are undated (or span days): pair_in_partitions is pair_articles.
    from aligner.readers import read_articles

    folder = DATA / "pair-hard"
    uk, en = read_articles(folder / "uk", "uk"), read_articles(folder / "en", "en")
    assert len(plan_partitions(uk, en)) == 1
    assert pair_in_partitions(uk, en) == pair_articles(uk, en)


def test_merge_of_one_partition_keeps_a_result_type() -> None:
    merged = merge_partitions([_result(3, [_pair("u1", "e1", 0.9)])], ["u1"], ["e1"], SETTINGS)
    assert isinstance(merged, PairingResult)
    assert merged.signature == SETTINGS.signature("anchors")
