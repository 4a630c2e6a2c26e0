"""What a released assignment notebook imports (a stable path: notebooks already handed
out call ``from course.graded import graded_item``)."""

from .learn.graded import GradedExercise, graded_item

__all__ = ["GradedExercise", "graded_item"]
