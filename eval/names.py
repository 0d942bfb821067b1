"""Name checks: spelling variants of one name inside an article or across an archive, and
Ukrainian names without a plausible English rendering in the aligned paragraph.

**Variants.** Name mentions of the English texts are split into a surname part (or the whole
name of a place or institution) and a given-name part. Surname parts whose keys meet
(:func:`aligner.names.en_name_keys`: *Umerov*/*Umyerov*, *Bucha*/*Buchi*) or that the press
table lists for one entity (*Kiev*/*Kyiv*, *Kharkov*/*Kharkiv*) form one entity; more than one
spelling of it is a finding. Given names are separate entities per person: two spellings of a
given name are compared only when they belong to one person — the same surname entity
(*Olga Sukhenko* / *Olha Sukhenko*), or, for a given name that stands alone, the same article
(*Olha … Olga*). *Vladimir Putin* beside *Volodymyr Zelenskyy* is two people, not a variant.

How a multiword name is split: leading known given names (the press table's
``given_names``) are the given part; otherwise, when the last word also occurs alone in the
same article (*Rustem Umyerov* … *Umerov*), it is the surname; when the first word does
(*Yoon Suk Yeol* … *Yoon's office*), it is (East Asian order); otherwise the whole name is
one entity (*Kim Yong-hyun*, *Karlovy Vary*).

**Rendering** (pair scope). Every name in a Ukrainian paragraph, in any case (*Умєрова*,
*Києві*), must appear in the aligned English paragraph(s) under one of its keys
(:func:`aligner.names.uk_name_keys`: transliterations of its lemma candidates, press forms)
or its house-style spelling.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from operator import attrgetter

from rapidfuzz.distance import Levenshtein

from aligner.document import Article
from aligner.lexicon import load_lexicon
from aligner.morphology import is_common_word, is_function_word
from aligner.names import (
    Exonyms,
    NameMention,
    PressNames,
    en_name_key,
    en_name_keys,
    extract_names,
    load_exonyms,
    load_press_names,
    lowercase_vocabulary,
    ranked_uk_lemmas,
    uk_lemma_candidates,
    uk_name_keys,
)
from aligner.translit import (
    TRANSLIT_VERSION,
    en_sound_key,
    en_sound_keys,
    phonetic_key,
    transliterate,
    transliteration_variants,
    uk_sound_key,
)
from eval.base import Check, Finding, Location, PairContext, Severity, register_check
from eval.confidence import severity_for
from eval.style import Style, resolve_style

__all__ = [
    "MissingName",
    "NameVariantsCheck",
    "VariantGroup",
    "find_missing_names",
    "find_name_variants",
]


@dataclass(frozen=True)
class VariantGroup:
    """Spellings of one name. ``kind`` is ``"name"`` (a surname, place or institution),
    ``"given_name"`` (the given name of one person) or ``"typographic"`` (spellings that differ
    only in diacritics, apostrophes, hyphens or spaces: *Sánchez*/*Sanchez*, *Qur'an*/*Quran*;
    reported as a note) or ``"forms"`` (one entity's English forms, *Olympics*/*Olympic*: no
    variants; only ``find_name_variants(..., include_consistent=True)`` gives these, for the
    consistency score). ``spellings`` counts the spellings of the
    part that varies; ``forms`` counts the full mentions as written; ``suggestion`` is the
    house-style form when the style knows the name, else the most frequent spelling."""

    kind: str
    spellings: tuple[tuple[str, int], ...]
    forms: tuple[tuple[str, int], ...]
    locations: tuple[Location, ...]
    suggestion: str
    person: str | None = None
    from_style: bool = False
    suggestion_from: str = "most frequent"
    confidence: float = 0.9
    link: str = ""


@dataclass(frozen=True)
class MissingName:
    """A Ukrainian name with no plausible rendering in the aligned English paragraphs."""

    uk: str
    lemma: str
    expected: str
    location: Location
    confidence: float = 1.0
    evidence: Mapping[str, object] = field(default_factory=dict)


# --- variants --------------------------------------------------------------------------------


@dataclass
class _Mention:
    article: int
    paragraph: int
    mention: NameMention
    given: str  # the given-name part as written ("" when none)
    core: str  # the surname / place part as written ("" for a given name alone)

    def location(self, articles: Sequence[Article]) -> Location:
        a = articles[self.article]
        return Location(a.id, a.lang, self.paragraph, self.mention.start, self.mention.end)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _fold(spelling: str) -> str:
    """Case-only differences are one spelling (*KYIV* = *Kyiv*)."""
    return spelling.casefold()


def _split_mentions(articles: Sequence[Article], press: PressNames) -> list[_Mention]:
    common = frozenset().union(*(lowercase_vocabulary(a.text) for a in articles))
    raw: list[tuple[int, int, NameMention]] = []
    for ai, article in enumerate(articles):
        if article.lang != "en":
            continue
        for pi, paragraph in enumerate(article.paragraphs):
            for m in extract_names(paragraph, "en", common, press):
                if not m.acronym:
                    raw.append((ai, pi, m))

    def is_given(token: str) -> bool:
        return press.given_name_class(token) is not None

    # Words that stand alone as a name in an article: surnames and places there.
    singles = {(ai, en_name_key(m.tokens[0])) for ai, _, m in raw if len(m.tokens) == 1}
    out = []
    for ai, pi, m in raw:
        tokens = list(m.tokens)
        n_given = 0
        while n_given < len(tokens) and is_given(tokens[n_given]):
            n_given += 1
        given, core = tokens[:n_given], tokens[n_given:]
        if len(core) >= 2:
            if (ai, en_name_key(core[-1])) in singles:
                given, core = given + core[:-1], core[-1:]
            elif (ai, en_name_key(core[0])) in singles and not given:
                given, core = core[1:], core[:1]
        out.append(_Mention(ai, pi, m, " ".join(given), " ".join(core)))
    return out


def _different_people(members: Sequence[_Mention], press: PressNames) -> bool:
    """Whether the spellings of an entity are surnames of different people: each spelling
    comes with given names, and no given name (by key or press class) comes with two
    spellings (*Chris Harris* and *Dwi Haris* are two people, not a variant)."""
    given_by_spelling: dict[str, set[str]] = defaultdict(set)
    for m in members:
        given_by_spelling[_fold(m.core)]
        if m.given:
            cls = press.given_name_class(m.given) if " " not in m.given else None
            given_by_spelling[_fold(m.core)].add(cls or en_name_key(m.given))
    if len(given_by_spelling) < 2 or not all(given_by_spelling.values()):
        return False
    seen: set[str] = set()
    for names in given_by_spelling.values():
        if names & seen:
            return False
        seen |= names
    return True


_ADJECTIVE_KEY = re.compile(r"(sk|tsk|zk)(i|a|e|ii|oho|oi)$")
_ALTERNATION_KEY = re.compile(r"([iy])([^aeiouy]{1,2})$")


_FOREIGN_LETTERS = re.compile(r"w|q|x|c(?!h|z)|th|ph|ck|ee|oo|ae|gh|[^aeiouy]e$")


def _foreign_spelling(spelling: str) -> bool:
    """Whether a spelling has letters or groups that no romanisation of Ukrainian (or
    Russian) produces (*w*, *q*, *x*, *c* outside *ch*, *th*, *ph*, *ck*, *ee*, *oo*, a silent
    final *e*): a name of another language, compared by its key alone, never through Ukrainian
    case endings or vowel alternation (*Kate* is no case of *Kata*)."""
    return bool(_FOREIGN_LETTERS.search(spelling.casefold()))


def _alternation_keys(key: str) -> set[str]:
    """The і ↔ о/е alternation of a last syllable (*Lviv* … *Lvov*, *Kaniv* … *Kanev*):
    keys that link two spellings only inside one article."""
    m = _ALTERNATION_KEY.search(key)
    if not m or m.start() < 2:
        return set()
    return {key[: m.start()] + vowel + m.group(2) for vowel in "oe"}


_BELARUSIAN_U = re.compile(r"(?<=[aeiouy])u(?=[^aeiouy]|$)")
_FINAL_VOWELS = re.compile(r"[aeiou]+$")
_VOWEL_RUN = re.compile(r"[aeiou]+")
#: Consonants a skeleton needs before it may link two spellings (*Biden* … *Baden* have 3).
SKELETON_MIN_CONSONANTS = 4


def _east_slavic_skeleton(spelling: str) -> str | None:
    """The consonants of a name with its final vowel: the key on which the Russian-based,
    Ukrainian-based and Belarusian-based romanisations of one name meet, inside one article.

    Russian and Ukrainian forms of one name differ in their vowels (и/і/ы, е/є/і, о/і:
    *Nezhin* … *Nizhyn*, *Kamenskoye* … *Kamianske*, *Aleksandr* … *Oleksandr*) and г/h (the
    key already merges g/h); Belarusian writes ў where the others have в (*Tsikhanouskaya* …
    *Tsikhanovskaya*) and -enka where they have -enko (*Lukashenka* … *Lukashenko*). The
    final vowel is kept (*Petrov* ≠ *Petrova*); a skeleton of fewer than
    ``SKELETON_MIN_CONSONANTS`` consonants links nothing."""
    key = en_name_key(_BELARUSIAN_U.sub("v", spelling.casefold()))
    if key.endswith("enka"):
        key = key[:-1] + "o"
    final = _FINAL_VOWELS.search(key)
    stem = key[: final.start()] if final else key
    consonants = _VOWEL_RUN.sub("", stem)
    if len(consonants) < SKELETON_MIN_CONSONANTS:
        return None
    return f"{consonants}:{final.group()[-1] if final else ''}"


#: Consonants a sound skeleton needs before it may link a round trip (:func:`_round_trips`).
ROUND_TRIP_MIN_CONSONANTS = 4


def _round_trip_side(spelling: str) -> str:
    """``"foreign"`` for a spelling of another language's letters (*Jacinda*, *Macron*),
    ``"dzh"`` for one that romanises Cyrillic дж (*Dzhasinda*, *Dzhonson*), else ``"plain"``
    (*Makron*, *Johnson*)."""
    if "dzh" in spelling.casefold():
        return "dzh"
    return "foreign" if _foreign_spelling(spelling) else "plain"


def _round_trips(occurrences: Iterable[tuple[int, str]]) -> list[tuple[str, str]]:
    """A foreign name that came into Ukrainian through Cyrillic and went back out two ways in
    one article: two spellings of different kinds (:func:`_round_trip_side`: *Jacinda* …
    *Dzhasinda*, *Macron* … *Makron*, *Johnson* … *Dzhonson*) with a common sound skeleton
    (:func:`aligner.translit.en_sound_keys`) of at least ``ROUND_TRIP_MIN_CONSONANTS``
    consonants. Two spellings of one kind are never linked this way (*Biden* … *Baden*)."""
    by_article: dict[int, list[tuple[str, str, frozenset[str]]]] = defaultdict(list)
    for article, surface in occurrences:
        side = _round_trip_side(surface)
        # a romanisation of Cyrillic reads one way (ch = ч); a foreign spelling may read several
        readings = en_sound_keys(surface) if side == "foreign" else {en_sound_key(surface)}
        skeletons = frozenset(
            k for k in readings if len(k.replace("a", "")) >= ROUND_TRIP_MIN_CONSONANTS
        )
        if skeletons:
            by_article[article].append((surface, side, skeletons))
    pairs = []
    for spellings in by_article.values():
        for i, (surface, side, skeletons) in enumerate(spellings):
            for other, other_side, other_skeletons in spellings[i + 1 :]:
                if side != other_side and skeletons & other_skeletons:
                    pairs.append((surface, other))
    return pairs


#: Letters a truncated form must keep (:func:`_truncations`).
TRUNCATION_MIN_LETTERS = 6


def _truncations(occurrences: Iterable[tuple[int, str]]) -> list[tuple[str, str]]:
    """Spellings of one article that are another spelling cut short by its last consonant
    (*Kramators* … *Kramatorsk*, *Sievierodonets* … *Sievierodonetsk*), as (short, full).

    Only one-word romanisations (:func:`_foreign_spelling`) of at least
    ``TRUNCATION_MIN_LETTERS`` letters, and never a cut vowel (an ending: *Petrov* …
    *Petrova*) or a cut *s* (an English plural or possessive)."""
    by_article: dict[int, dict[str, str]] = defaultdict(dict)
    for article, surface in occurrences:
        if surface.isalpha() and not _foreign_spelling(surface):
            by_article[article].setdefault(en_name_key(surface), surface)
    pairs = []
    for keys in by_article.values():
        for key, surface in keys.items():
            short = keys.get(key[:-1])
            if short is not None and len(key) > TRUNCATION_MIN_LETTERS and key[-1] not in "aeiouys":
                pairs.append((short, surface))
    return pairs


def _adjective_bases(key: str) -> tuple[str, ...]:
    """The place a "-sky" adjective is derived from (*Vyshhorodsky* → *Vyshhorod*,
    *Pokrovskyi* → *Pokrovsk*), or () for a key that is no such adjective."""
    m = _ADJECTIVE_KEY.search(key)
    if not m or m.start() < 3:
        return ()
    return (key[: m.start()], key[: m.start()] + m.group(1))


def _entity_links(occurrences: Iterable[tuple[int, str]], press: PressNames) -> _UnionFind:
    """Union spellings (case-folded) that are one name: equal keys or one press entry
    anywhere; an inflected form (*Buchi* → *Bucha*, :func:`en_name_keys`) only next to its
    nominative in the same article — across articles a key that differs in an ending is
    more often another name — and only for spellings that can be romanisations
    (:func:`_foreign_spelling`: the stricter comparison of names of other languages)."""
    uf = _UnionFind()
    by_key: dict[str, str] = {}
    for article, surface in occurrences:
        uf.find(surface)
        plain = en_name_key(surface)
        keys = {plain}
        if not _foreign_spelling(surface):  # Ukrainian morphology only for romanisations
            keys.update(f"{article}:{k}" for k in en_name_keys(surface))
            keys.update(f"{article}:{k}" for k in _alternation_keys(plain))
            skeleton = _east_slavic_skeleton(surface)
            if skeleton is not None:
                keys.add(f"skeleton:{article}:{skeleton}")
        if not _adjective_bases(plain):
            keys.add(f"place:{article}:{plain}")
        for entry in press.by_english(surface):
            if not entry.is_given_name and not entry.is_translation:
                keys.add("press:" + entry.uk)
        for key in keys:
            if key in by_key:
                uf.union(surface, by_key[key])
            else:
                by_key[key] = surface
    # a foreign name and its romanisation back from Cyrillic (Jacinda … Dzhasinda)
    for foreign, romanised in _round_trips(occurrences):
        uf.union(foreign, romanised)
    # a truncated form joins the full one (Kramators … Kramatorsk)
    for short, full in _truncations(occurrences):
        uf.union(short, full)
    # a "-sky" adjective joins its place (never another adjective: Zelensky ≠ Zelenska)
    for article, surface in occurrences:
        for base in _adjective_bases(en_name_key(surface)):
            place = by_key.get(f"place:{article}:{base}")
            if place is not None:
                uf.union(surface, place)
    return uf


_TYPOGRAPHIC_RE = re.compile(r"[\s'’ʼ`\-.]")


def _typographic_fold(spelling: str) -> str:
    """A spelling without case, diacritics, apostrophes, hyphens and spaces."""
    text = unicodedata.normalize("NFKD", spelling.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _TYPOGRAPHIC_RE.sub("", text)


def _display(counter: Counter[str], written: dict[str, Counter[str]]) -> list[tuple[str, int]]:
    """Spellings with counts, most frequent first, each shown in its most frequent casing."""
    return [(written[f].most_common(1)[0][0], n) for f, n in counter.most_common()]


def _suggest(
    spellings: list[tuple[str, int]],
    style: Style,
    press: PressNames,
    articles_of: Mapping[str, int] | None = None,
) -> tuple[str, str]:
    """The spelling to suggest and why, in this order: the house style; a form the press table
    lists (its current form first: *Kyiv* before *Kiev*); the spelling nearest a standard
    romanisation of the Ukrainian name when the press table knows it; the most frequent; on a
    tie, the spelling seen in more articles, then the first seen. A 1:1 tie is never settled by
    order alone when a table can settle it, so a typo does not win by coming first."""
    for spelling, _ in spellings:
        preferred = style.preferred_for_english(spelling, press)
        if preferred:
            preferred_words = preferred.split()
            if len(spelling.split()) == 1 and len(preferred_words) > 1:
                # a part of a multiword preferred name: suggest the matching word
                for word in preferred_words:
                    if en_name_key(word) == en_name_key(spelling):
                        return word, "house style"
                continue
            return preferred, "house style"
    ranked: list[tuple[int, str]] = []
    lemmas: set[str] = set()
    for spelling, _ in spellings:
        for entry in press.by_english(spelling):
            if entry.is_given_name:
                continue
            lemmas.add(entry.uk)
            forms = [f.casefold() for f in entry.forms]
            if spelling.casefold() in forms:
                ranked.append((forms.index(spelling.casefold()), spelling))
    if ranked:
        return min(ranked)[1], "press form"
    if len(lemmas) == 1:
        romanised = {v for v in transliteration_variants(next(iter(lemmas)))}
        distance = {
            s: min(Levenshtein.distance(s.casefold(), r) for r in romanised) for s, _ in spellings
        }
        best = min(distance.values())
        nearest = [s for s, _ in spellings if distance[s] == best]
        if len(nearest) == 1:
            return nearest[0], "nearest romanisation"
    top = spellings[0][1]
    tied = [s for s, n in spellings if n == top]
    if len(tied) > 1 and articles_of:
        most = max(articles_of.get(_fold(s), 0) for s in tied)
        tied = [s for s in tied if articles_of.get(_fold(s), 0) == most]
        return tied[0], "most frequent (tie: in more articles, then first seen)"
    return spellings[0][0], "most frequent"


#: English endings that make a form of a name, not another name: plural and adjective or
#: demonym (*Olympics*/*Olympic*, *Israeli*/*Israel*, *Ukrainian*/*Ukraine*, *Chinese*/*China*,
#: *Pokrovsky*/*Pokrovsk*), each with the letters its base may end in instead.
_EN_FORM_ENDINGS = (
    ("s", ("",)), ("es", ("",)), ("i", ("",)), ("ian", ("", "e", "a", "ia")),
    ("ans", ("", "a")), ("an", ("", "a", "e")), ("n", ("",)), ("ese", ("a", "")),
    ("ish", ("", "and")), ("ic", ("", "y")), ("ite", ("",)), ("sky", ("sk", "")),
    ("skyi", ("sk", "")), ("ski", ("sk", "")), ("ska", ("sk", "")),
)  # fmt: skip


def english_lemmas(spellings: Iterable[str]) -> dict[str, str]:
    """Each (case-folded) spelling mapped to the spelling of the entity it is a form of,
    among ``spellings``: a plural, possessive, adjective or demonym whose base is there too
    maps to the base (*olympics* → *olympic*, *israeli* → *israel*); others to themselves.
    Spellings that map to one lemma are one entity's forms, not variants of each other."""
    folded = {_fold(s) for s in spellings}
    lemmas = {}
    for spelling in folded:
        lemma = spelling
        for ending, bases in _EN_FORM_ENDINGS:
            if spelling.endswith(ending) and len(spelling) > len(ending) + 2:
                if ending in ("s", "es") and spelling.endswith("ss"):
                    continue  # Donbass is no plural of Donbas
                stem = spelling[: -len(ending)]
                base = next((stem + b for b in bases if stem + b in folded), None)
                if base and base != spelling:
                    lemma = base
                    break
        lemmas[spelling] = lemma
    return lemmas


