"""The simulated class used by `make demo`, the pipeline tests and the benchmark."""

import json

import nbformat
import pytest
from nbgrader.tests import run_nbgrader

from course.errors import CourseError
from course.exercises.answers import read_submission_answers
from course.grade.assignments import load_assignment
from course.grade.folder import init_course
from course.grade.scoring import score_notebook
from course.grade.simulate import BAD_SUBMISSIONS, simulate_class

from conftest import SAMPLES


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    folder = init_course(folder=tmp_path_factory.mktemp("sim") / "course",
                         assignments=SAMPLES)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        for assignment in ("wants", "final"):
            run_nbgrader(["generate_assignment", assignment, "--force"])
    return folder


def submitted(course, student, assignment="wants"):
    return course / "submitted" / student / assignment


def test_a_typical_class_is_spread_and_scored_by_the_graders_checker(course):
    students = simulate_class(course_dir=course, assignment_id="wants", students=30, seed=1)
    key = load_assignment(course / "keys" / "wants.yaml")
    auto_points = sum(i.points for i in key.items.values() if i.kind != "rewrite") + sum(
        t["points"] for t in key.code_tasks)
    totals = [s.expected_auto for s in students.values()]
    assert len(set(totals)) >= 5
    assert max(totals) > 0.8 * auto_points and min(totals) < 0.4 * auto_points
    for s in students.values():
        folder = submitted(course, s.id)
        answers = read_submission_answers(folder, folder / "wants.ipynb")
        assert {k: v["answer"] for k, v in answers.items()} == s.answers
        nb = nbformat.read(folder / "wants.ipynb", as_version=4)
        scored = score_notebook(nb, key, answers)
        for item_id, feedback in scored.items():
            assert feedback.score == pytest.approx(s.expected_items[item_id]), (s.id, item_id)


def test_same_seed_same_class_other_seed_other_class(course, tmp_path):
    def run(seed):
        return {k: (v.answers, v.code_correct) for k, v in simulate_class(
            course_dir=course, assignment_id="wants", students=8, seed=seed).items()}
    assert run(4) == run(4)
    assert run(4) != run(5)


@pytest.mark.parametrize("kind", list(BAD_SUBMISSIONS))
def test_each_bad_kind_has_its_fault(course, kind):
    student = simulate_class(course_dir=course, assignment_id="wants", students=0, seed=2,
                             bad=[kind])[f"bad-{kind}"]
    notebook = submitted(course, student.id) / "wants.ipynb"
    if kind == "missing-notebook":
        assert not notebook.exists()
    elif kind == "corrupt-notebook":
        with pytest.raises(ValueError):
            json.loads(notebook.read_text())
    else:
        nb = nbformat.read(notebook, as_version=4)
        sources = [c.source for c in nb.cells]
        fault = next(i for i, src in enumerate(sources) if "while True" in src
                     or "bytearray" in src or "SIGKILL" in src)
        answer = next(i for i, c in enumerate(nb.cells)
                      if c.metadata.get("nbgrader", {}).get("grade_id") == "wants-g5-answer")
        assert (fault > answer) if kind == "output-flood" else (fault < answer)
    widget_points = sum(v for k, v in student.expected_items.items() if k != "wants-g5")
    assert widget_points == 6.0, "every widget item right (the rewrite is hand-graded)"
    survives = kind in ("infinite-loop", "memory-hog", "output-flood")
    assert student.expected_items["wants-g5"] == (2.0 if survives else 0.0)


def test_it_works_for_any_assignment_and_refuses_unknown_faults(course):
    students = simulate_class(course_dir=course, assignment_id="final", students=3, seed=0)
    key = load_assignment(course / "keys" / "final.yaml")
    assert all(set(s.expected_items) == set(key.items) | {t["id"] for t in key.code_tasks}
               for s in students.values())
    with pytest.raises(CourseError, match="unknown bad submission"):
        simulate_class(course_dir=course, assignment_id="wants", students=1, bad=["nope"])
    with pytest.raises(CourseError, match="generate_assignment"):
        simulate_class(course_dir=course, assignment_id="not", students=1)
