"""Each checker with right, partly right, empty and wrong answers and the words a learner
reads; the code path (options shown, letters, texts and labels accepted); progress that
keeps the last answer and the best score across a restart; and the widgets driven
through their Python model."""

import json
import re

import pandas as pd
import pytest

from course.content.knowledge import Post, load_knowledge
from course.content.markup import markdown_html, sentence
from course.errors import UnknownIdError
from course.exercises import (
    CORRECT,
    MISSING,
    NOT_ATTEMPTED,
    PARTLY,
    WRONG,
    CodeTask,
    Feedback,
    MultipleChoice,
    Numeric,
    Rewrite,
    SingleChoice,
    TagCritique,
    check,
    load_items,
    partial_credit,
)
from course.learn.practice import SHOW_ANSWER_AFTER, Exercise, exercise
from course.learn.progress import ProgressStore

TAGS = load_knowledge().tag_ids
SALE = Post("p-test", "x", "Flash sale!!! 40% off today only, use code SAVE40",
            {"hard-sell": "40% off and a code.", "pressure": "Today only.",
             "spam": "Three exclamation marks."}, "test shop")
QUIET = Post("p-quiet", "facebook", "Our office is closed Monday for the holiday.", {})

SINGLE = SingleChoice("t-single", "Pick one", options=("Apples", "Bananas", "Cherries"),
                      key="Bananas", notes=(("apples", "Apples grow on trees in the cold."),),
                      hints=("Think yellow.",), explanation="Bananas, because.",
                      principles=("want-interact",))
MULTI = MultipleChoice("t-multi", "Pick all", options=("A", "B", "C", "D"), key=("A", "C"),
                       notes=(("b", "B is a trap."),), explanation="A and C.",
                       principles=("want-interact",), points=2)
CRIT = TagCritique("t-crit", "Tag it", options=TAGS, option_ids=TAGS, key=tuple(SALE.tags),
                   post=SALE, notes=(("caring", "Nobody is helped or thanked here."),),
                   principles=("not-advertising",), points=3)
ONE_TAG = TagCritique("t-one", "Tag it", options=TAGS, option_ids=TAGS, key=("spam",),
                      post=Post("p-one", "x", "WIN WIN WIN!!!", {"spam": "Shouting."}),
                      principles=("mistake-spamming",), points=2)
NONE = TagCritique("t-none", "Tag it", options=TAGS, option_ids=TAGS, key=(), post=QUIET,
                   principles=("not-advertising",))
# A rewrite must keep its original's subject: here, the flowers on sale.
FLOWER_SALE = Post("p-flowers", "x", "Flash sale on flowers!!! 40% off today only, use code "
                   "SAVE40", {"hard-sell": "40% off and a code.", "pressure": "Today only.",
                              "spam": "Three exclamation marks."}, "florist")
REWRITE = Rewrite("t-rw", "Rewrite it", post=FLOWER_SALE, principles=("not-advertising",),
                  points=2)
NUMBER = Numeric("t-num", "10 x 10?", key=100, tolerance=0, hints=("Multiply.",),
                 principles=("c-community",))
CODE = CodeTask("t-code", "Median per group", variable="medians", points=2,
                setup="import pandas as pd\ndf = pd.DataFrame({'g': list('aabb'), "
                      "'v': [1, 3, 10, 20]})",
                solution_code="medians = df.groupby('g')['v'].median()",
                hints=("Group by g.",), explanation="Groups first, then medians.",
                principles=("c-community",))

DOUBLED = re.compile(r"(?<!\.)\.\.(?!\.)|[!?,;:]\.|\.\s+\.|\.\s*\?|[.!?][”’\"')]+\.")


def store(tmp_path):
    return ProgressStore(tmp_path / "p.json")


# --- scoring -----------------------------------------------------------------------------

