"""The project's set-up: dependency lists agree, CI runs the README's command, ruff is clean."""

import re
import shutil
import subprocess
import sys

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import yaml

from conftest import ROOT

# conda-forge names that differ from PyPI's
CONDA_NAMES = {"python-fastjsonschema": "fastjsonschema"}


def _name(requirement: str) -> str:
    name = re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")
    return CONDA_NAMES.get(name, name)


def test_environment_yml_and_pyproject_name_the_same_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in project["dependencies"]}
    declared |= {_name(r) for r in project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    # PyPI-only packages go in the pip section; the project itself is installed there too.
    conda |= {_name(d) for entry in env["dependencies"] if isinstance(entry, dict)
              for d in entry.get("pip", []) if not d.startswith("-e")}
    assert conda == declared, f"only in environment.yml: {conda - declared}; " \
        f"only in pyproject.toml: {declared - conda}"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make lab" in readme
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), re.MULTILINE)


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(ROOT / ".venv" / "bin" / "ruff")
    result = subprocess.run([ruff, "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean():
    mypy = shutil.which("mypy") or str(ROOT / ".venv" / "bin" / "mypy")
    result = subprocess.run([mypy], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_python_m_course_and_console_script_agree():
    out = subprocess.run([sys.executable, "-m", "course", "--help"], capture_output=True,
                         text=True)
    assert out.returncode == 0 and "critique" in out.stdout
