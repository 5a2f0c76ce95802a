"""Bundled reference geography: country outlines, land border lines and border crossing points.

Everything here reads small GeoParquet files shipped with the package (see ``data/README.md``
for sources, licences and the build scripts). Results are cached per process and returned as
copies, so callers may modify them freely.

Kosovo is shown as ``"Kosovo*"``; show :data:`routes.KOSOVO_FOOTNOTE` wherever names appear.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from routes._paths import data_dir

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["load_border_lines", "load_borders", "load_crossings", "read_wgs84_parquet"]


@lru_cache(maxsize=8)
def _read_bundled(name: str) -> gpd.GeoDataFrame:
    path = data_dir("borders") / name
    if not path.is_file():
        raise FileNotFoundError(
            f"bundled file {path} is missing; rebuild it with "
            f"'python scripts/build_borders.py' / 'python scripts/build_crossings.py' "
            "or reinstall salw-routes."
        )
    return read_wgs84_parquet(path)


def read_wgs84_parquet(path: Path) -> gpd.GeoDataFrame:
    """A GeoParquet file as :func:`geopandas.read_parquet` reads it, sooner when it is in
    EPSG:4326.

    The bundled files declare their CRS as PROJJSON naming EPSG:4326; making a pyproj CRS from
    that JSON takes ~20 ms per file, from ``"EPSG:4326"`` ~1 ms (the same CRS: equal, with the
    same PROJJSON). Such a file is read with pyarrow and shapely (WKB geometry) and given
    ``"EPSG:4326"``; any other file goes through :func:`geopandas.read_parquet`. The frames
    are equal (``tests/geo/test_geography.py``).
    """
    import json

    import geopandas as gpd
    import pyarrow.parquet as pq
    import shapely

    table = pq.read_table(path)
    try:
        geo = json.loads((table.schema.metadata or {})[b"geo"])
        column = geo["primary_column"]
        meta = geo["columns"][column]
        plain = (
            meta.get("encoding") == "WKB"
            and isinstance(meta.get("crs"), dict)
            and meta["crs"].get("id") == {"authority": "EPSG", "code": 4326}
            and len(geo["columns"]) == 1
        )
    except (KeyError, TypeError, ValueError):
        plain = False
    if not plain:
        return gpd.read_parquet(path)
    df = table.to_pandas()
    df[column] = shapely.from_wkb(table.column(column).to_numpy(zero_copy_only=False))
    return gpd.GeoDataFrame(df, geometry=column, crs="EPSG:4326")


def load_borders() -> gpd.GeoDataFrame:
    """Return the outlines of the 15 jurisdictions of the region.

    The six Western Balkan jurisdictions (AL, BA, XK, ME, MK, RS) and their neighbours (HR, SI,
    HU, RO, BG, GR, IT, AT, TR) at Natural Earth 1:10 m, clipped to lon 5..30, lat 34..49.5.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``jurisdiction`` (ISO 3166-1 alpha-2, ``XK`` for Kosovo*), ``name`` (English
        display name, ``"Kosovo*"``), ``adm0_a3`` (Natural Earth code) and ``geometry``
        (MultiPolygon, EPSG:4326). A fresh copy on every call.

    Examples
    --------
    >>> borders = load_borders()
    >>> borders.set_index("jurisdiction").loc["XK", "name"]
    'Kosovo*'
    """
    return _read_bundled("countries.parquet").copy()


def load_border_lines() -> gpd.GeoDataFrame:
    """Return the shared land border line of every neighbouring pair of the region.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``jurisdiction_a`` and ``jurisdiction_b`` (ISO alpha-2, sorted so that
        ``jurisdiction_a < jurisdiction_b``), ``length_m`` (measured in EPSG:3035) and
        ``geometry`` (MultiLineString, EPSG:4326). A fresh copy on every call.

    Examples
    --------
    >>> lines = load_border_lines()
    >>> row = lines[(lines.jurisdiction_a == "RS") & (lines.jurisdiction_b == "XK")].iloc[0]
    >>> round(row.length_m / 1000)
    270
    """
    return _read_bundled("border_lines.parquet").copy()


def load_crossings(*, path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Return the border crossing points: the bundled table, or a user's own file.

    The bundled table holds the official international road, rail and river border crossings
    of AL, BA, XK, ME, MK and RS with each other and with HR, HU, RO, BG and GR (each placed
    on the Natural Earth border line of its two jurisdictions), the international seaports
    and the international airports; see ``data/README.md``.

    Parameters
    ----------
    path
        A user's own crossings file instead of the bundled table: a CSV with ``lon``/``lat``
        columns (decimal degrees) or any vector format of points (GeoPackage, GeoJSON,
        Shapefile, GeoParquet; reprojected to EPSG:4326). Required columns: ``crossing_id``,
        ``name_a``, ``name_b``, ``jurisdiction_a``, ``jurisdiction_b``, ``mode``; the others
        are optional (``eu_external`` is derived from the jurisdictions when absent).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``crossing_id``, ``name_a``, ``name_b``, ``name_a_local``, ``name_b_local``,
        ``jurisdiction_a``, ``jurisdiction_b``, ``mode`` (road/rail/river/sea/air), ``traffic``
        (passengers/goods/both or missing), ``e_road``, ``eu_external`` (bool), ``source``,
        ``source_date`` and ``geometry`` (Point, EPSG:4326). A fresh copy on every call.

    Raises
    ------
    routes.ValidationError
        When ``path`` is given and the file has problems: every problem is listed with the
        file, 1-based data row, column, value and the fix (missing columns, unknown modes or
        jurisdictions, malformed or duplicate ids, points outside the region).

    Examples
    --------
    >>> crossings = load_crossings()
    >>> row = crossings.set_index("crossing_id").loc["RS-MK-PRESEVO"]
    >>> row["name_b"], row["e_road"]
    ('Tabanovce', 'E75')
    """
    if path is None:
        return _read_bundled("crossings.parquet").copy()
    from routes.geo._crossings import read_crossings_file

    return read_crossings_file(path)
