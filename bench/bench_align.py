"""Paragraph-alignment benchmark on both development sets, side by side.

    python bench/bench_align.py            # quality: both sets, no bridge and with the bridge;
                                           # per-MT-system bridge table; bead confidence
    python bench/bench_align.py --speed    # also: a 5,000- and 10,000-paragraph pair, one core

Data: ../shared/data/wmt22-uk-en/align (Ukrainian originals; its bridge is Online-B's MT) and
../shared/data/ntrex-en-uk/align (English originals; no bridge exists) beside the checkout (not
part of the project); a missing set is said and skipped. The aligner's settings were settled
on wmt22-uk-en, so ntrex-en-uk is the held-out figure. The per-system table rebuilds the
bridge of wmt22's aligned documents from each of the ten systems of segments.tsv
(bench/system_bridges.py). Scoring: strict bead, link and null-bead F1, micro-averaged over
documents (eval.alignment_scores). Confidence: the share of wrong beads under 0.5 and of
right beads at or above it (bench/fit_bead_confidence.py fitted the models on wmt22).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core, before numpy loads

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from system_bridges import system_bridges  # noqa: E402

from aligner.align import AlignerSettings, align_paragraphs  # noqa: E402
from aligner.lexicon import load_lexicon  # noqa: E402
from aligner.readers import read_article  # noqa: E402
from eval.alignment_scores import AlignmentScores, score_alignment  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SETS = ("wmt22-uk-en", "ntrex-en-uk")


def load_split(folder: Path) -> list[tuple[str, list[str], list[str], list[str] | None, list]]:
    docs = []
    for gold_path in sorted(folder.glob("*.gold.json")):
        stem = gold_path.name[: -len(".gold.json")]
        uk = list(read_article(folder / f"{stem}.uk.txt", lang="uk").paragraphs)
        en = list(read_article(folder / f"{stem}.en.txt", lang="en").paragraphs)
        mt_path = folder / f"{stem}.uk.mt.txt"
        mt = mt_path.read_text(encoding="utf-8").strip().split("\n\n") if mt_path.exists() else None
        docs.append((stem, uk, en, mt, json.loads(gold_path.read_text(encoding="utf-8"))))
    return docs


def evaluate(
    docs, settings: AlignerSettings, bridges: dict[str, list[str]] | None, lexicon
) -> tuple[AlignmentScores, list[float], list[bool]]:
    """Scores, and each output bead's confidence and whether it is right."""
    total = AlignmentScores()
    confidences: list[float] = []
    right: list[bool] = []
    for stem, uk, en, _mt, gold in docs:
        bridge = bridges[stem] if bridges is not None else None
        alignment = align_paragraphs(uk, en, bridge=bridge, settings=settings, lexicon=lexicon)
        total = total + score_alignment(alignment.as_lists(), gold)
        gold_beads = {(tuple(u), tuple(e)) for u, e in gold}
        for bead in alignment.beads:
            confidences.append(bead.confidence)
            right.append((bead.uk, bead.en) in gold_beads)
    return total, confidences, right


def cells(scores: AlignmentScores | None) -> str:
    if scores is None:
        return "– | – | –"
    return f"{scores.bead.f1:.3f} | {scores.link.f1:.3f} | {scores.null.f1:.3f}"


def review_cells(confidences: list[float], right: list[bool]) -> str:
    wrong = [c for c, r in zip(confidences, right, strict=True) if not r]
    good = [c for c, r in zip(confidences, right, strict=True) if r]
    caught = sum(c < 0.5 for c in wrong) / len(wrong) if wrong else 1.0
    kept = sum(c >= 0.5 for c in good) / len(good) if good else 1.0
    return f"{caught:.3f} ({len(wrong)}) | {kept:.3f} ({len(good)})"


