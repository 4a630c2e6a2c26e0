"""Graded assignments as data, and the nbgrader source notebooks built from them.

An assignment file (``<id>.yaml`` in the instructor's assignments folder; the repository's
samples are in ``grading/assignments/``) lists items in
the same schema as the lesson exercises, with posts written into the file, plus ``code``
tasks graded by ordinary nbgrader tests (placed after the widget items). A critique item
may list ``variants`` instead of one ``post``: interchangeable posts, each with its own
labels (the key), of which each student sees one (:mod:`course.grade.variants`).
:func:`build_source_notebook` writes the nbgrader source notebook: widget items carry only
their public part (never a key); code tasks carry their solution and hidden tests inside
nbgrader's markers, which ``nbgrader generate_assignment`` strips before release.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..content.knowledge import load_posts, load_yaml
from ..errors import DataError, UsageError
from ..exercises import Item, Rewrite, build_item

__all__ = [
    "COMMENTS_SUFFIX",
    "VARIANT_KINDS",
    "Assignment",
    "build_source_notebook",
    "fingerprint",
    "graded_cell_source",
    "load_assignment",
    "load_assignments",
    "public_spec",
    "spec_of_cell",
    "variant_spec",
    "write_sources",
]

#: The kinds of item that may have a version per student.
VARIANT_KINDS = ("critique",)


@dataclass(frozen=True)
class Assignment:
    id: str
    title: str
    intro: str
    items: dict[str, Item]  # widget items, scored by the course grader
    code_tasks: tuple[dict, ...]  # tasks graded by nbgrader tests
    order: tuple[str, ...]  # item and task ids in notebook order
    #: item id -> {variant id -> the item with that variant's post and key}, first the
    #: default; ``items`` holds the default (or, for one student, their own variant).
    variants: dict[str, dict[str, Item]] = field(default_factory=dict)
    #: item id -> the variant id ``items`` holds, once resolved for one student.
    chosen: dict[str, str] = field(default_factory=dict)
    #: item id -> fingerprint of its entry in the key file: what a key change is noticed by
    prints: dict[str, str] = field(default_factory=dict, compare=False)

    def number(self, item_id: str) -> int:
        """The question number of an item or code task, as the notebook shows it."""
        return self.order.index(item_id) + 1

    def points(self) -> float:
        return sum(i.points for i in self.items.values()) + sum(
            float(t["points"]) for t in self.code_tasks)


def load_assignment(path: Path | str) -> Assignment:
    """Read and check one assignment file."""
    path = Path(path)
    raw = load_yaml(path, "assignment.yaml")
    if raw["id"] != path.stem:
        raise DataError(f"{path.name}: id: {raw['id']!r} must match the file name")
    posts = {p.id: p for p in load_posts()}
    items, tasks, order, variants = {}, [], [], {}
    for entry in raw["items"]:
        if entry["id"] in order:
            raise DataError(f"{path.name}: entry {entry['id']!r}: id: duplicate id")
        order.append(entry["id"])
        if entry["kind"] == "code":
            tasks.append(entry)
        else:
            if isinstance(entry.get("post"), str):
                raise DataError(f"{path.name}: entry {entry['id']!r}: post: graded items write "
                                "their post into the file (bank posts ship with their labels)")
            if "variants" in entry:
                variants[entry["id"]] = _variants(entry, posts, path.name)
                items[entry["id"]] = next(iter(variants[entry["id"]].values()))
            else:
                items[entry["id"]] = build_item(entry, posts, path.name)
    _check_not_in_bank(path.name, items, variants, posts)
    _check_no_key_on_screen(path.name, items, variants)
    # Code tasks go last: an unanswered one raises, and "Run All" stops at the first error,
    # so widgets placed after it would not appear.
    order = [i for i in order if i in items] + [t["id"] for t in tasks]
    prints = {entry["id"]: fingerprint(json.dumps(entry, sort_keys=True, default=str))
              for entry in raw["items"]}
    return Assignment(raw["id"], raw["title"], raw["intro"], items, tuple(tasks), tuple(order),
                      variants, prints=prints)


def _variants(entry: dict, posts: dict, file: str) -> dict[str, Item]:
    """The versions of a variant item, by variant id, each a whole item (same id)."""
    where = f"{file}: entry {entry['id']!r}: variants"
    if entry["kind"] not in VARIANT_KINDS:
        raise DataError(f"{where}: only {', '.join(VARIANT_KINDS)} items have a version per "
                        "student")
    clash = [k for k in ("post", "key") if k in entry]
    if clash:
        raise DataError(f"{where}: give each variant its own post (and key), not the item "
                        f"its {' and '.join(clash)}")
    out: dict[str, Item] = {}
    for variant in entry["variants"]:
        if variant["id"] in out:
            raise DataError(f"{where}: duplicate variant id {variant['id']!r}")
        raw = {k: v for k, v in entry.items() if k != "variants"}
        raw["post"] = variant["post"]
        if "key" in variant:
            raw["key"] = variant["key"]
        out[variant["id"]] = build_item(raw, posts, f"{file} (variant {variant['id']!r})")
    return out


def _versions(items: dict[str, Item], variants: dict[str, dict[str, Item]]):
    """Every item, and every variant of an item that has versions."""
    for item_id, item in items.items():
        yield from (variants.get(item_id) or {item_id: item}).values()


def _check_not_in_bank(file: str, items: dict[str, Item], variants: dict[str, dict[str, Item]],
                       posts: dict) -> None:
    """The post bank ships with the course package, labels included: a graded post taken
    from it would hand students its key."""
    bank = {_same_text(p.text): p.id for p in posts.values()}
    for item in _versions(items, variants):
        if item.post is not None and _same_text(item.post.text) in bank:
            raise DataError(f"{file}: entry {item.id!r}: post: the same text is bank post "
                            f"{bank[_same_text(item.post.text)]!r}, whose labels ship with "
                            "the course package: write a post of your own")


def _check_no_key_on_screen(file: str, items: dict[str, Item],
                            variants: dict[str, dict[str, Item]]) -> None:
    """A graded rewrite shows the critic's view of its post. If a critique item of the
    same assignment is about that post, the screen would show that item's answer."""
    critiqued = {_same_text(v.post.text): v.id for v in _versions(items, variants)
                 if v.kind == "critique" and v.post is not None}
    for item in items.values():
        if isinstance(item, Rewrite) and _same_text(item.the_post.text) in critiqued:
            raise DataError(
                f"{file}: entry {item.id!r}: post: critique item "
                f"{critiqued[_same_text(item.the_post.text)]!r} is about the same post, and "
                "the rewrite shows the critic's view of it (that item's answer): give the "
                "rewrite a post of its own")


