"""``mistok review``: decisions through the application (Flask's test client), the files they
export, what the next ``mistok run`` and ``mistok align`` make of them, concurrent writers,
the safety rules and bad input. The browser tests are in test_review_browser.py."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import threading
from pathlib import Path

import pytest

pytest.importorskip("flask", reason="mistok review needs flask (mistok[review])")

from fixtures_review import PAIR, run_cli, umyerov  # noqa: E402

from eval.baseline import read_baseline  # noqa: E402
from mistok.review.app import ReviewConfig, create_app  # noqa: E402
from mistok.review.db import DecisionLog  # noqa: E402
from mistok.review.files import read_overrides, review_paths  # noqa: E402
from mistok.review.run_view import inside  # noqa: E402
from mistok.review.server import DATABASE_NAME, open_review  # noqa: E402

CSRF = "test-csrf-token"


def client_for(out: Path, token: str | None = None, author: str = "olena"):
    opened = open_review(out)
    config = ReviewConfig(author, frozenset({"localhost"}), token, CSRF)
    return create_app(opened.review, config).test_client(), opened.review


def post(client, url: str, **form):
    return client.post(url, data={"csrf": CSRF, **form})


def rerun(review_base, out: Path, monkeypatch) -> dict:
    inputs, _out, model = review_base
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = run_cli("run", str(inputs), "-o", str(out), "--model", str(model))
    assert result.exit_code == 0, result.output
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def findings_of(report: dict) -> dict[str, dict]:
    return {f["fingerprint"]: f for p in report["pairs"] for f in p["findings"]}


def test_decisions_reach_the_files_and_the_next_run(review_base, review_run, monkeypatch):
    client, review = client_for(review_run)
    umyerov_fp = umyerov(review.view.pairs[PAIR].findings)
    spelling = next(f for f in review.view.pairs[PAIR].findings if f["rule"] == "style.preference")
    assert (
        post(
            client,
            f"/pair/{PAIR}/finding",
            action="dismiss",
            fingerprint=umyerov_fp,
            reason="a quoted older spelling",
        ).status_code
        == 303
    )
    assert (
        post(
            client,
            f"/pair/{PAIR}/finding",
            action="accept",
            fingerprint=spelling["fingerprint"],
            spelling=spelling["data"]["spelling"],
            reason="the family's own spelling",
        ).status_code
        == 303
    )
    assert post(client, f"/pair/{PAIR}/beads", op="join", index="0").status_code == 303

    paths = review_paths(review_run)
    assert umyerov_fp in read_baseline(paths.baseline)
    assert "a quoted older spelling" in paths.baseline.read_text(encoding="utf-8")
    assert f'spelling = "{spelling["data"]["spelling"]}"' in paths.style.read_text("utf-8")
    override = read_overrides(paths.alignments)[PAIR]
    assert override.beads[0] == ((0, 1), (0, 1)) and override.author == "olena"

    page = client.get(f"/pair/{PAIR}").get_data(as_text=True)
    assert 'dismissed by <b class="by">olena</b>' in page

    report = rerun(review_base, review_run, monkeypatch)
    found = findings_of(report)
    assert umyerov_fp not in found  # dismissed
    assert spelling["fingerprint"] not in found  # accepted
    pair = report["pairs"][0]
    alignment = json.loads((review_run / pair["alignment"]).read_text(encoding="utf-8"))
    assert alignment["beads"][0]["uk"] == [0, 1] and alignment["beads"][0]["en"] == [0, 1]
    assert "manual:review" in alignment["signature"]
    assert report["kept_files"] == []  # the review's own files are not "left in place"


def test_a_person_s_beads_apply_when_the_aligner_s_result_is_not_cached(
    review_base, review_run, monkeypatch
):
    """The override is set on the aligner's beads: with the result cache gone the driver
    aligns the reviewed pair first, then applies the person's beads, as a cached run does."""
    client, _review = client_for(review_run)
    post(client, f"/pair/{PAIR}/beads", op="join", index="0")
    cached = rerun(review_base, review_run, monkeypatch)
    first = (review_run / cached["pairs"][0]["alignment"]).read_bytes()
    shutil.rmtree(review_run / ".mistok-cache")
    fresh = rerun(review_base, review_run, monkeypatch)
    alignment = json.loads((review_run / fresh["pairs"][0]["alignment"]).read_text("utf-8"))
    assert alignment["beads"][0]["uk"] == [0, 1] and alignment["beads"][0]["en"] == [0, 1]
    assert (review_run / fresh["pairs"][0]["alignment"]).read_bytes() == first


