"""``mistok align --overrides``: the manual alignment of a review, for one article pair."""

from __future__ import annotations

from pathlib import Path

import click

from aligner.alignment import Alignment
from aligner.document import Article
from mistok.output_dir import content_key
from mistok.review.files import apply_override, read_overrides
from mistok.run_records import article_fingerprint


def override_alignment(path: Path, uk: Article, en: Article, alignment: Alignment) -> Alignment:
    """``alignment``, or the beads a person set for ``uk`` and ``en`` in the override file at
    ``path`` (matched by the article ids); says on stderr when an override does not apply."""
    for override in read_overrides(path).values():
        if (override.uk, override.en) != (uk.id, en.id):
            continue
        uk_key = content_key(article_fingerprint(uk))
        en_key = content_key(article_fingerprint(en))
        alignment, problem = apply_override(alignment, override, uk_key, en_key)
        if problem:
            click.echo(f"mistok: warning: {problem}", err=True)
        return alignment
    return alignment
