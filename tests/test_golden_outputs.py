"""The files of ``mistok run`` stay byte for byte what they were (hashes taken from the code
before the run configuration and the import contracts, issue 13): the cache folder and the
lock file are left out (they hold no output)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mistok.cli import main

ROOT = Path(__file__).resolve().parents[1]
PAIR_HARD = ROOT.parent / "shared" / "data" / "wmt22-uk-en" / "pair-hard"

SEEDS = {
    "alignments/umerov-south-korea__umerov-south-korea.json": "8fc52eaac4251a676b7baf60bd598f81cd3c64fe843d6a7d0131bc65a7b2c173",  # noqa: E501
    "bitext.jsonl": "c62c222376bb411a3dfce384afcf5f150a90958bc43ead7c6090f0159d776d1e",
    "bitext.tmx": "33a70603424e36c5fa846ed5e62c6c9f2a84e06f69927265ce2998fa067de042",
    "dataset/bitext.parquet": "19a66c92879c6facb115931b845125c7fa8807d2d7724ea9c4f39223f00ceda7",
    "dataset/data-00000-of-00001.arrow": "a193ec8d0d93c7c79bc3546199113e6f80a5cdd72b98e2dfc72e24ba6ed1f636",  # noqa: E501
    "dataset/dataset_info.json": "21a64f2f61cac839807f2204f7c6f40d99ea019e3ad35176e9f88461f0484742",
    "dataset/state.json": "a0258d3f8e415fef5b014f506ff3e3cdf17865c2e30e66efcf4f4577c999c824",
    "findings.csv": "84268765d393ab0c74661de2485038a1d49d3acdfed101846d5b333f1dad77e0",
    "findings.xlsx": "5306403ac209a9ac880c00497a3d07b96710d4d7b5de0accfb8d63e4ce459fd2",
    "junit.xml": "9d27337aea90205e39e1e74623e37591f7a1e9e30347f205673af6233fa945a6",
    "manifest.json": "50b7a1e3996884e366367c0ce73cc2db2e556f09627151df7703db5af34593ac",
    "needs_translation.tsv": "02d5f707fb7b002114173df5c15d2e0878910bee4f3ed19f6159e7e01e0fecc4",
    "pairs/umerov-south-korea__umerov-south-korea.html": "c367280ef1a333952e242c7392211e45a9e561dcdda9a7ae3f3e11f69b724236",  # noqa: E501
    "pairs.tsv": "3fdd915aedc773c12268b57c2d138d7b24077d740f6c196989939d40e930d2f2",
    "report.html": "fec1031ca2a948b9e68e5a169208e5129956022f9cc1164295db4d4d74309f45",
    "report.json": "b9bc95cc395754e009334c10f3160fa84f981970ccda5ded0f6d8c801d9ea30d",
    "xliff/umerov-south-korea__umerov-south-korea.uk-en.xlf": "fb61add32337df77d68773cad822f880f5b756abdbf903c874b0ac53de9acab4",  # noqa: E501
}
#: sha256 of the JSON of {file: sha256} over the 415 files of pair-hard run with its bridge.
PAIR_HARD_DIGEST = "fe1133d05854074057efd43412b9c95d57d5fb438fc4586ff6927259e2b19e77"


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


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.skipif(not PAIR_HARD.is_dir(), reason="../shared/data/wmt22-uk-en is absent")
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_pair_hard_with_its_bridge_gives_the_golden_files(tmp_path: Path, no_model: None) -> None:
    out = tmp_path / "out"
    _run(
        str(PAIR_HARD / "uk"),
        str(PAIR_HARD / "en"),
        "--bridge",
        str(PAIR_HARD / "uk-mt"),
        "-o",
        str(out),
    )
    digests = output_digests(out)
    assert len(digests) == 415
    assert (
        hashlib.sha256(json.dumps(digests, sort_keys=True).encode()).hexdigest() == PAIR_HARD_DIGEST
    )
