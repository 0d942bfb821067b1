"""manifest.json written and read an entry at a time: the very text of the one-document
form, and the same document read back."""

from __future__ import annotations

import json

import pytest

from mistok.manifest_text import manifest_chunks, read_manifest

FIELDS = {
    "tool": {"name": "mistok", "version": "1.0"},
    "settings": {"inputs": ["a/b.jsonl"], "model": None, "score": 0.5, "n": [1, {"x": "é"}]},
    "dataset_key": None,
    "kept": {"drafts/x.uk.txt": "changed since mistok wrote it"},
    "format": "mistok-run-output/1",
}
SECTIONS = {
    "inputs": {"en/a": "1" * 64, 'uk/é"q': "2" * 64, "uk/z\\": "3" * 64},
    "outputs": {"pairs/a b.html": "4" * 64, "pairs/ü.html": "5" * 64, "report.json": "6" * 64},
}


def one_document(fields, sections) -> bytes:
    text = json.dumps({**fields, **sections}, ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode("utf-8")


def written(fields, sections) -> bytes:
    streamed = {name: iter(sorted(entries.items())) for name, entries in sections.items()}
    return b"".join(manifest_chunks(fields, streamed))


@pytest.mark.parametrize(
    "sections",
    [SECTIONS, {"inputs": {}, "outputs": SECTIONS["outputs"]}, {"inputs": {"k": "v"}}],
)
def test_the_manifest_written_piece_by_piece_is_the_one_document_text(sections):
    assert written(FIELDS, sections) == one_document(FIELDS, sections)


def test_entries_out_of_order_are_refused():
    with pytest.raises(ValueError, match="comes after"):
        b"".join(manifest_chunks({}, {"outputs": iter([("b", "1"), ("a", "2")])}))


def test_the_sections_are_read_back_an_entry_at_a_time(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_bytes(written(FIELDS, SECTIONS))
    taken: list[tuple[str, str, str]] = []
    document = read_manifest(path, ("inputs", "outputs"), lambda *e: taken.append(e))
    assert document == {**FIELDS, "inputs": {}, "outputs": {}}
    expected = [(name, k, v) for name, entries in SECTIONS.items() for k, v in entries.items()]
    assert sorted(taken) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        json.dumps({**FIELDS, **SECTIONS}),  # one line
        json.dumps({**FIELDS, **SECTIONS}, indent=4),
        json.dumps({**SECTIONS, **FIELDS}, indent=2),  # keys not sorted
        # a section nested where only its indentation says it is a member of the document
        '{\n  "settings": {\n  "outputs": {\n    "a": "b"\n  }\n  },\n'
        '  "outputs": {\n    "c": "d"\n  }\n}\n',
    ],
)
def test_a_manifest_in_another_form_is_read_whole(tmp_path, text):
    path = tmp_path / "manifest.json"
    path.write_text(text, encoding="utf-8")
    taken: list[tuple[str, str, str]] = []
    forgotten: list[int] = []

    def forget():
        forgotten.append(len(taken))
        taken.clear()

    document = read_manifest(path, ("inputs", "outputs"), lambda *e: taken.append(e), forget)
    whole = json.loads(text)
    streamed = {name: whole.pop(name) for name in ("inputs", "outputs") if name in whole}
    assert document == {**whole, **{name: {} for name in streamed}}
    assert sorted(taken) == sorted((n, k, v) for n, e in streamed.items() for k, v in e.items())


def test_a_manifest_that_is_not_json_is_an_error(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text('{\n  "outputs": {\n    "a": "b",\n  }\n}\n', encoding="utf-8")
    with pytest.raises(ValueError):
        read_manifest(path, ("outputs",), lambda *e: None, lambda: None)
