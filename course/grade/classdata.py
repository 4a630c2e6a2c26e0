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
from .assignments import COMMENTS_SUFFIX, Assignment
from .folder import CourseFolder
from .gradebooks import check_gradebook
from .variants import for_submission

__all__ = ["ClassData", "load_class"]


@dataclass(frozen=True)
class ClassData:
    """A course's grading data, one frame each.

    ``grades``: assignment, student, item, kind, score, points, needs_manual_grade (the
    comment boxes under rewrites, which carry no points, are left out).
    ``items``: assignment, item, kind, points, principles (tuple of ids), number (the
    question number in the notebook), label ("Q3. A follower replies ...").
    ``choices``: assignment, student, item, tag, chosen, in_key (critique items only).
    ``students``: student, first_name, last_name, lms_user_id (every gradebook student).
    ``submissions``: assignment, student, submitted (UTC timestamp or None),
    late_seconds, penalty (nbgrader's late-submission penalty), pending (a grade waits
    for a person).
    ``assignments``: assignment, title (from its key), due (UTC timestamp or None).
    ``problems``: assignment, student, problem (from ``grade-runs/``).
    ``variants``: assignment, student, item, variant (items with a version per student).
    """

    grades: pd.DataFrame
    items: pd.DataFrame
    choices: pd.DataFrame
    students: pd.DataFrame
    submissions: pd.DataFrame
    assignments: pd.DataFrame
    problems: pd.DataFrame
    variants: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["assignment", "student", "item", "variant"]))


def load_class(*, course: CourseFolder) -> ClassData:
    """Read the gradebook (read-only), the keys, saved critique answers and run records.

    Raises :class:`~course.errors.GradingError` for a missing or unreadable gradebook, one
    without a graded submission, or a graded assignment without its answer key.
    """
    check_gradebook(course.gradebook)
    grades, submissions, students, assignments = _read_gradebook(course.gradebook)
    grades = grades[~grades["item"].str.endswith(COMMENTS_SUFFIX)]
    keys = {a: course.key(a) for a in grades["assignment"].unique()}
    items = pd.DataFrame([row for a, key in keys.items() for row in _item_rows(a, key)],
                         columns=["assignment", "item", "kind", "points", "principles",
                                  "number", "label"])
    grades = grades.merge(items[["assignment", "item", "kind"]], how="left",
                          on=["assignment", "item"]).fillna({"kind": "unknown"})
    choice_rows, variant_rows = [], []
    for a, s in zip(submissions["assignment"], submissions["student"], strict=True):
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
    assignments["title"] = [keys[a].title if a in keys else a
                            for a in assignments["assignment"]]
    return ClassData(grades=grades, items=items, choices=choices, students=students,
                     submissions=submissions, assignments=assignments,
                     problems=_problems(course), variants=variants)


def _stamp(value) -> str | None:
    return None if value is None else f"{value:%Y-%m-%d %H:%M:%S}"


def _read_gradebook(db: Path
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from nbgrader.api import Gradebook
    from sqlalchemy.engine import URL
    from sqlalchemy.exc import SQLAlchemyError

    if not db.is_file():
        if not (db.parent / "nbgrader_config.py").is_file():
            raise GradingError(f"{db.parent} is not a course folder (no nbgrader_config.py "
                               "or gradebook.db): give the course folder")
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
            grades, submissions, assignments = [], [], []
            for assignment in gb.assignments:
                assignments.append({"assignment": assignment.name,
                                    "due": _stamp(assignment.duedate)})
                for sub in assignment.submissions:
                    rows = [{"assignment": assignment.name, "student": sub.student_id,
                             "item": g.name, "score": float(g.score or 0),
                             "points": float(g.max_score or 0),
                             "needs_manual_grade": bool(g.needs_manual_grade)}
                            for notebook in sub.notebooks for g in notebook.grades]
                    grades += rows
                    submissions.append({
                        "assignment": assignment.name, "student": sub.student_id,
                        "submitted": _stamp(sub.timestamp),
                        "late_seconds": float(sub.total_seconds_late),
                        "penalty": float(sub.late_submission_penalty or 0),
                        "pending": any(r["needs_manual_grade"] for r in rows
                                       if not r["item"].endswith(COMMENTS_SUFFIX))})
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise GradingError(f"{db}: not a readable nbgrader gradebook ({reason})") from None
    if not grades:
        raise GradingError(f"{db} holds no graded submission yet: run `python -m course grade "
                          "run ASSIGNMENT` first")
    return (pd.DataFrame(grades), pd.DataFrame(submissions),
            pd.DataFrame(students, columns=["student", "first_name", "last_name",
                                            "lms_user_id"]),
            pd.DataFrame(assignments, columns=["assignment", "due"]))


#: Longest question text in an item's label, in characters (the rest is cut at a word).
LABEL_CHARS = 60


def _label(number: int, prompt: str) -> str:
    text = " ".join(prompt.split())
    if len(text) > LABEL_CHARS:
        text = text[:LABEL_CHARS].rsplit(" ", 1)[0] + " …"
    return f"Q{number}. {text}"


def _item_rows(assignment: str, key: Assignment) -> list[dict]:
    rows = [{"assignment": assignment, "item": i.id, "kind": i.kind, "points": float(i.points),
             "principles": tuple(i.principles), "number": key.number(i.id),
             "label": _label(key.number(i.id), i.prompt)} for i in key.items.values()]
    rows += [{"assignment": assignment, "item": t["id"], "kind": "code",
              "points": float(t["points"]), "principles": tuple(t.get("principles", ())),
              "number": key.number(t["id"]), "label": _label(key.number(t["id"]), t["prompt"])}
             for t in key.code_tasks]
    return rows


def _choice_rows(assignment: str, student: str, key: Assignment, answers: dict[str, dict]
                 ) -> list[dict]:
    rows = []
    for item in key.items.values():
        if not isinstance(item, TagCritique):
            continue
        given = (answers.get(item.id) or {}).get("answer")
        resolved = item.resolve_many(given) if isinstance(given, list) else None
        chosen = set(resolved[0]) if resolved else set()  # tag ids, however they were saved
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
