"""The errors the course raises on purpose, each with the exit code the CLI gives it.

Every message is one line a person can act on; the CLI prints it as
``course: error: MESSAGE`` and exits with the class's ``exit_code``, never a traceback::

    CourseError (1)                 something the user can fix went wrong
    ├── DataError (1)               a content or key file is malformed (names file, entry, field)
    ├── GradingError (1)            a course folder, gradebook or grading step is not usable
    ├── UsageError (2)              the command or call itself is wrong
    │   ├── UnknownPlatformError    a platform name the course does not know (also ValueError)
    │   └── UnknownIdError          an exercise, post, principle or lesson id that does not
    │                               exist (names the nearest ids; also KeyError)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "CourseError",
    "DataError",
    "GradingError",
    "UnknownIdError",
    "UnknownPlatformError",
    "UsageError",
]


class CourseError(Exception):
    """Bad input or state a user can fix. Its message is one line, shown as is."""

    exit_code = 1


class DataError(CourseError):
    """A content file (YAML data) is malformed. The message names file, entry and field."""


class GradingError(CourseError):
    """A course folder, gradebook or grading step cannot be used as it is."""


class UsageError(CourseError):
    """The command or call is wrong: a missing argument, an unknown name."""

    exit_code = 2


class UnknownPlatformError(UsageError, ValueError):
    """A platform name the course does not know."""


class UnknownIdError(UsageError, KeyError):
    """An id that is not in the course's data; the message names the closest ids."""

    def __init__(self, what: str, given: str, known: Iterable[str], detail: str = ""):
        close = difflib.get_close_matches(str(given), sorted(known), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        super().__init__(f"no {what} {given!r}{detail}{hint}")

    def __str__(self) -> str:  # KeyError would quote the message again
        return str(self.args[0])
