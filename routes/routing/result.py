"""The result of routing: :class:`RouteResult` and the wide tables built from it on demand.

Private to nothing: the engines in :mod:`routes.routing._core` build a RouteResult; the flow
and choke-point functions of :mod:`routes.analysis` read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from routes.routing._geom import edge_slices_geometries
from routes.routing._index import adopt_index, graph_index

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx

    from routes.routing.profiles import CostProfile

__all__ = [
    "ATTR_COLUMNS",
    "RouteResult",
    "build_legs",
    "build_path_table",
    "build_routes",
    "bundled_unchanged",
    "result_index",
]

#: The incident attributes routing keeps (``RouteResult.incidents`` columns).
ATTR_COLUMNS = (
    "incident_id",
    "source_row",
    "date",
    "category",
    "modus_operandi",
    "quantity",
    "ocg_involved",
    "migrants_involved",
    "jurisdiction",
)


class _GraphOnDemand:
    """The ``graph`` field of :class:`RouteResult`: the graph given, or (given None) the
    bundled network, loaded on first access with the routing index the result was made on.

    Set on the class after the dataclass is made (the field keeps no default); its class
    access raises AttributeError like a field without a default.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}"

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            raise AttributeError("graph")
        graph = obj.__dict__.get(self.slot)
        if graph is None:
            from routes.network import load_network

            graph = load_network()
            if obj.index is not None:
                adopt_index(graph, obj.index)
            obj.__dict__[self.slot] = graph
        return graph

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.slot] = value


def result_index(result: Any) -> Any:
    """The routing index of a result: the one it was made on, else that of its graph."""
    ix = getattr(result, "index", None)
    return ix if ix is not None else graph_index(result.graph)


