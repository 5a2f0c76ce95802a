# ruff: noqa: N803, N806  (G is the networkx/OSMnx name for a graph)
"""Build step 3: heal the simplified source - gaps, T-junctions, separate components (see
:mod:`routes.network._build`)."""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import shapely
from shapely.geometry import LineString, Point

from routes.network._build_base import (
    CONNECTOR_SPEED_KPH,
    DETOUR,
    dist_m,
    split_through,
    xy3035,
)

__all__ = [
    "heal_components",
    "heal_gaps",
    "heal_t_junctions",
]


def heal_gaps(
    G: nx.MultiGraph, *, mode: str = "road", max_gap_m: float = 1500.0, ratio: float = 4.0
) -> tuple[nx.MultiGraph, int]:
    """Join nodes of ``mode`` closer than ``max_gap_m`` (same jurisdiction) that the graph
    does not link within ``ratio`` x their distance + 3 km: the simplified source often stops
    a road a few hundred metres short of the road it meets. The joins are ``connector=True``
    edges (straight line x 1.25 at 40 km/h). Returns the new graph and the number of joins.
    """
    from scipy.spatial import cKDTree

    H = G.copy()
    R = nx.Graph()
    for u, v, d in H.edges(data=True):
        if d["mode"] == mode:
            w = d["length_m"]
            if not R.has_edge(u, v) or R.edges[u, v]["w"] > w:
                R.add_edge(u, v, w=w)
    nodes = [n for n in R.nodes if H.nodes[n].get("kind") == "junction"]
    if len(nodes) < 2:
        return H, 0
    X, Y = xy3035([H.nodes[n]["x"] for n in nodes], [H.nodes[n]["y"] for n in nodes])
    pairs = cKDTree(np.column_stack([X, Y])).query_pairs(max_gap_m, output_type="ndarray")
    joins = 0
    for i, j in sorted(pairs.tolist()):
        u, v = nodes[i], nodes[j]
        if H.nodes[u].get("jurisdiction") != H.nodes[v].get("jurisdiction"):
            continue
        d = float(np.hypot(X[i] - X[j], Y[i] - Y[j]))
        reach = nx.single_source_dijkstra_path_length(R, u, cutoff=ratio * d + 3000.0, weight="w")
        if v in reach:
            continue
        length = max(d * DETOUR, 1.0)
        R.add_edge(u, v, w=length)
        H.add_edge(
            u,
            v,
            _from=u,
            mode=mode,
            connector=True,
            length_m=length,
            travel_time_s=length / (CONNECTOR_SPEED_KPH / 3.6),
            straight=False,
            geometry=LineString(
                [(H.nodes[u]["x"], H.nodes[u]["y"]), (H.nodes[v]["x"], H.nodes[v]["y"])]
            ),
        )
        joins += 1
    return H, joins


