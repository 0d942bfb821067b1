"""Terminal habits shared by the commands: warnings as one line each on stderr, colour
(``--color auto|always|never`` and ``NO_COLOR``), ``--quiet``/``--verbose``, and ``-`` for
standard input where a command reads one file.

The options are added to every command by :func:`add_common_options` (``mistok.cli``); a
command asks :func:`color_wanted`, :func:`is_quiet` and :func:`is_verbose` what they said.
"""

from __future__ import annotations

import os
import sys
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TextIO

import click

from aligner.document import Article
from aligner.errors import InputError

__all__ = [
    "COLOR_CHOICES",
    "STDIN",
    "add_common_options",
    "color_wanted",
    "echo_info",
    "echo_warning",
    "echo_warnings",
    "is_quiet",
    "is_stdin",
    "is_verbose",
    "make_console",
    "read_article_arg",
    "stdin_file",
]

COLOR_CHOICES = ("auto", "always", "never")
#: The file argument that means standard input.
STDIN = "-"
_META = "mistok.console"


def _store(ctx: click.Context, param: click.Parameter, value: object) -> object:
    settings = ctx.meta.setdefault(_META, {})
    if param.name == "color" or value or param.name not in settings:
        settings[param.name] = value
    return value


def common_options() -> list[click.Option]:
    """``--color``, ``--quiet`` and ``--verbose`` as click options (not passed to the
    command function: read them with :func:`color_wanted`, :func:`is_quiet`, ...)."""
    return [
        click.Option(
            ["--color"],
            type=click.Choice(COLOR_CHOICES),
            default="auto",
            show_default=True,
            expose_value=False,
            callback=_store,
            help="Colour in terminal output: auto (when writing to a terminal and NO_COLOR is "
            "not set), always or never.",
        ),
        click.Option(
            ["-q", "--quiet"],
            is_flag=True,
            expose_value=False,
            callback=_store,
            help="Print nothing but errors and the output asked for (no warnings, progress "
            "or summaries).",
        ),
        click.Option(
            ["-v", "--verbose"],
            is_flag=True,
            expose_value=False,
            callback=_store,
            help="Also print what was done and with which settings, on stderr.",
        ),
    ]


def add_common_options(command: click.Command) -> None:
    """Give ``command`` (and a group's subcommands) the common options."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_common_options(sub)
        return
    names = {opt for param in command.params for opt in getattr(param, "opts", ())}
    for option in common_options():
        if not names & set(option.opts):
            command.params.append(option)


def _settings() -> dict[str, object]:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(_META, {}) if ctx is not None else {}


def color_wanted(stream: TextIO | None = None) -> bool:
    """Whether to colour output for ``stream`` (default stdout): ``--color always`` yes,
    ``never`` no; ``auto`` (or ``MISTOK_COLOR``'s choice) when ``NO_COLOR`` is unset (or
    empty) and the stream is a terminal."""
    choice = _settings().get("color") or "auto"
    if choice == "auto":  # MISTOK_COLOR: a user's standing choice, over NO_COLOR
        choice = os.environ.get("MISTOK_COLOR", "").strip().lower() or "auto"
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def is_quiet() -> bool:
    """Whether ``--quiet`` was given."""
    return bool(_settings().get("quiet"))


def is_verbose() -> bool:
    """Whether ``--verbose`` was given (and not ``--quiet``)."""
    return bool(_settings().get("verbose")) and not is_quiet()


def make_console(stderr: bool = True):
    """A rich console that follows ``--color`` and ``NO_COLOR``: on stderr for progress and
    summaries (silent with ``--quiet``), on stdout for the output asked for."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    color = color_wanted(stream)
    choice = _settings().get("color") or "auto"
    if choice == "auto":
        choice = os.environ.get("MISTOK_COLOR", "").strip().lower() or "auto"
    return Console(
        stderr=stderr,
        no_color=not color,
        force_terminal=True if choice == "always" else None,
        quiet=stderr and is_quiet(),
        highlight=False,
    )


def echo_info(text: str) -> None:
    """A ``mistok: ...`` line on stderr, only with ``--verbose``."""
    if is_verbose():
        click.echo(f"mistok: {text}", err=True)


def echo_warning(text: str) -> None:
    """One ``mistok: warning: ...`` line on stderr (none with ``--quiet``)."""
    if not is_quiet():
        click.echo(f"mistok: warning: {text}", err=True)


def echo_warnings(caught: Iterable[warnings.WarningMessage]) -> None:
    """Print captured warnings as ``mistok: warning: ...`` lines, each once (none with
    ``--quiet``)."""
    if is_quiet():
        return
    seen: set[str] = set()
    for item in caught:
        text = str(item.message)
        if text not in seen:
            seen.add(text)
            click.echo(f"mistok: warning: {text}", err=True)


def is_stdin(path: Path | str | None) -> bool:
    """Whether a file argument is ``-`` (standard input)."""
    return path is not None and str(path) == STDIN


@contextmanager
def stdin_file(name: str = "stdin.txt") -> Iterator[Path]:
    """Standard input copied to a temporary file named ``name`` (removed afterwards), for
    readers that take a path."""
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="mistok-stdin-") as folder:
        copy = Path(folder) / name
        copy.write_bytes(data)
        yield copy


def read_article_arg(path: Path | str, lang: str | None = None) -> Article:
    """Read an article from a file, or from standard input when ``path`` is ``-`` (plain
    text: paragraphs separated by blank lines, optional front matter; id ``stdin``)."""
    from aligner.readers import read_article

    if not is_stdin(path):
        return read_article(path, lang=lang)
    with stdin_file() as copy:
        try:
            article = read_article(copy, lang=lang, article_id="stdin")
        except InputError as err:
            raise InputError(str(err).replace(str(copy), "- (standard input)")) from None
    return replace(article, source=None)


def echo_score_gate(
    score: object,
    thresholds: Mapping[str, float],
    subject: str,
    prefix: str = "",
    suffix: str = "",
) -> list[str]:
    """Compare a consistency score (:class:`eval.consistency_score.ConsistencyScore`) with the
    ``--min-score`` thresholds; say on stderr which cannot be applied (nothing to judge) and
    which are not met (``prefix`` + each line + ``suffix``); returns the failures."""
    from eval.consistency_score import failing_thresholds

    failures, unavailable = failing_thresholds(score, thresholds)  # type: ignore[arg-type]
    for name in unavailable:
        click.echo(
            f"mistok: warning: no {name} score for {subject} (nothing to judge); "
            f"--min-score {name} not applied",
            err=True,
        )
    for line in failures:
        click.echo(f"mistok: {prefix}{line}{suffix}", err=True)
    return failures
