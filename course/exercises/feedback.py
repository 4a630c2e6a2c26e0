"""The verdict on one answer, and how it reads as text, markdown and HTML."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

__all__ = ["CORRECT", "NOT_ATTEMPTED", "PARTLY", "SAVED", "STATUSES", "WRONG", "Feedback"]

CORRECT, PARTLY, NOT_ATTEMPTED, WRONG = "correct", "partly correct", "not attempted", "wrong"
#: Graded work: the answer was saved, and is scored after submission.
SAVED = "saved"
STATUSES = (CORRECT, PARTLY, NOT_ATTEMPTED, WRONG, SAVED)

#: status -> (background, text colour, mark): the mark says the status without colour.
_STYLE = {
    CORRECT: ("#dff3e4", "#14532d", "✓"),
    PARTLY: ("#fff4ce", "#6b4e00", "◐"),
    NOT_ATTEMPTED: ("#eef1f5", "#333", "…"),
    WRONG: ("#fde2e1", "#8a1c15", "✗"),
    SAVED: ("#e7f0fb", "#123e6b", "💾"),
}


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: status, points earned, and what to say to the learner."""

    item_id: str
    status: str
    score: float
    points: float
    message: str
    details: tuple[str, ...] = field(default=())

    @property
    def fraction(self) -> float:
        return self.score / self.points if self.points else 0.0

    def as_text(self) -> str:
        """Plain text for a terminal or ``print``."""
        lines = [f"{self.status.capitalize()} ({self.score:g}/{self.points:g}). {self.message}"]
        lines.extend(f"- {d}" for d in self.details)
        return "\n".join(lines)

    def as_markdown(self) -> str:
        """Markdown, as nbgrader's feedback page shows it."""
        lines = [f"**{self.status.capitalize()}** ({self.score:g}/{self.points:g}). "
                 f"{self.message}"]
        lines += [f"- {d}" for d in self.details]
        return "\n".join(lines)

    def as_html(self) -> str:
        """A coloured box that screen readers announce when it changes."""
        bg, fg, mark = _STYLE.get(self.status, ("#eef1f5", "#333", ""))
        details = "".join(f"<li>{html.escape(d)}</li>" for d in self.details)
        return (
            f'<div class="smm-feedback smm-{self.status.replace(" ", "-")}" role="status" '
            f'aria-live="polite" style="background:{bg};color:{fg};border-radius:8px;'
            f'padding:8px 12px;margin:6px 0;max-width:720px;font-family:system-ui,sans-serif">'
            f"<b>{mark} {html.escape(self.status.capitalize())}</b> "
            f"({self.score:g}/{self.points:g}) {html.escape(self.message)}"
            + (f'<ul style="margin:4px 0 0 0">{details}</ul>' if details else "")
            + "</div>"
        )

    def _repr_markdown_(self) -> str:
        return self.as_markdown()
