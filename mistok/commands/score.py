"""``mistok score``: corpus BLEU, chrF and TER of a translation through sacrebleu, and the
document-level consistency score."""

from __future__ import annotations

import json
from pathlib import Path

import click

from aligner.errors import InputError
from aligner.readers import check_input_size
from eval.metrics import DOCUMENT_METRICS, METRICS, corpus_scores, parse_metrics, read_lines
from mistok.console import is_stdin, stdin_file

_FILE = click.Path(path_type=Path, dir_okay=False)


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
    type=_FILE,
    help="The translation to score, one segment per line ('-': standard input).",
)
@click.option(
    "--ref",
    "ref_path",
    type=_FILE,
    help="The reference translation, one segment per line, same line count (needed by "
    "bleu, chrf, ter; '-': standard input).",
)
@click.option(
    "--doc-ids",
    "doc_path",
    type=_FILE,
    help="The document id of each hypothesis line, one per line (needed by consistency).",
)
@click.option(
    "--src",
    "src_path",
    type=_FILE,
    help="The source segments, one per hypothesis line (optional, for consistency: names "
    "across the two languages and numbers).",
)
@click.option(
    "--metrics",
    default="bleu,chrf",
    show_default=True,
    help=f"Comma-separated metrics among {', '.join((*METRICS, *DOCUMENT_METRICS))}.",
)
@click.option(
    "--format",
    "fmt",
    envvar="MISTOK_SCORE_FORMAT",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: sacrebleu's line with its signature per metric; json: one object keyed by "
    'metric, each {"score": float, "signature": str} (consistency adds "components" and '
    '"documents": per-document scores).',
)
def score(
    hyp_path: Path,
    ref_path: Path | None,
    doc_path: Path | None,
    src_path: Path | None,
    metrics: str,
    fmt: str,
) -> None:
    """Score a translation against a reference with sacrebleu (corpus level), or its
    consistency over documents.

    The BLEU, chrF and TER scores and signatures are sacrebleu's own, so they match
    `sacrebleu REF -i HYP`. `consistency` scores how consistently each document (and the
    whole test set) spells its names and, with --src, keeps its numbers: 0-100 with a
    signature, plus one score per document in JSON.

    \b
    Examples:
      mistok score --hyp system.en.txt --ref reference.en.txt --metrics bleu,chrf,ter
      mistok score --hyp system.en.txt --ref reference.en.txt --format json
      mistok score --hyp system.en.txt --doc-ids docids.txt --src source.uk.txt \\
          --metrics consistency --format json
    """
    names = parse_metrics(metrics, (*METRICS, *DOCUMENT_METRICS))
    sentence_metrics = [n for n in names if n in METRICS]
    consistency = "consistency" in names
    _check_input_files([p for p in (hyp_path, ref_path, doc_path, src_path) if p is not None])
    hypotheses = _lines(hyp_path)
    # check every input before scoring anything: no partial output
    if sentence_metrics and ref_path is None:
        raise InputError(f"{', '.join(sentence_metrics)} need a reference: give --ref FILE")
    if consistency and doc_path is None:
        raise InputError(
            "consistency scores documents: give --doc-ids FILE with the document id of each "
            "hypothesis line"
        )
    references = _lines_beside(
        ref_path if sentence_metrics else None,
        hyp_path,
        hypotheses,
        "the hypothesis needs exactly one line per reference line",
    )
    doc_ids = _lines_beside(
        doc_path if consistency else None,
        hyp_path,
        hypotheses,
        "give one document id per hypothesis line",
    )
    sources = _lines_beside(
        src_path if consistency else None,
        hyp_path,
        hypotheses,
        "give one source line per hypothesis line",
    )
    results, lines = _scores(names, hypotheses, references, doc_ids, sources)
    if fmt == "json":
        click.echo(json.dumps(results, ensure_ascii=False))
    else:
        for line in lines:
            click.echo(line)


def _check_input_files(given: list[Path]) -> None:
    """At most one of the files is standard input; every other is within the size limit of
    every reader (checked first, before anything is read)."""
    if sum(is_stdin(p) for p in given) > 1:
        raise click.UsageError("standard input (-) can stand for one input file only")
    for path in given:
        if not is_stdin(path):
            check_input_size(path)


def _lines_beside(
    path: Path | None, hyp_path: Path, hypotheses: list[str], advice: str
) -> list[str] | None:
    """The lines of ``path`` (None when not needed), which must be one per hypothesis line:
    an :class:`InputError` ending in ``advice`` otherwise."""
    if path is None:
        return None
    lines = _lines(path)
    if len(lines) != len(hypotheses):
        raise InputError(
            f"{hyp_path} has {len(hypotheses)} lines but {path} has {len(lines)}; {advice}"
        )
    return lines


def _scores(
    names: list[str],
    hypotheses: list[str],
    references: list[str] | None,
    doc_ids: list[str] | None,
    sources: list[str] | None,
) -> tuple[dict[str, dict[str, object]], list[str]]:
    """Each metric's result (for JSON) and its line (for text), in the order asked."""
    results: dict[str, dict[str, object]] = {}
    lines: list[str] = []
    for name in names:
        if name == "consistency":
            from eval.consistency_metric import corpus_consistency

            assert doc_ids is not None
            result = corpus_consistency(hypotheses, doc_ids, sources)
            results[name] = result.to_dict()
            lines.append(result.text())
        else:
            assert references is not None
            sacre = corpus_scores(hypotheses, references, [name])[name]
            results[name] = sacre.to_dict()
            lines.append(sacre.text)
    return results, lines
