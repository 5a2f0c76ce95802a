# ruff: noqa: N803  (G is the networkx/OSMnx name for a graph)
"""Constants and small helpers shared by the network build steps (:mod:`routes.network._build`)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import networkx as nx
import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point
from shapely.ops import substring

from routes._crs import transform_xy

__all__ = [
    "BORDER_DELAY_EU_S",
    "BORDER_DELAY_S",
    "CONNECTOR_DETOUR",
    "CONNECTOR_SPEED_KPH",
    "DETOUR",
    "EU",
    "LENGTH_KPH",
    "RAIL_SPEED_KPH",
    "SEA_BOARDING_S",
    "SEA_SPEED_KPH",
    "SINUOSITY_KPH",
    "TRANSFER_SPEED_KPH",
    "dist_m",
    "measure_m",
    "road_speed_kph",
    "slug",
    "split_through",
    "xy3035",
]

BORDER_DELAY_S = 900.0
BORDER_DELAY_EU_S = 1800.0
SEA_SPEED_KPH = 35.0
SEA_BOARDING_S = 7200.0
RAIL_SPEED_KPH = 60.0
CONNECTOR_SPEED_KPH = 40.0
TRANSFER_SPEED_KPH = 30.0
DETOUR = 1.25
CONNECTOR_DETOUR = 1.5
EU = frozenset({"HR", "SI", "HU", "RO", "BG", "GR", "IT", "AT"})

_TO_3035 = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)


def slug(text: str) -> str:
    """Upper-case ASCII slug of a name (``"Vlorë"`` -> ``"VLORE"``)."""
    s = unicodedata.normalize("NFKD", text.replace("ı", "i")).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9]+", "-", s.upper()).strip("-")


def xy3035(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    return transform_xy(_TO_3035, lon, lat)


def measure_m(geoms: Iterable[Any]) -> np.ndarray:
    """Length in metres of 4326 line geometries, measured in EPSG:3035."""
    arr = np.asarray(list(geoms), dtype=object)
    if len(arr) == 0:
        return np.zeros(0)
    projected = shapely.transform(arr, lambda c: np.column_stack(xy3035(c[:, 0], c[:, 1])))
    return np.asarray(shapely.length(projected), dtype=float)


def dist_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    x, y = xy3035([lon1, lon2], [lat1, lat2])
    return float(math.hypot(x[1] - x[0], y[1] - y[0]))


#: Speed (km/h) by sinuosity (road length / straight line) of a source edge ...
SINUOSITY_KPH = ((1.0, 1.05, 1.15, 1.3, 1.5), (100.0, 90.0, 70.0, 55.0, 40.0))
#: ... capped by the edge's length: short edges lie in towns and at junctions.
LENGTH_KPH = ((0.0, 1000.0, 3000.0, 10000.0), (40.0, 50.0, 70.0, 100.0))


def road_speed_kph(straightness: Any, length_m: Any) -> np.ndarray:
    """Speed assumption for source road edges (the source has no road classes).

    ``min(interp(sinuosity, SINUOSITY_KPH), interp(length_m, LENGTH_KPH))`` with sinuosity =
    1 / straightness: 100 km/h for a straight edge of 10 km or more, 70 km/h for a straight
    3 km edge or a 15 % winding one, 40 km/h for very winding roads or edges in towns.
    """
    sinuosity = 1.0 / np.clip(np.asarray(straightness, dtype=float), 1e-6, 1.0)
    by_shape = np.interp(sinuosity, *SINUOSITY_KPH)
    by_length = np.interp(np.asarray(length_m, dtype=float), *LENGTH_KPH)
    return np.minimum(by_shape, by_length)


def split_through(
    G: nx.MultiGraph, u: Any, v: Any, k: Any, node: Any, px: float, py: float
) -> None:
    """Replace edge (u, v, k) by u -> node -> v, routed via the projection of the node."""
    d = G.edges[u, v, k]
    geom: LineString = d["geometry"]
    if d["_from"] != u:
        geom = shapely.reverse(geom)
    t = geom.project(Point(px, py), normalized=True)
    at = geom.interpolate(t, normalized=True)
    first = substring(geom, 0, t, normalized=True)
    second = substring(geom, t, 1, normalized=True)
    c1 = [c for c in first.coords] if first.length > 0 else [geom.coords[0]]
    c2 = [c for c in second.coords] if second.length > 0 else [geom.coords[-1]]
    g1 = LineString([*c1, (px, py)]) if len(c1) >= 1 else LineString([geom.coords[0], (px, py)])
    g2 = LineString([(px, py), *c2])
    off = dist_m(at.x, at.y, px, py)
    speed = d["length_m"] / max(d["travel_time_s"], 1e-9)  # m/s
    base1, base2 = d["length_m"] * t, d["length_m"] * (1 - t)
    common = {k2: v2 for k2, v2 in d.items() if k2 not in ("geometry", "_from", "length_m")}
    for a, b, g, base in ((u, node, g1, base1), (node, v, g2, base2)):
        length = max(base + off, 1.0)
        G.add_edge(
            a,
            b,
            **{
                **common,
                "_from": a,
                "geometry": g,
                "length_m": length,
                "travel_time_s": length / speed,
            },
        )
    G.remove_edge(u, v, k)
