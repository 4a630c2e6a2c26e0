"""Versions per student: who gets which, what a released notebook shows in a real kernel
for each student and for a self-learner, and which saved answers count when grading."""

import json
import shutil
import stat

import nbformat
import pytest
from nbclient import NotebookClient
from nbgrader.tests import run_nbgrader

from course.exercises.variants import pick_variant, student_digest
from course.grade.assignments import load_assignments, spec_of_cell
from course.grade.folder import init_course
from course.grade.variants import (
    SECRET_FILE,
    derive_variant,
    for_student,
    for_submission,
    read_secret,
    record_release,
)

from conftest import SAMPLES

KEY = load_assignments(SAMPLES)["wants"]
VARIED = "wants-g1"
VARIANTS = list(KEY.variants[VARIED])
ROSTER = ("amy", "ben", "cai", "dev", "eve", "fay")
SECRET = "0123456789abcdef" * 4


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course folder whose wants was generated for ROSTER."""
    folder = init_course(folder=tmp_path_factory.mktemp("variants") / "course",
                         assignments=SAMPLES)
    # A known secret (a random one, as init makes, may leave a version to nobody of six).
    (folder / "keys" / SECRET_FILE).write_text(SECRET)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        for student in ROSTER:
            run_nbgrader(["db", "student", "add", student])
        run_nbgrader(["generate_assignment", "wants", "--force"])
    return folder


def secret_of(course):
    return read_secret(course / "keys")


def test_the_secret_is_private_and_kept_and_variants_are_deterministic(course, tmp_path):
    first = init_course(folder=tmp_path / "first", assignments=SAMPLES)
    path = first / "keys" / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    kept = read_secret(first / "keys")
    assert len(kept) == 64
    secret = secret_of(course)
    again = init_course(folder=first, assignments=SAMPLES, force=True)
    assert read_secret(again / "keys") == kept, "a new init never replaces the secret"
    chosen = [derive_variant(secret, "wants", VARIED, s, VARIANTS) for s in ROSTER]
    assert chosen == [derive_variant(secret, "wants", VARIED, s, VARIANTS) for s in ROSTER]
    other = init_course(folder=tmp_path / "other", assignments=SAMPLES)
    many = [f"student{n}" for n in range(60)]
    mine = [derive_variant(secret, "wants", VARIED, s, VARIANTS) for s in many]
    theirs = [derive_variant(read_secret(other / "keys"), "wants", VARIED, s, VARIANTS)
              for s in many]
    assert set(mine) == set(VARIANTS) and mine != theirs, "another course, other variants"


def test_the_release_carries_a_table_for_the_roster_and_no_secret(course):
    released = nbformat.read(course / "release" / "wants" / "wants.ipynb", as_version=4)
    spec = next(spec_of_cell(c.source) for c in released.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == VARIED)
    secret = secret_of(course)
    assert spec["choose"] == {student_digest(VARIED, s):
                              derive_variant(secret, "wants", VARIED, s, VARIANTS)
                              for s in ROSTER}
    text = (course / "release" / "wants" / "wants.ipynb").read_text()
    assert secret.decode() not in text and not any(f'"{s}"' in text for s in ROSTER)
    ledger = json.loads((course / "keys" / "wants.releases.json").read_text())
    assert ledger[-1]["students"] == sorted(ROSTER)
    for student in ROSTER:
        assert pick_variant(spec, student)["variant"] == for_student(
            KEY, student=student, secret=secret).chosen[VARIED]
    assert pick_variant(spec, None)["variant"] == VARIANTS[0] == pick_variant(
        spec, "not-on-the-roster")["variant"]


def run_released(course, folder, monkeypatch, user, answers=None):
    """Open the released notebook's varied cell in a real kernel in ``folder`` (a fresh
    copy of the release, with ``answers`` saved beside it), as ``user`` on a hub
    (``None``: a self-learner, no hub, a login name not on the roster); return the
    states of the widgets it showed."""
    shutil.copytree(course / "release" / "wants", folder)
    for record in answers or ():
        (folder / "answers").mkdir(exist_ok=True)
        (folder / "answers" / f"{record['item']}.json").write_text(json.dumps(record))
    if user is None:
        monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
        monkeypatch.setenv("USER", "self-learner")
        monkeypatch.setenv("LOGNAME", "self-learner")
    else:
        monkeypatch.setenv("JUPYTERHUB_USER", user)
    nb = nbformat.read(folder / "wants.ipynb", as_version=4)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == VARIED]
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    states = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    return [m["state"] for m in states.values()]


def shown_posts(states):
    html = "\n".join(s["value"] for s in states if isinstance(s.get("value"), str))
    return [v for v in VARIANTS if KEY.variants[VARIED][v].the_post.text[:25] in html]


def ticked(states):
    return [s["description"] for s in states if s.get("value") is True and "description" in s]


@pytest.mark.parametrize("user", ["amy", "ben", "cai", None])
def test_a_released_notebook_shows_each_student_their_own_post(course, tmp_path, monkeypatch,
                                                               user):
    expected = (for_student(KEY, student=user, secret=secret_of(course)).chosen[VARIED]
                if user else VARIANTS[0])
    states = run_released(course, tmp_path / "wants", monkeypatch, user)
    assert shown_posts(states) == [expected]
    assert ticked(states) == [] and not (tmp_path / "wants" / "answers").exists()


def test_the_roster_meets_every_version(course):
    secret = secret_of(course)
    assert {for_student(KEY, student=s, secret=secret).chosen[VARIED]
            for s in ROSTER} == set(VARIANTS)


@pytest.mark.parametrize("same", [True, False])
def test_a_saved_answer_comes_back_only_for_its_own_version(course, tmp_path, monkeypatch,
                                                            same):
    mine = for_student(KEY, student="dev", secret=secret_of(course)).chosen[VARIED]
    given = mine if same else next(v for v in VARIANTS if v != mine)
    saved = {"item": VARIED, "answer": ["spam"], "saved": 1.0, "variant": given}
    folder = tmp_path / "wants"
    states = run_released(course, folder, monkeypatch, "dev", answers=[saved])
    after = json.loads((folder / "answers" / f"{VARIED}.json").read_text())
    if same:  # restored, and saved again with its version
        assert ticked(states) == ["Spam"] and after["variant"] == mine
        assert after["answer"] == ["spam"] and after["saved"] > 1.0
    else:  # an answer to another student's post is not taken as this student's
        assert ticked(states) == [] and after == saved


# --- which saved answers count when grading ------------------------------------------------

def test_grading_counts_only_answers_to_the_students_own_version(course):
    keys = course / "keys"
    secret = secret_of(course)
    student = "eve"
    mine = for_student(KEY, student=student, secret=secret).chosen[VARIED]
    other = next(v for v in VARIANTS if v != mine)
    right = KEY.variants[VARIED][mine].right_answer()

    def graded(variant):
        record = {"item": VARIED, "answer": right, "saved": 1.0}
        if variant is not None:
            record["variant"] = variant
        key, counted = for_submission(KEY, {VARIED: record}, student=student, keys_dir=keys)
        assert key.chosen[VARIED] in VARIANTS
        return key.items[VARIED].check((counted.get(VARIED) or {}).get("answer")).score

    assert graded(mine) == KEY.items[VARIED].points
    assert graded(other) == 0 and graded(None) == 0, "another version, or none named"
    # eve was on the roster of every release: the default counts only if it is hers.
    if mine != VARIANTS[0]:
        assert graded(VARIANTS[0]) == 0
    # Left out of a release, she may have been shown the default: that answer counts,
    # against the default's key.
    record_release(keys, "wants", [s for s in ROSTER if s != student])
    default_right = KEY.variants[VARIED][VARIANTS[0]].right_answer()
    key, counted = for_submission(
        KEY, {VARIED: {"item": VARIED, "answer": default_right, "variant": VARIANTS[0]}},
        student=student, keys_dir=keys)
    assert key.chosen[VARIED] == VARIANTS[0]
    assert key.items[VARIED].check(counted[VARIED]["answer"]).score == KEY.items[VARIED].points


def test_without_a_secret_everyone_gets_the_default(tmp_path):
    for student in ROSTER:
        assert for_student(KEY, student=student, secret=None).chosen[VARIED] == VARIANTS[0]
    key, counted = for_submission(KEY, {VARIED: {"item": VARIED, "answer": ["spam"]}},
                                  student="amy", keys_dir=tmp_path)
    assert key.chosen[VARIED] == VARIANTS[0] and VARIED in counted
