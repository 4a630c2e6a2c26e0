"""``python -m course grade report``: class analytics of the gradebook, and grade exports.

:func:`load_class` reads a course folder into pandas frames (the gradebook's grades, the
keys' items and principles, the tags students ticked on critique items, the problems a
grading run recorded); it opens the gradebook read-only. Pure functions turn those frames
into the tables the report shows: totals, score distributions, item difficulty and
discrimination, mastery per principle, the tags most often missed or added wrongly and
the hand-grading queue. :func:`write_class_report` renders ``class-report.html`` (tables
and inline SVG plots, no scripts, nothing fetched) and writes ``grades.csv`` and
``canvas-grades.csv``.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2
import pandas as pd

from .answers import read_submission_answers
from .assignments import Assignment, load_assignment
from .batch import write_atomically
from .errors import CourseError
from .knowledge import load_knowledge

__all__ = [
    "CANVAS_STUDENT_COLUMNS",
    "ClassData",
    "ReportFiles",
    "assignment_points",
    "canvas_rows",
    "hand_grading_queue",
    "item_statistics",
    "load_class",
    "principle_mastery",
    "score_distribution",
    "student_mastery",
    "student_totals",
    "tag_mistakes",
    "write_class_report",
]

TEMPLATES = Path(__file__).parent / "templates"
#: The student columns of Canvas's gradebook export, which its import reads back.
CANVAS_STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
LOW_DISCRIMINATION = 0.2  # below this an item separates strong and weak students poorly


@dataclass(frozen=True)
class ClassData:
    """A course's grading data, one frame each.

    ``grades``: assignment, student, item, kind, score, points, needs_manual_grade.
    ``items``: assignment, item, kind, points, principles (tuple of ids).
    ``choices``: assignment, student, item, tag, chosen, in_key (critique items only).
    ``students``: student, first_name, last_name, lms_user_id (every gradebook student).
    ``penalties``: assignment, student, penalty (nbgrader's late-submission penalty).
    ``problems``: assignment, student, problem (from ``grade-runs/``).
    """

    grades: pd.DataFrame
    items: pd.DataFrame
    choices: pd.DataFrame
    students: pd.DataFrame
    penalties: pd.DataFrame
    problems: pd.DataFrame


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    grades_csv: Path
    canvas_csv: Path


# --- loading ------------------------------------------------------------------------------

def load_class(*, course_dir: Path | str) -> ClassData:
    """Read the gradebook (read-only), the keys, saved critique answers and run records.

    Raises :class:`CourseError` for a missing or unreadable gradebook, one without a
    graded submission, or a graded assignment without its key in ``keys/``.
    """
    course = Path(course_dir).expanduser().resolve()
    grades, penalties, students = _read_gradebook(course / "gradebook.db")
    keys = {a: _key(course, a) for a in grades["assignment"].unique()}
    items = pd.DataFrame([row for a, key in keys.items() for row in _item_rows(a, key)],
                         columns=["assignment", "item", "kind", "points", "principles"])
    grades = grades.merge(items[["assignment", "item", "kind"]], how="left",
                          on=["assignment", "item"]).fillna({"kind": "unknown"})
    choices = pd.DataFrame(
        [row for a, s in zip(penalties["assignment"], penalties["student"], strict=True)
         for row in _choice_rows(course, a, s, keys[a])],
        columns=["assignment", "student", "item", "tag", "chosen", "in_key"])
    return ClassData(grades=grades, items=items, choices=choices, students=students,
                     penalties=penalties, problems=_problems(course))


def _read_gradebook(db: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from nbgrader.api import Gradebook
    from sqlalchemy.engine import URL
    from sqlalchemy.exc import SQLAlchemyError

    if not db.is_file():
        raise CourseError(f"no gradebook at {db}: run `python -m course grade run "
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
        raise CourseError(f"{db}: not a readable nbgrader gradebook ({reason})") from None
    if not grades:
        raise CourseError(f"{db} holds no graded submission yet: run `python -m course grade "
                          "run ASSIGNMENT` first")
    return (pd.DataFrame(grades), pd.DataFrame(submissions),
            pd.DataFrame(students, columns=["student", "first_name", "last_name",
                                            "lms_user_id"]))


def _key(course: Path, assignment: str) -> Assignment:
    path = course / "keys" / f"{assignment}.yaml"
    if not path.is_file():
        raise CourseError(f"no answer key {path} for assignment {assignment!r} in the "
                          f"gradebook: copy grading/assignments/{assignment}.yaml there")
    return load_assignment(path)


def _item_rows(assignment: str, key: Assignment) -> list[dict]:
    rows = [{"assignment": assignment, "item": i.id, "kind": i.kind, "points": float(i.points),
             "principles": tuple(i.principles)} for i in key.items.values()]
    rows += [{"assignment": assignment, "item": t["id"], "kind": "code",
              "points": float(t["points"]), "principles": tuple(t.get("principles", ()))}
             for t in key.code_tasks]
    return rows


def _choice_rows(course: Path, assignment: str, student: str, key: Assignment) -> list[dict]:
    folder = course / "submitted" / student / assignment
    if not folder.is_dir():  # nothing to read: not counted as missing every tag
        return []
    answers = read_submission_answers(folder, folder / f"{assignment}.ipynb")
    rows = []
    for item in key.items.values():
        if item.kind != "critique":
            continue
        chosen = (answers.get(item.id) or {}).get("answer")
        chosen = {t for t in chosen if isinstance(t, str)} if isinstance(chosen, list) else set()
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
            record = None
        if not isinstance(record, dict):
            record = {"problems": [f"grading record {path.name} is unreadable"]}
        problems = record.get("problems") or []
        rows += [{"assignment": str(record.get("assignment") or path.parent.name),
                  "student": str(record.get("student") or path.stem), "problem": str(p)}
                 for p in (problems if isinstance(problems, list) else [problems])]
    return pd.DataFrame(rows, columns=["assignment", "student", "problem"])


# --- analytics (frames in, frames out) ----------------------------------------------------

def assignment_points(*, grades: pd.DataFrame) -> pd.Series:
    """Points possible per assignment: the sum of its items' points, in gradebook order."""
    per_item = grades.groupby(["assignment", "item"], sort=False)["points"].max()
    return per_item.groupby(level="assignment", sort=False).sum()


def student_totals(*, grades: pd.DataFrame, penalties: pd.DataFrame | None = None,
                   students=()) -> pd.DataFrame:
    """One row per student: each assignment's score, then total, possible and percent.

    A late ``penalty`` (assignment, student, penalty) is taken off that assignment's
    score, never below 0, as ``nbgrader export`` does. An assignment a student did not
    submit is empty (NaN) and counts 0 in the total; ``possible`` is every assignment's
    points. ``students`` adds roster students who submitted nothing.
    """
    points = assignment_points(grades=grades)
    scores = grades.groupby(["student", "assignment"])["score"].sum()
    if penalties is not None and len(penalties):
        late = penalties.set_index(["student", "assignment"])["penalty"]
        scores = (scores - late.reindex(scores.index).fillna(0)).clip(lower=0)
    table = scores.unstack("assignment").reindex(columns=points.index)
    table = table.reindex(sorted(set(table.index) | set(students)))
    table["total"] = table[list(points.index)].sum(axis=1)
    table["possible"] = float(points.sum())
    table["percent"] = 100 * table["total"] / table["possible"].where(table["possible"] > 0)
    table.index.name, table.columns.name = "student", None
    return table.reset_index()


def score_distribution(*, totals: pd.DataFrame, points: pd.Series) -> pd.DataFrame:
    """Per assignment: how many submitted, and the mean, median, min and max percent."""
    rows = []
    for assignment, possible in points.items():
        percent = _percents(totals, assignment, possible)
        rows.append({"assignment": assignment, "points": float(possible),
                     "students": len(percent), "mean": percent.mean(),
                     "median": percent.median(), "min": percent.min(), "max": percent.max()})
    return pd.DataFrame(rows, columns=["assignment", "points", "students", "mean", "median",
                                       "min", "max"])


def _percents(totals: pd.DataFrame, assignment: str, possible: float) -> pd.Series:
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
    return queue[["assignment", "student", "item", "points"]].sort_values(
        ["assignment", "student", "item"]).reset_index(drop=True)


def canvas_rows(*, totals: pd.DataFrame, students: pd.DataFrame,
                points: pd.Series) -> list[list[str]]:
    """The rows of a CSV that Canvas's gradebook import reads (the layout of Canvas's own
    gradebook export, which the importer parses back):

    - header ``Student, ID, SIS User ID, SIS Login ID, Section``, then one column per
      assignment, named as in nbgrader (a name Canvas does not know creates a new
      assignment on import); no total column (Canvas computes its own);
    - a ``Points Possible`` row with each assignment's points;
    - per student: ``Student`` = "Last, First" from the gradebook (the one name it has,
      else the nbgrader id); ``ID`` = ``lms_user_id`` (Canvas's user id) when set, else
      empty; ``SIS User ID`` empty; ``SIS Login ID`` = the nbgrader student id; ``Section``
      empty; scores rounded to 2 decimals, empty when not submitted (Canvas leaves those
      grades unchanged).

    Canvas matches a row by ID, then SIS User ID, then SIS Login ID, then name.
    """
    assignments = list(points.index)
    rows = [[*CANVAS_STUDENT_COLUMNS, *assignments],
            ["Points Possible", "", "", "", "", *(_number(points[a]) for a in assignments)]]
    people = students.set_index("student").to_dict("index") if len(students) else {}
    for record in totals.to_dict("records"):
        student = record["student"]
        person = people.get(student, {})
        last, first = person.get("last_name") or "", person.get("first_name") or ""
        name = f"{last}, {first}" if last and first else (last or first or student)
        rows.append([name, person.get("lms_user_id") or "", "", student, "",
                     *(_number(record.get(a)) for a in assignments)])
    return rows


def _number(value) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{round(float(value), 2):.2f}".rstrip("0").rstrip(".")


# --- writing ------------------------------------------------------------------------------

def write_class_report(*, course_dir: Path | str, out_dir: Path | str | None = None
                       ) -> ReportFiles:
    """Write ``class-report.html``, ``grades.csv`` and ``canvas-grades.csv`` to ``out_dir``
    (default ``<course>/reports``, created if missing), each atomically.

    ``grades.csv`` has one row per student: student, each assignment's score, total and
    percent (see :func:`student_totals`); ``canvas-grades.csv`` is described in
    :func:`canvas_rows`.
    """
    course = Path(course_dir).expanduser().resolve()
    data = load_class(course_dir=course)
    points = assignment_points(grades=data.grades)
    totals = student_totals(grades=data.grades, penalties=data.penalties,
                            students=data.students["student"])
    columns = ["student", *points.index, "total", "percent"]
    grades_text = totals[columns].round(4).to_csv(index=False, lineterminator="\r\n")
    canvas = canvas_rows(totals=totals, students=data.students, points=points)
    page = _render(data, totals, points)
    out = Path(out_dir).expanduser() if out_dir else course / "reports"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise CourseError(f"{out} is a file, not a folder for the report") from None
    files = ReportFiles(out / "class-report.html", out / "grades.csv",
                        out / "canvas-grades.csv")
    write_atomically(files.grades_csv, lambda f: f.write(grades_text))
    write_atomically(files.canvas_csv, lambda f: csv.writer(f).writerows(canvas))
    write_atomically(files.html, lambda f: f.write(page))
    return files


def _render(data: ClassData, totals: pd.DataFrame, points: pd.Series) -> str:
    items = item_statistics(grades=data.grades)
    mastery = principle_mastery(grades=data.grades, items=data.items)
    per_student = student_mastery(grades=data.grades, items=data.items)
    tags = tag_mistakes(choices=data.choices)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = lambda v, d=2: "n/a" if v is None or pd.isna(v) else f"{v:.{d}f}"
    return env.get_template("class_report.html.j2").render(
        assignments=list(points.index), points=points.to_dict(),
        distribution=score_distribution(totals=totals, points=points).to_dict("records"),
        students=totals.to_dict("records"),
        items=items.sort_values("difficulty").to_dict("records"), low=LOW_DISCRIMINATION,
        mastery=mastery.to_dict("records"), student_mastery=per_student.to_dict("records"),
        tags=tags.head(15).to_dict("records"),
        queue=hand_grading_queue(grades=data.grades).to_dict("records"),
        problems=data.problems.to_dict("records"),
        plots={"scores": _score_histogram(totals, points), "items": _item_scatter(items),
               "mastery": _mastery_bars(mastery), "tags": _tag_bars(tags.head(10))})


# --- plots: matplotlib figures (no pyplot, no global backend) as inline SVG ----------------

def _figure(height: float = 3.0):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, height))
    return fig, fig.subplots()


