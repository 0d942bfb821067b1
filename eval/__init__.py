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
from eval.metrics import MetricScore, corpus_scores
from eval.report import FORMATS, Report, render
from eval.runner import check_archive, check_article, check_pair, load_config

__all__ = [
    # checks
    "Check",
    "Finding",
    "Location",
    "PairContext",
    "Severity",
    "available_checks",
    "get_check",
    "register_check",
    # running checks and reporting
    "FORMATS",
    "Report",
    "check_archive",
    "check_article",
    "check_pair",
    "load_config",
    "render",
    # corpus metrics
    "MetricScore",
    "corpus_scores",
]
