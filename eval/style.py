"""House style: a newsroom's preferred English spellings of names, and the check that applies
them in both directions.

A style file is TOML::

    [names]              # Ukrainian lemma = preferred English spelling
    "Київ" = "Kyiv"
    "Умєров" = "Umerov"

    [rejected]           # rejected English form = preferred form
    "Kiev" = "Kyiv"

    [[accept]]           # a deliberate spelling or exception, with its reason (eval.accept)
    spelling = "Kiev"
    article = "kiev-post"
    reason = "the name of the newspaper"

The ``style`` check reports an English text that uses a rejected form (error), a spelling of a
name that the style prefers spelled otherwise (note, when it is the only spelling of the name
in the text: consistent, but not house style), and — in an aligned pair — a Ukrainian name
rendered in the English paragraph other than its preferred spelling (warning).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from aligner.document import Article
from aligner.errors import ConfigError
from aligner.names import (
    NameMention,
    PressNames,
    en_name_key,
    extract_names,
    load_press_names,
    lowercase_vocabulary,
    normalize_apostrophes,
    uk_lemma_candidates,
    uk_name_keys,
)
from aligner.toml_files import parse_toml
from eval.accept import Acceptance, parse_accept_entries
from eval.base import Check, Finding, Location, PairContext, Severity, register_check
from eval.confidence import with_confidence

__all__ = [
    "DEFAULT_STYLE_PATH",
    "Style",
    "StyleCheck",
    "default_style",
    "load_style",
    "resolve_style",
]

DEFAULT_STYLE_PATH = Path(__file__).parent / "data" / "house_style.toml"
_TABLES = ("names", "rejected")


@dataclass(frozen=True)
class Style:
    """A house style: preferred spellings by Ukrainian lemma, and rejected English forms."""

    names: Mapping[str, str]
    rejected: Mapping[str, str]
    path: Path | None = None
    signature_hash: str = ""
    #: Deliberate spellings and known exceptions (``[[accept]]``; see :mod:`eval.accept`).
    accept: tuple[Acceptance, ...] = ()
    _preferred_by_key: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    _rejected_lower: Mapping[str, tuple[str, str]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_key: dict[str, str] = {}
        for preferred in self.names.values():
            by_key.setdefault(en_name_key(preferred), preferred)
        for preferred in self.rejected.values():
            by_key.setdefault(en_name_key(preferred), preferred)
        object.__setattr__(self, "_preferred_by_key", MappingProxyType(by_key))
        rejected = {k.lower(): (k, v) for k, v in self.rejected.items()}
        object.__setattr__(self, "_rejected_lower", MappingProxyType(rejected))

    def __hash__(self) -> int:
        return hash((self.signature_hash, self.path))

    def __reduce__(self) -> tuple[type[Style], tuple[object, ...]]:
        # a mappingproxy cannot be pickled (the Ray engine pickles what it sends to workers):
        # rebuild from the tables; __post_init__ derives the rest again
        args = (
            dict(self.names),
            dict(self.rejected),
            self.path,
            self.signature_hash,
            self.accept,
        )
        return type(self), args

    def preferred_for_uk(self, word: str) -> str | None:
        """The preferred English spelling of a Ukrainian name in any case (*Києві* → *Kyiv*)."""
        for lemma in uk_lemma_candidates(word):
            preferred = self.names.get(normalize_apostrophes(lemma))
            if preferred is not None:
                return preferred
        return None

    def rejected_form(self, spelling: str) -> tuple[str, str] | None:
        """``(rejected form, preferred form)`` when ``spelling`` is a rejected form."""
        return self._rejected_lower.get(normalize_apostrophes(spelling).strip().lower())

    def preferred_for_english(self, spelling: str, press: PressNames | None = None) -> str | None:
        """The preferred spelling of the name an English spelling writes: through its key
        (*Zelenskyi* → *Zelenskyy*), a rejected form, or the press table (*Kharkov* →
        *Харків* → *Kharkiv*)."""
        rejected = self.rejected_form(spelling)
        if rejected:
            return rejected[1]
        found = self._preferred_by_key.get(en_name_key(spelling))
        if found:
            return found
        for entry in (press or load_press_names()).by_english(spelling):
            if entry.is_given_name or entry.is_translation:
                continue
            preferred = self.names.get(entry.uk)
            if preferred:
                return preferred
        return None


def _style_from_text(text: str, path: Path | None) -> Style:
    where = str(path) if path else "<style>"
    data = parse_toml(
        text, where, fix='fix the style file (TOML: "Ukrainian" = "English" under [names])'
    )
    accept = parse_accept_entries(data.pop("accept", None), text, where)
    for table in data:
        if table not in _TABLES:
            raise ConfigError(
                f"{_at_line(where, text, table)}: unknown table [{table}]; a style file has "
                "[names], [rejected] and [[accept]]"
            )
    tables: dict[str, dict[str, str]] = {}
    for table in _TABLES:
        values = data.get(table, {})
        if not isinstance(values, dict):
            raise ConfigError(
                f"{_at_line(where, text, table)}: {table} must be a table ([{table}])"
            )
        for key, value in values.items():
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(
                    f"{_at_line(where, text, key, table)}: [{table}] {key!r} must be a non-empty "
                    "string (the English spelling)"
                )
        tables[table] = {}
        for key, value in values.items():
            name = normalize_apostrophes(key.strip())
            if name in tables[table] and tables[table][name] != value.strip():
                raise ConfigError(
                    f"{where}: [{table}] {key!r} = {value.strip()!r} and the same name "
                    f"written another way = {tables[table][name]!r}: two preferred forms; "
                    "keep one"
                )
            tables[table][name] = value.strip()
    _check_contradictions(tables, where, text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return Style(
        MappingProxyType(tables["names"]),
        MappingProxyType(tables["rejected"]),
        path,
        digest,
        accept,
    )


def _check_contradictions(tables: dict[str, dict[str, str]], where: str, text: str) -> None:
    """One name with two preferred forms: a form that [names] prefers and [rejected] rejects,
    or a [rejected] entry whose replacement respells a [names] form (*Kyiv* / *Kyjiv*).
    :class:`ConfigError` naming both entries."""
    preferred_by_key = {en_name_key(v): (k, v) for k, v in tables["names"].items()}
    preferred_lower = {v.lower(): k for k, v in tables["names"].items()}
    for rejected, replacement in tables["rejected"].items():
        clash = None
        if rejected.lower() in preferred_lower:
            uk = preferred_lower[rejected.lower()]
            clash = (uk, tables["names"][uk])
        elif en_name_key(replacement) in preferred_by_key:
            uk, form = preferred_by_key[en_name_key(replacement)]
            if form != replacement:
                clash = (uk, form)
        if clash:
            raise ConfigError(
                f"{_at_line(where, text, clash[0], 'names')}: [names] {clash[0]!r} = "
                f"{clash[1]!r} contradicts {_at_line(where, text, rejected, 'rejected')}: "
                f"[rejected] {rejected!r} = {replacement!r} (one name, two preferred forms); "
                "keep one"
            )


_TABLE_HEADER = re.compile(r"\s*\[\s*([^\]]+?)\s*\]")


def _at_line(where: str, text: str, key: str, table: str | None = None) -> str:
    """``where`` followed by the line that defines ``key`` (inside ``[table]``, or at the top
    level: a ``[key]`` header or a ``key = …`` line), when a plain scan finds it."""
    quoted = re.escape(key)
    name = rf"(?:{quoted}|\"{quoted}\"|'{quoted}')"
    assignment = re.compile(rf"\s*{name}\s*=")
    current = None
    for number, line in enumerate(text.splitlines(), 1):
        header = _TABLE_HEADER.match(line)
        if header:
            current = header.group(1).strip("\"'")
            if table is None and current == key:
                return f"{where}: line {number}"
        elif current == table and assignment.match(line):
            return f"{where}: line {number}"
    return where


def load_style(path: Path | str) -> Style:
    """Read a style file. :class:`ConfigError` names the file, the line and the reason when it
    cannot be read or is not a valid style."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ConfigError(f"{path}: cannot read the style file ({err.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ConfigError(f"{path}: line {line}: the style file is not UTF-8 text") from None
    return _style_from_text(text, path)


@lru_cache(maxsize=1)
def default_style() -> Style:
    """The shipped house style (``eval/data/house_style.toml``)."""
    return load_style(DEFAULT_STYLE_PATH)


def resolve_style(style: object | None) -> Style:
    """A :class:`Style` from what a caller passed: a Style, a path, or None (the default)."""
    if style is None:
        return default_style()
    if isinstance(style, Style):
        return style
    if isinstance(style, (str, Path)):
        return load_style(style)
    raise TypeError(f"expected a Style or a path, not {type(style).__name__}")


# --- the check -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spelled:
    mention: NameMention
    paragraph: int


def _english_mentions(article: Article, common: frozenset[str]) -> list[_Spelled]:
    out = []
    for i, paragraph in enumerate(article.paragraphs):
        for m in extract_names(paragraph, "en", common):
            if not m.acronym:
                out.append(_Spelled(m, i))
    return out


def _candidate_spellings(m: NameMention) -> list[tuple[str, int, int]]:
    """The whole mention and each of its words, with spans (rejected forms and preferences
    may concern a word of a longer name: *Kiev Oblast*)."""
    spans = [(m.text, m.start, m.end)]
    if len(m.tokens) > 1:
        offset = m.start
        for token in m.tokens:
            spans.append((token, offset, offset + len(token)))
            offset += len(token) + 1
    return spans


@register_check
class StyleCheck(Check):
    name = "style"
    description = (
        "House style: rejected spellings (Kiev), names spelled other than the style prefers, "
        "Ukrainian names rendered other than their preferred spelling."
    )
    severities = {
        "rejected": Severity.ERROR,
        "preference": Severity.NOTE,
        "rendering": Severity.WARNING,
    }

    def _check_article(self, article: Article, style: object | None) -> list:
        if article.lang != "en":
            return []
        return _with_style_confidence(self._english_findings([article], resolve_style(style)))

    def _check_archive(self, articles: Sequence[Article], style: object | None) -> list:
        english = [a for a in articles if a.lang == "en"]
        return _with_style_confidence(self._english_findings(english, resolve_style(style)))

    def _check_pair(self, ctx: PairContext) -> list:
        # The English version's own spellings come from the article scope (the runner applies
        # it to both versions of a pair); the pair scope compares the two versions.
        style = resolve_style(ctx.style)
        findings = []
        press = load_press_names()
        for bead in ctx.alignment.beads:
            if not bead.uk or not bead.en:
                continue
            en_text = "\n".join(ctx.texts(bead, "en"))
            en_mentions = extract_names(en_text, "en")
            for uk_index in bead.uk:
                paragraph = ctx.uk.paragraphs[uk_index]
                for m in extract_names(paragraph, "uk"):
                    preferred = style.preferred_for_uk(m.text)
                    if preferred is None or preferred.lower() in en_text.lower():
                        continue
                    keys = uk_name_keys(m.text, press)
                    used = [
                        s
                        for e in en_mentions
                        for s, _, _ in _candidate_spellings(e)
                        if en_name_key(s) in keys
                    ]
                    if not used:
                        continue  # no rendering at all: the names check reports it
                    findings.append(
                        self.finding(
                            "rendering",
                            f"'{m.text}' is rendered as '{used[0]}'; house style spells it "
                            f"'{preferred}'",
                            (
                                Location(ctx.uk.id, "uk", uk_index, m.start, m.end),
                                *ctx.locations(bead, "en"),
                            ),
                            suggestion=preferred,
                            data={"uk": m.text, "used": used[0], "preferred": preferred},
                        )
                    )
        return _with_style_confidence(findings)

    def _english_findings(self, articles: Sequence[Article], style: Style) -> list:
        common = frozenset().union(*(lowercase_vocabulary(a.text) for a in articles))
        press = load_press_names()
        rejected_hits: dict[str, list[Location]] = {}
        rejected_pref: dict[str, str] = {}
        spelled: dict[str, dict[str, list[Location]]] = {}  # preferred → spelling → locations
        for article in articles:
            for s in _english_mentions(article, common):
                whole_preferred = False
                for text, start, end in _candidate_spellings(s.mention):
                    loc = Location(article.id, article.lang, s.paragraph, start, end)
                    hit = style.rejected_form(text)
                    if hit:
                        rejected_hits.setdefault(hit[0], []).append(loc)
                        rejected_pref[hit[0]] = hit[1]
                        continue
                    if whole_preferred:
                        continue  # the whole name already has a preference: not its words
                    preferred = style.preferred_for_english(text, press)
                    if preferred:
                        spelled.setdefault(preferred, {}).setdefault(text, []).append(loc)
                        whole_preferred = text == s.mention.text
        findings = []
        for form, locations in rejected_hits.items():
            preferred = rejected_pref[form]
            findings.append(
                self.finding(
                    "rejected",
                    f"'{form}' is a rejected spelling ({len(locations)}×); house style: "
                    f"'{preferred}'",
                    locations,
                    suggestion=preferred,
                    data={"rejected": form, "preferred": preferred, "count": len(locations)},
                )
            )
        for preferred, spellings in spelled.items():
            for spelling, locations in spellings.items():
                if spelling.lower() == preferred.lower():
                    continue
                if spelling.lower() in preferred.lower().split():
                    continue  # a part of the preferred multiword name
                findings.append(
                    self.finding(
                        "preference",
                        f"'{spelling}' ({len(locations)}×): house style spells this name "
                        f"'{preferred}'",
                        locations,
                        suggestion=preferred,
                        data={
                            "spelling": spelling,
                            "preferred": preferred,
                            "count": len(locations),
                        },
                    )
                )
        return findings


#: How sure each kind of house-style finding is, and why: the style file states the first two
#: outright; a rendering is matched through the Ukrainian name's transliteration keys.
STYLE_CONFIDENCE: Mapping[str, tuple[float, str]] = MappingProxyType(
    {
        "rejected": (1.0, "the style file lists this spelling as rejected"),
        "preference": (1.0, "the style file gives this name's preferred spelling"),
        "rendering": (
            0.9,
            "the style file's spelling is not in the aligned English, which renders the "
            "Ukrainian name another way (matched on its transliteration key)",
        ),
    }
)


def _with_style_confidence(findings: Sequence[Finding]) -> list[Finding]:
    """Each house-style finding with its confidence and evidence (:mod:`eval.confidence`)."""
    return [with_confidence(f, *STYLE_CONFIDENCE[f.kind]) for f in findings]
