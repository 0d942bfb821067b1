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

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from aligner.errors import ConfigError
from mistok.output_dir import stage_folder, swap_in_folder
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


#: Rows per Arrow record batch in the dataset's ``.arrow`` file: what ``save_to_disk`` writes
#: (``datasets.config.DEFAULT_MAX_BATCH_SIZE``), so the file has the same bytes; only one such
#: batch of rows is Python objects at a time.
DATASET_BATCH_ROWS = 1000

#: Rows per Parquet row group (``to_parquet`` makes one group of up to 100 MB uncompressed,
#: which would have to be held whole; these groups are written as they fill).
PARQUET_ROW_GROUP_ROWS = 10_000

#: The one data file of the dataset folder, named as ``save_to_disk`` names a single shard.
ARROW_NAME = "data-00000-of-00001.arrow"


def write_dataset(rows: Iterable[BitextRow], folder: Path) -> None:
    """Write the dataset and ``bitext.parquet`` into ``folder`` as the rows come, built beside
    it and swapped in whole (:func:`stage_dataset`, then :func:`swap_in_folder`)."""
    swap_in_folder(stage_dataset(rows, folder), folder)


def stage_dataset(rows: Iterable[BitextRow], folder: Path) -> Path:
    """Build the dataset and ``bitext.parquet`` of ``rows`` beside ``folder``, under a
    temporary name (:func:`mistok.output_dir.stage_folder`): the built folder, for
    :func:`swap_in_folder` to put in place of ``folder``.

    The folder is what ``Dataset.save_to_disk`` writes for these rows (one ``.arrow`` file of
    1,000-row record batches, ``dataset_info.json``, ``state.json``), but the dataset is never
    in memory whole: each batch is turned into Arrow by ``datasets``' own ``ArrowWriter`` and
    written. ``state.json``'s ``_fingerprint`` is therefore mistok's, not ``datasets``' (which
    pickles the whole table to hash it): the first 16 hex digits of the SHA-256 of the
    ``.arrow`` file. ``bitext.parquet`` has the same rows in row groups of
    :data:`PARQUET_ROW_GROUP_ROWS`."""
    try:
        from datasets import Dataset
        from datasets.arrow_writer import ArrowWriter
        from datasets.utils.py_utils import asdict
    except ImportError as err:  # pragma: no cover - depends on the installation
        raise ConfigError(
            "writing the bitext dataset needs the 'datasets' package; "
            "install it with: pip install 'mistok[data]'"
        ) from err
    import datasets.utils as datasets_tqdm
    import pyarrow as pa

    empty = Dataset.from_dict(rows_as_columns([]), features=_features())
    features = empty.features  # as the dataset has them (and writes them in the .arrow schema)
    info = asdict(empty.info)  # what save_to_disk writes in dataset_info.json
    schema = empty.data.table.schema  # the arrow types of the features, and their metadata

    def build(tmp: Path) -> None:
        tmp.mkdir(parents=True, exist_ok=True)
        arrow = ArrowWriter(features=features, path=str(tmp / ARROW_NAME), embed_local_files=True)
        parquet = _ParquetRowGroups(tmp / PARQUET_NAME, features)
        held = None  # the batch before this one: it is written once the next is known
        try:
            for batch in _batches(rows, DATASET_BATCH_ROWS):
                # the Arrow of these rows is that of one Dataset.from_dict of every row (tested)
                table = pa.Table.from_pydict(rows_as_columns(batch), schema=schema)
                if held is not None:
                    arrow.write_table(_followed_by(held, table))
                    parquet.add(held)
                held = table
            if held is not None:
                arrow.write_table(held)
                parquet.add(held)
        finally:
            arrow.finalize()
            arrow.close()
            parquet.close()
        fingerprint = _file_fingerprint(tmp / ARROW_NAME)
        _write_dataset_json(tmp, info, fingerprint)

    bars_were_on = not datasets_tqdm.are_progress_bars_disabled()
    datasets_tqdm.disable_progress_bars()  # mistok shows its own progress
    try:
        return stage_folder(Path(folder), build)
    finally:
        if bars_were_on:
            datasets_tqdm.enable_progress_bars()


class _ParquetRowGroups:
    """``bitext.parquet`` written as ``Dataset.to_parquet`` writes it (schema, column options,
    content-defined chunking, page index), a row group each :data:`PARQUET_ROW_GROUP_ROWS`."""

    def __init__(self, path: Path, features) -> None:
        import pyarrow.parquet as pq
        from datasets import config
        from datasets.arrow_writer import get_parquet_column_options

        schema = features.arrow_schema
        self._chunking = config.DEFAULT_CDC_OPTIONS
        self._writer = pq.ParquetWriter(
            str(path),
            schema=schema,
            use_content_defined_chunking=self._chunking,
            write_page_index=True,
            **get_parquet_column_options(features, schema),
        )
        self._pending: list = []
        self._pending_rows = 0

    def add(self, table) -> None:
        self._pending.append(table)
        self._pending_rows += table.num_rows
        if self._pending_rows >= PARQUET_ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._pending:
            group = pa.concat_tables(self._pending).combine_chunks()
            self._writer.write_table(group, row_group_size=group.num_rows)
        self._pending, self._pending_rows = [], 0

    def close(self) -> None:
        if self._writer is None:
            return
        try:
            self._flush()
            self._writer.add_key_value_metadata(
                {"content_defined_chunking": json.dumps(self._chunking)}
            )
        finally:
            self._writer.close()
            self._writer = None


def _followed_by(batch, following):
    """``batch`` as a slice of itself joined to the ``following`` batch.

    ``save_to_disk`` writes 1,000-row slices of the whole table, and Arrow's IPC writer pads a
    sliced buffer with the bytes that follow it (up to a 64-byte boundary): those are the next
    rows' bytes, which this slice carries too, so the file has the same bytes. (The padding
    reaches past the next batch only if that batch holds under 64 bytes of a column.)"""
    import pyarrow as pa

    joined = pa.concat_tables([batch, following]).combine_chunks()
    return joined.slice(0, batch.num_rows)


def _file_fingerprint(path: Path) -> str:
    """The dataset fingerprint mistok writes in ``state.json``: 16 hex digits (the length of
    a ``datasets`` fingerprint) of the SHA-256 of the data file."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def _write_dataset_json(folder: Path, info: dict, fingerprint: str) -> None:
    """``state.json`` and ``dataset_info.json`` as ``save_to_disk`` writes them for one shard
    of an unformatted dataset without split."""
    state = {
        "_data_files": [{"filename": ARROW_NAME}],
        "_fingerprint": fingerprint,
        "_format_columns": None,
        "_format_kwargs": {},
        "_format_type": None,
        "_output_all_columns": False,
        "_split": None,
    }
    with open(folder / "state.json", "w", encoding="utf-8") as stream:
        json.dump(state, stream, indent=2, sort_keys=True)
    with open(folder / "dataset_info.json", "w", encoding="utf-8") as stream:
        json.dump({key: info[key] for key in sorted(info)}, stream, indent=2)


def _batches(rows: Iterable[BitextRow], size: int) -> Iterator[list[BitextRow]]:
    batch: list[BitextRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def jsonl_lines(rows: Iterable[BitextRow]) -> Iterator[str]:
    """One JSON object per row, keys in :data:`COLUMNS` order, each line ending in a newline."""
    for row in rows:
        yield json.dumps(row.to_dict(), ensure_ascii=False) + "\n"


def jsonl_text(rows: Iterable[BitextRow]) -> str:
    """The rows as JSON Lines text (:func:`jsonl_lines` joined)."""
    return "".join(jsonl_lines(rows))
