"""``mistok models pull|convert|list``: get translation models onto this machine."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import click

from mistok.output_files import OutputError, check_writable, describe_os_error

__all__ = ["models"]


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"  # pragma: no cover


def _or_output_error(make: Callable[[], Iterable[Path]]) -> list[Path]:
    """The paths ``make`` writes; an OSError (no permission, a full disk) as one line."""
    try:
        return list(make())
    except OSError as err:
        raise OutputError(describe_os_error(err, err.filename or "model folder")) from None


@click.group("models")
def models() -> None:
    """Download, convert and list translation models (Hugging Face cache + mistok cache).

    \b
    Example:
      mistok models pull opus-mt
      mistok models convert opus-mt --to ct2 --quantization int8
      mistok models list
    """


@models.command("pull")
@click.argument("name")
def pull(name: str) -> None:
    """Download every direction of a registered model into the Hugging Face cache.

    \b
    Example:
      mistok models pull opus-mt
    """
    from models.resolve import hf_cache_dir
    from models.resolve import pull as pull_model

    check_writable(hf_cache_dir(), folder=True)  # before the download
    for path in _or_output_error(lambda: pull_model(name)):
        click.echo(str(path))


@models.command("convert")
@click.argument("name")
@click.option(
    "--to",
    "target",
    type=click.Choice(["ct2"]),
    default="ct2",
    show_default=True,
    help="The format to convert to (CTranslate2).",
)
@click.option(
    "--quantization",
    default="int8",
    show_default=True,
    help="Weight type of the copy: int8, int8_float16, float16, float32, ...",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (required for a local model folder; registry models go to "
    "the mistok cache).",
)
@click.option("--force", is_flag=True, help="Convert again even when a copy exists.")
def convert(name: str, target: str, quantization: str, output: Path | None, force: bool) -> None:
    """Make a CTranslate2 copy of a model from the local cache or a local folder.

    \b
    Example:
      mistok models convert opus-mt --to ct2 --quantization int8
      mistok models convert ./my-marian --to ct2 -o ./my-marian-ct2
    """
    from models.convert import convert_to_ct2
    from models.resolve import mistok_cache_dir

    check_writable(output if output is not None else mistok_cache_dir(), folder=True)
    for path in _or_output_error(
        lambda: convert_to_ct2(name, quantization=quantization, out=output, force=force)
    ):
        click.echo(str(path))


@models.command("list")
def list_models() -> None:
    """Show the registered models available on this machine, with their size on disk.

    \b
    Example:
      mistok models list
    """
    from models.convert import list_local_models
    from models.registry import REGISTRY
    from models.resolve import hf_cache_dir, mistok_cache_dir

    found = list_local_models()
    for model in found:
        click.echo(
            f"{model.name}\t{model.kind}\t{model.revision}\t{_size(model.size_bytes)}\t{model.path}"
        )
    if not found:
        click.echo(
            f"no models in {hf_cache_dir()} or {mistok_cache_dir() / 'ct2'}; "
            f"known names: {', '.join(REGISTRY)} (fetch with `mistok models pull NAME`)",
            err=True,
        )
