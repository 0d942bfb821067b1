"""Fit the bead-confidence models (aligner/confidence.py) on one development set.

    python bench/fit_bead_confidence.py            # fit on wmt22-uk-en/align, print the models
    python bench/fit_bead_confidence.py --check    # how the current models do on each set
    python bench/fit_bead_confidence.py --cv       # 5-fold cross-validation on the fit set
    python bench/fit_bead_confidence.py --cross    # no bridge: fit on each set, report both

Each bead the aligner outputs on the fit set (its default settings) is an example, labelled by
whether it is in the gold alignment: without a bridge, on the fit set's documents; with a
bridge, on the WMT22 documents bridged by five of the ten MT systems (every other one of
segments.tsv's columns: the Online-B bridge alone leaves too few wrong beads to learn from).
One L2 logistic regression per (mode, two-sided or one-sided bead), on standardised features,
with wrong beads weighed up toward equal classes (BALANCE; wrong beads are few), so that 0.5
is the review line. The feature set was chosen by a 5-fold cross-validation over wmt22's
documents (``--cv``: area under the ROC curve, and the review shares of the held-out folds),
not on NTREX; BALANCE (0.85) and the L2 penalty (1.0) were kept from issue 12. Paste the
printed dictionary into ``aligner/confidence.py``. ``--cross`` is the check the other way
round: no-bridge models fitted on each set in turn (not stored), reported on both.
``--check`` reports, per set and mode, the share of wrong beads under 0.5 (goal >= 0.8) and of
right beads at or above it (goal >= 0.95); NTREX has no bridge, so the bridge models are
checked on the other five MT systems' bridges of the same documents (bench/system_bridges.py)
— a weaker check.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from system_bridges import system_bridges  # noqa: E402

from aligner.align import AlignerSettings, align_with_features  # noqa: E402
from aligner.lexicon import load_lexicon  # noqa: E402
from aligner.readers import read_article  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SETS = ("wmt22-uk-en", "ntrex-en-uk")


def load_docs(folder: Path) -> list[tuple[str, list[str], list[str], set]]:
    docs = []
    for gold_path in sorted(folder.glob("*.gold.json")):
        stem = gold_path.name[: -len(".gold.json")]
        uk = list(read_article(folder / f"{stem}.uk.txt", lang="uk").paragraphs)
        en = list(read_article(folder / f"{stem}.en.txt", lang="en").paragraphs)
        gold = {(tuple(u), tuple(e)) for u, e in json.loads(gold_path.read_text("utf-8"))}
        docs.append((stem, uk, en, gold))
    return docs


def examples(docs, bridges: dict[str, list[str]] | None, lexicon):
    """{side kind: (features, labels, confidences, document numbers)} of every bead the
    aligner outputs."""
    settings = AlignerSettings()
    out: dict[str, tuple[list, list, list, list]] = {
        "two": ([], [], [], []),
        "one": ([], [], [], []),
    }
    for number, (stem, uk, en, gold) in enumerate(docs):
        bridge = bridges[stem] if bridges else None
        alignment, features = align_with_features(uk, en, bridge, settings, lexicon)
        for bead, x in zip(alignment.beads, features, strict=True):
            rows, labels, confs, documents = out["one" if bead.is_one_sided else "two"]
            rows.append(x)
            labels.append(1.0 if (bead.uk, bead.en) in gold else 0.0)
            confs.append(bead.confidence)
            documents.append(number)
    return out


#: How far toward weighing both classes equally (1) from weighing each bead equally (0).
BALANCE = 0.85


def fit_balanced(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> np.ndarray:
    """L2 logistic regression (last weight the bias), each class weighed by (its share of the
    beads) ** -BALANCE: wrong beads are few, and must still weigh. The penalty applies to the
    standardised features (so that it does not depend on a feature's units); the weights
    returned apply to the raw features."""
    if y.min() == y.max():  # one class only (no wrong bead of this kind): a constant
        w = np.zeros(x.shape[1] + 1)
        w[-1] = 4.0 if y[0] > 0 else -4.0
        return w
    mean, spread = x.mean(axis=0), x.std(axis=0)
    spread[spread == 0] = 1.0
    design = np.hstack([(x - mean) / spread, np.ones((x.shape[0], 1))])
    positives = max(y.sum(), 1.0)
    negatives = max(len(y) - y.sum(), 1.0)
    weight = np.where(
        y > 0, (2 * positives / len(y)) ** -BALANCE, (2 * negatives / len(y)) ** -BALANCE
    )
    w = np.zeros(design.shape[1])
    penalty = l2 * np.eye(design.shape[1])
    penalty[-1, -1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(design @ w)))
        gradient = design.T @ (weight * (p - y)) + penalty @ w
        hessian = (design * (weight * p * (1 - p))[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    raw = w[:-1] / spread
    return np.append(raw, w[-1] - float(raw @ mean))


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The logistic model's probabilities (as :func:`aligner.confidence.confidence`)."""
    z = np.clip(x @ w[:-1] + w[-1], -30.0, 30.0)
    return 1.0 / (1.0 + np.exp(-z))


def roc_area(scores: np.ndarray, labels: np.ndarray) -> float:
    """The chance that a right bead scores above a wrong one (ties count half)."""
    right, wrong = scores[labels == 1], scores[labels == 0]
    above = (right[:, None] > wrong[None, :]).mean()
    tied = (right[:, None] == wrong[None, :]).mean()
    return float(above + 0.5 * tied)


def fit_models(data) -> dict[str, np.ndarray]:
    """One model per side kind (two-sided, one-sided) from :func:`examples`' data."""
    return {kind: fit_balanced(np.array(data[kind][0]), np.array(data[kind][1])) for kind in data}


def apply_models(models: dict[str, np.ndarray], data) -> tuple[list[float], list[float]]:
    """(probabilities, labels) of every bead of :func:`examples`' data under ``models``."""
    probs: list[float] = []
    labels: list[float] = []
    for kind, (rows, ys, _confs, _documents) in data.items():
        if len(rows):
            probs += predict(models[kind], np.array(rows)).tolist()
            labels += list(ys)
    return probs, labels


def cross_validate(data, folds: int = 5) -> tuple[list[float], list[float]]:
    """Held-out probabilities of every bead: documents split into ``folds`` groups (document
    number modulo ``folds``), each group scored by models fitted on the others."""
    probs: list[float] = []
    labels: list[float] = []
    for fold in range(folds):
        train, test = {}, {}
        for kind, (rows, ys, _confs, documents) in data.items():
            held = np.array(documents) % folds == fold
            x, y = np.array(rows), np.array(ys)
            train[kind] = (x[~held], y[~held], None, None)
            test[kind] = (x[held], y[held], None, None)
        fold_probs, fold_labels = apply_models(fit_models(train), test)
        probs += fold_probs
        labels += fold_labels
    return probs, labels


def review_shares(confs: list[float], labels: list[float]) -> tuple[float, float, int, int]:
    """(share of wrong beads under 0.5, share of right beads at or above 0.5, wrong, right)."""
    c, y = np.array(confs), np.array(labels)
    wrong, right = c[y == 0], c[y == 1]
    caught = float((wrong < 0.5).mean()) if len(wrong) else 1.0
    kept = float((right >= 0.5).mean()) if len(right) else 1.0
    return caught, kept, len(wrong), len(right)


def merged(data) -> tuple[list[float], list[float]]:
    confs = data["two"][2] + data["one"][2]
    labels = data["two"][1] + data["one"][1]
    return confs, labels


def share_cells(probs: list[float], labels: list[float]) -> str:
    caught, kept, nw, nr = review_shares(probs, labels)
    return f"{caught:.3f} | {kept:.3f} | {nw} | {nr}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="wmt22-uk-en", help="development set to fit on")
    parser.add_argument("--check", action="store_true", help="report the current models")
    parser.add_argument("--cv", action="store_true", help="cross-validate on the fit set")
    parser.add_argument("--cross", action="store_true", help="fit on each set, report both")
    args = parser.parse_args()
    folder = SHARED / args.set / "align"
    if not folder.is_dir():
        print(f"skipped: {folder} not found (the shared data is not part of the project)")
        return 0
    lexicon = load_lexicon()
    docs = load_docs(folder)
    if args.cv:
        probs, labels = cross_validate(examples(docs, None, lexicon))
        print(f"{args.set}, no bridge, 5-fold cross-validation over documents:")
        print(f"ROC area {roc_area(np.array(probs), np.array(labels)):.3f}")
        print("| wrong beads under 0.5 | right beads at/above 0.5 | wrong | right |")
        print("|---|---|---|---|")
        print(f"| {share_cells(probs, labels)} |")
        return 0
    if args.cross:
        data = {name: examples(load_docs(SHARED / name / "align"), None, lexicon) for name in SETS}
        print("| fitted on | reported on | wrong under 0.5 | right at/above 0.5 | wrong | right |")
        print("|---|---|---|---|---|---|")
        for fit_on in SETS:
            models = fit_models(data[fit_on])
            for name in SETS:
                print(f"| {fit_on} | {name} | {share_cells(*apply_models(models, data[name]))} |")
        return 0
    systems = system_bridges(SHARED / "wmt22-uk-en")
    fit_systems = sorted(systems)[0::2]
    if not args.check:
        print(f"# fitted on {args.set}; bridge on {', '.join(fit_systems)}")
        print("CONFIDENCE_MODELS: dict[tuple[str, str], tuple[float, ...]] = {")
        wmt_docs = load_docs(SHARED / "wmt22-uk-en" / "align")
        for mode in ("anchors", "bridge"):
            if mode == "anchors":
                data = examples(docs, None, lexicon)
            else:
                parts = [examples(wmt_docs, systems[name], lexicon) for name in fit_systems]
                data = {
                    kind: tuple(sum((part[kind][k] for part in parts), []) for k in range(4))
                    for kind in ("two", "one")
                }
            for kind in ("two", "one"):
                x, y = np.array(data[kind][0]), np.array(data[kind][1])
                w = fit_balanced(x, y)
                print(f'    ("{mode}", "{kind}"): (' + ", ".join(f"{v:.4f}" for v in w) + "),")
        print("}")
        return 0
    print("| set | mode | wrong beads under 0.5 | right beads at/above 0.5 | wrong | right |")
    print("|---|---|---|---|---|---|")
    for name in ("wmt22-uk-en", "ntrex-en-uk"):
        set_docs = load_docs(SHARED / name / "align")
        caught, kept, nw, nr = review_shares(*merged(examples(set_docs, None, lexicon)))
        print(f"| {name} | no bridge | {caught:.3f} | {kept:.3f} | {nw} | {nr} |")
    wmt_docs = load_docs(SHARED / "wmt22-uk-en" / "align")
    for system, by_doc in systems.items():
        caught, kept, nw, nr = review_shares(*merged(examples(wmt_docs, by_doc, lexicon)))
        role = "fit" if system in fit_systems else "held out"
        print(
            f"| wmt22-uk-en | bridge {system} ({role}) | {caught:.3f} | {kept:.3f} | {nw} | {nr} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
