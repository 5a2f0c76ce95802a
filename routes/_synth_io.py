"""Writing incident tables atomically (CSV, compressed CSV, XLSX, GeoJSON, GeoPackage, GeoParquet)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

__all__ = ["write_incidents"]

_GEO_SUFFIXES = {".geojson": "GeoJSON", ".gpkg": "GPKG", ".parquet": "parquet"}
_CSV_SUFFIXES = (".csv", ".csv.gz", ".csv.bz2", ".csv.xz", ".csv.zip")


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for s in _CSV_SUFFIXES:
        if name.endswith(s):
            return s
    return path.suffix.lower()


def write_incidents(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write an incident table, choosing the format from the file name; never half-written.

    The file is written to a temporary file in the same folder and moved into place only when
    complete.

    Parameters
    ----------
    frame
        An incident table such as :func:`routes.synthesize_incidents` returns.
    path
        Target file: ``.csv`` (UTF-8, ISO dates; ``.csv.gz``/``.bz2``/``.xz``/``.zip`` compressed),
        ``.xlsx`` (at most 1,048,575 rows), or ``.geojson``/``.gpkg``/``.parquet`` (points in
        EPSG:4326; place-only rows get an empty geometry and keep their place name).

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
    suffix = _suffix(target)
    if suffix not in (*_CSV_SUFFIXES, ".xlsx", *_GEO_SUFFIXES):
        raise ValueError(
            f"cannot write {target.name!r}: unknown suffix {suffix!r}; use one of "
            ".csv, .csv.gz, .xlsx, .geojson, .gpkg, .parquet"
        )
    if suffix == ".xlsx" and len(frame) > 1_048_575:
        raise ValueError(
            f"cannot write {len(frame):,} rows to {target.name!r}: Excel holds at most "
            "1,048,575 rows per sheet; write .csv or .parquet instead"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=f".part{suffix}", dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        out = frame.copy()
        if "date" in out.columns and pd.api.types.is_datetime64_any_dtype(out["date"]):
            out["date"] = out["date"].dt.strftime("%Y-%m-%d")
        if suffix in _CSV_SUFFIXES:
            compression = {".csv": None, ".csv.gz": "gzip", ".csv.bz2": "bz2"}.get(
                suffix, suffix.rsplit(".", 1)[-1]
            )
            out.to_csv(
                tmp, index=False, encoding="utf-8", lineterminator="\n", compression=compression
            )
        elif suffix == ".xlsx":
            out.to_excel(tmp, index=False, sheet_name="incidents")
        else:
            import geopandas as gpd

            geometry = gpd.points_from_xy(out["longitude"], out["latitude"], crs="EPSG:4326")
            gdf = gpd.GeoDataFrame(out, geometry=geometry, crs="EPSG:4326")
            if suffix == ".parquet":
                gdf.to_parquet(tmp, index=False)
            else:
                tmp.unlink()
                gdf.to_file(tmp, driver=_GEO_SUFFIXES[suffix], layer="incidents")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
