"""Terminal output shared by the commands: warnings as one line each on stderr."""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import click


def echo_warnings(caught: Iterable[warnings.WarningMessage]) -> None:
    """Print captured warnings as ``mistok: warning: ...`` lines, each once."""
    seen: set[str] = set()
    for item in caught:
        text = str(item.message)
        if text not in seen:
            seen.add(text)
            click.echo(f"mistok: warning: {text}", err=True)
