"""The course's steps inside nbgrader, named in a course folder's ``nbgrader_config.py``.

Under ``Autograde.autograde_preprocessors``:

- :class:`LoadAnswerKey` reads the answer key before the student's code runs;
- :class:`~course.grade.execute.ExecuteGuarded` runs the notebook (in its own module);
- :class:`GradeSavedAnswers`, just before ``SaveAutoGrades``, runs in nbgrader's own
  process after the student's notebook has executed: it reads the answers the student
  saved (``answers/*.json`` and the notebook's mirror, from ``submitted/``), scores them
  against the instructor-only key (:mod:`course.grade.scoring`) and writes each graded
  cell's outputs: the score (which nbgrader records as partial credit) and per-item
  feedback. Whatever the student's kernel printed or computed in those cells is thrown
  away;
- :class:`RequestHandGrading`, after ``SaveAutoGrades``, hands saved rewrites to a person.

Under ``GenerateFeedback.preprocessors``, :class:`KeepGraderFeedbackOnly` keeps only what
the grader wrote; :class:`FeedbackExporter` compiles the feedback templates once.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import BytecodeCache
from nbconvert.exporters import HTMLExporter
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from ..exercises.answers import read_submission_answers
from .assignments import Assignment
from .folder import CourseFolder, load_key
from .scoring import FEEDBACK_MIME, rewrites_to_hand_grade, score_notebook

__all__ = [
    "FeedbackExporter",
    "GradeSavedAnswers",
    "KeepGraderFeedbackOnly",
    "LoadAnswerKey",
    "RequestHandGrading",
]


def _key(preprocessor: NbGraderPreprocessor, keys_dir: str, assignment: str) -> Assignment:
    """The key, from the step's own ``keys_dir`` or else where the course folder keeps it."""
    if keys_dir:
        return load_key(Path(keys_dir) / f"{assignment}.yaml", assignment)
    return _folder(preprocessor).key(assignment)


def _folder(preprocessor: NbGraderPreprocessor) -> CourseFolder:
    root = preprocessor.config.get("CourseDirectory", {}).get("root") or "."
    return CourseFolder(Path(root).resolve(), preprocessor.config)


class LoadAnswerKey(NbGraderPreprocessor):
    """Read the answer key before the student's code runs, so nothing it does to files
    can change the key this notebook is graded with."""

    keys_dir = Unicode("", help="Folder holding the answer keys (<assignment>.yaml).").tag(
        config=True)

    def preprocess(self, nb: NotebookNode, resources: dict):
        resources["course_answer_key"] = _key(self, self.keys_dir,
                                              resources["nbgrader"]["assignment"])
        return nb, resources


class GradeSavedAnswers(NbGraderPreprocessor):
    """Score widget items from the answers a student saved, against instructor-only keys."""

    keys_dir = Unicode(
        "", help="Folder holding the answer keys (<assignment>.yaml). Keep it outside "
                 "source/ and release/ so that no student ever receives it.",
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict):
        info = resources["nbgrader"]
        assignment = resources.get("course_answer_key") or _key(self, self.keys_dir,
                                                               info["assignment"])
        submitted = _folder(self).submitted(info["student"], info["assignment"])
        answers = read_submission_answers(submitted, submitted / f"{info['notebook']}.ipynb")
        resources["course_answer_key"] = assignment
        resources["course_answers"] = answers
        results = score_notebook(nb, assignment, answers)
        self.log.info("Scored %d saved answers for %s", len(results), info["student"])
        return nb, resources


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
