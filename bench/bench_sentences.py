"""Sentence-alignment benchmark: segments of WMT22 uk-en joined into paragraphs.

    python bench/bench_sentences.py                 # mistok's sentence aligner, per splitter
    python bench/bench_sentences.py --grid          # also: a small grid over the settings
    python bench/bench_sentences.py --splitters     # also: splitting accuracy per splitter
    python bench/bench_sentences.py --omit 0.3      # 30% of multi-segment paragraphs lose an
                                                    # English segment (1-0 beads in the gold)
    python bench/bench_sentences.py --half test     # the held-out half of the documents

Data: ../shared/data/wmt22-uk-en/segments.tsv beside the checkout (not part of the project);
the script says so and exits 0 when it is absent. Construction (reproducible, seed 13): each
document's segments, in order, are cut into paragraphs of 1 to 3 consecutive segments (sizes
drawn uniformly); the Ukrainian paragraph joins the Ukrainian segments with a space, the English
paragraph joins the reference translations. Each paragraph pair is one paragraph bead; the
sentence aligner splits both sides and aligns the sentences. Gold: segment k ↔ segment k.

Scoring at segment level: every sentence maps to the segments its characters come from; the
predicted sentence beads are merged where they share a segment, giving segment beads, scored
with eval.alignment_scores against the gold beads ({k}, {k}): strict = exact bead F1, lax =
link F1 over (uk segment, en segment) pairs. Reported over all paragraphs and over the
paragraphs of 2 or 3 segments only (a 1-segment paragraph cannot be misaligned).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, replace  # noqa: E402
from pathlib import Path  # noqa: E402

from aligner.lexicon import load_lexicon  # noqa: E402
from aligner.sentences import SENTENCE_SETTINGS, align_sentences, sentence_spans  # noqa: E402
from eval.alignment_scores import AlignmentScores, score_alignment  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "wmt22-uk-en" / "segments.tsv"
SEED = 13

Spans = Callable[[str, str], list[tuple[int, int]]]


@dataclass(frozen=True)
class Paragraph:
    doc: str
    uk: str
    en: str
    uk_bounds: tuple[tuple[int, int], ...]  # the span of each segment in the paragraph
    en_bounds: tuple[tuple[int, int], ...]


def read_segments(path: Path) -> dict[str, list[tuple[str, str]]]:
    docs: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            docs[row["doc"]].append((int(row["seg"]), row["uk"].strip(), row["en_ref"].strip()))
    return {d: [(uk, en) for _n, uk, en in sorted(segs)] for d, segs in sorted(docs.items())}


def in_half(doc: str, half: str) -> bool:
    """Documents split in two halves by a hash of their id: ``dev`` and ``test``."""
    if half == "all":
        return True
    even = hashlib.sha256(doc.encode("utf-8")).digest()[0] % 2 == 0
    return even == (half == "dev")


def _join(texts: list[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    bounds, pos = [], 0
    for text in texts:
        bounds.append((pos, pos + len(text)))
        pos += len(text) + 1
    return " ".join(texts), tuple(bounds)


def build_paragraphs(
    docs: dict[str, list[tuple[str, str]]], seed: int = SEED, omit: float = 0.0
) -> list[Paragraph]:
    """Paragraphs of 1-3 consecutive segments. ``omit``: the share of paragraphs of 2-3
    segments whose English side loses one segment (drawn uniformly), so that the gold has a
    1-0 bead: a translation that left a sentence out."""
    rng, omissions = random.Random(seed), random.Random(seed + 1)
    out = []
    for doc, segments in docs.items():
        k = 0
        while k < len(segments):
            size = min(rng.randint(1, 3), len(segments) - k)
            chunk = segments[k : k + size]
            dropped = omissions.randrange(size) if size > 1 and omissions.random() < omit else None
            uk, uk_bounds = _join([s[0] for s in chunk])
            kept = [s[1] for n, s in enumerate(chunk) if n != dropped]
            en, kept_bounds = _join(kept)
            en_bounds = list(kept_bounds)
            if dropped is not None:  # the dropped segment covers no characters
                en_bounds.insert(dropped, (-1, -1))
            out.append(Paragraph(doc, uk, en, uk_bounds, tuple(en_bounds)))
            k += size
    return out


def _segments_of(span: tuple[int, int], bounds) -> set[int]:
    a, b = span
    return {k for k, (s, e) in enumerate(bounds) if a < e and s < b}


def segment_beads(beads, uk_spans, en_spans, para: Paragraph) -> list[list[list[int]]]:
    """Sentence beads projected to segments: beads that share a segment are merged."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for bead_uk, bead_en in beads:
        nodes = [("uk", k) for i in bead_uk for k in _segments_of(uk_spans[i], para.uk_bounds)]
        nodes += [("en", k) for j in bead_en for k in _segments_of(en_spans[j], para.en_bounds)]
        for node in nodes[1:]:
            parent[find(node)] = find(nodes[0])
        for node in nodes[:1]:
            find(node)
    groups: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    for node in list(parent):
        groups[find(node)].append(node)
    out = []
    for members in groups.values():
        uk = sorted(k for side, k in members if side == "uk")
        en = sorted(k for side, k in members if side == "en")
        out.append([uk, en])
    return out


