"""nbgrader's exchange steps, as a course folder made by ``grade init`` configures them.

:class:`ReleaseCurrentFeedback` (``c.ExchangeFactory.release_feedback``) releases
feedback only after every page is brought up to date with the gradebook
(:func:`~course.grade.feedback.refresh_feedback`), so ``nbgrader release_feedback`` and
the formgrader's button never hand out a page written before the last hand grade; a
page that cannot be written again is held back, with a warning in the log.
"""

from __future__ import annotations

from pathlib import Path

from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback

from .feedback import refresh_feedback
from .folder import CourseFolder

__all__ = ["ReleaseCurrentFeedback"]


class ReleaseCurrentFeedback(ExchangeReleaseFeedback):
    """nbgrader's release_feedback, after writing stale feedback pages again."""

    def copy_files(self):
        course = CourseFolder(Path(self.coursedir.root).resolve(), self.config)
        students = None if self.coursedir.student_id in ("", "*") else [
            self.coursedir.student_id]
        result = refresh_feedback(course=course, assignment=self.coursedir.assignment_id,
                                  students=students)
        for student in result.refreshed:
            self.log.info("Feedback for %s was older than its grades: written again", student)
        if result.failed:  # a page that cannot be brought up to date is not released
            for student, why in sorted(result.failed.items()):
                self.log.warning("Feedback for %s not released: it is older than its grades "
                                 "and could not be written again (%s)", student, why)
            excluded = [s for s in self.coursedir.student_id_exclude.split(",") if s]
            self.coursedir.student_id_exclude = ",".join([*excluded, *result.failed])
        return super().copy_files()
