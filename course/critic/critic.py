"""The post critic: which critique tags a social-media post carries, and why.

Explainable in the way of VADER: a readable lexicon (``data/lexicon.yaml``) plus a few
counting rules (:mod:`course.critic.rules`), each naming the tag it supports. Every piece
of evidence adds a weight to its tag; a tag is given when its evidence adds up to
``THRESHOLD``.
A tag's score is ``w / (w + THRESHOLD)`` for total weight ``w`` (0 when ``w <= 0``), so
a score of 0.5 or more means the tag is given.

>>> result = analyze("Flash sale!!! 40% off today only, use code SAVE40")
>>> sorted(result.tags)
['hard-sell', 'pressure', 'spam']
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..content.knowledge import DATA_DIR, KnowledgeBase, load_knowledge
from ..content.platforms import normalize_platform
from .features import Features
from .lexicon import Lexicon
from .rules import COUNTING_RULES, THRESHOLD, Signal

__all__ = ["Critic", "Critique", "Evidence", "analyze", "get_critic"]

# --- Interactions between tags that the definitions call for (set by hand on the bank) -----
#: A pitch or threat aimed at "you" is not audience-first: take this much off it.
THREAT_NOT_AUDIENCE = 1.0
PITCH_NOT_AUDIENCE = 0.5
#: About-us means the post offers the reader nothing: a post that gives value, invites
#: talk or celebrates other people loses this much about-us evidence ...
OFFERS_NOT_ABOUT_US = 0.6
#: ... and a sales pitch is hard-sell rather than about-us.
PITCH_NOT_ABOUT_US = 0.3


@dataclass(frozen=True)
class Evidence:
    """One reason for a tag: the words at ``text[start:end]`` and what to do about them."""

    tag: str
    start: int
    end: int
    explanation: str
    weight: float = 1.0

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True)
class Critique:
    """What the critic found in one post."""

    text: str
    platform: str | None
    tags: frozenset[str]
    scores: dict[str, float]
    evidence: tuple[Evidence, ...]
    suggestions: tuple[str, ...] = field(default=())

    def evidence_for(self, tag: str) -> list[Evidence]:
        return [e for e in self.evidence if e.tag == tag]


def _score(weight: float) -> float:
    """0 for no evidence, 0.5 at the threshold, towards 1 as evidence grows."""
    return round(weight / (weight + THRESHOLD), 3) if weight > 0 else 0.0


class Critic:
    """Applies the lexicon and counting rules. Build once, call :meth:`analyze` many times."""

    def __init__(self, *, lexicon_path: Path | str = DATA_DIR / "lexicon.yaml",
                 knowledge: KnowledgeBase | None = None):
        self.knowledge = knowledge or load_knowledge()
        self.tag_ids = self.knowledge.tag_ids
        self.lexicon = Lexicon(lexicon_path, self.tag_ids)

    def _lexicon_signals(self, text: str) -> list[Signal]:
        """Lexicon matches; a rule's repeats add less each time (w, w*r, w*r*r, ... for
        its ``repeat`` r)."""
        rules = self.lexicon.rules
        seen: Counter[int] = Counter()
        signals = []
        for m in sorted(self.lexicon.find(text), key=lambda m: (m.start, m.rule)):
            rule = rules[m.rule]
            weight = rule.weight * rule.repeat ** seen[m.rule]
            seen[m.rule] += 1
            signals.append((rule.tag, weight, m.start, m.end, rule.says))
        return signals

    def analyze(self, text: str, platform: str | None = None) -> Critique:
        """Critique one post. ``platform`` is optional; channel rules need it."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        platform = normalize_platform(platform)
        signals = self._lexicon_signals(text)
        lexicon_totals = dict.fromkeys(self.tag_ids, 0.0)
        for tag, weight, *_ in signals:
            lexicon_totals[tag] += weight
        features = Features(text, platform, lexicon_totals)
        for counting_rule in COUNTING_RULES:
            signals.extend(counting_rule(features))
        totals = dict.fromkeys(self.tag_ids, 0.0)
        for tag, weight, *_ in signals:
            totals[tag] += weight
        _adjust(totals)
        tags = frozenset(t for t, w in totals.items() if w >= THRESHOLD)
        evidence = tuple(
            Evidence(tag, start, end, says, weight)
            for tag, weight, start, end, says in sorted(signals, key=lambda s: (s[2], s[3]))
            if tag in tags and weight >= 0
        )
        return Critique(
            text=text,
            platform=platform,
            tags=tags,
            scores={t: _score(w) for t, w in totals.items()},
            evidence=evidence,
            suggestions=self._suggest(tags),
        )

    def _suggest(self, tags: frozenset[str]) -> tuple[str, ...]:
        kb = self.knowledge.tags
        out = [kb[t].fix for t in self.tag_ids if t in tags and kb[t].kind == "problem"]
        if out or not tags:
            # A post with problems, or with nothing going for it: suggest the two habits
            # the course leans on most, unless the post already has them.
            for t in ("invites-conversation", "gives-value"):
                if t in kb and t not in tags:
                    out.append(kb[t].fix)
        return tuple(out)


def _adjust(totals: dict[str, float]) -> None:
    """Interactions between tags that the definitions call for."""
    pitch = totals["hard-sell"] >= THRESHOLD
    threat = totals["pressure"] >= THRESHOLD
    # A pitch or threat aimed at "you" is not audience-first.
    if threat:
        totals["audience-first"] -= THREAT_NOT_AUDIENCE
    elif pitch:
        totals["audience-first"] -= PITCH_NOT_AUDIENCE
    # About-us means the post offers the reader nothing: a post that gives value,
    # invites talk or celebrates other people is not about-us.
    offers = max(totals["gives-value"], totals["invites-conversation"], totals["community"])
    if offers >= THRESHOLD:
        totals["about-us"] -= OFFERS_NOT_ABOUT_US
    if pitch:
        totals["about-us"] -= PITCH_NOT_ABOUT_US


@functools.lru_cache(maxsize=1)
def get_critic() -> Critic:
    """The course's critic, built once from the shipped data."""
    return Critic()


def analyze(text: str, platform: str | None = None) -> Critique:
    """Critique ``text`` with the course's critic; see :class:`Critique`."""
    return get_critic().analyze(text, platform)
