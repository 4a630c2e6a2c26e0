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

Under ``GenerateAssignment.preprocessors``, :class:`ReleaseVariants` gives each variant
item's released cell the table of who gets which variant (:mod:`course.grade.variants`).

Under ``GenerateFeedback.preprocessors``, :class:`ShowOwnVariant` narrows each cell with
a version per student to the student's own; :class:`KeepGraderFeedbackOnly` keeps only
what the grader wrote; :class:`FeedbackExporter` compiles the feedback templates once.
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
from .assignments import Assignment, graded_cell_source, spec_of_cell
from .folder import CourseFolder, load_key
from .scoring import FEEDBACK_MIME, rewrites_to_hand_grade, score_notebook
from .variants import for_submission, read_secret, record_release, release_table

__all__ = [
    "FeedbackExporter",
    "GradeSavedAnswers",
    "KeepGraderFeedbackOnly",
    "LoadAnswerKey",
    "ReleaseVariants",
    "RequestHandGrading",
    "ShowOwnVariant",
]


def _key(preprocessor: NbGraderPreprocessor, keys_dir: str, assignment: str) -> Assignment:
    """The key, from the step's own ``keys_dir`` or else where the course folder keeps it."""
    if keys_dir:
        return load_key(Path(keys_dir) / f"{assignment}.yaml", assignment)
    return _folder(preprocessor).key(assignment)


def _keys_dir(preprocessor: NbGraderPreprocessor, keys_dir: str) -> Path:
    return Path(keys_dir) if keys_dir else _folder(preprocessor).keys_dir


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
        # Each variant item is the student's own variant, derived from their id again.
        assignment, answers = for_submission(assignment, answers, student=info["student"],
                                             keys_dir=_keys_dir(self, self.keys_dir))
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


class ReleaseVariants(NbGraderPreprocessor):
    """In ``generate_assignment``, before the checksums: each variant item's cell gets the
    table of which variant each student on the gradebook's roster sees (digests of their
    ids; the course secret stays in the keys folder), and the release is recorded in the
    ledger beside the keys. Students added to the roster later see the default variant
    until the assignment is generated and released again."""

    keys_dir = Unicode("", help="Folder holding the answer keys and the course secret.").tag(
        config=True)

    def preprocess(self, nb: NotebookNode, resources: dict):
        from nbgrader.api import Gradebook

        info = resources["nbgrader"]
        key = _key(self, self.keys_dir, info["assignment"])
        if not key.variants:
            return nb, resources
        keys_dir = _keys_dir(self, self.keys_dir)
        secret = read_secret(keys_dir)
        if secret is None:
            self.log.warning("No course secret in %s: every student sees the first variant "
                             "of %s (make one with `python -m course grade init`)", keys_dir,
                             ", ".join(key.variants))
            return nb, resources
        with Gradebook(info["db_url"]) as gb:
            students = [s.id for s in gb.students]
        if not students:
            self.log.warning("The gradebook lists no students: everyone sees the first "
                             "variant of each item until you add the roster (nbgrader db "
                             "student import) and generate %s again", info["assignment"])
        for cell in nb.cells:
            item_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            spec = spec_of_cell(cell.source) if item_id in key.variants else None
            if spec is not None:
                spec["choose"] = release_table(key, item_id, secret=secret, students=students)
                cell.source = graded_cell_source(spec)
        record_release(keys_dir, info["assignment"], students)
        self.log.info("Variants of %s chosen for %d students", info["assignment"],
                      len(students))
        return nb, resources


class ShowOwnVariant(NbGraderPreprocessor):
    """In feedback, a cell with a version per student shows the student's own version
    only (the released cell listed every version and who gets which): the one they were
    graded on, resolved as :class:`GradeSavedAnswers` resolves it."""

    keys_dir = Unicode("", help="Folder holding the answer keys and the course secret.").tag(
        config=True)

    def preprocess(self, nb: NotebookNode, resources: dict):
        info = resources["nbgrader"]
        key = _key(self, self.keys_dir, info["assignment"])
        if not key.variants:
            return nb, resources
        submitted = _folder(self).submitted(info["student"], info["assignment"])
        answers = read_submission_answers(submitted, submitted / f"{info['notebook']}.ipynb")
        mine, _ = for_submission(key, answers, student=info["student"],
                                 keys_dir=_keys_dir(self, self.keys_dir))
        for cell in nb.cells:
            item_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            spec = spec_of_cell(cell.source) if item_id in mine.chosen else None
            own = [v for v in (spec or {}).get("variants", ())
                   if v.get("id") == mine.chosen[item_id]]
            if spec is not None and own:
                spec = {k: v for k, v in spec.items() if k not in ("variants", "choose")}
                cell.source = graded_cell_source({**spec, "post": own[0]["post"],
                                                  "variant": own[0]["id"]})
        return nb, resources
