"""The exercise contract that learning and grading share: items (one class per kind,
each with its validation, check, public fields and solution), the feedback they give,
and the answer files graded work saves. Imports no Jupyter and no nbgrader.

Names load on first use, so a graded notebook that only saves answers
(:mod:`course.exercises.answers`) does not load the critic and the knowledge base.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalog import build_item, check, find_item, item_from_public, load_items
    from .feedback import (
        CORRECT,
        NOT_ATTEMPTED,
        PARTLY,
        SAVED,
        STATUS_LABELS,
        WRONG,
        Feedback,
        format_points,
    )
    from .item import LETTERS, Item, option_id
    from .kinds import (
        KINDS,
        MISSING,
        CodeTask,
        MultipleChoice,
        Numeric,
        Rewrite,
        SingleChoice,
        TagCritique,
        partial_credit,
    )
    from .shuffle import SHUFFLED_KINDS, option_order

_HOME = {
    **dict.fromkeys(["build_item", "check", "find_item", "item_from_public", "load_items"],
                    "catalog"),
    **dict.fromkeys(["CORRECT", "NOT_ATTEMPTED", "PARTLY", "SAVED", "STATUS_LABELS", "WRONG",
                     "Feedback", "format_points"], "feedback"),
    **dict.fromkeys(["LETTERS", "Item", "option_id"], "item"),
    **dict.fromkeys(["KINDS", "MISSING", "CodeTask", "MultipleChoice", "Numeric", "Rewrite",
                     "SingleChoice", "TagCritique", "partial_credit"], "kinds"),
    **dict.fromkeys(["SHUFFLED_KINDS", "option_order"], "shuffle"),
}
__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
