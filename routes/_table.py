"""One reader for every table the tool is handed: CSV/TSV/TXT, XLSX and ODS.

Incidents, questionnaires, places tables, corridor and prior tables and the look-up tables of
mappings all come through :func:`read_table`, so the same bytes always give the same cells.

*Detected*: the format by suffix; for text files the encoding (UTF-8 with or without BOM,
UTF-16, Windows-1250/1251, Latin-1: :func:`routes._io.detect_encoding`), the delimiter (``,``
``;`` TAB ``|``: the one splitting most lines into equal numbers of fields) and the line ends
(LF, CRLF, CR); for every format the *title rows* above the header (an agency name, a date):
the header is the first row as wide as most rows below it, naming more than half of their
columns, and mostly text, not numbers or dates (``skip_rows`` overrides the detection).

*Given*: a frozen :class:`Table`: every cell as text (``""`` when empty, never NaN), the file
row where each data row starts (so messages point at the row the user sees), and how the file
was read. Blank rows between data rows stay rows (every row is accounted for); blank rows at
the end are dropped. Spreadsheet cells read as pandas prints them (``7`` for 7.0,
``2023-05-23 00:00:00``), formulas as their last computed value; workbooks open read-only, so
a broken drawing or chart part does not stop the reading.

*Fast path*: CSV goes through pyarrow's multi-threaded reader, and through pandas' C reader
when pyarrow refuses (repeated or empty header names, rows of another width, bad UTF-8); both
give the same cells (``tests/base/test_table.py`` compares them on every fixture). *Errors*:
one :class:`routes.ValidationError` naming the file, the line or byte and the fix.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "export.csv"
>>> _ = path.write_bytes(b"MUP Srbije\\r17/06/2022\\rID;Mjesto\\r1;Tuzla\\r2;Ni\\x9a\\r")
>>> t = read_table(path)
>>> t.frame.values.tolist(), list(t.frame.columns)
([['1', 'Tuzla'], ['2', 'Niš']], ['ID', 'Mjesto'])
>>> t.encoding, t.delimiter, t.line_ending, t.header_row, t.title_rows, t.rows.tolist()
('cp1250', ';', 'CR', 3, ('MUP Srbije', '17/06/2022'), [4, 5])
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from routes._errors import Problem, ValidationError
from routes._io import progress_bar, utf8_bytes
from routes._pdcompat import STR

__all__ = [
    "TABLE_FORMATS",
    "Table",
    "read_table",
    "sheet_names",
    "sniff_delimiter",
    "table_format",
]

#: File suffix -> table format.
TABLE_FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".ods": "ods",
}
_DELIMITERS = (";", ",", "\t", "|")
_ENDINGS = {"\r\n": "CRLF", "\r": "CR", "\n": "LF"}
_SAMPLE_ROWS = 60  # rows looked at to find the header
_TITLE_MAX = 10  # title rows at most above it
_BAR_MIN_BYTES = 1 << 20  # larger text files get a progress bar with progress=True
_NUMERIC = re.compile(r"^[\s\d.,:/\-+%()'’]*\d[\s\d.,:/\-+%()'’]*$")


@dataclass(frozen=True, eq=False)
class Table:
    """A table as read: ``frame`` (text cells, ``""`` when empty; repeated or empty header
    names renamed as pandas does: ``a.1``, ``Unnamed: 2``), ``file``, ``format`` (``"csv"``,
    ``"xlsx"``, ``"ods"``), ``rows`` (the 1-based file row where each row of ``frame``
    starts), ``header`` (the header cells as written), ``header_row`` (1-based; None without
    a header), ``title_rows`` (the text of the rows skipped above it), ``encoding``,
    ``delimiter``, ``line_ending`` (``"LF"``, ``"CRLF"``, ``"CR"``) and ``sheet``/``sheets``.
    """

    frame: pd.DataFrame
    file: str
    format: str
    rows: np.ndarray
    header: tuple[str, ...] = ()
    header_row: int | None = None
    title_rows: tuple[str, ...] = ()
    encoding: str | None = None
    delimiter: str | None = None
    line_ending: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()


def _fail(message: str, file: str, *, row: int | None = None) -> ValidationError:
    return ValidationError([Problem(message, file=file, row=row, reason="unreadable_file")])


def table_format(path: str | Path) -> str | None:
    """The table format of a file by its suffix (None: not a table file; ``.xls`` raises)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xls":
        raise _fail(
            "old Excel .xls files are not read; open the file in Excel or LibreOffice and "
            "save it as .xlsx or as CSV",
            str(path),
        )
    return TABLE_FORMATS.get(suffix)