def _same_text(text: str) -> str:
    return " ".join(text.split()).casefold()


def fingerprint(text: str) -> str:
    """A short, stable fingerprint of ``text`` (keys and answers are compared by these)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_assignments(folder: Path | str) -> dict[str, Assignment]:
    """Every assignment file (``*.yaml``) in ``folder``, by id."""
    folder = Path(folder)
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not paths:
        raise UsageError(f"no assignment files (*.yaml) in {folder}: pass the folder that "
                         "holds them (the repository's samples are grading/assignments)")
    return {p.stem: load_assignment(p) for p in paths}


def public_spec(item: Item) -> dict:
    """What a student's notebook may know about a graded item: never its key."""
    spec = item.public()
    if item.hand_graded:
        spec["prompt"] += (" (Graded by your instructor with a rubric; the critic's view is "
                           "a suggestion to them.)")
    return spec


def variant_spec(assignment: Assignment, item_id: str) -> dict:
    """The public spec of an item: with variants, every variant's public post (never a
    key) in place of one ``post``; :mod:`course.grade.variants` adds who gets which."""
    spec = public_spec(assignment.items[item_id])
    versions = assignment.variants.get(item_id)
    if versions:
        spec.pop("post", None)
        spec["prompt"] += f" (Each student gets one of {len(versions)} versions of this post.)"
        spec["variants"] = [{"id": vid, "post": public_spec(v)["post"]}
                            for vid, v in versions.items()]
    return spec


