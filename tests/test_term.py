"""A whole term, as an instructor who knows nbgrader lives it, against the real nbgrader.

Two assignments; a roster in nbgrader's gradebook; a class that submits through the
exchange (on time, late, twice, once on time then late, off the roster, adversarially, or
not at all); hand grades, comments and extra credit entered through nbgrader's API the
way the formgrader's handlers enter them; a wrong key fixed mid-term; a run interrupted
with Ctrl+C; --force; feedback refreshed and released; the exports. Every final score,
hand grade and comment is checked, lateness in every export, and that no feedback page a
student can fetch is ever older than their grades.
"""

import contextlib
import csv
import io
import json
import os
import re
import shutil
import signal
import time
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.tests import run_nbgrader
from test_pipeline import run_cli

from course.cli import main
from course.exercises.item import option_id
from course.grade.gradebooks import pending_students, stale_feedback
from course.grade.sandbox import sandbox_problem

from conftest import SAMPLES, live_sandboxes, run_course, save_as_widget

A1, A2 = "wants", "insights"
CANVAS_IDS = {A1: 5551, A2: 5552}
ROSTER = {"ana": ("Ana", "Lima", "101"), "Ben": ("Ben", "Okafor", "102"),
          "cara": ("Cara", "Diaz", "103"), "dev": ("Dev", "Patel", "104"),
          "eli": ("Eli", "Moreau", "105"), "fay": ("Fay", "Ng", "106"),
          "gil": ("Gil", "Ortega", "107"), "hax": ("Hax", "Root", "108")}  # zed: off roster
# Answers as the widgets save them: option ids (the slugs of the options' words).
G3_RIGHT = option_id("Reply in your own voice, thank them and engage with the point.")
G3_WRONG = option_id("Delete it so the post stays positive.")
G4_KEY = [option_id("Here's how our two plans compare, with prices, so you can pick what "
                    "fits."),
          option_id("Try the first lesson free; no card needed, no follow-up calls.")]
G4_OTHER = option_id("Only 2 left! Buy now or regret it forever.")
RIGHT = {"wants-g1": ["hard-sell", "spam", "pressure"],
         "wants-g2": ["invites-conversation", "community"], "wants-g3": G3_RIGHT,
         "wants-g4": G4_KEY, "wants-g7": option_id("People want freedom")}
GOOD_CODE = 'median_by_category = posts.groupby("category_name")["interactions"].median()'
MEAN_CODE = 'median_by_category = posts.groupby("category_name")["interactions"].mean()'
REWRITES = ["What is one small goal you have this month? Tell us below, and drop by for a "
            "free first visit whenever it suits you.",
            "Thanks to everyone who trained with us this year! Which class helped you most?",
            "We'd love to hear from you: what would make your mornings easier? Try a free "
            "class whenever suits you."]
INSIGHTS_RIGHT = {"insights-g1": ["community", "invites-conversation"],
                  "insights-g2": ["spam", "hard-sell", "channel-misfit"],
                  "insights-g3": option_id("Raise the median engagement rate of our posts "
                                             "from 8% to 12% by 31 March."),
                  "insights-g4": ["reading-every-reply-and-answering-in-your-own-words",
                                  "writing-each-post-as-if-to-one-reader-using-you",
                                  "changing-next-month-s-posts-based-on-what-people-asked-about"],
                  "insights-g7": option_id("Show what customers achieve with your product")}
PROBE = ("import glob, socket\nlen = lambda *a: 3\n"
         "for p in glob.glob('../../../keys/*') + glob.glob('{course}/keys/*'):\n"
         "    print(open(p).read())\n"
         "try:\n    socket.create_connection(('1.1.1.1', 53), timeout=2); print('NET-REACHED')\n"
         "except OSError:\n    print('net blocked')\n")


def utc(offset=0.0):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() + offset))


