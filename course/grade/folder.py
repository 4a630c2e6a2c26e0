"""The course folder: one object that knows where everything in it lives.

:class:`CourseFolder` reads the course's ``nbgrader_config.py`` and answers every
question of layout through nbgrader's own :class:`~nbgrader.coursedir.CourseDirectory`
(so a configured ``submitted_directory``, ``directory_structure`` or ``db_url`` is
honoured) plus the course's own settings (``keys_dir``). Everything else in
:mod:`course.grade` asks it instead of joining paths by hand.

:func:`init_course` makes a ready course folder (and never overwrites what is in one);
:func:`add_assignment` adds or updates one assignment in a live course;
:func:`generate_assignment` does what ``nbgrader generate_assignment`` does, from Python.

Instructor-only files are private: the course folder itself is 0700, ``keys/`` is 0700
with its files 0600, and the gradebook 0600 (set again by every ``grade`` step, should a
copy or a plain nbgrader command have made it readable). The exchange, where students
fetch and submit, lives outside the course folder.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from ..errors import GradingError, UnknownIdError, UsageError
from .assignments import Assignment, build_source_notebook, load_assignment, load_assignments
from .variants import RELEASES_SUFFIX, make_secret

if TYPE_CHECKING:
    from nbgrader.coursedir import CourseDirectory

__all__ = [
    "CONFIG_TEMPLATE",
    "KEYS_DIR",
    "REPORTS_DIR",
    "RUNS_DIR",
    "CourseFolder",
    "InitResult",
    "add_assignment",
    "check_released_variants",
    "generate_assignment",
    "init_course",
    "make_private",
    "step_failure",
    "use_this_python",
]

#: The nbgrader configuration a new course folder starts from (package data).
CONFIG_TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "nbgrader_config.py"
KEYS_DIR = "keys"  #: answer keys, when the config names no other folder
RUNS_DIR = "grade-runs"  #: a record per graded submission, and each run's log
REPORTS_DIR = "reports"  #: class report and grade exports
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600  #: modes of instructor-only folders and files
EXCHANGE_SUFFIX = "-exchange"  #: the default exchange: a sibling folder of the course


def use_this_python() -> None:
    """Put the running interpreter's ``bin/`` first on ``PATH``: nbgrader starts
    ``alembic`` (and Jupyter its tools) by name, so ``.venv/bin/python -m course ...``
    works without the virtualenv on ``PATH``."""
    here = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if not parts or parts[0] != here:
        os.environ["PATH"] = os.pathsep.join([here, *[p for p in parts if p != here]])


def make_private(path: Path) -> None:
    """Instructor-only: a folder 0700 with everything in it 0700 (folders) or 0600
    (files); a file 0600. A missing path is skipped. (SQLite gives a gradebook's journal
    the gradebook's own mode.)"""
    if path.is_dir():
        path.chmod(PRIVATE_DIR)
        for child in path.rglob("*"):
            if not child.is_symlink():
                child.chmod(PRIVATE_DIR if child.is_dir() else PRIVATE_FILE)
    elif path.is_file():
        path.chmod(PRIVATE_FILE)


@dataclass(frozen=True)
class CourseFolder:
    """A course folder and its nbgrader configuration."""

    root: Path
    config: Config

    @classmethod
    def open(cls, folder: Path | str, *, config_required: bool = True) -> CourseFolder:
        """The course folder at ``folder``, with its ``nbgrader_config.py`` loaded.

        Without ``config_required``, a folder with no config (a gradebook copied aside,
        say) is read with nbgrader's default layout.
        """
        use_this_python()
        root = Path(folder).expanduser().resolve()
        path = root / "nbgrader_config.py"
        if not root.is_dir():
            raise UsageError(f"{root} is not a folder: give the course folder")
        if path.is_file():
            config = PyFileConfigLoader(path.name, path=str(root)).load_config()
        elif config_required:
            raise GradingError(f"{root} is not a course folder (no nbgrader_config.py): "
                               "make one with `python -m course grade init DIR`")
        else:
            config = Config()
        config.CourseDirectory.root = str(root)
        return cls(root, config)

    # --- nbgrader's layout ---------------------------------------------------------------

    def coursedir(self) -> CourseDirectory:
        """nbgrader's view of this folder (a new object each call: nbgrader mutates it)."""
        from nbgrader.coursedir import CourseDirectory

        return CourseDirectory(config=self.config)

    def _step(self, step_directory: str, student: str, assignment: str) -> Path:
        coursedir = self.coursedir()
        return Path(coursedir.format_path(getattr(coursedir, step_directory), student,
                                          assignment))

    def source(self, assignment: str) -> Path:
        return self._step("source_directory", ".", assignment)

    def release(self, assignment: str) -> Path:
        return self._step("release_directory", ".", assignment)

    def submitted(self, student: str, assignment: str) -> Path:
        return self._step("submitted_directory", student, assignment)

    def autograded(self, student: str, assignment: str) -> Path:
        return self._step("autograded_directory", student, assignment)

    def feedback(self, student: str, assignment: str) -> Path:
        return self._step("feedback_directory", student, assignment)

    def submissions(self, assignment: str) -> list[str]:
        """The students with a submitted folder for ``assignment``, sorted."""
        marker = "@@student@@"
        shape = re.compile(re.escape(str(self.submitted(marker, assignment))).replace(
            re.escape(marker), r"(?P<student>[^/]+)") + r"\Z")
        found = (shape.match(p) for p in glob.glob(str(self.submitted("*", assignment))))
        return sorted({m["student"] for m in found if m and Path(m.string).is_dir()})

    @property
    def db_url(self) -> str:
        return self.coursedir().db_url

    @property
    def gradebook(self) -> Path:
        """The SQLite gradebook file (``CourseDirectory.db_url``)."""
        url = self.db_url
        if not url.startswith("sqlite:///"):
            raise GradingError(f"the course's db_url {url!r} is not a SQLite file; "
                               "`grade run` needs one")
        return Path(url.removeprefix("sqlite:///"))

    # --- the course's own layout ---------------------------------------------------------

    @property
    def keys_dir(self) -> Path:
        """Where the answer keys live: the folder the grading step is configured with."""
        for section in ("LoadAnswerKey", "GradeSavedAnswers"):
            configured = self.config.get(section, {}).get("keys_dir")
            if configured:
                return (self.root / configured).resolve()
        return self.root / KEYS_DIR

    def key_file(self, assignment: str) -> Path:
        return self.keys_dir / f"{assignment}.yaml"

    def key(self, assignment: str) -> Assignment:
        """The answer key of ``assignment``: the one place keys are loaded from."""
        return load_key(self.key_file(assignment), assignment)

    @property
    def runs_dir(self) -> Path:
        return self.root / RUNS_DIR

    @property
    def reports_dir(self) -> Path:
        return self.root / REPORTS_DIR

    @property
    def exchange_inbound(self) -> Path:
        root = self.config.get("Exchange", {}).get("root", "/srv/nbgrader/exchange")
        course_id = self.config.get("CourseDirectory", {}).get("course_id", "")
        return Path(root) / course_id / "inbound"

    # --- what the course holds ----------------------------------------------------------

    def assignment_names(self) -> set[str]:
        """Assignments the course knows: in its gradebook, in ``source/`` or in ``keys/``."""
        from .gradebooks import connect

        names = {p.stem for p in self.keys_dir.glob("*.yaml")}
        names |= {p.parent.name for p in Path(self.source("@@")).parent.glob("*/*.ipynb")}
        if self.gradebook.is_file():
            import sqlite3
            from contextlib import closing, suppress

            # a damaged gradebook is reported by the step that needs it
            with suppress(sqlite3.DatabaseError), closing(connect(self.gradebook)) as db:
                names |= {r[0] for r in db.execute("SELECT name FROM assignment")}
        return names

    def check_assignment(self, assignment: str) -> None:
        """Raise :class:`UnknownIdError` (naming the nearest) for a name the course does
        not know."""
        known = self.assignment_names()
        if assignment not in known:
            raise UnknownIdError("assignment", assignment, known,
                                 f" (it is not in the gradebook, source/ or keys/ of {self.root})")

    def protect(self) -> None:
        """Make the keys and the gradebook instructor-only (see :func:`make_private`)."""
        make_private(self.keys_dir)
        if self.gradebook.exists():
            make_private(self.gradebook)


def load_key(path: Path, assignment: str) -> Assignment:
    """An answer key file, or a one-line error naming where it should be."""
    if not path.is_file():
        raise GradingError(f"no answer key for {assignment!r} at {path}: copy its "
                           "assignment file there")
    return load_assignment(path)


@dataclass
class InitResult:
    folder: Path
    exchange: Path
    written: list[str] = field(default_factory=list)  # paths made, relative to folder
    kept: list[str] = field(default_factory=list)  # existing paths left as they were


def init_course(*, folder: Path | str, assignments: Path | str, force: bool = False,
                exchange: Path | str | None = None, kept: list[str] | None = None) -> Path:
    """Create a ready nbgrader course folder at ``folder``, with the assignments of the
    folder ``assignments`` (``<id>.yaml`` files, keys included).

    It holds ``nbgrader_config.py``, ``source/<assignment>/`` built from every assignment
    file, and ``keys/`` with those files (the answer keys, instructor-only) and the course
    secret that decides each student's variants, apart from ``source/``. The exchange is
    ``exchange`` (default: the folder ``<folder>-exchange`` beside it), never inside the
    course. ``folder`` may not lie inside the folder the
    assignments come from (student data never lives beside the keys' source).

    A folder that is not empty needs ``force``, and even then nothing in it is replaced:
    an existing config, key or source notebook is kept as it is (to change one assignment
    in a live course, use :func:`add_assignment`); their names are added to ``kept``.
    Returns the course folder.
    """
    folder = Path(folder).expanduser().resolve()
    source_dir = Path(assignments).expanduser().resolve()
    if not source_dir.is_dir():
        raise UsageError(f"no assignments folder at {source_dir}: pass --assignments DIR "
                         "(the repository's samples are grading/assignments)")
    loaded = load_assignments(source_dir)  # checked before anything is written
    home = _repository_of(source_dir)
    if home is not None and (folder == home or home in folder.parents):
        raise UsageError(f"{folder} is inside the course repository; student data never "
                         "lives there: choose a folder elsewhere")
    blocking = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()),
                    None)
    if blocking is not None:
        raise UsageError(f"{blocking} is a file; choose a new folder for the course")
    if folder.exists() and any(folder.iterdir()) and not force:
        raise UsageError(f"{folder} is not empty; choose a new folder (or pass --force to "
                         "add what is missing, keeping everything that is there)")
    exchange_dir = (Path(exchange).expanduser().resolve() if exchange
                    else folder.with_name(folder.name + EXCHANGE_SUFFIX))
    if exchange_dir == folder or folder in exchange_dir.parents:
        raise UsageError(f"the exchange {exchange_dir} is inside the course folder, where "
                         "the keys and the gradebook live: choose a folder outside it")
    result = InitResult(folder, exchange_dir)
    keys = folder / KEYS_DIR
    keys.mkdir(parents=True, exist_ok=True)
    make_secret(keys)  # decides each student's variants; never leaves keys/, never replaced
    exchange_dir.mkdir(parents=True, exist_ok=True)
    config = CONFIG_TEMPLATE.read_text(encoding="utf-8")
    config = (config.replace("{{keys_dir}}", str(keys)).replace("{{root}}", str(folder))
              .replace("{{exchange}}", str(exchange_dir)))
    _write_new(folder / "nbgrader_config.py", lambda p: p.write_text(config, encoding="utf-8"),
               result)
    for assignment in loaded.values():
        _install(folder, source_dir / f"{assignment.id}.yaml", assignment, result,
                 replace=False)
    # Only the instructor reaches inside: students use the exchange, and files nbgrader
    # makes later (the gradebook, autograded/) are private whatever their own mode.
    folder.chmod(PRIVATE_DIR)
    CourseFolder.open(folder).protect()
    if kept is not None:
        kept += result.kept
    return folder


