"""Names in text: capitalised mentions, Ukrainian declension undone, comparable keys, and the
curated table of press spellings.

- :func:`extract_names` finds name mentions (capitalised words and runs of them, acronyms) in
  English or Ukrainian text, skipping ordinary words that are capitalised only because they
  start a sentence.
- :func:`uk_lemma_candidates` undoes Ukrainian declension of a name (*Умєрова* → *Умєров*,
  *Києві* → *Київ*, *Зеленської* → *Зеленська*), most likely first.
- :func:`uk_name_keys` and :func:`en_name_keys` map both sides onto phonetic keys
  (:func:`aligner.translit.phonetic_key`) so that a Ukrainian name and its English renderings
  meet; press spellings that transliteration cannot produce come from
  ``aligner/data/press_names.toml`` (:func:`load_press_names`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from aligner.errors import ConfigError
from aligner.lexicon import load_lexicon
from aligner.lookalikes import normalize_apostrophes
from aligner.morphology import dictionary_lemmas
from aligner.toml_files import read_toml
from aligner.translit import phonetic_key, transliteration_keys, transliteration_variants

__all__ = [
    "Exonyms",
    "NameMention",
    "PressEntry",
    "PressNames",
    "en_name_key",
    "en_name_keys",
    "extract_names",
    "load_exonyms",
    "load_press_names",
    "lowercase_vocabulary",
    "normalize_apostrophes",
    "ranked_uk_lemmas",
    "uk_lemma_candidates",
    "uk_name_keys",
]

PRESS_NAMES_PATH = Path(__file__).parent / "data" / "press_names.toml"
EXONYMS_PATH = Path(__file__).parent / "data" / "exonyms.tsv"

#: Tables of the press file that hold translations (Britain / United Kingdom, AFU / Armed
#: Forces): their forms denote one thing but alternating between them is no spelling variant.
TRANSLATION_GROUPS = frozenset({"places_countries", "institutions"})
GIVEN_NAMES_GROUP = "given_names"

# --- mentions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameMention:
    """A name as written: ``text`` (apostrophes normalised, English possessive removed), its
    character span in the source text and its words. ``acronym`` marks NATO, ЗСУ and the like;
    ``sentence_initial`` a mention whose first word starts a sentence."""

    text: str
    start: int
    end: int
    tokens: tuple[str, ...]
    acronym: bool = False
    sentence_initial: bool = False


# Letters, with combining marks (a decomposed "Lázně" is one word), apostrophes and hyphens
# between letters.
_WORD_RE = re.compile(
    r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*(?:['-][^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*)*"
)
_LATIN_RE = re.compile(r"[A-Za-zÀ-ɏ]")
_CYRILLIC_RE = re.compile(r"[Ѐ-ӿ]")
_SENTENCE_END = frozenset('.!?…:;•·–—"“”«»()[]|')

# Frequent words that English capitalises at a sentence start or in titles and datelines:
# function words, titles and offices, calendar words, and generic news words.
EN_STOPWORDS = frozenset(
    """
    a about above according across after afterwards again against ago all almost also
    although always am among an and another any anyone anything are around as at back be
    because been before being below besides between both but by can cannot could did do
    does doing done down during each earlier either else even ever every everyone except
    few first for former from further had has have having he her here hers herself him
    himself his how however i if in including instead into is it its itself just last later
    latest least less let like many may me meanwhile might more moreover most mr mrs ms much
    must my myself neither never nevertheless new next no nobody none nor not nothing now of
    off often on once one only or other others otherwise our ours ourselves out over own per
    perhaps please rather same second several she should since so some someone something
    soon still such than that the their theirs them themselves then there therefore these
    they third this those though through thus to today together tomorrow too toward towards
    under unless until up upon us very via was we well were what whatever when where whereas
    whether which while who whom whose why will with within without would yes yesterday yet
    you your yours yourself
    president minister ministry prime deputy defense defence foreign affairs secretary general
    chief head mayor governor ambassador chairman chairwoman speaker spokesman spokeswoman
    spokesperson commander colonel general lieutenant major captain sergeant admiral marshal
    officer adviser advisor director senator congressman representative king queen prince
    princess pope patriarch archbishop bishop father saint st dr prof professor sir lady lord
    mr madam mister first lady office cabinet council parliament government administration
    committee commission agency service forces force army navy air armed security
    intelligence police border guard state states national federal republic federation union
    kingdom united international european world global news press media agency reuters
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december
    read also source sources photo video update updated breaking exclusive opinion analysis
    category publication date share points attention topic related more
    """.split()
)

# Frequent Ukrainian words that are capitalised at a sentence start (and offices that
# precede names).
UK_STOPWORDS = frozenset(
    """
    а або адже аж але б без би біля бо був була були було буде будуть в вже від вона вони
    воно все всі втім відтак де для до досі є ж же за з зі згідно і й із їх його йому як
    якщо які який яка яке коли крім куди лише між мене ми на над навіть нам нас наш не
    нехай ні ну о обабіч однак окрім от очевидно по під після по-перше по-друге при про
    проте раніше саме своє свої сьогодні так також там тепер тим то тобто тому тоді тут у
    уже хоча це цей ця ці цього через що щоб як якщо ще учора вчора завтра нині наразі
    президент прем'єр прем'єр-міністр міністр міністерство голова посол речник речниця
    генерал командувач мер губернатор депутат радник заступник секретар директор
    понеділок вівторок середа четвер п'ятниця субота неділя
    січень лютий березень квітень травень червень липень серпень вересень жовтень листопад
    грудень
    читайте також джерело фото відео
    ви вам вас вами ваш ваша ваше ваші вашого вашої вашому вашим вашій вашу ваших
    дякую привіт вітаю добрий доброго добрий шановний шановна шановні пан пані пане
    чи хоч хоча щодо краще ніколи завжди всіх всі усі свій своя своє своєї своїх свого
    тільки лише можна треба потрібно будь-ласка будь ласка
    """.split()
)

_EN_HYPHEN_SUFFIXES = frozenset(
    "based led backed born made held controlled occupied speaking style type era time "
    "year old day based-".split()
)
_POSSESSIVE_RE = re.compile(r"(?:'s|s')$")


def extract_names(
    text: str,
    lang: str,
    common_words: Collection[str] | None = None,
    press: PressNames | None = None,
) -> list[NameMention]:
    """Name mentions in ``text`` (``lang`` "en" or "uk"), in order.

    A mention is a run of capitalised words joined by single spaces (*Yoon Suk Yeol*,
    *Kim Yong-hyun*, *Рустем Умєров*); an all-capitals word (*NATO*, *ЗСУ*) is a mention of its
    own with ``acronym=True``. Dropped: stopwords of the language (function words, titles and
    offices such as *President*, calendar words), and — in English — capitalised words that
    also occur in lowercase (``common_words``, by default the lowercase words of ``text``
    itself), which are ordinary words capitalised by a sentence start or a headline; in
    Ukrainian, a sentence-initial word whose stem occurs in lowercase (*Візит* … *візиту*);
    and a sentence-initial word of the core lexicon (:mod:`aligner.lexicon`) that the press
    table does not list as a name (*Talks*, *Місто*). English
    possessives (*Yoon's*) are removed, apostrophes normalised (’ ʼ → ').

    A run is split where a known name ends and another begins (*President of South Korea Yoon
    Suk Yeol* → *South Korea*, *Yoon Suk Yeol*; *Ukraine Volodymyr Zelenskyy* → *Ukraine*,
    *Volodymyr Zelenskyy*): before a known given name, and after a leading place or entity
    of the press table (``press``, by default :func:`load_press_names`).
    """
    if lang not in ("en", "uk"):
        raise ValueError(f"unsupported language {lang!r}; expected 'en' or 'uk'")
    press = press or load_press_names()
    if common_words is None or isinstance(common_words, frozenset):
        # The checks, the aligner's features and the scores read the same paragraphs' names
        # many times per pair (~35 calls per pair); the mentions are a pure function of these
        # hashable arguments (frozen records), so they are computed once and each caller gets
        # its own list.
        return list(_cached_names(text, lang, common_words, press))
    return _extract_names(text, lang, common_words, press)


@lru_cache(maxsize=8192)
def _cached_names(
    text: str, lang: str, common_words: frozenset[str] | None, press: PressNames
) -> tuple[NameMention, ...]:
    return tuple(_extract_names(text, lang, common_words, press))


def _extract_names(
    text: str, lang: str, common_words: Collection[str] | None, press: PressNames
) -> list[NameMention]:
    norm = normalize_apostrophes(text)
    script = _LATIN_RE if lang == "en" else _CYRILLIC_RE
    stopwords = EN_STOPWORDS if lang == "en" else UK_STOPWORDS
    if common_words is None:
        common_words = lowercase_vocabulary(norm)
    # The prefixes (3 letters or more) of the lowercase words, built only when a Ukrainian
    # sentence-initial word asks.
    uk_prefixes: frozenset[str] | None = None

    mentions: list[NameMention] = []
    run: list[tuple[str, int, int, bool]] = []

    def flush() -> None:
        for part in _split_run(run, press):
            tokens = tuple(t for t, _, _, _ in part)
            start, end = part[0][1], part[-1][2]
            mentions.append(NameMention(" ".join(tokens), start, end, tokens, False, part[0][3]))
        run.clear()

    prev_end = 0
    for m in _WORD_RE.finditer(norm):
        word = m.group(0)
        if not word[0].isupper():  # most words: they end a run, if any, and nothing else
            if run:
                flush()
            continue
        start, end = m.start(), m.end()
        if run and norm[prev_end:start] != " ":
            flush()
        prev_end = end
        if not script.match(word):
            if run:
                flush()
            continue
        initial = _is_sentence_initial(norm, start)
        if lang == "en":
            word, end = _strip_english_word(word, start, common_words)
            if not word:
                flush()
                continue
        letters = word.replace("-", "").replace("'", "")
        if len(letters) >= 2 and letters.isupper():
            if run:
                flush()
            mentions.append(NameMention(word, start, end, (word,), True, initial))
            continue
        lower = word.lower()
        if lang == "en":
            ordinary = lower in common_words
        elif initial and not run:  # an inflected lowercase word starts the sentence: Візит
            if uk_prefixes is None:
                uk_prefixes = frozenset(w[:n] for w in common_words for n in range(3, len(w) + 1))
            ordinary = lower[: max(3, len(lower) - 2)] in uk_prefixes
        else:
            ordinary = False
        if initial and not run and not ordinary:
            ordinary = _lexicon_word(word, lang, press)
        if lower in stopwords or ordinary or len(letters) < 2:
            if run:
                flush()
            continue
        run.append((word, start, end, initial))
        if end != m.end():  # a possessive or a hyphenated tail ends the name
            flush()
    if run:
        flush()
    return mentions


_Token = tuple[str, int, int, bool]


def _split_run(run: list[_Token], press: PressNames) -> list[list[_Token]]:
    if len(run) == 1:  # nothing to split: one word is one part, whatever the table says
        return [list(run)]
    parts: list[list[_Token]] = []
    rest = list(run)
    while rest:
        cut = len(rest)
        for i in range(1, len(rest)):
            if _is_given_name(press, rest[i][0]) and not _is_given_name(press, rest[i - 1][0]):
                cut = i
                break
        if not _is_press_place(press, " ".join(t for t, _, _, _ in rest[:cut])):
            for n in range(min(cut - 1, 3), 0, -1):
                if _is_press_place(press, " ".join(t for t, _, _, _ in rest[:n])):
                    cut = n
                    break
        parts.append(rest[:cut])
        rest = rest[cut:]
    return parts


# A pure function of the (immutable) table and the word, asked of each capitalised word of
# every text a run reads: cached.
@lru_cache(maxsize=65536)
def _is_given_name(press: PressNames, word: str) -> bool:
    if _CYRILLIC_RE.match(word):
        return any(e.is_given_name for c in _uk_lemma_candidates(word)[:3] for e in press.by_uk(c))
    return press.given_name_class(word) is not None


@lru_cache(maxsize=65536)  # as _is_given_name
def _is_press_place(press: PressNames, text: str) -> bool:
    """Whether ``text`` is a place or institution of the press table, in any case (people
    excluded: a person's name is not followed by another name in running text)."""
    if _CYRILLIC_RE.match(text):
        entries = tuple(e for c in _uk_lemma_candidates(text)[:4] for e in press.by_uk(c))
    else:
        entries = press.by_english(text)
    return any(not e.group.startswith(("people", GIVEN_NAMES_GROUP)) for e in entries)


@lru_cache(maxsize=8192)  # read again for the same articles and paragraphs; a frozenset
def lowercase_vocabulary(text: str) -> frozenset[str]:
    """The words that occur in lowercase in ``text`` (after apostrophe normalisation)."""
    return frozenset(w for w in _WORD_RE.findall(normalize_apostrophes(text)) if w.islower())


@lru_cache(maxsize=65536)  # a pure function of its arguments (the bundled lexicon is fixed)
def _lexicon_word(word: str, lang: str, press: PressNames) -> bool:
    """Whether a sentence-initial word is an ordinary word of the core lexicon (*Talks*,
    *Місто*) rather than a name the press table knows (*Kyiv*, *Київ*)."""
    lexicon = load_lexicon()  # cached
    if lang == "en":
        return lexicon.en_token_concept(word) is not None and not press.by_english(word)
    return bool(lexicon.uk_token_concepts(word)) and not any(
        press.by_uk(c) for c in _uk_lemma_candidates(word)[:4]
    )


def _is_sentence_initial(text: str, start: int) -> bool:
    """Whether a word starts a sentence: nothing before it but spaces and quotes, or a
    sentence end, a line break, a bullet or an emoji."""
    i = start - 1
    while i >= 0 and text[i] in " \t'\"“”«»‘(\ufeff\xa0":
        i -= 1
    if i < 0:
        return True
    ch = text[i]
    return ch in "\n\r" or ch in _SENTENCE_END or not (ch.isalnum() or ch in ",-")


def _strip_english_word(word: str, start: int, common_words: Collection[str]) -> tuple[str, int]:
    """The name part of an English word: possessive removed, a lowercase hyphenated tail that
    is an ordinary word (*Kyiv-based*) removed."""
    if word.endswith(("s", "'")):  # what a possessive ends in (the others skip the regex)
        word = _POSSESSIVE_RE.sub("", word)
    if "-" in word:
        parts = word.split("-")
        while (
            len(parts) > 1
            and parts[-1].islower()
            and (parts[-1] in _EN_HYPHEN_SUFFIXES or parts[-1] in common_words)
        ):
            parts.pop()
        word = "-".join(parts)
    return word, start + len(word)


# --- Ukrainian declension --------------------------------------------------------------------

_UK_CONS = "бвгґджзклмнпрстфхцчшщ"
_UK_VOWELS = "аеєиіїоуюя"
# The last-syllable vowel of a masculine stem that is і in the nominative: Харкова → Харків,
# Києва → Київ, Львова → Львів, Рогу → Ріг.
_ALTERNATION_RE = re.compile(rf"([оеє])([{_UK_CONS}]{{1,2}})$")
# Consonants that change before -і in the dative/locative of a-stems: Бородянці → Бородянка.
_SOFTENED = {"ц": "к", "з": "г", "с": "х"}

# (ending, [replacement, ...]) — replacements are tried in order; "=" marks a stem that may
# take the і/о alternation. Adjectival endings come first: they are the most specific.
_UK_RULES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(pattern), replacements)
    for pattern, replacements in (
        (r"(ськ|цьк|зьк)(ого|ому|им|ім)$", (r"\1ий", r"\1е")),
        (r"(ськ|цьк|зьк)(ої|ій|у|ою)$", (r"\1а",)),
        (r"(ов|ев|єв|ін|ин|їн)(им)$", (r"\1",)),
        (r"([нвлрт])(ого|ому)$", (r"\1ий", r"\1е")),
        (r"([нвлрт])(им)$", (r"\1ий",)),
        (r"(ь)(ого|ому)$", (r"ій",)),
        (rf"([{_UK_CONS}])(ові|еві|єві)$", ("=", r"\1о", r"\1ь")),
        (rf"([{_UK_CONS}])(ом|ем)$", ("=", r"\1о", r"\1ь")),
        (r"(і)(єм|ям|ю|я|єві)$", (r"ій",)),
        (r"(є)(м)$", ("=",)),
        (r"(і)(ї|ю|єю)$", (r"ія",)),
        (r"([аеиоу])(ї|ю|єю)$", (r"\1я",)),
        (r"(н|ськ|цьк)(ої|ою)$", (r"\1а",)),
        (rf"([{_UK_CONS}])(ою)$", (r"\1а",)),
        (rf"([{_UK_CONS}])(ею|єю)$", (r"\1я", r"\1а")),
        (rf"([{_UK_CONS}])(ах|ам|ами)$", (r"\1и", r"\1і")),
        (rf"([{_UK_CONS}])(ях|ям|ями)$", (r"\1і", r"\1я")),
        (rf"([{_UK_CONS}])(а)$", ("=", r"\1о", r"\1ь")),
        (rf"([{_UK_CONS}])(я)$", ("=", r"\1ь", r"\1я")),
        (rf"([{_UK_CONS}])(у)$", ("=", r"\1а", r"\1о")),
        (rf"([{_UK_CONS}])(ю)$", ("=", r"\1ь", r"\1я")),
        (r"(ост)(і|ю)$", (r"ість",)),
        (r"([нвлрт])(их|ими)$", (r"\1ий",)),
        (rf"([{_UK_CONS}])(і)$", ("=", "SOFT", r"\1а", r"\1я", r"\1о", r"\1ь")),
        (rf"([{_UK_CONS}])(и)$", (r"\1а",)),
        (rf"([{_UK_CONS}])(о)$", (r"\1а",)),
    )
)


