"""The decisions of a review, exported to the plain files that ``mistok run`` and CI read
(:mod:`mistok.review.files` has the layout), and read back from them when the database has to
be rebuilt."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from eval.baseline import BaselineEntry, baseline_text
from mistok.output_files import atomic_write_bytes
from mistok.review.db import Decision, current
from mistok.review.drafts import render_draft
from mistok.review.files import AlignmentOverride, overrides_document, review_paths
from mistok.review.run_view import inside

__all__ = ["export_decisions", "style_text"]


def _toml_string(value: str) -> str:
    # a JSON string without \u escapes of non-ASCII is a TOML basic string
    return json.dumps(value, ensure_ascii=False)


def baseline_of(decisions: Sequence[Decision]) -> str:
    """The review baseline: one entry per dismissed finding, its reason after the message."""
    entries = []
    for d in current(list(decisions)).values():
        if d.kind != "dismiss":
            continue
        p = d.payload
        note = f"{p.get('message', '')} [dismissed by {d.author} {d.created}: {p['reason']}]"
        entries.append(
            BaselineEntry(d.subject, str(p.get("rule", "?")), str(p.get("where", "")), note)
        )
    return baseline_text(entries)


def style_text(decisions: Sequence[Decision]) -> str:
    """The review style file: adopted house style under [rejected], accepted spellings as
    [[accept]] entries, each with who decided and when in a comment."""
    state = sorted(current(list(decisions)).values(), key=lambda d: d.id)
    lines = [
        "# Written by `mistok review`: the decisions of the review of this run folder.",
        "# `mistok run -o` this folder adds it to the run's style file. Edit with mistok review.",
        "",
        "[rejected]",
    ]
    for d in state:
        if d.kind == "adopt":
            lines.append(f"# adopted by {d.author} {d.created}")
            lines.append(
                f"{_toml_string(d.payload['rejected'])} = {_toml_string(d.payload['preferred'])}"
            )
    for d in state:
        if d.kind != "accept":
            continue
        lines += ["", "[[accept]]", f"# by {d.author} {d.created}"]
        for key in ("spelling", "fingerprint", "rule", "article", "reason"):
            value = d.payload.get(key)
            if value:
                lines.append(f"{key} = {_toml_string(str(value))}")
    return "\n".join(lines) + "\n"


def overrides_of(decisions: Sequence[Decision]) -> str:
    """The manual alignments: the current beads of each pair a person realigned."""
    found = {}
    for d in current(list(decisions)).values():
        if d.kind != "beads":
            continue
        p = d.payload
        beads = tuple((tuple(uk), tuple(en)) for uk, en in p["beads"])
        found[d.subject] = AlignmentOverride(
            d.subject, p["uk"], p["en"], p["uk_key"], p["en_key"], beads, d.author, d.created
        )
    return overrides_document(found)


def drafts_of(decisions: Sequence[Decision]) -> dict[str, str]:
    """Each draft a reviewer touched, by its path in the run folder: as edited (and marked
    reviewed, when it is), or its original again when every edit was undone."""
    originals: dict[str, str] = {}
    for d in decisions:
        if d.kind == "draft":
            originals.setdefault(d.subject, d.payload["original"])
    state = current(list(decisions))
    files = {}
    for subject, original in originals.items():
        d = state.get(("draft", subject))
        if d is None:
            files[subject] = original
            continue
        name = Path(subject).name
        files[subject] = render_draft(
            name,
            original,
            list(d.payload["texts"]),
            bool(d.payload["reviewed"]),
            d.author,
            d.created,
        )
    return files


def export_decisions(root: Path, decisions: Sequence[Decision]) -> list[str]:
    """Write every file the decisions make into the run folder ``root`` (each atomically,
    only when its content changes). Returns the paths written."""
    paths = review_paths(root)
    paths.folder.mkdir(exist_ok=True)
    files = {
        paths.baseline: baseline_of(decisions),
        paths.style: style_text(decisions),
        paths.alignments: overrides_of(decisions),
    }
    for subject, text in drafts_of(decisions).items():
        files[inside(root, subject)] = text  # a draft's path comes from report.json
    written = []
    for path, text in files.items():
        if atomic_write_bytes(path, text.encode("utf-8")):
            written.append(str(path))
    return written
