"""The whole life cycle of a graded assignment with the real nbgrader, for a simulated class:
generate, release, fetch, submit, collect, autograde, feedback, export; with a critique
item that gives each student one of three posts (variants)."""

import csv
import html
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
from course.grade.variants import SECRET_FILE, for_student

from conftest import ROOT, SAMPLES, SOURCES

ASSIGNMENT = "wants"
KEY = load_assignments(SAMPLES)[ASSIGNMENT]
VARIED = "wants-g1"  # the critique item with a version per student
#: A fixed course secret, so the class below meets every variant of the item.
SECRET = b"0123456789abcdef" * 4
GOOD_CODE = 'median_by_category = posts.groupby("category_name")["interactions"].median()'
REWRITE = ("What's one small habit you want to build this year? Tell us, and come and try a "
           "class with us for free whenever suits you.")
AUTO_POINTS = 8.0  # everything but the hand-graded rewrite


def own(student):
    """The student's own version of the assignment (their variant of each item)."""
    return for_student(KEY, student=student, secret=SECRET)


def right(student):
    """Every widget item answered right, for the student's own variant."""
    mine = own(student)
    answers = {i.id: i.right_answer() for i in mine.items.values() if i.kind != "rewrite"}
    return {**answers, "wants-g6": REWRITE}


def save_all(folder, answers, student):
    chosen = own(student).chosen
    for item_id, answer in answers.items():
        save_answer(folder, item_id, answer, variant=chosen.get(item_id))


def other_variant(student):
    """A variant of the varied item that is not the student's own."""
    return next(v for v in KEY.variants[VARIED] if v != own(student).chosen[VARIED])


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

def all_correct(folder, student):
    save_all(folder, right(student), student)
    nb = notebook(folder)
    answer_code(nb, GOOD_CODE)
    write(folder, nb)


def partly_correct(folder, student):
    save_all(folder, {"wants-g1": ["hard-sell"], "wants-g2": ["invites-conversation", "caring"],
                      "wants-g3": KEY.items["wants-g3"].options[0],
                      "wants-g4": [KEY.items["wants-g4"].key[0]]}, student)
    nb = notebook(folder)
    answer_code(nb, 'median_by_category = posts.groupby("category_name")["interactions"].mean()')
    write(folder, nb)


def empty(folder, student):
    pass


def ipynb_only(folder, student):
    """Answers only mirrored in the notebook (no answers/ folder), as a saved widget does."""
    nb = notebook(folder)
    chosen = own(student).chosen
    for item_id, answer in right(student).items():
        record = {"item": item_id, "answer": answer, "saved": 1.0}
        if item_id in chosen:
            record["variant"] = chosen[item_id]
        cell(nb, item_id).outputs = [nbformat.v4.new_output(
            "display_data", data={ANSWER_MIME: record, "text/markdown": "saved"})]
    answer_code(nb, GOOD_CODE)
    write(folder, nb)


def swaps_variant_in_answers(folder, student):
    """Everything right, but the varied item answered, in answers/, for another
    student's post (the answer file names that variant): it counts as unanswered."""
    all_correct(folder, student)
    other = other_variant(student)
    save_answer(folder, VARIED, KEY.variants[VARIED][other].right_answer(), variant=other)


def claims_own_variant_for_another_post(folder, student):
    """Everything right, then the answer file is edited to name the student's own variant
    while holding the ticks that fit another post: it is scored against their own key."""
    all_correct(folder, student)
    other = KEY.variants[VARIED][other_variant(student)]
    save_answer(folder, VARIED, ["hard-sell"], variant=own(student).chosen[VARIED])
    assert other.check(["hard-sell"]).score < other.points


def swaps_variant_in_notebook(folder, student):
    """Edits the locked cell so that it shows another variant, and answers that one: the
    notebook's mirror names the other variant (the answer file is deleted)."""
    all_correct(folder, student)
    (folder / "answers" / f"{VARIED}.json").unlink()
    nb = notebook(folder)
    other = other_variant(student)
    varied = cell(nb, VARIED)
    varied.source = varied.source.replace('"choose"', '"chose_not"')
    varied.outputs = [nbformat.v4.new_output("display_data", data={ANSWER_MIME: {
        "item": VARIED, "answer": KEY.variants[VARIED][other].right_answer(),
        "saved": 2e9, "variant": other}, "text/markdown": "saved"})]
    write(folder, nb)


