"""The exercise kinds: one class each, with its validation, check, solution and a right
answer.

- :class:`SingleChoice` (``single``): one option, given by its text;
- :class:`MultipleChoice` (``multiple``): a collection of option texts;
- :class:`TagCritique` (``critique``): the tag ids the learner thinks a post carries;
- :class:`Rewrite` (``rewrite``): the learner's rewrite of a post, scored by the critic
  (half the points in proportion to the original's problem tags it clears, none of that
  half if it adds a problem, and half for showing any strength); graded by hand in
  assignments;
- :class:`Numeric` (``numeric``): a number, or text that parses as one.

Partial credit for ``multiple`` and ``critique``: ``max(0, (right - wrong) / keyed)`` of
the points (:func:`partial_credit`), where ``right`` counts ticked options that are in the
key, ``wrong`` ticked options that are not, and ``keyed`` the options in the key. When the
key is empty (a post with no tags) the answer earns full points if nothing is ticked.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from ..content.knowledge import Post, load_knowledge
from ..critic.rewrite import compare
from ..errors import DataError
from .feedback import CORRECT, NOT_ATTEMPTED, PARTLY, WRONG, Feedback
from .item import Item

__all__ = [
    "KINDS",
    "MultipleChoice",
    "Numeric",
    "Rewrite",
    "SingleChoice",
    "TagCritique",
    "partial_credit",
]


def partial_credit(chosen: Collection[str], key: Collection[str]) -> float:
    """Fraction of credit for ticking ``chosen`` when ``key`` is right (see module doc)."""
    chosen, key = set(chosen), set(key)
    if not key:
        return 1.0 if not chosen else 0.0
    return max(0.0, (len(chosen & key) - len(chosen - key)) / len(key))


def _status(fraction: float) -> str:
    if fraction >= 1.0 - 1e-9:
        return CORRECT
    return PARTLY if fraction > 0 else WRONG


def _blank(answer: Any) -> bool:
    return answer is None or (isinstance(answer, str) and not answer.strip())


def _principle_note(principle_ids: Collection[str]) -> str:
    kb = load_knowledge()
    return "; ".join(f"{kb.principles[p].name} ({kb.article_of(p).title})"
                     for p in principle_ids)


@dataclass(frozen=True)
class SingleChoice(Item):
    kind = "single"

    @classmethod
    def fields_from_data(cls, raw: dict, post: Post | None, where: str) -> dict[str, Any]:
        options, key = tuple(raw.get("options", ())), raw.get("key")
        if key not in options:
            raise DataError(f"{where}: key: {key!r} is not one of the options")
        return {"options": options, "key": key}

    def check(self, answer: Any) -> Feedback:
        if _blank(answer):
            return Feedback(self.id, NOT_ATTEMPTED, 0.0, self.points, "Pick one option.")
        if answer not in self.options:
            return Feedback(self.id, WRONG, 0.0, self.points,
                            f"{answer!r} is not one of the options.")
        if answer == self.key:
            return Feedback(self.id, CORRECT, self.points, self.points, self.explanation)
        return Feedback(self.id, WRONG, 0.0, self.points,
                        "Not quite. " + (self.hints[0] if self.hints
                                         else "Read the options again."))

    def solution(self) -> str:
        return f"{self.key}. {self.explanation}".strip()

    def right_answer(self) -> Any:
        return self.key

    def sample_answer(self, rng: random.Random, *, right: bool) -> Any:
        return self.key if right else rng.choice([o for o in self.options if o != self.key])


@dataclass(frozen=True)
class MultipleChoice(Item):
    kind = "multiple"

    @classmethod
    def fields_from_data(cls, raw: dict, post: Post | None, where: str) -> dict[str, Any]:
        options, key = tuple(raw.get("options", ())), raw.get("key")
        missing = [k for k in key or () if k not in options]
        if key is None or isinstance(key, str) or missing:
            raise DataError(f"{where}: key: not among the options: {missing or key}")
        return {"options": options, "key": tuple(key)}

    def check(self, answer: Any) -> Feedback:
        return _check_choices(self, answer)

    def solution(self) -> str:
        return f"{'; '.join(self.key)}. {self.explanation}".strip()

    def right_answer(self) -> Any:
        return list(self.key)

    def sample_answer(self, rng: random.Random, *, right: bool) -> Any:
        chosen = set(self.key)
        if not right:
            for option in rng.sample(list(self.options), rng.randint(1, 2)):
                chosen ^= {option}
        return [o for o in self.options if o in chosen]


@dataclass(frozen=True)
class TagCritique(Item):
    """Tick the critique tags a post carries; the post's labels are the key."""

    kind = "critique"

    @classmethod
    def fields_from_data(cls, raw: dict, post: Post | None, where: str) -> dict[str, Any]:
        if post is None:
            raise DataError(f"{where}: post: a critique item needs a post")
        key = raw.get("key")
        return {"options": load_knowledge().tag_ids,
                "key": tuple(post.tags) if key is None else tuple(key)}

    @classmethod
    def public_options(cls, spec: dict) -> tuple[str, ...]:
        return load_knowledge().tag_ids

    def public(self) -> dict[str, Any]:
        spec = super().public()
        spec.pop("options", None)  # always the course's tags
        return spec

    def check(self, answer: Any) -> Feedback:
        kb = load_knowledge()
        rationale = self.post.tags if self.post is not None else {}

        def why_missed(tag: str) -> str:
            reason = (rationale.get(tag) or kb.tags[tag].definition).rstrip(". ")
            return f"{reason}. See {_principle_note(kb.tags[tag].principles[:1])}."

        def why_wrong(tag: str) -> str:
            return kb.tags[tag].definition

        labels = {t: kb.tags[t].name for t in kb.tag_ids}
        return _check_choices(self, answer, labels, why_missed, why_wrong)

    def solution(self) -> str:
        kb = load_knowledge()
        key = ", ".join(kb.tags[t].name for t in kb.tag_ids if t in self.key) or "no tags"
        tags = self.post.tags if self.post is not None else {}
        reasons = " ".join(f"{kb.tags[t].name}: {why}" for t, why in tags.items())
        return f"Tags: {key}. {reasons}".strip()

    def right_answer(self) -> Any:
        return list(self.key)

    def sample_answer(self, rng: random.Random, *, right: bool) -> Any:
        key = list(self.key)
        if right:
            return rng.sample(key, len(key))
        kept = [t for t in key if rng.random() < 0.5]
        wrong = rng.sample([t for t in self.options if t not in key], rng.randint(0, 2))
        return kept + wrong if kept + wrong != key else kept[:-1]


