"""The post critic against the spec: its examples, its hard cases, and the contract."""

import pytest

from course.critique import Critique, analyze
from course.errors import UnknownPlatformError

SPEC_EXAMPLES = [
    ("Flash sale!!! 40% off today only, use code SAVE40", {"hard-sell", "pressure", "spam"}),
    ("We're proud to announce our third industry award this year.", {"about-us"}),
    ("Which would you rather we cover next week: budgeting apps or saving challenges? "
     "Vote below.", {"invites-conversation"}),
    ("Three ways to keep cut flowers fresh: trim stems at an angle, change the water daily, "
     "keep them out of the sun.", {"gives-value"}),
    ("Shout-out to Ana, whose photo of our trail won this month's reader contest!",
     {"community"}),
    ("Our office is closed Monday for the holiday.", set()),
    ("Closed Monday for the holiday.", set()),
]


@pytest.mark.parametrize(("text", "tags"), SPEC_EXAMPLES)
def test_spec_examples(text, tags):
    assert analyze(text).tags == tags


def test_result_honours_the_contract():
    result = analyze("Flash sale!!! 40% off today only, use code SAVE40", "x")
    assert isinstance(result, Critique)
    assert isinstance(result.tags, frozenset)
    assert set(result.scores) == {
        "hard-sell", "about-us", "spam", "pressure", "channel-misfit", "invites-conversation",
        "gives-value", "audience-first", "community", "caring", "novelty"}
    assert all(0.0 <= s <= 1.0 for s in result.scores.values())
    for tag in result.tags:
        assert result.scores[tag] >= 0.5
        assert result.evidence_for(tag), f"no evidence for {tag}"
    for tag in set(result.scores) - result.tags:
        assert result.scores[tag] < 0.5
    for e in result.evidence:
        assert e.tag in result.tags
        assert 0 <= e.start < e.end <= len(result.text)
        assert e.explanation.endswith(".") and len(e.explanation) > 20
    assert result.suggestions, "a post with problems gets rewrite suggestions"


def test_evidence_points_at_the_words_that_earn_the_tag():
    text = "New menu this week. Shop now at the counter."
    result = analyze(text)
    spans = [text[e.start:e.end].lower() for e in result.evidence_for("hard-sell")]
    assert any("shop now" in s for s in spans)


def test_rhetorical_sales_question_is_not_an_invitation():
    result = analyze("Tired of slow internet? Switch today!")
    assert "hard-sell" in result.tags
    assert "invites-conversation" not in result.tags


def test_genuine_question_is_an_invitation():
    assert "invites-conversation" in analyze(
        "What's the one book you'd hand every new manager? Reply with a title.").tags


def test_plain_shop_now_is_hard_sell_not_pressure():
    result = analyze("Our spring jackets are in. Shop now.")
    assert "hard-sell" in result.tags
    assert "pressure" not in result.tags


def test_urgency_is_pressure():
    for text in ("Only 3 seats left for Saturday's class, book before it's too late.",
                 "Last chance: the offer ends tonight. Don't miss out.",
                 "Everyone already has one. You'll regret waiting."):
        assert "pressure" in analyze(text).tags, text


def test_a_threat_aimed_at_you_is_not_audience_first():
    result = analyze("You'll regret it if your team is the last to switch. Your rivals already "
                     "have. Don't miss out, your deadline is tonight.")
    assert "pressure" in result.tags
    assert "audience-first" not in result.tags


def test_thank_you_and_see_you_do_not_count_as_you_words():
    assert "audience-first" not in analyze("Thank you for coming, see you next year!").tags


def test_audience_first_speaks_about_the_reader():
    assert "audience-first" in analyze(
        "Starting your first garden this spring? Your soil matters more than your seeds: "
        "test it before you plant anything.").tags


@pytest.mark.parametrize(("platform", "text", "misfit"), [
    ("x", "a" * 281, True),
    ("x", "a" * 280, False),
    ("instagram", "New trail guide at https://example.com/trails", True),
    ("instagram", "New trail guide, link in our profile.", False),
    ("pinterest", "Ten balcony herbs that survive a heatwave.", True),
    ("pinterest", "Ten balcony herbs that survive a heatwave, in one infographic.", False),
    ("linkedin", "Hiring! #jobs #hiring #tech #python #remote #careers", True),
    ("linkedin", "Hiring! #jobs #hiring #tech #python #remote", False),
    ("linkedin", "Big week 🎉🚀💡🙌🔥 for the team.", True),
    ("facebook", "Fair today #a1 #b2 #c3 #d4 #e5 #f6", True),
    ("facebook", "Fair today #a1 #b2 #c3 #d4 #e5", False),
])
def test_channel_rules(platform, text, misfit):
    assert ("channel-misfit" in analyze(text, platform).tags) is misfit


def test_channel_rules_need_a_platform():
    assert "channel-misfit" not in analyze("a" * 400).tags
    assert "channel-misfit" not in analyze("Ten balcony herbs that survive a heatwave.").tags


