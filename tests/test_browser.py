"""The course as a person uses it: JupyterLab in headless Chromium, driven by Playwright.

Needs Debian's ``chromium`` (``/usr/bin/chromium``; Playwright's own browser download is
not used). Without it these tests skip with a message, except under ``CI=true``, where a
missing browser fails the run. Screenshots land in ``tests/screenshots/``.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from course.exercises import load_items
from course.exercises.answers import read_submission_answers
from course.grade.variants import SECRET_FILE

from conftest import ROOT, SAMPLES

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SHOTS = ROOT / "tests" / "screenshots"
TOKEN = "course-browser-tests"
SECRET = "0123456789abcdef" * 4  #: the course secret of the test course
HUB_USER = "alice"  #: the student JupyterLab runs for (on the roster)

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs Chromium at {CHROMIUM} (apt-get install chromium)",
                    pytrace=False)
    pytest.skip(f"no Chromium at {CHROMIUM}: `apt-get install chromium` to run the browser "
                "tests", allow_module_level=True)

playwright_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: What `make lab` puts on Jupyter's config path: the learner's settings.
LEARNER_CONFIG = ROOT / "jupyter"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab started as `make lab` starts it (the learner's settings in jupyter/ on
    Jupyter's config path), on a copy of the course in a temp root; the user's own Jupyter
    config and settings are kept out."""
    from nbgrader.tests import run_nbgrader

    from course.grade.folder import init_course

    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    course = init_course(folder=root / "course", assignments=SAMPLES)
    # A known secret, so the student below gets a version of wants-g1 other than the first.
    (course / "keys" / SECRET_FILE).write_text(SECRET)
    cwd = os.getcwd()
    os.chdir(course)
    try:
        run_nbgrader(["db", "student", "add", HUB_USER])
        run_nbgrader(["generate_assignment", "wants", "--force"])
    finally:
        os.chdir(cwd)
    student = root / "student"
    shutil.copytree(course / "release" / "wants", student / "wants")
    # Test-only: every cell in the page (no windowing), so axe sees whole lessons.
    settings = root / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port = free_port()
    log = root / "lab.log"
    lab_log = log.open("w")
    env = {**os.environ, "COURSE_PROGRESS_FILE": str(root / "progress.json"),
           "JUPYTERHUB_USER": HUB_USER,  # as a hub starts a student's server
           "JUPYTER_CONFIG_PATH": str(LEARNER_CONFIG),
           "JUPYTER_CONFIG_DIR": str(root / "user-config"),
           "JUPYTERLAB_SETTINGS_DIR": str(root / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(root / "workspaces"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
         f"--ServerApp.root_dir={root}", "--allow-root",
         # window.jupyterapp, to wait for a kernel as JupyterLab's own UI tests do
         "--LabApp.expose_app_in_browser=True"],
        cwd=course, env=env, stdout=lab_log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start")
    yield {"url": url, "root": root, "course": course, "student": student, "log": log,
           "progress": root / "progress.json"}
    server.terminate()
    server.wait(timeout=20)
    lab_log.close()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def open_notebook(page, lab, path):
    """Open one notebook alone, in a fresh workspace; return its panel."""
    workspace = Path(path).stem.replace("_", "-")
    page.goto(f"{lab['url']}/lab/workspaces/{workspace}/tree/{path}?reset&token={TOKEN}")
    return notebook_ready(page)


KERNEL_READY = """() => {
    const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const session = widget && widget.sessionContext && widget.sessionContext.session;
    const kernel = session && session.kernel;
    return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
}"""


def notebook_ready(page):
    """Wait until the open notebook shows its cells and its kernel is connected and idle
    (JupyterLab skips the cells of a run started before that); return its panel."""
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    panel.locator(".jp-Cell").first.wait_for(state="visible")
    page.wait_for_function(KERNEL_READY, timeout=120_000)
    return panel


RUN_FINISHED = """() => {
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
    // Started (a cell is numbered) and finished (no cell waiting with *);
    // "Run All" stops at an error, so later cells may stay unnumbered.
    return prompts.some(p => /\\[\\d+\\]/.test(p.textContent))
        && prompts.every(p => !p.textContent.includes('*'));
}"""


def run_all(page, lab):
    """Run every cell, as a person would from the Run menu, and wait until the run has
    finished."""
    click_run_all(page, lab)
    try:
        page.wait_for_function(RUN_FINISHED, timeout=120_000)
    except playwright_api.TimeoutError:
        pytest.fail("the notebook run did not finish in 120 s:\n" + page_state(page, lab))


def click_run_all(page, lab):
    run_all_item = page.locator(".lm-Menu-item", has_text="Run All Cells").first
    for _ in range(10):
        # The menu acts on the current widget: focus the notebook, then check that the
        # command is enabled before clicking it (a disabled menu item ignores the click).
        page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first.click()
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
        run_all_item.wait_for(state="visible")
        if "lm-mod-disabled" not in (run_all_item.get_attribute("class") or ""):
            run_all_item.click()
            return
        page.keyboard.press("Escape")
        time.sleep(1)
    pytest.fail("'Run All Cells' stayed disabled:\n" + page_state(page, lab))


def page_state(page, lab) -> str:
    """What a person would see, for a failure message: dialogs, kernel, cell prompts."""
    return page.evaluate("""() => {
        const text = sel => [...document.querySelectorAll(sel)].map(e => e.innerText.trim());
        const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
        return [
            'dialogs: ' + JSON.stringify(text('.jp-Dialog')),
            'kernel: ' + (status ? status.getAttribute('data-status') : 'no indicator'),
            'kernel name: ' + JSON.stringify(text('.jp-KernelName')),
            'prompts: ' + JSON.stringify(text('.jp-NotebookPanel:not(.lm-mod-hidden) '
                                               + '.jp-CodeCell .jp-InputPrompt')),
            'errors: ' + JSON.stringify(text('.jp-OutputArea-output[data-mime-type='
                                              + '"application/vnd.jupyter.stderr"]')),
        ].join('\\n');
    }""") + "\nJupyterLab's log ends:\n" + lab["log"].read_text()[-3000:]




def exercise(panel, item_id):
    selector = (f"button[title='Check your answer to {item_id}'], "
                f"button[title='Save your answer to {item_id}']")
    widget = panel.locator(".smm-exercise", has=panel.page.locator(selector))
    widget.wait_for(state="attached")
    return widget, widget.locator(selector)


def save(page):
    page.locator(".lm-MenuBar-itemLabel", has_text="File").click()
    page.locator(".lm-Menu-itemLabel", has_text="Save Notebook").first.click()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_start_page_then_a_lesson_self_check(page, lab):
    panel = open_notebook(page, lab, "notebooks/00_start.ipynb")
    run_all(page, lab)
    panel.locator(".smm-progress").wait_for(state="visible")
    assert panel.locator(".smm-progress").inner_text().count("/") >= 5
    shot(page, "start-page")

    panel = open_notebook(page, lab, "notebooks/01_five_wants.ipynb")
    run_all(page, lab)
    widget, check = exercise(panel, "wants-q1")
    widget.scroll_into_view_if_needed()
    item = load_items()["wants-q1"]
    wrong = next(o for o in item.ids if o not in item.key_ids)
    widget.get_by_label(item.label(wrong), exact=True).check()
    check.click()
    feedback = widget.locator(".smm-feedback")
    feedback.wait_for(state="visible")
    assert "Wrong" in feedback.inner_text() and item.note(wrong) in feedback.inner_text()
    widget.get_by_role("button", name="Hint").click()
    widget.locator("[role=note]", has_text=item.hints[0]).wait_for(state="visible")
    shot(page, "lesson-wrong-then-hint")
    widget.get_by_label(item.label(item.key_ids[0]), exact=True).check()
    check.click()
    widget.locator(".smm-feedback.smm-correct").wait_for(state="visible")
    assert "Right" in widget.locator(".smm-feedback").inner_text()
    assert panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                         ).count() == 0
    shot(page, "lesson-self-check")


def test_assignment_answers_are_saved_restored_and_on_disk(page, lab):
    from course.grade.assignments import load_assignments
    from course.grade.variants import derive_variant

    versions = load_assignments(SAMPLES)["wants"].variants["wants-g1"]
    mine = derive_variant(SECRET.encode(), "wants", "wants-g1", HUB_USER, list(versions))
    assert mine != next(iter(versions)), "the student's version is not the default"
    panel = open_notebook(page, lab, "student/wants/wants.ipynb")
    run_all(page, lab)
    widget, _ = exercise(panel, "wants-g1")
    widget.scroll_into_view_if_needed()
    # The student sees their own version of the post, and no other.
    shown = widget.locator(".smm-post").inner_text()
    assert [v for v, i in versions.items() if i.the_post.text[:30] in shown] == [mine]
    widget.get_by_label("Hard sell", exact=True).check()
    widget.get_by_label("Spam", exact=True).check()
    rewrite, _ = exercise(panel, "wants-g6")
    rewrite.scroll_into_view_if_needed()
    box = rewrite.locator("textarea")
    box.fill("What's one habit you want to build this year? Tell us below.")
    rewrite.locator(".smm-changes", has_text="fixed: Hard sell").wait_for(state="visible")
    assert rewrite.locator("mark").count() > 0
    shot(page, "assignment-rewrite")
    save(page)
    notebook_file = lab["student"] / "wants" / "wants.ipynb"
    deadline = time.time() + 30
    while "application/vnd.smm-course.answer+json" not in notebook_file.read_text():
        assert time.time() < deadline, "the saved notebook carries no answers"
        time.sleep(0.5)

    answers = lab["student"] / "wants" / "answers"
    saved = json.loads((answers / "wants-g1.json").read_text())
    assert sorted(saved["answer"]) == ["hard-sell", "spam"] and saved["variant"] == mine
    assert json.loads((answers / "wants-g6.json").read_text())["answer"].startswith("What's one")
    mirrored = read_submission_answers(lab["student"] / "nowhere", notebook_file)
    assert sorted(mirrored["wants-g1"]["answer"]) == ["hard-sell", "spam"]

    page.reload()
    panel = notebook_ready(page)
    run_all(page, lab)
    widget, _ = exercise(panel, "wants-g1")
    widget.scroll_into_view_if_needed()
    assert widget.get_by_label("Hard sell", exact=True).is_checked()
    assert widget.get_by_label("Spam", exact=True).is_checked()
    assert not widget.get_by_label("Caring", exact=True).is_checked()
    shot(page, "assignment-restored")


def test_instructor_sees_the_assignment_in_formgrader(page, lab):
    page.goto(f"{lab['url']}/formgrader?token={TOKEN}")
    page.wait_for_selector("text=wants", timeout=60_000)
    assert page.locator(".alert-warning, .alert-danger").filter(has_text="exchange").count() == 0
    shot(page, "formgrader")


# --- the learner's hour -----------------------------------------------------------------------

def menu(page, top, item):
    page.locator(".lm-MenuBar-itemLabel", has_text=top).click()
    entry = page.locator(".lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel",
                         has_text=item).first
    entry.wait_for(state="visible")
    entry.click()


def restart_clearing_outputs(page, lab):
    """Kernel > Restart Kernel and Clear Outputs of All Cells, as a learner would: nothing
    on the page or in the kernel remembers the answers after this."""
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first.click()
    menu(page, "Kernel", "Restart Kernel and Clear Outputs of All Cells")
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.wait_for_function(
        """() => !document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) '
                                          + '.jp-OutputArea-output')""")
    page.wait_for_function(KERNEL_READY, timeout=120_000)


def no_errors_on_screen(panel):
    errors = panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter"
                           ".stderr']")
    assert errors.count() == 0, errors.all_inner_texts()
    assert "Traceback" not in panel.inner_text()
    assert "model not found" not in panel.inner_text()


