"""One configuration for a whole run: the TOML tables of ``mistok.toml`` (or ``[tool.mistok]``
in ``pyproject.toml``, or ``--config FILE``), read and checked once.

Tables, one per stage::

    [align]            aligner settings (aligner.align.AlignerSettings)
    [pair]             pairing settings (aligner.pairing.PairingSettings; subtables
    [pair.candidates]  [pair.candidates] and [pair.association] for theirs)
    [checks.NAME]      the settings of one check (as ``mistok check --config``)
    [score]            consistency-score settings (``mistok check``)
    [translate]        model, mt_engine
    [style]            file: the house style file
    [output]           tm_unit, baseline

Every mistake — an unknown table or key, a wrong type, a value out of range, a path that does
not exist, invalid TOML — is one :class:`ConfigError` line naming the file, the line and the
key. Paths are relative to the config file's folder. Command-line options override the file
(:meth:`RunConfig.override`); :meth:`RunConfig.describe` lists every effective setting and
where it came from (``mistok config show``); :meth:`RunConfig.fingerprint` identifies the
settings of one stage in the result cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from aligner.align import AlignerSettings
from aligner.errors import ConfigError
from aligner.pairing import PairingSettings
from aligner.toml_files import parse_toml, read_toml_text

__all__ = [
    "CONFIG_NAME",
    "RunConfig",
    "find_config",
    "load_run_config",
]

#: The file looked for in the working folder.
CONFIG_NAME = "mistok.toml"
PYPROJECT = "pyproject.toml"

TABLES = ("align", "pair", "checks", "score", "translate", "style", "output")
MT_ENGINES = ("transformers", "ct2")
TM_UNITS = ("sentence", "paragraph")
#: Pairing settings that are fitted score models, not settings a user sets.
_NOT_SETTABLE = {"anchors_model", "association_model", "bridge_model"}


@dataclass(frozen=True)
class Range:
    """The values a number setting may take: from ``low`` to ``high`` (None: no bound), each
    bound included unless ``low_open`` / ``high_open`` says it is not."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False

    def __contains__(self, value: float) -> bool:
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return False
        if self.high is not None:
            return value < self.high if self.high_open else value <= self.high
        return True

    def __str__(self) -> str:
        """``at least 1``, ``between 0 and 100``, ``above 0 and below 1``, ..."""
        if self.low is not None and self.high is not None:
            if not (self.low_open or self.high_open):
                return f"between {self.low:g} and {self.high:g}"
        parts = []
        if self.low is not None:
            parts.append(f"{'above' if self.low_open else 'at least'} {self.low:g}")
        if self.high is not None:
            parts.append(f"{'below' if self.high_open else 'at most'} {self.high:g}")
        return " and ".join(parts) or "any number"


