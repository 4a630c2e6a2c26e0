"""Graded items in a released assignment: the widget without its key.

The assignment notebook calls ``graded_item({...})`` with the item's public part (id,
kind, prompt, points, options or post): never its key. An item with a version per student
lists every version's post and a table of who gets which; the widget shows the student's
own (:func:`course.exercises.variants.pick_variant`) and saves answers with its id.

The widget saves the answer on every change to ``answers/<id>.json`` beside the notebook
and mirrors it into the notebook as an output, so it survives a kernel restart, a
reopened notebook, and a submission of the ``.ipynb`` alone. The course grader scores it
later, inside nbgrader, against keys only the instructor holds. While nbgrader executes
the notebook (``NBGRADER_EXECUTION`` is set) nothing is written.
"""

from __future__ import annotations

import html
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exercises.answers import ANSWER_MIME, answers_in_notebook, load_answer, save_answer

if TYPE_CHECKING:
    from ..exercises import Feedback, Item

# The exercise and knowledge modules load on first use: while nbgrader executes an
# assignment, ``graded_item`` needs neither, and every graded kernel starts faster.

__all__ = ["GradedExercise", "graded_item"]

class GradedExercise:
    """Stands in for :class:`~course.learn.practice.Exercise` in graded work: no key, no
    feedback on correctness; ``check`` saves the answer and says so."""

    graded = True

    def __init__(self, item: Item, folder: Path | str = ".", *, variant: str | None = None):
        self.item = item
        self.variant = variant  # the version of the item this student sees, if it has any
        self.folder = Path(folder)
        self.grading = bool(os.environ.get("NBGRADER_EXECUTION"))
        self._handle = None

    def saved_answer(self) -> Any:
        """The last saved answer: from the answer file, else from a notebook's mirror."""
        record = load_answer(self.folder, self.item.id)
        if record is None:
            record = _mirrored(self.folder, self.item.id)
        if record is None or record.get("variant") != self.variant:
            return None  # nothing saved, or an answer to another version of the post
        return record["answer"]

    def save(self, answer: Any) -> dict | None:
        if self.grading:
            return None
        record = save_answer(self.folder, self.item.id, answer, variant=self.variant)
        self._mirror(record)
        return record

    def show_mirror(self, record: dict | None) -> None:
        """Display the mirror output; call it while the cell runs, so the output belongs
        to this cell. Later saves update it in place (by display id), and saving the
        notebook writes the latest answer into the .ipynb."""
        from IPython.display import display

        self._handle = display(_bundle(self.item.id, record), raw=True, display_id=True)

    def _mirror(self, record: dict) -> None:
        if self._handle is not None:
            self._handle.update(_bundle(self.item.id, record), raw=True)

    def check(self, answer: Any) -> Feedback:
        from ..exercises.feedback import SAVED, Feedback

        record = self.save(answer)
        when = time.strftime("%H:%M:%S") if record else "not saved (grading run)"
        return Feedback(self.item.id, SAVED, 0.0, self.item.points,
                        f"Answer saved ({when}). It is scored after you submit.")

    def hint(self) -> str:
        return "Hints are off in graded work: use the lesson notebooks to revise."


def _bundle(item_id: str, record: dict | None) -> dict:
    if record is None:
        return {"text/markdown": f"*No answer to {item_id} saved yet.*"}
    when = time.strftime("%H:%M:%S", time.localtime(record["saved"]))
    return {ANSWER_MIME: record, "text/markdown": f"*Answer to {item_id} saved at {when}.*"}


def _mirrored(folder: Path, item_id: str) -> dict | None:
    import json

    for path in sorted(folder.glob("*.ipynb")):
        try:
            record = answers_in_notebook(json.loads(path.read_text(encoding="utf-8"))).get(item_id)
        except (OSError, ValueError):
            continue
        if record is not None:
            return record
    return None


#: What marks the instructor's copy of an assignment: nbgrader's solution delimiter.
SOLUTION_MARK = "### BEGIN SOLUTION"


def _unanswered(spec: dict, folder: Path) -> str | None:
    """Why the item ``spec`` counts as unanswered in ``folder``, or ``None``."""
    if any(SOLUTION_MARK in p.read_text(encoding="utf-8", errors="replace")
           for p in folder.glob("*.ipynb")):
        return None
    record = load_answer(folder, str(spec.get("id"))) or _mirrored(folder, str(spec.get("id")))
    answer = None if record is None else record.get("answer")
    post = spec.get("post") or {}
    if answer is None or (isinstance(answer, str) and (
            not answer.strip() or answer.strip() == str(post.get("text", "")).strip())):
        number = spec.get("number")
        return (f"Question {number if number is not None else spec.get('id')} is not "
                "answered yet: answer it in its widget (answers save as you go), then "
                "validate again.")
    return None


def graded_item(spec: dict):
    """Show the widget for a graded item (``spec``: its public fields) and restore any
    saved answer. Returns the widget.

    While nbgrader autogrades, it shows nothing: the course grader scores the item from
    the saved answers and replaces this cell's outputs. Without that grader the cell
    shows an error, so a grader that is not set up gives 0, never full marks.

    While ``nbgrader validate`` runs (the student's "Validate" button), an item with no
    saved answer says so on stderr, which nbgrader counts as a failed cell: validation
    never says "Success" on a notebook with unanswered questions. The instructor's copy
    (``source/``, with its solutions) has no answers to check.
    """
    mode = os.environ.get("NBGRADER_EXECUTION")
    if mode == "autograde":
        print(f"{html.escape(str(spec.get('id')))}: scored by the course grader",
              file=sys.stderr)
        return None
    if mode == "validate":
        missing = _unanswered(spec, Path("."))
        if missing:
            print(missing, file=sys.stderr)
        return None
    from IPython.display import display

    from ..exercises.catalog import item_from_public
    from ..exercises.variants import current_student, pick_variant
    from .widgets import widget_for

    spec = pick_variant(spec, current_student())
    exercise = GradedExercise(item_from_public(spec), variant=spec.get("variant"))
    widget = widget_for(exercise)
    saved = exercise.saved_answer()
    if saved is not None:
        widget.answer = saved
    widget.observe(lambda change: exercise.save(change["new"]), "answer")
    display(widget)
    if not exercise.grading:
        record = None if saved is None else exercise.save(saved)
        exercise.show_mirror(record)
    return None