def test_answers_the_done_mark_and_the_best_score_come_back_after_a_restart(page, lab):
    panel = open_notebook(page, lab, "notebooks/02_relationships.ipynb")
    run_all(page, lab)
    items = load_items()
    single = items["relationships-q4"]
    key = single.label(single.key_ids[0])
    widget, check = exercise(panel, "relationships-q4")
    widget.scroll_into_view_if_needed()
    widget.get_by_label(key, exact=True).check()
    check.click()
    widget.locator(".smm-feedback.smm-correct").wait_for(state="visible")
    wrong = single.label(next(o for o in single.ids if o not in single.key_ids))
    widget.get_by_label(wrong, exact=True).check()
    check.click()  # a wrong check after a right one
    widget.locator(".smm-feedback.smm-wrong").wait_for(state="visible")
    critique, check_critique = exercise(panel, "relationships-c2")
    critique.scroll_into_view_if_needed()
    critique.get_by_label("Gives value", exact=True).check()
    check_critique.click()
    critique.locator(".smm-feedback.smm-partly-correct").wait_for(state="visible")
    rewrite, check_rewrite = exercise(panel, "relationships-r1")
    rewrite.scroll_into_view_if_needed()
    mine = "Measuring up for a new sofa? Tape out its footprint on the floor first. What's " \
           "your living room's trickiest corner?"
    rewrite.locator("textarea").fill(mine)
    check_rewrite.click()
    rewrite.locator(".smm-feedback").wait_for(state="visible")

    restart_clearing_outputs(page, lab)
    run_all(page, lab)
    widget, _ = exercise(panel, "relationships-q4")
    widget.scroll_into_view_if_needed()
    spacing = widget.locator(".widget-html-content").first.evaluate(
        "e => parseFloat(getComputedStyle(e).lineHeight)"
        " / parseFloat(getComputedStyle(e).fontSize)")
    assert spacing < 1.6, "ordinary line spacing in widget text"
    assert widget.get_by_label(wrong, exact=True).is_checked(), "the last answer is back"
    status = widget.locator(".smm-status").inner_text()
    assert "Done" in status and "best 1/1" in status and "2 tries" in status
    assert widget.get_by_role("button", name="Show answer").is_visible()
    critique, _ = exercise(panel, "relationships-c2")
    assert critique.get_by_label("Gives value", exact=True).is_checked()
    assert not critique.get_by_label("Hard sell", exact=True).is_checked()
    assert "Best so far: 1/2" in critique.locator(".smm-status").inner_text()
    rewrite, _ = exercise(panel, "relationships-r1")
    assert rewrite.locator("textarea").input_value() == mine
    no_errors_on_screen(panel)
    shot(page, "lesson-answers-restored")


