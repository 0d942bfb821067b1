"""A finished ``mistok run`` for the review tests, made once per session: the seed story
(with an English paragraph that carries a script tag), plus a Ukrainian article without a
counterpart, translated by the tiny test model so that the run has machine drafts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
PAIR = "story__story"
HOSTILE = "Subscribe to our newsletter. <script>window.__pwned = true;</script>"


def write_inputs(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for lang in ("uk", "en"):
        source = SEEDS / f"umerov-south-korea.{lang}.txt"
        (folder / f"story.{lang}.txt").write_text(source.read_text(encoding="utf-8"))
    with (folder / "story.en.txt").open("a", encoding="utf-8") as english:
        english.write(f"\n\n{HOSTILE}\n")
    (folder / "harvest.uk.txt").write_text(
        "Аграрії Полтавщини зібрали 2,4 мільйона тонн зерна.\n\n"
        "Найбільше зібрали кукурудзи та соняшнику.\n",
        encoding="utf-8",
    )
    return folder


def run_cli(*args: str):
    from click.testing import CliRunner

    from mistok.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def umyerov(findings) -> str:
    """The fingerprint of the finding about Umyerov / Umerov (names.variant)."""
    return next(
        str(f["fingerprint"])
        for f in findings
        if f["rule"] == "names.variant" and "Umyerov" in str(f["message"])
    )


@pytest.fixture(scope="session")
def review_base(tmp_path_factory, tiny_marian) -> tuple[Path, Path, Path]:
    """(inputs, run folder, model) of one run with drafts; copy the run before changing it."""
    root = tmp_path_factory.mktemp("review-run")
    inputs = write_inputs(root / "in")
    out = root / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setenv("HF_HOME", str(root / "hf-home"))
        patch.setenv("MISTOK_CACHE", str(root / "mistok-cache"))
        result = run_cli(
            "run", str(inputs), "-o", str(out), "--model", str(tiny_marian.transformers)
        )
    assert result.exit_code == 0, result.output
    return inputs, out, tiny_marian.transformers


@pytest.fixture()
def review_run(review_base, tmp_path) -> Path:
    """A copy of the session's run, to change."""
    _inputs, out, _model = review_base
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    return copy
