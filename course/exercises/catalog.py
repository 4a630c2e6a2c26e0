"""Exercise items loaded from data: the lessons' items, and items written into graded
assignments. :func:`build_item` validates one entry with its kind's class."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from ..content.knowledge import DATA_DIR, Post, load_knowledge, load_posts, load_yaml
from ..errors import DataError, UnknownIdError
from .feedback import Feedback
from .item import Item
from .kinds import KINDS

__all__ = ["EXERCISE_DIR", "build_item", "check", "find_item", "item_from_public",
           "load_items"]

EXERCISE_DIR = DATA_DIR / "exercises"


def check(item: Item, answer: Any) -> Feedback:
    """Score ``answer`` to ``item`` with the checker of its kind."""
    return item.check(answer)


def build_item(raw: dict, posts: dict[str, Post], file: str) -> Item:
    """An item from its schema-checked data; ``file`` names the source in errors.

    ``post`` is a bank post id, or (in graded work) a post written into the entry.
    """
    kb = load_knowledge()
    where = f"{file}: entry {raw['id']!r}"
    kind = KINDS.get(raw["kind"])
    if kind is None:
        raise DataError(f"{where}: kind: unknown kind {raw['kind']!r} (known: "
                        f"{', '.join(KINDS)})")
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
    return kind.from_data(raw, post, where)


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
        if not paths:
            raise DataError(f"no exercise files (*.yaml) in {EXERCISE_DIR}")
    return _load_items(paths)


def find_item(item_id: str) -> Item:
    """The lesson exercise with this id; an unknown id names the closest ones."""
    items = load_items()
    if item_id not in items:
        raise UnknownIdError("exercise", item_id, items)
    return items[item_id]


def item_from_public(spec: dict) -> Item:
    """The item a student's notebook rebuilds from an item's public fields
    (:meth:`Item.public`): no key, no labels, nothing to grade with."""
    kind = KINDS.get(spec.get("kind", ""))
    if kind is None:
        raise DataError(f"unknown exercise kind {spec.get('kind')!r}; known: "
                        f"{', '.join(KINDS)}")
    post = None
    if "post" in spec:
        p = spec["post"]
        post = Post(id=spec["id"], platform=p.get("platform"), text=p["text"], tags={},
                    author=p.get("author", ""))
    prompt = spec["prompt"]
    if "number" in spec:
        prompt = f"Question {spec['number']}. {prompt}"
    options, texts = kind.public_options(spec)
    return kind(id=spec["id"], prompt=prompt, points=float(spec.get("points", 1)),
                options=options, option_texts=texts, post=post)
