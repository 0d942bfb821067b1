"""The report of one evaluator run, and its rendering in every output format.

JSON is the master format: :meth:`Report.to_dict` gives the document described by
``eval/schema/report.schema.json`` (``schema_version`` says which version of it). The other
formats (text for terminals, an HTML review page, JUnit XML, GitHub annotations, SARIF 2.1.0)
are views of the same report.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from aligner.alignment import Alignment
from aligner.document import Article
from eval.base import Finding, Location, Severity
from eval.positions import Region, Segment, region_of

if TYPE_CHECKING:
    from eval.consistency_score import Scores

__all__ = ["MODES", "SCHEMA_PATH", "SCHEMA_VERSION", "Report"]

SCHEMA_VERSION = "1.1"
#: The JSON Schema of :meth:`Report.to_dict`.
SCHEMA_PATH = Path(__file__).parent / "schema" / "report.schema.json"
MODES = ("pair", "article", "archive")


def _empty() -> Mapping:
    return MappingProxyType({})


@dataclass(frozen=True)
class Report:
    """What an evaluator run found, and everything needed to reproduce and review it.

    ``mode`` is ``"pair"`` (``articles`` is ``(uk, en)`` and ``alignment`` is set),
    ``"article"`` (one article) or ``"archive"`` (many). ``checks`` are the names of the checks
    that ran, ``settings`` their settings, ``signature`` the sacrebleu-style ``key:value|...``
    string of everything that changes the result.
    """

    mode: str
    articles: tuple[Article, ...]
    findings: tuple[Finding, ...]
    checks: tuple[str, ...]
    signature: str
    version: str
    alignment: Alignment | None = None
    settings: Mapping[str, Mapping[str, object]] = field(default_factory=_empty)
    #: The 1-based line in each article's source file where each paragraph starts, by
    #: (article id, language) (for annotations that point into files); missing where unknown.
    paragraph_lines: Mapping[tuple[str, str], tuple[int | None, ...]] = field(
        default_factory=_empty
    )
    #: The consistency scores of the subject and of each article
    #: (:mod:`eval.consistency_score`); None when not computed.
    scores: Scores | None = None
    #: Findings left out of ``findings``: those the style file's ``[[accept]]`` entries accept,
    #: and those a baseline already records (:mod:`eval.baseline`).
    accepted: tuple[Finding, ...] = ()
    baselined: tuple[Finding, ...] = ()
    #: Seconds each check took (JUnit's ``time``); empty where not measured.
    timings: Mapping[str, float] = field(default_factory=_empty)
    #: Where each paragraph's source lines start, by (article id, language), to give
    #: findings a column (:mod:`eval.positions`); missing where unknown.
    paragraph_segments: Mapping[tuple[str, str], tuple[tuple[Segment, ...] | None, ...]] = field(
        default_factory=_empty
    )

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown report mode {self.mode!r}; expected one of {MODES}")

    @property
    def subject(self) -> str:
        """What the report is about: ``uk-id.uk/en-id.en`` for a pair, ``id.lang`` for one
        article, ``archive (N articles)`` for an archive."""
        if self.mode == "pair":
            uk, en = self.articles
            return f"{uk.id}.uk/{en.id}.en"
        if self.mode == "article":
            article = self.articles[0]
            return f"{article.id}.{article.lang}"
        return f"archive ({len(self.articles)} articles)"

    def counts(self) -> dict[str, int]:
        """The number of findings of each severity (all three keys always present)."""
        found = Counter(f.severity.value for f in self.findings)
        return {s.value: found.get(s.value, 0) for s in Severity}

    def at_or_above(self, level: Severity) -> list[Finding]:
        """The findings of severity ``level`` or worse."""
        return [f for f in self.findings if f.severity >= level]

    def fails(self, level: Severity) -> bool:
        """Whether any finding is at or above ``level`` (the CLI then exits 1)."""
        return any(f.severity >= level for f in self.findings)

    def article(self, article_id: str, lang: str) -> Article | None:
        """The article of the report with this id and language, if any."""
        return next((a for a in self.articles if a.id == article_id and a.lang == lang), None)

    def line_of(self, article_id: str, lang: str, paragraph: int | None) -> int | None:
        """The source-file line where a paragraph starts, when known."""
        lines = self.paragraph_lines.get((article_id, lang))
        if not lines or paragraph is None or not 0 <= paragraph < len(lines):
            return None
        return lines[paragraph]

    def region(self, loc: Location) -> Region | None:
        """The lines and columns of a location in its source file, as far as known."""
        segments = self.paragraph_segments.get((loc.article, loc.lang))
        paragraph = loc.paragraph
        own = (
            segments[paragraph]
            if segments and paragraph is not None and 0 <= paragraph < len(segments)
            else None
        )
        return region_of(loc, self.line_of(loc.article, loc.lang, paragraph), own)

    def where(self, finding: Finding) -> str:
        """Where a finding is, for people: ``uk ¶3, en ¶4`` (with the article id in an
        archive, where many articles share the report: ``story-12.en ¶4``)."""
        parts = []
        for loc in finding.locations:
            name = f"{loc.article}.{loc.lang}" if self.mode == "archive" else loc.lang
            if loc.paragraph is None:
                parts.append(f"{loc.article}.{loc.lang}")
            else:
                parts.append(f"{name} ¶{loc.paragraph}")
        return ", ".join(dict.fromkeys(parts))

    def to_dict(self) -> dict[str, object]:
        """The JSON document (see ``eval/schema/report.schema.json``)."""
        with_text = self.mode != "archive"
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "mistok", "version": self.version},
            "mode": self.mode,
            "signature": self.signature,
            "checks": list(self.checks),
            "settings": {name: dict(values) for name, values in self.settings.items()},
            "summary": {**self.counts(), "total": len(self.findings)},
            "articles": [_article_dict(a, with_text) for a in self.articles],
            "alignment": _alignment_dict(self.alignment),
            "findings": [_finding_dict(self, f) for f in self.findings],
            "scores": self.scores.to_dict() if self.scores is not None else None,
            "suppressed": {
                "accepted": len(self.accepted),
                "baseline": [_finding_dict(self, f) for f in self.baselined],
            },
        }


def _article_dict(article: Article, with_text: bool) -> dict[str, object]:
    out: dict[str, object] = {
        "id": article.id,
        "lang": article.lang,
        "title": article.title,
        "date": article.date.isoformat() if isinstance(article.date, dt.date) else None,
        "url": article.url,
        "source": str(article.source) if article.source is not None else None,
        "n_paragraphs": len(article.paragraphs),
    }
    if with_text:
        out["paragraphs"] = list(article.paragraphs)
    return out


def _alignment_dict(alignment: Alignment | None) -> dict[str, object] | None:
    if alignment is None:
        return None
    return {
        "beads": alignment.as_lists(),
        "scores": [round(float(b.score), 4) for b in alignment.beads],
        "confidences": [round(float(b.confidence), 3) for b in alignment.beads],
        "signature": alignment.signature(),
    }


def _finding_dict(report: Report, finding: Finding) -> dict[str, object]:
    out = finding.to_dict()
    for loc in out["locations"]:
        if loc["line"] is None:
            loc["line"] = report.line_of(loc["article"], loc["lang"], loc["paragraph"])
    return out
