"""Raw records out of questionnaire files: long CSV/XLSX tables and wide workbooks.

A *record* is one value as the file gives it: a data row of a long table, or one filled cell
(indicator row x year column) of a wide sheet. Nothing is validated here; every record keeps
where it came from (row, sheet, column) so that each rejection can point at it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from routes._errors import Problem, ValidationError
from routes._table import TABLE_FORMATS, read_table, sheet_names
from routes.questionnaire.format import QUESTIONNAIRE_COLUMNS, column_name

__all__ = ["RawRecord", "RawTable", "read_raw"]

_REQUIRED_LONG = ("jurisdiction", "year", "indicator", "value")
#: Sheets of a wide workbook that hold instructions, not data.
_NOTE_SHEETS = frozenset(
    {"instructions", "about", "readme", "read me", "notes", "upute", "udhezime"}
)
_YEAR = re.compile(r"^\s*(\d{4})(?:\.0+)?\s*$")


@dataclass
class RawRecord:
    """One value as read: its fields (canonical name -> raw value) and where it came from."""

    row: int
    fields: dict[str, Any]
    columns: dict[str, str]
    sheet: str | None = None


@dataclass
class RawTable:
    """Every record of a file and how the file was read."""

    records: list[RawRecord] = field(default_factory=list)
    layout: str = "long"
    ignored_columns: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def _header_map(headers: list[Any], where: str) -> tuple[dict[int, str], list[str]]:
    """Map column positions to canonical names; fail on a repeated canonical column."""
    mapping: dict[int, str] = {}
    ignored: list[str] = []
    seen: dict[str, Any] = {}
    problems = []
    for pos, head in enumerate(headers):
        if _empty(head):
            continue
        name = column_name(head)
        if name is None:
            ignored.append(str(head))
            continue
        if name in seen:
            problems.append(
                Problem(
                    f"{where}: columns {seen[name]!r} and {head!r} both give {name!r}; keep one",
                    column=str(head),
                    value=head,
                    reason="duplicate_column",
                )
            )
            continue
        seen[name] = head
        mapping[pos] = name
    if problems:
        raise ValidationError(problems)
    return mapping, ignored


def _long_records(
    headers: list[Any], rows: list[list[Any]], *, where: str, sheet: str | None
) -> RawTable:
    mapping, ignored = _header_map(headers, where)
    missing = [c for c in _REQUIRED_LONG if c not in mapping.values()]
    if missing:
        known = ", ".join(c.name for c in QUESTIONNAIRE_COLUMNS)
        raise ValidationError(
            Problem(
                f"{where}: required column(s) {', '.join(missing)} missing (header: "
                f"{', '.join(str(h) for h in headers if not _empty(h)) or '(empty)'}); a "
                f"questionnaire table has the columns {known}, or use the wide workbook of "
                "'salw-routes questionnaire --template'",
                reason="missing_column",
            )
        )
    label = {name: str(headers[pos]) for pos, name in mapping.items()}
    table = RawTable(layout="long", ignored_columns=ignored, sheets=[sheet] if sheet else [])
    for i, raw in enumerate(rows, start=1):
        values = {name: raw[pos] if pos < len(raw) else None for pos, name in mapping.items()}
        others = [v for pos, v in enumerate(raw) if pos not in mapping]
        if all(_empty(v) for v in values.values()) and all(_empty(v) for v in others):
            values = {}
        table.records.append(RawRecord(i, values, label, sheet))
    return table


def _is_long_header(row: list[Any]) -> bool:
    names = {column_name(v) for v in row if not _empty(v)}
    return all(c in names for c in _REQUIRED_LONG)


def _year_of(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    m = _YEAR.match(str(value)) if isinstance(value, str) else None
    return int(m.group(1)) if m else None


def _wide_header(rows: list[list[Any]]) -> int | None:
    """Index of the header row of a wide sheet (an ``indicator`` cell and year columns)."""
    for i, row in enumerate(rows[:15]):
        names = [column_name(v) for v in row if not _empty(v)]
        years = [v for v in row if not _empty(v) and _year_of(v) is not None]
        if "indicator" in names and years:
            return i
    return None


def _wide_sheet(title: str, rows: list[list[Any]], table: RawTable, where: str) -> None:
    head_at = _wide_header(rows)
    if head_at is None:
        if any(not _empty(v) for row in rows for v in row):
            raise ValidationError(
                Problem(
                    f"{where}, sheet {title!r}: no header row with an 'indicator' column and "
                    "year columns (2019, 2020, ...) in its first 15 rows; fill in the sheet of "
                    "the template ('salw-routes questionnaire --template'), or name the sheet "
                    "'Instructions' if it holds no data",
                    reason="missing_column",
                )
            )
        return
    header = rows[head_at]
    years: dict[int, str] = {}
    named: dict[int, str] = {}
    for pos, head in enumerate(header):
        if _empty(head):
            continue
        name = column_name(head)
        if name is not None and name not in ("year", "value"):
            named[pos] = name
        elif _year_of(head) is not None:
            years[pos] = str(_year_of(head))
        else:
            table.ignored_columns.append(f"{title}!{head}")
    for r, row in enumerate(rows[head_at + 1 :], start=head_at + 2):
        base = {name: row[pos] if pos < len(row) else None for pos, name in named.items()}
        cells = [(pos, row[pos]) for pos in years if pos < len(row) and not _empty(row[pos])]
        if not cells:  # a row left blank: nothing reported, nothing to read
            continue
        for pos, value in cells:
            fields = {
                **base,
                "jurisdiction": title,
                "year": years[pos],
                "value": value,
            }
            columns = {name: str(header[p]) for p, name in named.items()}
            columns.update(jurisdiction="sheet name", year=years[pos], value=years[pos])
            table.records.append(RawRecord(r, fields, columns, title))


def _long_table(path: Path, where: str, sheet: str | int | None) -> RawTable | None:
    """The long table of a CSV file or of a sheet, None when the sheet is not a long table."""
    table = read_table(path, sheet=sheet)
    header = list(table.header)
    if table.format != "csv" and not _is_long_header(header):
        return None
    rows = table.frame.to_numpy(dtype=object).tolist()
    return _long_records(header, rows, where=where, sheet=table.sheet)


def _grid(path: Path, sheet: str) -> list[list[Any]]:
    return read_table(path, sheet=sheet, header=False).frame.to_numpy(dtype=object).tolist()


def read_raw(path: str | os.PathLike[str], *, sheet: str | int | None = None) -> RawTable:
    """Read every record of a questionnaire file (CSV, or XLSX/ODS in the long or wide layout).

    Every table is read through :func:`routes._table.read_table`: the encoding, delimiter,
    line ends and title rows above the header of a CSV are detected as for incident files.

    Raises
    ------
    routes.ValidationError
        The file is missing, of another type, cannot be opened, or lacks the required columns.
    """
    p = Path(path)
    where = str(p)
    if not p.is_file():
        raise ValidationError(
            Problem(f"{where}: no such file; give the questionnaire file", reason="unreadable")
        )
    suffix = p.suffix.lower()
    if TABLE_FORMATS.get(suffix) is None:
        raise ValidationError(
            Problem(
                f"{where}: unknown file type {suffix or '(none)'!r}; give a .csv, .xlsx or "
                ".ods file",
                value=suffix,
                reason="unreadable",
            )
        )
    if TABLE_FORMATS[suffix] == "csv":
        long = _long_table(p, where, None)
        assert long is not None
        return long
    names = sheet_names(p)
    if sheet is not None:
        chosen = names[sheet] if isinstance(sheet, int) and 0 <= sheet < len(names) else sheet
        if chosen not in names:
            raise ValidationError(
                Problem(
                    f"{where}: no sheet {sheet!r}; the sheets are {', '.join(names)}",
                    value=sheet,
                    reason="invalid_option",
                )
            )
        long = _long_table(p, where, str(chosen))
        if long is not None:
            return long
        table = RawTable(layout="wide", sheets=[str(chosen)])
        _wide_sheet(str(chosen), _grid(p, str(chosen)), table, where)
        return table
    for n in names:
        long = _long_table(p, where, n)
        if long is not None:
            return long
    table = RawTable(layout="wide")
    for n in names:
        if n.strip().casefold() in _NOTE_SHEETS:
            continue
        table.sheets.append(n)
        _wide_sheet(n, _grid(p, n), table, where)
    return table
