"""The one exception type the course raises for bad input or bad data."""

__all__ = ["CourseError", "DataError", "UnknownPlatformError"]


class CourseError(Exception):
    """Bad input a user can fix. Its message is one line, shown as is by the CLI."""


class DataError(CourseError):
    """A content file (YAML data) is malformed. The message names file, entry and field."""


class UnknownPlatformError(CourseError, ValueError):
    """A platform name the course does not know."""
