"""Reading incident tables from disk: CSV, XLSX, GeoJSON, GeoPackage and (Geo)Parquet.

Everything here returns a :class:`RawTable`: the attribute columns as read (CSV and XLSX cells
as text, so that nothing is guessed before validation) plus, for vector formats, the geometry
reprojected to EPSG:4326. Problems that make a file unreadable raise
:class:`routes.ValidationError` with the file named and the fix.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from routes._crs import to_crs
from routes._errors import Problem, ValidationError
from routes.incidents._sniff import detect_encoding, sniff_delimiter

if TYPE_CHECKING:
    import geopandas as gpd
    from tqdm.auto import tqdm

__all__ = [
    "FORMATS",
    "RawTable",
    "detect_encoding",
    "geometry_xy",
    "read_table",
    "sniff_delimiter",
]

#: File suffix -> format key.
FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
}


@dataclass
class RawTable:
    """A table as read from a file, before mapping and validation."""

    frame: pd.DataFrame
    file: str
    format: str
    geometry: gpd.GeoSeries | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | int | None = None
    layer: str | None = None
    source_crs: str | None = None


def _fail(
    message: str, file: str, *, row: int | None = None, reason: str = "unreadable_file"
) -> ValidationError:
    return ValidationError([Problem(message, file=file, row=row, reason=reason)])


def _format_of(path: Path, file: str) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        if path.suffix.lower() == ".xls":
            raise _fail(
                "old Excel .xls files are not read; open the file in Excel or LibreOffice and "
                "save it as .xlsx or as CSV",
                file,
            )
        if path.suffix.lower() in (".shp", ".fgb", ".gml", ".kml"):
            return "vector"
        raise _fail(
            f"unknown file type {path.suffix!r}; salw-routes reads "
            f"{', '.join(sorted(FORMATS))} (and .shp, .fgb)",
            file,
        )
    return fmt


def read_table(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    layer: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    skip_rows: int = 0,
    progress: bool = False,
) -> RawTable:
    """Read a table file into a :class:`RawTable`.

    Raises
    ------
    routes.ValidationError
        When the file is missing, of an unknown type, cannot be decoded or parsed, or the
        sheet/layer asked for does not exist.
    """
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise _fail(f"file not found: {file}; check the path", file)
    fmt = _format_of(path, file)
    if sheet is not None and fmt != "xlsx":
        raise _fail(
            f"a sheet ({sheet!r}) was asked for, but {path.name} is a {fmt} file, which has no "
            "sheets; drop --sheet / sheet= (it applies to .xlsx workbooks only)",
            file,
        )
    if layer is not None and fmt in ("csv", "xlsx", "parquet"):
        raise _fail(
            f"a layer ({layer!r}) was asked for, but {path.name} is a {fmt} file, which has no "
            "layers; drop --layer / layer= (it applies to GeoPackage and other vector files)",
            file,
        )
    if fmt == "csv":
        return _read_csv(
            path, encoding=encoding, delimiter=delimiter, skip_rows=skip_rows, progress=progress
        )
    if fmt == "xlsx":
        return _read_xlsx(path, sheet=sheet, skip_rows=skip_rows)
    if fmt == "parquet":
        return _read_parquet(path)
    return _read_vector(path, fmt, layer=layer)


def _read_csv(
    path: Path, *, encoding: str | None, delimiter: str | None, skip_rows: int, progress: bool
) -> RawTable:
    file = str(path)
    raw = path.read_bytes()
    if raw.startswith(b"PK\x03\x04"):
        raise _fail(
            "this is not a text (CSV) file but a zip file, most likely an Excel workbook "
            "saved with the wrong name; rename it to .xlsx, or save it from Excel as CSV",
            file,
        )
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail(
            "this is not a text (CSV) file but an old Excel 97-2003 workbook (.xls); open it "
            "in Excel and save it as .xlsx or as CSV",
            file,
        )
    if encoding is None:
        encoding = detect_encoding(raw)
    else:
        try:
            raw[: 1 << 20].decode(encoding)
        except LookupError:
            raise _fail(
                f"unknown encoding {encoding!r} in the mapping; use utf-8, cp1250 or cp1251",
                file,
            ) from None
        except UnicodeDecodeError as err:
            raise _fail(
                f"the file is not {encoding} (byte {err.start} cannot be decoded); remove "
                "`encoding` from the mapping to detect it, or give the right one",
                file,
            ) from None
    import codecs

    encoding = codecs.lookup(encoding).name
    if raw.startswith(codecs.BOM_UTF8) and encoding in ("utf-8", "utf-8-sig"):
        raw = raw[3:]
    elif encoding not in ("utf-8", "utf-8-sig"):
        try:
            raw = raw.decode(encoding).encode("utf-8")
        except UnicodeDecodeError as err:
            raise _fail(
                f"the file is not valid {encoding} (byte {err.start}); save it again as UTF-8",
                file,
            ) from None
    if skip_rows:
        cut = 0
        for _ in range(skip_rows):
            nl = raw.find(b"\n", cut)
            if nl < 0:
                raise _fail(
                    f"skip_rows = {skip_rows} skips past the end of the file; count only the "
                    "title lines above the header",
                    file,
                )
            cut = nl + 1
        raw = raw[cut:]
    head = raw[: 1 << 16].decode("utf-8", errors="replace")
    if not head.strip():
        raise _fail("the file is empty; it needs a header line and at least one row", file)
    if delimiter is None:
        delimiter = sniff_delimiter(head)
    if raw.count(b'"') % 2:  # cheap test; only then look for a quote that is never closed
        _check_unclosed_quote(raw, delimiter, file)
    frame = _read_csv_arrow(raw, head, delimiter, progress=progress)
    if frame is None:
        frame = _read_csv_pandas(raw, file, delimiter, progress=progress)
    del raw
    frame = frame.fillna("")
    frame = _drop_trailing_empty(frame)
    return RawTable(frame, file, "csv", encoding=encoding, delimiter=delimiter)


def _check_unclosed_quote(raw: bytes, delimiter: str, file: str) -> None:
    """Raise when a quoted field runs to the end of the file (its closing quote is missing).

    The fast reader would otherwise read every later line into that one cell, so rows would
    vanish without a trace. An odd number of quote characters may also come from a quote
    inside an unquoted field (``9" knife``), which is fine: only a quoted field left open at
    the end of the file is an error.
    """
    reader = csv.reader(
        io.StringIO(raw.decode("utf-8", errors="replace"), newline=""),
        delimiter=delimiter,
        strict=True,
    )
    records, last_line = 0, 0
    try:
        for _ in reader:
            records += 1
            last_line = reader.line_num
    except csv.Error:
        if records == 0:  # the header itself: no data row to name
            raise _fail(
                "a quoted name in the header line is never closed (a '\"' is missing); "
                "close the quote or remove it",
                file,
            ) from None
        raise _fail(
            f"a quoted field that starts on line {last_line + 1} (data row {records}) is never "
            "closed: its closing '\"' is missing, so every later line would be read into that "
            "one cell; add the closing quote or remove the opening one",
            file,
            row=records,
        ) from None


#: Files larger than this get a progress bar while they are read (with ``progress=True``).
_BAR_MIN_BYTES = 1 << 20


def _reading_bar(total: int) -> tqdm:
    """A progress bar on stderr over the ``total`` bytes of a file being read."""
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="B", unit_scale=True, desc="reading", file=sys.stderr)


def _str_dtype(typ: object) -> object:
    import pyarrow as pa

    if typ in (pa.string(), pa.large_string()):
        return pd.StringDtype("pyarrow", na_value=np.nan)
    return None


def _read_csv_arrow(
    raw: bytes, head: str, delimiter: str, *, progress: bool
) -> pd.DataFrame | None:
    """Fast path: pyarrow's multi-threaded CSV reader, every column as text.

    Returns None when the file needs the tolerant pandas reader (duplicate or empty header
    names, rows with a different number of fields).
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        names = next(csv.reader(io.StringIO(head), delimiter=delimiter))
    except (StopIteration, csv.Error):
        return None
    if len(set(names)) != len(names) or any(not n.strip() for n in names):
        return None
    block = 1 << 22
    read_opts = pacsv.ReadOptions(encoding="utf8", block_size=block)
    parse_opts = pacsv.ParseOptions(
        delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
    )
    conv_opts = pacsv.ConvertOptions(
        column_types={n: pa.string() for n in names},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
        null_values=[],
    )
    try:
        if progress and len(raw) > _BAR_MIN_BYTES:
            batches = []
            with _reading_bar(len(raw)) as bar:
                reader = pacsv.open_csv(
                    io.BytesIO(raw),
                    read_options=read_opts,
                    parse_options=parse_opts,
                    convert_options=conv_opts,
                )
                for batch in reader:
                    batches.append(batch)
                    bar.update(min(block, len(raw) - bar.n))
                bar.update(len(raw) - bar.n)
            table = pa.Table.from_batches(batches, schema=reader.schema)
        else:
            table = pacsv.read_csv(
                io.BytesIO(raw),
                read_options=read_opts,
                parse_options=parse_opts,
                convert_options=conv_opts,
            )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return table.to_pandas(types_mapper=_str_dtype)


def _read_csv_pandas(raw: bytes, file: str, delimiter: str, *, progress: bool) -> pd.DataFrame:
    """Tolerant path: pandas' C reader (UTF-8 bytes in), with exact errors for bad rows."""
    kwargs = dict(
        sep=delimiter,
        encoding="utf-8",
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        engine="c",
    )
    buf = io.BytesIO(raw)
    try:
        if progress and len(raw) > _BAR_MIN_BYTES:
            parts = []
            with _reading_bar(len(raw)) as bar:
                reader = pd.read_csv(buf, chunksize=200_000, **kwargs)  # type: ignore[call-overload]
                done = 0
                for chunk in reader:
                    parts.append(chunk)
                    pos = min(buf.tell(), len(raw))
                    bar.update(pos - done)
                    done = pos
                bar.update(len(raw) - done)
            return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        return pd.read_csv(buf, **kwargs)  # type: ignore[call-overload]
    except UnicodeDecodeError as err:
        bad = _first_bad_utf8(raw)
        if bad is None:
            bad = err.start
        bad_line = raw[:bad].count(b"\n") + 1
        raise _fail(
            f"the file is UTF-8 but line {bad_line} holds a byte that is not valid UTF-8 "
            f"({raw[bad : bad + 1]!r} at byte {bad}); fix that line or save the file again as "
            "UTF-8",
            file,
            row=bad_line - 1,
        ) from err
    except pd.errors.ParserError as err:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        if match:
            want, line_no, saw = match.groups()
            raise _fail(
                f"line {line_no} has {saw} fields but the header has {want} (delimiter "
                f"{delimiter!r}); quote values that contain {delimiter!r} or fix the row",
                file,
                row=int(line_no) - 1,
            ) from None
        raise _fail(f"cannot parse the CSV: {err}", file) from None


def _first_bad_utf8(raw: bytes) -> int | None:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return err.start
    return None


def _drop_trailing_empty(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop empty rows at the end of a table (blank lines after the last row)."""
    if frame.empty or frame.shape[1] == 0:
        return frame
    n = len(frame)
    tail = frame.iloc[max(0, n - 1000) :]
    empty = (tail.astype(str).apply(lambda s: s.str.strip()) == "").all(axis=1).to_numpy()
    k = 0
    while k < len(empty) and empty[len(empty) - 1 - k]:
        k += 1
    return frame.iloc[: n - k] if k else frame


def _read_xlsx(path: Path, *, sheet: str | int | None, skip_rows: int = 0) -> RawTable:
    import openpyxl

    file = str(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True)
        names = list(book.sheetnames)
        book.close()
    except Exception as err:  # openpyxl raises many kinds for broken files
        raise _fail(f"cannot open the Excel file: {err}; save it again as .xlsx", file) from None
    if sheet is None:
        chosen: str = names[0]
    elif isinstance(sheet, int) or (
        isinstance(sheet, str) and sheet.isdigit() and sheet not in names
    ):
        idx = int(sheet)
        if not 0 <= idx < len(names):
            raise _fail(
                f"sheet index {idx} does not exist; the workbook has {len(names)} sheet(s): "
                f"{', '.join(repr(n) for n in names)} (indexes start at 0)",
                file,
            )
        chosen = names[idx]
    elif sheet in names:
        chosen = sheet
    else:
        raise _fail(
            f"sheet {sheet!r} not found; the workbook has: {', '.join(repr(n) for n in names)}",
            file,
        )
    frame = pd.read_excel(
        path,
        sheet_name=chosen,
        dtype=str,
        engine="openpyxl",
        na_filter=False,
        skiprows=skip_rows,
    )
    frame = frame.fillna("")
    frame.columns = [str(c) for c in frame.columns]
    frame = _drop_trailing_empty(frame)
    return RawTable(frame, file, "xlsx", sheet=chosen)


def _geo_split(gdf: gpd.GeoDataFrame, file: str, fmt: str, layer: str | None) -> RawTable:
    geom_name = gdf.geometry.name
    crs = gdf.crs
    geometry = gdf.geometry
    source_crs = crs.to_string() if crs is not None else None
    if crs is not None and crs.to_epsg() != 4326:
        geometry = to_crs(geometry, 4326)
    frame = pd.DataFrame(gdf.drop(columns=[geom_name]))
    return RawTable(
        frame,
        file,
        fmt,
        geometry=geometry.reset_index(drop=True),
        layer=layer,
        source_crs=source_crs,
    )


def _read_vector(path: Path, fmt: str, *, layer: str | None) -> RawTable:
    import pyogrio

    file = str(path)
    try:
        layers = pyogrio.list_layers(path)
    except Exception as err:  # pyogrio raises DataSourceError and friends
        raise _fail(f"cannot open the {fmt} file: {err}", file) from None
    names = [str(n) for n in layers[:, 0]]
    if layer is None:
        if len(names) > 1:
            raise _fail(
                f"the file has {len(names)} layers ({', '.join(repr(n) for n in names)}); "
                "choose one with layer= (Python), --layer (CLI) or `layer` in the mapping",
                file,
            )
        layer = names[0] if names else None
    elif layer not in names:
        raise _fail(
            f"layer {layer!r} not found; the file has: {', '.join(repr(n) for n in names)}",
            file,
        )
    try:
        gdf = pyogrio.read_dataframe(path, layer=layer)
    except Exception as err:
        raise _fail(f"cannot read layer {layer!r}: {err}", file) from None
    if not hasattr(gdf, "geometry") or "geometry" not in gdf.columns:
        frame = pd.DataFrame(gdf)
        return RawTable(frame, file, fmt, layer=layer)
    return _geo_split(gdf, file, fmt, layer)


def _read_parquet(path: Path) -> RawTable:
    import geopandas as gpd
    import pyarrow.parquet as pq

    file = str(path)
    try:
        meta = pq.read_schema(path).metadata or {}
    except Exception as err:
        raise _fail(f"cannot read the Parquet file: {err}", file) from None
    if b"geo" in meta:
        gdf = gpd.read_parquet(path)
        return _geo_split(gdf, file, "parquet", None)
    frame = pd.read_parquet(path)
    return RawTable(frame, file, "parquet")


def geometry_xy(geometry: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return x, y and a "not a point" mask of a GeoSeries (missing geometry -> NaN)."""
    import shapely

    arr = np.asarray(geometry.array, dtype=object)
    type_id = shapely.get_type_id(arr)
    is_point = type_id == 0
    empty = shapely.is_empty(arr) | shapely.is_missing(arr)
    points = arr.copy()
    points[~is_point | empty] = None  # shapely.get_x raises on an empty point
    x = np.where(is_point & ~empty, shapely.get_x(points), np.nan)
    y = np.where(is_point & ~empty, shapely.get_y(points), np.nan)
    not_point = ~is_point & ~empty
    return x.astype(float), y.astype(float), not_point