def _variant_group(
    kind: str,
    members: Sequence[_Mention],
    part: Callable[[_Mention], str],
    articles: Sequence[Article],
    style: Style,
    press: PressNames,
    include_consistent: bool = False,
) -> VariantGroup | None:
    """The group of ``members`` (mentions of one entity) by the spellings of their ``part``
    (the core, or the given name), or None when they spell it one way (unless
    ``include_consistent``). ``kind`` is ``"name"`` or ``"given_name"``; spellings that differ
    only typographically make a ``"typographic"`` group."""
    counter: Counter[str] = Counter(_fold(part(m)) for m in members)
    one_entity = len(counter) < 2 or len(set(english_lemmas(counter).values())) < 2
    if one_entity and not include_consistent:
        return None
    written: dict[str, Counter[str]] = defaultdict(Counter)
    forms: Counter[str] = Counter()
    for m in members:
        written[_fold(part(m))][part(m)] += 1
        forms[m.mention.text] += 1
    spellings = _display(counter, written)
    if kind == "given_name":
        person = next((m.core for m in members if m.core), None)
        suggestion, from_style = _suggest_given(spellings, forms, style, press)
        source = "house style" if from_style else "most frequent"
    else:
        person = None
        in_articles: dict[str, set[int]] = defaultdict(set)
        for m in members:
            in_articles[_fold(part(m))].add(m.article)
        suggestion, source = _suggest(
            spellings, style, press, {k: len(v) for k, v in in_articles.items()}
        )
    typographic = len(spellings) > 1 and len({_typographic_fold(s) for s, _ in spellings}) == 1
    confidence, link = _variant_confidence([s for s, _ in spellings], kind, press, members)
    return VariantGroup(
        "forms" if one_entity and len(spellings) > 1 else "typographic" if typographic else kind,
        tuple(spellings),
        tuple(forms.most_common()),
        tuple(m.location(articles) for m in members),
        suggestion,
        person,
        source == "house style",
        source,
        confidence,
        link,
    )