def test_a_saved_lesson_reopens_in_a_new_kernel_without_model_not_found(page, lab):
    path = "notebooks/03_seven_cs.ipynb"
    panel = open_notebook(page, lab, path)
    run_all(page, lab)
    exercise(panel, "seven-cs-q1")[0].wait_for(state="visible")
    save(page)
    saved = lab["root"] / path
    deadline = time.time() + 30
    while "run this cell (or Run All)" not in saved.read_text():
        assert time.time() < deadline, "the saved notebook keeps no line for its exercises"
        time.sleep(0.5)
    assert "application/vnd.jupyter.widget-view+json" not in saved.read_text()
    # Close it: shut every kernel down, then open the file again in a new kernel.
    request = urllib.request.Request(f"{lab['url']}/api/sessions?token={TOKEN}")
    for session in json.loads(urllib.request.urlopen(request).read()):
        urllib.request.urlopen(urllib.request.Request(
            f"{lab['url']}/api/sessions/{session['id']}?token={TOKEN}", method="DELETE"))
    panel = open_notebook(page, lab, path)
    line = panel.locator(".jp-OutputArea-output", has_text="Exercise seven-cs-q1: run this cell")
    line.first.wait_for(state="visible")
    assert "model not found" not in panel.inner_text()
    shot(page, "lesson-reopened")
    run_all(page, lab)  # and Run All brings the widgets back
    exercise(panel, "seven-cs-q1")[0].wait_for(state="visible")
    no_errors_on_screen(panel)


