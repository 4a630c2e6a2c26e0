"""Grading speed: plain nbgrader against ``python -m course grade run``, same class.

Builds a course in a temporary folder, simulates a class that submitted one assignment,
and copies the course. In this one process it then grades one copy the way plain nbgrader
does (its ``Autograde`` and ``GenerateFeedback`` converters, what ``nbgrader autograde``
and ``nbgrader generate_feedback`` run: one submission after another, no sandbox) and the
others with :func:`course.grade.pipeline.grade_run` (worker processes, each kernel sandboxed).
It checks that every run gave every student the same score, and prints seconds per
submission, their ratio, and the floor: a bare kernel start (start, ready, stop), measured
before and after each grade run, since this kind of machine drifts in speed.

    .venv/bin/python bench/autograde.py [--students 40] [--workers N] [--repeat 3]
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

from course.grade.folder import CourseFolder, generate_assignment, init_course
from course.grade.pipeline import grade_run
from course.grade.simulate import simulate_class

#: The repository's sample assessments.
SAMPLES = Path(__file__).resolve().parent.parent / "grading" / "assignments"


def build_class(folder: Path, assignment: str, students: int) -> Path:
    course = init_course(folder=folder, assignments=SAMPLES)
    generate_assignment(course_dir=course, assignment=assignment)
    simulate_class(course_dir=course, assignment_id=assignment, students=students, seed=1)
    return course


def plain_nbgrader(course: Path, assignment: str) -> float:
    config = CourseFolder.open(course).config
    # nbgrader's own kernel manager: the course's config names the sandbox's
    config.ExecuteGuarded.kernel_manager_class = "jupyter_client.manager.AsyncKernelManager"
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


def copy_course(plain: Path, target: Path) -> Path:
    shutil.copytree(plain, target)
    (target / "nbgrader_config.py").write_text(
        (plain / "nbgrader_config.py").read_text().replace(str(plain), str(target)))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--assignment", default="wants")
    parser.add_argument("--repeat", type=int, default=3,
                        help="grade runs, each between two floor measurements (this "
                             "machine's speed drifts; the median is reported)")
    args = parser.parse_args()
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    n, cores = args.students, os.cpu_count()
    with tempfile.TemporaryDirectory(prefix="bench-autograde-") as tmp:
        plain = build_class(Path(tmp) / "plain", args.assignment, n)
        courses = [copy_course(plain, Path(tmp) / f"ours{i}") for i in range(args.repeat)]
        plain_seconds = plain_nbgrader(plain, args.assignment)
        floors, runs = [kernel_floor()], []
        for course in courses:
            runs.append(grade_run(course_dir=course, assignment=args.assignment,
                                  workers=args.workers, progress=False))
            floors.append(kernel_floor())
        expected = scores(plain, args.assignment)
        differ = [f"run {i + 1}: {s} {v} (plain {expected.get(s)})"
                  for i, course in enumerate(courses)
                  for s, v in sorted(scores(course, args.assignment).items())
                  if expected.get(s) != v]
    workers = runs[0].workers
    plain_each = plain_seconds / n
    ours_each = statistics.median(run.seconds for run in runs) / n
    # each run against the floor measured just before and just after it
    ratios = [run.seconds / n * min(workers, cores) / ((floors[i] + floors[i + 1]) / 2)
              for i, run in enumerate(runs)]
    print(f"{n} submissions of {args.assignment!r}, {cores} CPUs, {workers} workers, "
          f"sandboxed={runs[0].sandboxed}, {len(runs)} grade runs")
    print(f"plain nbgrader autograde + feedback: {plain_seconds:6.1f} s  "
          f"{plain_each:.3f} s/submission")
    print(f"course grade run (median):           {ours_each * n:6.1f} s  "
          f"{ours_each:.3f} s/submission  ({plain_each / ours_each:.2f}x faster)")
    print(f"bare kernel start+stop (floor):      {statistics.median(floors):.3f} s  "
          f"(from {min(floors):.3f} to {max(floors):.3f})")
    print(f"grade run per submission per core:   {ours_each * min(workers, cores):.3f} s  "
          f"({statistics.median(ratios):.2f}x the floor; runs: "
          f"{', '.join(f'{r:.2f}x' for r in ratios)})")
    print(f"same scores for every student: {'yes' if not differ else 'NO: ' + '; '.join(differ)}")


if __name__ == "__main__":
    main()
