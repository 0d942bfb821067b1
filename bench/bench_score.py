"""``mistok score`` against sacrebleu's own command line, per WMT22 uk→en system.

    python bench/bench_score.py

For each of the ten systems in ../shared/data/wmt22-uk-en/segments.tsv (the development half
of the WMT22 general-task uk→en test set), writes the system's column and the reference to
temporary files, runs ``mistok score --format json`` and ``sacrebleu REF -i HYP -m bleu chrf``
on them, and prints both tools' BLEU and chrF side by side with the difference.

The official WMT22 figures (for example Online-B BLEU 44.45 / chrF 67.23, Lan-Bridge 44.58 /
67.32) are on the full test set; on this half of the documents the numbers differ. What this
script checks is that mistok reproduces sacrebleu exactly on the same files. Exits 0 with a
message when ../shared is absent, 1 when any score or signature differs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "wmt22-uk-en" / "segments.tsv"


def read_columns(path: Path) -> dict[str, list[str]]:
    """The columns of a tab-separated file with a header row, by header name."""
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    rows = [line.split("\t") for line in lines[1:] if line]
    for number, row in enumerate(rows, 2):
        if len(row) != len(header):
            raise SystemExit(f"{path}: line {number} has {len(row)} fields, expected {len(header)}")
    return {name: [row[i] for row in rows] for i, name in enumerate(header)}


def _run_json(args: list[str]) -> object:
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> int:
    if not DATA.is_file():
        print(f"skipped: {DATA} not found (the shared data sits beside the checkout)")
        return 0
    columns = read_columns(DATA)
    systems = list(columns)[4:]
    print(f"{len(columns['en_ref'])} segments, {len(set(columns['doc']))} documents (dev half)")
    print(
        f"{'system':<16} {'mistok BLEU':>11} {'sacrebleu':>9} {'mistok chrF':>11} "
        f"{'sacrebleu':>9}  same"
    )
    mismatches = 0
    with tempfile.TemporaryDirectory() as tmp:
        ref = Path(tmp) / "ref.en.txt"
        ref.write_text("\n".join(columns["en_ref"]) + "\n", encoding="utf-8")
        for system in systems:
            hyp = Path(tmp) / f"{system}.en.txt"
            hyp.write_text("\n".join(columns[system]) + "\n", encoding="utf-8")
            ours = _run_json(
                [
                    sys.executable,
                    "-m",
                    "mistok",
                    "score",
                    "--hyp",
                    str(hyp),
                    "--ref",
                    str(ref),
                    "--metrics",
                    "bleu,chrf",
                    "--format",
                    "json",
                ]
            )
            theirs = _run_json(
                [
                    sys.executable,
                    "-m",
                    "sacrebleu",
                    str(ref),
                    "-i",
                    str(hyp),
                    "-m",
                    "bleu",
                    "chrf",
                    "-w",
                    "2",
                ]
            )
            by_name = {entry["name"]: entry for entry in theirs}
            bleu, chrf = by_name["BLEU"], by_name["chrF2"]
            same = (
                round(ours["bleu"]["score"], 2) == bleu["score"]
                and round(ours["chrf"]["score"], 2) == chrf["score"]
                and ours["bleu"]["signature"] == bleu["signature"]
                and ours["chrf"]["signature"] == chrf["signature"]
            )
            mismatches += not same
            print(
                f"{system:<16} {ours['bleu']['score']:>11.2f} {bleu['score']:>9.2f} "
                f"{ours['chrf']['score']:>11.2f} {chrf['score']:>9.2f}  {'yes' if same else 'NO'}"
            )
    print(f"BLEU signature: {ours['bleu']['signature']}")
    print(f"chrF signature: {ours['chrf']['signature']}")
    print("all identical" if not mismatches else f"{mismatches} system(s) differ")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
