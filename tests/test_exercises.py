"""Each checker with correct, partly correct, empty and wrong answers; the code API;
progress that survives a restart; and the widgets driven through their Python model."""

import json

import pytest

from course.content.knowledge import Post, load_knowledge
from course.exercises import (
    CORRECT,
    NOT_ATTEMPTED,
    PARTLY,
    WRONG,
    MultipleChoice,
    Numeric,
    Rewrite,
    SingleChoice,
    TagCritique,
    check,
    load_items,
    partial_credit,
)
from course.learn.practice import Exercise
from course.learn.progress import ProgressStore

TAGS = load_knowledge().tag_ids
SALE = Post("p-test", "x", "Flash sale!!! 40% off today only, use code SAVE40",
            {"hard-sell": "40% off and a code.", "pressure": "Today only.",
             "spam": "Three exclamation marks."}, "test shop")
QUIET = Post("p-quiet", "facebook", "Our office is closed Monday for the holiday.", {})

SINGLE = SingleChoice("t-single", "Pick one", options=("A", "B", "C"), key="B",
              hints=("Not A.",), explanation="B, because.", principles=("want-interact",))
MULTI = MultipleChoice("t-multi", "Pick all", options=("A", "B", "C", "D"), key=("A", "C"),
             explanation="A and C.", principles=("want-interact",), points=2)
CRIT = TagCritique("t-crit", "Tag it", options=TAGS, key=tuple(SALE.tags), post=SALE,
            principles=("not-advertising",), points=3)
NONE = TagCritique("t-none", "Tag it", options=TAGS, key=(), post=QUIET,
            principles=("not-advertising",))
REWRITE = Rewrite("t-rw", "Rewrite it", post=SALE, principles=("not-advertising",),
               points=2)
NUMBER = Numeric("t-num", "10 x 10?", key=100, tolerance=0, hints=("Multiply.",),
              principles=("c-community",))


@pytest.mark.parametrize(("chosen", "key", "credit"), [
    (["A", "C"], ["A", "C"], 1.0), (["A"], ["A", "C"], 0.5), (["A", "B"], ["A", "C"], 0.0),
    (["A", "B", "C"], ["A", "C"], 0.5), ([], ["A"], 0.0), ([], [], 1.0), (["A"], [], 0.0),
])
def test_partial_credit_formula(chosen, key, credit):
    assert partial_credit(chosen, key) == credit


def test_single_choice():
    assert check(SINGLE, "B").status == CORRECT and check(SINGLE, "B").score == 1
    wrong = check(SINGLE, "A")
    assert (wrong.status, wrong.score) == (WRONG, 0) and "Not A." in wrong.message
    assert check(SINGLE, None).status == NOT_ATTEMPTED
    assert check(SINGLE, "Z").status == WRONG


def test_multiple_choice():
    assert check(MULTI, ["C", "A"]).score == 2
    part = check(MULTI, ["A"])
    assert (part.status, part.score) == (PARTLY, 1.0)
    assert "credit = max(0, (right - wrong) / 2)" in part.message
    assert check(MULTI, ["A", "B"]).status == WRONG
    assert check(MULTI, None).status == NOT_ATTEMPTED


def test_critique_feedback_names_missed_and_wrong_tags_with_principles():
    full = check(CRIT, ["hard-sell", "pressure", "spam"])
    assert (full.status, full.score) == (CORRECT, 3)
    part = check(CRIT, ["hard-sell", "spam", "caring"])
    assert part.status == PARTLY and part.score == pytest.approx(1.0)
    text = "\n".join(part.details)
    assert "Missed Pressure: Today only." in text
    assert "People want freedom" in text and "Social Media Marketing Principles" in text
    assert "Not Caring:" in text
    assert check(CRIT, []).status == WRONG
    assert check(CRIT, None).status == NOT_ATTEMPTED


def test_critique_of_a_post_with_no_tags():
    assert check(NONE, []).status == CORRECT
    assert check(NONE, ["caring"]).score == 0


def test_rewrite_is_scored_by_the_critic():
    good = check(REWRITE, "Which flowers last longest in your vase? Tell us below.")
    assert (good.status, good.score) == (CORRECT, 2)
    assert "Fixed: Hard sell." in good.details
    half = check(REWRITE, "Our flowers are in the shop this week.")
    assert (half.status, half.score) == (PARTLY, 1.0)
    still = check(REWRITE, "Sale today only!!! Which do you like?")
    assert still.status in (PARTLY, WRONG) and any("Still there" in d for d in still.details)
    assert check(REWRITE, SALE.text).status == NOT_ATTEMPTED
    assert check(REWRITE, "  ").status == NOT_ATTEMPTED


