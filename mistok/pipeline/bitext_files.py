"""The bitext's archive-wide files, ``bitext.jsonl``, ``bitext.tmx`` and ``dataset/``, made
from the spooled rows in a worker of the local engine while the driver translates and writes
the reports (:func:`stage_bitext`).

The job only stages: each file is written under a temporary name beside its place, the
dataset folder is built beside ``dataset/``. The driver puts them in place in the write step
(:meth:`mistok.output_dir.OutputDir.publish_staged`, :func:`mistok.output_dir.swap_in_folder`),
where it decides, as for every output, whether the place is mistok's to write; what it does
not put in place it removes (:meth:`StagedBitext.discard`), and a killed run's temporary
names are removed by the next run. The staged files are byte for byte what the driver wrote
itself before (the same functions over the same rows, in pair order).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mistok import __version__
from mistok.export.dataset import stage_dataset
from mistok.export.tmx import tmx_document_chunks
from mistok.output_dir import ItemsKey
from mistok.output_files import StagedFile, StagingFile, remove_quietly, stage_file
from mistok.result_spool import SpoolReader
from mistok.run_records import PairBitext

#: The output's dataset folder (HF dataset and Parquet).
DATASET_FOLDER = "dataset"


@dataclass(frozen=True)
class BitextJob:
    """What :func:`stage_bitext` needs: the rows spool, read by name, the output folder, the
    TMX unit, and whether to build the dataset: only where ``datasets`` is installed
    (``dataset``) and its key differs from ``dataset_key_before``, the manifest's."""

    rows: SpoolReader[PairBitext]
    out: str
    tm_unit: str
    dataset: bool
    dataset_key_before: str | None


@dataclass(frozen=True)
class StagedBitext:
    """The staged ``bitext.jsonl`` and ``bitext.tmx``, the dataset's key (``None``: no dataset
    asked for) and its built folder (``None``: not built, the key being the manifest's)."""

    jsonl: StagedFile
    tmx: StagedFile
    dataset_key: str | None
    dataset: str | None

    def discard(self) -> None:
        """Remove whatever of it was not put in place (a published file's temporary name is
        gone already)."""
        for path in (self.jsonl.path, self.tmx.path, self.dataset):
            if path is not None:
                remove_quietly(Path(path))


def stage_bitext(job: BitextJob) -> StagedBitext:
    """Stage the bitext files of the spooled rows (a worker's job: the rows are read from the
    spool's file, one pair at a time): ``bitext.jsonl``, ``bitext.tmx`` and the dataset's key
    in one pass over the spool, the dataset (when its key is new) in a second."""
    out, rows = Path(job.out), job.rows
    jsonl = StagingFile(out / "bitext.jsonl", sync=False)
    key = ItemsKey(DATASET_KEY_PARTS) if job.dataset else None

    def tmx_units() -> Iterator[str]:
        # the one pass: each pair's JSON Lines and dataset rows are taken as its TMX units go
        for pair in rows:
            if pair.jsonl:
                jsonl.write(pair.jsonl.encode("utf-8"))
            if key is not None:
                for row in pair.rows:
                    key.add(row.to_dict())
            yield pair.tmx

    tmx = None
    try:
        tmx_chunks = tmx_document_chunks(tmx_units(), __version__, job.tm_unit)
        tmx = stage_file(out / "bitext.tmx", tmx_chunks, sync=False)
        jsonl_file = jsonl.finish()
        dataset_key = folder = None
        if key is not None:
            dataset_key = key.hexdigest()
            if dataset_key != job.dataset_key_before:
                every_row = (row for pair in rows for row in pair.rows)
                folder = str(stage_dataset(every_row, out / DATASET_FOLDER))
    except BaseException:
        jsonl.discard()
        if tmx is not None:
            remove_quietly(Path(tmx.path))
        raise
    return StagedBitext(jsonl_file, tmx, dataset_key, folder)


#: What the dataset's key is made of besides its rows (``content_key(*parts, [every row's
#: dict])``, :class:`~mistok.output_dir.ItemsKey`): a dataset with the same key need not be
#: rebuilt.
DATASET_KEY_PARTS = ("dataset", __version__, "streamed")