def _variant_confidence(
    spellings: Sequence[str], kind: str, press: PressNames, members: Sequence[_Mention]
) -> tuple[float, str]:
    """How sure it is that the spellings are one name spelled two ways, and what links them:
    one phonetic key or one press entry (0.9); a given name tied to its person only by the
    article (0.75); an inflection, a "-sky" adjective or a vowel alternation inside one
    article (0.8: the likelier reading, not the only one)."""
    if kind == "given_name" and not any(m.core for m in members):
        return 0.75, "given name in one article"
    if len({en_name_key(s) for s in spellings}) == 1:
        return 0.9, "one phonetic key"
    uk = {e.uk for s in spellings for e in press.by_english(s) if not e.is_given_name}
    if len(uk) == 1 and all(press.by_english(s) for s in spellings):
        return 0.9, "one press-table entry"
    if kind == "given_name":
        return 0.9, "one given name of one person"
    return 0.8, "inflection, derived adjective or vowel alternation in one article"


def _suggest_given(
    spellings: list[tuple[str, int]], forms: Counter[str], style: Style, press: PressNames
) -> tuple[str, bool]:
    """For a given name: the house style's full name when the style knows one of the full
    forms as written (*Olga Sukhenko* → *Olha Sukhenko*), else the most frequent spelling."""
    for form, _ in forms.most_common():
        preferred = style.preferred_for_english(form, press)
        if preferred and len(preferred.split()) > 1:
            return preferred, True
    return spellings[0][0], False