def test_numeric():
    assert check(NUMBER, 100).status == CORRECT
    assert check(NUMBER, " 100.0 ").status == CORRECT
    assert check(NUMBER, "101").status == WRONG
    assert check(NUMBER, "a hundred").status == WRONG
    assert check(NUMBER, "").status == NOT_ATTEMPTED


def test_code_api_check_hint_solution_and_progress(tmp_path):
    store = ProgressStore(tmp_path / "p.json")
    q = Exercise(CRIT, store)
    assert q.check(["hard-sell"]).status == PARTLY
    assert "Hard sell" in q.solution() and "Today only." in q.solution()
    assert q.hint()
    saved = json.loads((tmp_path / "p.json").read_text())
    assert saved["t-crit"]["status"] == PARTLY and saved["t-crit"]["score"] == 1.0
    # A new store on the same file (a restarted kernel) sees the same answers.
    again = ProgressStore(tmp_path / "p.json")
    assert again.weak_principles() == [("not-advertising", 1)]
    Exercise(CRIT, again).check(["hard-sell", "pressure", "spam"])
    assert again.weak_principles() == []


def test_progress_survives_a_damaged_file(tmp_path):
    path = tmp_path / "p.json"
    path.write_text("{not json")
    store = ProgressStore(path)
    Exercise(SINGLE, store).check("B")
    assert json.loads(path.read_text())["t-single"]["status"] == CORRECT
    assert list(tmp_path.glob("p.damaged-*.json")), "the damaged file is kept aside"


