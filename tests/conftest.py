import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
#: The repository's sample assessments (keys included) and their nbgrader sources.
SAMPLES = ROOT / "grading" / "assignments"
SOURCES = ROOT / "exercises"

# nbgrader shells out to `alembic` (and notebooks to `jupyter`) from this environment.
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"


def run_course(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m course ARGS`` in a fresh interpreter, as a user would."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "course", *args],
        capture_output=True, text=True, cwd=cwd or ROOT, env=env, timeout=300,
    )


@pytest.fixture
def course_cli():
    return run_course


def save_as_widget(folder: Path, item_id: str, answer, student: str) -> None:
    """Save an answer as a graded widget does in ``folder`` (a student's copy of an
    assignment): with the version of the item that the student's notebook shows them."""
    import nbformat

    from course.exercises.answers import save_answer
    from course.exercises.variants import pick_variant
    from course.grade.assignments import spec_of_cell

    nb = nbformat.read(folder / f"{folder.name}.ipynb", as_version=4)
    spec = next((spec_of_cell(c.source) for c in nb.cells
                 if c.metadata.get("nbgrader", {}).get("grade_id") == item_id), None)
    variant = pick_variant(spec, student).get("variant") if spec else None
    save_answer(folder, item_id, answer, variant=variant)


def live_sandboxes(folder: Path, wait: float = 15.0) -> list[str]:
    """The command lines of bubblewrap sandboxes still running on a folder under
    ``folder``, after waiting up to ``wait`` seconds for them to end. Exited processes
    nobody has reaped yet (zombies) are not running and do not count."""
    import time

    marker = str(folder)
    deadline = time.monotonic() + wait
    while True:
        alive = []
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                args = (proc / "cmdline").read_bytes().split(b"\0")
                state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            words = [a.decode(errors="replace") for a in args if a]
            if (state != "Z" and words and Path(words[0]).name == "bwrap"
                    and any(marker in w for w in words)):
                alive.append(" ".join(words))
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.5)
