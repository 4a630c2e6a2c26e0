"""The exercise kinds: one class each, with its validation, check, solution and a right
answer.

- :class:`SingleChoice` (``single``): one option;
- :class:`MultipleChoice` (``multiple``): a collection of options;
- :class:`TagCritique` (``critique``): the tags the learner thinks a post carries;
- :class:`Rewrite` (``rewrite``): the learner's rewrite of a post, scored by the critic
  (half the points in proportion to the original's problem tags it clears, none of that
  half if it adds a problem, and half for showing any strength); graded by hand in
  assignments;
- :class:`Numeric` (``numeric``): a number, or text that parses as one;
- :class:`CodeTask` (``code``): a variable the learner computes in a code cell, compared
  with what the item's solution computes from the same data.

Options are named by id, by letter (A for the first) or by their text, in any case; a
critique's options are the tags, named by id or by name ("Hard sell"). Every check
turns an answer into option ids first (:meth:`Item.normalize`).

Partial credit for ``multiple`` and ``critique``: ``max(0, (right - wrong) / keyed)`` of
the points (:func:`partial_credit`), where ``right`` counts ticked options that are in the
key, ``wrong`` ticked options that are not, and ``keyed`` the options in the key. When the
key is empty (a post with no tags) the answer earns full points if nothing is ticked.
The learner reads this in words, never as a formula.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from ..content.knowledge import Post, load_knowledge
from ..content.markup import sentence
from ..critic.rewrite import compare
from ..errors import DataError
from .feedback import CORRECT, NOT_ATTEMPTED, PARTLY, WRONG, Feedback
from .item import Item, options_from_data

__all__ = [
    "KINDS",
    "MISSING",
    "CodeTask",
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
    return "; ".join(f"{kb.principles[p].name} (*{kb.article_of(p).title}*)"
                     for p in principle_ids)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _agree(n: int, verb: str) -> str:
    return verb if n != 1 else {"apply": "applies"}.get(verb, verb + "s")


def _quoted(text: str) -> str:
    return f"“{text}”"


class _Choices(Item):
    """What single and multiple choice share: options from data, a key given by id or
    text, answers by id, letter or text."""

    @classmethod
    def fields_from_data(cls, raw: dict, post: Post | None, where: str) -> dict[str, Any]:
        texts, ids, notes = options_from_data(raw.get("options", ()), where)
        probe = cls(id=raw["id"], prompt="", options=texts, option_ids=ids)
        given = raw.get("key")
        keys = [given] if isinstance(given, str) or given is None else list(given)
        resolved = [probe.resolve(k) if isinstance(k, str) else None for k in keys]
        if given is None or None in resolved:
            raise DataError(f"{where}: key: not among the options: {given!r}")
        if cls.kind == "single" and len(resolved) != 1:
            raise DataError(f"{where}: key: a single-choice item has one key")
        key = resolved[0] if cls.kind == "single" else tuple(resolved)
        return {"options": texts, "option_ids": ids, "notes": notes, "key": key}

    @property
    def key_ids(self) -> tuple[str, ...]:
        """The key as option ids (the key may be written as ids or texts)."""
        keys = [self.key] if isinstance(self.key, str) else list(self.key or ())
        return tuple(oid for oid in (self.resolve(k) for k in keys) if oid is not None)

    def quoted(self, oid: str) -> str:
        return _quoted(self.label(oid))


@dataclass(frozen=True)
class SingleChoice(_Choices):
    kind = "single"

    def normalize(self, answer: Any, order: Sequence[str] | None = None) -> Any:
        if isinstance(answer, str) and answer.strip():
            return self.resolve(answer, order) or answer
        return answer

    def check(self, answer: Any) -> Feedback:
        if _blank(answer):
            return Feedback(self.id, NOT_ATTEMPTED, 0.0, self.points, "Pick one option.")
        chosen = self.resolve(answer)
        if chosen is None:
            return Feedback(self.id, WRONG, 0.0, self.points,
                            f"{_quoted(str(answer))} is not one of the options: answer with "
                            "its letter or its text.")
        (key,) = self.key_ids
        if chosen == key:
            return Feedback(self.id, CORRECT, self.points, self.points,
                            sentence(self.explanation) or "Right.")
        why = self.note(chosen) or ("That option does not answer this question. Read the "
                                    "question again, then compare the options.")
        return Feedback(self.id, WRONG, 0.0, self.points,
                        f"{sentence(f'You chose {self.quoted(chosen)}')} {sentence(why)}",
                        missed=(sentence(f"The answer is {self.quoted(key)}"),))

    def solution(self) -> str:
        (key,) = self.key_ids
        return f"**{self.label(key)}**. {sentence(self.explanation)}".strip()

    def right_answer(self) -> Any:
        return self.key_ids[0]

    def sample_answer(self, rng: random.Random, *, right: bool) -> Any:
        key = self.key_ids[0]
        return key if right else rng.choice([o for o in self.ids if o != key])


@dataclass(frozen=True)
class MultipleChoice(_Choices):
    kind = "multiple"

    def normalize(self, answer: Any, order: Sequence[str] | None = None) -> Any:
        resolved = self.resolve_many(answer, order)
        if resolved is None or resolved[1]:
            return answer
        return resolved[0]

    def check(self, answer: Any) -> Feedback:
        return _check_choices(self, answer, self.key_ids, noun=("option", "options"))

    def solution(self) -> str:
        keys = "; ".join(f"**{self.label(k)}**" for k in self.ids if k in self.key_ids)
        return f"{keys}. {sentence(self.explanation)}".strip()

    def right_answer(self) -> Any:
        return list(self.key_ids)

    def sample_answer(self, rng: random.Random, *, right: bool) -> Any:
        chosen = set(self.key_ids)
        if not right:
            for option in rng.sample(list(self.ids), rng.randint(1, 2)):
                chosen ^= {option}
        return [o for o in self.ids if o in chosen]


@dataclass(frozen=True)
class TagCritique(Item):
    """Tick the critique tags a post carries; the post's labels are the key. ``notes``
    say, for tags a learner might tick wrongly, why this post does not carry them."""

    kind = "critique"

    @classmethod
    def fields_from_data(cls, raw: dict, post: Post | None, where: str) -> dict[str, Any]:
        if post is None:
            raise DataError(f"{where}: post: a critique item needs a post")
        kb = load_knowledge()
        key = raw.get("key")
        notes = raw.get("notes") or {}
        for tag in notes:
            if tag not in kb.tags:
                raise DataError(f"{where}: notes: unknown tag {tag!r}")
        return {"options": kb.tag_ids, "option_ids": kb.tag_ids,
                "notes": tuple(notes.items()),
                "key": tuple(post.tags) if key is None else tuple(key)}

    @classmethod
    def public_options(cls, spec: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
        ids = load_knowledge().tag_ids
        return ids, ids

    def public(self) -> dict[str, Any]:
        spec = super().public()
        spec.pop("options", None)  # always the course's tags
        return spec

    def label(self, oid: str) -> str:
        kb = load_knowledge()
        return kb.tags[oid].name if oid in kb.tags else oid

    def kind_label(self, oid: str) -> str:
        """A tag's name with its kind in words: "Hard sell (a problem)"."""
        kb = load_knowledge()
        return f"{self.label(oid)} (a {kb.tags[oid].kind})" if oid in kb.tags else oid

    def normalize(self, answer: Any, order: Sequence[str] | None = None) -> Any:
        resolved = self.resolve_many(answer, order)
        if resolved is None or resolved[1]:
            return answer
        return resolved[0]

    def check(self, answer: Any) -> Feedback:
        kb = load_knowledge()
        rationale = self.post.tags if self.post is not None else {}

        def why_missed(tag: str) -> str:
            reason = sentence(rationale.get(tag) or kb.tags[tag].definition)
            return f"{reason} See {_principle_note(kb.tags[tag].principles[:1])}."

        def why_wrong(tag: str) -> str:
            if self.note(tag):
                return sentence(self.note(tag))
            definition = kb.tags[tag].definition
            return (f"This post does not carry it. What counts as {self.label(tag)}: "
                    f"{sentence(definition[0].lower() + definition[1:])}")

        return _check_choices(self, answer, tuple(self.key), noun=("tag", "tags"),
                              name=self.kind_label, why_missed=why_missed,
                              why_wrong=why_wrong)

    def solution(self) -> str:
        kb = load_knowledge()
        tags = self.post.tags if self.post is not None else {}
        if not self.key:
            return "**No tags**: this post carries no problem and no strength."
        lines = [f"- **{self.kind_label(t)}**: {sentence(tags.get(t) or kb.tags[t].definition)}"
                 for t in kb.tag_ids if t in self.key]
        return "The post carries:\n" + "\n".join(lines)

    def right_answer(self) -> Any:
        return list(self.key)

    def sample_answer(self, rng: random.Random, *, right: bool) -> Any:
        key = list(self.key)
        if right:
            return rng.sample(key, len(key))
        kept = [t for t in key if rng.random() < 0.5]
        wrong = rng.sample([t for t in self.options if t not in key], rng.randint(0, 2))
        return kept + wrong if kept + wrong != key else kept[:-1]


