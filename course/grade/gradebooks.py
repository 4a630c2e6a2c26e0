"""One writer for the gradebook: parallel workers grade into private copies, and each
finished submission is merged into the course gradebook in a single transaction, keeping
everything a person wrote.

SQLite is not safe for many concurrent writers, and nbgrader commits after every graded
cell. So a worker never writes ``gradebook.db``: it grades into a copy of a *template*
(the course gradebook with its assignments, notebooks and cells but no submissions),
seeded with the one submission it grades as the course gradebook holds it (hand grades,
comments and extra credit included), so nbgrader updates it exactly as ``nbgrader
autograde`` updates the course gradebook. The grading process then merges the worker's
rows into the course gradebook *in place*, inside one transaction: the automatic parts
(``auto_score``, ``auto_comment``, whether a person must look again, the late penalty,
the timestamp) come from the worker; the parts a person writes in the formgrader
(``manual_score``, ``extra_credit``, ``manual_comment``, ``flagged``) stay as the course
gradebook holds them, even if someone changed them while the run went on.

The course keeps three small tables of its own in the gradebook (nbgrader ignores them):

- ``course_graded_item``: per graded cell of a submission, a fingerprint of the key it
  was graded with and of the answer a person graded (:mod:`course.grade.preprocessors`
  writes them), so a changed key is noticed and a hand grade whose answer changed is
  flagged for regrading;
- ``course_pending``: submissions a run set out to grade and has not merged yet, so an
  interrupted run (forced or not) is finished by the next one;
- ``course_feedback``: the state of the gradebook each feedback page was written from,
  so a page that no longer matches (a hand grade given since) is written again.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

from ..errors import GradingError

__all__ = [
    "COURSE_TABLES",
    "check_gradebook",
    "connect",
    "ensure_course_tables",
    "feedback_state",
    "graded_items",
    "graded_submissions",
    "item_records",
    "make_template",
    "mark_pending",
    "merge_submission",
    "pending_students",
    "record_feedback",
    "scratch_gradebooks",
    "sqlite_path",
    "stale_feedback",
    "worker_copy",
    "write_item_records",
]

#: nbgrader's submission tables, parents first.
SUBMISSION_TABLES = ("submitted_assignment", "submitted_notebook", "grade", "comment")
BUSY_SECONDS = 60  # wait this long for a formgrader or another reader to let go
#: The course's own tables (see the module's docstring).
COURSE_TABLES = {
    "course_graded_item": "assignment TEXT NOT NULL, student TEXT NOT NULL, "
                          "notebook TEXT NOT NULL, item TEXT NOT NULL, key_print TEXT, "
                          "answer_print TEXT, "
                          "PRIMARY KEY (assignment, student, notebook, item)",
    "course_pending": "assignment TEXT NOT NULL, student TEXT NOT NULL, reason TEXT, "
                      "PRIMARY KEY (assignment, student)",
    "course_feedback": "assignment TEXT NOT NULL, student TEXT NOT NULL, "
                       "state TEXT NOT NULL, PRIMARY KEY (assignment, student)",
}


_scratch = False


def scratch_gradebooks() -> None:
    """In a grading worker: every gradebook this process writes is a private scratch copy
    (the course gradebook is only read, for seeding), so commits need not reach the disk
    before going on (``PRAGMA synchronous = OFF``)."""
    global _scratch
    _scratch = True


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), foreign keys on."""
    connection = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    if _scratch:
        connection.execute("PRAGMA synchronous = OFF")
    return connection


def ensure_course_tables(db: sqlite3.Connection, schema: str = "main") -> None:
    for table, columns in COURSE_TABLES.items():
        db.execute(f"CREATE TABLE IF NOT EXISTS {schema}.{table} ({columns})")


