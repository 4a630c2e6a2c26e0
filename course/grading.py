"""The course's grading step inside nbgrader, and the course folder it runs in.

:class:`GradeSavedAnswers` is an nbgrader preprocessor that the course's nbgrader config
places in ``Autograde.autograde_preprocessors`` just before ``SaveAutoGrades``. It runs
in nbgrader's own process, after the student's notebook has executed: it reads the
answers the student saved (``answers/*.json`` and the notebook's mirror, from
``submitted/``), scores them with :func:`course.exercises.check` against the keys in the
course's ``keys/`` folder, and writes each graded cell's outputs: the score (which
nbgrader records as partial credit) and per-item feedback. Whatever the student's kernel
printed or computed in those cells is thrown away.

:func:`init_course` makes a ready course folder outside the repository;
:func:`course_config` reads its nbgrader configuration and :func:`generate_assignment`
does what ``nbgrader generate_assignment`` does, from Python.
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import replace
from pathlib import Path

import nbformat
from jinja2 import BytecodeCache
from jupyter_core.utils import ensure_async
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbconvert.exporters import HTMLExporter
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Float, Unicode
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .answers import read_submission_answers
from .assignments import (
    ASSIGNMENTS_DIR,
    Assignment,
    build_source_notebook,
    load_assignment,
    load_assignments,
)
from .errors import CourseError
from .exercises import check

__all__ = [
    "CONFIG_TEMPLATE",
    "STOPPED",
    "ExecuteGuarded",
    "FeedbackExporter",
    "GradeSavedAnswers",
    "KeepGraderFeedbackOnly",
    "LoadAnswerKey",
    "RequestHandGrading",
    "course_config",
    "generate_assignment",
    "grading_notes",
    "init_course",
    "score_notebook",
    "step_failure",
]

ROOT = Path(__file__).resolve().parent.parent
CONFIG_TEMPLATE = ROOT / "grading" / "nbgrader_config.py"
FEEDBACK_MIME = "text/markdown"


def score_notebook(nb: NotebookNode, assignment: Assignment, answers: dict[str, dict]) -> dict:
    """Replace the outputs of every graded widget cell with its score and feedback.

    Returns ``{item id: Feedback}``. Pure: no nbgrader, no files.
    """
    results = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        item = assignment.items.get(meta.get("grade_id"))
        if item is None or cell.cell_type != "code":
            continue
        record = answers.get(item.id)
        answer = None if record is None else record.get("answer")
        if item.kind == "rewrite":
            # Scored 0 for now; RequestHandGrading hands a real rewrite to a person.
            cell.outputs = [*_rewrite_review(item, answer), new_output(
                "execute_result", data={"text/plain": "0"},
                execution_count=cell.get("execution_count"))]
            continue
        # Feedback explains with the course's own tag definitions, not the key's notes.
        if item.post is not None:
            item = replace(item, post=replace(item.post, tags=dict.fromkeys(item.post.tags, "")))
        feedback = check(item, answer)
        results[item.id] = feedback
        cell.outputs = [
            new_output("display_data", data={FEEDBACK_MIME: _feedback_markdown(feedback)}),
            new_output("execute_result", data={"text/plain": f"{feedback.score:g}"},
                       execution_count=cell.get("execution_count")),
        ]
    return results


def _feedback_markdown(feedback) -> str:
    lines = [f"**{feedback.status.capitalize()}** ({feedback.score:g}/{feedback.points:g}). "
             f"{feedback.message}"]
    lines += [f"- {d}" for d in feedback.details]
    return "\n".join(lines)


def _rewrite_review(item, answer) -> list:
    from .critique import analyze

    if not answer or not str(answer).strip():
        text = "**No rewrite was saved.**"
    else:
        after = analyze(str(answer), item.post.platform)
        before = analyze(item.post.text, item.post.platform)
        lines = ["**Rewrite submitted:**", "", "> " + str(answer).replace("\n", "\n> "), "",
                 "**The critic's view (a suggestion for the grader):** "
                 f"original tags: {', '.join(sorted(before.tags)) or 'none'}; "
                 f"rewrite tags: {', '.join(sorted(after.tags)) or 'none'}."]
        lines += [f"- {after.text[e.start:e.end]!r}: {e.tag}: {e.explanation}"
                  for e in after.evidence]
        if item.rubric:
            lines += ["", "**Rubric:**"] + [f"- {r}" for r in item.rubric]
        text = "\n".join(lines)
    return [new_output("display_data", data={FEEDBACK_MIME: text})]


def _load_key(keys_dir: str, assignment_id: str) -> Assignment:
    key_file = Path(keys_dir) / f"{assignment_id}.yaml"
    if not key_file.is_file():
        raise CourseError(f"no answer key for {assignment_id!r} at {key_file}")
    return load_assignment(key_file)


class ExecuteGuarded(Execute):
    """nbgrader's Execute, hardened against what a student's code can do to a run.

    - A cell that runs past ``timeout`` or prints more than ``max_output_mb`` is
      interrupted; the notebook goes on with the next cell.
    - A kernel that dies or hangs, or a cell that fills the sandbox's process limit (a
      fork bomb), stops this notebook only: every test cell that did not run is marked
      failed, and grading goes on.
    Each of these leaves an error output named :data:`STOPPED` saying what happened, which
    the grading pipeline reports to the instructor.
    """

    max_output_mb = Float(
        8.0, help="Output a cell may print, in MiB; past it the cell is interrupted and "
                  "the rest of its output dropped.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict, km=None):
        self._printed: dict[int, int] = {}
        self._kernel_manager = None
        self._notes: dict[int, str] = {}
        try:
            return super().preprocess(nb, resources, km=km)
        except (CellTimeoutError, DeadKernelError, RuntimeError, NotebookStopped) as exc:
            reason = _stop_reason(exc)
            said = getattr(self._kernel_manager, "kernel_log", lambda: "")()
            if "before replying" in str(exc):
                reason = "the kernel did not start" + (f" ({said})" if said else "")
            self.log.warning("Stopped executing %s: %s", resources["nbgrader"]["student"],
                             reason)
            for cell in nb.cells:
                meta = cell.metadata.get("nbgrader", {})
                if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution") \
                        and not any(o.get("output_type") == "error" for o in cell.outputs):
                    cell.outputs.append(_stopped(
                        f"the notebook stopped before this test ran: {reason}"))
            return nb, resources
        finally:
            for index, note in self._notes.items():
                nb.cells[index].outputs.append(_stopped(note))
            release = getattr(self._kernel_manager, "release_sandbox", None)
            if release is not None:
                release()

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int):
        cell, resources = super().preprocess_cell(cell, resources, index)
        if index in self._notes or any(o.get("output_type") == "error"
                                       for o in cell.get("outputs", [])):
            self._stop_at_process_limit(index)
        return cell, resources

    def _stop_at_process_limit(self, index: int) -> None:
        """Stop the notebook if cell ``index`` filled the sandbox with processes: the
        stray copies of a forked kernel can take its messages, so nothing after is sure."""
        full = getattr(self.km, "process_limit_reached", None)
        if full is not None and full():
            self._notes[index] = (
                f"cell {index + 1} started processes until the sandbox's limit of "
                f"{self.km.max_processes} was reached: the notebook stopped there")
            raise NotebookStopped(f"cell {index + 1} reached the process limit")

    def create_kernel_manager(self):
        self._kernel_manager = super().create_kernel_manager()
        return self._kernel_manager

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(content.get("text", "")) + sum(len(str(v)) for v in
                                                  content.get("data", {}).values())
        printed = self._printed.get(cell_index, 0) + size
        self._printed[cell_index] = printed
        limit = self.max_output_mb * 2**20
        if printed <= limit:
            return super().output(outs, msg, display_id, cell_index)
        if cell_index not in self._notes:
            self._notes[cell_index] = (
                f"cell {cell_index + 1} printed more than {self.max_output_mb:g} MiB: it was "
                "interrupted and the rest of its output dropped")
            self._interrupt = asyncio.ensure_future(ensure_async(self.km.interrupt_kernel()))
        return None

    async def _async_handle_timeout(self, timeout, cell=None):
        index = next((i for i, c in enumerate(self.nb.cells) if c is cell), None)
        if index is not None:
            self._stop_at_process_limit(index)
            self._notes.setdefault(index, f"cell {index + 1} ran longer than {timeout} s: it "
                                          "was interrupted")
        return await super()._async_handle_timeout(timeout, cell)


class NotebookStopped(Exception):
    """Raised by :class:`ExecuteGuarded` to stop a notebook whose kernel cannot go on."""


#: The error name of the notes :class:`ExecuteGuarded` leaves in a graded notebook.
STOPPED = "GradingStopped"


def _stopped(note: str) -> NotebookNode:
    return new_output("error", ename=STOPPED, evalue=note, traceback=[f"{STOPPED}: {note}"])


def _stop_reason(exc: Exception) -> str:
    if isinstance(exc, NotebookStopped):
        return str(exc)
    if isinstance(exc, DeadKernelError) or "died" in str(exc):
        return ("the kernel died (a crash, or a sandbox limit on CPU time, processes or "
                "file size)")
    if isinstance(exc, CellTimeoutError):
        return "the kernel stopped answering"
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


def grading_notes(nb: NotebookNode) -> list[str]:
    """The notes :class:`ExecuteGuarded` left in a graded notebook, once each."""
    notes = [o.get("evalue", "") for c in nb.cells if c.cell_type == "code"
             for o in c.get("outputs", []) if o.get("ename") == STOPPED]
    notes += [f"cell {i + 1} ran out of memory (MemoryError)" for i, c in enumerate(nb.cells)
              if c.cell_type == "code"
              and any(o.get("ename") == "MemoryError" for o in c.get("outputs", []))]
    return list(dict.fromkeys(notes))


class LoadAnswerKey(NbGraderPreprocessor):
    """Read the answer key before the student's code runs, so nothing it does to files
    can change the key this notebook is graded with."""

    keys_dir = Unicode("", help="Folder holding the answer keys (<assignment>.yaml).").tag(
        config=True)

    def preprocess(self, nb: NotebookNode, resources: dict):
        resources["course_answer_key"] = _load_key(self.keys_dir,
                                                   resources["nbgrader"]["assignment"])
        return nb, resources


class GradeSavedAnswers(NbGraderPreprocessor):
    """Score widget items from the answers a student saved, against instructor-only keys."""

    keys_dir = Unicode(
        "", help="Folder holding the answer keys (<assignment>.yaml). Keep it outside "
                 "source/ and release/ so that no student ever receives it.",
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict):
        from nbgrader.coursedir import CourseDirectory

        info = resources["nbgrader"]
        assignment = resources.get("course_answer_key") or _load_key(self.keys_dir,
                                                                    info["assignment"])
        coursedir = CourseDirectory(config=self.config)
        submitted = Path(coursedir.format_path(
            coursedir.submitted_directory, info["student"], info["assignment"]))
        answers = read_submission_answers(submitted, submitted / f"{info['notebook']}.ipynb")
        resources["course_answer_key"] = assignment
        resources["course_answers"] = answers
        results = score_notebook(nb, assignment, answers)
        self.log.info("Scored %d saved answers for %s", len(results), info["student"])
        return nb, resources


def rewrites_to_hand_grade(assignment: Assignment, answers: dict[str, dict]) -> list[str]:
    """Rewrite items for which the student saved a real rewrite."""
    out = []
    for item in assignment.items.values():
        record = answers.get(item.id)
        text = str((record or {}).get("answer") or "").strip()
        if item.kind == "rewrite" and text and text != item.post.text.strip():
            out.append(item.id)
    return out


class RequestHandGrading(NbGraderPreprocessor):
    """After ``SaveAutoGrades``: a saved rewrite has no automatic score; nbgrader lists it
    for a person to grade, with the critic's view beside it."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        from nbgrader.api import Gradebook

        info = resources["nbgrader"]
        answers = resources.get("course_answers", {})
        wanted = rewrites_to_hand_grade(resources["course_answer_key"], answers)
        if wanted:
            with Gradebook(info["db_url"]) as gb:
                for item_id in wanted:
                    grade = gb.find_grade(item_id, info["notebook"], info["assignment"],
                                          info["student"])
                    grade.auto_score = None
                    grade.needs_manual_grade = True
                gb.db.commit()
        return nb, resources