def _check_choices(item: Item, answer: Any, key_ids: Sequence[str], *,
                   noun: tuple[str, str], name: Callable[[str], str] | None = None,
                   why_missed: Callable[[str], str] | None = None,
                   why_wrong: Callable[[str], str] | None = None) -> Feedback:
    """The verdict for ticked options: counts in words, why each wrong tick is wrong,
    and (kept apart, for ``reveal``) what was missed and why."""
    resolved = None if isinstance(answer, str) and not answer.strip() else \
        item.resolve_many(answer)
    if resolved is None:
        return Feedback(item.id, NOT_ATTEMPTED, 0.0, item.points,
                        f"Tick the {noun[1]} that apply, then check.")
    ids, unknown = resolved
    if unknown:
        return Feedback(item.id, WRONG, 0.0, item.points,
                        f"Not {'an option' if noun[0] == 'option' else 'a tag'} here: "
                        f"{', '.join(map(_quoted, unknown))}. Use the letters, ids or "
                        "names shown with the question.")
    name = name or (lambda oid: _quoted(item.label(oid)))
    chosen, key = set(ids), set(key_ids)
    fraction = partial_credit(chosen, key)
    right, wrong, missed = chosen & key, chosen - key, key - chosen
    status = CORRECT if fraction >= 1.0 - 1e-9 else (PARTLY if right else WRONG)
    order = [o for o in item.ids if o in chosen | key]
    details = []
    if right and status != CORRECT:
        details.append(sentence("Right so far: " + "; ".join(name(o) for o in order
                                                              if o in right)))
    details += [f"{name(o)} does not apply. "
                f"{why_wrong(o) if why_wrong else sentence(item.note(o)) or ''}".strip()
                for o in order if o in wrong]
    missed_lines = tuple(
        f"Missed {name(o)}: "
        f"{why_missed(o) if why_missed else sentence(item.note(o)) or 'it belongs here.'}"
        for o in order if o in missed)
    if status == CORRECT:
        message = sentence(item.explanation) or "All right."
    elif not key:
        message = (f"This one carries no {noun[1]} at all, so the right answer is to tick "
                   "nothing.")
    elif not chosen:
        message = f"You ticked nothing, but {_count(len(key), noun[0])} apply here."
    else:
        k, r = len(key), len(right)
        if r == k:
            found = (f"You found the one {noun[0]} that applies" if k == 1 else
                     f"You found all {k} {noun[1]} that apply")
        else:
            found = f"You found {r} of the {_count(k, noun[0])} that {_agree(k, 'apply')}"
        if wrong:
            found += (f", but {'one' if len(wrong) == 1 else len(wrong)} of your ticks "
                      f"{'does' if len(wrong) == 1 else 'do'} not apply")
        message = found + "."
        if wrong and fraction <= 0 and right:
            message += " Each wrong tick cancels a right one, so this scores nothing yet."
        if missed:
            message += (f" Look for the {'one' if len(missed) == 1 else 'ones'} you have not "
                        "ticked yet.")
    return Feedback(item.id, status, round(item.points * fraction, 4), item.points,
                    message, tuple(details), missed_lines)


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
        gained = review.strengths - review.before.tags
        details += [f"Fixed: {kb.tags[t].name} (a problem)." for t in kb.tag_ids
                    if t in review.cleared]
        details += [f"Still there: {kb.tags[t].name} (a problem). {sentence(kb.tags[t].fix)}"
                    for t in kb.tag_ids if t in review.kept]
        details += [f"New problem: {kb.tags[t].name}. {sentence(kb.tags[t].fix)}"
                    for t in kb.tag_ids if t in review.added]
        details += [f"Now shows: {kb.tags[t].name} (a strength)." for t in kb.tag_ids
                    if t in gained]
        if not (review.keeps_subject and review.reads_as_post):
            fraction = min(fraction, DEGENERATE_CAP)
        status = _status(fraction)
        if status == CORRECT:
            message = ("Your rewrite keeps the subject, has no problems left and gives the "
                       "reader something.")
        else:
            todo = []
            if not review.keeps_subject:
                todo.append("keep the original's subject")
            if not review.reads_as_post:
                todo.append("write a full post, not just a question or a greeting")
            if review.kept or review.added:
                todo.append("clear the problems listed below without adding new ones")
            if not review.strengths:
                todo.append("give the reader something: a real question, a tip, care or "
                            "credit to others")
            message = ("Nearly there: " if status == PARTLY else "Not yet: ") + \
                " and ".join(todo) + "."
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
            return Feedback(self.id, WRONG, 0.0, self.points,
                            f"{_quoted(str(answer))} is not a number: type digits only, "
                            "such as 42 or 0.5.")
        if not math.isfinite(value):
            return Feedback(self.id, WRONG, 0.0, self.points, "Enter a finite number.")
        if abs(value - float(self.key)) <= self.tolerance + 1e-9:
            return Feedback(self.id, CORRECT, self.points, self.points,
                            sentence(self.explanation) or "Right.")
        side = "high" if value > float(self.key) else "low"
        return Feedback(self.id, WRONG, 0.0, self.points,
                        f"{value:g} is too {side}. Check which rows and which column your "
                        "number comes from.",
                        missed=(f"The answer is {self.key:g}.",))

    def solution(self) -> str:
        return f"**{self.key:g}**. {sentence(self.explanation)}".strip()

    def right_answer(self) -> Any:
        return self.key

    def sample_answer(self, rng: random.Random, *, right: bool) -> Any:
        return self.key if right else float(self.key) + 1 + self.tolerance


