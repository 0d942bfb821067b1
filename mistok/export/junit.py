"""``junit.xml`` of a run: one ``<testsuites>`` document holding every pair's test suites,
written piece by piece (one pair's suites at a time), never as the archive's tree."""

from __future__ import annotations

import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator

from mistok.output_files import staged_blocks
from mistok.run_records import PairCheck


def _pair_suites(verdict: PairCheck) -> list[ET.Element]:
    """The test suites of one pair's JUnit document, each with the pair as its id."""
    parsed = ET.fromstring(verdict.junit.encode("utf-8"))
    suites = [parsed] if parsed.tag == "testsuite" else parsed.findall("testsuite")
    for suite in suites:
        suite.set("id", verdict.pair_id)
    return suites


#: A test suite's counts as the totals on junit.xml's root take them: tests, failures,
#: errors, and its time in seconds.
SuiteCounts = tuple[int, int, int, float]


def pair_junit_block(verdict: PairCheck) -> tuple[bytes, tuple[SuiteCounts, ...]]:
    """One pair's suites as junit.xml holds them (indented as in the whole document), and
    each suite's counts: pure, so that it can be made where the pair is checked."""
    pieces = []
    counts = []
    for suite in _pair_suites(verdict):
        counts.append(
            (
                int(suite.get("tests", "0") or 0),
                int(suite.get("failures", "0") or 0),
                int(suite.get("errors", "0") or 0),
                float(suite.get("time", "0") or 0),
            )
        )
        suite.tail = None
        ET.indent(suite, level=1)
        pieces.append("\n  " + ET.tostring(suite, encoding="unicode"))
    return "".join(pieces).encode("utf-8"), tuple(counts)


class JunitSuites:
    """junit.xml made pair by pair: :meth:`add` gives a pair's suites as the document holds
    them (each pair's JUnit parsed once) and counts them for the totals on the root element,
    which :meth:`opening` gives once every pair was added. ``opening``, the pieces ``add``
    gave, then :meth:`closing`: the bytes of indenting the whole tree with
    :func:`xml.etree.ElementTree.indent`."""

    def __init__(self) -> None:
        # no "skipped" on the root: the Jenkins xunit schema (junit-10.xsd) allows it on
        # suites only
        self.totals = {"tests": 0, "failures": 0, "errors": 0}
        self.seconds = 0.0
        self.suites = 0

    def add(self, verdict: PairCheck) -> bytes:
        """One pair's suites, indented as in the whole document."""
        return self.add_block(*pair_junit_block(verdict))

    def add_block(self, block: bytes, counts: Iterable[SuiteCounts]) -> bytes:
        """A pair's suites made by :func:`pair_junit_block`, counted; returns ``block``."""
        for tests, failures, errors, seconds in counts:
            self.suites += 1
            self.totals["tests"] += tests
            self.totals["failures"] += failures
            self.totals["errors"] += errors
            self.seconds += seconds
        return block

    def opening(self) -> bytes:
        """The XML declaration and the root element with the totals (the whole document when
        no suite was added)."""
        root = ET.Element("testsuites", {"name": "mistok run"})
        for key, value in self.totals.items():
            root.set(key, str(value))
        root.set("time", f"{self.seconds:.3f}")
        opening = '<?xml version="1.0" encoding="UTF-8"?>\n'
        opening += ET.tostring(root, encoding="unicode")
        if not self.suites:
            return (opening + "\n").encode("utf-8")
        return (opening.removesuffix(" />") + ">").encode("utf-8")

    def closing(self) -> bytes:
        return b"\n</testsuites>\n" if self.suites else b""


def junit_chunks(verdicts: Iterable[PairCheck]) -> Iterator[bytes]:
    """One ``<testsuites>`` document holding every pair's suites (named after the pair), made
    piece by piece in one pass over ``verdicts`` (which may read each verdict back from
    disk): the suites are staged in a temporary file until the totals on the root element
    are known, never the archive's tree."""
    suites = JunitSuites()
    with tempfile.TemporaryFile() as body:
        for verdict in verdicts:
            body.write(suites.add(verdict))
        yield suites.opening()
        yield from staged_blocks(body)
        yield suites.closing()
