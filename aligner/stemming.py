"""Light stemmers for Ukrainian and English, and a word tokenizer.

These are deliberately light: they strip inflectional endings so that the forms of one word
(*війна*, *війни*, *війною*; *minister*, *ministers*) meet on one key, and they leave
derivation alone. The keys are for matching, not for display: the Ukrainian key may not be a
real word (``stem_uk("рік") == "рок"``, see :func:`stem_uk`).

Both stemmers are pure and cached per word.
"""

from __future__ import annotations

import re
from functools import lru_cache

from aligner.lookalikes import APOSTROPHES, normalize_apostrophes

__all__ = ["closed_i_to_o", "normalize_uk", "stem_en", "stem_uk", "tokenize"]

#: Letters (any script), with apostrophes or hyphens between letters.
_WORD_RE = re.compile(rf"[^\W\d_]+(?:[-{APOSTROPHES}][^\W\d_]+)*")

# --- Ukrainian -------------------------------------------------------------------------------

_UK_VOWELS = frozenset("аеєиіїоуюя")

#: The shortest key a Ukrainian ending may leave behind.
_UK_MIN_STEM = 3

#: Inflectional endings of nouns and adjectives (the longest that fits is stripped), and the
#: few verb endings that cannot be read as a noun form. Verb endings such as -ти, -ла, -ав are
#: not stripped: they collide with noun forms (ракети, канала, держав); the lexicon indexes a
#: verb lemma under the keys of its generated forms instead.
_UK_ENDINGS = frozenset(
    (
        # nouns
        "а я у ю о е є і ї и ь й ою ею єю ям ам ами ями ах ях ів їв ей єй ові еві єві ом ем єм ій "
        # adjectives
        "ий ого ього ому ьому ої ьої ьою ім им их іх ими іми ая яя еє єє ую юю "
        # verb endings that no noun or adjective form has (present tense, gerunds)
        "ють ують юють ають яють уть ить їть ять ать емо ємо имо їмо ете єте ите їте еш єш "
        "ючи учи ачи ячи вши"
    ).split()
)

_UK_LONGEST = max(map(len, _UK_ENDINGS))

#: Reflexive particles, removed before the ending.
_UK_REFLEXIVE = ("ся", "сь")

#: Endings of a form known to be a verb (it had a reflexive particle): thematic vowels stay,
#: so that відбуватися / відбувався / відбувається all leave "відбува".
_UK_VERB_ENDINGS = frozenset(
    "ти ть в ла ло ли єть еть ить їть ать ять уть ють ємо емо имо їмо єте ете ите їте ю у ш мо "
    "те ючи учи ачи ячи вши".split()
)

_UK_CONSONANT = "бвгґджзйклмнпрстфхцчшщ"
# Fleeting vowels in the last syllable: будинок / будинку, кінець / кінця.
_UK_FLEETING_OK = re.compile(rf"([{_UK_CONSONANT}])ок$")
_UK_FLEETING_EC = re.compile(r"[еє]ц$")
# і in the last closed syllable alternates with о in the other forms: рік / року,
# ніч / ночі, сторін / сторона (not before й: війн / війна).
_UK_CLOSED_I = re.compile(r"і([бвгджзклмнпрстфхцчшщ]{1,2})$")


def closed_i_to_o(word: str) -> str:
    """``word`` with the ``і`` of its closed last syllable written ``о``, as the forms with an
    ending have it: рік → рок (року), сторін → сторон (сторона); not before й (війн)."""
    return _UK_CLOSED_I.sub(r"о\1", word)


_UK_NORMAL = str.maketrans({**dict.fromkeys(APOSTROPHES, "'"), "ґ": "г", "\u0301": None})
#: The characters :data:`_UK_NORMAL` changes: a word without them is left as it is.
_UK_NORMAL_CHANGES = re.compile(f"[{APOSTROPHES[1:]}ґ\u0301]")


def normalize_uk(word: str) -> str:
    """Lowercase, write every apostrophe as ``'``, drop stress marks, and spell ґ as г."""
    lower = word.lower()
    # the search is much cheaper than a translation of Cyrillic text, which it mostly skips
    return lower if _UK_NORMAL_CHANGES.search(lower) is None else lower.translate(_UK_NORMAL)


@lru_cache(maxsize=200_000)
def stem_uk(word: str) -> str:
    """The matching key of a Ukrainian word form.

    Lowercases and normalises the word (:func:`normalize_uk`). A word with a reflexive ``-ся``
    / ``-сь`` is a verb: the particle goes, then a verb ending, keeping the thematic vowel.
    Otherwise the longest noun or adjective ending goes that leaves at least three letters
    with a vowel among them. Then a doubled final consonant merges (рішення / рішень), the
    fleeting vowel of ``-ок`` / ``-ець`` drops (будинок / будинку) and, in a form without an
    ending, ``і`` of the closed last syllable becomes ``о`` (рік / року, сторін / сторона).
    Apostrophes are kept (сім / сім'я). Hyphenated words are stemmed part by part.
    """
    word = normalize_uk(word)
    if "-" in word:
        return "-".join(stem_uk(part) for part in word.split("-") if part)
    if len(word) <= _UK_MIN_STEM:
        return closed_i_to_o(word)
    endings = _UK_ENDINGS
    for particle in _UK_REFLEXIVE:
        if word.endswith(particle) and len(word) - len(particle) > _UK_MIN_STEM:
            word = word[: -len(particle)]
            endings = _UK_VERB_ENDINGS
            break
    zero_ending = True
    for size in range(min(_UK_LONGEST, len(word) - _UK_MIN_STEM), 0, -1):
        if word[-size:] in endings:
            stem = word[:-size]
            if not _UK_VOWELS.isdisjoint(stem):
                zero_ending = word[-size:] in ("ь", "й")
                word = stem
                break
    if len(word) > _UK_MIN_STEM and word[-1] == word[-2] and word[-1] in _UK_CONSONANT:
        word = word[:-1]
    if word.endswith("ь"):
        word = word[:-1]
    if zero_ending and "і" in word[-3:]:
        word = closed_i_to_o(word)
    if len(word) > 4 and word[-1] in "кц":
        word = _UK_FLEETING_OK.sub(r"\1к", word)
        word = _UK_FLEETING_EC.sub("ц", word)
    return word


