"""The critic agrees with what the course teaches: every post a lesson shows or a lesson
exercise uses gets exactly its labelled tags, and each "Your turn" starting post carries
a problem for the learner to fix."""

import json
import re

import pytest

from course.content.knowledge import load_knowledge, load_posts
from course.critique import analyze
from course.exercises import load_items

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
BANK = {p.id: p for p in load_posts()}


def code_of(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(c["cell_type"], "".join(c["source"])) for c in cells]


def course_posts() -> list[str]:
    shown = {pid for nb in NOTEBOOKS for kind, src in code_of(nb) if kind == "code"
             for pid in re.findall(r"show_post\(\s*['\"](p\d+)['\"]", src)}
    used = {i.post.id for i in load_items().values() if i.post is not None and i.post.id in BANK}
    return sorted(shown | used)


def test_the_lessons_show_and_use_bank_posts():
    assert len(course_posts()) >= 20


@pytest.mark.parametrize("post_id", course_posts())
def test_each_course_post_gets_exactly_its_labelled_tags(post_id):
    post = BANK[post_id]
    found = analyze(post.text, post.platform)
    assert set(found.tags) == set(post.tags), {
        "missed": sorted(set(post.tags) - found.tags), "extra": sorted(found.tags - set(post.tags)),
        "evidence": [(e.tag, post.text[e.start:e.end]) for e in found.evidence]}


def your_turn_posts():
    """(notebook, text, platform) of the first critique("...") call after each "Your turn"."""
    out = []
    for nb in NOTEBOOKS:
        cells = code_of(nb)
        for i, (kind, src) in enumerate(cells):
            if kind == "markdown" and "Your turn" in src:
                for kind2, code in cells[i + 1:i + 4]:
                    call = re.search(r"critique\(\s*((?:\"[^\"]*\"\s*)+)(?:,\s*\"(\w+)\")?", code)
                    if kind2 == "code" and call:
                        text = "".join(re.findall(r"\"([^\"]*)\"", call.group(1)))
                        out.append((nb.name, text, call.group(2)))
                        break
    return out


def test_lessons_have_your_turn_posts():
    assert len(your_turn_posts()) >= 2


@pytest.mark.parametrize(("notebook", "text", "platform"), your_turn_posts())
def test_each_your_turn_post_has_a_problem_to_fix(notebook, text, platform):
    kb = load_knowledge()
    problems = {t for t in analyze(text, platform).tags if kb.tags[t].kind == "problem"}
    assert problems, f"{notebook}: the critic finds nothing to fix in {text!r}"
