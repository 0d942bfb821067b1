"""Output safety, as a catalogue of commands × cases: never destroy what is not mistok's.

Each case gives a command an output it must treat with care — a character device made with
``mknod``, a named pipe, a symbolic link, one of its inputs, a read-only folder, a full
filesystem, a folder another run holds, a folder where someone corrected a draft and added a
file, a rerun killed half-way — and asserts the exit code, the one-line message, and that
nothing but mistok's own files changed (every entry of the folder hashed before and after).

CI runs as root, which ignores permission bits: a read-only folder is a read-only bind mount
(else an immutable folder through ``chattr``, else the case is skipped with the reason), a full
filesystem a small tmpfs (else ``RLIMIT_FSIZE``, which fails writes just the same).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from mistok.cli import main
from mistok.output_dir import FolderLock

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
STORY = "umerov-south-korea"
ROOT = Path(__file__).resolve().parents[1]

#: The commands that write one output file (``-o FILE``), and fill's two files in ``-o DIR``.
FILE_COMMANDS = ("check", "translate", "fill")
#: Every command that writes into an output folder or file.
ALL_COMMANDS = (*FILE_COMMANDS, "run")


# -- helpers ---------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: its kind and, for a regular file, its SHA-256."""
    entries = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        relative = path.relative_to(folder).as_posix()
        if stat.S_ISLNK(mode):
            entries[relative] = "link->" + os.readlink(path)
        elif stat.S_ISREG(mode):
            entries[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif stat.S_ISDIR(mode):
            entries[relative] = "dir"
        else:
            entries[relative] = f"special:{stat.S_IFMT(mode)}:{path.lstat().st_rdev}"
    return entries


def one_error_line(result) -> str:
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("mistok: error: "), result.output
    return lines[0]


class FakeTranslator:
    """A translator for ``translate`` and ``fill`` that needs no model: it upper-cases."""

    loaded = 0

    def translate_with_report(self, texts, src="uk", tgt="en", progress=None):
        from models.report import TranslationReport, TranslationResult

        settings = {"model": "fake", "engine": "test", "revision": "0", "precision": "-"}
        return TranslationResult(tuple(t.upper() for t in texts), TranslationReport((), settings))


@pytest.fixture
def fake_model(monkeypatch) -> type[FakeTranslator]:
    # the package exports the commands under the modules' names: take the modules
    fill_module = importlib.import_module("mistok.commands.fill")
    translate_module = importlib.import_module("mistok.commands.translate")

    FakeTranslator.loaded = 0

    def load(options, src, tgt):
        FakeTranslator.loaded += 1
        return FakeTranslator()

    monkeypatch.setattr(translate_module, "load_cli_translator", load)
    monkeypatch.setattr(fill_module, "load_cli_translator", load)
    return FakeTranslator


@pytest.fixture
def inputs(tmp_path) -> Path:
    """A folder with the seed story in both languages."""
    folder = tmp_path / "in"
    folder.mkdir()
    for lang in ("uk", "en"):
        shutil.copy(SEEDS / f"{STORY}.{lang}.txt", folder / f"{STORY}.{lang}.txt")
    return folder


def args_for(command: str, inputs: Path, out: Path) -> list[str]:
    uk, en = str(inputs / f"{STORY}.uk.txt"), str(inputs / f"{STORY}.en.txt")
    return {
        "check": ["check", uk, en, "--exit-zero", "-o", str(out)],
        "translate": ["translate", uk, "--to", "en", "-o", str(out)],
        "fill": ["fill", uk, en, "-o", str(out)],
        "run": ["run", str(inputs), "-o", str(out)],
    }[command]


def file_target(command: str, folder: Path) -> tuple[Path, Path]:
    """The ``-o`` to give and the file the command then writes (fill: its English file)."""
    if command == "fill":
        return folder, folder / f"{STORY}.filled.en.txt"
    return folder / "report.out", folder / "report.out"


def invoke(args: list[str]):
    return CliRunner().invoke(main, args)


@contextlib.contextmanager
def mounted_tmpfs(where: Path, size: str) -> Iterator[bool]:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
    )
    try:
        yield done.returncode == 0
    finally:
        if done.returncode == 0:
            subprocess.run(["umount", "-l", str(where)], capture_output=True)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[str]:
    """Make ``folder`` unwritable even for root; yields how (or skips the case)."""
    bind = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True)
    if bind.returncode == 0:
        remount = subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True
        )
        try:
            if remount.returncode == 0:
                yield "Read-only file system"
                return
        finally:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield "Permission denied"
        finally:
            folder.chmod(0o755)
        return
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0:
        try:
            yield "Operation not permitted"
        finally:
            subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
        return
    pytest.skip("root here can neither mount read-only nor chattr +i: no read-only folder")


