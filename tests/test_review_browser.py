"""``mistok review`` in a real headless Chromium: a reviewer's session with mouse and keys,
the decisions surviving a reload and reaching the next run, two browsers writing at once,
and an article's ``<script>`` never running.

Needs Chromium and playwright, as test_report_browser.py (skipped without them). Set
``MISTOK_SCREENSHOTS=docs`` to save the README's screenshots there.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

pytest.importorskip("flask", reason="mistok review needs flask (mistok[review])")

from fixtures_review import PAIR, run_cli, umyerov  # noqa: E402
from test_report_browser import browser  # noqa: E402,F401

from eval.baseline import read_baseline  # noqa: E402
from mistok.review.files import review_paths  # noqa: E402
from mistok.review.server import open_review  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture()
def served(review_run):
    """The application over a copy of the run, served on a free port: (base URL, review)."""
    from mistok.review.server import make_review_server

    opened = open_review(review_run)
    server, _token = make_review_server(opened.review, "127.0.0.1", 0, None, "olena")
    port = server.server_port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", opened.review
    server.shutdown()
    server.server_close()


def _screenshot(page, name: str) -> None:
    folder = os.environ.get("MISTOK_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=False)


def test_a_review_session_reaches_the_next_run(browser, served, review_base, monkeypatch):  # noqa: F811
    base, review = served
    fingerprint = umyerov(review.view.pairs[PAIR].findings)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: dialog.accept("a quoted older spelling"))
    page.goto(base + "/")
    assert page.locator("table.pairs td.count.warning").first.inner_text() != "0"
    _screenshot(page, "review-index.png")
    page.click(f"a[href='/pair/{PAIR}']")
    page.wait_for_load_state("load")  # review.js holds the keys: pressed before it ran, lost
    # the article's script tag is text: shown, never run
    assert page.evaluate("window.__pwned") is None
    assert page.get_by_text("<script>window.__pwned = true;</script>").count() == 1

    # keys: j selects the first finding (Umyerov), d dismisses it (the reason is asked)
    assert page.locator(".finding").first.get_attribute("data-fingerprint") == fingerprint
    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("d")
    # mouse: join the first two beads
    with page.expect_navigation():
        page.locator("tr.bead").first.locator("button.join").click()
    _screenshot(page, "review-pair.png")
    # u undoes the newest decision (the join), and + joins again
    with page.expect_navigation():
        page.keyboard.press("u")
    assert page.locator("tr.bead").first.locator("td.kind").inner_text() == "1-1"
    page.keyboard.press("n")
    with page.expect_navigation():
        page.keyboard.press("+")

    # a draft: edit, then approve with Ctrl+Enter
    page.goto(base + "/draft/harvest.en.txt")
    assert page.locator(".mt-mark").count() == 1
    page.locator("textarea").first.fill("Poltava farmers harvested 2.4 million tonnes of grain.")
    page.locator("textarea").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")

    # reload: every decision is there, with its author
    page.goto(base + f"/pair/{PAIR}")
    page.reload()
    finding = page.locator(f"#f-{fingerprint}")
    assert "dismissed by olena" in " ".join(finding.inner_text().split())
    assert "a quoted older spelling" in finding.inner_text()
    assert "manual: olena" in page.locator("#beads h2").inner_text()
    assert page.locator("tr.bead").first.locator("td.kind").inner_text() == "2-2"
    page.goto(base + "/draft/harvest.en.txt")
    assert "reviewed by olena" in page.locator(".reviewed").inner_text()
    assert all(url.startswith(base) for url in requests)  # nothing from the network
    context.close()

    # the next run: the finding suppressed, the beads used, the draft kept as reviewed
    out = review.view.root
    inputs, _out, model = review_base
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = run_cli("run", str(inputs), "-o", str(out), "--model", str(model))
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    pair = report["pairs"][0]
    assert fingerprint not in {f["fingerprint"] for f in pair["findings"]}
    assert pair["counts"]["warning"] < len(
        [f for f in review.view.pairs[PAIR].findings if f["severity"] == "warning"]
    )
    alignment = json.loads((out / pair["alignment"]).read_text(encoding="utf-8"))
    assert "manual:review" in alignment["signature"]
    draft = (out / "drafts" / "harvest.en.txt").read_text(encoding="utf-8")
    assert "machine_draft: false" in draft and "2.4 million tonnes" in draft
    page_html = (out / pair["review"]).read_text(encoding="utf-8")
    assert "Umyerov (3), Umerov (2)" not in page_html


def test_two_browsers_writing_at_once_lose_nothing(browser, served):  # noqa: F811
    base, review = served
    findings = [str(f["fingerprint"]) for f in review.view.pairs[PAIR].findings]
    half = len(findings) // 2
    pages = []
    for _ in range(2):
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + f"/pair/{PAIR}")
        pages.append(page)
    # each page starts its requests and returns at once; both then run together (and the
    # requests of one page run concurrently among themselves), on a threaded server
    start = """([items, reason]) => {
        const csrf = document.querySelector('meta[name="csrf-token"]').content;
        const post = (path, form) => fetch(location.pathname + path, {method: "POST",
            headers: {"X-Requested-With": "mistok"}, body: new URLSearchParams({csrf, ...form})});
        const sends = items.map((fingerprint) =>
            post("/finding", {action: "dismiss", fingerprint, reason}));
        const joins = [0, 0].map(() => post("/beads", {op: "join", index: "0"}));
        window.__answers = Promise.all([...sends, ...joins]).then((a) => a.map((r) => r.status));
    }"""
    pages[0].evaluate(start, [findings[:half], "tab 0"])
    pages[1].evaluate(start, [findings[half:], "tab 1"])
    results = {n: pages[n].evaluate("() => window.__answers") for n in (0, 1)}
    assert all(status == 200 for statuses in results.values() for status in statuses)
    decisions = review.log.decisions()
    assert {d.subject for d in decisions if d.kind == "dismiss"} == set(findings)
    assert len([d for d in decisions if d.kind == "beads"]) == 4
    assert read_baseline(review_paths(review.view.root).baseline).fingerprints == set(findings)
    beads, _ = review.beads(PAIR)
    machine = review.view.machine_beads(PAIR)
    assert beads[0][0] == tuple(i for b in machine[:5] for i in b[0])
    for page in pages:
        page.reload()
        assert page.locator(".finding.open").count() == 0
        page.context.close()
