"""The ``mistok`` command line: one group, one module per command under ``mistok.commands``.

Exit codes, for every command: 0 done; 1 findings at or above ``--fail-on``; 2 a usage,
input or output error (one line on stderr); 130 interrupted (Ctrl-C); 141 the reader of
standard output went away (``mistok pair ... | head -1``), quietly, as a program killed by
SIGPIPE exits in a shell.
"""

from __future__ import annotations

import errno
import os
import sys

import click

from aligner.errors import MistokError
from mistok import __version__
from mistok.commands import COMMANDS
from mistok.console import add_common_options

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
#: 128 + SIGPIPE: what a shell reports for ``cat``/``grep`` whose reader went away.
EXIT_BROKEN_PIPE = 141

#: Errors without a file name that, in a command, come from writing standard output.
_STDOUT_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EIO, errno.EDQUOT}


def _stdout_closed() -> None:
    """Point stdout at /dev/null so that Python's last flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


class _Group(click.Group):
    """Turns every :class:`MistokError` and every unhandled :class:`OSError` (a full disk,
    a read-only filesystem, no permission) into one line on stderr and exit code 2, and
    Ctrl-C into exit code 130, and a closed standard output into a quiet exit code 141."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full or closed stdout fails here, not after exit
            return result
        except MistokError as err:
            click.echo(f"mistok: error: {err}", err=True)
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("mistok: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:  # `mistok pair ... | head`: the reader has gone
            _stdout_closed()  # Python's advice: no second error at exit, and no message
            sys.exit(EXIT_BROKEN_PIPE)
        except OSError as err:
            where = f"{err.filename}: " if err.filename else ""
            if err.filename is None and err.errno in _STDOUT_ERRNOS:
                where = "standard output: "  # the files of mistok's own name their path
            reason = err.strerror or errno.errorcode.get(err.errno or 0) or str(err)
            _stdout_closed()  # it may be what failed (a full disk behind a redirection)
            click.echo(f"mistok: error: {where}{reason}", err=True)
            sys.exit(EXIT_ERROR)


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
    Exit codes: 0 done, 1 findings at or above --fail-on, 2 usage, input or output error,
    130 interrupted, 141 standard output closed by its reader (as `| head`).

    \b
    Example:
      mistok align seeds/umerov-south-korea.uk.txt seeds/umerov-south-korea.en.txt
    """


for _command in COMMANDS:
    add_common_options(_command)  # --color, --quiet, --verbose
    main.add_command(_command)
