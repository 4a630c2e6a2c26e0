"""The package as students and business staff install it: a wheel, installed (not
editable) in a fresh environment, run from a folder that is not the repository, and
holding no assessment key."""

import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SAMPLES

#: Marks of an nbgrader source notebook or a key file: no data file may hold them (the
#: code that writes them may name them).
KEY_MARKERS = ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS", "hidden_tests:")


def key_material() -> list[str]:
    """Texts only the keys hold: graded posts with their labels, code solutions, hidden
    tests and rubrics, from every sample assessment."""
    found = []
    for path in sorted(SAMPLES.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]:
            post = item.get("post")
            if isinstance(post, dict):
                found += [why for why in (post.get("tags") or {}).values()]
            found += [item[k].strip() for k in ("solution", "hidden_tests") if item.get(k)]
            found += list(item.get("rubric", ()))
    return [text for text in found if len(text) > 20]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the working tree (the build writes beside its source)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "*.egg-info", "__pycache__", ".pytest_cache", "tests"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                    str(base / "dist"), str(source)], check=True, capture_output=True,
                   timeout=600)
    (built,) = (base / "dist").glob("course-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel installed (not editable); it finds the
    dependencies in this environment's site-packages, so nothing is downloaded."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True)
    Path(site.stdout.strip(), "dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                    "--no-deps", "--no-index", "--quiet", str(wheel)], check=True,
                   capture_output=True, timeout=600)
    return python


def run(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {"PATH": f"{python.parent}:{Path(sys.executable).parent}:/usr/bin:/bin",
           "HOME": str(cwd), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([str(python), *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=600)


def test_the_wheel_holds_no_key_material(wheel):
    secrets = key_material()
    assert len(secrets) > 20, "the scan must have something to look for"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        text = "\n".join(archive.read(n).decode("utf-8", "replace") for n in names)
        data = "\n".join(archive.read(n).decode("utf-8", "replace") for n in names
                         if not n.endswith(".py"))
    assert not [n for n in names if re.match(r"(keys|grading|exercises|source|release)/", n)
                or "/keys/" in n]
    leaked = [s[:60] for s in secrets if s in text] + [m for m in KEY_MARKERS if m in data]
    assert not leaked, f"key material in the wheel: {leaked}"
    assert "course/templates/nbgrader_config.py" in names  # what grade init needs


def test_the_installed_package_works_outside_the_repository(installed, tmp_path):
    where = run(installed, "-c", "import course; print(course.__file__)", cwd=tmp_path)
    assert str(installed.parent.parent) in where.stdout, where.stdout + where.stderr

    critique = run(installed, "-m", "course", "critique", "--text",
                   "Flash sale!!! 40% off today only, use code SAVE40", cwd=tmp_path)
    assert critique.returncode == 0, critique.stderr
    assert "Hard sell" in critique.stdout and "Spam" in critique.stdout

    lesson = run(installed, "-c", "from course.lessons import show_post, exercise\n"
                 "print(show_post('p001').html[:20]); print(exercise('wants-q1').check(None)"
                 ".status)", cwd=tmp_path)
    assert lesson.returncode == 0 and "not attempted" in lesson.stdout, lesson.stderr

    no_keys = run(installed, "-m", "course", "grade", "init", str(tmp_path / "c1"),
                  cwd=tmp_path)
    assert no_keys.returncode == 2 and "--assignments" in no_keys.stderr
    assert len(no_keys.stderr.strip().splitlines()) == 1 and not (tmp_path / "c1").exists()

    init = run(installed, "-m", "course", "grade", "init", str(tmp_path / "c2"),
               "--assignments", str(SAMPLES), cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    course = tmp_path / "c2"
    assert (course / "nbgrader_config.py").is_file() and (course / "keys" / "wants.yaml").is_file()
    released = run(installed, "-c", "from course.grade.folder import generate_assignment\n"
                   f"generate_assignment(course_dir={str(course)!r}, assignment='wants')",
                   cwd=course)
    assert released.returncode == 0, released.stderr
    notebook = (course / "release" / "wants" / "wants.ipynb").read_text(encoding="utf-8")
    assert "from course.graded import graded_item" in notebook
