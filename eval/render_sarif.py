"""SARIF 2.1.0: the report as a static-analysis log for code-scanning tools (GitHub code
scanning, Azure DevOps, VS Code's SARIF viewer).

One run; the tool's rules are the check kinds of the checks that ran (``numbers.missing``),
with their descriptions and default levels; each finding is a result with its level
(error/warning/note), message, the suggestion, and a physical location per cited source file
(line, and column where the file's text matches the paragraph; columns in Unicode code points,
``columnKind`` says so). The fingerprint of each finding (:mod:`eval.fingerprint`) is in
``partialFingerprints["mistokFinding/v1"]``, so code scanning tracks a finding across commits
the way mistok's baselines do. File paths are relative to the working directory
(``uriBaseId`` ``%SRCROOT%``) where they can be.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from eval.base import Finding, Location, Severity, check_classes
from eval.fingerprint import FINGERPRINT_VERSION
from eval.report import Report

__all__ = ["FINGERPRINT_KEY", "SARIF_SCHEMA_URI", "render_sarif", "sarif_log"]

SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
#: The key of mistok's fingerprint in ``partialFingerprints``.
FINGERPRINT_KEY = f"mistokFinding/v{FINGERPRINT_VERSION}"
_INFORMATION_URI = "https://github.com/mistok/mistok"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


def _uri(path: Path) -> tuple[str, str | None]:
    """A relative URI under ``%SRCROOT%`` (the working directory) when ``path`` is inside it,
    else an absolute ``file:`` URI."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(Path.cwd())
    except ValueError:
        return absolute.as_uri(), None
    return relative.as_posix(), "%SRCROOT%"


def _rules(report: Report) -> list[dict[str, object]]:
    classes = check_classes()
    ids: dict[str, tuple[str, Severity, str]] = {}
    for name in report.checks:
        cls = classes.get(name)
        if cls is None:
            continue
        for kind, severity in cls.severities.items():
            ids[f"{name}.{kind}"] = (name, severity, cls.description)
    for finding in (*report.findings, *report.baselined):
        if finding.rule not in ids:  # a kind the check does not declare
            cls = classes.get(finding.check)
            ids[finding.rule] = (finding.check, finding.severity, cls.description if cls else "")
    rules = []
    for rule_id in sorted(ids):
        check, severity, description = ids[rule_id]
        kind = rule_id[len(check) + 1 :] or check
        rules.append(
            {
                "id": rule_id,
                "name": "".join(part.capitalize() for part in rule_id.replace(".", "_").split("_")),
                "shortDescription": {"text": f"{check}: {kind.replace('_', ' ')}"},
                "fullDescription": {"text": description or f"mistok check {check}"},
                "defaultConfiguration": {"level": _LEVEL[severity]},
                "helpUri": f"{_INFORMATION_URI}#checks",
                "properties": {"tags": ["mistok", check]},
            }
        )
    return rules


def _location(report: Report, loc: Location) -> dict[str, object] | None:
    article = report.article(loc.article, loc.lang)
    logical = {
        "name": f"{loc.article}.{loc.lang}"
        + (f" ¶{loc.paragraph}" if loc.paragraph is not None else ""),
        "kind": "member" if loc.paragraph is not None else "module",
        "fullyQualifiedName": f"{loc.article}.{loc.lang}"
        + (f"/{loc.paragraph}" if loc.paragraph is not None else ""),
    }
    out: dict[str, object] = {"logicalLocations": [logical]}
    if article is None or article.source is None:
        return out
    uri, base = _uri(Path(article.source))
    artifact: dict[str, object] = {"uri": uri}
    if base:
        artifact["uriBaseId"] = base
    physical: dict[str, object] = {"artifactLocation": artifact}
    region = report.region(loc)
    if region is not None:
        sarif_region: dict[str, object] = {"startLine": region.start_line}
        if region.start_column is not None:
            sarif_region["startColumn"] = region.start_column
            sarif_region["endLine"] = region.end_line
            sarif_region["endColumn"] = region.end_column
        physical["region"] = sarif_region
    out["physicalLocation"] = physical
    return out


def _result(report: Report, finding: Finding, index: dict[str, int]) -> dict[str, object]:
    text = finding.message
    if finding.suggestion:
        text += f" Suggestion: {finding.suggestion}."
    locations = [_location(report, loc) for loc in finding.locations]
    with_file = [loc for loc in locations if loc and "physicalLocation" in loc]
    others = [loc for loc in locations if loc and "physicalLocation" not in loc]
    result: dict[str, object] = {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": _LEVEL[finding.severity],
        "message": {"text": text},
        # code scanning shows the first location; the rest are related places
        "locations": (with_file or others)[:1],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {"check": finding.check, "kind": finding.kind, "data": dict(finding.data)},
    }
    related = (with_file + others)[1:]
    if related:
        result["relatedLocations"] = [{"id": n, **loc} for n, loc in enumerate(related, 1)]
    if finding.suggestion:
        result["properties"]["suggestion"] = finding.suggestion  # type: ignore[index]
    return result


def sarif_log(report: Report) -> dict[str, object]:
    """The SARIF log of ``report`` as a JSON-ready mapping."""
    rules = _rules(report)
    index = {rule["id"]: n for n, rule in enumerate(rules)}
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "mistok",
                "version": report.version,
                "informationUri": _INFORMATION_URI,
                "rules": rules,
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(report, f, index) for f in report.findings],  # type: ignore[arg-type]
        "properties": {
            "mode": report.mode,
            "signature": report.signature,
            "suppressed": {"accepted": len(report.accepted), "baseline": len(report.baselined)},
        },
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render_sarif(report: Report) -> str:
    """The report as a SARIF 2.1.0 JSON document, ending in a newline."""
    return json.dumps(sarif_log(report), ensure_ascii=False, indent=2) + "\n"