def test_the_summary_counts_what_the_review_suppressed(review_base, review_run, monkeypatch):
    client, review = client_for(review_run)
    umyerov_fp = umyerov(review.view.pairs[PAIR].findings)
    post(client, f"/pair/{PAIR}/finding", action="dismiss", fingerprint=umyerov_fp, reason="ok")
    inputs, _out, model = review_base
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = run_cli("run", str(inputs), "-o", str(review_run), "--model", str(model))
    assert "1 in the baseline" in " ".join(result.output.split())


def test_align_honours_the_override_while_the_articles_are_unchanged(
    review_base, review_run, tmp_path
):
    client, _review = client_for(review_run)
    post(client, f"/pair/{PAIR}/beads", op="join", index="0")
    inputs = review_base[0]
    overrides = str(review_paths(review_run).alignments)
    args = ["align", str(inputs / "story.uk.txt"), str(inputs / "story.en.txt"), "--format"]
    plain = json.loads(run_cli(*args, "json").output)
    manual = json.loads(run_cli(*args, "json", "--overrides", overrides).output)
    assert plain[0] == [[0], [0]] and manual[0] == [[0, 1], [0, 1]]
    scored = json.loads(run_cli(*args, "scores", "--overrides", overrides).output)
    assert "manual:review" in scored["signature"]
    changed = tmp_path / "story.en.txt"
    changed.write_text((inputs / "story.en.txt").read_text("utf-8") + "\n\nOne more.\n", "utf-8")
    result = run_cli(
        "align",
        str(inputs / "story.uk.txt"),
        str(changed),
        "--format",
        "json",
        "--overrides",
        overrides,
    )
    assert json.loads(result.stdout)[0] == [[0], [0]]
    assert "an article changed since" in result.stderr


def test_bead_changes_split_one_sided_and_undo(review_run):
    client, review = client_for(review_run)
    machine, _ = review.beads(PAIR)
    post(client, f"/pair/{PAIR}/beads", op="split", index="0")
    beads, _ = review.beads(PAIR)
    assert beads[:2] == [((0,), ()), ((), (0,))]
    number = json.loads(
        client.post(
            f"/pair/{PAIR}/beads",
            data={"csrf": CSRF, "op": "one_sided", "lang": "en", "paragraph": "3"},
            headers={"X-Requested-With": "mistok"},
        ).data
    )["decision"]
    assert ((), (3,)) in review.beads(PAIR)[0]
    bad = client.post(
        f"/pair/{PAIR}/beads",
        data={"csrf": CSRF, "op": "join", "index": "999"},
        headers={"X-Requested-With": "mistok"},
    )
    assert bad.status_code == 409 and "no bead after" in bad.get_json()["error"]
    post(client, "/undo", decision=str(number))
    assert ((), (3,)) not in review.beads(PAIR)[0]
    decisions = review.log.decisions()
    assert [d.active for d in decisions] == [True, False]
    assert decisions[1].undone_by == "olena"
    # undoing everything gives the aligner's beads back, and an empty override file
    post(client, "/undo", decision=str(decisions[0].id))
    assert review.beads(PAIR)[0] == machine
    assert read_overrides(review_paths(review_run).alignments) == {}


def test_a_draft_keeps_its_mark_until_a_person_marks_it_reviewed(
    review_base, review_run, monkeypatch
):
    client, review = client_for(review_run)
    name = "harvest.en.txt"
    assert name in review.view.drafts
    original = (review_run / "drafts" / name).read_text(encoding="utf-8")
    assert "machine_draft: true" in original
    texts = ["Poltava farmers harvested 2.4 million tonnes of grain.", "Mostly maize."]
    post(client, f"/draft/{name}", text=texts, reviewed="0")
    edited = (review_run / "drafts" / name).read_text(encoding="utf-8")
    assert "machine_draft: true" in edited and "2.4 million tonnes" in edited
    post(client, f"/draft/{name}", text=texts, reviewed="1")
    approved = (review_run / "drafts" / name).read_text(encoding="utf-8")
    assert "machine_draft: false" in approved and 'reviewed_by: "olena"' in approved
    report = rerun(review_base, review_run, monkeypatch)
    assert (review_run / "drafts" / name).read_text(encoding="utf-8") == approved  # kept
    assert {"path": f"drafts/{name}", "why": "changed since mistok wrote it"} in report[
        "kept_files"
    ]
    # undo both: the machine draft comes back
    for decision in reversed(review.log.decisions()):
        post(client, "/undo", decision=str(decision.id))
    assert (review_run / "drafts" / name).read_text(encoding="utf-8") == original


