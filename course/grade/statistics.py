"""Class analytics: pure functions from grading frames (:mod:`course.grade.classdata`) to
the tables the class report shows. Frames in, frames out; nothing is read or written."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import pandas as pd

from ..content.knowledge import load_knowledge

__all__ = [
    "LOW_DISCRIMINATION",
    "MIN_VARIANT_STUDENTS",
    "UNFAIR_GAP",
    "assignment_points",
    "hand_grading_queue",
    "item_statistics",
    "percents",
    "principle_mastery",
    "score_distribution",
    "student_mastery",
    "student_totals",
    "submission_status",
    "tag_mistakes",
    "variant_statistics",
]

#: Below this point-biserial correlation an item separates strong and weak students
#: poorly (the usual rule of thumb in classical test theory).
LOW_DISCRIMINATION = 0.2
#: A variant whose difficulty differs from the mean of the item's other variants by this
#: much or more is flagged as possibly unfair: a quarter of the item's points, between
#: groups of at least :data:`MIN_VARIANT_STUDENTS`, is more than a class of 30 shows by
#: chance for one item (its spread of fractions is about 0.3, so a group of 10's mean
#: wanders by about 0.1).
UNFAIR_GAP = 0.25
MIN_VARIANT_STUDENTS = 5  #: fewer students on a variant than this: no flag, too few


def assignment_points(*, grades: pd.DataFrame) -> pd.Series:
    """Points possible per assignment: the sum of its items' points, in gradebook order."""
    per_item = grades.groupby(["assignment", "item"], sort=False)["points"].max()
    return per_item.groupby(level="assignment", sort=False).sum()


def student_totals(*, grades: pd.DataFrame, penalties: pd.DataFrame | None = None,
                   students: Iterable[str] = (),
                   missing: Iterable[tuple[str, str]] = ()) -> pd.DataFrame:
    """One row per student, sorted by id regardless of case: each assignment's score,
    then total, possible and percent.

    A late ``penalty`` (assignment, student, penalty) is taken off that assignment's
    score, never below 0, as ``nbgrader export`` does. An assignment a student did not
    submit is empty (NaN) and counts 0 in the total, or is 0 if (student, assignment) is
    in ``missing`` (not submitted by its due date); ``possible`` is every assignment's
    points. ``students`` adds roster students who submitted nothing.
    """
    points = assignment_points(grades=grades)
    scores = grades.groupby(["student", "assignment"])["score"].sum()
    if penalties is not None and len(penalties):
        late = penalties.set_index(["student", "assignment"])["penalty"]
        scores = (scores - late.reindex(scores.index).fillna(0)).clip(lower=0)
    table = scores.unstack("assignment").reindex(columns=points.index)
    table = table.reindex(sorted(set(table.index) | set(students), key=_by_id))
    for student, assignment in missing:
        if assignment in table.columns:
            column = table[assignment]
            table[assignment] = column.where(column.notna() | (table.index != student), 0.0)
    table["total"] = table[list(points.index)].sum(axis=1)
    table["possible"] = float(points.sum())
    table["percent"] = 100 * table["total"] / table["possible"].where(table["possible"] > 0)
    table.index.name, table.columns.name = "student", None
    return table.reset_index()


def _by_id(student: str) -> tuple[str, str]:
    """Sort key for student ids: ignoring case first (``ana`` before ``Ben``), then as
    written, so the order never depends on the gradebook's."""
    return (str(student).casefold(), str(student))


