"""The files of ``mistok run`` stay byte for byte what they were (hashes taken from the code
before the run configuration and the import contracts, issue 13), on both engines: the cache
folder and the lock file are left out (they hold no output).

The pair-hard and synthetic-archive hashes are main's outputs at d2c6ff1; the synthetic
archive's are those of the reference /work/ref/syn2000-main (run there on the absolute path
/work/ref/syn2000: its review pages, report.json and manifest.json name that path where these
name ``syn2000``; every other byte is the same). Since then only report.json and
manifest.json changed, on purpose: the run signature names the translation-memory unit and
the baseline (``tm-unit:sentence|baseline:none``), and the recorded settings the baseline
(``"baseline": null, "baseline_sha256": null``); every other file is byte for byte the same.

Regenerated on purpose for issue 16 (the dataset written as the rows come): ``dataset/
state.json`` holds mistok's fingerprint, ``bitext.parquet`` has row groups of 10,000 rows
(only the synthetic archive has more rows than that), and ``manifest.json`` lists both and the
new dataset key. Every other file is unchanged.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from mistok.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "wmt22-uk-en"
PAIR_HARD = SHARED / "pair-hard"

SEEDS = {
    "alignments/umerov-south-korea__umerov-south-korea.json": "e19c803823e4c3bc4f57359b90b595ee1b6079b76364cdb869bc87f8eac7aa95",  # noqa: E501
    "bitext.jsonl": "448922bb860898c3760d8fd364abcdd6a1d5e84dc294ce81fcfba88d9c174831",
    "bitext.tmx": "a2b9c69742e7cea863b44d0838453c6c8207264132a1c9d1f8898ea35a3294ee",
    "dataset/bitext.parquet": "77454d6cde3d5e0e286b4b3bd044cf63aa587ce76c1fc1fbaf870ac612415439",
    "dataset/data-00000-of-00001.arrow": "2abf93d6bb30c4fcaf98d9396b6c5b9ddc2caf6976875f3c49a8fff0a7364ebc",  # noqa: E501
    "dataset/dataset_info.json": "21a64f2f61cac839807f2204f7c6f40d99ea019e3ad35176e9f88461f0484742",
    "dataset/state.json": "b6f49e2ca80b26e4d819922f5e550e65bcc6aa93bb8f929bf9c77dd79d5ce709",
    "findings.csv": "21c1055980001decf40ec21fa539f9afd84dd9b777247e50d94a37027fd97a85",
    "findings.xlsx": "04367665fbc02776fe21f5980b24e1c1dfb10e71e71a513bc8dafdf4fe3c6386",
    "junit.xml": "368d291e3e5d4d1c83d665308cb835ac97bd0376a3acf20024bf1f842847aee3",
    "manifest.json": "cdfdda71a41c8868ca6e27a734d57f1d77af8eacea7daf02bda2c29cfb76e473",
    "needs_translation.tsv": "02d5f707fb7b002114173df5c15d2e0878910bee4f3ed19f6159e7e01e0fecc4",
    "pairs.tsv": "3fdd915aedc773c12268b57c2d138d7b24077d740f6c196989939d40e930d2f2",
    "pairs/umerov-south-korea__umerov-south-korea.html": "f004fb5c6e2a3496645b2071894266f063637dbb400428affcbca37b89f26998",  # noqa: E501
    "report.html": "dc546cee09fc2485d9bc366e301b1bee6f7e9816be0df6d540f2568ba58a5857",
    "report.json": "a64e466c306ed2d11f85fcae2d2756851b2ee1924986d14d47d7a9f86a681d55",
    "xliff/umerov-south-korea__umerov-south-korea.uk-en.xlf": "4a58146ddaf1d5694dc9a4eead961124f9ebf1418b38e99364161ed2caf2be31",  # noqa: E501
}
#: sha256 of the JSON of {file: sha256} over the 444 files of pair-hard run with its bridge.
PAIR_HARD_DIGEST = "793bb6dc28b9c49347228f177cb169641435d11c718b8f41d29bd2ed8695fb62"
#: Articles per side of the synthetic archive (``bench/make_synthetic_archive.py``, seed 13).
SYNTHETIC_ARTICLES = 2000
#: How many files ``mistok run`` writes on it, and the sha256 of the JSON of {file: sha256}.
SYNTHETIC_FILES = 4592
SYNTHETIC_DIGEST = "402332f7f6a6333a349ba67d91ce00f84a05dd7ab611b0dcee00caf28cf5f337"


def output_digests(out: Path) -> dict[str, str]:
    """sha256 of each output file by its path in ``out``, without the cache and the lock."""
    digests = {}
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out).as_posix()
        if path.is_file() and not name.startswith(".mistok-cache/") and name != ".mistok-lock":
            digests[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """No translation model, and the same Hugging Face folders on every machine (the report
    names the folder it searched)."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", "/nonexistent-mistok-golden/hf")
    monkeypatch.setenv("MISTOK_CACHE", "/nonexistent-mistok-golden/mistok")
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("HUGGINGFACE_HUB_CACHE", raising=False)