def uk_lemma_candidates(word: str) -> list[str]:
    """Possible nominative forms of a Ukrainian name, most likely first.

    ``word`` may be several words (*Юн Сук Йоля*); each is undone on its own and the
    combinations of the best candidates are returned. The word itself is always among the
    candidates: first when it already looks nominative (*Зеленська*, *Київ*), last otherwise.

    >>> uk_lemma_candidates("Умєрова")[0], uk_lemma_candidates("Києві")[0]
    ('Умєров', 'Київ')
    """
    return list(_uk_lemma_candidates(word))


@lru_cache(maxsize=65536)
def _uk_lemma_candidates(word: str) -> tuple[str, ...]:
    word = normalize_apostrophes(word.strip())
    parts = word.split()
    if len(parts) > 1:
        per_part = [_uk_lemma_candidates(p)[:3] for p in parts]
        combos = [" ".join(c[0] for c in per_part)]
        for i, cands in enumerate(per_part):
            for alt in cands[1:]:
                combos.append(" ".join(alt if j == i else c[0] for j, c in enumerate(per_part)))
        return tuple(dict.fromkeys(combos))
    if not word:
        return ()
    lower = word.lower()
    found: list[str] = []
    alternated: set[str] = set()
    for pattern, replacements in _UK_RULES:
        m = pattern.search(lower)
        if not m or m.start() + len(m.group(1)) < 2:
            continue
        head = lower[: m.start()]
        for replacement in replacements:
            if replacement == "=":
                stem = head + m.group(1)
                found.append(stem)
                alt = _ALTERNATION_RE.sub(
                    lambda a: ("ї" if a.group(1) == "є" else "і") + a.group(2), stem
                )
                if alt != stem:
                    found.append(alt)
                    alternated.add(alt)
            elif replacement == "SOFT":
                last = m.group(1)
                if last in _SOFTENED:
                    found.append(head + _SOFTENED[last] + "а")
                    found.append(head + _SOFTENED[last])
            else:
                found.append(head + m.expand(replacement))
    found = [f for f in found if len(f) >= 2 and f != lower]
    if _looks_nominative(lower):
        found.insert(0, lower)
    else:
        found.append(lower)
    # The і/о alternation (Харкова → Харків) is likelier only where the press table says so.
    found.sort(key=lambda f: _lemma_rank(f) + (2 if f in alternated and _lemma_rank(f) else 0))
    return tuple(_restore_case(word, f) for f in dict.fromkeys(found))