def mistok_aligner(settings, lexicon):
    def run(uk: list[str], en: list[str]):
        alignment = align_sentences(uk, en, settings=settings, lexicon=lexicon)
        return [(b.uk, b.en) for b in alignment.beads]

    return run


def galechurch_aligner(uk: list[str], en: list[str]):
    """Gale-Church (PyPI ``galechurch``, its shipped parameters) on the same sentences."""
    import galechurch

    beads = []
    for line in galechurch.align(uk, en).to_pharaoh_lines():
        left, right = line.split(":")
        beads.append((tuple(json.loads(left)), tuple(json.loads(right))))
    return beads


def evaluate(paragraphs, uk_split: Spans, en_split: Spans, aligner):
    everything, multi = AlignmentScores(), AlignmentScores()
    for para in paragraphs:
        uk_spans, en_spans = uk_split(para.uk, "uk"), en_split(para.en, "en")
        if not uk_spans or not en_spans:
            predicted = []
        else:
            pairs = aligner(
                [para.uk[a:b] for a, b in uk_spans], [para.en[a:b] for a, b in en_spans]
            )
            predicted = segment_beads(pairs, uk_spans, en_spans, para)
        gold = [
            [[k], [k] if para.en_bounds[k] != (-1, -1) else []] for k in range(len(para.uk_bounds))
        ]
        scores = score_alignment(predicted, gold)
        everything = everything + scores
        if len(gold) > 1:
            multi = multi + scores
    return everything, multi


def _regex_spans(text: str, _lang: str) -> list[tuple[int, int]]:
    """The project's regex splitter (models.segmenting), as spans of the original text."""
    from models.segmenting import split_sentences

    spans, pos = [], 0
    for sentence in split_sentences(text):
        words = sentence.split()
        start = text.index(words[0], pos)
        end = start
        for word in words:
            end = text.index(word, end) + len(word)
        spans.append((start, end))
        pos = end
    return spans


def _pysbd_spans(text: str, lang: str) -> list[tuple[int, int]]:
    import pysbd

    segmenter = pysbd.Segmenter(language="en" if lang == "en" else "ru", char_span=True)
    return [(s.start, s.start + len(s.sent.rstrip())) for s in segmenter.segment(text)]


def _plain_srx_spans(text: str, lang: str) -> list[tuple[int, int]]:
    return sentence_spans(text, lang, social=False)


SPLITTERS: dict[str, Spans] = {
    "srx": sentence_spans,
    "srx-plain": _plain_srx_spans,
    "regex": _regex_spans,
}


