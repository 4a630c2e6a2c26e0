"""``python -m course grade run``: from submissions to grades and feedback, in parallel.

The run is a list of small steps::

    check the course -> check the sandbox -> collect -> plan -> grade each submission
    (in worker processes: stage, autograde, feedback) -> merge into the gradebook

Each submission is graded by nbgrader's own ``Autograde`` and ``GenerateFeedback``
converters, with the course's nbgrader config, in a worker process, into a private copy
of the gradebook (:mod:`course.gradebooks`); the main process merges each finished
submission into ``gradebook.db`` in one transaction, so the gradebook has one writer
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
import copy
import json
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from traitlets.config import Config

from .batch import write_atomically
from .errors import CourseError
from .gradebooks import graded_students, make_template, merge_submission, worker_copy
from .grading import course_config, grading_notes, step_failure

__all__ = ["Outcome", "RunSummary", "default_workers", "grade_run"]

RUNS_DIR = "grade-runs"


@dataclass(frozen=True)
class Outcome:
    """What grading one submission gave."""

    student: str
    assignment: str
    score: float
    max_score: float
    problems: tuple[str, ...] = ()
    hand_grading: tuple[str, ...] = ()
    seconds: float = 0.0


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
    """Two grading processes per CPU: a worker spends much of each submission waiting on
    its kernel (start, replies, shutdown), so two per core keep the cores busy
    (``bench/autograde.py --workers N`` measures it)."""
    return 2 * (os.cpu_count() or 1)


def grade_run(*, course_dir: Path | str, assignment: str, workers: int | None = None,
              unsafe: bool = False, force: bool = False, timeout: int | None = None,
              progress: bool = True) -> RunSummary:
    """Collect, autograde and give feedback on every submission of ``assignment``.

    ``workers`` processes grade in parallel (default: :func:`default_workers`). Each grading kernel
    runs in a bubblewrap sandbox; where that is impossible, the run stops with a reason
    unless ``unsafe`` is true. ``force`` regrades submissions already graded. ``timeout``
    caps each cell's run time in seconds (default: the course config's, 30).
    """
    started = time.perf_counter()
    course_dir = Path(course_dir).expanduser().resolve()
    config = course_config(course_dir)
    if timeout is not None:
        config.ExecuteGuarded.timeout = timeout
    sandboxed = _check_sandbox(config, unsafe=unsafe)
    notebooks = _assignment_notebooks(course_dir, config, assignment)
    summary = RunSummary(assignment=assignment, workers=0, sandboxed=sandboxed)
    summary.collected = _collect(course_dir, config, assignment)
    todo, summary.already_graded = _plan(course_dir, assignment, force=force)
    if todo:
        work = course_dir / RUNS_DIR / "_work" / assignment
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        setup = _WorkerSetup(
            course_dir=course_dir, assignment=assignment, notebooks=notebooks, work=work,
            config=config, template=make_template(gradebook=course_dir / "gradebook.db",
                                                  template=work / "template.db"))
        summary.workers = min(workers or default_workers(), len(todo))
        for outcome in _grade_all(setup, todo, workers=summary.workers, progress=progress):
            summary.outcomes.append(outcome)
        shutil.rmtree(work, ignore_errors=True)
        with contextlib.suppress(OSError):
            work.parent.rmdir()
    summary.seconds = time.perf_counter() - started
    return summary


# --- steps in the main process ----------------------------------------------------------

def _check_sandbox(config: Config, *, unsafe: bool) -> bool:
    from .sandbox import sandbox_problem

    if unsafe:
        return False
    problem = sandbox_problem()
    if problem:
        raise CourseError(f"cannot sandbox students' code: {problem}. Fix that, or pass "
                          "--unsafe to grade without a sandbox (their code then runs with "
                          "your rights)")
    config.ExecuteGuarded.kernel_manager_class = "course.sandbox.SandboxedKernelManager"
    return True


def _assignment_notebooks(course_dir: Path, config: Config, assignment: str) -> list[str]:
    from nbgrader.api import Gradebook, MissingEntry

    hint = f"run `nbgrader generate_assignment {assignment}` in {course_dir} first"
    if not (course_dir / "gradebook.db").is_file():
        raise CourseError(f"no gradebook in {course_dir}: {hint}")
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gb:
        try:
            names = [nb.name for nb in gb.find_assignment(assignment).notebooks]
        except MissingEntry:
            raise CourseError(f"assignment {assignment!r} is not in the gradebook: {hint}"
                              ) from None
    release = course_dir / "release" / assignment
    missing = [n for n in names if not (release / f"{n}.ipynb").is_file()]
    if missing:
        raise CourseError(f"{release} lacks {', '.join(missing)}.ipynb: {hint}")
    if not (course_dir / "keys" / f"{assignment}.yaml").is_file():
        raise CourseError(f"no answer key {course_dir / 'keys' / assignment}.yaml")
    return names


def _collect(course_dir: Path, config: Config, assignment: str) -> bool:
    """Run nbgrader's collect when the exchange holds submissions of ``assignment``."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    root = config.Exchange.get("root", "/srv/nbgrader/exchange")
    course_id = config.CourseDirectory.get("course_id", "")
    inbound = Path(root) / course_id / "inbound"
    if not inbound.is_dir() or not any(inbound.glob(f"*+{assignment}+*")):
        return False
    api = NbGraderAPI(CourseDirectory(config=config), config=config)
    failure = step_failure(api.collect(assignment))
    if failure:
        raise CourseError(f"collect failed: {failure}")
    return True


