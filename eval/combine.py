"""One report from several: what ``mistok check --each`` (the pre-commit hook) prints when it
checks every changed file, paired with its counterpart where there is one."""

from __future__ import annotations

from collections.abc import Sequence

from eval.base import sort_key
from eval.report import Report

__all__ = ["combine_reports"]


def combine_reports(reports: Sequence[Report]) -> Report:
    """The findings of ``reports`` as one ``archive``-mode report over all their articles.

    The signature holds every distinct ``key:value`` of the reports' signatures, in order;
    check timings add up. Alignments are not kept (each belongs to one pair)."""
    if not reports:
        raise ValueError("no reports to combine")
    if len(reports) == 1:
        return reports[0]
    parts: dict[str, None] = {}
    for report in reports:
        parts.update(dict.fromkeys(report.signature.split("|")))
    parts.pop(f"mode:{reports[0].mode}", None)
    timings: dict[str, float] = {}
    for report in reports:
        for name, seconds in report.timings.items():
            timings[name] = timings.get(name, 0.0) + seconds
    articles = {(a.id, a.lang): a for r in reports for a in r.articles}
    settings = {name: values for r in reports for name, values in r.settings.items()}
    return Report(
        mode="archive",
        articles=tuple(articles.values()),
        findings=tuple(sorted((f for r in reports for f in r.findings), key=sort_key)),
        checks=tuple(dict.fromkeys(c for r in reports for c in r.checks)),
        signature="|".join(["mode:each", *(p for p in parts if not p.startswith("mode:"))]),
        version=reports[0].version,
        settings=settings,
        paragraph_lines={k: v for r in reports for k, v in r.paragraph_lines.items()},
        accepted=tuple(f for r in reports for f in r.accepted),
        baselined=tuple(f for r in reports for f in r.baselined),
        timings=timings,
        paragraph_segments={k: v for r in reports for k, v in r.paragraph_segments.items()},
    )
