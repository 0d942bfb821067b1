"""Baselines: the findings a team has already seen, so that a gate reports only new ones.

A baseline is a plain text file, one finding per line, sorted so that a diff shows exactly
which findings came and went::

    # mistok-baseline 1
    # Findings recorded by `mistok check --write-baseline`. Only the first field counts...
    4f0c3e...b1<TAB>names.variants<TAB>umerov-south-korea.en ¶2<TAB>'Umyerov' ...

The first line names the format and its version; further ``#`` lines and blank lines are
comments. Each entry is a fingerprint (:mod:`eval.fingerprint`, 32 hex digits), then, for the
people reading it, the rule, where the finding was and its message, separated by tabs. Only
the fingerprint decides: an entry matches the finding with that fingerprint wherever it
moved. Delete a line to have its finding reported again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from aligner.errors import ConfigError
from eval.base import Finding
from eval.fingerprint import FINGERPRINT_LENGTH
from eval.report import Report

__all__ = [
    "BASELINE_VERSION",
    "Baseline",
    "BaselineEntry",
    "apply_baseline",
    "baseline_text",
    "entry_from_dict",
    "parse_baseline",
    "read_baseline",
    "report_entries",
]

#: The format version this mistok reads and writes (it includes the fingerprint recipe).
BASELINE_VERSION = 1
_MAGIC = "# mistok-baseline"
_HEADER = re.compile(r"#\s*mistok-baseline\s+(\S+)\s*$")
_FINGERPRINT = re.compile(rf"[0-9a-f]{{{FINGERPRINT_LENGTH}}}")


@dataclass(frozen=True)
class Baseline:
    """The fingerprints of a baseline file, and where it came from."""

    fingerprints: frozenset[str]
    path: Path | None = None

    def __contains__(self, fingerprint: object) -> bool:
        return fingerprint in self.fingerprints

    def __len__(self) -> int:
        return len(self.fingerprints)


def parse_baseline(text: str, where: str = "<baseline>") -> Baseline:
    """Read a baseline's text. :class:`ConfigError` (one line: the file, the line, the
    reason) for a file of another tool, a newer format, or a bad entry."""
    lines = text.splitlines()
    first = lines[0].strip() if lines else ""
    header = _HEADER.match(first)
    if header is None:
        raise ConfigError(
            f"{where}: not a mistok baseline (its first line must be "
            f"'{_MAGIC} {BASELINE_VERSION}'); write one with --write-baseline"
        )
    version = header.group(1)
    if not version.isdigit():
        raise ConfigError(f"{where}: line 1: baseline version {version!r} is not a number")
    if int(version) > BASELINE_VERSION:
        raise ConfigError(
            f"{where}: a mistok baseline of format {version}, newer than this mistok reads "
            f"({BASELINE_VERSION}); upgrade mistok, or write the baseline again with "
            "--write-baseline"
        )
    if int(version) < BASELINE_VERSION:
        raise ConfigError(
            f"{where}: a mistok baseline of old format {version}; its fingerprints are not "
            "this mistok's: write it again with --write-baseline"
        )
    found: dict[str, int] = {}
    for number, line in enumerate(lines[1:], 2):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = line.split("\t")
        fingerprint = fields[0].strip()
        if not _FINGERPRINT.fullmatch(fingerprint):
            raise ConfigError(
                f"{where}: line {number}: {fingerprint[:40]!r} is not a finding fingerprint "
                f"({FINGERPRINT_LENGTH} lowercase hex digits, then a tab)"
            )
        if len(fields) < 2 or not fields[1].strip():
            raise ConfigError(
                f"{where}: line {number}: no rule after the fingerprint (entries are "
                "FINGERPRINT<TAB>RULE<TAB>WHERE<TAB>MESSAGE)"
            )
        if fingerprint in found:
            raise ConfigError(
                f"{where}: line {number}: fingerprint {fingerprint} repeats line "
                f"{found[fingerprint]}"
            )
        found[fingerprint] = number
    return Baseline(frozenset(found), None)


def read_baseline(path: Path | str) -> Baseline:
    """Read a baseline file (see :func:`parse_baseline`)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ConfigError(f"{path}: cannot read the baseline ({err.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a mistok baseline (not UTF-8 text)") from None
    return replace(parse_baseline(text, str(path)), path=path)


@dataclass(frozen=True)
class BaselineEntry:
    """One line of a baseline: the fingerprint, and for people the rule, where and what."""

    fingerprint: str
    rule: str
    where: str
    message: str

    def line(self) -> str:
        fields = (self.fingerprint, self.rule, self.where, self.message)
        return "\t".join(" ".join(field.split()) for field in fields)


def baseline_text(entries: Iterable[BaselineEntry]) -> str:
    """A baseline recording ``entries``, sorted by where, rule and fingerprint."""
    rows = sorted(set(entries), key=lambda e: (e.where, e.rule, e.fingerprint))
    lines = [
        f"{_MAGIC} {BASELINE_VERSION}",
        "# Findings recorded by `mistok check --write-baseline` (or `mistok run`); a check given",
        "# --baseline FILE reports only findings not listed here. One finding a line:",
        "# FINGERPRINT<TAB>RULE<TAB>WHERE<TAB>MESSAGE; only the fingerprint counts. Delete a",
        "# line to have its finding reported again.",
    ]
    lines += [entry.line() for entry in rows]
    return "\n".join(lines) + "\n"


def report_entries(report: Report) -> list[BaselineEntry]:
    """The baseline entries of every finding of ``report`` that a baseline written now
    records: the reported ones and those a baseline already held back (accepted ones are the
    style file's business)."""
    return [entry_from_dict(f.to_dict()) for f in (*report.findings, *report.baselined)]


def entry_from_dict(finding: Mapping[str, object]) -> BaselineEntry:
    """The baseline entry of a finding of a JSON report (``Report.to_dict()["findings"]``)."""
    places = []
    for loc in finding.get("locations") or ():  # type: ignore[union-attr]
        name = f"{loc['article']}.{loc['lang']}"
        places.append(name if loc.get("paragraph") is None else f"{name} ¶{loc['paragraph']}")
    return BaselineEntry(
        str(finding["fingerprint"]),
        str(finding["rule"]),
        ", ".join(dict.fromkeys(places)),
        str(finding["message"]),
    )


def apply_baseline(report: Report, baseline: Baseline | None) -> Report:
    """``report`` with the findings of ``baseline`` moved from ``findings`` to ``baselined``."""
    if baseline is None:
        return report
    kept: list[Finding] = []
    held: list[Finding] = list(report.baselined)
    for finding in report.findings:
        (held if finding.fingerprint in baseline else kept).append(finding)
    return replace(report, findings=tuple(kept), baselined=tuple(held))
