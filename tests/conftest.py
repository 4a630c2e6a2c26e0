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
