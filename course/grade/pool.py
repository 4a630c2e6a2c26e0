"""The instructor's private item pool: a folder of assignment files, kept outside the
course repository, that ``grade init --assignments POOL`` and ``grade pool`` read.

A pool is the same format as the repository's samples (``grading/assignments/``):
``<assignment id>.yaml`` files with posts, keys, questions and rubrics. Authoring an item
is adding an entry to one of them; :func:`check_pool` validates every file (one line per
problem: file, entry, field) and measures each assignment against the open-book critic
(:func:`copy_critic_credit`); :func:`update_course` puts a checked pool into an existing
course folder, keeping its config, secret and grades.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, UsageError
from ..exercises import TagCritique
from .assignments import Assignment, load_assignment, load_assignments
from .folder import CourseFolder, add_assignment, check_released_variants

__all__ = ["AssignmentSummary", "check_pool", "copy_critic_credit", "update_course"]


@dataclass(frozen=True)
class AssignmentSummary:
    """One assignment of a pool, as ``grade pool`` reports it."""

    id: str
    items: int  # widget items and code tasks
    variant_items: int  # items with a version per student
    points: float
    hand_points: float  # graded by a person (rewrites)
    copy_points: float  # what pasting each post into the critic earns (mean over variants)

    @property
    def copy_share(self) -> float:
        return self.copy_points / self.points if self.points else 0.0


def copy_critic_credit(assignment: Assignment) -> dict[str, float]:
    """Points a student earns on each critique item by ticking exactly the tags the
    critic gives its post (the mean over the item's variants): what the open-book critic
    hands over. Other kinds of item get nothing from the critic."""
    from ..critic import analyze

    credit = {}
    for item_id, item in assignment.items.items():
        if not isinstance(item, TagCritique):
            continue
        versions = list((assignment.variants.get(item_id) or {item_id: item}).values())
        scores = [v.check(sorted(analyze(v.the_post.text, v.the_post.platform).tags)).score
                  for v in versions]
        credit[item_id] = sum(scores) / len(scores)
    return credit


def _summary(assignment: Assignment) -> AssignmentSummary:
    return AssignmentSummary(
        id=assignment.id, items=len(assignment.items) + len(assignment.code_tasks),
        variant_items=len(assignment.variants), points=assignment.points(),
        hand_points=sum(i.points for i in assignment.items.values() if i.hand_graded),
        copy_points=round(sum(copy_critic_credit(assignment).values()), 4))


def check_pool(*, pool: Path | str) -> list[AssignmentSummary]:
    """Validate every assignment file in ``pool`` and summarise each assignment. Every file
    is read, so one :class:`~course.errors.DataError` names the first problem of each bad
    file (file, entry and field), a line each."""
    folder = _pool_dir(pool)
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        load_assignments(folder)  # says there are none, in its words
    summaries, problems = [], []
    for path in paths:
        try:
            summaries.append(_summary(load_assignment(path)))
        except DataError as error:
            problems.append(str(error))
    if problems:
        raise DataError("\n".join(problems))
    return summaries


def _pool_dir(pool: Path | str) -> Path:
    folder = Path(pool).expanduser().resolve()
    if not folder.is_dir():
        raise UsageError(f"no item pool at {folder}: give the folder of your assignment "
                         "files (the repository's samples are grading/assignments)")
    return folder


def update_course(*, pool: Path | str, course_dir: Path | str) -> list[str]:
    """Add or update every assignment of the pool in a live course, as ``grade add`` does
    for one (:func:`~course.grade.folder.add_assignment`: key, source, release, gradebook
    entry); return the assignment ids. The config, the course secret and grades already
    given stay. Refused, before anything is written, for a released assignment whose
    variants would change (students' notebooks already show theirs)."""
    folder = _pool_dir(pool)
    loaded = load_assignments(folder)
    course = CourseFolder.open(course_dir)
    for assignment in loaded.values():
        check_released_variants(course, assignment)
    for assignment in loaded.values():
        add_assignment(course_dir=course.root, file=folder / f"{assignment.id}.yaml")
    return list(loaded)
