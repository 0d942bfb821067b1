"""What more than one command uses, so that no command imports another.

- reading the two versions of a pair from the command line (``align``, ``check``, ``fill``);
- the model options and loading a translator from them (``translate``, ``fill``);
- writing an article file, with the fields that mark a machine draft (``translate``,
  ``fill``);
- a progress bar and the translation issues as warning lines on stderr;
- which options of ``run``, ``align``, ``pair`` and ``check`` override a setting of the run
  configuration (:data:`CONFIG_OPTIONS`), applied the same way by the commands and by
  ``mistok config show COMMAND OPTIONS``.

Terminal habits every command has (``--color``, ``--quiet``, warnings as lines) are
:mod:`mistok.console`.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import click

from aligner.document import Article
from aligner.errors import InputError
from aligner.language import LANGUAGE_NAMES, detect_language
from aligner.readers import check_input_size
from mistok.console import is_quiet, is_stdin, make_console, read_article_arg
from mistok.output_files import write_output
from mistok.run_config import RunConfig

if TYPE_CHECKING:
    from models.report import TranslationReport
    from models.translator import ParagraphTranslator

__all__ = [
    "CONFIG_OPTIONS",
    "apply_config_options",
    "option_source",
    "read_pair",
    "translator_options",
    "load_cli_translator",
    "render_article",
    "write_article",
    "mt_metadata",
    "progress_bar",
    "echo_issues",
]


# ---------------------------------------------------------------------------------------------
# Reading a pair


def read_pair(uk_path: Path, en_path: Path) -> tuple[Article, Article]:
    """Read a Ukrainian and an English file, refusing two files of one language."""
    if is_stdin(uk_path) and is_stdin(en_path):
        raise click.UsageError("standard input (-) can stand for one of UK and EN, not both")
    uk = read_article_arg(uk_path, lang="uk")
    en = read_article_arg(en_path, lang="en")
    uk_detected, en_detected = detect_language(uk.text), detect_language(en.text)
    if uk_detected == en_detected and uk_detected != "unknown":
        raise InputError(
            f"{uk_path} and {en_path}: both files are in {LANGUAGE_NAMES[uk_detected]}; "
            "give the Ukrainian version first and the English version second"
        )
    if uk_detected == "en" and en_detected == "uk":
        raise InputError(f"{uk_path} is English and {en_path} is Ukrainian: swap the two arguments")
    return uk, en


# ---------------------------------------------------------------------------------------------
# Options over the run configuration

#: The commands that read the run configuration, and their options that set one of its
#: settings: option (parameter name) -> setting (as the file names it).
CONFIG_OPTIONS: dict[str, dict[str, str]] = {
    "run": {
        "model": "translate.model",
        "mt_engine": "translate.mt_engine",
        "style": "style.file",
        "tm_unit": "output.tm_unit",
        "baseline": "output.baseline",
    },
    "align": {"width": "align.width"},
    "pair": {},
    "check": {"style_path": "style.file"},
}


def config_option(tables: str) -> Callable:
    """The ``--config FILE`` option of a command that reads the run configuration;
    ``tables`` says which of its tables the command uses."""
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"Run configuration (TOML) {tables}; default: mistok.toml here, else "
        "[tool.mistok] in pyproject.toml. Options given here override it.",
    )


def option_source(ctx: click.Context, name: str) -> str | None:
    """Where the option ``name`` of the command of ``ctx`` came from: ``command line``,
    ``environment (MISTOK_RUN_MODEL)``, or None when it was left at its default."""
    source = ctx.get_parameter_source(name)
    if source == click.core.ParameterSource.COMMANDLINE:
        return "command line"
    if source == click.core.ParameterSource.ENVIRONMENT:
        param = next(p for p in ctx.command.params if p.name == name)
        envvar = param.envvar if isinstance(param.envvar, str) else None
        envvar = envvar or f"{ctx.auto_envvar_prefix}_{name.upper()}"
        return f"environment ({envvar})"
    return None


def apply_config_options(config: RunConfig, command: str, ctx: click.Context) -> RunConfig:
    """``config`` with the options of ``command`` (run, align, pair, check) that were given
    in ``ctx`` over the settings they name (:data:`CONFIG_OPTIONS`), each recorded with where
    it came from."""
    for option, setting in CONFIG_OPTIONS[command].items():
        source = option_source(ctx, option)
        if source is not None and ctx.params.get(option) is not None:
            config = config.with_option(setting, ctx.params[option], source)
    return config


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
