"""A grading worker process: one submission at a time, into a private gradebook.

:func:`start_worker` sets a forked worker up (its sandbox user id, quiet logging, one
database engine per gradebook); :func:`grade_one` stages a submission, runs nbgrader's
``Autograde`` and ``GenerateFeedback`` on it with the course's config, and says what it
scored and what went wrong. The main process (:mod:`course.grade.pipeline`) merges the
result into the course gradebook.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import shutil
import signal
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .execute import grading_notes
from .folder import CourseFolder, step_failure
from .gradebooks import record_feedback, scratch_gradebooks, worker_copy

__all__ = ["FEEDBACK_EXPORTER", "Outcome", "WorkerSetup", "grade_one", "start_worker"]

#: The feedback exporter workers use: nbgrader's, with templates compiled once.
FEEDBACK_EXPORTER = "course.grade.preprocessors.FeedbackExporter"
#: First user id of the sandboxed kernels when grading runs as root; worker N uses this + N.
FIRST_KERNEL_UID = 61000


@dataclass(frozen=True)
class Outcome:
    """What grading one submission gave."""

    student: str
    assignment: str
    score: float  # after any late penalty; hand grades given before count
    max_score: float
    problems: tuple[str, ...] = ()
    hand_grading: tuple[str, ...] = ()  # cells waiting for a person
    #: hand-graded cells whose answer changed since they were graded: the grade is kept,
    #: and waits for a person to look again
    regrade: tuple[str, ...] = ()
    submitted: str | None = None  # the submission's timestamp (UTC)
    late_seconds: float = 0.0
    late_penalty: float = 0.0
    seconds: float = 0.0


@dataclass(frozen=True)
class WorkerSetup:
    """What every worker of one run shares."""

    course: CourseFolder
    assignment: str
    notebooks: list[str]
    work: Path
    template: Path


_setup: WorkerSetup | None = None


def start_worker(setup: WorkerSetup, slots) -> None:
    """Pool initializer: the main process alone handles Ctrl+C; each worker gets its own
    sandbox user id; nbgrader's log goes to a file, not over the progress bar."""
    global _setup
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warnings.filterwarnings("ignore", module="nbgrader")  # its own SQLAlchemy notices
    slot = slots.get()
    config = copy.deepcopy(setup.course.config)
    base = config.SandboxedKernelManager.get("kernel_uid", FIRST_KERNEL_UID)
    config.SandboxedKernelManager.kernel_uid = base + slot
    config.ExecuteGuarded.shutdown_kernel = "immediate"
    config.GenerateFeedback.exporter_class = FEEDBACK_EXPORTER
    _one_engine_per_database()
    scratch_gradebooks()
    _setup = WorkerSetup(**{**setup.__dict__,
                            "course": CourseFolder(setup.course.root, config)})
    handler = logging.FileHandler(setup.course.runs_dir / f"{setup.assignment}.log")
    handler.setFormatter(logging.Formatter(f"%(asctime)s [{slot}] %(levelname)s %(message)s"))
    for name in ("traitlets", "nbgrader"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.propagate = False
        logger.setLevel(logging.INFO)


def _one_engine_per_database() -> None:
    """nbgrader opens the gradebook about a dozen times per submission, each time with a
    new SQLAlchemy engine that compiles every query afresh. In a worker, reuse the engine
    of the database last opened (nbgrader's ``close`` ends a session, not its engine).

    A worker only ever opens its private gradebooks, which are scratch: if the machine
    stops, the submission is not merged and the next run grades it again. So SQLite does
    not wait for the disk at each of their three dozen commits per submission
    (``synchronous = OFF``, measured 4 ms each here)."""
    import nbgrader.api
    from sqlalchemy import event

    create_engine = nbgrader.api.create_engine
    last: dict = {}

    def reused_engine(url, **options):
        key = (str(url), tuple(sorted(options.items())))
        if key not in last:
            for engine in last.values():
                engine.dispose()  # the previous student's gradebook: close its connections
            last.clear()
            engine = create_engine(url, **options)
            event.listen(engine, "connect", _scratch_connection)
            last[key] = engine
        return last[key]

    nbgrader.api.create_engine = reused_engine


def _scratch_connection(connection, _record) -> None:
    connection.execute("PRAGMA synchronous = OFF")


def grade_one(student: str) -> Outcome:
    """Autograde and give feedback on ``student``'s submission (in a worker)."""
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.converters import Autograde, GenerateFeedback
    from nbgrader.utils import capture_log

    setup = _setup
    if setup is None:
        raise RuntimeError("grade_one runs in a worker started by start_worker")
    started = time.perf_counter()
    staging = setup.work / "staging"
    config = copy.deepcopy(setup.course.config)
    config.CourseDirectory.submitted_directory = str(staging)
    config.CourseDirectory.db_url = worker_copy(
        template=setup.template, target=setup.work / f"{student}.db",
        gradebook=setup.course.gradebook, assignment=setup.assignment, student=student)
    problems: list[str] = []
    try:
        problems += _stage(setup, student, staging / student / setup.assignment)
        staged = CourseFolder(setup.course.root, config)
        coursedir = staged.coursedir()
        coursedir.assignment_id, coursedir.student_id = setup.assignment, student
        for step, converter in (("autograde", Autograde), ("feedback", GenerateFeedback)):
            app = converter(coursedir=coursedir, config=config)
            app.force = True
            failure = step_failure(capture_log(app))
            if failure:
                problems.append(f"{step} failed: {failure}")
                break
        else:  # the page now matches this gradebook (whatever the config's steps)
            record_feedback(gradebook=setup.work / f"{student}.db",
                            assignment=setup.assignment, student=student)
    except Exception as exc:  # one submission must never stop the class
        problems.append(f"could not be graded ({type(exc).__name__}: {exc})")
    graded = setup.course.autograded(student, setup.assignment)
    for name in setup.notebooks:
        with contextlib.suppress(OSError, ValueError):
            problems += grading_notes(nbformat.read(graded / f"{name}.ipynb", as_version=4))
    with Gradebook(config.CourseDirectory.db_url) as gb:
        try:
            submission = gb.find_submission(setup.assignment, student)
        except MissingEntry:  # nbgrader stopped before recording it: zero, with the reason
            submission = gb.update_or_create_submission(setup.assignment, student)
        grades = [g for nb in submission.notebooks for g in nb.grades]
        penalty = float(submission.late_submission_penalty or 0)
        return Outcome(
            student=student, assignment=setup.assignment,
            score=max(0.0, float(submission.score) - penalty),
            max_score=float(submission.max_score), problems=tuple(problems),
            hand_grading=tuple(g.name for g in grades if g.needs_manual_grade),
            regrade=tuple(g.name for g in grades
                          if g.needs_manual_grade and g.manual_score is not None),
            submitted=(None if submission.timestamp is None
                       else f"{submission.timestamp:%Y-%m-%d %H:%M:%S}"),
            late_seconds=float(submission.total_seconds_late), late_penalty=penalty,
            seconds=round(time.perf_counter() - started, 3))


def _stage(setup: WorkerSetup, student: str, staged: Path) -> list[str]:
    """Copy the submission to ``staged`` (regular files and folders only), and put the
    released notebook where one is missing or unreadable. Returns what was wrong."""
    problems = []
    shutil.rmtree(staged, ignore_errors=True)
    skipped: list[str] = []

    def only_files_and_folders(folder, names):
        # A link could point at your files; a pipe or device would block the copy.
        found = [n for n in names if os.path.islink(os.path.join(folder, n))
                 or not (os.path.isfile(os.path.join(folder, n))
                         or os.path.isdir(os.path.join(folder, n)))]
        skipped.extend(found)
        return found

    shutil.copytree(setup.course.submitted(student, setup.assignment), staged,
                    ignore=only_files_and_folders)
    if skipped:
        problems.append("links and special files are not graded and were left out: "
                        + ", ".join(sorted(skipped)))
    for name in setup.notebooks:
        path = staged / f"{name}.ipynb"
        why = _unreadable(path)
        if why:
            if path.exists():
                path.rename(path.with_suffix(".ipynb.unreadable"))
            shutil.copyfile(setup.course.release(setup.assignment) / f"{name}.ipynb", path)
            problems.append(f"{why}: graded as the released notebook, with the answers "
                            "saved in answers/; its code tasks score 0")
    return problems


def _unreadable(path: Path) -> str | None:
    if not path.is_file():
        return f"no {path.name} in the submission"
    try:
        nbformat.validate(nbformat.read(path, as_version=4))
    except nbformat.reader.NotJSONError:
        return f"{path.name} is not valid JSON (cut off or damaged)"
    except Exception as exc:  # any other failure to read means the same here
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"{path.name} is not a valid notebook ({first[:100]})"
    return None
