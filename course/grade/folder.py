"""The course folder: one object that knows where everything in it lives.

:class:`CourseFolder` reads the course's ``nbgrader_config.py`` and answers every
question of layout through nbgrader's own :class:`~nbgrader.coursedir.CourseDirectory`
(so a configured ``submitted_directory``, ``directory_structure`` or ``db_url`` is
honoured) plus the course's own settings (``keys_dir``). Everything else in
:mod:`course.grade` asks it instead of joining paths by hand.

:func:`init_course` makes a ready course folder; :func:`generate_assignment` does what
``nbgrader generate_assignment`` does, from Python.
"""

from __future__ import annotations

import glob
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from ..errors import GradingError, UsageError
from .assignments import Assignment, build_source_notebook, load_assignment, load_assignments
from .variants import make_secret

if TYPE_CHECKING:
    from nbgrader.coursedir import CourseDirectory

__all__ = [
    "CONFIG_TEMPLATE",
    "KEYS_DIR",
    "REPORTS_DIR",
    "RUNS_DIR",
    "CourseFolder",
    "generate_assignment",
    "init_course",
    "step_failure",
]

#: The nbgrader configuration a new course folder starts from (package data).
CONFIG_TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "nbgrader_config.py"
KEYS_DIR = "keys"  #: answer keys, when the config names no other folder
RUNS_DIR = "grade-runs"  #: a record per graded submission, and each run's log
REPORTS_DIR = "reports"  #: class report and grade exports


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


def load_key(path: Path, assignment: str) -> Assignment:
    """An answer key file, or a one-line error naming where it should be."""
    if not path.is_file():
        raise GradingError(f"no answer key for {assignment!r} at {path}: copy its "
                           "assignment file there")
    return load_assignment(path)


def init_course(*, folder: Path | str, assignments: Path | str, force: bool = False) -> Path:
    """Create a ready nbgrader course folder at ``folder``, with the assignments of the
    folder ``assignments`` (``<id>.yaml`` files, keys included).

    It holds ``nbgrader_config.py``, ``source/<assignment>/`` built from every assignment
    file, and ``keys/`` with those files (the answer keys) and the course secret that
    decides each student's variants, apart from ``source/``.
    ``folder`` may not lie inside the folder the assignments come from (student data never
    lives beside the keys' source).
    """
    folder = Path(folder).expanduser().resolve()
    source_dir = Path(assignments).expanduser().resolve()
    if not source_dir.is_dir():
        raise UsageError(f"no assignments folder at {source_dir}: pass --assignments DIR "
                         "(the repository's sample assessments are grading/assignments)")
    loaded = load_assignments(source_dir)  # checked before anything is written
    home = _repository_of(source_dir)
    if home is not None and (folder == home or home in folder.parents):
        raise UsageError(f"{folder} is inside the course repository; student data never "
                         "lives there: choose a folder elsewhere")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; choose a new folder")
    if folder.exists() and any(folder.iterdir()) and not force:
        raise UsageError(f"{folder} is not empty; choose a new folder (or pass --force)")
    keys = folder / KEYS_DIR
    keys.mkdir(parents=True, exist_ok=True)
    (folder / "exchange").mkdir(exist_ok=True)
    import nbformat

    make_secret(keys)  # decides each student's variants; never leaves keys/
    for assignment in loaded.values():
        shutil.copy2(source_dir / f"{assignment.id}.yaml", keys / f"{assignment.id}.yaml")
        target = folder / "source" / assignment.id
        target.mkdir(parents=True, exist_ok=True)
        nbformat.write(build_source_notebook(assignment), target / f"{assignment.id}.ipynb")
    config = CONFIG_TEMPLATE.read_text(encoding="utf-8")
    config = config.replace("{{keys_dir}}", str(keys)).replace("{{root}}", str(folder))
    (folder / "nbgrader_config.py").write_text(config, encoding="utf-8")
    return folder


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


def step_failure(result: dict) -> str | None:
    """The last line nbgrader logged for a failed step run with ``capture_log``, or
    ``None`` if it succeeded."""
    if result["success"]:
        return None
    lines = (result.get("error") or result.get("log") or "").strip().splitlines()
    return lines[-1] if lines else "no message"