class _Missing:
    """No such variable in the learner's notebook (yet)."""

    def __repr__(self) -> str:
        return "MISSING"


#: What a code task is checked with when the learner's variable does not exist.
MISSING: Any = _Missing()
#: Numbers a code task compares agree to this relative tolerance (floating-point noise
#: between two equivalent pandas computations is far smaller).
CODE_RTOL = 1e-6


@functools.lru_cache(maxsize=64)
def _expected(setup: str, solution: str, variable: str) -> Any:
    namespace: dict[str, Any] = {}
    exec(compile(setup + "\n" + solution, f"<solution of {variable}>", "exec"), namespace)
    return namespace[variable]


@dataclass(frozen=True)
class CodeTask(Item):
    """Compute a variable in a code cell ("# your code here"), learntools style: the
    check reads the learner's own variable and compares it with what ``solution``
    computes after ``setup`` (course code that loads the same data)."""

    kind = "code"

    variable: str = ""
    setup: str = ""
    solution_code: str = ""
    starter: str = ""
    tolerance: float = 0.0

    @classmethod
    def fields_from_data(cls, raw: dict, post: Post | None, where: str) -> dict[str, Any]:
        for field in ("variable", "solution"):
            if not raw.get(field):
                raise DataError(f"{where}: {field}: a code task needs one")
        if not raw["variable"].isidentifier():
            raise DataError(f"{where}: variable: {raw['variable']!r} is not a Python name")
        return {"variable": raw["variable"], "setup": raw.get("setup", ""),
                "solution_code": raw["solution"], "starter": raw.get("starter", ""),
                "tolerance": float(raw.get("tolerance", 0))}

    def expected(self) -> Any:
        """The value the solution computes (the key: never shown before a reveal)."""
        return _expected(self.setup, self.solution_code, self.variable)

    def check(self, answer: Any) -> Feedback:
        name = f"`{self.variable}`"
        if answer is MISSING:
            return Feedback(self.id, NOT_ATTEMPTED, 0.0, self.points,
                            f"There is no {name} yet: write your code in the cell below the "
                            "question, run it, then check.")
        if answer is None or answer is Ellipsis:
            return Feedback(self.id, NOT_ATTEMPTED, 0.0, self.points,
                            f"{name} is still `{answer!r}`: replace it with your code, run "
                            "the cell, then check.")
        problem = _compare(answer, self.expected(), name, self.tolerance)
        if problem is None:
            return Feedback(self.id, CORRECT, self.points, self.points,
                            sentence(self.explanation) or "Right.")
        return Feedback(self.id, WRONG, 0.0, self.points, problem)

    def solution(self) -> str:
        return (f"```python\n{self.solution_code.strip()}\n```\n\n"
                f"{sentence(self.explanation)}").strip()

    def right_answer(self) -> Any:
        return self.expected()

    def sample_answer(self, rng: random.Random, *, right: bool) -> Any:
        return self.expected() if right else MISSING


