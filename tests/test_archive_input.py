"""Archive input at scale: Parquet files and shard folders, JSON Lines shards, and saved
Hugging Face datasets, all read through one record schema that keeps every field."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures_pairing import EN, UK

import mistok.archive
from aligner.document import Article
from aligner.errors import InputError
from aligner.readers import article_from_record, read_jsonl
from mistok.archive import read_archive
from mistok.cli import main

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

UK_TEXT = "Українська делегація прибула до Сеула 27 листопада."
EN_TEXT = "The Ukrainian delegation arrived in Seoul on November 27."
GOLD_ROWS = ["strike\tb2", "strike-update\tc3", "umerov\ta1", "library\t-", "-\td4"]

#: One archive in the JSON Lines record schema: paragraphs or text, optional fields, extra
#: keys (meta), and a record without ``lang`` (detected from the text).
RECORDS = [
    {
        "id": "u1",
        "lang": "uk",
        "title": "Делегація в Сеулі",
        "date": "2024-11-27",
        "url": "https://example.org/uk/u1",
        "paragraphs": [UK_TEXT, "Візит триватиме два дні."],
        "text": None,
        "section": "news",
    },
    {
        "id": "e1",
        "lang": "en",
        "title": "Delegation in Seoul",
        "date": "2024-11-27",
        "url": "https://example.org/en/e1",
        "paragraphs": [EN_TEXT, "The visit will last two days."],
        "text": None,
        "section": "news",
    },
    {
        "id": "e2",
        "lang": None,
        "title": None,
        "date": "2024-11-29",
        "url": None,
        "paragraphs": None,
        "text": "The minister met his counterpart.\n\nThey signed an agreement.",
        "section": None,
    },
    {
        "id": "u2",
        "lang": "uk",
        "title": None,
        "date": None,
        "url": None,
        "paragraphs": ["Міністр зустрівся з колегою."],
        "text": None,
        "section": "politics",
    },
]


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    lines = (json.dumps({k: v for k, v in r.items() if v is not None}) for r in records)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _write_parquet(path: Path, records: list[dict], schema=None) -> Path:
    pq.write_table(pa.Table.from_pylist(records, schema=schema), path)
    return path


def _without_source(articles: list[Article]) -> list[Article]:
    return [dataclasses.replace(a, source=None) for a in articles]


def _all(archive) -> list[Article]:
    return _without_source(sorted(archive.uk + archive.en, key=lambda a: (a.lang, a.id)))


@pytest.fixture
def jsonl_articles(tmp_path: Path) -> list[Article]:
    path = _write_jsonl(tmp_path / "reference.jsonl", RECORDS)
    return _without_source(sorted(read_jsonl(path), key=lambda a: (a.lang, a.id)))


# ---------------------------------------------------------------------------------------------
# One record


def test_a_record_keeps_every_field() -> None:
    article = article_from_record(RECORDS[0], where="r[0]", source=None, default_id=None)
    assert article.date == dt.date(2024, 11, 27)
    assert article.title == "Делегація в Сеулі" and article.url == "https://example.org/uk/u1"
    assert article.paragraphs == (UK_TEXT, "Візит триватиме два дні.")
    assert dict(article.meta) == {"section": "news"}


def test_a_record_takes_values_as_arrow_and_numpy_give_them() -> None:
    np = pytest.importorskip("numpy")
    record = {
        "id": np.int64(7),
        "paragraphs": np.array([EN_TEXT, "Second."], dtype=object),
        "date": dt.datetime(2024, 11, 27, 9, 30),
        "title": float("nan"),
        "url": None,
        "score": np.float64(0.5),
        "when": np.datetime64("NaT"),
    }
    article = article_from_record(record, where="r[3]", source=None, default_id=None)
    assert article.id == "7" and article.lang == "en"
    assert article.paragraphs == (EN_TEXT, "Second.")
    assert article.date == dt.date(2024, 11, 27)
    assert article.title is None and article.url is None
    assert dict(article.meta) == {"score": "0.5"}
    as_tuple = article_from_record(
        {"id": "t", "paragraphs": (EN_TEXT,), "date": np.datetime64("2024-11-27")},
        where="r[4]",
        source=None,
        default_id=None,
    )
    assert as_tuple.paragraphs == (EN_TEXT,) and as_tuple.date == dt.date(2024, 11, 27)


@pytest.mark.parametrize(
    ("record", "default_id", "fragment"),
    [
        ({"text": EN_TEXT}, None, "r[2]: no 'id'"),
        ({"id": "x", "paragraphs": None, "text": None}, None, "r[2]: needs 'paragraphs'"),
        ({"id": "x", "paragraphs": [EN_TEXT, 3]}, None, "must be a list of strings"),
        ({"id": "x", "text": EN_TEXT, "date": "soon"}, None, "date 'soon' is not an ISO date"),
        ({"id": "x", "text": EN_TEXT, "lang": "fr"}, None, "language 'fr' is not supported"),
    ],
)
def test_a_bad_record_is_refused_naming_where(record, default_id, fragment) -> None:
    with pytest.raises(InputError, match=r"^r\[2\]: ") as caught:
        article_from_record(record, where="r[2]", source=None, default_id=default_id)
    assert fragment in str(caught.value) and "\n" not in str(caught.value)


def test_a_record_without_id_takes_the_default() -> None:
    article = article_from_record({"text": EN_TEXT}, where="r", source=None, default_id="f-3")
    assert article.id == "f-3"


# ---------------------------------------------------------------------------------------------
# Hugging Face datasets


def test_a_saved_dataset_keeps_date_title_url_and_meta(tmp_path: Path, jsonl_articles) -> None:
    datasets = pytest.importorskip("datasets")
    datasets.Dataset.from_list(RECORDS).save_to_disk(str(tmp_path / "ds"))
    archive = read_archive([tmp_path / "ds"])
    assert archive.skipped == []
    assert _all(archive) == jsonl_articles
    assert {a.id: a.date for a in archive.uk} == {"u1": dt.date(2024, 11, 27), "u2": None}


def test_a_saved_dataset_with_date32_dates_and_a_bad_record(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    records = [
        {"id": "e1", "lang": "en", "date": dt.date(2024, 11, 27), "text": EN_TEXT},
        {"id": "e2", "lang": "en", "date": dt.date(2024, 11, 28), "text": None},
    ]
    datasets.Dataset.from_list(records).save_to_disk(str(tmp_path / "ds"))
    archive = read_archive([tmp_path / "ds"])
    assert [(a.id, a.date) for a in archive.en] == [("e1", dt.date(2024, 11, 27))]
    [(where, reason)] = archive.skipped
    assert where == f"{tmp_path / 'ds'}[1]" and "needs 'paragraphs'" in reason


# ---------------------------------------------------------------------------------------------
# Parquet


def test_a_parquet_file_reads_as_the_jsonl_file(tmp_path: Path, jsonl_articles) -> None:
    archive = read_archive([_write_parquet(tmp_path / "archive.parquet", RECORDS)])
    assert archive.skipped == [] and archive.notes == []
    assert _all(archive) == jsonl_articles
    assert {a.source for a in archive.uk + archive.en} == {tmp_path / "archive.parquet"}


def test_a_folder_of_parquet_shards_reads_as_the_jsonl_file(
    tmp_path: Path, jsonl_articles, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mistok.archive, "PARQUET_BATCH_ROWS", 1)  # several batches per shard
    folder = tmp_path / "shards"
    folder.mkdir()
    schema = pa.Table.from_pylist(RECORDS).schema
    _write_parquet(folder / "part-00001.parquet", RECORDS[2:], schema)
    _write_parquet(folder / "part-00000.parquet", RECORDS[:2], schema)
    (folder / "_SUCCESS").write_text("")
    archive = read_archive([folder])
    assert archive.skipped == []
    assert _all(archive) == jsonl_articles


def test_a_folder_of_jsonl_shards_reads_as_one_file(tmp_path: Path, jsonl_articles) -> None:
    folder = tmp_path / "shards"
    folder.mkdir()
    _write_jsonl(folder / "part-0.jsonl", RECORDS[:3])
    _write_jsonl(folder / "part-1.jsonl", RECORDS[3:])
    archive = read_archive([folder])
    assert archive.skipped == []
    assert _all(archive) == jsonl_articles


def test_a_folder_with_parquet_shards_and_article_files_reads_both(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    _write_parquet(folder / "part-0.parquet", RECORDS[:2])
    _write_jsonl(folder / "more.jsonl", RECORDS[2:3])
    (folder / "u3.uk.txt").write_text("Ще одна новина з Києва.\n", encoding="utf-8")
    archive = read_archive([folder])
    assert sorted(a.id for a in archive.uk) == ["u1", "u3"]
    assert sorted(a.id for a in archive.en) == ["e1", "e2"]


@pytest.mark.parametrize(
    "date_type", [pa.date32(), pa.string(), pa.timestamp("us")], ids=["date32", "str", "ts"]
)
def test_parquet_dates_as_dates_strings_or_timestamps(tmp_path: Path, date_type) -> None:
    day = dt.date(2024, 11, 27)
    value = {
        pa.date32(): day,
        pa.string(): "2024-11-27",
        pa.timestamp("us"): dt.datetime(2024, 11, 27, 8),
    }[date_type]
    schema = pa.schema([("id", pa.string()), ("text", pa.string()), ("date", date_type)])
    path = _write_parquet(
        tmp_path / "a.parquet", [{"id": "e1", "text": EN_TEXT, "date": value}], schema
    )
    [article] = read_archive([path]).en
    assert article.date == day


def test_parquet_rows_without_id_get_the_file_stem_and_row(tmp_path: Path) -> None:
    path = _write_parquet(tmp_path / "batch.parquet", [{"text": UK_TEXT}, {"text": EN_TEXT}])
    archive = read_archive([path])
    assert [a.id for a in archive.uk + archive.en] == ["batch-0", "batch-1"]


def test_a_bad_parquet_row_is_skipped_with_its_row(tmp_path: Path) -> None:
    records = [
        {"id": "e1", "lang": "en", "date": "2024-11-27", "text": EN_TEXT},
        {"id": "e2", "lang": "en", "date": "not a date", "text": EN_TEXT + " Again."},
        {"id": "u1", "lang": "uk", "date": None, "text": None},
        {"id": "e1", "lang": "en", "date": None, "text": "A second article with that id."},
    ]
    path = _write_parquet(tmp_path / "a.parquet", records)
    archive = read_archive([path])
    assert [a.id for a in archive.en] == ["e1"] and archive.uk == []
    reasons = dict(archive.skipped)
    assert "not an ISO date" in reasons[f"{path}[1]"]
    assert "needs 'paragraphs'" in reasons[f"{path}[2]"]
    assert reasons[str(path)] == "a second en article 'e1'"


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"this is not parquet at all",
        lambda data: data[: len(data) // 2],
        lambda data: b"",
    ],
    ids=["not-parquet", "truncated", "empty"],
)
def test_a_corrupt_parquet_file(tmp_path: Path, damage) -> None:
    (tmp_path / "shards").mkdir()
    good = _write_parquet(tmp_path / "shards" / "a.parquet", RECORDS)
    bad = tmp_path / "shards" / "b.parquet"
    bad.write_bytes(damage(good.read_bytes()))
    # alone: one line naming the file
    with pytest.raises(InputError, match=r"b\.parquet: not a readable Parquet file") as caught:
        read_archive([bad])
    assert "\n" not in str(caught.value)
    # among other inputs: skipped, the rest read
    archive = read_archive([tmp_path / "shards"])
    assert [where for where, _ in archive.skipped] == [str(bad)]
    assert len(archive.uk) == 2 and len(archive.en) == 2


def test_parquet_broken_midway_keeps_the_rows_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mistok.archive, "PARQUET_BATCH_ROWS", 10)
    rows = [
        {"id": f"e{i}", "lang": "en", "text": f"Report {i} from Seoul, day {i}."} for i in range(60)
    ]
    path = tmp_path / "a.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=20)
    offset = pq.ParquetFile(path).metadata.row_group(2).column(2).data_page_offset
    data = bytearray(path.read_bytes())
    data[offset + 4 : offset + 100] = b"\xab" * 96  # the third row group's text page header
    path.write_bytes(bytes(data))
    archive = read_archive([path])
    [(where, reason)] = archive.skipped
    assert where == str(path) and "not a readable Parquet file" in reason
    assert "rows from 40 on left out" in reason
    assert sorted(int(a.id[1:]) for a in archive.en) == list(range(40))


def test_a_parquet_file_without_text_columns_is_refused(tmp_path: Path) -> None:
    path = _write_parquet(tmp_path / "a.parquet", [{"id": "x", "body": EN_TEXT}])
    with pytest.raises(InputError, match=r"a\.parquet: no 'paragraphs' or 'text' column"):
        read_archive([path])


# ---------------------------------------------------------------------------------------------
# The commands


def _pair_records() -> list[dict]:
    return [
        {"id": key, "lang": lang, "paragraphs": list(paragraphs)}
        for texts, lang in ((UK, "uk"), (EN, "en"))
        for key, paragraphs in texts.items()
    ]


def test_mistok_pair_reads_a_folder_of_parquet_shards(tmp_path: Path) -> None:
    folder = tmp_path / "shards"
    folder.mkdir()
    records = _pair_records()
    _write_parquet(folder / "part-0.parquet", records[::2])
    _write_parquet(folder / "part-1.parquet", records[1::2])
    (folder / "part-2.parquet").write_bytes(b"broken")
    result = CliRunner().invoke(main, ["pair", str(folder)])
    assert result.exit_code == 0, result.output
    rows = result.stdout.strip().split("\n")[1:]
    assert rows[:-1] == GOLD_ROWS
    assert rows[-1].startswith("# skipped\t") and "part-2.parquet" in rows[-1]
    assert "skipped" in result.stderr and "part-2.parquet" in result.stderr


def test_mistok_pair_on_a_corrupt_parquet_file_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "archive.parquet"
    path.write_bytes(b"PAR1 but not really")
    result = CliRunner().invoke(main, ["pair", str(path)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "archive.parquet" in result.stderr
    assert "Traceback" not in result.output
