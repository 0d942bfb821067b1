"""The terminal report: findings in document order with where, what and what to do."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from eval.base import Severity
from eval.report import Report

__all__ = ["render_text"]

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}


def render_text(report: Report, color: bool = False, width: int = 100) -> str:
    """The report as text; with ``color`` it carries ANSI colours for a terminal."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        soft_wrap=True,
    )
    console.print(Text(f"mistok check: {report.subject}", style="bold"))
    for f in report.findings:
        head = Text()
        head.append(f"{f.severity.value:<7}", style=_STYLE[f.severity])
        head.append(f" {f.rule}", style="bold")
        where = report.where(f)
        if where:
            head.append(f"  [{where}]")
        console.print(head)
        console.print(Text("  " + f.message))
        if f.suggestion:
            console.print(Text(f"  → {f.suggestion}", style="dim"))
    counts = report.counts()
    summary = ", ".join(f"{n} {severity}{'s' if n != 1 else ''}" for severity, n in counts.items())
    checks = ", ".join(report.checks) or "none"
    held = [
        f"{n} {what}"
        for n, what in (
            (len(report.baselined), "in the baseline"),
            (len(report.accepted), "accepted"),
        )
        if n
    ]
    if held:
        summary += f"; not shown: {', '.join(held)}"
    console.print(Text(f"{summary} (checks: {checks})", style="bold"))
    console.print(Text(f"signature: {report.signature}", style="dim"))
    if report.scores is not None:
        console.print(Text(report.scores.main.line(), style="bold"))
        console.print(Text(f"score signature: {report.scores.main.signature}", style="dim"))
    return buffer.getvalue()
