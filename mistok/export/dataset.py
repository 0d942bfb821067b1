"""Bitext for training: an HF ``datasets`` dataset on disk, Parquet and JSON Lines.

One row per translation-memory unit (:class:`mistok.run_records.BitextRow`): sentence beads by
default (``segtype`` ``sentence``, with ``sentence_bead`` and the sentences' indices within their
paragraphs), paragraph beads with ``mistok run --tm-unit paragraph``.

The dataset folder holds what :meth:`datasets.Dataset.save_to_disk` writes plus
``bitext.parquet`` (the same rows), so ``datasets.load_from_disk(folder)`` and
``pandas.read_parquet(folder / "bitext.parquet")`` both work. ``datasets`` is imported only
when a dataset is written (it is slow to import and an optional extra: ``mistok[data]``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from aligner.errors import ConfigError
from mistok.output_dir import atomic_write_folder
from mistok.run_records import BitextRow

PARQUET_NAME = "bitext.parquet"

#: Column names, in order, of the dataset, the Parquet file and the JSON Lines records.
COLUMNS = (
    "pair",
    "uk_id",
    "en_id",
    "bead",
    "uk_paragraphs",
    "en_paragraphs",
    "uk",
    "en",
    "score",
    "pair_confidence",
    "segtype",
    "sentence_bead",
    "uk_sentences",
    "en_sentences",
)


def _features():
    from datasets import Features, Sequence, Value

    return Features(
        {
            "pair": Value("string"),
            "uk_id": Value("string"),
            "en_id": Value("string"),
            "bead": Value("int32"),
            "uk_paragraphs": Sequence(Value("int32")),
            "en_paragraphs": Sequence(Value("int32")),
            "uk": Value("string"),
            "en": Value("string"),
            "score": Value("float64"),
            "pair_confidence": Value("float64"),
            "segtype": Value("string"),
            "sentence_bead": Value("int32"),  # null for a paragraph unit
            "uk_sentences": Sequence(Value("int32")),
            "en_sentences": Sequence(Value("int32")),
        }
    )


def rows_as_columns(rows: Sequence[BitextRow]) -> dict[str, list]:
    """The rows as a column mapping (the shape ``Dataset.from_dict`` takes)."""
    records = [row.to_dict() for row in rows]
    return {name: [record[name] for record in records] for name in COLUMNS}


def dataset_unavailable() -> str | None:
    """Why the dataset cannot be written on this installation, or ``None`` when it can."""
    from importlib.util import find_spec

    missing = [name for name in ("datasets", "pyarrow") if find_spec(name) is None]
    if not missing:
        return None
    return (
        f"{' and '.join(missing)} not installed, so dataset/ (HF dataset and Parquet) was not "
        "written; install it with: pip install 'mistok[data]'"
    )


#: Rows turned into Arrow at a time while a dataset is built: the archive's bitext is never
#: all Python objects at once, only one batch of them beside the compact Arrow columns.
DATASET_BATCH_ROWS = 4096


def build_dataset(rows: Iterable[BitextRow]):
    """An in-memory :class:`datasets.Dataset` of the rows, built batch by batch (the same
    table, fingerprint and files as one ``Dataset.from_dict`` of every row)."""
    try:
        from datasets import Dataset
    except ImportError as err:  # pragma: no cover - depends on the installation
        raise ConfigError(
            "writing the bitext dataset needs the 'datasets' package; "
            "install it with: pip install 'mistok[data]'"
        ) from err
    import pyarrow as pa

    features = _features()
    chunks: dict[str, list] = {}  # each column's Arrow arrays, one per batch
    for batch in _batches(rows, DATASET_BATCH_ROWS):
        table = Dataset.from_dict(rows_as_columns(batch), features=features).data.table
        for name in table.column_names:
            chunks.setdefault(name, []).extend(table.column(name).chunks)
    if not chunks:
        return Dataset.from_dict(rows_as_columns([]), features=features)
    # one array per column, as one from_dict of every row makes; a column's batches are let go
    # once it is joined, so the archive's bitext is in memory about once
    columns = {name: pa.concat_arrays(chunks.pop(name)) for name in list(chunks)}
    return Dataset.from_dict(columns, features=features)


def _batches(rows: Iterable[BitextRow], size: int) -> Iterator[list[BitextRow]]:
    batch: list[BitextRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_dataset(rows: Iterable[BitextRow], folder: Path) -> None:
    """Write the dataset (``save_to_disk``) and ``bitext.parquet`` into ``folder``, built
    beside it and swapped in whole."""
    dataset = build_dataset(rows)  # first: it says what to install when datasets is missing
    import datasets.utils as datasets_tqdm

    def build(tmp: Path) -> None:
        dataset.save_to_disk(str(tmp))
        dataset.to_parquet(str(tmp / PARQUET_NAME))

    bars_were_on = not datasets_tqdm.are_progress_bars_disabled()
    datasets_tqdm.disable_progress_bars()  # mistok shows its own progress
    try:
        atomic_write_folder(Path(folder), build)
    finally:
        if bars_were_on:
            datasets_tqdm.enable_progress_bars()


def jsonl_lines(rows: Iterable[BitextRow]) -> Iterator[str]:
    """One JSON object per row, keys in :data:`COLUMNS` order, each line ending in a newline."""
    for row in rows:
        yield json.dumps(row.to_dict(), ensure_ascii=False) + "\n"


def jsonl_text(rows: Iterable[BitextRow]) -> str:
    """The rows as JSON Lines text (:func:`jsonl_lines` joined)."""
    return "".join(jsonl_lines(rows))
