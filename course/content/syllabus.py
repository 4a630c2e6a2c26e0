"""The lessons in order (``data/lessons.yaml``): what each teaches and its notebook."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..errors import DataError
from .knowledge import DATA_DIR, load_knowledge, load_yaml

__all__ = ["Lesson", "load_lessons"]


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    notebook: str
    summary: str
    article: str | None = None


@functools.lru_cache(maxsize=1)
def load_lessons() -> tuple[Lesson, ...]:
    """The lessons in order, from ``lessons.yaml``."""
    kb = load_knowledge()
    lessons = tuple(Lesson(**raw) for raw in load_yaml(DATA_DIR / "lessons.yaml"))
    for lesson in lessons:
        if lesson.article is not None and lesson.article not in kb.articles:
            raise DataError(f"lessons.yaml: entry {lesson.id!r}: article: unknown article "
                            f"{lesson.article!r}")
    return lessons
