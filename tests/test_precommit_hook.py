"""The pre-commit hooks (``.pre-commit-hooks.yaml``) on a fixture repository of articles, run
through ``pre-commit try-repo`` as a user would try them.

``try-repo`` runs ``mistok-check-system`` (language ``system``): it needs no environment of
its own, so it runs offline, with this checkout's mistok put first on PATH. ``mistok-check``
(language ``python``) runs the same entry after pre-commit has pip-installed mistok from its
repository, which needs a package index: its manifest entry is validated here, not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
pre_commit = pytest.importorskip("pre_commit", reason="pre-commit is not installed")
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

UK = "Міністр оборони Рустем Умєров прибув до Києва 27 листопада.\n"
EN_GOOD = "Defence Minister Rustem Umerov arrived in Kyiv on November 27.\n"
EN_BAD = "Defence Minister Rustem Umerov arrived in Kiev on November 27.\n"


def test_the_manifest_is_valid_for_pre_commit():
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook for hook in load_manifest(ROOT / ".pre-commit-hooks.yaml")}
    assert set(hooks) == {"mistok-check", "mistok-check-system"}
    for hook in hooks.values():
        assert hook["entry"] == "mistok check --each" and hook["require_serial"]
    assert hooks["mistok-check"]["language"] == "python"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture()
def hook_env(tmp_path):
    """PATH with a ``mistok`` that runs this checkout, and a private pre-commit cache."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "mistok"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m mistok "$@"\n')
    shim.chmod(0o755)
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-cache")
    env["NO_COLOR"] = "1"
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(key, None)
    return env


def _hook_repo(tmp_path: Path) -> Path:
    """A copy of the hook manifest in a repository of its own (``try-repo`` clones it)."""
    repo = tmp_path / "hook-repo"
    repo.mkdir()
    shutil.copy(ROOT / ".pre-commit-hooks.yaml", repo / ".pre-commit-hooks.yaml")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "hooks")
    return repo


def _articles_repo(tmp_path: Path, en_text: str) -> Path:
    articles = tmp_path / "articles"
    (articles / "news").mkdir(parents=True)
    (articles / "news" / "visit.uk.txt").write_text(UK, encoding="utf-8")
    (articles / "news" / "visit.en.txt").write_text(en_text, encoding="utf-8")
    (articles / "README.txt").write_text("not an article\n", encoding="utf-8")
    _git(articles, "init", "-q")
    _git(articles, "add", ".")
    return articles


def _try_repo(tmp_path: Path, env: dict[str, str], en_text: str) -> subprocess.CompletedProcess:
    hooks = ROOT if (ROOT / ".git").exists() else _hook_repo(tmp_path)
    articles = _articles_repo(tmp_path, en_text)
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(hooks), "mistok-check-system"]
    return subprocess.run(
        [*command, "--all-files", "--verbose"],
        cwd=articles,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_hook_passes_a_clean_pair(tmp_path, hook_env):
    result = _try_repo(tmp_path, hook_env, EN_GOOD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "mistok check (installed mistok)" in result.stdout
    assert "Passed" in result.stdout


def test_the_hook_stops_a_commit_with_a_rejected_spelling(tmp_path, hook_env):
    result = _try_repo(tmp_path, hook_env, EN_BAD)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout
    assert "style.rejected" in result.stdout and "'Kiev' is a rejected spelling" in result.stdout
