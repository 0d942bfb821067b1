"""``mistok translate``, ``mistok fill`` and ``mistok models`` end to end on the tiny model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from fixtures_tiny_marian import FAKE_COMMIT, TinyMarian, install_as_registry_model

from aligner.alignment import Alignment, Bead
from aligner.readers import read_article
from mistok.cli import main
from mistok.commands.fill import DEFAULT_MARKER, Insertion, fill_version, plan_fill

pytestmark = pytest.mark.usefixtures("offline_hub")

UK_ARTICLE = """---
title: Умєров прибув до Сеула
date: 2024-11-25
url: https://example.org/uk/umerov
section: politics
---

Міністр оборони Рустем Умєров прибув до Сеула.

Делегація обговорила постачання 12 одиниць техніки.

Президент Зеленський подякував партнерам з Південної Кореї.
"""


def run(*args: str) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def front_matter(text: str) -> dict:
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


@pytest.fixture
def uk_file(tmp_path: Path) -> Path:
    path = tmp_path / "umerov.uk.txt"
    path.write_text(UK_ARTICLE, encoding="utf-8")
    return path


# --- translate -------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["transformers", "ct2"])
def test_translate_writes_a_marked_draft_in_the_input_format(
    uk_file: Path, tmp_path: Path, tiny_marian: TinyMarian, engine: str
) -> None:
    model = tiny_marian.transformers if engine == "transformers" else tiny_marian.ct2
    before = uk_file.read_bytes()
    out = tmp_path / "draft.en.txt"
    result = run(
        "translate",
        uk_file,
        "--to",
        "en",
        "--model",
        model,
        "--engine",
        engine,
        "--beam",
        "1",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    assert uk_file.read_bytes() == before
    text = out.read_text(encoding="utf-8")
    fields = front_matter(text)
    assert fields["machine_translation"] is True
    assert fields["lang"] == "en" and fields["mt_engine"] == engine
    assert fields["mt_revision"] == "local" and fields["mt_model"] == str(model)
    assert fields["mt_precision"] == ("float32" if engine == "transformers" else "int8")
    signature = dict(item.split(":", 1) for item in fields["mt_signature"].split("|"))
    assert signature["engine"] == engine and signature["direction"] == "uk-en"
    assert signature["beam"] == "1" and signature["model"] == str(model)
    assert fields["url"] == "https://example.org/uk/umerov" and fields["section"] == "politics"
    assert fields["date"] == dt.date(2024, 11, 25)
    assert fields["title"] and fields["title"] != "Умєров прибув до Сеула"
    body = text.split("---\n", 2)[2].strip()
    assert len(body.split("\n\n")) == 3
    assert f"{out}: 3 paragraphs" in result.stderr
    again = read_article(out)  # the draft reads back like any article
    assert again.lang == "en" and len(again) == 3 and again.meta["machine_translation"]


def test_translate_default_output_name_and_registry_revision(
    uk_file: Path, tiny_marian: TinyMarian, offline_hub: Path, tmp_path: Path
) -> None:
    install_as_registry_model(tiny_marian, offline_hub, tmp_path / "mistok-cache")
    result = run("translate", uk_file, "--to", "en", "--beam", "1")
    assert result.exit_code == 0, result.output
    out = uk_file.with_name("umerov.en.mt.txt")
    fields = front_matter(out.read_text(encoding="utf-8"))
    assert fields["mt_model"] == "Helsinki-NLP/opus-mt-uk-en"
    assert fields["mt_model_name"] == "opus-mt" and fields["mt_revision"] == FAKE_COMMIT


def test_translate_html_gives_html(tmp_path: Path, tiny_marian: TinyMarian) -> None:
    source = tmp_path / "page.uk.html"
    paragraphs = "".join(f"<p>{p}</p>" for p in UK_ARTICLE.split("---\n")[2].split("\n\n") if p)
    source.write_text(
        f"<html lang='uk'><body><article>{paragraphs}</article></body></html>", encoding="utf-8"
    )
    out = tmp_path / "page.en.html"
    result = run(
        "translate",
        source,
        "--to",
        "en",
        "--model",
        tiny_marian.transformers,
        "--beam",
        "1",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count("<p>") == 3
    assert 'name="mistok:machine_translation" content="True"' in html


@pytest.mark.parametrize(
    ("model", "content", "expected"),
    [
        ("gpt-9", UK_ARTICLE, "unknown model 'gpt-9'"),
        ("opus-mt", UK_ARTICLE, "mistok models pull opus-mt"),
        ("TINY", "   \n\n  ", "empty"),
        ("TINY", "This article is in English already.\n\nSo is this paragraph.\n", "already in en"),
    ],
)
def test_translate_fails_with_one_line_and_writes_nothing(
    tmp_path: Path, tiny_marian: TinyMarian, model: str, content: str, expected: str
) -> None:
    source = tmp_path / "a.uk.txt"
    source.write_text(content, encoding="utf-8")
    out = tmp_path / "out.en.txt"
    model = str(tiny_marian.transformers) if model == "TINY" else model
    result = run("translate", source, "--to", "en", "--model", model, "-o", out)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mistok: error:")
    assert expected in lines[0].lower() or expected in lines[0]
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["a.uk.txt"]


def test_translate_refuses_to_overwrite_its_input(uk_file: Path, tiny_marian: TinyMarian) -> None:
    before = uk_file.read_bytes()
    result = run(
        "translate", uk_file, "--to", "en", "--model", tiny_marian.transformers, "-o", uk_file
    )
    assert result.exit_code == 2 and "input" in result.stderr
    assert uk_file.read_bytes() == before


# --- fill ------------------------------------------------------------------------------------


ALIGNMENT = Alignment(
    beads=(
        Bead((0,), (0,)),
        Bead((1,), ()),
        Bead((2,), (1,)),
        Bead((), (2,)),
        Bead((3, 4), (3,)),
        Bead((5,), ()),
    ),
    n_uk=6,
    n_en=4,
)


def test_plan_fill_puts_drafts_where_the_alignment_says() -> None:
    assert plan_fill(ALIGNMENT) == [
        Insertion("en", 1, 1),  # after en 0
        Insertion("uk", 2, 3),  # after uk 0, 1, 2
        Insertion("en", 5, 5),  # at the end: en 0, draft, en 1, en 2, en 3, draft
    ]


def test_fill_version_inserts_marked_drafts_in_order() -> None:
    en = ["E0", "E1", "E2", "E3"]
    wanted = [i for i in plan_fill(ALIGNMENT) if i.into == "en"]
    filled = fill_version(en, wanted, ["D1", "D5"], marker="[MT] ")
    assert filled == ["E0", "[MT] D1", "E1", "E2", "E3", "[MT] D5"]
    uk = [f"U{i}" for i in range(6)]
    wanted = [i for i in plan_fill(ALIGNMENT) if i.into == "uk"]
    assert fill_version(uk, wanted, ["D2"]) == [
        "U0",
        "U1",
        "U2",
        f"{DEFAULT_MARKER}D2",
        "U3",
        "U4",
        "U5",
    ]


def test_plan_fill_rejects_an_alignment_that_skips_a_paragraph() -> None:
    from aligner.errors import InputError

    bad = Alignment(beads=(Bead((0,), (0,)), Bead((2,), (1,))), n_uk=3, n_en=2)
    with pytest.raises(InputError):
        plan_fill(bad)


FILL_UK = "Перший абзац про Сеул.\n\nДругий абзац лише українською.\n\nТретій абзац про Київ.\n"
FILL_EN = (
    "First paragraph about Seoul.\n\nThird paragraph about Kyiv.\n\n"
    "A closing paragraph only in English.\n"
)


@pytest.fixture
def fill_pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A pair with one one-sided paragraph each way, and a fixed alignment of it."""
    import aligner.align

    uk = tmp_path / "story.uk.txt"
    en = tmp_path / "story.en.txt"
    uk.write_text(FILL_UK, encoding="utf-8")
    en.write_text(FILL_EN, encoding="utf-8")
    alignment = Alignment(
        beads=(Bead((0,), (0,)), Bead((1,), ()), Bead((2,), (1,)), Bead((), (2,))), n_uk=3, n_en=3
    )
    monkeypatch.setattr(aligner.align, "align_paragraphs", lambda uk, en, *a, **k: alignment)
    return uk, en