def split_accuracy(paragraphs, split: Spans, lang: str) -> tuple[int, int, int]:
    """(segment boundaries found, boundaries, paragraphs whose every boundary was found)."""
    found = total = whole = 0
    for para in paragraphs:
        text = para.uk if lang == "uk" else para.en
        bounds = para.uk_bounds if lang == "uk" else para.en_bounds
        ends = {e for _s, e in split(text, lang)}
        inner = [e for _s, e in bounds[:-1] if e >= 0]
        hit = sum(1 for e in inner if e in ends)
        found, total = found + hit, total + len(inner)
        whole += hit == len(inner)
    return found, total, whole


def _row(name: str, scores: tuple[AlignmentScores, AlignmentScores]) -> str:
    everything, multi = scores
    return (
        f"| {name} | {everything.bead.f1:.3f} | {everything.link.f1:.3f} | "
        f"{multi.bead.f1:.3f} | {multi.link.f1:.3f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--grid", action="store_true", help="also try a grid of settings")
    parser.add_argument("--splitters", action="store_true", help="also score the splitters")
    parser.add_argument(
        "--half",
        choices=["dev", "test", "all"],
        default="all",
        help="documents: dev (settings were chosen on it), test (held out), or all",
    )
    parser.add_argument(
        "--omit",
        type=float,
        default=0.0,
        help="share of 2-3-segment paragraphs whose English side loses a segment (e.g. 0.3)",
    )
    args = parser.parse_args()
    if not args.data.is_file():
        print(f"skipped: {args.data} not found (the shared WMT22 data is not part of the project)")
        return 0
    docs = {d: s for d, s in read_segments(args.data).items() if in_half(d, args.half)}
    paragraphs = build_paragraphs(docs, omit=args.omit)
    multi = [p for p in paragraphs if len(p.uk_bounds) > 1]
    n_seg = sum(len(p.uk_bounds) for p in paragraphs)
    print(f"{len(paragraphs)} paragraphs ({len(multi)} of 2-3 segments), {n_seg} segments\n")
    lexicon = load_lexicon()
    splitters = dict(SPLITTERS)
    try:
        import pysbd  # noqa: F401

        splitters["pysbd"] = _pysbd_spans
    except ImportError:
        pass
    if args.splitters:
        print("| splitter | lang | segment boundaries found | paragraphs split right |")
        print("|---|---|---|---|")
        for name, split in splitters.items():
            for lang in ("uk", "en"):
                found, total, whole = split_accuracy(multi, split, lang)
                print(f"| {name} | {lang} | {found}/{total} | {whole}/{len(multi)} |")
        print()
    print(
        "| sentence aligner (uk splitter / en splitter) | strict F1 | lax F1 | "
        "strict F1, 2-3 segments | lax F1, 2-3 segments |"
    )
    print("|---|---|---|---|---|")
    aligner = mistok_aligner(SENTENCE_SETTINGS, lexicon)
    for uk_name, en_name in (
        ("srx", "srx"),
        ("srx-plain", "srx-plain"),
        ("regex", "regex"),
        ("srx", "regex"),
        ("regex", "srx"),
    ):
        scores = evaluate(paragraphs, splitters[uk_name], splitters[en_name], aligner)
        print(_row(f"mistok, {uk_name} / {en_name}", scores))
    try:
        scores = evaluate(paragraphs, sentence_spans, sentence_spans, galechurch_aligner)
        print(_row("Gale-Church (PyPI galechurch), srx / srx", scores))
    except ImportError:
        print("| Gale-Church: not installed (pip install galechurch) | | | | |")
    if args.grid:
        print()
        for threshold in (-0.2, -0.1, -0.05, 0.0):
            for length_weight in (0.2, 0.4, 1.0):
                for join_penalty in (0.0, 0.05, 0.1):
                    settings = replace(
                        SENTENCE_SETTINGS,
                        threshold=threshold,
                        length_weight=length_weight,
                        join_penalty=join_penalty,
                    )
                    aligner = mistok_aligner(settings, lexicon)
                    scores = evaluate(paragraphs, sentence_spans, sentence_spans, aligner)
                    print(_row(f"t={threshold} lw={length_weight} jp={join_penalty}", scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
