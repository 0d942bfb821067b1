"""The composite GitHub Action (``action.yml``): its inputs and steps, and its mistok step's
script run with bash on a fixture folder, as the runner would run it (with this checkout's
mistok first on PATH)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).parent.parent
SCHEMAS = Path(__file__).parent / "schemas"
pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")

UK = "Міністр оборони Рустем Умєров прибув до Києва 27 листопада.\n"
EN_BAD = "Defence Minister Rustem Umerov arrived in Kiev on November 27.\n"


@pytest.fixture(scope="module")
def action():
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_the_action_is_composite_with_its_inputs(action):
    assert action["runs"]["using"] == "composite"
    for name in ("command", "paths", "style", "baseline", "fail-on", "format", "sarif-file"):
        assert name in action["inputs"], name
    uses = [step.get("uses", "") for step in action["runs"]["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert all(step.get("shell") == "bash" for step in action["runs"]["steps"] if "run" in step)


def _step_script(action) -> tuple[str, dict[str, str]]:
    [step] = [s for s in action["runs"]["steps"] if s.get("id") == "mistok"]
    return step["run"], step["env"]


def _run_step(action, tmp_path: Path, **inputs: str) -> tuple[int, dict[str, str]]:
    script, env_spec = _step_script(action)
    defaults = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    values = {**defaults, **inputs}
    env = dict(os.environ)
    for key, expression in env_spec.items():  # "${{ inputs.NAME }}" → the input's value
        name = expression.removeprefix("${{ inputs.").removesuffix(" }}")
        env[key] = values[name]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "mistok"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m mistok "$@"\n')
    shim.chmod(0o755)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    outputs = tmp_path / "github_output"
    outputs.write_text("")
    env["GITHUB_OUTPUT"] = str(outputs)
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path / "repo",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    found = dict(line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line)
    return result.returncode, {**found, "stdout": result.stdout, "stderr": result.stderr}


@pytest.fixture()
def repo(tmp_path):
    folder = tmp_path / "repo" / "articles"
    folder.mkdir(parents=True)
    (folder / "visit.uk.txt").write_text(UK, encoding="utf-8")
    (folder / "visit.en.txt").write_text(EN_BAD, encoding="utf-8")
    return folder


def test_the_check_step_annotates_fails_and_writes_sarif(action, tmp_path, repo):
    code, out = _run_step(action, tmp_path, paths="articles")
    assert code == 1 and out["exit-code"] == "1", out["stderr"]
    assert "::error file=articles/visit.en.txt,line=1,col=43,endColumn=46" in out["stdout"]
    sarif = json.loads((tmp_path / "repo" / "mistok.sarif").read_text(encoding="utf-8"))
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    assert any(r["ruleId"] == "style.rejected" for r in sarif["runs"][0]["results"])


def test_the_check_step_with_fail_on_never_and_a_baseline(action, tmp_path, repo):
    baseline = tmp_path / "repo" / ".mistok-baseline"
    subprocess.run(
        [sys.executable, "-m", "mistok", "check", "--each", "visit.uk.txt", "visit.en.txt"]
        + ["--write-baseline", str(baseline)],
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
    )
    code, out = _run_step(action, tmp_path, paths="articles/*.txt", baseline=".mistok-baseline")
    assert code == 0, out["stdout"] + out["stderr"]
    assert "::error" not in out["stdout"]
    code, out = _run_step(action, tmp_path, paths="articles", **{"fail-on": "never"})
    assert code == 0 and "::error" in out["stdout"]


def test_the_step_refuses_an_unknown_command(action, tmp_path, repo):
    code, out = _run_step(action, tmp_path, command="lint")
    assert code == 2 and "command must be check or run" in out["stdout"]
