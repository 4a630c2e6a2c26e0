"""The package's shape: layers that only import downwards, no import cycles, the stable
names that notebooks and course folders use, and errors that say what to do."""

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "course"
#: Each layer, and the layers it may import (besides the foundation modules).
LAYERS = {
    "content": set(),
    "critic": {"content"},
    "exercises": {"content", "critic"},
    "learn": {"content", "critic", "exercises"},
    "grade": {"content", "critic", "exercises"},
}
FOUNDATION = {"course.errors", "course.files"}
JUPYTER = ("ipywidgets", "IPython", "nbgrader", "nbformat", "nbclient", "nbconvert",
           "jupyter_client", "ipykernel", "traitlets")
#: Stable paths: what released and lesson notebooks import, what the tag spec promises,
#: and the dotted names that course folders' nbgrader_config.py give.
STABLE = {
    "course.graded": ["graded_item"],
    "course.lessons": ["show_principle", "show_post", "critique", "exercise", "show_progress",
                       "load_lessons", "load_posts", "load_facebook_metrics",
                       "FACEBOOK_METRICS_CITATION"],
    "course.critique": ["analyze", "Critique", "Evidence"],
    "course.datasets": ["load_facebook_metrics", "FACEBOOK_METRICS_CITATION"],
    "course.grading": ["LoadAnswerKey", "ExecuteGuarded", "GradeSavedAnswers",
                       "RequestHandGrading", "KeepGraderFeedbackOnly", "FeedbackExporter"],
    "course.sandbox": ["SandboxedKernelManager"],
}


def modules() -> dict[str, Path]:
    return {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
            for p in PACKAGE.rglob("*.py") if "templates" not in p.parts}