# --- English ---------------------------------------------------------------------------------

_EN_VOWELS = frozenset("aeiouy")

#: Irregular forms that news text uses often, mapped to the form the stemmer then keys.
_EN_IRREGULAR = dict(
    pair.split(":")
    for pair in (
        "said:say says:say told:tell met:meet held:hold gave:give given:give took:take taken:take "
        "made:make went:go gone:go goes:go came:come saw:see seen:see began:begin begun:begin "
        "became:become found:find left:leave brought:bring thought:think fought:fight bought:buy "
        "sold:sell lost:lose won:win spoke:speak spoken:speak wrote:write written:write "
        "children:child men:man women:woman knew:know known:know sent:send spent:spend built:build "
        "paid:pay kept:keep felt:feel led:lead ran:run shot:shoot struck:strike hit:hit fell:fall "
        "fallen:fall flew:fly flown:fly chose:choose chosen:choose caught:catch taught:teach "
        "sought:seek stood:stand understood:understand forces:force lives:life wives:wife "
        "knives:knife feet:foot teeth:tooth mice:mouse geese:goose "
        "was:be were:be been:be is:be are:be did:do done:do does:do had:have has:have got:get "
        "gotten:get drove:drive driven:drive ate:eat eaten:eat grew:grow grown:grow threw:throw "
        "thrown:throw rose:rise risen:rise broke:break broken:break froze:freeze frozen:freeze "
        "hid:hide hidden:hide woke:wake wore:wear worn:wear sat:sit slept:sleep heard:hear "
        "meant:mean dealt:deal lent:lend fled:flee bled:bleed fed:feed dug:dig hung:hang "
        "laid:lay stole:steal stolen:steal swore:swear sworn:swear "
    ).split()
)

_EN_KEEP_S = ("ss", "us", "is", "ous")

#: Words whose final -s or -ics is not an inflection.
_EN_INVARIANT = frozenset(
    "news series species politics economics physics mathematics statistics ethics lens "
    "gas bus plus thus this yes always perhaps".split()
)


def _undouble(word: str) -> str:
    if (
        len(word) > 3
        and word[-1] == word[-2]
        and word[-1] not in "lsz"
        and word[-1] not in _EN_VOWELS
    ):
        return word[:-1]
    return word


def _restore_e(base: str) -> str:
    """After -ed / -ing: undouble (stopped → stop) or give a short base its silent e back
    (used → use, aged → age), so that it meets the base form."""
    undoubled = _undouble(base)
    if undoubled != base:
        return undoubled
    if len(base) <= 3 and base[-1] not in _EN_VOWELS:
        return base + "e"
    return base


@lru_cache(maxsize=200_000)
def stem_en(word: str) -> str:
    """The matching key of an English word form.

    Lowercases, removes a possessive ``'s``, maps common irregular forms (said → say), and
    strips plural ``-s`` / ``-es`` / ``-ies``, ``-ed``, ``-ing``, ``-ly`` and a final silent
    ``-e`` so that *state / states / stated / stating* share one key. Derivational suffixes
    (-ment, -tion, -er) are kept: *statement* is not *state*.
    """
    word = normalize_apostrophes(word.lower())
    if word.endswith("'s") or word.endswith("s'"):
        word = word[:-2] if word.endswith("'s") else word[:-1]
    word = word.replace("'", "")
    if "-" in word:
        return "-".join(stem_en(part) for part in word.split("-") if part)
    if word in _EN_INVARIANT:
        return word
    word = _EN_IRREGULAR.get(word, word)
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith(("xes", "zes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(_EN_KEEP_S):
        word = word[:-1]
    if word.endswith("ied") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("eed"):
        pass
    elif word.endswith("ed") and len(word) > 3 and _EN_VOWELS & set(word[:-2]):
        word = _restore_e(word[:-2])
    elif word.endswith("ing") and len(word) > 4 and _EN_VOWELS & set(word[:-3]):
        word = _restore_e(word[:-3])
    elif word.endswith("ly") and len(word) > 5:
        word = word[:-2]
    if word.endswith("e") and len(word) > 3 and not word.endswith(("ee", "ie", "ye")):
        word = word[:-1]
    return word


# --- tokens ----------------------------------------------------------------------------------


def tokenize(text: str) -> list[str]:
    """Word tokens of ``text``: runs of letters, with apostrophes and hyphens inside words.

    Digits and punctuation are dropped (numbers are the anchors' business).
    """
    return _WORD_RE.findall(text)
