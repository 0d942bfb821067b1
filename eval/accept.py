"""The accept list of a style file: deliberate spellings and known exceptions, each with a
reason, that the checks then do not report.

In the style file (TOML), one ``[[accept]]`` table per entry::

    [[accept]]
    spelling = "Kiev"                 # accepted wherever a finding is about this spelling
    rule = "style.rejected"           # optional: only findings of this rule (or check)
    reason = "the name of the newspaper Kiev Post"

    [[accept]]
    rule = "coverage.russian"
    article = "lavrov-interview"      # only in this article
    reason = "the interview is quoted in Russian on purpose"

    [[accept]]
    fingerprint = "4f0c3e9a1d2b7c6e5f4a3b2c1d0e9f8a"   # exactly one finding (see eval.fingerprint)
    reason = "checked with the desk on 2026-03-02"

An entry needs a ``reason`` and at least one of ``spelling``, ``fingerprint`` or ``rule``
(``rule`` alone must come with ``article``: a rule accepted everywhere is switched off with
``--checks`` or a severity in the config instead). Every condition an entry states must hold.
A finding is "about" a spelling when the spelling, compared without case, apostrophe
look-alikes and extra spaces, is one of the strings of its data other than the suggested
ones (``preferred``, ``expected``): the rejected form, the variant spellings, the number as
written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.errors import ConfigError
from eval.base import Finding, check_classes
from eval.fingerprint import FINGERPRINT_LENGTH, normalise, subject_strings

__all__ = ["Acceptance", "accepts", "parse_accept_entries"]

_KEYS = ("spelling", "fingerprint", "rule", "article", "reason")
#: ``data`` keys holding what the check suggests, not what the text says.
_SUGGESTED = frozenset({"preferred", "expected", "kind", "suggestion_from"})
_HEADER = re.compile(r"\s*\[\[\s*accept\s*\]\]")


@dataclass(frozen=True)
class Acceptance:
    """One ``[[accept]]`` entry; ``line`` is where it starts in the style file."""

    reason: str
    spelling: str | None = None
    fingerprint: str | None = None
    rule: str | None = None
    article: str | None = None
    line: int | None = None

    def matches(self, finding: Finding) -> bool:
        """Whether every condition of this entry holds for ``finding``."""
        if self.fingerprint is not None and finding.fingerprint != self.fingerprint:
            return False
        if self.rule is not None and self.rule not in (finding.rule, finding.check):
            return False
        if self.article is not None and all(
            loc.article != self.article for loc in finding.locations
        ):
            return False
        if self.spelling is not None:
            said = {k: v for k, v in finding.data.items() if k not in _SUGGESTED}
            if normalise(self.spelling) not in subject_strings(said):
                return False
        return True


def accepts(entries: Sequence[Acceptance], finding: Finding) -> bool:
    """Whether any entry accepts ``finding``."""
    return any(entry.matches(finding) for entry in entries)


def _header_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if _HEADER.match(line)]


def _known_rules() -> set[str]:
    rules = set()
    for name, cls in check_classes().items():
        rules.add(name)
        rules.update(f"{name}.{kind}" for kind in cls.severities)
    return rules


def parse_accept_entries(value: object, text: str, where: str) -> tuple[Acceptance, ...]:
    """The ``accept`` value of a parsed style file (``text`` is its source, for line numbers).
    :class:`ConfigError` naming the file, the line and the reason for a bad entry."""
    if value is None:
        return ()
    headers = _header_lines(text)
    if not isinstance(value, list):
        raise ConfigError(
            f"{where}: accept must be a list of [[accept]] tables, each with a reason"
        )
    entries = []
    for index, item in enumerate(value):
        at = f"{where}: line {headers[index]}" if index < len(headers) else where
        if not isinstance(item, dict):
            raise ConfigError(f"{at}: an accept entry must be a [[accept]] table")
        unknown = [k for k in item if k not in _KEYS]
        if unknown:
            raise ConfigError(
                f"{at}: unknown key {unknown[0]!r} in [[accept]]; keys: {', '.join(_KEYS)}"
            )
        for key, field_value in item.items():
            if not isinstance(field_value, str) or not field_value.strip():
                raise ConfigError(f"{at}: [[accept]] {key} must be a non-empty string")
        values = {k: v.strip() for k, v in item.items()}
        if "reason" not in values:
            raise ConfigError(f"{at}: [[accept]] needs a reason (why this is deliberate)")
        if not {"spelling", "fingerprint", "rule"} & set(values):
            raise ConfigError(
                f"{at}: [[accept]] must say what it accepts: a spelling, a fingerprint or a "
                "rule (with an article)"
            )
        if set(values) <= {"rule", "reason"}:
            raise ConfigError(
                f"{at}: [[accept]] with only a rule would switch the rule off everywhere; add "
                "an article or a spelling (or use --checks / a severity in the config)"
            )
        fingerprint = values.get("fingerprint")
        if fingerprint is not None and not re.fullmatch(
            rf"[0-9a-f]{{{FINGERPRINT_LENGTH}}}", fingerprint
        ):
            raise ConfigError(
                f"{at}: [[accept]] fingerprint {fingerprint!r} is not {FINGERPRINT_LENGTH} "
                "lowercase hex digits (copy it from the JSON report or a baseline)"
            )
        rule = values.get("rule")
        if rule is not None and rule not in _known_rules():
            raise ConfigError(
                f"{at}: [[accept]] rule {rule!r} is no check or rule of mistok "
                "(`mistok check --list-checks` lists them; a rule is CHECK.KIND)"
            )
        entries.append(Acceptance(**values, line=headers[index] if index < len(headers) else None))
    return tuple(entries)
