"""A run folder as the review application shows it: pairs, findings, beads, texts, drafts.

Read once when the application starts; nothing a request names is used as a path: pair ids
and draft names are looked up among those the run's report lists, and every file read is
checked to lie inside the run folder.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from aligner.errors import InputError
from mistok.output_dir import MANIFEST_FORMAT, MANIFEST_NAME
from mistok.review.drafts import DraftText, parse_draft
from mistok.run_folder import load_run_json, source_texts

__all__ = ["PairInfo", "RunView", "load_run", "inside"]

SEVERITIES = ("error", "warning", "note")


def inside(root: Path, relative: str) -> Path:
    """``root / relative``, refused (:class:`InputError`) when it would lead out of ``root``."""
    base = Path(root).resolve()
    path = (base / relative).resolve()
    if path != base and base not in path.parents:
        raise InputError(f"{relative}: a path outside the run folder")
    return path


@dataclass(frozen=True)
class PairInfo:
    """One pair of the run's report."""

    id: str
    uk: str
    en: str
    uk_title: str
    en_title: str
    findings: tuple[Mapping[str, object], ...]
    alignment_file: str
    confidence: float


@dataclass(frozen=True)
class DraftInfo:
    """One draft of the run: its file (relative), article, direction and pair (if any)."""

    file: str
    article: str
    src: str
    tgt: str
    pair: str | None
    kind: str


@dataclass
class RunView:
    """What the application shows of a run folder."""

    root: Path
    pairs: dict[str, PairInfo]
    drafts: dict[str, DraftInfo]
    unpaired: dict[str, tuple[str, str]]  # "lang/id" -> (lang, id)
    texts: dict[tuple[str, str], tuple[str, ...]]
    keys: dict[str, str]
    alignments: dict[str, dict] = field(default_factory=dict)

    def paragraphs(self, article: str, lang: str) -> tuple[str, ...]:
        return self.texts.get((article, lang), ())

    def machine_beads(self, pair: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        """The beads the run's aligner set for ``pair``."""
        data = self.alignments.get(pair)
        if data is None:
            data = json.loads(inside(self.root, self.pairs[pair].alignment_file).read_text("utf-8"))
            self.alignments[pair] = data
        return [(tuple(b["uk"]), tuple(b["en"])) for b in data["beads"]]

    def alignment_size(self, pair: str) -> tuple[int, int]:
        self.machine_beads(pair)
        data = self.alignments[pair]
        return int(data["n_uk"]), int(data["n_en"])

    def draft_text(self, name: str) -> tuple[str, DraftText]:
        """The file content and the parsed draft of the draft file ``name``."""
        info = self.drafts[name]
        text = inside(self.root, info.file).read_text(encoding="utf-8")
        return text, parse_draft(Path(info.file).name, text)


def load_run(root: Path) -> RunView:
    """Read the run folder ``root``. :class:`InputError` (one line) for a folder that is not
    a complete mistok run, one written by a newer mistok, or whose inputs are gone."""
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"{root}: no such folder; give the -o folder of mistok run")
    manifest = load_run_json(root / MANIFEST_NAME, "manifest")
    _check_manifest_format(root, str(manifest.get("format", "")))
    report = load_run_json(root / "report.json", "report")
    if not report.get("complete", True):
        raise InputError(f"{root}: the run did not finish; run mistok run again first")
    pairs, drafts, unpaired = _pairs_of(report), _drafts_of(report), _unpaired_of(report)
    texts = source_texts(root, report)
    return RunView(root, pairs, drafts, unpaired, texts, dict(manifest.get("inputs") or {}))


def _check_manifest_format(root: Path, found: str) -> None:
    """Refuse a manifest of another format: a newer mistok's (upgrade), or not mistok's."""
    if found == MANIFEST_FORMAT:
        return
    name, _, version = found.partition("/")
    ours = MANIFEST_FORMAT.partition("/")[2]
    newer = version.isdigit() and ours.isdigit() and int(version) > int(ours)
    if name == MANIFEST_FORMAT.partition("/")[0] and newer:
        raise InputError(
            f"{root}: a run written by a newer mistok (format {found}); upgrade mistok"
        )
    raise InputError(f"{root / MANIFEST_NAME}: not a mistok run manifest")


def _pairs_of(report: Mapping) -> dict[str, PairInfo]:
    """The report's pairs by id."""
    pairs = {}
    for p in report.get("pairs") or ():
        pairs[str(p["pair"])] = PairInfo(
            str(p["pair"]),
            str(p["uk"]),
            str(p["en"]),
            str(p.get("uk_title") or ""),
            str(p.get("en_title") or ""),
            tuple(p.get("findings") or ()),
            str(p["alignment"]),
            float(p.get("confidence") or 0.0),
        )
    return pairs


def _drafts_of(report: Mapping) -> dict[str, DraftInfo]:
    """The run's machine drafts by file name."""
    drafts = {}
    for d in (report.get("translation") or {}).get("drafts") or ():
        file = str(d["file"])
        drafts[Path(file).name] = DraftInfo(
            file,
            str(d["article"]),
            str(d["src"]),
            str(d["tgt"]),
            d.get("pair"),
            str(d.get("kind", "")),
        )
    return drafts


def _unpaired_of(report: Mapping) -> dict[str, tuple[str, str]]:
    """The articles without a counterpart: ``"lang/id"`` -> (lang, id)."""
    pairing = report.get("pairing") or {}
    unpaired = {f"uk/{i}": ("uk", str(i)) for i in pairing.get("unpaired_uk") or ()}
    unpaired.update({f"en/{i}": ("en", str(i)) for i in pairing.get("unpaired_en") or ()})
    return unpaired