def set_cell(page, panel, starts_with, source):
    """Replace the source of the code cell that starts with ``starts_with`` by typing."""
    cell = panel.locator(".jp-CodeCell", has=page.locator(".cm-content",
                                                          has_text=starts_with)).first
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(source)
    page.keyboard.press("Escape")


TWELVE_POSTS = [
    ("instagram", "Our autumn menu is here! Book now."),
    ("facebook", "Which soup should we bring back for winter? Vote in the comments."),
    ("x", "Three ways to keep bread fresh: wrap it, skip the fridge, freeze the rest."),
    ("linkedin", "We are proud to announce our third award in a row."),
    ("pinterest", "Photo of our apple crumble, with the recipe card."),
    ("threads", "What's the first thing you bake when it turns cold?"),
    ("tiktok", "Watch our croissants get their 27 layers."),
    ("youtube", "How to shape a round loaf at home, in ten minutes."),
    ("Twitter", "Sorry to everyone who missed the cinnamon buns. Double batch next week."),
    ("myspace", "LAST CHANCE!!! 2 for 1 on all cakes today only!!!"),
    ("facebook", "Thank you, Marta, for ten years of sourdough at dawn."),
    ("instagram", "Gift cards from £10 at www.example.com/gifts"),
]


@pytest.mark.parametrize("posts", [TWELVE_POSTS[:1], TWELVE_POSTS], ids=["one", "twelve"])
def test_the_capstone_works_with_a_learners_own_posts(page, lab, posts):
    panel = open_notebook(page, lab, "notebooks/06_capstone.ipynb")
    source = "my_posts = [\n" + "".join(f"    {p!r},\n" for p in posts) + "]"
    set_cell(page, panel, "my_posts = [", source)
    run_all(page, lab)
    no_errors_on_screen(panel)
    audit = panel.locator(".jp-OutputArea-output table", has_text="post no.").first
    assert audit.locator("tbody tr").count() == len(posts)
    if any(platform == "myspace" for platform, _ in posts):
        note = panel.locator(".jp-OutputArea-output", has_text="unknown platform 'myspace'")
        assert note.count() >= 1 and len(note.first.inner_text().strip().splitlines()) == 1
    assert panel.locator("img[alt^='Bar chart of your content mix']").count() == 1
    rewrite = panel.locator(".smm-exercise.smm-rewrite").first
    rewrite.scroll_into_view_if_needed()
    weakest = "LAST CHANCE" if len(posts) > 1 else posts[0][1]
    assert weakest in rewrite.locator("textarea").input_value()
    rewrite.locator("textarea").fill("What cake should we bake for your birthday? "
                                     "Tell us below and we'll share the recipe.")
    rewrite.locator(".smm-changes").wait_for(state="visible")
    rewrite.get_by_role("button", name="Check").click()
    rewrite.locator(".smm-feedback").wait_for(state="visible")
    tagged = panel.locator(".jp-OutputArea-output table", has_text="tags").last
    assert tagged.locator("tbody tr").count() == 12, "the sample CSV is critiqued"
    shot(page, f"capstone-{len(posts)}-posts")


