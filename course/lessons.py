"""What a lesson notebook imports (a stable path: the lessons use it)::

    from course.lessons import show_principle, show_post, critique, exercise, show_progress
"""

from .learn.notebook import (
    FACEBOOK_METRICS_CITATION,
    Lesson,
    critique,
    exercise,
    load_facebook_metrics,
    load_lessons,
    load_posts,
    show_post,
    show_principle,
    show_progress,
)

__all__ = [
    "FACEBOOK_METRICS_CITATION",
    "Lesson",
    "critique",
    "exercise",
    "load_facebook_metrics",
    "load_lessons",
    "load_posts",
    "show_post",
    "show_principle",
    "show_progress",
]
