"""A version per student: who gets which variant, decided and checked on the instructor's
side only.

A critique item may list interchangeable posts (``variants``, see
:mod:`course.grade.assignments`). Student ``s`` gets variant number
``HMAC-SHA256(secret, "assignment/item/s") mod n``, where ``secret`` is the course secret
in the keys folder (:data:`SECRET_FILE`, written by ``grade init``, never released). So:

- **Release** (:func:`release_table`, run by the ``ReleaseVariants`` step inside
  ``nbgrader generate_assignment``): each variant item's cell carries every variant's
  public post and, for each student on the gradebook's roster, the digest of their id
  mapped to their variant id. nbgrader's exchange hands the same files to everyone;
  each notebook picks its own row (:func:`course.exercises.variants.pick_variant`), and
  the secret stays here. Each release is written to a ledger beside the keys
  (:func:`record_release`).
- **Grading** (:func:`for_submission`): the variant is derived again from the
  submission's student id and the secret; nothing the student sent decides it. An answer
  saved for another variant (an edited notebook or answer file) counts as unanswered. A
  student missing from some release's roster may have been shown the default variant,
  so for them an answer to the default also counts.
- **Self-study** (no table, or not on it): the first variant, a stable default.

Without a secret (a course folder made before variants existed) everyone gets the
default, on both sides.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import replace
from pathlib import Path

from ..errors import GradingError
from ..exercises.variants import student_digest
from ..files import write_atomically
from .assignments import Assignment

__all__ = [
    "RELEASES_SUFFIX",
    "SECRET_BYTES",
    "SECRET_FILE",
    "absent_from_a_release",
    "derive_variant",
    "for_student",
    "for_submission",
    "make_secret",
    "read_secret",
    "record_release",
    "release_table",
]

SECRET_FILE = "course-secret"  #: in the keys folder; hex text
SECRET_BYTES = 32  #: 256 random bits: as strong as HMAC-SHA256 itself
RELEASES_SUFFIX = ".releases.json"  #: ``<keys>/<assignment>.releases.json``: the ledger


def make_secret(keys_dir: Path | str) -> Path:
    """Write a new course secret into ``keys_dir`` (readable by its owner only) unless
    one is there; return its path. An existing secret is never replaced: students'
    variants depend on it."""
    path = Path(keys_dir) / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(SECRET_BYTES) + "\n")
    return path


def read_secret(keys_dir: Path | str) -> bytes | None:
    """The course secret, or ``None`` if the course has none (variants are then off)."""
    path = Path(keys_dir) / SECRET_FILE
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise GradingError(f"cannot read the course secret {path} ({exc})") from None
    if len(text) < 32:
        raise GradingError(f"the course secret {path} is too short: restore it from your "
                           "backup (a new one would change every student's variant)")
    return text.encode("ascii")


def derive_variant(secret: bytes, assignment: str, item_id: str, student: str,
                   variant_ids: list[str]) -> str:
    """The variant of ``item_id`` that ``student`` gets."""
    digest = hmac.new(secret, f"{assignment}/{item_id}/{student}".encode(),
                      hashlib.sha256).digest()
    return variant_ids[int.from_bytes(digest[:8], "big") % len(variant_ids)]


def release_table(assignment: Assignment, item_id: str, *, secret: bytes,
                  students: list[str]) -> dict[str, str]:
    """``{digest of (item, student): variant id}`` for ``students``: what a released
    cell carries so each student's notebook can show their own variant."""
    ids = list(assignment.variants[item_id])
    return {student_digest(item_id, s): derive_variant(secret, assignment.id, item_id, s, ids)
            for s in sorted(students)}


def _ledger(keys_dir: Path | str, assignment: str) -> Path:
    return Path(keys_dir) / f"{assignment}{RELEASES_SUFFIX}"


def _releases(keys_dir: Path | str, assignment: str) -> list[dict]:
    path = _ledger(keys_dir, assignment)
    try:
        releases = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise GradingError(f"cannot read the release ledger {path} ({exc}); it lists who "
                           "was on the roster at each release: restore it") from None
    return releases if isinstance(releases, list) else []


def record_release(keys_dir: Path | str, assignment: str, students: list[str]) -> None:
    """Add a release of ``assignment`` to the ledger with the roster it covered."""
    releases = _releases(keys_dir, assignment)
    releases.append({"released": time.strftime("%Y-%m-%d %H:%M:%S"),
                     "students": sorted(students)})
    write_atomically(_ledger(keys_dir, assignment),
                     lambda handle: json.dump(releases, handle, indent=1))


def absent_from_a_release(keys_dir: Path | str, assignment: str, student: str) -> bool:
    """Whether some release of ``assignment`` did not list ``student`` (their notebook may
    then show the default variant)."""
    return any(student not in r.get("students", ()) for r in _releases(keys_dir, assignment))


def for_student(assignment: Assignment, *, student: str | None, secret: bytes | None
                ) -> Assignment:
    """``assignment`` with each variant item replaced by ``student``'s own variant
    (the default without a student or a secret); ``chosen`` says which."""
    if not assignment.variants:
        return assignment
    items, chosen = dict(assignment.items), {}
    for item_id, versions in assignment.variants.items():
        ids = list(versions)
        variant = (derive_variant(secret, assignment.id, item_id, student, ids)
                   if secret is not None and student is not None else ids[0])
        items[item_id], chosen[item_id] = versions[variant], variant
    return replace(assignment, items=items, chosen=chosen)


def for_submission(assignment: Assignment, answers: dict[str, dict], *, student: str,
                   keys_dir: Path | str) -> tuple[Assignment, dict[str, dict]]:
    """The key ``student``'s submission is graded against, and the answers that count.

    Each variant item is the student's derived variant; a saved answer counts only if it
    was given to that variant (or, for a student some release left out, to the default).
    """
    if not assignment.variants:
        return assignment, answers
    secret = read_secret(keys_dir)
    mine = for_student(assignment, student=student, secret=secret)
    counted = dict(answers)
    absent = None
    for item_id, variant in mine.chosen.items():
        record = answers.get(item_id)
        if record is None:
            continue
        given = record.get("variant")
        default = next(iter(assignment.variants[item_id]))
        if given == variant or (secret is None and given in (None, default)):
            continue
        if given == default:
            if absent is None:
                absent = absent_from_a_release(keys_dir, assignment.id, student)
            if absent:
                mine = replace(mine, items={**mine.items,
                                            item_id: assignment.variants[item_id][default]},
                               chosen={**mine.chosen, item_id: default})
                continue
        del counted[item_id]  # given to another student's variant: unanswered
    return mine, counted
