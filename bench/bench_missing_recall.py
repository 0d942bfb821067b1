"""Recall of ``names.missing`` on names that really are absent: take professional translation
pairs, delete one English name at a time, and see whether the check then reports the
Ukrainian name it rendered, and how confidently.

    python bench/bench_missing_recall.py

Pairs: the 1-1 gold beads of ``align/`` of both development sets (a Ukrainian paragraph and
its English version). For every capitalised English word, not at a sentence start, whose
deletion makes the check report a new Ukrainian name as missing (so that word was the name's
rendering), the new finding counts as recalled at warning level when its confidence is at
least ``eval.confidence.WARNING_AT``. Prints, per set, the deletions, how many were found at
all (any confidence) and how many as warnings. Exits 0 with a message when ../shared is absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from aligner.readers import read_article
from eval.confidence import WARNING_AT
from eval.names import find_missing_names

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
_WORD = re.compile(r"(?<![.!?\"“]\s)(?<!^)\b[A-Z][a-z]+(?:['’-][A-Za-z]+)*")


def beads(folder: Path) -> list[tuple[str, str]]:
    out = []
    for uk_path in sorted(folder.glob("*.uk.txt")):
        stem = uk_path.name[: -len(".uk.txt")]
        uk = read_article(uk_path, lang="uk").paragraphs
        en = read_article(folder / f"{stem}.en.txt", lang="en").paragraphs
        for u, e in json.loads((folder / f"{stem}.gold.json").read_text(encoding="utf-8")):
            if len(u) == 1 and len(e) == 1:
                out.append((uk[u[0]], en[e[0]]))
    return out


def measure(pairs: list[tuple[str, str]]) -> tuple[int, int, int]:
    deletions = found = warned = 0
    for uk, en in pairs:
        before = {m.uk for m in find_missing_names([uk], [en])}
        for m in _WORD.finditer(en):
            edited = en[: m.start()] + en[m.end() :]
            new = [x for x in find_missing_names([uk], [edited]) if x.uk not in before]
            if not new:
                continue  # the word rendered no Ukrainian name (or another word still does)
            deletions += 1
            found += 1
            warned += any(x.confidence >= WARNING_AT for x in new)
    return deletions, found, warned


def main() -> int:
    sets = ("wmt22-uk-en", "ntrex-en-uk")
    if not all((DATA / s / "align").exists() for s in sets):
        print(f"skipped: {DATA} has not both sets (../shared is absent)")
        return 0
    print(f"{'set':<14} {'names deleted':>13} {'reported':>9} {'as warning':>10}")
    for name in sets:
        deleted, found, warned = measure(beads(DATA / name / "align"))
        print(f"{name:<14} {deleted:>13} {found:>9} {warned:>10} ({warned / max(1, deleted):.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
