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


def _articles_repo(tmp_path: Path) -> Path:
    """A repository with a clean pair, a pair whose English version says "Kiev", and a file
    that is no article."""
    articles = tmp_path / "articles"
    (articles / "news").mkdir(parents=True)
    for name, en_text in (("clean", EN_GOOD), ("visit", EN_BAD)):
        (articles / "news" / f"{name}.uk.txt").write_text(UK, encoding="utf-8")
        (articles / "news" / f"{name}.en.txt").write_text(en_text, encoding="utf-8")
    (articles / "README.txt").write_text("Kiev: not an article, not checked\n", encoding="utf-8")
    _git(articles, "init", "-q")
    _git(articles, "add", ".")
    return articles


def _try_repo(articles: Path, hooks: Path, env: dict[str, str], *files: str):
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(hooks), "mistok-check-system"]
    return subprocess.run(
        [*command, *(["--files", *files] if files else ["--all-files"]), "--verbose"],
        cwd=articles,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_hook_through_try_repo(tmp_path, hook_env):
    # this repository itself where it is a git checkout with the manifest committed (CI's
    # clone), else a repository holding just the manifest
    committed = subprocess.run(
        ["git", "ls-files", "--error-unmatch", ".pre-commit-hooks.yaml"],
        cwd=ROOT,
        capture_output=True,
    )
    hooks = ROOT if committed.returncode == 0 else _hook_repo(tmp_path)
    articles = _articles_repo(tmp_path)

    clean = _try_repo(articles, hooks, hook_env, "news/clean.en.txt", "README.txt")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "mistok check (installed mistok)" in clean.stdout and "Passed" in clean.stdout

    everything = _try_repo(articles, hooks, hook_env)
    assert everything.returncode == 1, everything.stdout + everything.stderr
    assert "Failed" in everything.stdout
    assert "style.rejected" in everything.stdout
    assert "'Kiev' is a rejected spelling" in everything.stdout
    assert "visit.en" in everything.stdout and "clean.en" not in everything.stdout


@pytest.mark.skipif(
    os.environ.get("MISTOK_TEST_PRECOMMIT_PYTHON") != "1",
    reason="builds the hook's own environment from PyPI (about a minute, needs the index): "
    "set MISTOK_TEST_PRECOMMIT_PYTHON=1",
)
def test_the_python_hook_installs_mistok_into_its_own_environment(tmp_path):
    articles = _articles_repo(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GIT_DIR")}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-cache")
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "mistok-check"]
        + ["--all-files", "--verbose"],
        cwd=articles,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "'Kiev' is a rejected spelling" in result.stdout
