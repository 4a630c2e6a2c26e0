"""`make lab` as a learner gets it: the settings it ships in jupyter/ hide nbgrader's
instructor tools (an instructor's own `jupyter lab` keeps them), and notebooks are saved
without widget views that a new kernel could not show."""

import os
import re
import subprocess
import sys
from pathlib import Path

from course.learn.lab import RUN_TO_SHOW, WIDGET_VIEW, drop_stale_widget_views

from conftest import ROOT

LEARNER_CONFIG = ROOT / "jupyter"
INSTRUCTOR_TOOLS = {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                    "@jupyter/nbgrader:validate-assignment"}


def disabled_extensions(tmp_path: Path, config_path: str | None) -> set[str]:
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "user-config")}
    env.pop("JUPYTER_CONFIG_PATH", None)
    if config_path:
        env["JUPYTER_CONFIG_PATH"] = config_path
    out = subprocess.run([sys.executable, "-m", "jupyter", "labextension", "list"],
                         capture_output=True, text=True, env=env, check=True)
    listing = out.stdout + out.stderr
    section = listing.split("Disabled extensions:")[1] if "Disabled extensions:" in listing \
        else ""
    return set(re.findall(r"@[\w-]+/[\w-]+:[\w-]+", section))


def test_the_learners_lab_hides_nbgrader_instructor_tools_and_the_instructors_keeps_them(
        tmp_path):
    assert disabled_extensions(tmp_path, str(LEARNER_CONFIG)) >= INSTRUCTOR_TOOLS
    assert not INSTRUCTOR_TOOLS & disabled_extensions(tmp_path, None)


def test_make_lab_puts_the_learner_settings_on_the_config_path():
    dry_run = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout
    assert f'JUPYTER_CONFIG_PATH="{LEARNER_CONFIG}' in dry_run
    assert (LEARNER_CONFIG / "labconfig" / "page_config.json").is_file()
    assert "course.learn.lab.drop_stale_widget_views" in (
        LEARNER_CONFIG / "jupyter_server_config.json").read_text()


def notebook(outputs, state=None):
    metadata = {}
    if state is not None:
        metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
            "state": state, "version_major": 2, "version_minor": 0}}
    return {"type": "notebook", "content": {
        "metadata": metadata, "nbformat": 4, "nbformat_minor": 5,
        "cells": [{"cell_type": "code", "source": "", "metadata": {}, "outputs": outputs,
                   "execution_count": 1}]}}


def view(model_id, **data):
    return {"output_type": "display_data", "metadata": {},
            "data": {WIDGET_VIEW: {"model_id": model_id, "version_major": 2,
                                   "version_minor": 0}, **data}}


def test_stale_widget_views_are_saved_as_their_line():
    line = "Exercise wants-q1: run this cell (or Run All) to answer it here; your last " \
           "answer comes back."
    answer = {"output_type": "display_data", "metadata": {}, "data": {
        "application/vnd.smm-course.answer+json": {"item": "g1", "answer": "a", "saved": 1}}}
    model = notebook([view("m1", **{"text/plain": line, "text/html": f"<p>{line}</p>"}),
                      view("m2", **{"text/plain": "IntSlider(value=3)"}), answer])
    drop_stale_widget_views(model, path="x.ipynb", contents_manager=None)
    outputs = model["content"]["cells"][0]["outputs"]
    assert outputs[0]["data"] == {"text/plain": line, "text/html": f"<p>{line}</p>"}
    assert outputs[1]["data"] == {"text/plain": RUN_TO_SHOW}
    assert outputs[2] == answer, "saved answers are left alone"


def test_views_whose_state_is_saved_stay_and_other_files_are_untouched():
    model = notebook([view("m1", **{"text/plain": "x", "text/html": "<p>x</p>"})],
                     state={"m1": {"model_name": "VBoxModel", "state": {}}})
    drop_stale_widget_views(model)
    assert WIDGET_VIEW in model["content"]["cells"][0]["outputs"][0]["data"]
    text = {"type": "file", "content": "hello"}
    drop_stale_widget_views(text)
    assert text == {"type": "file", "content": "hello"}
