"""Which lesson teaches each principle and which exercises practise it, built from the
knowledge base, the exercise data and the lesson notebooks themselves.

A lesson *teaches* a principle when one of its cells calls ``show_principle("id")``; it
*practises* it when it uses ``exercise("item")`` for an item whose data lists the
principle. ``python -m course coverage [--notebooks DIR]`` prints the table.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..content.knowledge import load_knowledge
from ..content.syllabus import load_lessons
from ..errors import UsageError
from ..exercises import load_items

__all__ = ["CoverageRow", "coverage", "format_coverage", "notebook_calls"]

_CALL = re.compile(r"\b(show_principle|exercise)\(\s*['\"]([\w-]+)['\"]")


@dataclass(frozen=True)
class CoverageRow:
    principle: str
    taught_in: tuple[str, ...]  # lesson ids
    practised_by: tuple[str, ...]  # exercise item ids used in a notebook


def notebook_calls(path: Path) -> dict[str, set[str]]:
    """The ids a notebook passes to ``show_principle`` and ``exercise`` in its code cells."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {"show_principle": set(), "exercise": set()}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            source = "".join(cell.get("source", ""))
            for name, ident in _CALL.findall(source):
                found[name].add(ident)
    return found


def coverage(*, notebooks: Path | str) -> list[CoverageRow]:
    """One row per principle in the knowledge base, in its order, from the lesson
    notebooks in the folder ``notebooks``."""
    notebooks = Path(notebooks)
    if not any(notebooks.glob("*.ipynb")):
        raise UsageError(f"no lesson notebooks in {notebooks}: run this in the course "
                         "repository or pass --notebooks DIR")
    kb, items = load_knowledge(), load_items()
    taught: dict[str, list[str]] = {p: [] for p in kb.principles}
    practised: dict[str, list[str]] = {p: [] for p in kb.principles}
    for lesson in load_lessons():
        path = notebooks / lesson.notebook
        if not path.exists():
            continue
        calls = notebook_calls(path)
        for pid in calls["show_principle"]:
            taught.setdefault(pid, []).append(lesson.id)
        for item_id in sorted(calls["exercise"]):
            for pid in items[item_id].principles if item_id in items else ():
                practised.setdefault(pid, []).append(item_id)
    return [CoverageRow(p, tuple(taught[p]), tuple(dict.fromkeys(practised[p])))
            for p in taught]


def format_coverage(rows: list[CoverageRow]) -> str:
    lines = [f"{'principle':26} {'taught in':24} practised by"]
    for r in rows:
        lines.append(f"{r.principle:26} {', '.join(r.taught_in) or '-':24} "
                     f"{', '.join(r.practised_by) or '-'}")
    return "\n".join(lines)
