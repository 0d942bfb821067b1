"""A report in any of its formats: the one place that knows every renderer.

Each ``render_*`` module imports :class:`eval.report.Report`; this module imports them, and
:mod:`eval.report` imports none of them, so the report and its renderers form no cycle.
"""

from __future__ import annotations

from collections.abc import Callable

from eval.base import Severity
from eval.render_github import render_github
from eval.render_html import render_html
from eval.render_json import render_json
from eval.render_junit import render_junit
from eval.render_sarif import render_sarif
from eval.render_text import render_text
from eval.report import Report

__all__ = ["FORMATS", "render"]

#: Every format a report renders to, and its renderer (JUnit also takes ``fail_on``).
RENDERERS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "html": render_html,
    "junit": render_junit,
    "github": render_github,
    "sarif": render_sarif,
}
FORMATS = tuple(RENDERERS)


def render(report: Report, fmt: str, *, fail_on: Severity = Severity.ERROR) -> str:
    """The report in one of :data:`FORMATS`. ``fail_on`` decides what JUnit counts as a
    failure (the other formats show every finding)."""
    if fmt == "junit":
        return render_junit(report, fail_on=fail_on)
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return renderer(report)
