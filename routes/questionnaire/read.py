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
from routes.questionnaire._mapped import find_header, validate_mapped
from routes.questionnaire._mapping import (
    QuestionnaireMapping,
    detect_questionnaire_mapping,
    load_questionnaire_mapping,
)
from routes.questionnaire._parse import RawTable, _long_records, read_raw
from routes.questionnaire._rows import SheetRows, file_sheets
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
        The file read and its layout (``"long"`` or ``"wide"``; ``"frame"`` for a DataFrame;
        ``"mapped"`` when read through a mapping).
    mapping
        The name of the questionnaire mapping used (None for the project's own layout).
    header_row
        Mapped reads: the 1-based row of the header (2 title rows above it give 3).
    """

    accepted: pd.DataFrame
    rejected: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    inconsistencies: list[Inconsistency] = field(default_factory=list)
    file: str | None = None
    layout: str = "long"
    ignored_columns: list[str] = field(default_factory=list)
    mapping: str | None = None
    header_row: int | None = None

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

    def rejected_by_reason(self) -> dict[str, int]:
        """Rejected rows per reason (each row counted once, under its first reason).

        The counts add up to :attr:`rows_rejected`.
        """
        if self.rejected.empty:
            return {}
        counts = self.rejected["reason"].value_counts()
        return {str(k): int(v) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}

    def context_jurisdictions(self) -> list[str]:
        """The context jurisdictions (neighbours outside the six) among the accepted values."""
        acc = self.accepted
        if acc.empty or "context" not in acc:
            return []
        return sorted({str(j) for j in acc.loc[acc["context"].astype(bool), "jurisdiction"]})

    def summary(self) -> dict[str, Any]:
        """The JSON summary.

        rows_read, accepted, rejected, reasons (every issue: row, sheet, column, value, reason,
        fix), inconsistencies (kind, jurisdiction, year, indicator, what); then
        rejected_by_reason (rejected rows per first reason, adding up to ``rejected``),
        mapping, layout, header_row and context_jurisdictions.
        """
        return {
            "rows_read": self.rows_read,
            "accepted": len(self.accepted),
            "rejected": self.rows_rejected,
            "reasons": [i.as_dict() for i in self.issues],
            "inconsistencies": [i.as_dict() for i in self.inconsistencies],
            "rejected_by_reason": self.rejected_by_reason(),
            "mapping": self.mapping,
            "layout": self.layout,
            "header_row": self.header_row,
            "context_jurisdictions": self.context_jurisdictions(),
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
    mapping: str | os.PathLike[str] | dict[str, Any] | QuestionnaireMapping | None = None,
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
    mapping
        A questionnaire mapping (a bundled name such as ``"unodc_iafq"``, a TOML file, a dict
        or a loaded mapping) for a published table in another layout: its lookup turns the
        source's indicator/dimension/category combinations into the project's indicators,
        categories and named breakdowns (see ``docs/official-statistics.md``). Without it, a
        file whose header has a bundled mapping's ``detect`` columns is read through that
        mapping.

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
    sheets = None if mapping is not None else _peek(source, sheet)
    chosen = mapping if mapping is not None else _detected(sheets or [])
    if chosen is not None:
        result = _read_mapped(source, chosen, sheet, today, sheets=sheets)
        if strict and result.issues:
            raise ValidationError(result.problems())
        return result
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


def _sheets(
    source: str | os.PathLike[str] | pd.DataFrame, sheet: str | int | None
) -> list[SheetRows]:
    if isinstance(source, pd.DataFrame):
        rows = source.astype(object).where(source.notna(), None).values.tolist()
        return [(None, [list(source.columns), *rows], list(range(len(rows) + 1)))]
    return file_sheets(source, sheet=sheet)


def _peek(
    source: str | os.PathLike[str] | pd.DataFrame, sheet: str | int | None
) -> list[SheetRows] | None:
    """The rows of a file, to see whether a bundled mapping fits (None: unreadable here)."""
    try:
        return _sheets(source, sheet)
    except ValidationError:
        return None  # the reader of the project's own layout says what is wrong


def _detected(sheets: list[SheetRows]) -> str | None:
    """The bundled mapping a file's header calls for (None: the project's own layout)."""
    for _, rows, _ in sheets:
        for row in rows[:20]:
            name = detect_questionnaire_mapping(row)
            if name is not None:
                return name
    return None


def _read_mapped(
    source: str | os.PathLike[str] | pd.DataFrame,
    mapping: str | os.PathLike[str] | dict[str, Any] | QuestionnaireMapping,
    sheet: str | int | None,
    today: dt.date | None,
    *,
    sheets: list[SheetRows] | None = None,
) -> QuestionnaireReadResult:
    m = load_questionnaire_mapping(
        mapping
        if isinstance(mapping, dict)
        else Path(mapping)
        if not isinstance(mapping, (str, QuestionnaireMapping))
        else mapping
    )
    file = None if isinstance(source, pd.DataFrame) else str(Path(source))
    where = file or "DataFrame"
    sheets = sheets if sheets is not None else _sheets(source, sheet)
    failure: ValidationError | None = None
    for name, rows, numbers in sheets:
        try:
            at = find_header(rows, m, where if name is None else f"{where}, sheet {name!r}")
        except ValidationError as exc:
            failure = failure or exc
            continue
        accepted, rejected, issues = validate_mapped(
            rows[at], rows[at + 1 :], m, sheet=name, today=today, numbers=numbers[at + 1 :]
        )
        return QuestionnaireReadResult(
            accepted=accepted,
            rejected=rejected,
            issues=issues,
            inconsistencies=find_inconsistencies(accepted),
            file=file,
            layout="mapped",
            ignored_columns=[
                str(h) for h in rows[at] if h is not None and str(h) not in m.columns.values()
            ],
            mapping=Path(m.path).stem if m.path else m.name,
            header_row=None if file is None else numbers[at],
        )
    raise failure or ValidationError(
        Problem(
            f"{where}: the workbook has no sheet; give a file with a header", reason="unreadable"
        )
    )
