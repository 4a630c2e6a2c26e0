"""The learner's side: exercises in code cells (:mod:`~course.learn.practice`), progress
kept on disk, cards, ipywidgets views, graded-work widgets that save answers, the
helpers lesson notebooks call, and the map of which lesson teaches each principle.

Never imports :mod:`course.grade`. Nothing is imported here, so a released notebook that
imports :mod:`course.graded` loads only what it uses.
"""

__all__: list[str] = []
