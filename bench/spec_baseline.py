"""A trivial baseline for the critic: the phrases and counts the tag spec itself gives
(shared/spec/critique-tags.md), matched as plain lower-case substrings, with no weighing.

It answers "how much does the critic add over reading the spec literally?" and is scored
by bench/accuracy.py on the same posts as the critic.
"""

from __future__ import annotations

import re

from course.content.platforms import normalize_platform

__all__ = ["SPEC_PHRASES", "spec_tags"]

#: Per tag, the phrases the spec's definitions and "Real posts" section quote or name.
SPEC_PHRASES: dict[str, tuple[str, ...]] = {
    "hard-sell": ("$", "£", "€", "% off", "discount", "promo code", "sale", "buy now",
                  "order now", "shop now", "book now", "contact our sales team",
                  "book a demo", "order on", "switch", "download", "sign up", "bet "),
    "about-us": ("award", "our results", "ranking", "proud", "check out my channel",
                 "subscribe to me", "our ceo", "we won"),
    "spam": ("!!!", "follow to win", "like to win", "share to win", "get rich",
             "miracle", "you have won", "make money fast", "free gift card",
             "subscribe and i'll subscribe back"),
    "pressure": ("last chance", "left", "ends tonight", "ends in", "don't miss out",
                 "before it's too late", "you'll regret it", "everyone already has",
                 "urgent", "expires", "asap"),
    "invites-conversation": ("?", "vote", "reply", "tell us", "share your", "tag ",
                             "dm us", "let us know", "reach out to us"),
    "gives-value": ("tip", "how to", "how-to", "steps", "checklist", "data", "comparison",
                    "free guide", "template", "free session"),
    "audience-first": (),
    "community": ("thanks to", "shout-out", "customer", "member", "staff", "volunteer",
                  "partner", "review"),
    "caring": ("sorry", "apolog", "help", "support", "thank you", "thanks", "patience"),
    "novelty": ("behind the scenes", "first look", "try ", "learn", "challenge", "event",
                "launch", "contest", "new "),
}
_CAPS = re.compile(r"\b[A-Z]{2,}\b(?:\W+\b[A-Z]{2,}\b){2,}")
_YOU = re.compile(r"\b(?:you|your|yours)\b", re.IGNORECASE)
_WE = re.compile(r"\b(?:we|our|us|i|me|my)\b", re.IGNORECASE)
_URL = re.compile(r"https?://\S+|\b\w+\.\w+/\S+")


def spec_tags(text: str, platform: str | None) -> frozenset[str]:
    """The tags the spec's own phrases and counts give ``text``."""
    low = text.lower()
    tags = {tag for tag, phrases in SPEC_PHRASES.items() if any(p in low for p in phrases)}
    if _CAPS.search(text) or low.count("#") >= 6:
        tags.add("spam")
    you, we = len(_YOU.findall(text)), len(_WE.findall(text))
    if you >= 2 and you > we:
        tags.add("audience-first")
    platform = normalize_platform(platform)
    limit = {"x": 280, "threads": 500}.get(platform or "")
    raw_link = platform in ("instagram", "tiktok") and _URL.search(text)
    if (limit and len(text) > limit) or raw_link \
            or (platform in ("linkedin", "facebook") and low.count("#") >= 6):
        tags.add("channel-misfit")
    if platform == "pinterest" and not any(w in low for w in ("photo", "picture", "image",
                                                               "pin", "video")):
        tags.add("channel-misfit")
    return frozenset(tags)
