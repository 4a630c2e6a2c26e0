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
- :class:`RequestHandGrading`, after ``SaveAutoGrades``, hands saved rewrites to a person,
  keeps hand grades whose answer did not change, and notes what each cell was graded
  with (key and answer fingerprints).

Under ``GenerateAssignment.preprocessors``, :class:`ReleaseVariants` gives each variant
item's released cell the table of who gets which variant (:mod:`course.grade.variants`).

Under ``GenerateFeedback.preprocessors``, :class:`ShowOwnVariant` narrows each cell with
a version per student to the student's own; :class:`KeepGraderFeedbackOnly` keeps only
what the grader wrote and names each question; :class:`RecordFeedback` notes the gradebook
state each page was written from. :class:`FeedbackExporter` (``GenerateFeedback.
exporter_class``) renders the course's feedback page, compiling its templates once.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path

from jinja2 import BytecodeCache
from nbconvert.exporters import HTMLExporter
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode
from traitlets.config import Config

from ..exercises import Rewrite
from ..exercises.answers import read_submission_answers
from .assignments import (
    COMMENTS_SUFFIX,
    Assignment,
    fingerprint,
    graded_cell_source,
    spec_of_cell,
)
from .execute import STOPPED
from .folder import CourseFolder, load_key
from .gradebooks import item_records, record_feedback, sqlite_path, write_item_records
from .scoring import FEEDBACK_MIME, score_notebook
from .variants import for_submission, read_secret, record_release, release_table

