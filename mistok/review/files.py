"""The plain files a review writes into a run folder, and what ``mistok run`` and ``mistok
align`` do with them.

The convention (``OUT`` is the ``-o`` folder of ``mistok run``)::

    OUT/review/baseline         a mistok baseline (eval.baseline): dismissed findings
    OUT/review/style.toml       a style file (eval.style): [rejected] adopted house style and
                                [[accept]] deliberate spellings, added to the run's style
    OUT/review/alignments.json  manual alignments (this module's format, below)

``mistok run -o OUT`` reads the three when they exist; ``mistok align --overrides FILE`` reads
the third. The alignment override file::

    {"format": "mistok-alignment-overrides", "version": 1,
     "pairs": {"<pair id>": {"uk": "<uk id>", "en": "<en id>",
                             "uk_key": "<content key>", "en_key": "<content key>",
                             "beads": [[[0], [0]], [[1, 2], [1]], [[3], []]],
                             "author": "…", "time": "…"}}}

An override holds the whole bead list a person set for the pair, and the content keys of the
two articles it was set on: when an article changed since, the override no longer applies
(a note says so) and the aligner decides again. An applied override is recorded in the
alignment's signature (``manual:review``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from aligner.alignment import Alignment, Bead
from aligner.errors import ConfigError
from mistok.output_dir import REVIEW_FOLDER

__all__ = [
    "ALIGNMENTS_NAME",
    "BASELINE_NAME",
    "OVERRIDE_FORMAT",
    "OVERRIDE_VERSION",
    "REVIEW_FOLDER",
    "STYLE_NAME",
    "AlignmentOverride",
    "apply_override",
    "check_beads",
    "read_overrides",
    "review_paths",
    "with_review_baseline",
    "with_review_style",
]

BASELINE_NAME = "baseline"
STYLE_NAME = "style.toml"
ALIGNMENTS_NAME = "alignments.json"
OVERRIDE_FORMAT = "mistok-alignment-overrides"
OVERRIDE_VERSION = 1
#: The alignment setting that records a person's beads in the signature.
MANUAL_SETTING = ("manual", "review")


@dataclass(frozen=True)
class ReviewPaths:
    """Where the review files of a run folder are."""

    folder: Path
    baseline: Path
    style: Path
    alignments: Path


def review_paths(out: Path) -> ReviewPaths:
    """The review files of the run folder ``out`` (they may not exist)."""
    folder = Path(out) / REVIEW_FOLDER
    return ReviewPaths(
        folder, folder / BASELINE_NAME, folder / STYLE_NAME, folder / ALIGNMENTS_NAME
    )


@dataclass(frozen=True)
class AlignmentOverride:
    """The beads a person set for one pair, and the articles' content keys at the time."""

    pair: str
    uk: str
    en: str
    uk_key: str
    en_key: str
    beads: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
    author: str = ""
    time: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "uk": self.uk,
            "en": self.en,
            "uk_key": self.uk_key,
            "en_key": self.en_key,
            "beads": [[list(u), list(e)] for u, e in self.beads],
            "author": self.author,
            "time": self.time,
        }


def check_beads(
    beads: Sequence[tuple[Sequence[int], Sequence[int]]], n_uk: int, n_en: int
) -> str | None:
    """Why ``beads`` is no alignment of ``n_uk`` and ``n_en`` paragraphs (every paragraph once,
    in document order, no empty bead), or ``None`` when it is one."""
    next_uk = next_en = 0
    for number, (uk, en) in enumerate(beads):
        if not uk and not en:
            return f"bead {number} is empty"
        for side, indices, expected in (("Ukrainian", uk, next_uk), ("English", en, next_en)):
            if list(indices) != list(range(expected, expected + len(indices))):
                return f"bead {number}: {side} paragraphs {list(indices)} are not the next in order"
        next_uk += len(uk)
        next_en += len(en)
    if (next_uk, next_en) != (n_uk, n_en):
        return f"the beads cover {next_uk}/{n_uk} Ukrainian and {next_en}/{n_en} English paragraphs"
    return None


