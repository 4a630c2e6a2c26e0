"""`grade run` on a real course folder: a simulated class with every kind of bad
submission, graded by the real nbgrader in parallel sandboxed workers."""

import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.tests import run_nbgrader

from course.errors import CourseError
from course.grade.folder import CourseFolder, generate_assignment, init_course
from course.grade.pipeline import _ctrl_c_held_back, grade_run
from course.grade.sandbox import sandbox_problem
from course.grade.simulate import BAD_SUBMISSIONS, simulate_class

from conftest import ROOT, SAMPLES, live_sandboxes, save_as_widget

ASSIGNMENT = "wants"
TIMEOUT = 5
needs_sandbox = pytest.mark.skipif(
    bool(sandbox_problem()) and os.environ.get("CI") != "true",
    reason=f"no sandbox here: {sandbox_problem()} (CI installs bubblewrap)")

#: A submission's code that tries to reach what a student must never see. Each probe
#: prints PROBE <name> <what happened>.
PROBE = r'''
import glob, json, os, socket
def probe(name, action):
    try:
        result = action()
        print("PROBE", name, "REACHED", repr(result)[:80])
    except Exception as exc:
        print("PROBE", name, "blocked", type(exc).__name__)
course = {course!r}
probe("other-student", lambda: open(course + "/submitted/s01/wants/wants.ipynb").read())
probe("other-graded", lambda: os.listdir(course + "/autograded/s01"))
probe("keys", lambda: open(course + "/keys/wants.yaml").read())
probe("gradebook", lambda: open(course + "/gradebook.db", "rb").read(16))
probe("source", lambda: open(course + "/source/wants/wants.ipynb").read())
probe("repository-keys", lambda: open({repo!r} + "/grading/assignments/wants.yaml").read())
probe("network", lambda: socket.create_connection(("1.1.1.1", 53), timeout=3))
probe("dns", lambda: socket.getaddrinfo("example.com", 443))
probe("write-course", lambda: open(course + "/planted.txt", "w").write("x"))
probe("kill-grader", lambda: os.kill(os.getppid(), 0) if os.getppid() > 1 else 1 / 0)
probe("debugger", lambda: __import__("debugpy.server"))
print("BLAS-THREADS", os.environ.get("OPENBLAS_NUM_THREADS"))
'''


def make_course(folder):
    course = init_course(folder=folder, assignments=SAMPLES)
    generate_assignment(course_dir=course, assignment=ASSIGNMENT)
    return course


PROBED = ["submitted/s01/wants/wants.ipynb", "autograded/s01", "keys/wants.yaml",
          "gradebook.db", "source/wants/wants.ipynb"]


def add_probe_student(course, like="s01"):
    """A student whose notebook runs PROBE before the code task."""
    src = course / "submitted" / like / ASSIGNMENT
    dst = course / "submitted" / "zz-probe" / ASSIGNMENT
    dst.parent.mkdir(parents=True)
    shutil.copytree(src, dst)
    nb = nbformat.read(dst / f"{ASSIGNMENT}.ipynb", as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell(PROBE.format(course=str(course),
                                                              repo=str(ROOT))))
    nbformat.write(nb, dst / f"{ASSIGNMENT}.ipynb")
    (dst / "key-link.yaml").symlink_to(course / "keys" / "wants.yaml")
    os.mkfifo(dst / "pipe")  # copying a pipe would block the worker for ever


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("pipeline") / "course")
    students = simulate_class(course_dir=course, assignment_id=ASSIGNMENT, students=6, seed=3,
                              bad=list(BAD_SUBMISSIONS))
    add_probe_student(course)
    before = set(Path(tempfile.gettempdir()).glob("course-kernel-*"))
    summary = grade_run(course_dir=course, assignment=ASSIGNMENT, workers=2, timeout=TIMEOUT,
                        progress=False)
    leftovers = set(Path(tempfile.gettempdir()).glob("course-kernel-*")) - before
    return course, students, summary, leftovers


def gradebook_scores(course):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {s.student_id: {g.name: g.score for nb in s.notebooks for g in nb.grades}
                for s in gb.find_assignment(ASSIGNMENT).submissions}