def _check_choices(item: Item, answer: Any, labels: dict[str, str] | None = None,
                   why_missed: Callable[[str], str] | None = None,
                   why_wrong: Callable[[str], str] | None = None) -> Feedback:
    if answer is None or isinstance(answer, str):
        return Feedback(item.id, NOT_ATTEMPTED, 0.0, item.points, "Tick the options that apply.")
    chosen, key = set(answer), set(item.key)
    unknown = chosen - set(item.options)
    if unknown:
        return Feedback(item.id, WRONG, 0.0, item.points,
                        f"Not an option here: {', '.join(sorted(unknown))}.")
    fraction = partial_credit(chosen, key)
    status = _status(fraction)
    label = (labels or {}).get
    details = [f"Right: {label(o) or o}." for o in item.options if o in chosen & key]
    details += [
        f"Missed {label(o) or o}: {why_missed(o) if why_missed else 'it applies here.'}"
        for o in item.options if o in key - chosen
    ]
    details += [
        f"Not {label(o) or o}: {why_wrong(o) if why_wrong else 'it does not apply here.'}"
        for o in item.options if o in chosen - key
    ]
    if status == CORRECT:
        message = item.explanation or "All correct."
    else:
        message = (f"{len(chosen & key)} right, {len(chosen - key)} wrong, "
                   f"{len(key - chosen)} missed: credit = max(0, (right - wrong) / {len(key)})"
                   if key else "This one carries nothing: credit only when nothing is ticked.")
    return Feedback(item.id, status, round(item.points * fraction, 4), item.points, message,
                    tuple(details))


