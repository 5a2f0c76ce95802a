# ruff: noqa: N803, N806  (G is the networkx/OSMnx name for a graph)
"""Build step 5: ports, airports, river crossings, ferry lanes, rail-road transfers and E-road
labels (see :mod:`routes.network._build`)."""

from __future__ import annotations

import itertools
import math
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely
from shapely.geometry import LineString

from routes.network._build_base import (
    DETOUR,
    SEA_BOARDING_S,
    SEA_SPEED_KPH,
    TRANSFER_SPEED_KPH,
    measure_m,
    xy3035,
)

__all__ = [
    "HARBOUR_OFFSET_DEG",
    "add_ferries",
    "add_point_nodes",
    "link_rail_to_road",
    "trace_e_roads",
]


#: Offset (degrees of latitude, ~55 m) of a harbour junction from its port node.
HARBOUR_OFFSET_DEG = 0.0005


def add_point_nodes(
    G: nx.MultiGraph,
    points: gpd.GeoDataFrame,
    *,
    kind: str,
    max_distance_m: float = 40000.0,
    target_layer: str = "road",
    harbour_m: float | None = None,
    land: Any = None,
) -> nx.MultiGraph:
    """Add port/airport/river nodes (``node``, ``crossing_id``, ``name``, ``jurisdiction``,
    geometry) linked by a ``transfer`` edge to the nearest road node of their jurisdiction.

    With ``harbour_m``, a point whose nearest road node of its jurisdiction is farther than
    that and not reached over ``land`` (a shapely geometry; an island port where the source
    has no road) is linked instead to a new road junction of its own, ``f"h:{node}"``,
    :data:`HARBOUR_OFFSET_DEG` north of it (the harbour's road end): seizures on the island
    then snap to the island, not to a road across the sea.
    """
    H = G.copy()
    tn = [
        n
        for n, d in H.nodes(data=True)
        if d.get("kind") == "junction" and d.get("layer") == target_layer
    ]
    tx = np.array([H.nodes[n]["x"] for n in tn])
    ty = np.array([H.nodes[n]["y"] for n in tn])
    tj = np.array([H.nodes[n].get("jurisdiction") for n in tn], dtype=object)
    tX, tY = xy3035(tx, ty)
    for r in points.itertuples():
        px, py = float(r.geometry.x), float(r.geometry.y)
        H.add_node(
            r.node,
            x=px,
            y=py,
            kind=kind,
            crossing_id=r.crossing_id,
            name=r.name,
            jurisdiction=r.jurisdiction,
            layer=kind,
        )
        m = np.flatnonzero(tj == r.jurisdiction)
        dist = math.inf
        if len(m):
            pX, pY = xy3035([px], [py])
            d2 = (tX[m] - pX[0]) ** 2 + (tY[m] - pY[0]) ** 2
            j = m[int(np.argmin(d2))]
            dist = float(math.sqrt(d2.min()))
        over_land = (
            land is not None
            and len(m) > 0
            and land.contains(LineString([(px, py), (tx[j], ty[j])]))
        )
        if (
            harbour_m is not None
            and dist > harbour_m
            and not (over_land and dist <= max_distance_m)
        ):
            target, qx, qy = f"h:{r.node}", px, py + HARBOUR_OFFSET_DEG
            H.add_node(
                target,
                x=qx,
                y=qy,
                kind="junction",
                layer=target_layer,
                jurisdiction=r.jurisdiction,
            )
            dist = 0.0
        elif dist > max_distance_m:
            continue
        else:
            target, qx, qy = tn[j], tx[j], ty[j]
        length = max(dist * DETOUR, 50.0)
        H.add_edge(
            r.node,
            target,
            _from=r.node,
            mode="transfer",
            length_m=length,
            travel_time_s=length / (TRANSFER_SPEED_KPH / 3.6),
            geometry=LineString([(px, py), (qx, qy)]),
        )
    return H


def add_ferries(G: nx.MultiGraph, lines: list[tuple[Any, Any, LineString]]) -> nx.MultiGraph:
    """Add ``sea`` edges (port node a, port node b, lane geometry a -> b)."""
    H = G.copy()
    for a, b, geom in lines:
        length = float(measure_m([geom])[0])
        H.add_edge(
            a,
            b,
            _from=a,
            mode="sea",
            length_m=length,
            run_time_s=length / (SEA_SPEED_KPH / 3.6),
            travel_time_s=length / (SEA_SPEED_KPH / 3.6) + SEA_BOARDING_S,
            geometry=geom,
        )
    return H