def test_two_reviewers_writing_at_once_lose_nothing(review_run):
    _client, first = client_for(review_run, author="olena")
    _client, second = client_for(review_run, author="taras")
    fingerprints = [f["fingerprint"] for f in first.view.pairs[PAIR].findings]
    errors: list[BaseException] = []

    def work(review, author, items, joins):
        try:
            for fingerprint in items:
                review.dismiss(PAIR, fingerprint, f"by {author}", author)
            for _ in range(joins):
                review.change_beads(PAIR, "join", author, index=0)
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    half = len(fingerprints) // 2
    threads = [
        threading.Thread(target=work, args=(first, "olena", fingerprints[:half], 3)),
        threading.Thread(target=work, args=(second, "taras", fingerprints[half:], 3)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    decisions = first.log.decisions()
    assert {d.subject for d in decisions if d.kind == "dismiss"} == set(fingerprints)
    # six joins, each computed from the state the one before left: bead 0 holds 7 beads' worth
    joins = [d for d in decisions if d.kind == "beads"]
    assert len(joins) == 6
    beads, _ = first.beads(PAIR)
    machine = first.view.machine_beads(PAIR)
    assert beads[0] == (
        tuple(i for b in machine[:7] for i in b[0]),
        tuple(j for b in machine[:7] for j in b[1]),
    )
    assert read_baseline(review_paths(review_run).baseline).fingerprints == set(fingerprints)


def test_every_change_needs_post_and_the_csrf_token(review_run):
    client, review = client_for(review_run)
    umyerov_fp = umyerov(review.view.pairs[PAIR].findings)
    url = f"/pair/{PAIR}/finding"
    form = {"action": "dismiss", "fingerprint": umyerov_fp, "reason": "x"}
    assert client.post(url, data=form).status_code == 403
    assert client.post(url, data={**form, "csrf": "wrong"}).status_code == 403
    assert (
        client.post(
            url, data={**form, "csrf": CSRF}, headers={"Origin": "http://evil.example"}
        ).status_code
        == 403
    )
    assert client.get(url, query_string=form).status_code == 405
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert review.log.decisions() == []
    page = client.get(f"/pair/{PAIR}")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    text = page.get_data(as_text=True)
    assert "<script>window.__pwned" not in text and "&lt;script&gt;window.__pwned" in text


def test_another_host_needs_the_token(review_run):
    client, _review = client_for(review_run, token="s3cret")
    assert client.get("/").status_code == 401
    assert client.get("/?token=wrong").status_code == 401
    answer = client.get(f"/pair/{PAIR}?token=s3cret")
    assert answer.status_code == 303 and "?token" not in answer.headers["Location"]
    assert client.get(f"/pair/{PAIR}").status_code == 200  # the cookie now


def test_request_paths_never_leave_the_run_folder(review_run):
    client, _review = client_for(review_run)
    for url in (
        "/draft/..%2F..%2Fetc%2Fpasswd",
        "/draft/../report.json",
        "/pair/..%2Freport",
        "/article/uk/..%2F..%2Fetc",
    ):
        assert client.get(url).status_code == 404, url
    with pytest.raises(Exception, match="outside the run folder"):
        inside(review_run, "../secret")


def test_a_corrupt_database_is_rebuilt_from_the_exported_files(review_run):
    client, review = client_for(review_run)
    umyerov_fp = umyerov(review.view.pairs[PAIR].findings)
    post(client, f"/pair/{PAIR}/finding", action="dismiss", fingerprint=umyerov_fp, reason="seen")
    post(client, f"/pair/{PAIR}/beads", op="join", index="0")
    database = review_paths(review_run).folder / DATABASE_NAME
    database.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    opened = open_review(review_run)
    assert len(opened.warnings) == 1 and "rebuilt from the exported files" in opened.warnings[0]
    kinds = {(d.kind, d.subject) for d in opened.review.log.decisions()}
    assert ("dismiss", umyerov_fp) in kinds and ("beads", PAIR) in kinds
    assert list(database.parent.glob(f"{DATABASE_NAME}.corrupt-*"))


def test_bad_input_is_one_line_and_exit_2(review_run, tmp_path):
    def refused(*args: str) -> str:
        result = run_cli("review", *args, "--port", "0")
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("mistok: error:"), result.output
        return lines[0]

    assert "not a mistok run folder" in refused(str(tmp_path))
    manifest = json.loads((review_run / "manifest.json").read_text("utf-8"))
    newer = tmp_path / "newer"
    newer.mkdir()
    (newer / "manifest.json").write_text(json.dumps({**manifest, "format": "mistok-run-output/9"}))
    assert "newer mistok" in refused(str(newer))

    database = review_paths(review_run).folder / DATABASE_NAME
    database.parent.mkdir()
    DecisionLog(database).open()
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA user_version = 99")
    assert "schema 99, newer" in refused(str(review_run))
    database.unlink()

    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    try:
        port = busy.getsockname()[1]
        result = run_cli("review", str(review_run), "--port", str(port))
        assert result.exit_code == 2 and f"cannot serve on 127.0.0.1:{port}" in result.output
    finally:
        busy.close()


def test_a_locked_database_is_one_line(review_run, monkeypatch):
    import mistok.review.db as db

    database = review_paths(review_run).folder
    database.mkdir(exist_ok=True)
    holder = sqlite3.connect(database / DATABASE_NAME, isolation_level=None)
    holder.execute("PRAGMA journal_mode = DELETE")
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    try:
        result = run_cli("review", str(review_run), "--port", "0")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 2 and "locked by another program" in result.output


def test_adopting_a_suggestion_makes_it_house_style(review_run):
    client, review = client_for(review_run)
    finding = next(
        f
        for f in review.view.pairs[PAIR].findings
        if f["rule"] == "style.rendering" and f["data"]["used"] == "Zelenskyi"
    )
    answer = post(
        client,
        f"/pair/{PAIR}/finding",
        action="adopt",
        fingerprint=finding["fingerprint"],
        spelling="Zelenskyi",
    )
    assert answer.status_code == 303
    from eval.style import load_style

    style = load_style(review_paths(review_run).style)
    assert style.rejected_form("Zelenskyi") == ("Zelenskyi", "Zelenskyy")
    refused = post(
        client,
        f"/pair/{PAIR}/finding",
        action="adopt",
        fingerprint=finding["fingerprint"],
        spelling="Kyiv",
    )
    assert refused.status_code == 409


def test_a_draft_path_in_the_report_cannot_lead_out_of_the_run(review_run):
    report = json.loads((review_run / "report.json").read_text(encoding="utf-8"))
    for draft in report["translation"]["drafts"]:
        draft["file"] = "../outside.txt"
    (review_run / "report.json").write_text(json.dumps(report), encoding="utf-8")
    client, review = client_for(review_run)
    name = next(iter(review.view.drafts))
    with pytest.raises(Exception, match="outside the run folder"):
        review.edit_draft(name, ["x"], True, "olena")
    assert not (review_run.parent / "outside.txt").exists()


def test_the_index_filters_by_check_severity_status_and_name(review_run):
    client, review = client_for(review_run)

    def listed(**query) -> bool:
        page = client.get("/", query_string=query).get_data(as_text=True)
        return f'href="/pair/{PAIR}"' in page

    assert listed() and listed(check="names") and listed(severity="warning")
    assert not listed(severity="error") and not listed(check="numbers")
    assert listed(q="umerov") and listed(q="STORY") and not listed(q="harvest")
    assert listed(status="open") and not listed(status="reviewed")
    for finding in review.view.pairs[PAIR].findings:
        if finding["check"] == "names":
            review.dismiss(PAIR, str(finding["fingerprint"]), "seen", "olena")
    assert listed(check="names", status="reviewed") and not listed(check="names", status="open")
    assert listed(status="open")  # other checks still have open findings
    with sqlite3.connect(review_paths(review_run).folder / DATABASE_NAME) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
