"""The exercise kinds: one class each, with its validation, check, solution and a right
answer.

- :class:`SingleChoice` (``single``): one option;
- :class:`MultipleChoice` (``multiple``): a collection of options;
- :class:`TagCritique` (``critique``): the tag ids the learner thinks a post carries;
- :class:`Rewrite` (``rewrite``): the learner's rewrite of a post, scored by the critic
  (half the points in proportion to the original's problem tags it clears, none of that
  half if it adds a problem, and half for showing any strength); graded by hand in
  assignments;
- :class:`Numeric` (``numeric``): a number, or text that parses as one.

Options have stable ids (:func:`~course.exercises.item.parse_options`): keys and saved
answers name ids, so rewording an option's text never changes a score. A check takes an
option by its id, its letter (A, B, ...) or its text, case-insensitively.

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
from ..critic import analyze
from ..errors import DataError
from .feedback import CORRECT, NOT_ATTEMPTED, PARTLY, WRONG, Feedback
from .item import Item, parse_options

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


def _choice_fields(raw: dict, where: str, *, many: bool) -> dict[str, Any]:
    """Options and key of a choice item: the key names options by id or text."""
    options, texts = parse_options(raw.get("options", ()), where)
    probe = Item(id="", prompt="", options=options, option_texts=texts)
    key = raw.get("key")
    wanted = list(key) if many and isinstance(key, list) else [key]
    if key is None or (many and not isinstance(key, list)) or (
            not many and not isinstance(key, str)):
        raise DataError(f"{where}: key: {'a list of options' if many else 'one option'} "
                        f"is needed, not {key!r}")
    ids = [probe.option_id(k) for k in wanted]
    missing = [k for k, i in zip(wanted, ids, strict=True) if i is None]
    if missing:
        raise DataError(f"{where}: key: not among the options: {missing}")
    return {"options": options, "option_texts": texts,
            "key": tuple(ids) if many else ids[0]}


@dataclass(frozen=True)
class SingleChoice(Item):
    kind = "single"

    @classmethod
    def fields_from_data(cls, raw: dict, post: Post | None, where: str) -> dict[str, Any]:
        return _choice_fields(raw, where, many=False)

    def check(self, answer: Any) -> Feedback:
        if _blank(answer):
            return Feedback(self.id, NOT_ATTEMPTED, 0.0, self.points, "Pick one option.")
        chosen = self.option_id(answer)
        if chosen is None:
            return Feedback(self.id, WRONG, 0.0, self.points,
                            f"{answer!r} is not one of the options.")
        if chosen == self.key:
            return Feedback(self.id, CORRECT, self.points, self.points, self.explanation)
        return Feedback(self.id, WRONG, 0.0, self.points,
                        "Not quite. " + (self.hints[0] if self.hints
                                         else "Read the options again."))

    def solution(self) -> str:
        return f"{self.option_text(self.key)}. {self.explanation}".strip()

    def right_answer(self) -> Any:
        return self.key

    def sample_answer(self, rng: random.Random, *, right: bool) -> Any:
        return self.key if right else rng.choice([o for o in self.options if o != self.key])


@dataclass(frozen=True)
class MultipleChoice(Item):
    kind = "multiple"

    @classmethod
    def fields_from_data(cls, raw: dict, post: Post | None, where: str) -> dict[str, Any]:
        return _choice_fields(raw, where, many=True)

    def check(self, answer: Any) -> Feedback:
        return _check_choices(self, answer)

    def solution(self) -> str:
        return (f"{'; '.join(self.option_text(k) for k in self.key)}. "
                f"{self.explanation}").strip()

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
        return {**_tag_options(), "key": tuple(post.tags) if key is None else tuple(key)}

    @classmethod
    def public_options(cls, spec: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
        options = _tag_options()
        return options["options"], options["option_texts"]

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


def _tag_options() -> dict[str, tuple[str, ...]]:
    """The course's tags as options: ids, and names to read."""
    kb = load_knowledge()
    return {"options": kb.tag_ids, "option_texts": tuple(kb.tags[t].name for t in kb.tag_ids)}


def _check_choices(item: Item, answer: Any, labels: dict[str, str] | None = None,
                   why_missed: Callable[[str], str] | None = None,
                   why_wrong: Callable[[str], str] | None = None) -> Feedback:
    if answer is None or isinstance(answer, str):
        return Feedback(item.id, NOT_ATTEMPTED, 0.0, item.points, "Tick the options that apply.")
    unknown = sorted(str(a) for a in answer if item.option_id(a) is None)
    if unknown:
        return Feedback(item.id, WRONG, 0.0, item.points,
                        f"Not an option here: {', '.join(unknown)}.")
    chosen = {i for a in answer if (i := item.option_id(a)) is not None}
    key = set(item.key)
    fraction = partial_credit(chosen, key)
    status = _status(fraction)
    label = (labels or dict(zip(item.options, item.option_texts, strict=True))).get
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
        if not self.is_attempt(answer):
            return Feedback(self.id, NOT_ATTEMPTED, 0.0, self.points,
                            "Rewrite the post in the box, then check it.")
        kb = load_knowledge()
        original = self.post.text if self.post is not None else ""
        platform = self.post.platform if self.post is not None else None
        before, after = analyze(original, platform), analyze(str(answer), platform)
        problems = {t for t in kb.tag_ids if kb.tags[t].kind == "problem"}
        had, has = before.tags & problems, after.tags & problems
        gained = (after.tags - before.tags) - problems
        details = [f"Fixed: {kb.tags[t].name}." for t in kb.tag_ids if t in had - has]
        details += [f"Still there: {kb.tags[t].name}. {kb.tags[t].fix}" for t in kb.tag_ids
                    if t in has]
        details += [f"Now shows: {kb.tags[t].name}." for t in kb.tag_ids if t in gained]
        strengths = after.tags - problems
        # Half the credit for clearing the problems, half for having a strength.
        cleared = 1.0 if not had else len(had - has) / len(had)
        fraction = (0.5 * cleared if not has - had else 0.0) + (0.5 if strengths else 0.0)
        fraction = min(fraction, 1.0)
        status = _status(fraction)
        message = ("Your rewrite has no problems left and gives the reader something."
                   if status == CORRECT else
                   "Credit: half in proportion to the original's problems you cleared (none "
                   "if you add a new one), half for a strength (a real question, value, "
                   "care...).")
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
