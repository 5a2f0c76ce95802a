"""The one exception type of salw-routes and the record of a single problem."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Problem", "ValidationError", "did_you_mean", "mapping_error"]


@dataclass(frozen=True)
class Problem:
    """One problem found in input data.

    Parameters
    ----------
    message
        What is wrong and how to fix it, showing the offending value.
    file
        The file the problem was found in, if any.
    row
        1-based data-row number (the header is not counted), if the problem is in a row.
    column
        The column (canonical name, or the source name when it differs), if any.
    value
        The offending value as read.
    reason
        A short machine-readable reason key (e.g. ``"unknown_vocabulary"``), used in summaries.
    """

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    reason: str = "invalid"

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class ValidationError(ValueError):
    """Raised when input fails validation; lists every problem at once.

    Parameters
    ----------
    problems
        Every problem found. The message lists them all (the first 50 in full).
    """

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        shown = self.problems[:50]
        lines = [f"{len(self.problems)} problem(s) found:"]
        lines += [f"  - {p}" for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  ... and {len(self.problems) - len(shown)} more")
        super().__init__("\n".join(lines))


def did_you_mean(key: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the option closest to a mistyped ``key``, else "".

    >>> did_you_mean("jurisdicton", ["date", "jurisdiction"])
    " (did you mean 'jurisdiction'?)"
    """
    close = difflib.get_close_matches(key, list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def mapping_error(message: str, where: str | None) -> ValidationError:
    """The error of a mapping file (incidents or questionnaire): one problem, ``bad_mapping``."""
    return ValidationError([Problem(message, file=where, reason="bad_mapping")])
