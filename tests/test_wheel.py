"""The package as students and business staff install it: the student bundle (a wheel,
the lessons, an install script), installed (not editable) in a fresh environment by its
own script, run from a folder that is not the repository; every file of the bundle and of
every released assignment holds no assessment key; and the README's table of what a
student can see matches those files."""

import io
import json
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml
from nbgrader.tests import run_nbgrader

from course.grade.assignments import load_assignments, spec_of_cell
from course.grade.folder import init_course
from course.grade.variants import SECRET_FILE

from conftest import ROOT, SAMPLES, run_course

#: Marks of an nbgrader source notebook or a key file: no data file may hold them (the
#: code that writes them may name them).
KEY_MARKERS = ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS", "hidden_tests:")


def key_material() -> list[str]:
    """Texts only the keys hold: graded posts with their labels, code solutions, hidden
    tests and rubrics, from every sample assessment."""
    found = []
    for path in sorted(SAMPLES.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]:
            posts = [item.get("post"), *(v["post"] for v in item.get("variants", ()))]
            for post in posts:
                if isinstance(post, dict):
                    found += [why for why in (post.get("tags") or {}).values()]
            found += [item[k].strip() for k in ("solution", "hidden_tests") if item.get(k)]
            found += list(item.get("rubric", ()))
    return [text for text in found if len(text) > 20]


def bundle_files(folder: Path, archive: Path) -> dict[str, str]:
    """Every file a student receives in the bundle, by path, as text: the folder, the
    archive's members, and every member of every wheel in either."""
    files = {}

    def add(name: str, data: bytes) -> None:
        files[name] = data.decode("utf-8", "replace")
        if name.endswith(".whl"):
            with zipfile.ZipFile(io.BytesIO(data)) as wheel:
                for member in wheel.namelist():
                    add(f"{name}!{member}", wheel.read(member))

    for path in sorted(folder.rglob("*")):
        if path.is_file():
            add(f"folder/{path.relative_to(folder)}", path.read_bytes())
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if member.isfile():
                add(f"archive/{member.name}", tar.extractfile(member).read())
    return files


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> tuple[Path, Path]:
    """The student bundle, built by the real command (`make student-bundle` runs it)."""
    out = tmp_path_factory.mktemp("dist")
    built = run_course("bundle", "--out", str(out))
    assert built.returncode == 0, built.stderr
    assert "student-bundle" in built.stdout
    return out / "student-bundle", out / "student-bundle.tar.gz"


