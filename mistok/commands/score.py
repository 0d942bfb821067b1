"""``mistok score``: corpus BLEU, chrF and TER of a translation through sacrebleu."""

from __future__ import annotations

import json
from pathlib import Path

import click

from aligner.errors import InputError
from eval.metrics import METRICS, corpus_scores, parse_metrics, read_lines
from mistok.console import is_stdin, stdin_file


def _lines(path: Path) -> list[str]:
    """The segments of a file, or of standard input for ``-``."""
    if not is_stdin(path):
        return read_lines(path)
    with stdin_file() as copy:
        try:
            return read_lines(copy)
        except InputError as err:
            raise InputError(str(err).replace(str(copy), "- (standard input)")) from None


@click.command("score")
@click.option(
    "--hyp",
    "hyp_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The translation to score, one segment per line ('-': standard input).",
)
@click.option(
    "--ref",
    "ref_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The reference translation, one segment per line, same line count ('-': "
    "standard input).",
)
@click.option(
    "--metrics",
    default="bleu,chrf",
    show_default=True,
    help=f"Comma-separated metrics among {', '.join(METRICS)}.",
)
@click.option(
    "--format",
    "fmt",
    envvar="MISTOK_SCORE_FORMAT",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: sacrebleu's line with its signature per metric; json: one object keyed by "
    'metric, each {"score": float, "signature": str}.',
)
def score(hyp_path: Path, ref_path: Path, metrics: str, fmt: str) -> None:
    """Score a translation against a reference with sacrebleu (corpus level).

    The scores and signatures are sacrebleu's own, so they match `sacrebleu REF -i HYP`.

    \b
    Example:
      mistok score --hyp system.en.txt --ref reference.en.txt --metrics bleu,chrf,ter
      mistok score --hyp system.en.txt --ref reference.en.txt --format json
    """
    names = parse_metrics(metrics)
    if is_stdin(hyp_path) and is_stdin(ref_path):
        raise click.UsageError("standard input (-) can stand for one of --hyp and --ref")
    hypotheses = _lines(hyp_path)
    references = _lines(ref_path)
    if len(hypotheses) != len(references):
        raise InputError(
            f"{hyp_path} has {len(hypotheses)} lines but {ref_path} has {len(references)}; "
            "the hypothesis needs exactly one line per reference line"
        )
    results = corpus_scores(hypotheses, references, names)
    if fmt == "json":
        click.echo(json.dumps({name: r.to_dict() for name, r in results.items()}))
    else:
        for result in results.values():
            click.echo(result.text)
