"""The ``mistok`` command line: one group, one module per command under ``mistok.commands``."""

from __future__ import annotations

import sys

import click

from aligner.errors import MistokError
from mistok import __version__
from mistok.commands import COMMANDS
from mistok.console import add_common_options


class _Group(click.Group):
    """Turns every :class:`MistokError` into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except MistokError as err:
            click.echo(f"mistok: error: {err}", err=True)
            sys.exit(2)


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "MISTOK"},
)
@click.version_option(__version__, prog_name="mistok")
def main() -> None:
    """Keep the Ukrainian and English versions of news articles in step.

    Every option can also come from the environment: MISTOK_<COMMAND>_<OPTION>, for example
    MISTOK_CHECK_FORMAT=json or MISTOK_CHECK_FAIL_ON=warning. Every command takes --color
    auto|always|never (NO_COLOR turns colour off), --quiet and --verbose; shell completion:
    eval "$(_MISTOK_COMPLETE=bash_source mistok)" (zsh_source, fish_source).

    \b
    Example:
      mistok align seeds/umerov-south-korea.uk.txt seeds/umerov-south-korea.en.txt
    """


for _command in COMMANDS:
    add_common_options(_command)  # --color, --quiet, --verbose
    main.add_command(_command)
