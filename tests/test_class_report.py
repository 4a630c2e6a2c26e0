"""`grade report`: the class analytics, on hand-made frames and on a really graded class."""

import csv
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from nbgrader.api import Gradebook

from course.assignments import load_assignment
from course.classreport import (
    canvas_rows,
    hand_grading_queue,
    item_statistics,
    principle_mastery,
    student_totals,
    tag_mistakes,
    write_class_report,
)
from course.demo import generate_assignment
from course.errors import CourseError
from course.grading import init_course
from course.pipeline import grade_run
from course.sandbox import sandbox_problem
from course.simulate import simulate_class


def grade(assignment, student, item, score, points, kind="single", manual=False):
    return {"assignment": assignment, "student": student, "item": item, "kind": kind,
            "score": score, "points": points, "needs_manual_grade": manual}


@pytest.fixture()
def grades():
    rows = []
    scores = {"ann": (2, 1, 3), "bo": (2, 0, 1), "cy": (0, 1, 0), "di": (1, 0, 2)}
    for student, (q1, q2, q3) in scores.items():
        rows += [grade("a1", student, "q1", q1, 2), grade("a1", student, "q2", q2, 1),
                 grade("a1", student, "q3", q3, 3, kind="code")]
    rows.append(grade("a1", "ann", "q4", 0, 3, kind="rewrite", manual=True))
    return pd.DataFrame(rows)


def test_totals_difficulty_and_point_biserial_by_hand(grades):
    totals = student_totals(grades).set_index("student")
    assert totals.loc["ann", "total"] == 6 and totals.loc["ann", "possible"] == 9
    assert totals.loc["cy", "percent"] == pytest.approx(100 * 1 / 6)
    stats = item_statistics(grades).set_index("item")
    assert "q4" not in stats.index, "waiting for a person: left out"
    assert stats.loc["q1", "difficulty"] == pytest.approx((1 + 1 + 0 + 0.5) / 4)
    fraction = np.array([1, 1, 0, 0.5])
    rest = np.array([1 + 3, 0 + 1, 1 + 0, 0 + 2])  # q2 + q3 per student
    assert stats.loc["q1", "discrimination"] == pytest.approx(np.corrcoef(fraction, rest)[0, 1])


def test_discrimination_is_undefined_when_nobody_differs():
    same = pd.DataFrame([grade("a", s, "q", 1, 1) for s in "abcd"]
                        + [grade("a", s, "r", i, 2) for i, s in enumerate("abcd")])
    assert np.isnan(item_statistics(same).set_index("item").loc["q", "discrimination"])


def test_mastery_tags_queue_and_canvas_rows(grades):
    items = pd.DataFrame([{"assignment": "a1", "item": "q1", "principles": ("want-freedom",)},
                          {"assignment": "a1", "item": "q2",
                           "principles": ("want-freedom", "social-mindset")},
                          {"assignment": "a1", "item": "q3", "principles": ()}])
    mastery = principle_mastery(grades, items).set_index("principle")
    assert mastery.loc["social-mindset", "mastery"] == pytest.approx(0.5)
    assert mastery.loc["want-freedom", "mastery"] == pytest.approx((2.5 / 4 + 0.5) / 2)
    assert mastery.loc["want-freedom", "name"] == "People want freedom"
    choices = pd.DataFrame([
        {"tag": "spam", "chosen": False, "in_key": True},
        {"tag": "spam", "chosen": False, "in_key": True},
        {"tag": "caring", "chosen": True, "in_key": False},
        {"tag": "pressure", "chosen": True, "in_key": True}])
    tags = tag_mistakes(choices).set_index("tag")
    assert tags.loc["spam", "missed"] == 2 and tags.loc["caring", "added"] == 1
    assert "pressure" not in tags.index
    assert hand_grading_queue(grades).to_dict("records") == [
        {"assignment": "a1", "student": "ann", "item": "q4", "points": 3}]
    people = pd.DataFrame([{"student": "ann", "first_name": "Ann", "last_name": "Lee",
                            "lms_user_id": "991"}])
    rows = canvas_rows(student_totals(grades), people, ["a1"], {"a1": 9.0})
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "a1"]
    assert rows[1] == ["Points Possible", "", "", "", "", "9"]
    assert rows[2] == ["Lee, Ann", "991", "", "ann", "", "6"]
    assert rows[3][0] == "bo" and rows[3][3] == "bo"


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    course = init_course(folder=tmp_path_factory.mktemp("report") / "course")
    generate_assignment(course_dir=course, assignment="wants")
    students = simulate_class(course_dir=course, assignment_id="wants", students=10, seed=8,
                              bad=["missing-notebook"])
    grade_run(course_dir=course, assignment="wants", unsafe=bool(sandbox_problem()),
              progress=False)
    return course, students, write_class_report(course_dir=course)


def test_the_report_of_a_graded_class(graded_class):
    course, students, files = graded_class
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        recorded = {s.student_id: s.score for s in gb.find_assignment("wants").submissions}
    with open(files.grades_csv, newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    assert {s: float(r["total"]) for s, r in rows.items()} == pytest.approx(recorded)
    with open(files.canvas_csv, newline="") as f:
        canvas = list(csv.reader(f))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas[1][0] == "Points Possible" and canvas[1][5] == "11"
    assert len(canvas) == 2 + len(students)
    html = files.html.read_text()
    for heading in ("Score distributions", "Item difficulty", "Mastery per principle",
                    "Critique tags", "Waiting for hand grading", "Submissions with problems"):
        assert heading in html
    assert html.count("<svg") >= 4 and "<script" not in html
    assert "no wants.ipynb in the submission" in html
    hand = [s.id for s in students.values() if s.needs_hand_grading]
    assert hand and all(f"<td>{s}</td><td>wants-g6</td>" in html for s in hand)


def test_the_most_missed_tag_matches_the_answers(graded_class):
    course, students, files = graded_class
    key = load_assignment(course / "keys" / "wants.yaml")
    missed = Counter()
    for student in students.values():
        for item in key.items.values():
            if item.kind == "critique":
                chosen = set(student.answers.get(item.id) or [])
                missed.update(set(item.post.tags) - chosen)
    top_tag, top_count = missed.most_common(1)[0]
    html = files.html.read_text()
    from course.knowledge import load_knowledge

    name = load_knowledge().tags[top_tag].name
    assert f'<tr><td>{name}</td><td class="n">{top_count}</td>' in html


def test_a_folder_without_grades_gets_one_line(tmp_path):
    with pytest.raises(CourseError, match="no gradebook") as error:
        write_class_report(course_dir=tmp_path)
    assert "\n" not in str(error.value)
    course = init_course(folder=tmp_path / "course")
    generate_assignment(course_dir=course, assignment="wants")
    with pytest.raises(CourseError, match="no graded submission"):
        write_class_report(course_dir=course)
    assert not (course / "reports").exists()
