"""``python -m course grade report``: class analytics of the gradebook, and grade exports.

:func:`load_class` reads a course folder into pandas frames (the gradebook's grades, the
keys' items and principles, the tags students ticked on critique items, the problems a
grading run recorded). Pure functions turn them into the tables the report shows:
per-student totals, item difficulty and discrimination, mastery per principle, the tags
most often missed or added wrongly, and the hand-grading queue. :func:`write_class_report`
renders ``class-report.html`` (tables and inline SVG plots, no scripts) and writes
``grades.csv`` and ``canvas-grades.csv``.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd

from .answers import read_submission_answers
from .assignments import load_assignment
from .batch import write_atomically
from .errors import CourseError
from .knowledge import load_knowledge

__all__ = [
    "ClassData",
    "ReportFiles",
    "canvas_rows",
    "hand_grading_queue",
    "item_statistics",
    "load_class",
    "principle_mastery",
    "student_totals",
    "tag_mistakes",
    "write_class_report",
]

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class ClassData:
    """A course's grading data. ``grades``: assignment, student, item, kind, score, points,
    needs_manual_grade. ``items``: assignment, item, kind, points, principles (tuple).
    ``choices``: assignment, student, item, tag, chosen, in_key (critique items only).
    ``students``: student, first_name, last_name, lms_user_id. ``problems``: assignment,
    student, problem."""

    grades: pd.DataFrame
    items: pd.DataFrame
    choices: pd.DataFrame
    students: pd.DataFrame
    problems: pd.DataFrame


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    grades_csv: Path
    canvas_csv: Path


# --- loading ------------------------------------------------------------------------------

def load_class(*, course_dir: Path | str) -> ClassData:
    """Read the gradebook, keys, saved critique answers and grading-run problems."""
    from nbgrader.api import Gradebook

    course = Path(course_dir).expanduser().resolve()
    db = course / "gradebook.db"
    if not db.is_file():
        raise CourseError(f"no gradebook at {db}: run `python -m course grade run "
                          "ASSIGNMENT` first")
    grades, students = [], []
    with Gradebook(f"sqlite:///{db}") as gb:
        for student in gb.students:
            students.append({"student": student.id, "first_name": student.first_name or "",
                             "last_name": student.last_name or "",
                             "lms_user_id": student.lms_user_id or ""})
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    grades += [{"assignment": assignment.name,
                                "student": submission.student_id, "item": g.name,
                                "score": float(g.score), "points": float(g.max_score),
                                "needs_manual_grade": bool(g.needs_manual_grade)}
                               for g in notebook.grades]
    if not grades:
        raise CourseError(f"{db} holds no graded submission yet: run `python -m course grade "
                          "run ASSIGNMENT` first")
    grades = pd.DataFrame(grades)
    keys = {a: _key(course, a) for a in grades["assignment"].unique()}
    items = pd.DataFrame([row for a, key in keys.items() for row in _item_rows(a, key)])
    grades = grades.merge(items[["assignment", "item", "kind"]], how="left",
                          on=["assignment", "item"]).fillna({"kind": "code"})
    pairs = grades[["assignment", "student"]].drop_duplicates().itertuples(index=False)
    choices = pd.DataFrame(
        [row for a, s in pairs for row in _choice_rows(course, a, s, keys[a])],
        columns=["assignment", "student", "item", "tag", "chosen", "in_key"])
    return ClassData(grades=grades, items=items, choices=choices,
                     students=pd.DataFrame(students), problems=_problems(course))


def _key(course: Path, assignment: str):
    path = course / "keys" / f"{assignment}.yaml"
    if not path.is_file():
        raise CourseError(f"no answer key {path} for assignment {assignment!r} in the gradebook")
    return load_assignment(path)


def _item_rows(assignment: str, key) -> list[dict]:
    rows = [{"assignment": assignment, "item": i.id, "kind": i.kind, "points": i.points,
             "principles": tuple(i.principles)} for i in key.items.values()]
    rows += [{"assignment": assignment, "item": t["id"], "kind": "code",
              "points": float(t["points"]), "principles": tuple(t.get("principles", ()))}
             for t in key.code_tasks]
    return rows


def _choice_rows(course: Path, assignment: str, student: str, key) -> list[dict]:
    folder = course / "submitted" / student / assignment
    answers = read_submission_answers(folder, folder / f"{assignment}.ipynb")
    rows = []
    for item in key.items.values():
        if item.kind != "critique":
            continue
        chosen = (answers.get(item.id) or {}).get("answer")
        chosen = set(chosen) if isinstance(chosen, list) else set()
        rows += [{"assignment": assignment, "student": student, "item": item.id, "tag": tag,
                  "chosen": tag in chosen, "in_key": tag in item.post.tags}
                 for tag in sorted(chosen | set(item.post.tags))]
    return rows


def _problems(course: Path) -> pd.DataFrame:
    rows = []
    for path in sorted((course / "grade-runs").glob("*/*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        rows += [{"assignment": record.get("assignment", path.parent.name),
                  "student": record.get("student", path.stem), "problem": p}
                 for p in record.get("problems", [])]
    return pd.DataFrame(rows, columns=["assignment", "student", "problem"])


# --- analytics (frames in, frames out) ----------------------------------------------------

def student_totals(grades: pd.DataFrame) -> pd.DataFrame:
    """One row per student: each assignment's score, then total, possible and percent."""
    per = grades.groupby(["student", "assignment"])[["score", "points"]].sum()
    table = per["score"].unstack("assignment")
    table["total"] = per["score"].groupby("student").sum()
    table["possible"] = per["points"].groupby("student").sum()
    table["percent"] = 100 * table["total"] / table["possible"]
    return table.reset_index()


