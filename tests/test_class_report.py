"""`grade report`: the class analytics, on hand-made frames and on a really graded class."""

import csv
import hashlib
import json
import re
import shutil
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from nbgrader.api import Gradebook

from course.content.knowledge import load_knowledge
from course.errors import CourseError
from course.grade.assignments import load_assignment
from course.grade.classdata import load_class
from course.grade.folder import CourseFolder, generate_assignment, init_course
from course.grade.pipeline import grade_run
from course.grade.report import CANVAS_STUDENT_COLUMNS, canvas_rows, write_class_report
from course.grade.sandbox import sandbox_problem
from course.grade.simulate import simulate_class
from course.grade.statistics import (
    assignment_points,
    hand_grading_queue,
    item_statistics,
    principle_mastery,
    score_distribution,
    student_mastery,
    student_totals,
    tag_mistakes,
    variant_statistics,
)

from conftest import SAMPLES

WANTS_POINTS = load_assignment(SAMPLES / "wants.yaml").points()


def grade(assignment, student, item, score, points, kind="single", manual=False):
    return {"assignment": assignment, "student": student, "item": item, "kind": kind,
            "score": float(score), "points": float(points), "needs_manual_grade": manual}


SCORES = {"ann": (2, 1, 3), "bo": (2, 0, 1), "cy": (0, 1, 0), "di": (1, 0, 2)}  # q1/2, q2/1, q3/3


@pytest.fixture()
def grades():
    rows = []
    for student, (q1, q2, q3) in SCORES.items():
        rows += [grade("a1", student, "q1", q1, 2), grade("a1", student, "q2", q2, 1),
                 grade("a1", student, "q3", q3, 3, kind="code")]
    rows.append(grade("a1", "ann", "q4", 0, 3, kind="rewrite", manual=True))
    return pd.DataFrame(rows)


ITEMS = pd.DataFrame([
    {"assignment": "a1", "item": "q1", "principles": ("want-freedom",)},
    {"assignment": "a1", "item": "q2", "principles": ("want-freedom", "social-mindset")},
    {"assignment": "a1", "item": "q3", "principles": ()},
    {"assignment": "a1", "item": "q4", "principles": ("social-mindset",)},
])


def test_totals_with_a_late_penalty_a_missing_assignment_and_a_roster_student(grades):
    grades = pd.concat([grades, pd.DataFrame([grade("a2", "ann", "r1", 1.5, 2)])])
    penalties = pd.DataFrame([{"assignment": "a1", "student": "bo", "penalty": 1.0},
                              {"assignment": "a1", "student": "cy", "penalty": 5.0}])
    assert assignment_points(grades=grades).to_dict() == {"a1": 9, "a2": 2}
    totals = student_totals(grades=grades, penalties=penalties, students=["eve"])
    assert list(totals.columns) == ["student", "a1", "a2", "total", "possible", "percent"]
    totals = totals.set_index("student")
    assert list(totals.index) == ["ann", "bo", "cy", "di", "eve"]
    assert totals.loc["ann", "total"] == 7.5 and totals.loc["ann", "possible"] == 11
    assert totals.loc["bo", "a1"] == 2, "3 points less the 1-point penalty"
    assert totals.loc["cy", "a1"] == 0, "a penalty never takes a score below 0"
    assert np.isnan(totals.loc["di", "a2"]) and totals.loc["di", "total"] == 3
    assert totals.loc["di", "percent"] == pytest.approx(100 * 3 / 11)
    assert np.isnan(totals.loc["eve", "a1"]) and totals.loc["eve", "percent"] == 0


def test_score_distribution_per_assignment(grades):
    totals = student_totals(grades=grades)
    dist = score_distribution(totals=totals, points=assignment_points(grades=grades))
    row = dist.set_index("assignment").loc["a1"]
    percents = np.array([6, 3, 1, 3]) / 9 * 100
    assert row["students"] == 4 and row["points"] == 9
    assert row["mean"] == pytest.approx(percents.mean())
    assert row["median"] == pytest.approx(100 / 3)
    assert (row["min"], row["max"]) == pytest.approx((100 / 9, 200 / 3))


