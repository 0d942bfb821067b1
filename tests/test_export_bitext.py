"""The bitext exporters: TMX 1.4b (read back by translate-toolkit), HF dataset, Parquet, JSONL."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from mistok.export.dataset import COLUMNS, jsonl_text, write_dataset
from mistok.export.tmx import XML_LANG, tmx_bytes, write_tmx
from mistok.run_records import BitextRow


def _rows() -> list[BitextRow]:
    return [
        BitextRow(
            "a__b", "a", "b", 0, (0,), (0,), "Умєров прибув до Сеула.", "Umerov arrived.", 0.9, 0.8
        ),
        BitextRow(
            "a__b", "a", "b", 2, (2, 3), (1,), "Перший. Другий & <третій>", "One & <two>", 0.5, 0.8
        ),
        BitextRow("c__d", "c", "d", 1, (1,), (1, 2), "Контроль\x0bсимвол", "Control", 0.25, 0.6),
    ]


def test_tmx_header_has_the_attributes_tmx_14b_requires(tmp_path):
    root = ET.fromstring(tmx_bytes(_rows(), "1.2.3", "paragraph"))
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None
    assert header.attrib == {
        "creationtool": "mistok",
        "creationtoolversion": "1.2.3",
        "segtype": "paragraph",
        "o-tmf": "mistok",
        "adminlang": "en",
        "srclang": "uk",
        "datatype": "plaintext",
    }
    tus = root.findall("body/tu")
    assert len(tus) == 3
    langs = [tuv.get(XML_LANG) for tuv in tus[0].findall("tuv")]
    assert langs == ["uk", "en"]
    props = {p.get("type"): p.text for p in tus[1].findall("prop")}
    assert props["x-mistok-uk-paragraphs"] == "2,3"
    assert props["x-mistok-score"] == "0.5000"
    assert all(tu.get("segtype") is None for tu in tus)  # the header's unit


def _sentence_row() -> BitextRow:
    return BitextRow(
        "a__b", "a", "b", 2, (2, 3), (1,), "Кінець. Початок.", "End. Start.", 0.4, 0.8,
        segtype="sentence", sentence_bead=1, uk_sentences=(3, 0), en_sentences=(1,),
    )  # fmt: skip


def test_tmx_sentence_units_are_the_default_and_say_where_they_come_from():
    root = ET.fromstring(tmx_bytes([_sentence_row(), _rows()[0]], "1.2.3"))
    assert root.find("header").get("segtype") == "sentence"
    sentence, paragraph = root.findall("body/tu")
    assert sentence.get("tuid") == "a__b#2.1" and sentence.get("segtype") is None
    props = {p.get("type"): p.text for p in sentence.findall("prop")}
    assert props["x-mistok-uk-sentences"] == "3,0" and props["x-mistok-uk-paragraphs"] == "2,3"
    assert paragraph.get("segtype") == "paragraph"  # a unit unlike the header's says so


def test_tmx_reads_back_with_translate_toolkit(tmp_path):
    from translate.storage import tmx

    path = tmp_path / "bitext.tmx"
    assert write_tmx(_rows(), path, "0.1.0") is True
    store = tmx.tmxfile.parsefile(str(path))
    units = [u for u in store.units if not u.isheader()]
    assert [(u.source, u.target) for u in units] == [
        ("Умєров прибув до Сеула.", "Umerov arrived."),
        ("Перший. Другий & <третій>", "One & <two>"),
        ("Контрольсимвол", "Control"),  # a character XML forbids is dropped, not written
    ]
    assert store.getsourcelanguage() == "uk"
    assert units[0].getid() == "a__b#0"


def _nasty_rows() -> list[BitextRow]:
    """Rows whose ids and texts hold what XML escapes, drops or keeps as it is."""
    nasty = "a & b < c > d \"q\" 's' \r\n x\ty \x00\x0b\x1f\ufffe 😀 𝕏 " + "\u2028"
    return [
        BitextRow(
            f'p"&<{i}>\t\r\n',
            f" {nasty} ",
            "en&id",
            i,
            (i, i + 1),
            (),
            nasty * i,
            " lead",
            0.12345,
            0.5,
            segtype=segtype,
            sentence_bead=1 if segtype == "sentence" else None,
            uk_sentences=(0, 2) if segtype == "sentence" else (),
            en_sentences=(),
        )
        for i, segtype in enumerate(["paragraph", "sentence", "sentence", "paragraph"])
    ] + [BitextRow("x", "", "\x01", 5, (), (), "", "\x0c", -0.5, 1.0)]  # texts that end empty


@pytest.mark.parametrize("unit", ["sentence", "paragraph"])
def test_tmx_text_is_what_element_tree_writes(unit):
    # the units are rendered as text, not through ElementTree: the bytes must stay its bytes
    from mistok.export.tmx import tmx_element

    rows = _nasty_rows()
    root = tmx_element(rows, "1.2.3", unit)
    ET.indent(root)
    expected = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    assert tmx_bytes(rows, "1.2.3", unit) == expected
    assert tmx_bytes([], "1.2.3", unit).count(b"<tu") == 0
    # a run renders each pair's units where the pair is aligned and joins them: same bytes
    from mistok.export.tmx import tmx_document_chunks, tmx_units_text

    pieces = [tmx_units_text(rows[:2], unit), "", tmx_units_text(rows[2:], unit)]
    assert b"".join(tmx_document_chunks(pieces, "1.2.3", unit)) == expected


def test_tmx_rewrite_with_same_rows_leaves_the_file_alone(tmp_path):
    path = tmp_path / "bitext.tmx"
    write_tmx(_rows(), path, "0.1.0")
    assert write_tmx(_rows(), path, "0.1.0") is False


def test_dataset_loads_from_disk_and_parquet(tmp_path):
    import datasets
    import pyarrow.parquet as pq

    folder = tmp_path / "dataset"
    write_dataset(_rows(), folder)
    loaded = datasets.load_from_disk(str(folder))
    assert loaded.column_names == list(COLUMNS)
    assert loaded.num_rows == 3
    assert loaded[1]["uk_paragraphs"] == [2, 3]
    assert loaded[1]["en"] == "One & <two>"
    assert loaded[2]["score"] == pytest.approx(0.25)
    table = pq.read_table(folder / "bitext.parquet")
    assert table.column("uk_id").to_pylist() == ["a", "a", "c"]
    assert table.column("en_paragraphs").to_pylist() == [[0], [1], [1, 2]]


def test_dataset_rewrite_replaces_the_old_rows(tmp_path):
    import datasets

    folder = tmp_path / "dataset"
    write_dataset(_rows(), folder)
    write_dataset(_rows()[:1], folder)
    assert datasets.load_from_disk(str(folder)).num_rows == 1
    assert [p.name for p in tmp_path.iterdir()] == ["dataset"]  # no temporary folder left


def test_jsonl_has_one_record_per_row():
    lines = jsonl_text(_rows()).splitlines()
    assert len(lines) == 3
    first = json.loads(lines[0])
    assert list(first) == list(COLUMNS)
    assert first["uk"] == "Умєров прибув до Сеула."


def test_dataset_without_the_datasets_package_names_the_extra(tmp_path, monkeypatch):
    import sys

    from aligner.errors import ConfigError
    from mistok.export.dataset import dataset_unavailable

    monkeypatch.setitem(sys.modules, "datasets", None)  # import datasets -> ImportError
    with pytest.raises(ConfigError, match=r"mistok\[data\]"):
        write_dataset(_rows(), tmp_path / "dataset")
    assert not (tmp_path / "dataset").exists()
    assert "datasets not installed" in dataset_unavailable()
    assert "mistok[data]" in dataset_unavailable()


def test_dataset_holds_sentence_and_paragraph_units(tmp_path):
    import datasets

    folder = tmp_path / "dataset"
    write_dataset([*_rows()[:1], _sentence_row()], folder)
    loaded = datasets.load_from_disk(str(folder))
    assert loaded["segtype"] == ["paragraph", "sentence"]
    assert loaded["sentence_bead"] == [None, 1]
    assert loaded["uk_sentences"] == [[], [3, 0]]


def _file_digests(folder) -> dict[str, str]:
    import hashlib

    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _many_rows(unit: str, count: int) -> list[BitextRow]:
    """``count`` rows of different lengths, so batches' string buffers end at odd offsets."""
    base = _rows()
    return [
        BitextRow.from_dict(
            {
                **base[i % 3].to_dict(),
                "bead": i,
                "uk": base[i % 3].uk + " слово" * (i % 7),
                "en": base[i % 3].en + "!" * (i % 5),
                "segtype": unit,
                "sentence_bead": (i % 4 if i % 3 else None) if unit == "sentence" else None,
            }
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("unit", ["sentence", "paragraph"])
def test_a_streamed_dataset_has_the_files_save_to_disk_writes(tmp_path, unit):
    # the dataset is written batch by batch as the rows come (flat memory): its .arrow file and
    # dataset_info.json are byte for byte those of save_to_disk of one from_dict of every row;
    # state.json differs only in the fingerprint, bitext.parquet only in its row groups
    datasets = pytest.importorskip("datasets")
    import pyarrow.parquet as pq

    import mistok.export.dataset as dataset_module

    rows = _many_rows(unit, 2 * dataset_module.DATASET_BATCH_ROWS + 345)  # 3 batches, 2 cut
    whole = datasets.Dataset.from_dict(
        dataset_module.rows_as_columns(rows), features=dataset_module._features()
    )
    (tmp_path / "whole").mkdir()
    whole.save_to_disk(str(tmp_path / "whole"))
    whole.to_parquet(str(tmp_path / "whole" / dataset_module.PARQUET_NAME))
    write_dataset(iter(rows), tmp_path / "streamed")

    streamed, reference = _file_digests(tmp_path / "streamed"), _file_digests(tmp_path / "whole")
    assert streamed.keys() == reference.keys()
    for name in (dataset_module.ARROW_NAME, "dataset_info.json"):
        assert streamed[name] == reference[name], name
    state = json.loads((tmp_path / "streamed" / "state.json").read_text())
    reference_state = json.loads((tmp_path / "whole" / "state.json").read_text())
    assert state["_fingerprint"] != reference_state["_fingerprint"]
    assert {**state, "_fingerprint": None} == {**reference_state, "_fingerprint": None}

    loaded = datasets.load_from_disk(str(tmp_path / "streamed"))
    assert loaded.features == whole.features
    assert loaded.to_list() == whole.to_list()
    parquet = pq.read_table(tmp_path / "streamed" / dataset_module.PARQUET_NAME)
    assert parquet.equals(pq.read_table(tmp_path / "whole" / dataset_module.PARQUET_NAME))


def test_the_dataset_fingerprint_follows_the_rows(tmp_path):
    pytest.importorskip("datasets")

    def fingerprint(rows, name):
        write_dataset(rows, tmp_path / name)
        return json.loads((tmp_path / name / "state.json").read_text())["_fingerprint"]

    first = fingerprint(_rows(), "a")
    assert len(first) == 16
    assert fingerprint(_rows(), "b") == first
    assert fingerprint(_rows()[:2], "c") != first


def test_an_empty_dataset_loads(tmp_path):
    datasets = pytest.importorskip("datasets")

    write_dataset([], tmp_path / "empty")
    loaded = datasets.load_from_disk(str(tmp_path / "empty"))
    assert loaded.num_rows == 0
    assert loaded.column_names == list(COLUMNS)
