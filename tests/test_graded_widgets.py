"""Graded widgets save every change, restore it, and stay silent while nbgrader runs."""

import json

import nbformat
import pytest

from course.exercises import item_from_public
from course.exercises.answers import ANSWER_MIME, load_answer, read_submission_answers
from course.grade.assignments import load_assignments, public_spec
from course.graded import GradedExercise
from course.learn.widgets import widget_for

from conftest import SAMPLES

ITEMS = load_assignments(SAMPLES)["wants"].items


def graded_widget(item_id, folder):
    exercise = GradedExercise(item_from_public(public_spec(ITEMS[item_id])), folder)
    w = widget_for(exercise)
    saved = exercise.saved_answer()
    if saved is not None:
        w.answer = saved
    w.observe(lambda change: exercise.save(change["new"]), "answer")
    return w, exercise


def test_public_spec_has_no_key():
    for item in ITEMS.values():
        item_public = item_from_public(public_spec(item))
        assert item_public.key is None
        assert item_public.post is None or item_public.post.tags == {}


def test_every_change_is_saved_and_restored(tmp_path):
    w, _ = graded_widget("wants-g1", tmp_path)
    assert w.check_button.description == "Save answer"
    assert w.hint_button.layout.display == "none"
    w.boxes["spam"].value = True
    assert load_answer(tmp_path, "wants-g1")["answer"] == ["spam"]
    w.boxes["pressure"].value = True
    assert sorted(load_answer(tmp_path, "wants-g1")["answer"]) == ["pressure", "spam"]
    again, _ = graded_widget("wants-g1", tmp_path)  # the notebook reopened
    assert sorted(again.answer) == ["pressure", "spam"]
    feedback = again.submit()
    assert feedback.status == "saved" and "scored after you submit" in feedback.message
    assert "Correct" not in again.feedback.value and "Wrong" not in again.feedback.value


def test_answer_restored_from_the_notebook_alone(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", data={
            ANSWER_MIME: {"item": "wants-g3", "answer": ITEMS["wants-g3"].options[1],
                          "saved": 5.0}})])])
    nbformat.write(nb, tmp_path / "wants.ipynb")
    w, _ = graded_widget("wants-g3", tmp_path)
    # Saved as the option's text (before option ids), it comes back as that option.
    assert w.answer == ITEMS["wants-g3"].ids[1]
    assert w.radio.label == ITEMS["wants-g3"].options[1]
    records = read_submission_answers(tmp_path, tmp_path / "wants.ipynb")
    assert records["wants-g3"]["answer"] == ITEMS["wants-g3"].options[1]


def test_newest_record_wins_and_damage_is_skipped(tmp_path):
    (tmp_path / "answers").mkdir()
    (tmp_path / "answers" / "wants-g3.json").write_text(json.dumps(
        {"item": "wants-g3", "answer": "file", "saved": 10.0}))
    (tmp_path / "answers" / "broken.json").write_text("{not json")
    (tmp_path / "nb.ipynb").write_text("not a notebook")
    assert read_submission_answers(tmp_path, tmp_path / "nb.ipynb")["wants-g3"]["answer"] == "file"


def test_nothing_is_written_while_nbgrader_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    w, _ = graded_widget("wants-g3", tmp_path)
    w.radio.value = ITEMS["wants-g3"].ids[0]
    w.submit()
    assert not (tmp_path / "answers").exists()


def test_rewrite_widget_in_graded_work_shows_the_critic_live(tmp_path):
    w, _ = graded_widget("wants-g6", tmp_path)
    w.editor.value = "What's one habit you want to build this year? Tell us below."
    assert "✓ fixed: Hard sell" in w.live.value
    assert load_answer(tmp_path, "wants-g6")["answer"].startswith("What's one habit")


@pytest.mark.parametrize("item_id", list(ITEMS))
def test_every_graded_item_builds_a_widget(item_id, tmp_path):
    w, _ = graded_widget(item_id, tmp_path)
    assert w.prompt.value and w.check_button.description == "Save answer"
