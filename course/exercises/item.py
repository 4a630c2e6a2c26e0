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

import random
from dataclasses import dataclass
from typing import Any, ClassVar

from ..content.knowledge import Post
from .feedback import Feedback

__all__ = ["Item"]


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
    options: tuple[str, ...] = ()
    key: Any = None
    post: Post | None = None
    hints: tuple[str, ...] = ()
    explanation: str = ""
    principles: tuple[str, ...] = ()
    lesson: str = ""

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
            spec["options"] = list(self.options)
        if self.post is not None:
            spec["post"] = {"platform": self.post.platform, "text": self.post.text}
            if self.post.author:
                spec["post"]["author"] = self.post.author
        return spec

    @classmethod
    def public_options(cls, spec: dict) -> tuple[str, ...]:
        """The options a student sees, from the public fields."""
        return tuple(spec.get("options", ()))
