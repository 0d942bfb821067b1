"""Helpers shared by the tests of ``mistok run`` (the local and Ray engines, the run
configuration, the local pool, the translator exports): a small archive cut from the seed
story, a translator that echoes, and a snapshot of a run's output files."""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["SEEDS", "EchoTranslator", "finding_lines", "snapshot", "write_archive"]

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _paragraphs(path: Path) -> list[str]:
    body = path.read_text(encoding="utf-8").split("---", 2)[2]
    return [p.strip().replace("\n", " ") for p in body.split("\n\n") if p.strip()]


def write_archive(root: Path, split: bool = False) -> Path:
    """Three story pairs cut from the seed article along its gold alignment, and one extra
    Ukrainian article without an English version. ``split``: uk/ and en/ folders."""
    uk = _paragraphs(SEEDS / "umerov-south-korea.uk.txt")
    en = _paragraphs(SEEDS / "umerov-south-korea.en.txt")
    gold = json.loads((SEEDS / "umerov-south-korea.gold.json").read_text())
    groups = {"visit": gold[0:5], "aid": gold[5:10], "seoul": gold[10:16]}
    files: dict[str, str] = {}
    for name, beads in groups.items():
        uk_idx = [i for b in beads for i in b[0]]
        en_idx = [j for b in beads for j in b[1]]
        files[f"{name}.uk.txt"] = "\n\n".join(uk[i] for i in uk_idx) + "\n"
        files[f"{name}.en.txt"] = "\n\n".join(en[j] for j in en_idx) + "\n"
    files["harvest.uk.txt"] = (
        "Аграрії Полтавщини зібрали 2,4 мільйона тонн зерна станом на 3 жовтня.\n\n"
        "Найбільше зібрали кукурудзи та соняшнику, повідомили в обласній адміністрації.\n"
    )
    for name, text in files.items():
        folder = root / (name.split(".")[1] if split else "")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return root


class EchoTranslator:
    name = "echo-mt"

    def __init__(self) -> None:
        self.calls = 0

    def translate(self, texts, src, tgt):
        self.calls += 1
        return [f"[{src}>{tgt}] {t}" for t in texts]


def snapshot(out: Path) -> dict[str, bytes]:
    """Every output file's bytes, except the cache and the dataset folder (whose HF state has
    a random fingerprint): the dataset is compared through its rows."""
    files = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out).as_posix()
        skipped = (".mistok-cache/", "dataset/", ".mistok-lock")
        if path.is_file() and not relative.startswith(skipped):
            files[relative] = path.read_bytes()
    import datasets

    rows = datasets.load_from_disk(str(out / "dataset")).to_dict()
    files["dataset rows"] = json.dumps(rows, sort_keys=True).encode()
    return files


def finding_lines(out: Path) -> list[int | None]:
    """The line of every location of every finding in ``out/report.json``, in report order."""
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return [
        location.get("line")
        for pair in report["pairs"]
        for finding in pair.get("findings", ())
        for location in finding.get("locations", ())
    ]
