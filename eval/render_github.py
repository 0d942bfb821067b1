"""GitHub Actions annotations: one ``::error file=…,line=…,col=…::message`` line per finding,
and one ``::notice`` with the consistency score.

Severities map to the workflow commands ``error``, ``warning`` and ``notice``. A finding with
character offsets in a single line gets ``col`` and ``endColumn`` (1-based, the end inclusive,
as GitHub draws them), ``line`` and ``endLine`` otherwise. Values are escaped as the runner
expects (``%``, CR and LF everywhere; ``:`` and ``,`` in properties).

GitHub shows at most 10 annotations of each level per step and drops the rest. So beyond
:data:`ANNOTATIONS_PER_LEVEL` findings of one level, the first nine are annotated, the tenth
annotation of that level says how many more there are, and every finding not annotated is
still printed as a plain log line (``mistok: warning: FILE:LINE:COL: rule: message``). For
every finding in the code-scanning view, upload ``--format sarif`` (the GitHub Action does).
"""

from __future__ import annotations

import os
from pathlib import Path

from eval.base import Finding, Severity
from eval.report import Report

__all__ = ["ANNOTATIONS_PER_LEVEL", "annotation", "render_github"]

#: How many annotations of one level GitHub shows for a step.
ANNOTATIONS_PER_LEVEL = 10

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


def _position(report: Report, finding: Finding) -> dict[str, str]:
    """``file``, ``line``, ``endLine``, ``col``, ``endColumn`` of the first located source."""
    for loc in finding.locations:
        article = report.article(loc.article, loc.lang)
        if article is None or article.source is None:
            continue
        properties = {"file": _relative(Path(article.source))}
        region = report.region(loc)
        if region is not None:
            properties["line"] = str(region.start_line)
            end_line = region.end_line or region.start_line
            if end_line != region.start_line:
                properties["endLine"] = str(end_line)
            elif region.start_column is not None and region.end_column is not None:
                properties["col"] = str(region.start_column)
                properties["endColumn"] = str(max(region.end_column - 1, region.start_column))
        return properties
    return {}


def _message(finding: Finding) -> str:
    message = finding.message
    if finding.suggestion:
        message += f" — {finding.suggestion}"
    return message


def annotation(report: Report, finding: Finding) -> str:
    """One workflow command for ``finding``, pointing at its first located source file."""
    properties = {**_position(report, finding), "title": finding.rule}
    order = ("file", "line", "endLine", "col", "endColumn", "title")
    props = ",".join(f"{k}={_escape_property(properties[k])}" for k in order if k in properties)
    return f"::{_COMMAND[finding.severity]} {props}::{_escape_data(_message(finding))}"


def log_line(report: Report, finding: Finding) -> str:
    """A finding as a plain log line (no annotation): ``mistok: LEVEL: FILE:LINE:COL: ...``."""
    position = _position(report, finding)
    where = ":".join(position[k] for k in ("file", "line", "col") if k in position)
    where = where or report.where(finding)
    return f"mistok: {finding.severity.value}: {where}: {finding.rule}: " + " ".join(
        _message(finding).split()
    )


def render_github(report: Report, per_level: int = ANNOTATIONS_PER_LEVEL) -> str:
    """Every finding as an annotation line, at most ``per_level`` annotations per level (the
    last one then counts the rest, which follow as plain log lines), then the consistency
    score as one ``notice`` (when the report has scores)."""
    lines = []
    overflow = []
    for severity in Severity:
        found = [f for f in report.findings if f.severity == severity]
        if len(found) <= per_level:
            lines += [annotation(report, f) for f in found]
            continue
        shown, rest = found[: per_level - 1], found[per_level - 1 :]
        lines += [annotation(report, f) for f in shown]
        lines.append(
            f"::{_COMMAND[severity]} title=mistok::"
            + _escape_data(
                f"{len(rest)} more {severity.value} findings are not annotated (GitHub shows "
                f"{per_level} per level and step): they follow in the log; the SARIF report "
                "(--format sarif) has them all"
            )
        )
        overflow += rest
    lines += [log_line(report, f) for f in overflow]
    if report.scores is not None:
        score = report.scores.main
        text = f"{score.line()} — {report.subject} — {score.signature}"
        lines.append(f"::notice title=consistency score::{_escape_data(text)}")
    return "".join(line + "\n" for line in lines)
