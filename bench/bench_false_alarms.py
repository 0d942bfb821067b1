"""False alarms of ``mistok check UK EN`` (default checks, no bridge) on professional
translations: the gold article pairs of both development sets, side by side.

    python bench/bench_false_alarms.py [--dump FILE.jsonl] [--bridge]

Both sets are professional human translations, so nearly every warning or error there is a
false alarm. Per set: pairs, warnings + errors per pair, and per rule (warnings + errors per
pair). ``--dump`` writes every warning/error as one JSON line (set, pair, rule, message) for
reading by hand. Goal: ≤ 0.3 per pair on both sets, no rule above 0.1 per pair.
Exits 0 with a message when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from aligner.readers import read_article
from eval.base import Severity
from eval.runner import check_pair

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SETS = ("wmt22-uk-en", "ntrex-en-uk")


def gold_pairs(folder: Path) -> list[tuple[Path, Path]]:
    pairs = []
    for line in (folder / "gold.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        uk, en = line.split("\t")
        if uk != "-" and en != "-":
            pairs.append((folder / "uk" / f"{uk}.txt", folder / "en" / f"{en}.txt"))
    return pairs


def run_set(
    name: str, dump: list[dict[str, object]], bridge: bool = False
) -> tuple[int, Counter[str], float]:
    pairs = gold_pairs(DATA / name / "pair")
    rules: Counter[str] = Counter()
    started = time.process_time()
    for uk_path, en_path in pairs:
        uk, en = read_article(uk_path, lang="uk"), read_article(en_path, lang="en")
        mt_path = uk_path.parent.parent / "uk-mt" / uk_path.name
        mt = None
        if bridge and mt_path.exists():
            mt = list(read_article(mt_path, lang="en").paragraphs)
            mt = mt if len(mt) == len(uk.paragraphs) else None
        report = check_pair(uk, en, bridge=mt)
        for f in report.findings:
            if f.severity >= Severity.WARNING:
                rules[f.rule] += 1
                dump.append(
                    {
                        "set": name,
                        "uk": uk_path.stem,
                        "en": en_path.stem,
                        "rule": f.rule,
                        "severity": f.severity.value,
                        "message": f.message,
                        "data": dict(f.data),
                    }
                )
    return len(pairs), rules, time.process_time() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dump", type=Path, help="write every warning/error as JSON lines")
    parser.add_argument(
        "--bridge",
        action="store_true",
        help="give the check the set's MT bridge (pair/uk-mt; wmt22-uk-en only has one)",
    )
    args = parser.parse_args()
    if not all((DATA / s / "pair" / "gold.tsv").exists() for s in SETS):
        print(f"skipped: {DATA} has not both sets (../shared is absent)")
        return 0
    dump: list[dict[str, object]] = []
    results = {name: run_set(name, dump, args.bridge) for name in SETS}
    all_rules = sorted({r for _, rules, _ in results.values() for r in rules})
    header = f"{'rule':<28}" + "".join(f"{s:>16}" for s in SETS)
    print(header)
    print(f"{'pairs':<28}" + "".join(f"{n:>16}" for n, _, _ in results.values()))
    print(
        f"{'warnings+errors per pair':<28}"
        + "".join(f"{sum(r.values()) / n:>16.3f}" for n, r, _ in results.values())
    )
    for rule in all_rules:
        print(f"{rule:<28}" + "".join(f"{r[rule] / n:>16.3f}" for n, r, _ in results.values()))
    print(f"{'CPU seconds':<28}" + "".join(f"{t:>16.1f}" for _, _, t in results.values()))
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as f:
            for row in dump:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
