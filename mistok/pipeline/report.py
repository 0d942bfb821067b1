"""``report.json`` and ``report.html`` of ``mistok run``: what they say, and how they are
written without holding the archive's findings in memory.

``report.json`` is one JSON document (indented, keys sorted). Its ``pairs`` list, which holds
every pair's findings, is written pair by pair: the document without its pairs is serialised
once (:func:`report_json_chunks`), and each pair's entry is serialised on its own
(:func:`pair_report_piece`, where the pair is checked) and put in place
(:func:`pair_entry_json`), indented as :func:`json.dumps` would have indented it inside the
whole document, so the bytes are those of the one-document serialisation. ``report.html``
needs a few fields of each pair (no findings), which the driver keeps (:func:`pair_summary`).
"""

from __future__ import annotations

import functools
import json
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from eval.consistency_score import (
    COMPONENTS,
    ComponentScore,
    ConsistencyScore,
    ScoreSettings,
    pool,
    score_signature,
)
from eval.runner import file_digest
from mistok import __version__
from mistok.export.junit import SuiteCounts, pair_junit_block
from mistok.output_dir import OutputDir, file_sha256
from mistok.pipeline.article_pages import article_page_name, pairs_by_severity
from mistok.pipeline.indented_json import indented_json
from mistok.result_spool import SequentialSpool
from mistok.run_records import (
    AlignedPair,
    Draft,
    PairCheck,
    Pairing,
    RunInputs,
    RunSettings,
    TranslationRequest,
)


def review_page_name(pair_id: str) -> str:
    """Where the review page of a pair goes, relative to the output folder."""
    return f"pairs/{pair_id}.html"


#: What a report says while a rerun that changed its folder has not finished.
INCOMPLETE_NOTE = (
    "a rerun into this folder started and did not finish: pages and files may be newer than "
    "this report; run mistok again to complete it"
)


