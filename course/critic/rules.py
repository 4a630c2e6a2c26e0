"""The critic's counting rules: what a phrase list cannot see (capitals, hashtags, length,
questions, you/we words, platform norms), each rule naming the tag it supports.

A rule yields :data:`Signal` tuples ``(tag, weight, start, end, explanation)``. Every
tuning number is a named constant below, with where it comes from.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator

from .features import (
    BANG_RE,
    CAPS_RUN_RE,
    EMOJI_RE,
    EMOJI_RUN_RE,
    RHETORICAL_RE,
    VISUAL_RE,
    WH_RE,
    WORD_RE,
    YES_NO_RE,
    YOU_RE,
    Features,
    questions,
)

__all__ = ["COUNTING_RULES", "DEFINITE", "THRESHOLD", "Signal"]

# A signal is (tag, weight, start, end, explanation).
Signal = tuple[str, float, int, int, str]

#: Total evidence weight at which a tag is given (its score is then 0.5). The lexicon's
#: weights are written against it (``data/lexicon.yaml`` says so at its top).
THRESHOLD = 0.9
#: Weight of a rule that matches a tag's definition to the letter (the spec's counts:
#: "3+ all-caps words", "6+ hashtags", ...): enough on its own, with room to spare for
#: the adjustments in :mod:`course.critic.critic`.
DEFINITE = 3.0

# --- Thresholds the spec states (critique-tags.md) -----------------------------------------
X_LIMIT = 280  #: characters in a post on X
MIN_HASHTAGS_STUFFED = 6  #: "6+ hashtags" is spam, and channel-misfit on LinkedIn/Facebook
MIN_EMOJI_LINKEDIN = 5  #: "5+ emoji" is channel-misfit on LinkedIn
MIN_CAPS_WORDS = 2  #: words longer than one letter in a run of 3+ capitals ("I", "A" pad it)
#: (n-gram length, times): a 2-word phrase said 3 times or a 4-word phrase said twice is
#: "the same phrase repeated"; set on the post bank's spam posts.
REPEATED_PHRASES = ((2, 3), (4, 2))
MIN_CHARS_PER_WORD_REPEATED = 3  #: ignore repeats of tiny words ("a a", "to the")

# --- Questions (set by hand on the post bank, 2026-11) ------------------------------------
QUESTION_DIRECT = 1.1  #: a question to "you", a wh- or a yes/no question: one is enough
QUESTION_OTHER = 0.8  #: any other question: needs a little more evidence
QUESTION_RHETORICAL = -0.3  #: a sales hook ("Tired of ...?") counts against the tag

# --- You / we words ------------------------------------------------------------------------
AUDIENCE_BASE = 0.7  #: two you-words, one more than we-words: not yet enough alone
AUDIENCE_PER_EXTRA_YOU = 0.15  #: each further you-word over the we-words adds this ...
AUDIENCE_EXTRA_CAP = 4  #: ... up to this many
ABOUT_US_MIN_WE = 3  #: three we/our/I words with at most one "you" lean towards about-us
ABOUT_US_BASE = 0.4
ABOUT_US_PER_EXTRA_WE = 0.1
ABOUT_US_EXTRA_CAP = 4


def _spam_rules(f: Features) -> Iterator[Signal]:
    for m in CAPS_RUN_RE.finditer(f.text):
        if sum(1 for w in WORD_RE.findall(m.group()) if len(w) > 1) >= MIN_CAPS_WORDS:
            yield ("spam", DEFINITE, m.start(), m.end(),
                   "Three or more words in capitals read as shouting; write in sentence case.")
    for m in BANG_RE.finditer(f.text):
        yield ("spam", DEFINITE, m.start(), m.end(),
               "Three or more exclamation marks read as shouting; one is plenty.")
    if len(f.hashtags) >= MIN_HASHTAGS_STUFFED:
        first, last = f.hashtags[0], f.hashtags[-1]
        yield ("spam", DEFINITE, first.start(), last.end(),
               f"{len(f.hashtags)} hashtags stuff the post; keep the one or two that matter.")
    for m in EMOJI_RUN_RE.finditer(f.text):
        yield ("spam", DEFINITE, m.start(), m.end(),
               "Five or more emoji in a row look like spam; keep one that adds meaning.")
    seen: set[str] = set()
    for m in f.urls:
        key = m.group().lower().rstrip("/.,!?")
        if key in seen:
            yield ("spam", DEFINITE, m.start(), m.end(),
                   "The same link appears more than once; give it once, where it helps.")
        seen.add(key)
    yield from _repeated_phrase(f.text)


def _repeated_phrase(text: str) -> Iterator[Signal]:
    """A phrase said again and again (see :data:`REPEATED_PHRASES`) is spam."""
    tokens = WORD_RE.findall(text.lower())
    if len(tokens) < 6:
        return
    for n, times in REPEATED_PHRASES:
        grams = Counter(zip(*(tokens[i:] for i in range(n)), strict=False))
        gram, count = grams.most_common(1)[0]
        if count >= times and sum(map(len, gram)) >= MIN_CHARS_PER_WORD_REPEATED * n:
            phrase = re.compile(r"\W+".join(map(re.escape, gram)), re.IGNORECASE)
            last = list(phrase.finditer(text))[-1]
            yield ("spam", DEFINITE, last.start(), last.end(),
                   f'"{" ".join(gram)}" is repeated {count} times; say it once.')
            return


def _channel_rules(f: Features) -> Iterator[Signal]:
    text, platform = f.text, f.platform
    if platform == "x" and len(text) > X_LIMIT:
        yield ("channel-misfit", DEFINITE, X_LIMIT, len(text),
               f"At {len(text)} characters this is over X's {X_LIMIT}; cut it or make a thread.")
    elif platform == "instagram":
        for m in f.urls:
            yield ("channel-misfit", DEFINITE, m.start(), m.end(),
                   "Links in Instagram captions are not clickable; point to your profile link.")
    elif platform == "pinterest" and not VISUAL_RE.search(text):
        yield ("channel-misfit", DEFINITE, 0, len(text),
               "Pinterest is a visual search engine; say what the image or video shows.")
    elif platform in ("linkedin", "facebook") and len(f.hashtags) >= MIN_HASHTAGS_STUFFED:
        first, last = f.hashtags[0], f.hashtags[-1]
        yield ("channel-misfit", DEFINITE, first.start(), last.end(),
               f"{len(f.hashtags)} hashtags are too many for {platform.title()}; use two or three.")
    if platform == "linkedin":
        emoji = list(EMOJI_RE.finditer(text))
        if len(emoji) >= MIN_EMOJI_LINKEDIN:
            yield ("channel-misfit", DEFINITE, emoji[0].start(), emoji[-1].end(),
                   f"{len(emoji)} emoji feel out of place on LinkedIn; keep one or two.")


def _question_rules(f: Features) -> Iterator[Signal]:
    selling = f.lexicon_totals.get("hard-sell", 0.0) >= THRESHOLD
    for start, end, body in questions(f.text):
        if RHETORICAL_RE.search(body):
            if body.lower().lstrip("🤔 ").startswith("did you know"):
                continue
            yield ("invites-conversation", QUESTION_RHETORICAL, start, end,
                   "A question that leads into a pitch is rhetorical; ask one you want answered.")
            continue
        if selling and YES_NO_RE.match(body) and not WH_RE.match(body):
            # "Is your onboarding costing you hires? Book a demo" answers itself.
            yield ("invites-conversation", QUESTION_RHETORICAL, start, end,
                   "A yes/no question before a pitch is rhetorical; ask one you want answered.")
            continue
        direct = YOU_RE.search(body) or WH_RE.match(body) or YES_NO_RE.match(body)
        yield ("invites-conversation", QUESTION_DIRECT if direct else QUESTION_OTHER, start,
               end, "A genuine question invites replies; answer the people who respond.")


def _voice_rules(f: Features) -> Iterator[Signal]:
    you_words, we = f.voice
    you = len(you_words)
    if you >= 2 and you > we:
        first, last = you_words[0], you_words[-1]
        weight = AUDIENCE_BASE + AUDIENCE_PER_EXTRA_YOU * min(you - we, AUDIENCE_EXTRA_CAP)
        yield ("audience-first", weight, first.start(), last.end(),
               f"Speaks to the reader ({you} you/your words against {we} we/I words), "
               "about their situation.")
    if we >= ABOUT_US_MIN_WE and you <= 1:
        weight = ABOUT_US_BASE + ABOUT_US_PER_EXTRA_WE * min(we - ABOUT_US_MIN_WE,
                                                             ABOUT_US_EXTRA_CAP)
        yield ("about-us", weight, 0, len(f.text),
               f"{we} we/our/I words and almost no you: turn the post toward the reader.")


#: Every counting rule, run after the lexicon on each post.
COUNTING_RULES: tuple[Callable[[Features], Iterator[Signal]], ...] = (
    _spam_rules,
    _channel_rules,
    _question_rules,
    _voice_rules,
)
