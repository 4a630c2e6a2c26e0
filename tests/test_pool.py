"""The instructor's private item pool: checked with one-line errors, measured against the
open-book critic, made into a course folder and updated in it; and the samples' design
against a key on screen and against copying the critic."""

import shutil

import pytest
import yaml
from nbgrader.tests import run_nbgrader

from course.content.knowledge import load_posts
from course.grade.assignments import load_assignments
from course.grade.folder import init_course
from course.grade.pool import check_pool, copy_critic_credit
from course.grade.variants import SECRET_FILE

from conftest import SAMPLES, run_course

#: Copying the critic may earn at most this share of any sample assignment's points.
COPY_CEILING = 0.25


def make_pool(folder, edit=None, only=("wants",)):
    """A private pool outside the repository: sample files, one of them edited."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in only:
        data = yaml.safe_load((SAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
        if edit is not None and name == "wants":
            edit(data)
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(data, sort_keys=False,
                                                            allow_unicode=True))
    return folder


def item(data, item_id):
    return next(i for i in data["items"] if i["id"] == item_id)


def test_grade_pool_checks_a_pool_and_says_what_copying_the_critic_earns(tmp_path):
    pool = make_pool(tmp_path / "pool", only=("wants", "not"))
    done = run_course("grade", "pool", str(pool))
    assert done.returncode == 0, done.stderr
    for summary, assignment in zip(check_pool(pool=pool), load_assignments(pool).values(),
                                   strict=True):
        copied = sum(copy_critic_credit(assignment).values())
        assert summary.copy_points == pytest.approx(copied)
        line = next(x for x in done.stdout.splitlines() if x.startswith(assignment.id + " "))
        assert f"{copied:g} ({100 * copied / assignment.points():.0f}%)" in line


def _unknown_tag(data):
    item(data, "wants-g1")["variants"][1]["post"]["tags"]["shouting"] = "caps"


def _duplicate_variant(data):
    variants = item(data, "wants-g1")["variants"]
    variants[2]["id"] = variants[0]["id"]


def _variants_on_a_choice(data):
    item(data, "wants-g3")["variants"] = item(data, "wants-g1")["variants"]


def _post_and_variants(data):
    item(data, "wants-g1")["post"] = item(data, "wants-g1")["variants"][0]["post"]


def _rewrite_of_a_critiqued_post(data):
    item(data, "wants-g6")["post"] = dict(item(data, "wants-g1")["variants"][2]["post"])


def _bank_post(data):
    item(data, "wants-g2")["post"]["text"] = load_posts()[0].text


def _variant_without_post(data):
    del item(data, "wants-g1")["variants"][1]["post"]


def _one_variant(data):
    item(data, "wants-g1")["variants"] = item(data, "wants-g1")["variants"][:1]


@pytest.mark.parametrize("edit, message", [
    (_unknown_tag, "wants.yaml (variant 'bakery'): entry 'wants-g1': post.tags: unknown tag "
                   "'shouting'"),
    (_duplicate_variant, "wants.yaml: entry 'wants-g1': variants: duplicate variant id 'gym'"),
    (_variants_on_a_choice, "wants.yaml: entry 'wants-g3': variants: only critique items"),
    (_post_and_variants, "wants.yaml: entry 'wants-g1': variants: give each variant its own "
                         "post"),
    (_rewrite_of_a_critiqued_post, "wants.yaml: entry 'wants-g6': post: critique item "
                                   "'wants-g1' is about the same post"),
    (_bank_post, "wants.yaml: entry 'wants-g2': post: the same text is bank post"),
    (_variant_without_post, "wants.yaml: entry 'wants-g1': variants.1: missing field 'post'"),
    (_one_variant, "wants.yaml: entry 'wants-g1': variants"),
])
def test_a_bad_item_gets_one_line_naming_file_entry_and_field(tmp_path, edit, message):
    pool = make_pool(tmp_path / "pool", edit)
    for args in (["grade", "pool", str(pool)],
                 ["grade", "init", str(tmp_path / "course"), "--assignments", str(pool)]):
        done = run_course(*args)
        assert done.returncode == 1, done.stdout
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert message in done.stderr, done.stderr
    assert not (tmp_path / "course").exists(), "nothing is written from a bad pool"


def test_every_bad_file_of_a_pool_gets_its_line(tmp_path):
    """Two broken files: both are named at once, each on its own line."""
    pool = make_pool(tmp_path / "pool", lambda data: item(data, "wants-g1").update(
        key=["invites-convo"]), only=("wants", "not", "insights"))
    (pool / "not.yaml").write_text("id: not\nitems: [\n", encoding="utf-8")
    done = run_course("grade", "pool", str(pool))
    assert done.returncode == 1, done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("course: error: ") for line in lines), lines
    assert lines[0].startswith("course: error: not.yaml") and "wants.yaml" in lines[1], lines


def test_a_course_from_a_private_pool_then_an_item_added_to_it(tmp_path):
    pool = make_pool(tmp_path / "private" / "pool")
    init = run_course("grade", "init", str(tmp_path / "course"), "--assignments", str(pool))
    assert init.returncode == 0, init.stderr
    course = tmp_path / "course"
    assert sorted(p.name for p in (course / "keys").glob("*.yaml")) == ["wants.yaml"]
    secret = (course / "keys" / SECRET_FILE).read_text()
    config = (course / "nbgrader_config.py").read_text()

    def add_item(data):
        data["items"].insert(2, {
            "id": "wants-g8", "kind": "critique", "points": 1, "principles": ["want-interact"],
            "prompt": "Which tags does this post carry?",
            "post": {"platform": "x", "author": "a library",
                     "text": "Which book should our Thursday reading group try next? "
                             "Reply with your pick.",
                     "tags": {"invites-conversation": "Asks readers for their pick."}}})

    make_pool(pool, add_item)
    updated = run_course("grade", "pool", str(pool), "--course", str(course))
    assert updated.returncode == 0, updated.stderr
    assert "wants-g8" in (course / "keys" / "wants.yaml").read_text()
    assert '"wants-g8"' in (course / "source" / "wants" / "wants.ipynb").read_text()
    assert (course / "keys" / SECRET_FILE).read_text() == secret
    assert (course / "nbgrader_config.py").read_text() == config


def test_the_variants_of_a_released_item_cannot_change(tmp_path, monkeypatch):
    pool = make_pool(tmp_path / "pool")
    course = init_course(folder=tmp_path / "course", assignments=pool)
    monkeypatch.chdir(course)
    run_nbgrader(["generate_assignment", "wants", "--force"])
    before = (course / "keys" / "wants.yaml").read_text()

    def swap(data):
        variants = item(data, "wants-g1")["variants"]
        variants[0], variants[1] = variants[1], variants[0]

    make_pool(pool, swap)
    done = run_course("grade", "pool", str(pool), "--course", str(course))
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    assert "has been released with variants gym, bakery, salon" in done.stderr
    assert (course / "keys" / "wants.yaml").read_text() == before


def test_the_pool_is_a_folder(tmp_path):
    done = run_course("grade", "pool", str(tmp_path / "nowhere"))
    assert done.returncode == 2 and "no item pool at" in done.stderr


# --- the samples' design ---------------------------------------------------------------------

def test_no_sample_rewrite_shows_the_critics_view_of_a_critiqued_post():
    """Every assignment: the rewrite box shows the critic's view of its post, so no
    critique item of the same assignment (any version) may use that post."""
    for path in sorted(SAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        critiqued = {" ".join(p["text"].split()).casefold()
                     for i in data["items"] if i["kind"] == "critique"
                     for p in [i.get("post"), *(v["post"] for v in i.get("variants", ()))]
                     if p}
        rewrites = [" ".join(i["post"]["text"].split()).casefold()
                    for i in data["items"] if i["kind"] == "rewrite"]
        assert not critiqued & set(rewrites), path.name


def test_copying_the_critic_earns_little_of_any_sample_assignment():
    for assignment in load_assignments(SAMPLES).values():
        copied = sum(copy_critic_credit(assignment).values())
        assert copied <= COPY_CEILING * assignment.points(), assignment.id


def test_a_pool_folder_is_used_as_given(tmp_path):
    """A pool is read where it is; grade init copies it, the pool is never changed."""
    pool = make_pool(tmp_path / "pool")
    before = {p.name: p.read_bytes() for p in pool.iterdir()}
    init_course(folder=tmp_path / "course", assignments=pool)
    assert {p.name: p.read_bytes() for p in pool.iterdir()} == before
    shutil.rmtree(tmp_path / "course")
