"""A late-submission penalty for nbgrader: a share of the score per started day late.

nbgrader's own plugin takes nothing off or everything (``penalty_method = "zero"``).
:class:`PenaltyPerDay` takes ``percent_per_day`` of the score for each day or part of a
day a submission came in after its due date (and any extension), up to ``max_percent``.
Name it in the course's ``nbgrader_config.py``::

    c.AssignLatePenalties.plugin_class = "course.grade.late.PenaltyPerDay"
    c.PenaltyPerDay.percent_per_day = 10

nbgrader works the penalty out when it autogrades, before any hand grade; ``grade run``,
``grade feedback`` and releasing feedback work it out again on the current score
(:mod:`course.grade.feedback`).
"""

from __future__ import annotations

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float

__all__ = ["SECONDS_PER_DAY", "PenaltyPerDay"]

SECONDS_PER_DAY = 24 * 3600


class PenaltyPerDay(LateSubmissionPlugin):
    """A share of the score per started day late (see the module's docstring)."""

    percent_per_day = Float(
        10.0, help="Percent of the score taken off for each started day late.").tag(
        config=True)
    max_percent = Float(
        100.0, help="The most that is taken off, in percent of the score.").tag(config=True)

    def late_submission_penalty(self, student_id: str, score: float,
                                total_seconds_late: float) -> float | None:
        if total_seconds_late <= 0:
            return None
        days = math.ceil(total_seconds_late / SECONDS_PER_DAY)
        percent = min(self.max_percent, self.percent_per_day * days)
        return round(score * percent / 100, 4)
