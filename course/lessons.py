"""What a lesson notebook imports (a stable path: the lessons use it)::

    from course.lessons import show_principle, show_post, critique, exercise, show_progress

Importing it in a notebook also prepares the notebook
(:func:`~course.learn.notebook.prepare_notebook`): tables with text in every header
cell, and the course's errors as one line.
"""

from .learn.notebook import (
    FACEBOOK_METRICS_CITATION,
    SAMPLE_POSTS_CSV,
    Lesson,
    audit_posts,
    critique,
    critique_file,
    exercise,
    load_facebook_metrics,
    load_lessons,
    load_posts,
    prepare_notebook,
    rewrite_post,
    show_chart,
    show_mix,
    show_post,
    show_principle,
    show_progress,
    weakest_post,
)

__all__ = [
    "FACEBOOK_METRICS_CITATION",
    "SAMPLE_POSTS_CSV",
    "Lesson",
    "audit_posts",
    "critique",
    "critique_file",
    "exercise",
    "load_facebook_metrics",
    "load_lessons",
    "load_posts",
    "rewrite_post",
    "show_chart",
    "show_mix",
    "show_post",
    "show_principle",
    "show_progress",
    "weakest_post",
]

prepare_notebook()
