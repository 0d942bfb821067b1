"""``mistok translate``: a machine-translated draft of a whole article, marked as such."""

from __future__ import annotations

import datetime as dt
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import click

from aligner.document import Article
from aligner.errors import InputError
from aligner.language import detect_language
from aligner.readers import check_input_size
from mistok.console import echo_warnings, is_quiet, is_stdin, make_console, read_article_arg
from mistok.output_files import (
    check_writable,
    is_stdout,
    refuse_input_as_output,
    write_output,
)

if TYPE_CHECKING:
    from models.report import TranslationReport
    from models.translator import ParagraphTranslator

__all__ = [
    "translate",
    "translator_options",
    "load_cli_translator",
    "render_article",
    "refuse_input_as_output",
    "write_article",
    "progress_bar",
    "echo_issues",
    "default_output",
    "mt_metadata",
]


# ---------------------------------------------------------------------------------------------
# Writing articles


def _yaml_front_matter(fields: Mapping[str, object]) -> str:
    import yaml

    body = yaml.safe_dump(dict(fields), allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{body}---\n\n"


def _article_fields(article: Article, extra: Mapping[str, object]) -> dict[str, object]:
    fields: dict[str, object] = {"id": article.id, "lang": article.lang}
    if article.title:
        fields["title"] = article.title
    if article.date:
        fields["date"] = article.date
    if article.url:
        fields["url"] = article.url
    fields.update({k: v for k, v in article.meta.items() if k not in extra})
    fields.update(extra)
    return fields


def _html(article: Article, fields: Mapping[str, object]) -> str:
    html = ElementTree.Element("html", {"lang": article.lang})
    head = ElementTree.SubElement(html, "head")
    ElementTree.SubElement(head, "meta", {"charset": "utf-8"})
    if article.title:
        ElementTree.SubElement(head, "title").text = article.title
    for key, value in fields.items():
        if key not in ("title", "lang"):
            ElementTree.SubElement(head, "meta", {"name": f"mistok:{key}", "content": str(value)})
    body = ElementTree.SubElement(ElementTree.SubElement(html, "body"), "article")
    if article.title:
        ElementTree.SubElement(body, "h1").text = article.title
    for paragraph in article.paragraphs:
        ElementTree.SubElement(body, "p").text = paragraph
    return "<!DOCTYPE html>\n" + ElementTree.tostring(html, encoding="unicode", method="html")


def render_article(article: Article, suffix: str, extra: Mapping[str, object]) -> str:
    """The article as a file of type ``suffix`` (.txt, .md, .html): front matter then
    paragraphs separated by blank lines, or an HTML page with the fields as meta tags."""
    fields = _article_fields(article, extra)
    if suffix.lower() in (".html", ".htm"):
        return _html(article, fields)
    return _yaml_front_matter(fields) + "\n\n".join(article.paragraphs) + "\n"


def write_article(
    path: Path,
    article: Article,
    extra: Mapping[str, object],
    inputs: Sequence[Path],
    suffix: str | None = None,
) -> None:
    """Write ``article`` to ``path`` (:func:`mistok.output_files.write_output`: atomically,
    ``-`` for stdout, a device written through); refuse to overwrite any of ``inputs``.
    ``suffix`` (default: the path's) chooses the format."""
    text = render_article(article, suffix or path.suffix, extra)
    write_output(path, text.encode("utf-8"), inputs)


def mt_metadata(report: TranslationReport) -> dict[str, object]:
    """Front-matter fields that mark a machine draft and record what produced it."""
    settings = report.settings
    hub_id = settings.get("hub_id")
    return {
        "machine_translation": True,
        "mt_model": hub_id if hub_id not in (None, "-") else settings.get("model"),
        "mt_model_name": settings.get("model"),
        "mt_revision": settings.get("revision"),
        "mt_engine": settings.get("engine"),
        "mt_precision": settings.get("precision"),
        "mt_signature": report.signature(),
        "mt_date": dt.date.today(),
    }


# ---------------------------------------------------------------------------------------------
# Loading a translator and showing progress


def translator_options(command: Callable) -> Callable:
    """The model options shared by ``mistok translate`` and ``mistok fill``."""
    options = [
        click.option(
            "--model",
            "model",
            default="opus-mt",
            show_default=True,
            help="Registry name (opus-mt, nllb-600m, ...) or a local model folder.",
        ),
        click.option(
            "--engine",
            type=click.Choice(["transformers", "ct2"]),
            default="transformers",
            show_default=True,
            help="transformers (torch) or ct2 (a copy made by `mistok models convert`).",
        ),
        click.option(
            "--beam",
            "beam_size",
            type=click.IntRange(1, 16),
            default=4,
            show_default=True,
            help="Beam size (1 = greedy).",
        ),
        click.option(
            "--batch-size",
            type=click.IntRange(1, 512),
            default=8,
            show_default=True,
            help="Sentences per model call.",
        ),
        click.option(
            "--device",
            default="cpu",
            show_default=True,
            help="cpu, cuda, cuda:N, or auto (cuda when present).",
        ),
        click.option(
            "--threads",
            type=click.IntRange(1, 256),
            default=None,
            help="CPU threads for the model (default: the library's choice).",
        ),
        click.option(
            "--glossary",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help='House-style names, a TOML file of lines like  "Умєров" = "Umerov".',
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def load_cli_translator(options: Mapping[str, object], src: str, tgt: str) -> ParagraphTranslator:
    """A translator from the command-line options (see :func:`translator_options`)."""
    from models.glossary import Glossary
    from models.translator import load_translator

    if options.get("glossary"):  # the size limit of every reader
        check_input_size(options["glossary"])
    glossary = Glossary.from_toml(options["glossary"]) if options.get("glossary") else None
    return load_translator(
        options["model"],
        engine=options["engine"],
        src=src,
        tgt=tgt,
        beam_size=options["beam_size"],
        batch_size=options["batch_size"],
        device=options["device"],
        threads=options["threads"],
        glossary=glossary,
    )


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress callback drawing a bar on stderr, or ``None`` when stderr is not a TTY."""
    if not sys.stderr.isatty() or is_quiet():
        yield None
        return
    from rich.progress import Progress

    with Progress(console=make_console(), transient=True) as progress:
        task = progress.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update


def echo_issues(issues: Sequence[object]) -> None:
    """Each issue as a ``mistok: warning:`` line on stderr (none with ``--quiet``)."""
    if is_quiet():
        return
    for issue in issues:
        click.echo(f"mistok: warning: {issue}", err=True)


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
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        article = read_article_arg(file, lang=src)
    if detect_language(article.text) == tgt:
        raise InputError(f"{file}: the text is already in {tgt}; nothing to translate")
    echo_warnings(caught)
    out = output or default_output(file, article, tgt)
    glossary = options.get("glossary")
    inputs = [file] + ([Path(str(glossary))] if glossary else [])
    refuse_input_as_output(out, inputs)
    check_writable(out)  # before the model is loaded and the article translated
    translator = load_cli_translator(options, src, tgt)
    texts = ([article.title] if article.title else []) + list(article.paragraphs)
    with progress_bar(f"translating {file.name}") as progress:
        result = translator.translate_with_report(texts, src, tgt, progress=progress)
    translated = list(result.texts)
    title = translated.pop(0) if article.title else None
    offset = 1 if article.title else 0
    issues = [
        f"{file}: {'title' if i.paragraph < offset else f'paragraph {i.paragraph - offset}'}"
        f": {i.kind}: {i.message}"
        for i in result.report.issues
    ]
    empty = [i for i, text in enumerate(translated) if not text.strip()]
    if empty:
        raise InputError(
            f"{file}: the model returned nothing for paragraph(s) "
            f"{', '.join(map(str, empty))}; nothing written — try another model"
        )
    draft = Article(
        id=article.id,
        lang=tgt,
        paragraphs=tuple(translated),
        title=title or None,
        date=article.date,
        url=article.url,
        meta=article.meta,
    )
    extra = mt_metadata(result.report)
    extra["translated_from"] = file.name
    write_article(out, draft, extra, inputs, suffix=file.suffix if is_stdout(out) else None)
    echo_issues(issues)
    shown = "standard output" if is_stdout(out) else out
    click.echo(
        f"{shown}: {len(translated)} paragraphs, machine draft "
        f"({extra['mt_model']} via {extra['mt_engine']})",
        err=True,
    )