#: The range of every number setting that its own class does not check: the stages' settings
#: and every number of every check (``checks.NAME.KEY``), what each means in the comments.
_RANGES: dict[str, Range] = {
    "align.width": Range(1),
    "align.exact_below": Range(0),
    "align.length_weight": Range(0),
    "align.bridge_weight": Range(0),
    "align.join_penalty": Range(0),
    # pairing accepts a pair above the log-odds log(t / (1 - t)): 0 and 1 have none
    "pair.threshold": Range(0, 1, low_open=True, high_open=True),
    "pair.teach_confidence": Range(0, 1),
    "pair.association_rounds": Range(0),
    "pair.min_teaching_pairs": Range(0),
    "pair.margin_k": Range(1),
    "pair.partition_days": Range(0),
    # spreads that the length and paragraph agreements divide by
    "pair.length_log_ratio_sd": Range(0, low_open=True),
    "pair.paragraph_log_ratio_sd": Range(0, low_open=True),
    "pair.paragraph_merge_credit": Range(0, 1),
    "pair.candidates.per_article": Range(1),
    "pair.candidates.max_postings": Range(1),
    "pair.candidates.query_features": Range(1),
    "pair.candidates.date_window_days": Range(0),
    "pair.association.min_together": Range(1),
    "pair.association.min_dice": Range(0, 1),
    "pair.association.per_word": Range(1),
    "pair.association.max_units": Range(1),
    # eval.adequacy: chrF points (0-100), a robust z-score, counts of beads and characters
    "checks.adequacy.floor": Range(0, 100),
    "checks.adequacy.max_deviation": Range(0),
    "checks.adequacy.min_drop": Range(0, 100),
    "checks.adequacy.min_beads": Range(0),
    "checks.adequacy.min_chars": Range(0),
    # eval.coverage: a bead is an outlier outside [ratio / factor, ratio * factor], so the
    # factor is at least 1; the median needs a bead; the expected en/uk length ratio is
    # divided by; a share of Cyrillic letters (0 would call every paragraph untranslated)
    "checks.coverage.max_ratio_factor": Range(1),
    "checks.coverage.min_chars": Range(0),
    "checks.coverage.min_beads_for_median": Range(1),
    "checks.coverage.expected_ratio": Range(0, low_open=True),
    "checks.coverage.untranslated_share": Range(0, 1, low_open=True),
    "checks.coverage.min_letters": Range(0),
    # eval.numbers: how many beads either side a misplaced number is looked for in
    "checks.numbers.neighbours": Range(0),
    # eval.consistency_score: the weight of each component (``[score] weights``)
    "score.weights.*": Range(0),
}
#: Check settings that name a file (``""``: the bundled table only): read relative to the
#: config file's folder, and it must exist.
_CHECK_PATHS = {"checks.names.press_table", "checks.names.exonym_table"}


def _frozen_table(table: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """A TOML table as sorted (key, value) pairs, nested tables and lists frozen too."""

    def freeze(value: Any) -> Any:
        if isinstance(value, Mapping):
            return _frozen_table(value)
        if isinstance(value, list):
            return tuple(freeze(v) for v in value)
        return value

    return tuple(sorted((k, freeze(v)) for k, v in table.items()))


def _thawed(pairs: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    def thaw(value: Any) -> Any:
        if isinstance(value, tuple) and value and all(
            isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) for v in value
        ):
            return _thawed(value)
        if isinstance(value, tuple):
            return [thaw(v) for v in value]
        return value

    return {k: thaw(v) for k, v in pairs}


@dataclass(frozen=True)
class RunConfig:
    """The effective settings of a run, and where each came from (picklable, hashable)."""

    align: AlignerSettings = AlignerSettings()
    pair: PairingSettings = PairingSettings()
    #: ``[checks.NAME]`` tables, frozen: see :meth:`check_settings`.
    checks: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    score: tuple[tuple[str, Any], ...] = ()
    model: str | None = None
    mt_engine: str = "transformers"
    style: Path | None = None
    tm_unit: str = "sentence"
    baseline: Path | None = None
    #: The config file read, if any.
    path: Path | None = None
    #: Setting name (``align.width``) -> where it was set (``FILE:LINE`` or ``command line``).
    sources: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def check_settings(self) -> dict[str, dict[str, Any]]:
        """The ``[checks.NAME]`` tables by check name, as :func:`eval.runner.check_pair` and
        the run's check stage take them."""
        return {name: _thawed(table) for name, table in self.checks}

    def score_settings(self) -> dict[str, Any]:
        return _thawed(self.score)

    def fingerprint(self, stage: str) -> str:
        """A short digest of every effective setting that changes ``stage``'s results
        (``pair``, ``align``, ``check``), defaults included: part of its cache keys."""
        if stage == "pair":
            values: object = _plain(dataclasses.asdict(self.pair))
        elif stage == "align":
            values = _plain(dataclasses.asdict(self.align))
        elif stage == "check":
            values = self.check_settings()
            if self.score:
                values = {"checks": values, "score": self.score_settings()}
        else:
            raise ValueError(f"no settings fingerprint for stage {stage!r}")
        text = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def override(self, **given: Any) -> RunConfig:
        """This config with the command-line options in ``given`` (None: not given)."""
        changes = {k: v for k, v in given.items() if v is not None}
        if not changes:
            return self
        sources = dict(self.sources)
        sources.update({_SETTING_NAMES.get(k, k): "command line" for k in changes})
        return replace(self, **changes, sources=tuple(sorted(sources.items())))

    def with_option(self, name: str, value: Any, source: str = "command line") -> RunConfig:
        """This config with the setting ``name`` (as the file names it: ``align.width``,
        ``translate.model``) set by a command's option, recorded as coming from ``source``."""
        table, _, key = name.partition(".")
        if table in ("align", "pair") and "." not in key:
            changes = {table: replace(getattr(self, table), **{key: value})}
        else:
            attribute = {v: k for k, v in _SETTING_NAMES.items()}[name]
            changes = {attribute: value}
        sources = {**dict(self.sources), name: source}
        return replace(self, **changes, sources=tuple(sorted(sources.items())))

    def describe(self) -> list[tuple[str, str, str]]:
        """Every effective setting: (name, value, where it came from)."""
        sources = dict(self.sources)
        rows: list[tuple[str, str, str]] = []
        for prefix, settings in (("align", self.align), ("pair", self.pair)):
            for name, value in _setting_values(prefix, settings):
                rows.append((name, _show(value), sources.get(name, "default")))
        for check, table in self.check_settings().items():
            for key, value in sorted(table.items()):
                name = f"checks.{check}.{key}"
                rows.append((name, _show(value), sources.get(name, "default")))
        for key, value in sorted(self.score_settings().items()):
            rows.append((f"score.{key}", _show(value), sources.get(f"score.{key}", "default")))
        for attribute, name in _SETTING_NAMES.items():
            value = getattr(self, attribute)
            rows.append((name, _show(value), sources.get(name, "default")))
        return rows


#: RunConfig attribute -> its name in the file.
_SETTING_NAMES = {
    "model": "translate.model",
    "mt_engine": "translate.mt_engine",
    "style": "style.file",
    "tm_unit": "output.tm_unit",
    "baseline": "output.baseline",
}


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, Path):
        return json.dumps(str(value))
    return json.dumps(_plain(value), ensure_ascii=False)


