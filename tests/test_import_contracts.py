"""The layers of the architecture, enforced: the import-linter contracts of pyproject.toml
([tool.importlinter]) hold for the code, and they do catch what they forbid."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("importlinter", reason="import-linter is not installed (the test extra)")

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]

#: The aligner modules that models may import (README, "Architecture").
MODELS_USES = {"document", "errors", "language", "numbers", "toml_files"}


def lint_imports(folder: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` over the packages found in ``folder``, with its pyproject.toml."""
    code = (
        "from importlinter.cli import lint_imports\n"
        "raise SystemExit(lint_imports(config_filename='pyproject.toml', no_cache=True))"
    )
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, text=True
    )


def test_the_code_keeps_every_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


def test_commands_contract_lists_every_command_module() -> None:
    """Every module of mistok/commands but the package and the shared helpers is in the
    independence contract, so a new command may not import another either."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if c.get("id") == "commands-independent"
    ]
    modules = {p.stem for p in (ROOT / "mistok" / "commands").glob("*.py")}
    listed = {m.removeprefix("mistok.commands.") for m in contract["modules"]}
    assert listed == modules - {"__init__", "shared"}


def test_models_contract_lists_every_other_aligner_module() -> None:
    """The forbidden list names every aligner module except the ones models may use, so a new
    aligner module is forbidden to models until the README and this test say otherwise."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if c.get("source_modules") == ["models"]
    ]
    modules = {p.stem for p in (ROOT / "aligner").glob("*.py")} - {"__init__"}
    forbidden = {m.removeprefix("aligner.") for m in contract["forbidden_modules"]}
    assert forbidden == modules - MODELS_USES


def test_a_cycle_and_an_upward_import_break_the_contracts(tmp_path: Path) -> None:
    """The same contract types over a toy project with one cycle and one upward import."""
    files = {
        "low/__init__.py": "",
        "low/a.py": "from low import b\n",
        "low/b.py": "from low import a\nimport high\n",
        "high/__init__.py": "import low.a\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            """
            [tool.importlinter]
            root_packages = ["low", "high"]
            [[tool.importlinter.contracts]]
            name = "layers"
            type = "layers"
            layers = ["high", "low"]
            [[tool.importlinter.contracts]]
            name = "acyclic"
            type = "acyclic_siblings"
            ancestors = ["low"]
            """
        ),
        encoding="utf-8",
    )
    result = lint_imports(tmp_path)
    assert result.returncode == 1
    assert "Contracts: 0 kept, 2 broken." in result.stdout
