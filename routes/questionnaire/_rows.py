"""The cells of a questionnaire file as rows, for the mapped reader (every sheet of a workbook)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from routes._errors import Problem, ValidationError
from routes.questionnaire._parse import _csv_rows

__all__ = ["file_sheets"]


def file_sheets(path: str | os.PathLike[str]) -> list[tuple[str | None, list[list[Any]]]]:
    """``(sheet name or None, rows)`` of a CSV file or of every sheet of a workbook.

    Raises
    ------
    routes.ValidationError
        The file is missing, of another type or cannot be opened.
    """
    p = Path(path)
    where = str(p)
    if not p.is_file():
        raise ValidationError(
            Problem(f"{where}: no such file; give the questionnaire file", reason="unreadable")
        )
    suffix = p.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return [(None, [list(r) for r in _csv_rows(p)])]
    if suffix not in (".xlsx", ".xlsm"):
        raise ValidationError(
            Problem(
                f"{where}: unknown file type {suffix or '(none)'!r}; give a .csv or .xlsx file",
                value=suffix,
                reason="unreadable",
            )
        )
    import openpyxl

    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # zipfile / openpyxl errors: not a workbook
        raise ValidationError(
            Problem(
                f"{where}: cannot open the workbook ({exc}); save it as .xlsx", reason="unreadable"
            )
        ) from exc
    try:
        return [
            (str(n), [list(r) for r in wb[n].iter_rows(values_only=True)]) for n in wb.sheetnames
        ]
    finally:
        wb.close()
