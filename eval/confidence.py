"""Severity from confidence: every finding carries a ``confidence`` in [0, 1] (in its
``data``, with the evidence that produced it), and its severity follows from it by fixed
thresholds:

- confidence ≥ ``ERROR_AT`` (0.9): the kind's configured severity (its ceiling);
- confidence ≥ ``WARNING_AT`` (0.7): at most a warning;
- below: a note — still reported, never failing a ``--fail-on warning`` gate.

A user's per-kind severity in the check configuration still wins (it replaces the ceiling
and the thresholds alike).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from eval.base import Finding, Severity

__all__ = ["ERROR_AT", "WARNING_AT", "severity_for", "with_confidence"]

ERROR_AT = 0.9
WARNING_AT = 0.7


def severity_for(confidence: float, ceiling: Severity) -> Severity:
    """The severity of a finding of ``confidence`` whose kind is at most ``ceiling``."""
    if confidence >= ERROR_AT:
        return ceiling
    if confidence >= WARNING_AT:
        return min(ceiling, Severity.WARNING)
    return Severity.NOTE


def with_confidence(
    finding: Finding, confidence: float, evidence: Mapping[str, object] | str
) -> Finding:
    """``finding`` with its confidence and evidence in ``data`` and its severity from them
    (the finding's own severity, the configured one of its kind, is the ceiling)."""
    data = {**finding.data, "confidence": confidence, "evidence": evidence}
    return replace(finding, data=data, severity=severity_for(confidence, finding.severity))
