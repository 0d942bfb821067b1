"""Reading the project's TOML files (style, press table, check config, glossary) with one kind
of error: :class:`~aligner.errors.ConfigError` naming the file, the line and column, and the fix.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from aligner.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["parse_toml", "read_toml"]

_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def parse_toml(text: str, where: str, fix: str = "") -> dict[str, Any]:
    """The tables of TOML ``text`` read from ``where``; on a syntax error a ConfigError
    ``WHERE: not valid TOML: line L, column C: REASON; FIX``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        reason = str(err)
        found = _POSITION.search(reason)
        if found:
            reason = f"line {found.group(1)}, column {found.group(2)}: {_POSITION.sub('', reason)}"
        hint = f"; {fix}" if fix else ""
        raise ConfigError(f"{where}: not valid TOML: {reason}{hint}") from None


def read_toml(path: str | Path, what: str, fix: str = "") -> dict[str, Any]:
    """The tables of the TOML file ``path`` (``what`` it is, for messages: "style file")."""
    return parse_toml(read_toml_text(path, what), str(path), fix)


def read_toml_text(path: str | Path, what: str) -> str:
    """The text of the TOML file ``path``; an unreadable or non-UTF-8 file raises
    :class:`ConfigError` naming the file and ``what`` it is."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"{path}: cannot read the {what} ({err.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the {what} is not UTF-8 text") from None
