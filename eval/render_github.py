"""GitHub Actions annotations: one ``::error file=…,line=…::message`` line per finding, and
one ``::notice`` with the consistency score.

Severities map to the workflow commands ``error``, ``warning`` and ``notice``. Values are
escaped as the runner expects (``%``, CR and LF everywhere; ``:`` and ``,`` in properties).
"""

from __future__ import annotations

import os
from pathlib import Path

from eval.base import Finding, Severity
from eval.report import Report

__all__ = ["render_github"]

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _relative(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def annotation(report: Report, finding: Finding) -> str:
    """One workflow command for ``finding``, pointing at its first located source file."""
    properties = {"title": finding.rule}
    for loc in finding.locations:
        article = report.article(loc.article, loc.lang)
        if article is None or article.source is None:
            continue
        properties["file"] = _relative(Path(article.source))
        line = loc.line or report.line_of(loc.article, loc.lang, loc.paragraph)
        if line is not None:
            properties["line"] = str(line)
        break
    order = ("file", "line", "title")
    props = ",".join(f"{k}={_escape_property(properties[k])}" for k in order if k in properties)
    message = finding.message
    if finding.suggestion:
        message += f" — {finding.suggestion}"
    return f"::{_COMMAND[finding.severity]} {props}::{_escape_data(message)}"


def render_github(report: Report) -> str:
    """Every finding as an annotation line, then the consistency score as one ``notice``
    (when the report has scores)."""
    lines = [annotation(report, f) for f in report.findings]
    if report.scores is not None:
        score = report.scores.main
        text = f"{score.line()} — {report.subject} — {score.signature}"
        lines.append(f"::notice title=consistency score::{_escape_data(text)}")
    return "".join(line + "\n" for line in lines)
