"""A route per incident on the network, with alternatives, probabilities and cost profiles.

The waypoints a record gives are visited in this order::

    origin -> transit (each "|"-separated item, in order) -> crossing -> seizure location
           -> destination

Each waypoint is a place (looked up in the gazetteer), a crossing id (``"RS-MK-PRESEVO"``) or a
country (ISO code or name, resolved with :func:`routes.country_code`). Country waypoints follow
an explicit rule, see :data:`COUNTRY_RULES_DOC` and :data:`routes.COUNTRY_GATEWAYS`. Between
consecutive waypoints the least-cost path under a :class:`CostProfile` is taken; alternatives
are the least-cost routes through *other* border crossings on one leg (``k`` routes per
incident at most: the best and ``k - 1`` alternatives) and share the incident with
multinomial-logit probabilities on relative cost::

    p_i = exp(-theta * (c_i / c_0 - 1)) / sum_j exp(-theta * (c_j / c_0 - 1))

where ``c_0`` is the best cost. With the default ``theta`` a route 10 % dearer than the best
gets ``exp(-theta * 0.1)`` of its weight.

Performance: incidents are grouped by their distinct waypoint sequence and each sequence is
routed once; every distinct name is looked up once; the graph work runs on a
:mod:`scipy.sparse.csgraph` CSR matrix with one single-source Dijkstra tree per distinct source
(and one reverse tree per distinct target), reading many targets from each tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import geopandas as gpd
    import networkx as nx

from routes._routing_waypoints import COUNTRY_GATEWAYS, COUNTRY_HUBS, GATEWAY_POINTS

__all__ = [
    "COUNTRY_GATEWAYS",
    "COUNTRY_HUBS",
    "COUNTRY_RULES_DOC",
    "DEFAULT_K",
    "DEFAULT_THETA",
    "GATEWAY_POINTS",
    "PROFILES",
    "ROAD_ONLY",
    "CostProfile",
    "RouteResult",
    "get_profile",
    "route_between",
    "route_incidents",
]

#: Default number of routes per incident (the best one and up to ``k - 1`` alternatives).
DEFAULT_K = 3

#: Default logit spread on *relative* cost: a route 10 % dearer than the best one gets
#: ``exp(-2.5) ~ 0.08`` of the best one's weight; 5 % dearer gets ``exp(-1.25) ~ 0.29``.
DEFAULT_THETA = 25.0

#: Default ``CostProfile.mode_factors``: no rail for road trips (see CostProfile).
ROAD_ONLY: dict[str, float] = {"rail": float("inf")}

#: The documented rule for country-level waypoints.
COUNTRY_RULES_DOC = """\
Country waypoints (ISO code or English/local name, e.g. "BA", "Germany"):

1. A country with nodes in the network (origin, transit or destination): its main hubs, the
   table routes.COUNTRY_HUBS (the capital and up to three large cities, e.g. BA = Sarajevo,
   Banja Luka, Tuzla, Mostar), each snapped to the nearest road junction of that country
   within 25 km; the route goes through whichever hub gives the least total cost of the whole
   route. Rule "country_hubs".
2. A country beyond the network (DE, FR, NL, SE, CH, ...), or one whose hubs are all off the
   network: the network's exits toward it, routes.COUNTRY_GATEWAYS -> routes.GATEWAY_POINTS
   (e.g. Germany via Sentilj-Spielfeld, the Karawanken tunnel, Hegyeshalom or Budapest),
   snapped within 60 km; the least-cost exit is used. Rule "country_gateway".
3. A country in neither table cannot be routed: the incident is listed in ``unrouted`` with
   the fix (add it to routes.COUNTRY_GATEWAYS).

