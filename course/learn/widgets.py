"""Exercise widgets: thin ipywidgets views over an exercise (:mod:`course.learn.practice`
in lessons, :mod:`course.learn.graded` in graded work).

Each widget is a ``VBox`` that builds its inputs, keeps the learner's answer in its
``answer`` trait (listeners attach with ``observe``), forwards it to the exercise's
``check`` and shows the returned feedback. Nothing here scores anything.

In a lesson, a widget comes back as the learner left it: their last answer (from the
progress file), whether it is done and their best score. Hints, feedback and the answer
(*Show answer*, offered after a few tries) are Markdown rendered as HTML. Every control
is a native, labelled input with a visible focus ring, so the widgets work from the
keyboard and with a screen reader; ``q.check(answer)`` in a code cell does the same
without a mouse. A notebook saved and reopened without its kernel shows one line in
place of each widget, saying to run the cell.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any, Protocol

import ipywidgets as w
import traitlets

from ..content.knowledge import load_knowledge
from ..content.markup import markdown_html
from ..critic import analyze
from ..exercises import Feedback, Item, format_points
from .cards import critique_card, post_card

__all__ = [
    "STYLE",
    "ChoiceWidget",
    "CodeWidget",
    "CritiqueWidget",
    "ExerciseWidget",
    "NumericWidget",
    "RewriteWidget",
    "widget_for",
]

#: The widgets' own style: ordinary line spacing for text (ipywidgets gives every line
#: a control's 28px height), option labels that wrap, and a focus ring that shows.
STYLE = """<style>
.smm-exercise { max-width: 760px; }
.smm-exercise .widget-html-content { line-height: 1.45; font-size: 14px; }
.smm-exercise .widget-radio-box label, .smm-exercise .widget-checkbox label {
  line-height: 1.4; white-space: normal; height: auto; padding: 3px 0; }
