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

from course.exercises.answers import read_submission_answers

from conftest import ROOT, SAMPLES

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SHOTS = ROOT / "tests" / "screenshots"
TOKEN = "course-browser-tests"

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


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab started as `make lab` starts it, on a copy of the course in a temp root."""
    from nbgrader.tests import run_nbgrader

    from course.grade.folder import init_course

    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    course = init_course(folder=root / "course", assignments=SAMPLES)
    cwd = os.getcwd()
    os.chdir(course)
    try:
        run_nbgrader(["generate_assignment", "wants", "--force"])
    finally:
        os.chdir(cwd)
    student = root / "student"
    shutil.copytree(course / "release" / "wants", student / "wants")
    settings = root / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port = free_port()
    log = root / "lab.log"
    lab_log = log.open("w")
    env = {**os.environ, "COURSE_PROGRESS_FILE": str(root / "progress.json"),
           "JUPYTERLAB_SETTINGS_DIR": str(root / "settings"),
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
    yield {"url": url, "root": root, "course": course, "student": student, "log": log}
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
    from course.exercises import load_items

    item = load_items()["wants-q1"]
    wrong = next(item.option_text(o) for o in item.options if o != item.key)
    widget.get_by_label(wrong, exact=True).check()
    check.click()
    feedback = widget.locator(".smm-feedback")
    feedback.wait_for(state="visible")
    assert "Wrong" in feedback.inner_text()
    widget.get_by_label(item.option_text(item.key), exact=True).check()
    check.click()
    widget.locator(".smm-feedback.smm-correct").wait_for(state="visible")
    assert "Correct" in widget.locator(".smm-feedback").inner_text()
    assert panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                         ).count() == 0
    shot(page, "lesson-self-check")


def test_assignment_answers_are_saved_restored_and_on_disk(page, lab):
    panel = open_notebook(page, lab, "student/wants/wants.ipynb")
    run_all(page, lab)
    widget, _ = exercise(panel, "wants-g1")
    widget.scroll_into_view_if_needed()
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
    assert sorted(saved["answer"]) == ["hard-sell", "spam"]
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