Every leg that starts or ends at a country waypoint is labelled "inferred".
"""


@dataclass(frozen=True)
class CostProfile:
    """How an edge's cost is computed.

    ``cost(edge) = base * mode_factor[mode] * (green_border_factor if green_border)
    * (motorway_factor if motorway) + crossing_penalty (if the edge enters an official crossing
    node: a BCP, a port or an airport)``.

    Parameters
    ----------
    name
        Label written into outputs.
    base
        ``"travel_time_s"`` (seconds) or ``"length_m"`` (metres); ``crossing_penalty`` is in the
        same unit.
    crossing_penalty
        Added for each official crossing passed (border formalities, risk of control).
    green_border_factor
        Multiplies the base cost of ``green_border`` edges (crossing a border away from any BCP).
        > 1 makes them unattractive, < 1 attractive.
    motorway_factor
        Multiplies the base cost of ``motorway`` edges.
    mode_factors
        Multiplier per edge ``mode`` (``road``, ``rail``, ``sea``, ``transfer``); a mode missing
        from the mapping has factor 1; ``float("inf")`` forbids the mode. The default
        ``{"rail": inf}`` keeps road trips off the railway; incidents whose ``modus_operandi``
        is ``train`` or that name a rail crossing (``...-RAIL-...``) are routed with rail at
        factor 1 (unless the profile gives rail a finite factor, which is then used for all).

    Examples
    --------
    >>> p = get_profile("least_time", crossing_penalty=0.0)
    >>> p.base, p.crossing_penalty
    ('travel_time_s', 0.0)
    """

    name: str = "least_time"
    base: Literal["travel_time_s", "length_m"] = "travel_time_s"
    crossing_penalty: float = 600.0
    green_border_factor: float = 3.0
    motorway_factor: float = 1.0
    mode_factors: Mapping[str, float] = field(default_factory=lambda: dict(ROAD_ONLY), hash=False)

    def __post_init__(self) -> None:
        from routes._errors import Problem, ValidationError

        problems = []
        if self.base not in ("travel_time_s", "length_m"):
            problems.append(
                f"cost profile base {self.base!r} is not supported; use 'travel_time_s' or "
                "'length_m'"
            )
        for attr in ("crossing_penalty", "green_border_factor", "motorway_factor"):
            value = getattr(self, attr)
            if not isinstance(value, (int, float)) or not (value >= 0):
                problems.append(
                    f"cost profile {attr}={value!r} must be a number >= 0 (float('inf') forbids)"
                )
        for mode, value in dict(self.mode_factors).items():
            if not isinstance(value, (int, float)) or not (value > 0):
                problems.append(
                    f"cost profile mode_factors[{mode!r}]={value!r} must be a number > 0 "
                    "(float('inf') forbids the mode)"
                )
        if problems:
            raise ValidationError([Problem(p) for p in problems])


#: The built-in profiles (override any field with ``get_profile(name, field=value)``).
#:
#: - ``least_distance``: metres; no crossing penalty; green-border edges x3 (off-road or closed
#:   roads are slow and risky, so only a much shorter green crossing wins).
#: - ``least_time``: seconds; 600 s (10 min) per official crossing for border formalities;
#:   green-border edges x3.
#: - ``avoid_official_crossings``: seconds; 3 h per official crossing, green-border edges x1.5.
#: - ``prefer_green_border``: seconds; 1 h per official crossing, green-border edges x0.5.
#: - ``avoid_motorways``: seconds; motorway edges x3 (tolls, cameras, patrols), 600 s per crossing,
#:   green-border edges x3.
PROFILES: dict[str, CostProfile] = {
    "least_distance": CostProfile(
        name="least_distance", base="length_m", crossing_penalty=0.0, green_border_factor=3.0
    ),
    "least_time": CostProfile(name="least_time"),
    "avoid_official_crossings": CostProfile(
        name="avoid_official_crossings", crossing_penalty=3 * 3600.0, green_border_factor=1.5
    ),
    "prefer_green_border": CostProfile(
        name="prefer_green_border", crossing_penalty=3600.0, green_border_factor=0.5
    ),
    "avoid_motorways": CostProfile(name="avoid_motorways", motorway_factor=3.0),
}


def get_profile(profile: str | CostProfile = "least_time", **overrides: Any) -> CostProfile:
    """Return a :class:`CostProfile` by name (or as given), with fields overridden.

    Raises
    ------
    routes.ValidationError
        Unknown profile name (the message lists the valid ones) or a bad override.
    """
    from routes._errors import ValidationError

    if isinstance(profile, CostProfile):
        base = profile
    elif isinstance(profile, str) and profile in PROFILES:
        base = PROFILES[profile]
    else:
        raise ValidationError(
            f"cost profile {profile!r} is not known; use one of {sorted(PROFILES)} "
            "or a routes.CostProfile(...)"
        )
    if not overrides:
        return base
    unknown = sorted(set(overrides) - set(CostProfile.__dataclass_fields__))
    if unknown:
        raise ValidationError(
            f"cost profile has no field(s) {unknown}; valid fields: "
            f"{sorted(CostProfile.__dataclass_fields__)}"
        )
    return replace(base, **overrides)


@dataclass
class RouteResult:
    """Routes of a set of incidents: the best path and alternatives with probabilities.

    The compact tables (``incidents``, ``assignments``, ``path_table``, ``path_legs``) are what
    the flow and choke-point functions use; ``routes`` and ``legs`` are built from them on first
    access.

    Attributes
    ----------
    incidents
        The routed incidents' attributes (``incident_id``, ``date``, ``category``,
        ``modus_operandi``, ``quantity``, ``ocg_involved``, ``migrants_involved``,
        ``jurisdiction``, ``source_row``), index ``0..n-1`` (position of the input row).
    assignments
        One row per (incident, alternative): ``incident`` (position in ``incidents``),
        ``alternative`` (0 = best), ``path_id``, ``probability`` (sums to 1 per incident).
    path_info
        One row per distinct path: ``path_id``, ``sequence_id``, ``alternative``, ``cost``,
        ``length_m``, ``travel_time_s``, ``green_border`` (bool), ``start_node`` (internal).
    path_table
        ``path_info`` with ``crossings`` ("|"-joined crossing ids in order) and ``geometry``
        (LineString; a Point for a zero-length route), built on first access.
    path_legs
        One row per (path, leg): ``path_id``, ``leg`` (0-based), ``start``, ``end`` (the
        waypoint tokens), ``status`` ("observed" | "inferred"), ``rule``, ``edge_start``,
        ``edge_stop`` (slice of the path's edge list).
    path_edges
        ``path_id -> array of edge positions`` in the engine's edge arrays (internal; use
        ``paths`` for graph edge tuples).
    paths
        ``path_id -> [(u, v, key), ...]`` edges of the graph in order (built on access).
    graph
        The graph the routes were computed on.
    profile, k, theta, max_stretch, closed
        The options used.
    unrouted
        ``incident_id``, ``source_row``, ``reason`` of every incident that got no route
        (never dropped silently).
    source
        The input incidents (kept for :func:`routes.what_if`).
    """

    incidents: pd.DataFrame
    assignments: pd.DataFrame
    path_info: pd.DataFrame
    path_legs: pd.DataFrame
    path_edges: dict[int, np.ndarray]
    graph: nx.MultiDiGraph
    profile: CostProfile
    k: int
    theta: float
    max_stretch: float
    unrouted: pd.DataFrame
    source: pd.DataFrame | None = field(default=None, repr=False)
    closed: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict, repr=False)
    cache: dict[str, Any] = field(default_factory=dict, repr=False, init=False, compare=False)

    @cached_property
    def paths(self) -> dict[int, list[tuple[Any, Any, Any]]]:
        """``path_id -> [(u, v, key), ...]``: the graph edges of each distinct path in order."""
        from routes._routing_engine import graph_index

        ix = graph_index(self.graph)
        nodes, keys = ix.nodes, ix.key
        return {
            pid: [(nodes[ix.u[e]], nodes[ix.v[e]], keys[e]) for e in edges]
            for pid, edges in self.path_edges.items()
        }

    @cached_property
    def path_table(self) -> gpd.GeoDataFrame:
        """One row per distinct path with its crossings and geometry (built on access)."""
        from routes._routing_result import build_path_table

        return build_path_table(self)

    @cached_property
    def routes(self) -> gpd.GeoDataFrame:
        """One row per (incident, alternative) with the path's geometry.

        Columns: incident_id, alternative, probability, path_id, cost, length_m,
        travel_time_s, crossings, green_border, date, category, modus_operandi, quantity,
        ocg_involved, migrants_involved, jurisdiction, geometry (EPSG:4326).
        """
        from routes._routing_result import build_routes

        return build_routes(self)

    @cached_property
    def legs(self) -> gpd.GeoDataFrame:
        """One row per (incident, alternative, leg): incident_id, alternative, leg, start,
        end, status ("observed" | "inferred"), rule, geometry."""
        from routes._routing_result import build_legs

        return build_legs(self)

    def __len__(self) -> int:
        return len(self.incidents)


def route_incidents(
    incidents: pd.DataFrame,
    G: nx.MultiDiGraph | None = None,  # noqa: N803 - networkx convention
    *,
    profile: str | CostProfile = "least_time",
    k: int = DEFAULT_K,
    theta: float = DEFAULT_THETA,
    max_stretch: float = 1.5,
    crossings: gpd.GeoDataFrame | None = None,
    gazetteer: Any = None,
    closed: Sequence[str] = (),
    progress: bool = False,
) -> RouteResult:
    """Route every incident on the network.

    Parameters
    ----------
    incidents
        Canonical incidents (from :func:`routes.read_incidents`), a GeoDataFrame or DataFrame
        with at least ``incident_id`` and one of ``origin``/``transit``/``crossing``/
        ``destination``; the seizure location is taken from ``geometry`` (or ``latitude``/
        ``longitude``, else ``place``) when present. An ``IncidentReadResult`` (lenient read)
        is accepted too: its ``accepted`` rows are routed.
    G
        The network (:func:`routes.load_network` when None).
    profile
        A name from :data:`PROFILES` or a :class:`CostProfile`.
    k
        Routes per incident: the best and at most ``k - 1`` alternatives through other
        crossings (``k=1``: best only).
    theta
        Logit spread on relative cost (see the module docs); larger is more concentrated.
    max_stretch
        Alternatives costing more than ``max_stretch`` times the best are not considered.
    crossings
        The crossings table (:func:`routes.load_crossings` when None); used to resolve
        crossing names, never required when ids match the graph's ``crossing_id`` nodes.
    gazetteer
        A :class:`routes.Gazetteer` (the bundled one when None).
    closed
        Crossing ids treated as closed (their nodes are removed); see :func:`routes.what_if`.
    progress
        Show a progress bar.

    Returns
    -------
    RouteResult
        Incidents that cannot be routed are listed in ``.unrouted`` with the reason.

    Raises
    ------
    routes.ValidationError
        Bad options (unknown profile, ``k < 1``, ``theta < 0``, unknown closed crossing) or
        missing required columns, each with the fix.
    """
    from routes._routing_core import route_incidents_impl

    return route_incidents_impl(
        incidents,
        G,
        profile=profile,
        k=k,
        theta=theta,
        max_stretch=max_stretch,
        crossings=crossings,
        gazetteer=gazetteer,
        closed=closed,
        progress=progress,
    )


def route_between(
    origin: str,
    destination: str,
    G: nx.MultiDiGraph | None = None,  # noqa: N803 - networkx convention
    *,
    via: Sequence[str] = (),
    profile: str | CostProfile = "least_time",
    k: int = DEFAULT_K,
    theta: float = DEFAULT_THETA,
    max_stretch: float = 1.5,
    gazetteer: Any = None,
    closed: Sequence[str] = (),
) -> gpd.GeoDataFrame:
    """Route one trip ``origin -> via... -> destination`` and return its alternatives.

    Waypoints are places, crossing ids or countries as in :func:`route_incidents`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per alternative (best first): alternative, probability, cost, length_m,
        travel_time_s, crossings, green_border, geometry.

    Raises
    ------
    routes.ValidationError
        A waypoint cannot be resolved or the trip cannot be routed (message says why).
    """
    from routes._routing_core import route_between_impl

    return route_between_impl(
        origin,
        destination,
        G,
        via=via,
        profile=profile,
        k=k,
        theta=theta,
        max_stretch=max_stretch,
        gazetteer=gazetteer,
        closed=closed,
    )