class Term:
    """The course, the exchange and each student's home folder, and what happened."""

    def __init__(self, base: Path):
        self.base = base
        self.course = base / "course"
        self.exchange = base / "exchange"
        self.cache = base / "cache"
        self.out: dict[str, str] = {}  # step -> what the instructor's terminal showed

    @property
    def flags(self):
        return ["--Exchange.root", str(self.exchange), "--Exchange.cache", str(self.cache),
                "--course", "smm-course"]

    def student_flags(self, student):
        """Each student's own cache, as on their own account."""
        return ["--Exchange.root", str(self.exchange), "--Exchange.cache",
                str(self.cache / student), "--course", "smm-course"]

    def grade(self, *args, step=None):
        """`python -m course grade ARGS --course COURSE`: the command line's own entry point,
        in this process (a new interpreter per command would only add its start-up)."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["grade", *args, "--course", str(self.course)])
        assert code == 0, f"grade {args}: {err.getvalue()}"
        if step:
            self.out[step] = out.getvalue()
        return out.getvalue()

    def nbgrader(self, mp, *args, cwd=None):
        mp.chdir(cwd or self.course)
        return run_nbgrader(list(args), stdout=True)

    def home(self, student, assignment):
        return self.base / "home" / student / assignment

    def fetch(self, mp, student, assignment):
        home = self.home(student, assignment)
        if not home.exists():
            home.parent.mkdir(parents=True, exist_ok=True)
            self.nbgrader(mp, "fetch_assignment", assignment, *self.student_flags(student),
                          cwd=home.parent)
        return home

    def submit(self, mp, student, assignment, answers, code=None, extra_cell=None,
               edit=None):
        """What a student does: answer in the widgets (saved as the widgets save them),
        write code, save, submit."""
        home = self.fetch(mp, student, assignment)
        for item, answer in answers.items():
            save_as_widget(home, item, answer, student)
        nb_path = home / f"{assignment}.ipynb"
        nb = nbformat.read(nb_path, as_version=4)
        task = f"{assignment}-g5-answer"
        if code is not None:
            cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get(
                "grade_id") == task)
            cell.source = ("from course.datasets import load_facebook_metrics\n"
                           f"posts = load_facebook_metrics()\n{code}")
        if extra_cell:
            nb.cells.insert(1, nbformat.v4.new_code_cell(extra_cell))
        if edit:
            edit(nb)
        nbformat.write(nb, nb_path)
        time.sleep(0.05)  # distinct submission timestamps
        self.nbgrader(mp, "submit", assignment, "--student", student,
                      *self.student_flags(student), cwd=home.parent)

    def gradebook(self):
        return Gradebook(f"sqlite:///{self.course / 'gradebook.db'}")

    def hand_grade(self, student, item, score, extra=None):
        """What the formgrader's grade handler does with a score typed in."""
        with self.gradebook() as gb:
            grade = gb.find_grade(item, A1, A1, student)
            grade.manual_score, grade.extra_credit = score, extra
            grade.needs_manual_grade = grade.manual_score is None and grade.auto_score is None
            gb.db.commit()

    def comment(self, student, cell, text):
        """What the formgrader's comment handler does."""
        with self.gradebook() as gb:
            gb.find_comment(cell, A1, A1, student).manual_comment = text
            gb.db.commit()

    def grades(self, assignment=A1):
        """student -> item -> (score, manual score, extra credit, waits for a person)."""
        with self.gradebook() as gb:
            return {s.student_id: {g.name: (g.score, g.manual_score, g.extra_credit,
                                            g.needs_manual_grade)
                                   for nb in s.notebooks for g in nb.grades}
                    for s in gb.find_assignment(assignment).submissions}

    def totals(self, assignment=A1):
        with self.gradebook() as gb:
            return {s.student_id: s.score - float(s.late_submission_penalty or 0)
                    for s in gb.find_assignment(assignment).submissions}

    def comments(self):
        with self.gradebook() as gb:
            return {s.student_id: {c.name: c.manual_comment for nb in s.notebooks
                                   for c in nb.comments if c.manual_comment}
                    for s in gb.find_assignment(A1).submissions}

    def feedback_page(self, student, assignment=A1):
        return (self.course / "feedback" / student / assignment / f"{assignment}.html"
                ).read_text()


def adversary(nb):
    """Edit a locked graded cell so that it prints a full score."""
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                == "wants-g2")
    cell.source = "print(2)"