def _write_new(path: Path, write, result: InitResult, *, replace: bool = False) -> None:
    name = str(path.relative_to(result.folder))
    if path.exists() and not replace:
        result.kept.append(name)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    write(path)
    result.written.append(name)


def _install(folder: Path, key_file: Path, assignment: Assignment, result: InitResult, *,
             replace: bool) -> None:
    """The key (instructor-only) and the source notebook of one assignment."""
    import nbformat

    _write_new(folder / KEYS_DIR / f"{assignment.id}.yaml",
               lambda p: shutil.copyfile(key_file, p), result, replace=replace)
    _write_new(folder / "source" / assignment.id / f"{assignment.id}.ipynb",
               lambda p: nbformat.write(build_source_notebook(assignment), p), result,
               replace=replace)


def add_assignment(*, course_dir: Path | str, file: Path | str, due: str | None = None
                   ) -> InitResult:
    """Add the assignment file ``file`` (``<id>.yaml``, key included) to a live course, or
    update it: its key goes to ``keys/``, its source notebook is built again and
    generated (``release/`` and the gradebook), and ``due`` (e.g. ``"2026-12-01 17:00"``,
    UTC unless a zone is given) becomes its due date. Grades already given stay; the next
    ``grade run`` regrades what a changed key affects."""
    from nbgrader.api import Gradebook

    path = Path(file).expanduser().resolve()
    if not path.exists():
        raise UsageError(f"{path}: no such file; give an assignment file (<id>.yaml)")
    if not path.is_file() or path.suffix != ".yaml":
        raise UsageError(f"{path} is not an assignment file (<id>.yaml)")
    course = CourseFolder.open(course_dir)
    assignment = load_assignment(path)
    check_released_variants(course, assignment)
    result = InitResult(course.root, course.exchange_inbound.parent.parent)
    make_secret(course.keys_dir)  # a course made before variants existed gets one now
    if path != course.key_file(assignment.id).resolve():
        _install(course.root, path, assignment, result, replace=True)
    else:  # the key in keys/ was edited in place: build the source from it
        import nbformat

        target = course.source(assignment.id) / f"{assignment.id}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(build_source_notebook(assignment), target)
        result.written.append(str(target.relative_to(course.root)))
    generate_assignment(course_dir=course.root, assignment=assignment.id)
    if due is not None:
        from nbgrader.utils import parse_utc

        try:
            when = parse_utc(due)
        except Exception:  # dateutil raises several kinds
            raise UsageError(f"--due {due!r} is not a date and time (say "
                             "\"2026-12-01 17:00\", UTC, or add a zone)") from None
        with Gradebook(course.db_url) as gb:
            gb.update_or_create_assignment(assignment.id, duedate=when)
    course.protect()
    return result