def heal_t_junctions(
    G: nx.MultiGraph,
    *,
    mode: str = "road",
    base_m: float = 1500.0,
    share: float = 0.05,
    cap_m: float = 6000.0,
    ratio: float = 4.0,
) -> tuple[nx.MultiGraph, int]:
    """Join nodes to a nearby long edge of the same jurisdiction that passes them unlinked.

    The source's long edges are straight chords of roads whose junctions were simplified away
    (e.g. the E75 chord Paracin-Leskovac passes Nis 4.5 km off). A node within
    ``max(base_m, min(cap_m, share x edge length))`` of such an edge, and not linked to either
    end within ``ratio`` x that distance + 3 km, gets a new junction on the edge (at its
    projection, lengths split pro rata) and a ``connector=True`` edge to it.
    """
    H = G.copy()
    R = nx.Graph()
    for u, v, d in H.edges(data=True):
        if d["mode"] == mode:
            R.add_edge(
                u,
                v,
                w=min(d["length_m"], R.edges[u, v]["w"]) if R.has_edge(u, v) else d["length_m"],
            )
    edges = [
        (u, v, k)
        for u, v, k, d in H.edges(keys=True, data=True)
        if d["mode"] == mode
        and not d.get("connector")
        and H.nodes[u].get("jurisdiction") == H.nodes[v].get("jurisdiction")
        and H.nodes[u].get("kind") == "junction"
        and H.nodes[v].get("kind") == "junction"
    ]
    if not edges:
        return H, 0
    g3 = shapely.transform(
        np.asarray([H.edges[e]["geometry"] for e in edges], dtype=object),
        lambda c: np.column_stack(xy3035(c[:, 0], c[:, 1])),
    )
    tree = shapely.STRtree(g3)
    nodes = [n for n in R.nodes if H.nodes[n].get("kind") == "junction"]
    X, Y = xy3035([H.nodes[n]["x"] for n in nodes], [H.nodes[n]["y"] for n in nodes])
    plan: dict[int, list[tuple[float, Any]]] = {}
    for n, px, py in zip(nodes, X, Y, strict=True):
        p = Point(px, py)
        best = None
        for i in tree.query(p, predicate="dwithin", distance=cap_m):
            u, v, _k = edges[i]
            if n in (u, v) or H.nodes[u].get("jurisdiction") != H.nodes[n].get("jurisdiction"):
                continue
            d = float(g3[i].distance(p))
            limit = max(base_m, min(cap_m, share * H.edges[edges[i]]["length_m"]))
            if d <= limit and (best is None or d < best[1]):
                best = (i, d)
        if best is None:
            continue
        i, d = best
        u, v, _k = edges[i]
        reach = nx.single_source_dijkstra_path_length(R, n, cutoff=ratio * d + 3000.0, weight="w")
        if u in reach or v in reach:
            continue
        t = float(g3[i].project(p, normalized=True))
        if 0.001 < t < 0.999:  # a projection onto an end is a gap, not a T-junction
            plan.setdefault(i, []).append((t, n))
    joins = 0
    for i, items in plan.items():
        u, v, k = edges[i]
        # split at the projections from v's end backwards so earlier splits stay valid
        d = H.edges[u, v, k]
        geom = d["geometry"] if d["_from"] == u else shapely.reverse(d["geometry"])
        for t, n in sorted(items, reverse=True):
            pt = geom.interpolate(t, normalized=True)
            new = f"j:{n}"
            if new in H:
                continue
            H.add_node(
                new,
                x=pt.x,
                y=pt.y,
                kind="junction",
                layer=mode,
                jurisdiction=H.nodes[u].get("jurisdiction"),
            )
            split_through(H, u, v, k, new, pt.x, pt.y)
            # the remaining part u -> new is the last edge added between u and new
            k = max(key for key in H[u][new])
            v = new
            length = max(dist_m(pt.x, pt.y, H.nodes[n]["x"], H.nodes[n]["y"]) * DETOUR, 1.0)
            H.add_edge(
                n,
                new,
                _from=n,
                mode=mode,
                connector=True,
                length_m=length,
                travel_time_s=length / (CONNECTOR_SPEED_KPH / 3.6),
                straight=False,
                geometry=LineString([(H.nodes[n]["x"], H.nodes[n]["y"]), (pt.x, pt.y)]),
            )
            joins += 1
    return H, joins


def heal_components(
    G: nx.MultiGraph,
    land: Any,
    *,
    mode: str = "road",
    max_m: float = 30000.0,
) -> tuple[nx.MultiGraph, int]:
    """Join each smaller component of ``mode`` to the largest by one connector over land.

    The closest node pair of the same jurisdiction within ``max_m`` whose straight line lies on
    ``land`` (a shapely geometry, the union of the country outlines, so islands stay
    islands) gets a ``connector=True`` edge (straight line x 1.25 at 40 km/h).
    """
    from scipy.spatial import cKDTree

    H = G.copy()
    sub = nx.Graph()
    sub.add_edges_from((u, v) for u, v, m in H.edges(data="mode") if m == mode)
    comps = sorted(nx.connected_components(sub), key=len, reverse=True)
    if len(comps) < 2:
        return H, 0
    shapely.prepare(land)
    main = comps[0]
    by_jur: dict[Any, list[Any]] = {}
    for n in main:
        if H.nodes[n].get("kind") == "junction":
            by_jur.setdefault(H.nodes[n].get("jurisdiction"), []).append(n)
    trees = {}
    for j, ns in by_jur.items():
        X, Y = xy3035([H.nodes[n]["x"] for n in ns], [H.nodes[n]["y"] for n in ns])
        trees[j] = (cKDTree(np.column_stack([X, Y])), ns)
    joins = 0
    for comp in comps[1:]:
        best = None
        for n in comp:
            d = H.nodes[n]
            if d.get("kind") != "junction" or d.get("jurisdiction") not in trees:
                continue
            tree, ns = trees[d.get("jurisdiction")]
            X, Y = xy3035([d["x"]], [d["y"]])
            dist, i = tree.query([X[0], Y[0]])
            if dist <= max_m and (best is None or dist < best[0]):
                line = LineString([(d["x"], d["y"]), (H.nodes[ns[i]]["x"], H.nodes[ns[i]]["y"])])
                if land.contains(line):
                    best = (float(dist), n, ns[i], line)
        if best is None:
            continue
        dist, a, b, line = best
        length = max(dist * DETOUR, 1.0)
        H.add_edge(
            a,
            b,
            _from=a,
            mode=mode,
            connector=True,
            length_m=length,
            travel_time_s=length / (CONNECTOR_SPEED_KPH / 3.6),
            straight=False,
            geometry=line,
        )
        joins += 1
    return H, joins