@pytest.mark.parametrize("text", [
    "BUY THIS NOW before lunch",
    "Great news!!! Come in.",
    "Fair today #a #b #c #d #e #f",
    "Party time 🎉🎉🎉🎉🎉",
    "Follow us and share this post to win a hamper",
    "Make $5000 a week from home with my system",
    "See example.com/x and example.com/x for details",
])
def test_spam_rules(text):
    assert "spam" in analyze(text).tags


@pytest.mark.parametrize("text", ["The BBC and NHS agree.", "Great news!! Come in.",
                                  "Fair today #a #b #c #d #e"])
def test_spam_needs_the_full_pattern(text):
    assert "spam" not in analyze(text).tags


def test_platform_names():
    assert analyze("hello", "Twitter").platform == "x"
    assert analyze("hello", " LinkedIn ").platform == "linkedin"
    assert analyze("hello", None).platform is None
    with pytest.raises(UnknownPlatformError, match="accepted: x, facebook"):
        analyze("hello", "myspace")


def test_empty_and_odd_text():
    assert analyze("").tags == frozenset()
    assert analyze("🎉").tags == frozenset()
    with pytest.raises(TypeError):
        analyze(None)


def test_the_platforms_the_spec_added():
    assert analyze("hello", "TikTok").platform == "tiktok"
    assert analyze("hello", "THREADS").platform == "threads"
    long = "Here is a thought about our street market. " * 13
    assert len(long) > 500
    assert "channel-misfit" in analyze(long, "threads").tags
    assert "channel-misfit" not in analyze(long[:480], "threads").tags
    assert "channel-misfit" in analyze("New drop 🤍 https://shop.example.com/tote", "tiktok").tags
    assert "channel-misfit" not in analyze("New drop 🤍 at haventote.com", "tiktok").tags
    assert "channel-misfit" not in analyze(long + " https://a.example.com/x", "youtube").tags


def test_curly_apostrophes_highlight_the_same_words_as_straight_ones():
    """Real posts type ’ where the lexicon has ': the highlight must still cover the words."""
    for straight in ("Don't miss out, last chance! Offer ends tonight",
                     "We're giving away 3 prizes. Don't wait, enter now!"):
        curly = straight.replace("'", "’")
        plain, typed = analyze(straight), analyze(curly)
        assert typed.tags == plain.tags
        assert [(e.tag, curly[e.start:e.end].replace("’", "'")) for e in typed.evidence] == \
            [(e.tag, straight[e.start:e.end]) for e in plain.evidence]
        assert any("'" in straight[e.start:e.end] for e in plain.evidence)


def test_evidence_spans_are_words_of_the_post_on_every_labelled_post():
    """On every post the course and its data sets hold, each highlight is a piece of the
    post with something in it (a curly apostrophe once left spans at -1 or empty)."""
    from pathlib import Path

    from course.content.knowledge import load_labelled_posts, load_posts

    data = Path(__file__).parent / "data"
    posts = [(p.text, p.platform) for p in load_posts()]
    posts += [(p.text, p.platform) for p in load_posts(data / "heldout_posts.yaml")]
    for name in ("dev", "dev2", "test"):
        posts += [(p.text, p.platform)
                  for p in load_labelled_posts(data / "realworld" / f"{name}.yaml")]
    bad = []
    for text, platform in posts:
        for e in analyze(text, platform).evidence:
            piece = text[e.start:e.end]
            if not (0 <= e.start < e.end <= len(text)) or not piece.strip():
                bad.append((text[:40], e.tag, e.start, e.end))
    assert len(posts) > 1000
    assert not bad, bad[:5]


def test_every_tag_comes_with_whole_words_of_evidence():
    for text in ("Tips for new runners: start slow, rest well. Which tip helps you most?",
                 "@lou.grows Thanks Lou! Your photo made our day 🌿",
                 "1. Trim the stems 2. Change the water daily"):
        result = analyze(text)
        for e in result.evidence:
            piece = text[e.start:e.end]
            assert piece == piece.strip() and piece, (text, piece)
            assert e.start == 0 or not text[e.start - 1].isalnum(), (text, piece)
            assert e.end == len(text) or not text[e.end].isalnum(), (text, piece)


def test_a_strength_inside_a_problem_highlight_stays_visible():
    """Words that earn a strength inside a problem's highlight show both colours (the
    strength used to disappear under the problem's colour)."""
    from course.critic.highlight import MIXED_BG, PROBLEM_BG, STRENGTH_BG, highlight

    text = "We are so proud of our team and of Ana, who won best baker! Which loaf next?"
    critique = analyze(text)
    assert {"about-us", "community"} <= critique.tags
    page = highlight(critique)
    assert f"background:{MIXED_BG}" in page
    assert f"background:{PROBLEM_BG}" in page and PROBLEM_BG in MIXED_BG
    assert STRENGTH_BG in MIXED_BG
