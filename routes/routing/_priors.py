"""Regional priors for the inference of missing legs: the public corridors of the region.

Private. The corridor templates are the public route facts of :mod:`routes.geo`
(:data:`routes.geo.CORRIDORS`, the same facts the synthetic generator draws from): each is a
sequence of towns and crossings with a relative share of the route-bearing incidents and its
destination countries. For a point ``a`` (a seizure place) a corridor ``k`` is a candidate with
weight::

    pi_k(a) = share_k * exp(-0.5 * (d_k(a) / PRIOR_BANDWIDTH_M) ** 2)   if d_k(a) <= 3 bandwidths

where ``d_k(a)`` is the distance (EPSG:3035) from ``a`` to the corridor's line through its towns
and crossings. Its legs are the corridor's first waypoint (the origin) and each destination
country (the corridor's share split over its listed destinations, repeats counting twice).
When no corridor passes within the cut-off, the corridors with a town or crossing in the
incident's jurisdiction are the candidates, by share alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["PRIOR_BANDWIDTH_M", "PriorLeg", "corridor_lines", "prior_legs"]

#: Bandwidth of the distance kernel from a point to a corridor (metres, EPSG:3035).
PRIOR_BANDWIDTH_M = 30_000.0


@dataclass(frozen=True)
class PriorLeg:
    """A candidate (origin, destination) from one corridor: tokens as waypoints take them."""

    corridor: str
    start: tuple[str, str | None]  # (token, jurisdiction of a place) of the corridor's origin
    end: tuple[str, str | None]
    weight: float


def _token(item: str, places: dict[str, str]) -> tuple[str, str | None]:
    kind, _, value = item.partition(":")
    if kind == "P":
        return value, places.get(value)
    return value, None  # a crossing id or a country code


@dataclass(frozen=True)
class _Line:
    name: str
    share: float
    geom: Any  # shapely geometry in EPSG:3035 (LineString, or Point for a single town)
    jurisdictions: frozenset[str]
    legs: tuple[tuple[tuple[str, str | None], tuple[str, str | None], float], ...]


@lru_cache(maxsize=1)
def corridor_lines() -> tuple[_Line, ...]:
    """The corridors as lines in EPSG:3035 with their candidate legs (built once)."""
    import shapely

    from routes._crs import shared_transformer, transform_xy
    from routes.geo import CORRIDORS, ROUTE_CROSSINGS, ROUTE_PLACES

    places = {p.name: p.jurisdiction for p in ROUTE_PLACES}
    where = {p.name: (p.longitude, p.latitude) for p in ROUTE_PLACES}
    for c in ROUTE_CROSSINGS:
        where[c.crossing_id] = (c.longitude, c.latitude)
    juris = {c.crossing_id: {c.jurisdiction_a, c.jurisdiction_b} for c in ROUTE_CROSSINGS}
    tr = shared_transformer("EPSG:4326", "EPSG:3035")
    total = sum(c.weight for c in CORRIDORS) or 1.0
    lines = []
    for cor in CORRIDORS:
        pts, jur = [], set()
        for item in cor.waypoints:
            kind, _, value = item.partition(":")
            if kind in ("P", "C") and value in where:
                pts.append(where[value])
                jur |= {places[value]} if kind == "P" else juris.get(value, set())
            elif kind == "K":
                jur.add(value)
        if not pts:
            continue
        x, y = transform_xy(tr, [p[0] for p in pts], [p[1] for p in pts])
        geom = (
            shapely.linestrings(np.column_stack([x, y]))
            if len(pts) > 1
            else shapely.points(x[0], y[0])
        )
        start = _token(cor.waypoints[0], places)
        ends: list[tuple[str, str | None]] = [(d, None) for d in cor.destinations]
        ends = ends or [_token(cor.waypoints[-1], places)]
        share = cor.weight / total
        legs = tuple((start, e, share / len(ends)) for e in ends)
        lines.append(_Line(cor.name, share, geom, frozenset(jur - {"SEA", "AIR"}), legs))
    return tuple(lines)


def prior_legs(x: float, y: float, jurisdiction: str | None) -> list[PriorLeg]:
    """Candidate legs of the corridors near the point ``(x, y)`` (EPSG:3035), weighted.

    Falls back to the corridors through ``jurisdiction`` (by share) when none is near; empty
    when neither gives one.
    """
    import shapely

    lines = corridor_lines()
    if not lines:
        return []
    pt = shapely.points(x, y)
    dist = shapely.distance(np.asarray([ln.geom for ln in lines], dtype=object), pt)
    kern = np.exp(-0.5 * (dist / PRIOR_BANDWIDTH_M) ** 2)
    near = dist <= 3 * PRIOR_BANDWIDTH_M
    if not near.any():
        kern = np.ones(len(lines))
        near = np.asarray([jurisdiction in ln.jurisdictions for ln in lines], dtype=bool)
    out = []
    for i in np.flatnonzero(near):
        ln = lines[int(i)]
        for start, end, w in ln.legs:
            out.append(PriorLeg(ln.name, start, end, float(w * kern[i])))
    return out
