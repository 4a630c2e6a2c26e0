"""Exercises in a code cell, learntools style: ``q = exercise("id")`` shows the question
and its options; then ``q.check(answer)``, ``q.hint()``, ``q.solution()`` or
``q.widget()``.

The code path is the widget's equal: options are named by letter (in the learner's own
order, the one the widget shows), by text or, for critiques, by tag name ("Hard sell"),
in any case; a code task's ``q.check()`` reads the learner's own variable from the
notebook. Every check goes through the item's own :meth:`~course.exercises.Item.check`
and is recorded in the learner's progress file, whether it came from a code cell or a
widget. Feedback never names what the learner missed; the answer itself is one
deliberate step away (``q.solution()``, or the widget's *Show answer* button, which
appears after :data:`SHOW_ANSWER_AFTER` tries).
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

from ..content.knowledge import load_knowledge
from ..exercises import (
    LETTERS,
    MISSING,
    NOT_ATTEMPTED,
    Feedback,
    Item,
    find_item,
    format_points,
    option_order,
)
from .progress import ProgressStore

__all__ = ["SHOW_ANSWER_AFTER", "Exercise", "Markdown", "exercise"]

#: Checks before the widget offers *Show answer*: two honest tries, so the answer is not
#: one click away from the start, nor out of reach for someone who is stuck.
SHOW_ANSWER_AFTER = 2

_FROM_NOTEBOOK: Any = object()


class Markdown:
    """Text that Jupyter renders as Markdown and ``print`` shows as it is (never a quoted
    string with escapes)."""

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return self.text == (other.text if isinstance(other, Markdown) else other)

    def __hash__(self) -> int:
        return hash(self.text)


class Exercise:
    """One exercise item bound to a progress store."""

    graded = False

    def __init__(self, item: Item, store: ProgressStore | None = None):
        self.item = item
        self.store = store if store is not None else ProgressStore()
        self._hints_shown = 0
        self._order: tuple[str, ...] | None = None

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def order(self) -> tuple[str, ...]:
        """The option ids in the order this learner sees them (letters follow it)."""
        if self._order is None:
            learner = "" if os.environ.get("NBGRADER_EXECUTION") else self.store.learner()
            self._order = option_order(self.item, learner)
        return self._order

    def record(self) -> dict | None:
        """The progress file's record of this item (best result, last answer, tries)."""
        return self.store.get(self.item.id)

    def last_answer(self) -> Any:
        record = self.record()
        return None if record is None else record.get("answer")

    def may_show_answer(self) -> bool:
        """After :data:`SHOW_ANSWER_AFTER` checks, or once it is right."""
        record = self.record() or {}
        return record.get("status") == "correct" or \
            int(record.get("tries", 0)) >= SHOW_ANSWER_AFTER

    def check(self, answer: Any = _FROM_NOTEBOOK) -> Feedback:
        """Score ``answer``, record it (not while nbgrader grades) and return the
        feedback. A code task with no argument checks the learner's own variable."""
        if answer is _FROM_NOTEBOOK:
            answer = _notebook_variable(getattr(self.item, "variable", ""))
        answer = self.item.normalize(answer, self.order)
        feedback = self.item.check(answer)
        # A check with no answer is no try: it is not recorded, and brings the answer no
        # closer.
        if feedback.status != NOT_ATTEMPTED and not os.environ.get("NBGRADER_EXECUTION"):
            self.store.record(self.item, feedback, answer)
        return replace(feedback, missed=())  # the answer is for q.solution() to give

    def hint(self) -> Markdown:
        """The next hint (the last one repeats)."""
        if not self.item.hints:
            return Markdown("No hint for this one: reread the lesson section above.")
        hint = self.item.hints[min(self._hints_shown, len(self.item.hints) - 1)]
        self._hints_shown += 1
        return Markdown(f"**Hint.** {hint}")

    def solution(self) -> Markdown:
        """The answer and why."""
        return Markdown(self.item.solution())

    def widget(self):
        """The interactive widget for this item (needs ipywidgets)."""
        from .widgets import widget_for

        return widget_for(self)

    def question(self) -> str:
        """The question as Markdown, with its options lettered in this learner's order
        and how to answer in code."""
        item, name = self.item, f'q = exercise("{self.item.id}")'
        lines = [f"**{item.id}** ({format_points(item.points)} "
                 f"{'point' if item.points == 1 else 'points'}). {item.prompt}", ""]
        if item.post is not None:
            lines += ["> " + item.post.text.replace("\n", "\n> "),
                      f"> — on {item.post.platform or 'any platform'}", ""]
        if item.kind in ("single", "multiple"):
            lines += [f"- **{LETTERS[n]}.** {item.label(oid)}" for n, oid in
                      enumerate(self.order)]
            example = '"B"' if item.kind == "single" else '["A", "C"]'
            how = f"`q.check({example})`: a letter, or an option's text"
        elif item.kind == "critique":
            kb = load_knowledge()
            for kind, title in (("problem", "Problems"), ("strength", "Strengths")):
                names = ", ".join(kb.tags[t].name for t in kb.tag_ids if kb.tags[t].kind == kind)
                lines.append(f"- {title}: {names}")
            how = '`q.check(["Hard sell", "Spam"])`: the tags you think apply, by name'
        elif item.kind == "rewrite":
            how = '`q.check("your version of the post")`'
        elif item.kind == "code":
            how = (f"write the code that sets `{getattr(item, 'variable', '')}` in a code cell, "
                   "run it, then `q.check()`")
        else:
            how = "`q.check(42)`"
        lines += ["", f"Answer with {how}. After `{name}`: `q.hint()` for a hint, "
                  "`q.solution()` for the answer."]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.question()

    def __repr__(self) -> str:
        return self.question()


def _notebook_variable(name: str) -> Any:
    """The learner's variable ``name`` in the running notebook, or ``MISSING``."""
    if not name:
        return None
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - lessons always run in IPython
        return MISSING
    shell = get_ipython()
    return MISSING if shell is None else shell.user_ns.get(name, MISSING)


def exercise(item_id: str, *, store: ProgressStore | None = None) -> Exercise:
    """The exercise with this id from the course's exercise data; a mistyped id names
    the closest ones."""
    return Exercise(find_item(item_id), store)