def imports_of(name: str, path: Path) -> set[str]:
    """Every course module (or package) ``name`` imports, anywhere in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    return {m for m in found if m.startswith("course") and m in modules()}


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def test_every_layer_imports_only_the_layers_below_it():
    wrong = []
    for name, path in modules().items():
        layer = layer_of(name)
        if layer is None:
            continue
        for target in imports_of(name, path):
            other = layer_of(target)
            if target in FOUNDATION or other == layer:
                continue
            if other not in LAYERS[layer]:
                wrong.append(f"{name} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_content_critic_and_exercises_import_no_jupyter():
    found = []
    for name, path in modules().items():
        if layer_of(name) not in ("content", "critic", "exercises"):
            continue
        source = path.read_text(encoding="utf-8")
        found += [f"{name}: {lib}" for lib in JUPYTER
                  if re.search(rf"^\s*(from|import) {lib}\b", source, re.MULTILINE)]
    assert not found, found


def test_importing_the_critic_loads_no_jupyter():
    code = ("import sys, course.critique, course.content, course.exercises.kinds\n"
            f"print([m for m in {JUPYTER!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_no_import_cycles():
    graph = {name: imports_of(name, path) for name, path in modules().items()}
    # A package's __init__ re-exporting its own modules is not a cycle between modules.
    graph = {n: {t for t in targets if not (n.startswith(t + ".") or t.startswith(n + "."))
                 and t not in (n.rpartition(".")[0],)}
             for n, targets in graph.items()}
    cycles = []

    def visit(node, path):
        for nxt in graph.get(node, ()):
            if nxt in path:
                cycles.append(" -> ".join([*path[path.index(nxt):], nxt]))
            elif len(path) < 12:
                visit(nxt, [*path, nxt])

    for start in graph:
        visit(start, [start])
    assert not cycles, sorted(set(cycles))[:5]


@pytest.mark.parametrize("module", sorted(STABLE))
def test_stable_paths_still_import(module):
    loaded = importlib.import_module(module)
    missing = [name for name in STABLE[module] if not hasattr(loaded, name)]
    assert not missing, f"{module} lacks {missing}"


def test_the_config_template_names_importable_steps():
    template = (PACKAGE / "templates" / "nbgrader_config.py").read_text(encoding="utf-8")
    for dotted in re.findall(r'"(course\.[\w.]+)"', template):
        module, _, name = dotted.rpartition(".")
        assert hasattr(importlib.import_module(module), name), dotted


def test_every_module_says_what_it_exports():
    lacking = [name for name, path in modules().items()
               if path.name not in ("__main__.py",) and "__all__" not in path.read_text()]
    assert not lacking, lacking


def test_every_module_is_in_the_readme_layout_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Layout"):]
    missing = [str(path.relative_to(ROOT)) for path in PACKAGE.rglob("*.py")
               if "templates" not in path.parts and path.name != "__main__.py"
               and f"`{path.relative_to(ROOT)}`" not in table]
    assert not missing, f"README's layout table lacks {missing}"


# --- errors that say what to do ------------------------------------------------------------

def test_each_error_class_has_its_exit_code():
    from course import errors

    codes = {name: getattr(errors, name).exit_code for name in errors.__all__}
    assert codes == {"CourseError": 1, "DataError": 1, "GradingError": 1, "UsageError": 2,
                     "UnknownPlatformError": 2, "UnknownIdError": 2}


def test_a_mistyped_id_names_the_nearest_ones():
    from course.errors import UnknownIdError
    from course.lessons import exercise, show_post, show_principle

    with pytest.raises(UnknownIdError) as error:
        exercise("wnats-q1")
    assert str(error.value).startswith("no exercise 'wnats-q1'; did you mean 'wants-q1'")
    assert isinstance(error.value, KeyError)  # code that caught KeyError still does
    with pytest.raises(UnknownIdError, match=r"no post 'p0007'; did you mean 'p007'"):
        show_post("p0007")
    with pytest.raises(UnknownIdError, match=r"no principle 'want-interacts'; did you mean "
                                             r"'want-interact'"):
        show_principle("want-interacts")
    with pytest.raises(UnknownIdError, match=r"^no exercise 'zzz'$"):
        exercise("zzz")


def test_a_missing_assignments_folder_is_one_line(tmp_path):
    from course.errors import UsageError
    from course.grade.assignments import load_assignments

    with pytest.raises(UsageError, match="no assignment files") as error:
        load_assignments(tmp_path / "nowhere")
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(("args", "code", "says"), [
    (["critique"], 2, "critique needs INPUT.csv"),
    (["critique", "nowhere.csv", "--out", "x.csv"], 2, "no such file"),
    (["critique", "--text", "hi", "--platform", "myspace"], 2, "unknown platform 'myspace'"),
    (["grade", "run", "wants", "--course", "."], 1, "is not a course folder"),
    (["grade", "report", "--course", "."], 1, "is not a course folder"),
    (["grade", "add", "{tmp}/wnats.yaml", "--course", "."], 2, "no such file"),
    (["grade", "init", "{tmp}/new", "--assignments", "{tmp}/none"], 2, "no assignments folder"),
    (["coverage", "--notebooks", "{tmp}"], 2, "no lesson notebooks"),
])
def test_cli_errors_are_one_line_with_their_exit_code(course_cli, tmp_path, args, code, says):
    result = course_cli(*(a.format(tmp=tmp_path) for a in args), cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert result.stderr.startswith("course: error: ") and says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_run_summary_names_students_in_name_order():
    """Workers finish in any order; the instructor reads the same list each run."""
    from course.cli import format_run_summary
    from course.grade.pipeline import RunSummary
    from course.grade.worker import Outcome

    finished = ["dave", "Erin", "carol", "zed", "alice"]
    summary = RunSummary(assignment="wants", workers=2, sandboxed=True, outcomes=[
        Outcome(student=s, assignment="wants", score=1.0, max_score=13.0,
                hand_grading=("wants-g6",)) for s in finished], refreshed=["zed", "Erin"])
    text = format_run_summary(summary)
    waiting = next(line for line in text.splitlines() if "wait for hand grading" in line)
    assert waiting.endswith("alice, carol, dave, Erin, zed"), waiting
    assert "Erin, zed" in next(line for line in text.splitlines() if "written again" in line)
