"""Self-study progress: every answered item, kept in a small local JSON file.

The file is written atomically after each answer, so a kernel restart or a closed
notebook loses nothing. Its place: ``$COURSE_PROGRESS_FILE`` if set, else
``~/.smm-course/progress.json``.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..exercises import CORRECT, Feedback, Item
from ..files import write_atomically

__all__ = ["LessonProgress", "ProgressStore"]


def _default_path() -> Path:
    env = os.environ.get("COURSE_PROGRESS_FILE")
    return Path(env) if env else Path.home() / ".smm-course" / "progress.json"


@dataclass(frozen=True)
class LessonProgress:
    lesson: str
    done: int  # items answered correctly
    tried: int  # items answered at all
    total: int


class ProgressStore:
    """Answers recorded per item id: status, score, points, principles, time."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else _default_path()

    def load(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            # A damaged file is kept aside, never silently overwritten.
            aside = self.path.with_suffix(f".damaged-{int(time.time())}.json")
            self.path.replace(aside)
            return {}
        return data if isinstance(data, dict) else {}

    def record(self, item: Item, feedback: Feedback) -> None:
        data = self.load()
        data[item.id] = {
            "status": feedback.status,
            "score": feedback.score,
            "points": feedback.points,
            "lesson": item.lesson,
            "principles": list(item.principles),
            "at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
        write_atomically(self.path, lambda handle: json.dump(data, handle, indent=1,
                                                             sort_keys=True), make_folder=True)

    def by_lesson(self, items: dict[str, Item]) -> list[LessonProgress]:
        """Done / tried / total per lesson, in the order lessons first appear in ``items``."""
        data = self.load()
        lessons: dict[str, list[Item]] = {}
        for item in items.values():
            lessons.setdefault(item.lesson, []).append(item)
        return [
            LessonProgress(
                lesson,
                done=sum(1 for i in group if data.get(i.id, {}).get("status") == CORRECT),
                tried=sum(1 for i in group if i.id in data),
                total=len(group),
            )
            for lesson, group in lessons.items()
        ]

    def weak_principles(self, limit: int = 5) -> list[tuple[str, int]]:
        """Principles behind the items answered but not yet right, most missed first."""
        missed: Counter[str] = Counter()
        for record in self.load().values():
            if record.get("status") != CORRECT:
                missed.update(record.get("principles", []))
        return missed.most_common(limit)
