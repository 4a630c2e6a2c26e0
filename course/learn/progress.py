"""Self-study progress: every answered item, kept in a small local JSON file.

For each item the file keeps the learner's **last answer** (option ids, a rewrite's
text, a number), how many times they checked it, and their **best** result: a wrong
check after a right one never lowers it, and "done" means right at least once. It also
keeps a random learner id, so each learner sees the options of every question in an
order of their own, the same order every time (:func:`course.exercises.shuffle.option_order`).

The file is written atomically after each answer, so a kernel restart or a closed
notebook loses nothing. Its place: ``$COURSE_PROGRESS_FILE`` if set, else
``~/.smm-course/progress.json``. A file written by an older version of the course (one
flat record per item, score only) is read as it is and upgraded on the next answer.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..exercises import CORRECT, Feedback, Item
from ..files import write_atomically

__all__ = ["FORMAT", "LessonProgress", "ProgressStore"]

#: The file's format: ``{"format": 2, "learner": ..., "items": {item id: record}}``.
FORMAT = 2
#: How good each status is, to keep the best one (a tie keeps the higher score).
_RANK = {CORRECT: 3, "partly correct": 2, "wrong": 1, "not attempted": 0}


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
    """Answers recorded per item id: best status and score, last answer, tries."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else _default_path()

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            # A damaged file is kept aside, never silently overwritten.
            aside = self.path.with_suffix(f".damaged-{int(time.time())}.json")
            self.path.replace(aside)
            return {}
        if not isinstance(data, dict):
            return {}
        if data.get("format") == FORMAT and isinstance(data.get("items"), dict):
            return data
        # The first format: one flat record per item.
        return {"items": {k: v for k, v in data.items() if isinstance(v, dict)}}

    def _write(self, data: dict[str, Any]) -> None:
        data = {"format": FORMAT, "learner": data.get("learner") or secrets.token_hex(8),
                "items": data.get("items", {})}
        write_atomically(self.path, lambda handle: json.dump(data, handle, indent=1,
                                                             sort_keys=True), make_folder=True)

    def load(self) -> dict[str, dict]:
        """Every item's record, by item id."""
        return self._read().get("items", {})

    def get(self, item_id: str) -> dict | None:
        """One item's record: ``status`` and ``score`` (the best so far), ``answer``,
        ``last_status``, ``last_score``, ``tries``; ``None`` before the first answer."""
        return self.load().get(item_id)

    def learner(self) -> str:
        """This learner's id (made, and saved, on first use)."""
        data = self._read()
        if not data.get("learner"):
            data["learner"] = secrets.token_hex(8)
            self._write(data)
        return data["learner"]

    def record(self, item: Item, feedback: Feedback, answer: Any = None) -> dict:
        """Keep ``answer`` as the last one and ``feedback`` if it is the best yet; return
        the item's record."""
        data = self._read()
        items = data.setdefault("items", {})
        old = items.get(item.id) or {}
        tries = int(old.get("tries", 1 if old else 0)) + 1
        best_first = (_RANK.get(feedback.status, 0), feedback.score) >= (
            _RANK.get(old.get("status", ""), -1), float(old.get("score", 0.0)))
        record = {
            "status": feedback.status if best_first else old["status"],
            "score": feedback.score if best_first else old["score"],
            "points": feedback.points,
            "lesson": item.lesson,
            "principles": list(item.principles),
            "answer": _jsonable(answer),
            "last_status": feedback.status,
            "last_score": feedback.score,
            "tries": tries,
            "at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
        items[item.id] = record
        self._write(data)
        return record

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


def _jsonable(answer: Any) -> Any:
    """An answer as the file can keep it: text, numbers and lists of them; anything else
    (a code task's DataFrame) is not kept."""
    if answer is None or isinstance(answer, (str, bool, int, float)):
        return answer
    if isinstance(answer, (list, tuple, set, frozenset)) and all(
            isinstance(a, (str, int, float)) for a in answer):
        return list(answer)
    return None