def bundled_unchanged(result: Any) -> bool:
    """Whether a result's graph is the bundled network as routing saw it: never loaded since
    (a :class:`RouteResult` routed on the bundle's cached index), or loaded and unchanged
    (networkx is imported only for a graph that was loaded)."""
    never_loaded = isinstance(result, RouteResult) and result.__dict__.get(_GRAPH.slot) is None
    if never_loaded and result.index is not None:
        return True
    graph = getattr(result, "graph", None) if result is not None else None
    if graph is None:
        return False
    from routes.network import pristine_network_key

    return pristine_network_key(graph) is not None


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
        One row per (incident, candidate, alternative): ``incident`` (position in
        ``incidents``), ``alternative`` (0 = best), ``path_id``, ``probability`` (sums to 1
        per incident), ``candidate`` (0 unless legs were inferred: the candidate's rank, see
        ``candidates``), ``inferred`` (the path has legs inferred by the model).
    path_info
        One row per distinct path: ``path_id``, ``sequence_id``, ``alternative``, ``cost``,
        ``length_m``, ``travel_time_s``, ``green_border`` (bool), ``start_node`` (internal),
        ``inferred`` (bool: a waypoint of the path was inferred by the model of missing legs).
    path_table
        ``path_info`` with ``crossings`` ("|"-joined crossing ids in order) and ``geometry``
        (LineString; a Point for a zero-length route), built on first access.
    path_legs
        One row per (path, leg): ``path_id``, ``leg`` (0-based), ``start``, ``end`` (the
        waypoint tokens), ``status`` ("observed" | "inferred"), ``rule``, ``edge_start``,
        ``edge_stop`` (slice of the path's edge list), ``inferred`` (an end supplied by the
        model of missing legs).
    path_edges
        ``path_id -> array of edge positions`` in the engine's edge arrays (internal; use
        ``paths`` for graph edge tuples).
    paths
        ``path_id -> [(u, v, key), ...]`` edges of the graph in order (built on access).
    graph
        The graph the routes were computed on. For the bundled network (``graph=None`` in
        :func:`routes.route_incidents`) it is loaded on first access: a map drawn from the
        routing index alone never imports networkx.
    profile, k, theta, max_stretch, closed
        The options used.
    unrouted
        ``incident_id``, ``source_row``, ``reason`` of every incident that got no route
        (never dropped silently).
    source
        The input incidents (kept for :func:`routes.what_if`).
    options
        Other options used (``crossings``, ``gazetteer``, ``infer``).
    candidates
        The inferred candidates of the incidents routed by the model of missing legs
        (``route_incidents(infer=...)``): incident_id, incident, candidate (0 = most likely),
        origin, origin_country, destination, destination_country (the record's own end where
        it gave one), probability (sums to 1 per incident), source ("recorded" when the
        recorded routes outweigh the priors, else "prior"). Empty with ``infer="none"``.
    index
        The routing index the routes were computed on (internal; ``graph_index(graph)``).
    """

    incidents: pd.DataFrame
    assignments: pd.DataFrame
    path_info: pd.DataFrame
    path_legs: pd.DataFrame
    path_edges: dict[int, np.ndarray]
    graph: nx.MultiDiGraph  # loaded on demand: see _GraphOnDemand below the class
    profile: CostProfile
    k: int
    theta: float
    max_stretch: float
    unrouted: pd.DataFrame
    source: pd.DataFrame | None = field(default=None, repr=False)
    closed: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict, repr=False)
    candidates: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    index: Any = field(default=None, repr=False, compare=False)
    cache: dict[str, Any] = field(default_factory=dict, repr=False, init=False, compare=False)

    @cached_property
    def paths(self) -> dict[int, list[tuple[Any, Any, Any]]]:
        """``path_id -> [(u, v, key), ...]``: the graph edges of each distinct path in order."""
        ix = result_index(self)
        nodes, keys = ix.nodes, ix.key
        return {
            pid: [(nodes[ix.u[e]], nodes[ix.v[e]], keys[e]) for e in edges]
            for pid, edges in self.path_edges.items()
        }

    @cached_property
    def path_table(self) -> gpd.GeoDataFrame:
        """One row per distinct path with its crossings and geometry (built on access)."""
        return build_path_table(self)

    @cached_property
    def routes(self) -> gpd.GeoDataFrame:
        """One row per (incident, alternative) with the path's geometry.

        Columns: incident_id, alternative, probability, path_id, cost, length_m,
        travel_time_s, crossings, green_border, date, category, modus_operandi, quantity,
        ocg_involved, migrants_involved, jurisdiction, geometry (EPSG:4326).
        """
        return build_routes(self)

    @cached_property
    def legs(self) -> gpd.GeoDataFrame:
        """One row per (incident, candidate, alternative, leg): incident_id, alternative, leg,
        start, end, status ("observed" | "inferred"), rule, probability, candidate, inferred,
        geometry.

        ``status`` "inferred" marks a leg with an end the record gives only as a country;
        ``inferred`` True marks a leg the record does not give at all (an end supplied by the
        model of missing legs, rule ``infer_recorded:...`` or ``infer_prior:...``)."""
        return build_legs(self)

    def __len__(self) -> int:
        return len(self.incidents)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the routing index (its engines hold every tree): an unpickled
        result finds the index of its graph again (the bundled network's from the cache)."""
        return {**self.__dict__, "index": None}


_GRAPH = _GraphOnDemand()
_GRAPH.__set_name__(RouteResult, "graph")
setattr(RouteResult, "graph", _GRAPH)  # noqa: B010 - after @dataclass read the fields

# the incident attributes carried onto each route row: all that routing keeps but the id (which
# leads the table) and the reader's source_row
_INCIDENT_FIELDS = tuple(c for c in ATTR_COLUMNS if c not in ("incident_id", "source_row"))


def _column(df: pd.DataFrame, name: str, default: Any) -> np.ndarray:
    """A column as an array, or ``default`` everywhere (tables built before it existed)."""
    if name in df.columns:
        return df[name].to_numpy()
    return np.full(len(df), default)