def find_name_variants(
    articles: Sequence[Article],
    style: Style | None = None,
    press: PressNames | None = None,
    include_consistent: bool = False,
) -> list[VariantGroup]:
    """Groups of spellings of one name across ``articles`` (English ones; others are
    skipped): one group per name that is spelled more than one way — or, with
    ``include_consistent``, one group per name entity however it is spelled (the names
    consistency score counts the entities spelled one way too)."""
    press = press or load_press_names()
    style = style or resolve_style(None)
    entities = _name_entities(tuple(articles), style, press)
    if include_consistent:
        return list(entities)
    return [g for g in entities if is_variant(g)]


def is_variant(group: VariantGroup) -> bool:
    """Whether an entity of ``find_name_variants(..., include_consistent=True)`` is spelled
    more than one way (what the check reports): two spellings or more that are not one
    entity's forms."""
    return len(group.spellings) > 1 and group.kind != "forms"


@lru_cache(maxsize=64)
def _name_entities(
    articles: tuple[Article, ...], style: Style, press: PressNames
) -> tuple[VariantGroup, ...]:
    """Every name entity of the articles, variant or not, in document order. Cached (groups
    are immutable): the check of an article and its consistency score ask for the same
    article's entities one after the other."""
    if all(a.lang != "en" for a in articles):
        return ()  # names are grouped in English text only
    mentions = _split_mentions(articles, press)

    # Surname / place entities.
    uf = _entity_links(sorted({(m.article, _fold(m.core)) for m in mentions if m.core}), press)
    by_entity: dict[str, list[_Mention]] = defaultdict(list)
    for m in mentions:
        if m.core:
            by_entity[uf.find(_fold(m.core))].append(m)

    groups = [
        _variant_group(
            "name", members, attrgetter("core"), articles, style, press, include_consistent=True
        )
        for members in by_entity.values()
        if not _different_people(members, press)
    ]

    # Given names, per person.
    def given_class(given: str) -> str:
        cls = press.given_name_class(given) if " " not in given else None
        return cls or "key:" + en_name_key(given)

    person_of: dict[int, str] = {}
    classes_in_article: dict[tuple[int, str], set[str]] = defaultdict(set)
    for i, m in enumerate(mentions):
        if m.given and m.core:
            person = uf.find(_fold(m.core))
            person_of[i] = person
            classes_in_article[(m.article, given_class(m.given))].add(person)
    for i, m in enumerate(mentions):
        if m.given and not m.core:
            holders = classes_in_article.get((m.article, given_class(m.given)), set())
            person_of[i] = next(iter(holders)) if len(holders) == 1 else f"article:{m.article}"

    by_given: dict[tuple[str, str], list[_Mention]] = defaultdict(list)
    for i, person in person_of.items():
        m = mentions[i]
        by_given[(person, given_class(m.given))].append(m)
    groups += [
        _variant_group(
            "given_name",
            members,
            attrgetter("given"),
            articles,
            style,
            press,
            include_consistent=True,
        )
        for members in by_given.values()
    ]
    found = [g for g in groups if g is not None]
    found.sort(
        key=lambda g: (
            g.locations[0].article,
            g.locations[0].paragraph or 0,
            g.locations[0].start or 0,
        )
    )
    return tuple(found)


