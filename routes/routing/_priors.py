"""Priors for the inference of missing legs: routes a seizure place is likely to lie on.

Private; the public door is :func:`routes.routing.route_priors`. Priors are a
:class:`RoutePriors`: prior lines, each with a share, and a label that says where they come
from. Two kinds of line:

- **bundled corridors** (the fallback, :func:`bundled_priors`): the public corridors of
  :data:`routes.geo.CORRIDORS`, each a line through towns and crossings. For a point ``a`` (a
  seizure place) a corridor ``k`` is a candidate with weight::

      pi_k(a) = share_k * exp(-0.5 * (d_k(a) / PRIOR_BANDWIDTH_M) ** 2)   if d_k(a) <= 3 bandwidths

  where ``d_k(a)`` is the distance (EPSG:3035) from ``a`` to the corridor's line. Its legs are
  the corridor's first waypoint (the origin) and each destination country (the corridor's
  share split over its listed destinations, repeats counting twice). When no corridor passes
  within the cut-off, the corridors with a town or crossing in the incident's jurisdiction are
  the candidates, by share alone.
- **the analyst's routes** (a questionnaire's reported routes or a corridor table,
  ``from, via, to, weight``): a route is a candidate for a seizure in a jurisdiction it passes,
  with weight ``share_k`` (its weight over the sum of all weights; per year when the incident's
  year is one the priors report). Its legs keep the route's order around the seizure: what the
  route passes before the seizure's jurisdiction leads to the seizure place, what it passes
  after leads away from it (a seizure in Albania on ``AL > MK > GR`` is routed
  ``AL -> seizure -> MK -> GR``). When none of the year's routes passes the jurisdiction, the
  routes of all years apply.

A leg's ends are *chains* of tokens (one or more waypoints in travel order).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from routes.routing._waypoints import Waypoint, WaypointResolver

__all__ = [
    "BUNDLED_PRIORS_LABEL",
    "BUNDLED_PRIORS_NAME",
    "PRIOR_BANDWIDTH_M",
    "PriorLeg",
    "PriorLine",
    "RoutePriors",
    "bundled_priors",
    "chain",
    "chain_key",
    "corridor_lines",
    "prior_legs",
    "prior_legs_many",
    "resolve_chain",
]

#: Bandwidth of the distance kernel from a point to a corridor (metres, EPSG:3035).
PRIOR_BANDWIDTH_M = 30_000.0
#: Short name and label of the bundled corridors (the fallback priors).
BUNDLED_PRIORS_NAME = "bundled corridors"
BUNDLED_PRIORS_LABEL = "bundled corridors — regional modelling assumption"

Token = tuple[str, str | None]  # (token, jurisdiction of a place) as waypoints take them
Chain = tuple[Token, ...]


@dataclass(frozen=True)
class PriorLeg:
    """A candidate (origin chain, destination chain) from one prior line, weighted."""

    corridor: str
    start: Chain
    end: Chain
    weight: float


@dataclass(frozen=True)
class PriorLine:
    """One prior route.

    ``geom`` (EPSG:3035) set: a bundled corridor, matched by distance, with fixed ``legs``.
    ``geom`` None: the analyst's route, matched by jurisdiction, its legs split around the
    seizure's place in ``chain`` (``chain_jur``: the jurisdictions of each token).
    """

    name: str
    share: float
    geom: Any
    jurisdictions: frozenset[str]
    legs: tuple[tuple[Chain, Chain, float], ...] = ()
    chain: Chain = ()
    chain_jur: tuple[frozenset[str], ...] = ()
    source: str = ""


@dataclass(frozen=True, eq=False)
class RoutePriors:
    """Priors of the inference of missing legs and where they come from.

    Attributes
    ----------
    name
        Short name shown with every flow (``"bundled corridors"``, ``"questionnaire q.xlsx"``,
        ``"corridor table t.csv"``).
    label
        The longer label (what kind of evidence the priors are).
    kind
        ``"bundled"``, ``"questionnaire"`` or ``"table"``.
    lines
        The prior routes (shares over all years).
    by_year
        Year -> the prior routes weighted by that year's reports (questionnaires only).
    table
        The routes the priors were built from: from, via, to, weight, source (and year).
    """

    name: str
    label: str
    kind: str
    lines: tuple[PriorLine, ...]
    by_year: Mapping[int, tuple[PriorLine, ...]] = field(default_factory=dict)
    table: Any = None

    def lines_for(self, year: int) -> tuple[PriorLine, ...]:
        """The lines that apply to an incident of ``year`` (-1: unknown)."""
        return self.by_year.get(int(year), self.lines)

    def year_key(self, year: int) -> int:
        """``year`` when the priors weight that year on its own, else -1 (all years)."""
        return int(year) if int(year) in self.by_year else -1


def _token(item: str, places: dict[str, str]) -> Token:
    kind, _, value = item.partition(":")
    if kind == "P":
        return value, places.get(value)
    return value, None  # a crossing id or a country code


@lru_cache(maxsize=1)
def corridor_lines() -> tuple[PriorLine, ...]:
    """The bundled corridors as lines in EPSG:3035 with their candidate legs (built once)."""
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
        ends: list[Token] = [(d, None) for d in cor.destinations]
        ends = ends or [_token(cor.waypoints[-1], places)]
        share = cor.weight / total
        legs = tuple(((start,), (e,), share / len(ends)) for e in ends)
        lines.append(
            PriorLine(
                cor.name,
                share,
                geom,
                frozenset(jur - {"SEA", "AIR"}),
                legs,
                source=getattr(cor, "source", ""),
            )
        )
    return tuple(lines)


@lru_cache(maxsize=1)
def bundled_priors() -> RoutePriors:
    """The bundled corridors as priors (the labelled fallback)."""
    import pandas as pd

    from routes.geo import CORRIDORS

    table = pd.DataFrame(
        {
            "from": [c.waypoints[0].partition(":")[2] for c in CORRIDORS],
            "via": ["|".join(w.partition(":")[2] for w in c.waypoints[1:-1]) for c in CORRIDORS],
            "to": [
                " ".join(dict.fromkeys(c.destinations)) or c.waypoints[-1].partition(":")[2]
                for c in CORRIDORS
            ],
            "weight": [float(c.weight) for c in CORRIDORS],
            "source": [getattr(c, "source", "") for c in CORRIDORS],
        }
    )
    return RoutePriors(
        BUNDLED_PRIORS_NAME, BUNDLED_PRIORS_LABEL, "bundled", corridor_lines(), {}, table
    )


def _chain_legs(ln: PriorLine, jurisdiction: str | None) -> list[tuple[Chain, Chain, float]]:
    """The legs of an analyst's route around a seizure in ``jurisdiction``."""
    pos = next((i for i, j in enumerate(ln.chain_jur) if jurisdiction in j), None)
    if pos is None:
        return []
    n = len(ln.chain)
    before = ln.chain[: max(pos, 1)]
    after = ln.chain[min(pos + 1, n - 1) :]
    return [(before, after, ln.share)]


