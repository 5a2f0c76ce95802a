"""Incident frames -> the columns routing reads (waypoint text, seizure point, attributes).

Private.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from routes._crs import to_crs
from routes._errors import Problem, ValidationError
from routes.routing.result import ATTR_COLUMNS

__all__ = [
    "WAYPOINT_COLUMNS",
    "check_frame",
    "incident_attrs",
    "seizure_lonlat",
    "split_list",
    "text_column",
]

WAYPOINT_COLUMNS = ("origin", "transit", "crossing", "destination")


def text_column(values: pd.Series) -> np.ndarray:
    """Object array of stripped strings, "" for missing.

    Each distinct text is cleaned once (a column repeats a few names over many rows); a
    column that holds anything but text is converted row by row (``1`` and ``True`` are one
    value to a hash table, but two texts).
    """
    if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        return values.astype("string").str.strip().fillna("").to_numpy(dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    clean = pd.Series(uniques).astype("string").str.strip().fillna("").to_numpy(dtype=object)
    # code -1 (missing) takes the "" appended last
    return np.append(clean, np.array([""], dtype=object))[codes]


def split_list(value: str) -> list[str]:
    return [p.strip() for p in value.split("|") if p.strip()] if value else []


def seizure_lonlat(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    n = len(df)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    geom = None
    try:
        import geopandas as gpd

        if isinstance(df, gpd.GeoDataFrame) and df.geometry.name in df.columns:
            geom = df.geometry
    except Exception:  # pragma: no cover - geopandas is a dependency
        geom = None
    if geom is not None and n:
        import shapely

        g = to_crs(geom, 4326) if geom.crs is not None and not geom.crs.equals(4326) else geom
        arr = np.asarray(g.values, dtype=object)
        valid = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
        safe = np.where(valid, arr, np.array(None, dtype=object))
        pts = valid & (shapely.get_type_id(safe) == 0)
        if pts.any():
            lon[pts] = shapely.get_x(arr[pts])
            lat[pts] = shapely.get_y(arr[pts])
    if "longitude" in df.columns and "latitude" in df.columns:
        need = ~np.isfinite(lon)
        if need.any():
            lo = pd.to_numeric(df["longitude"], errors="coerce").to_numpy(dtype=float)
            la = pd.to_numeric(df["latitude"], errors="coerce").to_numpy(dtype=float)
            lon[need] = lo[need]
            lat[need] = la[need]
    return lon, lat


def incident_attrs(df: pd.DataFrame) -> pd.DataFrame:
    n = len(df)
    out = {}
    for col in ATTR_COLUMNS:
        if col in df.columns:
            out[col] = _as_column(df[col])
        elif col == "quantity":
            out[col] = np.ones(n, dtype=np.int64)
        elif col == "source_row":
            out[col] = np.arange(1, n + 1)
        elif col == "date":
            out[col] = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        else:
            out[col] = np.full(n, None, dtype=object)
    attrs = pd.DataFrame(out)
    q = pd.to_numeric(attrs["quantity"], errors="coerce").fillna(1)
    attrs["quantity"] = q.to_numpy(dtype=float)
    if not pd.api.types.is_datetime64_any_dtype(attrs["date"]):
        attrs["date"] = pd.to_datetime(attrs["date"], errors="coerce")
    attrs["incident_id"] = attrs["incident_id"].astype(object)
    return attrs


def _as_column(values: pd.Series) -> Any:
    """The values of one column for a new frame, typed as the frame would infer them.

    Text read by :func:`routes.read_incidents` (pandas' ``str``, with some text) is kept as
    it is: through an object array it would come back to the same type, at a cost.
    """
    dtype = values.dtype
    if (
        isinstance(dtype, pd.StringDtype)
        and dtype.storage == "pyarrow"
        and dtype.na_value is np.nan
        and bool(values.notna().any())
    ):
        return values.array
    return values.to_numpy()


def check_frame(df: Any) -> None:
    problems = []
    if not isinstance(df, pd.DataFrame):
        raise ValidationError(
            f"incidents must be a (Geo)DataFrame from routes.read_incidents(), instead got "
            f"{type(df).__name__}"
        )
    if "incident_id" not in df.columns:
        problems.append(
            "incidents have no 'incident_id' column; read the file with routes.read_incidents() "
            "(and a column mapping) so the canonical columns exist"
        )
    if not any(c in df.columns for c in WAYPOINT_COLUMNS):
        problems.append(
            f"incidents have none of the waypoint columns {list(WAYPOINT_COLUMNS)}; map the "
            "file's origin/destination columns with --mapping"
        )
    if problems:
        raise ValidationError([Problem(p) for p in problems])
