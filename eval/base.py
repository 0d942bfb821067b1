"""The evaluator's building blocks: severities, findings, the context of a pair, the ``Check``
base class and the registry that finds checks by name.

A check is a class with a registered ``name``. The base class owns the public methods
(:meth:`Check.findings_in_pair`, :meth:`Check.findings_in_article`,
:meth:`Check.findings_in_archive`); a check fills in the hooks it supports (``_check_pair``,
``_check_article``, ``_check_archive``) and builds its findings with :meth:`Check.finding`.
Settings come from a mapping (a TOML table): each check declares its tunable values and their
defaults in ``defaults``; every check also accepts ``severity``, either one severity for all
its findings or a table ``{kind = severity}``.

Example::

    @register_check
    class MyCheck(Check):
        name = "mine"
        description = "What it checks, in one line."
        severities = {"missing": Severity.ERROR}
        defaults = {"min_chars": 20}

        def _check_article(self, article, style=None):
            return [self.finding("missing", "...", (Location(article.id, article.lang, 0),))]
"""

from __future__ import annotations

import enum
import functools
import importlib
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import ClassVar

from aligner.alignment import Alignment, Bead
from aligner.document import Article
from aligner.errors import ConfigError


@functools.total_ordering
class Severity(enum.Enum):
    """How much a finding matters, ordered ``ERROR > WARNING > NOTE``."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self.value]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    @classmethod
    def parse(cls, value: str | Severity, where: str = "severity") -> Severity:
        """``"warning"`` → ``Severity.WARNING``; a :class:`ConfigError` naming ``where`` else."""
        if isinstance(value, Severity):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            valid = ", ".join(s.value for s in cls)
            raise ConfigError(f"{where}: unknown severity {value!r}; use one of {valid}") from None


_SEVERITY_RANK = {"note": 1, "warning": 2, "error": 3}


@dataclass(frozen=True)
class Location:
    """Where a finding is: an article, its language, and optionally a paragraph (0-based), a
    character span inside that paragraph, and the 1-based line in the source file."""

    article: str
    lang: str
    paragraph: int | None = None
    start: int | None = None
    end: int | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "article": self.article,
            "lang": self.lang,
            "paragraph": self.paragraph,
            "start": self.start,
            "end": self.end,
            "line": self.line,
        }


def _empty_mapping() -> Mapping[str, object]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Finding:
    """One thing a person should look at.

    ``check`` is the registered name of the check that found it and ``kind`` what it found
    (``"missing"``, ``"omission"``, ...): together they are the rule id (``numbers.missing``).
    ``locations`` point into one or both versions; ``data`` holds JSON-ready details.
    """

    check: str
    severity: Severity
    message: str
    locations: tuple[Location, ...] = ()
    suggestion: str | None = None
    data: Mapping[str, object] = field(default_factory=_empty_mapping, hash=False)
    kind: str = ""
    #: What identifies the finding across edits elsewhere (:mod:`eval.fingerprint`); set by
    #: the runner when the report is built, empty before.
    fingerprint: str = field(default="", compare=False)

    @property
    def rule(self) -> str:
        return f"{self.check}.{self.kind}" if self.kind else self.check

    def to_dict(self) -> dict[str, object]:
        return {
            "check": self.check,
            "kind": self.kind,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "locations": [loc.to_dict() for loc in self.locations],
            "suggestion": self.suggestion,
            "data": dict(self.data),
            "fingerprint": self.fingerprint,
        }


def paragraphs_label(indices: Sequence[int]) -> str:
    """Paragraph numbers for messages: ``¶3`` or, for a bead of several, ``¶3+¶4``."""
    return "+".join(f"¶{i}" for i in indices)


def sort_key(finding: Finding) -> tuple:
    """Document order first (paragraph of the first location), then severity, then rule."""
    first = finding.locations[0] if finding.locations else None
    return (
        first.article if first else "",
        first.paragraph if first and first.paragraph is not None else -1,
        first.start if first and first.start is not None else -1,
        -finding.severity.rank,
        finding.rule,
        finding.message,
    )


@dataclass(frozen=True)
class PairContext:
    """Everything a pair check may look at: both versions, their alignment, the optional
    translation bridge (English MT of each Ukrainian paragraph) and the house style."""

    uk: Article
    en: Article
    alignment: Alignment
    bridge: Sequence[str] | None = None
    style: object | None = None

    def texts(self, bead: Bead, lang: str) -> list[str]:
        """The paragraphs of one side of a bead."""
        article = self.uk if lang == "uk" else self.en
        indices = bead.uk if lang == "uk" else bead.en
        return [article.paragraphs[i] for i in indices]

    def locations(self, bead: Bead, lang: str) -> tuple[Location, ...]:
        """One location per paragraph of one side of a bead."""
        article = self.uk if lang == "uk" else self.en
        indices = bead.uk if lang == "uk" else bead.en
        return tuple(Location(article.id, article.lang, i) for i in indices)


class Check:
    """Base class of every check. Subclasses set ``name`` and ``description`` and fill in the
    hooks they support; the public methods apply configured severities and sort."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    #: Default severity of each kind of finding the check reports.
    severities: ClassVar[Mapping[str, Severity]] = {}
    #: Tunable settings and their defaults (numbers, strings, booleans).
    defaults: ClassVar[Mapping[str, object]] = {}
    #: A check that compares a translation bridge with the English text: it does not run (and
    #: is not listed in the report's signature) when a pair is checked without a bridge.
    needs_bridge: ClassVar[bool] = False

    def __init__(self, settings: Mapping[str, object] | None = None) -> None:
        self.settings: Mapping[str, object] = MappingProxyType(self._validate(settings or {}))
        self._severity_override = self._parse_severity(self.settings.get("severity"))

    # -- public methods -------------------------------------------------------------------

    def findings_in_pair(self, ctx: PairContext) -> list[Finding]:
        """Findings about an aligned article pair."""
        return self._finish(self._check_pair(ctx))

    def findings_in_article(self, article: Article, style: object | None = None) -> list[Finding]:
        """Findings about one article on its own."""
        return self._finish(self._check_article(article, style))

    def findings_in_archive(
        self, articles: Sequence[Article], style: object | None = None
    ) -> list[Finding]:
        """Findings across a collection of articles."""
        return self._finish(self._check_archive(articles, style))

    @classmethod
    def scopes(cls) -> frozenset[str]:
        """Which of ``"pair"``, ``"article"``, ``"archive"`` this check implements."""
        found = set()
        for scope in ("pair", "article", "archive"):
            hook = f"_check_{scope}"
            if getattr(cls, hook) is not getattr(Check, hook):
                found.add(scope)
        return frozenset(found)

    def signature_fields(self) -> dict[str, str]:
        """What changes this check's result, for the report signature: the settings that
        differ from the defaults (the package version stands for those). Checks that depend
        on data tables (transliteration, exonyms) add the tables' version here."""
        return {
            key: _signature_value(value)
            for key, value in sorted(self.settings.items())
            if key not in self.defaults or self.defaults[key] != value
        }

    # -- hooks ----------------------------------------------------------------------------

    def _check_pair(self, ctx: PairContext) -> list[Finding]:
        return []

    def _check_article(self, article: Article, style: object | None) -> list[Finding]:
        return []

    def _check_archive(self, articles: Sequence[Article], style: object | None) -> list[Finding]:
        return []

    # -- for subclasses -------------------------------------------------------------------

    def finding(
        self,
        kind: str,
        message: str,
        locations: Iterable[Location] = (),
        suggestion: str | None = None,
        data: Mapping[str, object] | None = None,
    ) -> Finding:
        """A finding of this check with the configured severity of ``kind``."""
        return Finding(
            check=self.name,
            severity=self.severity_of(kind),
            message=message,
            locations=tuple(locations),
            suggestion=suggestion,
            data=MappingProxyType(dict(data or {})),
            kind=kind,
        )

    def severity_of(self, kind: str) -> Severity:
        """The configured severity of a kind of finding (default: ``severities[kind]``)."""
        override = self._severity_override
        if isinstance(override, Severity):
            return override
        if kind in override:
            return override[kind]
        return self.severities.get(kind, Severity.WARNING)

    # -- internals ------------------------------------------------------------------------

    def _finish(self, findings: Iterable[Finding]) -> list[Finding]:
        out = []
        for f in findings:
            if f.check == self.name and (
                isinstance(self._severity_override, Severity) or f.kind in self._severity_override
            ):
                f = replace(f, severity=self.severity_of(f.kind))
            out.append(f)
        return sorted(out, key=sort_key)

    def _validate(self, settings: Mapping[str, object]) -> dict[str, object]:
        merged = dict(self.defaults)
        for key, value in settings.items():
            if key == "severity":
                merged[key] = value
                continue
            if key not in self.defaults:
                valid = ", ".join(sorted([*self.defaults, "severity"]))
                raise ConfigError(
                    f"check {self.name!r}: unknown setting {key!r}; valid settings: {valid}"
                )
            default = self.defaults[key]
            if isinstance(default, bool) and not isinstance(value, bool):
                raise ConfigError(f"check {self.name!r}: setting {key!r} must be true or false")
            if isinstance(default, (int, float)) and not isinstance(default, bool):
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise ConfigError(f"check {self.name!r}: setting {key!r} must be a number")
                value = float(value) if isinstance(default, float) else value
            elif isinstance(default, str) and not isinstance(value, str):
                raise ConfigError(f"check {self.name!r}: setting {key!r} must be a string")
            merged[key] = value
        return merged

    def _parse_severity(self, value: object) -> Severity | dict[str, Severity]:
        where = f"check {self.name!r} setting 'severity'"
        if value is None:
            return {}
        if isinstance(value, (str, Severity)):
            return Severity.parse(value, where)
        if isinstance(value, Mapping):
            out = {}
            for kind, sev in value.items():
                if self.severities and kind not in self.severities:
                    valid = ", ".join(sorted(self.severities))
                    raise ConfigError(f"{where}: unknown kind {kind!r}; kinds: {valid}")
                out[str(kind)] = Severity.parse(sev, f"{where}.{kind}")
            return out
        raise ConfigError(f"{where}: expected a severity or a table of kind = severity")


