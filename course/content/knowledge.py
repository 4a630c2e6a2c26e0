"""The knowledge base: articles, principles, critique tags and the post bank, loaded from data.

Every file is validated against its schema in :mod:`course.schemas`; a problem raises
:class:`~course.errors.DataError` with one line naming the file, the entry and the field.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fastjsonschema
import yaml

from ..errors import DataError, UnknownIdError
from .schemas import SCHEMAS

__all__ = [
    "DATA_DIR",
    "Article",
    "KnowledgeBase",
    "Post",
    "Principle",
    "Tag",
    "find_post",
    "load_knowledge",
    "load_labelled_posts",
    "load_posts",
    "load_yaml",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    about: str
    file: str = ""


@dataclass(frozen=True)
class Principle:
    id: str
    name: str
    article: str
    kind: str
    summary: str
    teaching_notes: str
    do: tuple[str, ...]
    dont: tuple[str, ...]


@dataclass(frozen=True)
class Tag:
    id: str
    kind: str  # "problem" or "strength"
    name: str
    definition: str
    explanation: str
    fix: str
    principles: tuple[str, ...]


@dataclass(frozen=True)
class Post:
    id: str
    platform: str | None
    text: str
    tags: dict[str, str]  # tag id -> one-line rationale
    author: str = ""
    genre: str = ""  # real posts: what kind of post it is (customer-care, sms-spam, ...)


@dataclass(frozen=True)
class KnowledgeBase:
    articles: dict[str, Article]
    principles: dict[str, Principle]
    tags: dict[str, Tag]

    @property
    def tag_ids(self) -> tuple[str, ...]:
        """Tag ids in the order of ``tags.yaml``: problems first, then strengths."""
        return tuple(self.tags)

    def principle(self, principle_id: str) -> Principle:
        """The principle with this id; an unknown id names the closest ones."""
        if principle_id not in self.principles:
            raise UnknownIdError("principle", principle_id, self.principles)
        return self.principles[principle_id]

    def article_of(self, principle_id: str) -> Article:
        return self.articles[self.principles[principle_id].article]


def _entry_label(data: Any, index: Any) -> str:
    if isinstance(index, int) and isinstance(data, list) and index < len(data):
        item = data[index]
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            return f"entry {item['id']!r}"
        return f"entry #{index + 1}"
    return f"entry {index!r}"


@functools.cache
def _validator(schema_name: str):
    return fastjsonschema.compile(SCHEMAS[schema_name])


def _schema_message(file: str, data: Any, exc: fastjsonschema.JsonSchemaValueException) -> str:
    """``file: entry 'id': field: problem`` from a schema violation."""
    parts = [int(p) if p.isdigit() else p for p in exc.path[1:]]  # drop the leading "data"
    if isinstance(data, dict) and len(parts) > 1 and parts[0] == "items":
        data, parts = data["items"], parts[1:]  # an assignment's entries are its items
    where = [file]
    if parts:
        where.append(_entry_label(data, parts[0]))
    if len(parts) > 1:
        where.append(".".join(map(str, parts[1:])))
    problem = exc.message.removeprefix(exc.name or "").strip()
    if exc.rule == "required":
        missing = [k for k in exc.rule_definition if k not in (exc.value or {})]
        problem = f"missing field {', '.join(map(repr, missing))}"
    elif exc.rule == "additionalProperties" and isinstance(exc.value, dict):
        allowed = exc.definition.get("properties", {})
        extra = [k for k in exc.value if k not in allowed]
        problem = f"unknown field {', '.join(map(repr, extra))} (allowed: {', '.join(allowed)})"
    return f"{': '.join(where)}: {problem}"


def load_yaml(path: Path | str, schema_name: str | None = None) -> Any:
    """Read a YAML content file and validate it against ``SCHEMAS[schema_name]``.

    ``schema_name`` defaults to the file's own name.
    """
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"{name}: file not found at {path}") from None
    except UnicodeDecodeError:
        raise DataError(f"{name}: not UTF-8 text") from None
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DataError(f"{name}: {where}not valid YAML ({problem})") from None
    try:
        _validator(schema_name or name)(data)
    except fastjsonschema.JsonSchemaValueException as exc:
        raise DataError(_schema_message(name, data, exc)) from None
    return data


def _index(file: str, entries: list[dict], cls: type) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for entry in entries:
        if entry["id"] in out:
            raise DataError(f"{file}: entry {entry['id']!r}: id: duplicate id")
        fields = {k: tuple(v) if isinstance(v, list) else v for k, v in entry.items()}
        out[entry["id"]] = cls(**fields)
    return out


def _check_refs(file: str, entry_id: str, field: str, refs, known, what: str) -> None:
    for ref in refs:
        if ref not in known:
            raise DataError(f"{file}: entry {entry_id!r}: {field}: unknown {what} {ref!r}")


@functools.lru_cache(maxsize=4)
def load_knowledge(data_dir: Path | str = DATA_DIR) -> KnowledgeBase:
    """Load and cross-check articles, principles and tags (cached per folder)."""
    data_dir = Path(data_dir)
    articles = _index("articles.yaml", load_yaml(data_dir / "articles.yaml"), Article)
    principles = _index("principles.yaml", load_yaml(data_dir / "principles.yaml"), Principle)
    tags = _index("tags.yaml", load_yaml(data_dir / "tags.yaml"), Tag)
    for p in principles.values():
        _check_refs("principles.yaml", p.id, "article", [p.article], articles, "article")
    for t in tags.values():
        _check_refs("tags.yaml", t.id, "principles", t.principles, principles, "principle")
    return KnowledgeBase(articles=articles, principles=principles, tags=tags)


@functools.lru_cache(maxsize=4)
def _load_posts(path: Path, tag_ids: tuple[str, ...]) -> tuple[Post, ...]:
    posts = _index(path.name, load_yaml(path, "posts.yaml"), Post)
    for post in posts.values():
        _check_refs(path.name, post.id, "tags", post.tags, tag_ids, "tag")
    return tuple(posts.values())


def load_posts(path: Path | str | None = None) -> list[Post]:
    """Load a labelled post file (default: the course's post bank)."""
    path = Path(path) if path is not None else DATA_DIR / "posts.yaml"
    return list(_load_posts(path.resolve(), load_knowledge().tag_ids))


def load_labelled_posts(path: Path | str) -> list[Post]:
    """Load a set of real labelled posts (``tests/data/realworld/*.yaml``: platform may be
    ``null``; genre, source and the annotators' ruling are recorded)."""
    path = Path(path)
    tag_ids = load_knowledge().tag_ids
    posts, seen = [], set()
    for raw in load_yaml(path, "labelled_posts.yaml"):
        if raw["id"] in seen:
            raise DataError(f"{path.name}: entry {raw['id']!r}: id: duplicate id")
        seen.add(raw["id"])
        _check_refs(path.name, raw["id"], "tags", raw["tags"], tag_ids, "tag")
        posts.append(Post(id=raw["id"], platform=raw["platform"], text=raw["text"],
                          tags=dict(raw["tags"]), author=raw.get("author", ""),
                          genre=raw.get("genre", "")))
    return posts


def find_post(post_id: str) -> Post:
    """The bank post with this id; an unknown id names the closest ones."""
    posts = {p.id: p for p in load_posts()}
    if post_id not in posts:
        raise UnknownIdError("post", post_id, posts)
    return posts[post_id]