def _compare(value: Any, expected: Any, name: str, tolerance: float) -> str | None:
    """Why ``value`` is not ``expected`` (in words that do not give the numbers away), or
    ``None`` when it is."""
    import numpy as np
    import pandas as pd

    def shape(x: Any) -> str:
        if isinstance(x, pd.DataFrame):
            return "a DataFrame (a table)"
        if isinstance(x, pd.Series):
            return "a Series (one value per row label)"
        if isinstance(x, (int, float, np.number)) and not isinstance(x, bool):
            return "a number"
        return f"a {type(x).__name__}"

    if isinstance(expected, pd.Series) and isinstance(value, pd.DataFrame) \
            and value.shape[1] == 1:
        value = value.iloc[:, 0]
    if shape(value) != shape(expected):
        return f"{name} is {shape(value)}; this task asks for {shape(expected)}."
    if isinstance(expected, (pd.Series, pd.DataFrame)):
        want, got = {str(i) for i in expected.index}, {str(i) for i in value.index}
        if want != got:
            return (f"{name} should have one row for each of: {', '.join(sorted(want))}; "
                    f"yours has {', '.join(sorted(got)[:8]) or 'no rows'}. Check what you "
                    "grouped by.")
        value = value.set_axis([str(i) for i in value.index]).sort_index()
        expected = expected.set_axis([str(i) for i in expected.index]).sort_index()
        if isinstance(expected, pd.DataFrame):
            absent = [c for c in expected.columns if c not in value.columns]
            if absent:
                return f"{name} has no column {', '.join(map(repr, absent))}."
            value = value[list(expected.columns)]
        try:
            close = np.isclose(value.to_numpy(dtype=float), expected.to_numpy(dtype=float),
                               rtol=CODE_RTOL, atol=tolerance, equal_nan=True)
        except (TypeError, ValueError):
            return f"{name} holds values that are not numbers."
        if not close.all():
            rows = [str(r) for r, ok in zip(expected.index, close.reshape(len(expected), -1)
                                            .all(axis=1), strict=True) if not ok]
            return (f"{name} has the right rows, but the value for {', '.join(rows[:3])} "
                    "is not what the data gives. Check the column and the calculation.")
        return None
    if isinstance(expected, (int, float, np.number)):
        if math.isclose(float(value), float(expected), rel_tol=CODE_RTOL, abs_tol=tolerance):
            return None
        return f"{name} is not what the data gives. Check the column and the calculation."
    return None if value == expected else f"{name} is not what the task asks for."


#: kind name (as the data files spell it) -> its class.
KINDS: dict[str, type[Item]] = {
    kind.kind: kind
    for kind in (SingleChoice, MultipleChoice, TagCritique, Rewrite, Numeric, CodeTask)
}
