"""The verdict on one answer, and how it reads as text, markdown and HTML.

A verdict says *right*, *partly right* or *wrong* in words (and a mark, never by colour
alone), the points rounded for reading, a message, and details about the options the
learner chose. Lines that would name the answer key (the options the learner missed) are
kept apart in :attr:`Feedback.missed`: every ``as_*`` method shows them only when asked
(``reveal=True``), so a first try never gives the key away.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from ..content.markup import markdown_html

__all__ = [
    "CORRECT",
    "NOT_ATTEMPTED",
    "PARTLY",
    "SAVED",
    "STATUSES",
    "STATUS_LABELS",
    "WRONG",
    "Feedback",
    "format_points",
]

CORRECT, PARTLY, NOT_ATTEMPTED, WRONG = "correct", "partly correct", "not attempted", "wrong"
#: Graded work: the answer was saved, and is scored after submission.
SAVED = "saved"
STATUSES = (CORRECT, PARTLY, NOT_ATTEMPTED, WRONG, SAVED)
#: How each status reads to a learner (the status values themselves are stored in
#: progress files and gradebooks, so they stay as they are).
STATUS_LABELS = {
    CORRECT: "Right",
    PARTLY: "Partly right",
    NOT_ATTEMPTED: "Not answered yet",
    WRONG: "Wrong",
    SAVED: "Saved",
}
#: Points are shown to one decimal place: 2/3 of a point reads 0.7, not 0.6667.
POINTS_DECIMALS = 1

#: status -> (background, text colour, mark): the mark says the status without colour.
_STYLE = {
    CORRECT: ("#dff3e4", "#14532d", "✓"),
    PARTLY: ("#fff4ce", "#5c4300", "◐"),
    NOT_ATTEMPTED: ("#eef1f5", "#333", "…"),
    WRONG: ("#fde2e1", "#8a1c15", "✗"),
    SAVED: ("#e7f0fb", "#123e6b", "💾"),
}


def format_points(value: float) -> str:
    """Points as a learner reads them: ``0.7``, ``1``, ``2.5``."""
    return f"{round(value, POINTS_DECIMALS):g}"


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: status, points earned, and what to say to the learner.

    ``details`` speak about what the learner chose; ``missed`` name what they left out
    (the key), shown only with ``reveal=True``.
    """

    item_id: str
    status: str
    score: float
    points: float
    message: str
    details: tuple[str, ...] = field(default=())
    missed: tuple[str, ...] = field(default=())

    @property
    def fraction(self) -> float:
        return self.score / self.points if self.points else 0.0

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status.capitalize())

    @property
    def points_text(self) -> str:
        return f"{format_points(self.score)}/{format_points(self.points)}"

    def _lines(self, reveal: bool) -> list[str]:
        return [*self.details, *(self.missed if reveal else ())]

    def as_text(self, *, reveal: bool = True) -> str:
        """Plain text for a terminal or ``print``."""
        head = f"{self.label} ({self.points_text}). {self.message}".rstrip()
        return "\n".join([head, *(f"- {d}" for d in self._lines(reveal))])

    def as_markdown(self, *, reveal: bool = True) -> str:
        """Markdown, as nbgrader's feedback page and a code cell show it."""
        head = f"**{self.label}** ({self.points_text}). {self.message}".rstrip()
        return "\n".join([head, *(f"- {d}" for d in self._lines(reveal))])

    def as_html(self, *, reveal: bool = True) -> str:
        """A coloured box with a mark and the status in words, announced by screen
        readers when it changes. The message and details are Markdown."""
        bg, fg, mark = _STYLE.get(self.status, ("#eef1f5", "#333", ""))
        lines = self._lines(reveal)
        details = "".join(f"<li>{markdown_html(d)}</li>" for d in lines)
        return (
            f'<div class="smm-feedback smm-{self.status.replace(" ", "-")}" role="status" '
            f'aria-live="polite" style="background:{bg};color:{fg};border-radius:8px;'
            f'padding:8px 12px;margin:6px 0;max-width:720px;line-height:1.45;'
            f'font-family:system-ui,sans-serif">'
            f"<b>{mark} {html.escape(self.label)}</b> ({self.points_text}) "
            f"{markdown_html(self.message)}"
            + (f'<ul style="margin:4px 0 0 0;padding-left:20px">{details}</ul>'
               if details else "")
            + "</div>"
        )

    def _repr_markdown_(self) -> str:
        return self.as_markdown()
