"""A fresh clone of the committed project installs with `make install` alone and runs."""

import shutil
import subprocess

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("make") is None,
                                reason="needs git and make")


def test_fresh_clone_installs_and_runs(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    install = subprocess.run(["make", "install"], cwd=clone,
                             capture_output=True, text=True, timeout=1200)
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]
    python = clone / ".venv" / "bin" / "python"
    smoke = subprocess.run(
        [str(python), "-m", "course", "critique", "--text",
         "Flash sale!!! 40% off today only, use code SAVE40"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert smoke.returncode == 0, smoke.stderr
    assert "Hard sell" in smoke.stdout and "Spam" in smoke.stdout
    again = subprocess.run(["make", "install"], cwd=clone, capture_output=True, text=True)
    assert again.returncode == 0 and "pip install" not in again.stdout, "install is idempotent"
