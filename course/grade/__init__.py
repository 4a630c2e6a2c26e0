"""The instructor's side: assignments with their keys, the course folder, and grading
inside nbgrader through to the class report.

- :mod:`~course.grade.assignments`: graded assignments as data, their nbgrader sources;
- :mod:`~course.grade.folder`: :class:`~course.grade.folder.CourseFolder`, which owns the
  course-folder layout; ``grade init``, ``grade add``;
- :mod:`~course.grade.scoring`, :mod:`~course.grade.execute`,
  :mod:`~course.grade.preprocessors`, :mod:`~course.grade.late`: the course's steps
  inside nbgrader;
- :mod:`~course.grade.sandbox`: the bubblewrap sandbox for grading kernels;
- :mod:`~course.grade.gradebooks`, :mod:`~course.grade.lock`,
  :mod:`~course.grade.pipeline`, :mod:`~course.grade.worker`: ``grade run``, parallel
  and resumable, keeping every hand grade;
- :mod:`~course.grade.feedback`, :mod:`~course.grade.exchange`: ``grade feedback``,
  feedback that matches the gradebook, and releasing only that;
- :mod:`~course.grade.classdata`, :mod:`~course.grade.statistics`,
  :mod:`~course.grade.report`: ``grade report``;
- :mod:`~course.grade.simulate`, :mod:`~course.grade.demo`: made-up classes.

Never imports :mod:`course.learn`.
"""

__all__: list[str] = []
