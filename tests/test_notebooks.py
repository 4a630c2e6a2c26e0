"""Every lesson notebook: committed clean, valid, runs top to bottom in a real kernel
(where each "# your code here" task is checked on the learner's own variable), about
half an hour long as it says, with numbered exercises, clickable links, and exercises
that cannot be guessed; together they teach and practise every principle."""

import ast
import collections
import itertools
import re
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from course.content.knowledge import load_knowledge, load_posts
from course.exercises import load_items
from course.learn.coverage import coverage, format_coverage, notebook_calls
from course.learn.estimate import LESSON_MINUTES, estimate_lesson, stated_minutes
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


def code_tasks(lesson):
    items = load_items()
    used = notebook_calls(NOTEBOOKS / lesson.notebook)["exercise"]
    return [items[i] for i in sorted(used) if items[i].kind == "code"]


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_notebook_runs_top_to_bottom(lesson, tmp_path, monkeypatch):
    """Run All as committed, then, in the same kernel, what a learner does with each code
    task: check the starter (not answered yet), write the solution, check again."""
    monkeypatch.setenv("COURSE_PROGRESS_FILE", str(tmp_path / "progress.json"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    shutil.copytree(NOTEBOOKS, tmp_path / "notebooks")  # the capstone writes a file
    nb = nbformat.read(NOTEBOOKS / lesson.notebook, as_version=4)
    committed = len(nb.cells)
    for task in code_tasks(lesson):
        nb.cells += [
            nbformat.v4.new_code_cell(f"print(exercise({task.id!r}).check().status)"),
            nbformat.v4.new_code_cell(task.solution_code),
            nbformat.v4.new_code_cell(f"print(exercise({task.id!r}).check().status)"),
        ]
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path / "notebooks")}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error" or (o.output_type == "stream" and o.name == "stderr")]
    assert not errors, errors
    statuses = ["".join(o.get("text", "")).strip() for c in nb.cells[committed:]
                for o in c.outputs if o.output_type == "stream"]
    assert statuses == ["not attempted", "correct"] * len(code_tasks(lesson))


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



# --- the learner's hour ---------------------------------------------------------------------

def cells(lesson):
    return nbformat.read(NOTEBOOKS / lesson.notebook, as_version=4).cells


@pytest.mark.parametrize("lesson", LESSONS[1:], ids=[lesson.id for lesson in LESSONS[1:]])
def test_lesson_takes_about_half_an_hour_and_says_so(lesson):
    estimate = estimate_lesson(NOTEBOOKS / lesson.notebook)
    low, high = LESSON_MINUTES
    assert low <= estimate.minutes <= high, (lesson.id, estimate)
    stated = stated_minutes(NOTEBOOKS / lesson.notebook)
    assert stated is not None, f"{lesson.notebook} states no time at its top"
    assert abs(stated - estimate.minutes) <= 3, (lesson.id, stated, estimate)


@pytest.mark.parametrize("lesson", LESSONS[1:], ids=[lesson.id for lesson in LESSONS[1:]])
def test_exercises_are_numbered_the_same_way_in_every_lesson(lesson):
    cs, numbers = cells(lesson), []
    for before, cell in itertools.pairwise(cs):
        if cell.cell_type == "code" and re.search(r'exercise\("[\w-]+"\)\.widget\(\)',
                                                  cell.source):
            label = re.search(r"\*\*Exercise (\d+)\.\*\* \S", before.source.split("\n\n")[-1])
            assert before.cell_type == "markdown" and label, (lesson.id, cell.source)
            numbers.append(int(label.group(1)))
    assert numbers == list(range(1, len(numbers) + 1)), (lesson.id, numbers)
    assert not re.search(r"Self-check|Critique \d|Check yourself",
                         "".join(c.source for c in cs if c.cell_type == "markdown"))


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_next_and_lesson_links_are_clickable(lesson):
    markdown = "".join(c.source for c in cells(lesson) if c.cell_type == "markdown")
    position = [lesson.id for lesson in LESSONS].index(lesson.id)
    targets = re.findall(r"\]\(([\w.-]+\.ipynb)\)", markdown)
    assert all((NOTEBOOKS / t).exists() for t in targets), targets
    if position + 1 < len(LESSONS):
        assert re.search(r"\*\*Next:\*\* \[[^]]+\]\(" + re.escape(LESSONS[position + 1].notebook),
                         markdown), f"{lesson.notebook}: no link to the next lesson"
    if position == 0:
        assert targets[:len(LESSONS) - 1] == [x.notebook for x in LESSONS[1:]]


@pytest.mark.parametrize("lesson", LESSONS[1:], ids=[lesson.id for lesson in LESSONS[1:]])
def test_every_lesson_has_a_code_task_on_the_learners_own_variable(lesson):
    tasks = code_tasks(lesson)
    assert tasks, f"{lesson.notebook} has no '# your code here' task"
    cs = cells(lesson)
    for task in tasks:
        at = next(n for n, c in enumerate(cs) if f'exercise("{task.id}").widget()' in c.source)
        starter = cs[at + 1]
        assert starter.cell_type == "code" and starter.source.startswith("# your code here")
        assert re.search(rf"^{task.variable} = \.\.\.$", starter.source, re.M), starter.source


