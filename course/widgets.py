"""Exercise widgets: thin ipywidgets views over :mod:`course.practice`.

Each widget is a ``VBox`` that builds its inputs, forwards the answer to
``Exercise.check`` and shows the returned feedback. Nothing here scores anything.
Every control is a native, labelled input, so the widgets work from the keyboard and
with a screen reader; ``q.check(answer)`` in a code cell does the same without a mouse.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w

from .cards import critique_card, feedback_card, post_card
from .critique import analyze
from .exercises import Feedback
from .knowledge import load_knowledge
from .practice import Exercise

__all__ = [
    "ChoiceWidget",
    "CritiqueWidget",
    "ExerciseWidget",
    "NumericWidget",
    "RewriteWidget",
    "widget_for",
]


class ExerciseWidget(w.VBox):
    """Prompt, inputs, Check and Hint buttons, and a feedback area."""

    def __init__(self, exercise: Exercise, inputs: list[w.Widget]):
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
        if getattr(exercise, "graded", False):
            # Graded work: answers are saved as they change; no hints, no verdict.
            self.check_button.description = "Save answer"
            self.check_button.tooltip = f"Save your answer to {item.id}"
            self.check_button.icon = "save"
            self.hint_button.layout.display = "none"
        self.check_button.on_click(lambda _button: self.submit())
        self.hint_button.on_click(lambda _button: self.show_hint())
        self.changed: list[Callable[[ExerciseWidget], None]] = []
        super().__init__(
            [self.prompt, *inputs, w.HBox([self.check_button, self.hint_button]),
             self.hint, self.feedback],
        )
        self.add_class("smm-exercise")
        self.add_class(f"smm-{item.kind}")

    @property
    def answer(self):
        raise NotImplementedError

    @answer.setter
    def answer(self, value) -> None:
        raise NotImplementedError

    def submit(self) -> Feedback:
        """What pressing Check does: score the current answer and show the feedback."""
        feedback = self.exercise.check(self.answer)
        self.feedback.value = feedback_card(feedback).html
        return feedback

    def show_hint(self) -> None:
        self.hint.value = (f'<div role="note" style="color:#334">💡 '
                           f"{html.escape(self.exercise.hint())}</div>")

    def _on_change(self, _change=None) -> None:
        for callback in self.changed:
            callback(self)


class ChoiceWidget(ExerciseWidget):
    """Single choice (radio buttons) or multiple choice (checkboxes)."""

    def __init__(self, exercise: Exercise):
        item = exercise.item
        self.multiple = item.kind == "multiple"
        if self.multiple:
            self.boxes = [w.Checkbox(description=o, indent=False, value=False,
                                     layout=w.Layout(width="auto")) for o in item.options]
            inputs: list[w.Widget] = self.boxes
            for box in self.boxes:
                box.observe(self._on_change, "value")
        else:
            self.radio = w.RadioButtons(options=item.options, value=None, description="Answer",
                                        layout=w.Layout(width="auto"))
            self.radio.observe(self._on_change, "value")
            inputs = [self.radio]
        super().__init__(exercise, inputs)

    @property
    def answer(self):
        if self.multiple:
            return [b.description for b in self.boxes if b.value]
        return self.radio.value

    @answer.setter
    def answer(self, value) -> None:
        if self.multiple:
            for box in self.boxes:
                box.value = box.description in (value or ())
        else:
            self.radio.value = value


class CritiqueWidget(ExerciseWidget):
    """A post as a platform-styled card; the learner ticks the tags it carries."""

    def __init__(self, exercise: Exercise):
        kb = load_knowledge()
        post = exercise.item.post
        self.card = w.HTML(post_card(post.text, post.platform, author=post.author).html)
        self.boxes = {
            t: w.Checkbox(description=kb.tags[t].name, indent=False, value=False,
                          tooltip=kb.tags[t].definition, layout=w.Layout(width="auto"))
            for t in kb.tag_ids
        }
        for box in self.boxes.values():
            box.observe(self._on_change, "value")

        def column(kind: str, title: str) -> w.VBox:
            boxes = [self.boxes[t] for t in kb.tag_ids if kb.tags[t].kind == kind]
            return w.VBox([w.HTML(f"<b>{title}</b>"), *boxes],
                          layout=w.Layout(margin="0 32px 0 0"))

        columns = w.HBox([column("problem", "Problems"), column("strength", "Strengths")])
        super().__init__(exercise, [self.card, columns])

    @property
    def answer(self) -> list[str]:
        return [t for t, box in self.boxes.items() if box.value]

    @answer.setter
    def answer(self, value) -> None:
        for t, box in self.boxes.items():
            box.value = t in (value or ())


class RewriteWidget(ExerciseWidget):
    """The learner rewrites a post; the critic shows live what changed, tag by tag."""

    def __init__(self, exercise: Exercise):
        post = exercise.item.post
        self.before = analyze(post.text, post.platform)
        self.original = w.HTML(critique_card(self.before, author=post.author).html)
        self.editor = w.Textarea(value=post.text, continuous_update=True,
                                 placeholder="Write your version of the post here",
                                 description="Rewrite", layout=w.Layout(width="95%",
                                                                        height="110px"))
        self.live = w.HTML()
        self.editor.observe(self._update_live, "value")
        self.editor.observe(self._on_change, "value")
        super().__init__(exercise, [w.HTML("<b>Original</b>"), self.original, self.editor,
                                    self.live])
        self._update_live()

    def _update_live(self, _change=None) -> None:
        post = self.exercise.item.post
        after = analyze(self.editor.value, post.platform)
        self.live.value = critique_card(after, author="your rewrite").html + _tag_changes(
            self.before.tags, after.tags)

    @property
    def answer(self) -> str:
        return self.editor.value

    @answer.setter
    def answer(self, value) -> None:
        self.editor.value = value or ""


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

    def __init__(self, exercise: Exercise):
        self.box = w.Text(placeholder="a number", description="Answer")
        self.box.observe(self._on_change, "value")
        super().__init__(exercise, [self.box])

    @property
    def answer(self) -> str:
        return self.box.value

    @answer.setter
    def answer(self, value) -> None:
        self.box.value = "" if value is None else str(value)


WIDGETS: dict[str, type[ExerciseWidget]] = {
    "single": ChoiceWidget,
    "multiple": ChoiceWidget,
    "critique": CritiqueWidget,
    "rewrite": RewriteWidget,
    "numeric": NumericWidget,
}


def widget_for(exercise: Exercise) -> ExerciseWidget:
    """The widget for an exercise's kind."""
    return WIDGETS[exercise.item.kind](exercise)
