"""Lemmatisation of Ukrainian names: the rules of :func:`aligner.names.uk_lemma_candidates`
alone against the same candidates re-ranked by the Ukrainian dictionary
(:func:`aligner.names.ranked_uk_lemmas`, pymorphy3 + pymorphy3-dicts-uk).

    python bench/bench_lemmas.py [-v]

The sample: every distinct inflected form, in the Ukrainian segments of the WMT22 dev split, of
the 94 annotated entities of ``../shared/data/names/wmt22_dev_variants.json`` (found by each
entity's ``uk_regex``, whole words only; a multiword entity contributes the word that starts
like the form; derived adjectives such as *Київської* for *Київ* left out: they are no case of
the noun). A first choice is right when it equals the entity's nominative (case-insensitive).
Reported overall and for the names the press table does not know. Exits 0 with a message when
../shared is absent."""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

from aligner.morphology import morphology_available
from aligner.names import load_press_names, ranked_uk_lemmas, uk_lemma_candidates

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
_ADJECTIVE = re.compile(r"(ськ|цьк|зьк)\w*$")
VARIANTS = SHARED / "names" / "wmt22_dev_variants.json"
SEGMENTS = SHARED / "wmt22-uk-en" / "segments.tsv"


def sample() -> list[tuple[str, str]]:
    """(inflected form, nominative) pairs, distinct."""
    csv.field_size_limit(sys.maxsize)
    with SEGMENTS.open(encoding="utf-8", newline="") as f:
        text = "\n".join(r["uk"] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    text = text.replace("’", "'").replace("ʼ", "'")
    pairs = set()
    words = set(re.findall(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*", text))
    for entity in json.loads(VARIANTS.read_text(encoding="utf-8"))["entities"]:
        names = re.sub(r"\s*\(.*", "", entity["uk"]).replace("’", "'").split()
        for m in re.finditer(entity["uk_regex"], text):
            form = m.group(0).split()[-1]
            nominative = next((n for n in names if n[:3] == form[:3]), names[-1])
            adjective = _ADJECTIVE.search(form) and not _ADJECTIVE.search(nominative)
            if form[:1].isupper() and form in words and not adjective:
                pairs.add((form, nominative))
    return sorted(pairs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list the wrong choices")
    args = parser.parse_args()
    if not VARIANTS.exists() or not SEGMENTS.exists():
        print(f"skipped: {VARIANTS} or {SEGMENTS} not found (../shared is absent)")
        return 0
    if not morphology_available():
        print("skipped: pymorphy3 with pymorphy3-dicts-uk is not installed")
        return 0
    press = load_press_names()
    rows = sample()
    for label, subset in (
        ("all", rows),
        ("outside the press table", [r for r in rows if not press.by_uk(r[1])]),
    ):
        rules = sum(uk_lemma_candidates(f)[0].lower() == n.lower() for f, n in subset)
        ranked = sum(ranked_uk_lemmas(f)[0].lower() == n.lower() for f, n in subset)
        print(f"{label:<26} forms {len(subset):>4}  rules {rules:>4}  re-ranked {ranked:>4}")
    if args.verbose:
        for form, nominative in rows:
            a, b = uk_lemma_candidates(form)[0], ranked_uk_lemmas(form)[0]
            if a.lower() != nominative.lower() or b.lower() != nominative.lower():
                print(f"  {form:<16} {nominative:<14} rules {a:<14} re-ranked {b}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
