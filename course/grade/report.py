"""``python -m course grade report``: the class report and the grade exports.

:func:`write_class_report` renders ``class-report.html`` (tables and inline SVG plots, no
scripts, nothing fetched) from :mod:`course.grade.classdata` and
:mod:`course.grade.statistics`, and writes ``grades.csv`` and ``canvas-grades.csv``
(:func:`canvas_rows`), each with every submission's lateness: due date, when it was
submitted, hours late and the penalty taken off.
"""

from __future__ import annotations

import csv
import html
import io
import re
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd
from traitlets import Dict, Int, Unicode
from traitlets.config import Configurable

from ..errors import UsageError
from ..files import write_atomically
from .classdata import ClassData, load_class
from .folder import CourseFolder
from .statistics import (
    LOW_DISCRIMINATION,
    MIN_VARIANT_STUDENTS,
    UNFAIR_GAP,
    assignment_points,
    hand_grading_queue,
    item_statistics,
    percents,
    principle_mastery,
    score_distribution,
    student_mastery,
    student_totals,
    submission_status,
    tag_mistakes,
    variant_statistics,
)

__all__ = ["CANVAS_STUDENT_COLUMNS", "CanvasExport", "ReportFiles", "canvas_rows",
           "write_class_report"]

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
#: The student columns of Canvas's gradebook export, which its import reads back.
CANVAS_STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
#: What Canvas's import reads in the "Points Possible" row of a column it must not import.
CANVAS_READ_ONLY = "(read only)"


class CanvasExport(Configurable):
    """How ``canvas-grades.csv`` names assignments (set in the course's nbgrader_config.py,
    e.g. ``c.CanvasExport.assignment_ids = {"wants": 123456}``)."""

    assignment_ids = Dict(
        key_trait=Unicode(), value_trait=Int(),
        help="Canvas's id of each assignment (the number in its Canvas address, "
             ".../assignments/123456). Canvas's import matches a column headed "
             "'Title (123456)' to that assignment; without an id it matches the title, and "
             "a title Canvas does not know becomes a new assignment.").tag(config=True)
    titles = Dict(
        key_trait=Unicode(), value_trait=Unicode(),
        help="The assignment's title in Canvas, if not its title in the assignment file."
    ).tag(config=True)


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    grades_csv: Path
    canvas_csv: Path
    #: assignments canvas-grades.csv could not give a Canvas id (an import matches them
    #: by title, or creates a new assignment)
    without_canvas_id: tuple[str, ...] = ()


