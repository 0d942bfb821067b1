"""Bridges of the aligned WMT22 dev documents from each of the ten MT systems.

    python bench/system_bridges.py --check    # rebuild Online-B's bridge, compare with align/

``align/<doc>.uk.txt`` was cut from ``segments.tsv``: each Ukrainian paragraph is one segment
or several consecutive segments joined by a space, and segments that became English-only
paragraphs are missing from it. This module finds, for every paragraph, the run of segments it
was made of, and builds the paragraph's bridge from one system's translations of those segments
joined the same way — the perturbation of ``align/`` applied to every system. Rebuilding the
Online-B bridge this way gives ``align/<doc>.uk.mt.txt`` exactly (``--check``).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "wmt22-uk-en"
FIRST_SYSTEM_COLUMN = 4  # doc, seg, uk, en_ref, then one column per system


def _norm(text: str) -> str:
    return " ".join(text.split())


def read_segments(path: Path) -> tuple[list[str], dict[str, list[list[str]]]]:
    """(system names, rows of each document in segment order) of ``segments.tsv``."""
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    header, body = rows[0], rows[1:]
    by_doc: dict[str, list[list[str]]] = {}
    for row in body:
        by_doc.setdefault(row[0], []).append(row)
    for doc_rows in by_doc.values():
        doc_rows.sort(key=lambda r: int(r[1]))
    return header[FIRST_SYSTEM_COLUMN:], by_doc


def segment_runs(paragraphs: list[str], segments: list[str]) -> list[tuple[int, int]]:
    """For each paragraph, the segment run [start, stop) whose texts joined by spaces equal it.

    Runs are in order and never overlap; skipped segments are those the perturbation removed.
    """
    runs: list[tuple[int, int]] = []
    k = 0
    for paragraph in paragraphs:
        target = _norm(paragraph)
        found = None
        for start in range(k, len(segments)):
            joined = ""
            for stop in range(start, len(segments)):
                joined = _norm(f"{joined} {segments[stop]}")
                if joined == target:
                    found = (start, stop + 1)
                    break
                if len(joined) > len(target):
                    break
            if found:
                break
        if found is None:
            raise ValueError(f"paragraph not made of segments: {paragraph[:60]!r}")
        runs.append(found)
        k = found[1]
    return runs


def system_bridges(data: Path = DEFAULT_DATA) -> dict[str, dict[str, list[str]]]:
    """``{system: {doc stem: bridge paragraphs}}`` for every document of ``data/align``."""
    systems, by_doc = read_segments(data / "segments.tsv")
    out: dict[str, dict[str, list[str]]] = {name: {} for name in systems}
    for uk_path in sorted((data / "align").glob("*.uk.txt")):
        stem = uk_path.name[: -len(".uk.txt")]
        paragraphs = [p for p in uk_path.read_text(encoding="utf-8").strip().split("\n\n")]
        rows = by_doc[stem]
        runs = segment_runs(paragraphs, [r[2] for r in rows])
        for column, name in enumerate(systems, start=FIRST_SYSTEM_COLUMN):
            out[name][stem] = [" ".join(r[column] for r in rows[a:b]) for a, b in runs]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--check", action="store_true", help="compare Online-B with align/")
    args = parser.parse_args()
    if not (args.data / "segments.tsv").is_file():
        print(f"skipped: {args.data}/segments.tsv not found (shared data is not in the project)")
        return 0
    bridges = system_bridges(args.data)
    for name, docs in bridges.items():
        print(f"{name}: {len(docs)} documents, {sum(map(len, docs.values()))} paragraphs")
    if args.check:
        same = total = 0
        for stem, built in bridges["Online-B"].items():
            path = args.data / "align" / f"{stem}.uk.mt.txt"
            given = path.read_text(encoding="utf-8").strip().split("\n\n")
            same += sum(_norm(a) == _norm(b) for a, b in zip(built, given, strict=True))
            total += len(given)
        print(f"Online-B rebuilt: {same}/{total} paragraphs equal to align/*.uk.mt.txt")
        return 0 if same == total else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
