"""The pages and the changes of the review application."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, abort, current_app, jsonify, redirect, render_template, request, url_for

from mistok.review.run_view import SEVERITIES
from mistok.review.state import Review, spellings_of

CHECKS = ("names", "numbers", "coverage", "style", "adequacy")
STATUSES = ("open", "reviewed", "all")


def _review() -> Review:
    return current_app.config["REVIEW"]


def _author() -> str:
    name = request.cookies.get("mistok_author", "").strip()
    return name[:80] or current_app.config["REVIEW_CONFIG"].author


def _context(**values):
    return {"csrf": current_app.config["CSRF"], "author": _author(), **values}


def _done(target: str, decision: int | None = None, error: str | None = None):
    """After a change: JSON for the page's script, a redirect (303) for a plain form."""
    if request.headers.get("X-Requested-With") == "mistok":
        if error:
            return jsonify({"error": error}), 409
        return jsonify({"decision": decision})
    if error:
        abort(409, error)
    return redirect(target, code=303)


def _pair_or_404(pair: str) -> str:
    if pair not in _review().view.pairs:
        abort(404, "no such pair in this run")
    return pair


@dataclass(frozen=True)
class _Filters:
    """The filters of the index page: a check, a severity, a status and a search text."""

    check: str
    severity: str
    status: str
    query: str

    def selects(self, finding) -> bool:
        """Whether a finding is of the check and severity asked for (any, when not asked)."""
        return (not self.check or finding.get("check") == self.check) and (
            not self.severity or finding.get("severity") == self.severity
        )

    def as_dict(self) -> dict[str, str]:
        return {
            "check": self.check,
            "severity": self.severity,
            "status": self.status,
            "q": self.query,
        }


def _filters() -> _Filters:
    return _Filters(
        check=request.args.get("check", ""),
        severity=request.args.get("severity", ""),
        status=request.args.get("status", "all"),
        query=request.args.get("q", "").strip().lower(),
    )


def _open_counts(states) -> dict[str, int]:
    """How many findings of each severity are still open."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for item in states:
        if item.status == "open":
            counts[str(item.finding["severity"])] += 1
    return counts


def _shown(info, states, filters: _Filters) -> bool:
    """Whether the pair passes the filters: it has a finding of the check and severity asked
    for, its findings are open (or reviewed) as asked, and its id or a title holds the
    search text."""
    selected = [s for s in states if filters.selects(s.finding)]
    if (filters.check or filters.severity) and not selected:
        return False
    still_open = any(s.status == "open" for s in selected)
    if filters.status == "open" and not still_open or filters.status == "reviewed" and still_open:
        return False
    names = f"{info.id} {info.uk_title} {info.en_title}".lower()
    return not filters.query or filters.query in names


def _pair_rows(review: Review, decisions, filters: _Filters) -> list[dict]:
    """The index's rows, one per pair shown, most open errors and warnings first."""
    rows = []
    for info in review.view.pairs.values():
        states = review.finding_states(info.id, decisions)
        if not _shown(info, states, filters):
            continue
        _beads, manual = review.beads(info.id, decisions)
        rows.append(
            {
                "info": info,
                "open": _open_counts(states),
                "decided": sum(1 for s in states if s.status != "open"),
                "total": len(states),
                "manual": manual is not None,
            }
        )
    rows.sort(key=lambda r: (-r["open"]["error"], -r["open"]["warning"], r["info"].id))
    return rows


def index():
    review = _review()
    decisions = review.log.decisions()
    filters = _filters()
    rows = _pair_rows(review, decisions, filters)
    drafts = []
    for name, info in sorted(review.view.drafts.items()):
        decision = review.draft_state(name, decisions)
        drafts.append({"name": name, "info": info, "decision": decision})
    return render_template(
        "index.html",
        **_context(
            rows=rows,
            drafts=drafts,
            unpaired=sorted(review.view.unpaired.values()),
            checks=CHECKS,
            severities=SEVERITIES,
            statuses=STATUSES,
            filters=filters.as_dict(),
            run=review.view.root.name,
        ),
    )


def pair_page(pair: str):
    review = _review()
    _pair_or_404(pair)
    info = review.view.pairs[pair]
    decisions = review.log.decisions()
    states = review.finding_states(pair, decisions)
    beads, manual = review.beads(pair, decisions)
    uk = review.view.paragraphs(info.uk, "uk")
    en = review.view.paragraphs(info.en, "en")
    marks: dict[tuple[str, int], list[str]] = {}
    for state in states:
        for loc in state.finding.get("locations") or ():
            if loc.get("paragraph") is not None:
                key = (str(loc["lang"]), int(loc["paragraph"]))
                marks.setdefault(key, []).append(state.fingerprint)
    drafts = [(n, d) for n, d in sorted(review.view.drafts.items()) if d.pair == pair]
    history = [d for d in decisions if d.pair == pair]
    return render_template(
        "pair.html",
        **_context(
            info=info,
            states=states,
            beads=beads,
            manual=manual,
            uk=uk,
            en=en,
            marks=marks,
            spellings={s.fingerprint: spellings_of(s.finding) for s in states},
            drafts=drafts,
            history=list(reversed(history)),
        ),
    )