def canvas_rows(*, totals: pd.DataFrame, students: pd.DataFrame, points: pd.Series,
                headers: dict[str, str] | None = None,
                status: pd.DataFrame | None = None) -> list[list[str]]:
    """The rows of a CSV that Canvas's gradebook import reads (the layout of Canvas's own
    gradebook export, which the importer parses back):

    - header ``Student, ID, SIS User ID, SIS Login ID, Section``, then one column per
      assignment, headed ``headers[assignment]`` (``"Title (Canvas id)"``: Canvas matches
      the id; default: the nbgrader name); no total column (Canvas computes its own);
    - a ``Points Possible`` row with each assignment's points;
    - per student: ``Student`` = "Last, First" from the gradebook (the one name it has,
      else the nbgrader id); ``ID`` = ``lms_user_id`` (Canvas's user id) when set, else
      empty; ``SIS User ID`` empty; ``SIS Login ID`` = the nbgrader student id; ``Section``
      empty; scores rounded to 2 decimals after any late penalty; empty (Canvas leaves the
      grade as it is) when not submitted and not yet due, or while a grade waits for a
      person; 0 when missing after the due date;
    - with ``status`` (:func:`~course.grade.statistics.submission_status`), per assignment
      three more columns, marked read-only in the ``Points Possible`` row so the import
      skips them: when it was submitted (the header gives the due date), hours late, and
      the late penalty.

    Canvas matches a row by ID, then SIS User ID, then SIS Login ID, then name.
    """
    assignments = list(points.index)
    headers = headers or {}
    late = status.set_index(["student", "assignment"]) if status is not None else None
    dues: dict[str, str | None] = {} if status is None else dict(zip(
        status["assignment"], status["due"], strict=True))
    extra = []
    if late is not None:
        for a in assignments:
            due = f"; due {str(dues[a])[:16]}" if dues.get(a) else ""
            extra += [(a, "submitted", f"{a}: submitted (UTC{due})"),
                      (a, "hours_late", f"{a}: hours late"),
                      (a, "penalty", f"{a}: late penalty")]
    rows = [[*CANVAS_STUDENT_COLUMNS, *(headers.get(a, a) for a in assignments),
             *(name for _, _, name in extra)],
            ["Points Possible", "", "", "", "", *(_number(points[a]) for a in assignments),
             *([CANVAS_READ_ONLY] * len(extra))]]
    people = students.set_index("student").to_dict("index") if len(students) else {}
    for record in totals.to_dict("records"):
        student = record["student"]
        person = people.get(student, {})
        last, first = person.get("last_name") or "", person.get("first_name") or ""
        name = f"{last}, {first}" if last and first else (last or first or student)
        scores = []
        for a in assignments:
            state = None if late is None or (student, a) not in late.index else late.loc[
                (student, a), "status"]
            scores.append("" if state == "pending" else _number(record.get(a)))
        lateness = []
        for a, column, _ in extra:
            value = late.loc[(student, a), column] if late is not None else None
            if column == "submitted":
                lateness.append("" if value is None or pd.isna(value) else str(value)[:19])
            else:
                lateness.append(_number(value, 4) if late is not None and late.loc[
                    (student, a), "submitted"] is not None else "")
        rows.append([name, person.get("lms_user_id") or "", "", student, "", *scores,
                     *lateness])
    return rows


def _number(value, digits: int = 2) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{round(float(value), digits):.{digits}f}".rstrip("0").rstrip(".")


def _grades_table(totals: pd.DataFrame, status: pd.DataFrame, points: pd.Series
                  ) -> pd.DataFrame:
    """``grades.csv``: per student each assignment's score (after any late penalty; 0 if
    missing after its due date, blank if not submitted yet), its status, due date,
    submission time, hours late and penalty; then total and percent."""
    table = totals[["student"]].copy()
    by_key = status.set_index(["student", "assignment"])
    for a in points.index:
        table[a] = totals[a].round(4)
        for column, name in (("status", "status"), ("due", "due"),
                             ("submitted", "submitted"), ("hours_late", "hours late"),
                             ("penalty", "penalty")):
            values = [by_key.loc[(s, a), column] for s in totals["student"]]
            table[f"{a} {name}"] = values
    table["total"] = totals["total"].round(4)
    table["percent"] = totals["percent"].round(4)
    return table


def write_class_report(*, course_dir: Path | str, out_dir: Path | str | None = None
                       ) -> ReportFiles:
    """Write ``class-report.html``, ``grades.csv`` and ``canvas-grades.csv`` to ``out_dir``
    (default ``<course>/reports``, created if missing), each atomically.

    ``grades.csv`` has one row per student (see :func:`_grades_table`);
    ``canvas-grades.csv`` is described in :func:`canvas_rows`. Students are sorted by id,
    ignoring case.
    """
    course = CourseFolder.open(course_dir, config_required=False)
    data = load_class(course=course)
    points = assignment_points(grades=data.grades)
    assignments = data.assignments[data.assignments["assignment"].isin(points.index)]
    assignments = assignments.set_index("assignment").loc[list(points.index)].reset_index()
    roster = set(data.students["student"]) | set(data.submissions["student"])
    status = submission_status(submissions=data.submissions, assignments=assignments,
                               students=roster, now=time.strftime("%Y-%m-%d %H:%M:%S",
                                                                  time.gmtime()))
    missing = [(str(s), str(a)) for s, a, st in zip(
        status["student"], status["assignment"], status["status"], strict=True)
        if st == "missing"]
    totals = student_totals(grades=data.grades, penalties=data.submissions,
                            students=roster, missing=missing)
    grades_text = _grades_table(totals, status, points).to_csv(index=False,
                                                               lineterminator="\r\n")
    canvas = CanvasExport(config=course.config)
    titles = dict(zip(assignments["assignment"], assignments["title"], strict=True))
    headers = {}
    for a in points.index:
        title = canvas.titles.get(a) or titles.get(a) or a
        canvas_id = canvas.assignment_ids.get(a)
        headers[a] = f"{title} ({canvas_id})" if canvas_id else title
    rows = canvas_rows(totals=totals, students=data.students, points=points,
                       headers=headers, status=status)
    page = _render(data, totals, points, status)
    out = Path(out_dir).expanduser() if out_dir else course.reports_dir
    try:
        out.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise UsageError(f"{out} is a file, not a folder for the report") from None
    files = ReportFiles(out / "class-report.html", out / "grades.csv",
                        out / "canvas-grades.csv",
                        tuple(a for a in points.index if a not in canvas.assignment_ids))
    write_atomically(files.grades_csv, lambda f: f.write(grades_text))
    write_atomically(files.canvas_csv, lambda f: csv.writer(f).writerows(rows))
    write_atomically(files.html, lambda f: f.write(page))
    return files


