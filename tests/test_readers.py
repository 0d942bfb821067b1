"""Reading articles: formats, encodings, metadata, and a clear refusal for each bad input."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import functools
import hashlib
import json
import os
import pickle
import shutil
import threading
import warnings
from pathlib import Path

import pytest

from aligner.document import Article
from aligner.errors import ConfigError, InputError
from aligner.language import LanguageMismatchWarning
from aligner.readers import (
    MAX_BYTES_VARIABLE,
    read_article,
    read_articles,
    read_articles_lenient,
    read_jsonl,
    read_text,
)

FIXTURES = Path(__file__).parent / "fixtures" / "readers"

UK_PARAGRAPH = "Українська делегація прибула до Сеула 27 листопада."
EN_PARAGRAPH = "The Ukrainian delegation arrived in Seoul on November 27."


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


# ---------------------------------------------------------------------------------------------
# Formats


def test_txt_paragraphs_split_on_blank_lines_and_lines_joined(tmp_path: Path) -> None:
    path = write(
        tmp_path / "note.txt",
        "First line\nsecond line  \n\n\n\nSecond paragraph.\n  \t \nThird one.\n",
    )
    article = read_article(path)
    assert article.paragraphs == ("First line second line", "Second paragraph.", "Third one.")
    assert article.id == "note"
    assert article.lang == "en"
    assert article.source == path


def test_md_front_matter_gives_metadata(tmp_path: Path) -> None:
    article = read_article(FIXTURES / "article.md")
    assert article.title == "Seoul weighs weapons for Ukraine"
    assert article.date == dt.date(2024, 11, 27)
    assert article.url == "https://example.com/en/seoul-weapons"
    assert article.lang == "en"
    assert article.meta["source"] == "Yonhap"
    assert json.loads(article.meta["tags"]) == ["korea", "defence"]
    # the "# headline" repeating the title is dropped; "## What is known" stays, without marks
    assert article.paragraphs == (
        "The Ukrainian delegation headed by Defense Minister Rustem Umerov arrived in South "
        "Korea. It will meet President Yoon Suk Yeol.",
        "What is known",
        "Talks are also planned with Defense Minister Kim Yong-hyun.",
        "The visit comes a month after a phone call between the presidents.",
    )


def test_article_pickles_and_deep_copies_with_read_only_meta() -> None:
    article = read_article(FIXTURES / "article.md")
    assert article.meta  # the fixture has meta to carry
    for clone in (pickle.loads(pickle.dumps(article)), copy.deepcopy(article)):
        assert clone == article and hash(clone) == hash(article)
        assert clone.meta == article.meta and clone.source == article.source
        with pytest.raises(TypeError):
            clone.meta["source"] = "changed"  # type: ignore[index]


def test_article_keeps_its_own_copy_of_meta() -> None:
    given = {"section": "World"}
    article = Article("a", "en", ("Text.",), meta=given)
    given["section"] = "Sport"
    assert article.meta == {"section": "World"}
    with pytest.raises(TypeError):
        article.meta["section"] = "Sport"  # type: ignore[index]


def test_md_heading_without_blank_line_is_its_own_paragraph(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", "## Background\nThe talks began in May.\nThey went on.\n")
    assert read_article(path).paragraphs == ("Background", "The talks began in May. They went on.")


def test_txt_keeps_hash_lines_as_text(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "# not a heading in plain text\nbut part of it\n")
    assert read_article(path).paragraphs == ("# not a heading in plain text but part of it",)


def test_front_matter_string_date_and_id(tmp_path: Path) -> None:
    path = write(
        tmp_path / "x.txt",
        f'---\nid: story-7\ndate: "2024-11-27T10:15:00+02:00"\n---\n{EN_PARAGRAPH}\n',
    )
    article = read_article(path)
    assert article.id == "story-7"
    assert article.date == dt.date(2024, 11, 27)


def test_html_main_text_title_date_url_and_lang() -> None:
    article = read_article(FIXTURES / "article.html")
    assert article.lang == "uk"
    assert article.title == "Умєров прибув до Південної Кореї"
    assert article.date == dt.date(2024, 11, 27)
    assert article.url == "https://example.com/news/umerov-korea"
    assert article.paragraphs == (
        "Українська делегація на чолі з міністром оборони Рустемом Умєровим прибула до "
        "Південної Кореї. Мета візиту — обговорити участь Північної Кореї у війні.",
        "Що відомо про візит",
        # <br> becomes a space, not a glued word
        "Як повідомляє видання, делегація прибула до Сеула 27 листопада. Очікується зустріч із "
        "президентом Юн Сук Йолем.",
        "Візит відкриває нові перспективи співпраці у сфері оборони.",
        "Позиція адміністрації Трампа впливає на рішення Сеула.",
        "Постачання летальної допомоги Україні стало б потужним сигналом підтримки для Києва та "
        "партнерів.",
    )
    text = article.text
    assert "Головна" not in text  # navigation
    assert "cookie" not in text  # footer banner


def test_html_lang_attribute_yields_to_the_script(tmp_path: Path) -> None:
    html = (FIXTURES / "article.html").read_text().replace('lang="uk-UA"', 'lang="en"')
    path = write(tmp_path / "template.html", html)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_article(path).lang == "uk"


def test_html_lang_attribute_decides_when_the_script_cannot(tmp_path: Path) -> None:
    # Cyrillic without any of і ї є ґ or ы э ъ ё: the script alone says "unknown"
    html = (
        '<html lang="uk"><body><article><p>Завтра прибуде перша група.</p></article></body></html>'
    )
    assert read_article(write(tmp_path / "short.html", html)).lang == "uk"
    undeclared = write(tmp_path / "short.txt", "Завтра прибуде перша група.")
    with pytest.raises(InputError, match=r"short\.txt: cannot tell the language"):
        read_article(undeclared)


def test_html_without_main_text_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path / "empty.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>"
    )
    with pytest.raises(InputError, match=r"empty\.html: no paragraphs"):
        read_article(path)


def test_jsonl_records() -> None:
    articles = read_jsonl(FIXTURES / "articles.jsonl")
    assert [(a.id, a.lang) for a in articles] == [
        ("umerov-1", "en"),
        ("umerov-1", "uk"),
        ("umerov-2", "en"),  # no lang: detected
    ]
    first, second, _ = articles
    assert first.paragraphs == ("The delegation arrived in Seoul.", "Talks are planned.")
    assert first.title == "Umerov in Seoul"
    assert first.date == dt.date(2024, 11, 27)
    assert first.url == "https://example.com/1"
    assert first.meta == {"section": "World"}
    assert second.paragraphs == (
        "Делегація прибула до Сеула.",
        "Заплановано переговори з міністром оборони Південної Кореї.",
    )


def test_jsonl_id_defaults_to_stem_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "batch.jsonl", "\n" + json.dumps({"text": EN_PARAGRAPH}) + "\n")
    assert read_jsonl(path)[0].id == "batch-2"


# ---------------------------------------------------------------------------------------------
# Encodings and normalisation


def test_cp1251_file_is_decoded() -> None:
    raw = (FIXTURES / "cp1251.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the fixture really is not UTF-8
    article = read_article(FIXTURES / "cp1251.txt")
    assert article.lang == "uk"
    assert article.title == "Новини"
    assert article.paragraphs == (
        "Українська делегація прибула до Сеула 27 листопада. Візит триває два дні.",
        "«Це важлива зустріч», — заявив міністр.",
    )


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbf---\ntitle: T\n---\n" + UK_PARAGRAPH.encode())
    article = read_article(path)
    assert article.title == "T"  # the BOM did not hide the front matter
    assert article.paragraphs == (UK_PARAGRAPH,)


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    path = write(tmp_path / "u16.txt", UK_PARAGRAPH.encode("utf-16"))
    assert read_article(path).paragraphs == (UK_PARAGRAPH,)


def test_crlf_and_cr_newlines(tmp_path: Path) -> None:
    path = write(
        tmp_path / "crlf.txt", "---\r\ntitle: T\r\n---\r\none\r\ntwo \r\n\r\nthree\rfour\r\n"
    )
    article = read_article(path, lang="en")
    assert article.title == "T"
    assert article.paragraphs == ("one two", "three four")
    assert read_text(path) == "---\ntitle: T\n---\none\ntwo \n\nthree\nfour\n"


def test_text_is_nfc_normalised(tmp_path: Path) -> None:
    decomposed = "\u041a\u0438\u0457\u0432 \u0456\u0308"  # "Київ ї", the second ї as і + ◌̈
    path = write(tmp_path / "nfd.txt", decomposed)
    assert read_article(path).paragraphs == ("\u041a\u0438\u0457\u0432 \u0457",)


# ---------------------------------------------------------------------------------------------
# Ids and languages


def test_language_suffix_is_stripped_from_id_and_declares_language(tmp_path: Path) -> None:
    article = read_article(write(tmp_path / "story.uk.txt", UK_PARAGRAPH))
    assert (article.id, article.lang) == ("story", "uk")


def test_other_suffix_stays_in_id(tmp_path: Path) -> None:
    article = read_article(write(tmp_path / "story.uk.mt.txt", EN_PARAGRAPH))
    assert (article.id, article.lang) == ("story.uk.mt", "en")


def test_explicit_arguments_win(tmp_path: Path) -> None:
    path = write(tmp_path / "story.uk.txt", f"---\nlang: uk\nid: fm\n---\n{UK_PARAGRAPH}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LanguageMismatchWarning)
        article = read_article(path, lang="en", article_id="given")
    assert (article.id, article.lang) == ("given", "en")


@pytest.mark.parametrize("declared", ["uk-UA", "UK", "ua"])
def test_language_spellings(tmp_path: Path, declared: str) -> None:
    path = write(tmp_path / "a.txt", f"---\nlang: {declared}\n---\n{UK_PARAGRAPH}")
    assert read_article(path).lang == "uk"


def test_declared_language_mismatch_warns_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "story.uk.txt", EN_PARAGRAPH)
    with pytest.warns(LanguageMismatchWarning, match=r"story\.uk\.txt"):
        article = read_article(path)
    assert article.lang == "uk"  # declared wins; the warning says what to check


def test_russian_text_declared_ukrainian_warns(tmp_path: Path) -> None:
    path = write(tmp_path / "story.uk.txt", "Украинская делегация прибыла в Сеул. Это визит.")
    with pytest.warns(LanguageMismatchWarning, match="Russian"):
        read_article(path)


def test_undeclared_russian_text_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", "Украинская делегация прибыла в Сеул. Это визит.")
    with pytest.raises(InputError, match=r"story\.txt: the text looks Russian"):
        read_article(path)


def test_unsupported_declared_language(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", f"---\nlang: de\n---\n{EN_PARAGRAPH}")
    with pytest.raises(InputError, match=r"a\.txt: language 'de' is not supported"):
        read_article(path)


# ---------------------------------------------------------------------------------------------
# Bad input: each refusal is an InputError naming the file and the problem, on one line


def assert_refused(call, path: Path, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        call(path)
    message = str(caught.value)
    assert str(path) in message
    assert fragment in message
    assert "\n" not in message


def test_missing_file(tmp_path: Path) -> None:
    assert_refused(read_article, tmp_path / "nowhere.txt", "no such file")


def test_directory_given_as_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert_refused(read_text, folder, "is a directory")


def test_empty_file(tmp_path: Path) -> None:
    assert_refused(read_article, write(tmp_path / "empty.txt", b""), "is empty")


def test_whitespace_only_file(tmp_path: Path) -> None:
    assert_refused(read_article, write(tmp_path / "blank.txt", " \n\t\n \n"), "whitespace only")


def test_front_matter_without_body(tmp_path: Path) -> None:
    path = write(tmp_path / "head.md", "---\ntitle: Only a title\n---\n\n")
    assert_refused(read_article, path, "no paragraphs")


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert_refused(read_article, path, "binary")


def test_binary_file_of_control_characters(tmp_path: Path) -> None:
    path = write(tmp_path / "ctl.txt", bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 20 + b"abc")
    assert_refused(read_article, path, "binary")


@pytest.mark.parametrize(
    "raw",
    [
        "Le café de la rédaction était fermé à Noël.".encode("latin-1"),  # Latin-1
        "南北の会談は来週に予定されている。".encode("shift_jis"),  # Shift-JIS
        # UTF-8 with one stray byte: the cp1251 reading of it is mojibake ("Р”РµР»...")
        "Делегація прибула до Сеула.".encode() + b"\xff",
    ],
)
def test_not_utf8_and_not_cp1251(tmp_path: Path, raw: bytes) -> None:
    assert_refused(read_article, write(tmp_path / "odd.txt", raw), "not UTF-8")


def test_oversize_file_names_size_and_limit(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", EN_PARAGRAPH * 10)
    with pytest.raises(InputError, match=r"big\.txt: 570 bytes is over the limit of 100 bytes"):
        read_article(path, max_bytes=100)
    assert read_article(path, max_bytes=570).paragraphs  # at the limit is fine


def test_default_limit_is_50_mib_and_the_message_says_how_to_raise_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(MAX_BYTES_VARIABLE, raising=False)
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: 100 MiB on paper, nothing on disk
        handle.truncate(100 * 2**20)
    assert_refused(
        read_article,
        path,
        "104,857,600 bytes is over the limit of 52,428,800 bytes (50 MiB) for one input file; "
        f"split it, or set {MAX_BYTES_VARIABLE} to a larger number of bytes",
    )


def test_environment_sets_the_limit_and_max_bytes_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "big.txt", EN_PARAGRAPH * 10)  # 570 bytes
    monkeypatch.setenv(MAX_BYTES_VARIABLE, "100")
    assert_refused(read_article, path, "over the limit of 100 bytes")
    assert read_article(path, max_bytes=570).paragraphs
    monkeypatch.setenv(MAX_BYTES_VARIABLE, "1_000")
    assert read_article(path).paragraphs


@pytest.mark.parametrize("value", ["lots", "0", "-5", "50MB"])
def test_bad_limit_in_the_environment_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(MAX_BYTES_VARIABLE, value)
    with pytest.raises(ConfigError, match=rf"{MAX_BYTES_VARIABLE}='{value}' is not a positive"):
        read_article(write(tmp_path / "a.txt", EN_PARAGRAPH))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # no size to check first: st_size is 0

    def feed() -> None:
        with contextlib.suppress(BrokenPipeError), fifo.open("wb") as handle:
            handle.write(b"a" * 1000)

    writer = threading.Thread(target=feed, daemon=True)  # daemon: never hangs the run
    writer.start()
    try:
        assert_refused(functools.partial(read_text, max_bytes=100), fifo, "over the limit of 100")
    finally:
        writer.join(timeout=10)


def test_unsupported_suffix(tmp_path: Path) -> None:
    assert_refused(read_article, write(tmp_path / "a.pdf", EN_PARAGRAPH), "unsupported file type")


@pytest.mark.parametrize(
    ("front_matter", "fragment"),
    [
        ("---\ntitle: [unclosed\n---\n", "malformed front matter"),
        ("---\ntitle: a: b: c\n---\n", "malformed front matter at line 2"),
        ("---\n- just\n- a list\n---\n", "front matter must be 'key: value' lines"),
        ("---\ntitle: T\n", "never closed"),
        ("---\ndate: 2024-13-45\n---\n", "malformed front matter"),
        ("---\ndate: yesterday\n---\n", "date 'yesterday' is not an ISO date"),
    ],
)
def test_malformed_front_matter(tmp_path: Path, front_matter: str, fragment: str) -> None:
    path = write(tmp_path / "fm.md", front_matter + EN_PARAGRAPH + "\n")
    assert_refused(read_article, path, fragment)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ('{"id": "a", "paragraphs": ["x"', "not valid JSON"),
        ('["not", "an", "object"]', "expected a JSON object"),
        ('{"id": "a"}', "needs 'paragraphs'"),
        ('{"id": "a", "paragraphs": "one string"}', "must be a list of strings"),
        ('{"id": "a", "paragraphs": ["", "  "]}', "no paragraphs"),
        ('{"id": "a", "lang": "fr", "text": "x"}', "language 'fr' is not supported"),
        ('{"id": "one", "text": "Again, the same id."}', "already used on line 1"),
    ],
)
def test_malformed_jsonl_line_names_file_and_line(tmp_path: Path, line: str, fragment: str) -> None:
    good = json.dumps({"id": "one", "lang": "en", "text": EN_PARAGRAPH})
    path = write(tmp_path / "batch.jsonl", good + "\n\n" + line + "\n")
    assert_refused(read_jsonl, path, fragment)
    with pytest.raises(InputError, match=r"batch\.jsonl:3: "):
        read_jsonl(path)


# ---------------------------------------------------------------------------------------------
# Folders


def make_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    write(folder / "b.en.txt", EN_PARAGRAPH)
    write(folder / "b.uk.txt", UK_PARAGRAPH)
    shutil.copy(FIXTURES / "article.html", folder / "a.html")
    shutil.copy(FIXTURES / "articles.jsonl", folder / "c.jsonl")
    write(folder / "notes.pdf", b"%PDF-1.4\x00")  # not an article suffix: ignored
    write(folder / "._b.en.txt", b"\x00\x05\x16\x07")  # macOS resource fork: hidden, ignored
    write(folder / "README.md", "This folder holds the newsroom's articles.")  # ignored
    (folder / "sub").mkdir()
    write(folder / "sub" / "deep.txt", EN_PARAGRAPH)  # not recursive
    return folder


def test_read_articles_from_folder_sorted_and_flat(tmp_path: Path) -> None:
    articles = read_articles(make_folder(tmp_path))
    assert [(a.id, a.lang, a.source.name) for a in articles] == [
        ("a", "uk", "a.html"),
        ("b", "en", "b.en.txt"),
        ("b", "uk", "b.uk.txt"),
        ("umerov-1", "en", "c.jsonl"),
        ("umerov-1", "uk", "c.jsonl"),
        ("umerov-2", "en", "c.jsonl"),
    ]


def test_read_articles_single_file() -> None:
    assert [a.id for a in read_articles(FIXTURES / "articles.jsonl")] == [
        "umerov-1",
        "umerov-1",
        "umerov-2",
    ]
    assert [a.id for a in read_articles(FIXTURES / "article.md")] == ["article"]


def test_read_articles_stops_at_first_bad_file(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    write(folder / "broken.txt", b"")
    with pytest.raises(InputError, match=r"broken\.txt: is empty"):
        read_articles(folder)


def test_read_articles_refuses_duplicate_ids(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    write(folder / "b.md", f"---\nlang: en\n---\n{EN_PARAGRAPH}")
    with pytest.raises(InputError, match=r"b\.md: article id 'b' \(en\) is also the id of"):
        read_articles(folder)


def test_read_articles_lenient_reports_and_continues(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    write(folder / "broken.txt", b"")
    write(folder / "d.jsonl", json.dumps({"id": "d1", "text": EN_PARAGRAPH}) + "\n{oops\n")
    articles, skipped = read_articles_lenient(folder)
    assert [a.id for a in articles] == ["a", "b", "b", "umerov-1", "umerov-1", "umerov-2", "d1"]
    assert [(path.name, message.split(": ", 1)[1]) for path, message in skipped] == [
        ("broken.txt", "is empty"),
        (
            "d.jsonl",
            "not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        ),
    ]
    assert skipped[1][1].startswith(f"{folder / 'd.jsonl'}:2: ")


def test_empty_folder_and_missing_path(tmp_path: Path) -> None:
    assert_refused(read_articles, tmp_path, "no article files")
    assert_refused(read_articles_lenient, tmp_path / "gone", "no such file or directory")


# ---------------------------------------------------------------------------------------------
# Inputs are never modified


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        + str(p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_reading_leaves_inputs_unchanged(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    write(folder / "crlf.txt", b"\xef\xbb\xbfline one\r\nline two\r\n")
    shutil.copy(FIXTURES / "cp1251.txt", folder / "e.txt")
    write(folder / "broken.txt", b"")
    before = digest(folder)
    read_articles_lenient(folder)
    with pytest.raises(InputError):
        read_articles(folder)
    assert digest(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == sorted(Path(k).parts[0] for k in before)


_LINE_CASES = [
    b"a\nb\n",
    b"a\r\nb\r\n",
    b"a\rb",
    b"\xef\xbb\xbfx\n\ny",
    b"x",
    b"x\n\n",
    b"abc\r",
    "Київ\r\nЛьвів\n".encode(),
    b"a\r\r\nb",
    b"  \n",
    b"",
    b"\x00a",
    b"\xff\xfea\x00",
    "Київ".encode("cp1251") + b"\n",
    b"ok\n" + b"\x01" * 10,
]


@pytest.mark.parametrize("data", _LINE_CASES)
def test_read_text_lines_gives_read_texts_lines_and_refusals(tmp_path: Path, data: bytes) -> None:
    from aligner.readers import read_text, read_text_lines

    path = tmp_path / "archive.jsonl"
    path.write_bytes(data)

    def outcome(read) -> tuple[str, object]:
        try:
            return "lines", read()
        except InputError as error:
            return "refused", str(error)

    whole = outcome(lambda: read_text(path).split("\n"))
    assert outcome(lambda: list(read_text_lines(path))) == whole
