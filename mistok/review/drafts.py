"""Machine drafts of a run folder as a reviewer edits them.

A draft is a file of ``OUT/drafts/``: ``<id>.<lang>.txt`` for a whole article (front matter,
then paragraphs) or ``<pair>.<lang>.json`` for the one-sided paragraphs of a pair. Both say
``machine_draft: true``. An edit keeps that mark; only marking the draft reviewed removes it
(``machine_draft: false``, with ``reviewed_by`` and ``reviewed_at``). The edited file is
written in place, atomically; ``mistok run`` keeps a file whose content is no longer its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

__all__ = ["DraftText", "parse_draft", "render_draft"]


@dataclass(frozen=True)
class DraftText:
    """What a reviewer sees of a draft: its source paragraphs, its draft paragraphs, whether a
    person marked it reviewed."""

    name: str
    sources: tuple[str, ...]
    texts: tuple[str, ...]
    machine_draft: bool


def _front_matter(text: str) -> tuple[dict[str, object], str]:
    if not text.startswith("---\n") or "\n---" not in text[3:]:
        return {}, text
    head, body = text[4:].split("\n---", 1)
    fields: dict[str, object] = {}
    for line in head.splitlines():
        key, _, value = line.partition(": ")
        try:
            fields[key] = json.loads(value)
        except ValueError:
            fields[key] = value
    return fields, body.lstrip("\n")


def parse_draft(name: str, text: str) -> DraftText:
    """A draft file's content (``name`` is its file name in ``drafts/``)."""
    if name.endswith(".json"):
        data = json.loads(text)
        paragraphs = data.get("paragraphs") or []
        return DraftText(
            name,
            tuple(str(p["source"]) for p in paragraphs),
            tuple(str(p["draft"]) for p in paragraphs),
            bool(data.get("machine_draft", True)),
        )
    fields, body = _front_matter(text)
    texts = tuple(p.strip() for p in body.strip().split("\n\n") if p.strip())
    return DraftText(name, (), texts, bool(fields.get("machine_draft", True)))


def render_draft(
    name: str, original: str, texts: list[str], reviewed: bool, author: str, time: str
) -> str:
    """The draft file ``original`` with the paragraphs ``texts`` and, when ``reviewed``, the
    machine-draft mark replaced by the reviewer's name and time."""
    marks: dict[str, object] = (
        {"machine_draft": False, "reviewed_by": author, "reviewed_at": time}
        if reviewed
        else {"machine_draft": True}
    )
    if name.endswith(".json"):
        data = json.loads(original)
        for paragraph, text in zip(data.get("paragraphs") or [], texts, strict=False):
            paragraph["draft"] = text
        data.update(marks)
        if reviewed:
            data["note"] = "machine translation reviewed and edited by a person"
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    fields, _body = _front_matter(original)
    fields.update(marks)
    if reviewed:
        fields["note"] = "machine translation reviewed and edited by a person"
    lines = ["---", *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items())]
    clean = [" ".join(t.split("\n")).strip() for t in texts if t.strip()]
    return "\n".join([*lines, "---", "", "\n\n".join(clean), ""])