def _svg(fig, name: str, title: str) -> str:
    """The figure as an ``<svg>`` element to inline: a ``<title>`` for screen readers, ids
    prefixed with ``name`` so several plots never share one, stable output."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": name}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'(\sid="|url\(#|href="#)', rf"\g<1>{name}-", svg)
    opening = svg.index(">") + 1
    return (f'<svg role="img" aria-labelledby="{name}-title"{svg[4:opening]}\n'
            f'<title id="{name}-title">{html.escape(title)}</title>{svg[opening:]}')


def _empty(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


def _score_histogram(totals: pd.DataFrame, points: pd.Series) -> str:
    from matplotlib.ticker import MaxNLocator

    fig, ax = _figure()
    data = [_percents(totals, a, p) for a, p in points.items()]
    ax.hist(data, bins=range(0, 110, 10), label=list(points.index))
    ax.set_xlabel("score (% of the assignment's points)")
    ax.set_ylabel("students")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(frameon=False)
    return _svg(fig, "plot-scores", "Histogram of percent scores per assignment")


def _item_scatter(items: pd.DataFrame) -> str:
    fig, ax = _figure(3.5)
    shown = items.dropna(subset=["difficulty", "discrimination"])
    if shown.empty:
        _empty(ax, "No item has a defined discrimination yet (3+ students with spread).")
    else:
        ax.scatter(shown["difficulty"], shown["discrimination"])
        for row in shown.itertuples():
            ax.annotate(row.item, (row.difficulty, row.discrimination), fontsize=7)
        ax.axhline(LOW_DISCRIMINATION, color="grey", linewidth=0.8, linestyle="--")
        ax.set_xlim(-0.05, 1.05)
        ax.set_xlabel("difficulty (share of points earned; higher is easier)")
        ax.set_ylabel("discrimination (point-biserial)")
    return _svg(fig, "plot-items", "Item difficulty against discrimination")


def _mastery_bars(mastery: pd.DataFrame) -> str:
    fig, ax = _figure(max(2.5, 0.3 * len(mastery)))
    if mastery.empty:
        _empty(ax, "No graded item names a principle.")
    else:
        ax.barh(mastery["name"], 100 * mastery["mastery"].fillna(0))
        ax.invert_yaxis()  # weakest on top, as in the table
        ax.set_xlim(0, 100)
        ax.set_xlabel("class mastery (% of points on the items practising it)")
    return _svg(fig, "plot-mastery", "Class mastery per principle, weakest first")


def _tag_bars(tags: pd.DataFrame) -> str:
    from matplotlib.ticker import MaxNLocator

    fig, ax = _figure(max(2.5, 0.35 * len(tags)))
    if tags.empty:
        _empty(ax, "No critique answers were read.")
    else:
        ax.barh(tags["name"], tags["missed"], label="missed")
        ax.barh(tags["name"], tags["added"], left=tags["missed"], label="added wrongly")
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("times, over all critique items")
        ax.legend(frameon=False)
    return _svg(fig, "plot-tags", "Critique tags most often missed or added wrongly")
