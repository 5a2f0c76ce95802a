# ruff: noqa: N803, N806  (G is the networkx/OSMnx name for a graph)
"""The engine that turns raw road/rail/sea layers into the bundled multimodal network.

Used by ``scripts/build_network.py`` (and by the tests on tiny fixtures). Everything works on an
undirected :class:`networkx.MultiGraph` in which each edge stores its geometry oriented from the
node in the edge attribute ``"_from"``; :func:`to_link_frames` writes each two-way link once and
:func:`routes.load_network` adds the reverse direction.

Assumptions (documented in data/README.md, section ``network``):

* Road speed (the source has no road classes), per source edge: the smaller of a speed by
  sinuosity (road length / straight line: 1.0 -> 100, 1.05 -> 90, 1.15 -> 70, 1.3 -> 55,
  >= 1.5 -> 40 km/h) and a speed by edge length (< 1 km -> 40-50, 3 km -> 70, >= 10 km -> 100
  km/h: short edges lie in towns); see :func:`road_speed_kph`. Merged chains keep the summed
  travel time. Edges on an E-road trace get +10 km/h (max 100) or, when straight (sinuosity
  <= 1.05 on every source piece) and >= 3 km long, the ``motorway`` flag and 110 km/h.
* Connector roads to BCPs the source has no road for: straight line x 1.5 at 40 km/h; joins
  across gaps of the source (< 1.5 km): straight line x 1.25 at 40 km/h.
* Rail: 60 km/h. Transfers (port/airport/station to road): straight line x 1.25 at 30 km/h.
* Sea: 35 km/h along the searoute lane plus 2 h boarding/disembarking per crossing.
* Border checks: half the delay on each edge touching a crossing node (so passing through costs
  the full delay): 1800 s at an EU external border crossing, 900 s otherwise; rail 1800 s.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point
from shapely.ops import substring

from routes._crs import to_crs, transform_xy

__all__ = [
    "BORDER_DELAY_EU_S",
    "BORDER_DELAY_S",
    "SEA_BOARDING_S",
    "SEA_SPEED_KPH",
    "add_border_delays",
    "add_ferries",
    "add_point_nodes",
    "assign_jurisdictions",
    "attach_crossings",
    "build_layer",
    "edge_threshold_m",
    "heal_components",
    "heal_gaps",
    "heal_t_junctions",
    "keep_main_component",
    "link_rail_to_road",
    "measure_m",
    "relabel_stable",
    "road_speed_kph",
    "simplify_chains",
    "slug",
    "to_link_frames",
    "trace_e_roads",
]

BORDER_DELAY_S = 900.0
BORDER_DELAY_EU_S = 1800.0
SEA_SPEED_KPH = 35.0
SEA_BOARDING_S = 7200.0
RAIL_SPEED_KPH = 60.0
CONNECTOR_SPEED_KPH = 40.0
TRANSFER_SPEED_KPH = 30.0
DETOUR = 1.25
CONNECTOR_DETOUR = 1.5
EU = frozenset({"HR", "SI", "HU", "RO", "BG", "GR", "IT", "AT"})

_TO_3035 = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)


def slug(text: str) -> str:
    """Upper-case ASCII slug of a name (``"Vlorë"`` -> ``"VLORE"``)."""
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9]+", "-", s.upper()).strip("-")


def _xy3035(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    return transform_xy(_TO_3035, lon, lat)


def measure_m(geoms: Iterable[Any]) -> np.ndarray:
    """Length in metres of 4326 line geometries, measured in EPSG:3035."""
    arr = np.asarray(list(geoms), dtype=object)
    if len(arr) == 0:
        return np.zeros(0)
    projected = shapely.transform(arr, lambda c: np.column_stack(_xy3035(c[:, 0], c[:, 1])))
    return np.asarray(shapely.length(projected), dtype=float)


def _dist_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    x, y = _xy3035([lon1, lon2], [lat1, lat2])
    return float(math.hypot(x[1] - x[0], y[1] - y[0]))


#: Speed (km/h) by sinuosity (road length / straight line) of a source edge ...
SINUOSITY_KPH = ((1.0, 1.05, 1.15, 1.3, 1.5), (100.0, 90.0, 70.0, 55.0, 40.0))
#: ... capped by the edge's length: short edges lie in towns and at junctions.
LENGTH_KPH = ((0.0, 1000.0, 3000.0, 10000.0), (40.0, 50.0, 70.0, 100.0))


def road_speed_kph(straightness: Any, length_m: Any) -> np.ndarray:
    """Speed assumption for source road edges (the source has no road classes).

    ``min(interp(sinuosity, SINUOSITY_KPH), interp(length_m, LENGTH_KPH))`` with sinuosity =
    1 / straightness: 100 km/h for a straight edge of 10 km or more, 70 km/h for a straight
    3 km edge or a 15 % winding one, 40 km/h for very winding roads or edges in towns.
    """
    sinuosity = 1.0 / np.clip(np.asarray(straightness, dtype=float), 1e-6, 1.0)
    by_shape = np.interp(sinuosity, *SINUOSITY_KPH)
    by_length = np.interp(np.asarray(length_m, dtype=float), *LENGTH_KPH)
    return np.minimum(by_shape, by_length)


# --------------------------------------------------------------------------- layers
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
    xu, yu = _xy3035(lon_u, lat_u)
    xv, yv = _xy3035(lon_v, lat_v)
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
    X, Y = _xy3035([H.nodes[n]["x"] for n in nodes], [H.nodes[n]["y"] for n in nodes])
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
        lambda c: np.column_stack(_xy3035(c[:, 0], c[:, 1])),
    )
    tree = shapely.STRtree(g3)
    nodes = [n for n in R.nodes if H.nodes[n].get("kind") == "junction"]
    X, Y = _xy3035([H.nodes[n]["x"] for n in nodes], [H.nodes[n]["y"] for n in nodes])
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
            _split_through(H, u, v, k, new, pt.x, pt.y)
            # the remaining part u -> new is the last edge added between u and new
            k = max(key for key in H[u][new])
            v = new
            length = max(_dist_m(pt.x, pt.y, H.nodes[n]["x"], H.nodes[n]["y"]) * DETOUR, 1.0)
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
        X, Y = _xy3035([H.nodes[n]["x"] for n in ns], [H.nodes[n]["y"] for n in ns])
        trees[j] = (cKDTree(np.column_stack([X, Y])), ns)
    joins = 0
    for comp in comps[1:]:
        best = None
        for n in comp:
            d = H.nodes[n]
            if d.get("kind") != "junction" or d.get("jurisdiction") not in trees:
                continue
            tree, ns = trees[d.get("jurisdiction")]
            X, Y = _xy3035([d["x"]], [d["y"]])
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


# --------------------------------------------------------------------------- crossings
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


def _split_through(
    G: nx.MultiGraph, u: Any, v: Any, k: Any, node: Any, px: float, py: float
) -> None:
    """Replace edge (u, v, k) by u -> node -> v, routed via the projection of the node."""
    d = G.edges[u, v, k]
    geom: LineString = d["geometry"]
    if d["_from"] != u:
        geom = shapely.reverse(geom)
    t = geom.project(Point(px, py), normalized=True)
    at = geom.interpolate(t, normalized=True)
    first = substring(geom, 0, t, normalized=True)
    second = substring(geom, t, 1, normalized=True)
    c1 = [c for c in first.coords] if first.length > 0 else [geom.coords[0]]
    c2 = [c for c in second.coords] if second.length > 0 else [geom.coords[-1]]
    g1 = LineString([*c1, (px, py)]) if len(c1) >= 1 else LineString([geom.coords[0], (px, py)])
    g2 = LineString([(px, py), *c2])
    off = _dist_m(at.x, at.y, px, py)
    speed = d["length_m"] / max(d["travel_time_s"], 1e-9)  # m/s
    base1, base2 = d["length_m"] * t, d["length_m"] * (1 - t)
    common = {k2: v2 for k2, v2 in d.items() if k2 not in ("geometry", "_from", "length_m")}
    for a, b, g, base in ((u, node, g1, base1), (node, v, g2, base2)):
        length = max(base + off, 1.0)
        G.add_edge(
            a,
            b,
            **{
                **common,
                "_from": a,
                "geometry": g,
                "length_m": length,
                "travel_time_s": length / speed,
            },
        )
    G.remove_edge(u, v, k)


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
    x3, y3 = _xy3035(cx.geometry.x.to_numpy(), cx.geometry.y.to_numpy())
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
            lambda c: np.column_stack(_xy3035(c[:, 0], c[:, 1])),
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
            _split_through(H, u, v, k, cnode[i], float(r.geometry.x), float(r.geometry.y))
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
    nX, nY = _xy3035(nx_, ny_)
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


def add_point_nodes(
    G: nx.MultiGraph,
    points: gpd.GeoDataFrame,
    *,
    kind: str,
    max_distance_m: float = 40000.0,
    target_layer: str = "road",
) -> nx.MultiGraph:
    """Add port/airport/river nodes (``node``, ``crossing_id``, ``name``, ``jurisdiction``,
    geometry) linked by a ``transfer`` edge to the nearest road node of their jurisdiction."""
    H = G.copy()
    tn = [
        n
        for n, d in H.nodes(data=True)
        if d.get("kind") == "junction" and d.get("layer") == target_layer
    ]
    tx = np.array([H.nodes[n]["x"] for n in tn])
    ty = np.array([H.nodes[n]["y"] for n in tn])
    tj = np.array([H.nodes[n].get("jurisdiction") for n in tn], dtype=object)
    tX, tY = _xy3035(tx, ty)
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
        if not len(m):
            continue
        pX, pY = _xy3035([px], [py])
        d2 = (tX[m] - pX[0]) ** 2 + (tY[m] - pY[0]) ** 2
        j = m[int(np.argmin(d2))]
        dist = float(math.sqrt(d2.min()))
        if dist > max_distance_m:
            continue
        length = max(dist * DETOUR, 50.0)
        H.add_edge(
            r.node,
            tn[j],
            _from=r.node,
            mode="transfer",
            length_m=length,
            travel_time_s=length / (TRANSFER_SPEED_KPH / 3.6),
            geometry=LineString([(px, py), (tx[j], ty[j])]),
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
    rX, rY = _xy3035(rx, ry)
    tree = shapely.STRtree(shapely.points(rX, rY))
    rail = [
        n
        for n, d in H.nodes(data=True)
        if d.get("layer") == "rail" and d["kind"] == "junction" and H.degree(n) != 2
    ]
    for n in rail:
        d = H.nodes[n]
        pX, pY = _xy3035([d["x"]], [d["y"]])
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


# --------------------------------------------------------------------------- E-roads
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
    rX, rY = _xy3035([H.nodes[n]["x"] for n in rn], [H.nodes[n]["y"] for n in rn])
    report: dict[str, dict[str, Any]] = {}
    labels: dict[tuple[Any, Any, Any], set[str]] = {}
    for road, towns in itineraries.items():
        tX, tY = _xy3035([t[0] for t in towns], [t[1] for t in towns])
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


# --------------------------------------------------------------------------- output
def relabel_stable(G: nx.MultiGraph) -> nx.MultiGraph:
    """Relabel nodes to integers 0..n-1 ordered by (kind, rounded lon, lat, original id)."""
    order = sorted(
        G.nodes(data=True),
        key=lambda nd: (
            nd[1].get("kind", ""),
            round(nd[1]["x"], 5),
            round(nd[1]["y"], 5),
            str(nd[0]),
        ),
    )
    mapping = {n: i for i, (n, _) in enumerate(order)}
    H = nx.relabel_nodes(G, mapping, copy=True)
    for _u, _v, d in H.edges(data=True):
        d["_from"] = mapping[d["_from"]]
    return H


def _round_geom(geoms: np.ndarray, ndigits: int = 5) -> np.ndarray:
    return shapely.transform(geoms, lambda c: np.round(c, ndigits))


def to_link_frames(G: nx.MultiGraph) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Node and link (one row per two-way link, ``u < v``) GeoDataFrames for writing."""
    nrows = []
    for n, d in G.nodes(data=True):
        nrows.append(
            {
                "node": int(n),
                "x": round(float(d["x"]), 5),
                "y": round(float(d["y"]), 5),
                "kind": d.get("kind", "junction"),
                "jurisdiction": d.get("jurisdiction"),
                "crossing_id": d.get("crossing_id"),
                "name": d.get("name"),
            }
        )
    nodes = pd.DataFrame(nrows).sort_values("node")
    nodes_gdf = gpd.GeoDataFrame(
        nodes, geometry=gpd.points_from_xy(nodes.x, nodes.y), crs="EPSG:4326"
    )
    erows = []
    geoms = []
    for u, v, _k, d in G.edges(keys=True, data=True):
        g = d["geometry"]
        a, b = (u, v) if d["_from"] == u else (v, u)
        if a > b:
            a, b = b, a
            g = shapely.reverse(g)
        length = float(d["length_m"])
        run_time = float(d.get("run_time_s", d["travel_time_s"]))
        erows.append(
            {
                "u": int(a),
                "v": int(b),
                "mode": d["mode"],
                "length_m": round(length, 1),
                "speed_kph": round(length / max(run_time, 1e-9) * 3.6, 1),
                "travel_time_s": round(float(d["travel_time_s"]), 1),
                "e_road": d.get("e_road"),
                "green_border": bool(d.get("green_border", False)),
                "border": d.get("border"),
                "motorway": bool(d.get("motorway", False)),
                "connector": bool(d.get("connector", False)),
            }
        )
        geoms.append(g)
    edges = pd.DataFrame(erows)
    edges["geometry"] = _round_geom(np.asarray(geoms, dtype=object))
    edges = edges.sort_values(["u", "v", "mode", "length_m"], kind="stable")
    edges.insert(2, "key", edges.groupby(["u", "v"]).cumcount().astype("int16"))
    edges_gdf = gpd.GeoDataFrame(edges.reset_index(drop=True), geometry="geometry", crs=4326)
    return nodes_gdf.reset_index(drop=True), edges_gdf
