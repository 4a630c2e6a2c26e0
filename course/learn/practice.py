"""Exercises in a code cell, learntools style: ``q = exercise("id")``, then
``q.check(answer)``, ``q.hint()``, ``q.solution()`` or ``q.widget()``.

Every check goes through the item's own :meth:`~course.exercises.Item.check` and is
recorded in the learner's progress file, whether it came from a code cell or a widget.
"""

from __future__ import annotations

import os
from typing import Any

from ..exercises import Feedback, Item, find_item
from .progress import ProgressStore

__all__ = ["Exercise", "exercise"]


class Exercise:
    """One exercise item bound to a progress store."""

    graded = False

    def __init__(self, item: Item, store: ProgressStore | None = None):
        self.item = item
        self.store = store if store is not None else ProgressStore()
        self._hints_shown = 0

    @property
    def id(self) -> str:
        return self.item.id

    def check(self, answer: Any) -> Feedback:
        """Score ``answer``, record it (not while nbgrader grades) and return the feedback."""
        feedback = self.item.check(answer)
        if not os.environ.get("NBGRADER_EXECUTION"):
            self.store.record(self.item, feedback)
        return feedback

    def hint(self) -> str:
        """The next hint (the last one repeats)."""
        if not self.item.hints:
            return "No hint for this one: reread the lesson section above."
        hint = self.item.hints[min(self._hints_shown, len(self.item.hints) - 1)]
        self._hints_shown += 1
        return hint

    def solution(self) -> str:
        """The answer and why."""
        return self.item.solution()

    def widget(self):
        """The interactive widget for this item (needs ipywidgets)."""
        from .widgets import widget_for

        return widget_for(self)

    def _repr_markdown_(self) -> str:
        return f"**{self.item.id}** ({self.item.kind}, {self.item.points:g} pt): {self.item.prompt}"


def exercise(item_id: str, *, store: ProgressStore | None = None) -> Exercise:
    """The exercise with this id from the course's exercise data; a mistyped id names
    the closest ones."""
    return Exercise(find_item(item_id), store)
