"""Write incident tables atomically: CSV, XLSX, GeoJSON, GeoPackage, GeoParquet."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

__all__ = ["write_incidents"]

_GEO_SUFFIXES = {".geojson": "GeoJSON", ".gpkg": "GPKG", ".parquet": "parquet"}
_CSV_SUFFIXES = (".csv",)


def write_incidents(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write an incident table, choosing the format from the file name; never half-written.

    The file is written to a temporary file in the same folder and moved into place only when
    complete.

    Parameters
    ----------
    frame
        An incident table such as :func:`routes.synthesize_incidents` returns.
    path
        Target file: ``.csv`` (UTF-8, ISO dates), ``.xlsx`` (at most 1,048,575 rows), or
        ``.geojson``/``.gpkg``/``.parquet`` (points in EPSG:4326; place-only rows get no geometry
        and keep their place name). Every format is one that :func:`routes.read_incidents`
        reads back.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    ValueError
        If the suffix is not one of the above, or the table has too many rows for Excel.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (*_CSV_SUFFIXES, ".xlsx", *_GEO_SUFFIXES):
        raise ValueError(
            f"cannot write {target.name!r}: unknown suffix {suffix!r}; use one of "
            ".csv, .xlsx, .geojson, .gpkg, .parquet"
        )
    if suffix == ".xlsx" and len(frame) > 1_048_575:
        raise ValueError(
            f"cannot write {len(frame):,} rows to {target.name!r}: Excel holds at most "
            "1,048,575 rows per sheet; write .csv or .parquet instead"
        )
    from routes._io import atomic_path

    with atomic_path(target, suffix=suffix) as tmp:
        out = frame.copy()
        if "date" in out.columns and pd.api.types.is_datetime64_any_dtype(out["date"]):
            out["date"] = out["date"].dt.strftime("%Y-%m-%d")
        if suffix in _CSV_SUFFIXES:
            out.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
        elif suffix == ".xlsx":
            out.to_excel(tmp, index=False, sheet_name="incidents")
        else:
            import geopandas as gpd

            geometry = gpd.points_from_xy(out["longitude"], out["latitude"], crs="EPSG:4326")
            # place-only rows get no geometry at all (not an empty point)
            geometry[out["latitude"].isna().to_numpy() | out["longitude"].isna().to_numpy()] = None
            gdf = gpd.GeoDataFrame(out, geometry=geometry, crs="EPSG:4326")
            if suffix == ".parquet":
                gdf.to_parquet(tmp, index=False)
            else:
                gdf.to_file(tmp, driver=_GEO_SUFFIXES[suffix], layer="incidents")
    return target