def read_table(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    skip_rows: int | None = None,
    header: bool = True,
    progress: bool = False,
) -> Table:
    """Read a CSV/TSV/TXT, XLSX or ODS file into a :class:`Table` of text cells.

    Parameters
    ----------
    path
        The file.
    sheet
        Workbooks: a sheet name or 0-based index (default: the first sheet).
    encoding, delimiter
        Text files: use these instead of detecting them.
    skip_rows
        Skip exactly this many rows above the header instead of detecting title rows.
    header
        False: no header row; every row is data and columns are numbered from 0.
    progress
        Show a progress bar on stderr while a large text file is read.

    Raises
    ------
    routes.ValidationError
        The file is missing, of another type, empty, unreadable, or has no such sheet.
    """
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise _fail(f"file not found: {file}; check the path", file)
    fmt = table_format(path)
    if fmt is None:
        known = ", ".join(sorted(TABLE_FORMATS))
        raise _fail(f"unknown file type {path.suffix!r}; tables are read from {known}", file)
    if skip_rows is not None and skip_rows < 0:
        raise _fail(f"skip_rows must be a whole number >= 0, got {skip_rows!r}", file)
    if fmt != "csv":
        names, grid = _read_grid(path, fmt, sheet)
        return _from_grid(grid, file, fmt, names, skip_rows, header=header)
    if sheet is not None:
        raise _fail(f"{path.name} is a csv file, which has no sheets; drop sheet={sheet!r}", file)
    return _read_text(path, encoding, delimiter, skip_rows, header=header, progress=progress)


# ------------------------------------------------------------------------------ sniffing


