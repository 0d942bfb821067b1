"""A core Ukrainian↔English lexicon that turns paragraphs of both languages into concept bags.

The bundled file ``aligner/data/lexicon.tsv`` maps Ukrainian lemmas to English equivalents
(format in ``aligner/data/LEXICON.md``). A *concept* is one English key (the :func:`stem_en`
of a translation word): an English word maps to at most one concept, a Ukrainian word maps,
through :func:`stem_uk`, to the concepts of every translation of every lemma that shares its
key. Because the Ukrainian stemmer does not strip verb endings that collide with noun forms,
each lemma is indexed under the keys of a few generated forms as well (past tense and present
of verbs, oblique cases of consonant-final nouns, the genitive plural of vowel-final nouns).

So ``заявив`` and ``said`` meet on the concept ``say``, ``війною`` and ``war`` on ``war``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from aligner.errors import InputError
from aligner.lookalikes import APOSTROPHES, normalize_apostrophes
from aligner.stemming import closed_i_to_o, normalize_uk, stem_en, stem_uk, tokenize

__all__ = ["Lexicon", "load_lexicon", "UK_STOPWORDS", "EN_STOPWORDS"]

#: Ukrainian function words: pronouns, prepositions, conjunctions, particles, auxiliaries.
#: They never map to a concept, whatever their key collides with.
UK_STOPWORDS = frozenset(
    """
    я ти він вона воно ми ви вони мене тебе його її нас вас їх мені тобі йому їй нам вам їм
    мною тобою ним нею нами вами ними мій моя моє мої мого моєї моєму моїй моїм моїх моїми
    мою твій твоя твоє твої твого твоєї твоєму твоїй твоїм твоїх твою наш наша наше наші
    нашого нашої нашому нашій нашим наших нашими нашу ваш ваша ваше ваші вашого вашої вашому
    вашій вашим ваших вашими вашу свій своя своє свої свого своєї своєму своїй своїм своїх
    своїми свою їхній їхня їхнє їхні їхнього їхньої їхньому їхніх їхнім себе собі собою
    цей ця це ці цього цієї цьому цій цим цих цими цю той та те ті того тієї тому тій тим
    тих тими ту який яка яке які якого якої якому якій яким яких якими яку котрий котра
    котре котрі котрого котрої котрій чий чия чиє чиї хто що кого чого кому чому ким чим
    хтось щось когось чогось комусь чимось ніхто ніщо нікого нічого нікому нічим будь-хто
    будь-що всі усі все усе весь вся всього усього всіх усіх всім усім всіма усіма сам сама
    саме самі самого самому самих такий така таке такі такого такої таким таких
    в у на з із зі зо до від од за під над перед між по при про через без для біля коло
    поміж посеред серед крізь понад протягом щодо стосовно завдяки замість окрім крім
    після поза попри проти задля заради навколо довкола всередині уздовж вздовж
    і й та а але або чи ні ані що щоб якщо коли як ніж бо тому оскільки адже хоча хоч
    поки доки аж якби наче ніби немов мов де куди звідки тоді там тут так не ж же б би
    то ось он лише ну от хай нехай навіть вже уже ще теж також тільки просто саме ось-ось
    є був була було були буде будуть будемо будете буду будеш бути буть бувши
    має мав мала мало мали маю маєш маємо маєте мають мати може можу можеш можемо можете
    можуть міг могла могли могло
    немає нема неї них нього нім ньому один одна одне одно одного одної одному одній одним
    одних одними одну деякий деяка деяке деякі деякого деякої деякому деяким деяких деякими
    деяку якийсь якась якесь якісь якогось якоїсь якомусь якимсь якихось якось десь
    колись чомусь кудись звідкись жоден жодна жодне жодні жодного жодної жодному жодним
    жодних жодну ніякий ніяка ніяке ніякі ніякого ніякої ніяких будь-який будь-яка будь-яке
    будь-які будь-якого будь-якої будь-яких щоби проте однак хіба тобто таки отже
    тож втім зате причому якраз тощо туди сюди звідти звідси звідки отак оце ото аби мовляв
    нібито буцімто неначе му го ї с м г ст повинен повинна повинно повинні вашою нашою моєю
    твоєю своєю їхньою такому таку такою якою котрих котрим котрою дехто скільки стільки
    занадто надто
    """.split()
)

#: English function words: dropped from translations and from English text.
EN_STOPWORDS = frozenset(
    """
    a an the of to in on at for by with from and or nor but if as is it its be been being
    am are was were do does did done have has had having will would shall should can could
    might must this that these those there here than then so such not no yes i you he
    she we they me him her us them my your his our their mine yours ours theirs who whom
    whose which what when where why how one's oneself into onto upon up out off over about
    just also very too myself yourself himself herself itself ourselves themselves doing
    because since while until till though although whether either neither both each every
    any some all none nothing something anything everything someone anyone everyone nobody
    somebody anybody somewhere anywhere everywhere nowhere against during without within
    under among between around through across via except besides instead rather still yet
    ever etc i'm i've i'll i'd you're you've you'll you'd he's she's it's we're we've we'll
    they're they've they'll that's there's what's let's don't doesn't didn't can't couldn't
    won't wouldn't shouldn't isn't aren't wasn't weren't haven't hasn't hadn't mustn't
    """.split()
)

_BUNDLED = "lexicon.tsv"
_ONE_WORD = re.compile(rf"[^\W\d_]+(?:[-{APOSTROPHES}][^\W\d_]+)*")
_LETTER = re.compile(r"[^\W\d_]")


# The concepts of one word form: a pure function of the (immutable, identity-hashed) lexicon
# and the form, asked for every word of every paragraph and sentence a run aligns.
@lru_cache(maxsize=65536)
def _uk_token_concepts(lexicon: Lexicon, word: str) -> frozenset[int]:
    return lexicon.uk_token_concepts(word)


@lru_cache(maxsize=65536)
def _en_token_concept(lexicon: Lexicon, word: str) -> int | None:
    return lexicon.en_token_concept(word)


@dataclass(frozen=True, eq=False)
class Lexicon:
    """An immutable Ukrainian→English concept index.

    ``uk_index`` maps a Ukrainian key (:func:`stem_uk`) to concept ids, ``en_index`` an English
    key (:func:`stem_en`) to its concept id, ``uk_words`` a Ukrainian key to the English words
    of its lemmas. ``concept_names[i]`` is the English key of concept ``i``.
    """

    uk_index: Mapping[str, frozenset[int]]
    en_index: Mapping[str, int]
    uk_words: Mapping[str, frozenset[str]]
    concept_names: tuple[str, ...]
    n_entries: int
    sources: tuple[str, ...] = ()

    def __len__(self) -> int:
        return self.n_entries

    def uk_token_concepts(self, word: str) -> frozenset[int]:
        """The concepts of one Ukrainian word form (empty for function words)."""
        if normalize_uk(word) in _UK_STOPWORDS_NORM:
            return frozenset()
        return self.uk_index.get(stem_uk(word), frozenset())

    def en_token_concept(self, word: str) -> int | None:
        """The concept of one English word form, or None.

        "May" is the month only when capitalised; lowercase "may" is the modal verb.
        """
        lower = normalize_apostrophes(word.lower())
        if lower in EN_STOPWORDS or (lower == "may" and not word[:1].isupper()):
            return None
        return self.en_index.get(stem_en(word))

    def concepts(self, text: str, lang: str) -> Counter[int]:
        """The bag of concept ids of ``text`` (``lang`` is ``"uk"`` or ``"en"``).

        A Ukrainian word adds one count to each of its concepts (a word with translations
        "say" and "state" adds both); an English word adds one count to its single concept.
        """
        bag: Counter[int] = Counter()
        if lang == "uk":
            for token in tokenize(text):
                concepts = _uk_token_concepts(self, token)
                if concepts:  # most words have none: no call for them
                    bag.update(concepts)
        elif lang == "en":
            for token in tokenize(text):
                concept = _en_token_concept(self, token)
                if concept is not None:
                    bag[concept] += 1
        else:
            raise ValueError(f"unsupported language {lang!r}; expected 'uk' or 'en'")
        return bag

    def translations(self, uk_word: str) -> frozenset[str]:
        """The English words for an inflected Ukrainian word (empty when unknown)."""
        if normalize_uk(uk_word) in _UK_STOPWORDS_NORM:
            return frozenset()
        return self.uk_words.get(stem_uk(uk_word), frozenset())


_UK_STOPWORDS_NORM = frozenset(normalize_uk(w) for w in UK_STOPWORDS)


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    uk: str
    en: tuple[str, ...]


def _parse(text: str, source: str) -> Iterator[_Entry]:
    """Entries of a lexicon file; raises :class:`InputError` naming ``source`` and the line."""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue

        def bad(what: str, number: int = number, raw: str = raw) -> InputError:
            return InputError(
                f"{source}:{number}: {what} in {raw!r}; "
                "expected 'uk_lemma<TAB>english|english' (see aligner/data/LEXICON.md)"
            )

        parts = raw.rstrip("\r\n").split("\t")
        if len(parts) != 2:
            raise bad(f"expected 2 tab-separated fields, found {len(parts)}")
        uk, en = parts[0].strip(), parts[1].strip()
        if not _ONE_WORD.fullmatch(uk):
            raise bad("the Ukrainian lemma must be one word")
        if not any("\u0400" <= c <= "\u04ff" for c in uk):
            raise bad("the Ukrainian lemma has no Cyrillic letter")
        words = tuple(w.strip() for w in en.split("|"))
        if not words or any(not w for w in words):
            raise bad("empty English translation")
        if any(not _LETTER.search(w) for w in words):
            raise bad("an English translation has no letters")
        yield _Entry(uk, words)


def _is_reflexive(word: str) -> bool:
    return word.endswith(("ся", "сь")) and len(word) > 5


def _is_verb(word: str) -> bool:
    """Whether a normalised lemma looks like an infinitive (-ти, -ть, -тися, -тись)."""
    base = word[:-2] if _is_reflexive(word) else word
    return len(base) > 4 and base.endswith(("ти", "ть")) and base[-3] in "аеєиіїоуюя"


def _uk_forms(lemma: str) -> list[str]:
    """The lemma and a few generated forms whose keys the stemmer would not reach from it."""
    word = normalize_uk(lemma)
    forms = [word]
    if "-" in word:
        return forms
    reflexive = _is_reflexive(word)
    base = word[:-2] if reflexive else word
    if _is_verb(word):
        stem = base[:-2]  # заяви, заявля, працюва, поверну
        # one form per distinct key: заявила, заявило, заявили all leave "заявил"
        verb = [stem + "ти", stem + "в", stem + "ла"]
        if stem.endswith(("ува", "юва")):  # працювати: працює; перебувати: перебуває
            root, vowel = stem[:-3], stem[-3]
            verb += [root + vowel + "є", root + vowel + "ють", stem + "є", stem + "ють"]
        elif stem.endswith(("а", "я")):  # читати: читає, читають; написано, написаний
            verb += [stem + "є", stem + "ють", stem + "но"]
        elif stem.endswith(("и", "і", "ї")):  # говорити: говорить, говорять
            root = stem[:-1]
            verb += [root + "ить", root + "ено"]  # звільнити: звільнено
            if root[-1] in "бпвмф":  # заявити: заявлено, зробити: зроблено
                verb.append(root + "лено")
            if stem[-1] in "ії":  # розуміти: розуміє, розуміють
                verb.append(stem + "є")
        elif stem.endswith("ну"):  # повернути: поверне, повернуть
            verb.append(stem[:-2] + "не")
        # a reflexive verb's forms keep the particle, so the stemmer reads them as verbs
        return forms + [f + "ся" if reflexive else f for f in verb]
    if base.endswith(("ий", "ій", "їй")) and len(base) > 4:
        return forms  # adjective: the stemmer reaches every form
    last = base[-1]
    if last in "ьй" or last not in "аеєиіїоуюя'":
        soft = last in "ьй"
        root = base[:-1] if soft else base
        roots = {root, closed_i_to_o(root)}  # рік: року, but світ: світу
        # every oblique ending leaves the same key, so one form per root is enough
        forms += [r + ("я" if soft else "а") for r in roots]
    elif base.endswith(("ія", "ея")) or (last in "ая" and len(base) <= 4):
        # short or -ія nouns, whose oblique forms the stemmer leaves whole: дія, їжа, Азія
        soft = ("ї", "ю", "єю", "й", "ям", "ях") if base[-2] in "аеєиіїоуюя'" else ("і", "ю", "ею")
        endings = soft if last == "я" else ("і", "и", "у", "ою", "ам", "ах")
        forms += [base[:-1] + e for e in endings]
    elif last in "аяо" and len(base) > 3 and base[-2] not in "аеєиіїоуюя'":
        gen_plural = base[:-1]  # проблема: проблем
        if base[-2] in "кн" and base[-3] not in "аеєиіїоуюя'":
            gen_plural = base[:-2] + ("о" if base[-2] == "к" else "е") + base[-2]
            gen_plural += "ь" if last == "я" else ""  # думка: думок, гривня: гривень
        forms.append(gen_plural)
    return forms


def _build(entries: Sequence[_Entry], sources: tuple[str, ...]) -> Lexicon:
    """Index the entries. A key that is some lemma's own key is not also given to the
    generated noun forms of other lemmas: the generated *міста* (of міст, bridge) stays with
    місто. Generated verb forms are real forms of the verb (заявить), so they always count."""
    concept_ids: dict[str, int] = {}
    entry_concepts: list[frozenset[int]] = []
    for entry in entries:
        ids = {
            concept_ids.setdefault(stem_en(token), len(concept_ids))
            for phrase in entry.en
            for token in tokenize(phrase)
            if token.lower() not in EN_STOPWORDS
        }
        entry_concepts.append(frozenset(ids))
    lemma_keys = {stem_uk(entry.uk) for entry in entries}
    key_entries: dict[str, list[int]] = {}
    for number, entry in enumerate(entries):
        keys = {stem_uk(form) for form in set(_uk_forms(entry.uk))}
        if not _is_verb(normalize_uk(entry.uk)):
            keys = {stem_uk(entry.uk)} | (keys - lemma_keys)
        for key in keys:
            key_entries.setdefault(key, []).append(number)
    entry_words = [frozenset(entry.en) for entry in entries]
    uk_concepts: dict[str, frozenset[int]] = {}
    uk_words: dict[str, frozenset[str]] = {}
    for key, numbers in key_entries.items():
        if len(numbers) == 1:  # most keys: share the entry's own sets
            uk_concepts[key] = entry_concepts[numbers[0]]
            uk_words[key] = entry_words[numbers[0]]
        else:
            uk_concepts[key] = frozenset().union(*(entry_concepts[n] for n in numbers))
            uk_words[key] = frozenset().union(*(entry_words[n] for n in numbers))
    return Lexicon(
        uk_index=MappingProxyType(uk_concepts),
        en_index=MappingProxyType(concept_ids),
        uk_words=MappingProxyType(uk_words),
        concept_names=tuple(concept_ids),
        n_entries=len(entries),
        sources=sources,
    )


@lru_cache(maxsize=1)
def _bundled_entries() -> tuple[_Entry, ...]:
    text = (Path(__file__).parent / "data" / _BUNDLED).read_text(encoding="utf-8")
    return tuple(_parse(text, f"aligner/data/{_BUNDLED}"))


def _read_user_file(path: Path) -> tuple[_Entry, ...]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: lexicon file not found; check the path") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: lexicon file is not UTF-8; re-save it as UTF-8") from None
    return tuple(_parse(text, str(path)))


@lru_cache(maxsize=8)
def _load(extra: tuple[tuple[Path, int], ...], bundled: bool) -> Lexicon:
    entries: list[_Entry] = list(_bundled_entries()) if bundled else []
    for path, _mtime in extra:
        entries.extend(_read_user_file(path))
    sources = ((f"aligner/data/{_BUNDLED}",) if bundled else ()) + tuple(str(p) for p, _ in extra)
    return _build(entries, sources)


def load_lexicon(extra: Sequence[Path] = (), *, bundled: bool = True) -> Lexicon:
    """The bundled lexicon, plus user lexicon files in the same format.

    Parsed lexicons are cached (they are immutable); a user file is read again when the list of
    paths or a file's modification time changes.
    """
    keys = []
    for path in map(Path, extra):
        try:
            keys.append((path, path.stat().st_mtime_ns))
        except OSError:
            raise InputError(f"{path}: lexicon file not found; check the path") from None
    return _load(tuple(keys), bundled)
