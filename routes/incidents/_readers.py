"""Reading incident tables from disk: CSV, XLSX, ODS, GeoJSON, GeoPackage and (Geo)Parquet.

Everything here returns a :class:`RawTable`: the attribute columns as read (CSV, XLSX and ODS
cells as text through the one tabular reader :mod:`routes._table`, so that nothing is guessed
before validation) plus, for vector formats, the geometry reprojected to EPSG:4326. Problems
that make a file unreadable raise :class:`routes.ValidationError` with the file named and the
fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from routes._crs import to_crs
from routes._errors import Problem, ValidationError
from routes._table import TABLE_FORMATS, table_format
from routes._table import read_table as read_text_table

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "FORMATS",
    "RawTable",
    "geometry_xy",
    "read_table",
]

#: File suffix -> format key.
FORMATS: dict[str, str] = {
    **TABLE_FORMATS,
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
    line_ending: str | None = None
    header_row: int | None = None
    title_rows: tuple[str, ...] = ()
    rows: np.ndarray | None = field(default=None, repr=False)


def _fail(
    message: str, file: str, *, row: int | None = None, reason: str = "unreadable_file"
) -> ValidationError:
    return ValidationError([Problem(message, file=file, row=row, reason=reason)])


def _format_of(path: Path, file: str) -> str:
    fmt = table_format(path) or FORMATS.get(path.suffix.lower())
    if fmt is None:
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
    skip_rows: int | None = None,
    progress: bool = False,
) -> RawTable:
    """Read a table file into a :class:`RawTable`.

    CSV, XLSX and ODS go through :func:`routes._table.read_table` (encoding, delimiter and
    title rows above the header detected unless given).

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
    if sheet is not None and fmt not in ("xlsx", "ods"):
        raise _fail(
            f"a sheet ({sheet!r}) was asked for, but {path.name} is a {fmt} file, which has no "
            "sheets; drop --sheet / sheet= (it applies to .xlsx workbooks only)",
            file,
        )
    if layer is not None and fmt in ("csv", "xlsx", "ods", "parquet"):
        raise _fail(
            f"a layer ({layer!r}) was asked for, but {path.name} is a {fmt} file, which has no "
            "layers; drop --layer / layer= (it applies to GeoPackage and other vector files)",
            file,
        )
    if fmt in TABLE_FORMATS.values():
        t = read_text_table(
            path,
            sheet=sheet,
            encoding=encoding,
            delimiter=delimiter,
            skip_rows=skip_rows,
            progress=progress,
        )
        return RawTable(
            t.frame,
            t.file,
            t.format,
            encoding=t.encoding,
            delimiter=t.delimiter,
            sheet=t.sheet,
            line_ending=t.line_ending,
            header_row=t.header_row,
            title_rows=t.title_rows,
            rows=t.rows,
        )
    if fmt == "parquet":
        return _read_parquet(path)
    return _read_vector(path, fmt, layer=layer)


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
