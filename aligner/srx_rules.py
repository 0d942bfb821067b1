"""LanguageTool's SRX sentence-break rules, walked by a lean loop.

The rules, their regular expressions and the exception pattern of each break rule are
choppa-srx's (its ``SrxDocument`` and ``RuleManager``, the library ``tokenize-uk`` splits
Ukrainian with). The walk is the one of choppa's ``SrxTextIterator`` over a text held in
memory (the *ultimate* algorithm of the Java ``segment`` library), step for step: each
break rule keeps its next match; the match that breaks first (the earlier rule on a tie) is
a sentence end unless its rule's exception pattern matches there; after a break, every
rule's match that began before it is searched again from the break, and every match at or
before it is passed.

Why not the iterator itself: it builds a matcher object per rule for every paragraph and
looks its patterns up again each time, which cost about as much as the regular expressions
on news paragraphs; a run splits each paragraph once. ``tests/test_srx_rules.py`` checks the
segments against choppa's iterator and ``tokenize-uk``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from choppa import SrxDocument

#: ``pattern.search`` / ``pattern.match`` of a compiled ``regex`` pattern.
Search = Callable[[str, int], object]


@dataclass(frozen=True)
class BreakRule:
    """One break rule: where its ``before`` pattern ends and its ``after`` pattern matches
    the text may break, unless ``exception`` (the rule's exception pattern) matches there."""

    before: Search
    after: Search
    exception: Search | None
    #: ``after``'s ``search``, where ``before`` is empty (it matches at every position).
    after_anywhere: Search | None = None


@dataclass(slots=True)
class _Match:
    """A break rule's next match: where its ``before`` part starts, where it breaks, and
    where the rule's next search starts."""

    start: int
    brk: int
    position: int
    rule: BreakRule


@functools.lru_cache(maxsize=8)
def break_rules(language_code: str) -> tuple[BreakRule, ...]:
    """The break rules of an SRX language code of LanguageTool's rules (``"uk_two"``,
    ``"en_two"``: a paragraph ends at two line breaks), in the rules' order."""
    from choppa.iterators import AbstractTextIterator

    document = srx_document()
    manager = document.get_rule_manager(
        document.get_language_rule_list(language_code),
        AbstractTextIterator.DEFAULT_MAX_LOOKBEHIND_CONSTRUCT_LENGTH,
    )
    rules = []
    for rule in manager.break_rule_list:
        exception = manager.get_exception_pattern(rule)
        after = document.compile(rule.after_pattern)
        rules.append(
            BreakRule(
                document.compile(rule.before_pattern).search,
                after.match,
                exception.match if exception is not None else None,
                after.search if rule.before_pattern == "" else None,
            )
        )
    return tuple(rules)


@functools.lru_cache(maxsize=1)
def srx_document() -> SrxDocument:
    """LanguageTool's SRX rules as choppa-srx parses them (the rules ``tokenize-uk`` uses),
    parsed once per process."""
    from choppa import DEFAULT_SRX_RULESET, SrxDocument

    return SrxDocument(ruleset=DEFAULT_SRX_RULESET)


def _next_match(text: str, rule: BreakRule, position: int) -> _Match | None:
    """The rule's first match from ``position``, or None. As Java's ``Matcher.find``: a
    search goes on from the end of the previous ``before`` match, one character further when
    that match was empty."""
    end = len(text)
    if rule.after_anywhere is not None:
        # An empty ``before`` matches at every position, so that walk would try ``after`` at
        # each character in turn: the first place it matches is what a search finds.
        if position > end:
            return None
        found = rule.after_anywhere(text, position)
        if found is None:
            return None
        brk = found.start()  # type: ignore[attr-defined]
        return _Match(brk, brk, brk + 1, rule)
    while position <= end:
        before = rule.before(text, position)
        if before is None:
            return None
        brk = before.end()  # type: ignore[attr-defined]
        start = before.start()  # type: ignore[attr-defined]
        position = brk + 1 if brk == start else brk
        if rule.after(text, brk) is not None:
            return _Match(start, brk, position, rule)
    return None


def srx_segments(text: str, rules: tuple[BreakRule, ...]) -> list[str]:
    """The segments of ``text`` by the SRX ``rules``: pieces that cover the whole text in
    order, each ending where a sentence ends (whitespace stays with the segment before it,
    as choppa's ``SrxTextIterator`` gives them)."""
    length = len(text)
    matches = [m for m in (_next_match(text, rule, 0) for rule in rules) if m is not None]
    segments = []
    start = 0
    while start < length:
        found = False
        while not found:
            first = None
            for m in matches:  # the earliest break; on a tie, the earlier rule
                if first is None or m.brk < first.brk:
                    first = m
            if first is None:
                found, end = True, length
            else:
                end = first.brk
                if end > start:
                    exception = first.rule.exception
                    found = exception is None or exception(text, end) is None
                    if found:
                        matches = _searched_again(text, matches, end)
            matches = _passed(text, matches, end)
        segments.append(text[start:end])
        start = end
    return segments


def _searched_again(text: str, matches: list[_Match], end: int) -> list[_Match]:
    """After a break at ``end``: each match that began before it, searched again from it."""
    kept = []
    for m in matches:
        if m.start < end:
            again = _next_match(text, m.rule, end)
            if again is None:
                continue
            m = again
        kept.append(m)
    return kept


def _passed(text: str, matches: list[_Match], end: int) -> list[_Match]:
    """Each match that breaks at or before ``end``, moved on to its next match after it
    (rules with no match left drop out)."""
    kept = []
    for m in matches:
        while m is not None and m.brk <= end:
            m = _next_match(text, m.rule, m.position)
        if m is not None:
            kept.append(m)
    return kept
