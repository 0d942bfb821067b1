"""Article pairing on small crafted archives, and its parts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from fixtures_pairing import EN, UK

from aligner.assignment import competitive_linking
from aligner.association import learn_associations
from aligner.candidates import CandidateSettings, propose_candidates
from aligner.document import Article
from aligner.errors import InputError
from aligner.pair_scoring import paragraph_agreement
from aligner.pairing import PairingSettings, pair_articles
from aligner.profile import ProfileBuilder, skeleton

GOLD = {("umerov", "a1"), ("strike", "b2"), ("strike-update", "c3")}


def _articles(texts: dict[str, tuple[str, ...]], lang: str, **fields) -> list[Article]:
    return [Article(id=key, lang=lang, paragraphs=paras, **fields) for key, paras in texts.items()]


def test_pairs_clear_pairs_and_lists_articles_without_counterpart() -> None:
    result = pair_articles(_articles(UK, "uk"), _articles(EN, "en"))
    assert {(p.uk, p.en) for p in result.pairs} == GOLD
    assert result.unpaired_uk == ("library",)
    assert result.unpaired_en == ("d4",)


def test_follow_ups_on_one_event_are_told_apart_by_their_numbers() -> None:
    uk = {k: UK[k] for k in ("strike", "strike-update")}
    en = {k: EN[k] for k in ("b2", "c3")}
    result = pair_articles(_articles(uk, "uk"), _articles(en, "en"))
    assert {(p.uk, p.en) for p in result.pairs} == {("strike", "b2"), ("strike-update", "c3")}
    by_uk = {p.uk: p for p in result.pairs}
    assert by_uk["strike"].signals["numbers"] > 0.5


def test_articles_without_names_or_numbers_pair_through_the_lexicon() -> None:
    uk = {
        "taxes": (
            "Уряд вирішив підвищити податки для великих компаній з наступного року.",
            "Опозиція критикує це рішення.",
        ),
        "schools": ("Вчителі в школах отримають нові підручники восени.",),
    }
    en = {
        "e1": ("Teachers in schools will receive new textbooks in autumn.",),
        "e2": (
            "The government decided to raise taxes for large companies from next year.",
            "The opposition criticises this decision.",
        ),
    }
    result = pair_articles(_articles(uk, "uk"), _articles(en, "en"))
    assert {(p.uk, p.en) for p in result.pairs} == {("taxes", "e2"), ("schools", "e1")}
    assert all(p.signals["concepts"] > 0.5 for p in result.pairs)


def test_each_pair_has_a_confidence_signals_and_the_result_a_signature() -> None:
    result = pair_articles(_articles(UK, "uk"), _articles(EN, "en"))
    for pair in result.pairs:
        assert 0.5 <= pair.confidence <= 1.0
        assert {"cognates", "names", "numbers", "length", "paragraphs", "score"} <= set(
            pair.signals
        )
    assert result.signature.startswith("pair|mode:anchors")
    assert "version:" in result.signature


def test_bridge_as_mapping_and_as_callable() -> None:
    english_of = {"umerov": EN["a1"], "strike": EN["b2"], "strike-update": EN["c3"]}
    english_of["library"] = ("A new children's library opened in Lviv.",)
    uk, en = _articles(UK, "uk"), _articles(EN, "en")
    mapping = {key: "\n\n".join(paras) for key, paras in english_of.items()}
    by_mapping = pair_articles(uk, en, bridge=mapping)
    assert {(p.uk, p.en) for p in by_mapping.pairs} == GOLD
    assert by_mapping.signature.startswith("pair|mode:bridge")
    assert all("bridge" in p.signals for p in by_mapping.pairs)

    lookup = {u: e for key in UK for u, e in zip(UK[key], english_of[key] * 2, strict=False)}
    seen: list[str] = []

    def translate(paragraphs):
        seen.extend(paragraphs)
        return [lookup.get(p, "") for p in paragraphs]

    by_callable = pair_articles(uk, en, bridge=translate)
    assert {(p.uk, p.en) for p in by_callable.pairs} == GOLD
    assert len(seen) == sum(len(paras) for paras in UK.values())


def test_a_bridge_keyed_by_other_ids_warns_and_pairs_by_anchors() -> None:
    bridge = {f"{key}.uk.txt": "\n\n".join(paras) for key, paras in EN.items()}
    with pytest.warns(UserWarning, match="no translation for 4 of 4 Ukrainian articles"):
        result = pair_articles(_articles(UK, "uk"), _articles(EN, "en"), bridge=bridge)
    assert result.signature.startswith("pair|mode:anchors")
    assert {(p.uk, p.en) for p in result.pairs} == GOLD


def test_a_bridge_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(InputError, match="returned 1 texts"):
        pair_articles(_articles(UK, "uk"), _articles(EN, "en"), bridge=lambda texts: ["x"])


def test_the_date_window_keeps_distant_versions_apart() -> None:
    day = dt.date(2024, 5, 1)
    uk = _articles({"umerov": UK["umerov"]}, "uk", date=day)
    near = _articles({"a1": EN["a1"]}, "en", date=day + dt.timedelta(days=1))
    far = _articles({"a1": EN["a1"]}, "en", date=day + dt.timedelta(days=60))
    assert [(p.uk, p.en) for p in pair_articles(uk, near).pairs] == [("umerov", "a1")]
    result = pair_articles(uk, far)
    assert result.pairs == ()
    assert result.unpaired_uk == ("umerov",) and result.unpaired_en == ("a1",)


def test_an_empty_side_leaves_everything_unpaired() -> None:
    result = pair_articles(_articles(UK, "uk"), [])
    assert result.pairs == ()
    assert result.unpaired_uk == tuple(sorted(UK))


def test_an_article_in_the_wrong_list_or_a_duplicate_id_is_refused() -> None:
    with pytest.raises(InputError, match="'a1'.*given as 'uk'"):
        pair_articles(_articles(EN, "en"), _articles(EN, "en"))
    twice = _articles(UK, "uk") + _articles({"umerov": UK["strike"]}, "uk")
    with pytest.raises(InputError, match="'umerov'"):
        pair_articles(twice, _articles(EN, "en"))


@pytest.mark.parametrize(
    ("ukrainian", "english"),
    [("президента", "president"), ("Умєрова", "umerov"), ("національної", "national"),
     ("Харкова", "kharkiv"), ("компанії", "companies")],
)  # fmt: skip
def test_cognates_share_a_skeleton(ukrainian: str, english: str) -> None:
    builder = ProfileBuilder()
    uk = builder.profile(Article("u", "uk", (ukrainian,))).cognates
    en = builder.profile(Article("e", "en", (english,))).cognates
    assert uk == en


def test_unrelated_words_do_not_share_a_skeleton() -> None:
    assert skeleton("war") != skeleton("peace")


def test_numbers_are_normalised_across_languages() -> None:
    builder = ProfileBuilder()
    uk = builder.profile(Article("u", "uk", ("Зросло на 2,5 відсотка 5 березня, до 1 000 осіб.",)))
    en = builder.profile(Article("e", "en", ("Rose by 2.5 percent on March 5, to 1,000 people.",)))
    assert len(uk.numbers) == 3
    assert sorted(uk.numbers) == sorted(en.numbers)


def test_names_are_capitalised_words_inside_a_sentence() -> None:
    profile = ProfileBuilder().profile(Article("e", "en", ("Today Olena Kovalenko spoke.",)))
    assert profile.names == (skeleton("olena"), skeleton("kovalenko"))


def test_associations_are_learned_from_confident_pairs() -> None:
    pairs = [
        ((("війн", "тривал"),), (("war", "lasted"),)),
        ((("війн", "закінч"),), (("war", "ended"),)),
        ((("мир", "закінч"),), (("peace", "ended"),)),
        ((("мир", "підпис"),), (("peace", "signed"),)),
    ]
    table = learn_associations(pairs)
    assert table.links["війн"][0][0] == "war"
    assert table.links["мир"][0][0] == "peace"
    assert "тривал" not in table.links  # seen once: no evidence
    assert table.translate(["війн", "мир"]) == {"war": 1.0, "peace": 1.0}


def test_competitive_linking_is_one_to_one_and_respects_the_threshold() -> None:
    uk = np.array([0, 0, 1, 2])
    en = np.array([0, 1, 0, 2])
    score = np.array([3.0, 2.0, 2.5, -1.0])
    accepted = competitive_linking(uk, en, score, threshold=0.0)
    assert [(int(uk[k]), int(en[k])) for k in accepted] == [(0, 0)]


def test_common_features_propose_nothing_and_candidates_stay_few() -> None:
    n = 300
    uk = [["c:common", f"n:{k}"] for k in range(n)]
    en = [["c:common", f"n:{k}"] for k in range(n)]
    no_dates = np.full(n, -1)
    settings = CandidateSettings(per_article=5, max_postings=50)
    found = propose_candidates(uk, en, no_dates, no_dates, settings)
    assert len(found) == n  # only the shared rare number proposes a pair
    assert set(zip(found.uk.tolist(), found.en.tolist(), strict=True)) == {(k, k) for k in range(n)}


@pytest.mark.parametrize(
    ("english", "low", "high"),
    [
        ((320, 215, 430, 160), 0.95, 1.0),  # the same structure
        ((320, 215, 200, 230, 160), 0.7, 0.9),  # the third paragraph split in two
        ((535, 430, 160), 0.7, 0.9),  # the first two joined
        ((320, 215, 250, 430, 160), 0.8, 0.95),  # a paragraph in English only
        ((900, 60, 60), 0.0, 0.3),  # another article
        ((60, 900, 60, 700), 0.0, 0.3),  # another article with as many paragraphs
    ],
)
def test_paragraph_structure_tolerates_split_joined_and_one_sided_paragraphs(
    english: tuple[int, ...], low: float, high: float
) -> None:
    ukrainian = (300, 200, 400, 150)
    one = np.zeros(1, dtype=np.int64)
    agreement = paragraph_agreement([ukrainian], [english], one, one, 0.055, 0.25)
    assert low <= agreement[0] <= high


def test_paragraph_structure_of_many_candidates_at_once() -> None:
    # Candidates of different grid sizes (short, long, padded) in one call give the same
    # values as one at a time.
    rng = np.random.default_rng(3)
    uk = [tuple(rng.integers(50, 800, size)) for size in (1, 3, 4, 9, 11, 23)]
    en = [tuple(rng.integers(50, 800, size)) for size in (2, 3, 5, 10, 20, 25)]
    i, j = np.repeat(np.arange(6), 6), np.tile(np.arange(6), 6)
    together = paragraph_agreement(uk, en, i, j, 0.055, 0.25)
    alone = [
        paragraph_agreement(uk, en, i[k : k + 1], j[k : k + 1], 0.055, 0.25)[0] for k in range(36)
    ]
    assert np.allclose(together, alone)
    assert ((together >= 0) & (together <= 1)).all()


def test_settings_change_the_signature() -> None:
    assert PairingSettings(threshold=0.7).signature("anchors") != PairingSettings().signature(
        "anchors"
    )
