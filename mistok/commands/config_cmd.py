"""``mistok config show``: the effective run configuration and where each setting came from."""

from __future__ import annotations

from pathlib import Path

import click

from mistok.run_config import load_run_config


@click.group("config")
def config() -> None:
    """The run configuration: mistok.toml, [tool.mistok] in pyproject.toml, or --config FILE.

    \b
    Example:
      mistok config show
      mistok config show --config newsroom.toml
    """


@config.command("show")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The config file (default: mistok.toml here, else [tool.mistok] in pyproject.toml).",
)
def show(config_path: Path | None) -> None:
    """Print every effective setting, one per line: NAME = VALUE  # where it came from
    (FILE:LINE, or default).

    \b
    Example:
      mistok config show --config newsroom.toml
    """
    settings = load_run_config(config_path)
    where = str(settings.path) if settings.path else "none (every setting is a default)"
    click.echo(f"# config file: {where}")
    for name, value, source in settings.describe():
        click.echo(f"{name} = {value}  # {source}")
