"""The output folder's ledger: what mistok owns and what the run wrote, on disk."""

from __future__ import annotations

from mistok import output_ledger
from mistok.output_files import TEMP_PREFIX
from mistok.output_ledger import OutputLedger


def test_an_unused_ledger_makes_no_file_and_is_empty(tmp_path):
    ledger = OutputLedger(tmp_path / "cache")
    assert not ledger.owns("a", "1") and not ledger.owns_path("a")
    assert list(ledger.owned()) == [] and list(ledger.not_outputs()) == []
    ledger.close()
    assert not (tmp_path / "cache").exists()


def test_what_is_owned_and_not_written_now_comes_page_by_page_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(output_ledger, "PAGE_ROWS", 2)
    monkeypatch.setattr(output_ledger, "BATCH_CHANGES", 3)
    ledger = OutputLedger(tmp_path)
    for path in ["e", "a", "c", "b", "d", "b"]:
        ledger.own(path, path * 2)
    ledger.own("b", "other")
    ledger.add_output("c", "cc")
    ledger.add_output("c", "c2")  # written twice: listed once, with its last digest
    assert ledger.owns("b", "other") and ledger.owns("b", "bb") and not ledger.owns("b", "x")
    assert list(ledger.owned())[:3] == [("a", "aa"), ("b", "bb"), ("b", "other")]
    assert list(ledger.not_outputs()) == ["a", "b", "d", "e"]
    assert list(ledger.outputs()) == [("c", "c2")]
    ledger.mark_stale("d")
    assert sorted(ledger.not_written(iter(["a", "c", "d", "z"]))) == ["a", "z"]
    assert [p.name for p in tmp_path.iterdir()][0].startswith(TEMP_PREFIX)
    ledger.close()
    assert list(tmp_path.iterdir()) == []


def test_the_last_manifests_outputs_can_be_forgotten(tmp_path):
    ledger = OutputLedger(tmp_path)
    ledger.own("journal.txt", "1")
    ledger.list_before("dataset/a", "2")
    ledger.list_before("pairs/b", "3")
    assert ledger.listed("dataset/") == {"dataset/a": "2"}
    assert ledger.owns("pairs/b", "3")
    ledger.forget_listed()
    assert ledger.listed("") == {} and not ledger.owns("pairs/b", "3")
    assert ledger.owns("journal.txt", "1")
    ledger.close()