def test_difficulty_and_corrected_point_biserial_by_hand(grades):
    stats = item_statistics(grades=grades).set_index("item")
    assert (stats.loc["q4", "students"], stats.loc["q4", "waiting"]) == (0, 1)
    assert np.isnan(stats.loc["q4", "difficulty"]), "waiting for a person: left out"
    assert (stats.loc["q1", "students"], stats.loc["q1", "waiting"]) == (4, 0)
    assert stats.loc["q1", "difficulty"] == pytest.approx((1 + 1 + 0 + 0.5) / 4)
    assert stats.loc["q3", "difficulty"] == pytest.approx((1 + 1 / 3 + 0 + 2 / 3) / 4)
    fraction = np.array([1, 1, 0, 0.5])
    rest = np.array([1 + 3, 0 + 1, 1 + 0, 0 + 2])  # q2 + q3 per student
    expected = np.corrcoef(fraction, rest)[0, 1]
    assert stats.loc["q1", "discrimination"] == pytest.approx(expected)
    uncorrected = np.corrcoef(fraction, rest + 2 * fraction)[0, 1]
    assert abs(uncorrected - expected) > 0.05, "the check tells rest from total apart"


def test_discrimination_is_undefined_without_spread_or_students():
    same = pd.DataFrame([grade("a", s, "q", 1, 1) for s in "abcd"]
                        + [grade("a", s, "r", i, 2) for i, s in enumerate("abcd")])
    stats = item_statistics(grades=same).set_index("item")
    assert np.isnan(stats.loc["q", "discrimination"]) and stats.loc["q", "difficulty"] == 1
    two = pd.DataFrame([grade("a", s, q, i, 1) for i, s in enumerate("ab") for q in "qr"])
    assert item_statistics(grades=two)["discrimination"].isna().all()


def test_mastery_per_student_and_for_the_class(grades):
    grades = grades[~((grades["student"] == "bo") & (grades["item"] == "q2"))]
    per_student = student_mastery(grades=grades, items=ITEMS).set_index("student")
    # want-freedom: ann (1 + 1) / 2, bo q1 only: 1, cy (0 + 1) / 2, di (0.5 + 0) / 2
    assert per_student["want-freedom"].to_dict() == pytest.approx(
        {"ann": 1, "bo": 1, "cy": 0.5, "di": 0.25})
    assert np.isnan(per_student.loc["bo", "social-mindset"]), "bo has no graded item for it"
    assert per_student.loc["cy", "social-mindset"] == 1, "q4 waits for a person: left out"
    mastery = principle_mastery(grades=grades, items=ITEMS)
    assert list(mastery["principle"]) == ["social-mindset", "want-freedom"], "weakest first"
    mastery = mastery.set_index("principle")
    assert mastery.loc["want-freedom", "mastery"] == pytest.approx((1 + 1 + 0.5 + 0.25) / 4)
    assert mastery.loc["social-mindset", "mastery"] == pytest.approx((1 + 1 + 0) / 3)
    assert mastery.loc["want-freedom", "items"] == 2
    assert mastery.loc["social-mindset", "students"] == 3
    assert mastery.loc["want-freedom", "name"] == load_knowledge().principles[
        "want-freedom"].name