def quality(data: Path, lexicon) -> None:
    settings = AlignerSettings()
    loaded = {}
    for name in SETS:
        folder = data / name / "align"
        if folder.is_dir():
            loaded[name] = load_split(folder)
        else:
            print(f"skipped {name}: {folder} not found (shared data is not part of the project)")
    if not loaded:
        return
    results: dict[tuple[str, str], tuple] = {}
    for name, docs in loaded.items():
        results[(name, "no bridge")] = evaluate(docs, settings, None, lexicon)
        if all(d[3] is not None for d in docs):
            bridges = {d[0]: d[3] for d in docs}
            results[(name, "bridge")] = evaluate(docs, settings, bridges, lexicon)
    names = list(loaded)
    sizes = ", ".join(f"{n}: {len(loaded[n])} documents" for n in names)
    print(f"Alignment quality ({sizes}); settings settled on wmt22-uk-en")
    print("| aligner | " + " | ".join(f"{n} bead F1 | link F1 | null F1" for n in names) + " |")
    print("|---|" + "---|---|---|" * len(names))
    for mode, label in (("no bridge", "mistok, no bridge"), ("bridge", "mistok, with --bridge")):
        row = [cells(results[(n, mode)][0]) if (n, mode) in results else cells(None) for n in names]
        print(f"| {label} | " + " | ".join(row) + " |")
    print()
    print("Bead confidence: share of wrong beads under 0.5 (goal >= 0.8) | share of right beads")
    print("at or above 0.5 (goal >= 0.95), (bead counts); models fitted on wmt22-uk-en")
    print("| set | mode | wrong under 0.5 | right at/above 0.5 |")
    print("|---|---|---|---|")
    for (name, mode), (_scores, confidences, right) in results.items():
        print(f"| {name} | {mode} | {review_cells(confidences, right)} |")
    if "wmt22-uk-en" in loaded and (data / "wmt22-uk-en" / "segments.tsv").is_file():
        print()
        print("Bridge from each MT system (wmt22-uk-en aligned documents, same settings for all;")
        print("goal bead F1 >= 0.985 and null F1 >= 0.95 for every system)")
        print("| MT system | bead F1 | link F1 | null F1 | wrong under 0.5 | right at/above 0.5 |")
        print("|---|---|---|---|---|---|")
        worst_bead = worst_null = 1.0
        for system, bridges in system_bridges(data / "wmt22-uk-en").items():
            scores, confidences, right = evaluate(loaded["wmt22-uk-en"], settings, bridges, lexicon)
            worst_bead = min(worst_bead, scores.bead.f1)
            worst_null = min(worst_null, scores.null.f1)
            print(f"| {system} | {cells(scores)} | {review_cells(confidences, right)} |")
        print(f"| worst system | {worst_bead:.3f} | | {worst_null:.3f} | | |")


def speed(docs, lexicon) -> None:
    """Time long documents made of the wmt22 paragraphs repeated, no bridge, one core."""
    uk_all = [p for d in docs for p in d[1]]
    en_all = [p for d in docs for p in d[2]]
    for target in (5000, 10000):
        reps = -(-target // len(uk_all))
        uk = (uk_all * reps)[:target]
        en = (en_all * reps)[: round(target * len(en_all) / len(uk_all))]
        start = time.perf_counter()
        align_paragraphs(uk, en, lexicon=lexicon)
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        size = f"{len(uk)} × {len(en)} paragraphs, no bridge"
        print(f"| {size} | {elapsed:.2f} s | peak RSS {peak:.0f} MB |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED, help="the shared data folder")
    parser.add_argument("--speed", action="store_true", help="also time long documents")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"skipped: {args.data} not found (the shared data is not part of the project)")
        return 0
    lexicon = load_lexicon()
    quality(args.data, lexicon)
    if args.speed and (args.data / "wmt22-uk-en" / "align").is_dir():
        speed(load_split(args.data / "wmt22-uk-en" / "align"), lexicon)
    return 0


if __name__ == "__main__":
    sys.exit(main())
