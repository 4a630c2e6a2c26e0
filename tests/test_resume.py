"""Interrupted runs, at every point that matters, with resubmissions and hand grades.

One class is graded and hand-graded; then, again and again, some students resubmit (or
the instructor forces a regrade), a run is stopped at one point of its work, and a plain
run follows. After every cycle the gradebook must hold each student's newest submission,
scored as it should be, with every hand grade and comment still there (flagged only where
the graded answer changed), no run left half done, and no feedback page older than its
grades. The interrupts are raised inside the grading process where it is most fragile
(between writing a record and merging it, inside the merge's transaction, ...), which is
harsher than Ctrl+C, which the run holds back until a merge is whole.
"""

import json
import os

import pytest
from nbgrader.api import Gradebook
from test_pipeline import run_cli

import course.grade.gradebooks as gradebooks
import course.grade.pipeline as pipeline
from course.errors import CourseError
from course.exercises import Rewrite
from course.grade.folder import CourseFolder, add_assignment, init_course
from course.grade.gradebooks import pending_students, stale_feedback
from course.grade.lock import course_lock
from course.grade.pipeline import grade_run
from course.grade.sandbox import sandbox_problem
from course.grade.simulate import simulate_class

from conftest import SAMPLES, save_as_widget

A = "wants"
NEW_REWRITE = "Which class would you try first if it were free? Tell us below."


class Class:
    def __init__(self, course, students):
        self.course = course
        self.key = CourseFolder.open(course).key(A)
        self.answers = {s: dict(st.answers) for s, st in students.items()}
        self.code = {s: all(st.code_correct.values()) for s, st in students.items()}
        self.profile = {s: st.profile for s, st in students.items()}
        self.hand: dict[str, dict] = {}  # student -> manual score, comment, flagged
        self.minute = 0

    def run(self, **kw):
        return grade_run(course_dir=self.course, assignment=A, workers=2, progress=False,
                         unsafe=bool(sandbox_problem()), **kw)

    def resubmit(self, student, changes):
        folder = self.course / "submitted" / student / A
        for item, answer in changes.items():
            save_as_widget(folder, item, answer, student)
        self.answers[student].update(changes)
        self.minute += 1
        (folder / "timestamp.txt").write_text(f"2026-11-21 09:{self.minute:02d}:00.000000 UTC")
        if "wants-g6" in changes and student in self.hand:
            self.hand[student]["flagged"] = True

    def expected(self, student):
        items = {}
        for item in self.key.items.values():
            if not isinstance(item, Rewrite):
                items[item.id] = item.check(self.answers[student].get(item.id)).score
        ok = self.code[student] and self.profile[student] == "typical"
        items["wants-g5"] = 2.0 if ok else 0.0
        return items

    def check(self):
        """The gradebook is what a run that was never interrupted would leave."""
        db = self.course / "gradebook.db"
        assert pending_students(gradebook=db, assignment=A) == {}
        assert stale_feedback(gradebook=db, assignment=A) == []
        with Gradebook(f"sqlite:///{db}") as gb:
            for sub in gb.find_assignment(A).submissions:
                s = sub.student_id
                stamp = (self.course / "submitted" / s / A / "timestamp.txt").read_text()
                assert f"{sub.timestamp:%Y-%m-%d %H:%M:%S}" == stamp[:19], s
                grades = {g.name: g for nb in sub.notebooks for g in nb.grades}
                for item, score in self.expected(s).items():
                    assert grades[item].score == pytest.approx(score), (s, item)
                comments = {c.name: c.manual_comment for nb in sub.notebooks
                            for c in nb.comments}
                if s in self.hand:
                    g6 = grades["wants-g6"]
                    assert g6.manual_score == self.hand[s]["score"], s
                    assert g6.needs_manual_grade == self.hand[s]["flagged"], s
                    assert comments["wants-g6-comments"] == self.hand[s]["comment"], s
                record = json.loads((self.course / "grade-runs" / A / f"{s}.json").read_text())
                assert record["score"] == pytest.approx(sub.score), s


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = init_course(folder=tmp_path_factory.mktemp("resume") / "course",
                         assignments=SAMPLES)
    add_assignment(course_dir=course, file=course / "keys" / f"{A}.yaml")
    students = simulate_class(course_dir=course, assignment_id=A, students=6, seed=11)
    cls = Class(course, students)
    cls.run()
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for s, st in students.items():
            if st.needs_hand_grading:
                grade = gb.find_grade("wants-g6", A, A, s)
                grade.manual_score, grade.needs_manual_grade = 2.0, False
                gb.find_comment("wants-g6-comments", A, A, s).manual_comment = f"note {s}"
                cls.hand[s] = {"score": 2.0, "comment": f"note {s}", "flagged": False}
        gb.db.commit()
    assert len(cls.hand) >= 2, "the class has rewrites to hand-grade"
    cls.run()  # feedback brought up to date with the hand grades
    cls.check()
    return cls