def settle(page):
    """Wait, as a person would between key presses, until the kernel has taken the change
    (an answer goes to the kernel and comes back as the widget's state)."""
    page.wait_for_timeout(250)
    page.wait_for_function(KERNEL_READY)


def right(widget):
    """Wait for the widget to say Right; fail with what it says instead."""
    try:
        widget.locator(".smm-feedback.smm-correct").wait_for(state="visible", timeout=30_000)
    except playwright_api.TimeoutError:
        pytest.fail("no 'Right' feedback; the widget shows:\n" + widget.inner_text())


def test_every_exercise_kind_can_be_answered_from_the_keyboard(page, lab):
    panel = open_notebook(page, lab, "notebooks/04_what_it_is_not.ipynb")
    run_all(page, lab)
    items = load_items()

    # Single choice: focus the group (as Tab does), arrows move the choice, Enter checks.
    single = items["not-q4"]
    widget, check = exercise(panel, "not-q4")
    radios = widget.locator("input[type=radio]")
    radios.first.focus()
    page.keyboard.press("Space")
    settle(page)
    start = radios.evaluate_all("rs => rs.findIndex(r => r.checked)")
    page.keyboard.press("ArrowDown")
    settle(page)
    moved = radios.evaluate_all("rs => rs.findIndex(r => r.checked)")
    assert moved == (start + 1) % radios.count(), "ArrowDown moves the choice"
    assert page.evaluate("document.activeElement.type") == "radio", "focus stays in the group"
    # Then to the key with the arrows, within the group: ipywidgets' radios carry no name,
    # so Chromium's arrows cross from a group's last option into the next question's.
    labels = radios.evaluate_all("rs => rs.map(r => r.parentElement.innerText.trim())")
    steps = labels.index(single.label(single.key_ids[0])) - moved
    for _ in range(abs(steps)):
        page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
        settle(page)
    assert radios.evaluate_all("rs => rs.findIndex(r => r.checked)") == moved + steps
    check.focus()
    ring = check.evaluate(
        "b => [getComputedStyle(b).outlineStyle, getComputedStyle(b).outlineWidth]")
    assert ring[0] == "solid" and float(ring[1].removesuffix("px")) >= 3, ring
    page.keyboard.press("Enter")
    right(widget)

    # Multiple choice and critique: Tab between boxes, Space ticks, Enter on Check.
    for item_id in ("not-q3", "not-c1"):
        item = items[item_id]
        widget, check = exercise(panel, item_id)
        boxes = widget.locator("input[type=checkbox]")
        labels = [item.label(k) for k in (item.key_ids if item.kind == "multiple"
                                          else item.key)]
        boxes.first.focus()
        for _ in range(boxes.count()):
            label = page.evaluate("document.activeElement.closest('label').innerText.trim()")
            if label in labels:
                page.keyboard.press("Space")
                settle(page)
            page.keyboard.press("Tab")
        check.focus()
        page.keyboard.press("Enter")
        right(widget)

    # Rewrite: type in the box, Tab to Check, Enter.
    widget, check = exercise(panel, "not-r1")
    widget.locator("textarea").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Planning a party? Ask each parent about allergies first. "
                       "What's your best tip? #kidsparty")
    check.focus()
    page.keyboard.press("Enter")
    widget.locator(".smm-feedback").wait_for(state="visible")

    # A code task: write the code in the cell below it, run it with Shift+Enter, check.
    task = items["not-p1"]
    widget, check = exercise(panel, "not-p1")
    set_cell(page, panel, "# your code here", task.solution_code.strip())
    cell = panel.locator(".jp-CodeCell", has=page.locator(".cm-content",
                                                          has_text=task.variable)).last
    before = cell.locator(".jp-InputPrompt").inner_text()
    cell.locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(
        r"""([cell, before]) => { const p = cell.querySelector('.jp-InputPrompt').textContent;
                                 return p !== before && /\[\d+\]/.test(p); }""",
        arg=[cell.element_handle(), before])
    check.focus()
    page.keyboard.press("Enter")
    right(widget)
    no_errors_on_screen(panel)
    shot(page, "keyboard-answers")