def link_rail_to_road(G: nx.MultiGraph, *, max_distance_m: float = 2000.0) -> nx.MultiGraph:
    """Add ``transfer`` edges from rail nodes of degree != 2 (junctions, termini) to the
    nearest road node of the same jurisdiction within ``max_distance_m``."""
    H = G.copy()
    road = [
        n for n, d in H.nodes(data=True) if d.get("layer") == "road" and d["kind"] == "junction"
    ]
    rx = np.array([H.nodes[n]["x"] for n in road])
    ry = np.array([H.nodes[n]["y"] for n in road])
    rj = np.array([H.nodes[n].get("jurisdiction") for n in road], dtype=object)
    rX, rY = xy3035(rx, ry)
    tree = shapely.STRtree(shapely.points(rX, rY))
    rail = [
        n
        for n, d in H.nodes(data=True)
        if d.get("layer") == "rail" and d["kind"] == "junction" and H.degree(n) != 2
    ]
    for n in rail:
        d = H.nodes[n]
        pX, pY = xy3035([d["x"]], [d["y"]])
        p = shapely.points(pX[0], pY[0])
        idx = tree.query(p, predicate="dwithin", distance=max_distance_m)
        idx = [i for i in idx if rj[i] == d.get("jurisdiction")]
        if not idx:
            continue
        dist = [float(np.hypot(rX[i] - pX[0], rY[i] - pY[0])) for i in idx]
        j = idx[int(np.argmin(dist))]
        length = max(min(dist) * DETOUR, 50.0)
        H.add_edge(
            n,
            road[j],
            _from=n,
            mode="transfer",
            length_m=length,
            run_time_s=length / (TRANSFER_SPEED_KPH / 3.6),
            travel_time_s=length / (TRANSFER_SPEED_KPH / 3.6) + 1800.0,
            geometry=LineString([(d["x"], d["y"]), (rx[j], ry[j])]),
        )
    return H


def trace_e_roads(
    G: nx.MultiGraph,
    itineraries: dict[str, list[tuple[float, float]]],
    *,
    max_detour: float = 2.5,
) -> tuple[nx.MultiGraph, dict[str, dict[str, Any]]]:
    """Trace each E-road's itinerary (town lon/lat in order) as least-length paths on the road
    edges (green-border edges cost 20 x their length) and set ``e_road`` ("E75|E80") on them.

    A leg whose path is longer than ``max_detour`` x the straight line + 20 km is not labelled
    (the simplified source lacks that road) and is listed in the report.
    """
    H = G.copy()
    R = nx.Graph()
    best: dict[tuple[Any, Any], tuple[float, Any]] = {}
    for u, v, k, d in H.edges(keys=True, data=True):
        if d["mode"] != "road":
            continue
        key = (u, v) if str(u) < str(v) else (v, u)
        w = d["length_m"] * (20.0 if d.get("green_border") else 1.0)
        if key not in best or w < best[key][0]:
            best[key] = (w, k)
    for (u, v), (w, k) in best.items():
        R.add_edge(u, v, weight=w, key=k)
    main = max(nx.connected_components(R), key=len)
    rn = [n for n in main if H.nodes[n].get("kind") == "junction"]
    rX, rY = xy3035([H.nodes[n]["x"] for n in rn], [H.nodes[n]["y"] for n in rn])
    report: dict[str, dict[str, Any]] = {}
    labels: dict[tuple[Any, Any, Any], set[str]] = {}
    for road, towns in itineraries.items():
        tX, tY = xy3035([t[0] for t in towns], [t[1] for t in towns])
        ends = [
            rn[int(np.argmin((rX - a) ** 2 + (rY - b) ** 2))] for a, b in zip(tX, tY, strict=False)
        ]
        length = 0.0
        n_edges = 0
        skipped = []
        for i, (a, b) in enumerate(itertools.pairwise(ends)):
            if a == b:
                continue
            path = nx.shortest_path(R, a, b, weight="weight")
            chord = float(np.hypot(tX[i + 1] - tX[i], tY[i + 1] - tY[i]))
            plen = sum(R.edges[p, q]["weight"] for p, q in itertools.pairwise(path))
            if plen > max_detour * chord + 20000.0:
                skipped.append(f"{i + 1}->{i + 2}")  # the source lacks the road: no label
                continue
            for p, q in itertools.pairwise(path):
                k = R.edges[p, q]["key"]
                labels.setdefault((p, q, k) if (p, q, k) in H.edges else (q, p, k), set()).add(road)
                length += H.edges[(p, q, k) if (p, q, k) in H.edges else (q, p, k)]["length_m"]
                n_edges += 1
        report[road] = {
            "towns": len(towns),
            "edges": n_edges,
            "length_km": round(length / 1e3),
            "legs_not_traced": skipped,
        }
    for (u, v, k), roads in labels.items():
        d = H.edges[u, v, k]
        d["e_road"] = "|".join(sorted(roads, key=lambda s: (len(s), s)))
        if d.get("connector"):
            continue
        kph = d["length_m"] / max(d["travel_time_s"], 1e-9) * 3.6
        d["motorway"] = bool(d.get("straight")) and d["length_m"] >= 3000.0
        kph = 110.0 if d["motorway"] else min(kph + 10.0, 100.0)
        d["travel_time_s"] = d["length_m"] / (kph / 3.6)
    return H, report
