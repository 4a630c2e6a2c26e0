"""A course's grading data as pandas frames: what ``grade report`` works from.

:func:`load_class` reads the gradebook (read-only), the answer keys' items and
principles, the tags students ticked on critique items (against each student's own
variant's key), which variant of each item with versions each student had, and the
problems grading runs recorded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from ..errors import GradingError
from ..exercises import TagCritique
from ..exercises.answers import read_submission_answers
from .assignments import Assignment
from .folder import CourseFolder
from .variants import for_submission

__all__ = ["ClassData", "load_class"]


@dataclass(frozen=True)
class ClassData:
    """A course's grading data, one frame each.

    ``grades``: assignment, student, item, kind, score, points, needs_manual_grade.
    ``items``: assignment, item, kind, points, principles (tuple of ids).
    ``choices``: assignment, student, item, tag, chosen, in_key (critique items only).
    ``students``: student, first_name, last_name, lms_user_id (every gradebook student).
    ``penalties``: assignment, student, penalty (nbgrader's late-submission penalty).
    ``problems``: assignment, student, problem (from ``grade-runs/``).
    ``variants``: assignment, student, item, variant (items with a version per student).
    """

    grades: pd.DataFrame
    items: pd.DataFrame
    choices: pd.DataFrame
    students: pd.DataFrame
    penalties: pd.DataFrame
    problems: pd.DataFrame
    variants: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["assignment", "student", "item", "variant"]))


def load_class(*, course: CourseFolder) -> ClassData:
    """Read the gradebook (read-only), the keys, saved critique answers and run records.

    Raises :class:`~course.errors.GradingError` for a missing or unreadable gradebook, one
    without a graded submission, or a graded assignment without its answer key.
    """
    grades, penalties, students = _read_gradebook(course.gradebook)
    keys = {a: course.key(a) for a in grades["assignment"].unique()}
    items = pd.DataFrame([row for a, key in keys.items() for row in _item_rows(a, key)],
                         columns=["assignment", "item", "kind", "points", "principles"])
    grades = grades.merge(items[["assignment", "item", "kind"]], how="left",
                          on=["assignment", "item"]).fillna({"kind": "unknown"})
    choice_rows, variant_rows = [], []
    for a, s in zip(penalties["assignment"], penalties["student"], strict=True):
        folder = course.submitted(s, a)
        if not folder.is_dir():  # nothing to read: not counted as missing every tag
            continue
        answers = read_submission_answers(folder, folder / f"{a}.ipynb")
        key, answers = for_submission(keys[a], answers, student=s, keys_dir=course.keys_dir)
        choice_rows += _choice_rows(a, s, key, answers)
        variant_rows += [{"assignment": a, "student": s, "item": i, "variant": v}
                         for i, v in key.chosen.items()]
    choices = pd.DataFrame(choice_rows,
                           columns=["assignment", "student", "item", "tag", "chosen", "in_key"])
    variants = pd.DataFrame(variant_rows, columns=["assignment", "student", "item", "variant"])
    return ClassData(grades=grades, items=items, choices=choices, students=students,
                     penalties=penalties, problems=_problems(course), variants=variants)


def _read_gradebook(db: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from nbgrader.api import Gradebook
    from sqlalchemy.engine import URL
    from sqlalchemy.exc import SQLAlchemyError

    if not db.is_file():
        raise GradingError(f"no gradebook at {db}: run `python -m course grade run "
                          "ASSIGNMENT` first")
    # mode=ro: SQLite refuses every write; course_id="" stops nbgrader adding a course row.
    # A URL object keeps the path percent-encoded for SQLite (a "#" or "?" in a folder name).
    url = URL.create("sqlite", database=f"file:{quote(str(db))}",
                     query={"mode": "ro", "uri": "true"})
    try:
        with Gradebook(url, course_id="") as gb:
            students = [{"student": s.id, "first_name": s.first_name or "",
                         "last_name": s.last_name or "", "lms_user_id": s.lms_user_id or ""}
                        for s in gb.students]
            grades, submissions = [], []
            for assignment in gb.assignments:
                for sub in assignment.submissions:
                    submissions.append({"assignment": assignment.name, "student": sub.student_id,
                                        "penalty": float(sub.late_submission_penalty or 0)})
                    grades += [{"assignment": assignment.name, "student": sub.student_id,
                                "item": g.name, "score": float(g.score or 0),
                                "points": float(g.max_score or 0),
                                "needs_manual_grade": bool(g.needs_manual_grade)}
                               for notebook in sub.notebooks for g in notebook.grades]
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise GradingError(f"{db}: not a readable nbgrader gradebook ({reason})") from None
    if not grades:
        raise GradingError(f"{db} holds no graded submission yet: run `python -m course grade "
                          "run ASSIGNMENT` first")
    return (pd.DataFrame(grades), pd.DataFrame(submissions),
            pd.DataFrame(students, columns=["student", "first_name", "last_name",
                                            "lms_user_id"]))


def _item_rows(assignment: str, key: Assignment) -> list[dict]:
    rows = [{"assignment": assignment, "item": i.id, "kind": i.kind, "points": float(i.points),
             "principles": tuple(i.principles)} for i in key.items.values()]
    rows += [{"assignment": assignment, "item": t["id"], "kind": "code",
              "points": float(t["points"]), "principles": tuple(t.get("principles", ()))}
             for t in key.code_tasks]
    return rows


def _choice_rows(assignment: str, student: str, key: Assignment, answers: dict[str, dict]
                 ) -> list[dict]:
    rows = []
    for item in key.items.values():
        if not isinstance(item, TagCritique):
            continue
        chosen = (answers.get(item.id) or {}).get("answer")
        chosen = {t for t in chosen if isinstance(t, str)} if isinstance(chosen, list) else set()
        rows += [{"assignment": assignment, "student": student, "item": item.id, "tag": tag,
                  "chosen": tag in chosen, "in_key": tag in item.key}
                 for tag in sorted(chosen | set(item.key))]
    return rows


def _problems(course: CourseFolder) -> pd.DataFrame:
    rows = []
    for path in sorted(course.runs_dir.glob("*/*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = None
        if not isinstance(record, dict):
            record = {"problems": [f"grading record {path.name} is unreadable"]}
        problems = record.get("problems") or []
        rows += [{"assignment": str(record.get("assignment") or path.parent.name),
                  "student": str(record.get("student") or path.stem), "problem": str(p)}
                 for p in (problems if isinstance(problems, list) else [problems])]
    return pd.DataFrame(rows, columns=["assignment", "student", "problem"])