def _setting_values(prefix: str, settings: object) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for f in fields(settings):  # type: ignore[arg-type]
        if f.name in _NOT_SETTABLE:
            continue
        value = getattr(settings, f.name)
        if is_dataclass(value):
            out += _setting_values(f"{prefix}.{f.name}", value)
        else:
            out.append((f"{prefix}.{f.name}", value))
    return out


# -- finding and reading ---------------------------------------------------------------------


def find_config(folder: Path) -> tuple[Path, str] | None:
    """The config of a working folder: ``mistok.toml``, else a ``pyproject.toml`` with a
    ``[tool.mistok]`` table (as ruff, pytest and black look for theirs). Returns the file and
    the table prefix its settings are under (``""`` or ``"tool.mistok"``)."""
    own = folder / CONFIG_NAME
    if own.is_file():
        return own, ""
    project = folder / PYPROJECT
    if project.is_file():
        try:
            text = project.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        if re.search(r"^\s*\[\s*tool\.mistok[\].]", text, re.MULTILINE):
            return project, "tool.mistok"
    return None


def load_run_config(
    path: Path | None = None, folder: Path | None = None, prefix: str | None = None
) -> RunConfig:
    """The run configuration in ``path`` (``--config``), else the one found in ``folder``
    (default: the working folder), else the defaults. Raises :class:`ConfigError` with
    file, line and key on any mistake."""
    if path is None:
        found = find_config(Path.cwd() if folder is None else folder)
        if found is None:
            return RunConfig()
        path, prefix = found
    path = Path(path)
    if prefix is None:
        prefix = "tool.mistok" if path.name == PYPROJECT else ""
    text = read_toml_text(path, "config file")
    data = parse_toml(text, str(path))
    for part in prefix.split(".") if prefix else ():
        data = data.get(part, {})
    return _Reader(path, text, prefix).config(data)


