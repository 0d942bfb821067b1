"""``mistok review``: a local web application where a person acts on a run folder."""

from __future__ import annotations

from pathlib import Path

import click

from aligner.errors import InputError


@click.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port to serve on (0: any free port).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to serve on; any other than this machine's loopback needs a token.",
)
@click.option(
    "--token",
    default=None,
    help="Access token for a non-loopback --host (default: one is generated and printed).",
)
@click.option(
    "--author",
    default=None,
    help="The reviewer's name recorded with each decision (default: the login "
    "name; each browser can set its own on the page).",
)
def review(out: Path, port: int, host: str, token: str | None, author: str | None) -> None:
    """Review the run folder OUT in a browser: dismiss findings, accept spellings, fix the
    alignment, edit and approve machine drafts.

    Decisions are kept in OUT/review/decisions.sqlite and exported on every change to
    OUT/review/baseline (dismissed findings), OUT/review/style.toml (accepted spellings,
    adopted house style), OUT/review/alignments.json (manual alignments) and the edited
    drafts in OUT/drafts/. The next `mistok run -o OUT` uses them, and so can CI.
    Needs 'mistok[review]' (Flask).

    \b
    Examples:
      mistok run seeds -o out && mistok review out
      mistok review out --host 0.0.0.0 --port 9000      # prints an access token
    """
    try:
        import flask  # noqa: F401
    except ImportError:
        raise InputError("mistok review needs Flask: pip install 'mistok[review]'") from None
    from mistok.review.server import open_review, serve

    opened = open_review(out)
    for warning in opened.warnings:
        click.echo(f"mistok: warning: {warning}", err=True)
    serve(opened.review, host, port, token, author)