# -- the catalogue ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_a_character_device_is_written_through_not_replaced(command, tmp_path, inputs, fake_model):
    folder = tmp_path / "o"
    folder.mkdir()
    given, device = file_target(command, folder)
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of our own
    except PermissionError:
        pytest.skip("mknod is not allowed here (not root, or no CAP_MKNOD)")
    before = snapshot(inputs)
    result = invoke(args_for(command, inputs, given))
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(device.lstat().st_mode)  # still the device, not a regular file
    assert snapshot(inputs) == before
    assert not list(folder.glob(".tmp-mistok-*"))


@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_a_named_pipe_is_written_through(command, tmp_path, inputs, fake_model):
    folder = tmp_path / "o"
    folder.mkdir()
    given, fifo = file_target(command, folder)
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    try:
        result = invoke(args_for(command, inputs, given))
    finally:
        # the command failed before opening the pipe: unblock the reader. Never a blocking
        # open: the reader may finish between a look at it and the open, and a blocking open
        # of a pipe nobody reads waits for ever.
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:  # ENXIO: no reader left
            pass
        reader.join(5)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received and received[0].strip()  # the output went through the pipe


@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_a_symlink_keeps_pointing_at_its_target_which_is_written(
    command, tmp_path, inputs, fake_model
):
    folder = tmp_path / "o"
    folder.mkdir()
    given, link = file_target(command, folder)
    target = tmp_path / "elsewhere" / "real.txt"
    target.parent.mkdir()
    target.write_text("old")
    link.symlink_to(target)
    result = invoke(args_for(command, inputs, given))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() != "old" and target.read_text().strip()


@pytest.mark.parametrize("command", ("check", "translate", "run"))
def test_an_input_given_as_output_is_refused_and_left_alone(
    command, tmp_path, inputs, fake_model
):
    given = inputs if command == "run" else inputs / f"{STORY}.uk.txt"
    if command == "check":
        given = inputs / f"{STORY}.en.txt"
    before = snapshot(tmp_path)
    result = invoke(args_for(command, inputs, given))
    assert result.exit_code == 2
    assert "input" in one_error_line(result)
    assert snapshot(tmp_path) == before
    assert fake_model.loaded == 0


def test_a_symlink_to_an_input_is_refused(tmp_path, inputs):
    link = tmp_path / "report.json"
    link.symlink_to(inputs / f"{STORY}.en.txt")
    before = snapshot(tmp_path)
    result = invoke(args_for("check", inputs, link))
    assert result.exit_code == 2
    assert "is the input" in one_error_line(result)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", ALL_COMMANDS)
def test_a_read_only_folder_is_one_line_before_the_work(command, tmp_path, inputs, fake_model):
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "keep.txt").write_text("keep")
    given = folder / "out" if command in ("run", "fill") else folder / "report.out"
    before = snapshot(tmp_path)
    with read_only(folder) as reason:
        result = invoke(args_for(command, inputs, given))
    assert result.exit_code == 2
    line = one_error_line(result)
    assert reason in line or "no write permission" in line
    assert snapshot(tmp_path) == before
    assert fake_model.loaded == 0  # refused before any model was loaded


@contextlib.contextmanager
def full_disk(where: Path) -> Iterator[str]:
    """A folder on a filesystem with no room left (tmpfs), else writes capped in size by
    RLIMIT_FSIZE (they fail with EFBIG, 'File too large')."""
    with mounted_tmpfs(where, "64k") as mounted:
        if mounted:
            with contextlib.suppress(OSError), open(where / "filler", "wb") as handle:
                while True:
                    handle.write(b"\0" * 4096)
                    handle.flush()
            yield "No space left on device"
            return
        where.mkdir(exist_ok=True)
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (200, hard))
        try:
            yield "File too large"
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
            signal.signal(signal.SIGXFSZ, old_handler)


