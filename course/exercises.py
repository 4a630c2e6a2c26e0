"""Exercises declared as data, and one plain checker per kind.

An exercise item is data (``course/data/exercises/<lesson>.yaml``): prompt, kind, answer key,
hints, explanation, points, principles. :func:`check` scores an answer with the checker
for the item's kind and returns :class:`Feedback`. The lesson widgets, ``q.check()`` in a
code cell and the nbgrader grading step all call :func:`check`, so scoring cannot drift.

Kinds and the answers they take:

- ``single``: one option (its text); ``multiple``: a collection of option texts;
- ``critique``: a collection of tag ids the learner thinks the post carries;
- ``rewrite``: the learner's rewrite of the item's post (text), scored by the critic: half
  the points in proportion to the original's problem tags it clears (none if it adds a
  problem), half for showing any strength;
- ``numeric``: a number (or text that parses as one).

Partial credit for ``multiple`` and ``critique``: ``max(0, (right - wrong) / keyed)``
of the points, where ``right`` counts ticked options that are in the key, ``wrong``
ticked options that are not, and ``keyed`` the options in the key. When the key is empty
(a post with no tags) the answer earns full points if nothing is ticked, else none.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .critique import analyze
from .errors import DataError
from .knowledge import DATA_DIR, Post, load_knowledge, load_posts, load_yaml

__all__ = [
    "CHECKERS",
    "CORRECT",
    "NOT_ATTEMPTED",
    "PARTLY",
    "WRONG",
    "Feedback",
    "Item",
    "build_item",
    "check",
    "load_items",
    "partial_credit",
]

CORRECT, PARTLY, NOT_ATTEMPTED, WRONG = "correct", "partly correct", "not attempted", "wrong"


@dataclass(frozen=True)
class Item:
    """One exercise item. ``key`` is the answer key; ``post`` the post it is about."""

    id: str
    kind: str
    prompt: str
    points: float = 1.0
    options: tuple[str, ...] = ()
    key: Any = None
    tolerance: float = 0.0
    post: Post | None = None
    hints: tuple[str, ...] = ()
    explanation: str = ""
    principles: tuple[str, ...] = ()
    lesson: str = ""
    rubric: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: status, points earned, and what to say to the learner."""

    item_id: str
    status: str
    score: float
    points: float
    message: str
    details: tuple[str, ...] = field(default=())

    @property
    def fraction(self) -> float:
        return self.score / self.points if self.points else 0.0

    def as_text(self) -> str:
        lines = [f"{self.status.capitalize()} ({self.score:g}/{self.points:g}). {self.message}"]
        lines.extend(f"- {d}" for d in self.details)
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.as_text()


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
    names = []
    for pid in principle_ids:
        p = kb.principles[pid]
        names.append(f"{p.name} ({kb.article_of(pid).title})")
    return "; ".join(names)


# --- One checker per kind -----------------------------------------------------------------

def _check_single(item: Item, answer: Any) -> Feedback:
    if _blank(answer):
        return Feedback(item.id, NOT_ATTEMPTED, 0.0, item.points, "Pick one option.")
    if answer not in item.options:
        return Feedback(item.id, WRONG, 0.0, item.points,
                        f"{answer!r} is not one of the options.")
    if answer == item.key:
        return Feedback(item.id, CORRECT, item.points, item.points, item.explanation)
    return Feedback(item.id, WRONG, 0.0, item.points,
                    "Not quite. " + (item.hints[0] if item.hints else "Read the options again."))


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


def _check_multiple(item: Item, answer: Any) -> Feedback:
    return _check_choices(item, answer)


def _check_critique(item: Item, answer: Any) -> Feedback:
    kb = load_knowledge()
    post = item.post
    rationale = post.tags if post is not None else {}

    def why_missed(tag: str) -> str:
        reason = (rationale.get(tag) or kb.tags[tag].definition).rstrip(". ")
        return f"{reason}. See {_principle_note(kb.tags[tag].principles[:1])}."

    def why_wrong(tag: str) -> str:
        return f"{kb.tags[tag].definition}"

    labels = {t: kb.tags[t].name for t in kb.tag_ids}
    return _check_choices(item, answer, labels, why_missed, why_wrong)


def _check_rewrite(item: Item, answer: Any) -> Feedback:
    original = item.post.text if item.post else ""
    if _blank(answer) or answer.strip() == original.strip():
        return Feedback(item.id, NOT_ATTEMPTED, 0.0, item.points,
                        "Rewrite the post in the box, then check it.")
    kb = load_knowledge()
    platform = item.post.platform if item.post else None
    before, after = analyze(original, platform), analyze(answer, platform)
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
               "Credit: half in proportion to the original's problems you cleared (none if "
               "you add a new one), half for a strength (a real question, value, care...).")
    return Feedback(item.id, status, round(item.points * fraction, 4), item.points, message,
                    tuple(details))


