"""Grading speed: plain nbgrader against ``python -m course grade run``, same class.

Builds a course in a temporary folder, simulates a class that submitted one assignment,
and copies the course. In this one process it then grades one copy the way plain nbgrader
does (its ``Autograde`` and ``GenerateFeedback`` converters, what ``nbgrader autograde``
and ``nbgrader generate_feedback`` run: one submission after another, no sandbox) and the
other with :func:`course.pipeline.grade_run` (worker processes, each kernel sandboxed).
It checks that both gave every student the same score, and prints seconds per submission,
their ratio, and the floor: a bare kernel start (start, ready, stop).

    .venv/bin/python bench/autograde.py [--students 40] [--workers N] [--assignment wants]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.converters import Autograde, GenerateFeedback
from nbgrader.coursedir import CourseDirectory

from course.grading import course_config, generate_assignment, init_course
from course.pipeline import grade_run
from course.simulate import simulate_class


def build_class(folder: Path, assignment: str, students: int) -> Path:
    course = init_course(folder=folder)
    generate_assignment(course_dir=course, assignment=assignment)
    simulate_class(course_dir=course, assignment_id=assignment, students=students, seed=1)
    return course


def plain_nbgrader(course: Path, assignment: str) -> float:
    config = course_config(course)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    started = time.perf_counter()
    for converter in (Autograde, GenerateFeedback):
        converter(coursedir=coursedir, config=config).start()
    return time.perf_counter() - started


def scores(course: Path, assignment: str) -> dict[str, float]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {s.student_id: round(s.score, 4)
                for s in gb.find_assignment(assignment).submissions}


async def _kernel_start_stop() -> float:
    from jupyter_client import AsyncKernelManager

    started = time.perf_counter()
    km = AsyncKernelManager()
    await km.start_kernel(stderr=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=60)
    kc.stop_channels()
    await km.shutdown_kernel(now=True)
    return time.perf_counter() - started


def kernel_floor(runs: int = 7) -> float:
    return statistics.median(asyncio.run(_kernel_start_stop()) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--assignment", default="wants")
    args = parser.parse_args()
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="bench-autograde-") as tmp:
        plain = build_class(Path(tmp) / "plain", args.assignment, args.students)
        ours = Path(tmp) / "ours"
        shutil.copytree(plain, ours)
        (ours / "nbgrader_config.py").write_text(
            (plain / "nbgrader_config.py").read_text().replace(str(plain), str(ours)))
        floor = kernel_floor()
        plain_seconds = plain_nbgrader(plain, args.assignment)
        summary = grade_run(course_dir=ours, assignment=args.assignment,
                            workers=args.workers, progress=False)
        agree = scores(plain, args.assignment) == scores(ours, args.assignment)
    n, cores = args.students, os.cpu_count()
    plain_each, ours_each = plain_seconds / n, summary.seconds / n
    per_core = ours_each * min(summary.workers, cores)
    print(f"{n} submissions of {args.assignment!r}, {cores} CPUs, "
          f"{summary.workers} workers, sandboxed={summary.sandboxed}")
    print(f"plain nbgrader autograde + feedback: {plain_seconds:6.1f} s  "
          f"{plain_each:.3f} s/submission")
    print(f"course grade run:                    {summary.seconds:6.1f} s  "
          f"{ours_each:.3f} s/submission  ({plain_seconds / summary.seconds:.2f}x faster)")
    print(f"bare kernel start+stop (floor):      {floor:.3f} s")
    print(f"grade run per submission per core:   {per_core:.3f} s  "
          f"({per_core / floor:.2f}x the floor)")
    print(f"same scores for every student: {'yes' if agree else 'NO'}")


if __name__ == "__main__":
    main()