def ranked_uk_lemmas(word: str) -> list[str]:
    """:func:`uk_lemma_candidates` re-ranked by the Ukrainian dictionary
    (:mod:`aligner.morphology`): a candidate the dictionary gives as the word's nominative
    comes first (*Харкова* → *Харків*); else a dictionary nominative the rules did not make
    (*Відня* → *Відень*, where the rules guess *Відн*), then the rules' candidates. A
    one-word name the press table knows keeps the rules' order (the table is the stronger
    evidence)."""
    return list(_ranked_uk_lemmas(word))


@lru_cache(maxsize=65536)
def _ranked_uk_lemmas(word: str) -> tuple[str, ...]:
    rules = list(_uk_lemma_candidates(word))
    if " " in word.strip() or not rules or load_press_names().by_uk(rules[0]):
        return tuple(rules)
    lowered = [c.lower() for c in rules]
    found = [lemma for lemma in dictionary_lemmas(word) if "-" not in lemma or "-" in word]
    for lemma in found:
        if lemma in lowered:
            best = rules.pop(lowered.index(lemma))
            return (best, *rules)
    extra = [_restore_case(word.strip(), lemma) for lemma in found[:2]]
    return tuple(dict.fromkeys([*extra, *rules]))


# Endings of Ukrainian surnames and place names: a candidate with one of these is a likelier
# nominative than a bare stem (Умєрові → Умєров before Умєр).
_NAME_SUFFIX_RE = re.compile(
    r"(ов|ев|єв|ів|їв|ін|ин|ський|цький|зький|ська|цька|зька|енко|ук|юк|чук|ич|як|ак|ань|ель"
    r"|ль|поль|ськ|цьк|ка|ця|ія|ща|на|ра|ла|га|ба|да|ва|та|ма|ча|жжя|о|ій|ий)$"
)