def _plan(course_dir: Path, assignment: str, *, force: bool) -> tuple[list[str], list[str]]:
    """(students to grade, students already graded)."""
    submitted = sorted(p.parent.name for p in (course_dir / "submitted").glob(f"*/{assignment}")
                       if p.is_dir())
    if not submitted:
        raise CourseError(f"no submissions of {assignment!r} in {course_dir / 'submitted'}")
    if force:
        return submitted, []
    recorded = graded_students(gradebook=course_dir / "gradebook.db", assignment=assignment)
    done = [s for s in submitted if s in recorded and not _newer(course_dir, s, assignment)]
    return [s for s in submitted if s not in done], done


def _newer(course_dir: Path, student: str, assignment: str) -> bool:
    """Whether the submission is newer than its graded copy (or there is no graded copy)."""
    graded = course_dir / "autograded" / student / assignment
    if not graded.is_dir():
        return True
    stamp = "timestamp.txt"
    new, old = (course_dir / "submitted" / student / assignment / stamp), graded / stamp
    if new.is_file() and old.is_file():
        return new.read_text().strip() > old.read_text().strip()
    return False


def _grade_all(setup: _WorkerSetup, todo: list[str], *, workers: int, progress: bool):
    """Grade ``todo`` in ``workers`` processes; merge and record each as it finishes."""
    from tqdm import tqdm

    gradebook = setup.course_dir / "gradebook.db"
    _preload()
    slots = multiprocessing.get_context("fork").SimpleQueue()
    for slot in range(workers):
        slots.put(slot)
    pool = multiprocessing.get_context("fork").Pool(
        workers, initializer=_start_worker, initargs=(setup, slots))
    bar = tqdm(total=len(todo), desc=f"grading {setup.assignment}", unit="submission",
               file=sys.stderr, disable=not progress, mininterval=0.5)
    try:
        for outcome in pool.imap_unordered(_grade_one, todo):
            worker_db = setup.work / f"{outcome.student}.db"
            # The record first: if the run stops between the two, the submission is not
            # in the gradebook yet, so the next run grades it again and rewrites both.
            with _ctrl_c_held_back():
                _record(setup.course_dir, outcome)
                merge_submission(gradebook=gradebook, worker=worker_db,
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

    from .critique import get_critic

    get_critic()


@contextlib.contextmanager
def _ctrl_c_held_back():
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


def _record(course_dir: Path, outcome: Outcome) -> None:
    folder = course_dir / RUNS_DIR / outcome.assignment
    folder.mkdir(parents=True, exist_ok=True)
    record = {**asdict(outcome), "graded_at": time.strftime("%Y-%m-%d %H:%M:%S")}
    write_atomically(folder / f"{outcome.student}.json",
                     lambda f: json.dump(record, f, indent=1))


# --- the worker processes ----------------------------------------------------------------

@dataclass(frozen=True)
class _WorkerSetup:
    course_dir: Path
    assignment: str
    notebooks: list[str]
    work: Path
    config: Config
    template: Path


_setup: _WorkerSetup | None = None


def _start_worker(setup: _WorkerSetup, slots) -> None:
    """Pool initializer: the main process alone handles Ctrl+C; each worker gets its own
    sandbox user id; nbgrader's log goes to a file, not over the progress bar."""
    global _setup
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warnings.filterwarnings("ignore", module="nbgrader")  # its own SQLAlchemy notices
    slot = slots.get()
    config = copy.deepcopy(setup.config)
    base = config.SandboxedKernelManager.get("kernel_uid", 61000)
    config.SandboxedKernelManager.kernel_uid = base + slot
    config.ExecuteGuarded.shutdown_kernel = "immediate"
    config.GenerateFeedback.exporter_class = "course.grading.FeedbackExporter"
    _one_engine_per_database()
    _setup = _WorkerSetup(**{**setup.__dict__, "config": config})
    handler = logging.FileHandler(setup.work.parent.parent / f"{setup.assignment}.log")
    handler.setFormatter(logging.Formatter(f"%(asctime)s [{slot}] %(levelname)s %(message)s"))
    for name in ("traitlets", "nbgrader"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.propagate = False
        logger.setLevel(logging.INFO)


def _one_engine_per_database() -> None:
    """nbgrader opens the gradebook about a dozen times per submission, each time with a
    new SQLAlchemy engine that compiles every query afresh. In a worker, reuse the engine
    of the database last opened (nbgrader's ``close`` ends a session, not its engine)."""
    import nbgrader.api

    create_engine = nbgrader.api.create_engine
    last: dict = {}

    def reused_engine(url, **options):
        key = (str(url), tuple(sorted(options.items())))
        if key not in last:
            for engine in last.values():
                engine.dispose()  # the previous student's gradebook: close its connections
            last.clear()
            last[key] = create_engine(url, **options)
        return last[key]

    nbgrader.api.create_engine = reused_engine


def _grade_one(student: str) -> Outcome:
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.converters import Autograde, GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import capture_log

    setup = _setup
    started = time.perf_counter()
    staging = setup.work / "staging"
    config = copy.deepcopy(setup.config)
    config.CourseDirectory.submitted_directory = str(staging)
    config.CourseDirectory.db_url = worker_copy(template=setup.template,
                                                target=setup.work / f"{student}.db")
    problems: list[str] = []
    try:
        problems += _stage(setup, student, staging / student / setup.assignment)
        coursedir = CourseDirectory(config=config)
        coursedir.assignment_id, coursedir.student_id = setup.assignment, student
        for step, converter in (("autograde", Autograde), ("feedback", GenerateFeedback)):
            app = converter(coursedir=coursedir, config=config)
            app.force = True
            failure = step_failure(capture_log(app))
            if failure:
                problems.append(f"{step} failed: {failure}")
                break
    except Exception as exc:  # one submission must never stop the class
        problems.append(f"could not be graded ({type(exc).__name__}: {exc})")
    graded = setup.course_dir / "autograded" / student / setup.assignment
    for name in setup.notebooks:
        with contextlib.suppress(OSError, ValueError):
            problems += grading_notes(nbformat.read(graded / f"{name}.ipynb", as_version=4))
    with Gradebook(config.CourseDirectory.db_url) as gb:
        try:
            submission = gb.find_submission(setup.assignment, student)
        except MissingEntry:  # nbgrader stopped before recording it: zero, with the reason
            submission = gb.update_or_create_submission(setup.assignment, student)
        hand = tuple(g.name for nb in submission.notebooks for g in nb.grades
                     if g.needs_manual_grade)
        return Outcome(student=student, assignment=setup.assignment,
                       score=float(submission.score), max_score=float(submission.max_score),
                       problems=tuple(problems), hand_grading=hand,
                       seconds=round(time.perf_counter() - started, 3))


def _stage(setup: _WorkerSetup, student: str, staged: Path) -> list[str]:
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

    shutil.copytree(setup.course_dir / "submitted" / student / setup.assignment, staged,
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
            shutil.copyfile(setup.course_dir / "release" / setup.assignment / f"{name}.ipynb",
                            path)
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
