"""Reading a finished ``mistok run`` folder back: its findings, its translation requests and
drafts (what ``mistok export`` turns into XLIFF and spreadsheets).

``report.json`` holds the findings and what needed a translation; ``drafts/`` holds the drafts.
The source texts of paragraphs that no model drafted are not in the folder: they are read again
from the run's inputs (the paths in ``report.json``), and each article is checked against the
content key the run recorded in ``manifest.json``, so an export never mixes an edited article
with an old run's findings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from aligner.errors import InputError
from aligner.readers import split_paragraphs
from mistok.output_dir import MANIFEST_NAME, content_key
from mistok.run_records import Draft, TranslationRequest, article_fingerprint

REPORT_NAME = "report.json"


@dataclass(frozen=True)
class RunFolder:
    """What ``mistok export`` needs from a run folder."""

    root: Path
    findings: Mapping[str, list[Mapping[str, object]]]  # by pair id, in the run's order
    pending: tuple[TranslationRequest, ...]
    drafts: tuple[Draft, ...]


def load_run_json(path: Path, what: str) -> dict:
    """A JSON object file of a run folder (``report.json``, ``manifest.json``, a draft's JSON);
    :class:`InputError` (one line) when it is missing, unreadable or not an object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"{path.parent}: not a mistok run folder (no {path.name}); give the -o folder of "
            "mistok run"
        ) from None
    except (OSError, ValueError) as err:
        raise InputError(f"{path}: cannot read the run's {what}: {err}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: the run's {what} is not a JSON object")
    return data


def read_findings(root: Path) -> dict[str, list[Mapping[str, object]]]:
    """Each pair's findings in a run folder, by pair id (``report.json``)."""
    report = load_run_json(Path(root) / REPORT_NAME, "report")
    return {str(p["pair"]): list(p.get("findings") or ()) for p in report.get("pairs", [])}


def read_run_folder(root: Path) -> RunFolder:
    """The findings, the requests no model drafted, and the drafts of a run folder, with the
    source texts of every request."""
    root = Path(root)
    report = load_run_json(root / REPORT_NAME, "report")
    findings = {str(p["pair"]): list(p.get("findings") or ()) for p in report.get("pairs", [])}
    translation = report.get("translation") or {}
    pending_items = list(translation.get("needs_translation") or ())
    draft_items = list(translation.get("drafts") or ())
    texts: dict[tuple[str, str], tuple[str, ...]] = {}
    if pending_items or any(d.get("kind") == "article" for d in draft_items):
        texts = source_texts(root, report)
    pending = tuple(_request(root, texts, item, None) for item in pending_items)
    drafts = tuple(_draft(root, texts, item) for item in draft_items)
    return RunFolder(root, findings, pending, drafts)


def _request(
    root: Path,
    texts: Mapping[tuple[str, str], tuple[str, ...]],
    item: Mapping[str, object],
    sources: tuple[str, ...] | None,
) -> TranslationRequest:
    """A translation request of report.json, with its source paragraphs: ``sources``, or
    those of the run's input article (``texts``)."""
    article, src = str(item["article"]), str(item["src"])
    indices = tuple(int(i) for i in item["paragraphs"])  # type: ignore[union-attr]
    if sources is None:
        paragraphs = texts.get((article, src))
        if paragraphs is None or any(i >= len(paragraphs) for i in indices):
            raise InputError(f"{root}: the run's input article {article!r} ({src}) is gone")
        sources = tuple(paragraphs[i] for i in indices)
    pair = item.get("pair")
    return TranslationRequest(article, src, str(item["tgt"]), indices, sources, pair)  # type: ignore[arg-type]


def _draft(
    root: Path, texts: Mapping[tuple[str, str], tuple[str, ...]], item: Mapping[str, object]
) -> Draft:
    """A draft listed in report.json, read from its file: an article's text file (after its
    front matter), or a pair's JSON with each paragraph's source and draft."""
    path = root / str(item["file"])
    if item.get("kind") == "article":
        req = _request(root, texts, item, None)
        body = _read_text(path)
        if body.startswith("---"):
            body = body.split("\n---", 1)[1] if "\n---" in body else ""
        draft_texts = tuple(split_paragraphs(body))
    else:
        data = load_run_json(path, "draft")
        paragraphs = data.get("paragraphs") or []
        req = _request(root, texts, item, tuple(str(p["source"]) for p in paragraphs))
        draft_texts = tuple(str(p["draft"]) for p in paragraphs)
    if len(draft_texts) != len(req.indices):
        raise InputError(
            f"{path}: the draft has {len(draft_texts)} paragraphs, the request "
            f"{len(req.indices)}; rerun mistok run"
        )
    return Draft(req, draft_texts, str(item.get("model") or "unknown"))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(f"{path}: cannot read the draft: {err.strerror or err}") from None


def source_texts(
    root: Path, report: Mapping[str, object]
) -> dict[tuple[str, str], tuple[str, ...]]:
    """The paragraphs of the run's input articles, read again and checked against the content
    keys of ``manifest.json``."""
    from mistok.archive import read_archive

    settings = report.get("settings") or {}
    inputs = [Path(p) for p in settings.get("inputs") or ()]  # type: ignore[union-attr]
    missing = [str(p) for p in inputs if not p.exists()]
    if not inputs or missing:
        where = ", ".join(missing) or "none recorded"
        raise InputError(
            f"{root}: the run's inputs are needed for the paragraphs no model drafted, and are "
            f"not here ({where}); run mistok export from the folder mistok run ran in"
        )
    keys = load_run_json(root / MANIFEST_NAME, "manifest").get("inputs") or {}
    archive = read_archive(inputs)  # as the run read them (mistok.pipeline.inputs.read_run_inputs)
    texts = {}
    for article in archive.uk + archive.en:
        recorded = keys.get(f"{article.lang}/{article.id}")
        if recorded is not None and recorded != content_key(article_fingerprint(article)):
            raise InputError(
                f"{root}: input article {article.id!r} ({article.lang}) changed since the run; "
                "rerun mistok run before exporting"
            )
        texts[(article.id, article.lang)] = tuple(article.paragraphs)
    return texts