def _lemma_rank(lemma: str) -> int:
    """0 for a lemma the press table knows, 1 for one with a name ending, 2 otherwise; a stem
    ending in a consonant cluster with к (Кличк) is no nominative: 3."""
    if load_press_names().by_uk(lemma):
        return 0
    if re.search(rf"[{_UK_CONS}]к$", lemma):
        return 3
    return 1 if _NAME_SUFFIX_RE.search(lemma) else 2


def _looks_nominative(lower: str) -> bool:
    if re.search(r"(ськ|цьк|зьк)(ий|а|е)$", lower) or re.search(r"(ий|ій)$", lower):
        return True
    if re.search(r"(ов|ев|єв|ів|їв|ін|ин)[ау]$", lower):
        return False  # Умєрова, Путіна: the genitive of a masculine surname
    if lower.endswith(("ого", "ього", "ому", "ьому")):
        return False
    return lower[-1:] not in _UK_VOWELS or lower.endswith(
        ("ія", "ля", "жжя", "о", "ка", "ча", "на", "да", "ба", "ва", "га")
    )


def _restore_case(original: str, lemma: str) -> str:
    if original.isupper() and len(original) > 1:
        return lemma.upper()
    return "-".join(
        p[:1].upper() + p[1:] if o[:1].isupper() else p
        for p, o in zip(lemma.split("-"), original.split("-") + [""] * 9, strict=False)
    )


