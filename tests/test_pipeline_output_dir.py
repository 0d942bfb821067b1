"""The output folder: atomic writes, leftovers of a killed run, the result cache, refusals."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3

import pytest

from aligner.errors import InputError
from mistok import output_dir, output_files
from mistok.output_dir import (
    TEMP_PREFIX,
    OutputDir,
    atomic_write_folder,
    atomic_write_text,
    content_key,
)


def test_a_failed_write_keeps_the_old_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    atomic_write_text(target, "old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(output_dir.os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write_text(target, "new content")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_failed_folder_build_keeps_the_old_folder(tmp_path):
    folder = tmp_path / "dataset"
    atomic_write_folder(folder, lambda tmp: (tmp / "a.txt").write_text("1"))

    def failing(tmp):
        (tmp / "half.txt").write_text("half")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        atomic_write_folder(folder, failing)
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset"]


def test_leftovers_of_a_killed_run_are_removed(tmp_path):
    (tmp_path / "alignments").mkdir()
    (tmp_path / "alignments" / f"{TEMP_PREFIX}abc").write_text("half")
    (tmp_path / f"{TEMP_PREFIX}dir").mkdir()
    (tmp_path / "alignments" / "kept.json").write_text("{}")
    OutputDir(tmp_path)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["alignments", "kept.json"]


def test_cache_round_trip_and_unreadable_entry(tmp_path):
    out = OutputDir(tmp_path / "out")
    key = content_key("align", {"a": 1})
    assert out.cache.get("align", key) is None
    out.cache.put("align", key, {"beads": [[0], [1]]})
    assert out.cache.get("align", key) == {"beads": [[0], [1]]}
    out.close()
    with sqlite3.connect(out.root / ".mistok-cache" / "results.sqlite") as db:
        db.execute("UPDATE results SET value = ? WHERE key = ?", ('{"beads": [[0', key))
    db.close()
    again = OutputDir(tmp_path / "out")
    assert again.cache.get("align", key) is None  # an unreadable value counts as missing
    again.close()


def test_content_key_depends_on_every_part():
    assert content_key("a", [1, 2]) == content_key("a", [1, 2])
    assert content_key("a", [1, 2]) != content_key("a", [2, 1])
    assert content_key({"x": 1, "y": 2}) == content_key({"y": 2, "x": 1})


def test_prune_removes_only_files_not_written_now(tmp_path):
    out = OutputDir(tmp_path)
    out.write_text("alignments/a.json", "{}")
    out.write_text("alignments/b.json", "{}")
    out.add_output("alignments/a.json", hashlib.sha256(b"{}").hexdigest())
    (tmp_path / "notes.txt").write_text("someone's")
    assert out.prune_stale() == 1
    assert [p.name for p in (tmp_path / "alignments").iterdir()] == ["a.json"]
    assert (tmp_path / "notes.txt").exists()
    out.close()
    assert not list((tmp_path / ".mistok-cache").glob(f"{TEMP_PREFIX}*"))  # the ledger is gone


def test_output_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "out"
    target.write_text("not a folder")
    with pytest.raises(InputError, match="is a file"):
        OutputDir(target)
    with pytest.raises(InputError, match="is a file"):
        OutputDir(target / "sub")
    assert target.read_text() == "not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_output_without_write_permission_is_refused(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(InputError, match="no write permission"):
            OutputDir(locked / "out")
    finally:
        locked.chmod(0o700)


def test_cache_drops_only_entries_this_run_did_not_use(tmp_path):
    first = OutputDir(tmp_path).cache
    first.put("align", "a", 1)
    first.put("align", "b", 2)
    first.put("check", "c", 3)
    first.close()
    second = OutputDir(tmp_path).cache
    assert second.get("align", "a") == 1
    assert second.drop_unused() == 1
    second.close()
    third = OutputDir(tmp_path).cache
    assert third.get("align", "b") is None
    assert third.get("check", "c") == 3  # a stage this run never touched is left alone
    third.close()


def test_output_where_access_is_denied_is_refused(tmp_path, monkeypatch):
    # the same refusal as above, where root cannot lose write permission: deny it
    monkeypatch.setattr(output_dir.os, "access", lambda path, mode: False)
    with pytest.raises(InputError, match=f"no write permission in {tmp_path}"):
        OutputDir(tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_written_files_and_folders_get_the_umask_permissions(tmp_path):
    # tempfile makes them private (0600, 0700); a plain write would let others read them
    old = os.umask(0o022)
    output_files._umask.cache_clear()
    try:
        atomic_write_text(tmp_path / "report.html", "<p>hi</p>")
        atomic_write_folder(tmp_path / "dataset", lambda tmp: (tmp / "a.txt").write_text("1"))
    finally:
        os.umask(old)
        output_files._umask.cache_clear()
    assert (tmp_path / "report.html").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "dataset").stat().st_mode & 0o777 == 0o755


def test_chunked_write_is_atomic_and_skips_identical_content(tmp_path):
    from mistok.output_dir import atomic_write_chunks

    target = tmp_path / "bitext.tmx"
    digest = atomic_write_chunks(target, [b"<tmx>", b"</tmx>"])
    assert target.read_bytes() == b"<tmx></tmx>" and len(digest) == 64
    before = target.stat().st_mtime_ns
    assert atomic_write_chunks(target, iter([b"<tmx></tmx>"])) == digest
    assert target.stat().st_mtime_ns == before  # same bytes: left alone

    def interrupted():
        yield b"<tmx>half"
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        atomic_write_chunks(target, interrupted())
    assert target.read_bytes() == b"<tmx></tmx>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bitext.tmx"]


def test_files_someone_added_are_found_as_a_walk_of_the_folder_finds_them(tmp_path):
    # foreign_files walks the folder itself (not Path.rglob): the same files, in the same order
    root = tmp_path / "out"
    for relative in [
        "a/b.txt", "a-c.txt", "a/z/deep.txt", ".hidden/x.txt", "a/.dot.txt", "review/d.json",
        "sub/review/kept.json", "report.json", "pairs/p.html",
    ]:  # fmt: skip
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(relative)
    (root / "link-to-a").symlink_to(root / "a")
    (root / "a" / "link.txt").symlink_to(root / "report.json")
    (root / "dangling").symlink_to(root / "nowhere")
    os.mkfifo(root / "a" / "pipe")
    out = OutputDir(root)

    found = out.foreign_files(["report.json"])

    expected = []
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if any(p.startswith(".") for p in parts) or parts[0] == "review":
            continue
        if (path.is_file() or path.is_symlink()) and "/".join(parts) != "report.json":
            expected.append("/".join(parts))
    assert found == expected
    assert "sub/review/kept.json" in found and "link-to-a" in found and "a/pipe" not in found
    assert sorted(out.kept) == sorted(found)


def test_a_temporary_name_already_taken_is_skipped_not_overwritten(tmp_path):
    # temporary files are named by pid and a counter and created exclusively: a file left
    # under the next names (a killed run with the same pid) is neither replaced nor in the way
    following = next(output_files._TEMP_NUMBERS) + 1
    taken = [tmp_path / f"{TEMP_PREFIX}{os.getpid()}-{following + i}" for i in range(3)]
    for path in taken:
        path.write_text("left")
    assert atomic_write_text(tmp_path / "report.html", "<p>new</p>")
    assert (tmp_path / "report.html").read_text() == "<p>new</p>"
    assert [path.read_text() for path in taken] == ["left"] * 3


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_what_an_earlier_manifest_lists_is_mistoks_whatever_its_form(tmp_path):
    # the manifest's outputs are read an entry at a time from the form mistok writes; a
    # manifest in another form is read whole, and what a misleading layout seemed to list
    # (a member nested in settings, at the indentation of the document's members) is not
    # taken as mistok's
    (tmp_path / "ours.txt").write_text("ours")
    (tmp_path / "theirs.txt").write_text("theirs")
    (tmp_path / "manifest.json").write_text(
        '{\n  "format": "mistok-run-output/1",\n'
        f'  "settings": {{\n  "outputs": {{\n    "theirs.txt": "{_sha("theirs")}"\n  }}\n  }},\n'
        f'  "outputs": {{\n    "ours.txt": "{_sha("ours")}"\n  }}\n}}\n'
    )
    out = OutputDir(tmp_path)
    assert out.manifest_before["settings"] == {"outputs": {"theirs.txt": _sha("theirs")}}
    assert out.write_text("ours.txt", "new") and (tmp_path / "ours.txt").read_text() == "new"
    assert not out.write_text("theirs.txt", "new")
    assert out.kept == {"theirs.txt": "not written by mistok"}
    out.close()


def test_a_manifest_written_by_a_run_lists_its_outputs_and_is_read_back(tmp_path):
    out = OutputDir(tmp_path)
    out.write_text("pairs/b.html", "b")
    out.write_text("pairs/a.html", "a")
    out.add_output("pairs/b.html", _sha("b"))
    out.add_output("pairs/a.html", _sha("a"))
    out.write_manifest({"kept": {}}, {"inputs": iter([("en/1", "k1"), ("uk/1", "k2")])})
    out.finish()
    out.close()
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest == {
        "format": "mistok-run-output/1",
        "kept": {},
        "inputs": {"en/1": "k1", "uk/1": "k2"},
        "outputs": {"pairs/a.html": _sha("a"), "pairs/b.html": _sha("b")},
    }
    (tmp_path / "pairs" / "a.html").write_text("changed by hand")
    again = OutputDir(tmp_path)
    assert again.ledger.listed("pairs/") == manifest["outputs"]
    assert again.prune_stale() == 1  # b.html, still mistok's; a.html changed: kept
    assert sorted(p.name for p in (tmp_path / "pairs").iterdir()) == ["a.html"]
    assert again.kept == {"pairs/a.html": "changed since mistok wrote it"}
    again.close()
