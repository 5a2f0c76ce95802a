# ruff: noqa: N803, N806  (G is the networkx/OSMnx name for a graph)
"""Build step 4: border crossing points on the border-crossing edges, green border, border-check
delays (see :mod:`routes.network._build`)."""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point

from routes.network._build_base import (
    BORDER_DELAY_EU_S,
    BORDER_DELAY_S,
    CONNECTOR_DETOUR,
    CONNECTOR_SPEED_KPH,
    RAIL_SPEED_KPH,
    split_through,
    xy3035,
)

__all__ = [
    "add_border_delays",
    "attach_crossings",
    "edge_threshold_m",
]


def _edge_table(G: nx.MultiGraph, mode: str) -> pd.DataFrame:
    rows = []
    for u, v, k, d in G.edges(keys=True, data=True):
        if d["mode"] != mode or d.get("connector"):
            continue
        ju, jv = G.nodes[u].get("jurisdiction"), G.nodes[v].get("jurisdiction")
        kind_u, kind_v = G.nodes[u].get("kind"), G.nodes[v].get("kind")
        if ju and jv and ju != jv and kind_u == "junction" and kind_v == "junction":
            rows.append((u, v, k, "-".join(sorted((ju, jv))), d["geometry"], d["length_m"]))
    return pd.DataFrame(rows, columns=["u", "v", "k", "pair", "geometry", "length_m"])


def edge_threshold_m(length_m: float, *, base_m: float = 5000.0) -> float:
    """Distance within which a border-crossing edge is taken to pass a BCP of its pair.

    ``max(base_m, min(30 km, half the edge's road length))``: the source's long edges are
    straight chords of winding roads (up to 100 km) and pass up to ~20 km from the crossing the
    road really uses (e.g. the Pristina-Prokuplje chord and Merdare); a major road that crosses
    a border so near an official crossing of that pair is taken to use it.
    """
    return float(max(base_m, min(30000.0, 0.5 * length_m)))


