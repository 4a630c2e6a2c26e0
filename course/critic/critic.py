"""The post critic: which critique tags a social-media post carries, and why.

Explainable in the way of VADER: a readable phrase lexicon (``data/lexicon.yaml``,
:mod:`course.critic.phrases`) and a few counting rules (:mod:`course.critic.rules`) find
evidence, each piece naming its tag and saying what to do about it; a logistic model per
tag, fitted to labelled real and course posts (:mod:`course.critic.model`,
:mod:`course.critic.fit`), weighs it. A tag is given only with evidence of its own, so
every tag comes with the words that earn it and a sentence a learner can act on.

>>> result = analyze("Flash sale!!! 40% off today only, use code SAVE40")
>>> sorted(result.tags)
['hard-sell', 'pressure', 'spam']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from ..content.knowledge import DATA_DIR, KnowledgeBase, load_knowledge
from ..content.platforms import normalize_platform
from .model import (
    DEFINITE_SCORE,
    EXCLUDED_CAP,
    NO_EVIDENCE_SCORE,
    Weights,
    load_weights,
    rescaled,
)
from .phrases import Lexicon
from .rules import AGAINST, DEFINITE, FEATURES, Signal, counting_signals
from .tokens import Tokens, tokenize

__all__ = ["Critic", "Critique", "Evidence", "analyze", "get_critic"]

#: The spec rules these out, whatever the evidence: "you" in a pitch or a threat is never
#: audience-first ...
PITCH_TAGS = frozenset({"hard-sell", "pressure"})
#: ... and a scam (prize, get-rich or click-bait spam) is never gives-value or
#: audience-first, however many "how to" or "you" words it holds.
SCAM_RULES = ("prize-claim:", "get-rich:", "click-bait:")
SCAM_EXCLUDES = frozenset({"gives-value", "audience-first"})


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


class Critic:
    """Finds evidence and weighs it. Build once, call :meth:`analyze` many times."""

    def __init__(self, *, lexicon_path: Path | str = DATA_DIR / "lexicon.yaml",
                 weights: Weights | None = None, knowledge: KnowledgeBase | None = None):
        self.knowledge = knowledge or load_knowledge()
        self.tag_ids = self.knowledge.tag_ids
        self.lexicon = Lexicon(lexicon_path, self.tag_ids)
        self.weights = weights or load_weights()
        rules = self.lexicon.rules
        # A phrase's feature is "rule:n"; its rule's is "rule", present when any phrase of
        # the rule is: a rare phrase then counts with its rule's weight.
        self._tag_of = ({r.id: r.tag for r in rules} | {_group(r.id): r.tag for r in rules}
                        | FEATURES)
        self._against = frozenset(f for r in rules if r.against
                                  for f in (r.id, _group(r.id))) | AGAINST
        self.definite = frozenset(r.id for r in self.lexicon.rules if r.definite) | DEFINITE
        models = self.weights.tags
        # Per feature: the (tag, weight) pairs it adds to, for the tags that know it.
        self._adds: dict[str, tuple[tuple[str, float], ...]] = {}
        for feature in self._tag_of:
            self._adds[feature] = tuple((t, m.weights[feature]) for t, m in models.items()
                                        if m.weights.get(feature))
        self._cross = {u: tuple((t, m.cross[u]) for t, m in models.items() if m.cross.get(u))
                       for u in self.tag_ids}
        # Each feature's weight for its own tag: a positive one makes it evidence.
        self._own_weight = {f: models[t].weights.get(f, 0.0) if t in models else 0.0
                            for f, t in self._tag_of.items()}
        for r in rules:  # a phrase is evidence when it and its rule weigh more than nothing
            self._own_weight[r.id] += self._own_weight[_group(r.id)]
        self._bias = {t: models[t].bias if t in models else -10.0 for t in self.tag_ids}
        self._threshold = {t: models[t].threshold if t in models else 0.5
                           for t in self.tag_ids}

    def signals(self, text: str, platform: str | None = None) -> tuple[Tokens, list[Signal]]:
        """Every piece of evidence in a post, before weighing: lexicon matches, then the
        counting rules. ``platform`` must be canonical (or ``None``)."""
        tokens = tokenize(text)
        rules = self.lexicon.rules
        found: list[Signal] = []
        selling = False
        for index, first, last in self.lexicon.find(tokens):
            rule = rules[index]
            selling = selling or (rule.tag == "hard-sell" and not rule.against)
            found.append((rule.id, rule.tag, *tokens.span(first, last), rule.says))
        found.extend(counting_signals(tokens, platform, selling=selling))
        return tokens, self._cancel(found)

    def _cancel(self, found: list[Signal]) -> list[Signal]:
        """Evidence against a tag cancels the tag's evidence it overlaps: "win a £100
        voucher" is no price to pay, "come and see why" no event."""
        against = [(tag, start, end) for feature, tag, start, end, _ in found
                   if feature in self._against]
        if not against:
            return found
        return [s for s in found if s[0] in self._against or not any(
            tag == s[1] and start < s[3] and s[2] < end for tag, start, end in against)]

    def analyze(self, text: str, platform: str | None = None) -> Critique:
        """Critique one post. ``platform`` is optional; channel rules need it."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        platform = normalize_platform(platform)
        _, found = self.signals(text, platform)
        z = dict(self._bias)
        present: set[str] = set()
        positive: set[str] = set()  # features that count for their own tag
        backed: set[str] = set()  # tags with such a feature
        definite: set[str] = set()
        evidenced: set[str] = set()  # tags with evidence, for the cross weights
        own, adds, is_definite = self._own_weight, self._adds, self.definite
        against = self._against
        for feature, tag, *_ in found:
            if feature in present:
                continue
            present.add(feature)
            for target, weight in adds.get(feature, ()):
                z[target] += weight
            group = _group(feature)
            if group != feature and group not in present:
                present.add(group)
                for target, weight in adds.get(group, ()):
                    z[target] += weight
            if feature in is_definite:
                definite.add(tag)
                positive.add(feature)
            elif own.get(feature, 0.0) > 0:
                backed.add(tag)
                positive.add(feature)
            if feature not in against:
                evidenced.add(tag)
        for source in evidenced:
            for target, weight in self._cross.get(source, ()):
                z[target] += weight
        scores = dict.fromkeys(self.tag_ids, NO_EVIDENCE_SCORE)
        tags = set()
        threshold = self._threshold
        for t in backed | definite:
            score = rescaled(z[t], threshold[t])
            if t in definite:
                score = max(score, DEFINITE_SCORE)
            scores[t] = score
            if score >= 0.5:
                tags.add(t)
        if tags & PITCH_TAGS:
            self._exclude(tags, scores, ("audience-first",))
        if "spam" in tags and any(f.startswith(SCAM_RULES) for f in present):
            self._exclude(tags, scores, SCAM_EXCLUDES)
        evidence = tuple(sorted(
            (Evidence(tag, start, end, says) for feature, tag, start, end, says in found
             if tag in tags and feature in positive),
            key=lambda e: (e.start, e.end)))
        given = frozenset(tags)
        return Critique(text=text, platform=platform, tags=given, scores=scores,
                        evidence=evidence, suggestions=self._suggest(given))

    @staticmethod
    def _exclude(tags: set[str], scores: dict[str, float], excluded) -> None:
        for t in excluded:
            if t in tags:
                tags.discard(t)
                scores[t] = min(scores[t], EXCLUDED_CAP)

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


def _group(feature: str) -> str:
    """The rule a phrase feature ("rule:n") belongs to; a counting feature is its own."""
    return feature.partition(":")[0]


@functools.lru_cache(maxsize=1)
def get_critic() -> Critic:
    """The course's critic, built once from the shipped data."""
    return Critic()


def analyze(text: str, platform: str | None = None) -> Critique:
    """Critique ``text`` with the course's critic; see :class:`Critique`."""
    return get_critic().analyze(text, platform)