# --- keys ------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def uk_name_keys(word_or_name: str, press: PressNames | None = None) -> frozenset[str]:
    """Phonetic keys of every transliteration of every lemma candidate of a Ukrainian name,
    plus the keys of its press spellings (:func:`load_press_names`)."""
    press = press or load_press_names()
    keys: set[str] = set()
    for lemma in uk_lemma_candidates(word_or_name):
        words = lemma.split()
        if len(words) == 1:
            keys.update(transliteration_keys(lemma))
        else:
            per_word = [sorted(transliteration_keys(w)) for w in words]
            keys.add("".join(k[0] for k in per_word))
            for i, options in enumerate(per_word):
                for option in options[1:]:
                    keys.add("".join(option if j == i else k[0] for j, k in enumerate(per_word)))
        for entry in press.by_uk(lemma):
            keys.update(phonetic_key(form) for form in entry.forms)
    keys.discard("")
    return frozenset(keys)


@lru_cache(maxsize=65536)  # asked for the same spellings by every check, table and scorer
def en_name_key(name: str) -> str:
    """The phonetic key of an English spelling of a name (possessive and apostrophes gone)."""
    return phonetic_key(_POSSESSIVE_RE.sub("", normalize_apostrophes(name.strip())))


# Declension left in Latin spellings (MT output keeps Ukrainian or Russian case endings:
# *Buchi*, *Jermaka*, *Zelenskoho*). Each rule maps a key to the key of a nominative it may
# stand for; gendered pairs stay apart (-ov/-ova, -in/-ina, -sky/-ska, given names).
_EN_ADJ_STEM = r"(sk|tsk|zk|n)"
_EN_KEY_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (rf"{_EN_ADJ_STEM}(oho|omu|ovo)$", r"\1i"),  # Zelenskoho → Zelensky
        (rf"{_EN_ADJ_STEM}(oiu|oi|u)$", r"\1a"),  # Zelenskoi → Zelenska
        (r"([^aeiou])ko$", r"\1ka"),  # Lukashenko ~ Lukashenka, Klitschko ~ Klychka
    )
)
_EN_GENDERED_STEM = re.compile(r"(ov|ev|in|sk|tsk|zk|n)$")
_EN_A_STEM_ENDINGS = re.compile(r"([^aeiou])(i|u|e|oiu|eiu)$")


