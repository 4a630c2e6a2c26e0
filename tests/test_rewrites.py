"""Rewrite scoring rewards the skill: keep the original's subject, drop its problems, give
the reader something. Degenerate answers never pass; honest rewrites do; the feedback
says which part is missing."""

import pytest
import yaml

from course.critique import analyze
from course.exercises import Rewrite, load_items

from conftest import DATA

REWRITES = yaml.safe_load((DATA / "rewrites.yaml").read_text(encoding="utf-8"))
ITEMS = {i.id: i for i in load_items().values() if isinstance(i, Rewrite)}


def test_every_lesson_rewrite_item_has_honest_rewrites_to_test():
    assert set(ITEMS) == set(REWRITES["honest"])


@pytest.mark.parametrize("item_id", sorted(ITEMS))
@pytest.mark.parametrize("answer", REWRITES["degenerate"])
def test_a_degenerate_rewrite_earns_at_most_a_quarter(item_id, answer):
    feedback = ITEMS[item_id].check(answer)
    assert feedback.score <= 0.25 * feedback.points, (answer, feedback.details)
    assert feedback.status != "correct"


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_an_honest_rewrite_earns_full_marks(item_id):
    for answer in REWRITES["honest"][item_id]:
        feedback = ITEMS[item_id].check(answer)
        assert feedback.status == "correct", (answer, feedback.details)


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_the_feedback_says_which_part_is_missing(item_id):
    item = ITEMS[item_id]
    off_topic = item.check("Our cat Biscuit turned ten today and we baked her a tiny cake. "
                           "What do you do for your pets' birthdays?")
    assert any("Keep the original's subject" in d for d in off_topic.details)
    bare = item.check("Thoughts?")
    assert any("not just a question or a greeting" in d for d in bare.details)
    copy = item.check(item.the_post.text + " ")
    assert copy.status == "not attempted"


def test_a_plainly_stated_price_change_is_not_pressure():
    for text in ("Our fixed rate is available until the end of the month; after that the "
                 "price goes up by 4%.",
                 "Early-bird tickets are £20 until 1 March; after that the price goes up to "
                 "£25."):
        assert "pressure" not in analyze(text, "x").tags, text
    assert "pressure" in analyze("Prices go up tomorrow! Hurry, don't miss out!", "x").tags
