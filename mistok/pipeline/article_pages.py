"""The pages of ``mistok run``'s ``report.html`` that are about single articles and about the
order of the pairs: a page per article without a counterpart (``articles/<id>.<lang>.html``:
its text, and its machine draft when there is one), and the pairs ordered for a reader (those
with errors first, then warnings)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from aligner.document import Article
from mistok.run_records import Draft, file_stem

__all__ = ["ARTICLES_FOLDER", "article_page_name", "pairs_by_severity", "unpaired_pages"]

ARTICLES_FOLDER = "articles"

_PAGE = """<!doctype html>
<html lang="{{ article.lang }}">
<head>
<meta charset="utf-8">
<title>{{ article.id }} ({{ language }} only)</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem;
       padding: 0 1rem; }
.muted { color: #666; } .num { color: #999; font-size: 85%; }
table { border-collapse: collapse; width: 100%; }
td { border-bottom: 1px solid #ddd; padding: .3rem .5rem; vertical-align: top; width: 50%; }
</style>
</head>
<body>
<p><a href="../report.html">← report</a></p>
<h1>{{ article.title or article.id }}</h1>
<p class="muted">{{ article.id }} · {{ language }} only: no counterpart was found
{%- if draft %} · machine draft (<a href="../{{ draft_file }}">{{ draft_file }}</a>,
{{ draft.model }}): review before publishing{% endif %}</p>
<table>
{% for p in article.paragraphs %}<tr><td><span class="num">¶{{ loop.index0 }}</span> {{ p }}</td>
<td>{% if draft and loop.index0 < draft.texts|length %}<span class="muted">[MT draft]</span>
{{ draft.texts[loop.index0] }}{% endif %}</td></tr>
{% endfor %}</table>
</body>
</html>
"""


def article_page_name(article_id: str, lang: str) -> str:
    """The page of an article without a counterpart, relative to the run folder."""
    return f"{ARTICLES_FOLDER}/{file_stem(article_id)}.{lang}.html"


def unpaired_pages(
    articles: Iterable[Article], drafts: Sequence[Draft]
) -> Iterator[tuple[str, str]]:
    """A page per article of ``articles`` (those without a counterpart) and its relative path,
    one at a time (an archive's pages are never all in memory)."""
    from jinja2 import Environment

    template = Environment(autoescape=True, keep_trailing_newline=True).from_string(_PAGE)
    whole = {(d.request.article_id, d.request.src): d for d in drafts if d.request.pair_id is None}
    for article in articles:
        draft = whole.get((article.id, article.lang))
        yield article_page_name(article.id, article.lang), template.render(
            article=article,
            language="Ukrainian" if article.lang == "uk" else "English",
            draft=draft,
            draft_file=f"drafts/{draft.request.draft_name}" if draft else "",
        )


def pairs_by_severity(pairs: Sequence[Mapping[str, object]]) -> list[Mapping[str, object]]:
    """The pairs of a report, those with errors first, then warnings, then notes (most
    first), else in their order."""

    def key(item: tuple[int, Mapping[str, object]]) -> tuple[int, int, int, int]:
        counts = item[1].get("counts") or {}
        return (
            -int(counts.get("error", 0)),  # type: ignore[union-attr]
            -int(counts.get("warning", 0)),  # type: ignore[union-attr]
            -int(counts.get("note", 0)),  # type: ignore[union-attr]
            item[0],
        )

    return [pair for _, pair in sorted(enumerate(pairs), key=key)]
