"""Choke-point engine (private; the public functions are in :mod:`routes.analysis.chokepoint`).

Owns :class:`WhatIfResult`, the type the what-if engine returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from routes._errors import Problem, ValidationError
from routes.analysis._flows import (
    corridor_flows_impl,
    crossing_flows_impl,
    edge_flows_impl,
    incidence,
    path_weights,
)
from routes.routing import graph_index, reroute

if TYPE_CHECKING:
    import geopandas as gpd

    from routes.routing import RouteResult

__all__ = ["WhatIfResult", "flow_betweenness_impl", "min_cut_impl", "what_if_impl"]


def flow_betweenness_impl(result: RouteResult, *, kind: str = "all", **filters: Any) -> Any:
    import geopandas as gpd

    if kind not in ("all", "crossing", "junction"):
        raise ValidationError(f"kind={kind!r} not supported; use 'all', 'crossing' or 'junction'")
    ix = graph_index(result.graph)
    w, q, n_kept = path_weights(result, **filters)
    mat = incidence(result, "interior")[0]
    inc = mat.T @ w
    qty = mat.T @ q
    sel = np.flatnonzero(inc > 1e-12)
    if kind == "crossing":
        sel = sel[ix.is_official[sel]]
    elif kind == "junction":
        sel = sel[~ix.is_official[sel]]
    sel = sel[np.argsort(-inc[sel], kind="stable")]
    df = gpd.GeoDataFrame(
        {
            "node": [ix.nodes[i] for i in sel],
            "kind": ix.kind[sel],
            "crossing_id": ix.crossing_id[sel],
            "name": ix.name[sel],
            "jurisdiction": ix.jurisdiction[sel],
            "incidents": inc[sel],
            "quantity": qty[sel],
            "share": inc[sel] / n_kept if n_kept else np.zeros(len(sel)),
            "rank": np.arange(1, len(sel) + 1),
        },
        geometry=gpd.points_from_xy(ix.x[sel], ix.y[sel], crs="EPSG:4326"),
        crs="EPSG:4326",
    )
    return df


# ---------------------------------------------------------------------------------------------
# minimum cut
# ---------------------------------------------------------------------------------------------
def _region(ix: Any, spec: Any, name: str) -> set[int]:
    if isinstance(spec, str):
        spec = [spec]
    if not isinstance(spec, (Sequence, set, frozenset, np.ndarray)) or len(spec) == 0:
        raise ValidationError(
            f"{name}={spec!r} must be a jurisdiction code ('RS'), a list of codes or a list "
            "of node ids"
        )
    out: set[int] = set()
    problems = []
    jur_codes = {j for j in ix.jurisdiction if j is not None}
    for item in spec:
        if item in ix.node_pos:
            out.add(ix.node_pos[item])
        elif isinstance(item, str) and item.upper() in jur_codes:
            code = item.upper()
            out.update(int(i) for i in np.flatnonzero((ix.jurisdiction == code) & ~ix.is_official))
        else:
            problems.append(
                f"{name} item {item!r} is neither a node of the graph nor a jurisdiction code "
                f"with nodes in it ({', '.join(sorted(jur_codes))})"
            )
    if problems:
        raise ValidationError([Problem(p) for p in problems])
    return out


def min_cut_impl(graph: Any, origin: Any, destination: Any, *, by: str = "crossings") -> Any:
    import geopandas as gpd
    import networkx as nx
    import shapely

    from routes.routing import RouteResult

    if isinstance(graph, RouteResult):
        graph = graph.graph
    if by not in ("crossings", "edges"):
        raise ValidationError(f"by={by!r} not supported; use 'crossings' or 'edges'")
    ix = graph_index(graph)
    src = _region(ix, origin, "origin")
    dst = _region(ix, destination, "destination")
    both = src & dst
    if both:
        raise ValidationError(
            f"origin and destination regions overlap in {len(both)} node(s) "
            f"(e.g. {ix.nodes[next(iter(both))]!r}); give disjoint regions"
        )
    flow_g = nx.DiGraph()
    s_node, t_node = ("__source__",), ("__sink__",)
    official = ix.is_official
    # collapse parallel edges per (u, v); remember one edge index per pair
    pair_edge: dict[tuple[int, int], int] = {}
    for e in range(ix.m):
        u, v = int(ix.u[e]), int(ix.v[e])
        if u != v:
            pair_edge.setdefault((u, v), e)

    def node_in(i: int) -> Any:
        return ("in", i) if by == "crossings" and official[i] else i

    def node_out(i: int) -> Any:
        return ("out", i) if by == "crossings" and official[i] else i

    if by == "crossings":
        for i in np.flatnonzero(official):
            flow_g.add_edge(("in", int(i)), ("out", int(i)), capacity=1.0, element=("node", int(i)))
    for (u, v), e in pair_edge.items():  # u, v: int
        if by == "edges":
            a, b = (u, v) if u < v else (v, u)
            flow_g.add_edge(u, v, capacity=1.0, element=("link", a, b, e))
            continue
        cuttable = bool(ix.green_border[e]) or (
            ix.border[e] is not None and not official[u] and not official[v]
        )
        if cuttable:
            a, b = (u, v) if u < v else (v, u)
            flow_g.add_edge(node_out(u), node_in(v), capacity=1.0, element=("link", a, b, e))
        else:
            flow_g.add_edge(node_out(u), node_in(v))  # infinite capacity
    for i_src in src:
        flow_g.add_edge(s_node, node_in(i_src))
    for i_dst in dst:
        flow_g.add_edge(node_out(i_dst), t_node)
    try:
        value, (reach, _) = nx.minimum_cut(flow_g, s_node, t_node)
    except nx.NetworkXUnbounded as exc:
        raise ValidationError(
            "origin and destination are joined by links that cannot be cut "
            f"(by={by!r}); use by='edges'"
        ) from exc
    elements: dict[Any, Any] = {}
    for a, b, d in flow_g.edges(data=True):
        if a in reach and b not in reach and "element" in d:
            el = d["element"]
            key = el[:3] if el[0] == "link" else el
            elements.setdefault(key, el)
    rows = []
    geoms = []
    for el in elements.values():
        if el[0] == "node":
            i = el[1]
            rows.append(("crossing", ix.crossing_id[i], ix.nodes[i], None, None))
            geoms.append(shapely.Point(ix.x[i], ix.y[i]))
        else:
            _, a, b, e = el
            kind = "green_border" if ix.green_border[e] else ("edge" if by == "edges" else "border")
            rows.append((kind, None, ix.nodes[a], ix.nodes[b], ix.border[e]))
            geoms.append(ix.geometry[e])
    df = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=["element", "crossing_id", "u", "v", "border"]),
        geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"),
        crs="EPSG:4326",
    )
    df = df.sort_values(["element", "crossing_id", "border"], kind="stable", na_position="last")
    df = df.reset_index(drop=True)
    df.attrs["cut_value"] = float(value)
    return df


# ---------------------------------------------------------------------------------------------
# what-if
# ---------------------------------------------------------------------------------------------
@dataclass
class WhatIfResult:
    """The outcome of closing crossings.

    Attributes
    ----------
    closed
        The crossing ids closed.
    before, after
        The route results without and with the closure.
    crossings
        Per crossing: crossing_id, incidents_before, incidents_after, change; sorted by
        absolute change (the closed ones lose everything).
    edges
        Per edge with a change: u, v, key, incidents_before, incidents_after, change, geometry.
    corridors
        Per corridor: e_road, incidents_before, incidents_after, change.
    rerouted
        Expected number of incidents whose route changed.
    unroutable
        Incidents with no route once the crossings are closed (incident_id, reason).
    """

    closed: list[str]
    before: RouteResult
    after: RouteResult
    crossings: pd.DataFrame
    edges: gpd.GeoDataFrame
    corridors: pd.DataFrame
    rerouted: float
    unroutable: pd.DataFrame


# ---------------------------------------------------------------------------------------------
# what-if engine
# ---------------------------------------------------------------------------------------------
def what_if_impl(result: RouteResult, close: Sequence[str], *, progress: bool = False) -> Any:
    if isinstance(close, str):
        close = [close]
    if not close:
        raise ValidationError("close=[] names no crossing; give crossing ids to close")
    after, ids = reroute(result, close, progress=progress)
    ix = graph_index(result.graph)
    cb = crossing_flows_impl(result, include_unused=True).set_index("crossing_id")["incidents"]
    ca = crossing_flows_impl(after, include_unused=True).set_index("crossing_id")["incidents"]
    crossings = _change(cb, ca, "crossing_id")
    eb = edge_flows_impl(result)
    ea = edge_flows_impl(after)
    kcols = ["u", "v", "key"]
    e = eb[[*kcols, "incidents", "geometry"]].merge(
        ea[[*kcols, "incidents", "geometry"]], on=kcols, how="outer", suffixes=("_before", "_after")
    )
    e["incidents_before"] = e["incidents_before"].fillna(0.0)
    e["incidents_after"] = e["incidents_after"].fillna(0.0)
    e["change"] = e["incidents_after"] - e["incidents_before"]
    geom = e["geometry_before"].where(e["geometry_before"].notna(), e["geometry_after"])
    import geopandas as gpd

    edges = gpd.GeoDataFrame(
        e[[*kcols, "incidents_before", "incidents_after", "change"]],
        geometry=gpd.GeoSeries(list(geom), crs="EPSG:4326"),
        crs="EPSG:4326",
    )
    edges = edges[edges["change"].abs() > 1e-9]
    edges = edges.iloc[np.argsort(-edges["change"].abs().to_numpy(), kind="stable")]
    rb = corridor_flows_impl(result).set_index("e_road")["incidents"]
    ra = corridor_flows_impl(after).set_index("e_road")["incidents"]
    corridors = _change(rb, ra, "e_road")
    # expected incidents that used a closed crossing before
    closed_nodes = [ix.crossing_node[c] for c in ids]
    w, _, _ = path_weights(result)
    node_m = incidence(result, "node")[0]
    rerouted = float((node_m[:, closed_nodes].T @ w).sum()) if closed_nodes else 0.0
    before_ids = set(result.unrouted["incident_id"])
    unroutable = after.unrouted[~after.unrouted["incident_id"].isin(before_ids)]
    out = WhatIfResult(
        closed=list(ids),
        before=result,
        after=after,
        crossings=crossings,
        edges=edges.reset_index(drop=True),
        corridors=corridors,
        rerouted=rerouted,
        unroutable=unroutable.reset_index(drop=True),
    )
    return out


def _change(before: pd.Series, after: pd.Series, name: str) -> pd.DataFrame:
    j = pd.concat([before.rename("incidents_before"), after.rename("incidents_after")], axis=1)
    j = j.fillna(0.0)
    j.index.name = name
    j = j.reset_index()
    j["change"] = j["incidents_after"] - j["incidents_before"]
    j = j[(j["incidents_before"] > 1e-12) | (j["incidents_after"] > 1e-12)]
    j = j.iloc[np.argsort(-j["change"].abs().to_numpy(), kind="stable")]
    return j.reset_index(drop=True)
