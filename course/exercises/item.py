"""What every exercise item is, whatever its kind, and the registry of kinds.

An item is data (``course/data/exercises/<lesson>.yaml`` for lessons,
``grading/assignments/<id>.yaml`` for graded work). Each kind is a subclass of
:class:`Item` (see :mod:`course.exercises.kinds`) that carries everything the course
knows about that kind: how its data is validated (:meth:`Item.from_data`), how an answer
is checked (:meth:`Item.check`), which fields a student may see (:meth:`Item.public`),
its solution, and a right answer for simulated students. The lesson widgets,
``q.check()`` in a code cell and the nbgrader grading step all call :meth:`Item.check`,
so scoring cannot drift between them. A new kind is one new subclass, listed in
:data:`course.exercises.kinds.KINDS`, and its widget.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from ..content.knowledge import Post
from ..errors import DataError
from .feedback import Feedback

__all__ = ["Item", "option_slug", "parse_options"]

#: Longest option id made from an option's text (cut at a word boundary): long enough to
#: tell options apart, short enough to read in an answer file.
SLUG_CHARS = 60


def option_slug(text: str) -> str:
    """The id of an option given as plain text: its words, lower case, joined by ``-``.

    It depends on the words alone, not on the option's position, case or punctuation, so
    fixing a comma or reordering options keeps every saved answer pointing at its option.
    Rewording needs an explicit id (``{id: old-id, text: new wording}``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = ""
    for word in re.findall(r"[0-9a-z]+", ascii_text.lower()):
        if slug and len(slug) + 1 + len(word) > SLUG_CHARS:
            break
        slug = f"{slug}-{word}" if slug else word[:SLUG_CHARS]
    return slug or "option-" + hashlib.sha256(text.encode()).hexdigest()[:8]


def parse_options(raw: Iterable[Any], where: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(ids, texts) of options written as plain strings or ``{id: ..., text: ...}``."""
    ids, texts = [], []
    for option in raw:
        if isinstance(option, dict):
            option_id, text = str(option.get("id", "")).strip(), str(option.get("text", ""))
            if not option_id or not text.strip():
                raise DataError(f"{where}: options: {option!r} needs an id and a text")
        else:
            option_id, text = option_slug(str(option)), str(option)
        if option_id in ids:
            raise DataError(f"{where}: options: two options have the id {option_id!r}: give "
                            "one an explicit id ({id: ..., text: ...})")
        ids.append(option_id)
        texts.append(text)
    return tuple(ids), tuple(texts)


@dataclass(frozen=True)
class Item:
    """One exercise item. ``key`` is the answer key; ``post`` the post it is about."""

    #: The kind's name in the data files.
    kind: ClassVar[str] = ""
    #: A person grades it (with a rubric); the automatic score is a suggestion.
    hand_graded: ClassVar[bool] = False

    id: str
    prompt: str
    points: float = 1.0
    #: The options' stable ids (answers and keys name these) ...
    options: tuple[str, ...] = ()
    key: Any = None
    post: Post | None = None
    hints: tuple[str, ...] = ()
    explanation: str = ""
    principles: tuple[str, ...] = ()
    lesson: str = ""
    #: ... and what the learner reads for each (the ids themselves when not given).
    option_texts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.option_texts) != len(self.options):
            object.__setattr__(self, "option_texts", tuple(self.options))

    # --- what each kind defines ------------------------------------------------------------

    @classmethod
    def fields_from_data(cls, raw: dict, post: Post | None, where: str) -> dict[str, Any]:
        """The kind's own fields from validated data (``where`` prefixes errors)."""
        raise NotImplementedError

    def check(self, answer: Any) -> Feedback:
        """Score ``answer`` and say why."""
        raise NotImplementedError

    def solution(self) -> str:
        """The answer and why, for the learner who asks for it."""
        raise NotImplementedError

    def right_answer(self) -> Any:
        """An answer that earns full points (for simulated students and tests)."""
        raise NotImplementedError

    def sample_answer(self, rng: random.Random, *, right: bool) -> Any:
        """An answer a student might give, right or plausibly wrong (for simulated
        classes). ``None`` means the student saves nothing."""
        raise NotImplementedError

    # --- shared by every kind --------------------------------------------------------------

    @property
    def the_post(self) -> Post:
        """The post of an item that must have one (critique, rewrite)."""
        if self.post is None:
            raise TypeError(f"exercise {self.id!r} ({self.kind}) has no post")
        return self.post

    @classmethod
    def from_data(cls, raw: dict, post: Post | None, where: str) -> Item:
        """Build an item of this kind from its validated data."""
        return cls(
            id=raw["id"], prompt=raw["prompt"], points=float(raw.get("points", 1)), post=post,
            hints=tuple(raw.get("hints", ())), explanation=raw.get("explanation", ""),
            principles=tuple(raw.get("principles", ())), lesson=raw.get("lesson", ""),
            **cls.fields_from_data(raw, post, where),
        )

    def public(self) -> dict[str, Any]:
        """What a student's notebook may know about the item: never its key."""
        spec: dict[str, Any] = {"id": self.id, "kind": self.kind, "prompt": self.prompt,
                                "points": self.points}
        if self.options:
            spec["options"] = [{"id": i, "text": t}
                               for i, t in zip(self.options, self.option_texts, strict=True)]
        if self.post is not None:
            spec["post"] = {"platform": self.post.platform, "text": self.post.text}
            if self.post.author:
                spec["post"]["author"] = self.post.author
        return spec

    @classmethod
    def public_options(cls, spec: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(ids, texts) of the options a student sees, from the public fields (a notebook
        released before options had ids lists their texts: the ids are their slugs)."""
        return parse_options(spec.get("options", ()), f"graded item {spec.get('id')!r}")

    # --- options: ids, letters and texts ---------------------------------------------------

    def option_id(self, answer: Any) -> str | None:
        """The id of the option ``answer`` names: its id, its letter (A, B, ... in the
        order shown), or its text, case-insensitively (a text whose punctuation changed
        since still finds its option). ``None`` if it names none."""
        if not isinstance(answer, str):
            return None
        if answer in self.options:
            return answer
        given = answer.strip()
        if len(given) == 1 and given.isalpha():
            index = ord(given.upper()) - ord("A")
            if 0 <= index < len(self.options):
                return self.options[index]
        folded = given.casefold()
        for option_id, text in zip(self.options, self.option_texts, strict=True):
            if folded in (option_id.casefold(), text.strip().casefold()):
                return option_id
        slug = option_slug(given)
        return slug if slug in self.options else None

    def option_text(self, option_id: str) -> str:
        """What the learner reads for the option ``option_id``."""
        texts = dict(zip(self.options, self.option_texts, strict=True))
        return texts.get(option_id, option_id)
