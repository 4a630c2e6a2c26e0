"""The whole life cycle of a graded assignment with the real nbgrader, for a simulated class:
generate, release, fetch, submit, collect, autograde, feedback, export."""

import csv
import json
import re
import shutil
import stat

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.tests import run_nbgrader

from course.exercises.answers import ANSWER_MIME, save_answer
from course.grade.assignments import build_source_notebook, load_assignments
from course.grade.folder import init_course

from conftest import ROOT, SAMPLES, SOURCES

ASSIGNMENT = "wants"
KEY = load_assignments(SAMPLES)[ASSIGNMENT]
GOOD_CODE = 'median_by_category = posts.groupby("category_name")["interactions"].median()'
RIGHT = {
    "wants-g1": ["hard-sell", "spam", "pressure"],
    "wants-g2": ["invites-conversation", "community"],
    "wants-g3": KEY.items["wants-g3"].key,
    "wants-g4": list(KEY.items["wants-g4"].key),
    "wants-g6": "What's one small habit you want to build this year? Tell us, and come and "
                "try a class with us for free whenever suits you.",
}
AUTO_POINTS = 8.0  # everything but the hand-graded rewrite


def save_all(folder, answers):
    for item_id, answer in answers.items():
        save_answer(folder, item_id, answer)


def notebook(folder):
    return nbformat.read(folder / f"{ASSIGNMENT}.ipynb", as_version=4)


def write(folder, nb):
    nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")


def cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def answer_code(nb, code):
    setup = "from course.lessons import load_facebook_metrics\nposts = load_facebook_metrics()"
    cell(nb, "wants-g5-answer").source = f"{setup}\n{code}"


# --- what each simulated student does in their fetched folder ----------------------------

def all_correct(folder):
    save_all(folder, RIGHT)
    nb = notebook(folder)
    answer_code(nb, GOOD_CODE)
    write(folder, nb)


def partly_correct(folder):
    save_all(folder, {"wants-g1": ["hard-sell"], "wants-g2": ["invites-conversation", "caring"],
                      "wants-g3": KEY.items["wants-g3"].options[0],
                      "wants-g4": [KEY.items["wants-g4"].key[0]]})
    nb = notebook(folder)
    answer_code(nb, 'median_by_category = posts.groupby("category_name")["interactions"].mean()')
    write(folder, nb)


def empty(folder):
    pass


def ipynb_only(folder):
    """Answers only mirrored in the notebook (no answers/ folder), as a saved widget does."""
    nb = notebook(folder)
    for item_id, answer in RIGHT.items():
        cell(nb, item_id).outputs = [nbformat.v4.new_output(
            "display_data", data={ANSWER_MIME: {"item": item_id, "answer": answer, "saved": 1.0},
                                  "text/markdown": "saved"})]
    answer_code(nb, GOOD_CODE)
    write(folder, nb)


def edits_locked_cells(folder):
    save_all(folder, RIGHT)
    nb = notebook(folder)
    answer_code(nb, GOOD_CODE)
    cell(nb, "wants-g1").source = "print('full marks please')"
    cell(nb, "wants-g5").source = "pass  # tests removed"
    write(folder, nb)