@pytest.mark.parametrize(("chosen", "key", "credit"), [
    (["A", "C"], ["A", "C"], 1.0), (["A"], ["A", "C"], 0.5), (["A", "B"], ["A", "C"], 0.0),
    (["A", "B", "C"], ["A", "C"], 0.5), ([], ["A"], 0.0), ([], [], 1.0), (["A"], [], 0.0),
])
def test_partial_credit_formula(chosen, key, credit):
    assert partial_credit(chosen, key) == credit


def test_single_choice_says_why_the_chosen_option_is_wrong_not_the_hint():
    right = check(SINGLE, "Bananas")
    assert (right.status, right.score, right.label) == (CORRECT, 1, "Right")
    assert right.message == "Bananas, because."
    wrong = check(SINGLE, "Apples")
    assert (wrong.status, wrong.score, wrong.label) == (WRONG, 0, "Wrong")
    assert "Apples grow on trees in the cold." in wrong.message
    assert "Think yellow" not in wrong.message, "the hint is the Hint button's, not feedback"
    assert "Bananas" not in wrong.as_text(reveal=False), "no key on a wrong try"
    assert "Bananas" in wrong.as_text(reveal=True)
    other = check(SINGLE, "Cherries")
    assert other.status == WRONG and other.message != wrong.message
    assert check(SINGLE, None).status == NOT_ATTEMPTED
    assert check(SINGLE, "  ").status == NOT_ATTEMPTED
    assert check(SINGLE, "Zebra").status == WRONG


@pytest.mark.parametrize("answer", ["Bananas", "bananas", " BANANAS ", "B", "b", "b.",
                                    "bananas"])
def test_single_choice_by_text_letter_or_id_in_any_case(answer):
    assert check(SINGLE, answer).status == CORRECT


def test_multiple_choice_counts_in_words_and_keeps_the_missed_apart():
    assert check(MULTI, ["C", "A"]).score == 2
    assert check(MULTI, "a, c").score == 2
    part = check(MULTI, ["A"])
    assert (part.status, part.score, part.label) == (PARTLY, 1.0, "Partly right")
    assert part.message == "You found 1 of the 2 options that apply. Look for the one you " \
                           "have not ticked yet."
    assert "max(" not in part.as_text() and "credit" not in part.as_text()
    assert all("“C”" not in d for d in part.details), "the missed option is not named"
    assert any("“C”" in m for m in part.missed)
    wrong = check(MULTI, ["B", "D"])
    assert wrong.status == WRONG
    assert "“B” does not apply. B is a trap." in wrong.details
    assert check(MULTI, None).status == NOT_ATTEMPTED
    assert check(MULTI, ["A", "Q"]).status == WRONG


def test_critique_feedback_names_wrong_ticks_with_kind_and_keeps_misses_for_reveal():
    full = check(CRIT, ["hard-sell", "pressure", "spam"])
    assert (full.status, full.score) == (CORRECT, 3)
    part = check(CRIT, ["Hard sell", "spam", "caring"])
    assert part.status == PARTLY and part.score == pytest.approx(1.0)
    assert part.points_text == "1/3"
    text = "\n".join(part.details)
    assert "Right so far: Hard sell (a problem); Spam (a problem)." in text
    assert "Caring (a strength) does not apply. Nobody is helped or thanked here." in text
    assert "Not Caring" not in text and "Pressure" not in text
    missed = "\n".join(part.missed)
    assert "Missed Pressure (a problem): Today only. See People want freedom" in missed
    assert "*Social Media Marketing Principles*" in missed
    assert check(CRIT, []).status == WRONG
    assert check(CRIT, None).status == NOT_ATTEMPTED


def test_critique_with_every_right_tag_and_one_extra_is_partly_right_not_wrong():
    extra = check(ONE_TAG, ["spam", "caring"])
    assert extra.status == PARTLY and extra.score == 0
    assert extra.message.startswith("You found the one tag that applies, but one of your "
                                    "ticks does not apply.")
    assert "cancels a right one" in extra.message
    generic = "\n".join(extra.details)
    assert "Caring (a strength) does not apply. This post does not carry it. What counts as " \
           "Caring: empathy" in generic


