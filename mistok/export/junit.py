"""``junit.xml`` of a run: one ``<testsuites>`` document holding every pair's test suites,
written piece by piece (one pair's suites at a time), never as the archive's tree."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterator

from mistok.run_records import PairCheck


def _pair_suites(verdict: PairCheck) -> list[ET.Element]:
    """The test suites of one pair's JUnit document, each with the pair as its id."""
    parsed = ET.fromstring(verdict.junit.encode("utf-8"))
    suites = [parsed] if parsed.tag == "testsuite" else parsed.findall("testsuite")
    for suite in suites:
        suite.set("id", verdict.pair_id)
    return suites


def junit_chunks(verdicts: Collection[PairCheck]) -> Iterator[bytes]:
    """One ``<testsuites>`` document holding every pair's suites (named after the pair),
    made piece by piece: one pair's suites are parsed at a time (twice: the totals on the
    root element come first), never the archive's tree: ``verdicts`` is iterated twice, in
    pair order, and may read each verdict back from disk. The bytes are those of indenting the
    whole tree with :func:`xml.etree.ElementTree.indent`."""
    # no "skipped" on the root: the Jenkins xunit schema (junit-10.xsd) allows it on suites only
    totals = {"tests": 0, "failures": 0, "errors": 0}
    seconds = 0.0
    suites = 0
    for verdict in verdicts:
        for suite in _pair_suites(verdict):
            suites += 1
            for key in totals:
                totals[key] += int(suite.get(key, "0") or 0)
            seconds += float(suite.get("time", "0") or 0)
    root = ET.Element("testsuites", {"name": "mistok run"})
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{seconds:.3f}")
    opening = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
    if not suites:
        yield (opening + "\n").encode("utf-8")
        return
    yield (opening.removesuffix(" />") + ">").encode("utf-8")
    for verdict in verdicts:
        for suite in _pair_suites(verdict):
            suite.tail = None
            ET.indent(suite, level=1)
            yield ("\n  " + ET.tostring(suite, encoding="unicode")).encode("utf-8")
    yield b"\n</testsuites>\n"