def check_gradebook(path: Path) -> None:
    """Raise a one-line :class:`GradingError` if ``path`` is not a whole SQLite gradebook."""
    if not path.is_file():
        return
    advice = "restore it from a backup (or move it aside to start a new one)"
    try:
        with closing(sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True,
                                     timeout=BUSY_SECONDS)) as db:
            problems = [row[0] for row in db.execute("PRAGMA quick_check")]
            tables = {row[0] for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise GradingError(f"{path} is not a readable nbgrader gradebook: it is damaged "
                           f"({exc}); {advice}") from None
    if problems != ["ok"]:
        raise GradingError(f"{path} is not a readable nbgrader gradebook: it fails SQLite's "
                           f"integrity check ({problems[0]}); {advice}")
    missing = {"assignment", "submitted_assignment", "grade"} - tables
    if missing:
        raise GradingError(f"{path} is not a readable nbgrader gradebook (it has no table "
                           f"{sorted(missing)[0]}); {advice}")


def make_template(*, gradebook: Path, template: Path) -> Path:
    """Copy ``gradebook`` to ``template`` without any submission (a consistent snapshot,
    taken with SQLite's backup API even if the formgrader is reading)."""
    template.unlink(missing_ok=True)
    with closing(connect(gradebook)) as source, closing(connect(template)) as target:
        source.backup(target)
        ensure_course_tables(target)
        target.execute("BEGIN")
        for table in (*reversed(SUBMISSION_TABLES), *COURSE_TABLES):
            target.execute(f"DELETE FROM {table}")
        target.execute("COMMIT")
        target.execute("VACUUM")
    return template


def _submission_id(db: sqlite3.Connection, schema: str, assignment: str,
                   student: str) -> str | None:
    row = db.execute(
        f"SELECT s.id FROM {schema}.submitted_assignment s "
        f"JOIN {schema}.assignment a ON a.id = s.assignment_id "
        "WHERE a.name = ? AND s.student_id = ?", (assignment, student)).fetchone()
    return row[0] if row else None


def _notebook_filter(column: str, schema: str) -> str:
    return f"{column} IN (SELECT id FROM {schema}.submitted_notebook WHERE assignment_id = ?)"


def worker_copy(*, template: Path, target: Path, gradebook: Path | None = None,
                assignment: str = "", student: str = "") -> str:
    """A private gradebook for grading ``student``'s submission of ``assignment``: the
    template, plus that submission as ``gradebook`` holds it now (if it does). Returns its
    SQLAlchemy URL."""
    shutil.copyfile(template, target)
    if gradebook is not None and gradebook.is_file():
        with closing(connect(target)) as db:
            db.execute("ATTACH DATABASE ? AS m", (str(gradebook),))
            try:
                ensure_course_tables(db)
                db.execute("BEGIN")
                _copy_submission(db, "m", "main", assignment, student)
                db.execute("COMMIT")
            finally:
                db.execute("DETACH DATABASE m")
    return f"sqlite:///{target}"


def _course_rows_exist(db: sqlite3.Connection, schema: str) -> bool:
    return db.execute(f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table' "
                      "AND name = 'course_graded_item'").fetchone() is not None


def _copy_submission(db: sqlite3.Connection, source: str, target: str, assignment: str,
                     student: str) -> None:
    """Copy a whole submission, rows and ids as they are, from ``source`` to ``target``."""
    found = _submission_id(db, source, assignment, student)
    if found is None:
        return
    db.execute(f"INSERT OR IGNORE INTO {target}.student SELECT * FROM {source}.student "
               "WHERE id = ?", (student,))
    db.execute(f"INSERT INTO {target}.submitted_assignment SELECT * FROM "
               f"{source}.submitted_assignment WHERE id = ?", (found,))
    db.execute(f"INSERT INTO {target}.submitted_notebook SELECT * FROM "
               f"{source}.submitted_notebook WHERE assignment_id = ?", (found,))
    for table in ("grade", "comment"):
        db.execute(f"INSERT INTO {target}.{table} SELECT * FROM {source}.{table} WHERE "
                   + _notebook_filter("notebook_id", source), (found,))
    if _course_rows_exist(db, source):
        db.execute(f"INSERT INTO {target}.course_graded_item SELECT * FROM "
                   f"{source}.course_graded_item WHERE assignment = ? AND student = ?",
                   (assignment, student))


def merge_submission(*, gradebook: Path, worker: Path, assignment: str, student: str) -> None:
    """Merge ``student``'s graded submission of ``assignment`` from ``worker`` into
    ``gradebook`` in one transaction: all of it lands or none of it does. What a person
    wrote in ``gradebook`` (manual scores, extra credit, comments, flags) is kept."""
    with closing(connect(gradebook)) as db:
        db.execute("ATTACH DATABASE ? AS w", (str(worker),))
        try:
            new = _submission_id(db, "w", assignment, student)
            if new is None:
                raise GradingError(f"{worker} holds no graded submission of {assignment!r} "
                                   f"by {student!r}")
            db.execute("BEGIN IMMEDIATE")
            try:
                ensure_course_tables(db)
                old = _submission_id(db, "main", assignment, student)
                if old is None:
                    _copy_submission(db, "w", "main", assignment, student)
                else:
                    _update_submission(db, old, new)
                    db.execute("DELETE FROM main.course_graded_item WHERE assignment = ? "
                               "AND student = ?", (assignment, student))
                    if _course_rows_exist(db, "w"):
                        db.execute("INSERT INTO main.course_graded_item SELECT * FROM "
                                   "w.course_graded_item WHERE assignment = ? AND student = ?",
                                   (assignment, student))
                if _course_rows_exist(db, "w"):
                    db.execute("INSERT OR REPLACE INTO main.course_feedback SELECT * FROM "
                               "w.course_feedback WHERE assignment = ? AND student = ?",
                               (assignment, student))
                db.execute("DELETE FROM main.course_pending WHERE assignment = ? AND "
                           "student = ?", (assignment, student))
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:  # COMMIT may have finished before an interrupt
                    db.execute("ROLLBACK")
                raise
        finally:
            db.execute("DETACH DATABASE w")


def _update_submission(db: sqlite3.Connection, old: str, new: str) -> None:
    """Bring submission ``old`` in main up to date with ``new`` in w, row by row, matched
    by notebook and cell; rows main lacks are added."""
    db.execute("UPDATE main.submitted_assignment SET timestamp = w.timestamp "
               "FROM w.submitted_assignment AS w WHERE main.submitted_assignment.id = ? "
               "AND w.id = ?", (old, new))
    for worker_nb, notebook_id in db.execute(
            "SELECT id, notebook_id FROM w.submitted_notebook WHERE assignment_id = ?",
            (new,)).fetchall():
        row = db.execute("SELECT id FROM main.submitted_notebook WHERE assignment_id = ? "
                         "AND notebook_id = ?", (old, notebook_id)).fetchone()
        if row is None:
            db.execute("INSERT INTO main.submitted_notebook (id, assignment_id, notebook_id, "
                       "flagged, late_submission_penalty) SELECT id, ?, notebook_id, flagged, "
                       "late_submission_penalty FROM w.submitted_notebook WHERE id = ?",
                       (old, worker_nb))
            main_nb = worker_nb
        else:
            main_nb = row[0]
            db.execute("UPDATE main.submitted_notebook SET late_submission_penalty = "
                       "w.late_submission_penalty FROM w.submitted_notebook AS w "
                       "WHERE main.submitted_notebook.id = ? AND w.id = ?", (main_nb, worker_nb))
        # A person's grade changed during the run: their flag stands, not the worker's.
        db.execute("""UPDATE main.grade SET auto_score = w.auto_score,
                   needs_manual_grade = CASE WHEN main.grade.manual_score IS w.manual_score
                       AND main.grade.extra_credit IS w.extra_credit THEN w.needs_manual_grade
                       ELSE main.grade.needs_manual_grade END
                   FROM w.grade AS w WHERE main.grade.notebook_id = ? AND w.notebook_id = ?
                   AND main.grade.cell_id = w.cell_id""", (main_nb, worker_nb))
        db.execute("""UPDATE main.comment SET auto_comment = w.auto_comment
                   FROM w.comment AS w WHERE main.comment.notebook_id = ? AND
                   w.notebook_id = ? AND main.comment.cell_id = w.cell_id""",
                   (main_nb, worker_nb))
        for table, columns in (("grade", "auto_score, manual_score, extra_credit, "
                                         "needs_manual_grade"),
                               ("comment", "auto_comment, manual_comment")):
            db.execute(f"INSERT INTO main.{table} (id, notebook_id, cell_id, {columns}) "
                       f"SELECT id, ?, cell_id, {columns} FROM w.{table} AS w "
                       f"WHERE w.notebook_id = ? AND w.cell_id NOT IN "
                       f"(SELECT cell_id FROM main.{table} WHERE notebook_id = ?)",
                       (main_nb, worker_nb, main_nb))


# --- what the gradebook says about an assignment's submissions ---------------------------

def _read(gradebook: Path, query: str, args: tuple) -> list[tuple]:
    if not gradebook.is_file():
        return []
    with closing(connect(gradebook)) as db:
        ensure_course_tables(db)
        return db.execute(query, args).fetchall()


def graded_submissions(*, gradebook: Path, assignment: str) -> dict[str, str | None]:
    """Students whose submission of ``assignment`` the gradebook holds, with its
    timestamp as nbgrader stored it."""
    return dict(_read(gradebook, "SELECT s.student_id, s.timestamp FROM submitted_assignment s "
                                 "JOIN assignment a ON a.id = s.assignment_id WHERE a.name = ?",
                      (assignment,)))


def graded_items(*, gradebook: Path, assignment: str) -> dict[str, dict[str, str | None]]:
    """Per student: the key fingerprint each graded item was last graded with."""
    found: dict[str, dict[str, str | None]] = {}
    for student, item, key_print in _read(
            gradebook, "SELECT student, item, key_print FROM course_graded_item "
                       "WHERE assignment = ?", (assignment,)):
        found.setdefault(student, {})[item] = key_print
    return found


def pending_students(*, gradebook: Path, assignment: str) -> dict[str, str]:
    """Students a run set out to grade and did not merge, with why it meant to."""
    return dict(_read(gradebook, "SELECT student, reason FROM course_pending "
                                 "WHERE assignment = ?", (assignment,)))


def mark_pending(*, gradebook: Path, assignment: str, reasons: dict[str, str]) -> None:
    """Record, in one transaction, that ``reasons``' students are to be (re)graded."""
    with closing(connect(gradebook)) as db:
        ensure_course_tables(db)
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT OR REPLACE INTO course_pending VALUES (?, ?, ?)",
                       [(assignment, s, why) for s, why in reasons.items()])
        db.execute("COMMIT")


