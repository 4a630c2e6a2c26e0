"""``make demo``: a whole grading job on a made-up class, start to finish.

Builds a course folder (a temporary one unless given), releases an assignment, simulates
a class with varied answers and a few broken submissions, grades it with ``grade run``
and writes the class report.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .folder import generate_assignment, init_course
from .pipeline import RunSummary, grade_run

__all__ = ["DemoResult", "run_demo"]

#: Broken submissions the demo class includes, to show how they are reported.
DEMO_FAULTS = ("corrupt-notebook", "infinite-loop", "kernel-crash")


@dataclass(frozen=True)
class DemoResult:
    course: Path
    summary: RunSummary
    report: Path


def run_demo(*, assignments: Path | str, folder: Path | str | None = None,
             students: int = 30, assignment: str = "wants", seed: int = 2026,
             say: Callable[[str], object] = print) -> DemoResult:
    """Build a course from the assignment files in ``assignments``, simulate a class,
    grade it and write the report; ``say`` reports each step as it starts."""
    from .report import write_class_report
    from .simulate import simulate_class

    folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="smm-course-demo-"))
    course = init_course(folder=folder, assignments=assignments, force=True)
    say(f"1/4 course folder: {course}")
    generate_assignment(course_dir=course, assignment=assignment)
    say(f"2/4 released {assignment!r}; simulating {students} students and "
        f"{len(DEMO_FAULTS)} broken submissions ({', '.join(DEMO_FAULTS)})")
    simulate_class(course_dir=course, assignment_id=assignment, students=students, seed=seed,
                   bad=DEMO_FAULTS)
    from .sandbox import sandbox_problem

    problem = sandbox_problem()
    if problem:  # the demo runs only code it wrote itself, so it may go without
        say(f"    no sandbox here ({problem}); the demo's own code is graded without one")
    say("3/4 grading in parallel workers (a cell may run 10 s at most)")
    summary = grade_run(course_dir=course, assignment=assignment, timeout=10,
                        unsafe=bool(problem))
    files = write_class_report(course_dir=course)
    say(f"4/4 class report: {files.html}")
    return DemoResult(course=course, summary=summary, report=files.html)
