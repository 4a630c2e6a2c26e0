"""Stable names for the course's nbgrader steps: course folders made before the grade
layer had its own package name ``course.grading.X`` in their ``nbgrader_config.py``.
The steps live in :mod:`course.grade.preprocessors` and :mod:`course.grade.execute`."""

from .grade.execute import ExecuteGuarded
from .grade.preprocessors import (
    FeedbackExporter,
    GradeSavedAnswers,
    KeepGraderFeedbackOnly,
    LoadAnswerKey,
    RequestHandGrading,
)

__all__ = [
    "ExecuteGuarded",
    "FeedbackExporter",
    "GradeSavedAnswers",
    "KeepGraderFeedbackOnly",
    "LoadAnswerKey",
    "RequestHandGrading",
]
