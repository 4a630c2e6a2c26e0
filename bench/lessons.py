"""Time each lesson run top to bottom against an empty notebook (kernel start alone).

    .venv/bin/python bench/lessons.py [--repeat 3]

Both run in this process with nbclient and the same kernel; prints seconds (median of
the repeats) and each lesson's ratio to the empty notebook.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course.lessons import load_lessons

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def run(nb, folder: Path) -> float:
    start = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COURSE_PROGRESS_FILE"] = str(Path(tmp) / "progress.json")
        # A copy of the lessons: the capstone writes its tagged CSV beside itself.
        folder = Path(tmp) / "notebooks"
        shutil.copytree(NOTEBOOKS, folder)
        # One empty cell: kernel start and shutdown, nothing else.
        empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
        empty.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}
        base = statistics.median(run(nbformat.from_dict(empty), folder)
                                 for _ in range(args.repeat))
        print(f"{'empty notebook (kernel start)':34} {base:6.2f} s   1.00x")
        for lesson in load_lessons():
            path = NOTEBOOKS / lesson.notebook
            secs = statistics.median(
                run(nbformat.read(path, as_version=4), folder) for _ in range(args.repeat))
            print(f"{lesson.notebook:34} {secs:6.2f} s  {secs / base:5.2f}x")


if __name__ == "__main__":
    main()
