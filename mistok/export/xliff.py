"""XLIFF 2.0 for translators: what needs a translation, with the machine drafts and the findings.

One XLIFF document per translation job, that is per article and direction: the one-sided
paragraphs of a pair (``xliff/<pair>.<src>-<tgt>.xlf``; a pair can miss paragraphs in both
languages, and an XLIFF document has one source and one target language) or a whole article
without a counterpart (``xliff/<article>.<src>-<tgt>.xlf``). Each paragraph is a ``unit``
(``id="p<index>"``, the paragraph's 0-based index in its article) with one ``segment``: the
source paragraph and, when a model drafted it, the draft as ``target`` with ``state="initial"``
and ``subState="mistok:machine-draft"`` (an unreviewed machine translation; see the note).

Findings travel as ``note`` elements: on the unit of the paragraph they point at, else on the
``file`` (the pair's other findings); ``category`` is the rule (``numbers.missing``),
``priority`` 1 for an error, 3 for a warning, 6 for a note (XLIFF: 1 is the highest), and the
text is ``[severity] message`` plus the suggestion. Only XLIFF 2.0 core elements are written, so
any XLIFF 2 tool can read them (``tests/data/xliff`` validates them against the core schema's
rules).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, groupby

from mistok.run_records import Draft, TranslationRequest, file_stem

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF_VERSION = "2.0"
#: ``note`` priorities per severity (XLIFF 2.0: 1 to 10, 1 the highest).
PRIORITY = {"error": "1", "warning": "3", "note": "6"}
MACHINE_DRAFT = "mistok:machine-draft"

_NOT_XML = str.maketrans({c: None for c in [*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF]})


def _xml_text(text: str) -> str:
    return text.translate(_NOT_XML)


@dataclass(frozen=True)
class JobNote:
    """A finding as an XLIFF note."""

    category: str
    priority: str
    text: str


@dataclass(frozen=True)
class JobUnit:
    """One paragraph to translate: its index, text, machine draft (if any) and notes."""

    paragraph: int
    source: str
    draft: str | None = None
    notes: tuple[JobNote, ...] = ()


@dataclass(frozen=True)
class TranslationJob:
    """What one XLIFF document holds: the paragraphs of one article to put into one language."""

    name: str  # the file name under xliff/, without .xlf
    article_id: str
    pair_id: str | None
    src: str
    tgt: str
    units: tuple[JobUnit, ...]
    model: str | None = None  # the model of the drafts, when there are drafts
    notes: tuple[JobNote, ...] = ()

    @property
    def file_name(self) -> str:
        return f"xliff/{self.name}.xlf"


def finding_note(finding: Mapping[str, object]) -> JobNote:
    """A finding (its JSON form, as in ``report.json``) as an XLIFF note."""
    severity = str(finding.get("severity", "note"))
    text = f"[{severity}] {finding.get('message', '')}"
    if finding.get("suggestion"):
        text += f" Suggestion: {finding['suggestion']}"
    rule = str(finding.get("rule") or finding.get("check") or "mistok")
    return JobNote(rule, PRIORITY.get(severity, "6"), text)


def _paragraph_of(finding: Mapping[str, object], article: str, lang: str) -> int | None:
    for location in finding.get("locations") or ():  # type: ignore[union-attr]
        if location.get("article") == article and location.get("lang") == lang:
            if location.get("paragraph") is not None:
                return int(location["paragraph"])
    return None


def translation_jobs(
    requests: Iterable[TranslationRequest],
    drafts: Iterable[Draft],
    findings: Mapping[str, Sequence[Mapping[str, object]]],
) -> list[TranslationJob]:
    """The translation jobs of a run: every request, drafted or not, with the findings of its
    pair (``findings`` maps a pair id to its findings' JSON forms), in a stable order."""
    return list(iter_translation_jobs(requests, drafts, findings))


def iter_translation_jobs(
    requests: Iterable[TranslationRequest],
    drafts: Iterable[Draft],
    findings: Mapping[str, Sequence[Mapping[str, object]]],
) -> Iterator[TranslationJob]:
    """:func:`translation_jobs` one at a time: only the requests' places are ordered (by job
    name, then as they come), and each request is read again when its turn comes (``requests``
    may be a sequence that reads them from disk: an archive's requests, texts and all, are
    never all in memory); each job, with its units and notes, is made then, and its pair's
    findings are looked up then (``findings`` may read them from disk)."""
    if not isinstance(requests, Sequence):
        requests = list(requests)
    drafts = list(drafts)
    drafted = {(d.request.article_id, d.request.src, d.request.pair_id): d for d in drafts}

    def request_at(place: int) -> TranslationRequest:
        return requests[place] if place < len(requests) else drafts[place - len(requests)].request

    # one name per request and the places sorted by it (stable: then as they came); a request
    # whose article, direction and pair came before is no new job, and has its name (the name
    # is made of them), so it is found among the requests of the same name
    names = [_job_name(request) for request in chain(requests, (d.request for d in drafts))]
    ordered = sorted(range(len(names)), key=names.__getitem__)
    for name, places in groupby(ordered, key=names.__getitem__):
        seen: set[tuple[str, str, str | None]] = set()
        for place in places:
            request = request_at(place)
            key = (request.article_id, request.src, request.pair_id)
            if key in seen:
                continue
            seen.add(key)
            draft = drafted.get(key)
            yield _job(name, request, draft, findings.get(request.pair_id or "", ()))


def _job_name(request: TranslationRequest) -> str:
    """A job's file name under xliff/, without .xlf."""
    base = request.pair_id or file_stem(request.article_id)
    return f"{base}.{request.src}-{request.tgt}"


def _job(
    name: str,
    request: TranslationRequest,
    draft: Draft | None,
    findings: Iterable[Mapping[str, object]],
) -> TranslationJob:
    """One request's job: its paragraphs, their drafts, and its pair's findings as notes."""
    texts = draft.texts if draft else (None,) * len(request.texts)
    by_paragraph: dict[int, list[JobNote]] = {}
    file_notes = []
    for finding in findings:
        paragraph = _paragraph_of(finding, request.article_id, request.src)
        if paragraph in request.indices:
            by_paragraph.setdefault(paragraph, []).append(finding_note(finding))
        else:
            file_notes.append(finding_note(finding))
    units = tuple(
        JobUnit(index, source, target, tuple(by_paragraph.get(index, ())))
        for index, source, target in zip(request.indices, request.texts, texts, strict=True)
    )
    return TranslationJob(
        name=name,
        article_id=request.article_id,
        pair_id=request.pair_id,
        src=request.src,
        tgt=request.tgt,
        units=units,
        model=draft.model if draft else None,
        notes=tuple(file_notes),
    )


def _notes(parent: ET.Element, notes: Sequence[JobNote]) -> None:
    if not notes:
        return
    container = ET.SubElement(parent, "notes")
    for note in notes:
        element = ET.SubElement(
            container, "note", {"category": note.category, "priority": note.priority}
        )
        element.text = _xml_text(note.text)


def xliff_element(job: TranslationJob, tool_version: str) -> ET.Element:
    """The ``<xliff>`` element of one job (XLIFF 2.0 core only)."""
    root = ET.Element(
        "xliff",
        {"xmlns": XLIFF_NS, "version": XLIFF_VERSION, "srcLang": job.src, "trgLang": job.tgt},
    )
    file = ET.SubElement(root, "file", {"id": "f1", "original": _xml_text(job.article_id)})
    about = f"mistok {tool_version}: paragraphs of {job.article_id} ({job.src}) to translate"
    about += f" into {job.tgt}"
    if job.pair_id:
        about += f"; the other version is paired (pair {job.pair_id})"
    if job.model:
        about += f". Targets are machine translation drafts by {job.model}: review them."
    _notes(file, [JobNote("mistok", "10", _xml_text(about)), *job.notes])
    for unit in job.units:
        element = ET.SubElement(file, "unit", {"id": f"p{unit.paragraph}"})
        notes = list(unit.notes)
        if unit.draft is not None:
            notes.append(JobNote("mistok.machine-draft", "2", "machine translation draft"))
        _notes(element, notes)
        segment = ET.SubElement(element, "segment")
        ET.SubElement(segment, "source").text = _xml_text(unit.source)
        if unit.draft is not None:
            segment.set("state", "initial")
            segment.set("subState", MACHINE_DRAFT)
            ET.SubElement(segment, "target").text = _xml_text(unit.draft)
    return root


def xliff_bytes(job: TranslationJob, tool_version: str) -> bytes:
    """One job as an XLIFF 2.0 document (UTF-8, with an XML declaration)."""
    root = xliff_element(job, tool_version)
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n").encode("utf-8")
