"""The HTML review page: one self-contained page per pair, side by side like a CAT tool's
review view (paragraph ids, Ukrainian, English, findings, status), with problem spans
highlighted.

Every piece of text goes through jinja2 with ``autoescape=True``; the page loads nothing from
outside (inline CSS, no scripts) and its Content-Security-Policy forbids scripts besides.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from eval.base import Finding, Severity
from eval.report import Report

__all__ = ["Segment", "render_html", "segments"]


@dataclass(frozen=True)
class Segment:
    """A run of paragraph text; ``severity`` is set where a finding points into it."""

    text: str
    severity: str | None = None
    title: str = ""


def segments(text: str, spans: Sequence[tuple[int, int, Severity, str]]) -> list[Segment]:
    """Cut ``text`` at the span boundaries; each piece takes the worst severity covering it
    (spans are ``(start, end, severity, label)``, clipped to the text)."""
    cuts = {0, len(text)}
    clean = []
    for start, end, severity, label in spans:
        start, end = max(0, start), min(len(text), end)
        if start < end:
            clean.append((start, end, severity, label))
            cuts.update((start, end))
    bounds = sorted(cuts)
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        covering = [s for s in clean if s[0] <= a and b <= s[1]]
        if covering:
            worst = max(s[2] for s in covering)
            labels = "; ".join(dict.fromkeys(s[3] for s in covering))
            out.append(Segment(text[a:b], worst.value, labels))
        else:
            out.append(Segment(text[a:b]))
    return out


@functools.cache
def _review_template():
    """The compiled review page template: compiled once per process (compiling costs ~40 ms,
    more than checking a short pair), then rendered for every report."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("eval", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("review.html.j2")


def _finding_view(report: Report, f: Finding) -> dict[str, object]:
    where = report.where(f)
    return {
        "severity": f.severity.value,
        "rule": f.rule,
        "message": f.message,
        "suggestion": f.suggestion,
        "where": where,
    }


def _status(findings: Sequence[Finding]) -> str:
    return max(f.severity for f in findings).value if findings else "ok"


def _paragraph_views(report: Report, lang: str, indices: Sequence[int]) -> list[dict]:
    article = next((a for a in report.articles if a.lang == lang), None)
    if article is None:
        return []
    views = []
    for i in indices:
        spans = [
            (loc.start, loc.end, f.severity, f.rule)
            for f in report.findings
            for loc in f.locations
            if loc.lang == lang
            and loc.article == article.id
            and loc.paragraph == i
            and loc.start is not None
            and loc.end is not None
        ]
        views.append({"index": i, "segments": segments(article.paragraphs[i], spans)})
    return views


def _rows(report: Report) -> tuple[list[dict], list[Finding]]:
    """One row per bead (pair) or paragraph (article); findings without a paragraph apart."""
    confidences: list[float | None] = []
    if report.mode == "pair" and report.alignment is not None:
        units = [(b.uk, b.en) for b in report.alignment.beads]
        confidences = [b.confidence for b in report.alignment.beads]
    elif report.mode == "article":
        article = report.articles[0]
        n = len(article.paragraphs)
        units = [((i,), ()) if article.lang == "uk" else ((), (i,)) for i in range(n)]
    else:
        return [], list(report.findings)
    row_of = {}
    for r, (uk, en) in enumerate(units):
        row_of.update({("uk", i): r for i in uk})
        row_of.update({("en", i): r for i in en})
    by_row: dict[int, list[Finding]] = {}
    loose = []
    for f in report.findings:
        placed = next(
            (
                row_of[(loc.lang, loc.paragraph)]
                for loc in f.locations
                if (loc.lang, loc.paragraph) in row_of
            ),
            None,
        )
        if placed is None:
            loose.append(f)
        else:
            by_row.setdefault(placed, []).append(f)
    rows = []
    for r, (uk, en) in enumerate(units):
        found = by_row.get(r, [])
        rows.append(
            {
                "number": r,
                "uk_ids": " + ".join(str(i) for i in uk),
                "en_ids": " + ".join(str(i) for i in en),
                "uk": _paragraph_views(report, "uk", uk),
                "en": _paragraph_views(report, "en", en),
                "findings": [_finding_view(report, f) for f in found],
                "status": _status(found),
                "confidence": confidences[r] if r < len(confidences) else None,
            }
        )
    return rows, loose


def render_html(report: Report) -> str:
    """The review page of ``report`` as one self-contained HTML document."""
    rows, loose = _rows(report)
    languages = sorted({a.lang for a in report.articles}, key=["uk", "en"].index)
    return _review_template().render(
        title=f"mistok review: {report.subject}",
        report=report,
        mode=report.mode,
        languages=languages if report.mode != "archive" else [],
        articles=report.articles if report.mode != "archive" else (),
        counts=report.counts(),
        rows=rows,
        loose=[_finding_view(report, f) for f in loose],
        status=_status(report.findings),
        scores=report.scores.main if report.scores is not None else None,
    )
