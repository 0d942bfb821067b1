"""The HTML review page in a real headless Chromium: it loads, shows the findings, and never
runs the text of an article as code.

Needs Chromium (Debian: ``apt-get install -y chromium``) and the ``playwright`` package; set
``MISTOK_CHROMIUM`` to use another Chromium binary. Skipped when either is missing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from aligner.alignment import Alignment, Bead
from aligner.document import Article
from eval.render_html import render_html
from eval.runner import check_pair

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__pwned = true; document.title = 'pwned';</script>"
IMG = '<img src="x" onerror="window.__pwned = true">'


def _chromium() -> str | None:
    for candidate in (os.environ.get("MISTOK_CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium found (apt-get install -y chromium, or set MISTOK_CHROMIUM)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture()
def review_page(tmp_path) -> tuple[Path, int]:
    uk = Article(
        "hostile",
        "uk",
        (
            f"Уряд виділив 5 млн грн на відбудову. {SCRIPT}",
            "Цей абзац не має відповідника в англійській версії статті.",
        ),
    )
    en = Article("hostile", "en", (f"The government gave 7 million hryvnias. {IMG}",))
    alignment = Alignment((Bead((0,), (0,)), Bead((1,), ())), 2, 1)
    report = check_pair(uk, en, alignment=alignment, checks=["numbers", "coverage"])
    page = tmp_path / "review.html"
    page.write_text(render_html(report), encoding="utf-8")
    return page, len(report.findings)


def test_page_loads_and_shows_the_findings(browser, review_page):
    path, n_findings = review_page
    page = browser.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    assert page.title() == "mistok review: hostile.uk/hostile.en"
    findings = page.locator("li.finding")
    assert findings.count() == n_findings >= 2
    for i in range(findings.count()):
        assert findings.nth(i).is_visible()
    assert page.locator("li.finding", has_text="numbers.different").is_visible()
    assert page.locator("#row-1 td.status").inner_text() == "warning"
    assert page.locator("mark.error").first.is_visible()
    assert requests == [path.as_uri()]  # nothing loaded from anywhere else
    page.close()


def test_article_markup_is_shown_not_run(browser, review_page):
    path, _ = review_page
    page = browser.new_page()
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    assert page.evaluate("window.__pwned") is None
    assert page.title() != "pwned"
    assert page.locator("script").count() == 0
    assert page.locator("td.text img").count() == 0
    assert SCRIPT in page.locator("#row-0 td.text.uk").inner_text()
    assert IMG in page.locator("#row-0 td.text.en").inner_text()
    page.close()
