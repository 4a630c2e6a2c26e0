"""Critique a CSV of posts: the work behind ``python -m course critique INPUT.csv``.

Reads every row first and checks it, critiques, then writes each output through a
temporary file renamed into place: bad input never leaves a half-written file.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..content.platforms import normalize_platform
from ..errors import DataError, UnknownPlatformError, UsageError
from ..files import write_atomically
from .critic import Critique, get_critic

__all__ = ["BatchResult", "critique_csv", "read_posts_csv"]

PROGRESS_FROM = 2000  # rows; smaller inputs finish before a progress bar would help


@dataclass(frozen=True)
class BatchResult:
    """The rows read (as dicts, input columns only) and their critiques, in input order."""

    columns: list[str]
    rows: list[dict[str, str]]
    critiques: list[Critique]


def read_posts_csv(path: Path | str) -> tuple[list[str], list[dict[str, str]]]:
    """Read a CSV with a ``text`` column (``platform`` and ``id`` optional).

    The separator may be ``,``, ``;`` or a tab, and the known columns' names any case (they
    are read as ``text``, ``platform``, ``id``); every value is kept as written.

    Raises :class:`~course.errors.UsageError` for a missing file and
    :class:`~course.errors.DataError` for an empty, non-UTF-8 or malformed file, a
    missing ``text`` column or an unknown platform, each with a one-line message.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder, not a CSV file") from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path}: not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8 CSV"
        ) from None
    if not content.strip():
        raise DataError(f"{path}: the file is empty; expected a CSV with a 'text' column")
    try:
        reader = csv.DictReader(io.StringIO(content, newline=""),
                                delimiter=_delimiter(content.partition("\n")[0]))
        # "Text", " text " and "TEXT" are the text column: spreadsheets capitalise headers.
        columns = [c.strip() if c else c for c in (reader.fieldnames or [])]
        columns = [c.lower() if c and c.lower() in KNOWN_COLUMNS else c for c in columns]
        reader.fieldnames = columns
        if "text" not in columns:
            found = ", ".join(repr(c) for c in columns) or "none"
            raise DataError(f"{path}: no 'text' column (columns found: {found}); name the "
                            "column that holds the posts 'text'")
        rows = [
            {c: (row.get(c) or "") for c in columns} for row in reader
        ]
    except csv.Error as exc:
        raise DataError(f"{path}: not a readable CSV ({exc})") from None
    if "platform" in columns:
        for number, row in enumerate(rows, start=2):
            try:
                normalize_platform(row["platform"])
            except UnknownPlatformError as exc:
                raise DataError(f"{path}: line {number}: {exc}") from None
    return columns, rows


#: Columns the critic reads, matched whatever their case.
KNOWN_COLUMNS = ("text", "platform", "id")
#: Separators a spreadsheet export may use: Excel in many European locales writes ";".
DELIMITERS = ",;\t"


def _delimiter(header: str) -> str:
    """The separator of a CSV, read from its header line: the one of :data:`DELIMITERS`
    that occurs there most (a comma when none does)."""
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _progress(items: list, *, show: bool) -> Iterable:
    if not show or len(items) < PROGRESS_FROM:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="critiquing", unit="post", file=sys.stderr, mininterval=0.5)


def critique_csv(
    *,
    input_path: Path | str,
    output_path: Path | str | None,
    html_path: Path | str | None = None,
    progress: bool = True,
) -> BatchResult:
    """Critique every post in ``input_path`` and write the tagged CSV to ``output_path``
    and/or an HTML report to ``html_path``.

    The output has every input column plus ``tags`` (ids joined by ``;``, sorted) and
    one ``score_<tag>`` column per tag.
    """
    columns, rows = read_posts_csv(input_path)
    critic = get_critic()
    critiques = [
        critic.analyze(row["text"], normalize_platform(row.get("platform") or None))
        for row in _progress(rows, show=progress)
    ]
    result = BatchResult(columns=columns, rows=rows, critiques=critiques)
    tag_ids = critic.tag_ids
    added = ["tags", *(f"score_{t}" for t in tag_ids)]
    header = columns + [c for c in added if c not in columns]

    def write_csv(handle) -> None:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for row, c in zip(rows, critiques, strict=True):
            out = dict(row)
            out["tags"] = ";".join(sorted(c.tags))
            for t in tag_ids:
                out[f"score_{t}"] = f"{c.scores[t]:.3f}"
            writer.writerow(out)

    if html_path is not None:
        from .report import render_report

        html = render_report(rows, critiques, title=f"Post critique: {Path(input_path).name}")
    if output_path is not None:
        write_atomically(output_path, write_csv)
    if html_path is not None:
        write_atomically(html_path, lambda handle: handle.write(html))
    return result