def en_name_keys(name: str) -> frozenset[str]:
    """The key of an English spelling and the keys of the nominatives it may be an inflected
    form of (*Buchi* → *Bucha*, *Jermaka* ~ *Yermak*): two spellings whose key sets meet are
    spellings of one name. Endings that mark gender (*Zelenska*, *Zakharova*) are never
    undone."""
    key = en_name_key(name)
    keys = {key}
    plain = normalize_apostrophes(name.strip()).lower()
    for pattern, replacement in _EN_KEY_RULES:
        if pattern.search(key):
            keys.add(pattern.sub(replacement, key))
    # a-stem case endings: Buchi, Buche, Buchu → Bucha (not after an adjectival stem, and not
    # -y/-yi, which end masculine adjectives: Zelensky is no case of Zelenska).
    m = _EN_A_STEM_ENDINGS.search(key)
    if (
        m
        and not _EN_GENDERED_STEM.search(key[: m.start(2)])
        and not plain.endswith(("y", "yi", "ii", "iy"))
    ):
        keys.add(key[: m.start(2)] + "a")
    # consonant stems with the genitive -a: Yermak ~ Jermaka, Buch ~ Bucha.
    if key and key[-1] not in "aeiou" and not _EN_GENDERED_STEM.search(key):
        keys.add(key + "a")
    return frozenset(k for k in keys if len(k) >= 3 or k == key)