def body(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("---\n", 2)[2].strip().split("\n\n")


def test_fill_command_writes_both_filled_versions(
    tmp_path: Path, tiny_marian: TinyMarian, offline_hub: Path, fill_pair: tuple[Path, Path]
) -> None:
    uk, en = fill_pair
    install_as_registry_model(tiny_marian, offline_hub, tmp_path / "mistok-cache")
    uk_before, en_before = uk.read_bytes(), en.read_bytes()
    result = run("fill", uk, en, "--beam", "1", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (uk.read_bytes(), en.read_bytes()) == (uk_before, en_before)
    filled_en = body(tmp_path / "out" / "story.filled.en.txt")
    assert filled_en[0] == "First paragraph about Seoul."
    assert filled_en[1].startswith(DEFAULT_MARKER) and len(filled_en[1]) > len(DEFAULT_MARKER)
    assert filled_en[2:] == ["Third paragraph about Kyiv.", "A closing paragraph only in English."]
    filled_uk = body(tmp_path / "out" / "story.filled.uk.txt")
    assert filled_uk[:3] == [
        "Перший абзац про Сеул.",
        "Другий абзац лише українською.",
        "Третій абзац про Київ.",
    ]
    assert len(filled_uk) == 4 and filled_uk[3].startswith(DEFAULT_MARKER)
    fields = front_matter((tmp_path / "out" / "story.filled.en.txt").read_text(encoding="utf-8"))
    assert fields["machine_translation"] == "partial" and fields["mt_paragraphs"] == "1"
    assert fields["mt_marker"] == DEFAULT_MARKER
    assert fields["mt_model"] == "Helsinki-NLP/opus-mt-uk-en"
    fields = front_matter((tmp_path / "out" / "story.filled.uk.txt").read_text(encoding="utf-8"))
    assert fields["mt_model"] == "Helsinki-NLP/opus-mt-en-uk" and fields["mt_paragraphs"] == "3"


@pytest.mark.parametrize("engine", ["transformers", "ct2"])
def test_fill_with_a_one_direction_model_fills_that_direction_only(
    tmp_path: Path, tiny_marian: TinyMarian, fill_pair: tuple[Path, Path], engine: str
) -> None:
    uk, en = fill_pair
    model = tiny_marian.transformers if engine == "transformers" else tiny_marian.ct2
    out = tmp_path / "out"
    result = run("fill", uk, en, "--model", model, "--engine", engine, "--beam", "1", "-o", out)
    assert result.exit_code == 0, result.output
    # The tiny model is uk→en: the English version gets its draft, the Ukrainian one none.
    assert "a model for uk→en, and en→uk was asked for" in result.stderr
    filled_en = body(out / "story.filled.en.txt")
    assert len(filled_en) == 4 and filled_en[1].startswith(DEFAULT_MARKER)
    assert body(out / "story.filled.uk.txt") == FILL_UK.strip().split("\n\n")


def test_fill_without_a_model_fails_with_one_line_and_writes_nothing(
    tmp_path: Path, fill_pair: tuple[Path, Path]
) -> None:
    uk, en = fill_pair
    result = run("fill", uk, en, "-o", tmp_path / "out")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mistok: error:")
    assert "mistok models pull opus-mt" in lines[0] and "--model PATH" in lines[0]
    assert not (tmp_path / "out").exists()


def test_translate_refuses_a_model_folder_of_the_other_direction(
    tmp_path: Path, tiny_marian: TinyMarian
) -> None:
    source = tmp_path / "a.en.txt"
    source.write_text("The minister arrived in Seoul.\n", encoding="utf-8")
    result = run("translate", source, "--to", "uk", "--model", tiny_marian.ct2, "--engine", "ct2")
    assert result.exit_code == 2
    assert "a model for uk→en, and en→uk was asked for" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["a.en.txt"]


# --- models ----------------------------------------------------------------------------------


def test_models_pull_offline_fails_clearly() -> None:
    result = run("models", "pull", "opus-mt")
    assert result.exit_code == 2 and "HF_HUB_OFFLINE" in result.stderr


def test_models_pull_without_a_network_fails_at_once(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    # A fresh process: huggingface_hub reads HF_HUB_OFFLINE once, when it is imported.
    code = (
        "import socket\n"
        "def refuse(*args, **kwargs):\n"
        "    raise OSError('network disabled in this test')\n"
        "socket.getaddrinfo = refuse\n"
        "from mistok.cli import main\n"
        "main(['models', 'pull', 'opus-mt'])\n"
    )
    unset = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["HF_HOME"] = str(tmp_path / "hf-home")
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[1],
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "the Hugging Face hub cannot be reached" in lines[0], lines
    assert str(tmp_path / "hf-home" / "hub") in lines[0] and "--model PATH" in lines[0]


def test_models_list_shows_cached_models_with_sizes(
    tiny_marian: TinyMarian, offline_hub: Path, tmp_path: Path
) -> None:
    empty = run("models", "list")
    assert empty.exit_code == 0 and "no models" in empty.stderr
    install_as_registry_model(tiny_marian, offline_hub, tmp_path / "mistok-cache")
    result = run("models", "list")
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.strip().splitlines()]
    kinds = sorted((row[0], row[1]) for row in rows)
    assert ("Helsinki-NLP/opus-mt-uk-en", "transformers") in kinds
    assert ("Helsinki-NLP/opus-mt-en-uk (int8)", "ct2") in kinds
    assert all(row[3].endswith(("KB", "MB")) for row in rows)


def test_models_convert_a_local_folder(tiny_marian: TinyMarian, tmp_path: Path) -> None:
    out = tmp_path / "converted"
    result = run("models", "convert", tiny_marian.transformers, "--to", "ct2", "-o", out)
    assert result.exit_code == 0, result.output
    assert (out / "model.bin").is_file() and (out / "source.spm").is_file()
    no_output = run("models", "convert", tiny_marian.transformers, "--to", "ct2")
    assert no_output.exit_code == 2 and "-o OUT" in no_output.stderr
