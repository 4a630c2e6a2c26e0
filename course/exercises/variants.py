"""Graded items with a version per student: the part a student's notebook runs.

A graded critique item may name interchangeable posts (its *variants*). Its released
public spec lists every variant's public part (id and post, never a key) and ``choose``:
for each student on the roster when the assignment was generated, the digest of (item id,
student id) mapped to the variant id the instructor's side chose for them
(:mod:`course.grade.variants` draws it from the student id and a course secret that is
never released, and derives it again when grading). The notebook looks its own student up
(:func:`pick_variant`); anyone not in the table (a self-learner, a student who joined
after the release) gets the first variant, a stable default.

The digest keeps the roster out of plain sight; it hides nothing from someone who already
knows a student's id, and needs not to: the table holds no key, and the grader never
trusts it.
"""

from __future__ import annotations

import getpass
import hashlib
import os
from typing import Any

__all__ = ["DIGEST_CHARS", "current_student", "pick_variant", "student_digest"]

#: Hex characters of SHA-256 kept per student: 64 bits, so no two students of any class
#: share a digest.
DIGEST_CHARS = 16


def student_digest(item_id: str, student: str) -> str:
    """The table key of ``student`` for ``item_id`` (a digest, not the id itself)."""
    return hashlib.sha256(f"{item_id}\0{student}".encode()).hexdigest()[:DIGEST_CHARS]


def current_student() -> str | None:
    """Who runs this notebook: the JupyterHub user (a hub's nbgrader student id), else
    the login name nbgrader's ``submit`` uses; ``None`` when neither is known."""
    user = os.environ.get("JUPYTERHUB_USER", "").strip()
    if user:
        return user
    try:
        return getpass.getuser() or None
    except (KeyError, OSError):  # no login name (a container with an unnamed uid)
        return None


def pick_variant(spec: dict[str, Any], student: str | None) -> dict[str, Any]:
    """The public spec of ``student``'s own version of a variant item: ``post`` is the
    chosen variant's and ``variant`` its id. A spec without variants comes back as is."""
    variants = spec.get("variants")
    if not variants:
        return spec
    chosen = None
    if student is not None:
        chosen = (spec.get("choose") or {}).get(student_digest(spec["id"], student))
    by_id = {v["id"]: v for v in variants}
    variant = by_id.get(chosen) or variants[0]
    mine = {k: v for k, v in spec.items() if k not in ("variants", "choose")}
    mine["post"] = variant["post"]
    mine["variant"] = variant["id"]
    return mine
