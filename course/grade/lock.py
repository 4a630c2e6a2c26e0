"""One grading job at a time per course folder.

:func:`course_lock` holds an exclusive ``flock`` on ``grade-runs/.lock`` while a run (or
another step that writes grades) works; a second one stops at once with a line naming
the holder. The operating system drops the lock when its process ends, however it ends,
so a killed run never leaves the course locked.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import GradingError

__all__ = ["LOCK_FILE", "course_lock"]

LOCK_FILE = ".lock"  #: in the course's grade-runs/ folder


@contextlib.contextmanager
def course_lock(runs_dir: Path, what: str) -> Iterator[None]:
    """Hold the course's grading lock while the block runs; ``what`` says who holds it
    (``grade run wants``) to anyone who finds it taken."""
    runs_dir.mkdir(parents=True, exist_ok=True)
    path = runs_dir / LOCK_FILE
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held for the block)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            try:
                holder = json.loads(handle.read() or "{}")
            except ValueError:
                holder = {}
            raise GradingError(
                f"`{holder.get('what', 'another grading job')}` is running on this course "
                f"(process {holder.get('pid', '?')} on {holder.get('host', '?')}, since "
                f"{holder.get('since', '?')}): wait for it to finish, or stop it first"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"what": what, "pid": os.getpid(),
                                 "host": socket.gethostname(),
                                 "since": time.strftime("%Y-%m-%d %H:%M:%S")}))
        handle.flush()
        yield
    finally:
        handle.close()  # closing the file releases the lock