class KeepGraderFeedbackOnly(NbGraderPreprocessor):
    """In feedback, show only what the grader wrote: the course grader's notes on widget
    items, and pass / did not pass for test cells. Outputs that the student's code
    produced (which could print anything the kernel could read) are dropped."""

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int):
        if cell.cell_type != "code":
            return cell, resources
        meta = cell.metadata.get("nbgrader", {})
        ours = [o for o in cell.get("outputs", [])
                if o.get("output_type") == "display_data" and FEEDBACK_MIME in o.get("data", {})
                and meta.get("grade")]
        if ours:
            cell.outputs = ours
        elif meta.get("grade") and not meta.get("solution"):
            score, points = meta.get("score"), meta.get("points")
            verdict = ("Tests passed." if score is not None and points and score >= points
                       else "Tests did not pass.")
            cell.outputs = [new_output("stream", name="stdout", text=verdict + "\n")]
        else:
            cell.outputs = []
        return cell, resources


class _CompiledTemplates(BytecodeCache):
    """Jinja bytecode kept in memory, keyed by template name and source checksum."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class FeedbackExporter(HTMLExporter):
    """nbgrader's feedback exporter, compiling its templates once per process instead of
    once per notebook (``grade run`` workers set ``GenerateFeedback.exporter_class``)."""

    _compiled = _CompiledTemplates()

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = self._compiled
        return environment


def init_course(*, folder: Path | str, force: bool = False) -> Path:
    """Create a ready nbgrader course folder at ``folder`` (outside this repository).

    It holds ``nbgrader_config.py``, ``source/<assignment>/`` built from every file in
    ``grading/assignments/``, and ``keys/`` with those files (the answer keys), apart from
    ``source/``.
    """
    folder = Path(folder).expanduser().resolve()
    if folder == ROOT or ROOT in folder.parents:
        raise CourseError(f"{folder} is inside the course repository; student data never "
                          "lives there: choose a folder elsewhere")
    if folder.exists() and any(folder.iterdir()) and not force:
        raise CourseError(f"{folder} is not empty; choose a new folder (or pass --force)")
    assignments = load_assignments()  # checked before anything is written
    keys = folder / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    (folder / "exchange").mkdir(exist_ok=True)
    for assignment in assignments.values():
        shutil.copy2(ASSIGNMENTS_DIR / f"{assignment.id}.yaml", keys / f"{assignment.id}.yaml")
        target = folder / "source" / assignment.id
        target.mkdir(parents=True, exist_ok=True)
        nbformat.write(build_source_notebook(assignment), target / f"{assignment.id}.ipynb")
    config = CONFIG_TEMPLATE.read_text(encoding="utf-8")
    config = config.replace("{{keys_dir}}", str(keys)).replace("{{root}}", str(folder))
    (folder / "nbgrader_config.py").write_text(config, encoding="utf-8")
    return folder


def course_config(course_dir: Path) -> Config:
    """The course's nbgrader configuration, rooted at ``course_dir``."""
    path = course_dir / "nbgrader_config.py"
    if not path.is_file():
        raise CourseError(f"{course_dir} is not a course folder (no nbgrader_config.py): "
                          "make one with `python -m course grade init DIR`")
    config = PyFileConfigLoader(path.name, path=str(course_dir)).load_config()
    config.CourseDirectory.root = str(course_dir)
    return config


def generate_assignment(*, course_dir: Path, assignment: str) -> None:
    """What ``nbgrader generate_assignment ASSIGNMENT`` does, from Python."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import capture_log

    config = course_config(course_dir)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    app = GenerateAssignment(coursedir=coursedir, config=config)
    app.force = True
    failure = step_failure(capture_log(app))
    if failure:
        raise CourseError(f"generate_assignment {assignment} failed: {failure}")


def step_failure(result: dict) -> str | None:
    """The last line nbgrader logged for a failed step run with ``capture_log``, or
    ``None`` if it succeeded."""
    if result["success"]:
        return None
    lines = (result.get("error") or result.get("log") or "").strip().splitlines()
    return lines[-1] if lines else "no message"