@pytest.mark.parametrize("command", ALL_COMMANDS)
def test_a_full_filesystem_is_one_line_and_leaves_nothing_half_written(
    command, tmp_path, inputs, fake_model
):
    where = tmp_path / "full"
    with full_disk(where) as reason:
        given = where / "out" if command in ("run", "fill") else where / "report.out"
        before = {k: v for k, v in snapshot(where).items() if k != "filler"}
        result = invoke(args_for(command, inputs, given))
        after = snapshot(where)
    assert result.exit_code == 2, result.output
    assert reason in one_error_line(result)
    # nothing half-written; what is new is only a folder mistok made, its lock and cache
    new = {k for k in after if k not in before and k != "filler"}
    assert all(k == "out" or k.startswith("out/.mistok-") for k in new), new
    assert not [k for k in after if ".tmp-mistok-" in k]


def test_fill_writes_both_files_or_neither(tmp_path, inputs, fake_model, monkeypatch):
    from mistok import output_files

    real_stage = output_files.stage_file

    def english_fails(path, chunks):  # the Ukrainian file is staged first, then this fails
        if ".filled.en." in str(path):
            raise OSError(28, "No space left on device", str(path))
        return real_stage(path, chunks)

    monkeypatch.setattr(output_files, "stage_file", english_fails)
    out = tmp_path / "o"
    result = invoke(args_for("fill", inputs, out))
    assert result.exit_code == 2
    assert "No space left on device" in one_error_line(result)
    assert [p for p in out.rglob("*")] == []  # not the Ukrainian file, nor a temporary one

    monkeypatch.setattr(output_files, "stage_file", real_stage)
    assert invoke(args_for("fill", inputs, out)).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        f"{STORY}.filled.en.txt",
        f"{STORY}.filled.uk.txt",
    ]


def test_a_second_run_on_a_held_folder_names_the_folder_and_the_holder(tmp_path, inputs):
    out = tmp_path / "out"
    assert invoke(args_for("run", inputs, out)).exit_code == 0
    before = snapshot(out)
    with FolderLock(out):  # another run (this process) holds the folder
        result = invoke(args_for("run", inputs, out))
    assert result.exit_code == 2
    line = one_error_line(result)
    assert str(out) in line and f"pid {os.getpid()}" in line
    assert snapshot(out) == before


def test_the_lock_of_a_killed_run_does_not_block_the_next(tmp_path, inputs):
    out = tmp_path / "out"
    holder = (
        "import os, signal, sys; from mistok.output_dir import FolderLock; "
        "FolderLock(__import__('pathlib').Path(sys.argv[1])).acquire(); "
        "os.kill(os.getpid(), signal.SIGKILL)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", holder, str(out)], env=env)
    assert done.returncode == -signal.SIGKILL and (out / ".mistok-lock").is_file()
    result = invoke(args_for("run", inputs, out))
    assert result.exit_code == 0, result.output


