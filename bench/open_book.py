"""What a student earns by copying the critic: on each critique item (each variant), tick
exactly the tags the critic gives the post; every other item gets nothing from it.

    .venv/bin/python bench/open_book.py [--assignments DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from course.grade.assignments import load_assignments
from course.grade.pool import copy_critic_credit

SAMPLES = Path(__file__).parent.parent / "grading" / "assignments"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignments", default=str(SAMPLES), metavar="DIR",
                        help="a folder of assignment files (default: the samples)")
    args = parser.parse_args()
    print("| assignment | points | critique items | copying the critic earns | share |")
    print("| --- | --- | --- | --- | --- |")
    total = earned = critique_points = 0.0
    for assignment in load_assignments(args.assignments).values():
        credit = copy_critic_credit(assignment)
        points = assignment.points()
        on_items = sum(assignment.items[i].points for i in credit)
        details = ", ".join(f"{i} {c:g}/{assignment.items[i].points:g}"
                            for i, c in credit.items())
        print(f"| {assignment.id} | {points:g} | {details} | {sum(credit.values()):g} | "
              f"{100 * sum(credit.values()) / points:.0f}% |")
        total, earned, critique_points = (total + points, earned + sum(credit.values()),
                                          critique_points + on_items)
    print(f"\nAll assignments: copying the critic earns {earned:g} of {total:g} points "
          f"({100 * earned / total:.0f}%), {earned:g} of the {critique_points:g} points of "
          f"critique items ({100 * earned / critique_points:.0f}%).")


if __name__ == "__main__":
    main()
