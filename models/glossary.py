"""House-style names: make the translation use the newsroom's preferred spelling.

A glossary maps a Ukrainian name (its dictionary form) to the preferred English spelling:
``{"Умєров": "Umerov", "Юн Сок Йоль": "Yoon Suk Yeol"}``. It is applied after the model, as a
post-edit, and only where the source mentions the name:

- uk → en: when the Ukrainian source contains the name in any inflected form (*Умєров*,
  *Умєрова*, *Умєровим*: the name followed by at most three more letters; a name ending in a
  vowel, й or ь may also change that letter: *Зеленський* / *Зеленського*), every spelling
  in the output that is close to the preferred one (*Umyerov*, *Umierov*: similarity ≥ 80 on
  the same number of words, same first letter) is replaced by it. Stems that alternate inside
  (*Київ* / *Києві*) need each form listed as its own key.
- en → uk: when the English source contains the preferred spelling, close Ukrainian spellings
  in the output (*Умеров*, *Умерова*) get the glossary's stem, keeping their ending.

A name the source mentions but the output lacks after the post-edit is reported, never
inserted: the model may have rendered it some other way that a human must judge.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from aligner.errors import ConfigError
from aligner.toml_files import read_toml

__all__ = ["Glossary"]

_LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+")
_CYRILLIC_WORD = re.compile(r"[\u0400-\u04FF]+(?:['’ʼ-][\u0400-\u04FF]+)*")
_MAX_ENDING = 3
_SIMILARITY = 80.0
_MUTABLE_FINAL = set("аеєиіїоуюяйь")


def _similar(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    a, b = a.casefold(), b.casefold()
    return a != b and a[:1] == b[:1] and fuzz.ratio(a, b) >= _SIMILARITY


def _is_form_of(word: str, lemma: str) -> bool:
    """True when ``word`` is ``lemma`` with an inflectional ending (a light, documented rule)."""
    word, lemma = word.casefold(), lemma.casefold()
    if word.startswith(lemma) and len(word) - len(lemma) <= _MAX_ENDING:
        return True
    stem = lemma[:-1]
    return (
        lemma[-1:] in _MUTABLE_FINAL
        and len(stem) >= 3
        and word.startswith(stem)
        and len(word) - len(stem) <= _MAX_ENDING
    )


def _mentions(source: str, name: str, word_pattern: re.Pattern[str]) -> bool:
    words = word_pattern.findall(source)
    parts = name.split()
    return any(
        all(_is_form_of(words[i + k], part) for k, part in enumerate(parts))
        for i in range(len(words) - len(parts) + 1)
    )


@dataclass(frozen=True)
class Glossary:
    """Preferred spellings: Ukrainian name (dictionary form) → English spelling."""

    names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        for uk, en in self.names.items():
            if not uk.strip() or not en.strip():
                raise ConfigError(f"glossary entry {uk!r} = {en!r}: both sides must be non-empty")
        object.__setattr__(self, "names", MappingProxyType(dict(self.names)))

    @classmethod
    def from_toml(cls, path: str | Path) -> Glossary:
        """Read ``"Умєров" = "Umerov"`` lines (a ``[names]`` table, or top-level keys).

        TOML 1.0 (``tomllib``) allows only ASCII bare keys: quote Ukrainian names.
        """
        data = read_toml(
            path, "glossary", fix='write lines like  "Умєров" = "Umerov" (quote Ukrainian names)'
        )
        table = data.get("names", data)
        names = {k: v for k, v in table.items() if isinstance(v, str)}
        if not names:
            raise ConfigError(f'{path}: no names; write lines like  "Умєров" = "Umerov"')
        return cls(names)

    def __bool__(self) -> bool:
        return bool(self.names)

    def enforce(self, source: str, output: str, src: str, tgt: str) -> tuple[str, list[str]]:
        """The output with preferred spellings, and messages for what was changed or missing."""
        if src == "uk" and tgt == "en":
            return self._enforce_latin(source, output)
        if src == "en" and tgt == "uk":
            return self._enforce_cyrillic(source, output)
        return output, []

    def _enforce_latin(self, source: str, output: str) -> tuple[str, list[str]]:
        messages: list[str] = []
        for uk, en in self.names.items():
            if not _mentions(source, uk, _CYRILLIC_WORD):
                continue
            n = len(en.split())
            spans = [m.span() for m in _LATIN_WORD.finditer(output)]
            replacements = []
            for i in range(len(spans) - n + 1):
                start, end = spans[i][0], spans[i + n - 1][1]
                gaps = [output[spans[k][1] : spans[k + 1][0]] for k in range(i, i + n - 1)]
                if any(gap not in (" ", "-") for gap in gaps):
                    continue  # the words of a name are next to each other
                candidate = output[start:end]
                if candidate != en and _similar(candidate.replace("-", " "), en):
                    replacements.append((start, end, candidate))
            for start, end, candidate in reversed(_non_overlapping(replacements)):
                output = output[:start] + en + output[end:]
                messages.append(f"{candidate!r} respelled {en!r} (house style for {uk})")
            if en not in output:
                messages.append(f"{uk} is in the source but {en!r} is not in the translation")
        return output, messages

    def _enforce_cyrillic(self, source: str, output: str) -> tuple[str, list[str]]:
        messages: list[str] = []
        for uk, en in self.names.items():
            if en not in source:
                continue
            lemma_words = uk.split()
            words = list(_CYRILLIC_WORD.finditer(output))
            replacements = []
            for i in range(len(words) - len(lemma_words) + 1):
                new_parts, changed = [], False
                for k, lemma in enumerate(lemma_words):
                    word = words[i + k].group(0)
                    if _is_form_of(word, lemma):
                        new_parts.append(word)
                        continue
                    base, ending = word[: len(lemma)], word[len(lemma) :]
                    if len(ending) <= _MAX_ENDING and _similar(base, lemma):
                        new_parts.append(lemma + ending)
                        changed = True
                    else:
                        break
                else:
                    if changed:
                        start, end = words[i].start(), words[i + len(lemma_words) - 1].end()
                        replacements.append((start, end, " ".join(new_parts)))
            for start, end, new in reversed(_non_overlapping(replacements)):
                messages.append(f"{output[start:end]!r} respelled {new!r} (house style for {en})")
                output = output[:start] + new + output[end:]
            if not _mentions(output, uk, _CYRILLIC_WORD):
                messages.append(f"{en} is in the source but no form of {uk} is in the translation")
        return output, messages


def _non_overlapping(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept
