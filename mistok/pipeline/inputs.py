"""What ``mistok run`` reads: the archive (exactly as ``mistok pair`` reads it), the bridge,
the style and baseline files; and whether the archive changed while the run read it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from aligner.document import Article
from aligner.errors import InputError
from aligner.language import LANGUAGE_NAMES
from eval.baseline import Baseline, read_baseline
from mistok.article_store import ArticleStore, StoredArticle, StoredArticles
from mistok.output_dir import content_key
from mistok.run_records import RunInputs, article_fingerprint


def read_run_inputs(inputs: Sequence[Path], out: Path | None = None) -> RunInputs:
    """Read the articles of one archive (a folder, a JSON Lines or Parquet file or a folder of
    their shards, a saved HF dataset), or of a Ukrainian and an English folder, exactly as
    ``mistok pair`` does.

    Unreadable files and repeated ids or texts are skipped and listed; the declared language
    (folder, front matter, record) wins, and a text that looks otherwise is noted and counted.
    The articles go to an :class:`~mistok.article_store.ArticleStore` as they are read, each
    with its fingerprint (the cache keys' material); the inputs hold what stands for them. The
    store is an anonymous temporary file on the disk of ``out`` (in its nearest existing
    folder: the output folder is made only once the inputs proved usable), else in the
    system's temporary folder; it has no name, so it leaves nothing behind. (The pair step
    moves it to a named file in the output's cache folder, once that exists, for the local
    engine's workers to read: :meth:`~mistok.article_store.ArticleStore.share`.)
    """
    from mistok.archive import read_archive

    try:
        store = ArticleStore(_existing_folder(out), fingerprint=_fingerprint)
    except OSError:  # a folder that takes no file: the system's temporary folder then
        store = ArticleStore(fingerprint=_fingerprint)
    try:
        found = read_archive([Path(p) for p in inputs], store)
    except BaseException:
        store.close()
        raise
    return RunInputs(
        uk=StoredArticles("uk", sorted(found.uk, key=_article_id)),
        en=StoredArticles("en", sorted(found.en, key=_article_id)),
        skipped=tuple((str(p), reason) for p, reason in found.skipped),
        notes=tuple(found.notes),
        language_mismatches=len(found.language_mismatches),
        store=store,
    )


def _existing_folder(path: Path | None) -> Path | None:
    """``path`` or its nearest existing parent folder (None: none given)."""
    if path is None:
        return None
    for folder in (Path(path), *Path(path).absolute().parents):
        if folder.is_dir():
            return folder
    return None


def _article_id(article: StoredArticle) -> str:
    return article.id


def _fingerprint(article: Article) -> str:
    """What of the article changes a run's results, as a key (:func:`article_fingerprint`)."""
    return content_key(article_fingerprint(article))


#: An input file's size and modification time (ns): what says it changed.
FileState = tuple[int, int]


def input_files(inputs: Sequence[Path], out: Path | None = None) -> dict[str, FileState]:
    """The size and modification time of every file of the inputs (files in folders, at any
    depth; nothing under ``out``), to tell whether the archive changed while it was read."""
    skip = Path(out).resolve() if out is not None else None
    found: dict[str, FileState] = {}
    for given in inputs:
        path = Path(given)
        files = sorted(p for p in path.rglob("*")) if path.is_dir() else [path]
        holds_out = skip is not None and skip.is_relative_to(path.resolve())
        for file in files:
            if holds_out and file.resolve().is_relative_to(skip):  # type: ignore[arg-type]
                continue
            try:
                stat = file.stat()
            except OSError:  # gone between listing and stat: absent
                continue
            if not file.is_dir():
                found[str(file)] = (stat.st_size, stat.st_mtime_ns)
    return found


def refuse_changed_inputs(
    before: Mapping[str, FileState], after: Mapping[str, FileState], when: str
) -> None:
    """Raise :class:`InputError` naming the first input file that appeared, disappeared or
    changed between ``before`` and ``after`` (``when``: "while the archive was read", "during
    the run"): the run would describe an archive that no longer exists. Every result computed
    so far is cached, so a rerun on the finished archive resumes."""
    rerun = "rerun once the archive is complete (the work done so far is kept)"
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            raise InputError(f"input {name} disappeared {when}; {rerun}")
        if name not in before:
            raise InputError(f"input {name} appeared {when}; {rerun}")
        if before[name] != after[name]:
            size_before, size_after = before[name][0], after[name][0]
            how = (
                f"grew from {size_before} to {size_after} bytes"
                if size_after > size_before
                else f"changed ({size_before} → {size_after} bytes)"
            )
            raise InputError(f"input {name} {how} {when}; {rerun}")


def read_bridge(
    folder: Path, uk: Sequence[Article]
) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """The English machine translation of each Ukrainian article found in ``folder``, split
    into paragraphs; and notes on files that could not be read (see
    :func:`aligner.bridge_files.read_bridge_folder`). A run goes on without a bridge it cannot
    use."""
    from aligner.bridge_files import read_bridge_folder

    found = read_bridge_folder(folder, uk)
    return dict(found.paragraphs), list(found.notes)


def refuse_unusable(archive: RunInputs, inputs: Sequence[Path]) -> None:
    where = " and ".join(str(p) for p in inputs)
    if not archive.uk and not archive.en:
        detail = f"; e.g. {archive.skipped[0][1]}" if archive.skipped else ""
        raise InputError(
            f"no readable articles in {where} ({len(archive.skipped)} files skipped{detail})"
        )
    for lang, found, other in (("uk", archive.uk, archive.en), ("en", archive.en, archive.uk)):
        if not found:
            have, lack = LANGUAGE_NAMES["en" if lang == "uk" else "uk"], LANGUAGE_NAMES[lang]
            articles = "article" if len(other) == 1 else "articles"
            raise InputError(
                f"found {len(other)} {have} {articles} but no {lack} ones in {where}"
                f"{_skipped_detail(archive.skipped)}; mistok run needs both versions (name "
                f"files <id>.uk.txt and <id>.en.txt, or give UK_DIR and EN_DIR)"
            )


def _skipped_detail(skipped: Sequence[tuple[str, str]]) -> str:
    """``" (skipped: PATH: why; ...)"``: the files not read, named (at most three)."""
    if not skipped:
        return ""
    shown = [reason if path in reason else f"{path}: {reason}" for path, reason in skipped[:3]]
    more = f"; and {len(skipped) - 3} more" if len(skipped) > 3 else ""
    return f" (skipped {len(skipped)} file{'s' if len(skipped) != 1 else ''}: " + (
        "; ".join(shown) + more + ")"
    )


def load_style(path: Path | None) -> tuple[object | None, str | None]:
    """The style file and its digest (``sha256=…``, part of the check signature)."""
    if path is None:
        return None, None
    from eval.runner import file_digest
    from eval.style import load_style

    return load_style(Path(path)), file_digest(path)


def load_baseline(path: Path | None) -> tuple[Baseline | None, str | None]:
    """The baseline file and its digest (part of the check cache key)."""
    if path is None:
        return None, None
    from eval.runner import file_digest

    return read_baseline(path), file_digest(path)