def prior_legs(
    x: float,
    y: float,
    jurisdiction: str | None,
    *,
    priors: RoutePriors | None = None,
    year: int = -1,
) -> list[PriorLeg]:
    """Candidate legs of the prior routes for the point ``(x, y)`` (EPSG:3035), weighted.

    Bundled corridors: those near the point, else those through ``jurisdiction`` (by share).
    The analyst's routes: those through ``jurisdiction``, weighted by ``year``'s reports when
    the priors have that year and one of its routes applies, else by all years'. Empty when
    none applies. :func:`prior_legs_many` does the same for many points at once.
    """
    return prior_legs_many([(x, y, jurisdiction)], priors=priors, year=year)[0]


def prior_legs_many(
    points: list[tuple[float, float, str | None]],
    *,
    priors: RoutePriors | None = None,
    year: int = -1,
) -> list[list[PriorLeg]]:
    """:func:`prior_legs` of each ``(x, y, jurisdiction)``: the distances of all points to
    all corridor lines in one call (the same floats as point by point)."""
    p = priors or bundled_priors()
    lines = p.lines_for(year)
    out = _legs_of(lines, points)
    if lines is not p.lines:  # that year's routes miss a place: all years' for it
        redo = [i for i, legs in enumerate(out) if not legs]
        for i, legs in zip(redo, _legs_of(p.lines, [points[i] for i in redo]), strict=True):
            out[i] = legs
    return out


def _legs_of(
    lines: tuple[PriorLine, ...], points: list[tuple[float, float, str | None]]
) -> list[list[PriorLeg]]:
    import shapely

    chain_lines = [ln for ln in lines if ln.geom is None]
    near_lines = [ln for ln in lines if ln.geom is not None]
    by_jur: dict[str | None, list[PriorLeg]] = {}  # the analyst's routes' legs, per jurisdiction
    if near_lines and points:
        geoms = np.asarray([ln.geom for ln in near_lines], dtype=object)
        pts = shapely.points(np.asarray([(x, y) for x, y, _ in points], dtype=float))
        dist = shapely.distance(geoms[None, :], pts[:, None])  # point x line
        kern_all = np.exp(-0.5 * (dist / PRIOR_BANDWIDTH_M) ** 2)
        near_all = dist <= 3 * PRIOR_BANDWIDTH_M
    result = []
    for i, (_x, _y, jurisdiction) in enumerate(points):
        if jurisdiction not in by_jur:
            by_jur[jurisdiction] = [
                PriorLeg(ln.name, start, end, float(w))
                for ln in chain_lines
                for start, end, w in _chain_legs(ln, jurisdiction)
            ]
        out = list(by_jur[jurisdiction])
        if near_lines:
            kern, near = kern_all[i], near_all[i]
            if not near.any():
                kern = np.ones(len(near_lines))
                near = np.asarray([jurisdiction in ln.jurisdictions for ln in near_lines])
            for j in np.flatnonzero(near):
                ln = near_lines[int(j)]
                for start, end, w in ln.legs:
                    out.append(PriorLeg(ln.name, start, end, float(w * kern[j])))
        result.append(out)
    return result


def resolve_chain(resolver: WaypointResolver, tokens: Chain) -> Any:
    """The waypoints of a chain: one :class:`Waypoint`, a tuple of them, or None (unresolved)."""
    wps = tuple(resolver.resolve(t, jurisdiction=j) for t, j in tokens)
    if not wps or any(w.error for w in wps):
        return None
    return wps[0] if len(wps) == 1 else wps


def chain(item: Any) -> tuple[Waypoint, ...]:
    """A candidate end (None, a :class:`Waypoint` or a tuple of them) as a tuple."""
    if item is None:
        return ()
    return item if isinstance(item, tuple) else (item,)


def chain_key(item: Any) -> Any:
    """The node sets of a candidate end (what makes two candidates the same)."""
    if item is None:
        return None
    if isinstance(item, tuple):
        return tuple(w.nodes for w in item)
    return item.nodes