def item_statistics(grades: pd.DataFrame) -> pd.DataFrame:
    """Per item: difficulty (mean fraction of its points, 0..1) and discrimination, the
    point-biserial correlation of the item's fraction with each student's total on the
    rest of the assignment (NaN when either does not vary). Grades still waiting for a
    person are left out."""
    graded = grades[~grades["needs_manual_grade"]].copy()
    graded["fraction"] = graded["score"] / graded["points"].where(graded["points"] > 0)
    totals = graded.groupby(["assignment", "student"])["score"].transform("sum")
    graded["rest"] = totals - graded["score"]
    rows = []
    for (assignment, item), group in graded.groupby(["assignment", "item"], sort=False):
        rows.append({"assignment": assignment, "item": item, "kind": group["kind"].iloc[0],
                     "students": len(group), "difficulty": group["fraction"].mean(),
                     "discrimination": _correlation(group["fraction"], group["rest"])})
    return pd.DataFrame(rows, columns=["assignment", "item", "kind", "students",
                                       "difficulty", "discrimination"])


def _correlation(a: pd.Series, b: pd.Series) -> float:
    if len(a) < 3 or a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(a.corr(b))


def principle_mastery(grades: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Per principle: mean fraction of points over the items that practise it, for the
    class, with how many items and students that covers (hand-graded waits left out)."""
    graded = grades[~grades["needs_manual_grade"]]
    merged = graded.merge(items[["assignment", "item", "principles"]],
                          on=["assignment", "item"]).explode("principles").dropna(
        subset=["principles"])
    merged["fraction"] = merged["score"] / merged["points"]
    table = merged.groupby("principles").agg(
        mastery=("fraction", "mean"), items=("item", "nunique"),
        students=("student", "nunique")).reset_index().rename(
        columns={"principles": "principle"})
    kb = load_knowledge()
    table["name"] = [kb.principles[p].name if p in kb.principles else p
                     for p in table["principle"]]
    return table.sort_values("mastery").reset_index(drop=True)


def tag_mistakes(choices: pd.DataFrame) -> pd.DataFrame:
    """Per tag: how often students missed it (in the key, not ticked) and added it
    wrongly (ticked, not in the key) on critique items; most mistakes first."""
    missed = choices[choices["in_key"] & ~choices["chosen"]].groupby("tag").size()
    added = choices[~choices["in_key"] & choices["chosen"]].groupby("tag").size()
    table = pd.DataFrame({"missed": missed, "added": added}).fillna(0).astype(int)
    table["mistakes"] = table["missed"] + table["added"]
    kb = load_knowledge()
    table = table.reset_index().rename(columns={"index": "tag"})
    table["name"] = [kb.tags[t].name if t in kb.tags else t for t in table["tag"]]
    return table.sort_values(["mistakes", "tag"], ascending=[False, True]).reset_index(
        drop=True)


def hand_grading_queue(grades: pd.DataFrame) -> pd.DataFrame:
    """Grades a person still has to give."""
    queue = grades[grades["needs_manual_grade"]]
    return queue[["assignment", "student", "item", "points"]].sort_values(
        ["assignment", "student", "item"]).reset_index(drop=True)


def canvas_rows(totals: pd.DataFrame, students: pd.DataFrame, assignments: list[str],
                possible: dict[str, float]) -> list[list]:
    """Rows of a CSV for Canvas's gradebook import: the columns Canvas's own export has
    (Student as "Last, First", ID = the LMS user id when nbgrader knows it, SIS User ID
    empty, SIS Login ID = the nbgrader student id, Section empty), one column per
    assignment (a new column creates the assignment in Canvas), and the "Points Possible"
    row Canvas's export puts first."""
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *assignments]
    rows = [header, ["Points Possible", "", "", "", "", *[f"{possible[a]:g}"
                                                          for a in assignments]]]
    people = students.set_index("student") if len(students) else pd.DataFrame()
    for record in totals.itertuples(index=False):
        row = record._asdict()
        person = people.loc[row["student"]] if row["student"] in people.index else None
        last = person["last_name"] if person is not None else ""
        first = person["first_name"] if person is not None else ""
        name = f"{last}, {first}" if last and first else (last or first or row["student"])
        lms = person["lms_user_id"] if person is not None else ""
        scores = [_number(row.get(a)) for a in assignments]
        rows.append([name, lms, "", row["student"], "", *scores])
    return rows


