"""Writing files whole or not at all: the one atomic write every layer uses."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from .errors import CourseError

__all__ = ["write_atomically"]


def write_atomically(path: Path | str, write: Callable[[IO[str]], object], *,
                     make_folder: bool = False) -> None:
    """Call ``write(file)`` on a temporary text file beside ``path``, then rename it into
    place: readers see the old file or the new one, never half of either.

    ``make_folder`` creates the parent folder; otherwise a missing one is a
    :class:`~course.errors.CourseError`.
    """
    path = Path(path)
    if make_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.parent.is_dir():
        raise CourseError(f"{path}: folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