def _raise_on(calls, n, *, after=False):
    """A stand-in that raises KeyboardInterrupt on its ``n``-th call (before or after
    doing the real work)."""
    count = {"n": 0}

    def stand_in(*args, **kwargs):
        count["n"] += 1
        if count["n"] == n and not after:
            raise KeyboardInterrupt
        result = calls(*args, **kwargs)
        if count["n"] == n and after:
            raise KeyboardInterrupt
        return result

    return stand_in


POINTS = {
    # where the run stops: (module, name, call number, after the real call)
    "before any grading (pending recorded)": (pipeline, "make_template", 1, False),
    "record written, merge not begun": (pipeline, "merge_submission", 1, False),
    "inside the merge's transaction": (gradebooks, "_update_submission", 2, True),
    "after two merges committed": (pipeline, "merge_submission", 2, True),
    "while rewriting stale feedback": (pipeline, "refresh_feedback", 1, False),
}


@pytest.mark.parametrize("point", list(POINTS))
def test_an_interrupted_run_with_resubmissions_is_finished_by_the_next(graded, point,
                                                                       monkeypatch):
    hand = sorted(graded.hand)
    others = sorted(set(graded.answers) - set(hand))
    # a hand-graded student resubmits a new rewrite, another the same one with a change
    # elsewhere, and a third changes a choice
    graded.resubmit(hand[0], {"wants-g6": NEW_REWRITE + f" ({point})"})
    graded.resubmit(hand[1], {"wants-g3": "A"})
    graded.resubmit(others[0], {"wants-g1": ["spam"]})
    module, name, n, after = POINTS[point]
    monkeypatch.setattr(module, name, _raise_on(getattr(module, name), n, after=after))
    with pytest.raises(KeyboardInterrupt):
        graded.run()
    monkeypatch.undo()
    again = graded.run()
    assert {o.student for o in again.outcomes} <= {hand[0], hand[1], others[0]}
    graded.check()


def test_an_interrupted_forced_regrade_is_finished_by_a_plain_run(graded, monkeypatch):
    monkeypatch.setattr(pipeline, "merge_submission",
                        _raise_on(pipeline.merge_submission, 2, after=True))
    with pytest.raises(KeyboardInterrupt):
        graded.run(force=True)
    monkeypatch.undo()
    left = pending_students(gradebook=graded.course / "gradebook.db", assignment=A)
    assert len(left) == len(graded.answers) - 2, "two merged, the rest still to do"
    again = graded.run()
    assert {o.student for o in again.outcomes} == set(left)
    assert all("interrupted run (--force)" in again.reasons[s] for s in left)
    graded.check()


def test_one_student_is_regraded_on_request(graded):
    student = sorted(graded.hand)[-1]
    summary = graded.run(students=[student])
    assert [o.student for o in summary.outcomes] == [student]
    assert summary.reasons == {student: "asked for (--student)"}
    graded.check()
    with pytest.raises(CourseError, match=r"no submission of 'wants' by 'nobody'"):
        graded.run(students=["nobody"])


def test_a_second_run_waits_for_the_first_and_says_who_holds_it(graded):
    with course_lock(graded.course / "grade-runs", "grade run wants"):
        with pytest.raises(CourseError) as error:
            graded.run()
        assert f"`grade run wants` is running on this course (process {os.getpid()} " in str(
            error.value)
        second = run_cli("run", A, "--quiet", cwd=graded.course)
        _, err = second.communicate(timeout=120)
        assert second.returncode == 1 and len(err.strip().splitlines()) == 1, err
        assert "is running on this course" in err and "wait for it to finish" in err
    graded.check()
