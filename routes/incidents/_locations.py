"""Coordinates of each row from geometry, latitude/longitude, x/y, one text column or WKT."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from routes.incidents._columns import Source
from routes.incidents._mapping import ColumnMapping
from routes.incidents._parsers import parse_pairs, to_float
from routes.incidents._readers import RawTable, geometry_xy
from routes.incidents._text import fmt_num, objects, re_sub

__all__ = ["Locations", "read_locations"]

_CRS_FIX = (
    'declare the CRS in the mapping, e.g. crs = "EPSG:3035" (ETRS89 / LAEA Europe), '
    '"EPSG:6316" (MGI 1901 / Balkans zone 7, Gauss-Krüger; zone 6 is "EPSG:3908"), '
    '"EPSG:6870" (Albania TM 2010) or "EPSG:32634" (UTM zone 34N)'
)

_WGS84 = ("EPSG:4326", "WGS84", "WGS 84", "OGC:CRS84")


class Locations:
    """Coordinates read per row, where they came from, and what is wrong with them."""

    def __init__(self, n: int) -> None:
        self.lat = np.full(n, np.nan)
        self.lon = np.full(n, np.nan)
        self.given = np.zeros(n, dtype=bool)  # some coordinate input present
        self.bad = np.zeros(n, dtype=bool)  # present but unusable
        self.msg = np.full(n, None, dtype=object)
        self.col = np.full(n, None, dtype=object)
        self.kind = np.zeros(n, dtype=np.int8)  # index into self.raw_sources (+1)
        self.raw_sources: list[Any] = []

    def take(
        self, present: np.ndarray, lat: np.ndarray, lon: np.ndarray, col: str, raw: Any
    ) -> np.ndarray:
        """Use these values where nothing was given yet; return the rows taken."""
        sel = present & ~self.given
        self.lat[sel], self.lon[sel] = lat[sel], lon[sel]
        self.given[sel] = True
        self.col[sel] = col
        self.raw_sources.append(raw)
        self.kind[sel] = len(self.raw_sources)
        return sel

    def raw_values(self, pos: np.ndarray) -> list[Any]:
        """The coordinate values as written in the file, for some rows."""
        out: list[Any] = []
        for p in pos:
            k = int(self.kind[p])
            out.append(self.raw_sources[k - 1](int(p)) if k else None)
        return out


def read_locations(
    loc: Locations,
    table: RawTable,
    mapping: ColumnMapping,
    sources: dict[str, Source],
    text_of: Any,
    label: Any,
) -> None:
    import shapely

    crs = mapping.crs if mapping.crs and mapping.crs.upper() not in _WGS84 else None
    projected_input = False
    if table.geometry is not None:
        gx, gy, not_point = geometry_xy(table.geometry)
        present = np.isfinite(gx) | not_point
        if table.source_crs is None and crs:
            gx, gy = _transform(gx, gy, crs)
            projected_input = True
        geoms = np.asarray(table.geometry.array, dtype=object)
        loc.take(
            present, gy, gx, "geometry", lambda p: shapely.to_wkt(geoms[p], rounding_precision=7)
        )
        for p in np.flatnonzero(not_point):
            loc.msg[p] = (
                f"geometry is a {geoms[p].geom_type}, not a Point; incidents need point locations"
            )
        loc.bad |= not_point
    pair = ("latitude", "longitude") if "latitude" in sources else ("y", "x")
    if pair[0] in sources and pair[1] in sources:
        yt, xt = text_of(pair[0]), text_of(pair[1])
        yv, ybad = to_float(yt)
        xv, xbad = to_float(xt)
        ypres, xpres = yt.notna().to_numpy(), xt.notna().to_numpy()
        if crs:
            xv, yv = _transform(xv, yv, crs)
            projected_input = True

        texts: list[np.ndarray] = []  # the two columns as arrays, made on the first call

        def raw_pair(p: int, yt: pd.Series = yt, xt: pd.Series = xt) -> str:
            if not texts:
                texts.extend((yt.to_numpy(dtype=object), xt.to_numpy(dtype=object)))
            y, x = texts[0][p], texts[1][p]
            return f"{'' if pd.isna(y) else y}, {'' if pd.isna(x) else x}"

        col = f"{label(pair[0])}/{label(pair[1])}"
        taken = loc.take(ypres | xpres, yv, xv, col, raw_pair)
        unread = taken & (ybad | xbad)
        for p in np.flatnonzero(unread):
            loc.msg[p] = (
                f"coordinates {raw_pair(int(p))!r} are not numbers; write decimal degrees such as "
                "44.8125 (a decimal comma is fine)"
            )
        half = taken & (ypres != xpres) & ~unread
        for p in np.flatnonzero(half):
            which, other = (pair[0], pair[1]) if ypres[p] else (pair[1], pair[0])
            loc.msg[p] = f"{which} is given but {other} is empty; give both or neither"
        loc.bad |= unread | half
    if "coordinates" in sources:
        ct = text_of("coordinates")
        a, b, pbad = parse_pairs(ct)
        y, x = (a, b) if mapping.coordinate_order == "lat,lon" else (b, a)
        if crs:
            x, y = _transform(x, y, crs)
            projected_input = True
        taken = loc.take(ct.notna().to_numpy(), y, x, label("coordinates"), lambda p: ct.iloc[p])
        for p in np.flatnonzero(taken & pbad):
            loc.msg[p] = (
                f"cannot read coordinates {ct.iloc[p]!r}; write 'latitude, longitude' in decimal "
                "degrees, e.g. '44.8125, 20.4612'"
            )
        loc.bad |= taken & pbad
    if "wkt" in sources:
        wt = text_of("wkt")
        pres = wt.notna().to_numpy()
        stripped = objects(re_sub(wt, r"^(?i)SRID=\d+;", ""))
        geoms = shapely.from_wkt(stripped, on_invalid="ignore")
        tid = shapely.get_type_id(geoms)
        ok = (tid == 0) & ~shapely.is_empty(geoms)
        x = np.where(ok, shapely.get_x(np.where(ok, geoms, None)), np.nan)
        y = np.where(ok, shapely.get_y(np.where(ok, geoms, None)), np.nan)
        if crs:
            x, y = _transform(x, y, crs)
            projected_input = True
        taken = loc.take(pres, y, x, label("wkt"), lambda p: wt.iloc[p])
        for p in np.flatnonzero(taken & ~ok):
            what = "not valid WKT" if tid[p] < 0 else f"a {geoms[p].geom_type}, not a POINT"
            loc.msg[p] = f"geometry {wt.iloc[p]!r} is {what}; write POINT (longitude latitude)"
        loc.bad |= taken & ~ok

    # Range checks on what was read.
    lat, lon = loc.lat, loc.lon
    usable = loc.given & ~loc.bad
    finite = np.isfinite(lat) & np.isfinite(lon)
    nonfinite = usable & ~finite
    for p in np.flatnonzero(nonfinite):
        loc.msg[p] = (
            f"coordinates {loc.raw_values(np.array([p]))[0]!r} cannot be converted to "
            f"longitude/latitude with crs {mapping.crs!r}; check the crs in the mapping"
        )
    with np.errstate(invalid="ignore"):
        out_lat = usable & finite & (np.abs(lat) > 90)
        out_lon = usable & finite & (np.abs(lon) > 180)
        zero = usable & finite & (lat == 0) & (lon == 0)
    out_any = out_lat | out_lon
    for p in np.flatnonzero(out_any):
        if not projected_input and max(abs(lat[p]), abs(lon[p])) > 1000:
            loc.msg[p] = (
                f"latitude {fmt_num(lat[p])} and longitude {fmt_num(lon[p])} look like projected "
                f"metres, not degrees; {_CRS_FIX}"
            )
        else:
            parts = []
            if out_lat[p]:
                parts.append(f"latitude {fmt_num(lat[p])} is outside -90..90")
            if out_lon[p]:
                parts.append(f"longitude {fmt_num(lon[p])} is outside -180..180")
            loc.msg[p] = "; ".join(parts) + "; give decimal degrees (latitude first)"
    for p in np.flatnonzero(zero):
        loc.msg[p] = (
            "coordinates (0, 0) are a placeholder, not a location; give the real point or "
            "leave them empty"
        )
    loc.bad |= out_any | zero | nonfinite


def _transform(x: np.ndarray, y: np.ndarray, crs: str) -> tuple[np.ndarray, np.ndarray]:
    from pyproj import Transformer

    from routes._crs import transform_xy

    tr = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    ok = np.isfinite(x) & np.isfinite(y)
    lon = np.full(x.shape, np.nan)
    lat = np.full(y.shape, np.nan)
    if ok.any():
        lon[ok], lat[ok] = transform_xy(tr, x[ok], y[ok], errcheck=False)
    lon[~np.isfinite(lon)] = np.nan
    lat[~np.isfinite(lat)] = np.nan
    # a finite input that failed to transform stays NaN; mark it as infinite for the checks
    failed = ok & (np.isnan(lon) | np.isnan(lat))
    lon[failed] = np.inf
    lat[failed] = np.inf
    return lon, lat
