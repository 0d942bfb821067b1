"""What a translation run reports beside its text: issues per paragraph and the settings used."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["ISSUE_KINDS", "TranslationIssue", "TranslationReport", "TranslationResult"]

#: Every kind of issue a translation can report, and what it means.
ISSUE_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "split": "a sentence was longer than the model's token limit and was cut into pieces",
        "empty": "the model returned nothing for a non-empty paragraph",
        "repetition": "the output repeats the same words over and over",
        "russian": "the Ukrainian output contains Russian-only letters (ы э ъ ё)",
        "numbers": "numbers of the source are missing from the output",
        "glossary": "a house-style name was respelled, or is missing from the output",
        "already_target": "the paragraph is already in the target language and was kept as is",
    }
)


@dataclass(frozen=True)
class TranslationIssue:
    """One thing worth a human look in one translated paragraph (0-based index)."""

    kind: str
    paragraph: int
    message: str

    def __str__(self) -> str:
        return f"paragraph {self.paragraph}: {self.kind}: {self.message}"


@dataclass(frozen=True)
class TranslationReport:
    """The issues of one run and the settings that produced the text (sacrebleu-style)."""

    issues: tuple[TranslationIssue, ...] = ()
    settings: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    def of_kind(self, kind: str) -> tuple[TranslationIssue, ...]:
        return tuple(i for i in self.issues if i.kind == kind)

    def signature(self) -> str:
        """``key:value|key:value`` of the settings, sorted by key."""
        return "|".join(f"{k}:{v}" for k, v in sorted(self.settings.items()))


@dataclass(frozen=True)
class TranslationResult:
    """Translated paragraphs (same count and order as the input) and their report."""

    texts: tuple[str, ...]
    report: TranslationReport
