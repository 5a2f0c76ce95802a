"""The region the tool covers, and point -> jurisdiction, vectorised.

The region is the land of the six jurisdictions and their nine neighbours
(:func:`routes.load_borders`, Natural Earth 1:10 m clipped to lon 5..30, lat 34..49.5) widened by
:data:`REGION_BUFFER_KM` km, so that points on a border line, in a border river or lake, or in
coastal waters count as inside, and cut to the reach of the bundled network: the points within
:data:`routes._constants.NETWORK_REACH_KM` km of a road junction a seizure point may be snapped
to (``data/network/reach.parquet``, built by ``scripts/build_reach.py``). The routing snaps
with the same limit, so every point the region accepts can be routed. Points are tested with
shapely 2's vectorised ``contains_xy`` on prepared polygons (no per-row Python loop).
:func:`jurisdiction_at` names the jurisdiction of a point of the widened land whatever the
reach.

If the bundled borders cannot be loaded (a broken installation), a documented fallback is used:
the region is then the union of the jurisdictions' bounding boxes in :data:`FALLBACK_BBOXES`
(rounded outwards to 0.1°; taken from the same Natural Earth outlines) and jurisdictions are not
derived from points (they stay empty). :func:`region_method` tells which is in use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from routes._constants import ALL_JURISDICTIONS, NETWORK_REACH_KM

__all__ = [
    "FALLBACK_BBOXES",
    "REGION_BUFFER_KM",
    "in_region",
    "jurisdiction_at",
    "region_method",
    "swap_verdicts",
    "widened_land",
]

#: How far (km) beyond the land borders of the 15 jurisdictions a point still counts as inside
#: (covers border rivers, territorial waters of 12 nautical miles and imprecise coordinates).
REGION_BUFFER_KM = 25.0

_COS_LAT = float(np.cos(np.radians(43.0)))

#: Bounding boxes (min lon, min lat, max lon, max lat) of the jurisdictions, Natural Earth 1:10 m
#: clipped like the bundled borders; used only when the bundled borders cannot be loaded.
FALLBACK_BBOXES: dict[str, tuple[float, float, float, float]] = {
    "AL": (19.2, 39.6, 21.1, 42.7),
    "BA": (15.7, 42.5, 19.7, 45.3),
    "XK": (20.0, 41.8, 21.8, 43.3),
    "ME": (18.4, 41.8, 20.4, 43.6),
    "MK": (20.4, 40.8, 23.1, 42.4),
    "RS": (18.8, 42.2, 23.0, 46.2),
    "HR": (13.5, 42.4, 19.5, 46.6),
    "SI": (13.3, 45.4, 16.6, 46.9),
    "HU": (16.0, 45.7, 22.9, 48.6),
    "RO": (20.2, 43.6, 29.7, 48.3),
    "BG": (22.3, 41.2, 28.6, 44.3),
    "GR": (19.6, 34.8, 28.3, 41.8),
    "IT": (6.6, 35.4, 18.6, 47.1),
    "AT": (9.5, 46.3, 17.2, 49.1),
    "TR": (25.6, 35.8, 30.0, 42.2),
}


@dataclass(frozen=True)
class _Region:
    method: str
    region: Any  # prepared shapely geometry (widened land within reach), None for the fallback
    widened: Any  # prepared shapely geometry (widened land), None for the bbox fallback
    codes: tuple[str, ...]
    polygons: tuple[Any, ...]  # prepared, unbuffered, one per code
    bounds: np.ndarray  # (n, 4) bounds of polygons
    vertices: np.ndarray  # (m, 2) outline vertices, lon scaled by cos 43°
    vertex_codes: np.ndarray  # jurisdiction index of each vertex

    @cached_property
    def tree(self) -> Any:
        """K-d tree of :attr:`vertices`, for the nearest outline in the margin (built on use)."""
        from routes._crs import NearestPoints

        return NearestPoints(self.vertices)


def _widen(borders: Any) -> Any:
    """The land of ``borders`` widened by :data:`REGION_BUFFER_KM` (EPSG:4326 geometry)."""
    import geopandas as gpd
    import shapely

    polys = [shapely.make_valid(g) for g in borders.geometry.to_numpy()]
    # Widen the land by REGION_BUFFER_KM in a metric CRS (EPSG:3035), on simplified outlines.
    metric = borders.set_geometry(polys, crs=borders.crs).to_crs(3035).geometry
    simple = shapely.simplify(metric.to_numpy(), 500.0)
    widened = shapely.union_all(shapely.buffer(simple, REGION_BUFFER_KM * 1000.0, quad_segs=4))
    region = gpd.GeoSeries([widened], crs=3035).to_crs(4326).iloc[0]
    return shapely.simplify(region, 0.005)


def widened_land() -> Any:
    """The land of the 15 jurisdictions widened by :data:`REGION_BUFFER_KM` (EPSG:4326).

    The region before it is cut to the network's reach (``scripts/build_reach.py`` uses it).
    """
    from routes.geo.borders import load_borders

    borders = load_borders()
    return _widen(borders[borders["jurisdiction"].isin(ALL_JURISDICTIONS)])


def _load_reach() -> Any:
    """The bundled reach polygon (EPSG:4326), checked to be built for NETWORK_REACH_KM."""
    import geopandas as gpd

    from routes._paths import data_dir

    path = data_dir("network") / "reach.parquet"
    reach = gpd.read_parquet(path)
    km = float(reach["reach_km"].iloc[0])
    if km != NETWORK_REACH_KM:
        raise ValueError(
            f"{path} was built for a reach of {km:g} km, the tool uses {NETWORK_REACH_KM:g} km; "
            "rebuild it with python scripts/build_reach.py"
        )
    return reach.geometry.iloc[0]


def _build_arrays(borders: Any) -> dict[str, np.ndarray]:
    """The region model as plain arrays (outlines as WKB), for :func:`routes._cache`."""
    import shapely

    codes = [str(c) for c in borders["jurisdiction"]]
    polys = [shapely.make_valid(g) for g in borders.geometry.to_numpy()]
    widened = _widen(borders)
    # the accepted region: widened land within the network's reach (already cut so when built;
    # cut again so that a rebuilt border file cannot widen it)
    region = shapely.make_valid(shapely.intersection(_load_reach(), widened))
    # Outline vertices every ~1 km (lon scaled by cos 43°): nearest vertex ~ nearest outline,
    # for points in the margin.
    outlines = shapely.segmentize(
        shapely.boundary(shapely.simplify(np.asarray(polys, dtype=object), 0.002)), 0.01
    )
    coords, owner = shapely.get_coordinates(outlines, return_index=True)
    wkb = [shapely.to_wkb(g) for g in polys]
    return {
        "codes": np.asarray(codes, dtype=str),
        "region_wkb": np.frombuffer(shapely.to_wkb(region), dtype=np.uint8),
        "widened_wkb": np.frombuffer(shapely.to_wkb(widened), dtype=np.uint8),
        "polygon_wkb": np.frombuffer(b"".join(wkb), dtype=np.uint8),
        "polygon_wkb_end": np.cumsum([len(b) for b in wkb], dtype=np.int64),
        "vertices": np.column_stack([coords[:, 0] * _COS_LAT, coords[:, 1]]),
        "vertex_codes": owner.astype(np.int64),
    }


def _proj_version() -> str:
    import pyproj

    return f"{pyproj.__version__}/{pyproj.proj_version_str}"


class _NoOutlinesError(Exception):
    """The bundled outlines could not be read: the region falls back to its box."""


@lru_cache(maxsize=1)
def _model() -> _Region:
    import shapely

    from routes._cache import cached_arrays
    from routes._paths import data_dir

    try:
        outlines = data_dir("borders") / "countries.parquet"
    except FileNotFoundError:  # no bundled data at all
        outlines = None

    def build() -> dict[str, np.ndarray]:
        try:
            from routes.geo.borders import load_borders

            borders = load_borders()
        except (ImportError, FileNotFoundError, OSError, ValueError) as err:
            raise _NoOutlinesError(str(err)) from err
        return _build_arrays(borders[borders["jurisdiction"].isin(ALL_JURISDICTIONS)])

    try:
        if outlines is None or not outlines.is_file():
            raise _NoOutlinesError(f"{outlines or 'the bundled data folder'} is missing")
        # the outlines and the vertices depend only on the bundled outlines, the reach polygon,
        # the reach constant and this code (a hit reads none of the files but to hash them)
        arrays = cached_arrays(
            "region",
            sources=[outlines, data_dir("network") / "reach.parquet", __file__],
            build=build,
            version=2,
            extra=[
                f"geos {shapely.geos_version_string}",
                f"proj {_proj_version()}",
                f"reach {NETWORK_REACH_KM!r} km",
            ],
        )
    except _NoOutlinesError:
        return _Region(
            "bbox", None, None, (), (), np.zeros((0, 4)), np.zeros((0, 2)), np.zeros(0, int)
        )
    region = shapely.from_wkb(arrays["region_wkb"].tobytes())
    widened = shapely.from_wkb(arrays["widened_wkb"].tobytes())
    shapely.prepare(widened)
    blob, ends = arrays["polygon_wkb"].tobytes(), arrays["polygon_wkb_end"].tolist()
    polys = [shapely.from_wkb(blob[a:b]) for a, b in zip([0, *ends[:-1]], ends, strict=True)]
    shapely.prepare(region)
    for p in polys:
        shapely.prepare(p)
    bounds = shapely.bounds(np.asarray(polys, dtype=object))
    codes = tuple(str(c) for c in arrays["codes"])
    return _Region(
        "borders",
        region,
        widened,
        codes,
        tuple(polys),
        bounds,
        arrays["vertices"],
        arrays["vertex_codes"],
    )


def region_method() -> str:
    """Return ``"borders"`` (bundled outlines) or ``"bbox"`` (the fallback boxes)."""
    return _model().method


def in_region(lon: np.ndarray, lat: np.ndarray, *, reach: bool = True) -> np.ndarray:
    """Return a boolean array: does each point lie in the region (NaN -> False)?

    With ``reach=False`` the widened land alone is tested (not cut to the network's reach).
    """
    import shapely

    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    model = _model()
    ok = np.isfinite(lon) & np.isfinite(lat)
    out = np.zeros(lon.shape, dtype=bool)
    if not ok.any():
        return out
    if model.region is None:
        boxes = np.asarray(list(FALLBACK_BBOXES.values()))
        x, y = lon[ok][:, None], lat[ok][:, None]
        inside = (x >= boxes[:, 0]) & (y >= boxes[:, 1]) & (x <= boxes[:, 2]) & (y <= boxes[:, 3])
        out[ok] = inside.any(axis=1)
        return out
    out[ok] = shapely.contains_xy(model.region if reach else model.widened, lon[ok], lat[ok])
    return out


def jurisdiction_at(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Return the jurisdiction (ISO2) of each point as an object array (None where unknown).

    A point inside a jurisdiction's outline gets its code; a point in the widened margin (a
    border river, the coast) gets the code of the nearest outline within the margin.
    """
    import shapely

    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    out = np.full(lon.shape, None, dtype=object)
    model = _model()
    ok = np.isfinite(lon) & np.isfinite(lat)
    if model.region is None or not ok.any():
        return out
    found = ~ok
    for code, poly, (x0, y0, x1, y1) in zip(model.codes, model.polygons, model.bounds, strict=True):
        cand = np.flatnonzero(~found & (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))
        if cand.size == 0:
            continue
        hit = cand[shapely.contains_xy(poly, lon[cand], lat[cand])]
        out[hit] = code
        found[hit] = True
    rest = np.flatnonzero(~found)
    if rest.size:
        rest = rest[in_region(lon[rest], lat[rest], reach=False)]
    if rest.size:
        _dist, idx = model.tree.query(np.column_stack([lon[rest] * _COS_LAT, lat[rest]]))
        out[rest] = np.asarray(model.codes, dtype=object)[model.vertex_codes[idx]]
    return out


def swap_verdicts(
    lon: np.ndarray,
    lat: np.ndarray,
    *,
    stated: np.ndarray,
    foreign: np.ndarray,
    mask: np.ndarray,
) -> np.ndarray:
    """Say, for each point outside the region, whether its latitude and longitude are swapped.

    A point is called swapped only when the point as written is implausible and the swapped
    one is plausible:

    - the row states a jurisdiction of the region (``stated``): as written the point lies
      outside the region, so far from that jurisdiction; it is swapped when the swapped point
      lies in that very jurisdiction;
    - the row states no jurisdiction: the column itself must prove the swap, i.e. more of the
      column's points are outside the region and inside once swapped than are inside as
      written (a file written longitude first);
    - the row states a place outside the region (``foreign``: a country outside it, or a name
      that is no jurisdiction of the region): the point is taken as written.

    Every other point outside the region is ``"outside"``: real points in Sudan, Eritrea,
    Yemen, Djibouti or Somalia, whose swapped images fall in the Balkans, stay where they are.

    Parameters
    ----------
    lon, lat
        Coordinates as written (degrees).
    stated
        Object array: the row's jurisdiction code (ISO2 of the region) or None.
    foreign
        Boolean array: the row states a jurisdiction that is not of the region.
    mask
        Boolean array: the rows to judge (valid coordinates).

    Returns
    -------
    numpy.ndarray
        Object array: None (inside the region, or not judged), ``"swapped"`` or ``"outside"``.

    Examples
    --------
    >>> import numpy as np
    >>> lon, lat = np.array([44.81, 43.24, 20.46]), np.array([20.46, 17.25, 44.81])
    >>> swap_verdicts(lon, lat, stated=np.array(["RS", None, "RS"], dtype=object),
    ...               foreign=np.zeros(3, bool), mask=np.ones(3, bool)).tolist()
    ['swapped', 'outside', None]
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    stated = np.asarray(stated, dtype=object)
    out = np.full(lon.shape, None, dtype=object)
    judge = np.flatnonzero(mask)
    if not judge.size:
        return out
    inside = in_region(lon[judge], lat[judge])
    outside = judge[~inside]
    if not outside.size:
        return out
    out[outside] = "outside"
    swapped_in = in_region(lat[outside], lon[outside])
    cand = outside[swapped_in]
    if not cand.size:
        return out
    has_code = np.array([c is not None and c == c for c in stated[cand]], dtype=bool)
    with_code = cand[has_code & ~foreign[cand]]
    if with_code.size:
        near = _near_jurisdiction(stated[with_code], lat[with_code], lon[with_code])
        out[with_code[near]] = "swapped"
    no_code = cand[~has_code & ~foreign[cand]]
    if no_code.size and no_code.size > int(inside.sum()):
        out[no_code] = "swapped"
    return out


#: How far (degrees, about 25-33 km) a swapped point may lie from its stated jurisdiction's
#: outline and still count as lying in it (border rivers, the coast, imprecise points).
_NEAR_DEG = 0.3


def _near_jurisdiction(codes: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Does each point lie in (or within :data:`_NEAR_DEG` of) its jurisdiction ``codes[i]``?"""
    import shapely

    model = _model()
    out = np.zeros(len(codes), dtype=bool)
    for code in _distinct(codes):
        sel = np.flatnonzero(codes == code)
        if model.region is None:
            box = FALLBACK_BBOXES.get(str(code))
            if box is None:
                continue
            x0, y0, x1, y1 = box
            d = _NEAR_DEG
            out[sel] = (
                (lon[sel] >= x0 - d)
                & (lon[sel] <= x1 + d)
                & (lat[sel] >= y0 - d)
                & (lat[sel] <= y1 + d)
            )
            continue
        if code not in model.codes:
            continue
        poly = model.polygons[model.codes.index(code)]
        out[sel] = shapely.dwithin(poly, shapely.points(lon[sel], lat[sel]), _NEAR_DEG)
    return out


def _distinct(values: np.ndarray) -> list[object]:
    """Distinct values in order of appearance."""
    return list(dict.fromkeys(values.tolist()))
