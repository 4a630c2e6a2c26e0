"""``python -m course grade report``: the class report and the grade exports.

:func:`write_class_report` renders ``class-report.html`` (tables and inline SVG plots, no
scripts, nothing fetched) from :mod:`course.grade.classdata` and
:mod:`course.grade.statistics`, and writes ``grades.csv`` and ``canvas-grades.csv``
(:func:`canvas_rows`).
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd

from ..errors import UsageError
from ..files import write_atomically
from .classdata import ClassData, load_class
from .folder import CourseFolder
from .statistics import (
    LOW_DISCRIMINATION,
    UNFAIR_GAP,
    assignment_points,
    hand_grading_queue,
    item_statistics,
    percents,
    principle_mastery,
    score_distribution,
    student_mastery,
    student_totals,
    tag_mistakes,
    variant_statistics,
)

__all__ = ["CANVAS_STUDENT_COLUMNS", "ReportFiles", "canvas_rows", "write_class_report"]

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
#: The student columns of Canvas's gradebook export, which its import reads back.
CANVAS_STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    grades_csv: Path
    canvas_csv: Path


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


def write_class_report(*, course_dir: Path | str, out_dir: Path | str | None = None
                       ) -> ReportFiles:
    """Write ``class-report.html``, ``grades.csv`` and ``canvas-grades.csv`` to ``out_dir``
    (default ``<course>/reports``, created if missing), each atomically.

    ``grades.csv`` has one row per student: student, each assignment's score, total and
    percent (see :func:`student_totals`); ``canvas-grades.csv`` is described in
    :func:`canvas_rows`.
    """
    course = CourseFolder.open(course_dir, config_required=False)
    data = load_class(course=course)
    points = assignment_points(grades=data.grades)
    totals = student_totals(grades=data.grades, penalties=data.penalties,
                            students=data.students["student"])
    columns = ["student", *points.index, "total", "percent"]
    grades_text = totals[columns].round(4).to_csv(index=False, lineterminator="\r\n")
    canvas = canvas_rows(totals=totals, students=data.students, points=points)
    page = _render(data, totals, points)
    out = Path(out_dir).expanduser() if out_dir else course.reports_dir
    try:
        out.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise UsageError(f"{out} is a file, not a folder for the report") from None
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
        unfair_gap=UNFAIR_GAP,
        variants=variant_statistics(grades=data.grades, variants=data.variants).to_dict(
            "records"),
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
    data = [percents(totals, a, p) for a, p in points.items()]
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
