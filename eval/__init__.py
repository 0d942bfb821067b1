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
from eval.baseline import Baseline, apply_baseline, read_baseline
from eval.consistency_metric import CorpusConsistency, corpus_consistency
from eval.consistency_score import (
    ConsistencyScore,
    Scores,
    ScoreSettings,
    archive_scores,
    article_scores,
    pair_scores,
)
from eval.fingerprint import fingerprints
from eval.metrics import MetricScore, corpus_scores
from eval.names import NameVariantsCheck, find_missing_names, find_name_variants
from eval.rendering import FORMATS, render
from eval.report import Report
from eval.runner import check_archive, check_article, check_pair, load_config
from eval.style import Style, StyleCheck, default_style, load_style

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
    # name and house-style checks
    "NameVariantsCheck",
    "Style",
    "StyleCheck",
    "default_style",
    "find_missing_names",
    "find_name_variants",
    "load_style",
    # running checks and reporting
    "Baseline",
    "apply_baseline",
    "fingerprints",
    "read_baseline",
    "FORMATS",
    "Report",
    "check_archive",
    "check_article",
    "check_pair",
    "load_config",
    "render",
    # consistency scores
    "ConsistencyScore",
    "CorpusConsistency",
    "ScoreSettings",
    "Scores",
    "archive_scores",
    "article_scores",
    "corpus_consistency",
    "pair_scores",
    # corpus metrics
    "MetricScore",
    "corpus_scores",
]
