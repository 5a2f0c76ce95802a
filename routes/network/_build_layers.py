# ruff: noqa: N803, N806  (G is the networkx/OSMnx name for a graph)
"""Build steps 1-2: one source layer (roads or railways) cut to a box, node jurisdictions, chain
simplification, the main component (see :mod:`routes.network._build`)."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
from shapely.geometry import LineString

from routes._crs import to_crs
from routes.network._build_base import (
    RAIL_SPEED_KPH,
    road_speed_kph,
    xy3035,
)

__all__ = [
    "assign_jurisdictions",
    "build_layer",
    "keep_main_component",
    "simplify_chains",
]


def build_layer(
    adjacency: list[dict[int, float]],
    coords: list[list[float]],
    *,
    mode: str,
    bbox: tuple[float, float, float, float],
    prefix: str,
) -> nx.MultiGraph:
    """Build an undirected graph of one source layer cut to ``bbox`` (lon/lat min/max).

    ``adjacency`` and ``coords`` are scgraph's ``graph`` (neighbour -> km) and ``nodes``
    (``[lat, lon]``). Node ids become ``f"{prefix}{index}"``. Both ends of an edge must lie in
    the box. Length is the source's road length (km x 1000, never shorter than the chord).
    """
    lon0, lat0, lon1, lat1 = bbox
    keep = {i for i, (la, lo) in enumerate(coords) if lon0 <= lo <= lon1 and lat0 <= la <= lat1}
    us, vs, ws = [], [], []
    for u in keep:
        for v, w in adjacency[u].items():
            if v > u and v in keep:
                us.append(u)
                vs.append(v)
                ws.append(float(w))
    lon_u = np.array([coords[u][1] for u in us])
    lat_u = np.array([coords[u][0] for u in us])
    lon_v = np.array([coords[v][1] for v in vs])
    lat_v = np.array([coords[v][0] for v in vs])
    xu, yu = xy3035(lon_u, lat_u)
    xv, yv = xy3035(lon_v, lat_v)
    chord = np.hypot(xv - xu, yv - yu)
    length = np.maximum(np.array(ws) * 1000.0, chord)
    straight = np.where(length > 0, chord / np.maximum(length, 1e-9), 1.0)
    if mode == "road":
        speed = road_speed_kph(straight, length)
    else:
        speed = np.full(len(length), RAIL_SPEED_KPH)
    G = nx.MultiGraph()
    for i in range(len(us)):
        if length[i] <= 0 or us[i] == vs[i]:
            continue
        a, b = f"{prefix}{us[i]}", f"{prefix}{vs[i]}"
        for n, lo, la in ((a, lon_u[i], lat_u[i]), (b, lon_v[i], lat_v[i])):
            if n not in G:
                G.add_node(n, x=float(lo), y=float(la), kind="junction", layer=mode)
        G.add_edge(
            a,
            b,
            _from=a,
            mode=mode,
            length_m=float(length[i]),
            travel_time_s=float(length[i] / (speed[i] / 3.6)),
            straight=bool(straight[i] >= 0.95),
            geometry=LineString([(lon_u[i], lat_u[i]), (lon_v[i], lat_v[i])]),
        )
    return G


def assign_jurisdictions(
    G: nx.MultiGraph, borders: gpd.GeoDataFrame, *, max_distance_m: float = 5000.0
) -> nx.MultiGraph:
    """Set node ``jurisdiction`` by point in polygon (nearest polygon within ``max_distance_m``
    for coastal points just outside the outline); drop nodes in no jurisdiction."""
    H = G.copy()
    nodes = list(H.nodes)
    if not nodes:
        return H
    pts = gpd.GeoSeries(
        gpd.points_from_xy([H.nodes[n]["x"] for n in nodes], [H.nodes[n]["y"] for n in nodes]),
        crs="EPSG:4326",
    )
    b = borders[["jurisdiction", "geometry"]].reset_index(drop=True)
    hit = gpd.sjoin(gpd.GeoDataFrame(geometry=pts), b, how="left", predicate="within")
    hit = hit[~hit.index.duplicated()]
    jur = hit["jurisdiction"].to_numpy(dtype=object)
    missing = np.flatnonzero(pd.isna(jur))
    if len(missing):
        pm = gpd.GeoDataFrame(geometry=to_crs(pts.iloc[missing], 3035).to_numpy(), crs=3035)
        near = gpd.sjoin_nearest(
            pm, b.to_crs(3035), how="left", max_distance=max_distance_m, distance_col="d"
        )
        near = near[~near.index.duplicated()]
        jur[missing] = near["jurisdiction"].to_numpy(dtype=object)
    drop = []
    for n, j in zip(nodes, jur, strict=True):
        if isinstance(j, str):
            H.nodes[n]["jurisdiction"] = j
        else:
            drop.append(n)
    H.remove_nodes_from(drop)
    return H


def _merge_geoms(parts: list[tuple[LineString, bool]]) -> LineString:
    coords: list[tuple[float, float]] = []
    for geom, flip in parts:
        cs = list(geom.coords)
        if flip:
            cs.reverse()
        coords.extend(cs if not coords else cs[1:])
    return LineString(coords)


def simplify_chains(G: nx.MultiGraph) -> nx.MultiGraph:
    """Merge chains of degree-2 nodes into single edges where safe.

    A node is kept when its degree is not 2, it is not a junction, both its edges are not of
    the same mode, or a neighbour lies in another jurisdiction (border edges stay single
    edges with ends in both jurisdictions). Lengths and travel times are summed.
    """
    H = G.copy()

    def removable(n: Any) -> bool:
        d = H.nodes[n]
        if d.get("kind", "junction") != "junction" or H.degree(n) != 2:
            return False
        edges = list(H.edges(n, keys=True, data=True))
        if len(edges) != 2 or any(e[1] == n for e in edges):
            return False
        (_, a, _, da), (_, b, _, db) = edges
        if a == b or da["mode"] != db["mode"] or da.get("connector") or db.get("connector"):
            return False
        j = d.get("jurisdiction")
        return H.nodes[a].get("jurisdiction") == j and H.nodes[b].get("jurisdiction") == j

    for n in list(H.nodes):
        if n not in H or not removable(n):
            continue
        (_, a, da), (_, b, db) = list(H.edges(n, data=True))
        # path a -> n -> b
        g1 = (da["geometry"], da["_from"] != a)
        g2 = (db["geometry"], db["_from"] != n)
        geom = _merge_geoms([g1, g2])
        attrs = {
            "_from": a,
            "mode": da["mode"],
            "length_m": da["length_m"] + db["length_m"],
            "travel_time_s": da["travel_time_s"] + db["travel_time_s"],
            "straight": bool(da.get("straight")) and bool(db.get("straight")),
            "geometry": geom,
        }
        H.remove_node(n)
        H.add_edge(a, b, **attrs)
    return H


def keep_main_component(G: nx.MultiGraph, *, mode: str | None = None) -> nx.MultiGraph:
    """Return the largest connected component (of the ``mode`` edges only, when given)."""
    if mode is None:
        comps = nx.connected_components(G)
        best = max(comps, key=len)
        return G.subgraph(best).copy()
    sub = nx.MultiGraph()
    sub.add_edges_from((u, v) for u, v, m in G.edges(data="mode") if m == mode)
    best = max(nx.connected_components(sub), key=len)
    return G.subgraph(best).copy()