def overrides_document(overrides: Mapping[str, AlignmentOverride]) -> str:
    """The text of an override file holding ``overrides``."""
    document = {
        "format": OVERRIDE_FORMAT,
        "version": OVERRIDE_VERSION,
        "pairs": {pair: overrides[pair].to_dict() for pair in sorted(overrides)},
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def read_overrides(path: Path) -> dict[str, AlignmentOverride]:
    """The overrides of an override file, by pair id; ``{}`` when there is no file.
    :class:`ConfigError` (one line) for a file that is not one, or of a newer version."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        raise ConfigError(f"{path}: cannot read the alignment overrides: {err}") from None
    if not isinstance(data, dict) or data.get("format") != OVERRIDE_FORMAT:
        raise ConfigError(f"{path}: not a mistok alignment override file")
    version = data.get("version")
    if not isinstance(version, int) or version > OVERRIDE_VERSION:
        raise ConfigError(
            f"{path}: alignment overrides of version {version!r}, newer than this mistok reads "
            f"({OVERRIDE_VERSION}); upgrade mistok"
        )
    found = {}
    for pair, item in (data.get("pairs") or {}).items():
        try:
            beads = tuple(
                (tuple(int(i) for i in uk), tuple(int(j) for j in en)) for uk, en in item["beads"]
            )
            found[str(pair)] = AlignmentOverride(
                str(pair),
                str(item["uk"]),
                str(item["en"]),
                str(item["uk_key"]),
                str(item["en_key"]),
                beads,
                str(item.get("author", "")),
                str(item.get("time", "")),
            )
        except (KeyError, TypeError, ValueError):
            raise ConfigError(f"{path}: pair {pair!r}: a bad override entry") from None
    return found


def apply_override(
    alignment: Alignment, override: AlignmentOverride, uk_key: str, en_key: str
) -> tuple[Alignment, str | None]:
    """``alignment`` replaced by the override's beads, with ``manual:review`` in its
    signature; or ``alignment`` and the reason, when the override does not fit (an article
    changed since, or the beads do not cover it)."""
    if (override.uk_key, override.en_key) != (uk_key, en_key):
        return alignment, f"manual alignment of {override.pair} not used: an article changed since"
    problem = check_beads(override.beads, alignment.n_uk, alignment.n_en)
    if problem:
        return alignment, f"manual alignment of {override.pair} not used: {problem}"
    scores = {(b.uk, b.en): b.score for b in alignment.beads}
    beads = tuple(Bead(uk, en, scores.get((uk, en), 1.0)) for uk, en in override.beads)
    settings = {**alignment.settings, MANUAL_SETTING[0]: MANUAL_SETTING[1]}
    return replace(alignment, beads=beads, settings=settings), None


def with_review_baseline(out: Path, baseline: object | None, baseline_id: str | None):
    """The run's baseline joined with the dismissed findings of ``OUT/review/baseline``, and
    a cache id that changes with either. Unchanged when there is no review baseline."""
    from eval.baseline import Baseline, read_baseline
    from mistok.output_files import file_sha256

    path = review_paths(out).baseline
    if not path.is_file():
        return baseline, baseline_id
    review = read_baseline(path)
    joined = set(review.fingerprints) | set(getattr(baseline, "fingerprints", ()))
    review_id = f"review-baseline:{file_sha256(path)}"
    return Baseline(frozenset(joined), path), f"{baseline_id or ''}+{review_id}"


def with_review_style(out: Path, style: object | None, style_id: str | None):
    """The run's style (the bundled house style when none) with the adopted spellings and
    the accept list of ``OUT/review/style.toml`` added, and a cache id that changes with
    either. Unchanged when there is no review style file."""
    from eval.style import Style, default_style, load_style
    from mistok.output_files import file_sha256

    path = review_paths(out).style
    if not path.is_file():
        return style, style_id
    review = load_style(path)
    base = style if isinstance(style, Style) else default_style()
    merged = Style(
        {**base.names, **review.names},
        {**base.rejected, **review.rejected},
        base.path,
        f"{base.signature_hash}+{review.signature_hash}",
        base.accept + review.accept,
    )
    return merged, f"{style_id or 'default'}+review-style:{file_sha256(path)}"
