"""``python -m course grade run``: from submissions to grades and feedback, in parallel.

The run is a list of small steps::

    check the course -> check the sandbox -> collect -> plan -> grade each submission
    (in worker processes, :mod:`course.grade.worker`: stage, autograde, feedback)
    -> merge into the gradebook

Each submission is graded by nbgrader's own ``Autograde`` and ``GenerateFeedback``
converters, with the course's nbgrader config, in a worker process, into a private copy
of the gradebook (:mod:`course.grade.gradebooks`); the main process merges each finished
submission into the gradebook in one transaction, so the gradebook has one writer
however many workers run. A submission counts as done once it is merged: interrupt a run
and start it again, and it grades only what is missing.

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
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import GradingError, UsageError
from ..files import write_atomically
from .folder import CourseFolder, step_failure
from .gradebooks import graded_students, make_template, merge_submission
from .worker import Outcome, WorkerSetup, grade_one, start_worker

__all__ = ["SANDBOX_KERNEL_MANAGER", "Outcome", "RunSummary", "default_workers", "grade_run"]

#: The kernel manager that puts every grading kernel in the sandbox.
SANDBOX_KERNEL_MANAGER = "course.grade.sandbox.SandboxedKernelManager"
#: Grading processes per CPU (``bench/autograde.py --workers N`` measured 2.1x the speed
#: of plain nbgrader with 2 workers on 2 cores and 2.8x with 4; a worker spends much of
#: each submission waiting on its kernel).
WORKERS_PER_CPU = 2


@dataclass
class RunSummary:
    assignment: str
    workers: int
    sandboxed: bool
    collected: bool = False
    already_graded: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0


def default_workers() -> int:
    """Two grading processes per CPU (see :data:`WORKERS_PER_CPU`)."""
    return WORKERS_PER_CPU * (os.cpu_count() or 1)


def grade_run(*, course_dir: Path | str, assignment: str, workers: int | None = None,
              unsafe: bool = False, force: bool = False, timeout: int | None = None,
              progress: bool = True) -> RunSummary:
    """Collect, autograde and give feedback on every submission of ``assignment``.

    ``workers`` processes grade in parallel (default: :func:`default_workers`). Each
    grading kernel runs in a bubblewrap sandbox; where that is impossible, the run stops
    with a reason unless ``unsafe`` is true. ``force`` regrades submissions already
    graded. ``timeout`` caps each cell's run time in seconds (default: the course
    config's, 30).
    """
    started = time.perf_counter()
    if workers is not None and workers < 1:
        raise UsageError("--workers must be 1 or more")
    course = CourseFolder.open(course_dir)
    if timeout is not None:
        course.config.ExecuteGuarded.timeout = timeout
    sandboxed = _check_sandbox(course, unsafe=unsafe)
    notebooks = _assignment_notebooks(course, assignment)
    summary = RunSummary(assignment=assignment, workers=0, sandboxed=sandboxed)
    summary.collected = _collect(course, assignment)
    todo, summary.already_graded = _plan(course, assignment, force=force)
    if todo:
        work = course.runs_dir / "_work" / assignment
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        setup = WorkerSetup(
            course=course, assignment=assignment, notebooks=notebooks, work=work,
            template=make_template(gradebook=course.gradebook, template=work / "template.db"))
        summary.workers = min(workers or default_workers(), len(todo))
        for outcome in _grade_all(setup, todo, workers=summary.workers, progress=progress):
            summary.outcomes.append(outcome)
        shutil.rmtree(work, ignore_errors=True)
        with contextlib.suppress(OSError):
            work.parent.rmdir()
    summary.seconds = time.perf_counter() - started
    return summary


def _check_sandbox(course: CourseFolder, *, unsafe: bool) -> bool:
    from .sandbox import sandbox_problem

    if unsafe:
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

    hint = f"run `nbgrader generate_assignment {assignment}` in {course.root} first"
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
    if not course.key_file(assignment).is_file():
        raise GradingError(f"no answer key {course.key_file(assignment)}")
    return names


def _collect(course: CourseFolder, assignment: str) -> bool:
    """Run nbgrader's collect when the exchange holds submissions of ``assignment``."""
    from nbgrader.apps import NbGraderAPI

    inbound = course.exchange_inbound
    if not inbound.is_dir() or not any(inbound.glob(f"*+{assignment}+*")):
        return False
    api = NbGraderAPI(course.coursedir(), config=course.config)
    failure = step_failure(api.collect(assignment))
    if failure:
        raise GradingError(f"collect failed: {failure}")
    return True


def _plan(course: CourseFolder, assignment: str, *, force: bool
          ) -> tuple[list[str], list[str]]:
    """(students to grade, students already graded)."""
    submitted = course.submissions(assignment)
    if not submitted:
        raise GradingError(f"no submissions of {assignment!r} in "
                           f"{course.submitted('*', assignment).parent.parent}")
    if force:
        return submitted, []
    recorded = graded_students(gradebook=course.gradebook, assignment=assignment)
    done = [s for s in submitted if s in recorded and not _newer(course, s, assignment)]
    return [s for s in submitted if s not in done], done


def _newer(course: CourseFolder, student: str, assignment: str) -> bool:
    """Whether the submission is newer than its graded copy (or there is no graded copy)."""
    graded = course.autograded(student, assignment)
    if not graded.is_dir():
        return True
    stamp = "timestamp.txt"
    new, old = course.submitted(student, assignment) / stamp, graded / stamp
    if new.is_file() and old.is_file():
        return new.read_text().strip() > old.read_text().strip()
    return False


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
            # in the gradebook yet, so the next run grades it again and rewrites both.
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