def _signature_value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return ",".join(f"{k}={_signature_value(v)}" for k, v in sorted(value.items()))
    if isinstance(value, Severity):
        return value.value
    return str(value)


# -- registry -----------------------------------------------------------------------------

#: Modules that define the built-in checks; imported on first lookup.
BUILTIN_CHECK_MODULES = (
    "eval.names",
    "eval.style",
    "eval.numbers",
    "eval.coverage",
    "eval.adequacy",
)

_REGISTRY: dict[str, type[Check]] = {}


def register_check(cls: type[Check]) -> type[Check]:
    """Class decorator: make a check findable by its ``name``."""
    if not cls.name:
        raise TypeError(f"{cls.__qualname__} has no name")
    known = _REGISTRY.get(cls.name)
    if known is not None and known.__qualname__ != cls.__qualname__:
        raise TypeError(f"check name {cls.name!r} is taken by {known.__qualname__}")
    _REGISTRY[cls.name] = cls
    return cls


def _load_builtin_checks() -> None:
    for module in BUILTIN_CHECK_MODULES:
        if module in sys.modules:  # imported already (every pair asks again)
            continue
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name != module:  # the module exists but something it needs is missing
                raise


def check_classes() -> dict[str, type[Check]]:
    """Every registered check by name, sorted by name."""
    _load_builtin_checks()
    return dict(sorted(_REGISTRY.items()))


def available_checks(scope: str | None = None) -> list[str]:
    """Names of the registered checks, optionally only those implementing ``scope``."""
    return [name for name, cls in check_classes().items() if scope is None or scope in cls.scopes()]


def get_check(name: str, settings: Mapping[str, object] | None = None) -> Check:
    """The check registered as ``name``, configured with ``settings``.

    Raises :class:`ConfigError` listing the valid names when ``name`` is unknown.
    """
    classes = check_classes()
    cls = classes.get(name.strip())
    if cls is None:
        valid = ", ".join(classes) or "(none registered)"
        raise ConfigError(f"unknown check {name!r}; valid checks: {valid}")
    return cls(settings)
