"""A stable name for the grading sandbox: course folders made before the grade layer had
its own package name ``course.sandbox.SandboxedKernelManager`` in their
``nbgrader_config.py``. It lives in :mod:`course.grade.sandbox`."""

from .grade.sandbox import SandboxedKernelManager

__all__ = ["SandboxedKernelManager"]
