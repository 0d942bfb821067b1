"""Corrections of an alignment, as a reviewer makes them: pure functions over bead lists.

A bead list is ``[(uk indices, en indices), ...]`` in document order; every function returns a
new list, or raises :class:`ValueError` with the reason when the change would break the order.
"""

from __future__ import annotations

from itertools import zip_longest

Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]

__all__ = ["Beads", "join", "one_sided", "split"]


def join(beads: Beads, index: int) -> Beads:
    """Bead ``index`` and the next one made one bead."""
    if not 0 <= index < len(beads) - 1:
        raise ValueError(f"no bead after bead {index} to join with")
    (uk1, en1), (uk2, en2) = beads[index], beads[index + 1]
    return [*beads[:index], (uk1 + uk2, en1 + en2), *beads[index + 2 :]]


def split(beads: Beads, index: int) -> Beads:
    """Bead ``index`` split into its paragraphs, paired in order (a 2-1 bead gives a 1-1 and
    a 1-0); a 1-1 bead gives two one-sided beads."""
    if not 0 <= index < len(beads):
        raise ValueError(f"no bead {index}")
    uk, en = beads[index]
    if len(uk) + len(en) < 2:
        raise ValueError(f"bead {index} holds one paragraph: nothing to split")
    if len(uk) == len(en) == 1:
        parts = [(uk, ()), ((), en)]
    else:
        parts = [
            (() if u is None else (u,), () if e is None else (e,)) for u, e in zip_longest(uk, en)
        ]
    return [*beads[:index], *parts, *beads[index + 1 :]]


def one_sided(beads: Beads, lang: str, paragraph: int) -> Beads:
    """Paragraph ``paragraph`` of ``lang`` taken out of its bead into a bead of its own, with
    no counterpart."""
    side = 0 if lang == "uk" else 1
    for index, bead in enumerate(beads):
        if paragraph not in bead[side]:
            continue
        mine = bead[side]
        if len(mine) == 1 and not bead[1 - side]:
            raise ValueError(f"{lang} ¶{paragraph} is one-sided already")
        alone = ((paragraph,), ()) if side == 0 else ((), (paragraph,))
        rest_side = tuple(i for i in mine if i != paragraph)
        rest = (rest_side, bead[1]) if side == 0 else (bead[0], rest_side)
        if not rest[0] and not rest[1]:
            return [*beads[:index], alone, *beads[index + 1 :]]
        if paragraph == mine[0]:
            return [*beads[:index], alone, rest, *beads[index + 1 :]]
        if paragraph == mine[-1]:
            return [*beads[:index], rest, alone, *beads[index + 1 :]]
        raise ValueError(f"{lang} ¶{paragraph} is inside its bead: split the bead first")
    raise ValueError(f"no {lang} paragraph {paragraph}")