class _Reader:
    """Validation of one file's tables, with the line of each key for messages."""

    def __init__(self, path: Path, text: str, prefix: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.prefix = prefix
        self.sources: dict[str, str] = {}

    def line(self, name: str) -> int | None:
        """The line of setting ``name`` (``pair.candidates.per_article``) or table; for a key
        of an inline table (``weights = {names = 1}``), the line of the table's key."""
        found = self._line(name)
        if found is None and "." in name:
            return self.line(name.rpartition(".")[0])
        return found

    def _line(self, name: str) -> int | None:
        parts = name.split(".")
        full = ([self.prefix] if self.prefix else []) + parts
        header, table = None, ""
        for number, raw in enumerate(self.lines, 1):
            line = raw.strip()
            found = re.match(r"^\[\s*([^\]]+?)\s*\]", line)
            if found:
                table = found.group(1).replace(" ", "")
                if table == ".".join(full):
                    header = number
                continue
            key = re.match(r'^"?([A-Za-z0-9_.-]+)"?\s*=', line)
            if key:
                dotted = (table + "." if table else "") + key.group(1)
                if dotted.replace(" ", "") == ".".join(full):
                    return number
        return header

    def error(self, name: str, message: str) -> ConfigError:
        line = self.line(name)
        where = f"{self.path}:{line}" if line else str(self.path)
        return ConfigError(f"{where}: {name}: {message}")

    def note(self, name: str) -> None:
        line = self.line(name)
        self.sources[name] = f"{self.path}:{line}" if line else str(self.path)

    def config(self, data: Mapping[str, Any]) -> RunConfig:
        for table in data:
            if table not in TABLES:
                raise self.error(table, f"unknown table; valid tables: {', '.join(TABLES)}")
            if not isinstance(data[table], Mapping):
                raise self.error(table, "must be a table, e.g. [align]")
        align = self.settings("align", AlignerSettings(), data.get("align", {}))
        pair = self.settings("pair", PairingSettings(), data.get("pair", {}))
        checks = self.checks(data.get("checks", {}))
        score = self.score(data.get("score", {}))
        translate = self.simple("translate", data.get("translate", {}), {"model", "mt_engine"})
        style = self.simple("style", data.get("style", {}), {"file"})
        output = self.simple("output", data.get("output", {}), {"tm_unit", "baseline"})
        values: dict[str, Any] = {}
        if "model" in translate:
            values["model"] = self.string("translate.model", translate["model"])
        if "mt_engine" in translate:
            engine = translate["mt_engine"]
            values["mt_engine"] = self.choice("translate.mt_engine", engine, MT_ENGINES)
        if "file" in style:
            values["style"] = self.existing_path("style.file", style["file"])
        if "tm_unit" in output:
            values["tm_unit"] = self.choice("output.tm_unit", output["tm_unit"], TM_UNITS)
        if "baseline" in output:
            values["baseline"] = self.existing_path("output.baseline", output["baseline"])
        return RunConfig(
            align=align,
            pair=pair,
            checks=checks,
            score=score,
            path=self.path,
            sources=tuple(sorted(self.sources.items())),
            **values,
        )

    # -- one kind of table each --------------------------------------------------------------

    def settings(self, name: str, defaults: Any, table: Mapping[str, Any]) -> Any:
        """``defaults`` (a settings dataclass) with the values of ``table``."""
        known = {f.name: f for f in fields(defaults) if f.name not in _NOT_SETTABLE}
        changes: dict[str, Any] = {}
        for key, value in table.items():
            setting = f"{name}.{key}"
            if key not in known:
                raise self.error(setting, f"unknown setting; valid settings: {', '.join(known)}")
            default = getattr(defaults, key)
            if is_dataclass(default):
                if not isinstance(value, Mapping):
                    raise self.error(setting, f"must be a table, e.g. [{setting}]")
                changes[key] = self.settings(setting, default, value)
                continue
            changes[key] = self.value(setting, value, default)
            self.note(setting)
        try:
            return replace(defaults, **changes)
        except ConfigError as err:  # the settings class's own checks
            first = next(iter(table), name)
            raise self.error(f"{name}.{first}" if len(table) == 1 else name, str(err)) from None

    def value(self, name: str, value: Any, default: Any) -> Any:
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise self.error(name, f"must be true or false, not {value!r}")
            return value
        if isinstance(default, (int, float)):
            return self.number(name, value, default)
        if isinstance(default, str):
            return self.string(name, value)
        if isinstance(default, tuple):
            if not isinstance(value, list):
                raise self.error(name, f"must be a list like {_show(default)}, not {value!r}")
            return tuple(tuple(v) if isinstance(v, list) else v for v in value)
        raise self.error(name, "cannot be set in a config file")

    def number(self, name: str, value: Any, default: float, limits: Range | None = None) -> float:
        """A number of ``default``'s kind (whole or not) within the range of ``name`` (or
        ``limits``)."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(name, f"must be a number, not {value!r}")
        if isinstance(default, int) and not isinstance(value, int):
            raise self.error(name, f"must be a whole number, not {value!r}")
        allowed = _RANGES.get(name, Range()) if limits is None else limits
        if value not in allowed:
            raise self.error(name, f"must be {allowed}, not {value!r}")
        return float(value) if isinstance(default, float) else value

    def checks(self, table: Mapping[str, Any]) -> tuple:
        from eval.base import check_classes, get_check

        known = check_classes()
        out = []
        for check, settings in table.items():
            name = f"checks.{check}"
            if check not in known:
                raise self.error(name, f"unknown check; valid checks: {', '.join(known)}")
            if not isinstance(settings, Mapping):
                raise self.error(name, f"must be a table, e.g. [{name}]")
            defaults = known[check].defaults
            settings = dict(settings)
            for key, value in settings.items():  # the check's own validation has no ranges
                default = defaults.get(key)
                if isinstance(default, (int, float)) and not isinstance(default, bool):
                    self.number(f"{name}.{key}", value, default)
                elif f"{name}.{key}" in _CHECK_PATHS and value != "":
                    settings[key] = str(self.existing_path(f"{name}.{key}", value))
            try:
                get_check(check, dict(settings))
            except ConfigError as err:
                key = next((k for k in settings if f"'{k}'" in str(err)), None)
                raise self.error(f"{name}.{key}" if key else name, str(err)) from None
            for key in settings:
                self.note(f"{name}.{key}")
            out.append((check, _frozen_table(settings)))
        return tuple(sorted(out))

    def score(self, table: Mapping[str, Any]) -> tuple:
        """The ``[score]`` table, each mistake named by its own key (``score.weights.names``)."""
        from eval.consistency_score import COMPONENTS, NAMES_TARGETS, ScoreSettings

        self.simple("score", table, {"weights", "names_target"})
        if "weights" in table:
            weights = table["weights"]
            if not isinstance(weights, Mapping):
                example = "{names = 0.5, numbers = 0.5}"
                raise self.error("score.weights", f"must be a table, e.g. {example}")
            for component, weight in weights.items():
                name = f"score.weights.{component}"
                if component not in COMPONENTS:
                    valid = ", ".join(COMPONENTS)
                    message = f"unknown score component {component!r}; valid components: {valid}"
                    raise self.error(name, message)
                self.number(name, weight, 1.0, _RANGES["score.weights.*"])
            if not any(weights.values()):
                raise self.error("score.weights", "at least one score weight must be above 0")
        if "names_target" in table:
            self.choice("score.names_target", table["names_target"], NAMES_TARGETS)
        try:  # whatever else the settings class checks
            ScoreSettings.from_mapping(table)
        except ConfigError as err:
            raise self.error("score", str(err)) from None
        return _frozen_table(table)

    def simple(self, name: str, table: Mapping[str, Any], keys: set[str]) -> Mapping[str, Any]:
        for key in table:
            if key not in keys:
                valid = ", ".join(sorted(keys))
                raise self.error(f"{name}.{key}", f"unknown setting; valid settings: {valid}")
            self.note(f"{name}.{key}")
        return table

    def string(self, name: str, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.error(name, f"must be a non-empty string, not {value!r}")
        return value

    def choice(self, name: str, value: Any, choices: tuple[str, ...]) -> str:
        if value not in choices:
            raise self.error(name, f"must be one of {', '.join(choices)}, not {value!r}")
        return value

    def existing_path(self, name: str, value: Any) -> Path:
        path = Path(self.string(name, value)).expanduser()
        if not path.is_absolute():
            path = self.path.parent / path
        if not path.exists():
            raise self.error(name, f"{path} does not exist")
        return path