def _rows_of(text: str, delimiter: str, limit: int = _SAMPLE_ROWS) -> list[tuple[list[str], int]]:
    """The first records of CSV text, each with the number of lines read by its end."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[list[str], int]] = []
    try:
        for row in reader:
            out.append((row, reader.line_num))
            if len(out) >= limit:
                break
    except csv.Error:
        pass
    return out


def sniff_delimiter(sample: str) -> str:
    """Return the field delimiter of CSV text: ``;``, ``,``, tab or ``|``.

    The delimiter that splits the most lines into the same number of fields (at least two)
    wins, then the one giving more fields; title lines above the header do not matter.

    >>> sniff_delimiter("ID;Datum;Koordinate\\n1;23.05.2023;44,81, 20,46\\n")
    ';'
    >>> sniff_delimiter("id,date\\n1,2023-05-23\\n"), sniff_delimiter("UNODC\\nid|x\\n1|Bar\\n")
    (',', '|')
    """
    lines = sample.splitlines()
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line may be cut off
    text = "\n".join(lines[:200])
    best, best_score = ",", (-1.0, 0)
    for delim in _DELIMITERS:
        rows = [r for r, _ in _rows_of(text, delim, 200) if r]
        if not rows:
            continue
        count, width = _modal([len(r) for r in rows])
        score = (count / len(rows), width)
        if width >= 2 and score > best_score:
            best, best_score = delim, score
    return best


def _modal(widths: list[int]) -> tuple[int, int]:
    """(count, width) of the most common width of two or more fields, (0, 1) when none."""
    return max(((n, w) for w, n in Counter(widths).items() if w >= 2), default=(0, 1))


def _extent(row: list[str]) -> int:
    return max((i + 1 for i, c in enumerate(row) if c.strip()), default=0)


def _header_index(rows: list[list[str]]) -> int:
    """Index of the header among the first rows (title rows above it are skipped).

    Title rows are blank or fill at most half the width most rows below them have. The first
    row filling more is the header, unless it is mostly numbers or dates (then it is data, and
    the first non-blank row is taken as the header, as when there is nothing to skip).
    """
    filled = [sum(1 for c in r if c.strip()) for r in rows]
    extent = [_extent(r) for r in rows]
    first = next((i for i, f in enumerate(filled) if f), 0)
    for i in range(min(len(rows), _TITLE_MAX)):
        if not filled[i]:
            continue
        cells = [c for c in rows[i] if c.strip()]
        numeric = sum(bool(_NUMERIC.match(c)) for c in cells) * 2 >= len(cells)
        width = _modal([e for e in extent[i + 1 :] if e])[1]
        if filled[i] * 2 > width:  # with nothing or one column below: not a title
            return first if numeric or filled[i] < 2 else i
    return first


def _title_text(row: list[str]) -> str:
    return " ".join(c.strip() for c in row if c.strip())


# ------------------------------------------------------------------------------ text files


def _line_offset(raw: bytes, lines: int, file: str) -> int:
    """Byte offset where line ``lines + 1`` starts (LF, CRLF and CR end a line)."""
    pos = 0
    for _ in range(lines):
        ends = [x for x in (raw.find(b"\r", pos), raw.find(b"\n", pos)) if x >= 0]
        if not ends:
            raise _fail(
                f"skip_rows = {lines} skips past the end of the file; count only the title "
                "lines above the header",
                file,
            )
        pos = min(ends) + 1
        pos += raw[pos - 1 : pos + 1] == b"\r\n"
    return pos


def _read_text(
    path: Path,
    encoding: str | None,
    delimiter: str | None,
    skip_rows: int | None,
    *,
    header: bool,
    progress: bool,
) -> Table:
    file = str(path)
    raw, encoding = utf8_bytes(path.read_bytes(), file, encoding=encoding)
    head = raw[: 1 << 16].decode("utf-8", errors="replace")
    if not head.strip():
        raise _fail("the file is empty; it needs a header line and at least one row", file)
    delimiter = sniff_delimiter(head) if delimiter is None else delimiter
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise _fail(f"the delimiter must be one character such as ';', got {delimiter!r}", file)
    skip = skip_rows
    if skip is None:
        sample = _rows_of(head, delimiter)
        at = _header_index([r for r, _ in sample]) if header and sample else 0
        skip = sample[at - 1][1] if at else 0
    cut = _line_offset(raw, skip, file)
    above = _rows_of(raw[:cut].decode("utf-8", "replace"), delimiter, skip + 1)
    raw = raw[cut:]
    if not raw.strip(b"\r\n"):
        raise _fail(f"no header line after the {skip} title line(s); the table is empty", file)
    if raw.count(b'"') % 2:  # only then can a quoted field be left open
        _check_unclosed_quote(raw, delimiter, file, skip)
    names = next(iter(_rows_of(raw[:65536].decode("utf-8", "replace"), delimiter, 1)), ([], 0))[0]
    frame = _read_csv_arrow(raw, names, delimiter, progress=progress) if header else None
    if frame is None:
        frame = _read_csv_pandas(raw, file, delimiter, header=header, skip=skip)
    ends = raw.count(b"\n") + raw.count(b"\r") - raw.count(b"\r\n")  # line breaks
    inner = ends - len(frame) - header + (not raw.endswith((b"\n", b"\r")))  # inside quotes
    del raw
    frame = _drop_trailing_empty(frame.astype(STR).fillna(""))
    first = skip + 1 + (sum(_breaks(pd.Series(names))) + 1 if header else 0)
    line_end = re.search(r"\r\n|\r|\n", head)
    return Table(
        frame,
        file,
        "csv",
        _row_starts(frame, int(first), inner > 0),
        header=tuple(names) if header else (),
        header_row=skip + 1 if header else None,
        title_rows=tuple(_title_text(r) for r, _ in above),
        encoding=encoding,
        delimiter=delimiter,
        line_ending=_ENDINGS[line_end.group()] if line_end else None,
    )


def _breaks(values: pd.Series) -> np.ndarray:
    """Line breaks inside each value."""
    return values.astype(object).fillna("").str.count(r"\r\n|\r|\n").to_numpy(dtype=np.int64)


def _row_starts(frame: pd.DataFrame, first: int, quoted: bool) -> np.ndarray:
    """File line of each row: rows follow each other, plus the line breaks inside quotes."""
    n = len(frame)
    rows = np.arange(first, first + n, dtype=np.int64)
    if quoted and n:
        inner = np.zeros(n, dtype=np.int64)
        for col in range(frame.shape[1]):
            cells = frame.iloc[:, col]
            if cells.str.contains("[\r\n]", regex=True).any():
                inner += _breaks(cells)
        rows[1:] += np.cumsum(inner)[:-1]
    return rows


def _check_unclosed_quote(raw: bytes, delimiter: str, file: str, skip: int) -> None:
    """Raise when a quoted field runs to the end of the file (else its rows would vanish)."""
    text = io.StringIO(raw.decode("utf-8", errors="replace"), newline="")
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    records, last_line = 0, 0
    try:
        for _ in reader:
            records += 1
            last_line = reader.line_num
    except csv.Error as err:
        if "unexpected end of data" not in str(err):
            return  # not a quote left open; the parsers below judge the line
        if records == 0:  # the header itself: no data row to name
            msg = "a quoted name in the header line is never closed (a '\"' is missing)"
            raise _fail(f"{msg}; close the quote or remove it", file) from None
        raise _fail(
            f"a quoted field that starts on line {skip + last_line + 1} (data row {records}) "
            "is never closed: its closing '\"' is missing, so every later line would be read "
            "into that one cell; add the closing quote or remove the opening one",
            file,
            row=records,
        ) from None


def _read_csv_arrow(
    raw: bytes, names: list[str], delimiter: str, *, progress: bool
) -> pd.DataFrame | None:
    """Fast path: pyarrow's multi-threaded CSV reader (None: the file needs pandas' reader)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if len(set(names)) != len(names) or any(not n.strip() for n in names):
        return None
    block = 1 << 22
    opts: dict[str, Any] = dict(
        read_options=pacsv.ReadOptions(encoding="utf8", block_size=block),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            null_values=[],
        ),
    )
    try:
        if progress and len(raw) > _BAR_MIN_BYTES:
            batches = []
            with progress_bar(total=len(raw), unit="B", unit_scale=True, desc="reading") as bar:
                reader = pacsv.open_csv(io.BytesIO(raw), **opts)
                for batch in reader:
                    batches.append(batch)
                    bar.update(min(block, len(raw) - bar.n))
                bar.update(len(raw) - bar.n)
            table = pa.Table.from_batches(batches, schema=reader.schema)
        else:
            table = pacsv.read_csv(io.BytesIO(raw), **opts)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.column_names != names:
        return None
    return table.to_pandas(types_mapper=lambda t: STR if pa.types.is_string(t) else None)


