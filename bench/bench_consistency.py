"""The consistency score on the development data.

    python bench/bench_consistency.py [--verbose]

1. Ranking MT systems (wmt22-uk-en dev split, segments.tsv): each of the ten systems and the
   reference is one archive (its documents are the articles). The name-consistency score of
   each (``mistok score --metrics consistency``: names across the archive, without and with
   the Ukrainian sources) is compared with the number of inconsistent entities the hand
   annotation ../shared/data/names/wmt22_dev_variants.json lists per system: Kendall's tau-b
   (goal |tau| >= 0.7, negative: more inconsistent entities, lower score), and whether the
   reference scores above every MT system.
2. The same for our reproduction of the term-consistency metric of Semenov & Bojar (WMT 2022):
   source terms aligned to their translations, each term's most frequent translation as its
   pseudo-reference, the share of occurrences matching it, micro- (per occurrence) and
   macro-averaged (per term). Differences from the paper: the terms are the Ukrainian names
   (not all keywords), aligned by transliteration keys (not a neural word aligner), and
   translations are compared case-folded (not lemmatised); unaligned terms are left out. As
   in the paper, a term is a source lemma whoever it names, so given names are kept (every
   Олександр is one term); ``--per-person`` leaves them out as our names score does.
3. Stability on both dev sets (wmt22-uk-en and ntrex-en-uk, align/ documents with their gold
   alignment, professional translations): the spread of the pair score across articles, and
   its correlation with article length (Spearman), per component and overall.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from scipy.stats import kendalltau, spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_names import SEGMENTS, SHARED, VARIANTS, read_segments  # noqa: E402

from aligner.alignment import Alignment, Bead  # noqa: E402
from aligner.readers import read_article  # noqa: E402
from eval.consistency_metric import corpus_consistency  # noqa: E402
from eval.consistency_score import COMPONENTS, pair_scores  # noqa: E402
from eval.name_renderings import aligned_renderings, term_consistency  # noqa: E402

DEV_SETS = {
    "wmt22-uk-en": SHARED / "data" / "wmt22-uk-en" / "align",
    "ntrex-en-uk": SHARED / "data" / "ntrex-en-uk" / "align",
}


def semenov_bojar(
    sources: list[str], hypotheses: list[str], per_person: bool = False
) -> tuple[float, float]:
    """(micro, macro) accuracy against the most frequent translation of each source term,
    over the whole test set, in percent."""
    units = (((s,), (h,)) for s, h in zip(sources, hypotheses, strict=True))
    renderings = aligned_renderings(units, skip_given_names=per_person)
    terms = term_consistency(renderings)
    occurrences = sum(t.mentions for t in terms)
    micro = sum(t.spellings[0][1] for t in terms) / occurrences
    macro = statistics.fmean(t.share for t in terms)
    return 100 * micro, 100 * macro


def ranking(verbose: bool, per_person: bool) -> None:
    annotation = json.loads(VARIANTS.read_text(encoding="utf-8"))
    counts = {s: len(v) for s, v in annotation["inconsistent_entities_per_system"].items()}
    _, rows = read_segments(SEGMENTS)
    doc_ids = [r["doc"] for r in rows]
    sources = [r["uk"] for r in rows]
    columns = {
        "names (archive)": {},
        "names (+ across languages)": {},
        "overall (names + numbers)": {},
        "Semenov-Bojar micro": {},
        "Semenov-Bojar macro": {},
    }
    print("1-2. ranking systems on wmt22-uk-en dev (segments.tsv, 11 archives)")
    header = f"{'system':<16} {'incons.':>7} " + " ".join(f"{k[:22]:>22}" for k in columns)
    print(header)
    t0 = time.perf_counter()
    for system in annotation["systems"]:
        hyps = [r[system] for r in rows]
        alone = corpus_consistency(hyps, doc_ids)
        with_src = corpus_consistency(hyps, doc_ids, sources)
        columns["names (archive)"][system] = alone.corpus.get("names")
        columns["names (+ across languages)"][system] = with_src.corpus.get("names")
        columns["overall (names + numbers)"][system] = with_src.corpus.overall
        micro, macro = semenov_bojar(sources, hyps, per_person)
        columns["Semenov-Bojar micro"][system] = micro
        columns["Semenov-Bojar macro"][system] = macro
        values = " ".join(f"{columns[k][system]:>22.2f}" for k in columns)
        print(f"{system:<16} {counts[system]:>7} {values}")
        if verbose:
            print("    inconsistent:", alone.corpus.components["names"].detail["inconsistent"])
    seconds = time.perf_counter() - t0
    systems = annotation["systems"]

    def tau(column: str) -> float:
        return kendalltau([columns[column][s] for s in systems], [counts[s] for s in systems])[0]

    print(f"{'Kendall tau-b':<24} " + " ".join(f"{tau(k):>22.3f}" for k in columns))
    mt = [s for s in systems if s != "en_ref"]
    print(
        f"{'ref above every MT':<24} "
        + " ".join(
            f"{str(all(columns[k]['en_ref'] > columns[k][s] for s in mt)):>22}" for k in columns
        )
    )
    print(f"({seconds:.1f} s for the 11 archives, both modes and the reproduction; noisy)")


def gold_alignment(path: Path, n_uk: int, n_en: int) -> Alignment:
    beads = tuple(Bead(tuple(u), tuple(e)) for u, e in json.loads(path.read_text()))
    return Alignment(beads, n_uk, n_en)


def stability() -> None:
    print()
    print("3. professional translations, gold alignment, no bridge: pair scores across articles")
    print(
        f"{'dev set':<12} {'score':<9} {'n':>4} {'mean':>6} {'sd':>5} {'min':>6} {'p10':>6} "
        f"{'median':>6} {'rho(len)':>8} {'p':>6}"
    )
    for name, folder in DEV_SETS.items():
        if not folder.is_dir():
            print(f"{name}: skipped ({folder} not found)")
            continue
        values: dict[str, list[tuple[float, int]]] = {k: [] for k in ("overall", *COMPONENTS)}
        for gold in sorted(folder.glob("*.gold.json")):
            stem = gold.name[: -len(".gold.json")]
            uk = read_article(folder / f"{stem}.uk.txt", lang="uk")
            en = read_article(folder / f"{stem}.en.txt", lang="en")
            alignment = gold_alignment(gold, len(uk.paragraphs), len(en.paragraphs))
            score = pair_scores(uk, en, alignment).main
            length = len(uk.text) + len(en.text)
            for key in values:
                value = score.get(key)
                if value is not None:
                    values[key].append((value, length))
        for key, pairs in values.items():
            if len(pairs) < 3:
                continue
            scores = [v for v, _ in pairs]
            if len(set(scores)) == 1:  # constant: no correlation to compute
                rho, p = float("nan"), float("nan")
            else:
                rho, p = spearmanr(scores, [n for _, n in pairs])
            quantiles = statistics.quantiles(scores, n=10)
            print(
                f"{name:<12} {key:<9} {len(scores):>4} {statistics.fmean(scores):>6.2f} "
                f"{statistics.stdev(scores):>5.2f} {min(scores):>6.2f} {quantiles[0]:>6.2f} "
                f"{statistics.median(scores):>6.2f} {rho:>8.3f} {p:>6.3f}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="list inconsistent names")
    parser.add_argument(
        "--per-person",
        action="store_true",
        help="Semenov-Bojar reproduction without given names (as our names score)",
    )
    args = parser.parse_args()
    if not VARIANTS.exists() or not SEGMENTS.exists():
        print(f"skipped: {VARIANTS} or {SEGMENTS} not found (../shared is absent)")
        return 0
    ranking(args.verbose, args.per_person)
    stability()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