def test_no_exercise_post_is_a_worked_example_or_used_twice():
    shown = set()
    for lesson in LESSONS:
        shown |= set(re.findall(r'show_post\("(p\d+)"\)', "".join(
            c.source for c in cells(lesson) if c.cell_type == "code")))
        shown |= set(re.findall(r'"(p\d{3})"', "".join(
            c.source for c in cells(lesson) if c.cell_type == "code")))  # the feed audit
    posts = [i.post.id for i in load_items().values() if i.post is not None]
    assert not set(posts) & shown, f"exercise posts shown as worked examples: {set(posts) & shown}"
    twice = [p for p, n in collections.Counter(posts).items() if n > 1]
    assert not twice, f"exercise posts used twice: {twice}"


@pytest.mark.parametrize("lesson_id", ["wants", "insights"])
def test_your_turn_posts_carry_problems_to_fix(lesson_id):
    lesson = next(x for x in LESSONS if x.id == lesson_id)
    cs = cells(lesson)
    at = next(n for n, c in enumerate(cs) if c.source.startswith("**Your turn.**"))
    call = ast.parse(cs[at + 1].source).body[0].value
    assert isinstance(call, ast.Call) and call.func.id == "critique"
    text = ast.literal_eval(call.args[0])
    bank = {p.text: p for p in load_posts()}
    post = bank.get(text)
    assert post is not None, f"the Your turn post of {lesson_id} is not a labelled bank post"
    kb = load_knowledge()
    assert post.tags and all(kb.tags[t].kind == "problem" for t in post.tags), post.tags


#: A lesson's single-choice keys may share a position or be the longest option in at most
#: this share of its items ("mostly" would be more than half).
MOSTLY = 0.5
#: Across the course, a key may be the longest option in at most this share of items: a
#: quarter is what chance gives with four options.
LONGEST_OVERALL = 0.25


def test_options_are_balanced_so_keys_cannot_be_guessed():
    items = [i for i in load_items().values() if i.kind in ("single", "multiple")]
    by_lesson = collections.defaultdict(list)
    for item in items:
        by_lesson[item.lesson].append(item)
    longest_overall = []
    for lesson, group in by_lesson.items():
        singles = [i for i in group if i.kind == "single"]
        positions = collections.Counter(i.ids.index(i.key_ids[0]) for i in singles)
        assert max(positions.values()) <= MOSTLY * len(singles), (lesson, positions)
        longest = [i.id for i in singles if all(
            len(i.label(i.key_ids[0])) > len(i.label(o)) for o in i.ids if o != i.key_ids[0])]
        assert len(longest) <= MOSTLY * len(singles), (lesson, longest)
        longest_overall += longest
        keyed = [len(i.label(o)) for i in group for o in i.key_ids]
        others = [len(i.label(o)) for i in group for o in i.ids if o not in i.key_ids]
        mean_keyed, mean_others = sum(keyed) / len(keyed), sum(others) / len(others)
        assert 0.8 <= mean_keyed / mean_others <= 1.25, (lesson, mean_keyed, mean_others)
        assert all(len(i.ids) >= 4 for i in group), lesson
        assert all(i.note(o) for i in group for o in i.ids if o not in i.key_ids), \
            f"{lesson}: a wrong option without a note on why it is wrong"
    singles = [i for i in items if i.kind == "single"]
    assert len(longest_overall) <= LONGEST_OVERALL * len(singles), longest_overall


def test_shuffled_options_are_the_learners_own_and_spread_the_key():
    from course.exercises import option_order

    items = [i for i in load_items().values() if i.kind == "single"]
    item = items[0]
    assert option_order(item, "learner-a") == option_order(item, "learner-a")
    assert sorted(option_order(item, "learner-a")) == sorted(item.ids)
    differs = sum(option_order(i, "learner-a") != option_order(i, "learner-b") for i in items)
    assert differs >= len(items) * 0.6
    first = collections.Counter(option_order(item, f"learner-{n}").index(item.key_ids[0])
                                for n in range(400))
    assert len(first) == len(item.ids) and min(first.values()) > 400 / len(item.ids) / 2


def test_course_errors_read_as_one_line_in_a_notebook(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_PROGRESS_FILE", str(tmp_path / "progress.json"))
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from course.lessons import critique, exercise"),
        nbformat.v4.new_code_cell('exercise("wants-q9")'),
        nbformat.v4.new_code_cell('critique("Hello", "myspace")'),
    ])
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()
    (error,) = nb.cells[1].outputs
    assert error.output_type == "error"
    (line,) = error.traceback
    assert line.startswith("UnknownIdError: no exercise 'wants-q9'; did you mean 'wants-q")
    (card,) = nb.cells[2].outputs
    html = card.data["text/html"]
    assert "unknown platform &#x27;myspace&#x27;" in html and "Critiqued without" in html
