"""Reading and validating border-crossing tables (the bundled fact table or a user's own file).

Private helpers behind :func:`routes.load_crossings` and ``scripts/build_crossings.py``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from routes._constants import ALL_JURISDICTIONS
from routes._crs import to_crs
from routes._errors import Problem, ValidationError
from routes._table import TABLE_FORMATS, read_table

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = [
    "CROSSING_COLUMNS",
    "EU_MEMBERS",
    "ID_PATTERN",
    "MODES",
    "PAIR_ORDER",
    "REGION_BOUNDS",
    "TRAFFIC",
    "crossings_from_frame",
    "is_placed_on_border",
    "read_crossings_file",
]

#: Output columns of :func:`routes.load_crossings`, in order (plus ``geometry``).
CROSSING_COLUMNS: tuple[str, ...] = (
    "crossing_id",
    "name_a",
    "name_b",
    "name_a_local",
    "name_b_local",
    "jurisdiction_a",
    "jurisdiction_b",
    "mode",
    "traffic",
    "e_road",
    "eu_external",
    "source",
    "source_date",
)
REQUIRED: tuple[str, ...] = (
    "crossing_id",
    "name_a",
    "name_b",
    "jurisdiction_a",
    "jurisdiction_b",
    "mode",
)
MODES: tuple[str, ...] = ("road", "rail", "river", "sea", "air")
TRAFFIC: tuple[str, ...] = ("passengers", "goods", "both")
#: EU member states among the region's jurisdictions (HR is in Schengen since 2023, but its
#: border with BA, RS and ME is still the EU external border).
EU_MEMBERS: frozenset[str] = frozenset({"HR", "SI", "HU", "RO", "BG", "GR", "IT", "AT"})
#: Order of the two sides in a crossing id: the Western Balkan side first, in this order, then
#: the neighbour ("RS-MK-PRESEVO", "XK-MK-HANI-I-ELEZIT", "AL-ME-HANI-I-HOTIT", "BA-HR-...").
PAIR_ORDER: tuple[str, ...] = (
    "AL",
    "BA",
    "RS",
    "XK",
    "ME",
    "MK",
    "HR",
    "HU",
    "RO",
    "BG",
    "GR",
    "SI",
    "IT",
    "AT",
    "TR",
)
#: ``<JA>-<JB>-<SLUG>``, ``<JA>-<JB>-RAIL-<SLUG>``, ``<JA>-<JB>-RIV-<SLUG>``, ``<JA>-SEA-<SLUG>``,
#: ``<JA>-AIR-<SLUG>``, ``<JA>-RIV-<SLUG>`` (inland river port); upper-case ASCII.
ID_PATTERN = re.compile(r"^[A-Z]{2}-(?:[A-Z]{2}|SEA|AIR|RIV)-[A-Z0-9]+(?:-[A-Z0-9]+)*$")
#: (lon_min, lat_min, lon_max, lat_max) every crossing must lie in.
REGION_BOUNDS: tuple[float, float, float, float] = (5.0, 34.0, 30.0, 49.5)

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}
_LON_NAMES = ("lon", "longitude", "x")
_LAT_NAMES = ("lat", "latitude", "y")
_E_ROAD = re.compile(r"^E\d{2,3}(?:\|E\d{2,3})*$")


def is_placed_on_border(mode: object, jurisdiction_b: object) -> bool:
    """Return whether a crossing is a land/river border point (vs. a port or airport site).

    True for mode road/rail/river with a ``jurisdiction_b``; ports, airports and inland river
    ports (no ``jurisdiction_b``) keep their own coordinates.
    """
    return _text(mode) in ("road", "rail", "river") and _text(jurisdiction_b) is not None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    text = " ".join(str(value).split())
    return text or None


def read_crossings_file(path: str | Path) -> gpd.GeoDataFrame:
    """Read and validate a crossings file (CSV with lon/lat, or any vector format).

    Raises
    ------
    routes.ValidationError
        Listing every problem found (missing columns, bad values, duplicate ids, points
        outside the region), each naming the file, the 1-based data row and the column.
    """
    import geopandas as gpd

    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise ValidationError(
            Problem(
                f"crossings file not found: {name!r}; pass the path of a CSV (with lon/lat "
                "columns), GeoPackage, GeoJSON, Shapefile or GeoParquet file",
                file=name,
                reason="file_not_found",
            )
        )
    suffix = path.suffix.lower()
    try:
        if suffix in TABLE_FORMATS:  # CSV/TSV/TXT, XLSX, ODS: the one tabular reader
            return crossings_from_frame(read_table(path).frame, file=name)
        if suffix in (".parquet", ".geoparquet"):
            gdf = gpd.read_parquet(path)
        else:
            gdf = gpd.read_file(path)
    except ValidationError:
        raise
    except Exception as exc:
        raise ValidationError(
            Problem(
                f"cannot read crossings file {name!r}: {exc}. Use a UTF-8 CSV with lon/lat "
                "columns or a vector file (GeoPackage, GeoJSON, Shapefile, GeoParquet).",
                file=name,
                reason="unreadable",
            )
        ) from exc
    return crossings_from_frame(gdf, file=name)


def crossings_from_frame(frame: pd.DataFrame, *, file: str = "<frame>") -> gpd.GeoDataFrame:
    """Validate a table of crossings and return it in the contract's shape.

    ``frame`` is either a plain DataFrame with ``lon``/``lat`` (or ``longitude``/``latitude``)
    columns, or a GeoDataFrame of points with a CRS.
    """
    import geopandas as gpd

    columns = {str(c).strip().lower(): c for c in frame.columns}
    is_geo = isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns
    lon_col = next((columns[c] for c in _LON_NAMES if c in columns), None)
    lat_col = next((columns[c] for c in _LAT_NAMES if c in columns), None)
    _check_columns(
        frame, columns, file=file, is_geo=is_geo, has_lon_lat=None not in (lon_col, lat_col)
    )
    place = _Placing(is_geo=is_geo, lon_col=lon_col, lat_col=lat_col)
    if is_geo:
        geo_frame = to_crs(cast("gpd.GeoDataFrame", frame), "EPSG:4326")
        place.geom_col = str(geo_frame.geometry.name)
        frame = geo_frame

    problems: list[Problem] = []
    records: list[dict[str, Any]] = []
    geoms: list[Any] = []
    seen: dict[str, int] = {}
    for i, (_, row) in enumerate(frame.iterrows(), start=1):
        r = _RowCheck(problems, file=file, row=i)
        rec: dict[str, Any] = {
            c: _text(row[columns[c]]) if c in columns else None for c in CROSSING_COLUMNS
        }
        eu_raw = rec["eu_external"]
        _check_id(rec, seen, r)
        _check_sides(rec, r)
        _check_kind(rec, r)
        rec["eu_external"] = _eu_external(eu_raw, rec, r)
        records.append(rec)
        geoms.append(place.point(row, r))

    if problems:
        raise ValidationError(problems)
    out = gpd.GeoDataFrame(records, columns=list(CROSSING_COLUMNS), geometry=geoms, crs="EPSG:4326")
    out["eu_external"] = out["eu_external"].astype(bool)
    return out


def _check_columns(
    frame: pd.DataFrame, columns: dict[str, Any], *, file: str, is_geo: bool, has_lon_lat: bool
) -> None:
    """Raise one :class:`routes.ValidationError` for missing columns, coordinates or CRS."""
    problems: list[Problem] = []
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        problems.append(
            Problem(
                f"missing column(s) {', '.join(repr(c) for c in missing)}; a crossings file "
                f"needs {', '.join(REQUIRED)} (optional: name_a_local, name_b_local, traffic, "
                "e_road, eu_external, source, source_date)",
                file=file,
                column=", ".join(missing),
                reason="missing_column",
            )
        )
    if not is_geo and not has_lon_lat:
        problems.append(
            Problem(
                "no coordinates: add 'lon' and 'lat' columns (decimal degrees, EPSG:4326) or "
                "use a vector file with point geometries",
                file=file,
                column="lon/lat",
                reason="missing_column",
            )
        )
    if is_geo and frame.crs is None:
        problems.append(
            Problem(
                "the file's geometries have no CRS; save it with EPSG:4326 (or any CRS set)",
                file=file,
                column="geometry",
                reason="missing_crs",
            )
        )
    if problems:
        raise ValidationError(problems)


class _RowCheck:
    """Collects the problems of one data row (1-based ``row``) into the shared list."""

    def __init__(self, problems: list[Problem], *, file: str, row: int) -> None:
        self.problems = problems
        self.file = file
        self.row = row

    def bad(self, col: str, value: object, message: str, reason: str = "invalid") -> None:
        self.problems.append(
            Problem(message, file=self.file, row=self.row, column=col, value=value, reason=reason)
        )


def _check_id(rec: dict[str, Any], seen: dict[str, int], r: _RowCheck) -> None:
    """Upper-case the crossing id; check it is present, well-formed and unique."""
    cid = rec["crossing_id"]
    if cid is None:
        r.bad(
            "crossing_id",
            cid,
            "empty crossing_id; give each crossing a unique id such as 'RS-MK-PRESEVO'",
            "missing_value",
        )
        return
    cid = cid.upper()
    rec["crossing_id"] = cid
    if not ID_PATTERN.match(cid):
        r.bad(
            "crossing_id",
            cid,
            f"malformed crossing_id {cid!r}; use upper-case ASCII "
            "'<JA>-<JB>-<SLUG>' (e.g. 'RS-MK-PRESEVO', 'RS-HR-RAIL-SID', "
            "'AL-SEA-DURRES', 'AL-AIR-TIRANA')",
            "bad_id",
        )
    if cid in seen:
        r.bad(
            "crossing_id",
            cid,
            f"duplicate crossing_id {cid!r} (first used in row {seen[cid]}); make every id unique",
            "duplicate_id",
        )
    else:
        seen[cid] = r.row


def _check_sides(rec: dict[str, Any], r: _RowCheck) -> None:
    """Check the name on side A and the two jurisdictions (upper-cased)."""
    cid = rec["crossing_id"]
    valid_codes = ", ".join(ALL_JURISDICTIONS)
    if rec["name_a"] is None:
        r.bad(
            "name_a",
            None,
            "empty name_a; give the crossing's name on the jurisdiction_a side",
            "missing_value",
        )
    ja = rec["jurisdiction_a"]
    jb = rec["jurisdiction_b"]
    ja = ja.upper() if ja else None
    jb = jb.upper() if jb else None
    rec["jurisdiction_a"], rec["jurisdiction_b"] = ja, jb
    if ja not in ALL_JURISDICTIONS:
        r.bad(
            "jurisdiction_a",
            ja,
            f"unknown jurisdiction_a {ja!r}; use one of {valid_codes} "
            "(ISO alpha-2, XK for Kosovo*)",
            "unknown_jurisdiction",
        )
    elif cid and not cid.startswith(f"{ja}-"):
        r.bad(
            "crossing_id",
            cid,
            f"crossing_id {cid!r} must start with its jurisdiction_a '{ja}-'",
            "bad_id",
        )
    if jb is not None and jb not in ALL_JURISDICTIONS:
        r.bad(
            "jurisdiction_b",
            jb,
            f"unknown jurisdiction_b {jb!r}; use one of {valid_codes} "
            "or leave it empty for a port or airport",
            "unknown_jurisdiction",
        )
    if jb is not None and jb == ja:
        r.bad(
            "jurisdiction_b",
            jb,
            f"jurisdiction_b equals jurisdiction_a ({ja!r}); a border "
            "crossing joins two different jurisdictions",
            "same_jurisdiction",
        )


def _check_kind(rec: dict[str, Any], r: _RowCheck) -> None:
    """Normalise and check mode, traffic and E-road."""
    jb = rec["jurisdiction_b"]
    mode = rec["mode"].lower() if rec["mode"] else None
    rec["mode"] = mode
    if mode not in MODES:
        r.bad(
            "mode",
            rec["mode"],
            f"unknown mode {mode!r}; use one of {', '.join(MODES)}",
            "bad_mode",
        )
    elif mode in ("road", "rail") and jb is None:
        r.bad(
            "jurisdiction_b",
            jb,
            f"a {mode} crossing needs jurisdiction_b (the country on the other side)",
            "missing_value",
        )
    traffic = rec["traffic"].lower() if rec["traffic"] else None
    rec["traffic"] = traffic
    if traffic is not None and traffic not in TRAFFIC:
        r.bad(
            "traffic",
            traffic,
            f"unknown traffic {traffic!r}; use one of {', '.join(TRAFFIC)} or leave it empty",
            "bad_traffic",
        )
    e_road = rec["e_road"].replace(" ", "").upper() if rec["e_road"] else None
    rec["e_road"] = e_road
    if e_road is not None and not _E_ROAD.match(e_road):
        r.bad(
            "e_road",
            e_road,
            f"malformed e_road {e_road!r}; write 'E75' or 'E65|E80'",
            "bad_e_road",
        )


def _eu_external(eu_raw: str | None, rec: dict[str, Any], r: _RowCheck) -> bool | None:
    """The ``eu_external`` flag as given (true/false), or derived from the jurisdictions."""
    ja, jb, mode = rec["jurisdiction_a"], rec["jurisdiction_b"], rec["mode"]
    if eu_raw is None:
        if mode in ("sea", "air") or jb is None:
            return ja in EU_MEMBERS
        return (ja in EU_MEMBERS) != (jb in EU_MEMBERS)
    if eu_raw.lower() in _TRUE:
        return True
    if eu_raw.lower() in _FALSE:
        return False
    r.bad(
        "eu_external",
        eu_raw,
        f"eu_external {eu_raw!r} is not true/false; write true, "
        "false or leave it empty to derive it from the jurisdictions",
        "bad_bool",
    )
    return None


class _Placing:
    """Where a row's point comes from: the geometry column or the lon/lat columns."""

    def __init__(self, *, is_geo: bool, lon_col: Any, lat_col: Any) -> None:
        self.is_geo = is_geo
        self.lon_col = lon_col
        self.lat_col = lat_col
        self.geom_col = ""

    def point(self, row: Any, r: _RowCheck) -> Any:
        """The row's point inside :data:`REGION_BOUNDS`, or None after recording a problem."""
        geom = self._geometry(row, r) if self.is_geo else self._lon_lat(row, r)
        west, south, east, north = REGION_BOUNDS
        if geom is not None and not (west <= geom.x <= east and south <= geom.y <= north):
            r.bad(
                "lon/lat",
                f"{geom.x:.5f}, {geom.y:.5f}",
                f"point lon {geom.x:.5f}, lat "
                f"{geom.y:.5f} is outside the region (lon {west}..{east}, lat {south}..{north}); "
                "check that lon and lat are not swapped and are in EPSG:4326 degrees",
                "outside_region",
            )
        return geom

    def _geometry(self, row: Any, r: _RowCheck) -> Any:
        g = row[self.geom_col]
        if g is None or g.is_empty:
            r.bad("geometry", None, "empty geometry; every crossing needs a point", "missing_value")
            return None
        if g.geom_type != "Point":
            r.bad(
                "geometry",
                g.geom_type,
                f"geometry is a {g.geom_type}; crossings must be points",
                "bad_geometry",
            )
            return None
        return g

    def _lon_lat(self, row: Any, r: _RowCheck) -> Any:
        from shapely.geometry import Point

        lon_raw, lat_raw = _text(row[self.lon_col]), _text(row[self.lat_col])
        try:
            lon = float(str(lon_raw).replace(",", ".")) if lon_raw is not None else math.nan
            lat = float(str(lat_raw).replace(",", ".")) if lat_raw is not None else math.nan
        except ValueError:
            lon = lat = math.nan
        if math.isnan(lon) or math.isnan(lat):
            r.bad(
                "lon/lat",
                f"{lon_raw}, {lat_raw}",
                f"coordinates {lon_raw!r}, {lat_raw!r} "
                "are not numbers; give decimal degrees such as lon 21.70, lat 42.22",
                "bad_coordinate",
            )
            return None
        return Point(lon, lat)