__all__ = [
    "FeedbackExporter",
    "GradeSavedAnswers",
    "KeepGraderFeedbackOnly",
    "LoadAnswerKey",
    "RecordFeedback",
    "ReleaseVariants",
    "RequestHandGrading",
    "ShowOwnVariant",
    "answer_print",
    "question_markdown",
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
    """Score widget items from the answers a student saved, against instructor-only keys.

    It also notes, for :class:`RequestHandGrading`, how the gradebook stood before
    ``SaveAutoGrades`` changes it: which cells a person had graded, which were waiting
    for one, and what answer each was graded on."""

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
        resources["course_before"] = _grades_before(info)
        results = score_notebook(nb, assignment, answers)
        self.log.info("Scored %d saved answers for %s", len(results), info["student"])
        return nb, resources


def _grades_before(info: dict) -> dict[str, tuple[bool, bool, str | None]]:
    """Per grade cell: (a person gave it a score, it waits for a person, the answer
    fingerprint recorded when it was last graded)."""
    from nbgrader.api import Gradebook, MissingEntry

    path = sqlite_path(info["db_url"])
    records = {} if path is None else item_records(
        gradebook=path, assignment=info["assignment"], student=info["student"],
        notebook=info["notebook"])
    with Gradebook(info["db_url"]) as gb:
        try:
            notebook = gb.find_submission_notebook(info["notebook"], info["assignment"],
                                                   info["student"])
        except MissingEntry:
            return {}
        return {g.name: (g.manual_score is not None, bool(g.needs_manual_grade),
                         records.get(g.name, (None, None))[1]) for g in notebook.grades}


def answer_print(cell: NotebookNode, nb: NotebookNode, key: Assignment,
                 answers: dict[str, dict]) -> str:
    """A fingerprint of what the student answered for the graded cell ``cell``: the saved
    answer of a widget item, the student's code for a test cell."""
    grade_id = cell.metadata["nbgrader"]["grade_id"]
    if grade_id in key.items:
        answer = (answers.get(grade_id) or {}).get("answer")
        return fingerprint(json.dumps(answer, sort_keys=True, default=str))
    code = [c.source for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get(
        "solution")]
    return fingerprint("\n\x00".join(code))


class RequestHandGrading(NbGraderPreprocessor):
    """After ``SaveAutoGrades``: decide what a person must grade, keep what a person
    graded, and note what each cell was graded with.

    - A saved rewrite has no automatic score: it waits for a person, with the critic's
      view beside it; a missing one scores 0. The comment box under it has no points
      and waits for nobody.
    - A cell a person already graded keeps its hand grade. If the student's answer is the
      one that was graded, it stays graded (``nbgrader autograde --force``, a fixed key or
      a regrade change nothing a person did); if the answer changed (a resubmission), it
      is flagged for the person to look at again, the old grade still shown.
    - The fingerprint of each cell's key and answer goes into the gradebook
      (``course_graded_item``): ``grade run`` notices a changed key by it.
    """

    def preprocess(self, nb: NotebookNode, resources: dict):
        from nbgrader.api import Gradebook

        info = resources["nbgrader"]
        key: Assignment = resources["course_answer_key"]
        answers = resources.get("course_answers", {})
        before = resources.get("course_before", {})
        records: dict[str, tuple[str | None, str | None]] = {}
        with Gradebook(info["db_url"]) as gb:
            for cell in nb.cells:
                meta = cell.get("metadata", {}).get("nbgrader", {})
                if meta.get("task") and str(meta.get("grade_id")).endswith(COMMENTS_SUFFIX):
                    # A comment box of no points: nothing for a person to grade there.
                    grade = gb.find_grade(meta["grade_id"], info["notebook"],
                                          info["assignment"], info["student"])
                    grade.auto_score, grade.needs_manual_grade = 0.0, False
                    continue
                if not meta.get("grade"):
                    continue
                name = meta["grade_id"]
                grade = gb.find_grade(name, info["notebook"], info["assignment"],
                                      info["student"])
                answer = answer_print(cell, nb, key, answers)
                item = key.items.get(name)
                attempted = None
                if isinstance(item, Rewrite):
                    attempted = item.is_attempt((answers.get(name) or {}).get("answer"))
                    grade.auto_score = None if attempted else 0.0
                graded_by_hand, waiting, graded_answer = before.get(name, (False, False, None))
                if grade.manual_score is not None:
                    same = graded_by_hand and graded_answer == answer
                    grade.needs_manual_grade = waiting if same else True
                elif attempted is not None:
                    grade.needs_manual_grade = attempted
                key_print = (key.prints.get(name) if item is not None
                             else fingerprint(cell.source))
                records[name] = (key_print, answer)
            gb.db.commit()
        path = sqlite_path(info["db_url"])
        if path is not None:
            write_item_records(gradebook=path, assignment=info["assignment"],
                               student=info["student"], notebook=info["notebook"],
                               records=records)
        return nb, resources


class RecordFeedback(NbGraderPreprocessor):
    """Last in ``GenerateFeedback.preprocessors``: note the state of the gradebook this
    feedback page is written from, so a page that no longer matches it (a hand grade
    given since) is found and written again before it is released."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        info = resources["nbgrader"]
        path = sqlite_path(info["db_url"])
        if path is not None:
            record_feedback(gradebook=path, assignment=info["assignment"],
                            student=info["student"])
        return nb, resources


class KeepGraderFeedbackOnly(NbGraderPreprocessor):
    """Make the feedback page say what the grader found, and nothing a student's code
    printed (it could print anything the kernel could read):

    - a widget item shows its question (number, prompt, post, options) instead of the
      code that drew its widget, and the course grader's notes on the answer;
    - a test cell says whether the tests passed and, when they did not, the message of
      the visible test that failed (never anything from a hidden test);
    - a cell a person has still to grade is marked ``pending`` ("awaiting grading");
    - every graded cell is named by its question, as in the notebook.
    """

    def preprocess(self, nb: NotebookNode, resources: dict):
        from nbgrader.api import Gradebook, MissingEntry

        info = resources["nbgrader"]
        self._pending: set[str] = set()
        with Gradebook(info["db_url"]) as gb, contextlib.suppress(MissingEntry):
            notebook = gb.find_submission_notebook(info["notebook"], info["assignment"],
                                                   info["student"])
            self._pending = {g.name for g in notebook.grades if g.needs_manual_grade}
        self._number: str | None = None
        nb, resources = super().preprocess(nb, resources)
        info["pending"] = len(self._pending)
        return nb, resources

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown":
            found = QUESTION_HEADING.search(cell.source)
            if found:
                self._number = found.group(1)
            if meta.get("task") and str(meta.get("grade_id", "")).endswith(COMMENTS_SUFFIX):
                meta["question"] = f"Comments on question {self._number}"
            return cell, resources
        if cell.cell_type != "code":
            return cell, resources
        spec = spec_of_cell(cell.source)
        if spec is not None and meta.get("grade"):
            self._number = str(spec.get("number", "")) or self._number
            meta["question"] = f"Question {self._number}"
            meta["question_text"] = question_markdown(spec)
        elif meta.get("solution"):
            meta["question"] = f"Your answer to question {self._number}"
        elif meta.get("grade"):
            meta["question"] = f"Question {self._number}: tests"
        if meta.get("grade") and meta.get("grade_id") in self._pending:
            meta["pending"] = True
        ours = [o for o in cell.get("outputs", [])
                if o.get("output_type") == "display_data" and FEEDBACK_MIME in o.get("data", {})
                and meta.get("grade")]
        if ours:
            cell.outputs = ours
        elif meta.get("grade") and not meta.get("solution"):
            cell.outputs = [new_output("stream", name="stdout",
                                       text=_test_verdict(cell, meta) + "\n")]
        else:
            cell.outputs = []
        return cell, resources


#: The heading build_source_notebook gives a code task: "## Question 5".
QUESTION_HEADING = re.compile(r"^#+\s*Question\s+(\d+)", re.M)


def question_markdown(spec: dict) -> str:
    """A graded item's question as a student read it: prompt, post and options."""
    lines = [f"**Question {spec.get('number', '')}.** {spec.get('prompt', '')}"]
    post = spec.get("post")
    if isinstance(post, dict):
        who = f"{post.get('author')}, " if post.get("author") else ""
        lines += ["", f"> {str(post.get('text', '')).replace(chr(10), chr(10) + '> ')}",
                  f"> — {who}{post.get('platform', '')}"]
    options = spec.get("options") or []
    if options:
        lines.append("")
        lines += [f"- {o.get('text') if isinstance(o, dict) else o}" for o in options]
    return "\n".join(lines)


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def _test_verdict(cell: NotebookNode, meta: dict) -> str:
    """Passed, or why not: a visible test's own message (the traceback's failing line and
    the message must both be in the cell as the student sees it, hidden tests removed),
    or the grader's note when the notebook stopped before the test ran."""
    score, points = meta.get("score"), meta.get("points")
    if score is not None and points and score >= points:
        return "Tests passed."
    visible = cell.source
    reasons = []
    for output in cell.get("outputs", []):
        if output.get("output_type") != "error":
            continue
        ename, evalue = str(output.get("ename", "")), str(output.get("evalue", ""))
        if ename == STOPPED:
            reasons.append(evalue)
            continue
        failing = [line.split("---->", 1)[1].strip().lstrip("0123456789").strip()
                   for line in map(_strip_ansi, output.get("traceback", []))
                   for line in line.splitlines() if "---->" in line]
        from_visible = bool(failing) and bool(failing[0]) and failing[0] in visible
        if from_visible or (evalue and evalue in visible):
            reasons.append(f"{ename}: {evalue}" if evalue else ename)
    return "Tests did not pass." + (" " + "; ".join(reasons) if reasons else "")


class _CompiledTemplates(BytecodeCache):
    """Jinja bytecode kept in memory, keyed by template name and source checksum."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


#: The course's templates (package data), among them the feedback page's.
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
#: The course's feedback page (``templates/course_feedback``): questions by number,
#: "awaiting grading", no MathJax or anything else from the network.
FEEDBACK_TEMPLATE = "course_feedback"


class FeedbackExporter(HTMLExporter):
    """The course's feedback page (:data:`FEEDBACK_TEMPLATE`), with its templates compiled
    once per process instead of once per notebook. The course's ``nbgrader_config.py``
    names it in ``GenerateFeedback.exporter_class``."""

    _compiled = _CompiledTemplates()

    def __init__(self, config=None, **kwargs):
        # GenerateFeedback configures nbgrader's own template (HTMLExporter.template_name);
        # the course's replaces it, found beside nbgrader's templates.
        config = copy.deepcopy(config) if config is not None else Config()
        basedirs = list(config.get("HTMLExporter", {}).get("extra_template_basedirs", []))
        config.FeedbackExporter.template_name = FEEDBACK_TEMPLATE
        config.FeedbackExporter.extra_template_basedirs = [*basedirs, str(TEMPLATES)]
        super().__init__(config=config, **kwargs)

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = self._compiled
        return environment


class _VariantStep(NbGraderPreprocessor):
    """What the two steps on cells with a version per student share: where the keys and
    the course secret are, and which cells they touch."""

    keys_dir = Unicode("", help="Folder holding the answer keys and the course secret.").tag(
        config=True)


def _variant_cells(nb: NotebookNode, item_ids) -> Iterator[tuple[NotebookNode, str, dict]]:
    """``(cell, item id, its spec)`` for each graded cell of an item in ``item_ids``."""
    for cell in nb.cells:
        item_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        spec = spec_of_cell(cell.source) if item_id in item_ids else None
        if spec is not None:
            yield cell, item_id, spec


class ReleaseVariants(_VariantStep):
    """In ``generate_assignment``, before the checksums: each variant item's cell gets the
    table of which variant each student on the gradebook's roster sees (digests of their
    ids; the course secret stays in the keys folder), and the release is recorded in the
    ledger beside the keys. Students added to the roster later see the default variant
    until the assignment is generated and released again."""

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
        for cell, item_id, spec in _variant_cells(nb, key.variants):
            spec["choose"] = release_table(key, item_id, secret=secret, students=students)
            cell.source = graded_cell_source(spec)
        record_release(keys_dir, info["assignment"], students)
        self.log.info("Variants of %s chosen for %d students", info["assignment"],
                      len(students))
        return nb, resources


class ShowOwnVariant(_VariantStep):
    """In feedback, a cell with a version per student shows the student's own version
    only (the released cell listed every version and who gets which): the one they were
    graded on, resolved as :class:`GradeSavedAnswers` resolves it."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        info = resources["nbgrader"]
        key = _key(self, self.keys_dir, info["assignment"])
        if not key.variants:
            return nb, resources
        submitted = _folder(self).submitted(info["student"], info["assignment"])
        answers = read_submission_answers(submitted, submitted / f"{info['notebook']}.ipynb")
        mine, _ = for_submission(key, answers, student=info["student"],
                                 keys_dir=_keys_dir(self, self.keys_dir))
        for cell, item_id, spec in _variant_cells(nb, mine.chosen):
            own = [v for v in spec.get("variants", ()) if v.get("id") == mine.chosen[item_id]]
            if own:
                spec = {k: v for k, v in spec.items() if k not in ("variants", "choose")}
                cell.source = graded_cell_source({**spec, "post": own[0]["post"],
                                                  "variant": own[0]["id"]})
        return nb, resources