def test_the_learners_lab_hides_instructor_tools_and_the_news_prompt(page, lab):
    panel = open_notebook(page, lab, "notebooks/01_five_wants.ipynb")
    toolbar = panel.locator(".jp-Toolbar").first
    assert toolbar.get_by_text("Validate", exact=True).count() == 0
    menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    if "Nbgrader" in menus:
        page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
        entries = page.locator(".lm-Menu-itemLabel").all_inner_texts()
        page.keyboard.press("Escape")
        assert not {"Formgrader", "Course List"} & set(entries), entries
    page.locator(".lm-MenuBar-itemLabel", has_text="File").click()
    page.locator(".lm-Menu-itemLabel", has_text="New").first.hover()
    assert page.get_by_text("Create Assignment").count() == 0
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert page.get_by_text("get notified about", exact=False).count() == 0
    assert "Create Assignment" not in page.inner_text("body")
    # The next lesson is a click away.
    next_link = panel.locator(".jp-RenderedMarkdown a", has_text="Relationships before sales")
    next_link.last.scroll_into_view_if_needed()
    next_link.last.click()
    page.locator(".lm-TabBar-tab", has_text="02_relationships.ipynb").wait_for(state="visible")


AXE_RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                   "best-practice"]},
             "resultTypes": ["violations"]}