def test_tag_mistakes_count_misses_and_wrong_additions():
    choices = pd.DataFrame([
        {"tag": "spam", "chosen": False, "in_key": True},
        {"tag": "spam", "chosen": False, "in_key": True},
        {"tag": "spam", "chosen": True, "in_key": True},
        {"tag": "caring", "chosen": True, "in_key": False},
        {"tag": "pressure", "chosen": True, "in_key": True}])
    tags = tag_mistakes(choices=choices)
    assert list(tags["tag"]) == ["spam", "caring"], "most mistakes first; no right ones"
    tags = tags.set_index("tag")
    assert (tags.loc["spam", "missed"], tags.loc["spam", "added"]) == (2, 0)
    assert (tags.loc["caring", "missed"], tags.loc["caring", "added"]) == (0, 1)
    assert tags.loc["spam", "name"] == load_knowledge().tags["spam"].name
    empty = tag_mistakes(choices=pd.DataFrame(columns=["tag", "chosen", "in_key"]))
    assert empty.empty and {"tag", "missed", "added"} <= set(empty.columns)


def test_hand_grading_queue_and_canvas_rows(grades):
    assert hand_grading_queue(grades=grades).to_dict("records") == [
        {"assignment": "a1", "student": "ann", "item": "q4", "points": 3}]
    grades.loc[(grades["student"] == "cy") & (grades["item"] == "q1"), "score"] = 2 / 3
    people = pd.DataFrame([
        {"student": "ann", "first_name": "Ann", "last_name": "Lee", "lms_user_id": "991"},
        {"student": "bo", "first_name": "Bo", "last_name": "", "lms_user_id": ""}])
    rows = canvas_rows(totals=student_totals(grades=grades, students=["eve"]),
                       students=people, points=assignment_points(grades=grades))
    assert rows[0] == [*CANVAS_STUDENT_COLUMNS, "a1"]
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[1] == ["Points Possible", "", "", "", "", "9"]
    assert rows[2] == ["Lee, Ann", "991", "", "ann", "", "6"]
    assert rows[3] == ["Bo", "", "", "bo", "", "3"]
    assert rows[4] == ["cy", "", "", "cy", "", "1.67"], "rounded to 2 decimals"
    assert rows[6] == ["eve", "", "", "eve", "", ""], "not submitted: left blank"


# --- a class graded for real ---------------------------------------------------------------

ODD_PROBLEM = "cell <3> printed & stopped"


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """10 simulated students and one without a notebook, graded by `grade run`; one
    grading record gets an extra problem with HTML in it."""
    course = init_course(folder=tmp_path_factory.mktemp("report") / "course",
                         assignments=SAMPLES)
    generate_assignment(course_dir=course, assignment="wants")
    students = simulate_class(course_dir=course, assignment_id="wants", students=10, seed=8,
                              bad=["missing-notebook"])
    grade_run(course_dir=course, assignment="wants", unsafe=bool(sandbox_problem()),
              progress=False)
    record_path = sorted((course / "grade-runs" / "wants").glob("*.json"))[0]
    record = json.loads(record_path.read_text())
    record["problems"] = [*record["problems"], ODD_PROBLEM]
    record_path.write_text(json.dumps(record))
    before = _digest(course / "gradebook.db")
    files = write_class_report(course_dir=course)
    assert _digest(course / "gradebook.db") == before, "the gradebook is only read"
    return course, students, files