#: What a graded widget cell runs; the spec is JSON on the last line.
_CELL_HEAD = "from course.graded import graded_item\n\ngraded_item("


def graded_cell_source(spec: dict) -> str:
    """The source of a graded widget cell showing ``spec`` (its public fields)."""
    return _CELL_HEAD + json.dumps(spec, ensure_ascii=False, indent=1) + ")"


def spec_of_cell(source: str) -> dict | None:
    """The spec a graded widget cell shows, or ``None`` if ``source`` is not one."""
    if not source.startswith(_CELL_HEAD) or not source.rstrip().endswith(")"):
        return None
    try:
        spec = json.loads(source[len(_CELL_HEAD):source.rstrip().rindex(")")])
    except ValueError:
        return None
    return spec if isinstance(spec, dict) else None
#: The grade id of the comment cell after a hand-graded item is the item's id plus this.
COMMENTS_SUFFIX = "-comments"


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = True,
          points: float | None = None, task: bool = False) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution}
    if task:
        meta["task"] = True
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def build_source_notebook(assignment: Assignment) -> nbformat.NotebookNode:
    """The nbgrader source notebook for ``assignment``."""
    # Only graded cells carry nbgrader metadata, and every graded cell follows another
    # graded or answer cell: nbgrader can then put back a graded cell a student deleted.
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    cells = [
        md(f"# {assignment.title}\n\n{assignment.intro.strip()}\n\n"
           "**How this works.** Answer each question in its widget: your answer is saved "
           "the moment you change it (the *Save answer* button saves again), in the "
           "`answers/` folder beside this notebook and inside the notebook itself. Save the "
           "notebook (Ctrl+S) before you submit. Code questions are answered in the code "
           f"cell below them. Total: {assignment.points():g} points."),
    ]
    tasks = {t["id"]: t for t in assignment.code_tasks}
    for number, item_id in enumerate(assignment.order, start=1):
        if item_id in assignment.items:
            item = assignment.items[item_id]
            spec = {"number": number, **variant_spec(assignment, item_id)}
            meta = _meta(item_id, grade=True, points=item.points)
            meta["jupyter"] = {"source_hidden": True}  # students see the widget, not its spec
            cells.append(code(graded_cell_source(spec), metadata=meta))
            if item.hand_graded:
                # A task cell of no points: nbgrader gives it a comment, so the formgrader
                # shows a comment box right under the answer, and feedback shows the comment.
                cells.append(md(f"*Question {number} is graded by your instructor; their "
                                "comments on it appear here in your feedback.*",
                                metadata=_meta(item_id + COMMENTS_SUFFIX, points=0, task=True)))
            continue
        task = tasks[item_id]
        cells.append(md(f"## Question {number}\n\n{task['prompt'].strip()}"))
        starter = "\n".join(filter(None, [(task.get("setup") or "").strip(),
                                          (task.get("starter") or "").strip()]))
        solution = "\n".join(filter(None, [
            starter, "### BEGIN SOLUTION", task["solution"].strip(), "### END SOLUTION"]))
        cells.append(code(solution, metadata=_meta(f"{item_id}-answer", solution=True,
                                                   locked=False)))
        tests = task["tests"].strip()
        if task.get("hidden_tests"):
            tests += ("\n### BEGIN HIDDEN TESTS\n" + task["hidden_tests"].strip()
                      + "\n### END HIDDEN TESTS")
        cells.append(code(tests, metadata=_meta(item_id, grade=True,
                                                points=float(task["points"]))))
    for index, cell in enumerate(cells):  # stable ids: regenerating changes nothing
        cell.id = cell.metadata.get("nbgrader", {}).get("grade_id") or f"{assignment.id}-{index}"
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def write_sources(*, assignments: Path | str, out: Path | str) -> list[Path]:
    """Write ``<out>/<id>/<id>.ipynb`` (nbgrader source form) for every assignment file
    in ``assignments``."""
    folder = Path(out)
    written = []
    for assignment in load_assignments(assignments).values():
        target = folder / assignment.id / f"{assignment.id}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(build_source_notebook(assignment), target)
        written.append(target)
    return written