def check_released_variants(course: CourseFolder, assignment: Assignment) -> None:
    """Refuse a new version of a released assignment whose variants differ: students'
    notebooks already show the post their variant gave them."""
    released = course.keys_dir / f"{assignment.id}{RELEASES_SUFFIX}"
    if not released.is_file() or not course.key_file(assignment.id).is_file():
        return
    before = course.key(assignment.id)
    for item_id in sorted(set(before.variants) | set(assignment.variants)):
        old = list(before.variants.get(item_id, {}))
        new = list(assignment.variants.get(item_id, {}))
        if old and old != new:
            raise GradingError(
                f"{assignment.id}.yaml: entry {item_id!r}: variants: {assignment.id} has been "
                f"released with variants {', '.join(old)}; changing them would change which "
                "post students were given: add a new item instead")


def _repository_of(path: Path) -> Path | None:
    """The git work tree holding ``path``, if any."""
    for parent in (path, *path.parents):
        if (parent / ".git").exists():
            return parent
    return None


def generate_assignment(*, course_dir: Path | str, assignment: str) -> None:
    """What ``nbgrader generate_assignment ASSIGNMENT --force`` does, from Python."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.utils import capture_log

    course = CourseFolder.open(course_dir)
    coursedir = course.coursedir()
    coursedir.assignment_id = assignment
    app = GenerateAssignment(coursedir=coursedir, config=course.config)
    app.force = True
    failure = step_failure(capture_log(app))
    if failure:
        raise GradingError(f"generate_assignment {assignment} failed: {failure}")
    course.protect()


def step_failure(result: dict) -> str | None:
    """The last line nbgrader logged for a failed step run with ``capture_log``, or
    ``None`` if it succeeded."""
    if result["success"]:
        return None
    lines = (result.get("error") or result.get("log") or "").strip().splitlines()
    return lines[-1] if lines else "no message"