.smm-exercise .widget-checkbox, .smm-exercise .widget-radio-box { height: auto; }
.smm-exercise .widget-radio-box input { margin-top: 3px; }
.smm-exercise button:focus, .smm-exercise input:focus-visible,
.smm-exercise textarea:focus-visible {
  outline: 3px solid #1d4ed8 !important; outline-offset: 2px !important; }
.smm-exercise .smm-status { font-size: 13px; color: #1f3a24; }
</style>"""


class Checkable(Protocol):
    """What a widget needs of an exercise: a practice one or a graded one."""

    item: Item
    graded: bool

    def check(self, answer: Any) -> Feedback: ...

    def hint(self) -> Any: ...


class ExerciseWidget(w.VBox):
    """Prompt, inputs, Check / Hint / Show answer buttons, a status line, the hint, the
    feedback and the answer.

    Subclasses build their inputs and say how to read and show an answer
    (``_read_inputs`` / ``_show``); the ``answer`` trait and the inputs stay in step
    both ways.
    """

    answer = traitlets.Any(None, allow_none=True,
                           help="The learner's current answer, in the form the item's "
                                "check takes (option ids for choices and critiques).")

    def __init__(self, exercise: Checkable, inputs: list[w.Widget]):
        self.exercise = exercise
        item = exercise.item
        unit = "point" if item.points == 1 else "points"
        self.prompt = w.HTML(
            f'{STYLE}<div style="font-weight:600;margin-bottom:4px">'
            f"{markdown_html(item.prompt)} <span style=\"font-weight:400;color:#4a4a4a\">"
            f"({format_points(item.points)} {unit})</span></div>"
        )
        self.check_button = w.Button(description="Check", button_style="primary",
                                     tooltip=f"Check your answer to {item.id}", icon="check")
        self.hint_button = w.Button(description="Hint", tooltip="Show a hint",
                                    icon="lightbulb-o")
        self.answer_button = w.Button(description="Show answer", icon="eye",
                                      tooltip=f"Show the answer to {item.id}",
                                      layout=w.Layout(display="none"))
        self.status = w.HTML()
        self.status.add_class("smm-status")
        self.hint = w.HTML()
        self.feedback = w.HTML()
        self.solution = w.HTML()
        if exercise.graded:
            # Graded work: answers are saved as they change; no hints, no verdict.
            self.check_button.description = "Save answer"
            self.check_button.tooltip = f"Save your answer to {item.id}"
            self.check_button.icon = "save"
            self.hint_button.layout.display = "none"
        self.check_button.on_click(lambda _button: self.submit())
        self.hint_button.on_click(lambda _button: self.show_hint())
        self.answer_button.on_click(lambda _button: self.show_solution())
        self._syncing = False
        super().__init__(
            [self.prompt, *inputs,
             w.HBox([self.check_button, self.hint_button, self.answer_button]),
             self.status, self.hint, self.feedback, self.solution],
        )
        self.add_class("smm-exercise")
        self.add_class(f"smm-{item.kind}")
        self.answer = self._read_inputs()
        self.observe(self._show_answer, "answer")
        if not exercise.graded:
            self._restore()

    # --- what each kind defines ------------------------------------------------------------

    def _read_inputs(self) -> Any:
        raise NotImplementedError

    def _show(self, answer: Any) -> None:
        raise NotImplementedError

    # --- shared ----------------------------------------------------------------------------

    def _restore(self) -> None:
        """The learner's last answer, done mark and best score from the progress file."""
        last = getattr(self.exercise, "last_answer", lambda: None)()
        if last is not None:
            self.answer = last
        self._update_status()

    def _update_status(self) -> None:
        record_of = getattr(self.exercise, "record", None)
        record = record_of() if record_of else None
        if not record:
            self.status.value = ""
            return
        tries = int(record.get("tries", 1))
        best = f"{format_points(record.get('score', 0))}/{format_points(record['points'])}"
        tried = f"{tries} {'try' if tries == 1 else 'tries'}"
        if record.get("status") == "correct":
            self.status.value = f"<span>✓ <b>Done</b>: best {best} ({tried}).</span>"
        else:
            self.status.value = f"<span>Best so far: {best} ({tried}).</span>"
        may_show = getattr(self.exercise, "may_show_answer", lambda: False)()
        self.answer_button.layout.display = None if may_show else "none"

    def _inputs_changed(self, _change: Any = None) -> None:
        if not self._syncing:
            self.answer = self._read_inputs()

    def _show_answer(self, change: Any) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            self._show(change["new"])
        finally:
            self._syncing = False
        self.answer = self._read_inputs()  # as the inputs hold it (an unknown option drops)

    def submit(self) -> Feedback:
        """What pressing Check does: score the current answer and show the feedback."""
        feedback = self.exercise.check(self.answer)
        self.feedback.value = feedback.as_html()
        if not self.exercise.graded:
            self._update_status()
        return feedback

    def show_hint(self) -> None:
        self.hint.value = (f'<div role="note" style="color:#233;line-height:1.45">'
                           f"{markdown_html(str(self.exercise.hint()))}</div>")

    def show_solution(self) -> None:
        solution = str(getattr(self.exercise, "solution", lambda: "")())
        self.solution.value = (
            '<div role="note" style="border-left:4px solid #1d4ed8;padding:4px 10px;'
            f'line-height:1.45"><b>Answer.</b> {markdown_html(solution, block=True)}</div>')

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        """The widget, and one line for anything that cannot show it (a notebook
        reopened without its kernel, a static viewer)."""
        bundle = super()._repr_mimebundle_(**kwargs)
        line = (f"Exercise {self.exercise.item.id}: run this cell (or Run All) to answer "
                "it here; your last answer comes back.")
        bundle["text/plain"] = line
        bundle["text/html"] = f"<p><i>{html.escape(line)}</i></p>"
        return bundle


class ChoiceWidget(ExerciseWidget):
    """Single choice (radio buttons) or multiple choice (checkboxes), in the learner's
    order of the options; the answer is option ids."""

    def __init__(self, exercise: Checkable):
        item = exercise.item
        order = getattr(exercise, "order", None) or item.ids
        self.multiple = item.kind == "multiple"
        if self.multiple:
            self.boxes = {oid: w.Checkbox(description=item.label(oid), indent=False,
                                          value=False, layout=w.Layout(width="auto"))
                          for oid in order}
            inputs: list[w.Widget] = list(self.boxes.values())
            for box in self.boxes.values():
                box.observe(self._inputs_changed, "value")
        else:
            self.radio = w.RadioButtons(options=[(item.label(oid), oid) for oid in order],
                                        value=None, description="Answer",
                                        layout=w.Layout(width="auto"))
            self.radio.observe(self._inputs_changed, "value")
            inputs = [self.radio]
        super().__init__(exercise, inputs)

    def _read_inputs(self) -> Any:
        if self.multiple:
            return [oid for oid, box in self.boxes.items() if box.value]
        return self.radio.value

    def _show(self, answer: Any) -> None:
        item = self.exercise.item
        if self.multiple:
            resolved = item.resolve_many(answer) if answer is not None else None
            chosen = set(resolved[0]) if resolved else set()
            for oid, box in self.boxes.items():
                box.value = oid in chosen
        else:
            self.radio.value = item.resolve(answer) if isinstance(answer, str) else None


class CritiqueWidget(ExerciseWidget):
    """A post as a platform-styled card; the learner ticks the tags it carries."""

    def __init__(self, exercise: Checkable):
        kb = load_knowledge()
        post = exercise.item.the_post
        self.card = w.HTML(post_card(post.text, post.platform, author=post.author).html)
        self.boxes = {
            t: w.Checkbox(description=kb.tags[t].name, indent=False, value=False,
                          tooltip=kb.tags[t].definition, layout=w.Layout(width="auto"))
            for t in kb.tag_ids
        }
        for box in self.boxes.values():
            box.observe(self._inputs_changed, "value")

        def column(kind: str, title: str) -> w.VBox:
            boxes = [self.boxes[t] for t in kb.tag_ids if kb.tags[t].kind == kind]
            return w.VBox([w.HTML(f"<b>{title}</b>"), *boxes],
                          layout=w.Layout(margin="0 32px 0 0"))

        columns = w.HBox([column("problem", "Problems"), column("strength", "Strengths")])
        super().__init__(exercise, [self.card, columns])

    def _read_inputs(self) -> Any:
        return [t for t, box in self.boxes.items() if box.value]

    def _show(self, answer: Any) -> None:
        resolved = self.exercise.item.resolve_many(answer) if answer is not None else None
        chosen = set(resolved[0]) if resolved else set()
        for t, box in self.boxes.items():
            box.value = t in chosen


class RewriteWidget(ExerciseWidget):
    """The learner rewrites a post; the critic shows live what changed, tag by tag."""

    def __init__(self, exercise: Checkable):
        post = exercise.item.the_post
        self.before = analyze(post.text, post.platform)
        self.original = w.HTML(critique_card(self.before, author=post.author).html)
        self.editor = w.Textarea(value=post.text, continuous_update=True,
                                 placeholder="Write your version of the post here",
                                 description="Your rewrite",
                                 style={"description_width": "initial"},
                                 layout=w.Layout(width="95%", height="110px"))
        self.live = w.HTML()
        self.editor.observe(self._update_live, "value")
        self.editor.observe(self._inputs_changed, "value")
        super().__init__(exercise, [w.HTML("<b>Original</b>"), self.original, self.editor,
                                    self.live])
        self._update_live()

    def _update_live(self, _change=None) -> None:
        post = self.exercise.item.the_post
        after = analyze(self.editor.value, post.platform)
        self.live.value = critique_card(after, author="your rewrite").html + _tag_changes(
            self.before.tags, after.tags)

    def _read_inputs(self) -> Any:
        return self.editor.value

    def _show(self, answer: Any) -> None:
        self.editor.value = answer or ""


def _tag_changes(before: frozenset[str], after: frozenset[str]) -> str:
    kb = load_knowledge()
    lines = []
    for t in kb.tag_ids:
        name = html.escape(kb.tags[t].name)
        if t in before - after:
            lines.append(f"<li>{'✓ fixed' if kb.tags[t].kind == 'problem' else '✗ lost'}: "
                         f"{name}</li>")
        elif t in after - before:
            lines.append(f"<li>{'✗ new problem' if kb.tags[t].kind == 'problem' else '✓ added'}"
                         f": {name}</li>")
    if not lines:
        return '<div style="font-size:13px;color:#4a4a4a">No tag has changed yet.</div>'
    return f'<ul class="smm-changes" style="font-size:13px">{"".join(lines)}</ul>'


class NumericWidget(ExerciseWidget):
    """A number typed into a text box."""

    def __init__(self, exercise: Checkable):
        self.box = w.Text(placeholder="a number", description="Answer")
        self.box.observe(self._inputs_changed, "value")
        super().__init__(exercise, [self.box])

    def _read_inputs(self) -> Any:
        return self.box.value

    def _show(self, answer: Any) -> None:
        self.box.value = "" if answer is None else str(answer)


class CodeWidget(ExerciseWidget):
    """A "# your code here" task: the learner writes code in the cell below; Check reads
    their variable from the notebook."""

    def __init__(self, exercise: Checkable):
        variable = getattr(exercise.item, "variable", "")
        self.where = w.HTML(
            f"<div>Write your code in the cell below this one so that it sets "
            f"<code>{html.escape(variable)}</code>, run that cell, then press "
            "<b>Check</b>.</div>")
        super().__init__(exercise, [self.where])
        self.check_button.tooltip = f"Check your answer to {exercise.item.id}"

    def _read_inputs(self) -> Any:
        return None

    def _show(self, answer: Any) -> None:
        pass

    def submit(self) -> Feedback:
        feedback = self.exercise.check()  # type: ignore[call-arg]
        self.feedback.value = feedback.as_html()
        self._update_status()
        return feedback


WIDGETS: dict[str, Callable[[Checkable], ExerciseWidget]] = {
    "single": ChoiceWidget,
    "multiple": ChoiceWidget,
    "critique": CritiqueWidget,
    "rewrite": RewriteWidget,
    "numeric": NumericWidget,
    "code": CodeWidget,
}


def widget_for(exercise: Checkable) -> ExerciseWidget:
    """The widget for an exercise's kind."""
    return WIDGETS[exercise.item.kind](exercise)
