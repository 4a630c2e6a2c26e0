"""Exercise widgets: thin ipywidgets views over an exercise (:mod:`course.learn.practice`
in lessons, :mod:`course.learn.graded` in graded work).

Each widget is a ``VBox`` that builds its inputs, keeps the learner's answer in its
``answer`` trait (listeners attach with ``observe``), forwards it to the exercise's
``check`` and shows the returned feedback. Nothing here scores anything.
Every control is a native, labelled input, so the widgets work from the keyboard and
with a screen reader; ``q.check(answer)`` in a code cell does the same without a mouse.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any, Protocol

import ipywidgets as w
import traitlets

from ..content.knowledge import load_knowledge
from ..critic import analyze
from ..exercises import Feedback, Item
from .cards import critique_card, post_card

__all__ = [
    "ChoiceWidget",
    "CritiqueWidget",
    "ExerciseWidget",
    "NumericWidget",
    "RewriteWidget",
    "widget_for",
]


class Checkable(Protocol):
    """What a widget needs of an exercise: a practice one or a graded one."""

    item: Item
    graded: bool

    def check(self, answer: Any) -> Feedback: ...

    def hint(self) -> str: ...


class ExerciseWidget(w.VBox):
    """Prompt, inputs, Check and Hint buttons, and a feedback area.

    Subclasses build their inputs and say how to read and show an answer
    (``_read_inputs`` / ``_show``); the ``answer`` trait and the inputs stay in step
    both ways.
    """

    answer = traitlets.Any(None, allow_none=True,
                           help="The learner's current answer, in the form the item's "
                                "check takes.")

    def __init__(self, exercise: Checkable, inputs: list[w.Widget]):
        self.exercise = exercise
        item = exercise.item
        self.prompt = w.HTML(
            f'<div style="font-weight:600;margin-bottom:4px">{html.escape(item.prompt)} '
            f'<span style="font-weight:400;color:#555">({item.points:g} pt)</span></div>'
        )
        self.check_button = w.Button(description="Check", button_style="primary",
                                     tooltip=f"Check your answer to {item.id}", icon="check")
        self.hint_button = w.Button(description="Hint", tooltip="Show a hint",
                                    icon="lightbulb-o")
        self.hint = w.HTML()
        self.feedback = w.HTML()
        if exercise.graded:
            # Graded work: answers are saved as they change; no hints, no verdict.
            self.check_button.description = "Save answer"
            self.check_button.tooltip = f"Save your answer to {item.id}"
            self.check_button.icon = "save"
            self.hint_button.layout.display = "none"
        self.check_button.on_click(lambda _button: self.submit())
        self.hint_button.on_click(lambda _button: self.show_hint())
        self._syncing = False
        super().__init__(
            [self.prompt, *inputs, w.HBox([self.check_button, self.hint_button]),
             self.hint, self.feedback],
        )
        self.add_class("smm-exercise")
        self.add_class(f"smm-{item.kind}")
        self.answer = self._read_inputs()
        self.observe(self._show_answer, "answer")

    def _read_inputs(self) -> Any:
        raise NotImplementedError

    def _show(self, answer: Any) -> None:
        raise NotImplementedError

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
        return feedback

    def show_hint(self) -> None:
        self.hint.value = (f'<div role="note" style="color:#334">💡 '
                           f"{html.escape(self.exercise.hint())}</div>")


class ChoiceWidget(ExerciseWidget):
    """Single choice (radio buttons) or multiple choice (checkboxes). Each input shows an
    option's text; the answer names options by their ids."""

    def __init__(self, exercise: Checkable):
        item = exercise.item
        self.multiple = item.kind == "multiple"
        if self.multiple:
            self.boxes = [w.Checkbox(description=item.option_text(o), indent=False,
                                     value=False, layout=w.Layout(width="auto"))
                          for o in item.options]
            inputs: list[w.Widget] = list(self.boxes)
            for box in self.boxes:
                box.observe(self._inputs_changed, "value")
        else:
            self.radio = w.RadioButtons(options=[(item.option_text(o), o) for o in item.options],
                                        value=None, description="Answer",
                                        layout=w.Layout(width="auto"))
            self.radio.observe(self._inputs_changed, "value")
            inputs = [self.radio]
        super().__init__(exercise, inputs)

    def _read_inputs(self) -> Any:
        if self.multiple:
            return [o for o, box in zip(self.exercise.item.options, self.boxes, strict=True)
                    if box.value]
        return self.radio.value

    def _show(self, answer: Any) -> None:
        item = self.exercise.item
        if self.multiple:
            chosen = {item.option_id(a) for a in answer or ()} if isinstance(
                answer, (list, tuple)) else set()
            for option, box in zip(item.options, self.boxes, strict=True):
                box.value = option in chosen
        else:
            self.radio.value = item.option_id(answer)


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
        for t, box in self.boxes.items():
            box.value = t in (answer or ())


class RewriteWidget(ExerciseWidget):
    """The learner rewrites a post; the critic shows live what changed, tag by tag."""

    def __init__(self, exercise: Checkable):
        post = exercise.item.the_post
        self.before = analyze(post.text, post.platform)
        self.original = w.HTML(critique_card(self.before, author=post.author).html)
        self.editor = w.Textarea(value=post.text, continuous_update=True,
                                 placeholder="Write your version of the post here",
                                 description="Rewrite", layout=w.Layout(width="95%",
                                                                        height="110px"))
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
        return '<div style="font-size:13px;color:#555">No tag has changed yet.</div>'
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


WIDGETS: dict[str, Callable[[Checkable], ExerciseWidget]] = {
    "single": ChoiceWidget,
    "multiple": ChoiceWidget,
    "critique": CritiqueWidget,
    "rewrite": RewriteWidget,
    "numeric": NumericWidget,
}


def widget_for(exercise: Checkable) -> ExerciseWidget:
    """The widget for an exercise's kind."""
    return WIDGETS[exercise.item.kind](exercise)
