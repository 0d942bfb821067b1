"""``mistok config show``: the effective run configuration and where each setting came from.

``mistok config show run --tm-unit paragraph`` (or ``align``, ``pair``, ``check`` with their
options) shows the settings that command would use: the options that override a setting of
the file are marked ``command line`` (or ``environment (MISTOK_...)``), and the other options
given are listed after them.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import click

from mistok.commands.shared import CONFIG_OPTIONS, apply_config_options, option_source
from mistok.run_config import RunConfig, load_run_config


@click.group("config")
def config() -> None:
    """The run configuration: mistok.toml, [tool.mistok] in pyproject.toml, or --config FILE.

    \b
    Example:
      mistok config show
      mistok config show --config newsroom.toml
      mistok config show run --tm-unit paragraph --fail-on error
    """


@config.command(
    "show",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The config file (default: mistok.toml here, else [tool.mistok] in pyproject.toml).",
)
@click.argument("command_line", nargs=-1, type=click.UNPROCESSED, metavar="[COMMAND OPTIONS...]")
def show(config_path: Path | None, command_line: tuple[str, ...]) -> None:
    """Print every effective setting, one per line: NAME = VALUE  # where it came from
    (FILE:LINE, default, command line, or environment (MISTOK_...)).

    With COMMAND (run, align, pair or check) and its options, show what that command would
    use: its options over the file's settings, then the other options given.

    \b
    Example:
      mistok config show --config newsroom.toml
      mistok config show run --mt-engine ct2 --fail-on error
      mistok config show align --width 4
    """
    if not command_line:
        _print_settings(load_run_config(config_path))
        return
    name, *args = command_line
    if name not in CONFIG_OPTIONS:
        raise click.UsageError(
            f"{name}: not a command that reads the run configuration; give one of "
            f"{', '.join(CONFIG_OPTIONS)}"
        )
    ctx = _parse_options(name, args)
    given_config = ctx.params.get("config_path")
    if given_config is not None and config_path is not None:
        raise click.UsageError("give --config once, before COMMAND or among its options")
    settings = apply_config_options(load_run_config(given_config or config_path), name, ctx)
    if name == "run" and ctx.params.get("engine") in ("transformers", "ct2"):
        settings = settings.with_option(  # the old spelling of --mt-engine
            "translate.mt_engine", ctx.params["engine"], option_source(ctx, "engine") or ""
        )
    _print_settings(settings)
    _print_other_options(name, ctx)


def _print_settings(settings: RunConfig) -> None:
    where = str(settings.path) if settings.path else "none (every setting is a default)"
    click.echo(f"# config file: {where}")
    for name, value, source in settings.describe():
        click.echo(f"{name} = {value}  # {source}")


def _parse_options(name: str, args: list[str]) -> click.Context:
    """The options ``args`` parsed as the command ``name`` parses them (its environment
    variables too), its arguments and required options made optional: a usage error (exit
    2) for an unknown option or a bad value, as the command itself gives."""
    root = click.get_current_context().find_root()
    command = root.command.get_command(root, name)  # type: ignore[attr-defined]
    lenient = copy.copy(command)
    lenient.params = [copy.copy(param) for param in command.params]
    for param in lenient.params:
        param.required = False
    return lenient.make_context(
        f"mistok config show {name}", list(args), auto_envvar_prefix=f"MISTOK_{name.upper()}"
    )


def _print_other_options(name: str, ctx: click.Context) -> None:
    """The options given that are not settings of the configuration, as ``--OPTION = VALUE
    # where it came from``."""
    settings = set(CONFIG_OPTIONS[name]) | {"config_path"}
    rows = []
    for param in ctx.command.params:
        if not isinstance(param, click.Option) or not param.expose_value:
            continue
        source = option_source(ctx, param.name or "")
        if param.name in settings or source is None:
            continue
        value = ctx.params.get(param.name or "")
        shown = json.dumps(list(value) if isinstance(value, tuple) else value, default=str)
        rows.append(f"{max(param.opts, key=len)} = {shown}  # {source}")
    if rows:
        click.echo(f"# options of mistok {name} that the configuration does not hold:")
        for row in rows:
            click.echo(row)