def test_a_rerun_keeps_a_corrected_draft_and_an_added_file(tmp_path):
    from mistok.pipeline.driver import run_pipeline
    from mistok.run_records import RunSettings

    archive = tmp_path / "in"
    archive.mkdir()
    for lang in ("uk", "en"):
        shutil.copy(SEEDS / f"{STORY}.{lang}.txt", archive / f"{STORY}.{lang}.txt")
    (archive / "harvest.uk.txt").write_text(
        "Аграрії Полтавщини зібрали 2,4 мільйона тонн зерна станом на 3 жовтня.\n", "utf-8"
    )

    class Upper:
        name = "upper"

        def translate(self, texts, src, tgt):
            return [t.upper() for t in texts]

    out = tmp_path / "out"
    run_pipeline(RunSettings((archive,), out), translator=Upper())
    draft = out / "drafts" / "harvest.en.txt"
    assert draft.is_file()
    draft.write_text(draft.read_text() + "\nCorrected by an editor.\n")
    (out / "alignments" / "editor-notes.txt").write_text("mine")
    (out / "pairs" / "extra.html").write_text("<p>mine</p>")
    mine = {k: v for k, v in snapshot(out).items() if "editor" in k or "extra" in k}
    mine["drafts/harvest.en.txt"] = snapshot(out)["drafts/harvest.en.txt"]

    # the rerun would write the same draft, and the unpaired article is then gone entirely
    (archive / "harvest.uk.txt").unlink()
    summary = run_pipeline(RunSettings((archive,), out), translator=Upper())
    after = snapshot(out)
    assert {k: after.get(k) for k in mine} == mine  # every one of them, untouched
    kept = dict(summary.kept)
    assert kept["drafts/harvest.en.txt"] == "changed since mistok wrote it"
    assert kept["alignments/editor-notes.txt"] == "not written by mistok"
    report = json.loads((out / "report.json").read_text())
    assert {k["path"] for k in report["kept_files"]} == set(mine)
    assert "editor-notes.txt" in (out / "report.html").read_text()

    # the CLI summary lists them
    result = invoke(["run", str(archive), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "kept drafts/harvest.en.txt (changed since mistok wrote it)" in " ".join(
        result.output.split()
    )


def test_a_manifest_that_is_not_mistoks_makes_a_foreign_folder(tmp_path, inputs):
    out = tmp_path / "webapp"
    out.mkdir()
    (out / "manifest.json").write_text('{"name": "My App", "icons": []}')
    (out / "pairs").mkdir()
    (out / "pairs" / "index.html").write_text("<p>app</p>")
    before = snapshot(out)
    result = invoke(args_for("run", inputs, out))
    assert result.exit_code == 2
    assert "manifest.json was not written by mistok" in one_error_line(result)
    assert snapshot(out) == before


def _three_pairs(folder: Path) -> None:
    """Three small pairs cut from the seed story, so that a run writes several pages."""
    uk = (SEEDS / f"{STORY}.uk.txt").read_text().split("\n\n")
    en = (SEEDS / f"{STORY}.en.txt").read_text().split("\n\n")
    gold = json.loads((SEEDS / f"{STORY}.gold.json").read_text())
    for name, beads in {"visit": gold[0:5], "aid": gold[5:10], "seoul": gold[10:16]}.items():
        (folder / f"{name}.uk.txt").write_text(
            "\n\n".join(uk[i] for b in beads for i in b[0]) + "\n", "utf-8"
        )
        (folder / f"{name}.en.txt").write_text(
            "\n\n".join(en[j] for b in beads for j in b[1]) + "\n", "utf-8"
        )


@pytest.mark.slow
def test_a_rerun_killed_half_way_never_leaves_a_report_linking_missing_pages(tmp_path):
    import killed_run

    archive = tmp_path / "in"
    archive.mkdir()
    _three_pairs(archive)
    out = tmp_path / "out"
    assert invoke(["run", str(archive), "-o", str(out)]).exit_code == 0
    (out / "pairs" / "mine.html").write_text("<p>a page of my own</p>")
    # the rerun changes two pairs and drops one: new pages, one stale page to remove
    for name in ("aid", "seoul"):
        path = archive / f"{name}.en.txt"
        path.write_text(path.read_text() + "\nOne more paragraph in English only.\n")
    (archive / "visit.uk.txt").unlink()
    (archive / "visit.en.txt").unlink()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.run(
        killed_run.command("check", 1, "run", str(archive), "-o", str(out)),
        env=env,
        capture_output=True,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    report = json.loads((out / "report.json").read_text())
    for pair in report["pairs"]:  # whatever it says, every page it links exists
        assert (out / pair["review"]).is_file() and (out / pair["alignment"]).is_file()
    assert report["complete"] is False and "did not finish" in report["incomplete"]
    assert "Incomplete" in (out / "report.html").read_text()

    result = invoke(["run", str(archive), "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    assert report["complete"] is True and len(report["pairs"]) == 2
    pages = sorted(p.name for p in (out / "pairs").iterdir())
    assert pages == sorted([f"{p['pair']}.html" for p in report["pairs"]] + ["mine.html"])


# -- the smaller promises --------------------------------------------------------------------


def test_ctrl_c_exits_130(monkeypatch, inputs):
    check_module = importlib.import_module("mistok.commands.check")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(check_module, "_run", interrupted)
    result = CliRunner().invoke(main, ["check", str(inputs / f"{STORY}.en.txt")])
    assert result.exit_code == 130
    assert result.output.strip() == "mistok: interrupted"


def test_an_explicit_model_that_is_not_there_is_exit_2_before_any_work(tmp_path, inputs):
    out = tmp_path / "out"
    result = invoke([*args_for("run", inputs, out), "--model", str(tmp_path / "typo")])
    assert result.exit_code == 2
    assert "--model" in one_error_line(result) and "typo" in one_error_line(result)
    assert not out.exists()


def test_a_bad_severity_in_the_config_names_the_file(tmp_path, inputs):
    config = tmp_path / "checks.toml"
    config.write_text('[checks.numbers]\nseverity = {missing = "fatal"}\n')
    result = invoke(["check", str(inputs / f"{STORY}.en.txt"), "--config", str(config)])
    assert result.exit_code == 2
    line = one_error_line(result)
    assert str(config) in line and "'fatal'" in line


def test_score_refuses_a_file_over_the_size_limit_naming_it(tmp_path, monkeypatch):
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text("a line\n" * 100)
    ref.write_text("a line\n" * 100)
    monkeypatch.setenv("MISTOK_MAX_INPUT_BYTES", "500")
    result = invoke(["score", "--hyp", str(hyp), "--ref", str(ref)])
    assert result.exit_code == 2
    assert str(hyp) in one_error_line(result) and "limit" in one_error_line(result)


def test_run_names_the_only_ukrainian_file_skipped_for_its_size(tmp_path, inputs, monkeypatch):
    monkeypatch.setenv("MISTOK_MAX_INPUT_BYTES", "4000")  # the uk seed is over, the en under
    assert (inputs / f"{STORY}.uk.txt").stat().st_size > 4000
    assert (inputs / f"{STORY}.en.txt").stat().st_size < 4000
    result = invoke(args_for("run", inputs, tmp_path / "out"))
    assert result.exit_code == 2
    line = one_error_line(result)
    assert f"{STORY}.uk.txt" in line and "limit" in line


def test_stdout_on_a_full_device_is_one_line(tmp_path, inputs):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "mistok", "align", str(inputs / f"{STORY}.uk.txt"),
             str(inputs / f"{STORY}.en.txt"), "--format", "json"],
            stdout=full,
            stderr=subprocess.PIPE,
            env=env,
        )
    assert done.returncode == 2
    assert done.stderr.decode().strip().splitlines() == [
        "mistok: error: standard output: No space left on device"
    ]


def test_models_convert_checks_its_output_folder_first(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    before = snapshot(tmp_path)
    with read_only(folder) as reason:
        result = invoke(["models", "convert", str(tmp_path / "no-model"), "-o", str(folder / "m")])
    assert result.exit_code == 2
    assert reason in one_error_line(result)
    assert snapshot(tmp_path) == before


def test_models_convert_on_a_full_disk_is_one_line(tmp_path, monkeypatch):
    import models.convert

    def disk_full(name, **kwargs):
        raise OSError(28, "No space left on device", str(kwargs["out"] / "model.bin"))

    monkeypatch.setattr(models.convert, "convert_to_ct2", disk_full)
    result = invoke(["models", "convert", "./my-marian", "-o", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "No space left on device" in one_error_line(result)


def test_a_folder_from_before_the_marker_is_still_a_runs_folder(tmp_path):
    # manifests written before the marker and the dataset's file list: still mistok's, and
    # the dataset it wrote is replaced when the bitext changes
    pytest.importorskip("datasets")
    archive = tmp_path / "in"
    archive.mkdir()
    _three_pairs(archive)
    out = tmp_path / "out"
    assert invoke(["run", str(archive), "-o", str(out)]).exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["format"], manifest["kept"]
    manifest["outputs"] = {
        k: v for k, v in manifest["outputs"].items() if not k.startswith("dataset/")
    }
    (out / "manifest.json").write_text(json.dumps(manifest))
    (archive / "aid.uk.txt").unlink()
    (archive / "aid.en.txt").unlink()
    result = invoke(["run", str(archive), "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    assert report["kept_files"] == [] and len(report["pairs"]) == 2
    manifest = json.loads((out / "manifest.json").read_text())
    assert any(k.startswith("dataset/") for k in manifest["outputs"])


def test_dev_stdout_to_a_pipe_is_written_through(inputs):
    if not Path("/dev/stdout").exists():
        pytest.skip("no /dev/stdout here")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "mistok", "check", str(inputs / f"{STORY}.en.txt"),
         "--exit-zero", "--format", "json", "-o", "/dev/stdout"],
        capture_output=True,  # stdout is a pipe: /dev/stdout resolves to no path at all
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["tool"]["name"] == "mistok"


@pytest.mark.parametrize("option", ["check --style", "check --config", "align --lexicon"])
def test_every_reader_has_the_size_limit(option, tmp_path, inputs, monkeypatch):
    command, flag = option.split()
    big = tmp_path / "big.toml"
    big.write_text("# padding\n" * 600)  # 6,000 bytes; the articles are under 5,000
    monkeypatch.setenv("MISTOK_MAX_INPUT_BYTES", "5000")
    uk, en = str(inputs / f"{STORY}.uk.txt"), str(inputs / f"{STORY}.en.txt")
    args = [command, uk, en, flag, str(big)]
    result = invoke(args)
    assert result.exit_code == 2
    line = one_error_line(result)
    assert str(big) in line and "limit" in line
