"""``mistok translate``: a machine-translated draft of a whole article, marked as such."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from aligner.document import Article
from aligner.errors import InputError
from aligner.language import detect_language
from mistok.commands.shared import (
    echo_issues,
    load_cli_translator,
    mt_metadata,
    progress_bar,
    translator_options,
    write_article,
)
from mistok.console import echo_warnings, is_stdin, read_article_arg
from mistok.output_files import check_writable, is_stdout, refuse_input_as_output

if TYPE_CHECKING:
    from models.report import TranslationResult

__all__ = ["translate", "default_output"]


# ---------------------------------------------------------------------------------------------
# The command


def default_output(path: Path, article: Article, tgt: str) -> Path:
    """``<id>.<tgt>.mt<suffix>`` beside the input."""
    return path.with_name(f"{article.id}.{tgt}.mt{path.suffix}")


@click.command("translate")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--to", "tgt", type=click.Choice(["en", "uk"]), required=True, help="Target language."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    default=None,
    help="Output file (default: <id>.<to>.mt<suffix> beside FILE; '-': stdout).",
)
@translator_options
def translate(file: Path, tgt: str, output: Path | None, **options: object) -> None:
    """Write a machine-translated draft of an article, marked as such.

    The output has the input's format and front matter, translated title and paragraphs,
    and fields that mark it as a draft: machine_translation: true, the model, its revision
    and the engine. Nothing is written when anything fails.

    \b
    Example:
      mistok translate seeds/umerov-south-korea.uk.txt --to en -o draft.en.txt
      mistok translate article.en.md --to uk --engine ct2 --glossary style.toml
    """
    src = "uk" if tgt == "en" else "en"
    if is_stdin(file) and output is None:
        raise click.UsageError("reading standard input (-): give the output file with -o")
    article = _read_source(file, src, tgt)
    out = output or default_output(file, article, tgt)
    inputs = [file] + _glossary_paths(options)
    refuse_input_as_output(out, inputs)
    check_writable(out)  # before the model is loaded and the article translated
    translator = load_cli_translator(options, src, tgt)
    texts = ([article.title] if article.title else []) + list(article.paragraphs)
    with progress_bar(f"translating {file.name}") as progress:
        result = translator.translate_with_report(texts, src, tgt, progress=progress)
    draft = _draft_article(article, tgt, result, file)
    extra = mt_metadata(result.report)
    extra["translated_from"] = file.name
    write_article(out, draft, extra, inputs, suffix=file.suffix if is_stdout(out) else None)
    echo_issues(_issue_lines(result, file, has_title=bool(article.title)))
    shown = "standard output" if is_stdout(out) else out
    click.echo(
        f"{shown}: {len(draft.paragraphs)} paragraphs, machine draft "
        f"({extra['mt_model']} via {extra['mt_engine']})",
        err=True,
    )


def _glossary_paths(options: Mapping[str, object]) -> list[Path]:
    """The ``--glossary`` file as an input never to write over (none when not given)."""
    glossary = options.get("glossary")
    return [Path(str(glossary))] if glossary else []


def _read_source(file: Path, src: str, tgt: str) -> Article:
    """The article to translate, refused when its text is already in ``tgt``; its reading
    warnings as lines on stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        article = read_article_arg(file, lang=src)
    if detect_language(article.text) == tgt:
        raise InputError(f"{file}: the text is already in {tgt}; nothing to translate")
    echo_warnings(caught)
    return article


def _issue_lines(result: TranslationResult, file: Path, has_title: bool) -> list[str]:
    """The model's issues, each naming the title or the paragraph of ``file``."""
    offset = 1 if has_title else 0
    return [
        f"{file}: {'title' if i.paragraph < offset else f'paragraph {i.paragraph - offset}'}"
        f": {i.kind}: {i.message}"
        for i in result.report.issues
    ]


def _draft_article(article: Article, tgt: str, result: TranslationResult, file: Path) -> Article:
    """The translated title and paragraphs as an article in ``tgt``; refused (nothing
    written) when the model returned nothing for a paragraph."""
    translated = list(result.texts)
    title = translated.pop(0) if article.title else None
    empty = [i for i, text in enumerate(translated) if not text.strip()]
    if empty:
        raise InputError(
            f"{file}: the model returned nothing for paragraph(s) "
            f"{', '.join(map(str, empty))}; nothing written — try another model"
        )
    return Article(
        id=article.id,
        lang=tgt,
        paragraphs=tuple(translated),
        title=title or None,
        date=article.date,
        url=article.url,
        meta=article.meta,
    )
