"""Executing a student's notebook under autograde, hardened against what its code can do.

:class:`ExecuteGuarded` takes the place of nbgrader's ``Execute`` in the course's
``Autograde.autograde_preprocessors``.
"""

from __future__ import annotations

import asyncio

from jupyter_core.utils import ensure_async
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Float

__all__ = ["STOPPED", "ExecuteGuarded", "NotebookStopped", "grading_notes"]


class ExecuteGuarded(Execute):
    """nbgrader's Execute, hardened against what a student's code can do to a run.

    - A cell that runs past ``timeout`` or prints more than ``max_output_mb`` is
      interrupted; the notebook goes on with the next cell.
    - A kernel that dies or hangs, or a cell that fills the sandbox's process limit (a
      fork bomb), stops this notebook only: every test cell that did not run is marked
      failed, and grading goes on.
    Each of these leaves an error output named :data:`STOPPED` saying what happened, which
    the grading pipeline reports to the instructor.
    """

    max_output_mb = Float(
        8.0, help="Output a cell may print, in MiB; past it the cell is interrupted and "
                  "the rest of its output dropped.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict, km=None):
        self._printed: dict[int, int] = {}
        self._kernel_manager = None
        self._notes: dict[int, str] = {}
        try:
            return super().preprocess(nb, resources, km=km)
        except (CellTimeoutError, DeadKernelError, RuntimeError, NotebookStopped) as exc:
            reason = _stop_reason(exc)
            said = getattr(self._kernel_manager, "kernel_log", lambda: "")()
            if "before replying" in str(exc):
                reason = "the kernel did not start" + (f" ({said})" if said else "")
            self.log.warning("Stopped executing %s: %s", resources["nbgrader"]["student"],
                             reason)
            for cell in nb.cells:
                meta = cell.metadata.get("nbgrader", {})
                if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution") \
                        and not any(o.get("output_type") == "error" for o in cell.outputs):
                    cell.outputs.append(_stopped(
                        f"the notebook stopped before this test ran: {reason}"))
            return nb, resources
        finally:
            for index, note in self._notes.items():
                nb.cells[index].outputs.append(_stopped(note))
            release = getattr(self._kernel_manager, "release_sandbox", None)
            if release is not None:
                release()

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int):
        cell, resources = super().preprocess_cell(cell, resources, index)
        if index in self._notes or any(o.get("output_type") == "error"
                                       for o in cell.get("outputs", [])):
            self._stop_at_process_limit(index)
        return cell, resources

    def _stop_at_process_limit(self, index: int) -> None:
        """Stop the notebook if cell ``index`` filled the sandbox with processes: the
        stray copies of a forked kernel can take its messages, so nothing after is sure."""
        full = getattr(self.km, "process_limit_reached", None)
        if full is not None and full():
            self._notes[index] = (
                f"cell {index + 1} started processes until the sandbox's limit of "
                f"{self.km.max_processes} was reached: the notebook stopped there")
            raise NotebookStopped(f"cell {index + 1} reached the process limit")

    def create_kernel_manager(self):
        self._kernel_manager = super().create_kernel_manager()
        return self._kernel_manager

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(content.get("text", "")) + sum(len(str(v)) for v in
                                                  content.get("data", {}).values())
        printed = self._printed.get(cell_index, 0) + size
        self._printed[cell_index] = printed
        limit = self.max_output_mb * 2**20
        if printed <= limit:
            return super().output(outs, msg, display_id, cell_index)
        if cell_index not in self._notes:
            self._notes[cell_index] = (
                f"cell {cell_index + 1} printed more than {self.max_output_mb:g} MiB: it was "
                "interrupted and the rest of its output dropped")
            self._interrupt = asyncio.ensure_future(ensure_async(self.km.interrupt_kernel()))
        return None

    async def _async_handle_timeout(self, timeout, cell=None):
        index = next((i for i, c in enumerate(self.nb.cells) if c is cell), None)
        if index is not None:
            self._stop_at_process_limit(index)
            self._notes.setdefault(index, f"cell {index + 1} ran longer than {timeout} s: it "
                                          "was interrupted")
        return await super()._async_handle_timeout(timeout, cell)


class NotebookStopped(Exception):
    """Raised by :class:`ExecuteGuarded` to stop a notebook whose kernel cannot go on."""


#: The error name of the notes :class:`ExecuteGuarded` leaves in a graded notebook.
STOPPED = "GradingStopped"


def _stopped(note: str) -> NotebookNode:
    return new_output("error", ename=STOPPED, evalue=note, traceback=[f"{STOPPED}: {note}"])


def _stop_reason(exc: Exception) -> str:
    if isinstance(exc, NotebookStopped):
        return str(exc)
    if isinstance(exc, DeadKernelError) or "died" in str(exc):
        return ("the kernel died (a crash, or a sandbox limit on CPU time, processes or "
                "file size)")
    if isinstance(exc, CellTimeoutError):
        return "the kernel stopped answering"
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


def grading_notes(nb: NotebookNode) -> list[str]:
    """The notes :class:`ExecuteGuarded` left in a graded notebook, once each."""
    notes = [o.get("evalue", "") for c in nb.cells if c.cell_type == "code"
             for o in c.get("outputs", []) if o.get("ename") == STOPPED]
    notes += [f"cell {i + 1} ran out of memory (MemoryError)" for i, c in enumerate(nb.cells)
              if c.cell_type == "code"
              and any(o.get("ename") == "MemoryError" for o in c.get("outputs", []))]
    return list(dict.fromkeys(notes))
