"""Private worker gradebooks merged into the course gradebook by one writer."""

import sqlite3

import pytest
from nbgrader.api import Gradebook

from course.errors import GradingError
from course.grade.gradebooks import graded_submissions, make_template, merge_submission, worker_copy


@pytest.fixture()
def course_db(tmp_path):
    path = tmp_path / "gradebook.db"
    with Gradebook(f"sqlite:///{path}") as gb:
        gb.add_assignment("a1")
        gb.add_notebook("nb", "a1")
        gb.add_grade_cell("q1", "nb", "a1", max_score=2, cell_type="code")
        gb.add_grade_cell("q2", "nb", "a1", max_score=3, cell_type="code")
        gb.add_solution_cell("q2-answer", "nb", "a1")
        gb.add_student("old")
        gb.add_submission("a1", "old")
    return path


def graded_copy(template, target, student, scores):
    url = worker_copy(template=template, target=target)
    with Gradebook(url) as gb:
        gb.update_or_create_student(student)
        gb.add_submission("a1", student)
        for name, score in scores.items():
            grade = gb.find_grade(name, "nb", "a1", student)
            grade.auto_score, grade.needs_manual_grade = score, False
        gb.db.commit()
    return target


def totals(path):
    with Gradebook(f"sqlite:///{path}") as gb:
        return {s.student_id: s.score for s in gb.find_assignment("a1").submissions}


def test_template_keeps_cells_but_no_submissions(course_db, tmp_path):
    template = make_template(gradebook=course_db, template=tmp_path / "t.db")
    with Gradebook(f"sqlite:///{template}") as gb:
        assert [c.name for c in gb.find_notebook("nb", "a1").grade_cells] == ["q1", "q2"]
        assert gb.find_assignment("a1").submissions == []
    assert set(graded_submissions(gradebook=course_db, assignment="a1")) == {"old"}


def test_merge_adds_then_replaces_without_duplicates(course_db, tmp_path):
    template = make_template(gradebook=course_db, template=tmp_path / "t.db")
    merge_submission(gradebook=course_db, assignment="a1", student="new",
                     worker=graded_copy(template, tmp_path / "w1.db", "new", {"q1": 1.0}))
    assert totals(course_db) == {"old": 0.0, "new": 1.0}
    merge_submission(gradebook=course_db, assignment="a1", student="new",
                     worker=graded_copy(template, tmp_path / "w2.db", "new",
                                        {"q1": 2.0, "q2": 3.0}))
    assert totals(course_db) == {"old": 0.0, "new": 5.0}
    with sqlite3.connect(course_db) as db:
        assert db.execute("SELECT COUNT(*) FROM submitted_assignment").fetchone()[0] == 2
        assert db.execute("SELECT COUNT(*) FROM grade").fetchone()[0] == 4
        assert db.execute("SELECT COUNT(*) FROM comment").fetchone()[0] == 2
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_failed_merge_changes_nothing(course_db, tmp_path):
    template = make_template(gradebook=course_db, template=tmp_path / "t.db")
    empty = tmp_path / "empty.db"
    worker_copy(template=template, target=empty)
    before = course_db.read_bytes()
    with pytest.raises(GradingError, match="no graded submission"):
        merge_submission(gradebook=course_db, worker=empty, assignment="a1", student="old")
    assert totals(course_db) == {"old": 0.0}
    assert course_db.read_bytes() == before


def test_a_worker_opens_each_gradebook_with_one_engine(course_db, tmp_path, monkeypatch):
    import nbgrader.api

    from course.grade.worker import _one_engine_per_database

    monkeypatch.setattr(nbgrader.api, "create_engine", nbgrader.api.create_engine)  # restored
    _one_engine_per_database()
    with Gradebook(f"sqlite:///{course_db}") as first:
        engine = first.engine
    with Gradebook(f"sqlite:///{course_db}") as again:
        assert again.engine is engine  # compiled queries are reused
        assert [s.id for s in again.students] == ["old"]  # and it still reads after close
    other = tmp_path / "other.db"
    with Gradebook(f"sqlite:///{other}") as elsewhere:
        assert elsewhere.engine is not engine
        elsewhere.add_student("new")
    with Gradebook(f"sqlite:///{course_db}") as back:
        assert back.engine is not engine  # only the last database's engine is kept
        assert [s.id for s in back.students] == ["old"]


def test_a_regrade_keeps_what_a_person_wrote_even_while_it_ran(course_db, tmp_path):
    """The worker's copy is seeded with the submission as it stands; the merge takes the
    automatic parts from the worker and keeps the parts a person writes, including a
    change made in the formgrader while the worker was grading."""
    with Gradebook(f"sqlite:///{course_db}") as gb:
        q1 = gb.find_grade("q1", "nb", "a1", "old")
        q1.manual_score, q1.extra_credit, q1.needs_manual_grade = 1.5, 0.5, False
        gb.find_comment("q2-answer", "nb", "a1", "old").manual_comment = "see me"
        gb.db.commit()
    template = make_template(gradebook=course_db, template=tmp_path / "t.db")
    worker = tmp_path / "w.db"
    url = worker_copy(template=template, target=worker, gradebook=course_db, assignment="a1",
                      student="old")
    with Gradebook(url) as gb:  # what autograde does to a seeded submission
        seeded = gb.find_grade("q1", "nb", "a1", "old")
        assert (seeded.manual_score, seeded.extra_credit) == (1.5, 0.5)
        for name, score in (("q1", 2.0), ("q2", 3.0)):
            grade = gb.find_grade(name, "nb", "a1", "old")
            grade.auto_score, grade.needs_manual_grade = score, False
        gb.find_comment("q2-answer", "nb", "a1", "old").auto_comment = "No response."
        gb.db.commit()
    with Gradebook(f"sqlite:///{course_db}") as gb:  # meanwhile, in the formgrader
        q2 = gb.find_grade("q2", "nb", "a1", "old")
        q2.manual_score, q2.needs_manual_grade = 1.0, True
        gb.db.commit()
    merge_submission(gradebook=course_db, worker=worker, assignment="a1", student="old")
    with Gradebook(f"sqlite:///{course_db}") as gb:
        q1 = gb.find_grade("q1", "nb", "a1", "old")
        q2 = gb.find_grade("q2", "nb", "a1", "old")
        comment = gb.find_comment("q2-answer", "nb", "a1", "old")
        assert (q1.auto_score, q1.manual_score, q1.extra_credit) == (2.0, 1.5, 0.5)
        assert (q2.auto_score, q2.manual_score, q2.needs_manual_grade) == (3.0, 1.0, True)
        assert (comment.auto_comment, comment.manual_comment) == ("No response.", "see me")
        assert gb.find_submission("a1", "old").score == 1.5 + 0.5 + 1.0
    with sqlite3.connect(course_db) as db:
        assert db.execute("SELECT COUNT(*) FROM grade").fetchone()[0] == 2
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