# --- feedback: which pages no longer match the gradebook ---------------------------------

def feedback_state(db: sqlite3.Connection, assignment: str, student: str,
                   schema: str = "main") -> str | None:
    """A fingerprint of everything a feedback page shows from the gradebook: each grade
    and comment, the flags, the late penalty and the timestamp. ``None``: no submission."""
    found = _submission_id(db, schema, assignment, student)
    if found is None:
        return None
    rows: list = list(db.execute(
        f"SELECT timestamp, extension FROM {schema}.submitted_assignment WHERE id = ?",
        (found,)))
    rows += db.execute(
        f"SELECT n.notebook_id, n.late_submission_penalty FROM {schema}.submitted_notebook n "
        "WHERE n.assignment_id = ? ORDER BY n.notebook_id", (found,)).fetchall()
    rows += db.execute(
        f"SELECT g.cell_id, g.auto_score, g.manual_score, g.extra_credit, "
        f"g.needs_manual_grade FROM {schema}.grade g WHERE "
        + _notebook_filter("g.notebook_id", schema) + " ORDER BY g.cell_id", (found,)).fetchall()
    rows += db.execute(
        f"SELECT c.cell_id, c.auto_comment, c.manual_comment FROM {schema}.comment c WHERE "
        + _notebook_filter("c.notebook_id", schema) + " ORDER BY c.cell_id", (found,)).fetchall()
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()