# --- rendering of Ukrainian names in the aligned English paragraph ---------------------------

_UK_ADJECTIVE_RE = re.compile(r"^(.{2,}?)(ськ|цьк|зьк)(ий|а|е|ого|ому|им|ім|ої|ій|у|ою|і|их|ими)$")


_EN_POSSESSIVE = re.compile(r"['’ʼ]s$|(?<=s)['’ʼ]$")
_POSSESSIVE_ENDS = ("s", "'", "’", "ʼ")  # a word _EN_POSSESSIVE may change ends in one


#: Ukrainian words capitalised in names of institutions, titles and religion that English
#: translates rather than transliterates (Міністерство → Ministry, Бог → God); checked as
#: lemmas, so every case form is covered.
UK_TRANSLATED_WORDS = frozenset(
    """
    міністерство офіс уряд рада служба управління департамент агентство комітет
    комісія суд прокуратура поліція армія сила збройний генеральний головний державний
    національний міжнародний європейський український російський американський східний
    західний північний південний центральний верховний
    федерація республіка революція гідність альянс союз організація партія фронт
    бог господь біблія церква святий пресвятий небесний різдво великдень
    регламент директива конституція кодекс закон указ
    фейсбук телеграм ютуб інстаграм твіттер
    """.split()
)


_UK_ADJ_FORM = re.compile(r"(ськ|цьк|зьк|н|ч)(а|е|і)$")


def _translated_word(word: str) -> bool:
    for candidate in uk_lemma_candidates(word)[:4]:
        lemma = _UK_ADJ_FORM.sub(r"\1ий", candidate.lower())
        if candidate.lower() in UK_TRANSLATED_WORDS or lemma in UK_TRANSLATED_WORDS:
            return True
    return False


def _title_case(paragraph: str) -> bool:
    """A headline in title case: most words capitalised, so capitals say nothing."""
    words = re.findall(r"[^\W\d_]+", paragraph)
    if len(words) < 4:
        return False
    return sum(w[0].isupper() for w in words) >= 0.6 * len(words)


#: :func:`en_name_keys` of single words, cached: a pure function of the word, called for
#: every word of every English paragraph a pair check reads.
_word_keys = lru_cache(maxsize=65536)(en_name_keys)


_EN_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*")


def _english_words(text: str) -> list[str]:
    """The words of an English text, possessives removed (*Korea's*)."""
    # only a word ending in s or an apostrophe can hold a possessive: the others skip the regex
    return [
        _EN_POSSESSIVE.sub("", w) if w.endswith(_POSSESSIVE_ENDS) else w
        for w in _EN_WORD.findall(text)
    ]


def _english_keys(text: str) -> set[str]:
    """Keys of every word and of every run of up to four words of an English text
    (possessives removed: *Korea's*)."""
    words = _english_words(text)
    keys: set[str] = set()
    for i, word in enumerate(words):
        keys.update(_word_keys(word))
        if "-" in word:  # R-Arizona, Anglo-Irish
            for part in word.split("-"):
                keys.update(_word_keys(part))
        for n in range(2, 5):
            if i + n <= len(words):
                keys.add(phonetic_key("".join(words[i : i + n])))
    return keys


class _EnglishKeys:
    """The keys of an English text, the cheap part first: the keys of its words at once, and
    :func:`_english_keys` (words and runs of two to four words) only when a question is not
    settled by the words. Each question asked through :meth:`hold` is monotone — more keys
    never turn a yes into a no — so the answer is the one the whole set gives."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words: set[str] = set()
        for word in _english_words(text):
            self.words.update(_word_keys(word))
            if "-" in word:
                for part in word.split("-"):
                    self.words.update(_word_keys(part))
        self.word_prefixes = _Prefixes(self.words)
        self._every: tuple[set[str], _Prefixes] | None = None

    def every(self) -> tuple[set[str], _Prefixes]:
        """All the keys (:func:`_english_keys`, built in the same order) and their prefixes."""
        if self._every is None:
            keys = _english_keys(self.text)
            self._every = (keys, _Prefixes(keys))
        return self._every

    def hold(self, question: Callable[[set[str], _Prefixes], bool]) -> bool:
        """``question(keys, prefixes)`` for the text's keys."""
        return question(self.words, self.word_prefixes) or question(*self.every())


def _uk_keys(word: str, press: PressNames, style: Style) -> frozenset[str]:
    keys = set(uk_name_keys(word, press))
    for lemma in ranked_uk_lemmas(word)[:2]:
        keys.update(uk_name_keys(lemma, press))
    preferred = style.preferred_for_uk(word)
    if preferred:
        keys.add(en_name_key(preferred))
    for candidate in _place_bases(word):
        keys.update(uk_name_keys(candidate, press))
    return frozenset(keys)


_UK_REGION_RE = re.compile(r"^(.{3,}?)щин(?:а|и|і|у|ою)$")


def _place_bases(word: str) -> tuple[str, ...]:
    """The place a Ukrainian word is derived from, as candidates: an adjective (*Київської
    області* → *Київ*, *Донецької* → *Донецьк*) or a region in -щина (*Харківщини* →
    *Харків*, *Полтавщина* → *Полтава*); () for other words."""
    lower = word.lower()
    m = _UK_ADJECTIVE_RE.match(lower)
    if m:
        base = m.group(1)
        return (base, base + "а", base + "ь", base + m.group(2))
    m = _UK_REGION_RE.match(lower)
    if m:
        return (m.group(1), m.group(1) + "а")
    return ()


