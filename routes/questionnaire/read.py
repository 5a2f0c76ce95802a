"""Read a questionnaire file: every row accounted for, inconsistencies listed.

:func:`read_questionnaire` reads the long table (CSV or XLSX) or the wide workbook (one sheet
per jurisdiction, indicators as rows, years as columns), accepts or rejects every record with
the row, column, value and fix, and checks the accepted rows against each other
(:data:`~routes.questionnaire.format.INCONSISTENCY_KINDS`).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from routes._errors import Problem, ValidationError
from routes.questionnaire._checks import Inconsistency, find_inconsistencies, indicator_totals
from routes.questionnaire._parse import RawTable, _long_records, read_raw
from routes.questionnaire._validate import Issue, validate_records

__all__ = ["QuestionnaireReadResult", "read_questionnaire"]


@dataclass
class QuestionnaireReadResult:
    """What :func:`read_questionnaire` read.

    Attributes
    ----------
    accepted
        One row per accepted value: source_row, sheet, jurisdiction (ISO code), year,
        indicator, category, value, from, via, to, source, notes.
    rejected
        One row per rejected record: source_row, sheet, reason (the first), message (every
        fix) and the raw fields.
    issues
        Every problem of every rejected record (a record can have several).
    inconsistencies
        What the accepted rows say against each other.
    file, layout
        The file read and its layout (``"long"`` or ``"wide"``; ``"frame"`` for a DataFrame).
    """

    accepted: pd.DataFrame
    rejected: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    inconsistencies: list[Inconsistency] = field(default_factory=list)
    file: str | None = None
    layout: str = "long"
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        """Records read (long table: data rows; wide workbook: filled year cells)."""
        return len(self.accepted) + len(self.rejected)

    @property
    def rows_rejected(self) -> int:
        """Records rejected."""
        return len(self.rejected)

    def totals(self) -> pd.DataFrame:
        """One value per jurisdiction, year and indicator (see ``indicator_totals``)."""
        return indicator_totals(self.accepted)

    def problems(self) -> list[Problem]:
        """Every issue as a :class:`routes.Problem`."""
        return [i.as_problem(self.file) for i in self.issues]

    def summary(self) -> dict[str, Any]:
        """The JSON summary: exactly rows_read, accepted, rejected, reasons, inconsistencies.

        ``reasons`` lists every issue (row, sheet, column, value, reason, fix);
        ``inconsistencies`` every inconsistency (kind, jurisdiction, year, indicator, what).
        """
        return {
            "rows_read": self.rows_read,
            "accepted": len(self.accepted),
            "rejected": self.rows_rejected,
            "reasons": [i.as_dict() for i in self.issues],
            "inconsistencies": [i.as_dict() for i in self.inconsistencies],
        }

    def reason_counts(self) -> dict[str, int]:
        """Issues per reason, most frequent first."""
        counts: dict[str, int] = {}
        for i in self.issues:
            counts[i.reason] = counts.get(i.reason, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def read_questionnaire(
    source: str | os.PathLike[str] | pd.DataFrame,
    *,
    sheet: str | int | None = None,
    strict: bool = False,
    today: dt.date | None = None,
) -> QuestionnaireReadResult:
    """Read a questionnaire (long CSV/XLSX, wide workbook, or a DataFrame in the long layout).

    Parameters
    ----------
    source
        A ``.csv`` or ``.xlsx`` file, or a DataFrame with the long columns. A workbook whose
        first row (of some sheet) has ``jurisdiction, year, indicator, value`` is read as the
        long table; otherwise every sheet is a jurisdiction in the wide layout (sheets named
        ``Instructions``/``About``/``README`` are skipped).
    sheet
        Read only this sheet (name or 0-based index).
    strict
        Raise instead of rejecting: any rejected record fails the read.
    today
        The date that bounds the year (default: today).

    Returns
    -------
    QuestionnaireReadResult
        ``rows_read == len(accepted) + len(rejected)``.

    Raises
    ------
    routes.ValidationError
        The file cannot be read (missing, other type, no header with the required columns),
        or with ``strict`` any record is rejected; every problem is listed.

    Examples
    --------
    >>> import pandas as pd
    >>> q = read_questionnaire(pd.DataFrame({"jurisdiction": ["Srbija", "Kosova"],
    ...     "year": [2023, 2023], "indicator": ["seized_weapons"] * 2, "value": [120, -3]}))
    >>> q.rows_read, len(q.accepted), q.rows_rejected, q.issues[0].reason
    (2, 1, 1, 'negative_value')
    """
    if isinstance(source, pd.DataFrame):
        rows = source.astype(object).where(source.notna(), None).values.tolist()
        raw: RawTable = _long_records(list(source.columns), rows, where="DataFrame", sheet=None)
        file, layout = None, "frame"
    else:
        raw = read_raw(source, sheet=sheet)
        file, layout = str(Path(source)), raw.layout
    accepted, rejected, issues = validate_records(raw, today=today)
    result = QuestionnaireReadResult(
        accepted=accepted,
        rejected=rejected,
        issues=issues,
        inconsistencies=find_inconsistencies(accepted),
        file=file,
        layout=layout,
        ignored_columns=list(raw.ignored_columns),
    )
    if strict and issues:
        raise ValidationError(result.problems())
    return result
