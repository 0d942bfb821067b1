"""The index page of ``mistok run`` (``report.html``): pairs with errors first, then warnings;
zero counts not highlighted; a page for each article without a counterpart; columns that sort
in the browser (no network)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from test_report_browser import browser  # noqa: F401

from mistok.pipeline.article_pages import pairs_by_severity
from mistok.pipeline.report import _index_html


def _pair(name: str, error: int, warning: int, note: int) -> dict:
    return {
        "pair": name,
        "uk": name,
        "en": name,
        "counts": {"error": error, "warning": warning, "note": note},
        "confidence": 1.0,
        "one_sided_paragraphs": 0,
        "review": f"pairs/{name}.html",
        "alignment": f"alignments/{name}.json",
    }


def test_pairs_with_errors_come_first_then_warnings():
    pairs = [_pair("a", 0, 0, 5), _pair("b", 0, 2, 0), _pair("c", 1, 0, 0), _pair("d", 0, 2, 1)]
    assert [p["pair"] for p in pairs_by_severity(pairs)] == ["c", "d", "b", "a"]


@pytest.fixture()
def index_document(review_base) -> dict:
    _inputs, out, _model = review_base
    document = json.loads((out / "report.json").read_text(encoding="utf-8"))
    quiet = copy.deepcopy(document["pairs"][0])
    quiet.update(pair="quiet", uk="quiet", en="quiet", counts={"error": 0, "warning": 0, "note": 1})
    loud = copy.deepcopy(document["pairs"][0])
    loud.update(pair="loud", uk="loud", en="loud", counts={"error": 2, "warning": 0, "note": 0})
    document["pairs"] = [quiet, *document["pairs"], loud]
    return document


def test_the_index_orders_pairs_and_does_not_highlight_zeros(index_document, review_base):
    page = _index_html(index_document)
    rows = page.split('<table id="pairs">')[1].split("</table>")[0]
    assert rows.index("loud") < rows.index("story") < rows.index("quiet")
    assert '<td class="n zero">0</td>' in rows and '<td class="n error">2</td>' in rows
    # the article without a counterpart has a page of its own, with its machine draft
    assert '<a href="articles/harvest.uk.html">harvest</a>' in page
    article = (review_base[1] / "articles" / "harvest.uk.html").read_text(encoding="utf-8")
    assert "Аграрії Полтавщини" in article and "drafts/harvest.en.txt" in article


@pytest.mark.browser
def test_columns_sort_in_the_browser(index_document, browser, tmp_path: Path):  # noqa: F811
    path = tmp_path / "report.html"
    path.write_text(_index_html(index_document), encoding="utf-8")
    page = browser.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())

    def first_column() -> list[str]:
        cells = page.locator("#pairs tbody tr td:first-child")
        return [cells.nth(i).inner_text().split("\n")[0] for i in range(cells.count())]

    assert first_column() == ["loud", "story", "quiet"]
    page.click("#pairs th:has-text('notes')")
    assert first_column()[0] == "story"  # the most notes first
    page.click("#pairs th:has-text('Ukrainian')")
    assert page.locator("#pairs th:has-text('Ukrainian')").get_attribute("aria-sort")
    page.click("#pairs th:has-text('Ukrainian')")
    assert first_column() == sorted(first_column())
    assert all(url.startswith("file:") for url in requests)
    page.close()