def _render(data: ClassData, totals: pd.DataFrame, points: pd.Series,
            status: pd.DataFrame) -> str:
    items = item_statistics(grades=data.grades).merge(
        data.items[["assignment", "item", "number", "label"]], how="left",
        on=["assignment", "item"])
    items["order"] = [list(points.index).index(a) for a in items["assignment"]]
    items = items.sort_values(["order", "number"], kind="stable")
    items["label"] = items["label"].fillna(items["item"])
    labels = dict(zip(zip(items["assignment"], items["item"], strict=True), items["label"],
                      strict=True))
    mastery = principle_mastery(grades=data.grades, items=data.items)
    per_student = student_mastery(grades=data.grades, items=data.items)
    tags = tag_mistakes(choices=data.choices)
    queue = hand_grading_queue(grades=data.grades)
    queue["label"] = [labels.get((a, i), i) for a, i in zip(queue["assignment"], queue["item"],
                                                           strict=True)]
    marks = {(r.student, r.assignment): r for r in status.itertuples()}
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = lambda v, d=2: "n/a" if v is None or pd.isna(v) else f"{v:.{d}f}"
    short = len(points) > 1
    return env.get_template("class_report.html.j2").render(
        assignments=list(points.index), points=points.to_dict(),
        dues=dict(zip(status["assignment"], status["due"], strict=True)),
        distribution=score_distribution(totals=totals, points=points).to_dict("records"),
        students=totals.to_dict("records"), marks=marks,
        late=status[status["hours_late"] > 0].to_dict("records"),
        items=items.to_dict("records"), low=LOW_DISCRIMINATION,
        mastery=mastery.to_dict("records"), student_mastery=per_student.to_dict("records"),
        tags=tags.head(15).to_dict("records"),
        unfair_gap=UNFAIR_GAP, min_variant_students=MIN_VARIANT_STUDENTS,
        variants=variant_statistics(grades=data.grades, variants=data.variants).to_dict(
            "records"),
        queue=queue.to_dict("records"),
        problems=data.problems.to_dict("records"),
        plots={"scores": _score_histogram(totals, points),
               "items": _item_scatter(items, with_assignment=short),
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


def _item_scatter(items: pd.DataFrame, *, with_assignment: bool) -> str:
    fig, ax = _figure(3.5)
    shown = items.dropna(subset=["difficulty", "discrimination"])
    if shown.empty:
        _empty(ax, "No item has a defined discrimination yet (3+ students with spread).")
    else:
        ax.scatter(shown["difficulty"], shown["discrimination"])
        for row in shown.to_dict("records"):
            number = row.get("number")
            name = f"Q{int(number)}" if isinstance(number, (int, float)) and number == number \
                else str(row["item"])
            name = f"{row['assignment']} {name}" if with_assignment else name
            ax.annotate(name, (row["difficulty"], row["discrimination"]), fontsize=7)
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