def build_path_table(result: RouteResult) -> gpd.GeoDataFrame:
    import geopandas as gpd

    ix = result_index(result)
    info = result.path_info
    n = len(info)
    edges = [result.path_edges[p] for p in range(n)]
    geoms = edge_slices_geometries(ix, edges, info["start_node"].tolist())
    crossings = []
    for e in edges:
        if len(e):
            nodes = np.concatenate([ix.u[e[:1]], ix.v[e]])
            off = nodes[ix.is_official[nodes]]
            crossings.append("|".join(str(ix.crossing_id[x] or ix.name[x] or x) for x in off))
        else:
            crossings.append("")
    table = info.drop(columns=["start_node"]).copy()
    table.insert(6, "crossings", np.asarray(crossings, dtype=object))
    return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"), crs="EPSG:4326")


def build_routes(result: RouteResult) -> gpd.GeoDataFrame:
    import geopandas as gpd

    a = result.assignments
    pt = result.path_table
    inc = a["incident"].to_numpy()
    pid = a["path_id"].to_numpy()
    data = {
        "incident_id": result.incidents["incident_id"].to_numpy()[inc],
        "alternative": a["alternative"].to_numpy(),
        "probability": a["probability"].to_numpy(),
        "path_id": pid,
    }
    for col in ("cost", "length_m", "travel_time_s", "crossings", "green_border"):
        data[col] = pt[col].to_numpy()[pid]
    for col in _INCIDENT_FIELDS:
        data[col] = result.incidents[col].to_numpy()[inc]
    data["candidate"] = _column(a, "candidate", 0)
    data["inferred"] = _column(a, "inferred", False)
    geom = np.asarray(pt.geometry.values, dtype=object)[pid]
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geom, crs="EPSG:4326"), crs="EPSG:4326")


def build_legs(result: RouteResult) -> gpd.GeoDataFrame:
    import geopandas as gpd

    ix = result_index(result)
    pl = result.path_legs
    edge_lists = []
    fallback = []
    for pid, e0, e1 in zip(
        pl["path_id"].to_numpy(dtype=np.int64),
        pl["edge_start"].to_numpy(dtype=np.int64),
        pl["edge_stop"].to_numpy(dtype=np.int64),
        strict=True,
    ):
        e = result.path_edges[int(pid)][int(e0) : int(e1)]
        edge_lists.append(e)
        fallback.append(int(ix.u[e[0]]) if len(e) else 0)
    leg_geom = edge_slices_geometries(ix, edge_lists, fallback)
    # join assignments (incident, alternative, path) with the legs of the path
    a = result.assignments
    order = np.argsort(pl["path_id"].to_numpy(), kind="stable")
    pids_sorted = pl["path_id"].to_numpy()[order]
    n_paths = len(result.path_info)
    counts = np.bincount(pids_sorted, minlength=n_paths) if n_paths else np.zeros(0, int)
    starts = np.cumsum(counts) - counts
    pid = a["path_id"].to_numpy()
    c = counts[pid] if len(pid) else np.zeros(0, dtype=np.int64)
    rep = np.repeat(np.arange(len(a)), c)
    within = np.arange(len(rep)) - np.repeat(np.cumsum(c) - c, c)
    leg_rows = order[np.repeat(starts[pid], c) + within] if len(rep) else np.zeros(0, int)
    inc = a["incident"].to_numpy()[rep]
    data = {
        "incident_id": result.incidents["incident_id"].to_numpy()[inc],
        "alternative": a["alternative"].to_numpy()[rep],
        "leg": pl["leg"].to_numpy()[leg_rows],
        "start": pl["start"].to_numpy()[leg_rows],
        "end": pl["end"].to_numpy()[leg_rows],
        "status": pl["status"].to_numpy()[leg_rows],
        "rule": pl["rule"].to_numpy()[leg_rows],
        "probability": a["probability"].to_numpy()[rep],
        "candidate": _column(a, "candidate", 0)[rep],
        "inferred": _column(pl, "inferred", False)[leg_rows],
    }
    geom = leg_geom[leg_rows] if len(leg_rows) else np.zeros(0, dtype=object)
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geom, crs="EPSG:4326"), crs="EPSG:4326")