def _expected(word: str, press: PressNames, style: Style, exonyms: Exonyms) -> tuple[str, str]:
    lemma = ranked_uk_lemmas(word)[0] if ranked_uk_lemmas(word) else word
    preferred = style.preferred_for_uk(word)
    if preferred:
        return lemma, preferred
    for candidate in ranked_uk_lemmas(word):
        entries = press.by_uk(candidate)
        if entries:
            return candidate, entries[0].forms[0]
        if exonyms.by_uk(candidate):
            return candidate, exonyms.by_uk(candidate)[0]
    return lemma, transliterate(lemma, "national")


def find_missing_names(
    uk_paragraphs: Sequence[str],
    en_paragraphs: Sequence[str],
    uk_article: Article | None = None,
    style: Style | None = None,
    press: PressNames | None = None,
    uk_indices: Sequence[int] | None = None,
    exonyms: Exonyms | None = None,
    bridge: Sequence[str] | None = None,
) -> list[MissingName]:
    """Names of the Ukrainian paragraphs with no plausible rendering in the English ones.

    A name that starts a sentence is checked only when it is no ordinary word: the press table
    knows it, or the Ukrainian article (``uk_article``) capitalises it elsewhere mid-sentence.
    Given names are not required (English copy often drops them); acronyms only when the
    press table knows them. ``bridge`` (the English machine translation of each Ukrainian
    paragraph) adds the machine's rendering of a name to the forms looked for. Each miss
    carries a confidence and its evidence (:func:`_miss_confidence`).
    """
    press = press or load_press_names()
    style = style or resolve_style(None)
    article_id = uk_article.id if uk_article else "uk"
    inner = _mid_sentence_names(uk_article) if uk_article else None
    return _missing_names(
        uk_paragraphs,
        en_paragraphs,
        article_id,
        inner,
        style,
        press,
        uk_indices,
        exonyms or load_exonyms(),
        bridge,
    )


def _missing_names(
    uk_paragraphs: Sequence[str],
    en_paragraphs: Sequence[str],
    article_id: str,
    inner: frozenset[str] | None,
    style: Style,
    press: PressNames,
    uk_indices: Sequence[int] | None,
    exonyms: Exonyms,
    bridge: Sequence[str] | None = None,
) -> list[MissingName]:
    """:func:`find_missing_names` with the article's mid-sentence names (``inner``) already
    collected: a pair check computes them once per article, not once per bead."""
    en_text = "\n".join(en_paragraphs)
    en_keys = _EnglishKeys(en_text)
    indices = list(uk_indices) if uk_indices is not None else list(range(len(uk_paragraphs)))
    missing = []
    bridges = list(bridge) if bridge is not None else [None] * len(uk_paragraphs)
    for index, paragraph, mt in zip(indices, uk_paragraphs, bridges, strict=True):
        headline = _title_case(paragraph)
        for m in extract_names(paragraph, "uk", press=press):
            if not _checkable_script(m.text):
                continue
            words = _words_to_check(m, press)
            if headline:
                words = [w for w in words if _known_name(w, press, inner)]
            if m.acronym and not any(press.by_uk(w) for w in words):
                continue
            if _CURRENCY_BEFORE.search(paragraph[: m.start]):
                continue  # "375 000 дол. США" is "$375,000": a currency, not the country
            if m.sentence_initial and len(m.tokens) == 1 and not _known_name(m.text, press, inner):
                continue
            if len(m.tokens) > 1 and en_keys.hold(
                lambda keys, _prefixes, text=m.text: _multiword_rendered(text, press, style, keys)
            ):
                continue
            if len(m.tokens) > 1 and en_keys.hold(partial(_exonym_rendered, m.text, exonyms)):
                continue
            for word in words:
                if _translated_word(word) or en_keys.hold(partial(_rendered, word, press, style)):
                    continue
                if en_keys.hold(partial(_exonym_rendered, word, exonyms)):
                    continue
                known = _known_source(word, press, style, exonyms)
                if not known and (is_function_word(word) or _common_word(word, press, exonyms)):
                    continue
                best, similarity = _nearest_sound(word, _english_sounds(en_text))
                if similarity >= SOUND_MATCH:
                    continue
                via_bridge = _bridge_rendering(word, mt, press, style) if mt else None
                if via_bridge and en_keys.hold(
                    lambda keys, _prefixes, found=via_bridge: bool(_word_keys(found) & keys)
                ):
                    continue  # the English uses the machine translation's rendering
                lemma, expected = _expected(word, press, style, exonyms)
                given = any(
                    e.is_given_name for c in ranked_uk_lemmas(word)[:3] for e in press.by_uk(c)
                )
                offset = m.start + m.text.find(word)
                evidence = {
                    "lemma_candidates": ranked_uk_lemmas(word)[:4],
                    "known_from": known,
                    "given_name": given,
                    "derived_form": _derived_form(word, press, exonyms, en_keys.every()[0]),
                    "acronym": _acronym_with(expected, en_text),
                    "dictionary_common_word": is_common_word(word),
                    "capitalised_mid_sentence": bool(inner and word.lower() in inner),
                    "sentence_initial": m.sentence_initial and m.tokens[0] == word,
                    "nearest_english": best,
                    "sound_similarity": round(similarity, 3),
                }
                if mt is not None:
                    evidence["bridge_rendering"] = via_bridge
                missing.append(
                    MissingName(
                        word,
                        lemma,
                        expected,
                        Location(article_id, "uk", index, offset, offset + len(word)),
                        _miss_confidence(evidence),
                        evidence,
                    )
                )
    return missing


