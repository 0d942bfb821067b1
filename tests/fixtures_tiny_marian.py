"""Fixtures of the translation tests: one tiny Marian model per session, an offline hub.

The model is built once (random weights, sentencepiece trained on
``tests/models_fixtures/corpus.*.txt``, d_model 32, 2+2 layers), saved in the transformers
layout and converted to CTranslate2 int8. Tests load it through the same public path a user's
model takes (``load_translator(PATH)`` or the registry through a fake HF cache snapshot).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "models_fixtures"
FAKE_COMMIT = "0123456789abcdef0123456789abcdef01234567"


def _lines(path: Path) -> list[str]:
    return [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


@dataclass(frozen=True)
class TinyMarian:
    """Where the session's tiny model lives: transformers folder and CTranslate2 copy."""

    transformers: Path
    ct2: Path


@pytest.fixture(scope="session")
def tiny_marian(tmp_path_factory: pytest.TempPathFactory) -> TinyMarian:
    from synthetic_marian import build_marian_model

    from models.convert import convert_to_ct2

    root = tmp_path_factory.mktemp("tiny-marian")
    hf_folder = build_marian_model(
        root / "hf",
        _lines(FIXTURES / "corpus.uk.txt"),
        _lines(FIXTURES / "corpus.en.txt"),
        init_std=1.0,
    )
    (ct2_folder,) = convert_to_ct2(hf_folder, out=root / "ct2", quantization="int8")
    return TinyMarian(hf_folder, ct2_folder)


@pytest.fixture
def offline_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty Hugging Face home and mistok cache, with the hub switched off."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("HUGGINGFACE_HUB_CACHE", raising=False)
    monkeypatch.setenv("MISTOK_CACHE", str(tmp_path / "mistok-cache"))
    return tmp_path / "hf-home"


def install_as_registry_model(
    tiny: TinyMarian,
    hf_home: Path,
    mistok_cache: Path,
    hub_ids: tuple[str, ...] = ("Helsinki-NLP/opus-mt-uk-en", "Helsinki-NLP/opus-mt-en-uk"),
) -> None:
    """Lay the tiny model out as `mistok models pull` + `convert` would have: a snapshot in
    the HF cache (refs/main → commit) and a CTranslate2 copy in the mistok cache."""
    from models.resolve import MODEL_INFO_FILE, ct2_dir

    for hub_id in hub_ids:
        repo = hf_home / "hub" / ("models--" + hub_id.replace("/", "--"))
        (repo / "refs").mkdir(parents=True, exist_ok=True)
        (repo / "refs" / "main").write_text(FAKE_COMMIT)
        shutil.copytree(tiny.transformers, repo / "snapshots" / FAKE_COMMIT, dirs_exist_ok=True)
        target = ct2_dir(hub_id, "int8")
        shutil.copytree(tiny.ct2, target, dirs_exist_ok=True)
        info = json.loads((target / MODEL_INFO_FILE).read_text(encoding="utf-8"))
        info.update(hub_id=hub_id, revision=FAKE_COMMIT)
        (target / MODEL_INFO_FILE).write_text(json.dumps(info), encoding="utf-8")
    assert str(mistok_cache) in str(ct2_dir(hub_ids[0]))
