"""``mistok run``: pair, align, translate what is missing, check, and write everything."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

import click

from aligner.errors import InputError, MistokError
from mistok.local_engine import RunSettings, RunSummary, run_pipeline

T = TypeVar("T")


@click.command("run")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="Output folder (created; rerunning on it redoes only what changed).",
)
@click.option("--model", default=None, help="Translation model name or folder (default: opus-mt).")
@click.option(
    "--engine",
    type=click.Choice(["transformers", "ct2"]),
    default="transformers",
    show_default=True,
    help="Translation engine.",
)
@click.option(
    "--style",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Newsroom style file (TOML) with preferred spellings.",
)
@click.option(
    "--bridge",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of <uk stem>.txt: English machine translation of each Ukrainian article.",
)
def run(
    inputs: tuple[Path, ...],
    out: Path,
    model: str | None,
    engine: str,
    style: Path | None,
    bridge: Path | None,
) -> None:
    """Pair, align, translate what is missing, check, and write reports and bitext.

    INPUTS is one folder holding both languages (NAME.uk.txt beside NAME.en.txt, or the
    language told from the text), or UK_DIR and EN_DIR. OUT receives pairs.tsv,
    alignments/, drafts/, report.json, report.html (linking a review page per pair),
    junit.xml, bitext.tmx, bitext.jsonl and dataset/ (HF datasets + Parquet).

    \b
    Examples:
      mistok run seeds -o out
      mistok run archive/uk archive/en -o out --bridge archive/uk-mt
    """
    if len(inputs) > 2:
        raise InputError(f"got {len(inputs)} inputs; give one folder, or UK_DIR and EN_DIR")
    from rich.console import Console

    console = Console(stderr=True)
    settings = RunSettings(tuple(inputs), out, model, engine, style, bridge)
    try:
        summary = _run_with_progress(settings, console)
    except OSError as err:  # e.g. the disk filled up while the cache was written
        raise MistokError(
            f"output {out}: {err.strerror or err} ({err.filename}); a rerun resumes"
        ) from None
    print_summary(summary, console)


def _run_with_progress(settings: RunSettings, console) -> RunSummary:
    if console.is_terminal:
        from rich.progress import Progress

        with Progress(console=console, transient=True) as progress:

            def track(items: Iterable[T], description: str, total: int) -> Iterable[T]:
                return progress.track(items, total=total, description=description)

            return run_pipeline(settings, track=track)
    return run_pipeline(settings)


def print_summary(summary: RunSummary, console) -> None:
    """Counts, timings and every problem met, for a person reading the terminal."""
    from rich.markup import escape
    from rich.table import Table

    c = summary.counts
    table = Table(title=f"mistok run → {summary.out}", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(justify="right")
    rows = [
        ("articles", f"{c['uk_articles']} uk, {c['en_articles']} en"),
        ("pairs", str(c["pairs"])),
        ("no counterpart", f"{c['unpaired_uk']} uk, {c['unpaired_en']} en"),
        ("aligned segments", str(c["bitext_rows"])),
        ("one-sided paragraphs", str(c["one_sided_paragraphs"])),
        (
            "findings",
            f"{c['findings_error']} errors, {c['findings_warning']} warnings, "
            f"{c['findings_note']} notes",
        ),
        ("machine drafts", str(c["drafts"])),
        ("needs translation", str(c["needs_translation"])),
        ("files not read", str(c["skipped_files"])),
        ("reused from an earlier run", ", ".join(f"{k} {v}" for k, v in summary.reused.items())),
        ("seconds", ", ".join(f"{k} {v:.2f}" for k, v in summary.timings.items())),
    ]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    for _path, reason in summary.skipped:
        console.print(f"[yellow]skipped[/] {escape(reason)}", highlight=False)
    for note in summary.notes:
        console.print(f"[yellow]note[/] {escape(note)}", highlight=False)
    if summary.model_message:
        console.print(
            f"[yellow]needs translation[/] {escape(summary.model_message)}", highlight=False
        )
    console.print(f"open {summary.out / 'report.html'}", highlight=False)
