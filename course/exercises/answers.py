"""Saved answers to graded items: the files a submission carries, and the copy mirrored
into the notebook.

A graded widget writes ``answers/<item id>.json`` beside its notebook on every change
(atomically), and mirrors the same record into the notebook as an output of MIME type
:data:`ANSWER_MIME`, so a submitted ``.ipynb`` alone still carries the answers. The grader
reads both (:func:`read_submission_answers`); the newer record wins. An answer to an item
with a version per student also names the ``variant`` it was given to.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from ..files import write_atomically

__all__ = [
    "ANSWER_DIR",
    "ANSWER_MIME",
    "answers_in_notebook",
    "load_answer",
    "read_submission_answers",
    "save_answer",
]

ANSWER_DIR = "answers"
ANSWER_MIME = "application/vnd.smm-course.answer+json"


def _record(item_id: str, answer: Any, variant: str | None = None) -> dict:
    record = {"item": item_id, "answer": answer, "saved": time.time()}
    if variant is not None:
        record["variant"] = variant
    return record


def save_answer(folder: Path | str, item_id: str, answer: Any, *,
                variant: str | None = None) -> dict:
    """Write ``answers/<item_id>.json`` in ``folder`` atomically; return the record.
    ``variant``: the id of the version of the item the answer was given to, if it has
    versions."""
    record = _record(item_id, answer, variant)
    write_atomically(Path(folder) / ANSWER_DIR / f"{item_id}.json",
                     lambda handle: json.dump(record, handle), make_folder=True)
    return record


def _read_record(path: Path) -> dict | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(record, dict) and isinstance(record.get("item"), str) and "answer" in record:
        return record
    return None


def load_answer(folder: Path | str, item_id: str) -> dict | None:
    """The saved record for ``item_id`` in ``folder``'s answer files, if any."""
    return _read_record(Path(folder) / ANSWER_DIR / f"{item_id}.json")


def answers_in_notebook(nb: dict) -> dict[str, dict]:
    """Answer records mirrored into a notebook's outputs, by item id (last one wins)."""
    found: dict[str, dict] = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            record = (output.get("data") or {}).get(ANSWER_MIME)
            if isinstance(record, dict) and isinstance(record.get("item"), str):
                previous = found.get(record["item"])
                if previous is None or record.get("saved", 0) >= previous.get("saved", 0):
                    found[record["item"]] = record
    return found


def read_submission_answers(folder: Path | str, notebook: Path | str | None) -> dict[str, dict]:
    """All answer records of a submission: answer files and the notebook's mirror, newest
    first. A damaged or missing notebook or file is skipped, never fatal."""
    records: dict[str, dict] = {}
    if notebook is not None:
        try:
            nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
            records.update(answers_in_notebook(nb) if isinstance(nb, dict) else {})
        except (OSError, ValueError):
            pass
    answer_dir = Path(folder) / ANSWER_DIR
    if answer_dir.is_dir():
        for path in sorted(answer_dir.glob("*.json")):
            record = _read_record(path)
            if record is None:
                continue
            previous = records.get(record["item"])
            if previous is None or record.get("saved", 0) >= previous.get("saved", 0):
                records[record["item"]] = record
    return records