def _read_csv_pandas(
    raw: bytes, file: str, delimiter: str, *, header: bool, skip: int
) -> pd.DataFrame:
    """Tolerant path: pandas' C reader (UTF-8 bytes in), with exact errors for bad rows."""
    try:
        return pd.read_csv(
            io.BytesIO(raw),
            sep=delimiter,
            encoding="utf-8",
            dtype=STR,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            header=0 if header else None,
        )
    except UnicodeDecodeError as err:
        at = _bad_byte(raw, err.start)
        line = skip + raw[:at].count(b"\n") + 1
        raise _fail(
            f"the file is UTF-8 but line {line} holds a byte that is not valid UTF-8 "
            f"({raw[at : at + 1]!r} at byte {at}); fix that line or save the file again as "
            "UTF-8",
            file,
            row=line - skip - 1,
        ) from None
    except pd.errors.EmptyDataError:
        raise _fail(
            "the file is empty; it needs a header line and at least one row", file
        ) from None
    except pd.errors.ParserError as err:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        if match:
            want, line_no, saw = (int(g) for g in match.groups())
            raise _fail(
                f"line {line_no + skip} has {saw} fields but the header has {want} (delimiter "
                f"{delimiter!r}); quote values that contain {delimiter!r} or fix the row",
                file,
                row=line_no - 1,
            ) from None
        raise _fail(f"cannot parse the file as CSV ({err}); save it again as CSV", file) from None


def _bad_byte(raw: bytes, default: int) -> int:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return err.start
    return default


