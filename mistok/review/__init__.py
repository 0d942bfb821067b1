"""``mistok review``: a local web application where a person acts on a run folder.

The decisions a reviewer takes live in a SQLite database in the run folder
(:mod:`mistok.review.db`) and are exported, on every change, to plain files that ``mistok run``,
``mistok align`` and CI read without the application (:mod:`mistok.review.files`)::

    OUT/review/decisions.sqlite   every decision: who, when, what; undo marks one undone
    OUT/review/baseline           dismissed findings (a mistok baseline, eval.baseline)
    OUT/review/style.toml         accepted spellings ([[accept]]) and adopted house style
                                  ([rejected]): a style file that adds to the run's own
    OUT/review/alignments.json    manual alignments: the beads a person set for a pair
    OUT/drafts/…                  drafts edited in place; marked reviewed only by a person

Only :mod:`mistok.review.files` is imported by the pipeline; the web part (Flask) is the
optional extra ``mistok[review]``.
"""
