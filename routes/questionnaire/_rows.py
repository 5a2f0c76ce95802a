"""The cells of a questionnaire file as rows, for the mapped reader (every sheet of a workbook).

Read through the one tabular reader (:func:`routes._table.read_table`), which skips the title
rows above the header; the rows given start with the header row (the mapped reader checks it
for the mapping's columns, and looks further down when the reader took a title row for it).
"""

from __future__ import annotations

import os
from pathlib import Path

from routes._errors import Problem, ValidationError
from routes._table import read_table, sheet_names, table_format

__all__ = ["SheetRows", "file_sheets"]

#: ``(sheet name or None, rows of text cells, the 1-based file row of each row)``.
SheetRows = tuple[str | None, list[list[str]], list[int]]


def file_sheets(path: str | os.PathLike[str], *, sheet: str | int | None = None) -> list[SheetRows]:
    """The rows of a CSV file, or of every sheet of a workbook (``sheet``: only that one).

    Raises
    ------
    routes.ValidationError
        The file is missing, of another type, cannot be opened, or has no such sheet.
    """
    p = Path(path)
    fmt = table_format(p) if p.is_file() else None
    if fmt is None or fmt == "csv":
        if fmt == "csv" and sheet is not None:
            raise ValidationError(
                Problem(
                    f"{p}: a CSV file has no sheets; drop --sheet {sheet!r}",
                    value=sheet,
                    reason="invalid_option",
                )
            )
        return [_rows(p, None)]
    if sheet is not None:
        return [_rows(p, sheet)]
    found: list[SheetRows] = []
    failure: ValidationError | None = None
    for name in sheet_names(p):
        try:  # an empty notes sheet beside the data is no reason to fail
            found.append(_rows(p, name))
        except ValidationError as exc:
            failure = failure or exc
    if not found and failure is not None:
        raise failure
    return found


def _rows(path: Path, sheet: str | int | None) -> SheetRows:
    table = read_table(path, sheet=sheet)
    rows = [list(table.header), *table.frame.to_numpy(dtype=object).tolist()]
    first = table.header_row if table.header_row is not None else 1
    return table.sheet, rows, [first, *(int(r) for r in table.rows)]
