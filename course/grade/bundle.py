"""``python -m course bundle`` (``make student-bundle``): what a class server installs.

A student never gets the repository: it holds the sample assessments with their keys.
The bundle is a folder (and the same as a ``.tar.gz``) with

- the course package as a wheel: lessons' helpers, the critic, exercises, widgets, and
  the code graded notebooks import; no assessment key, hidden test or solution (package
  data is content only);
- ``notebooks/``: the lesson notebooks, without outputs;
- ``requirements.txt``: the package's dependencies, for an image's ``pip install``;
- ``install.sh``: installs the wheel into the Python it is given and copies the lessons
  into a folder (a JupyterHub image runs it once at build time);
- ``README.txt``: what is inside and what never is.

Graded assignments reach students through nbgrader's exchange, from the instructor's
course folder, never through the bundle.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import CourseError, UsageError

__all__ = ["BUNDLE_NAME", "Bundle", "build_bundle"]

BUNDLE_NAME = "student-bundle"  #: the folder's name, and the archive's stem
#: What the wheel is built from: the package and the project files setuptools reads.
WHEEL_SOURCES = ("pyproject.toml", "README.md", "course")
#: Seconds ``pip wheel`` may take (it may fetch the build backend the first time).
WHEEL_TIMEOUT = 600

INSTALL_SH = """#!/bin/sh
# Install the social-media marketing course for students (for example while building a
# JupyterHub image):  sh install.sh [LESSONS_DIR]
#   PYTHON=/opt/conda/bin/python sh install.sh /etc/skel/course-lessons
# Installs the course package and its dependencies into $PYTHON (default python3) and
# copies the lesson notebooks to LESSONS_DIR (default ./course-lessons).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}
lessons=${1:-course-lessons}
"$python" -m pip install -r "$here/requirements.txt" "$here"/course-*.whl
mkdir -p "$lessons"
cp "$here"/notebooks/*.ipynb "$lessons"/
echo "Installed the course; lessons in $lessons (open 00_start.ipynb)."
"""

README_TXT = """The social-media marketing course, for students

Inside:
  course-*.whl       the course package (lessons' helpers, the critic, exercises, widgets)
  notebooks/         the lessons; open 00_start.ipynb first
  requirements.txt   what the package needs (pip install -r requirements.txt)
  install.sh         installs both:  sh install.sh [LESSONS_DIR]

Never inside: answer keys, hidden tests or solutions of graded work, the course secret.
Your instructor releases each assignment through nbgrader (Assignments tab:
fetch, answer, submit); answers are scored on the instructor's side.
"""


@dataclass(frozen=True)
class Bundle:
    folder: Path
    archive: Path
    wheel: Path


def build_bundle(*, repository: Path | str, out: Path | str) -> Bundle:
    """Build ``<out>/student-bundle/`` and ``<out>/student-bundle.tar.gz`` from the
    course repository at ``repository``. An earlier bundle there is replaced whole."""
    root = Path(repository).expanduser().resolve()
    missing = [name for name in (*WHEEL_SOURCES, "notebooks") if not (root / name).exists()]
    if missing:
        raise UsageError(f"{root} is not the course repository (no {', '.join(missing)}): "
                         "run this in the repository or pass --repository DIR")
    out_dir = Path(out).expanduser().resolve()
    inside = [root / name for name in ("course", "notebooks", "grading", "exercises")]
    if out_dir == root or any(d == out_dir or d in out_dir.parents for d in inside):
        raise UsageError(f"{out_dir} is inside the course's own sources: choose another "
                         "folder (dist/ is the usual one)")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bundle-", dir=out_dir) as work:
        staging = Path(work) / BUNDLE_NAME
        staging.mkdir()
        wheel = _build_wheel(root, Path(work), staging)
        (staging / "notebooks").mkdir()
        for notebook in sorted((root / "notebooks").glob("*.ipynb")):
            shutil.copy2(notebook, staging / "notebooks" / notebook.name)
        (staging / "requirements.txt").write_text(
            "\n".join(_dependencies(root / "pyproject.toml")) + "\n", encoding="utf-8")
        (staging / "install.sh").write_text(INSTALL_SH, encoding="utf-8")
        (staging / "install.sh").chmod(0o755)
        (staging / "README.txt").write_text(README_TXT, encoding="utf-8")
        archive_tmp = Path(work) / f"{BUNDLE_NAME}.tar.gz"
        with tarfile.open(archive_tmp, "w:gz") as archive:
            archive.add(staging, arcname=BUNDLE_NAME)
        folder, archive_path = out_dir / BUNDLE_NAME, out_dir / f"{BUNDLE_NAME}.tar.gz"
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
        archive_tmp.replace(archive_path)
    return Bundle(folder=folder, archive=archive_path, wheel=folder / wheel.name)


def _build_wheel(root: Path, work: Path, into: Path) -> Path:
    """``pip wheel`` on a copy of the package's sources (a build writes beside them)."""
    source = work / "source"
    source.mkdir()
    for name in WHEEL_SOURCES:
        if (root / name).is_dir():
            shutil.copytree(root / name, source / name, ignore=shutil.ignore_patterns(
                "__pycache__", "*.pyc", ".ipynb_checkpoints"))
        else:
            shutil.copy2(root / name, source / name)
    try:
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                        str(into), str(source)], check=True, capture_output=True, text=True,
                       timeout=WHEEL_TIMEOUT)
    except subprocess.CalledProcessError as exc:
        last = (exc.stderr or exc.stdout or "").strip().splitlines()
        raise CourseError(f"building the wheel failed: {last[-1] if last else exc}") from None
    (wheel,) = into.glob("course-*.whl")
    return wheel


def _dependencies(pyproject: Path) -> list[str]:
    """The ``[project] dependencies`` of ``pyproject.toml``."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        text = pyproject.read_text(encoding="utf-8")
        block = re.search(r"^dependencies = \[(.*?)^\]", text, re.S | re.M)
        return re.findall(r'"([^"]+)"', block.group(1)) if block else []
    with pyproject.open("rb") as handle:
        return list(tomllib.load(handle)["project"]["dependencies"])
