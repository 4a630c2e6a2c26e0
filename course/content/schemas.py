"""JSON Schemas for the content files in ``course/data/`` (see its README)."""

from __future__ import annotations

from .platforms import PLATFORMS

__all__ = ["SCHEMAS"]

_ID = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
_TEXT = {"type": "string", "minLength": 1}
_TEXT_LIST = {"type": "array", "items": _TEXT, "minItems": 1}
_PLATFORM = {"enum": list(PLATFORMS)}


def _list_of(item: dict) -> dict:
    return {"type": "array", "items": item, "minItems": 1}


def _entry(required: dict, optional: dict | None = None) -> dict:
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
        "additionalProperties": False,
    }


ARTICLE = _entry({"id": _ID, "title": _TEXT, "about": _TEXT}, {"file": _TEXT})

PRINCIPLE = _entry(
    {
        "id": _ID,
        "name": _TEXT,
        "article": _ID,
        "kind": {"enum": ["principle", "concept", "mistake", "insight"]},
        "summary": _TEXT,
        "teaching_notes": _TEXT,
        "do": _TEXT_LIST,
        "dont": _TEXT_LIST,
    }
)

TAG = _entry(
    {
        "id": _ID,
        "kind": {"enum": ["problem", "strength"]},
        "name": _TEXT,
        "definition": _TEXT,
        "explanation": _TEXT,
        "fix": _TEXT,
        "principles": {"type": "array", "items": _ID, "minItems": 1},
    }
)

POST = _entry(
    {
        "id": _ID,
        "platform": _PLATFORM,
        "text": _TEXT,
        "tags": {"type": "object", "additionalProperties": _TEXT},
    },
    {"author": _TEXT},
)

LEXICON_RULE = _entry(
    {"pattern": _TEXT, "weight": {"type": "number"}, "says": _TEXT},
    {"note": _TEXT, "repeat": {"type": "number", "minimum": 0, "maximum": 1}},
)
LEXICON = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": LEXICON_RULE},
}

EXERCISE = _entry(
    {
        "id": _ID,
        "kind": _ID,  # checked against the exercise kinds when an item is built
        "prompt": _TEXT,
        "principles": {"type": "array", "items": _ID, "minItems": 1},
    },
    {
        "lesson": _ID,
        "points": {"type": "number", "exclusiveMinimum": 0},
        "options": {"type": "array", "minItems": 1, "items": {"anyOf": [
            _TEXT, _entry({"id": _ID, "text": _TEXT}, {})]}},
        "key": {},
        "tolerance": {"type": "number", "minimum": 0},
        "post": {"anyOf": [_ID, {"$ref": "#/definitions/inline_post"}]},
        "hints": _TEXT_LIST,
        "explanation": _TEXT,
        "rubric": _TEXT_LIST,
    },
)
INLINE_POST = _entry(
    {
        "platform": _PLATFORM,
        "text": _TEXT,
    },
    {"author": _TEXT, "tags": {"type": "object", "additionalProperties": _TEXT}},
)
CODE_TASK = _entry(
    {
        "id": _ID,
        "kind": {"const": "code"},
        "prompt": _TEXT,
        "points": {"type": "number", "exclusiveMinimum": 0},
        "solution": _TEXT,
        "tests": _TEXT,
        "principles": {"type": "array", "items": _ID, "minItems": 1},
    },
    {"starter": {"type": "string"}, "setup": _TEXT, "hidden_tests": _TEXT},
)
ASSIGNMENT = {
    **_entry(
        {
            "id": _ID,
            "title": _TEXT,
            "intro": _TEXT,
            "items": {"type": "array", "minItems": 1, "items": {
                "anyOf": [{"$ref": "#/definitions/code"}, {"$ref": "#/definitions/item"}]}},
        },
        {"lesson": _ID},
    ),
    "definitions": {"code": CODE_TASK, "item": {}, "inline_post": INLINE_POST},
}

LESSON = _entry(
    {"id": _ID, "title": _TEXT, "notebook": _TEXT, "summary": _TEXT},
    {"article": _ID},
)

ASSIGNMENT["definitions"]["item"] = EXERCISE

#: file name -> schema of the whole file
SCHEMAS: dict[str, dict] = {
    "articles.yaml": _list_of(ARTICLE),
    "principles.yaml": _list_of(PRINCIPLE),
    "tags.yaml": _list_of(TAG),
    "posts.yaml": _list_of(POST),
    "lexicon.yaml": LEXICON,
    "exercises.yaml": {**_list_of(EXERCISE), "definitions": {"inline_post": INLINE_POST}},
    "assignment.yaml": ASSIGNMENT,
    "lessons.yaml": _list_of(LESSON),
}
