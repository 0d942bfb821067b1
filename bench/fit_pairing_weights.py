"""Fit the score models of article pairing by logistic regression on the development split.

For each mode (anchors, anchors+association, bridge) the signals of every candidate pair of
``pair/`` and ``pair-hard/`` are the features and "is a gold pair" the label; a second fit
on (score, margin, gap) gives the calibrated final log-odds. Prints the fitted models as Python,
to paste into ``aligner/pairing.py``. The association signal uses the table that the fitted
anchors model's first pass teaches, exactly as ``pair_articles`` does.

    python bench/fit_pairing_weights.py [DATA_DIR]
"""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from aligner.association import learn_associations
from aligner.pairing import (
    PairingSettings,
    ScoreModel,
    add_association,
    build_candidates,
    decide,
    final_scores,
    score_components,
    teaching_pairs,
)
from aligner.readers import read_articles

sys.path.insert(0, str(Path(__file__).resolve().parent))
from score_pairing import read_pairs_tsv  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "wmt22-uk-en"
SPLITS = ("pair", "pair-hard")
MODES = {
    "anchors": ("cognates", "names", "numbers", "symbols", "concepts", "length", "paragraphs"),
    "association": (
        "cognates",
        "names",
        "numbers",
        "concepts",
        "length",
        "paragraphs",
        "association",
    ),
    "bridge": ("cognates", "numbers", "concepts", "length", "paragraphs", "bridge"),
}


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> np.ndarray:
    """Weights (last one the bias) of an L2-regularised logistic regression, by Newton steps."""
    design = np.hstack([x, np.ones((x.shape[0], 1))])
    w = np.zeros(design.shape[1])
    penalty = l2 * np.eye(design.shape[1])
    penalty[-1, -1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(design @ w)))
        gradient = design.T @ (p - y) + penalty @ w
        hessian = (design * (p * (1 - p))[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def load_split(data: Path, split: str):
    uk = read_articles(data / split / "uk", "uk")
    en = read_articles(data / split / "en", "en")
    gold = read_pairs_tsv((data / split / "gold.tsv").read_text(encoding="utf-8").splitlines())
    bridge_dir = data / split / "uk-mt"
    bridge = (
        {a.id: (bridge_dir / f"{a.id}.txt").read_text(encoding="utf-8") for a in uk}
        if bridge_dir.is_dir()
        else None  # ntrex-en-uk has no machine translation: a no-model set
    )
    return uk, en, gold, bridge


def labels(table, gold) -> np.ndarray:
    gold_pairs = {(u, e) for u, e in gold if u != "-" and e != "-"}
    return np.asarray(
        [
            (table.uk_profiles[i].article_id, table.en_profiles[j].article_id) in gold_pairs
            for i, j in zip(table.uk_rows.tolist(), table.en_rows.tolist(), strict=True)
        ],
        dtype=np.float64,
    )


def fit_model(tables, names, settings: PairingSettings) -> ScoreModel:
    x = np.vstack([np.column_stack([t.signals[n] for n in names]) for t, _ in tables])
    y = np.concatenate([y for _, y in tables])
    w = fit_logistic(x, y)
    first = ScoreModel(
        weights=tuple((n, round(float(v), 3)) for n, v in zip(names, w[:-1], strict=True)),
        bias=round(float(w[-1]), 3),
        score_weight=1.0,
        margin_weight=0.0,
        final_bias=0.0,
    )
    # Second fit: the final log-odds from (score, margin, gap) under the first fit.
    parts = [score_components(table, first, settings.margin_k) for table, _ in tables]
    w2 = fit_logistic(np.column_stack([np.concatenate(c) for c in zip(*parts, strict=True)]), y)
    return replace(
        first,
        score_weight=round(float(w2[0]), 3),
        margin_weight=round(float(w2[1]), 3),
        gap_weight=round(float(w2[2]), 3),
        final_bias=round(float(w2[3]), 3),
    )


def sub_archives(
    loaded: dict, settings: PairingSettings, bridge: bool, count: int = 40, size: int = 8
) -> list:
    """Candidate tables of small random archives cut from the splits (labelled), so that the
    fitted models learn how little "best of few" means in a small archive: ``size``
    Ukrainian articles, the English versions of some of them, and unrelated English ones."""
    rng = random.Random(7)
    tables = []
    for k in range(count):
        uk, en, gold, translations = loaded[sorted(loaded)[k % len(loaded)]]
        partner = {u: e for u, e in gold if u != "-" and e != "-"}
        chosen = rng.sample([a for a in uk if a.id in partner], size)
        keep = {partner[a.id] for a in chosen[: size // 2 + rng.randint(0, size // 2)]}
        partners = {partner[a.id] for a in chosen}
        others = [a for a in en if a.id not in partners]
        en_sub = [a for a in en if a.id in keep] + rng.sample(others, size - len(keep))
        table = build_candidates(chosen, en_sub, translations if bridge else None, settings)
        tables.append((table, labels(table, gold)))
    return tables


def fit_models(
    loaded: dict, settings: PairingSettings, drop: tuple[str, ...] = ()
) -> PairingSettings:
    """``settings`` with its three score models fitted on the loaded splits, leaving out the
    signals in ``drop``."""
    plain = {s: build_candidates(uk, en, None, settings) for s, (uk, en, _, _) in loaded.items()}
    plain_tables = [(plain[s], labels(plain[s], loaded[s][2])) for s in loaded]
    small = sub_archives(loaded, settings, bridge=False)
    anchors = fit_model(plain_tables + small, _kept(MODES["anchors"], drop), settings)
    settings = replace(settings, anchors_model=anchors)
    for table, _ in plain_tables:
        final = final_scores(table, anchors, settings.margin_k)
        accepted, confidence = decide(table, final, settings.threshold)
        teaching = teaching_pairs(table, accepted, confidence, settings.teach_confidence)
        add_association(table, learn_associations(teaching, settings.association))
    plain_tables = [(plain[s], labels(plain[s], loaded[s][2])) for s in loaded]
    association = fit_model(plain_tables, _kept(MODES["association"], drop), settings)
    bridged = {s: build_candidates(uk, en, br, settings) for s, (uk, en, _, br) in loaded.items()}
    bridge_tables = [(bridged[s], labels(bridged[s], loaded[s][2])) for s in loaded]
    small = sub_archives(loaded, settings, bridge=True)
    bridge = fit_model(bridge_tables + small, _kept(MODES["bridge"], drop), settings)
    return replace(
        settings, anchors_model=anchors, association_model=association, bridge_model=bridge
    )


def _kept(names: tuple[str, ...], drop: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(n for n in names if n not in drop)


def main(argv: list[str]) -> int:
    data = Path(argv[0]) if argv else DEFAULT_DATA
    if not data.exists():
        print(f"no data at {data}", file=sys.stderr)
        return 2
    loaded = {split: load_split(data, split) for split in SPLITS}
    fitted = fit_models(loaded, PairingSettings())
    for name, model in (
        ("ANCHORS_MODEL", fitted.anchors_model),
        ("ASSOCIATION_MODEL", fitted.association_model),
        ("BRIDGE_MODEL", fitted.bridge_model),
    ):
        print(f"{name} = {model!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