def edits_locked_cells(folder, student):
    save_all(folder, right(student), student)
    nb = notebook(folder)
    answer_code(nb, GOOD_CODE)
    cell(nb, "wants-g1").source = "print('full marks please')"
    cell(nb, "wants-g5").source = "pass  # tests removed"
    write(folder, nb)


def deletes_graded_cells(folder, student):
    save_all(folder, right(student), student)
    nb = notebook(folder)
    answer_code(nb, GOOD_CODE)
    nb.cells = [c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") not in ("wants-g1", "wants-g5")]
    write(folder, nb)


def cheats(folder, student):
    """One right answer; a wrong code answer propped up by shadowing len and abs; a cell
    that patches the checker, prints a fake score and reads the keys and the source."""
    save_all(folder, {"wants-g1": right(student)["wants-g1"],
                      "wants-g3": KEY.items["wants-g3"].options[0]}, student)
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


def breaks_the_kernel(folder, student):
    """Redefines builtins for the whole kernel, which can hang it; one answer saved."""
    save_all(folder, {"wants-g2": right(student)["wants-g2"]}, student)
    nb = notebook(folder)
    nb.cells.insert(1, nbformat.v4.new_code_cell(
        "import builtins\nbuiltins.max = lambda *a, **k: 10**6\nbuiltins.len = lambda *a: 3\n"
        "print('x' * 100)"))
    write(folder, nb)


G1 = KEY.items[VARIED].points
STUDENTS = {
    "alice": (all_correct, AUTO_POINTS),
    # g1: (1 right - 0 wrong) / 3 keyed x 1 pt; g2: (1 - 1) / 2; g3 wrong; g4: 1/2 x 1 pt;
    # g7 unanswered; code: visible tests pass, hidden fail -> 0
    "bob": (partly_correct, round(1 / 3 + 0.5, 4)),
    "carol": (empty, 0.0),
    "dan": (ipynb_only, AUTO_POINTS),
    "erin": (edits_locked_cells, AUTO_POINTS),
    "frank": (deletes_graded_cells, AUTO_POINTS),
    "grace": (cheats, G1),  # only wants-g1 is right
    "heidi": (breaks_the_kernel, 1.0),  # only wants-g2 (1 point) is right
    "ivan": (swaps_variant_in_answers, AUTO_POINTS - G1),
    "judy": (swaps_variant_in_notebook, AUTO_POINTS - G1),
    "ken": (claims_own_variant_for_another_post, AUTO_POINTS - G1 + round(G1 / 3, 4)),
    # More students who answer everything right, so the class meets every variant.
    **{f"student-{n}": (all_correct, AUTO_POINTS) for n in range(1, 3)},
    # Joined after the release (not on its roster): sees and answers the default variant.
    "late": (all_correct, AUTO_POINTS),
}
LATE = {"late"}


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
    (course / "keys" / SECRET_FILE).write_text(SECRET.decode())
    flags = ["--Exchange.root", str(exchange), "--Exchange.cache", str(cache),
             "--course", "smm-course"]
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(course)
        for student in STUDENTS.keys() - LATE:  # the roster, before the release
            run_nbgrader(["db", "student", "add", student])
        run_nbgrader(["generate_assignment", ASSIGNMENT, "--force"])
        run_nbgrader(["release_assignment", ASSIGNMENT, *flags])
        for student, (act, _) in STUDENTS.items():
            home = base / "home" / student
            home.mkdir(parents=True)
            mp.chdir(home)
            run_nbgrader(["fetch_assignment", ASSIGNMENT, *flags])
            # A student the release left out sees the default, as self-study does.
            act(home / ASSIGNMENT, None if student in LATE else student)
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


def test_a_class_meets_every_variant_each_scored_against_its_own_key(graded_class):
    course, _ = graded_class
    right_ones = [s for s, (_, points) in STUDENTS.items()
                  if points == AUTO_POINTS and s not in LATE]
    seen = {own(s).chosen[VARIED] for s in right_ones}
    assert seen == set(KEY.variants[VARIED]) and len(seen) >= 3
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in right_ones:
            grade = gb.find_grade(VARIED, ASSIGNMENT, ASSIGNMENT, student)
            assert grade.score == G1, (student, own(student).chosen[VARIED])
        # Each right answer is right for one variant only: the keys differ.
        for student in ("ivan", "judy"):
            assert gb.find_grade(VARIED, ASSIGNMENT, ASSIGNMENT, student).score == 0
    posts = {i.the_post.text for i in KEY.variants[VARIED].values()}
    assert len(posts) == len(KEY.variants[VARIED]) >= 3


def test_a_student_left_out_of_the_release_is_graded_on_the_default_they_saw(graded_class):
    course, _ = graded_class
    default = next(iter(KEY.variants[VARIED]))
    assert own("late").chosen[VARIED] != default, "pick a late student whose variant differs"
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_grade(VARIED, ASSIGNMENT, ASSIGNMENT, "late").score == G1


def test_a_swapped_variant_scores_as_unanswered(graded_class):
    course, _ = graded_class
    for student in ("ivan", "judy"):
        graded = nbformat.read(course / "autograded" / student / ASSIGNMENT /
                               f"{ASSIGNMENT}.ipynb", as_version=4)
        verdict = cell(graded, VARIED).outputs[0]["data"]["text/markdown"]
        assert "not answered" in verdict.lower() or "not attempted" in verdict.lower(), verdict


def test_feedback_shows_the_students_own_variant(graded_class):
    course, _ = graded_class
    for student in ("alice", "dan", "erin", "student-1", "student-2", "late"):
        variant = "gym" if student in LATE else own(student).chosen[VARIED]
        page = (course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
        mine = KEY.variants[VARIED][variant].the_post.text
        start = page.index("Your version of the post")
        assert html.escape(mine, quote=False) in page[start:start + 2000], (student, variant)
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        others = [v.the_post.text for k, v in KEY.variants[VARIED].items() if k != variant]
        assert not [t for t in others if t[:30] in text], (student, "sees another version")
        assert '"choose"' not in text, "the table of who gets which stays in the release"


def test_export_lists_every_student(graded_class):
    _, base = graded_class
    with open(base / "grades.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert set(rows) == set(STUDENTS)


def key_fragments():
    """Strings that only an answer key, a hidden test or the course secret contains."""
    fragments = ["hidden_tests", "87) < 1e-9", "163) < 1e-9", GOOD_CODE, "rubric:",
                 SECRET.decode()]
    versions = [*KEY.items.values(), *(v for vs in KEY.variants.values() for v in vs.values())]
    for item in versions:
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
        assert set(spec) <= {"number", "id", "kind", "prompt", "points", "options", "post",
                             "variants", "choose"}
        posts = [spec.get("post", {}), *(v["post"] for v in spec.get("variants", ()))]
        assert all(set(post) <= {"platform", "text", "author"} for post in posts)
    (varied,) = [s for s in specs if "variants" in s]
    assert [v["id"] for v in varied["variants"]] == list(KEY.variants[VARIED])
    # One row per student on the roster, keyed by a digest, never by the id itself.
    assert len(varied["choose"]) == len(STUDENTS) - len(LATE)
    assert not set(varied["choose"]) & set(STUDENTS)
    assert set(varied["choose"].values()) == set(KEY.variants[VARIED])


def test_feedback_explains_items_without_the_cheaters_output(graded_class):
    course, _ = graded_class
    alice = (course / "feedback" / "alice" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert re.search(r"<strong>Right</strong> \(\d", alice) and "Tests passed." in alice
    bob = (course / "feedback" / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "<strong>Partly right</strong>" in bob and "Missed Spam" in bob
    assert "Tests did not pass." in bob
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
    # Released before any roster, so the notebook shows each item's default version.
    for item_id, answer in {i.id: i.right_answer() for i in KEY.items.values()
                            if i.kind != "rewrite"}.items():
        save_answer(student, item_id, answer)
    save_answer(student, "wants-g6", REWRITE)
    out = run_nbgrader(["validate", str(student / f"{ASSIGNMENT}.ipynb")], stdout=True)
    assert "Success! Your notebook passes all the tests." in out, out