def test_grading_runs_do_not_write_progress(tmp_path, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    Exercise(SINGLE, ProgressStore(tmp_path / "p.json")).check("B")
    assert not (tmp_path / "p.json").exists()


def test_every_item_in_the_course_scores_full_on_its_key_and_less_otherwise():
    for item in load_items().values():
        if item.kind == "rewrite":
            continue
        key = list(item.key) if item.kind in ("multiple", "critique") else item.key
        assert check(item, key).status == CORRECT, item.id
        if item.kind == "single":
            wrong = next(o for o in item.options if o != item.key)
        elif item.kind == "numeric":
            wrong = item.key + 10 * (item.tolerance + 1)
        else:
            wrong = [o for o in item.options if o not in item.key][:1] or []
            if not wrong and not item.key:
                continue
        assert check(item, wrong).score < item.points, item.id


# --- widgets, driven through their Python model ------------------------------------------

def widget(item, tmp_path):
    return Exercise(item, ProgressStore(tmp_path / "p.json")).widget()


def test_choice_widget(tmp_path):
    w = widget(SINGLE, tmp_path)
    w.check_button.click()
    assert "Not attempted" in w.feedback.value
    w.radio.value = "A"
    w.check_button.click()
    assert "Wrong" in w.feedback.value and "Not A." in w.feedback.value
    w.radio.value = "B"
    w.check_button.click()
    assert "Correct" in w.feedback.value and 'role="status"' in w.feedback.value
    w.hint_button.click()
    assert "Not A." in w.hint.value

    m = widget(MULTI, tmp_path)
    m.boxes[0].value = True
    m.check_button.click()
    assert "Partly correct" in m.feedback.value and "(1/2)" in m.feedback.value


def test_critique_widget_shows_the_post_and_scores_ticks(tmp_path):
    w = widget(CRIT, tmp_path)
    assert "SAVE40" in w.card.value and "X" in w.card.value
    assert [b.description for b in w.boxes.values()] == [
        load_knowledge().tags[t].name for t in TAGS]
    w.boxes["hard-sell"].value = True
    w.boxes["caring"].value = True
    w.check_button.click()
    assert "Missed Pressure" in w.feedback.value and "Not Caring" in w.feedback.value
    w.answer = ["hard-sell", "pressure", "spam"]
    assert w.submit().status == CORRECT


def test_rewrite_widget_updates_live(tmp_path):
    w = widget(REWRITE, tmp_path)
    assert "No tag has changed yet" in w.live.value
    w.editor.value = "Which flowers last longest in your vase? Tell us below."
    assert "✓ fixed: Hard sell" in w.live.value and "✓ added: Invites conversation" in w.live.value
    assert "<mark" in w.live.value
    w.check_button.click()
    assert "Correct" in w.feedback.value


def test_numeric_widget_and_change_callbacks(tmp_path):
    w = widget(NUMBER, tmp_path)
    seen = []
    w.observe(lambda change: seen.append(change["new"]), "answer")
    w.box.value = "100"
    assert seen == ["100"]
    w.check_button.click()
    assert "Correct" in w.feedback.value


# --- options have stable ids: answers name ids, rewording never changes a score -------------

def _choice_item(options, key, kind="single"):
    from course.exercises import build_item

    raw = {"id": "t-opt", "kind": kind, "prompt": "Pick", "options": options, "key": key,
           "principles": ["want-interact"]}
    return build_item(raw, {}, "test.yaml")


def test_plain_string_options_get_slug_ids_and_checks_take_ids_letters_and_texts():
    item = _choice_item(["Reply in your own voice, and thank them.", "Delete it!"],
                        "Reply in your own voice, and thank them.")
    assert item.options == ("reply-in-your-own-voice-and-thank-them", "delete-it")
    assert item.key == "reply-in-your-own-voice-and-thank-them"
    for answer in ("reply-in-your-own-voice-and-thank-them", "A", "a",
                   "reply in your own voice, AND thank them.",
                   "Reply in your own voice and thank them"):  # a comma fixed since
        assert check(item, answer).status == CORRECT, answer
    assert check(item, "B").status == WRONG and check(item, "Z").status == WRONG
    assert "Reply in your own voice" in item.solution()


def test_fixing_a_comma_in_an_option_and_its_key_keeps_every_saved_answer_right():
    before = _choice_item(["Two plans compare with prices", "Only 2 left!"],
                          ["Two plans compare with prices"], kind="multiple")
    saved = before.right_answer()  # what a widget saved: ids
    after = _choice_item(["Two plans compare, with prices", "Only 2 left!"],
                         ["Two plans compare, with prices"], kind="multiple")
    assert saved == ["two-plans-compare-with-prices"]
    assert check(after, saved).status == CORRECT


def test_an_option_with_an_explicit_id_can_be_reworded():
    first = _choice_item([{"id": "engage", "text": "Reply and engage"}, "Delete it"], "engage")
    reworded = _choice_item([{"id": "engage", "text": "Thank them and engage with the point"},
                             "Delete it"], "Thank them and engage with the point")
    assert first.right_answer() == reworded.key == "engage"
    assert check(reworded, first.right_answer()).status == CORRECT


def test_two_options_with_one_id_and_a_key_that_is_no_option_are_data_errors():
    from course.errors import DataError

    with pytest.raises(DataError, match="two options have the id 'same-words'"):
        _choice_item(["Same words", "same, words!"], "Same words")
    with pytest.raises(DataError, match="not among the options"):
        _choice_item(["One", "Two"], "Three")


def test_public_options_carry_ids_and_an_older_notebook_gets_the_same_ids():
    from course.exercises import item_from_public

    item = _choice_item(["Reply, thank them", "Delete it"], "Reply, thank them")
    spec = item.public()
    assert spec["options"] == [{"id": "reply-thank-them", "text": "Reply, thank them"},
                               {"id": "delete-it", "text": "Delete it"}]
    assert "key" not in spec
    older = {**spec, "options": ["Reply, thank them", "Delete it"]}  # released before ids
    for public in (spec, older):
        rebuilt = item_from_public(public)
        assert rebuilt.options == item.options and rebuilt.key is None
        assert rebuilt.option_texts == item.option_texts


def test_choice_widgets_show_texts_and_save_ids(tmp_path):
    item = _choice_item(["Reply, thank them", "Delete it"], "Reply, thank them")
    w = widget(item, tmp_path)
    assert [label for label, _ in w.radio.options] == ["Reply, thank them", "Delete it"]
    w.radio.value = "delete-it"
    assert w.answer == "delete-it"
    w.answer = "Reply, thank them"  # an answer saved as text before options had ids
    assert w.answer == "reply-thank-them" and w.submit().status == CORRECT
    many = widget(_choice_item(["Reply, thank them", "Delete it"], ["Delete it"],
                               kind="multiple"), tmp_path)
    many.boxes[1].value = True
    assert many.answer == ["delete-it"] and many.boxes[1].description == "Delete it"
