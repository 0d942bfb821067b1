"""``mistok export``: a run folder's results in the formats translators and QA tools open."""

from __future__ import annotations

from pathlib import Path

import click

from aligner.errors import InputError

_RUN = click.Path(path_type=Path, file_okay=False, exists=True)


@click.group("export")
def export() -> None:
    """Export a run folder (the -o of mistok run) for translators and QA tools.

    \b
    Examples:
      mistok export xliff out                       # out/xliff/*.xlf again
      mistok export xliff out -o to-translate       # elsewhere
      mistok export findings out --format xlsx -o findings.xlsx --template house.xlsx
      mistok export findings out --format csv > findings.csv
    """


@export.command("xliff")
@click.argument("run_folder", type=_RUN)
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, dir_okay=True, file_okay=False),
    help="Folder for the .xlf files (default: RUN_FOLDER/xliff); replaced as a whole.",
)
def export_xliff(run_folder: Path, out: Path | None) -> None:
    """XLIFF 2.0 per article and direction: the paragraphs that need a translation, the
    machine drafts as targets (state initial, unreviewed) and the findings as notes.

    The source texts of paragraphs no model drafted are read again from the run's inputs,
    which must not have changed since the run.
    """
    from mistok import __version__
    from mistok.export.xliff import translation_jobs, xliff_bytes
    from mistok.output_dir import atomic_write_folder
    from mistok.run_folder import read_run_folder

    folder = read_run_folder(run_folder)
    jobs = translation_jobs(folder.pending, folder.drafts, folder.findings)
    files = {Path(job.file_name).name: xliff_bytes(job, __version__) for job in jobs}
    target = out if out is not None else run_folder / "xliff"
    if target.is_dir():
        foreign = sorted(p.name for p in target.iterdir() if p.suffix != ".xlf")
        if foreign:
            raise InputError(
                f"{target}: holds files that are not XLIFF ({foreign[0]}, ...); "
                "give a new or an XLIFF-only folder"
            )

    def build(tmp: Path) -> None:
        for name, data in files.items():
            (tmp / name).write_bytes(data)

    try:
        atomic_write_folder(target, build)
    except OSError as err:
        raise InputError(f"{target}: cannot write the XLIFF files: {err.strerror or err}") from None
    click.echo(f"{len(files)} XLIFF file{'s' if len(files) != 1 else ''} in {target}", err=True)


@export.command("findings")
@click.argument("run_folder", type=_RUN)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    default="csv",
    show_default=True,
    help="Spreadsheet format.",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="File to write."
)
@click.option(
    "--template",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="With xlsx: a workbook whose layout to keep; the rows go into its 'findings' sheet.",
)
def export_findings(run_folder: Path, fmt: str, output: Path | None, template: Path | None) -> None:
    """Every pair's findings, one row per finding (CSV to stdout without -o)."""
    from mistok.export.findings import csv_text, finding_rows, xlsx_bytes
    from mistok.output_dir import atomic_write_bytes
    from mistok.run_folder import read_findings

    if template is not None and fmt != "xlsx":
        raise click.UsageError("--template needs --format xlsx")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs -o FILE (a workbook is not text)")
    findings = read_findings(run_folder)
    rows = finding_rows((pair, f) for pair, items in findings.items() for f in items)
    data = csv_text(rows).encode("utf-8") if fmt == "csv" else xlsx_bytes(rows, template)
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    try:
        atomic_write_bytes(output, data)
    except OSError as err:
        raise InputError(f"{output}: cannot write the findings: {err.strerror or err}") from None