def _bridge_rendering(word: str, mt: str, press: PressNames, style: Style) -> str | None:
    """The word of the machine translation (the bridge) that renders a Ukrainian name: one
    whose keys meet the name's, or whose sound skeleton is close; None when the bridge has no
    such word (it translated the word, or dropped it too)."""
    keys = _uk_keys(word, press, style)
    for candidate in re.findall(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*", mt):
        if candidate[:1].isupper() and _word_keys(_EN_POSSESSIVE.sub("", candidate)) & keys:
            return candidate
    best, similarity = _nearest_sound(word, _english_sounds(mt))
    return best if similarity >= SOUND_MATCH else None


_CURRENCY_BEFORE = re.compile(r"\b(?:дол\.|долар\w*|фунт\w*|євро)\s*$", re.IGNORECASE)

#: A Ukrainian name whose sound skeleton is at least this similar to an English word's
#: (normalised Levenshtein similarity of :func:`aligner.translit.uk_sound_key` and
#: :func:`aligner.translit.en_sound_keys`) is rendered there. Settled on ntrex-en-uk.
SOUND_MATCH = 0.75


def _miss_confidence(evidence: Mapping[str, object]) -> float:
    """How sure a miss is, in [0, 1]: a name a table knows (press, exonyms, house style) is
    surely a name, so its absence counts most; a given name alone, or a known name beside an
    English word derived from it (*Scottish*), counts less; a word capitalised mid-sentence
    elsewhere in the article is likelier a name than one seen only at a sentence start; an
    English word that sounds close lowers it (a respelling the rules do not know)."""
    if evidence["dictionary_common_word"] and not evidence["known_from"]:
        confidence = 0.4  # Півзахисник, Сполучені: capitalised in a title, not a name
    elif evidence["given_name"] or evidence["derived_form"] or evidence["acronym"]:
        confidence = 0.5  # English drops given names; Scottish / Scotland; LSU / Луїзіана
    elif evidence["known_from"]:
        confidence = 0.9
    elif evidence["capitalised_mid_sentence"] and not evidence["sentence_initial"]:
        confidence = 0.6
    else:
        confidence = 0.4
    similarity = float(evidence["sound_similarity"])  # type: ignore[arg-type]
    confidence -= max(0.0, similarity - 0.4)
    if "bridge_rendering" in evidence:  # with a bridge: did the machine render it as a name?
        confidence = confidence + 0.1 if evidence["bridge_rendering"] else confidence * 0.6
    return round(min(1.0, max(0.0, confidence)), 3)


def _checkable_script(text: str) -> bool:
    """Only Cyrillic names are checked; a name in another script passes without findings."""
    return all(not ch.isalpha() or "\u0400" <= ch <= "\u04ff" for ch in text)


#: Capitalised English words of a text, each with its sound skeletons, and runs of two and
#: three of them glued (*Premier League* for *Прем'єр-ліга*). Asked only for a name the keys
#: did not find (a few beads in a hundred), then for each such name of the bead: cached.
@lru_cache(maxsize=256)
def _english_sounds(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    words = [_EN_POSSESSIVE.sub("", w) for w in re.findall(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*", text)]
    out: dict[str, frozenset[str]] = {}
    for i, word in enumerate(words):
        if not word[:1].isupper():
            continue
        out.setdefault(word, en_sound_keys(word))
        for n in (2, 3):
            run = words[i : i + n]
            if len(run) == n and all(w[:1].isupper() for w in run):
                glued = " ".join(run)
                out.setdefault(glued, en_sound_keys("".join(run)))
    return tuple(out.items())


def _nearest_sound(
    word: str, sounds: Sequence[tuple[str, frozenset[str]]]
) -> tuple[str | None, float]:
    """The English word whose sound skeleton is nearest to one of the Ukrainian word's (the
    word and its lemma candidates), and the similarity."""
    uk_keys = {uk_sound_key(c) for c in (word, *ranked_uk_lemmas(word)[:4])}
    uk_keys = {k for k in uk_keys if k}
    best: tuple[str | None, float] = (None, 0.0)
    for english, keys in sounds:
        for en_key in keys:
            for uk_key in uk_keys:
                if uk_key == en_key:
                    return english, 1.0
                if min(len(uk_key), len(en_key)) < 4 or uk_key[0] != en_key[0]:
                    continue
                similarity = Levenshtein.normalized_similarity(uk_key, en_key)
                if similarity > best[1]:
                    best = (english, similarity)
    return best


class _Prefixes:
    """The proper prefixes (four letters or more) of a set of keys, built on the first
    question: most paragraphs never ask."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._keys = keys
        self._prefixes: set[str] | None = None

    def __contains__(self, prefix: object) -> bool:
        if self._prefixes is None:
            self._prefixes = {k[:n] for k in self._keys for n in range(4, len(k))}
        return prefix in self._prefixes


def _exonym_rendered(word: str, exonyms: Exonyms, en_keys: set[str], prefixes: _Prefixes) -> bool:
    """Whether an English name of the place (or a word derived from it: *Chinese*) is there."""
    for lemma in ranked_uk_lemmas(word)[:5]:
        for form in exonyms.by_uk(lemma):
            key = en_name_key(form)
            if key in en_keys or (len(key) >= 5 and key[:-1] in prefixes):
                return True
    return False


def _acronym_with(expected: str, en_text: str) -> str | None:
    """An English acronym holding the initial of the expected rendering (*LSU* for
    *Університет штату Луїзіана*): the name may be inside it."""
    initial = expected[:1].upper()
    acronyms = re.findall(r"\b[A-Z]{2,6}\b|\b(?:[A-Z]\.){2,}", en_text)
    return next((a for a in acronyms if initial in a), None)


def _derived_form(word: str, press: PressNames, exonyms: Exonyms, en_keys: set[str]) -> str | None:
    """An English word that may be derived from a known name's English form (*Scottish* for
    *Scotland*, *Colombian* for *Colombia*): same key up to its last four letters."""
    for lemma in ranked_uk_lemmas(word)[:4]:
        forms = [*exonyms.by_uk(lemma), *(f for e in press.by_uk(lemma) for f in e.forms)]
        for form in forms:
            key = en_name_key(form)
            stem = key[: max(4, len(key) - 4)]
            if len(key) >= 5:
                found = next((k for k in en_keys if k.startswith(stem) and k != key), None)
                if found:
                    return found
    return None


def _common_word(word: str, press: PressNames, exonyms: Exonyms) -> bool:
    """An ordinary Ukrainian word of the core lexicon capitalised as part of a title or an
    institution (*Білий дім*, *Юридичний*, *Ліга*), unless a table knows it as a name."""
    if any(press.by_uk(c) or exonyms.by_uk(c) for c in ranked_uk_lemmas(word)[:4]):
        return False
    return bool(load_lexicon().uk_token_concepts(word.lower()))


def _known_source(word: str, press: PressNames, style: Style, exonyms: Exonyms) -> str | None:
    if style.preferred_for_uk(word):
        return "house style"
    for candidate in [*ranked_uk_lemmas(word)[:4], *_place_bases(word)]:
        if press.by_uk(candidate):
            return "press table"
        if exonyms.by_uk(candidate):
            return "exonyms"
    return None


def _rendered(
    word: str, press: PressNames, style: Style, en_keys: set[str], en_prefixes: _Prefixes
) -> bool:
    """Whether one Ukrainian word has a rendering among the English keys: a key of its
    lemma candidates, or an English word derived from it (*Росії* → *Russian*,
    *Україні* → *Ukrainian*: an English key that starts with the name's key less its last
    letter, for keys of five letters or more)."""
    keys = _uk_keys(word, press, style)
    if keys & en_keys:
        return True
    return any(k[:-1] in en_prefixes for k in keys if len(k) >= 5)


def _multiword_rendered(text: str, press: PressNames, style: Style, en_keys: set[str]) -> bool:
    """A multiword name is rendered when its whole key is in the English text, or — for a
    name the press table knows — the first or last word of one of its press forms is
    (*Юн Сук Йоля* … *Yoon's office*)."""
    if _uk_keys(text, press, style) & en_keys:
        return True
    for lemma in uk_lemma_candidates(text):
        for entry in press.by_uk(lemma):
            for form in entry.forms:
                words = form.split()
                if len(words) > 1 and {en_name_key(words[0]), en_name_key(words[-1])} & en_keys:
                    return True
    return False


def _words_to_check(m: NameMention, press: PressNames) -> list[str]:
    if len(m.tokens) == 1:
        return [m.tokens[0]]
    words = [
        t
        for t in m.tokens
        if not any(e.is_given_name for c in uk_lemma_candidates(t)[:3] for e in press.by_uk(c))
    ]
    return words or [m.tokens[-1]]


def _mid_sentence_names(article: Article) -> frozenset[str]:
    found = set()
    for paragraph in article.paragraphs:
        for m in extract_names(paragraph, "uk"):
            if not m.sentence_initial:
                found.update(t.lower() for t in m.tokens)
    return frozenset(found)


def _known_name(word: str, press: PressNames, inner: frozenset[str] | None) -> bool:
    if inner is not None and word.lower() in inner:
        return True
    return any(press.by_uk(c) for c in ranked_uk_lemmas(word))


# --- the check -------------------------------------------------------------------------------


@register_check
class NameVariantsCheck(Check):
    name = "names"
    description = (
        "Names: one name spelled several ways (Umerov/Umyerov, Kiev/Kyiv) in an article or "
        "archive; Ukrainian names missing from the aligned English paragraph."
    )
    severities = {
        "variant": Severity.WARNING,
        "given_name_variant": Severity.WARNING,
        "typographic_variant": Severity.NOTE,
        "missing": Severity.WARNING,
    }
    #: ``press_table``: a user press table (same format as aligner/data/press_names.toml)
    #: loaded on top of the shipped one.
    #: ``exonym_table``: a user exonym table (same format as aligner/data/exonyms.tsv).
    defaults = {"press_table": "", "exonym_table": ""}

    def press(self) -> PressNames:
        return load_press_names(str(self.settings["press_table"]) or None)

    def exonyms(self) -> Exonyms:
        return load_exonyms(str(self.settings["exonym_table"]) or None)

    def signature_fields(self) -> dict[str, str]:
        fields = super().signature_fields()
        fields["translit"] = TRANSLIT_VERSION
        fields["press"] = self.press().signature_hash
        fields["exonyms"] = self.exonyms().signature_hash
        return fields

    def _check_article(self, article: Article, style: object | None) -> list[Finding]:
        return self._variant_findings([article], style)

    def _check_archive(self, articles: Sequence[Article], style: object | None) -> list[Finding]:
        return self._variant_findings(articles, style)

    def _check_pair(self, ctx: PairContext) -> list[Finding]:
        # Variants inside each version come from the article scope, which the runner applies
        # to both versions of a pair; the pair scope adds what needs both versions.
        style = resolve_style(ctx.style)
        findings: list[Finding] = []
        press = self.press()
        exonyms = self.exonyms()
        inner = _mid_sentence_names(ctx.uk)
        for bead in ctx.alignment.beads:
            if not bead.uk or not bead.en:
                continue
            for miss in _missing_names(
                ctx.texts(bead, "uk"),
                ctx.texts(bead, "en"),
                ctx.uk.id,
                inner,
                style,
                press,
                bead.uk,
                exonyms,
                [ctx.bridge[i] for i in bead.uk] if ctx.bridge is not None else None,
            ):
                en_where = "paragraph" if len(bead.en) == 1 else "paragraphs"
                finding = self.finding(
                    "missing",
                    f"'{miss.uk}' ({miss.lemma}) has no rendering in the aligned English "
                    f"{en_where}; expected '{miss.expected}' or another spelling of it "
                    f"(confidence {miss.confidence:.2f})",
                    (miss.location, *ctx.locations(bead, "en")),
                    suggestion=miss.expected,
                    data={
                        "uk": miss.uk,
                        "lemma": miss.lemma,
                        "expected": miss.expected,
                        "confidence": miss.confidence,
                        "evidence": dict(miss.evidence),
                    },
                )
                findings.append(
                    replace(finding, severity=severity_for(miss.confidence, finding.severity))
                )
        return findings

    def _variant_findings(self, articles: Sequence[Article], style: object | None) -> list[Finding]:
        findings = []
        for group in find_name_variants(articles, resolve_style(style), self.press()):
            listed = ", ".join(f"{s} ({n})" for s, n in group.spellings)
            source = group.suggestion_from
            if group.kind == "name":
                message = f"one name spelled {len(group.spellings)} ways: {listed}"
                kind = "variant"
            elif group.kind == "typographic":
                message = f"one name written {len(group.spellings)} ways: {listed}"
                kind = "typographic_variant"
            else:
                shown = ", ".join(f"{s} ({n})" for s, n in group.forms)
                who = f" of {group.person}" if group.person else ""
                message = (
                    f"the given name{who} spelled {len(group.spellings)} ways: {listed} "
                    f"(as written: {shown})"
                )
                kind = "given_name_variant"
            finding = self.finding(
                kind,
                f"{message}; use '{group.suggestion}' ({source})",
                group.locations,
                suggestion=group.suggestion,
                data={
                    "spellings": dict(group.spellings),
                    "forms": dict(group.forms),
                    "person": group.person,
                    "suggestion_from": source,
                    "confidence": group.confidence,
                    "evidence": {"link": group.link},
                },
            )
            findings.append(
                replace(finding, severity=severity_for(group.confidence, finding.severity))
            )
        return findings
