"""Severity from confidence: every finding of the name and number checks carries a
``confidence`` in [0, 1] (in its ``data``, with the evidence that produced it), and its
severity follows from it by fixed thresholds:

- confidence ≥ ``ERROR_AT`` (0.9): the kind's configured severity (its ceiling);
- confidence ≥ ``WARNING_AT`` (0.7): at most a warning;
- below: a note — still reported, never failing a ``--fail-on warning`` gate.

A user's per-kind severity in the check configuration still wins (it replaces the ceiling
and the thresholds alike).
"""

from __future__ import annotations

from eval.base import Severity

__all__ = ["ERROR_AT", "WARNING_AT", "severity_for"]

ERROR_AT = 0.9
WARNING_AT = 0.7


def severity_for(confidence: float, ceiling: Severity) -> Severity:
    """The severity of a finding of ``confidence`` whose kind is at most ``ceiling``."""
    if confidence >= ERROR_AT:
        return ceiling
    if confidence >= WARNING_AT:
        return min(ceiling, Severity.WARNING)
    return Severity.NOTE
