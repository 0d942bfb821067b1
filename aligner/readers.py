"""Read articles from plain text, Markdown, HTML and JSON Lines files.

Every refusal is an :class:`~aligner.errors.InputError` whose message is one line naming the
file and the problem. Files are only ever opened for reading.

Text files: paragraphs are separated by one or more blank lines and the lines inside one
paragraph are joined by a space. An optional YAML front matter block (``---`` ... ``---``) at
the top gives ``title``, ``date``, ``url``, ``lang`` and ``id``; any other key goes into
``Article.meta``. HTML: the main text is extracted with trafilatura and each of its blocks
(paragraph, heading, list item, table row) becomes a paragraph. A JSON Lines line, a Parquet
row and a Hugging Face dataset record share one schema: :func:`article_from_record`.

Size limit: a file over 50 MiB (:data:`DEFAULT_MAX_BYTES`; a JSON Lines archive counts as one
file) is refused before it is read, and no more than the limit is ever read from a pipe or
device. The environment variable ``MISTOK_MAX_INPUT_BYTES`` (a number of bytes) sets another
limit for every reader, the ``max_bytes`` argument for one call.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from aligner.document import LANGUAGES, Article
from aligner.errors import ConfigError, InputError, first_line
from aligner.language import check_declared_language, detect_language

__all__ = [
    "ARTICLE_SUFFIXES",
    "DEFAULT_MAX_BYTES",
    "MAX_BYTES_VARIABLE",
    "article_from_record",
    "check_input_size",
    "read_article",
    "read_articles",
    "iter_articles_lenient",
    "read_articles_lenient",
    "read_jsonl",
    "read_text",
    "split_paragraphs",
]

#: The largest input file read when neither ``max_bytes`` nor the environment says otherwise.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: The environment variable that overrides :data:`DEFAULT_MAX_BYTES` (a number of bytes).
MAX_BYTES_VARIABLE = "MISTOK_MAX_INPUT_BYTES"
TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
ARTICLE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES

# Spellings of a language seen in front matter, file names and HTML lang attributes.
LANGUAGE_ALIASES = {"uk": "uk", "ua": "uk", "ukr": "uk", "en": "en", "eng": "en"}

# Share of control characters (other than tab, newline, carriage return, form feed) above
# which a file counts as binary.
MAX_CONTROL_SHARE = 0.05

_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\v") + b"\x7f"
_BLANK_LINES = re.compile(r"\n[ \t\f\v\u00a0]*\n\s*")
_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}[ \t]+(.*?)[ \t#]*$")

# Non-ASCII characters that real cp1251 Ukrainian or Russian text uses besides Cyrillic
# letters: typographic quotes and dashes, the no-break space, the numero sign, the ellipsis.
_CP1251_PUNCTUATION = "«»„“”‘’‚–—…№\u00a0°·§©®™•€"
_NOT_CP1251_TEXT = re.compile(rf"[^\x00-\x7f\u0400-\u04ff{_CP1251_PUNCTUATION}]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CYRILLIC_WORD = re.compile(r"\b(?=\w*[\u0400-\u04ff])\w+")
_MIXED_WORD = re.compile(r"\b(?=\w*[\u0400-\u04ff])(?=\w*[A-Za-z])\w+")


# ---------------------------------------------------------------------------------------------
# Decoding


def _input_limit(max_bytes: int | None = None) -> int:
    """``max_bytes`` when given, else ``MISTOK_MAX_INPUT_BYTES`` when set, else 50 MiB.

    A variable that is not a positive whole number of bytes is a :class:`ConfigError`.
    """
    if max_bytes is not None:
        return max_bytes
    raw = os.environ.get(MAX_BYTES_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        limit = int(raw.replace("_", ""))
    except ValueError:
        limit = 0
    if limit <= 0:
        raise ConfigError(
            f"{MAX_BYTES_VARIABLE}={raw!r} is not a positive number of bytes; "
            f"e.g. {MAX_BYTES_VARIABLE}={2 * DEFAULT_MAX_BYTES}"
        )
    return limit


def _too_big(path: Path, size: int | None, limit: int) -> InputError:
    """The refusal of a file over ``limit`` bytes (``size`` None: a pipe, a device)."""
    what = f"{size:,} bytes is over" if size is not None else "over"
    mib = f" ({limit / 2**20:.4g} MiB)" if limit >= 2**20 else ""
    return InputError(
        f"{path}: {what} the limit of {limit:,} bytes{mib} for one input file; "
        f"split it, or set {MAX_BYTES_VARIABLE} to a larger number of bytes"
    )


def check_input_size(path: str | Path, max_bytes: int | None = None) -> None:
    """Refuse, with the :class:`InputError` :func:`read_text` gives, a file over the size
    limit (``max_bytes``, else ``MISTOK_MAX_INPUT_BYTES``, else 50 MiB) before a reader of its
    own reads it. A missing file, a pipe or a device passes: the reader says what is wrong."""
    path = Path(path)
    limit = _input_limit(max_bytes)
    try:
        size = path.stat().st_size if path.is_file() else None
    except OSError:
        return
    if size is not None and size > limit:
        raise _too_big(path, size, limit)


def read_text(path: str | Path, max_bytes: int | None = None) -> str:
    """Return the text of ``path`` with newlines normalised to ``\\n``.

    UTF-8 (with or without a byte order mark) is read as such; UTF-16 with a byte order mark
    too; otherwise the bytes are decoded as cp1251 when that yields clean Cyrillic text.
    Refuses, with an :class:`InputError`, a missing file, a directory, an empty or
    whitespace-only file, a file over the size limit (``max_bytes``, else
    ``MISTOK_MAX_INPUT_BYTES``, else 50 MiB; checked before reading, and no more than the
    limit is ever read), binary data and any other encoding.
    """
    path = Path(path)
    limit = _input_limit(max_bytes)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a file")
    try:
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > limit:
                raise _too_big(path, size, limit)
            data = file.read(limit + 1)  # a pipe or a device has no size to check first
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from error
    if len(data) > limit:
        raise _too_big(path, None, limit)
    if not data.strip():
        raise InputError(f"{path}: is empty" + (" (whitespace only)" if data else ""))
    text = _decode(data, path)
    if not text.strip():
        raise InputError(f"{path}: is empty (whitespace only)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: Bytes read at a time by :func:`read_text_lines`.
_BLOCK_BYTES = 1 << 20
_UTF8_BOM = b"\xef\xbb\xbf"


def read_text_lines(path: str | Path, max_bytes: int | None = None) -> Iterator[str]:
    """The lines of :func:`read_text` (``read_text(path).split("\\n")``): the same lines and
    the same refusals, but a UTF-8 file (the usual JSON Lines file) is read one line at a
    time instead of whole, so that a large file's text is never in memory at once. The file
    is checked first, in blocks (size, binary data, encoding, emptiness), so that a refusal
    comes before any line; a file this check does not find plain UTF-8 is read whole by
    :func:`read_text`, which decides."""
    path = Path(path)
    if not _plain_utf8(path, _input_limit(max_bytes)):
        return _lines(read_text(path, max_bytes=max_bytes))
    return _utf8_lines(path)


def _plain_utf8(path: Path, limit: int) -> bool:
    """Whether ``path`` is a regular file within ``limit`` that :func:`read_text` reads as
    UTF-8 without complaint: no UTF-16 mark, no NUL, few control bytes, valid UTF-8, and not
    only whitespace."""
    try:
        if not path.is_file() or path.stat().st_size > limit:
            return False
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        control = size = 0
        printable = False
        with path.open("rb") as file:
            while block := file.read(_BLOCK_BYTES):
                if size == 0 and block.startswith((b"\xff\xfe", b"\xfe\xff")):
                    return False
                if b"\x00" in block:
                    return False
                size += len(block)
                control += len(block) - len(block.translate(None, _CONTROL_BYTES))
                text = decoder.decode(block)
                printable = printable or (bool(text) and not text.isspace())
            decoder.decode(b"", final=True)
    except (OSError, UnicodeDecodeError):
        return False
    return printable and size > 0 and control <= MAX_CONTROL_SHARE * size


def _utf8_lines(path: Path) -> Iterator[str]:
    """The lines of a file :func:`_plain_utf8` accepted, with read_text's newlines (``\\r\\n``
    and a lone ``\\r`` end a line too)."""
    with path.open("rb") as file:
        for number, raw in enumerate(file):
            if number == 0 and raw.startswith(_UTF8_BOM):
                raw = raw[len(_UTF8_BOM) :]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise InputError(f"{path}: changed while it was read ({error.reason})") from error
            ended = line.endswith("\n")
            if ended:
                line = line[:-1]
                if line.endswith("\r"):
                    line = line[:-1]
            yield from line.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            if not ended:
                return
        yield ""  # what follows the last newline


def _decode(data: bytes, path: Path) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InputError(f"{path}: broken UTF-16 ({error.reason})") from error
    if b"\x00" in data:
        raise InputError(f"{path}: contains NUL bytes; this looks like a binary file, not text")
    control = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if control > MAX_CONTROL_SHARE * len(data):
        raise InputError(
            f"{path}: {control} of {len(data)} bytes are control characters; "
            "this looks like a binary file, not text"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        utf8_problem = f"invalid byte 0x{data[error.start]:02x} at offset {error.start}"
    text = _decode_cp1251(data)
    if text is None:
        raise InputError(
            f"{path}: not UTF-8 ({utf8_problem}) and not cp1251 Cyrillic text either; "
            "re-save it as UTF-8"
        )
    return text


def _decode_cp1251(data: bytes) -> str | None:
    """The cp1251 reading of ``data`` when it looks like real Cyrillic text, else None.

    Nearly any byte string decodes as cp1251, so decoding is not enough: every non-ASCII
    character must be a Cyrillic letter or usual punctuation, and Cyrillic letters must not sit
    inside Latin words (what Latin-1 text read as cp1251 looks like).
    """
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        return None
    if _NOT_CP1251_TEXT.search(text) or not _CYRILLIC.search(text):
        return None
    cyrillic_words = len(_CYRILLIC_WORD.findall(text))
    mixed_words = len(_MIXED_WORD.findall(text))
    if mixed_words > 0.1 * cyrillic_words:
        return None
    return text


# ---------------------------------------------------------------------------------------------
# Paragraphs and metadata


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _paragraph(lines: Iterable[str]) -> str:
    """One paragraph from its lines: stripped, joined by a space, inner runs of spaces kept."""
    return " ".join(line.strip() for line in lines if line.strip())


def split_paragraphs(text: str, markdown: bool = False) -> list[str]:
    """Paragraphs of ``text``: blocks separated by blank lines, lines joined by a space.

    With ``markdown``, an ATX heading (``## Title``) is a paragraph of its own even without a
    blank line around it, and its ``#`` marks are dropped.
    """
    paragraphs: list[str] = []
    for block in _BLANK_LINES.split(_normalise(text)):
        lines: list[str] = []
        for line in block.split("\n"):
            heading = _MARKDOWN_HEADING.match(line.strip()) if markdown else None
            if heading:
                paragraphs.append(_paragraph(lines))
                paragraphs.append(_paragraph([heading.group(1)]))
                lines = []
            else:
                lines.append(line)
        paragraphs.append(_paragraph(lines))
    return [p for p in paragraphs if p]


def _split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """The front matter mapping (empty when there is none) and the body after it."""
    if not text.startswith("---\n"):
        return {}, text
    end = _FRONT_MATTER_END.search(text, 4)
    if end is None:
        raise InputError(
            f"{path}: front matter opened with '---' on line 1 is never closed; "
            "add a '---' line after it"
        )
    block = text[4 : end.start()]
    body = text[end.end() :]
    import yaml  # light, but only needed here

    try:
        data = yaml.safe_load(block)
    except ValueError as error:  # a date-like value that is no date, e.g. 2024-13-45
        raise InputError(f"{path}: malformed front matter: {error}") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 2}" if mark is not None else ""
        problem = getattr(error, "problem", None) or type(error).__name__
        raise InputError(f"{path}: malformed front matter at{where}: {problem}") from error
    if data is None:
        return {}, body
    if not isinstance(data, dict):
        raise InputError(
            f"{path}: front matter must be 'key: value' lines, got a {type(data).__name__}"
        )
    return {str(key): value for key, value in data.items()}, body


def _parse_date(value: Any, where: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _ISO_DATE.match(str(value).strip())
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise InputError(f"{where}: date {value!r} is not an ISO date (YYYY-MM-DD)")


def _parse_language(value: Any, where: str) -> str | None:
    """'uk' or 'en' from a declared language such as 'uk', 'uk-UA' or 'EN'; None when unset."""
    if value is None or value == "":
        return None
    code = re.split(r"[-_]", str(value).strip().lower(), maxsplit=1)[0]
    if code in LANGUAGE_ALIASES:
        return LANGUAGE_ALIASES[code]
    raise InputError(f"{where}: language {value!r} is not supported; expected one of {LANGUAGES}")


def _meta_value(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _optional_text(value: Any) -> str | None:
    if value is None:
        return None
    text = _WHITESPACE.sub(" ", _normalise(str(value))).strip()
    return text or None


def _id_and_language_from_name(path: Path) -> tuple[str, str | None]:
    """``name.uk.txt`` -> ("name", "uk"); ``name.txt`` -> ("name", None)."""
    stem = path.stem
    base, dot, suffix = stem.rpartition(".")
    if dot and base and suffix.lower() in LANGUAGES:
        return base, suffix.lower()
    return stem, None


def _choose_language(
    text: str, declared: str | None, where: Path | str, hint: str | None = None
) -> str:
    """The declared language (warning when the text disagrees), else the detected one.

    ``hint`` (an HTML ``lang`` attribute, often a site-wide template value) is used only when
    the script cannot tell.
    """
    if declared is not None:
        check_declared_language(text, declared, where)
        return declared
    detected = detect_language(text)
    if detected in LANGUAGES:
        return detected
    if detected == "unknown" and hint is not None:
        return hint
    if detected == "ru":
        raise InputError(
            f"{where}: the text looks Russian and mistok reads Ukrainian and English only; "
            "declare the language (lang) if this is wrong"
        )
    raise InputError(f"{where}: cannot tell the language from the text; declare it (lang)")


def _build_article(
    *,
    paragraphs: list[str],
    fields: Mapping[str, Any],
    article_id: str,
    declared: str | None,
    source: Path | None,
    where: str,
    hint: str | None = None,
) -> Article:
    """An Article from paragraphs and metadata fields (title, date, url; the rest is meta)."""
    if not paragraphs:
        raise InputError(f"{where}: no paragraphs")
    lang = _choose_language("\n\n".join(paragraphs), declared, where, hint)
    meta = {
        key: _meta_value(value)
        for key, value in fields.items()
        if key not in {"id", "lang", "title", "date", "url", "paragraphs", "text"}
        and value is not None
    }
    return Article(
        id=article_id,
        lang=lang,
        paragraphs=tuple(paragraphs),
        title=_optional_text(fields.get("title")),
        date=_parse_date(fields.get("date"), where),
        url=_optional_text(fields.get("url")),
        source=source,
        meta=meta,
    )


# ---------------------------------------------------------------------------------------------
# One article


def read_article(
    path: str | Path,
    lang: str | None = None,
    article_id: str | None = None,
    max_bytes: int | None = None,
    default_lang: str | None = None,
) -> Article:
    """Read one article from a ``.txt``, ``.md``, ``.html`` or ``.htm`` file.

    The id is ``article_id``, else the front matter ``id``, else the file stem without a
    language suffix (``name.uk.txt`` -> ``name``). The language is ``lang``, else the front
    matter ``lang``, else the file name suffix, else ``default_lang`` (the language its folder
    declares), else detected from the script, else the HTML ``lang`` attribute (last: site
    templates often get it wrong). A declared language that the
    text contradicts gives a :class:`~aligner.language.LanguageMismatchWarning`. A first
    paragraph that repeats the title (a headline) is dropped: the title is ``Article.title``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES + HTML_SUFFIXES:
        raise InputError(
            f"{path}: unsupported file type {path.suffix or '(none)'}; "
            f"expected one of {', '.join(TEXT_SUFFIXES + HTML_SUFFIXES)}"
        )
    text = read_text(path, max_bytes=max_bytes)
    if suffix in HTML_SUFFIXES:
        paragraphs, fields = _html_paragraphs(text, path)
    else:
        fields, body = _split_front_matter(text, path)
        paragraphs = split_paragraphs(body, markdown=suffix == ".md")
    name_id, name_lang = _id_and_language_from_name(path)
    where = str(path)
    declared = (
        _parse_language(lang, where)
        or _parse_language(fields.get("lang"), where)
        or name_lang
        or _parse_language(default_lang, where)
    )
    html_lang = fields.pop("html_lang", None)
    chosen_id = article_id or _optional_text(fields.get("id")) or name_id
    title = _optional_text(fields.get("title"))
    if paragraphs and title and paragraphs[0].casefold() == title.casefold():
        paragraphs = paragraphs[1:]  # a headline repeating the title is not a paragraph
    return _build_article(
        paragraphs=paragraphs,
        fields=fields,
        article_id=chosen_id,
        declared=declared,
        source=path,
        where=where,
        hint=html_lang,
    )


# trafilatura's XML: blocks whose text is one paragraph, and containers of blocks.
_HTML_BLOCKS = {"p", "head", "item", "quote", "code", "row"}
_HTML_CONTAINERS = {"main", "div", "list", "table", "quote"}


def _html_paragraphs(html: str, path: Path) -> tuple[list[str], dict[str, Any]]:
    """Paragraphs of the main text of ``html`` and its metadata (title, date, url)."""
    import lxml.etree
    import trafilatura

    try:
        extracted = trafilatura.extract(
            html,
            output_format="xml",
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
        )
    except Exception as error:  # trafilatura raises many kinds of errors on broken markup
        raise InputError(f"{path}: HTML could not be parsed ({first_line(error)})") from error
    if not extracted:
        raise InputError(f"{path}: no paragraphs (no main text found in the HTML)")
    document = lxml.etree.fromstring(extracted.encode("utf-8"))
    fields: dict[str, Any] = {
        key: document.get(key) for key in ("title", "date", "url") if document.get(key)
    }
    html_lang = _html_lang_attribute(html)
    if html_lang:
        code = html_lang.strip().lower().replace("_", "-").split("-")[0]
        if code in LANGUAGE_ALIASES:
            fields["html_lang"] = code

    paragraphs: list[str] = []
    main = document.find("main")
    if main is not None:
        _collect_blocks(main, paragraphs)
    return paragraphs, fields


def _html_lang_attribute(html: str) -> str | None:
    """The ``lang`` attribute of the ``<html>`` element, if any."""
    import lxml.etree
    import lxml.html

    try:
        return lxml.html.document_fromstring(html).get("lang")
    except ValueError:  # a str with an XML encoding declaration: parse the UTF-8 bytes
        try:
            return lxml.html.document_fromstring(html.encode("utf-8")).get("lang")
        except (lxml.etree.ParserError, ValueError):
            return None
    except lxml.etree.ParserError:
        return None


def _collect_blocks(element: Any, paragraphs: list[str]) -> None:
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        has_blocks = any(
            isinstance(c.tag, str) and c.tag in _HTML_BLOCKS | _HTML_CONTAINERS for c in child
        )
        if tag in _HTML_CONTAINERS and (has_blocks or tag != "quote"):
            _collect_blocks(child, paragraphs)
        elif tag in _HTML_BLOCKS:
            text = _block_text(child)
            if text:
                paragraphs.append(text)


def _block_text(element: Any) -> str:
    """The text of one block, line breaks and table cells turned into spaces."""
    pieces: list[str] = []
    _gather_text(element, pieces, top=True)
    return _WHITESPACE.sub(" ", _normalise("".join(pieces))).strip()


def _gather_text(element: Any, pieces: list[str], top: bool) -> None:
    if isinstance(element.tag, str):
        if not top and element.tag in {"lb", "cell"}:
            pieces.append(" ")
        pieces.append(element.text or "")
        for child in element:
            _gather_text(child, pieces, top=False)
    if not top:
        pieces.append(element.tail or "")


# ---------------------------------------------------------------------------------------------
# JSON Lines

_ErrorSink = Callable[[Path, str], None]


def _raise(path: Path, message: str) -> None:
    raise InputError(message)


def read_jsonl(
    path: str | Path, lang: str | None = None, max_bytes: int | None = None
) -> list[Article]:
    """Read one article per line of a JSON Lines file.

    Each line is an object with ``paragraphs`` (a list of strings) or ``text`` (paragraphs
    separated by blank lines), and optionally ``id`` (default: file stem and line number),
    ``lang`` (default: ``lang``, else detected), ``title``, ``date``, ``url``; other keys go
    into ``meta``. Blank lines are skipped. A malformed line, or an id used twice, is an
    :class:`InputError` naming the file and the line number.
    """
    return list(_read_jsonl(Path(path), lang, max_bytes, on_error=_raise))


def _read_jsonl(
    path: Path,
    lang: str | None,
    max_bytes: int | None,
    on_error: _ErrorSink,
    default_lang: str | None = None,
) -> Iterator[Article]:
    """The file's articles, one line at a time; a file that cannot be read at all raises
    here, a bad line goes to ``on_error`` as it is met."""
    lines = read_text_lines(path, max_bytes=max_bytes)
    declared_for_all = _parse_language(lang, str(path))
    return _jsonl_articles(lines, path, declared_for_all, on_error, default_lang)


def _jsonl_articles(
    lines: Iterable[str],
    path: Path,
    declared_for_all: str | None,
    on_error: _ErrorSink,
    default_lang: str | None,
) -> Iterator[Article]:
    first_line_of: dict[tuple[str, str], int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            article = _jsonl_record(line, path, number, where, declared_for_all, default_lang)
            key = (article.id, article.lang)
            if key in first_line_of:
                raise InputError(
                    f"{where}: id {article.id!r} ({article.lang}) already used on line "
                    f"{first_line_of[key]}"
                )
            first_line_of[key] = number
        except InputError as error:
            on_error(path, str(error))
            continue
        yield article


def _lines(text: str) -> Iterator[str]:
    """``text.split("\\n")``, one line at a time (no second copy of a large file's text)."""
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def _jsonl_record(
    line: str,
    path: Path,
    number: int,
    where: str,
    declared_for_all: str | None,
    default_lang: str | None = None,
) -> Article:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{where}: not valid JSON ({error.msg} at column {error.colno})"
        ) from error
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    return article_from_record(
        record,
        where=where,
        source=path,
        default_id=f"{path.stem}-{number}",
        lang=declared_for_all,
        default_lang=default_lang,
    )


# ---------------------------------------------------------------------------------------------
# Records (a JSON Lines line, a Parquet row, a dataset record)


def article_from_record(
    record: Mapping[str, Any],
    *,
    where: str,
    source: Path | None,
    default_id: str | None,
    lang: str | None = None,
    default_lang: str | None = None,
) -> Article:
    """The Article of one record: a JSON Lines line, a Parquet row or a Hugging Face dataset
    record, which share one schema.

    ``paragraphs`` (a list of strings) or ``text`` (paragraphs separated by blank lines);
    optionally ``id`` (else ``default_id``; a record without one is refused when that is
    None), ``lang`` (``lang`` given here overrides it; without either, ``default_lang`` — the
    language of the folder the record came from — else detected from the text),
    ``title``, ``date`` (ISO ``YYYY-MM-DD`` or a date), ``url``; any other field goes into
    ``Article.meta``. Values as Arrow, pandas or numpy hand them over are accepted, so that
    a columnar archive keeps every field a JSON Lines file keeps (pairing needs the dates): a
    NULL, NaN or NaT is a missing value, a date may be a ``datetime.date`` or
    ``datetime.datetime``, and ``paragraphs`` a tuple or numpy array of strings.

    Pure: reads nothing but ``record``. Raises :class:`InputError` whose one-line message
    starts with ``where`` (a file and line or row) for a record that makes no article.
    """
    fields = {str(key): _plain_value(value) for key, value in record.items()}
    raw = fields.get("paragraphs")
    if raw is not None:
        if isinstance(raw, tuple):
            raw = list(raw)
        if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
            raise InputError(f"{where}: 'paragraphs' must be a list of strings")
        paragraphs = [p for p in (_paragraph(_normalise(item).split("\n")) for item in raw) if p]
    elif fields.get("text") is not None:
        if not isinstance(fields["text"], str):
            raise InputError(f"{where}: 'text' must be a string")
        paragraphs = split_paragraphs(fields["text"].replace("\r\n", "\n"))
    else:
        raise InputError(f"{where}: needs 'paragraphs' (a list) or 'text' (a string)")
    raw_id = fields.get("id")
    if raw_id is not None and not isinstance(raw_id, (str, int)):
        raise InputError(f"{where}: 'id' must be a string or a number")
    article_id = _optional_text(raw_id) or default_id
    if article_id is None:
        raise InputError(f"{where}: no 'id'")
    declared = (
        _parse_language(lang, where)
        or _parse_language(fields.get("lang"), where)
        or _parse_language(default_lang, where)
    )
    return _build_article(
        paragraphs=paragraphs,
        fields=fields,
        article_id=article_id,
        declared=declared,
        source=source,
        where=where,
    )


def _plain_value(value: Any) -> Any:
    """``value`` as plain Python: a numpy array becomes a list, a numpy scalar its Python
    value, and NaN or NaT (a missing value in pandas and numpy) None. numpy is not imported:
    a value with a ``dtype`` is taken to be numpy's."""
    if value is None or isinstance(value, (str, bytes, list, tuple, dict)):
        return value
    dtype = getattr(value, "dtype", None)
    if dtype is not None and callable(getattr(value, "tolist", None)):
        if getattr(value, "ndim", 0):
            return value.tolist()  # an array: its items as Python values
        if getattr(dtype, "kind", "") in ("M", "m"):  # datetime64 / timedelta64
            text = str(value)
            return None if text == "NaT" else text
        value = value.item()
    try:
        missing = value != value  # only NaN and NaT differ from themselves
    except (TypeError, ValueError):
        return value
    return None if missing is True else value


# ---------------------------------------------------------------------------------------------
# Folders


def _files_to_read(path: Path) -> list[Path]:
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if not path.is_dir():
        return [path]
    files = sorted(
        child
        for child in path.iterdir()
        if child.suffix.lower() in ARTICLE_SUFFIXES
        and not child.name.startswith(".")
        and child.stem.upper() != "README"
        and child.is_file()
    )
    if not files:
        raise InputError(f"{path}: no article files here (expected {', '.join(ARTICLE_SUFFIXES)})")
    return files


def _read_all(
    path: str | Path,
    lang: str | None,
    max_bytes: int | None,
    on_error: _ErrorSink,
    default_lang: str | None = None,
) -> Iterator[Article]:
    source_of: dict[tuple[str, str], Path] = {}
    for file in _files_to_read(Path(path)):
        try:
            if file.suffix.lower() in JSONL_SUFFIXES:
                found = _read_jsonl(file, lang, max_bytes, on_error, default_lang)
            else:
                found = iter(
                    [read_article(file, lang=lang, max_bytes=max_bytes, default_lang=default_lang)]
                )
        except InputError as error:
            on_error(file, str(error))
            continue
        for article in found:
            key = (article.id, article.lang)
            if key in source_of and source_of[key] != file:
                on_error(
                    file,
                    f"{file}: article id {article.id!r} ({article.lang}) is also the id of "
                    f"{source_of[key]}; rename one of them",
                )
                continue
            source_of[key] = file
            yield article


def read_articles(
    path: str | Path, lang: str | None = None, max_bytes: int | None = None
) -> list[Article]:
    """Read every article of a file, or of the article files in a folder (sorted, not recursive).

    A folder contributes its ``.txt``, ``.md``, ``.html``, ``.htm`` and ``.jsonl`` files,
    leaving out hidden ones and a ``README`` that describes the folder. The first unreadable
    file raises its :class:`InputError`; so does an (id, language) pair used by two files. See
    :func:`read_articles_lenient` to carry on.
    """
    return list(_read_all(path, lang, max_bytes, on_error=_raise))


def read_articles_lenient(
    path: str | Path,
    lang: str | None = None,
    max_bytes: int | None = None,
    default_lang: str | None = None,
) -> tuple[list[Article], list[tuple[Path, str]]]:
    """Like :func:`read_articles`, but skip what cannot be read and say why.

    ``default_lang`` is the language the folder declares: it is each article's language unless
    the file or record declares its own (front matter, record ``lang``, a ``.uk``/``.en`` name
    suffix); a text that looks otherwise is kept as declared, with a
    :class:`~aligner.language.LanguageMismatchWarning`.

    Returns the articles read and, for each file (or JSON Lines record) left out, its path and
    the one-line reason. A path that does not exist, or a folder without article files, still
    raises :class:`InputError`.
    """
    skipped: list[tuple[Path, str]] = []
    articles = list(
        iter_articles_lenient(
            path, lambda p, m: skipped.append((p, m)), lang, max_bytes, default_lang
        )
    )
    return articles, skipped


def iter_articles_lenient(
    path: str | Path,
    on_skip: Callable[[Path, str], None],
    lang: str | None = None,
    max_bytes: int | None = None,
    default_lang: str | None = None,
) -> Iterator[Article]:
    """:func:`read_articles_lenient` one article at a time, each file (or JSON Lines record)
    left out given to ``on_skip`` with its reason as it is met: a large JSON Lines file's
    articles are never all in memory. A path that does not exist, or a folder without
    article files, raises :class:`InputError` when the first article is asked for."""
    return _read_all(path, lang, max_bytes, on_error=on_skip, default_lang=default_lang)