def outcome(course, student):
    return json.loads((course / "grade-runs" / ASSIGNMENT / f"{student}.json").read_text())


@needs_sandbox
def test_every_student_gets_the_expected_item_scores(graded):
    course, students, summary, _ = graded
    assert summary.sandboxed and summary.workers == 2
    recorded = gradebook_scores(course)
    assert set(recorded) == set(students) | {"zz-probe"}
    for student in students.values():
        for item, expected in student.expected_items.items():
            assert recorded[student.id][item] == pytest.approx(expected, abs=1e-6), (
                student.id, student.profile, item)


REASONS = {
    "corrupt-notebook": "wants.ipynb is not valid JSON",
    "missing-notebook": "no wants.ipynb in the submission",
    "infinite-loop": f"ran longer than {TIMEOUT} s",
    "fork-bomb": "the process limit",
    "output-flood": "printed more than",
    "memory-hog": "ran out of memory",
    "kernel-crash": "the kernel died",
}


@needs_sandbox
@pytest.mark.parametrize("kind", list(BAD_SUBMISSIONS))
def test_each_bad_submission_scores_what_survives_with_a_reason(graded, kind):
    course, students, _, _ = graded
    student = next(s for s in students.values() if s.profile == kind)
    problems = outcome(course, student.id)["problems"]
    assert any(REASONS[kind] in p for p in problems), problems
    assert outcome(course, student.id)["score"] == pytest.approx(student.expected_auto)
    assert student.expected_auto > 0, "saved answers still count"
    assert (course / "feedback" / student.id / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file()


@needs_sandbox
def test_good_submissions_report_no_problems(graded):
    course, students, _, _ = graded
    for student in students.values():
        if student.profile == "typical":
            assert outcome(course, student.id)["problems"] == [], student.id


@needs_sandbox
def test_submitted_code_cannot_reach_other_students_keys_gradebook_or_network(graded):
    course, _, _, _ = graded
    assert all((course / target).exists() for target in PROBED), "the probes aim at real files"
    results = probe_results(course)
    reached = {name: what for name, what in results.items() if not what.startswith("blocked")}
    assert reached == {}, reached
    assert not (course / "planted.txt").exists()
    assert "BLAS-THREADS 1\n" in probe_printed(course), "one BLAS thread per kernel"
    assert any("links and special files are not graded and were left out: key-link.yaml, pipe"
               in p for p in outcome(course, "zz-probe")["problems"])
    assert not (course / "autograded" / "zz-probe" / ASSIGNMENT / "key-link.yaml").exists()
    # the probe did not stop the student's real work from being graded
    assert gradebook_scores(course)["zz-probe"]["wants-g5"] == gradebook_scores(course)["s01"][
        "wants-g5"]


@needs_sandbox
def test_the_gradebook_is_whole_and_a_second_run_changes_nothing(graded):
    course, students, _, _ = graded
    db = course / "gradebook.db"
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        per_student = c.execute("SELECT student_id, COUNT(*) FROM submitted_assignment "
                                "GROUP BY student_id").fetchall()
        assert all(n == 1 for _, n in per_student) and len(per_student) == len(students) + 1
        grades_before = c.execute("SELECT * FROM grade ORDER BY id").fetchall()
    again = grade_run(course_dir=course, assignment=ASSIGNMENT, workers=2, progress=False)
    assert again.outcomes == [] and len(again.already_graded) == len(students) + 1
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT * FROM grade ORDER BY id").fetchall() == grades_before
    assert not (course / "grade-runs" / "_work").exists()


@needs_sandbox
def test_rewrites_wait_for_hand_grading(graded):
    course, students, _, _ = graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in students.values():
            for item in ("wants-g6",):
                grade = gb.find_grade(item, ASSIGNMENT, ASSIGNMENT, student.id)
                assert grade.needs_manual_grade == (item in student.needs_hand_grading), (
                    student.id)


def probe_printed(course):
    nb = nbformat.read(course / "autograded" / "zz-probe" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                       as_version=4)
    return "".join(o.get("text", "") for o in nb.cells[1].outputs)


def probe_results(course):
    printed = probe_printed(course)
    results = dict(line.split(" ", 2)[1:] for line in printed.splitlines()
                   if line.startswith("PROBE"))
    assert len(results) == 11, printed
    return results


def run_cli(*args, cwd, env=None, **kw):
    """The CLI as a terminal starts it: Ctrl+C interrupts, even when the tests run in the
    background (which ignores SIGINT, and children inherit that)."""
    return subprocess.Popen([sys.executable, "-m", "course", "grade", *args], cwd=cwd,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=_sigint_default, **kw)


def _sigint_default():
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def sigint():
    """SIGINT raising KeyboardInterrupt, as in a terminal (a background job ignores it)."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def test_ctrl_c_during_a_merge_waits_until_the_merge_is_whole(sigint):
    steps = []
    with pytest.raises(KeyboardInterrupt), _ctrl_c_held_back():
        steps.append("recorded")
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
        steps.append("merged")
    assert steps == ["recorded", "merged"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_ignored_ctrl_c_stays_ignored_during_a_merge(sigint):
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with _ctrl_c_held_back():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN


@needs_sandbox
def test_an_interrupted_run_resumes_without_losing_or_repeating_a_grade(tmp_path):
    course = make_course(tmp_path / "course")
    students = simulate_class(course_dir=course, assignment_id=ASSIGNMENT, students=6, seed=5)
    runs = course / "grade-runs" / ASSIGNMENT
    first = run_cli("run", ASSIGNMENT, "--workers", "1", "--quiet", cwd=course)
    deadline = time.time() + 120
    while len(list(runs.glob("*.json"))) < 3 and time.time() < deadline:
        time.sleep(0.1)
    first.send_signal(signal.SIGINT)
    _, err = first.communicate(timeout=60)
    assert first.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    merged = set(gradebook_scores(course))
    assert 2 <= len(merged) < len(students)
    # a run stopped between writing a record and merging it regrades that one next time
    assert merged <= {p.stem for p in runs.glob("*.json")}
    done_first = {name: (runs / f"{name}.json").stat().st_mtime_ns for name in merged}

    second = run_cli("run", ASSIGNMENT, "--workers", "2", "--quiet", cwd=course)
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert f"{len(done_first)} already graded" in out
    assert f"Graded {len(students) - len(done_first)} submissions" in out
    for name, mtime in done_first.items():
        assert (runs / f"{name}.json").stat().st_mtime_ns == mtime, f"{name} was regraded"
    recorded = gradebook_scores(course)
    for student in students.values():
        assert sum(recorded[student.id].values()) == pytest.approx(student.expected_auto)
    third = run_cli("run", ASSIGNMENT, "--quiet", cwd=course)
    out, err = third.communicate(timeout=120)
    assert third.returncode == 0 and f"Nothing new to grade: {len(students)} submissions" in out


def test_without_bubblewrap_it_refuses_unless_unsafe(tmp_path):
    course = make_course(tmp_path / "course")
    simulate_class(course_dir=course, assignment_id=ASSIGNMENT, students=1, seed=7)
    add_probe_student(course)
    env = {**os.environ, "PATH": str(ROOT / ".venv" / "bin")}  # no bwrap on PATH
    refused = run_cli("run", ASSIGNMENT, cwd=course, env=env)
    out, err = refused.communicate(timeout=120)
    assert refused.returncode == 1  # a runtime failure, not a usage error
    assert err.startswith("course: error: cannot sandbox students' code") and "--unsafe" in err
    assert len(err.strip().splitlines()) == 1 and not (course / "grade-runs").exists()
    unsafe = run_cli("run", ASSIGNMENT, "--unsafe", "--quiet", cwd=course, env=env)
    out, err = unsafe.communicate(timeout=300)
    assert unsafe.returncode == 0, err
    assert "WITHOUT a sandbox" in out and "Graded 2 submissions" in out
    assert err.strip() == "", "nothing per submission on the terminal (no TCP warnings)"
    # the control: unsandboxed, the same probe reaches the keys and the other student
    reached = {k for k, v in probe_results(course).items() if v.startswith("REACHED")}
    assert {"keys", "other-student", "gradebook", "source", "debugger"} <= reached


@pytest.mark.parametrize("setup, message", [
    ("not-a-course", "is not a course folder"),
    ("unknown-assignment", "is not in the gradebook"),
    ("no-submissions", "no submissions of"),
])
def test_bad_requests_get_one_line(tmp_path, setup, message):
    if setup == "not-a-course":
        folder, assignment = tmp_path, ASSIGNMENT
    else:
        folder = make_course(tmp_path / "course")
        assignment = "nope" if setup == "unknown-assignment" else ASSIGNMENT
    with pytest.raises(CourseError, match=message) as error:
        grade_run(course_dir=folder, assignment=assignment, unsafe=True, progress=False)
    assert "\n" not in str(error.value)


def test_make_demo_builds_grades_and_reports_a_class(tmp_path):
    # as `.venv/bin/python -m course grade demo` runs with the virtualenv not on PATH
    env = {**os.environ, "PATH": os.pathsep.join(
        p for p in os.environ["PATH"].split(os.pathsep)
        if Path(p).resolve() != Path(sys.executable).parent.resolve())}
    demo = subprocess.run([sys.executable, "-m", "course", "grade", "demo", "--students", "4",
                           "--folder", str(tmp_path / "demo")], capture_output=True, text=True,
                          timeout=600, env=env)
    assert demo.returncode == 0, demo.stderr
    for step in ("1/4 course folder", "2/4 released", "3/4 grading", "4/4 class report"):
        assert step in demo.stdout
    assert "Graded 7 submissions of wants" in demo.stdout
    assert "bad-corrupt-notebook: wants.ipynb is not valid JSON" in demo.stdout
    report = tmp_path / "demo" / "reports" / "class-report.html"
    assert report.is_file() and str(report) in demo.stdout
    assert (tmp_path / "demo" / "reports" / "canvas-grades.csv").is_file()


@needs_sandbox
def test_feedback_from_a_run_carries_no_key(graded):
    from test_grading import key_fragments

    course, students, _, _ = graded
    files = [p for p in (course / "feedback").glob("**/*") if p.is_file()]
    assert {p.parts[-3] for p in files if p.suffix == ".html"} == set(students) | {"zz-probe"}
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for fragment in key_fragments():
            assert fragment not in text, f"{fragment!r} leaked into {path}"


@needs_sandbox
def test_sandboxes_leave_nothing_behind(graded):
    course, _, _, leftovers = graded
    assert leftovers == set(), "every kernel's socket folder is removed, dead kernels too"
    mine = os.getuid()
    foreign = [p for p in (course / "autograded").glob("**/*") if p.lstat().st_uid != mine]
    assert foreign == [], "graded folders go back to the grader's user"
    # every run of this test session so far (the demo's too) sits under the session's
    # temporary folder
    assert live_sandboxes(course.parents[1]) == [], "no sandbox outlives its run"


@needs_sandbox
def test_a_kernel_that_cannot_start_is_reported_and_saved_answers_still_count(tmp_path):
    course = make_course(tmp_path / "course")
    student = simulate_class(course_dir=course, assignment_id=ASSIGNMENT, students=0,
                             bad=["memory-hog"])["bad-memory-hog"]
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + "\nc.SandboxedKernelManager.memory_mb = 40\n")
    summary = grade_run(course_dir=course, assignment=ASSIGNMENT, workers=1, progress=False)
    [result] = summary.outcomes
    assert any(p.startswith("the notebook stopped before this test ran: the kernel did not "
                            "start") for p in result.problems), result.problems
    widget_points = sum(v for k, v in student.expected_items.items() if k != "wants-g5")
    assert result.score == pytest.approx(widget_points)


def test_it_collects_from_the_exchange_first(tmp_path, monkeypatch):

    course = make_course(tmp_path / "course")
    cache = tmp_path / "cache"
    cache.mkdir()
    (course / "nbgrader_config.py").write_text(
        (course / "nbgrader_config.py").read_text()
        + f"\nc.Exchange.cache = r'{cache}'\nc.ExchangeCollect.check_owner = False\n")
    flags = ["--Exchange.root", str(course.parent / "course-exchange"),
             "--Exchange.cache", str(cache), "--course", "smm-course"]
    monkeypatch.chdir(course)
    run_nbgrader(["release_assignment", ASSIGNMENT, *flags])
    for student, tags in (("ana", ["hard-sell", "spam", "pressure"]), ("ben", ["spam"])):
        home = tmp_path / "home" / student
        home.mkdir(parents=True)
        monkeypatch.chdir(home)
        run_nbgrader(["fetch_assignment", ASSIGNMENT, *flags])
        # The version of wants-g1 the fetched notebook shows this student (not on the
        # roster when it was released, so the default), as its widget saves it.
        save_as_widget(home / ASSIGNMENT, "wants-g1", tags, student)
        run_nbgrader(["submit", ASSIGNMENT, "--student", student, *flags])
    summary = grade_run(course_dir=course, assignment=ASSIGNMENT, unsafe=bool(sandbox_problem()),
                        progress=False)
    assert summary.collected
    scores = {o.student: o.score for o in summary.outcomes}
    assert scores == {"ana": 1.0, "ben": pytest.approx(1 / 3, abs=1e-3)}


@needs_sandbox
def test_plain_nbgrader_autograde_in_a_course_from_grade_init_is_sandboxed(tmp_path):
    """The instructor skips `grade run` and uses nbgrader's own commands (as the
    formgrader's Autograde button does): the probe still reads nothing of theirs."""
    course = init_course(folder=tmp_path / "course", assignments=SAMPLES)
    env = {**os.environ, "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    nbgrader = [sys.executable, "-m", "nbgrader"]
    made = subprocess.run([*nbgrader, "generate_assignment", ASSIGNMENT], cwd=course,
                          env=env, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    simulate_class(course_dir=course, assignment_id=ASSIGNMENT, students=1, seed=7)
    probe = course / "submitted" / "zz-probe" / ASSIGNMENT
    shutil.copytree(course / "submitted" / "s01" / ASSIGNMENT, probe)
    nb = nbformat.read(probe / f"{ASSIGNMENT}.ipynb", as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell(PROBE.format(course=str(course),
                                                              repo=str(ROOT))))
    nbformat.write(nb, probe / f"{ASSIGNMENT}.ipynb")
    graded = subprocess.run([*nbgrader, "autograde", ASSIGNMENT], cwd=course, env=env,
                            capture_output=True, text=True, timeout=600)
    assert graded.returncode == 0, graded.stderr
    reached = {k: v for k, v in probe_results(course).items() if not v.startswith("blocked")}
    assert reached == {}, reached
    # Only the instructor reaches the course folder; the keys and gradebook are theirs.
    assert stat.S_IMODE(course.stat().st_mode) == 0o700
    assert stat.S_IMODE((course / "keys").stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in (course / "keys").iterdir()} == {0o600}
    exchange = Path(CourseFolder.open(course).config.Exchange.root)
    assert exchange == course.parent / "course-exchange" and course not in exchange.parents


def test_plain_nbgrader_autograde_refuses_where_the_sandbox_cannot_run(tmp_path):
    course = make_course(tmp_path / "course")
    simulate_class(course_dir=course, assignment_id=ASSIGNMENT, students=1, seed=7)
    env = {**os.environ, "PATH": str(ROOT / ".venv" / "bin")}  # no bwrap on PATH
    graded = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT],
                            cwd=course, env=env, capture_output=True, text=True, timeout=600)
    assert "cannot sandbox students' code: bwrap" in graded.stdout + graded.stderr
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {g.name: g.auto_score for nb in gb.find_submission(ASSIGNMENT, "s01").notebooks
                  for g in nb.grades}
    assert scores["wants-g5"] in (None, 0), "the student's code never ran"


def wreck(db):
    """Damage one page in the middle of a SQLite file, as a crash on a bad disk might."""
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[5 * page:5 * page + 64] = b"\xff" * 64
    db.write_bytes(bytes(data))


def test_run_requests_that_cannot_work_get_one_line_before_anything_is_touched(tmp_path):
    course = make_course(tmp_path / "course")
    simulate_class(course_dir=course, assignment_id=ASSIGNMENT, students=1, seed=7)
    misspelt = run_cli("run", "want", cwd=course)
    _, err = misspelt.communicate(timeout=120)
    assert misspelt.returncode == 2 and len(err.strip().splitlines()) == 1, err
    assert "no assignment 'want'" in err and "did you mean 'wants'" in err
    wreck(course / "gradebook.db")
    damaged = run_cli("run", ASSIGNMENT, cwd=course)
    _, err = damaged.communicate(timeout=120)
    assert damaged.returncode == 1 and len(err.strip().splitlines()) == 1, err
    assert "gradebook.db is not a readable nbgrader gradebook" in err and "backup" in err
    assert not (course / "grade-runs").exists() and not (course / "autograded").exists()


def test_a_late_resubmission_is_held_back_until_accepted(tmp_path, monkeypatch):

    course = make_course(tmp_path / "course")
    exchange, cache = course.parent / "course-exchange", tmp_path / "cache"
    (course / "nbgrader_config.py").write_text(
        (course / "nbgrader_config.py").read_text()
        + f"\nc.Exchange.cache = r'{cache}'\nc.ExchangeCollect.check_owner = False\n")
    flags = ["--Exchange.root", str(exchange), "--Exchange.cache", str(cache),
             "--course", "smm-course"]
    monkeypatch.chdir(course)
    run_nbgrader(["release_assignment", ASSIGNMENT, *flags])
    home = tmp_path / "home" / "lea"
    home.mkdir(parents=True)

    def submit(tags):
        save_as_widget(home / ASSIGNMENT, "wants-g1", tags, "lea")
        monkeypatch.chdir(home)
        run_nbgrader(["submit", ASSIGNMENT, "--student", "lea", *flags])

    monkeypatch.chdir(home)
    run_nbgrader(["fetch_assignment", ASSIGNMENT, *flags])
    submit(["spam"])  # on time
    unsafe = bool(sandbox_problem())
    first = grade_run(course_dir=course, assignment=ASSIGNMENT, unsafe=unsafe, progress=False)
    assert first.collected == ["lea"] and first.outcomes[0].score == pytest.approx(1 / 3, 1e-3)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate=time.strftime(
            "%Y-%m-%d %H:%M:%S", time.gmtime()))
    time.sleep(1)
    submit(["hard-sell", "spam", "pressure"])  # all right, but late
    held = grade_run(course_dir=course, assignment=ASSIGNMENT, unsafe=unsafe, progress=False)
    assert held.outcomes == [] and held.collected == []
    assert "after the due date: the on-time submission counts" in held.held_late["lea"]
    with pytest.raises(CourseError, match="--accept-late goes with --student"):
        grade_run(course_dir=course, assignment=ASSIGNMENT, accept_late=True, progress=False)
    late = grade_run(course_dir=course, assignment=ASSIGNMENT, unsafe=unsafe, progress=False,
                     students=["lea"], accept_late=True)
    [outcome] = late.outcomes
    assert late.collected == ["lea"] and outcome.score == pytest.approx(1.0)
    assert outcome.late_seconds > 0 and late.held_late == {}


def test_a_reworded_option_that_lost_its_id_stops_the_run_with_the_fix(tmp_path):
    course = make_course(tmp_path / "course")
    simulate_class(course_dir=course, assignment_id=ASSIGNMENT, students=1, seed=7)
    key = course / "keys" / "wants.yaml"
    key.write_text(key.read_text().replace("Delete it so the post stays positive.",
                                           "Delete the comment to keep the post positive."))
    with pytest.raises(CourseError, match=r"wants-g3: students were given option "
                                          r"'delete-it-so-the-post-stays-positive', which the "
                                          r"key no longer has") as error:
        grade_run(course_dir=course, assignment=ASSIGNMENT, unsafe=True, progress=False)
    assert "\n" not in str(error.value) and "{id: delete-it-so-the-post" in str(error.value)
    assert not (course / "autograded").exists()
    key.write_text(key.read_text().replace(
        "- Delete the comment to keep the post positive.",
        "- {id: delete-it-so-the-post-stays-positive, text: Delete the comment.}"))
    summary = grade_run(course_dir=course, assignment=ASSIGNMENT, unsafe=True, progress=False)
    assert [o.student for o in summary.outcomes] == ["s01"]
