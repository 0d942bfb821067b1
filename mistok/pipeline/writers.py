"""Writing the output folder of ``mistok run`` from the stages' results.

Everything here is deterministic (no clocks, no absolute temporary paths), so a resumed run
writes the same bytes as a clean one; every file goes through :class:`OutputDir`'s atomic
writes, and files of an earlier run that this run did not produce are removed from the
folders the run owns (``alignments/``, ``pairs/``, ``drafts/``).

Each pair's review page is written as soon as the pair is checked (:func:`write_review_page`),
since an archive's pages together do not fit in memory; the rest is written at the end
(:func:`write_outputs`), ``report.json`` and ``report.html`` last. Before a rerun changes the
first file, the earlier report is republished marked incomplete
(:func:`mark_report_incomplete`), so an interrupted rerun leaves either the earlier complete
run or newer pages beside a report that says it is incomplete — never a report linking pages
that are gone (an earlier run's files are removed only after the new report is out).

Files are mistok's by content, not by name (:class:`OutputDir`): a draft a translator
corrected or a file someone added is never replaced or removed, and is listed in the report
(``kept_files``) and the summary.

Layout::

    pairs.tsv               uk<TAB>en per pair, "-" for no counterpart, then "# skipped" lines
                            (as `mistok pair`)
    alignments/<pair>.json  beads with scores and the aligner signature
    pairs/<pair>.html       the review page of each pair
    articles/<id>.<lang>.html   a page per article without a counterpart (article_pages)
    drafts/                 machine drafts: <id>.<lang>.txt per article, <pair>.<lang>.json
    needs_translation.tsv   what still needs a translation (no model was available)
    xliff/<job>.xlf         XLIFF 2.0 per article and direction: the paragraphs to translate,
                            drafts as targets, findings as notes (mistok.export_xliff)
    findings.csv, findings.xlsx   every pair's findings as a spreadsheet (export_findings)
    report.json             everything above in one document; report.html links the pages
    junit.xml               one test suite per pair
    bitext.tmx, bitext.jsonl, dataset/ (HF dataset + bitext.parquet): sentence units, or
                            paragraph units with --tm-unit paragraph
    manifest.json           input content hashes, settings and output hashes
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping, Sequence

from eval.runner import file_digest
from mistok import __version__
from mistok.archive import skipped_comment_block
from mistok.export.dataset import jsonl_lines, write_dataset
from mistok.export.tmx import tmx_chunks
from mistok.export.translator_files import pair_findings, translator_files
from mistok.output_dir import MANIFEST_NAME, OutputDir, content_key, file_sha256
from mistok.pipeline.article_pages import article_page_name, pairs_by_severity, unpaired_pages
from mistok.run_records import (
    AlignedPair,
    BitextRow,
    Draft,
    PairCheck,
    Pairing,
    RunInputs,
    RunSettings,
    TranslationRequest,
)

DATASET_FOLDER = "dataset"


def review_page_name(pair_id: str) -> str:
    """Where the review page of a pair goes, relative to the output folder."""
    return f"pairs/{pair_id}.html"


def write_review_page(out: OutputDir, verdict: PairCheck) -> tuple[str, str]:
    """Write one pair's review page (atomically; untouched when unchanged) as soon as its
    checks are done, so that an archive's pages are never all held in memory. Returns the
    page's path relative to the folder and its SHA-256 (for the manifest). A page someone
    changed is kept instead (:attr:`OutputDir.kept`)."""
    relative = review_page_name(verdict.pair_id)
    data = verdict.html.encode("utf-8")
    out.write_bytes(relative, data)
    return relative, hashlib.sha256(data).hexdigest()


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


def write_outputs(
    out: OutputDir,
    *,
    settings: RunSettings,
    archive: RunInputs,
    notes: Sequence[str],
    pairing: Pairing,
    aligned: Sequence[AlignedPair],
    verdicts: Sequence[PairCheck],
    pages: Mapping[str, str],
    rows: Sequence[BitextRow],
    drafts: Sequence[Draft],
    pending: Sequence[TranslationRequest],
    model_message: str | None,
    fingerprints: Mapping[tuple[str, str], str],
    with_dataset: bool = True,
) -> list[str]:
    """Write every output file but the review pages, which :func:`write_review_page` wrote
    already (``pages``: their paths and hashes); remove what an earlier run wrote that this
    one did not. ``verdicts`` need no pages (:meth:`PairCheck.without_page`). Without
    ``with_dataset`` (``datasets`` is not installed) ``dataset/`` is removed, not written.

    The order keeps every view consistent: the files the report links first, then
    ``report.json`` and ``report.html``, then the manifest, and only then the removal of
    an earlier run's files that this one did not write. Files that are not mistok's (a
    corrected draft, an added file) are never replaced or removed: they are listed in the
    report and in :attr:`OutputDir.kept`. Returns the paths written, relative, sorted."""
    outputs: dict[str, str] = {r: d for r, d in pages.items() if r not in out.kept}

    def put(relative: str, data: str | bytes) -> None:
        blob = data.encode("utf-8") if isinstance(data, str) else data
        if out.write_bytes(relative, blob):
            outputs[relative] = hashlib.sha256(blob).hexdigest()

    def put_chunks(relative: str, chunks: Iterable[bytes]) -> None:
        digest = out.write_chunks(relative, chunks)
        if digest is not None:
            outputs[relative] = digest

    put("pairs.tsv", pairing.tsv() + skipped_comment_block(archive.skipped))
    for item in aligned:
        put(f"alignments/{item.pair_id}.json", _json(item.alignment_dict()))
    for draft in drafts:
        put(f"drafts/{draft.request.draft_name}", _draft_text(draft))
    alone = [a for a in archive.uk if a.id in set(pairing.unpaired_uk)]
    alone += [a for a in archive.en if a.id in set(pairing.unpaired_en)]
    for relative, page in unpaired_pages(alone, drafts).items():  # linked by report.html
        put(relative, page)
    put("needs_translation.tsv", _pending_tsv(pending))
    extra = translator_files(pair_findings(verdicts), drafts, pending, __version__)
    for relative, blob in extra.items():  # xliff/, findings.csv, findings.xlsx
        put(relative, blob)
    put_chunks("junit.xml", junit_chunks(verdicts))
    # piece by piece: an archive's bitext is never one string (nor one XML tree) in memory
    put_chunks("bitext.jsonl", (line.encode("utf-8") for line in jsonl_lines(rows)))
    put_chunks("bitext.tmx", tmx_chunks(rows, __version__, settings.tm_unit))

    manifest = out.read_manifest()
    dataset_key = None
    if with_dataset:
        dataset_key = content_key("dataset", __version__, [row.to_dict() for row in rows])
        listed = {
            r: d
            for r, d in (manifest.get("outputs") or {}).items()
            if r.startswith(DATASET_FOLDER + "/")
        }
        current = manifest.get("dataset_key") == dataset_key and out.path(DATASET_FOLDER).is_dir()
        if not listed and manifest.get("dataset_key") and manifest.get("format") is None:
            out.adopt_tree(DATASET_FOLDER)  # a manifest from before files were listed
            listed = out.tree_digests(DATASET_FOLDER)
        if current and listed:
            outputs.update(listed)
        elif out.owns_tree(DATASET_FOLDER):
            if not current:
                out.changing()
                write_dataset(rows, out.path(DATASET_FOLDER))
            outputs.update(out.tree_digests(DATASET_FOLDER))
        else:  # someone's files are in dataset/: it stays as it is
            out.kept.setdefault(DATASET_FOLDER + "/", "holds files not written by mistok")
            dataset_key = None
    else:  # an earlier run's dataset would not match this run's bitext
        out.remove(DATASET_FOLDER)

    document = _report_document(
        settings, archive, notes, pairing, aligned, verdicts, rows, drafts, pending, model_message
    )
    stale = out.stale_files([*outputs, "report.json", "report.html"])
    out.foreign_files([*outputs, *stale, "report.json", "report.html", MANIFEST_NAME])
    document["kept_files"] = [{"path": p, "why": why} for p, why in sorted(out.kept.items())]
    # published last: everything they link exists by now, and is on disk
    out.flush()
    put("report.json", _json(document))
    put("report.html", _index_html(document))
    out.before_first_change = None  # the new report is out: nothing is left to mark
    out.write_manifest(
        {
            "tool": {"name": "mistok", "version": __version__},
            "inputs": {
                f"{lang}/{article_id}": key
                for (article_id, lang), key in sorted(fingerprints.items())
            },
            "settings": _settings_dict(settings),
            "outputs": dict(sorted(outputs.items())),
            "dataset_key": dataset_key,
            "kept": dict(sorted(out.kept.items())),
        }
    )
    out.prune_stale(outputs)  # what an earlier run wrote and this one did not, if unchanged
    out.finish()
    written = [r for r in outputs if not r.startswith(DATASET_FOLDER + "/")]
    written += [MANIFEST_NAME] + ([DATASET_FOLDER + "/"] if dataset_key else [])
    return sorted(written)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _settings_dict(settings: RunSettings) -> dict[str, object]:
    return {
        "inputs": [str(p) for p in settings.inputs],
        "model": settings.model,
        "mt_engine": settings.mt_engine,  # the translation engine; where stages ran is not recorded
        "style": str(settings.style) if settings.style else None,
        "style_sha256": file_sha256(settings.style) if settings.style else None,
        "bridge": str(settings.bridge) if settings.bridge else None,
        "tm_unit": settings.tm_unit,
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
    """What changes a run's result, sacrebleu style; each pair's report adds its own (aligner
    and check settings)."""
    style = file_digest(settings.style) if settings.style else "none"
    parts = [
        "run",
        f"model:{settings.model or 'opus-mt'}",
        f"mt-engine:{settings.mt_engine}",
        f"bridge:{'yes' if settings.bridge else 'no'}",
        f"style:{style}",
        *[f"{stage}-settings:{digest[:8]}" for stage, digest in _configured(settings).items()],
        f"version:{__version__}",
    ]
    return "|".join(parts) + " " + pairing.signature


def _draft_text(draft: Draft) -> str:
    """A draft file that says, in its first lines, that it is an unreviewed machine draft."""
    request = draft.request
    if request.pair_id is None:
        header = {
            "id": request.article_id,
            "lang": request.tgt,
            "machine_draft": True,
            "model": draft.model,
            "translated_from": f"{request.article_id} ({request.src})",
            "note": "machine translation draft; review before publishing",
        }
        if draft.issues:
            header["translation_issues"] = list(draft.issues)
        lines = ["---", *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in header.items())]
        return "\n".join([*lines, "---", "", "\n\n".join(draft.texts), ""])
    return _json(
        {
            "machine_draft": True,
            "note": "machine translation draft; review before publishing",
            "model": draft.model,
            "pair": request.pair_id,
            "article": request.article_id,
            "src": request.src,
            "tgt": request.tgt,
            "translation_issues": list(draft.issues),
            "paragraphs": [
                {"index": i, "source": s, "draft": d}
                for i, s, d in zip(request.indices, request.texts, draft.texts, strict=True)
            ],
        }
    )


def _pending_tsv(pending: Sequence[TranslationRequest]) -> str:
    rows = ["kind\tarticle\tsrc\ttgt\tparagraphs\tpair"]
    for r in pending:
        indices = ",".join(map(str, r.indices))
        rows.append(f"{r.kind}\t{r.article_id}\t{r.src}\t{r.tgt}\t{indices}\t{r.pair_id or '-'}")
    return "\n".join(rows) + "\n"


def finding_totals(verdicts: Iterable[PairCheck]) -> dict[str, int]:
    """The number of findings of each severity over all pairs."""
    totals = {"error": 0, "warning": 0, "note": 0}
    for verdict in verdicts:
        for severity, count in verdict.counts.items():
            totals[severity] = totals.get(severity, 0) + int(count)
    return totals


def archive_score(
    verdicts: Iterable[PairCheck], score: Mapping[str, object] | None = None
) -> dict[str, object] | None:
    """The consistency score of the archive: each pair's components pooled (what agrees over
    what could disagree, summed over pairs), with its signature; None without pair scores.
    ``score`` is the ``[score]`` table of the run configuration (weights, names target)."""
    from eval.consistency_score import ConsistencyScore, ScoreSettings, pool

    scores = [
        ConsistencyScore.from_dict(v.report["scores"])  # type: ignore[arg-type]
        for v in verdicts
        if v.report.get("scores")
    ]
    if not scores:
        return None
    settings = ScoreSettings.from_mapping(score) if score else None
    return pool(scores, "archive", f"archive ({len(scores)} pairs)", settings).to_dict()


def _pair_score(verdict: PairCheck | None) -> dict[str, object] | None:
    """A pair's score as report.json gives it: the pair's own, without the per-article ones."""
    scores = verdict.report.get("scores") if verdict else None
    if not scores:
        return None
    return {k: v for k, v in scores.items() if k != "articles"}  # type: ignore[union-attr]


def _report_document(
    settings, archive, notes, pairing, aligned, verdicts, rows, drafts, pending, model_message
) -> dict[str, object]:
    verdict_of = {v.pair_id: v for v in verdicts}
    pairs = []
    for item in aligned:
        verdict = verdict_of.get(item.pair_id)
        pairs.append(
            {
                "pair": item.pair_id,
                "uk": item.pair.uk.id,
                "en": item.pair.en.id,
                "uk_title": item.pair.uk.title,
                "en_title": item.pair.en.title,
                "confidence": item.pair.link.confidence,
                "signals": dict(item.pair.link.signals),
                "alignment": f"alignments/{item.pair_id}.json",
                "review": review_page_name(item.pair_id),
                "one_sided_paragraphs": sum(
                    len(b.uk) + len(b.en) for b in item.alignment.beads if b.is_one_sided
                ),
                "counts": dict(verdict.counts) if verdict else None,
                # the pair's findings and signature; its texts and beads are in the files above
                "findings": list(verdict.report.get("findings", [])) if verdict else None,
                "check_signature": verdict.report.get("signature") if verdict else None,
                "scores": _pair_score(verdict),
            }
        )
    return {
        "tool": {"name": "mistok", "version": __version__},
        "complete": True,
        "signature": run_signature(settings, pairing),
        "settings": _settings_dict(settings),
        "pairing": {
            "signature": pairing.signature,
            "unpaired_uk": list(pairing.unpaired_uk),
            "unpaired_en": list(pairing.unpaired_en),
        },
        "counts": {
            "uk_articles": len(archive.uk),
            "en_articles": len(archive.en),
            "pairs": len(pairing.pairs),
            "unpaired_uk": len(pairing.unpaired_uk),
            "unpaired_en": len(pairing.unpaired_en),
            "bitext_rows": len(rows),
            "drafts": len(drafts),
            "needs_translation": len(pending),
            "skipped_files": len(archive.skipped),
        },
        "findings": finding_totals(verdicts),
        "scores": archive_score(verdicts, settings.config.score_settings()),
        "pairs": pairs,
        "translation": {
            "drafts": [
                {
                    **d.request.to_dict(),
                    "file": f"drafts/{d.request.draft_name}",
                    "model": d.model,
                    "issues": list(d.issues),
                }
                for d in drafts
            ],
            "needs_translation": [r.to_dict() for r in pending],
            "message": model_message,
        },
        "skipped_files": [{"path": p, "reason": r} for p, r in archive.skipped],
        "notes": list(notes),
    }


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
    from jinja2 import Environment

    env = Environment(autoescape=True, keep_trailing_newline=True)
    env.filters["count"] = lambda n, noun: f"{n} {noun}" if n == 1 else f"{n} {noun}s"
    env.filters["score"] = lambda value: "n/a" if value is None else f"{value:.1f}"
    env.filters["article_page"] = article_page_name
    ordered = {**document, "pairs": pairs_by_severity(document.get("pairs") or [])}  # type: ignore[arg-type]
    return env.from_string(_INDEX_TEMPLATE).render(**ordered)


def _pair_suites(verdict: PairCheck) -> list[ET.Element]:
    """The test suites of one pair's JUnit document, each with the pair as its id."""
    parsed = ET.fromstring(verdict.junit.encode("utf-8"))
    suites = [parsed] if parsed.tag == "testsuite" else parsed.findall("testsuite")
    for suite in suites:
        suite.set("id", verdict.pair_id)
    return suites


def junit_chunks(verdicts: Sequence[PairCheck]) -> Iterator[bytes]:
    """One ``<testsuites>`` document holding every pair's suites (named after the pair),
    made piece by piece: one pair's suites are parsed at a time (twice: the totals on the
    root element come first), never the archive's tree. The bytes are those of indenting the
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
