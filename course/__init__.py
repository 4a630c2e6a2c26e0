"""A toolkit for teaching social-media marketing in JupyterLab.

Five layers, lowest first; a layer imports only those below it:

- :mod:`course.content`: what the course knows, as validated data (no Jupyter);
- :mod:`course.critic`: the post critic, text in, critique out (no Jupyter);
- :mod:`course.exercises`: exercise items, one class per kind, shared by learning and
  grading (no Jupyter, no nbgrader);
- :mod:`course.learn`: the learner's widgets, progress and lesson helpers (never imports
  ``grade``);
- :mod:`course.grade`: the instructor's course folder, grading inside nbgrader, reports
  (never imports ``learn``).

:mod:`course.cli` is ``python -m course``. :mod:`course.lessons`, :mod:`course.graded`,
:mod:`course.critique`, :mod:`course.grading` and :mod:`course.sandbox` are stable names
that notebooks, the tag spec and course folders' nbgrader configs use.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