def deletes_graded_cells(folder):
    save_all(folder, RIGHT)
    nb = notebook(folder)
    answer_code(nb, GOOD_CODE)
    nb.cells = [c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") not in ("wants-g1", "wants-g5")]
    write(folder, nb)


def cheats(folder):
    """One right answer; a wrong code answer propped up by shadowing len and abs; a cell
    that patches the checker, prints a fake score and reads the keys and the source."""
    save_all(folder, {"wants-g1": RIGHT["wants-g1"], "wants-g3": KEY.items["wants-g3"].options[0]})
    nb = notebook(folder)
    answer_code(nb, "median_by_category = [0, 0, 0]")
    nb.cells.insert(1, nbformat.v4.new_code_cell(
        "import glob\n"
        "len = lambda *a: 3\n"
        "abs = lambda *a: 0\n"
        "import course.exercises as ex\n"
        "ex.check = lambda item, answer: None\n"
        "for path in glob.glob('../../../keys/*') + glob.glob('../../../source/*/*.ipynb'):\n"
        "    print(open(path).read())\n"
        "print(11)"))
    write(folder, nb)


def breaks_the_kernel(folder):
    """Redefines builtins for the whole kernel, which can hang it; one answer saved."""
    save_all(folder, {"wants-g2": RIGHT["wants-g2"]})
    nb = notebook(folder)
    nb.cells.insert(1, nbformat.v4.new_code_cell(
        "import builtins\nbuiltins.max = lambda *a, **k: 10**6\nbuiltins.len = lambda *a: 3\n"
        "print('x' * 100)"))
    write(folder, nb)


STUDENTS = {
    "alice": (all_correct, AUTO_POINTS),
    # g1: (1 right - 0 wrong) / 3 keyed x 2 pts; g2: (1 - 1) / 2; g3 wrong; g4: 1/2 x 1 pt;
    # code: visible tests pass, hidden fail -> 0
    "bob": (partly_correct, round(2 / 3 + 0.5, 4)),
    "carol": (empty, 0.0),
    "dan": (ipynb_only, AUTO_POINTS),
    "erin": (edits_locked_cells, AUTO_POINTS),
    "frank": (deletes_graded_cells, AUTO_POINTS),
    "grace": (cheats, 2.0),  # only wants-g1 is right
    "heidi": (breaks_the_kernel, 2.0),  # only wants-g2 is right
}


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    course = init_course(folder=base / "course", assignments=SAMPLES)
    exchange, cache = base / "exchange", base / "cache"
    extra = (f"\nc.Exchange.root = r'{exchange}'\nc.Exchange.cache = r'{cache}'\n"
             "c.ExchangeCollect.check_owner = False\n")
    (course / "nbgrader_config.py").write_text(
        (course / "nbgrader_config.py").read_text() + extra)
    exchange.mkdir()
    cache.mkdir()
    flags = ["--Exchange.root", str(exchange), "--Exchange.cache", str(cache),
             "--course", "smm-course"]
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(course)
        run_nbgrader(["generate_assignment", ASSIGNMENT, "--force"])
        run_nbgrader(["release_assignment", ASSIGNMENT, *flags])
        for student, (act, _) in STUDENTS.items():
            home = base / "home" / student
            home.mkdir(parents=True)
            mp.chdir(home)
            run_nbgrader(["fetch_assignment", ASSIGNMENT, *flags])
            act(home / ASSIGNMENT)
            run_nbgrader(["submit", ASSIGNMENT, "--student", student, *flags])
        mp.chdir(course)
        run_nbgrader(["collect", ASSIGNMENT, *flags])
        run_nbgrader(["autograde", ASSIGNMENT, "--force"])
        run_nbgrader(["generate_feedback", ASSIGNMENT, "--force"])
        run_nbgrader(["export", "--to", str(base / "grades.csv")])
    return course, base


@pytest.mark.parametrize("student", list(STUDENTS))
def test_each_student_gets_the_exact_score(graded_class, student):
    course, _ = graded_class
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        submission = gb.find_submission(ASSIGNMENT, student)
        assert submission.score == pytest.approx(STUDENTS[student][1], abs=1e-3), student


def test_rewrites_wait_for_a_human_with_the_critics_view(graded_class):
    course, _ = graded_class
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        alice = gb.find_grade("wants-g6", ASSIGNMENT, ASSIGNMENT, "alice")
        assert alice.needs_manual_grade and alice.auto_score is None
        carol = gb.find_grade("wants-g6", ASSIGNMENT, ASSIGNMENT, "carol")
        assert carol.score == 0 and not carol.needs_manual_grade
    graded = nbformat.read(course / "autograded" / "alice" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                           as_version=4)
    review = cell(graded, "wants-g6").outputs[0]["data"]["text/markdown"]
    assert "one small habit" in review and "Rubric" in review and "critic" in review


def test_export_lists_every_student(graded_class):
    _, base = graded_class
    with open(base / "grades.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert set(rows) == set(STUDENTS)


def key_fragments():
    """Strings that only an answer key or a hidden test contains."""
    fragments = ["hidden_tests", "87) < 1e-9", "163) < 1e-9", GOOD_CODE, "rubric:"]
    for item in KEY.items.values():
        if item.post is not None:
            fragments += [why for why in item.post.tags.values() if len(why) > 20]
    return fragments


def test_nothing_a_student_receives_contains_a_key(graded_class):
    course, base = graded_class
    received = [*course.glob("release/**/*"), *course.glob("feedback/**/*"),
                *(base / "home").glob("**/*")]
    files = [p for p in received if p.is_file()]
    assert any(p.suffix == ".html" for p in files), "feedback was generated"
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for fragment in key_fragments():
            assert fragment not in text, f"{fragment!r} leaked into {path}"


def test_released_notebook_carries_only_public_item_data(graded_class):
    course, _ = graded_class
    nb = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    specs = [json.loads(re.search(r"graded_item\((.*)\)\s*$", c.source, re.S).group(1))
             for c in nb.cells if "graded_item({" in c.source]
    assert len(specs) == len(KEY.items)
    for spec in specs:
        assert set(spec) <= {"number", "id", "kind", "prompt", "points", "options", "post"}
        assert set(spec.get("post", {})) <= {"platform", "text", "author"}


def test_feedback_explains_items_without_the_cheaters_output(graded_class):
    course, _ = graded_class
    alice = (course / "feedback" / "alice" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "Correct" in alice and "Tests passed." in alice
    bob = (course / "feedback" / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "Partly correct" in bob and "Missed Spam" in bob and "Tests did not pass." in bob
    grace = (course / "feedback" / "grace" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "ex.check = lambda" in re.sub(r"<[^>]+>", "", grace), "the student's code is shown"
    assert "keys_dir" not in grace and "wants-g1" in grace


def test_source_notebooks_match_the_assignment_data():
    for assignment in load_assignments(SAMPLES).values():
        committed = nbformat.read(SOURCES / assignment.id / f"{assignment.id}.ipynb",
                                  as_version=4)
        assert committed == build_source_notebook(assignment), (
            f"exercises/{assignment.id} is stale: run `python -m course grade build`")


def test_every_source_assignment_validates_with_solutions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for assignment in load_assignments(SAMPLES).values():
        out = run_nbgrader(["validate", str(SOURCES / assignment.id /
                                            f"{assignment.id}.ipynb")], stdout=True)
        assert "Success! Your notebook passes all the tests." in out, out


def test_grade_init_refuses_the_repository_and_non_empty_folders(tmp_path):
    from course.errors import CourseError


    with pytest.raises(CourseError, match="inside the course repository"):
        init_course(folder=ROOT / "my-course", assignments=SAMPLES)
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "file").write_text("keep me")
    with pytest.raises(CourseError, match="not empty"):
        init_course(folder=tmp_path / "x", assignments=SAMPLES)
    assert (tmp_path / "x" / "file").read_text() == "keep me"


def test_every_released_assignment_scores_zero_untouched(tmp_path, monkeypatch):
    """Widget items with no saved answer score 0, and every code task's test fails."""
    from course.grade.scoring import score_notebook

    course = init_course(folder=tmp_path / "course", assignments=SAMPLES)
    monkeypatch.chdir(course)
    for assignment in load_assignments(SAMPLES).values():
        run_nbgrader(["generate_assignment", assignment.id, "--force"])
        released = course / "release" / assignment.id / f"{assignment.id}.ipynb"
        nb = nbformat.read(released, as_version=4)
        results = score_notebook(nb, assignment, answers={})
        assert {i for i, k in assignment.items.items() if k.kind != "rewrite"} == set(results)
        assert all(f.score == 0 for f in results.values()), assignment.id
        out = run_nbgrader(["validate", str(released)], stdout=True)
        assert "VALIDATION FAILED" in out, assignment.id


def test_grade_init_never_overwrites_what_the_instructor_edited(tmp_path, course_cli):
    course = init_course(folder=tmp_path / "course", assignments=SAMPLES)
    key, config = course / "keys" / "wants.yaml", course / "nbgrader_config.py"
    key.write_text(key.read_text() + "\n# my fix\n")
    config.write_text(config.read_text() + "\nc.ExecuteGuarded.timeout = 5\n")
    (course / "source" / "final").rename(course / "final-aside")  # an assignment gone
    again = course_cli("grade", "init", str(course), "--force")
    assert again.returncode == 0, again.stderr
    assert key.read_text().endswith("# my fix\n")
    assert config.read_text().endswith("c.ExecuteGuarded.timeout = 5\n")
    assert "Kept as they were (never overwritten): nbgrader_config.py" in again.stdout
    assert (course / "source" / "final" / "final.ipynb").is_file(), "what is missing is added"


def test_grade_init_on_a_file_gets_one_line(tmp_path, course_cli):
    (tmp_path / "notes.txt").write_text("keep me")
    for target in (tmp_path / "notes.txt", tmp_path / "notes.txt" / "course"):
        result = course_cli("grade", "init", str(target))
        assert result.returncode == 2
        assert result.stderr.startswith("course: error: ") and "is a file" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_grade_add_updates_one_assignment_in_a_live_course(tmp_path, course_cli):
    from course.grade.folder import CourseFolder

    course = init_course(folder=tmp_path / "course", assignments=SAMPLES)
    added = course_cli("grade", "add", str(course / "keys" / "wants.yaml"), "--course",
                       str(course), "--due", "2026-12-01 17:00")
    assert added.returncode == 0, added.stderr
    changed = tmp_path / "wants.yaml"
    changed.write_text((SAMPLES / "wants.yaml").read_text().replace(
        "Which tags does this post carry? Tick every one that applies.",
        "Which tags does this post carry? Tick all that apply.", 1))
    updated = course_cli("grade", "add", str(changed), "--course", str(course))
    assert updated.returncode == 0, updated.stderr
    assert CourseFolder.open(course).key("wants").items["wants-g1"].prompt.endswith(
        "Tick all that apply.")
    released = (course / "release" / "wants" / "wants.ipynb").read_text()
    assert "Tick all that apply." in released
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert f"{gb.find_assignment('wants').duedate:%Y-%m-%d %H:%M}" == "2026-12-01 17:00"
    assert stat.S_IMODE((course / "gradebook.db").stat().st_mode) == 0o600
    wrong = course_cli("grade", "add", str(changed), "--course", str(course), "--due", "soon")
    assert wrong.returncode == 2 and "is not a date and time" in wrong.stderr


def test_validate_fails_on_unanswered_widget_items_and_passes_when_answered(tmp_path,
                                                                            monkeypatch):
    course = init_course(folder=tmp_path / "course", assignments=SAMPLES)
    monkeypatch.chdir(course)
    run_nbgrader(["generate_assignment", ASSIGNMENT, "--force"])
    student = tmp_path / "student" / ASSIGNMENT
    shutil.copytree(course / "release" / ASSIGNMENT, student)
    nb = notebook(student)
    answer_code(nb, GOOD_CODE)
    write(student, nb)
    out = run_nbgrader(["validate", str(student / f"{ASSIGNMENT}.ipynb")], stdout=True)
    assert "Success" not in out and "Question 1 is not answered yet" in out
    save_all(student, RIGHT)
    out = run_nbgrader(["validate", str(student / f"{ASSIGNMENT}.ipynb")], stdout=True)
    assert "Success! Your notebook passes all the tests." in out, out
