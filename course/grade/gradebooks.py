"""One writer for the gradebook: parallel workers grade into private copies, and each
finished submission is merged into the course gradebook in a single transaction.

SQLite is not safe for many concurrent writers, and nbgrader commits after every graded
cell. So a worker never touches ``gradebook.db``: it grades into a copy of a *template*
(the course gradebook with its assignments, notebooks and cells but no submissions), and
the grading process copies the worker's rows for that one submission across, replacing any
older ones, with ``ATTACH`` and ``INSERT ... SELECT`` inside one transaction. Rows keep
their ids: the template shares every assignment, notebook and cell id with the course.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from ..errors import GradingError

__all__ = ["graded_students", "make_template", "merge_submission", "worker_copy"]

#: Submission tables, parents first.
SUBMISSION_TABLES = ("submitted_assignment", "submitted_notebook", "grade", "comment")
BUSY_SECONDS = 60  # wait this long for a formgrader or another reader to let go


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def make_template(*, gradebook: Path, template: Path) -> Path:
    """Copy ``gradebook`` to ``template`` without any submission (a consistent snapshot,
    taken with SQLite's backup API even if the formgrader is reading)."""
    template.unlink(missing_ok=True)
    with closing(_connect(gradebook)) as source, closing(_connect(template)) as target:
        source.backup(target)
        target.execute("BEGIN")
        for table in reversed(SUBMISSION_TABLES):
            target.execute(f"DELETE FROM {table}")
        target.execute("COMMIT")
        target.execute("VACUUM")
    return template


def worker_copy(*, template: Path, target: Path) -> str:
    """A private gradebook for one submission; returns its SQLAlchemy URL."""
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def _submission_ids(connection, schema: str, assignment: str, student: str) -> list[str]:
    return [row[0] for row in connection.execute(
        f"SELECT s.id FROM {schema}.submitted_assignment s "
        f"JOIN {schema}.assignment a ON a.id = s.assignment_id "
        "WHERE a.name = ? AND s.student_id = ?", (assignment, student))]


def merge_submission(*, gradebook: Path, worker: Path, assignment: str, student: str) -> None:
    """Replace ``student``'s submission of ``assignment`` in ``gradebook`` with the one in
    ``worker``, in one transaction: either all of it lands or none of it does."""
    with closing(_connect(gradebook)) as db:
        db.execute("ATTACH DATABASE ? AS w", (str(worker),))
        try:
            new = _submission_ids(db, "w", assignment, student)
            if len(new) != 1:
                raise GradingError(f"{worker} holds no graded submission of {assignment!r} "
                                  f"by {student!r}")
            db.execute("BEGIN IMMEDIATE")
            try:
                for old in _submission_ids(db, "main", assignment, student):
                    _delete_submission(db, "main", old)
                db.execute("INSERT OR IGNORE INTO main.student SELECT * FROM w.student "
                           "WHERE id = ?", (student,))
                _copy_submission(db, new[0])
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:  # COMMIT may have finished before an interrupt
                    db.execute("ROLLBACK")
                raise
        finally:
            db.execute("DETACH DATABASE w")


def _notebook_filter(column: str) -> str:
    return f"{column} IN (SELECT id FROM {{schema}}.submitted_notebook WHERE assignment_id = ?)"


def _delete_submission(db, schema: str, submission_id: str) -> None:
    for table in ("grade", "comment"):
        db.execute(f"DELETE FROM {schema}.{table} WHERE "
                   + _notebook_filter("notebook_id").format(schema=schema), (submission_id,))
    db.execute(f"DELETE FROM {schema}.submitted_notebook WHERE assignment_id = ?",
               (submission_id,))
    db.execute(f"DELETE FROM {schema}.submitted_assignment WHERE id = ?", (submission_id,))


def _copy_submission(db, submission_id: str) -> None:
    db.execute("INSERT INTO main.submitted_assignment SELECT * FROM w.submitted_assignment "
               "WHERE id = ?", (submission_id,))
    db.execute("INSERT INTO main.submitted_notebook SELECT * FROM w.submitted_notebook "
               "WHERE assignment_id = ?", (submission_id,))
    for table in ("grade", "comment"):
        db.execute(f"INSERT INTO main.{table} SELECT * FROM w.{table} WHERE "
                   + _notebook_filter("notebook_id").format(schema="w"), (submission_id,))


def graded_students(*, gradebook: Path, assignment: str) -> set[str]:
    """Students whose submission of ``assignment`` the gradebook holds."""
    if not gradebook.exists():
        return set()
    with closing(_connect(gradebook)) as db:
        return {row[0] for row in db.execute(
            "SELECT s.student_id FROM submitted_assignment s JOIN assignment a "
            "ON a.id = s.assignment_id WHERE a.name = ?", (assignment,))}
