"""What the course knows, as validated data: the source articles, principles, critique
tags, the post bank, the lessons, the platforms and the engagement data set.

The lowest layer: it imports no Jupyter, no nbgrader and no other part of the course but
:mod:`course.errors`.
"""

from .knowledge import KnowledgeBase, Post, load_knowledge, load_posts
from .platforms import PLATFORMS, normalize_platform
from .syllabus import Lesson, load_lessons

__all__ = [
    "PLATFORMS",
    "KnowledgeBase",
    "Lesson",
    "Post",
    "load_knowledge",
    "load_lessons",
    "load_posts",
    "normalize_platform",
]