def test_critique_of_a_post_with_no_tags():
    assert check(NONE, []).status == CORRECT
    assert check(NONE, ["caring"]).score == 0
    assert "no tags at all" in check(NONE, ["caring"]).message


def test_rewrite_is_scored_by_the_critic_and_says_new_problems_apart():
    good = check(REWRITE, "Which flowers last longest in your vase? Tell us below.")
    assert (good.status, good.score) == (CORRECT, 2)
    assert "Fixed: Hard sell (a problem)." in good.details
    half = check(REWRITE, "Our flowers are in the shop this week.")
    assert (half.status, half.score) == (PARTLY, 1.0)
    still = check(REWRITE, "Sale today only!!! Which do you like?")
    assert still.status in (PARTLY, WRONG) and any("Still there" in d for d in still.details)
    fresh = Rewrite("t-rw2", "Rewrite", post=Post("p-calm", "x", "Our shop opens at 9.", {}))
    added = check(fresh, "BUY NOW!!! Our shop opens at 9!!!")
    assert any(d.startswith("New problem: Spam") for d in added.details)
    assert not any(d.startswith("Still there: Spam") for d in added.details)
    assert check(REWRITE, FLOWER_SALE.text).status == NOT_ATTEMPTED
    assert check(REWRITE, "  ").status == NOT_ATTEMPTED


def test_numeric_says_too_high_or_low_without_the_hint():
    assert check(NUMBER, 100).status == CORRECT
    assert check(NUMBER, " 100.0 ").status == CORRECT
    high = check(NUMBER, "101")
    assert high.status == WRONG and "too high" in high.message and "Multiply" not in high.message
    assert "too low" in check(NUMBER, 99).message
    assert check(NUMBER, "a hundred").status == WRONG
    assert check(NUMBER, "").status == NOT_ATTEMPTED


def test_code_task_compares_the_learners_own_value():
    assert check(CODE, MISSING).status == NOT_ATTEMPTED
    assert "`medians` is still `Ellipsis`" in check(CODE, ...).message
    df = pd.DataFrame({"g": list("aabb"), "v": [1, 3, 10, 20]})
    right = check(CODE, df.groupby("g")["v"].median())
    assert (right.status, right.score) == (CORRECT, 2)
    assert check(CODE, df.groupby("g")[["v"]].median()).status == CORRECT  # one column
    shape = check(CODE, 2.0)
    assert shape.status == WRONG and "a number; this task asks for a Series" in shape.message
    rows = check(CODE, df.groupby("v")["v"].median())
    assert "should have one row for each of: a, b" in rows.message
    means = check(CODE, df.groupby("g")["v"].mean() + 1)
    assert means.status == WRONG and "value for a, b is not what the data gives" in means.message
    assert "15" not in means.message, "the expected numbers are not given away"


def test_every_course_item_reads_right_partly_wrong_and_empty_cleanly():
    """Feedback of every kind for every item in the course: statuses as words, rounded
    points, no formula, no doubled punctuation, hints never repeated as feedback."""
    for item in load_items().values():
        answers = {"right": item.right_answer(), "empty": None}
        if item.kind == "single":
            # every wrong option: each is quoted back to the learner with its own "why"
            answers.update({f"wrong {o}": o for o in item.ids if o not in item.key_ids})
            answers["wrong"] = next(o for o in item.ids if o not in item.key_ids)
        elif item.kind == "multiple":
            answers["wrong"] = [o for o in item.ids if o not in item.key_ids][:1]
            answers["partly"] = list(item.key_ids)[:1]
        elif item.kind == "critique":
            answers["wrong"] = [t for t in TAGS if t not in item.key][:2]
            if len(item.key) > 1:
                answers["partly"] = list(item.key)[:1] + answers["wrong"][:0]
        elif item.kind == "numeric":
            answers["wrong"] = item.key + 10 * (item.tolerance + 1)
        elif item.kind == "code":
            answers["empty"] = MISSING
            answers["wrong"] = 0.5
        elif item.kind == "rewrite":
            answers["right"] = "What is one small goal you have this month? Tell us below."
        seen = {}
        for name, answer in answers.items():
            feedback = check(item, answer)
            seen[name] = feedback.status
            for text in (feedback.as_text(), feedback.as_markdown()):
                assert not DOUBLED.search(text), (item.id, name, text)
                assert "max(0" not in text and "credit =" not in text, (item.id, text)
                assert not re.search(r"\d\.\d{2,}/", text), (item.id, "rounded points", text)
            if name.startswith(("wrong", "partly")):
                for hint in item.hints:
                    assert hint not in feedback.message, (item.id, "hint repeated", hint)
            assert feedback.label in ("Right", "Partly right", "Wrong", "Not answered yet")
        if item.kind != "rewrite":
            assert seen["right"] == CORRECT, item.id
        assert seen["empty"] == NOT_ATTEMPTED, item.id
        assert seen.get("wrong", WRONG) in (WRONG, PARTLY), item.id
        if "partly" in seen:
            assert seen["partly"] == PARTLY, item.id


