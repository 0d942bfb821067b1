"""Stable identities of findings: what a finding is about, not where it happens to be.

A fingerprint is the SHA-256 (first 32 hex digits) of these parts, each normalised:

- ``rule``: the check and the kind of finding (``numbers.missing``);
- ``articles``: the ids and languages of the articles it points into (sorted);
- ``subject``: the spellings and numbers it is about: every string value (and mapping key) of
  the finding's ``data``, Unicode NFC, apostrophe look-alikes folded, whitespace squeezed,
  case-folded, sorted (numbers written as numbers in ``data`` are counts, ratios and scores,
  which change with edits elsewhere, so they are left out, as are ``suggestion_from``,
  ``confidence``, ``evidence`` and ``link``: how the finding was decided, not what it is about);
- ``context``: a hash of the text of each paragraph it points at (normalised the same way but
  for case), sorted. A finding about the article as a whole has no context.

Paragraph numbers, character offsets, line numbers and message wording are not part of it: a
paragraph added, removed or moved elsewhere in the article leaves the fingerprint alone, while
an edit of the paragraph the finding is about gives a new one (it needs a new look).

Two findings with equal parts (the same number missing twice from one paragraph) are told
apart by their order: the second gets ``:2`` folded into its hash, the third ``:3``, and so on
(:func:`fingerprints`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence

from aligner.lookalikes import normalize_apostrophes
from eval.base import Finding

__all__ = ["FINGERPRINT_VERSION", "FINGERPRINT_LENGTH", "finding_parts", "fingerprints"]

#: Changes whenever the recipe above changes (then every baseline must be written anew).
FINGERPRINT_VERSION = "1"
#: Hex digits kept of the SHA-256.
FINGERPRINT_LENGTH = 32
#: ``data`` keys that say how a finding was decided, not what it is about.
_NOT_SUBJECT = frozenset({"suggestion_from", "confidence", "evidence", "link"})
_SPACES = re.compile(r"\s+")

#: (article id, language, paragraph index) → the paragraph's text, or None when unknown.
ParagraphText = Callable[[str, str, int], "str | None"]


def normalise(text: str, fold_case: bool = True) -> str:
    """NFC, apostrophe look-alikes as ``'``, whitespace runs as one space, trimmed, and
    (``fold_case``) case-folded."""
    text = _SPACES.sub(" ", normalize_apostrophes(unicodedata.normalize("NFC", text))).strip()
    return text.casefold() if fold_case else text


def subject_strings(data: Mapping[str, object]) -> list[str]:
    """The normalised strings a finding's ``data`` is about (sorted, without repeats)."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            if value.strip():
                found.add(normalise(value))
        elif isinstance(value, Mapping):
            for key, item in value.items():
                walk(str(key))
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    for key, value in data.items():
        if key not in _NOT_SUBJECT:
            walk(value)
    return sorted(found)


def finding_parts(finding: Finding, paragraph_text: ParagraphText) -> tuple[str, ...]:
    """The normalised parts the fingerprint of ``finding`` is made of (see the module doc)."""
    articles = sorted({f"{loc.article}.{loc.lang}" for loc in finding.locations})
    context = set()
    for loc in finding.locations:
        if loc.paragraph is None:
            continue
        text = paragraph_text(loc.article, loc.lang, loc.paragraph)
        if text is not None:
            digest = hashlib.sha256(normalise(text, fold_case=False).encode("utf-8"))
            context.add(f"{loc.article}.{loc.lang}:{digest.hexdigest()[:16]}")
    return (
        f"v{FINGERPRINT_VERSION}",
        finding.rule,
        "articles=" + ",".join(articles),
        "subject=" + "\x1f".join(subject_strings(finding.data)),
        "context=" + ",".join(sorted(context)),
    )


def _digest(parts: Iterable[str]) -> str:
    return hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


def fingerprints(findings: Sequence[Finding], paragraph_text: ParagraphText) -> list[str]:
    """The fingerprint of each finding, in order; equal parts are numbered by occurrence."""
    seen: dict[tuple[str, ...], int] = {}
    out = []
    for finding in findings:
        parts = finding_parts(finding, paragraph_text)
        seen[parts] = seen.get(parts, 0) + 1
        n = seen[parts]
        out.append(_digest(parts if n == 1 else (*parts, f"occurrence={n}")))
    return out