def test_the_exports_match_the_gradebook(graded_class):
    course, students, files = graded_class
    assert files.html.parent == course / "reports"
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        recorded = {s.student_id: s.score for s in gb.find_assignment("wants").submissions}
        roster = {s.id for s in gb.students}
    assert set(recorded) == set(students) == roster
    with open(files.grades_csv, newline="") as f:
        reader = csv.DictReader(f)
        rows = {r["student"]: r for r in reader}
    assert reader.fieldnames == ["student", "wants", "wants status", "wants due",
                                 "wants submitted", "wants hours late", "wants penalty",
                                 "total", "percent"]
    assert list(rows) == sorted(rows, key=str.casefold)
    assert {s: float(r["total"]) for s, r in rows.items()} == pytest.approx(recorded)
    assert {r["wants status"] for r in rows.values()} <= {"graded", "pending"}
    assert all(r["wants submitted"].startswith("2026-11-20") for r in rows.values())
    assert {s: float(r["percent"]) for s, r in rows.items()} == pytest.approx(
        {s: 100 * v / WANTS_POINTS for s, v in recorded.items()}, abs=1e-3)
    with open(files.canvas_csv, newline="") as f:
        canvas = list(csv.reader(f))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                         "Assignment 1: the five wants", "wants: submitted (UTC)",
                         "wants: hours late", "wants: late penalty"]
    assert canvas[1] == ["Points Possible", "", "", "", "", f"{WANTS_POINTS:g}",
                         *["(read only)"] * 3]
    assert len(canvas) == 2 + len(students)
    pending = {s for s, r in rows.items() if r["wants status"] == "pending"}
    assert pending, "some rewrites wait for a person"
    assert {r[3]: float(r[5]) for r in canvas[2:] if r[3] not in pending} == pytest.approx(
        {s: round(v, 2) for s, v in recorded.items() if s not in pending})
    assert all(r[5] == "" for r in canvas[2:] if r[3] in pending), "pending: left blank"


def test_the_html_report(graded_class):
    _, students, files = graded_class
    html = files.html.read_text()
    for heading in ("Score distributions", "Students", "Item difficulty",
                    "Mastery per principle", "Critique tags", "Waiting for hand grading",
                    "Submissions with problems"):
        assert f">{heading}" in html
    assert html.count("<svg") == 4 and html.count("<title id=") == 4
    assert "<script" not in html and "src=" not in html and "<link" not in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "four inline plots share no id"
    assert "no wants.ipynb in the submission" in html
    assert "cell &lt;3&gt; printed &amp; stopped" in html and ODD_PROBLEM not in html
    hand = [s.id for s in students.values() if s.needs_hand_grading]
    assert hand and all(f"<td>{s}</td><td>wants-g6</td>" in html for s in hand)
    queue = html[html.index('id="hand"'):html.index('id="problems"')]
    assert queue.count("<td>wants-g6</td>") == len(hand)


def test_the_tag_mistakes_match_the_answers(graded_class):
    course, students, files = graded_class
    key = load_assignment(course / "keys" / "wants.yaml")
    missed, added = Counter(), Counter()
    for student in students.values():
        for item in key.items.values():
            if item.kind == "critique":
                if item.id in key.variants:  # the student's own variant's key
                    item = key.variants[item.id][student.variants[item.id]]
                chosen = set(student.answers.get(item.id) or [])
                missed.update(set(item.post.tags) - chosen)
                added.update(chosen - set(item.post.tags))
    data = load_class(course=CourseFolder.open(course))
    tags = tag_mistakes(choices=data.choices).set_index("tag")
    assert {t: n for t, n in tags["missed"].items() if n} == dict(missed)
    assert {t: n for t, n in tags["added"].items() if n} == dict(added)
    html = files.html.read_text()
    names = load_knowledge().tags
    top_tag, top_count = missed.most_common(1)[0]
    assert (f'<tr><td>{names[top_tag].name}</td><td class="n">{top_count}</td>'
            f'<td class="n">{added[top_tag]}</td></tr>') in html


def test_a_missing_or_unusable_gradebook_gets_one_line(tmp_path):
    with pytest.raises(CourseError, match=r"is not a course folder") as error:
        write_class_report(course_dir=tmp_path)
    assert "\n" not in str(error.value)
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    with pytest.raises(CourseError, match=r"no gradebook at .*grade run") as error:
        write_class_report(course_dir=tmp_path)
    assert "\n" not in str(error.value)
    (tmp_path / "gradebook.db").write_bytes(b"not a database at all\n" * 100)
    with pytest.raises(CourseError, match="not a readable nbgrader gradebook") as error:
        write_class_report(course_dir=tmp_path)
    assert "\n" not in str(error.value)
    assert not (tmp_path / "reports").exists()