def digest_of(digests: dict[str, str]) -> str:
    """One hash for a whole output folder: sha256 of the JSON of {file: sha256}."""
    return hashlib.sha256(json.dumps(digests, sort_keys=True).encode()).hexdigest()


@pytest.fixture(scope="module")
def synthetic_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic archive as ``folder/syn2000`` (uk.jsonl, en.jsonl, gold.tsv): run it from
    ``folder`` as ``syn2000``, since the outputs name the input as given."""
    if not SHARED.is_dir():
        pytest.skip("../shared/data/wmt22-uk-en is absent (the synthetic archive is made of it)")
    spec = importlib.util.spec_from_file_location(
        "make_synthetic_archive", ROOT / "bench" / "make_synthetic_archive.py"
    )
    assert spec is not None and spec.loader is not None
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    folder = tmp_path_factory.mktemp("synthetic")
    uk, en, gold = maker.make_archive(SYNTHETIC_ARTICLES, seed=13, data=SHARED)
    maker.write_archive(folder / "syn2000", uk, en, gold)
    return folder


def _run(*args: str) -> None:
    result = CliRunner().invoke(main, ["run", *args])
    assert result.exit_code == 0, result.output


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_seeds_give_the_golden_files(
    tmp_path: Path, no_model: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # the review pages name the input files as given
    _run("seeds", "-o", str(tmp_path / "out"))
    assert output_digests(tmp_path / "out") == SEEDS


ENGINES = [
    pytest.param("local", id="local"),
    pytest.param("ray", id="ray", marks=pytest.mark.ray),
]


def _engine_options(engine: str) -> list[str]:
    """The options of ``mistok run`` for ``engine``. On Ray the run starts its own local
    instance (two CPUs) in the working folder and stops it, as for a user; skipped without
    Ray, except where ``MISTOK_TEST_RAY=required`` (.ci/run)."""
    if engine == "local":
        return []
    if os.environ.get("MISTOK_TEST_RAY") != "required":
        pytest.importorskip("ray", reason="ray is not installed (pip install 'mistok[ray]')")
    return ["--engine", "ray", "--ray-num-cpus", "2"]


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.skipif(not PAIR_HARD.is_dir(), reason="../shared/data/wmt22-uk-en is absent")
@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("engine", ENGINES)
def test_pair_hard_with_its_bridge_gives_the_golden_files(
    tmp_path: Path,
    no_model: None,
    monkeypatch: pytest.MonkeyPatch,
    engine: str,
) -> None:
    out = tmp_path / "out"
    options = _engine_options(engine)
    # the reports name the inputs as given: relative paths, so that the hashes hold wherever
    # the checkout (and ../shared beside it) lives
    monkeypatch.chdir(ROOT.parent)
    data = "shared/data/wmt22-uk-en/pair-hard"
    _run(f"{data}/uk", f"{data}/en", "--bridge", f"{data}/uk-mt", "-o", str(out), *options)
    digests = output_digests(out)
    assert len(digests) == 444
    assert digest_of(digests) == PAIR_HARD_DIGEST


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("engine", ENGINES)
def test_a_synthetic_archive_of_2000_articles_a_side_gives_the_golden_files(
    tmp_path: Path,
    no_model: None,
    monkeypatch: pytest.MonkeyPatch,
    synthetic_archive: Path,
    engine: str,
) -> None:
    out = tmp_path / "out"
    options = _engine_options(engine)
    monkeypatch.chdir(synthetic_archive)  # the outputs name the input as given: "syn2000"
    _run("syn2000", "-o", str(out), *options)
    digests = output_digests(out)
    assert len(digests) == SYNTHETIC_FILES
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["counts"]["uk_articles"] == report["counts"]["en_articles"] == SYNTHETIC_ARTICLES
    assert digest_of(digests) == SYNTHETIC_DIGEST