@pytest.fixture(scope="module")
def wheel(bundle) -> Path:
    (built,) = bundle[0].glob("course-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(bundle, tmp_path_factory) -> Path:
    """A fresh virtual environment set up by the bundle's own install.sh, as a class
    server's image build runs it; the dependencies are found in this environment's
    site-packages (and pip may not look anywhere else), so nothing is downloaded."""
    base = tmp_path_factory.mktemp("venv")
    venv = base / "env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True)
    Path(site.stdout.strip(), "dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n")
    env = {**os.environ, "PYTHON": str(python), "PIP_NO_INDEX": "1",
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    done = subprocess.run(["sh", str(bundle[0] / "install.sh"), str(base / "lessons")],
                          cwd=base, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    lessons = sorted(p.name for p in (base / "lessons").glob("*.ipynb"))
    assert lessons == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    return python


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """A course folder with every sample assignment generated for a roster of three."""
    course = init_course(folder=tmp_path_factory.mktemp("released") / "course",
                         assignments=SAMPLES)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(course)
        for student in ("amy", "ben", "cai"):
            run_nbgrader(["db", "student", "add", student])
        for assignment in load_assignments(SAMPLES):
            run_nbgrader(["generate_assignment", assignment, "--force"])
    return course


def released_files(course: Path) -> dict[str, str]:
    return {f"release/{p.relative_to(course / 'release')}": p.read_text("utf-8", "replace")
            for p in sorted((course / "release").rglob("*")) if p.is_file()}


def test_the_student_bundle_and_every_released_notebook_hold_no_key(bundle, released):
    secrets = key_material()
    assert len(secrets) > 20, "the scan must have something to look for"
    files = bundle_files(*bundle)
    assert any(n.endswith(".whl") for n in files) and any("notebooks/" in n for n in files)
    assert any(n.startswith("archive/") and n.endswith(".whl") for n in files)
    assert not [n for n in files if re.match(r"(folder/|archive/[^/]+/|[^!]+!)(keys|grading|"
                                             r"exercises|source|release)/", n)]
    releases = released_files(released)
    assert len([n for n in releases if n.endswith(".ipynb")]) == len(load_assignments(SAMPLES))
    secret = (released / "keys" / SECRET_FILE).read_text().strip()
    for name, text in {**files, **releases}.items():
        leaked = [s[:60] for s in secrets if s in text] + ([secret] if secret in text else [])
        if not name.endswith(".py"):
            leaked += [m for m in KEY_MARKERS if m in text]
        assert not leaked, f"key material in {name}: {leaked}"


def test_bundle_refuses_a_folder_that_is_not_the_repository(tmp_path):
    refused = run_course("bundle", "--out", str(tmp_path / "out"), "--repository",
                         str(tmp_path))
    assert refused.returncode == 2 and "not the course repository" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and not (tmp_path / "out").exists()
    inside = run_course("bundle", "--out", str(ROOT / "course" / "dist"))
    assert inside.returncode == 2 and "inside the course's own sources" in inside.stderr
    assert not (ROOT / "course" / "dist").exists()


# --- the README's table of what a student can see ------------------------------------------

def readme_table() -> dict[str, list[str]]:
    """The rows of the README's table: what -> [self-learner, student, instructor]."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## What a student can see"):]
    table = section[section.index("| what |"):].split("\n\n")[0].splitlines()[2:]
    rows = [line.strip().strip("|").split("|") for line in table]
    return {r[0].strip(): [c.strip() for c in r[1:]] for r in rows}


def student_has(files: dict[str, str], course: Path) -> dict[str, bool]:
    """Each row of the table: whether a student in a class has it in hand, judged from
    the files they receive (the bundle and every released assignment)."""
    text = "\n".join(files.values())
    data = "\n".join(t for n, t in files.items() if not n.endswith(".py"))
    keys = load_assignments(SAMPLES)
    specs = [spec for name, nb in files.items() if name.startswith("release/")
             and name.endswith(".ipynb")
             for spec in (spec_of_cell("".join(c["source"]))
                          for c in json.loads(nb)["cells"]) if spec]
    varied = [s for s in specs if "variants" in s]
    every_post = [v.the_post.text for a in keys.values() for vs in a.variants.values()
                  for v in vs.values()]
    lessons = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    return {
        "the lessons and their self-check exercises, with hints and solutions":
            lessons <= {Path(n).name for n in files if "/notebooks/" in n}
            and any(n.endswith("course/data/exercises/wants.yaml") for n in files),
        "the critic, on any post (open book)":
            any(n.endswith("course/critic/critic.py") for n in files)
            and any(n.endswith("course/data/lexicon.yaml") for n in files),
        "the sample assessments and their keys":
            any(re.search(r"(grading|keys)/[^/]+\.yaml$", n) for n in files)
            or any(s in text for s in key_material()),
        "the hidden tests and solutions of graded code tasks":
            any(m in data for m in KEY_MARKERS[:2])
            or any(t["solution"].strip() in text for a in keys.values() for t in a.code_tasks),
        "their assignment's questions, and their own version of each post":
            {(s["id"], s["prompt"][:40]) for s in specs}
            == {(i.id, i.prompt[:40]) for a in keys.values() for i in a.items.values()}
            and all("post" in s or "variants" in s for s in specs if s["kind"] == "critique"),
        "the other versions of a post with versions (the posts, never their keys)":
            bool(every_post) and set(every_post) <= {v["post"]["text"] for s in varied
                                                      for v in s["variants"]},
        "which version each student on the roster gets (by a digest of their id)":
            bool(varied) and all(len(s["choose"]) == 3 for s in varied),
        "the answer keys of their assignments":
            any(s in text for s in key_material()),
        "the course secret that decides each student's version":
            (course / "keys" / SECRET_FILE).read_text().strip() in text,
    }


def test_the_readme_table_of_what_a_student_can_see_matches_their_files(bundle, released):
    table = readme_table()
    has = student_has({**bundle_files(*bundle), **released_files(released)}, released)
    assert set(table) == set(has), "every row of the table is checked, and only those"
    for row, (_, student, _) in table.items():
        said = student.split()[0].lower()
        assert said in ("yes", "no"), f"{row!r}: say yes or no for the student"
        assert (said == "yes") == has[row], f"README says {student!r} for {row!r}"


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
