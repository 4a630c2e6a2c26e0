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
import math
import operator
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
#: How a feature counts for its own tag (see Critic._feature_step): a definite rule gives
#: the tag, a positive weight backs it.
_DEFINITE, _BACKED = 2, 1
#: A signal's span, its evidence's sort key.
_SPAN = operator.itemgetter(2, 3)


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
        # What analyze() needs of each feature, looked up once per post instead of piece
        # by piece: see _feature_step.
        self._steps = {feature: self._feature_step(feature) for feature in self._tag_of}
        # Per tag, the logit of its threshold (what rescaled() subtracts from z).
        self._offset = {t: math.log(th / (1 - th)) for t, th in self._threshold.items()}
        kb = self.knowledge.tags
        self._problem_fixes = tuple((t, kb[t].fix) for t in self.tag_ids
                                    if t in kb and kb[t].kind == "problem")
        self._habit_fixes = tuple((t, kb[t].fix) for t in ("invites-conversation",
                                                            "gives-value") if t in kb)

    def _feature_step(self, feature: str) -> tuple[tuple[tuple[str, float], ...], str | None,
                                                  tuple[tuple[str, float], ...], int, bool]:
        """(the feature's (tag, weight) adds, its rule when that is another feature, the
        rule's adds, :data:`_DEFINITE`, :data:`_BACKED` or 0, whether it counts as evidence
        for the cross weights)."""
        group = _group(feature)
        status = (_DEFINITE if feature in self.definite
                  else _BACKED if self._own_weight.get(feature, 0.0) > 0 else 0)
        return (self._adds.get(feature, ()), group if group != feature else None,
                self._adds.get(group, ()), status, feature not in self._against)

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
        backed: set[str] = set()  # tags with a feature that counts for them
        definite: set[str] = set()
        evidenced: set[str] = set()  # tags with evidence, for the cross weights
        positive = False  # some feature counts for its own tag
        steps = self._steps
        for signal in found:
            feature = signal[0]
            if feature in present:
                continue
            present.add(feature)
            step = steps.get(feature)
            if step is None:  # not a feature the critic was built with
                step = steps[feature] = self._feature_step(feature)
            adds, group, group_adds, status, evidences = step
            for target, weight in adds:
                z[target] += weight
            if group is not None and group not in present:
                present.add(group)
                for target, weight in group_adds:
                    z[target] += weight
            if status:
                positive = True
                (definite if status == _DEFINITE else backed).add(signal[1])
            if evidences:
                evidenced.add(signal[1])
        cross = self._cross
        for source in evidenced:
            for target, weight in cross.get(source, ()):
                z[target] += weight
        scores = dict.fromkeys(self.tag_ids, NO_EVIDENCE_SCORE)
        tags = set()
        if positive:
            offset = self._offset
            for t in backed | definite:
                # rescaled(z[t], threshold[t]), with the threshold's logit computed once
                shifted = z[t] - offset[t]
                score = 0.0 if shifted < -30 else round(1 / (1 + math.exp(-shifted)), 3)
                if t in definite:
                    score = max(score, DEFINITE_SCORE)
                scores[t] = score
                if score >= 0.5:
                    tags.add(t)
            if tags & PITCH_TAGS:
                self._exclude(tags, scores, ("audience-first",))
            if "spam" in tags and any(f.startswith(SCAM_RULES) for f in present):
                self._exclude(tags, scores, SCAM_EXCLUDES)
        if tags:
            # Sort the signals (a stable sort by span, as the evidence is ordered), then
            # make Evidence of the ones shown.
            shown = [s for s in found if s[1] in tags and steps[s[0]][3]]
            shown.sort(key=_SPAN)
            # Two phrases of one rule often match the same words: say it once.
            evidence = tuple(dict.fromkeys([Evidence(tag, start, end, says)
                                            for _, tag, start, end, says in shown]))
        else:
            evidence = ()
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
        out = [fix for t, fix in self._problem_fixes if t in tags]
        if out or not tags:
            # A post with problems, or with nothing going for it: suggest the two habits
            # the course leans on most, unless the post already has them.
            out.extend(fix for t, fix in self._habit_fixes if t not in tags)
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
