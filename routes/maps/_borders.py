"""The basemap of a route map: country outlines as fixed-point rings, and their label points.

:func:`border_rings` simplifies each outline (0.001°, topology kept), finds a label point inside
its largest part (:func:`shapely.ops.polylabel`) and lists every ring's points in the map's
fixed point (:data:`routes.maps._pack.SCALE`). The bundled outlines give the same rings in
every run: :func:`bundled_border_rings` keeps them in the on-disk cache
(:func:`routes._cache.cached_arrays`, keyed by the outline file, this code and the GEOS
version), so that a map of the bundled borders reads neither the outlines nor runs GEOS.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from routes._constants import WESTERN_BALKANS, display_name
from routes.maps._pack import SCALE

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["BorderRings", "border_rings", "bundled_border_rings"]


@dataclass(frozen=True)
class BorderRings:
    """Country outlines ready for the data block.

    ``ring_len`` points per ring, ``ring_country`` the country (row of ``countries``) of each
    ring, ``lon``/``lat`` every ring's points one ring after another (fixed point, int64);
    ``countries`` one dict per outline: ``code``, ``name`` (``"Kosovo*"`` for XK), ``focus``
    (a Western Balkan jurisdiction) and ``label`` ([lat, lon], 4 decimals).
    """

    ring_len: np.ndarray
    ring_country: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    countries: list[dict[str, Any]]


def border_rings(borders: gpd.GeoDataFrame | None) -> BorderRings:
    """The rings and countries of ``borders`` (columns ``jurisdiction``, ``name``; any CRS)."""
    countries: list[dict[str, Any]] = []
    lon: list[np.ndarray] = []
    lat: list[np.ndarray] = []
    ring_len: list[int] = []
    ring_country: list[int] = []
    if borders is not None and len(borders):
        from shapely.ops import polylabel

        bd = borders.to_crs("EPSG:4326") if borders.crs is not None else borders
        for ci, row in enumerate(bd.itertuples(index=False)):
            jur = str(getattr(row, "jurisdiction", "") or "")
            name = str(getattr(row, "name", "") or display_name(jur))
            if jur == "XK" and "*" not in name:
                name = "Kosovo*"
            geom = row.geometry.simplify(0.001, preserve_topology=True)
            parts = list(getattr(geom, "geoms", [geom]))
            biggest = max(parts, key=lambda p: p.area)
            lp = polylabel(biggest, tolerance=0.01)
            countries.append(
                {
                    "code": jur,
                    "name": name,
                    "focus": jur in WESTERN_BALKANS,
                    "label": [round(lp.y, 4), round(lp.x, 4)],
                }
            )
            for part in parts:
                for ring in [part.exterior, *part.interiors]:
                    xy = np.round(np.asarray(ring.coords)[:, :2] * SCALE).astype(np.int64)
                    lon.append(xy[:, 0])
                    lat.append(xy[:, 1])
                    ring_len.append(len(xy))
                    ring_country.append(ci)
    empty = np.zeros(0, dtype=np.int64)
    return BorderRings(
        ring_len=np.asarray(ring_len, dtype=np.int64),
        ring_country=np.asarray(ring_country, dtype=np.int64),
        lon=np.concatenate(lon) if lon else empty,
        lat=np.concatenate(lat) if lat else empty,
        countries=countries,
    )


def bundled_border_rings() -> BorderRings:
    """:func:`border_rings` of :func:`routes.geo.load_borders`, from the on-disk cache when the
    outline file, this code and the GEOS version are unchanged."""
    import shapely

    from routes._cache import cached_arrays
    from routes._paths import data_dir
    from routes.geo.borders import load_borders

    here = Path(__file__)
    outlines = data_dir("borders") / "countries.parquet"
    if not outlines.is_file():  # load_borders says what is missing and how to rebuild it
        return border_rings(load_borders())

    def build() -> dict[str, np.ndarray]:
        return _to_arrays(border_rings(load_borders()))

    arrays = cached_arrays(
        "map_borders",
        sources=[
            outlines,
            here,
            here.with_name("_pack.py"),  # the fixed point
            here.parents[1] / "_constants.py",  # the names and the Western Balkans
        ],
        build=build,
        version=1,
        extra=[f"geos {shapely.geos_version_string}"],
    )
    return _from_arrays(arrays)


def _to_arrays(rings: BorderRings) -> dict[str, np.ndarray]:
    """The rings as plain arrays (fixed-width text, no objects) for :mod:`routes._cache`."""
    c = rings.countries
    return {
        "ring_len": rings.ring_len,
        "ring_country": rings.ring_country,
        "lon": rings.lon,
        "lat": rings.lat,
        "code": np.array([x["code"] for x in c], dtype=str),
        "name": np.array([x["name"] for x in c], dtype=str),
        "focus": np.array([x["focus"] for x in c], dtype=bool),
        "label": np.array([x["label"] for x in c], dtype=np.float64).reshape(-1, 2),
    }


def _from_arrays(a: dict[str, np.ndarray]) -> BorderRings:
    """The rings from :func:`_to_arrays` (the same values, as Python scalars)."""
    rows = zip(a["code"], a["name"], a["focus"], a["label"], strict=True)
    countries = [
        {"code": str(code), "name": str(name), "focus": bool(focus), "label": label.tolist()}
        for code, name, focus, label in rows
    ]
    return BorderRings(
        ring_len=a["ring_len"].astype(np.int64),
        ring_country=a["ring_country"].astype(np.int64),
        lon=a["lon"].astype(np.int64),
        lat=a["lat"].astype(np.int64),
        countries=countries,
    )
