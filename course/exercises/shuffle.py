"""The order in which one learner sees an item's options.

Every learner gets an order of their own for every choice item, drawn from their learner
id and the item id: the same order each time they open the lesson, so letters in the code
path ("B") and the widget agree, and different from other learners', so the position of
the key tells nobody anything. Critique tags keep the course's order (problems, then
strengths): their order carries meaning, not the answer.
"""

from __future__ import annotations

import random

from .item import Item

__all__ = ["SHUFFLED_KINDS", "option_order"]

#: The kinds whose options are shuffled.
SHUFFLED_KINDS = frozenset({"single", "multiple"})


def option_order(item: Item, learner: str) -> tuple[str, ...]:
    """The ids of ``item``'s options as ``learner`` sees them."""
    ids = list(item.ids)
    if item.kind in SHUFFLED_KINDS and learner:
        # A string seed is hashed with SHA-512 by random.Random: stable across runs and
        # machines (unlike hash()).
        random.Random(f"{learner}/{item.id}").shuffle(ids)
    return tuple(ids)
