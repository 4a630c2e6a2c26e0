"""What ``make lab`` adds to JupyterLab's own saving: notebooks saved without stale widget
views.

A widget lives in the kernel; the notebook file keeps only a pointer to it (the widget
view's model id). Reopened in a new kernel, JupyterLab finds no model behind the pointer
and shows "Error displaying widget: model not found" in place of every exercise. This
pre-save hook (set in ``jupyter/jupyter_server_config.json``, which ``make lab`` puts on
Jupyter's config path) writes the view's one-line text instead ("Exercise ...: run this
cell (or Run All) to answer it here"), unless the notebook also saved the widget's state.
Nothing is lost: answers live in the progress file (lessons) and in the answer files and
the notebook's answer mirror (graded work), which this hook leaves alone.
"""

from __future__ import annotations

from typing import Any

__all__ = ["WIDGET_VIEW", "drop_stale_widget_views"]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_STATE = "application/vnd.jupyter.widget-state+json"
#: The line a widget of no course exercise (a slider, say) leaves behind.
RUN_TO_SHOW = "Run this cell to show its controls."


def drop_stale_widget_views(model: dict, **_kwargs: Any) -> None:
    """A Jupyter server pre-save hook: in a notebook ``model``, replace each widget view
    whose state the notebook does not carry with its text line."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    nb = model["content"]
    saved = (((nb.get("metadata") or {}).get("widgets") or {}).get(_STATE) or {}).get(
        "state") or {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs") or []:
            data = output.get("data") or {}
            view = data.get(WIDGET_VIEW)
            if not isinstance(view, dict) or view.get("model_id") in saved:
                continue
            line = data.get("text/plain") if "text/html" in data else RUN_TO_SHOW
            output["data"] = {"text/plain": line or RUN_TO_SHOW}
            if "text/html" in data:
                output["data"]["text/html"] = data["text/html"]
