"""A random sample of the warnings and errors `mistok check` gives on the English originals of
ntrex-en-uk, for reading by hand: every English article of ``pair/en`` and of ``align/``
checked as one archive each, and every gold pair of ``pair/`` and document of ``align/``
checked as a pair.

    python bench/sample_warnings.py [--n 40] [--seed 11]

Prints the number of warnings per source and N of them drawn at random (fixed seed), each with
its message and the paragraphs it points at. On ``align/`` a coverage finding can be checked
against the gold alignment: the script says whether the paragraph is one-sided in the gold.
Exits 0 with a message when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from aligner.readers import read_article
from eval.base import Severity
from eval.runner import check_archive, check_pair

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ntrex-en-uk"


def _warnings(report, source: str, gold: list | None = None) -> list[dict[str, object]]:
    out = []
    for f in report.findings:
        if f.severity < Severity.WARNING:
            continue
        row: dict[str, object] = {"source": source, "rule": f.rule, "message": f.message}
        texts = {(a.id, a.lang): a.paragraphs for a in report.articles}
        row["where"] = [
            f"{loc.lang} ¶{loc.paragraph}: {texts[(loc.article, loc.lang)][loc.paragraph][:300]}"
            for loc in f.locations
            if loc.paragraph is not None and (loc.article, loc.lang) in texts
        ]
        if gold is not None and f.check == "coverage" and f.locations:
            loc = f.locations[0]
            one_sided = [b[0] if loc.lang == "uk" else b[1] for b in gold if not (b[0] and b[1])]
            row["gold_one_sided"] = any(loc.paragraph in side for side in one_sided)
        out.append(row)
    return out


def collect() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    pair = DATA / "pair"
    en_pair = [read_article(p, lang="en") for p in sorted((pair / "en").glob("*.txt"))]
    rows += _warnings(check_archive(en_pair), "pair/en archive")
    for line in (pair / "gold.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        uk, en = line.split("\t")
        if uk != "-" and en != "-":
            report = check_pair(
                read_article(pair / "uk" / f"{uk}.txt", lang="uk"),
                read_article(pair / "en" / f"{en}.txt", lang="en"),
            )
            rows += _warnings(report, f"pair/ {uk}")
    align = DATA / "align"
    en_align = [read_article(p, lang="en") for p in sorted(align.glob("*.en.txt"))]
    rows += _warnings(check_archive(en_align), "align/ archive")
    for uk_path in sorted(align.glob("*.uk.txt")):
        stem = uk_path.name[: -len(".uk.txt")]
        gold = json.loads((align / f"{stem}.gold.json").read_text(encoding="utf-8"))
        report = check_pair(
            read_article(uk_path, lang="uk"), read_article(align / f"{stem}.en.txt", lang="en")
        )
        rows += _warnings(report, f"align/ {stem}", gold)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if not (DATA / "pair" / "gold.tsv").exists():
        print(f"skipped: {DATA} not found (../shared is absent)")
        return 0
    rows = collect()
    by_source: dict[str, int] = {}
    for row in rows:
        kind = str(row["source"]).split()[0] + " " + str(row["rule"])
        by_source[kind] = by_source.get(kind, 0) + 1
    print(f"{len(rows)} warnings and errors:", json.dumps(by_source, ensure_ascii=False))
    sample = random.Random(args.seed).sample(rows, min(args.n, len(rows)))
    for i, row in enumerate(sample, 1):
        print(f"\n#{i} [{row['source']}] {row['rule']}: {row['message']}")
        if "gold_one_sided" in row:
            print(f"   gold: one-sided = {row['gold_one_sided']}")
        for where in row["where"]:
            print(f"   {where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