def _drop_trailing_empty(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop empty rows at the end of a table (blank lines after the last row)."""
    if frame.empty or frame.shape[1] == 0:
        return frame
    n = len(frame)
    tail = frame.iloc[max(0, n - 1000) :]
    filled = np.flatnonzero((tail.apply(lambda s: s.str.strip()) != "").any(axis=1).to_numpy())
    keep = n - len(tail) + (filled[-1] + 1 if len(filled) else 0)
    return frame.iloc[:keep] if keep < n else frame


# ------------------------------------------------------------------------------ workbooks


def sheet_names(path: str | Path) -> list[str]:
    """The names of the sheets of an XLSX or ODS workbook, in order (ValidationError if none)."""
    names, book = _open_sheets(Path(path), table_format(path) or "xlsx")
    book.close()
    return names


def _open_sheets(path: Path, fmt: str) -> tuple[list[str], Any]:
    try:
        if fmt == "ods":
            book = pd.ExcelFile(path, engine="odf")
            return [str(n) for n in book.sheet_names], book
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
        return [str(n) for n in book.sheetnames], book
    except Exception as err:  # zipfile, XML and openpyxl errors of many kinds
        kind, ext = ("ODS", "ods") if fmt == "ods" else ("Excel", "xlsx")
        raise _fail(
            f"cannot open the workbook ({type(err).__name__}: {err}); it is not a valid {kind} "
            f"file: open it in Excel or LibreOffice and save it again as .{ext}",
            str(path),
        ) from None


def _pick_sheet(names: list[str], sheet: str | int | None, file: str) -> str:
    listed = ", ".join(repr(n) for n in names)
    if not names:
        raise _fail("the workbook has no sheets; save it again with the data sheet", file)
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) or (sheet.isdigit() and sheet not in names):
        if not 0 <= int(sheet) < len(names):
            raise _fail(
                f"sheet index {int(sheet)} does not exist; the workbook has {len(names)} "
                f"sheet(s): {listed} (indexes start at 0)",
                file,
            )
        return names[int(sheet)]
    if sheet in names:
        return sheet
    raise _fail(f"sheet {sheet!r} not found; the workbook has: {listed}", file)


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as pandas would print it (``7`` for 7.0, dates with their time)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_grid(
    path: Path, fmt: str, sheet: str | int | None
) -> tuple[tuple[list[str], str], list[list[str]]]:
    """((sheet names, chosen sheet), the sheet's cells as text, one list a spreadsheet row)."""
    names, book = _open_sheets(path, fmt)
    try:
        chosen = _pick_sheet(names, sheet, str(path))
        if fmt == "ods":
            values = pd.read_excel(book, chosen, header=None, dtype=object, na_filter=False).values
        else:
            ws = book[chosen]
            ws.reset_dimensions()
            values = ws.iter_rows(values_only=True)
        grid = [[_cell_text(v) for v in row] for row in values]
    except ValidationError:
        raise
    except Exception as err:  # a broken part of the workbook
        raise _fail(
            f"cannot read the sheet ({type(err).__name__}: {err}); open the workbook and "
            "save it again",
            str(path),
        ) from None
    finally:
        book.close()
    return (names, chosen), grid


def _from_grid(
    grid: list[list[str]],
    file: str,
    fmt: str,
    names: tuple[list[str], str],
    skip_rows: int | None,
    *,
    header: bool,
) -> Table:
    sheets, chosen = names
    while grid and not _extent(grid[-1]):
        grid.pop()
    at = skip_rows if skip_rows is not None else 0
    if header and skip_rows is None and grid:
        at = _header_index(grid[:_SAMPLE_ROWS])
    if header and at >= len(grid):
        why = f"after skip_rows = {skip_rows} rows" if skip_rows else "(it is empty)"
        raise _fail(f"no header row in sheet {chosen!r} {why}; choose the data sheet", file)
    width = max((_extent(r) for r in grid), default=0)
    grid = [r[:width] + [""] * (width - len(r)) for r in grid]
    head = grid[at] if header else []
    body = grid[at + 1 :] if header else grid[at:]
    frame = pd.DataFrame(body, columns=range(width), dtype=STR)
    if header:
        frame.columns = _unique_names(head)
    return Table(
        frame,
        file,
        fmt,
        np.arange(len(frame), dtype=np.int64) + at + (2 if header else 1),
        header=tuple(head),
        header_row=at + 1 if header else None,
        title_rows=tuple(_title_text(r) for r in grid[:at]),
        sheet=chosen,
        sheets=tuple(sheets),
    )


def _unique_names(head: list[str]) -> list[str]:
    """Header cells as column names the way pandas names them (``Unnamed: 2``, ``a.1``)."""
    out: list[str] = []
    for i, name in enumerate(head):
        base = name if name != "" else f"Unnamed: {i}"
        name, k = base, 0
        while name in out:
            k += 1
            name = f"{base}.{k}"
        out.append(name)
    return out
