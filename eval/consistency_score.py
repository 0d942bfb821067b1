"""Consistency scores in [0, 100]: numbers a newsroom and a CI job can track over time,
threshold, and use to compare translators or MT systems on the same articles.

Each component is a share: what agrees over what could disagree, times 100. Components
without anything to judge (no repeated name, no number, no bridge) are ``None`` and leave the
overall score; the overall score is the weighted mean of the components present.

**names** — how consistently each name is spelled. An *entity* is a name the ``names`` check
groups (:func:`eval.names.find_name_variants`: one surname, place or institution, or the given
name of one person) mentioned at least twice; its share is the fraction of its mentions in its
*target* spelling — the most frequent one (``names_target = "majority"``, default), or the
house-style spelling where the style knows the name (``"house"``). Spellings that differ only
typographically (*Sánchez*/*Sanchez*: a note of the check) count as one. The score is the
unweighted mean over entities: a name spelled two ways confuses a reader once, whether it is
mentioned three times or thirty, and a mention-weighted mean lets one frequent name (*Kyiv*)
drown every other. Names mentioned once cannot disagree and are not counted, so an article
full of one-off names is not rewarded. For a pair, the entities of the English version are
joined by the Ukrainian names and their renderings in the aligned English paragraphs
(:mod:`eval.name_renderings`: a Ukrainian name rendered *Kyiv* here and *Kiev* there) — one
unit each, same mean. For an archive, entities span all its English articles.

**numbers** — the share of numbers, amounts, percentages and dates of the two-sided beads
that agree across the pair: matched mentions of both sides over all mentions of both sides (a
Dice coefficient over the multisets the ``numbers`` check compares; a mention found in a
neighbouring bead counts as agreeing, as the check reports it only as a note).

**coverage** — the share of the text (characters of both versions) that has a counterpart:
paragraphs in two-sided beads over all paragraphs. Symmetric, because either version may be
the original.

**adequacy** (only with a translation bridge) — the share of the English text of two-sided
beads (characters) whose bridge chrF reaches the ``adequacy`` check's floor: the text that
likely says what the Ukrainian says. (The mean chrF is in the details: chrF between an MT and
a human translation is far below 100 even when both are right, so it is no share.)

**overall** — ``names 0.3, numbers 0.3, coverage 0.25, adequacy 0.15`` (renormalised over
the components present). Names and numbers carry most: a wrong name or number is a
correction to publish. Coverage a little less: newsroom versions leave out teasers and
background on purpose. Adequacy least: it exists only with a bridge and rests on chrF of
machine translation, the noisiest of the four.

Scores pool: each component keeps what agrees (``matched``) and what could disagree
(``total``), so the score of an archive of pairs is ``sum(matched) / sum(total)`` over them
(:func:`pool`). Every score carries a signature, sacrebleu style, of what changes it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from aligner.alignment import Alignment
from aligner.document import Article
from aligner.errors import ConfigError
from aligner.version import package_version

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "SCORE_NAMES",
    "ComponentScore",
    "ConsistencyScore",
    "ScoreSettings",
    "Scores",
    "adequacy_component",
    "article_scores",
    "archive_scores",
    "coverage_component",
    "failing_thresholds",
    "names_component",
    "numbers_component",
    "pair_scores",
    "parse_thresholds",
    "pool",
    "score_signature",
]

#: Version of the score definitions (part of every signature).
SCORE_VERSION = "1"
COMPONENTS = ("names", "numbers", "coverage", "adequacy")
#: Everything ``--min-score`` accepts.
SCORE_NAMES = ("overall", *COMPONENTS)
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {"names": 0.3, "numbers": 0.3, "coverage": 0.25, "adequacy": 0.15}
)
#: Which check's data each component is computed from.
COMPONENT_CHECK = MappingProxyType(
    {"names": "names", "numbers": "numbers", "coverage": "coverage", "adequacy": "adequacy"}
)
NAMES_TARGETS = ("majority", "house")


def _empty() -> Mapping:
    return MappingProxyType({})


@dataclass(frozen=True)
class ScoreSettings:
    """What changes the scores: the component weights and the names target."""

    weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_WEIGHTS)
    names_target: str = "majority"
    #: The ``adequacy`` check's floor (chrF) below which a bead counts as inadequate.
    adequacy_floor: float = 25.0

    def __post_init__(self) -> None:
        unknown = [k for k in self.weights if k not in COMPONENTS]
        if unknown:
            raise ConfigError(
                f"unknown score component {unknown[0]!r}; valid components: {', '.join(COMPONENTS)}"
            )
        if any(not isinstance(v, (int, float)) or v < 0 for v in self.weights.values()):
            raise ConfigError("score weights must be numbers >= 0")
        if not any(self.weights.values()):
            raise ConfigError("at least one score weight must be above 0")
        if self.names_target not in NAMES_TARGETS:
            raise ConfigError(
                f"unknown names target {self.names_target!r}; use one of {', '.join(NAMES_TARGETS)}"
            )
        object.__setattr__(self, "weights", MappingProxyType(dict(self.weights)))

    @classmethod
    def from_mapping(cls, table: Mapping[str, object]) -> ScoreSettings:
        """From a ``[score]`` TOML table: ``weights = {names = 0.5, ...}``,
        ``names_target = "house"``. Unknown keys raise :class:`ConfigError`."""
        known = {"weights", "names_target"}
        for key in table:
            if key not in known:
                raise ConfigError(
                    f"[score]: unknown setting {key!r}; valid settings: {', '.join(sorted(known))}"
                )
        weights = table.get("weights", DEFAULT_WEIGHTS)
        if not isinstance(weights, Mapping):
            raise ConfigError("[score]: weights must be a table, e.g. {names = 0.5, numbers = 0.5}")
        return cls(dict(weights), str(table.get("names_target", "majority")))


@dataclass(frozen=True)
class ComponentScore:
    """One component: ``matched`` of ``total`` agree (``unit`` says what is counted);
    ``score`` is ``100 * matched / total``, None when ``total`` is 0."""

    name: str
    matched: float
    total: float
    unit: str
    detail: Mapping[str, object] = field(default_factory=_empty)

    @property
    def score(self) -> float | None:
        return 100.0 * self.matched / self.total if self.total > 0 else None

    @classmethod
    def from_dict(cls, name: str, data: Mapping[str, object]) -> ComponentScore:
        """Back from :meth:`to_dict` (e.g. a pair's score read from a cache)."""
        return cls(
            name,
            float(data["matched"]),  # type: ignore[arg-type]
            float(data["total"]),  # type: ignore[arg-type]
            str(data["unit"]),
            MappingProxyType(dict(data.get("detail") or {})),  # type: ignore[call-overload]
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "score": _round(self.score),
            "matched": round(self.matched, 4),
            "total": round(self.total, 4),
            "unit": self.unit,
            "detail": dict(self.detail),
        }


@dataclass(frozen=True)
class ConsistencyScore:
    """The scores of one subject (a pair, an article, an archive, a document): each
    component, the overall score, and the signature."""

    scope: str
    subject: str
    components: Mapping[str, ComponentScore]
    signature: str
    weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_WEIGHTS)

    @property
    def overall(self) -> float | None:
        """Weighted mean of the components that have a score (weights renormalised)."""
        present = [
            (self.weights.get(name, 0.0), c.score)
            for name, c in self.components.items()
            if c.score is not None and self.weights.get(name, 0.0) > 0
        ]
        weight = sum(w for w, _ in present)
        if not weight:
            return None
        return sum(w * s for w, s in present) / weight

    def get(self, name: str) -> float | None:
        """The score called ``name`` (``overall`` or a component); None when not available."""
        if name == "overall":
            return self.overall
        component = self.components.get(name)
        return component.score if component is not None else None

    def to_dict(self) -> dict[str, object]:
        return {
            "scope": self.scope,
            "subject": self.subject,
            "overall": _round(self.overall),
            "components": {name: c.to_dict() for name, c in self.components.items()},
            "signature": self.signature,
        }

    @classmethod
    def from_dict(
        cls, data: Mapping[str, object], settings: ScoreSettings | None = None
    ) -> ConsistencyScore:
        """Back from :meth:`to_dict`; the weights are ``settings``' (the signature names them)."""
        settings = settings or ScoreSettings()
        components = data.get("components") or {}
        return cls(
            str(data["scope"]),
            str(data["subject"]),
            {n: ComponentScore.from_dict(n, c) for n, c in components.items()},  # type: ignore[union-attr]
            str(data["signature"]),
            settings.weights,
        )

    def line(self) -> str:
        """``consistency 93.4 (names 100.0, numbers 88.9, coverage 91.2)`` for people."""
        parts = ", ".join(f"{n} {_shown(c.score)}" for n, c in self.components.items())
        return f"consistency {_shown(self.overall)}" + (f" ({parts})" if parts else "")