@dataclass(frozen=True)
class Rewrite(Item):
    """Rewrite a post so it keeps its purpose and loses its problems."""

    kind = "rewrite"
    hand_graded = True

    rubric: tuple[str, ...] = ()

    @classmethod
    def fields_from_data(cls, raw: dict, post: Post | None, where: str) -> dict[str, Any]:
        if post is None:
            raise DataError(f"{where}: post: a rewrite item needs a post")
        return {"rubric": tuple(raw.get("rubric", ()))}

    def is_attempt(self, answer: Any) -> bool:
        """Whether ``answer`` is a rewrite at all: some text, not the original post."""
        original = self.post.text if self.post is not None else ""
        return not _blank(answer) and str(answer).strip() != original.strip()

    def check(self, answer: Any) -> Feedback:
        """Half the points for clearing the original's problems (in proportion, none if
        the rewrite adds one), half for showing a strength; a rewrite that drops the
        original's subject or is not a post (a bare question, a greeting) earns at most
        :data:`DEGENERATE_CAP` of the points."""
        if not self.is_attempt(answer):
            return Feedback(self.id, NOT_ATTEMPTED, 0.0, self.points,
                            "Rewrite the post in the box, then check it.")
        kb = load_knowledge()
        post = self.the_post
        review = compare(post.text, str(answer), post.platform)
        had = review.cleared | review.kept
        cleared = 1.0 if not had else len(review.cleared) / len(had)
        fraction = (0.5 * cleared if not review.added else 0.0) + \
            (0.5 if review.strengths else 0.0)
        details = []
        if review.keeps_subject:
            details.append("Keeps the original's subject ("
                           + ", ".join(sorted(review.shared)[:5]) + ").")
        else:
            details.append("Keep the original's subject: say what it was about (the offer, "
                           "event or news) in your own words.")
        if not review.reads_as_post:
            details.append("Write a post, not just a question or a greeting: say something "
                           "about the subject in a full sentence.")
        details += [f"Fixed: {kb.tags[t].name}." for t in kb.tag_ids if t in review.cleared]
        details += [f"Still there: {kb.tags[t].name}. {kb.tags[t].fix}" for t in kb.tag_ids
                    if t in review.kept]
        details += [f"New problem: {kb.tags[t].name}. {kb.tags[t].fix}" for t in kb.tag_ids
                    if t in review.added]
        details += [f"Shows: {kb.tags[t].name}." for t in kb.tag_ids if t in review.strengths]
        if not review.strengths:
            details.append("Give the reader something: a real question, a tip, thanks or "
                           "care.")
        if not (review.keeps_subject and review.reads_as_post):
            fraction = min(fraction, DEGENERATE_CAP)
        status = _status(fraction)
        message = ("Your rewrite keeps the subject, has no problems left and gives the reader "
                   "something." if status == CORRECT else
                   "Half the credit for clearing the original's problems (none if you add "
                   "one), half for giving the reader something; a rewrite must keep the "
                   "subject and read as a post.")
        return Feedback(self.id, status, round(self.points * fraction, 4), self.points,
                        message, tuple(details))

    def solution(self) -> str:
        return ("Any rewrite with none of the original's problems that gives the reader "
                "something (a genuine question, useful content, care or credit to others). "
                f"{self.explanation}").strip()

    def right_answer(self) -> Any:
        return SAMPLE_REWRITES[0]

    def sample_answer(self, rng: random.Random, *, right: bool) -> Any:
        roll = rng.random()
        if roll < SHARE_REWRITTEN:
            return rng.choice(SAMPLE_REWRITES)
        if roll < SHARE_REWRITTEN + SHARE_UNCHANGED:
            return self.post.text if self.post is not None else ""
        return None


#: Rewrites simulated students hand in (each clears a sales post's problems).
SAMPLE_REWRITES = (
    "What is one small goal you have this month? Tell us below, and drop by for a free "
    "first visit whenever it suits you.",
    "Here is our honest guide to getting started, with prices, so you can decide what "
    "fits you.",
    "Thanks to everyone who joined us last week! Which part did you enjoy most?",
    "We'd love to hear from you: what would make your mornings easier?",
)
#: The most a rewrite earns (as a share of its points) when it drops the original's
#: subject or is not a post: "Thoughts?", "hi" or an unrelated post cannot pass.
DEGENERATE_CAP = 0.25
SHARE_REWRITTEN = 0.6  #: simulated students who hand in a rewrite ...
SHARE_UNCHANGED = 0.2  #: ... who save the post unchanged; the rest save nothing


@dataclass(frozen=True)
class Numeric(Item):
    kind = "numeric"

    tolerance: float = 0.0

    @classmethod
    def fields_from_data(cls, raw: dict, post: Post | None, where: str) -> dict[str, Any]:
        key = raw.get("key")
        if isinstance(key, bool) or not isinstance(key, (int, float)):
            raise DataError(f"{where}: key: a numeric item needs a number")
        return {"key": key, "tolerance": float(raw.get("tolerance", 0))}

    def check(self, answer: Any) -> Feedback:
        if _blank(answer):
            return Feedback(self.id, NOT_ATTEMPTED, 0.0, self.points, "Enter a number.")
        try:
            value = float(str(answer).replace(",", "").strip())
        except ValueError:
            return Feedback(self.id, WRONG, 0.0, self.points, f"{answer!r} is not a number.")
        if math.isfinite(value) and abs(value - float(self.key)) <= self.tolerance + 1e-9:
            return Feedback(self.id, CORRECT, self.points, self.points, self.explanation)
        hint = self.hints[0] if self.hints else "Check your calculation."
        return Feedback(self.id, WRONG, 0.0, self.points, f"Not quite. {hint}")

    def solution(self) -> str:
        return f"{self.key}. {self.explanation}".strip()

    def right_answer(self) -> Any:
        return self.key

    def sample_answer(self, rng: random.Random, *, right: bool) -> Any:
        return self.key if right else float(self.key) + 1 + self.tolerance


#: kind name (as the data files spell it) -> its class.
KINDS: dict[str, type[Item]] = {
    kind.kind: kind for kind in (SingleChoice, MultipleChoice, TagCritique, Rewrite, Numeric)
}