def record_feedback(*, gradebook: Path, assignment: str, student: str) -> None:
    """Note that ``student``'s feedback was just written from the gradebook as it is."""
    with closing(connect(gradebook)) as db:
        ensure_course_tables(db)
        db.execute("BEGIN IMMEDIATE")
        state = feedback_state(db, assignment, student)
        if state is not None:
            db.execute("INSERT OR REPLACE INTO course_feedback VALUES (?, ?, ?)",
                       (assignment, student, state))
        db.execute("COMMIT")


def stale_feedback(*, gradebook: Path, assignment: str,
                   students: Iterable[str] | None = None) -> list[str]:
    """Students of ``assignment`` (all graded ones, or ``students``) whose feedback was
    written from another state of the gradebook than the present one, or never noted."""
    if not gradebook.is_file():
        return []
    with closing(connect(gradebook)) as db:
        ensure_course_tables(db)
        graded = [row[0] for row in db.execute(
            "SELECT s.student_id FROM submitted_assignment s JOIN assignment a "
            "ON a.id = s.assignment_id WHERE a.name = ? ORDER BY s.student_id", (assignment,))]
        noted = dict(db.execute("SELECT student, state FROM course_feedback "
                                "WHERE assignment = ?", (assignment,)).fetchall())
        wanted = set(graded if students is None else students) & set(graded)
        return [s for s in graded if s in wanted
                and noted.get(s) != feedback_state(db, assignment, s)]


# --- what each graded cell was graded with (written inside nbgrader's own process) -------

def sqlite_path(db_url: str) -> Path | None:
    """The file of a ``sqlite:///`` gradebook URL; ``None`` for another database."""
    return Path(db_url.removeprefix("sqlite:///")) if db_url.startswith("sqlite:///") else None


def item_records(*, gradebook: Path, assignment: str, student: str, notebook: str
                 ) -> dict[str, tuple[str | None, str | None]]:
    """Per graded cell of one submitted notebook: (key fingerprint, answer fingerprint)."""
    return {item: (key, answer) for item, key, answer in _read(
        gradebook, "SELECT item, key_print, answer_print FROM course_graded_item WHERE "
                   "assignment = ? AND student = ? AND notebook = ?",
        (assignment, student, notebook))}


def write_item_records(*, gradebook: Path, assignment: str, student: str, notebook: str,
                       records: dict[str, tuple[str | None, str | None]]) -> None:
    """Replace the records of one submitted notebook, in one transaction."""
    with closing(connect(gradebook)) as db:
        ensure_course_tables(db)
        db.execute("BEGIN IMMEDIATE")
        db.execute("DELETE FROM course_graded_item WHERE assignment = ? AND student = ? AND "
                   "notebook = ?", (assignment, student, notebook))
        db.executemany("INSERT INTO course_graded_item VALUES (?, ?, ?, ?, ?, ?)",
                       [(assignment, student, notebook, item, key, answer)
                        for item, (key, answer) in records.items()])
        db.execute("COMMIT")