@dataclass(frozen=True)
class Scores:
    """What a report carries: the score of its subject (``main``) and, beside it, the
    score of each article on its own (names within that article)."""

    main: ConsistencyScore
    articles: tuple[ConsistencyScore, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {**self.main.to_dict(), "articles": [a.to_dict() for a in self.articles]}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _shown(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


# --- signature -------------------------------------------------------------------------------


def score_signature(scope: str, components: Iterable[str], settings: ScoreSettings) -> str:
    """``consistency:1|scope:pair|comp:names+numbers|w:names=0.3,…|names:macro-majority|…``."""
    names = list(components)
    weights = ",".join(f"{n}={settings.weights.get(n, 0.0):g}" for n in names)
    parts = [
        f"consistency:{SCORE_VERSION}",
        f"scope:{scope}",
        "comp:" + ("+".join(names) or "none"),
        f"w:{weights or 'none'}",
    ]
    if "names" in names:
        parts.append(f"names:macro-{settings.names_target}-min2")
    if "numbers" in names:
        parts.append("numbers:dice")
    if "coverage" in names:
        parts.append("coverage:chars")
    if "adequacy" in names:
        parts.append(f"adequacy:chrf>={settings.adequacy_floor:g}")
    parts.append(f"version:{_version()}")
    return "|".join(parts)


#: The package version, read once: it cannot change while the process runs, and reading the
#: installed metadata costs more than a pair's numbers score.
_version = functools.cache(package_version)


def _score(
    scope: str,
    subject: str,
    components: Mapping[str, ComponentScore],
    settings: ScoreSettings,
) -> ConsistencyScore:
    ordered = {n: components[n] for n in COMPONENTS if n in components}
    return ConsistencyScore(
        scope, subject, ordered, score_signature(scope, ordered, settings), settings.weights
    )


# --- components ------------------------------------------------------------------------------


def _target_count(group: object, target: str) -> int:
    """Mentions of an entity (an :class:`eval.names.VariantGroup`) in its target spelling."""
    spellings = group.spellings  # type: ignore[attr-defined]
    if group.kind in ("typographic", "forms"):  # type: ignore[attr-defined]
        return sum(n for _, n in spellings)  # one spelling up to typography, or one entity's forms
    if target == "house" and group.from_style:  # type: ignore[attr-defined]
        wanted = {w.casefold() for w in group.suggestion.split()}  # type: ignore[attr-defined]
        wanted.add(group.suggestion.casefold())  # type: ignore[attr-defined]
        return sum(n for s, n in spellings if s.casefold() in wanted)
    return spellings[0][1]


def names_component(
    groups: Sequence[object],
    terms: Sequence[object] = (),
    target: str = "majority",
) -> ComponentScore:
    """Names consistency over entity groups (:class:`eval.names.VariantGroup`, from
    ``find_name_variants(..., include_consistent=True)``) and, for a pair, Ukrainian terms
    with their English renderings (:class:`eval.name_renderings.TermRenderings`). Units
    mentioned fewer than twice are left out; each other unit adds its share."""
    entity_shares = []
    inconsistent = []
    for g in groups:
        n = sum(c for _, c in g.spellings)  # type: ignore[attr-defined]
        if n < 2:
            continue
        share = _target_count(g, target) / n
        entity_shares.append(share)
        if share < 1:
            inconsistent.append(" / ".join(s for s, _ in g.spellings))  # type: ignore[attr-defined]
    term_shares = []
    for t in terms:
        if t.mentions < 2:  # type: ignore[attr-defined]
            continue
        term_shares.append(t.share)  # type: ignore[attr-defined]
        if t.share < 1:  # type: ignore[attr-defined]
            spelled = " / ".join(s for s, _ in t.spellings)  # type: ignore[attr-defined]
            inconsistent.append(f"{t.term} → {spelled}")  # type: ignore[attr-defined]
    detail: dict[str, object] = {
        "entities": len(entity_shares),
        "in_articles": _round(_mean(entity_shares)),
        "inconsistent": inconsistent,
    }
    if terms:
        detail["terms"] = len(term_shares)
        detail["across_languages"] = _round(_mean(term_shares))
    return ComponentScore(
        "names",
        sum(entity_shares) + sum(term_shares),
        len(entity_shares) + len(term_shares),
        "names mentioned twice or more",
        MappingProxyType(detail),
    )


def _mean(values: Sequence[float]) -> float | None:
    return 100.0 * sum(values) / len(values) if values else None


def numbers_component(uk: Article, en: Article, alignment: Alignment) -> ComponentScore:
    """The share of number and date mentions of the two-sided beads that agree."""
    from eval.numbers import match_unitless, paragraph_mentions, unmatched

    uk_m = [paragraph_mentions(p, uk.lang, i) for i, p in enumerate(uk.paragraphs)]
    en_m = [paragraph_mentions(p, en.lang, i) for i, p in enumerate(en.paragraphs)]
    beads = [b for b in alignment.beads if b.uk and b.en]
    missing, added = [], []
    total = 0
    for bead in beads:
        uk_side = [m for i in bead.uk for m in uk_m[i]]
        en_side = [m for i in bead.en for m in en_m[i]]
        total += len(uk_side) + len(en_side)
        gone, new = match_unitless(unmatched(uk_side, en_side), unmatched(en_side, uk_side))
        missing.append(gone)
        added.append(new)
    # a mention missing here but left over in a neighbouring bead agrees (the check's
    # "misplaced" note: the paragraph boundary moved, not the fact)
    for index, gone in enumerate(missing):
        for m in list(gone):
            for near in (index - 1, index + 1):
                pool_ = added[near] if 0 <= near < len(added) else []
                partner = next((a for a in pool_ if a.key == m.key), None)
                if partner is not None:
                    pool_.remove(partner)
                    gone.remove(m)
                    break
    disagree = sum(len(g) for g in missing) + sum(len(a) for a in added)
    return ComponentScore(
        "numbers",
        total - disagree,
        total,
        "number and date mentions",
        MappingProxyType(
            {
                "missing": sum(len(g) for g in missing),
                "added": sum(len(a) for a in added),
            }
        ),
    )


def coverage_component(uk: Article, en: Article, alignment: Alignment) -> ComponentScore:
    """The share of both versions' characters that lie in two-sided beads."""
    covered = total = 0
    one_sided = 0
    for bead in alignment.beads:
        size = sum(len(uk.paragraphs[i]) for i in bead.uk)
        size += sum(len(en.paragraphs[j]) for j in bead.en)
        total += size
        if bead.uk and bead.en:
            covered += size
        else:
            one_sided += len(bead.uk) + len(bead.en)
    return ComponentScore(
        "coverage",
        covered,
        total,
        "characters of both versions",
        MappingProxyType({"one_sided_paragraphs": one_sided}),
    )


def adequacy_component(
    uk: Article,
    en: Article,
    alignment: Alignment,
    bridge: Sequence[str],
    floor: float = 25.0,
) -> ComponentScore:
    """The share of the English characters of two-sided beads whose bridge chrF reaches
    ``floor``."""
    from eval.adequacy import bead_scores
    from eval.base import PairContext

    ctx = PairContext(uk, en, alignment, bridge=bridge)
    adequate = total = 0.0
    chrf_sum = 0.0
    for index, chrf in bead_scores(ctx):
        size = sum(len(t) for t in ctx.texts(alignment.beads[index], "en"))
        total += size
        chrf_sum += chrf * size
        if chrf >= floor:
            adequate += size
    return ComponentScore(
        "adequacy",
        adequate,
        total,
        "English characters of two-sided beads",
        MappingProxyType({"mean_chrf": _round(chrf_sum / total) if total else None}),
    )


# --- scores of a pair, an article, an archive ------------------------------------------------


def _names_groups(articles: Sequence[Article], style: object | None, press: object | None):
    from eval.names import find_name_variants
    from eval.style import resolve_style

    english = [a for a in articles if a.lang == "en"]
    if not english:
        return None
    return find_name_variants(english, resolve_style(style), press, include_consistent=True)


def article_scores(
    article: Article,
    *,
    style: object | None = None,
    press: object | None = None,
    checks: Iterable[str] = ("names",),
    settings: ScoreSettings | None = None,
) -> Scores:
    """Names consistency within one article (English; a Ukrainian article has no score)."""
    settings = settings or ScoreSettings()
    return Scores(_article_score(article, style, press, set(checks), settings))


def _article_score(
    article: Article,
    style: object | None,
    press: object | None,
    checks: set[str],
    settings: ScoreSettings,
    groups: list | None = None,
) -> ConsistencyScore:
    """``groups``: the article's name entities when the caller has them already."""
    components = {}
    if "names" in checks:
        groups = groups if groups is not None else _names_groups([article], style, press)
        if groups is not None:
            components["names"] = names_component(groups, target=settings.names_target)
    return _score("article", f"{article.id}.{article.lang}", components, settings)


def pair_scores(
    uk: Article,
    en: Article,
    alignment: Alignment,
    *,
    bridge: Sequence[str] | None = None,
    style: object | None = None,
    press: object | None = None,
    checks: Iterable[str] = COMPONENTS,
    settings: ScoreSettings | None = None,
) -> Scores:
    """The scores of an aligned pair: each component whose check is in ``checks`` (adequacy
    only with a ``bridge``), and each version's own names score beside it."""
    settings = settings or ScoreSettings()
    wanted = set(checks)
    components: dict[str, ComponentScore] = {}
    en_groups = _names_groups([en], style, press) if "names" in wanted else None
    if "names" in wanted:
        from eval.name_renderings import aligned_renderings, term_consistency

        groups = en_groups or []
        units = [
            ([uk.paragraphs[i] for i in b.uk], [en.paragraphs[j] for j in b.en])
            for b in alignment.beads
            if b.uk and b.en
        ]
        terms = term_consistency(aligned_renderings(units, press))  # type: ignore[arg-type]
        components["names"] = names_component(groups, terms, settings.names_target)
    if "numbers" in wanted:
        components["numbers"] = numbers_component(uk, en, alignment)
    if "coverage" in wanted:
        components["coverage"] = coverage_component(uk, en, alignment)
    if "adequacy" in wanted and bridge is not None:
        components["adequacy"] = adequacy_component(
            uk, en, alignment, bridge, settings.adequacy_floor
        )
    main = _score("pair", f"{uk.id}.uk/{en.id}.en", components, settings)
    per_article = (
        _article_score(uk, style, press, wanted, settings),
        _article_score(en, style, press, wanted, settings, en_groups),
    )
    return Scores(main, per_article)


def archive_scores(
    articles: Sequence[Article],
    *,
    style: object | None = None,
    press: object | None = None,
    checks: Iterable[str] = ("names",),
    settings: ScoreSettings | None = None,
) -> Scores:
    """Names consistency across the English articles of an archive (entities spanning
    articles), and each article's own score beside it."""
    settings = settings or ScoreSettings()
    wanted = set(checks)
    components = {}
    if "names" in wanted:
        groups = _names_groups(articles, style, press)
        if groups is not None:
            components["names"] = names_component(groups, target=settings.names_target)
    main = _score("archive", f"archive ({len(articles)} articles)", components, settings)
    per_article = tuple(_article_score(a, style, press, wanted, settings) for a in articles)
    return Scores(main, per_article)


def pool(
    scores: Sequence[ConsistencyScore],
    scope: str = "archive",
    subject: str = "archive",
    settings: ScoreSettings | None = None,
) -> ConsistencyScore:
    """One score over many: each component's ``matched`` and ``total`` summed (a names unit
    counts once wherever it is), so an archive of pairs scores like one long pair."""
    settings = settings or ScoreSettings()
    components = {}
    for name in COMPONENTS:
        parts = [s.components[name] for s in scores if name in s.components]
        if parts:
            components[name] = ComponentScore(
                name,
                sum(p.matched for p in parts),
                sum(p.total for p in parts),
                parts[0].unit,
                MappingProxyType({"pooled_from": len(parts)}),
            )
    return _score(scope, subject, components, settings)


# --- thresholds ------------------------------------------------------------------------------


def parse_thresholds(values: Iterable[str]) -> dict[str, float]:
    """``["overall=80", "names=95"]`` → ``{"overall": 80.0, "names": 95.0}``.

    Raises :class:`ConfigError` for a malformed item, an unknown score name or a value
    outside [0, 100]."""
    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        name = name.strip().lower()
        if not sep:
            raise ConfigError(f"--min-score {item!r}: expected NAME=VALUE, e.g. overall=80")
        if name not in SCORE_NAMES:
            raise ConfigError(
                f"--min-score: unknown score {name!r}; valid scores: {', '.join(SCORE_NAMES)}"
            )
        try:
            number = float(value)
        except ValueError:
            raise ConfigError(f"--min-score {item!r}: {value.strip()!r} is not a number") from None
        if not 0.0 <= number <= 100.0:
            raise ConfigError(f"--min-score {item!r}: the threshold must lie in [0, 100]")
        out[name] = number
    return out


def failing_thresholds(
    score: ConsistencyScore, thresholds: Mapping[str, float]
) -> tuple[list[str], list[str]]:
    """(failures, unavailable): one line per score below its threshold, and the names of
    thresholded scores that have nothing to judge (not applied)."""
    failures, unavailable = [], []
    for name, minimum in thresholds.items():
        value = score.get(name)
        if value is None:
            unavailable.append(name)
        elif round(value, 2) < minimum:  # as shown: 79.996 shows (and counts) as 80.00
            failures.append(f"{name} score {value:.2f} is below --min-score {name}={minimum:g}")
    return failures, unavailable
