"""Every lesson notebook: committed clean, valid, runs top to bottom in a real kernel,
and together they teach and practise every principle in the knowledge base."""

import nbformat
import pytest
from nbclient import NotebookClient

from course.exercises import load_items
from course.learn.coverage import coverage, format_coverage, notebook_calls
from course.lessons import load_lessons

from conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"
LESSONS = load_lessons()
SELF_CHECK_KINDS = {"single", "multiple", "numeric"}


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_notebook_is_committed_clean_and_valid(lesson):
    nb = nbformat.read(NOTEBOOKS / lesson.notebook, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, \
                f"{lesson.notebook} is committed with outputs"


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_notebook_runs_top_to_bottom(lesson, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_PROGRESS_FILE", str(tmp_path / "progress.json"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(NOTEBOOKS / lesson.notebook, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error" or (o.output_type == "stream" and o.name == "stderr")]
    assert not errors, errors


LESSONS_WITH_ARTICLE = [lesson for lesson in LESSONS if lesson.article]


@pytest.mark.parametrize("lesson", LESSONS_WITH_ARTICLE,
                         ids=[lesson.id for lesson in LESSONS_WITH_ARTICLE])
def test_lesson_has_self_checks_critiques_and_a_pandas_activity(lesson):
    items = load_items()
    used = notebook_calls(NOTEBOOKS / lesson.notebook)["exercise"]
    assert used <= set(items), f"unknown exercises: {used - set(items)}"
    kinds = [items[i].kind for i in used]
    assert sum(k in SELF_CHECK_KINDS for k in kinds) >= 3
    assert kinds.count("critique") >= 2
    source = (NOTEBOOKS / lesson.notebook).read_text(encoding="utf-8")
    assert "pandas" in source or "DataFrame" in source or "load_facebook_metrics" in source
    assert "show_post(" in source, "worked examples from the post bank"


def test_every_principle_is_taught_and_practised():
    rows = coverage(notebooks=NOTEBOOKS)
    gaps = [r.principle for r in rows if not r.taught_in or not r.practised_by]
    assert not gaps, f"not taught or not practised: {gaps}\n{format_coverage(rows)}"


def test_every_exercise_item_is_used_in_a_lesson():
    used = set().union(*(notebook_calls(NOTEBOOKS / lesson.notebook)["exercise"]
                         for lesson in LESSONS))
    assert set(load_items()) - used == set()

