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
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from ..content.knowledge import Post
from ..errors import DataError
from .feedback import Feedback

__all__ = ["LETTERS", "Item", "option_id", "options_from_data"]

#: Letters that name options in the order a learner sees them (A for the first).
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: An option id made from its text keeps at most this many characters (cut at a hyphen),
#: so ids stay readable in answer files.
OPTION_ID_LENGTH = 48


def option_id(text: str) -> str:
    """The id of an option given as plain text: a slug of the text, the same wherever
    the option sits, e.g. ``"To experience new things"`` -> ``"to-experience-new-things"``."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "option"
    if len(slug) > OPTION_ID_LENGTH:
        slug = slug[:OPTION_ID_LENGTH].rsplit("-", 1)[0]
    return slug


def options_from_data(raw: Sequence[Any], where: str
                      ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Options as the data gives them (plain text, or ``{id, text, why}``) -> their texts,
    ids and notes (``why`` an option is right or wrong, by id)."""
    texts, ids, notes = [], [], []
    for option in raw:
        if isinstance(option, str):
            option = {"text": option}
        text = option["text"]
        oid = option.get("id") or option_id(text)
        if oid in ids:
            raise DataError(f"{where}: options: two options share the id {oid!r}; give one "
                            "of them its own `id`")
        texts.append(text)
        ids.append(oid)
        if option.get("why"):
            notes.append((oid, option["why"]))
    return tuple(texts), tuple(ids), tuple(notes)


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
    #: One id per option (see :func:`option_id`); empty means the slugs of ``options``.
    option_ids: tuple[str, ...] = ()
    #: Why an option is right or wrong, by option id: what a learner who picks it reads.
    notes: tuple[tuple[str, str], ...] = ()
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

    # --- options: ids, labels, and answers given by id, letter, text or label ------------

    @property
    def ids(self) -> tuple[str, ...]:
        """The options' ids, in data order."""
        return self.option_ids or tuple(option_id(t) for t in self.options)

    def label(self, oid: str) -> str:
        """What the learner reads for option ``oid``: its text (a tag's name for
        critiques)."""
        return dict(zip(self.ids, self.options, strict=True)).get(oid, oid)

    def note(self, oid: str) -> str:
        """Why option ``oid`` is right or wrong, if the data says."""
        return dict(self.notes).get(oid, "")

    def resolve(self, given: Any, order: Sequence[str] | None = None) -> str | None:
        """The id of the option ``given`` names: its id, its text or label (any case), its
        letter in ``order`` (the ids as the learner sees them; data order by default), or
        its words with other punctuation. ``None`` when it names no option."""
        if not isinstance(given, str) or not given.strip():
            return None
        ids = self.ids
        if given in ids:
            return given
        wanted = " ".join(given.split()).casefold()
        for oid in ids:
            if wanted in (oid.casefold(), " ".join(self.label(oid).split()).casefold()):
                return oid
        letter = wanted.rstrip(".)").upper()
        order = tuple(order) if order is not None else ids
        if len(letter) == 1 and letter in LETTERS[:len(order)]:
            return order[LETTERS.index(letter)]
        # A text saved before its option's punctuation was fixed still names it.
        slug = option_id(given)
        for oid in ids:
            if slug in (oid, option_id(self.label(oid))):
                return oid
        return None

    def resolve_many(self, given: Any, order: Sequence[str] | None = None
                     ) -> tuple[list[str], list[str]] | None:
        """Ids for an answer that names several options (a list, or one string with
        commas); returns ``(ids, unknown)``, or ``None`` for no answer at all."""
        if given is None:
            return None
        if isinstance(given, str):
            if not given.strip():
                return [], []
            one = self.resolve(given, order)
            parts = [one] if one is not None else [p for p in re.split(r"[,;]", given)
                                                   if p.strip()]
            given = [p for p in parts if p is not None]
        if not isinstance(given, (list, tuple, set, frozenset)):
            return None
        ids, unknown = [], []
        for part in given:
            oid = self.resolve(part, order)
            if oid is None:
                unknown.append(str(part).strip())
            elif oid not in ids:
                ids.append(oid)
        return ids, unknown

    def normalize(self, answer: Any, order: Sequence[str] | None = None) -> Any:
        """``answer`` as the check and the progress file keep it: option ids where it
        names options (letters counted in ``order``), anything else unchanged."""
        return answer

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
        """What a student's notebook may know about the item: never its key, never the
        notes on its options."""
        spec: dict[str, Any] = {"id": self.id, "kind": self.kind, "prompt": self.prompt,
                                "points": self.points}
        if self.options:
            if self.option_ids and self.option_ids != tuple(map(option_id, self.options)):
                spec["options"] = [{"id": i, "text": t}
                                   for i, t in zip(self.option_ids, self.options, strict=True)]
            else:
                spec["options"] = list(self.options)
        if self.post is not None:
            spec["post"] = {"platform": self.post.platform, "text": self.post.text}
            if self.post.author:
                spec["post"]["author"] = self.post.author
        return spec

    @classmethod
    def public_options(cls, spec: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The options a student sees, from the public fields: their texts and ids."""
        texts, ids, _notes = options_from_data(spec.get("options", ()), f"item {spec['id']}")
        return texts, ids
