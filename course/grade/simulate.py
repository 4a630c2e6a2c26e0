"""A made-up class for demos, tests and benchmarks.

:func:`simulate_class` writes submissions of one released assignment straight into a
course folder's ``submitted/`` (notebook, ``answers/*.json``, ``timestamp.txt``), as
``nbgrader collect`` would leave them, and returns what each student should score. Typical
students have an ability between 0.2 and 0.95 and answer each item right with that
chance, otherwise plausibly wrong, each to their own variant of an item that has
versions (:mod:`course.grade.variants`). :data:`BAD_SUBMISSIONS` adds students whose
submission breaks in one way each, on top of fully right answers.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..errors import GradingError, UsageError
from ..exercises import Rewrite
from ..exercises.answers import save_answer
from .assignments import Assignment
from .folder import CourseFolder
from .variants import for_student, read_secret

__all__ = ["BAD_SUBMISSIONS", "SimulatedStudent", "simulate_class"]

#: kind -> (what is wrong, the cell added, where: "before-code" or "end").
BAD_SUBMISSIONS = {
    "corrupt-notebook": "the notebook file is cut off halfway, so it is not JSON",
    "missing-notebook": "the notebook is missing; only the answer files were submitted",
    "infinite-loop": "a cell loops for ever before the code task",
    "fork-bomb": "a cell forks processes without end before the code task",
    "output-flood": "the last cell prints without end",
    "memory-hog": "a cell asks for 64 GiB before the code task",
    "kernel-crash": "a cell kills its own kernel before the code task",
}
_FAULT_CELLS = {
    "infinite-loop": ("while True:\n    pass", "before-code"),
    "fork-bomb": ("import os\nwhile True:\n    os.fork()", "before-code"),
    "output-flood": ('while True:\n    print("x" * 10_000)', "end"),
    "memory-hog": ("blob = bytearray(64 * 2**30)", "before-code"),
    "kernel-crash": ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)", "before-code"),
}
SHARE_UNANSWERED = 0.08  #: items a typical simulated student leaves unanswered
#: What survives each fault, for a grader that isolates it: a loop is interrupted and a
#: MemoryError fails only its own cell, so the code task still runs; a flood comes last.
_CODE_SURVIVES = {"infinite-loop", "memory-hog", "output-flood"}

@dataclass(frozen=True)
class SimulatedStudent:
    id: str
    profile: str  # "typical" or a key of BAD_SUBMISSIONS
    answers: dict  # item id -> saved answer (absent: nothing saved)
    code_correct: dict  # code task id -> whether the submitted code is right
    expected_auto: float  # total automatic score a correct grader gives
    expected_items: dict  # grade id -> expected automatic score
    needs_hand_grading: tuple  # rewrite item ids a person must grade
    variants: dict  # item id -> the variant the student was given (items with versions)


def simulate_class(*, course_dir: Path | str, assignment_id: str, students: int = 30,
                   seed: int = 0, bad: Iterable[str] = ()) -> dict[str, SimulatedStudent]:
    """Write ``students`` typical submissions plus one per kind in ``bad``."""
    course = CourseFolder.open(course_dir)
    released = course.release(assignment_id) / f"{assignment_id}.ipynb"
    if not released.is_file():
        raise GradingError(f"{released} is missing: run nbgrader generate_assignment "
                           f"{assignment_id} first")
    key = course.key(assignment_id)
    secret = read_secret(course.keys_dir)
    bad = tuple(bad)
    unknown = [kind for kind in bad if kind not in BAD_SUBMISSIONS]
    if unknown:
        raise UsageError(f"unknown bad submission kind(s): {', '.join(unknown)}")
    rng = random.Random(seed)
    out = {}
    for n in range(1, students + 1):
        ability = rng.uniform(0.2, 0.95)
        assignment = for_student(key, student=f"s{n:02d}", secret=secret)
        answers, code = _typical_answers(assignment, ability, rng)
        out[f"s{n:02d}"] = _write(course, released, assignment, f"s{n:02d}", "typical",
                                  answers, code, minute=n)
    for n, kind in enumerate(bad, start=students + 1):
        assignment = for_student(key, student=f"bad-{kind}", secret=secret)
        answers = {i.id: i.right_answer() for i in assignment.items.values()}
        code = {t["id"]: True for t in assignment.code_tasks}
        out[f"bad-{kind}"] = _write(course, released, assignment, f"bad-{kind}", kind,
                                    answers, code, minute=n)
    return out


def _typical_answers(assignment: Assignment, ability: float, rng: random.Random
                     ) -> tuple[dict, dict]:
    answers = {}
    for item in assignment.items.values():
        if rng.random() < SHARE_UNANSWERED:
            continue
        answer = item.sample_answer(rng, right=rng.random() < ability)
        if answer is not None:
            answers[item.id] = answer
    code = {t["id"]: rng.random() < ability for t in assignment.code_tasks}
    return answers, code


def _write(course: CourseFolder, released: Path, assignment: Assignment, student: str,
           profile: str, answers: dict, code: dict, *, minute: int) -> SimulatedStudent:
    folder = course.submitted(student, assignment.id)
    folder.mkdir(parents=True, exist_ok=True)
    for item_id, answer in answers.items():
        save_answer(folder, item_id, answer, variant=assignment.chosen.get(item_id))
    (folder / "timestamp.txt").write_text(
        f"2026-11-20 {10 + minute // 60:02d}:{minute % 60:02d}:00.000000 UTC")
    nb = nbformat.read(released, as_version=4)
    for task in assignment.code_tasks:
        if code[task["id"]]:
            cell = _cell(nb, f"{task['id']}-answer")
            cell.source = "\n".join(filter(None, [(task.get("setup") or "").strip(),
                                                  task["solution"].strip()]))
    _add_fault(nb, profile, assignment)
    target = folder / f"{assignment.id}.ipynb"
    if profile != "missing-notebook":
        text = json.dumps(nb, indent=1, ensure_ascii=False)
        target.write_text(text[: len(text) // 2] if profile == "corrupt-notebook" else text,
                          encoding="utf-8")
    return _expected(assignment, student, profile, answers, code)


def _cell(nb, grade_id: str):
    return next(c for c in nb.cells
                if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id)


def _add_fault(nb, profile: str, assignment: Assignment) -> None:
    if profile not in _FAULT_CELLS:
        return
    source, where = _FAULT_CELLS[profile]
    cell = nbformat.v4.new_code_cell(source)
    if where == "end" or not assignment.code_tasks:
        nb.cells.append(cell)
    else:
        first = _cell(nb, f"{assignment.code_tasks[0]['id']}-answer")
        nb.cells.insert(nb.cells.index(first), cell)


def _expected(assignment: Assignment, student: str, profile: str, answers: dict,
              code: dict) -> SimulatedStudent:
    items, hand = {}, []
    for item in assignment.items.values():
        answer = answers.get(item.id)
        if isinstance(item, Rewrite):
            items[item.id] = 0.0
            if item.is_attempt(answer):
                hand.append(item.id)
        else:
            items[item.id] = item.check(answer).score
    code_runs = profile == "typical" or profile in _CODE_SURVIVES
    for task in assignment.code_tasks:
        items[task["id"]] = float(task["points"]) if code[task["id"]] and code_runs else 0.0
    return SimulatedStudent(id=student, profile=profile, answers=answers, code_correct=code,
                            expected_auto=round(sum(items.values()), 6),
                            expected_items=items, needs_hand_grading=tuple(hand),
                            variants=dict(assignment.chosen))