def finding_action(pair: str):
    review = _review()
    _pair_or_404(pair)
    form = request.form
    action = form.get("action", "")
    fingerprint = form.get("fingerprint", "")
    reason = form.get("reason", "")
    spelling = form.get("spelling", "")
    target = url_for("pair_page", pair=pair) + f"#f-{fingerprint}"
    try:
        if action == "dismiss":
            number = review.dismiss(pair, fingerprint, reason, _author())
        elif action == "accept":
            number = review.accept(pair, fingerprint, spelling, reason, _author())
        elif action == "adopt":
            number = review.adopt(pair, fingerprint, spelling, _author())
        else:
            raise ValueError(f"unknown action {action!r}")
    except ValueError as err:
        return _done(target, error=str(err))
    return _done(target, number)


def beads_action(pair: str):
    review = _review()
    _pair_or_404(pair)
    form = request.form
    try:
        number = review.change_beads(
            pair,
            form.get("op", ""),
            _author(),
            index=form.get("index", "-1"),
            lang=form.get("lang", ""),
            paragraph=form.get("paragraph", "-1"),
        )
    except ValueError as err:
        return _done(url_for("pair_page", pair=pair), error=str(err))
    return _done(url_for("pair_page", pair=pair) + "#beads", number)


def draft_page(name: str):
    review = _review()
    if name not in review.view.drafts:
        abort(404, "no such draft in this run")
    info = review.view.drafts[name]
    decisions = review.log.decisions()
    _text, draft = review.view.draft_text(name)
    sources = draft.sources or review.view.paragraphs(info.article, info.src)
    history = [d for d in decisions if d.kind == "draft" and d.subject == info.file]
    return render_template(
        "draft.html",
        **_context(
            name=name,
            info=info,
            draft=draft,
            sources=sources,
            history=list(reversed(history)),
            decision=review.draft_state(name, decisions),
        ),
    )


def draft_action(name: str):
    review = _review()
    if name not in review.view.drafts:
        abort(404, "no such draft in this run")
    texts = request.form.getlist("text")
    reviewed = request.form.get("reviewed") == "1"
    number = review.edit_draft(name, texts, reviewed, _author())
    return _done(url_for("draft_page", name=name), number)


def article_page(lang: str, article: str):
    review = _review()
    if f"{lang}/{article}" not in review.view.unpaired:
        abort(404, "no such article without a counterpart in this run")
    drafts = [(n, d) for n, d in sorted(review.view.drafts.items()) if d.article == article]
    paragraphs = review.view.paragraphs(article, lang)
    return render_template(
        "article.html",
        **_context(lang=lang, article=article, paragraphs=paragraphs, drafts=drafts),
    )


def undo():
    review = _review()
    try:
        number = int(request.form.get("decision", ""))
    except ValueError:
        abort(400, "which decision to undo?")
    review.undo(number, _author())
    back = request.form.get("back", "")
    known = {url_for("pair_page", pair=p) for p in review.view.pairs}
    known |= {url_for("draft_page", name=n) for n in review.view.drafts}
    return _done(back if back in known else url_for("log_page"), number)


def log_page():
    review = _review()
    return render_template("log.html", **_context(decisions=list(reversed(review.log.decisions()))))


def set_author():
    name = " ".join(request.form.get("author", "").split())[:80]
    response = redirect(url_for("index"), code=303)
    response.set_cookie("mistok_author", name, httponly=True, samesite="Strict")
    return response


def register(app: Flask) -> None:
    app.add_url_rule("/", "index", index)
    app.add_url_rule("/pair/<pair>", "pair_page", pair_page)
    app.add_url_rule("/pair/<pair>/finding", "finding_action", finding_action, methods=["POST"])
    app.add_url_rule("/pair/<pair>/beads", "beads_action", beads_action, methods=["POST"])
    app.add_url_rule("/draft/<name>", "draft_page", draft_page)
    app.add_url_rule("/draft/<name>", "draft_action", draft_action, methods=["POST"])
    app.add_url_rule("/article/<lang>/<article>", "article_page", article_page)
    app.add_url_rule("/undo", "undo", undo, methods=["POST"])
    app.add_url_rule("/log", "log_page", log_page)
    app.add_url_rule("/author", "set_author", set_author, methods=["POST"])