def test_a_gradebook_without_grades_gets_one_line(tmp_path):
    course = init_course(folder=tmp_path / "course", assignments=SAMPLES)
    generate_assignment(course_dir=course, assignment="wants")
    assert (course / "gradebook.db").is_file()
    with pytest.raises(CourseError, match="no graded submission"):
        write_class_report(course_dir=course)
    assert not (course / "reports").exists()


def test_a_missing_key_gets_one_line_in_any_folder_name(graded_class, tmp_path):
    course, _, _ = graded_class
    odd = tmp_path / "class #1? fall"  # characters that mean something in a SQLite URI
    odd.mkdir()
    shutil.copy(course / "gradebook.db", odd / "gradebook.db")
    with pytest.raises(CourseError, match=r"no answer key .*wants\.yaml") as error:
        write_class_report(course_dir=odd)
    assert "\n" not in str(error.value)
    assert [p.name for p in tmp_path.iterdir()] == [odd.name], "no stray database file"
    assert [p.name for p in odd.iterdir()] == ["gradebook.db"]


def test_item_statistics_per_variant_match_the_simulated_class(graded_class):
    course, students, files = graded_class
    key = load_assignment(course / "keys" / "wants.yaml")
    (item_id,) = key.variants
    data = load_class(course=CourseFolder.open(course))
    table = variant_statistics(grades=data.grades, variants=data.variants)
    table = table[table["item"] == item_id].set_index("variant")
    expected: dict[str, list[float]] = {}
    for student in students.values():
        expected.setdefault(student.variants[item_id], []).append(
            student.expected_items[item_id] / key.items[item_id].points)
    assert len(expected) >= 2, "the simulated class meets several variants"
    assert dict(table["students"]) == {v: len(f) for v, f in expected.items()}
    assert dict(table["difficulty"]) == pytest.approx(
        {v: sum(f) / len(f) for v, f in expected.items()})
    html = files.html.read_text()
    section = html[html.index('id="variants"'):html.index('id="principles"')]
    for variant, fractions in expected.items():
        assert f"<td>{item_id}</td><td>{variant}</td><td class=\"n\">{len(fractions)}</td>" in (
            section)


def test_a_variant_much_harder_than_the_others_is_flagged():
    rows, variants = [], []
    for n in range(15):  # five students per variant
        variant = ("easy", "hard", "fair")[n % 3]
        score = {"easy": 1.0, "hard": 0.0, "fair": 1.0 if n % 2 else 0.5}[variant]
        rows.append({"assignment": "a", "student": f"s{n}", "item": "q", "score": score,
                     "points": 1.0, "needs_manual_grade": False})
        variants.append({"assignment": "a", "student": f"s{n}", "item": "q",
                         "variant": variant})
    table = variant_statistics(grades=pd.DataFrame(rows), variants=pd.DataFrame(variants))
    table = table.set_index("variant")
    assert table.loc["hard", "difficulty"] == 0 and table.loc["easy", "difficulty"] == 1
    assert table.loc["hard", "unfair"] and table.loc["easy", "unfair"]
    assert not table.loc["fair", "unfair"]
    assert table.loc["hard", "gap"] == pytest.approx(0 - (5 * 1 + 5 * 0.7) / 10)
    # Three students on a variant are too few to call it unfair.
    few = variant_statistics(grades=pd.DataFrame(rows[:9]),
                             variants=pd.DataFrame(variants[:9]))
    assert not few["unfair"].any()
def test_a_gradebook_that_fails_its_integrity_check_is_not_reported_from(graded_class,
                                                                        tmp_path):
    from test_pipeline import wreck

    course, _, _ = graded_class
    copy = tmp_path / "copy"
    shutil.copytree(course, copy)
    wreck(copy / "gradebook.db")
    shutil.rmtree(copy / "reports")
    with pytest.raises(CourseError, match=r"not a readable nbgrader gradebook.*backup") as error:
        write_class_report(course_dir=copy)
    assert "\n" not in str(error.value)
    assert not (copy / "reports").exists()