def test_points_read_rounded():
    feedback = Feedback("x", PARTLY, 2 / 3, 2, "Some.")
    assert feedback.as_text().startswith("Partly right (0.7/2). Some.")
    assert "(0.7/2)" in feedback.as_html() and "◐" in feedback.as_html()


def test_markdown_is_rendered_and_escaped_and_sentences_end_once():
    html = markdown_html("See *Principles*, `df.head()` and **this** <b>x</b> "
                         "[next](02_relationships.ipynb) [bad](javascript:alert(1))")
    assert "<em>Principles</em>" in html and "<code>df.head()</code>" in html
    assert "<strong>this</strong>" in html and "&lt;b&gt;" in html
    assert '<a href="02_relationships.ipynb">next</a>' in html and "javascript" not in \
        html.split("[bad]")[0]
    block = markdown_html("Code:\n\n```python\nx = 1 < 2\n```\n\n- a\n- b", block=True)
    assert "<pre><code>x = 1 &lt; 2</code></pre>" in block and "<li>b</li>" in block
    assert sentence("Done..") == "Done." and sentence("Why?") == "Why?"
    assert sentence("Thanks") == "Thanks."
    ends_itself = "You chose “Keep it, since it sells.”"
    assert sentence(ends_itself) == ends_itself
    assert sentence("You chose “Keep it”") == "You chose “Keep it”."


# --- the code path ------------------------------------------------------------------------

def test_code_path_shows_options_and_takes_letters_texts_and_labels(tmp_path):
    q = exercise("wants-q1", store=store(tmp_path))
    shown = q._repr_markdown_()
    for letter, oid in zip("ABCD", q.order, strict=True):
        assert f"- **{letter}.** {q.item.label(oid)}" in shown
    key = q.item.key_ids[0]
    letter = "ABCD"[q.order.index(key)]
    assert q.check(letter.lower()).status == CORRECT
    assert q.check(q.item.label(key).upper()).status == CORRECT
    wrong_letter = "ABCD"[(q.order.index(key) + 1) % 4]
    assert q.check(wrong_letter).status == WRONG

    c = exercise("wants-c2", store=store(tmp_path))
    assert "Problems: Hard sell, About us" in c._repr_markdown_()
    assert c.check(["hard sell", "PRESSURE"]).status == CORRECT
    assert c.check("Hard sell, Pressure").status == CORRECT


def test_hints_and_solutions_are_markdown_not_quoted_strings(tmp_path):
    q = exercise("wants-q1", store=store(tmp_path))
    hint = q.hint()
    assert repr(hint) == f"**Hint.** {q.item.hints[0]}" and "\\'" not in repr(hint)
    assert hint._repr_markdown_() == repr(hint)
    assert q.hint() != hint  # the next hint
    solution = q.solution()
    assert repr(solution).startswith(f"**{q.item.label(q.item.key_ids[0])}**")
    code = exercise("wants-p1", store=store(tmp_path)).solution()
    assert repr(code).startswith("```python\nphoto_share = ")