def submission_status(*, submissions: pd.DataFrame, assignments: pd.DataFrame,
                      students: Iterable[str], now: str) -> pd.DataFrame:
    """One row per student and assignment: status, due, submitted, hours_late, penalty.

    ``status`` is "graded", "pending" (a grade waits for a person), "missing" (nothing
    submitted, and the due date ``now`` (UTC, ``YYYY-mm-dd HH:MM:SS``) is past) or "not
    submitted" (no due date, or not due yet)."""
    subs = submissions.set_index(["student", "assignment"]) if len(submissions) else None
    rows = []
    for student in sorted(set(students), key=_by_id):
        for record in assignments.to_dict("records"):
            assignment, due = record["assignment"], record["due"]
            row = {"student": student, "assignment": assignment, "due": due,
                   "submitted": None, "hours_late": 0.0, "penalty": 0.0}
            if subs is not None and (student, assignment) in subs.index:
                sub = subs.loc[(student, assignment)]
                row.update(status="pending" if sub["pending"] else "graded",
                           submitted=sub["submitted"],
                           hours_late=round(float(sub["late_seconds"]) / 3600, 4),
                           penalty=float(sub["penalty"]))
            else:
                row["status"] = "missing" if due and str(due) < now else "not submitted"
            rows.append(row)
    return pd.DataFrame(rows, columns=["student", "assignment", "status", "due", "submitted",
                                       "hours_late", "penalty"])


def score_distribution(*, totals: pd.DataFrame, points: pd.Series) -> pd.DataFrame:
    """Per assignment: how many submitted, and the mean, median, min and max percent."""
    rows = []
    for assignment, possible in points.items():
        percent = percents(totals, assignment, possible)
        rows.append({"assignment": assignment, "points": float(possible),
                     "students": len(percent), "mean": percent.mean(),
                     "median": percent.median(), "min": percent.min(), "max": percent.max()})
    return pd.DataFrame(rows, columns=["assignment", "points", "students", "mean", "median",
                                       "min", "max"])


def percents(totals: pd.DataFrame, assignment: Hashable, possible: float) -> pd.Series:
    """Each submitted student's score on ``assignment`` as a percent of ``possible``."""
    return 100 * totals[assignment].dropna() / possible if possible > 0 else pd.Series(
        dtype=float)


def item_statistics(*, grades: pd.DataFrame) -> pd.DataFrame:
    """Per item: difficulty (mean fraction of its points, 0..1, higher is easier) and
    discrimination, the point-biserial correlation of the item's fraction with each
    student's score on the rest of the assignment (NaN with fewer than 3 students or when
    either does not vary). Grades still waiting for a person are left out of both and
    counted in ``waiting``; ``students`` counts the grades used."""
    grades = grades.assign(waiting=grades["needs_manual_grade"].astype(bool))
    graded = grades[~grades["waiting"]].copy()
    graded["fraction"] = graded["score"] / graded["points"].where(graded["points"] > 0)
    totals = graded.groupby(["assignment", "student"])["score"].transform("sum")
    graded["rest"] = totals - graded["score"]
    groups = dict(list(graded.groupby(["assignment", "item"], sort=False)))
    rows = []
    for (assignment, item), every in grades.groupby(["assignment", "item"], sort=False):
        group = groups.get((assignment, item), graded.iloc[:0])
        rows.append({"assignment": assignment, "item": item, "kind": every["kind"].iloc[0],
                     "students": len(group), "waiting": int(every["waiting"].sum()),
                     "difficulty": group["fraction"].mean(),
                     "discrimination": _correlation(group["fraction"], group["rest"])})
    return pd.DataFrame(rows, columns=["assignment", "item", "kind", "students", "waiting",
                                       "difficulty", "discrimination"])


def _correlation(a: pd.Series, b: pd.Series) -> float:
    if len(a) < 3 or not a.std() > 0 or not b.std() > 0:
        return float("nan")
    return float(a.corr(b))


