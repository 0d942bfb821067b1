"""JUnit XML for CI dashboards: one test case per check for the pair (or article, or archive).

A test case fails when its check found anything at or above ``fail_on``; its other findings
go to ``system-out``. Each test case has the seconds its check took as ``time`` (the suite and
the root their sum). The document is valid against the Jenkins xunit plugin's JUnit schema
(``junit-10.xsd``: no ``skipped`` on ``<testsuites>``; tested). Written with
:mod:`xml.etree.ElementTree`, never by string joining.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from eval.base import Finding, Severity
from eval.report import Report

__all__ = ["junit_time", "render_junit"]


def _line(report: Report, finding: Finding) -> str:
    where = report.where(finding)
    text = f"[{finding.severity.value}] {finding.rule}"
    if where:
        text += f" ({where})"
    text += f": {finding.message}"
    if finding.suggestion:
        text += f" — {finding.suggestion}"
    return text


def junit_time(seconds: float) -> str:
    """Seconds as JUnit writes them: ``0.012`` (no exponent, no thousands separator)."""
    return f"{max(seconds, 0.0):.3f}"


def render_junit(report: Report, fail_on: Severity = Severity.ERROR) -> str:
    """The report as a JUnit XML document."""
    name = report.subject
    failures = 0
    suite = ET.Element("testsuite", name=f"mistok check {name}")
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="signature", value=report.signature)
    if report.scores is not None:  # numbers a CI dashboard can plot
        score = report.scores.main
        for key in ("overall", *score.components):
            value = score.get(key)
            shown = "n/a" if value is None else f"{value:.2f}"
            ET.SubElement(properties, "property", name=f"consistency.{key}", value=shown)
        ET.SubElement(properties, "property", name="consistency.signature", value=score.signature)
    if report.accepted or report.baselined:
        held = f"accepted={len(report.accepted)},baseline={len(report.baselined)}"
        ET.SubElement(properties, "property", name="suppressed", value=held)
    for check in report.checks:
        found = [f for f in report.findings if f.check == check]
        failing = [f for f in found if f.severity >= fail_on]
        seconds = float(report.timings.get(check, 0.0))
        case = ET.SubElement(
            suite, "testcase", classname=name, name=check, time=junit_time(seconds)
        )
        if failing:
            failures += 1
            worst = max(f.severity for f in failing)
            failure = ET.SubElement(
                case,
                "failure",
                message=f"{len(failing)} finding(s) at or above {fail_on.value}",
                type=worst.value,
            )
            failure.text = "\n".join(_line(report, f) for f in failing)
        others = [f for f in found if f.severity < fail_on]
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(_line(report, f) for f in others)
    suite.set("tests", str(len(report.checks)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    total = junit_time(sum(float(report.timings.get(c, 0.0)) for c in report.checks))
    suite.set("time", total)
    root = ET.Element(
        "testsuites",
        name="mistok check",
        tests=str(len(report.checks)),
        failures=str(failures),
        errors="0",
        time=total,
    )
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