def test_a_wrong_check_in_code_never_names_the_missed_options(tmp_path):
    q = exercise("wants-c2", store=store(tmp_path))
    feedback = q.check(["hard-sell"])
    assert feedback.status == PARTLY and feedback.missed == ()
    assert "Pressure" not in feedback.as_markdown()


def test_an_unknown_id_names_the_nearest():
    with pytest.raises(UnknownIdError, match=r"no exercise 'wants-q9'; did you mean 'wants-q"):
        exercise("wants-q9")


# --- progress -------------------------------------------------------------------------------

def test_progress_keeps_the_last_answer_and_the_best_score_across_a_restart(tmp_path):
    q = Exercise(CRIT, store(tmp_path))
    assert q.check(["hard-sell", "pressure", "spam"]).status == CORRECT
    assert q.check(["caring"]).status == WRONG  # a wrong check after a right one
    again = ProgressStore(tmp_path / "p.json")  # a restarted kernel
    record = again.get("t-crit")
    assert (record["status"], record["score"]) == (CORRECT, 3)
    assert (record["last_status"], record["answer"], record["tries"]) == (WRONG, ["caring"], 2)
    assert again.weak_principles() == []
    assert Exercise(CRIT, again).last_answer() == ["caring"]


def test_the_learner_id_is_made_once_and_kept(tmp_path):
    first = store(tmp_path).learner()
    assert first and store(tmp_path).learner() == first
    Exercise(SINGLE, store(tmp_path)).check("Bananas")
    assert json.loads((tmp_path / "p.json").read_text())["learner"] == first


def test_progress_of_the_first_format_is_read_and_upgraded(tmp_path):
    (tmp_path / "p.json").write_text(json.dumps({"t-single": {
        "status": CORRECT, "score": 1.0, "points": 1.0, "lesson": "wants",
        "principles": ["want-interact"], "at": "2026-01-01T00:00:00"}}))
    old = store(tmp_path)
    assert old.get("t-single")["status"] == CORRECT
    Exercise(SINGLE, old).check("Apples")
    record = store(tmp_path).get("t-single")
    assert (record["status"], record["last_status"], record["tries"]) == (CORRECT, WRONG, 2)


def test_progress_survives_a_damaged_file(tmp_path):
    path = tmp_path / "p.json"
    path.write_text("{not json")
    Exercise(SINGLE, ProgressStore(path)).check("Bananas")
    assert json.loads(path.read_text())["items"]["t-single"]["status"] == CORRECT
    assert list(tmp_path.glob("p.damaged-*.json")), "the damaged file is kept aside"