#: What the course writes into a notebook: every output, and the rendered Markdown.
COURSE_OUTPUTS = {"include": [[".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output"],
                              [".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedMarkdown"]]}


@pytest.mark.parametrize("notebook", sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")))
def test_axe_finds_nothing_in_the_course_outputs(page, lab, notebook):
    from axe_playwright_python.sync_playwright import Axe

    panel = open_notebook(page, lab, f"notebooks/{notebook}")
    run_all(page, lab)
    no_errors_on_screen(panel)
    results = Axe().run(page, context=COURSE_OUTPUTS, options=AXE_RULES)
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(n["target"]) + " " + n["html"][:120] for n in v["nodes"][:3])
        for v in results.response["violations"]]
    assert not violations, "\n".join(violations)
#: What the formgrader's page calls of MathJax 2 (typesetting is not under test).
MATHJAX_STAND_IN = """window.MathJax = {Hub: {Config() {}, Queue() {}, Typeset() {},
    Startup: {signal: {Interest(listen) { setTimeout(() => listen("End"), 0); }}}}};"""


def test_a_rewrite_gets_a_comment_box_and_no_stray_score_in_the_formgrader(page, lab):
    """A student's rewrite, graded by `grade run`, opened in the formgrader: a comment box
    sits under it (typing in it reaches the gradebook), and no "Out[n]: 0" under it."""
    from nbgrader.api import Gradebook

    from course.exercises.answers import save_answer
    from course.grade.pipeline import grade_run
    from course.grade.sandbox import sandbox_problem

    course = lab["course"]
    submitted = course / "submitted" / "rita" / "wants"
    shutil.copytree(course / "release" / "wants", submitted)
    save_answer(submitted, "wants-g6", "What would you like to try first? Come by for a "
                                       "free class whenever suits you.")
    (submitted / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")
    grade_run(course_dir=course, assignment="wants", unsafe=bool(sandbox_problem()),
              progress=False)
    db = f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(db) as gb:
        notebook_id = gb.find_submission_notebook("wants", "wants", "rita").id
    # nbgrader's formgrader loads MathJax from a CDN and stops binding its inputs without
    # it; this machine may be offline, so the test serves a stand-in for that one file.
    page.route("**/mathjax/**", lambda route: route.fulfill(
        content_type="application/javascript", body=MATHJAX_STAND_IN))
    # the page's own requests to the formgrader's API carry the token, as after a login
    page.set_extra_http_headers({"Authorization": f"token {TOKEN}"})
    page.goto(f"{lab['url']}/formgrader/submissions/{notebook_id}/?token={TOKEN}")
    box = page.locator("#wants-g6-comments-comment")
    box.wait_for(state="visible")

    rewrite = page.locator(".cell", has=page.locator("text=Rewrite submitted"))
    assert rewrite.count() == 1
    assert "Out[" not in rewrite.inner_text()
    # the formgrader has bound the box to the gradebook's comment once it has a placeholder
    page.wait_for_function("document.querySelector('#wants-g6-comments-comment')"
                           ".placeholder.length > 0")
    box.fill("Warm and inviting; say what the free class is.")
    box.evaluate("box => box.blur()")  # the formgrader saves a comment when it loses focus
    deadline = time.time() + 30
    while True:
        with Gradebook(db) as gb:
            saved = gb.find_comment("wants-g6-comments", "wants", "wants",
                                    "rita").manual_comment
        if saved or time.time() > deadline:
            break
        time.sleep(0.5)
    assert saved == "Warm and inviting; say what the free class is."
    shot(page, "formgrader-rewrite")