def mark_report_incomplete(out: OutputDir) -> None:
    """Before a rerun changes the first file of its folder, republish the earlier report
    marked incomplete, so that a rerun killed half-way never leaves a report that looks
    complete beside newer pages. Nothing happens without an earlier report."""
    try:
        document = json.loads(out.path("report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(document, dict) or document.get("complete") is False:
        return
    document["complete"] = False
    document["incomplete"] = INCOMPLETE_NOTE
    out.write_bytes("report.json", _json(document).encode("utf-8"))
    out.write_bytes("report.html", _index_html(document).encode("utf-8"))
    out.flush()  # the mark is on disk before any other file changes


def _json(value: object) -> str:
    """Indented, key-sorted JSON text with a final newline (:func:`indented_json`)."""
    return indented_json(value) + "\n"


def _settings_dict(settings: RunSettings) -> dict[str, object]:
    return {
        "inputs": [str(p) for p in settings.inputs],
        "model": settings.model,
        "mt_engine": settings.mt_engine,  # the translation engine; where stages ran is not recorded
        "style": str(settings.style) if settings.style else None,
        "style_sha256": file_sha256(settings.style) if settings.style else None,
        "bridge": str(settings.bridge) if settings.bridge else None,
        "tm_unit": settings.tm_unit,
        "baseline": str(settings.baseline) if settings.baseline else None,
        "baseline_sha256": file_sha256(settings.baseline) if settings.baseline else None,
        **_config_entry(settings),
    }


def _configured(settings: RunSettings) -> dict[str, str]:
    """The fingerprints of the stage settings that differ from the defaults."""
    from mistok.run_config import RunConfig

    defaults = RunConfig()
    return {
        stage: settings.config.fingerprint(stage)
        for stage in ("pair", "align", "check")
        if settings.config.fingerprint(stage) != defaults.fingerprint(stage)
    }


def _config_entry(settings: RunSettings) -> dict[str, object]:
    """The run configuration's file and changed stages, where they change anything (a run
    with the defaults writes what it always wrote)."""
    changed = _configured(settings)
    if not changed:
        return {}
    path = settings.config.path
    return {"config": {"file": str(path) if path else None, "stages": changed}}


def run_signature(settings: RunSettings, pairing: Pairing) -> str:
    """What changes a run's result, sacrebleu style: every effective setting that changes an
    output (the translation model and engine, bridge, style, translation-memory unit,
    baseline, and the stage settings that differ from the defaults); each pair's report adds
    its own (aligner and check settings)."""
    style = file_digest(settings.style) if settings.style else "none"
    baseline = file_digest(settings.baseline) if settings.baseline else "none"
    parts = [
        "run",
        f"model:{settings.model or 'opus-mt'}",
        f"mt-engine:{settings.mt_engine}",
        f"bridge:{'yes' if settings.bridge else 'no'}",
        f"style:{style}",
        f"tm-unit:{settings.tm_unit}",
        f"baseline:{baseline}",
        *[f"{stage}-settings:{digest[:8]}" for stage, digest in _configured(settings).items()],
        f"version:{__version__}",
    ]
    return "|".join(parts) + " " + pairing.signature


def add_finding_counts(totals: dict[str, int], counts: Mapping[str, object]) -> None:
    """Add a pair's findings per severity to ``totals``."""
    for severity, count in counts.items():
        totals[severity] = totals.get(severity, 0) + int(count)  # type: ignore[call-overload]


def archive_score(
    verdicts: Iterable[PairCheck], score: Mapping[str, object] | None = None
) -> dict[str, object] | None:
    """The consistency score of the archive: each pair's components pooled (what agrees over
    what could disagree, summed over pairs), with its signature; None without pair scores.
    ``score`` is the ``[score]`` table of the run configuration (weights, names target)."""
    scores = [s for s in map(pair_consistency, verdicts) if s is not None]
    return pooled_score(scores, score)


def pair_consistency(verdict: PairCheck) -> ConsistencyScore | None:
    """A pair's consistency score, read from its report; None when it has none."""
    scores = verdict.report.get("scores")
    return ConsistencyScore.from_dict(scores) if scores else None  # type: ignore[arg-type]


def pooled_score(
    scores: Sequence[ConsistencyScore], score: Mapping[str, object] | None = None
) -> dict[str, object] | None:
    """:func:`archive_score` of the pairs' scores (:func:`pair_consistency`)."""
    if not scores:
        return None
    settings = ScoreSettings.from_mapping(score) if score else None
    return pool(scores, "archive", f"archive ({len(scores)} pairs)", settings).to_dict()


class SpilledFloats:
    """Floats appended one at a time and read back in that order, at most :attr:`CHUNK` of
    them in memory: the rest wait in a temporary file (in ``folder``), a chunk at a time."""

    CHUNK = 4096

    def __init__(self, folder: Path | None = None) -> None:
        self._recent = array("d")
        self._spilled: SequentialSpool[array] = SequentialSpool(folder)

    def append(self, value: float) -> None:
        self._recent.append(value)
        if len(self._recent) == self.CHUNK:
            self._spilled.append(self._recent)
            self._recent = array("d")

    def __len__(self) -> int:
        return len(self._spilled) * self.CHUNK + len(self._recent)

    def __iter__(self) -> Iterator[float]:
        for chunk in self._spilled:
            yield from chunk
        yield from self._recent

    def close(self) -> None:
        self._spilled.close()


class ScorePool:
    """The pairs' consistency scores pooled as they come (:meth:`add`, in pair order), without
    keeping them: :meth:`pooled` is :func:`pooled_score` of every score added. Each component's
    ``matched`` and ``total`` go to a :class:`SpilledFloats` (in a temporary file in
    ``folder``, not in memory) and are summed with :func:`sum` at the end, in the order added,
    as :func:`eval.consistency_score.pool` sums them, so the result has the same bits on every
    Python version. :meth:`close` removes the files."""

    def __init__(self, folder: Path | None = None) -> None:
        self.count = 0
        self._matched = {name: SpilledFloats(folder) for name in COMPONENTS}
        self._total = {name: SpilledFloats(folder) for name in COMPONENTS}
        self._unit: dict[str, str] = {}

    def close(self) -> None:
        for column in (*self._matched.values(), *self._total.values()):
            column.close()

    def add(self, score: ConsistencyScore | None) -> None:
        """Add a pair's score (:func:`pair_consistency`); None (a pair without one) adds
        nothing."""
        if score is None:
            return
        self.count += 1
        for name in COMPONENTS:
            component = score.components.get(name)
            if component is not None:
                self._matched[name].append(component.matched)
                self._total[name].append(component.total)
                self._unit.setdefault(name, component.unit)

    def pooled(self, score: Mapping[str, object] | None = None) -> dict[str, object] | None:
        """:func:`pooled_score` of the scores added; ``score`` is the ``[score]`` table of the
        run configuration."""
        if not self.count:
            return None
        settings = ScoreSettings.from_mapping(score) if score else ScoreSettings()
        components = {
            name: ComponentScore(
                name,
                sum(self._matched[name]),
                sum(self._total[name]),
                self._unit[name],
                MappingProxyType({"pooled_from": len(self._matched[name])}),
            )
            for name in COMPONENTS
            if self._matched[name]
        }
        subject = f"archive ({self.count} pairs)"
        signature = score_signature("archive", components, settings)
        pooled = ConsistencyScore("archive", subject, components, signature, settings.weights)
        return pooled.to_dict()


def pair_score(verdict: PairCheck | None) -> dict[str, object] | None:
    """A pair's score as report.json gives it: the pair's own, without the per-article ones."""
    scores = verdict.report.get("scores") if verdict else None
    if not scores:
        return None
    return {k: v for k, v in scores.items() if k != "articles"}  # type: ignore[union-attr]


def pair_part(item: AlignedPair) -> dict[str, object]:
    """What one pair's entry in report.json's ``pairs`` takes from the aligned pair: a small
    record, made where the pair is aligned, that the writers read back instead of the pair
    with its texts."""
    return {
        "pair": item.pair_id,
        "uk": item.pair.uk.id,
        "en": item.pair.en.id,
        "uk_title": item.pair.uk.title,
        "en_title": item.pair.en.title,
        "confidence": item.pair.link.confidence,
        "signals": dict(item.pair.link.signals),
        "alignment": f"alignments/{item.pair_id}.json",
        "review": review_page_name(item.pair_id),
        "one_sided_paragraphs": item.one_sided_paragraphs,
    }


def pair_entry(part: Mapping[str, object], verdict: PairCheck | None) -> dict[str, object]:
    """One pair's entry in report.json's ``pairs``: its :func:`pair_part` and its verdict."""
    return {
        **part,
        "counts": dict(verdict.counts) if verdict else None,
        # the pair's findings and signature; its texts and beads are in the files above
        "findings": list(verdict.report.get("findings", [])) if verdict else None,
        "check_signature": verdict.report.get("signature") if verdict else None,
        "scores": pair_score(verdict),
    }


#: The fields of a pair's entry that report.html shows (it lists no findings).
SUMMARY_FIELDS = (
    "pair", "uk", "en", "uk_title", "en_title", "confidence", "alignment", "review",
    "one_sided_paragraphs", "counts", "scores",
)  # fmt: skip


def pair_summary(entry: Mapping[str, object]) -> dict[str, object]:
    """What report.html needs of a pair's entry: a small record the driver can keep for every
    pair of an archive."""
    summary = {name: entry[name] for name in SUMMARY_FIELDS}
    scores = entry.get("scores")
    summary["scores"] = {"overall": scores["overall"]} if scores else None  # type: ignore[index]
    return summary


def report_head(
    settings: RunSettings,
    archive: RunInputs,
    notes: Sequence[str],
    pairing: Pairing,
    bitext_rows: int,
    translation: tuple[Sequence[Draft], Sequence[TranslationRequest], str | None],
    findings: Mapping[str, int],
    scores: Mapping[str, object] | None,
    article_counts: tuple[int, int] | None = None,
) -> dict[str, object]:
    """report.json without its ``pairs`` (:func:`report_json_chunks`) and without
    ``kept_files`` (known only once the rest is written). ``article_counts`` (Ukrainian,
    English) when ``archive`` no longer holds every article (a run keeps the unpaired ones)."""
    uk_articles, en_articles = article_counts or (len(archive.uk), len(archive.en))
    drafts, pending, model_message = translation
    return {
        "tool": {"name": "mistok", "version": __version__},
        "complete": True,
        "signature": run_signature(settings, pairing),
        "settings": _settings_dict(settings),
        "pairing": {
            "signature": pairing.signature,
            "unpaired_uk": StreamedList.of(pairing.unpaired_uk),
            "unpaired_en": StreamedList.of(pairing.unpaired_en),
        },
        "counts": {
            "uk_articles": uk_articles,
            "en_articles": en_articles,
            "pairs": len(pairing.pairs),
            "unpaired_uk": len(pairing.unpaired_uk),
            "unpaired_en": len(pairing.unpaired_en),
            "bitext_rows": bitext_rows,
            "drafts": len(drafts),
            "needs_translation": len(pending),
            "skipped_files": len(archive.skipped),
        },
        "findings": dict(findings),
        "scores": scores,
        "translation": {
            "drafts": StreamedList(lambda: map(_draft_entry, drafts), len(drafts)),
            "needs_translation": StreamedList(lambda: (r.to_dict() for r in pending), len(pending)),
            "message": model_message,
        },
        "skipped_files": StreamedList(
            lambda: ({"path": p, "reason": r} for p, r in archive.skipped), len(archive.skipped)
        ),
        "notes": list(notes),
    }


def _draft_entry(draft: Draft) -> dict[str, object]:
    """A machine draft in report.json's ``translation``."""
    return {
        **draft.request.to_dict(),
        "file": f"drafts/{draft.request.draft_name}",
        "model": draft.model,
        "issues": list(draft.issues),
    }


class StreamedList:
    """A list of report.json's head that grows with the archive (the unpaired articles, what
    needs a translation), made item by item each time it is read: report.json writes it an
    item at a time (:func:`report_json_chunks`) and report.html's template loops over it, so
    its items are never all in memory. Its length is known beforehand."""

    def __init__(self, items: Callable[[], Iterable[object]], length: int) -> None:
        self._items, self._length = items, length

    @classmethod
    def of(cls, items: Sequence[object]) -> StreamedList:
        """The items of a sequence that is in memory anyway (not copied, not serialised
        whole)."""
        return cls(lambda: iter(items), len(items))

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[object]:
        return iter(self._items())


#: Stands for the pairs in the serialised head of report.json (a string JSON cannot hold).
_PAIRS_MARK = "\x00mistok-pairs\x00"


#: One step of report.json's indentation (``indent=2``).
_INDENT = "  "
#: Stands for the :class:`StreamedList` numbered ``(\d+)`` in the serialised head.
_LIST_MARK = "\x00mistok-list-{}\x00"
_LIST_MARKS = re.compile(re.escape(json.dumps(_LIST_MARK)).replace(r"\{\}", "(\\d+)"))


def report_json_chunks(head: Mapping[str, object]) -> tuple[Iterator[bytes], Iterator[bytes]]:
    """report.json before its list of pairs, and after it, piece by piece: the head is
    serialised once with each :class:`StreamedList` marked, and each such list is written
    in its place an item at a time, indented as :func:`indented_json` indents it there."""
    lists: list[StreamedList] = []

    def marked(value: object) -> object:
        if isinstance(value, StreamedList):
            lists.append(value)
            return _LIST_MARK.format(len(lists) - 1)
        if isinstance(value, Mapping):
            return {key: marked(item) for key, item in value.items()}
        return value

    text = _json({**marked(head), "pairs": _PAIRS_MARK})  # type: ignore[dict-item]
    before, after = text.split(json.dumps(_PAIRS_MARK), 1)
    return _with_lists(before, lists), _with_lists(after, lists)


def _with_lists(text: str, lists: Sequence[StreamedList]) -> Iterator[bytes]:
    """``text`` with each list mark replaced by the list's JSON text, in blocks."""
    pieces = _LIST_MARKS.split(text)  # text, list number, text, list number, …, text
    for number, piece in enumerate(pieces):
        if number % 2 == 0:
            yield piece.encode("utf-8")
            continue
        line = pieces[number - 1].rsplit("\n", 1)[-1]
        level = (len(line) - len(line.lstrip(" "))) // len(_INDENT)
        yield from _list_json(lists[int(piece)], level)


def _list_json(items: Iterable[object], level: int) -> Iterator[bytes]:
    """A list's JSON text where it starts on a line indented ``level`` steps, in blocks."""
    newline = "\n" + _INDENT * level
    block: list[str] = []
    size = count = 0
    for item in items:
        text = indented_json(item, level + 1)
        block.append(("[" if count == 0 else ",") + newline + _INDENT + text)
        size += len(text)
        count += 1
        if size >= 1 << 16:
            yield "".join(block).encode("utf-8")
            block, size = [], 0
    block.append(newline + "]" if count else "[]")
    yield "".join(block).encode("utf-8")


def pair_entry_json(text: str, first: bool) -> bytes:
    """One pair's entry in report.json's list of pairs (its text,
    :attr:`PairReportPiece.entry`), with what comes before it there."""
    return (("[\n    " if first else ",\n    ") + text).encode("utf-8")


@dataclass(frozen=True)
class PairReportPiece:
    """What the archive-wide reports take of one pair, made where the pair is checked (or
    from its cached verdict): its entry in report.json (indented as there), its row in
    report.html, and its suites in junit.xml with their counts."""

    entry: str
    summary: Mapping[str, object]
    junit: bytes
    junit_counts: tuple[SuiteCounts, ...]


def pair_report_piece(part: Mapping[str, object], verdict: PairCheck) -> PairReportPiece:
    """The :class:`PairReportPiece` of a pair's :func:`pair_part` and its verdict."""
    entry = pair_entry(part, verdict)
    junit, counts = pair_junit_block(verdict)
    return PairReportPiece(indented_json(entry, level=2), pair_summary(entry), junit, counts)


def pairs_json_end(count: int) -> bytes:
    """What ends report.json's list of ``count`` pairs (all of it when there are none)."""
    return b"\n  ]" if count else b"[]"


def index_html(head: Mapping[str, object], summaries: Sequence[Mapping[str, object]]) -> str:
    """report.html from report.json's head and the pairs' summaries."""
    return _index_html({**head, "pairs": summaries})


class SeverityOrder:
    """The pairs' places in report.html, gathered as the pairs come (:meth:`add`, in pair
    order): each pair's errors, warnings and notes in arrays of integers (12 bytes a pair),
    sorted only when the page is written (:meth:`numbers`): most errors first, then warnings,
    then notes, then pair order (:func:`~mistok.pipeline.article_pages.pairs_by_severity`'s
    order)."""

    def __init__(self) -> None:
        self._counts = {severity: array("i") for severity in ("error", "warning", "note")}

    def add(self, counts: Mapping[str, object] | None) -> None:
        """The next pair's findings per severity (None: no verdict, as none)."""
        counts = counts or {}
        for severity, column in self._counts.items():
            column.append(int(counts.get(severity, 0)))  # type: ignore[call-overload]

    def __len__(self) -> int:
        return len(self._counts["error"])

    def numbers(self) -> Iterator[int]:
        """The pairs' numbers (0-based, in the order added), in report.html's order."""
        import numpy as np

        errors, warnings, notes = (np.array(c, dtype=np.int64) for c in self._counts.values())
        # the last key sorts first: most errors, then warnings, then notes, then pair order
        ranked = np.lexsort((np.arange(len(self)), -notes, -warnings, -errors))
        for start in range(0, len(ranked), 4096):
            yield from ranked[start : start + 4096].tolist()


def index_html_chunks(
    head: Mapping[str, object], ordered_summaries: Iterable[Mapping[str, object]]
) -> Iterator[str]:
    """report.html piece by piece (the same text as :func:`index_html`), from the pairs'
    summaries already in report.html's order (:class:`SeverityOrder`), read one at a time:
    the page's rows are never all in memory."""
    pieces: list[str] = []
    for piece in _index_template().generate(**{**head, "pairs": ordered_summaries}):
        pieces.append(piece)
        if len(pieces) >= 4096:
            yield "".join(pieces)
            pieces = []
    yield "".join(pieces)


_INDEX_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>mistok run: {{ counts.pairs|count("pair") }}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem;
       padding: 0 1rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left;
         vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.error { color: #b00020; font-weight: 600; } .warning { color: #8a5a00; } .muted { color: #666; }
td.zero { color: #aaa; font-weight: normal; }
th[data-sort] { cursor: pointer; } th[aria-sort=ascending]::after { content: " ▲"; }
th[aria-sort=descending]::after { content: " ▼"; }
</style>
</head>
<body>
<h1>mistok run</h1>
{% if complete is defined and not complete %}<p class="error">Incomplete: {{ incomplete }}</p>
{% endif %}<p class="muted">mistok {{ tool.version }} ·
articles: {{ counts.uk_articles }} Ukrainian, {{ counts.en_articles }} English ·
{{ counts.pairs|count("pair") }} · {{ counts.bitext_rows|count("aligned segment") }} ·
findings: <span class="error">{{ findings.error|count("error") }}</span>,
<span class="warning">{{ findings.warning|count("warning") }}</span>,
{{ findings.note|count("note") }}</p>
{% if scores %}<p id="scores"><strong>consistency {{ scores.overall|score }}</strong>
{% for name, c in scores.components.items() %} · {{ name }} {{ c.score|score }}{% endfor %}
<br><span class="muted">{{ scores.signature }}</span></p>
{% endif %}

<h2>Pairs</h2>
<table id="pairs">
<thead><tr><th data-sort="text">Ukrainian</th><th data-sort="text">English</th>
<th data-sort="number">confidence</th><th data-sort="number">one-sided paragraphs</th>
<th data-sort="number">errors</th><th data-sort="number">warnings</th>
<th data-sort="number">notes</th><th data-sort="number">consistency</th><th>review</th></tr></thead>
<tbody>
{% for p in pairs %}<tr>
<td>{{ p.uk }}{% if p.uk_title %}<br><span class="muted">{{ p.uk_title }}</span>{% endif %}</td>
<td>{{ p.en }}{% if p.en_title %}<br><span class="muted">{{ p.en_title }}</span>{% endif %}</td>
<td class="n">{{ "%.2f"|format(p.confidence) }}</td>
<td class="n">{{ p.one_sided_paragraphs }}</td>
{% for s in ("error", "warning", "note") %}{% set n = p.counts[s] if p.counts else "" %}
<td class="n {{ s if n else 'zero' }}">{{ n }}</td>{% endfor %}
<td class="n">{{ p.scores.overall|score if p.scores else "" }}</td>
<td><a href="{{ p.review }}">review</a> · <a href="{{ p.alignment }}">alignment</a></td>
</tr>
{% else %}<tr><td colspan="9" class="muted">no pairs</td></tr>
{% endfor %}</tbody>
</table>

{% if pairing.unpaired_uk or pairing.unpaired_en %}
<h2>No counterpart (missing language versions)</h2>
<ul>
{% for a in pairing.unpaired_uk %}<li><a href="{{ a|article_page('uk') }}">{{ a }}</a>
<span class="muted">(Ukrainian only)</span></li>
{% endfor %}{% for a in pairing.unpaired_en %}
<li><a href="{{ a|article_page('en') }}">{{ a }}</a> <span class="muted">(English only)</span></li>
{% endfor %}</ul>
{% endif %}

{% if translation.drafts %}
<h2>Machine drafts</h2>
<p class="muted">Machine translation: review before publishing.</p>
<ul>
{% for d in translation.drafts %}<li><a href="{{ d.file }}">{{ d.file }}</a>
({{ d.src }}→{{ d.tgt }}, {{ d.model }})
{%- if d.issues %}<ul>{% for i in d.issues %}<li class="warning">{{ i }}</li>{% endfor %}</ul>
{%- endif %}</li>
{% endfor %}</ul>
{% endif %}

{% if translation.needs_translation %}
<h2>Needs translation</h2>
{% if translation.message %}<p>{{ translation.message }}</p>{% endif %}
<ul>
{% for r in translation.needs_translation %}<li>{{ r.article }} ({{ r.src }}→{{ r.tgt }}):
{% if r.kind == "paragraphs" %}¶ {{ r.paragraphs|join(", ") }}
(<a href="pairs/{{ r.pair }}.html">review page</a>)
{%- else %}the whole article{% endif %}</li>
{% endfor %}</ul>
{% endif %}

{% if skipped_files %}
<h2>Files not read</h2>
<ul>
{% for s in skipped_files %}<li>{{ s.reason }}</li>
{% endfor %}</ul>
{% endif %}
{% if kept_files %}
<h2>Files left in place</h2>
<p class="muted">Not written by mistok, or changed since: never replaced or removed.</p>
<ul>
{% for k in kept_files %}<li>{{ k.path }} <span class="muted">({{ k.why }})</span></li>
{% endfor %}</ul>
{% endif %}
{% if notes %}
<h2>Notes</h2>
<ul>
{% for n in notes %}<li>{{ n }}</li>
{% endfor %}</ul>
{% endif %}
<script>
// sortable columns: click a header to sort by it, again to reverse (no network, no build)
document.querySelectorAll("#pairs th[data-sort]").forEach((th, column) => {
  th.addEventListener("click", () => {
    const body = th.closest("table").tBodies[0];
    const descending = th.getAttribute("aria-sort") !== "descending";
    th.closest("tr").querySelectorAll("th").forEach((h) => h.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    const value = (row) => {
      const text = row.cells[column].textContent.trim();
      return th.dataset.sort === "number" ? (parseFloat(text) || 0) : text.toLowerCase();
    };
    const rows = Array.from(body.rows).filter((row) => row.cells.length > 1);
    rows.sort((a, b) => (value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : 0)
      * (descending ? -1 : 1));
    rows.forEach((row) => body.appendChild(row));
  });
});
</script>
</body>
</html>
"""


def _index_html(document: Mapping[str, object]) -> str:
    """The index page: one row per pair linking its review page, then what is missing."""
    ordered = {**document, "pairs": pairs_by_severity(document.get("pairs") or [])}  # type: ignore[arg-type]
    return _index_template().render(**ordered)


@functools.cache
def _index_template():
    """The index page's template, compiled once per process."""
    from jinja2 import Environment

    env = Environment(autoescape=True, keep_trailing_newline=True)
    env.filters["count"] = lambda n, noun: f"{n} {noun}" if n == 1 else f"{n} {noun}s"
    env.filters["score"] = lambda value: "n/a" if value is None else f"{value:.1f}"
    env.filters["article_page"] = article_page_name
    return env.from_string(_INDEX_TEMPLATE)
