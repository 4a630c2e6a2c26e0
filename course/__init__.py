"""A toolkit for teaching social-media marketing in JupyterLab.

Layers, lowest first: :mod:`course.knowledge` (content as data), :mod:`course.critique`
(the post critic), :mod:`course.batch` and :mod:`course.report` (CSV and HTML), and
:mod:`course.cli` (``python -m course``).
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