# --- press table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PressEntry:
    """One entry of a press table: a Ukrainian lemma, its English spellings (current first)
    and the table (group) it came from."""

    uk: str
    forms: tuple[str, ...]
    group: str

    @property
    def is_given_name(self) -> bool:
        return self.group == GIVEN_NAMES_GROUP

    @property
    def is_translation(self) -> bool:
        return self.group in TRANSLATION_GROUPS


def _uk_lookup_form(text: str) -> str:
    return normalize_apostrophes(text).strip().lower()


@dataclass(frozen=True)
class PressNames:
    """The press table, indexed by Ukrainian lemma and by the keys of the English forms."""

    entries: tuple[PressEntry, ...]
    sources: tuple[str, ...] = ()
    _by_uk: Mapping[str, tuple[PressEntry, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _by_key: Mapping[str, tuple[PressEntry, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_uk: dict[str, list[PressEntry]] = {}
        by_key: dict[str, list[PressEntry]] = {}
        for entry in self.entries:
            by_uk.setdefault(_uk_lookup_form(entry.uk), []).append(entry)
            for form in entry.forms:
                by_key.setdefault(en_name_key(form), []).append(entry)
        object.__setattr__(self, "_by_uk", {k: tuple(v) for k, v in by_uk.items()})
        object.__setattr__(self, "_by_key", {k: tuple(dict.fromkeys(v)) for k, v in by_key.items()})
        object.__setattr__(self, "_hash", hash((self.entries, self.sources)))

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined, no-any-return]

    @property
    def signature_hash(self) -> str:
        """A short digest of the entries, for report signatures (computed once: every pair's
        report signs with it)."""
        return _press_digest(self)

    def by_uk(self, lemma: str) -> tuple[PressEntry, ...]:
        """Entries whose Ukrainian lemma is ``lemma`` (case and apostrophes ignored)."""
        return self._by_uk.get(_uk_lookup_form(lemma), ())

    def by_english(self, spelling: str) -> tuple[PressEntry, ...]:
        """Entries listing an English form with the same key as ``spelling``."""
        return self._by_key.get(en_name_key(spelling), ())

    def given_name_class(self, spelling: str) -> str | None:
        """The Ukrainian given name that an English spelling writes (*Dmitry* → *Дмитро*), or
        None when it is no known given name."""
        for entry in self.by_english(spelling):
            if entry.is_given_name:
                return entry.uk
        return _given_name_by_translit(self).get(en_name_key(spelling))


@lru_cache(maxsize=16)
def _press_digest(press: PressNames) -> str:
    text = "\n".join(f"{e.group}|{e.uk}|{'|'.join(e.forms)}" for e in press.entries)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@lru_cache(maxsize=8)
def _given_name_by_translit(press: PressNames) -> dict[str, str]:
    index: dict[str, str] = {}
    for entry in press.entries:
        if entry.is_given_name:
            for variant in transliteration_variants(entry.uk):
                index.setdefault(phonetic_key(variant), entry.uk)
    return index


def read_press_table(path: Path) -> list[PressEntry]:
    """Entries of one press table file; :class:`ConfigError` naming the file, line and reason
    when it cannot be used."""
    data = read_toml(path, "press names table")
    entries = []
    for group, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(
                f'{path}: {group!r} must be a table of "Ukrainian" = ["English", ...]'
            )
        for uk, forms in table.items():
            if isinstance(forms, str):
                forms = [forms]
            if (
                not isinstance(forms, list)
                or not forms
                or not all(isinstance(f, str) and f.strip() for f in forms)
            ):
                raise ConfigError(
                    f"{path}: [{group}] {uk!r} must list one or more English spellings as strings"
                )
            entries.append(
                PressEntry(
                    normalize_apostrophes(uk.strip()), tuple(f.strip() for f in forms), group
                )
            )
    return entries


@lru_cache(maxsize=16)
def _load(paths: tuple[str, ...]) -> PressNames:
    entries: list[PressEntry] = []
    for p in paths:
        entries.extend(read_press_table(Path(p)))
    return PressNames(tuple(entries), paths)


def load_press_names(extra: Path | str | Iterable[Path | str] | None = None) -> PressNames:
    """The shipped press table, extended by the user's tables in the same format."""
    if extra is None:
        extras: list[str] = []
    elif isinstance(extra, (str, Path)):
        extras = [str(extra)]
    else:
        extras = [str(p) for p in extra]
    return _load((str(PRESS_NAMES_PATH), *extras))


# --- exonyms ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exonyms:
    """Ukrainian names of places with their established English names (*Китай* → *China*,
    *Шотландія* → *Scotland*, *Кельн* → *Cologne*), preferred form first. The shipped table
    (``aligner/data/exonyms.tsv``) is built from CLDR and ISO 3166 by
    ``tools/build_exonyms.py``; user tables in the same format extend it."""

    forms: Mapping[str, tuple[str, ...]]
    sources: tuple[str, ...] = ()

    def __hash__(self) -> int:
        return hash(self.sources)

    def by_uk(self, lemma: str) -> tuple[str, ...]:
        """The English forms of a Ukrainian nominative (case and apostrophes ignored)."""
        return self.forms.get(_uk_lookup_form(lemma), ())

    @property
    def signature_hash(self) -> str:
        """A short digest of the table, for report signatures (computed once)."""
        return _exonyms_digest(self)


@lru_cache(maxsize=16)
def _exonyms_digest(exonyms: Exonyms) -> str:
    text = "\n".join(f"{k}|{'|'.join(v)}" for k, v in sorted(exonyms.forms.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def read_exonym_table(path: Path) -> dict[str, tuple[tuple[str, ...], int]]:
    """Rows of one exonym file (``uk<TAB>English|English…[<TAB>source]``, ``#`` comments) by
    Ukrainian lookup form, with their line numbers. One name given two different preferred
    forms is a contradiction: :class:`ConfigError` naming both lines."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read the exonym table ({err})") from None
    rows: dict[str, tuple[tuple[str, ...], int]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        forms = tuple(f.strip() for f in cells[1].split("|") if f.strip()) if len(cells) > 1 else ()
        if not cells[0].strip() or not forms:
            raise ConfigError(
                f"{path}:{number}: expected 'Ukrainian<TAB>English[|English…]', got {line!r}"
            )
        key = _uk_lookup_form(cells[0])
        if key in rows and rows[key][0][0] != forms[0]:
            raise ConfigError(
                f"{path}: {cells[0].strip()!r} has two preferred forms: {rows[key][0][0]!r} "
                f"(line {rows[key][1]}) and {forms[0]!r} (line {number}); keep one"
            )
        previous = rows.get(key, ((), number))[0]
        rows[key] = (tuple(dict.fromkeys(previous + forms)), rows.get(key, ((), number))[1])
    return rows


@lru_cache(maxsize=16)
def _load_exonyms(paths: tuple[str, ...]) -> Exonyms:
    forms: dict[str, tuple[str, ...]] = {}
    for p in paths:
        for key, (row, _) in read_exonym_table(Path(p)).items():
            forms[key] = row if p != paths[0] or key not in forms else forms[key]
    return Exonyms(forms, paths)


def load_exonyms(extra: Path | str | None = None) -> Exonyms:
    """The shipped exonym table, extended (and overridden name by name) by a user table."""
    paths = (str(EXONYMS_PATH),) if not extra else (str(EXONYMS_PATH), str(extra))
    return _load_exonyms(paths)
