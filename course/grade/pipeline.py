"""``python -m course grade run``: from submissions to grades and feedback, in parallel.

The run is a list of small steps::

    check the request and the gradebook -> lock the course -> check the sandbox ->
    collect -> plan -> grade each submission (in worker processes,
    :mod:`course.grade.worker`: stage, autograde, feedback) -> merge into the gradebook
    -> write again any feedback older than its grades

Each submission is graded by nbgrader's own ``Autograde`` and ``GenerateFeedback``
converters, with the course's nbgrader config, in a worker process, into a private copy
of the gradebook (:mod:`course.grade.gradebooks`); the main process merges each finished
submission into the gradebook in one transaction, keeping every hand grade, comment and
extra credit, so the gradebook has one writer however many workers run.

**What is graded.** A submission counts as graded once it is merged. The plan grades a
student when the gradebook has no submission of theirs, when their submission's timestamp
differs from the graded one (a resubmission), when a run that set out to grade them
stopped before merging them (``course_pending``: an interrupted run, forced or not, is
finished by the next), or when the key of an item they were graded on has changed since
(its fingerprint, per item). ``force`` grades everyone, ``students`` exactly those.

**Lateness.** Collecting takes each student's newest submission made before the due date
(nbgrader's ``ExchangeCollect.before_duedate``), so a late resubmission never silently
replaces an on-time one: it stays in the exchange and the summary says so; ``accept_late``
with ``students`` collects and grades it. A late resubmission copied into ``submitted/``
by hand is held back the same way.

Before grading, a worker copies the submission to a staging folder (the collected files
are never changed; links are dropped), and a notebook that is missing or cannot be read
is replaced there by the released one, so the answers the student saved in ``answers/``
still count and the code tasks score 0. What went wrong is written to
``grade-runs/<assignment>/<student>.json`` for the instructor.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from ..errors import GradingError, UnknownIdError, UsageError
from ..files import write_atomically
from .assignments import fingerprint, spec_of_cell
from .feedback import refresh_feedback
from .folder import CourseFolder, step_failure
from .gradebooks import (
    check_gradebook,
    connect,
    graded_items,
    make_template,
    mark_pending,
    merge_submission,
    pending_students,
)
from .lock import course_lock
from .worker import Outcome, WorkerSetup, grade_one, start_worker

__all__ = ["SANDBOX_KERNEL_MANAGER", "UNSAFE_KERNEL_MANAGER", "Outcome", "RunSummary",
           "default_workers", "grade_run"]

#: The kernel manager that puts every grading kernel in the sandbox (a course folder's
#: config names it too, so ``nbgrader autograde`` is sandboxed as well).
SANDBOX_KERNEL_MANAGER = "course.grade.sandbox.SandboxedKernelManager"
#: The kernel manager of ``--unsafe``: the same kernel, no sandbox.
UNSAFE_KERNEL_MANAGER = "course.grade.sandbox.UnsandboxedKernelManager"
#: Grading processes per CPU (``bench/autograde.py --workers N`` measured 2.1x the speed
#: of plain nbgrader with 2 workers on 2 cores and 2.8x with 4; a worker spends much of
#: each submission waiting on its kernel).
WORKERS_PER_CPU = 2


@dataclass
class RunSummary:
    assignment: str
    workers: int
    sandboxed: bool
    collected: list[str] = field(default_factory=list)  # students with a new submission
    held_late: dict[str, str] = field(default_factory=dict)  # student -> what was held
    already_graded: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)  # student -> why (re)graded
    outcomes: list[Outcome] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)  # feedback written again
    due: str | None = None  # the assignment's due date (UTC), if it has one
    seconds: float = 0.0


def default_workers() -> int:
    """Two grading processes per CPU (see :data:`WORKERS_PER_CPU`)."""
    return WORKERS_PER_CPU * (os.cpu_count() or 1)


def grade_run(*, course_dir: Path | str, assignment: str, workers: int | None = None,
              unsafe: bool = False, force: bool = False, timeout: int | None = None,
              progress: bool = True, students: list[str] | None = None,
              accept_late: bool = False) -> RunSummary:
    """Collect, autograde and give feedback on every submission of ``assignment`` that
    needs it (see the module's docstring for what does).

    ``workers`` processes grade in parallel (default: :func:`default_workers`). Each
    grading kernel runs in a bubblewrap sandbox; where that is impossible, the run stops
    with a reason unless ``unsafe`` is true. ``force`` regrades every submission;
    ``students`` regrades exactly those (and with ``accept_late`` grades their late
    resubmission instead of their on-time one). ``timeout`` caps each cell's run time in
    seconds (default: the course config's, 30).
    """
    started = time.perf_counter()
    if workers is not None and workers < 1:
        raise UsageError("--workers must be 1 or more")
    if accept_late and not students:
        raise UsageError("--accept-late goes with --student ID: whose late submission?")
    course = CourseFolder.open(course_dir)
    check_gradebook(course.gradebook)
    course.check_assignment(assignment)
    sandboxed = _check_sandbox(course, unsafe=unsafe)
    if timeout is not None:
        course.config.ExecuteGuarded.timeout = timeout
    with course_lock(course.runs_dir, f"grade run {assignment}"):
        notebooks = _assignment_notebooks(course, assignment)
        course.protect()
        summary = RunSummary(assignment=assignment, workers=0, sandboxed=sandboxed,
                             due=_due_date(course, assignment))
        summary.collected, summary.held_late = _collect(
            course, assignment, accept=list(students or []) if accept_late else [])
        todo = _plan(course, assignment, summary, force=force, only=students,
                     accept_late=accept_late)
        if todo:
            mark_pending(gradebook=course.gradebook, assignment=assignment,
                         reasons={s: summary.reasons[s] for s in todo})
            work = course.runs_dir / "_work" / assignment
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            setup = WorkerSetup(
                course=course, assignment=assignment, notebooks=notebooks, work=work,
                template=make_template(gradebook=course.gradebook,
                                       template=work / "template.db"))
            summary.workers = min(workers or default_workers(), len(todo))
            for outcome in _grade_all(setup, todo, workers=summary.workers,
                                      progress=progress):
                summary.outcomes.append(outcome)
            shutil.rmtree(work, ignore_errors=True)
            with contextlib.suppress(OSError):
                work.parent.rmdir()
        # Hand grades given since a page was written (in the formgrader, say): write it again.
        refreshed = refresh_feedback(course=course, assignment=assignment)
        graded = {o.student for o in summary.outcomes}
        summary.refreshed = [s for s in refreshed.refreshed if s not in graded]
    summary.seconds = time.perf_counter() - started
    return summary


def _check_sandbox(course: CourseFolder, *, unsafe: bool) -> bool:
    from .sandbox import sandbox_problem

    if unsafe:
        course.config.ExecuteGuarded.kernel_manager_class = UNSAFE_KERNEL_MANAGER
        return False
    problem = sandbox_problem()
    if problem:
        raise GradingError(f"cannot sandbox students' code: {problem}. Fix that, or pass "
                           "--unsafe to grade without a sandbox (their code then runs with "
                           "your rights)")
    course.config.ExecuteGuarded.kernel_manager_class = SANDBOX_KERNEL_MANAGER
    return True


def _assignment_notebooks(course: CourseFolder, assignment: str) -> list[str]:
    from nbgrader.api import Gradebook, MissingEntry

    hint = (f"run `python -m course grade add {course.key_file(assignment)}` (or "
            f"`nbgrader generate_assignment {assignment}`) in {course.root} first")
    if not course.gradebook.is_file():
        raise GradingError(f"no gradebook in {course.root}: {hint}")
    with Gradebook(course.db_url) as gb:
        try:
            names = [nb.name for nb in gb.find_assignment(assignment).notebooks]
        except MissingEntry:
            raise GradingError(f"assignment {assignment!r} is not in the gradebook: {hint}"
                               ) from None
    release = course.release(assignment)
    missing = [n for n in names if not (release / f"{n}.ipynb").is_file()]
    if missing:
        raise GradingError(f"{release} lacks {', '.join(missing)}.ipynb: {hint}")
    key = course.key(assignment)
    _check_released_options(course, assignment, key)
    return names


def _check_released_options(course: CourseFolder, assignment: str, key) -> None:
    """Every option students were given must still be in the key (by its id): a reworded
    option that lost its id would score every answer naming it 0."""
    from ..exercises.item import option_id

    with closing(connect(course.gradebook)) as db:
        sources = db.execute(
            "SELECT c.name, c.source FROM source_cell c JOIN notebook n ON n.id = c.notebook_id "
            "JOIN assignment a ON a.id = n.assignment_id WHERE a.name = ?",
            (assignment,)).fetchall()
    for name, source in sources:
        spec = spec_of_cell(source or "")
        item = key.items.get(name)
        if spec is None or item is None or not spec.get("options"):
            continue
        given = [o.get("id") or option_id(o.get("text", "")) if isinstance(o, dict)
                 else option_id(str(o)) for o in spec["options"]]
        lost = [o for o in given if o not in item.ids]
        if lost:
            raise GradingError(
                f"{course.key_file(assignment)}: {name}: students were given option "
                f"{lost[0]!r}, which the key no longer has: keep its id when rewording it "
                f"(write the option as {{id: {lost[0]}, text: ...}})")


def _due_date(course: CourseFolder, assignment: str) -> str | None:
    with closing(connect(course.gradebook)) as db:
        row = db.execute("SELECT duedate FROM assignment WHERE name = ?",
                         (assignment,)).fetchone()
    return str(row[0])[:19] if row and row[0] else None


def _timestamp(value) -> datetime | None:
    from nbgrader.utils import parse_utc

    if value in (None, ""):
        return None
    try:
        return parse_utc(str(value).strip())
    except (ValueError, OverflowError):
        return None


def _submitted_at(course: CourseFolder, student: str, assignment: str) -> datetime | None:
    stamp = course.submitted(student, assignment) / "timestamp.txt"
    try:
        return _timestamp(stamp.read_text(encoding="utf-8"))
    except OSError:
        return None


def _collect(course: CourseFolder, assignment: str, *, accept: list[str]
             ) -> tuple[list[str], dict[str, str]]:
    """Run nbgrader's collect when the exchange holds submissions of ``assignment``,
    newest on-time one per student (the newest of all for ``accept``). Returns the
    students whose submitted folder changed, and the late resubmissions left in the
    exchange."""
    from nbgrader.apps import NbGraderAPI

    inbound = course.exchange_inbound
    found = list(inbound.glob(f"*+{assignment}+*")) if inbound.is_dir() else []
    if not found:
        return [], {}
    before = {s: _submitted_at(course, s, assignment) for s in course.submissions(assignment)}
    course.config.ExchangeCollect.before_duedate = True
    api = NbGraderAPI(course.coursedir(), config=course.config)
    failure = step_failure(api.collect(assignment))
    if failure:
        raise GradingError(f"collect failed: {failure}")
    for student in accept:
        course.config.ExchangeCollect.before_duedate = False
        api = NbGraderAPI(course.coursedir(), config=course.config)
        api.coursedir.student_id = student
        failure = step_failure(api.collect(assignment))
        if failure:
            raise GradingError(f"collect failed for {student}: {failure}")
    course.config.ExchangeCollect.before_duedate = True
    after = {s: _submitted_at(course, s, assignment) for s in course.submissions(assignment)}
    changed = sorted(s for s in after if s not in before or after[s] != before[s])
    newest: dict[str, datetime] = {}
    for path in found:
        parts = path.name.rsplit("+", 3)
        when = _timestamp(parts[2]) if len(parts) == 4 else None
        if when is not None and (parts[0] not in newest or when > newest[parts[0]]):
            newest[parts[0]] = when
    held = {s: f"resubmitted {when:%Y-%m-%d %H:%M} UTC, after the due date: the on-time "
               "submission counts (the late one waits in the exchange)"
            for s, when in newest.items()
            if after.get(s) is not None and when > after[s]}  # type: ignore[operator]
    return changed, held


def _plan(course: CourseFolder, assignment: str, summary: RunSummary, *, force: bool,
          only: list[str] | None, accept_late: bool) -> list[str]:
    """Who to grade, with why in ``summary.reasons``; the rest go to
    ``summary.already_graded`` (or ``summary.held_late``)."""
    from nbgrader.api import Gradebook

    submitted = course.submissions(assignment)
    if not submitted:
        raise GradingError(f"no submissions of {assignment!r} in "
                           f"{course.submitted('*', assignment).parent.parent}")
    if only:
        unknown = [s for s in only if s not in submitted]
        if unknown:
            raise UnknownIdError(f"submission of {assignment!r} by", unknown[0], submitted)
        summary.reasons = dict.fromkeys(only, "asked for (--student)")
        return list(only)
    with Gradebook(course.db_url) as gb:
        graded = {s.student_id: (s.timestamp, s.duedate)
                  for s in gb.find_assignment(assignment).submissions}
    pending = pending_students(gradebook=course.gradebook, assignment=assignment)
    recorded = graded_items(gradebook=course.gradebook, assignment=assignment)
    prints = _key_prints(course, assignment)
    todo = []
    for student in submitted:
        reason = None
        if force:
            reason = "--force"
        elif student not in graded:
            reason = "new"
        elif student in pending:
            reason = f"left unfinished by an interrupted run ({pending[student]})"
        else:
            was, due = graded[student]
            now = _submitted_at(course, student, assignment)
            if now != was:
                if (due is not None and now is not None and now > due
                        and (was is None or was <= due)):
                    summary.held_late[student] = (
                        f"resubmitted {now:%Y-%m-%d %H:%M} UTC, after the due date: the "
                        "on-time submission graded before still counts")
                    continue
                reason = "resubmitted"
            else:
                mine = recorded.get(student, {})
                changed = sorted(i for i, p in prints.items() if mine.get(i) != p)
                if changed and not mine:
                    reason = "its last grading did not finish"
                elif changed:
                    reason = f"the key of {', '.join(changed)} changed"
        if reason is None:
            summary.already_graded.append(student)
        else:
            summary.reasons[student] = reason
            todo.append(student)
    return todo


def _key_prints(course: CourseFolder, assignment: str) -> dict[str, str]:
    """The fingerprint of each graded item's key now: a widget item's entry in the key
    file, a code task's tests as the gradebook holds them."""
    key = course.key(assignment)
    prints = {i: key.prints[i] for i in key.items}
    tasks = [t["id"] for t in key.code_tasks]
    if tasks:
        with closing(connect(course.gradebook)) as db:
            rows = db.execute(
                "SELECT c.name, c.source FROM source_cell c JOIN notebook n "
                "ON n.id = c.notebook_id JOIN assignment a ON a.id = n.assignment_id "
                f"WHERE a.name = ? AND c.name IN ({', '.join('?' * len(tasks))})",
                (assignment, *tasks)).fetchall()
        prints.update({name: fingerprint(source or "") for name, source in rows})
    return prints


def _grade_all(setup: WorkerSetup, todo: list[str], *, workers: int,
               progress: bool) -> Iterator[Outcome]:
    """Grade ``todo`` in ``workers`` processes; merge and record each as it finishes."""
    from tqdm import tqdm

    _preload()
    slots = multiprocessing.get_context("fork").SimpleQueue()
    for slot in range(workers):
        slots.put(slot)
    pool = multiprocessing.get_context("fork").Pool(
        workers, initializer=start_worker, initargs=(setup, slots))
    bar = tqdm(total=len(todo), desc=f"grading {setup.assignment}", unit="submission",
               file=sys.stderr, disable=not progress, mininterval=0.5)
    try:
        for outcome in pool.imap_unordered(grade_one, todo):
            worker_db = setup.work / f"{outcome.student}.db"
            # The record first: if the run stops between the two, the submission is not
            # merged (it stays pending), so the next run grades it again and rewrites both.
            with _ctrl_c_held_back():
                _record(setup.course, outcome)
                merge_submission(gradebook=setup.course.gradebook, worker=worker_db,
                                 assignment=setup.assignment, student=outcome.student)
            worker_db.unlink(missing_ok=True)
            shutil.rmtree(setup.work / "staging" / outcome.student, ignore_errors=True)
            bar.update()
            yield outcome
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        bar.close()
        pool.join()


def _preload() -> None:
    """Load once, before the workers fork, what each of them needs: nbgrader's converters
    and the critic (it reviews rewrites). The workers then share it instead of each
    loading it again."""
    import nbgrader.converters  # noqa: F401

    from ..critic import get_critic

    get_critic()


@contextlib.contextmanager
def _ctrl_c_held_back() -> Iterator[None]:
    """Hold Ctrl+C back until the block ends, so a submission is recorded and merged whole."""
    if (threading.current_thread() is not threading.main_thread()  # signals go there only
            or signal.getsignal(signal.SIGINT) is signal.SIG_IGN):  # under nohup, say
        yield
        return
    caught = []
    previous = signal.signal(signal.SIGINT, lambda *_: caught.append(True))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def _record(course: CourseFolder, outcome: Outcome) -> None:
    record = {**asdict(outcome), "graded_at": time.strftime("%Y-%m-%d %H:%M:%S")}
    write_atomically(course.runs_dir / outcome.assignment / f"{outcome.student}.json",
                     lambda f: json.dump(record, f, indent=1), make_folder=True)