def attach_crossings(
    G: nx.MultiGraph,
    crossings: gpd.GeoDataFrame,
    *,
    mode: str = "road",
    base_threshold_m: float = 5000.0,
) -> tuple[nx.MultiGraph, dict[str, Any]]:
    """Insert BCP nodes (kind ``"crossing"``) of ``crossings`` onto the ``mode`` edges.

    Every edge of ``mode`` whose ends lie in two jurisdictions is routed through the nearest
    crossing of that pair within :func:`edge_threshold_m`; the others are marked
    ``green_border=True`` with ``border="A-B"`` - only for pairs that have at least one crossing
    in ``crossings`` (other pairs, e.g. HR-SI, just get ``border``). A crossing that no edge
    passes is linked by ``connector=True`` edges to the nearest ``mode`` node on each side
    (``jurisdiction_a`` and ``jurisdiction_b``).
    Safe to re-run on a graph without crossing nodes (returns a new graph and a summary).
    """
    H = G.copy()
    cx = crossings.reset_index(drop=True)
    table = _edge_table(H, mode)
    pairs = cx.apply(lambda r: "-".join(sorted((r.jurisdiction_a, r.jurisdiction_b))), axis=1)
    x3, y3 = xy3035(cx.geometry.x.to_numpy(), cx.geometry.y.to_numpy())
    cnode = {}
    for i, r in cx.iterrows():
        node = f"x:{r.crossing_id}"
        cnode[i] = node
        H.add_node(
            node,
            x=float(r.geometry.x),
            y=float(r.geometry.y),
            kind="crossing",
            crossing_id=r.crossing_id,
            name=f"{r.name_a} – {r.name_b}" if r.get("name_b") else str(r.name_a),
            layer=mode,
            eu_external=bool(r.get("eu_external", False)),
            jurisdiction=None,
        )
    assigned: dict[int, list[tuple[Any, Any, Any]]] = {}
    green = open_border = 0
    covered = set(pairs)
    if len(table):
        geoms3 = shapely.transform(
            np.asarray(table.geometry.to_numpy(), dtype=object),
            lambda c: np.column_stack(xy3035(c[:, 0], c[:, 1])),
        )
        pair_of = pairs.to_numpy()
        for u, v, k, pair, length_m, g3 in zip(
            table["u"].tolist(),
            table["v"].tolist(),
            table["k"].tolist(),
            table["pair"].tolist(),
            table["length_m"].tolist(),
            geoms3,
            strict=True,
        ):
            best, best_d = None, math.inf
            for i in np.flatnonzero(pair_of == pair):
                d = shapely.distance(g3, Point(x3[i], y3[i]))
                if d < best_d:
                    best, best_d = i, d
            limit = edge_threshold_m(float(length_m), base_m=base_threshold_m)
            if best is not None and best_d <= limit:
                assigned.setdefault(int(best), []).append((u, v, k))
            elif pair in covered:
                H.edges[u, v, k]["green_border"] = True
                H.edges[u, v, k]["border"] = pair
                green += 1
            else:  # a pair the crossings table does not cover (e.g. HR-SI): not green border
                H.edges[u, v, k]["border"] = pair
                open_border += 1
    for i, edges in assigned.items():
        r = cx.loc[i]
        for u, v, k in edges:
            H.edges[u, v, k]["border"] = pairs[i]
            split_through(H, u, v, k, cnode[i], float(r.geometry.x), float(r.geometry.y))
    # connectors for crossings that no edge passes
    # targets on each side: its nodes in the largest component of the whole ``mode`` network,
    # or - where the side has none there (a user's network whose borders are not linked yet) -
    # the largest connected piece of the side's own network; never a stray fragment
    S = nx.Graph()
    S.add_edges_from((u, v) for u, v, m in G.edges(data="mode") if m == mode)
    main = max(nx.connected_components(S), key=len) if S.number_of_edges() else set()
    by_jur: dict[Any, list[Any]] = {}
    for n in S.nodes:
        d = G.nodes[n]
        if d.get("kind") == "junction" and d.get("layer", mode) == mode:
            by_jur.setdefault(d.get("jurisdiction"), []).append(n)
    layer_nodes = []
    for nodes_j in by_jur.values():
        in_main = [n for n in nodes_j if n in main]
        if not in_main:
            for piece in nx.connected_components(S.subgraph(nodes_j)):
                if len(piece) > len(in_main):
                    in_main = list(piece)
        layer_nodes += sorted(in_main, key=str)
    nx_ = np.array([H.nodes[n]["x"] for n in layer_nodes])
    ny_ = np.array([H.nodes[n]["y"] for n in layer_nodes])
    njur = np.array([H.nodes[n].get("jurisdiction") for n in layer_nodes], dtype=object)
    nX, nY = xy3035(nx_, ny_)
    connected, connector_max = 0, 0.0
    for i, r in cx.iterrows():
        if i in assigned:
            continue
        connected += 1
        for side in (r.jurisdiction_a, r.jurisdiction_b):
            m = np.flatnonzero(njur == side)
            if not len(m):
                raise ValueError(
                    f"crossing {r.crossing_id}: no {mode} node in jurisdiction {side!r}"
                )
            d2 = (nX[m] - x3[i]) ** 2 + (nY[m] - y3[i]) ** 2
            j = m[int(np.argmin(d2))]
            dist = float(math.sqrt(d2.min()))
            connector_max = max(connector_max, dist)
            target = layer_nodes[j]
            length = max(dist * CONNECTOR_DETOUR, 1.0)
            speed = CONNECTOR_SPEED_KPH if mode == "road" else RAIL_SPEED_KPH
            H.add_edge(
                cnode[i],
                target,
                _from=cnode[i],
                mode=mode,
                connector=True,
                length_m=length,
                travel_time_s=length / (speed / 3.6),
                straight=False,
                border=pairs[i],
                geometry=LineString([(r.geometry.x, r.geometry.y), (nx_[j], ny_[j])]),
            )
    summary = {
        "crossings": len(cx),
        "on_edges": len(assigned),
        "split_edges": sum(len(v) for v in assigned.values()),
        "with_connectors": connected,
        "connector_max_m": round(connector_max),
        "green_border_edges": green,
        "border_edges_of_pairs_without_crossings": open_border,
    }
    return H, summary


def add_border_delays(G: nx.MultiGraph) -> nx.MultiGraph:
    """Add half the border-check delay to every edge touching a crossing node."""
    H = G.copy()
    for u, v, _k, d in H.edges(keys=True, data=True):
        for n in (u, v):
            nd = H.nodes[n]
            if nd.get("kind") != "crossing":
                continue
            if d["mode"] == "rail" or nd.get("eu_external"):
                delay = BORDER_DELAY_EU_S
            else:
                delay = BORDER_DELAY_S
            d.setdefault("run_time_s", d["travel_time_s"])
            d["travel_time_s"] += delay / 2.0
    return H