def test_grading_runs_do_not_write_progress(tmp_path, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    Exercise(SINGLE, store(tmp_path)).check("Bananas")
    assert not (tmp_path / "p.json").exists()


def test_every_item_in_the_course_scores_full_on_its_key_and_less_otherwise():
    for item in load_items().values():
        if item.kind == "rewrite":
            continue
        assert check(item, item.right_answer()).status == CORRECT, item.id
        if item.kind == "single":
            wrong = next(o for o in item.ids if o not in item.key_ids)
        elif item.kind == "numeric":
            wrong = item.key + 10 * (item.tolerance + 1)
        elif item.kind == "code":
            wrong = MISSING
        else:
            wrong = [o for o in item.ids if o not in item.right_answer()][:1]
        assert check(item, wrong).score < item.points, item.id


# --- widgets, driven through their Python model ------------------------------------------

def widget(item, tmp_path):
    return Exercise(item, store(tmp_path)).widget()


def test_choice_widget_checks_hints_and_offers_the_answer_after_tries(tmp_path):
    w = widget(SINGLE, tmp_path)
    assert w.answer_button.layout.display == "none"
    w.check_button.click()
    w.check_button.click()
    assert "Not answered yet" in w.feedback.value
    assert w.answer_button.layout.display == "none", "checks with no answer are no tries"
    w.radio.value = "apples"
    w.check_button.click()
    assert "✗ Wrong" in w.feedback.value and "Apples grow on trees" in w.feedback.value
    assert "Think yellow" not in w.feedback.value
    w.hint_button.click()
    assert "Think yellow." in w.hint.value
    assert w.answer_button.layout.display == "none", "not after one try"
    w.radio.value = "cherries"
    w.check_button.click()
    assert SHOW_ANSWER_AFTER == 2 and w.answer_button.layout.display is None
    w.answer_button.click()
    assert "<strong>Bananas</strong>" in w.solution.value
    w.radio.value = "bananas"
    w.check_button.click()
    assert "✓ Right" in w.feedback.value and 'role="status"' in w.feedback.value
    assert "Done" in w.status.value

    m = widget(MULTI, tmp_path)
    m.boxes["a"].value = True
    m.check_button.click()
    assert "Partly right" in m.feedback.value and "(1/2)" in m.feedback.value


def test_widget_comes_back_with_answer_done_mark_and_best_score(tmp_path):
    w = widget(MULTI, tmp_path)
    m_answer = ["a", "c"]
    w.answer = m_answer
    w.submit()
    w.answer = ["b"]
    w.submit()  # wrong after right
    again = widget(MULTI, tmp_path)  # restart, Run All
    assert again.answer == ["b"], "the last answer comes back"
    assert again.boxes["b"].value and not again.boxes["a"].value
    assert "✓ <b>Done</b>: best 2/2 (2 tries)" in again.status.value
    assert again.answer_button.layout.display is None


def test_widget_options_follow_the_learners_order(tmp_path):
    q = exercise("wants-q1", store=store(tmp_path))
    w = q.widget()
    assert [value for _label, value in w.radio.options] == list(q.order)


def test_critique_widget_shows_the_post_and_scores_ticks(tmp_path):
    w = widget(CRIT, tmp_path)
    assert "SAVE40" in w.card.value and "X" in w.card.value
    assert [b.description for b in w.boxes.values()] == [
        load_knowledge().tags[t].name for t in TAGS]
    w.boxes["hard-sell"].value = True
    w.boxes["caring"].value = True
    w.check_button.click()
    assert "Caring (a strength) does not apply" in w.feedback.value
    assert "Missed" not in w.feedback.value
    w.answer = ["hard-sell", "pressure", "spam"]
    assert w.submit().status == CORRECT


def test_rewrite_widget_updates_live_and_restores_the_text(tmp_path):
    w = widget(REWRITE, tmp_path)
    assert "No tag has changed yet" in w.live.value
    w.editor.value = "Which flowers last longest in your vase? Tell us below."
    assert "✓ fixed: Hard sell" in w.live.value and "✓ added: Invites conversation" in w.live.value
    assert "<mark" in w.live.value
    w.check_button.click()
    assert "Right" in w.feedback.value
    assert widget(REWRITE, tmp_path).editor.value.startswith("Which flowers last longest")


def test_numeric_widget_and_change_callbacks(tmp_path):
    w = widget(NUMBER, tmp_path)
    seen = []
    w.observe(lambda change: seen.append(change["new"]), "answer")
    w.box.value = "100"
    assert seen == ["100"]
    w.check_button.click()
    assert "Right" in w.feedback.value


def test_code_widget_checks_the_variable_in_the_notebook(tmp_path, monkeypatch):
    import course.learn.practice as practice

    namespace = {}
    monkeypatch.setattr(practice, "_notebook_variable", lambda name: namespace.get(name, MISSING))
    w = widget(CODE, tmp_path)
    w.check_button.click()
    assert "There is no <code>medians</code> yet" in w.feedback.value
    df = pd.DataFrame({"g": list("aabb"), "v": [1, 3, 10, 20]})
    namespace["medians"] = df.groupby("g")["v"].median()
    w.check_button.click()
    assert "✓ Right" in w.feedback.value


def test_widgets_render_markdown_read_normally_and_fall_back_to_a_line(tmp_path):
    w = exercise("wants-q1", store=store(tmp_path)).widget()
    assert "<em>Social Media Marketing Principles</em>" in w.prompt.value
    assert "line-height: 1.4" in w.prompt.value and "button:focus" in w.prompt.value
    bundle = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("Exercise wants-q1: run this cell")
    assert "run this cell" in bundle["text/html"]


# --- cards ---------------------------------------------------------------------------------

def test_evidence_reads_one_line_per_tag_in_whole_words():
    """Over the whole post bank, whatever tags the critic gives: one line per tag it gives,
    its kind in words, and every quote cut at word boundaries (no "1. T", no "@lou")."""
    from course.content.knowledge import load_posts
    from course.critique import analyze
    from course.learn.cards import critique_card

    kb = load_knowledge()
    for post in load_posts():
        result = analyze(post.text, post.platform)
        card = critique_card(result).html
        lines = re.findall(r"<li><b>([^<]+)</b> \((problem|strength)\): (.*?)</li>", card)
        named = [name for name, _kind, _rest in lines]
        given = [kb.tags[t].name for t in kb.tag_ids if t in result.tags
                 and result.evidence_for(t)]
        assert named == given, (post.id, named, given)
        for name, kind, rest in lines:
            assert kind == kb.tags[next(t for t in kb.tag_ids if kb.tags[t].name == name)].kind
            for quote in re.findall(r"“(.*?)”", rest):
                words = html_unescape(quote).removesuffix("…")
                if not any(c.isalnum() for c in words):  # "!!!" is quoted as it stands
                    assert words in post.text, (post.id, quote)
                    continue
                flat = " ".join(post.text.split())
                at = flat.find(words)
                assert at >= 0, (post.id, quote)
                before = flat[at - 1] if at > 0 else " "
                after = flat[at + len(words)] if at + len(words) < len(flat) else " "
                assert not before.isalnum() and before not in "@#", (post.id, quote)
                assert quote.endswith("…") or not after.isalnum(), (post.id, quote)


def html_unescape(text):
    import html

    return html.unescape(text)


def test_cards_use_no_headings_and_name_problems_in_words():
    from course.critique import analyze
    from course.learn.cards import critique_card, principle_card

    card = critique_card(analyze("Flash sale!!! 40% off today only, use code SAVE40", "x"))
    assert "<h" not in card.html.replace("<html", "")
    assert "⚠ problem: Hard sell" in card.html and "underline wavy" in card.html
    principle = principle_card("want-interact").html
    assert not re.search(r"<h\d", principle) and "✓ Do" in principle
    assert load_knowledge().principles["want-interact"].summary not in principle, \
        "the lesson explains the principle; its card adds examples"


def test_a_card_gives_each_quote_the_reason_it_earns_its_tag():
    """Quotes that earn a tag for different reasons are not put under one reason: the
    all-caps words are shouting, the "!!!" is shouting for its own reason."""
    import html

    from course.critique import analyze
    from course.learn.cards import critique_card

    text = "BIG SALE: 50% OFF ALL MEMBERSHIPS ENDS TONIGHT!!! DON’T MISS OUT, SIGN UP NOW!!!"
    critique = analyze(text)
    spam = re.search(r"<b>Spam</b> \(problem\): (.*?)</li>", critique_card(critique).html)
    assert spam, critique_card(critique).html
    shown = html.unescape(spam.group(1))
    reasons = {e.explanation for e in critique.evidence_for("spam")}
    assert len(reasons) >= 2, "this post earns spam for two reasons"
    for reason in reasons:
        assert reason in shown
    caps = next(e.explanation for e in critique.evidence_for("spam")
                if text[e.start:e.end].startswith("OFF ALL"))
    bangs = next(e.explanation for e in critique.evidence_for("spam")
                 if text[e.start:e.end] == "!!!")
    assert shown.index("“OFF ALL MEMBERSHIPS ENDS TONIGHT”") < shown.index(caps) \
        < shown.index("“!!!”") < shown.index(bangs)


def test_evidence_says_each_reason_for_the_same_words_once():
    from course.critique import analyze

    evidence = analyze("Tired of slow internet? Switch today! Order now, order now.").evidence
    assert len(evidence) == len(set(evidence)) > 0


# --- options keep their ids: answers name ids, so rewording never changes a score ----------

def _choice_item(options, key, kind="single"):
    from course.exercises import build_item

    raw = {"id": "t-opt", "kind": kind, "prompt": "Pick", "options": options, "key": key,
           "principles": ["want-interact"]}
    return build_item(raw, {}, "test.yaml")


def test_plain_options_get_slug_ids_and_checks_take_ids_letters_and_texts():
    item = _choice_item(["Reply in your own voice, and thank them.", "Delete it!"],
                        "Reply in your own voice, and thank them.")
    assert item.ids == ("reply-in-your-own-voice-and-thank-them", "delete-it")
    assert item.key_ids == ("reply-in-your-own-voice-and-thank-them",)
    for answer in ("reply-in-your-own-voice-and-thank-them", "A", "a",
                   "reply in your own voice, AND thank them.",
                   "Reply in your own voice and thank them"):  # saved before a comma was fixed
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


def test_an_option_with_its_own_id_can_be_reworded():
    first = _choice_item([{"id": "engage", "text": "Reply and engage"}, "Delete it"], "engage")
    reworded = _choice_item([{"id": "engage", "text": "Thank them and engage with the point"},
                             "Delete it"], "Thank them and engage with the point")
    assert first.right_answer() == reworded.right_answer() == "engage"
    assert check(reworded, first.right_answer()).status == CORRECT
    assert check(reworded, "Reply and engage").status == WRONG, "the old text is gone"


def test_two_options_with_one_id_and_a_key_that_is_no_option_are_data_errors():
    from course.errors import DataError

    with pytest.raises(DataError, match="two options share the id 'same-words'"):
        _choice_item(["Same words", "same, words!"], "Same words")
    with pytest.raises(DataError, match="not among the options"):
        _choice_item(["One", "Two"], "Three")


def test_a_student_notebook_rebuilds_the_same_ids_from_the_public_fields():
    from course.exercises import item_from_public

    item = _choice_item([{"id": "engage", "text": "Reply, thank them"}, "Delete it"],
                        "engage")
    spec = item.public()
    assert "key" not in json.dumps(spec)
    rebuilt = item_from_public(spec)
    assert rebuilt.ids == item.ids == ("engage", "delete-it")
    assert rebuilt.options == item.options and rebuilt.key is None


def test_choice_widgets_show_texts_save_ids_and_take_an_answer_saved_as_text(tmp_path):
    item = _choice_item(["Reply, thank them", "Delete it"], "Reply, thank them")
    w = widget(item, tmp_path)
    assert sorted(label for label, _ in w.radio.options) == ["Delete it", "Reply, thank them"]
    w.radio.value = "delete-it"
    assert w.answer == "delete-it"
    w.answer = "Reply, thank them"  # an answer saved as text before options had ids
    assert w.radio.value == "reply-thank-them" and w.submit().status == CORRECT
    many = widget(_choice_item(["Reply, thank them", "Delete it"], ["Delete it"],
                               kind="multiple"), tmp_path / "another-learner")
    many.boxes["delete-it"].value = True
    assert many.answer == ["delete-it"] and many.boxes["delete-it"].description == "Delete it"


def test_the_own_post_rewrite_says_what_to_do_when_there_is_nothing_to_fix():
    """The capstone's weakest post may carry no problem: the prompt then asks for more
    strengths instead of clearing problems it does not have."""
    from course.learn.notebook import own_rewrite_item

    fine = own_rewrite_item("facebook", "Which soup should we bring back for winter? Vote below.")
    assert "None of your posts shows a problem" in fine.prompt
    pitch = own_rewrite_item("x", "Flash sale!!! 40% off today only, use code SAVE40")
    assert "clear its problems" in pitch.prompt
    assert pitch.id == own_rewrite_item("x", "Flash sale!!! 40% off today only, use code "
                                             "SAVE40").id != fine.id