def _principle_fractions(grades: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    graded = grades[~grades["needs_manual_grade"].astype(bool)]
    merged = graded.merge(items[["assignment", "item", "principles"]],
                          on=["assignment", "item"]).explode("principles")
    merged = merged.dropna(subset=["principles"]).rename(columns={"principles": "principle"})
    merged["fraction"] = merged["score"] / merged["points"].where(merged["points"] > 0)
    return merged


def student_mastery(*, grades: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """One row per student, one column per principle id: the student's mean fraction of
    points over the items that practise it (NaN: no graded item). Hand-grading waits are
    left out."""
    fractions = _principle_fractions(grades, items)
    table = fractions.pivot_table(index="student", columns="principle", values="fraction",
                                  aggfunc="mean")
    table.columns.name = None
    return table.reset_index()


def principle_mastery(*, grades: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Per principle, weakest first: class mastery (the mean over students of their
    :func:`student_mastery`), its name, and how many items and students it covers."""
    fractions = _principle_fractions(grades, items)
    per_student = fractions.groupby(["principle", "student"])["fraction"].mean()
    table = pd.DataFrame({
        "mastery": per_student.groupby(level="principle").mean(),
        "items": fractions.drop_duplicates(["principle", "assignment", "item"])
        .groupby("principle").size(),
        "students": per_student.groupby(level="principle").size(),
    })
    table.index.name = "principle"
    table = table.reset_index()
    kb = load_knowledge()
    table["name"] = [kb.principles[p].name if p in kb.principles else p
                     for p in table["principle"]]
    return table.sort_values(["mastery", "principle"]).reset_index(drop=True)


def tag_mistakes(*, choices: pd.DataFrame) -> pd.DataFrame:
    """Per tag, over critique items: how often students missed it (in the key, not
    ticked) and added it wrongly (ticked, not in the key); most mistakes first."""
    chosen, in_key = choices["chosen"].astype(bool), choices["in_key"].astype(bool)
    table = pd.concat({"missed": choices.loc[in_key & ~chosen, "tag"].value_counts(),
                       "added": choices.loc[~in_key & chosen, "tag"].value_counts()},
                      axis=1).fillna(0).astype(int)
    table["mistakes"] = table["missed"] + table["added"]
    table.index.name = "tag"
    table = table.reset_index()
    kb = load_knowledge()
    table["name"] = [kb.tags[t].name if t in kb.tags else t for t in table["tag"]]
    return table.sort_values(["mistakes", "tag"], ascending=[False, True]).reset_index(
        drop=True)


def hand_grading_queue(*, grades: pd.DataFrame) -> pd.DataFrame:
    """The grades a person still has to give: assignment, student, item, points."""
    queue = grades[grades["needs_manual_grade"].astype(bool)]
    queue = queue[["assignment", "student", "item", "points"]]
    order = sorted(range(len(queue)), key=lambda i: (
        queue["assignment"].iloc[i], _by_id(queue["student"].iloc[i]), queue["item"].iloc[i]))
    return queue.iloc[order].reset_index(drop=True)


def variant_statistics(*, grades: pd.DataFrame, variants: pd.DataFrame) -> pd.DataFrame:
    """Per version of each item with a version per student: how many students had it,
    its difficulty (mean fraction of the points) and ``gap``, its difficulty minus the
    mean of the item's other versions; ``unfair`` when the gap is :data:`UNFAIR_GAP` or
    more and both sides have :data:`MIN_VARIANT_STUDENTS` students."""
    columns = ["assignment", "item", "variant", "students", "difficulty", "gap", "unfair"]
    graded = grades[~grades["needs_manual_grade"].astype(bool)]
    merged = graded.merge(variants, on=["assignment", "student", "item"])
    if merged.empty:
        return pd.DataFrame(columns=columns)
    merged = merged.assign(fraction=merged["score"] / merged["points"].where(
        merged["points"] > 0))
    table = merged.groupby(["assignment", "item", "variant"]).agg(
        students=("student", "size"), difficulty=("fraction", "mean")).reset_index()
    rows = []
    for (_, _), group in table.groupby(["assignment", "item"], sort=False):
        for row in group.to_dict("records"):
            others = group[group["variant"] != row["variant"]]
            rest = ((others["difficulty"] * others["students"]).sum()
                    / others["students"].sum()) if len(others) else float("nan")
            gap = row["difficulty"] - rest
            enough = row["students"] >= MIN_VARIANT_STUDENTS and (
                others["students"].sum() >= MIN_VARIANT_STUDENTS)
            rows.append({**row, "gap": gap, "unfair": bool(enough and abs(gap) >= UNFAIR_GAP)})
    return pd.DataFrame(rows, columns=columns)
