"""Feedback pages that match the gradebook, and nothing stale released.

A feedback page is written from the gradebook as it stood at that moment
(:class:`~course.grade.preprocessors.RecordFeedback` notes that state). When a person
grades a rewrite or writes a comment in the formgrader afterwards, the page no longer
matches. :func:`refresh_feedback` finds every such page and writes it again, after
applying the course's late penalty to the new score; ``grade run`` calls it at the end of
every run, ``python -m course grade feedback ASSIGNMENT`` on its own, and releasing
feedback (:mod:`course.grade.exchange`) before anything is copied to students.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GradingError
from ..files import write_atomically
from .folder import CourseFolder, step_failure
from .gradebooks import check_gradebook, record_feedback, stale_feedback

__all__ = ["FeedbackResult", "grade_feedback", "refresh_feedback", "update_record"]


@dataclass
class FeedbackResult:
    assignment: str
    refreshed: list[str] = field(default_factory=list)  # pages written again
    failed: dict[str, str] = field(default_factory=dict)  # student -> why not
    released: bool = False


def refresh_feedback(*, course: CourseFolder, assignment: str,
                     students: list[str] | None = None) -> FeedbackResult:
    """Write again every feedback page of ``assignment`` (or of ``students``) that no
    longer matches the gradebook, with the late penalty worked out on the current score,
    and bring each student's run record up to date."""
    from nbgrader.api import Gradebook
    from nbgrader.converters import GenerateFeedback
    from nbgrader.utils import capture_log

    result = FeedbackResult(assignment)
    check_gradebook(course.gradebook)
    stale = stale_feedback(gradebook=course.gradebook, assignment=assignment,
                           students=students)
    for student in stale:
        if not course.autograded(student, assignment).is_dir():
            result.failed[student] = "no graded notebook (grade it first)"
            continue
        with Gradebook(course.db_url) as gb:
            _apply_late_penalty(gb, course, assignment, student)
        coursedir = course.coursedir()
        coursedir.assignment_id, coursedir.student_id = assignment, student
        app = GenerateFeedback(coursedir=coursedir, config=course.config)
        app.force = True
        failure = step_failure(capture_log(app))
        if failure:
            result.failed[student] = failure
            continue
        record_feedback(gradebook=course.gradebook, assignment=assignment, student=student)
        result.refreshed.append(student)
        update_record(course=course, assignment=assignment, student=student)
    return result


def _apply_late_penalty(gb, course: CourseFolder, assignment: str, student: str) -> None:
    """nbgrader's AssignLatePenalties, again, on the current score (it ran at autograde
    time, before any hand grade)."""
    from nbgrader.preprocessors import AssignLatePenalties

    step = AssignLatePenalties(config=course.config)
    step.init_plugin()
    submission = gb.find_submission(assignment, student)
    for notebook in submission.notebooks:
        notebook.late_submission_penalty = None
        if submission.total_seconds_late > 0:
            penalty = step.plugin_inst.late_submission_penalty(
                student, notebook.score, submission.total_seconds_late)
            if penalty is not None:
                notebook.late_submission_penalty = step._check_late_penalty(notebook, penalty)
    gb.db.commit()


def update_record(*, course: CourseFolder, assignment: str, student: str) -> None:
    """Bring ``grade-runs/<assignment>/<student>.json`` up to date with the gradebook:
    the current total (hand grades included, late penalty taken off) and what waits."""
    from nbgrader.api import Gradebook, MissingEntry

    path = course.runs_dir / assignment / f"{student}.json"
    record: dict = {}
    with contextlib.suppress(OSError, ValueError):
        loaded = json.loads(path.read_text(encoding="utf-8"))
        record = loaded if isinstance(loaded, dict) else {}
    with Gradebook(course.db_url) as gb:
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            return
        penalty = float(submission.late_submission_penalty or 0)
        record.update({
            "student": student, "assignment": assignment,
            "score": max(0.0, float(submission.score) - penalty),
            "max_score": float(submission.max_score), "late_penalty": penalty,
            "hand_grading": [g.name for nb in submission.notebooks for g in nb.grades
                             if g.needs_manual_grade]})
    write_atomically(path, lambda f: json.dump(record, f, indent=1), make_folder=True)


def grade_feedback(*, course_dir: Path | str, assignment: str, release: bool = False
                   ) -> FeedbackResult:
    """``python -m course grade feedback``: bring every feedback page of ``assignment`` up
    to date with the gradebook; with ``release``, then release them all to the students
    (``nbgrader release_feedback``)."""
    from nbgrader.apps import NbGraderAPI

    from .lock import course_lock

    course = CourseFolder.open(course_dir)
    course.check_assignment(assignment)
    with course_lock(course.runs_dir, f"grade feedback {assignment}"):
        result = refresh_feedback(course=course, assignment=assignment)
        if release:
            api = NbGraderAPI(course.coursedir(), config=course.config)
            failure = step_failure(api.release_feedback(assignment))
            if failure:
                raise GradingError(f"release_feedback failed: {failure}")
            result.released = True
    return result