def _text(page):
    page = re.sub(r"<style.*?</style>", "", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    if sandbox_problem() and os.environ.get("CI") != "true":
        pytest.skip(f"no sandbox here: {sandbox_problem()}")
    t = Term(tmp_path_factory.mktemp("term"))
    # The instructor's assignment files, with a key mistake they will fix mid-term: the
    # key of wants-g3 names the wrong option, and an option has lost a comma.
    sources = t.base / "assignments"
    sources.mkdir()
    for name in (A1, A2):
        shutil.copy(SAMPLES / f"{name}.yaml", sources / f"{name}.yaml")
    wants = (sources / f"{A1}.yaml").read_text()
    right_text = "Reply in your own voice, thank them and engage with the point."
    assert wants.count(right_text) == 2
    wants = wants.replace(f"key: {right_text}", "key: Delete it so the post stays positive.")
    wants = wants.replace(f"- {right_text}", "- Reply in your own voice thank them and "
                                             "engage with the point.")
    (sources / f"{A1}.yaml").write_text(wants)
    t.fixed_key = (SAMPLES / f"{A1}.yaml").read_text()

    init = run_course("grade", "init", str(t.course), "--assignments", str(sources),
                      "--exchange", str(t.exchange))
    assert init.returncode == 0, init.stderr
    t.cache.mkdir()
    with open(t.course / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.Exchange.cache = r'{t.cache}'\nc.ExchangeCollect.check_owner = False\n"
                     'c.AssignLatePenalties.plugin_class = "course.grade.late.PenaltyPerDay"\n'
                     f"c.CanvasExport.assignment_ids = {CANVAS_IDS!r}\n")
    with pytest.MonkeyPatch.context() as mp:
        for student, (first, last, lms) in ROSTER.items():
            t.nbgrader(mp, "db", "student", "add", student, "--first-name", first,
                       "--last-name", last, "--lms-user-id", lms)
        for name in (A1, A2):
            t.grade("add", str(t.course / "keys" / f"{name}.yaml"), "--due", utc(30 * 24 * 3600))
            t.nbgrader(mp, "release_assignment", name, *t.flags)

        # --- week 1: on-time submissions, then the first grading run ----------------------
        t.submit(mp, "ana", A1, {**RIGHT, "wants-g6": REWRITES[0]}, GOOD_CODE)
        t.submit(mp, "Ben", A1, {"wants-g1": ["hard-sell"], "wants-g2": RIGHT["wants-g2"],
                                 "wants-g3": G3_WRONG, "wants-g4": G4_KEY[:1],
                                 "wants-g6": REWRITES[1]}, MEAN_CODE)
        t.submit(mp, "dev", A1, {**RIGHT, "wants-g6": REWRITES[0]}, GOOD_CODE)
        t.submit(mp, "eli", A1, {**RIGHT, "wants-g6": REWRITES[1]}, GOOD_CODE)
        t.submit(mp, "fay", A1, dict(RIGHT))
        t.submit(mp, "zed", A1, {"wants-g1": RIGHT["wants-g1"]})
        t.submit(mp, "hax", A1, {"wants-g1": RIGHT["wants-g1"], "wants-g3": "Z",
                                 "wants-g6": "<script>alert('hi')</script> Join now!!!",
                                 "wants-g9": "full marks"},
                 code="median_by_category = [0, 0, 0]",
                 extra_cell=PROBE.format(course=t.course), edit=adversary)
        t.submit(mp, "ana", A2, INSIGHTS_RIGHT, 'paid_share = posts["paid"].mean()')
        t.submit(mp, "Ben", A2, {"insights-g1": ["community"],
                                 "insights-g2": INSIGHTS_RIGHT["insights-g2"],
                                 "insights-g3": "A", "insights-g4": INSIGHTS_RIGHT["insights-g4"]})
        t.grade("run", A1, "--quiet", step="run1")
        t.grade("run", A2, "--quiet", step="run-insights")
        t.before_fix = t.grades()

        # --- the formgrader: hand grades, comments, extra credit ----------------------------
        t.hand_grade("ana", "wants-g6", 4, extra=1)
        t.comment("ana", "wants-g6-comments", "Lovely rewrite: it invites without pushing.")
        t.hand_grade("Ben", "wants-g6", 2)
        t.comment("Ben", "wants-g5-answer", "Median, not mean.")
        t.hand_grade("dev", "wants-g6", 2)
        t.comment("dev", "wants-g6-comments", "Good start.")
        t.hand_grade("eli", "wants-g6", 1)
        t.comment("eli", "wants-g6-comments", "Add a question.")
        t.grade("feedback", A1, step="feedback1")

        # --- resubmissions before the due date --------------------------------------------
        t.submit(mp, "dev", A1, {"wants-g2": ["caring"], "wants-g6": REWRITES[2]})
        t.submit(mp, "eli", A1, {"wants-g4": [*G4_KEY, G4_OTHER]})  # same rewrite
        t.grade("run", A1, "--quiet", step="run2")
        t.after_resubmission = t.grades()
        t.dev_flagged_page = t.feedback_page("dev")

        # --- the due date passes: late work ------------------------------------------------
        t.grade("add", str(t.course / "keys" / f"{A1}.yaml"), "--due", utc(), step="due")
        time.sleep(1)
        t.submit(mp, "cara", A1, dict(RIGHT), GOOD_CODE)
        t.submit(mp, "fay", A1, dict(RIGHT), GOOD_CODE)  # a late resubmission
        t.grade("run", A1, "--quiet", step="run3")

        # --- the key is fixed; the run that notices is interrupted, the next finishes it ---
        (t.course / "keys" / f"{A1}.yaml").write_text(t.fixed_key)
        first = run_cli("run", A1, "--workers", "1", "--quiet", cwd=t.course)
        runs = t.course / "grade-runs" / A1
        stamps = {p: p.stat().st_mtime_ns for p in runs.glob("*.json")}
        deadline = time.time() + 240
        while time.time() < deadline and sum(
                1 for p in runs.glob("*.json") if p.stat().st_mtime_ns != stamps.get(p)) < 2:
            time.sleep(0.1)
        first.send_signal(signal.SIGINT)
        _, err = first.communicate(timeout=120)
        assert first.returncode == 130 and "Traceback" not in err, err
        t.sandboxes_after_interrupt = live_sandboxes(t.course)
        t.interrupted_pending = sorted(pending_students(gradebook=t.course / "gradebook.db",
                                                        assignment=A1))
        t.grade("run", A1, "--quiet", step="run-after-interrupt")

        # --- the flagged rewrite is graded again; feedback released the plain way ----------
        t.hand_grade("dev", "wants-g6", 3)
        t.stale_before_release = stale_feedback(gradebook=t.course / "gradebook.db",
                                                assignment=A1)
        t.nbgrader(mp, "release_feedback", A1, *t.flags)
        for student in ("ana", "dev", "hax"):
            t.nbgrader(mp, "fetch_feedback", A1, "--student", student,
                       *t.student_flags(student), cwd=t.home(student, A1).parent)

        # --- a forced regrade at the end of term, then the exports -------------------------
        t.before_force = (t.grades(), t.comments())
        t.grade("run", A1, "--force", "--quiet", step="force")
        t.grade("report", step="report")
    return t


def test_every_final_score(term):
    totals = term.totals()
    # g1 g2 g3 g4 g7, code, rewrite (+ extra credit)
    expected = {
        "ana": 1 + 1 + 1 + 1 + 2 + 2 + 4 + 1,  # all right, rewrite 4 + 1 extra credit
        "Ben": 1 / 3 + 1 + 0 + 0.5 + 0 + 0 + 2,  # g3 was right only under the wrong key
        "cara": 8 * 0.9,  # all right but no rewrite; a day late: 10% off
        "dev": 1 + 0 + 1 + 1 + 2 + 2 + 3,  # resubmitted: g2 wrong, new rewrite regraded to 3
        "eli": 1 + 1 + 1 + 0.5 + 2 + 2 + 1,  # resubmitted g4, same rewrite: its grade kept
        "fay": 1 + 1 + 1 + 1 + 2 + 0,  # the on-time submission (no code) counts
        "zed": 1,  # off the roster, graded all the same
        "hax": 1,  # only g1; the rewrite still waits for a person
    }
    assert totals == pytest.approx(expected, abs=1e-3)
    # g1 g2 g3 g4 g7, code
    assert term.totals(A2) == pytest.approx({"ana": 8, "Ben": 0.5 + 1 + 0 + 1 + 0 + 0},
                                            abs=1e-3)


def test_every_hand_grade_and_comment_survives_to_the_end(term):
    grades = term.grades()
    hand = {s: (items["wants-g6"][1], items["wants-g6"][2], items["wants-g6"][3])
            for s, items in grades.items()}
    assert hand == {"ana": (4, 1, False), "Ben": (2, None, False), "dev": (3, None, False),
                    "eli": (1, None, False), "cara": (None, None, False),
                    "fay": (None, None, False), "zed": (None, None, False),
                    "hax": (None, None, True)}
    assert term.comments() == {
        "ana": {"wants-g6-comments": "Lovely rewrite: it invites without pushing."},
        "Ben": {"wants-g5-answer": "Median, not mean."},
        "dev": {"wants-g6-comments": "Good start."},
        "eli": {"wants-g6-comments": "Add a question."},
        "cara": {}, "fay": {}, "zed": {}, "hax": {}}
    assert term.before_force == (grades, term.comments()), "--force changed nothing a person did"


def test_a_resubmission_keeps_an_unchanged_hand_grade_and_flags_a_changed_one(term):
    after = term.after_resubmission
    assert after["eli"]["wants-g6"] == (1, 1, None, False), "same rewrite: grade kept"
    assert after["dev"]["wants-g6"] == (2, 2, None, True), "new rewrite: kept, flagged"
    assert "flagged for you to look again" in term.out["run2"] and "dev wants-g6" in term.out[
        "run2"]
    assert "resubmitted: dev, eli" in term.out["run2"]
    assert "Question 6" in term.dev_flagged_page
    assert re.search(r"awaiting grading \(out of 4\.0\)", _text(term.dev_flagged_page))


def test_the_key_fix_is_noticed_and_an_interrupted_regrade_is_finished(term):
    assert term.before_fix["ana"]["wants-g3"][0] == 0 and term.before_fix["Ben"][
        "wants-g3"][0] == 1, "graded with the wrong key at first"
    assert term.interrupted_pending, "the interrupted run left students to grade"
    out = term.out["run-after-interrupt"]
    assert "left unfinished by an interrupted run" in out
    graded = int(re.search(r"Graded (\d+) submission", out).group(1))
    assert graded == len(term.interrupted_pending)
    assert term.sandboxes_after_interrupt == [], "Ctrl+C left no kernel running"
    final = term.grades()
    assert final["ana"]["wants-g3"][0] == 1 and final["Ben"]["wants-g3"][0] == 0


def test_lateness_in_the_summary_and_a_late_resubmission_is_held_back(term):
    out = term.out["run3"]
    # graded with the wrong key still (7 points): 10% off for a day late
    assert re.search(r"1 late \(due \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\): cara 1 min late, "
                     r"penalty 0\.7", out), out
    assert "Held back: fay resubmitted" in out and "after the due date" in out
    assert "--student fay --accept-late" in out
    assert "Collected 1 new submission" in out, "cara's; fay's late one stays in the exchange"
    assert term.grades()["fay"]["wants-g5"][0] == 0, "the on-time submission is graded"
    assert "Collected" not in term.out["force"], "nothing new to collect, nothing said"


def test_the_exports_carry_scores_lateness_and_canvas_ids(term):
    reports = term.course / "reports"
    with open(reports / "grades.csv", newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    assert list(rows) == ["ana", "Ben", "cara", "dev", "eli", "fay", "gil", "hax", "zed"]
    assert float(rows["cara"]["wants"]) == pytest.approx(7.2)
    assert float(rows["cara"]["wants penalty"]) == pytest.approx(0.8)
    assert 0 < float(rows["cara"]["wants hours late"]) < 1
    assert rows["cara"]["wants due"] and rows["cara"]["wants submitted"] > rows["cara"][
        "wants due"]
    assert float(rows["ana"]["wants hours late"]) == 0 and rows["ana"]["wants status"] == "graded"
    assert (rows["hax"]["wants status"], float(rows["hax"]["wants"])) == ("pending", 1)
    assert (rows["gil"]["wants status"], rows["gil"]["wants"]) == ("missing", "0.0")
    assert (rows["gil"]["insights status"], rows["gil"]["insights"]) == ("not submitted", "")
    assert float(rows["ana"]["total"]) == pytest.approx(13 + 8)
    with open(reports / "canvas-grades.csv", newline="") as f:
        canvas = list(csv.reader(f))
    header, possible, people = canvas[0], canvas[1], {r[3]: r for r in canvas[2:]}
    assert header[:7] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                          "Assignment 1: the five wants (5551)",
                          "Assignment 5: seven insights (5552)"]
    assert possible[5:7] == ["12", "8"] and set(possible[7:]) == {"(read only)"}
    assert [r[3] for r in canvas[2:]] == list(rows), "same students, same order"
    column = {name: header.index(name) for name in header}
    cara = people["cara"]
    assert cara[:5] == ["Diaz, Cara", "103", "", "cara", ""] and cara[5] == "7.2"
    assert cara[column["wants: late penalty"]] == "0.8"
    assert float(cara[column["wants: hours late"]]) > 0
    assert header[column["wants: hours late"] - 1].startswith("wants: submitted (UTC; due ")
    assert people["hax"][5] == "", "a grade waiting for a person is left blank"
    assert (people["gil"][5], people["gil"][6]) == ("0", ""), "missing after the due date: 0"
    assert people["zed"][:5] == ["zed", "", "", "zed", ""] and people["zed"][5] == "1"
    report = (reports / "class-report.html").read_text()
    late = report[report.index('id="late"'):report.index('id="items"')]
    assert "<td>cara</td>" in late and "0.80" in late
    assert "Q6. Rewrite the yoga" in report, "items titled and numbered as in the notebook"


def test_feedback_is_never_stale_and_shows_what_the_grader_gave(term):
    assert set(term.stale_before_release) >= {"dev"}, "the regrade made dev's page stale"
    assert stale_feedback(gradebook=term.course / "gradebook.db", assignment=A1) == []
    fetched = {s: next(term.home(s, A1).glob("feedback/*/*.html")).read_text()
               for s in ("ana", "dev", "hax")}
    dev = _text(fetched["dev"])
    assert "awaiting grading" not in dev and "Question 6 3.0 / 4.0" in dev
    ana = _text(fetched["ana"])
    assert "Lovely rewrite: it invites without pushing." in ana
    assert "13.0 / 12.0" in ana, "extra credit counts"
    hax = _text(fetched["hax"])
    assert "awaiting grading (out of 4.0)" in hax and "(so far: 1 awaiting grading)" in hax
    assert "&lt;script&gt;" in fetched["hax"] and "<script>alert" not in fetched["hax"]
    for page in fetched.values():
        assert "graded_item(" not in page, "questions, not the code that drew them"
        assert "mathjax" not in page.lower() and not re.search(r'(src|href)="https?:', page)
    ben = _text(term.feedback_page("Ben", A2))
    assert "Tests did not pass. AssertionError: set paid_share" in ben
    record = json.loads((term.course / "grade-runs" / A1 / "ana.json").read_text())
    assert record["score"] == pytest.approx(13), "the run record shows the current total"
    assert "Feedback written again for 4" in term.out["feedback1"]


def test_the_adversary_reached_nothing_and_scored_only_their_answers(term):
    graded = nbformat.read(term.course / "autograded" / "hax" / A1 / f"{A1}.ipynb",
                           as_version=4)
    printed = "".join(o.get("text", "") for c in graded.cells if c.cell_type == "code"
                      for o in c.get("outputs", []))
    assert "net blocked" in printed and "NET-REACHED" not in printed
    assert not json.loads((term.course / "grade-runs" / A1 / "hax.json").read_text())[
        "problems"], "the probe ran to its end"
    assert "rubric" not in printed.lower() and "hard-sell: A discount" not in printed
    assert term.grades()["hax"]["wants-g2"][0] == 0, "the edited cell printed 2; it scores 0"
