"""How long a lesson takes a learner, from what it asks them to read and do.

The estimate adds the time to read the lesson's text (its Markdown, the principle cards
and worked posts it shows, and its exercises' prompts and options) to the time its
exercises and code cells take. Each lesson states the estimate at its top ("About 30
minutes"); a test keeps the two in step, and every lesson between
:data:`LESSON_MINUTES` bounds.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..content.knowledge import find_post, load_knowledge
from ..exercises import load_items

__all__ = ["LESSON_MINUTES", "Estimate", "estimate_lesson", "stated_minutes"]

#: Words a learner reads per minute in study text: slower than the ~240 wpm at which
#: adults read non-fiction for pleasure (Brysbaert, 2019), since lessons are read to be
#: applied straight away.
READING_WPM = 180
#: Minutes to answer one exercise of each kind, reading its prompt aside: a choice is
#: weighed option by option, a critique means checking eleven tags against one post, a
#: rewrite is writing, and a code task is writing and running pandas.
MINUTES_PER_EXERCISE = {"single": 1.0, "multiple": 1.5, "numeric": 2.0, "critique": 2.0,
                        "rewrite": 4.0, "code": 5.0}
#: Running a code cell of the lesson's own and taking in its output (a table, a chart, a
#: critique). Cells that only show a card or an exercise are counted by their words and
#: the exercise's minutes instead.
MINUTES_PER_CODE_CELL = 0.3
#: What a lesson should take, in minutes: one sitting of about half an hour.
LESSON_MINUTES = (25, 35)

_WORD = re.compile(r"[\w'’]+")
_CALL = re.compile(r"\b(show_principle|show_post|exercise)\(\s*['\"]([\w-]+)['\"]")
#: The capstone's rewrite of the learner's own post counts as a rewrite exercise.
_OWN_REWRITE = re.compile(r"\brewrite_post\(")
_STATED = re.compile(r"About (\d+) minutes")


@dataclass(frozen=True)
class Estimate:
    reading: float  # minutes
    exercises: float
    code: float

    @property
    def minutes(self) -> int:
        return round(self.reading + self.exercises + self.code)


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def estimate_lesson(path: Path | str) -> Estimate:
    """The estimate for the lesson notebook at ``path``."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    kb, items = load_knowledge(), load_items()
    words, exercise_minutes, code_cells = 0, 0.0, 0
    for cell in nb.get("cells", []):
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "markdown":
            words += _words(source)
            continue
        exercise_minutes += MINUTES_PER_EXERCISE["rewrite"] * len(_OWN_REWRITE.findall(source))
        calls = _CALL.findall(source)
        if not calls or len(source.strip().splitlines()) > len(calls):
            code_cells += 1
        for call, ident in calls:
            if call == "show_principle" and ident in kb.principles:
                p = kb.principles[ident]
                words += _words(" ".join([p.name, *p.do, *p.dont]))
            elif call == "show_post":
                words += _words(find_post(ident).text)
            elif call == "exercise" and ident in items and ".widget()" in source:
                item = items[ident]
                words += _words(" ".join([item.prompt, *item.options,
                                          item.post.text if item.post else ""]))
                exercise_minutes += MINUTES_PER_EXERCISE.get(item.kind, 2.0)
    return Estimate(reading=words / READING_WPM, exercises=exercise_minutes,
                    code=code_cells * MINUTES_PER_CODE_CELL)


def stated_minutes(path: Path | str) -> int | None:
    """The minutes a lesson's first cell states ("About 30 minutes"), if any."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = nb.get("cells", [])
    found = _STATED.search("".join(cells[0].get("source", ""))) if cells else None
    return int(found.group(1)) if found else None