def _check_numeric(item: Item, answer: Any) -> Feedback:
    if _blank(answer):
        return Feedback(item.id, NOT_ATTEMPTED, 0.0, item.points, "Enter a number.")
    try:
        value = float(str(answer).replace(",", "").strip())
    except ValueError:
        return Feedback(item.id, WRONG, 0.0, item.points, f"{answer!r} is not a number.")
    if math.isfinite(value) and abs(value - float(item.key)) <= item.tolerance + 1e-9:
        return Feedback(item.id, CORRECT, item.points, item.points, item.explanation)
    hint = item.hints[0] if item.hints else "Check your calculation."
    return Feedback(item.id, WRONG, 0.0, item.points, f"Not quite. {hint}")


CHECKERS: dict[str, Callable[[Item, Any], Feedback]] = {
    "single": _check_single,
    "multiple": _check_multiple,
    "critique": _check_critique,
    "rewrite": _check_rewrite,
    "numeric": _check_numeric,
}


def check(item: Item, answer: Any) -> Feedback:
    """Score ``answer`` to ``item`` with the checker for its kind."""
    return CHECKERS[item.kind](item, answer)


# --- Loading items from data --------------------------------------------------------------

def build_item(raw: dict, posts: dict[str, Post], file: str) -> Item:
    """An :class:`Item` from its validated data; ``file`` names the source in errors."""
    kb = load_knowledge()
    where = f"{file}: entry {raw['id']!r}"
    post = None
    if isinstance(raw.get("post"), dict):  # a post written into the item (graded work)
        inline = raw["post"]
        post = Post(id=raw["id"], platform=inline["platform"], text=inline["text"],
                    tags=dict(inline.get("tags", {})), author=inline.get("author", ""))
        for tag in post.tags:
            if tag not in kb.tags:
                raise DataError(f"{where}: post.tags: unknown tag {tag!r}")
    elif "post" in raw:
        if raw["post"] not in posts:
            raise DataError(f"{where}: post: unknown post {raw['post']!r}")
        post = posts[raw["post"]]
    for pid in raw.get("principles", []):
        if pid not in kb.principles:
            raise DataError(f"{where}: principles: unknown principle {pid!r}")
    kind = raw["kind"]
    options = tuple(raw.get("options", ()))
    key = raw.get("key")
    if kind == "critique":
        if post is None:
            raise DataError(f"{where}: post: a critique item needs a post")
        options = kb.tag_ids
        key = tuple(post.tags) if key is None else tuple(key)
    elif kind == "rewrite" and post is None:
        raise DataError(f"{where}: post: a rewrite item needs a post")
    elif kind == "single" and key not in options:
        raise DataError(f"{where}: key: {key!r} is not one of the options")
    elif kind == "multiple":
        missing = [k for k in key or () if k not in options]
        if key is None or missing:
            raise DataError(f"{where}: key: not among the options: {missing or key}")
        key = tuple(key)
    elif kind == "numeric" and not isinstance(key, (int, float)):
        raise DataError(f"{where}: key: a numeric item needs a number")
    return Item(
        id=raw["id"], kind=kind, prompt=raw["prompt"], points=float(raw.get("points", 1)),
        options=options, key=key, tolerance=float(raw.get("tolerance", 0)), post=post,
        hints=tuple(raw.get("hints", ())), explanation=raw.get("explanation", ""),
        principles=tuple(raw.get("principles", ())), lesson=raw.get("lesson", ""),
        rubric=tuple(raw.get("rubric", ())),
    )


EXERCISE_DIR = DATA_DIR / "exercises"


@functools.lru_cache(maxsize=4)
def _load_items(paths: tuple[Path, ...]) -> dict[str, Item]:
    posts = {p.id: p for p in load_posts()}
    items: dict[str, Item] = {}
    for path in paths:
        for raw in load_yaml(path, "exercises.yaml"):
            if raw["id"] in items:
                raise DataError(f"{path.name}: entry {raw['id']!r}: id: duplicate id")
            raw.setdefault("lesson", path.stem)
            items[raw["id"]] = build_item(raw, posts, path.name)
    return items


def load_items(path: Path | str | None = None) -> dict[str, Item]:
    """Exercise items by id: from one YAML file, or from every file in
    ``course/data/exercises/`` (one per lesson, named after it) by default."""
    if path is not None:
        paths: tuple[Path, ...] = (Path(path).resolve(),)
    else:
        paths = tuple(sorted(EXERCISE_DIR.glob("*.yaml")))
    return _load_items(paths)
