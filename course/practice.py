"""Exercises in a code cell, learntools style: ``q = exercise("id")``, then
``q.check(answer)``, ``q.hint()``, ``q.solution()`` or ``q.widget()``.

Every check goes through :func:`course.exercises.check` and is recorded in the learner's
progress file, whether it came from a code cell or a widget.
"""

from __future__ import annotations

import os

from .exercises import Feedback, Item, check, load_items
from .knowledge import load_knowledge
from .progress import ProgressStore

__all__ = ["Exercise", "exercise"]


class Exercise:
    """One exercise item bound to a progress store."""

    def __init__(self, item: Item, store: ProgressStore | None = None):
        self.item = item
        self.store = store if store is not None else ProgressStore()
        self._hints_shown = 0

    @property
    def id(self) -> str:
        return self.item.id

    def check(self, answer) -> Feedback:
        """Score ``answer``, record it (not while nbgrader grades) and return the feedback."""
        feedback = check(self.item, answer)
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
        item, kb = self.item, load_knowledge()
        if item.kind == "critique":
            key = ", ".join(kb.tags[t].name for t in kb.tag_ids if t in item.key) or "no tags"
            reasons = " ".join(f"{kb.tags[t].name}: {why}" for t, why in item.post.tags.items())
            return f"Tags: {key}. {reasons}".strip()
        if item.kind == "multiple":
            answer = "; ".join(item.key)
        elif item.kind == "rewrite":
            answer = ("Any rewrite with none of the original's problems that gives the reader "
                      "something (a genuine question, useful content, care or credit to others)")
        else:
            answer = str(item.key)
        return f"{answer}. {item.explanation}".strip()

    def widget(self):
        """The interactive widget for this item (needs ipywidgets)."""
        from .widgets import widget_for

        return widget_for(self)

    def _repr_markdown_(self) -> str:
        return f"**{self.item.id}** ({self.item.kind}, {self.item.points:g} pt): {self.item.prompt}"


def exercise(item_id: str, *, store: ProgressStore | None = None) -> Exercise:
    """The exercise with this id from the course's exercise data."""
    items = load_items()
    if item_id not in items:
        raise KeyError(f"no exercise {item_id!r}; see course/data/exercises.yaml")
    return Exercise(items[item_id], store)