def _number(value) -> str:
    return "" if value is None or pd.isna(value) else f"{value:g}"


# --- rendering ----------------------------------------------------------------------------

def write_class_report(*, course_dir: Path | str, out_dir: Path | str | None = None
                       ) -> ReportFiles:
    """Write ``class-report.html``, ``grades.csv`` and ``canvas-grades.csv`` (each
    atomically) to ``out_dir`` (default ``<course>/reports``)."""
    course = Path(course_dir).expanduser().resolve()
    data = load_class(course_dir=course)
    out = Path(out_dir) if out_dir else course / "reports"
    out.mkdir(parents=True, exist_ok=True)
    assignments = sorted(data.grades["assignment"].unique())
    totals = student_totals(data.grades)
    possible = data.items.groupby("assignment")["points"].sum().to_dict()
    files = ReportFiles(out / "class-report.html", out / "grades.csv",
                        out / "canvas-grades.csv")
    write_atomically(files.grades_csv, lambda f: _write_grades(f, totals, assignments))
    rows = canvas_rows(totals, data.students, assignments, possible)
    write_atomically(files.canvas_csv, lambda f: csv.writer(f).writerows(rows))
    html = _render(data, totals, assignments, possible)
    write_atomically(files.html, lambda f: f.write(html))
    return files


def _write_grades(handle, totals: pd.DataFrame, assignments: list[str]) -> None:
    columns = ["student", *assignments, "total", "possible", "percent"]
    totals[columns].round(4).to_csv(handle, index=False)


def _render(data: ClassData, totals, assignments, possible) -> str:
    items = item_statistics(data.grades)
    mastery = principle_mastery(data.grades, data.items)
    tags = tag_mistakes(data.choices)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    env.filters["num"] = lambda v, d=2: "n/a" if v is None or pd.isna(v) else f"{v:.{d}f}"
    return env.get_template("class_report.html.j2").render(
        assignments=assignments, possible=possible,
        students=totals.to_dict("records"), items=items.to_dict("records"),
        mastery=mastery.to_dict("records"), tags=tags.head(15).to_dict("records"),
        queue=hand_grading_queue(data.grades).to_dict("records"),
        problems=data.problems.to_dict("records"),
        plots={"scores": _score_histogram(totals, assignments, possible),
               "difficulty": _item_scatter(items), "mastery": _mastery_bars(mastery),
               "tags": _tag_bars(tags.head(10))})


def _svg(fig, title: str) -> str:
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    return svg.replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1)


def _figure(height: float = 3.0):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(7, height))


def _score_histogram(totals, assignments, possible) -> str:
    fig, ax = _figure()
    data = [100 * totals[a].dropna() / possible[a] for a in assignments]
    ax.hist(data, bins=range(0, 105, 10), label=assignments)
    ax.set_xlabel("score (% of the assignment's points)")
    ax.set_ylabel("students")
    ax.legend(frameon=False)
    return _svg(fig, "Histogram of percent scores per assignment")


def _item_scatter(items: pd.DataFrame) -> str:
    fig, ax = _figure(3.5)
    shown = items.dropna(subset=["discrimination"])
    ax.scatter(shown["difficulty"], shown["discrimination"])
    for row in shown.itertuples():
        ax.annotate(row.item, (row.difficulty, row.discrimination), fontsize=7)
    ax.axhline(0.2, color="grey", linewidth=0.8, linestyle="--")
    ax.set_xlim(-0.05, 1.05)
    ax.set_xlabel("difficulty (share of points earned; higher is easier)")
    ax.set_ylabel("discrimination (point-biserial)")
    return _svg(fig, "Item difficulty against discrimination")


def _mastery_bars(mastery: pd.DataFrame) -> str:
    fig, ax = _figure(max(2.5, 0.3 * len(mastery)))
    ax.barh(mastery["name"], 100 * mastery["mastery"])
    ax.set_xlim(0, 100)
    ax.set_xlabel("class mastery (% of points on items practising it)")
    return _svg(fig, "Class mastery per principle")


def _tag_bars(tags: pd.DataFrame) -> str:
    fig, ax = _figure(max(2.5, 0.35 * len(tags)))
    ax.barh(tags["name"], tags["missed"], label="missed")
    ax.barh(tags["name"], tags["added"], left=tags["missed"], label="added wrongly")
    ax.invert_yaxis()
    ax.set_xlabel("times, over all critique items")
    ax.legend(frameon=False)
    return _svg(fig, "Tags most often missed or added wrongly")
