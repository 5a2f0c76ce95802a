"""Route incidents: the pipeline of named steps behind :func:`routes.route_incidents`.

Private; the public doors are :func:`routes.route_incidents` and :func:`routes.route_between`.
Steps: set up the engines (:func:`_setup`) -> group identical records and resolve each group
into a waypoint sequence (:mod:`~routes.routing._sequences`) -> infer the missing legs of the
records with fewer than two waypoints (:mod:`~routes.routing._infer`, when asked) -> route each
distinct sequence once (:mod:`~routes.routing._assign`, :mod:`~routes.routing._router`) ->
spread each incident over its candidates and alternatives -> the result tables.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from routes._errors import Problem, ValidationError
from routes._io import gc_paused
from routes._pdcompat import take_text
from routes.routing._assign import Entries, assignment_table, path_tables, route_sequences
from routes.routing._dijkstra import tree_helpers
from routes.routing._frame import check_frame, incident_attrs
from routes.routing._index import adopt_index, bundled_index, graph_index
from routes.routing._infer import CANDIDATE_COLUMNS, check_infer, infer_entries
from routes.routing._options import check_options, closed_nodes, rail_variant
from routes.routing._sequences import incident_keys, resolve_groups
from routes.routing._waypoints import WaypointResolver
from routes.routing.priors import route_priors
from routes.routing.profiles import get_profile
from routes.routing.result import RouteResult

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import geopandas as gpd
    import networkx as nx

    from routes.routing._engine import Engine, GraphIndex
    from routes.routing._priors import RoutePriors
    from routes.routing._sequences import Groups, IncidentKeys
    from routes.routing.profiles import CostProfile

__all__ = ["route_between_impl", "route_incidents_impl"]

_LOG = logging.getLogger("routes.routing")


# From this many incidents on, helper processes share the Dijkstra trees (routing._dijkstra):
# they start at the beginning of the call and are ready by the time the trees are due.
HELPERS_FROM_ROWS = 200


class _Clock:
    """Debug log of the time each step took."""

    def __init__(self) -> None:
        self.t = time.perf_counter()

    def tick(self, step: str) -> None:
        now = time.perf_counter()
        _LOG.debug("route_incidents: %s done in %.2f s", step, now - self.t)
        self.t = now


@dataclass
class _Setup:
    graph: nx.MultiDiGraph | None  # None: the bundled network, loaded when a caller asks
    profile: CostProfile
    index: GraphIndex
    engines: Callable[[str], Engine]  # the engine of a variant ("road", "rail"), on demand
    resolver: WaypointResolver
    closed_ids: tuple[str, ...]


def _setup(
    graph: nx.MultiDiGraph | None,
    profile: str | CostProfile,
    closed: Sequence[str],
    crossings: gpd.GeoDataFrame | None,
    gazetteer: Any,
) -> _Setup:
    """The graph (bundled when None), its index, the road and rail engines, the resolver."""
    prof = get_profile(profile)
    if graph is None:  # the bundled network: its index from the cache, the graph on demand
        index, graph = bundled_index()
        if graph is not None:  # the cache was filled from a graph: keep it
            adopt_index(graph, index)
    else:
        index = graph_index(graph)
    closed_node_ids, closed_ids = closed_nodes(index, closed)
    variants = {"road": prof, "rail": rail_variant(prof)}

    def engines(variant: str) -> Engine:  # built when a sequence needs it (rail: rarely)
        return index.engine(variants[variant], closed_node_ids)

    resolver = WaypointResolver(index, gazetteer=gazetteer, crossings=crossings)
    return _Setup(graph, prof, index, engines, resolver, closed_ids)


def route_incidents_impl(
    incidents: pd.DataFrame,
    graph: nx.MultiDiGraph | None,
    *,
    profile: str | CostProfile,
    k: int,
    theta: float,
    max_stretch: float,
    crossings: gpd.GeoDataFrame | None,
    gazetteer: Any,
    closed: Sequence[str],
    progress: bool,
    ignore_waypoints: Sequence[str] = (),
    infer: str = "none",
    priors: Any = None,
) -> RouteResult:
    get_profile(profile)
    check_options(k, theta, max_stretch)
    mode = check_infer(infer)
    route_priors_ = route_priors(priors) if mode == "priors" else None
    if not isinstance(incidents, pd.DataFrame) and isinstance(
        getattr(incidents, "accepted", None), pd.DataFrame
    ):
        incidents = incidents.accepted  # an IncidentReadResult: route its accepted rows
    check_frame(incidents)
    helpers = None if len(incidents) >= HELPERS_FROM_ROWS else 0
    with gc_paused(), tree_helpers(helpers, lazy=True):
        return _route_incidents(
            incidents,
            graph,
            profile=profile,
            k=k,
            theta=theta,
            max_stretch=max_stretch,
            crossings=crossings,
            gazetteer=gazetteer,
            closed=closed,
            progress=progress,
            ignore_waypoints=ignore_waypoints,
            infer=mode,
            priors=route_priors_,
        )


def _route_incidents(
    incidents: pd.DataFrame,
    graph: nx.MultiDiGraph | None,
    *,
    profile: str | CostProfile,
    k: int,
    theta: float,
    max_stretch: float,
    crossings: gpd.GeoDataFrame | None,
    gazetteer: Any,
    closed: Sequence[str],
    progress: bool,
    ignore_waypoints: Sequence[str],
    infer: str,
    priors: RoutePriors | None,
) -> RouteResult:
    clock = _Clock()
    setup = _setup(graph, profile, closed, crossings, gazetteer)
    clock.tick("index")
    ignore = {str(c).strip().upper() for c in ignore_waypoints}
    df = incidents.reset_index(drop=True)
    n = len(df)
    attrs = incident_attrs(df)
    keys = incident_keys(df, setup.resolver)
    clock.tick("grouping+snap")
    groups = resolve_groups(keys, setup.resolver, ignore)
    clock.tick("resolve")
    g_seq = np.asarray(groups.seq, dtype=np.int64)
    entries = Entries(
        incident=np.arange(n, dtype=np.int64),
        sequence=g_seq[keys.group] if n else np.zeros(0, dtype=np.int64),
        weight=np.ones(n),
        candidate=np.zeros(n, dtype=np.int64),
        inferred=np.zeros(n, dtype=bool),
    )
    reasons = np.empty(n, dtype=object)
    reasons[:] = None
    if n:
        reasons[:] = np.asarray(groups.reason, dtype=object)[keys.group]
    candidates = pd.DataFrame(columns=list(CANDIDATE_COLUMNS))
    if infer != "none":
        entries, reasons, candidates = _with_inferred(
            entries, reasons, keys, groups, attrs, setup, infer, priors
        )
        clock.tick("infer")
    routed = route_sequences(
        groups.sequences,
        setup.engines,
        k=k,
        theta=theta,
        max_stretch=max_stretch,
        progress=progress,
    )
    clock.tick("route")
    assignments, reasons = assignment_table(entries, routed, n, reasons)
    bad = np.flatnonzero(reasons != None)  # noqa: E711
    unrouted = pd.DataFrame(
        {
            "incident_id": attrs["incident_id"].to_numpy()[bad],
            "source_row": attrs["source_row"].to_numpy()[bad],
            "reason": reasons[bad].astype(str),
        }
    )
    clock.tick("assign")
    path_info, path_legs, path_edges = path_tables(setup.index, routed.paths, groups.sequences)
    clock.tick("path_tables")
    return RouteResult(
        incidents=attrs,
        assignments=assignments,
        path_info=path_info,
        path_legs=path_legs,
        path_edges=path_edges,
        graph=setup.graph,
        index=setup.index,
        profile=setup.profile,
        k=int(k),
        theta=float(theta),
        max_stretch=float(max_stretch),
        unrouted=unrouted,
        source=incidents,
        closed=setup.closed_ids,
        options={
            "crossings": crossings,
            "gazetteer": gazetteer,
            "infer": infer,
            "priors": priors,
        },
        candidates=candidates,
    )


def _with_inferred(
    entries: Entries,
    reasons: np.ndarray,
    keys: IncidentKeys,
    groups: Groups,
    attrs: pd.DataFrame,
    setup: _Setup,
    mode: str,
    priors: RoutePriors | None,
) -> tuple[Entries, np.ndarray, pd.DataFrame]:
    """Replace the entries of the one-waypoint incidents by their inferred candidates."""
    inf = infer_entries(keys, groups, attrs, setup.resolver, setup.index, mode=mode, priors=priors)
    reasons = reasons.copy()
    reasons[inf.routed] = None
    for i, why in inf.reasons.items():
        reasons[i] = why
    replaced = np.zeros(len(reasons), dtype=bool)  # a mask over the incidents (no sort)
    replaced[inf.routed] = True
    keep = ~replaced[entries.incident]
    inc = np.r_[entries.incident[keep], inf.entries.incident]
    cand = np.r_[entries.candidate[keep], inf.entries.candidate]
    order = _by_incident_then_candidate(inc, cand)
    merged = Entries(
        incident=inc[order],
        sequence=np.r_[entries.sequence[keep], inf.entries.sequence][order],
        weight=np.r_[entries.weight[keep], inf.entries.weight][order],
        candidate=cand[order],
        inferred=np.r_[entries.inferred[keep], inf.entries.inferred][order],
    )
    table = inf.candidates
    rows = table["incident"].to_numpy(dtype=np.int64)
    table.insert(0, "incident_id", take_text(attrs["incident_id"], rows))
    return merged, reasons, table


def _by_incident_then_candidate(inc: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """``np.lexsort((cand, inc))`` by one stable sort of one integer key: the two parts
    joined here are each in that order already, and the sort merges such runs in one pass."""
    if not len(inc) or cand.min() < 0 or inc.min() < 0:
        return np.lexsort((cand, inc))
    width = int(cand.max()) + 1
    if int(inc.max()) >= np.iinfo(np.int64).max // width:  # pragma: no cover - 10¹⁸ rows
        return np.lexsort((cand, inc))
    return np.argsort(inc.astype(np.int64) * width + cand, kind="stable")


def route_between_impl(
    origin: str,
    destination: str,
    graph: nx.MultiDiGraph | None,
    *,
    via: Sequence[str],
    profile: str | CostProfile,
    k: int,
    theta: float,
    max_stretch: float,
    gazetteer: Any,
    closed: Sequence[str],
) -> gpd.GeoDataFrame:
    if isinstance(via, str):
        via = [via]
    frame = pd.DataFrame(
        {
            "incident_id": ["route"],
            "origin": [origin],
            "transit": ["|".join(via) if via else None],
            "destination": [destination],
        }
    )
    res = route_incidents_impl(
        frame,
        graph,
        profile=profile,
        k=k,
        theta=theta,
        max_stretch=max_stretch,
        crossings=None,
        gazetteer=gazetteer,
        closed=closed,
        progress=False,
    )
    if len(res.unrouted):
        raise ValidationError(
            [Problem(f"cannot route {origin!r} -> {destination!r}: {res.unrouted.reason.iloc[0]}")]
        )
    out = res.routes[
        [
            "alternative",
            "probability",
            "cost",
            "length_m",
            "travel_time_s",
            "crossings",
            "green_border",
            "path_id",
            "geometry",
        ]
    ].reset_index(drop=True)
    out.attrs["legs"] = res.legs
    return out
