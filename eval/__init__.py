"""Consistency checks, corpus metrics and reports for aligned Ukrainian–English articles."""

from eval.base import (
    Check,
    Finding,
    Location,
    PairContext,
    Severity,
    available_checks,
    get_check,
    register_check,
)

__all__ = [
    "Check",
    "Finding",
    "Location",
    "PairContext",
    "Severity",
    "available_checks",
    "get_check",
    "register_check",
]
