"""Scoring widget items from a student's saved answers: pure functions, no nbgrader.

:func:`score_notebook` replaces the outputs of every graded widget cell in a graded
notebook with the course's verdict (a rewrite gets the critic's view, for the person who
grades it).
"""

from __future__ import annotations

import html
from dataclasses import replace
from typing import Any

from nbformat import NotebookNode
from nbformat.v4 import new_output

from ..exercises import Feedback, Rewrite
from .assignments import Assignment

__all__ = ["FEEDBACK_MIME", "score_notebook"]

#: The MIME type of the course grader's notes in a graded notebook.
FEEDBACK_MIME = "text/markdown"


def score_notebook(nb: NotebookNode, assignment: Assignment, answers: dict[str, dict]
                   ) -> dict[str, Feedback]:
    """Replace the outputs of every graded widget cell with its score and feedback.

    Returns ``{item id: Feedback}``. Pure: no nbgrader, no files.
    """
    results = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        item = assignment.items.get(meta.get("grade_id"))
        if item is None or cell.cell_type != "code":
            continue
        record = answers.get(item.id)
        answer = None if record is None else record.get("answer")
        if isinstance(item, Rewrite):
            # No score here: RequestHandGrading hands a real rewrite to a person and
            # scores a missing one 0.
            cell.outputs = _rewrite_review(item, answer)
            continue
        # Feedback explains with the course's own tag definitions, not the key's notes.
        if item.post is not None:
            item = replace(item, post=replace(item.post, tags=dict.fromkeys(item.post.tags, "")))
        feedback = item.check(answer)
        results[item.id] = feedback
        text = feedback.as_markdown()
        if item.id in assignment.chosen:  # a version per student: show whose post this is
            text = _own_variant(item) + "\n\n" + text
        cell.outputs = [
            new_output("display_data", data={FEEDBACK_MIME: text}),
            new_output("execute_result", data={"text/plain": f"{feedback.score:g}"},
                       execution_count=cell.get("execution_count")),
        ]
    return results


def _own_variant(item) -> str:
    """The post of the student's own variant, quoted, as their feedback begins."""
    post = item.the_post
    return ("**Your version of the post** (each student had one of several):\n\n> "
            + post.text.replace("\n", "\n> "))


def _rewrite_review(item: Rewrite, answer: Any) -> list:
    from ..critic import analyze

    if not answer or not str(answer).strip():
        text = "**No rewrite was saved.**"
    else:
        post = item.the_post
        after = analyze(str(answer), post.platform)
        before = analyze(post.text, post.platform)
        # A student's text is escaped: the formgrader and feedback render this as HTML.
        lines = ["**Rewrite submitted:**", "", "> " + html.escape(str(answer)).replace(
                     "\n", "\n> "), "",
                 "**The critic's view (a suggestion for the grader):** "
                 f"original tags: {', '.join(sorted(before.tags)) or 'none'}; "
                 f"rewrite tags: {', '.join(sorted(after.tags)) or 'none'}."]
        lines += [f"- {html.escape(repr(after.text[e.start:e.end]))}: {e.tag}: "
                  f"{e.explanation}" for e in after.evidence]
        if item.rubric:
            lines += ["", "**Rubric:**"] + [f"- {r}" for r in item.rubric]
        text = "\n".join(lines)
    return [new_output("display_data", data={FEEDBACK_MIME: text})]
