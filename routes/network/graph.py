# ruff: noqa: N803, N806  (G is the networkx/OSMnx name for a graph)
"""The routable multimodal network: load it, convert it, find nodes on it.

The bundled network (``data/network``) covers the whole region the tool accepts points in:
the roads and railways of the six Western Balkan jurisdictions and of their nine neighbours
(Italy, Greece and Türkiye west of 30°E with their islands), the Adriatic/Ionian ferry lines
and the domestic lines to the islands; see data/README.md (section ``network``) for sources,
licences (OpenStreetMap-derived: ODbL, "© OpenStreetMap contributors") and the travel-time
assumptions. Graphs follow OSMnx conventions: a
:class:`networkx.MultiDiGraph` with node ``x``/``y`` (EPSG:4326), edge ``length_m`` and
``geometry`` and ``G.graph["crs"]``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString

from routes._crs import shared_transformer, transform_xy
from routes._errors import Problem, ValidationError
from routes.network._bundled import bundled_graph
from routes.network._formats import network_format, read_gml
from routes.network._io import (
    fill_jurisdictions,
    frame_problems,
    read_graphml,
    read_lines,
    validate_graph,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "attach_crossings",
    "crossing_nodes",
    "graph_from_gdfs",
    "graph_to_gdfs",
    "load_network",
    "nearest_node",
    "nearest_nodes",
]

_LINE_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".parquet", ".geoparquet", ".fgb")


def load_network(*, path: str | Path | None = None, layer: str | None = None) -> nx.MultiDiGraph:
    """Load the bundled network, or a user's own network in its place.

    Parameters
    ----------
    path
        ``None`` for the bundled network (files read once per process; every call returns
        a new graph). Otherwise an
        OSMnx (1.x or 2.x) GraphML file, recognised by its content whatever its extension
        (``.graphml``, ``.gml``, ``.xml``: OSMnx ``length`` becomes ``length_m``, a projected
        ``crs`` is reprojected to EPSG:4326, ``int_ref``/``ref`` "E 75" become ``e_road``) or a
        GeoPackage/GeoJSON/GeoParquet/Shapefile of lines (nodes are the line ends; optional
        columns ``mode``, ``speed_kph``, ``oneway``, ``e_road``, ``name``, ``motorway``). Edges
        without a speed get 60 km/h; nodes get their ``jurisdiction`` by point in polygon. A
        true GML file (``graph [ node [ id 0 x 20.4 y 44.8 ] ... ]``) is read when its nodes
        have ``x``/``y``, else refused with one line naming what is missing.
    layer
        Layer of a multi-layer GeoPackage.

    Returns
    -------
    networkx.MultiDiGraph
        A new graph (the caller may change it freely) with ``G.graph["crs"] == "EPSG:4326"``.

    Raises
    ------
    ValidationError
        The file is missing, of an unknown type, or breaks the network contract; every
        problem is listed with the value and the fix.

    Examples
    --------
    >>> G = load_network()
    >>> G.graph["crs"]
    'EPSG:4326'
    >>> sorted({mode for _, _, mode in G.edges(data="mode")})
    ['rail', 'road', 'sea', 'transfer']
    """
    if path is None:
        return bundled_graph()
    p = Path(path)
    if not p.exists():
        raise ValidationError(
            Problem(
                f"network file not found: {p}; give the path of an OSMnx GraphML file or a "
                "GeoPackage of lines, or path=None for the bundled network",
                file=str(p),
                reason="not_found",
            )
        )
    suffix = p.suffix.lower()
    kind = network_format(p) if p.is_file() else None
    if kind == "graphml" or (kind is None and suffix == ".graphml"):
        G = read_graphml(p)
    elif kind == "gml":
        G = read_gml(p)
    elif suffix in _LINE_SUFFIXES or suffix == ".gml":  # .gml: GraphML/GML above, else OGC GML
        G = read_lines(p, layer=layer)
    else:
        raise ValidationError(
            Problem(
                f"unknown network file type {suffix!r} ({p.name}): its content is neither "
                "GraphML nor GML; use GraphML (OSMnx, any extension), GML with node x/y, or "
                f"a line file ({', '.join(_LINE_SUFFIXES)})",
                file=str(p),
                value=suffix,
                reason="unknown_format",
            )
        )
    if G.number_of_edges() == 0:
        raise ValidationError(
            Problem(
                f"{p.name} holds no edges; a network needs at least one line",
                file=str(p),
                reason="empty",
            )
        )
    validate_graph(G, file=str(p))
    return G


def graph_to_gdfs(
    G: nx.MultiDiGraph, *, nodes: bool = True, edges: bool = True
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame] | gpd.GeoDataFrame:
    """Convert a network to GeoDataFrames (as OSMnx ``graph_to_gdfs``).

    Parameters
    ----------
    G
        The network; not changed.
    nodes, edges
        Which frames to return.

    Returns
    -------
    GeoDataFrame or (nodes, edges)
        ``nodes`` indexed by node id (``"node"``) with every node attribute and a Point
        geometry from ``x``/``y``; ``edges`` indexed by ``(u, v, key)`` with every edge
        attribute (a missing geometry becomes the straight line between the nodes). Both carry
        ``G.graph["crs"]``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(crs="EPSG:4326")
    >>> G.add_node(1, x=20.0, y=44.0); G.add_node(2, x=20.1, y=44.0)
    >>> _ = G.add_edge(1, 2, length_m=8000.0, mode="road")
    >>> n, e = graph_to_gdfs(G)
    >>> list(e.index)
    [(1, 2, 0)]
    """
    if not nodes and not edges:
        raise ValueError("graph_to_gdfs: nodes=False and edges=False; ask for at least one")
    crs = G.graph.get("crs")
    if crs is None:
        raise ValidationError(
            Problem(
                "the graph has no G.graph['crs']; set it, e.g. G.graph['crs'] = 'EPSG:4326'",
                column="crs",
                reason="missing_crs",
            )
        )
    out: list[gpd.GeoDataFrame] = []
    if nodes:
        ids = list(G.nodes)
        data = [dict(d) for _, d in G.nodes(data=True)]
        ndf = pd.DataFrame(data, index=pd.Index(ids, name="node"))
        if len(ids) and ("x" not in ndf.columns or "y" not in ndf.columns):
            raise ValidationError(
                Problem(
                    "graph nodes need 'x' and 'y' attributes (OSMnx convention)",
                    column="x",
                    reason="missing_column",
                )
            )
        geom = gpd.points_from_xy(ndf["x"], ndf["y"]) if len(ids) else []
        out.append(gpd.GeoDataFrame(ndf, geometry=geom, crs=crs))
    if edges:
        rows, geoms, index = [], [], []
        for u, v, k, d in G.edges(keys=True, data=True):
            attrs = {c: val for c, val in d.items() if c != "geometry"}
            g = d.get("geometry")
            if g is None:
                a, b = G.nodes[u], G.nodes[v]
                g = LineString([(a["x"], a["y"]), (b["x"], b["y"])])
            rows.append(attrs)
            geoms.append(g)
            index.append((u, v, k))
        edf = pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(index, names=["u", "v", "key"]))
        out.append(gpd.GeoDataFrame(edf, geometry=geoms, crs=crs))
    return out[0] if len(out) == 1 else (out[0], out[1])


def graph_from_gdfs(
    nodes: gpd.GeoDataFrame,
    edges: gpd.GeoDataFrame,
    *,
    graph_attrs: dict[str, Any] | None = None,
) -> nx.MultiDiGraph:
    """Build a network from node and edge GeoDataFrames (inverse of :func:`graph_to_gdfs`).

    Parameters
    ----------
    nodes
        Indexed by node id; ``x``/``y`` columns (taken from Point geometries when missing).
    edges
        Indexed by ``(u, v, key)`` or with ``u``, ``v`` (and optional ``key``) columns; every
        column becomes an edge attribute, ``geometry`` included. Not changed.
    graph_attrs
        Extra graph attributes; ``crs`` defaults to ``nodes.crs``.

    Returns
    -------
    networkx.MultiDiGraph

    Raises
    ------
    ValidationError
        Missing CRS, missing ``u``/``v``, or edges whose ends are not in ``nodes``.
    """
    problems: list[Problem] = []
    if nodes.crs is None:
        problems.append(
            Problem(
                "the nodes GeoDataFrame has no CRS; set one (nodes.set_crs('EPSG:4326'))",
                column="geometry",
                reason="missing_crs",
            )
        )
    e = edges.reset_index() if isinstance(edges.index, pd.MultiIndex) else edges.copy()
    if "key" not in e.columns and {"u", "v"} <= set(e.columns):
        e["key"] = e.groupby(["u", "v"]).cumcount()
    problems += frame_problems(e, ("u", "v"), "the edges GeoDataFrame")
    if problems:
        raise ValidationError(problems)
    dup = nodes.index[nodes.index.duplicated()].unique().tolist()
    if dup:
        raise ValidationError(
            Problem(
                f"node ids must be unique; repeated: {dup[:10]!r}; drop or renumber the "
                "duplicate rows of the nodes frame",
                column="node",
                value=dup[:10],
                reason="duplicate_node",
            )
        )
    n = nodes.copy()
    if "x" not in n.columns or "y" not in n.columns:
        n["x"] = n.geometry.x
        n["y"] = n.geometry.y
    known = set(n.index)
    for i, (u, v) in enumerate(zip(e["u"], e["v"], strict=True), start=1):
        for end, val in (("u", u), ("v", v)):
            if val not in known:
                problems.append(
                    Problem(
                        f"edge end {end}={val!r} is not a node id of the nodes frame; add the "
                        "node or fix the id",
                        row=i,
                        column=end,
                        value=val,
                        reason="unknown_node",
                    )
                )
    if problems:
        raise ValidationError(problems)
    attrs = {"crs": nodes.crs.to_string() if nodes.crs is not None else None}
    attrs.update(graph_attrs or {})
    G = nx.MultiDiGraph(**attrs)
    ncols = [c for c in n.columns if c != n.geometry.name]
    for node_id, rec in zip(n.index, n[ncols].to_dict("records"), strict=True):
        G.add_node(node_id, **{c: val for c, val in rec.items() if not _missing(val)})
    ecols = [c for c in e.columns if c not in ("u", "v", "key")]
    for (u, v, k), rec in zip(
        e[["u", "v", "key"]].itertuples(index=False, name=None),
        e[ecols].to_dict("records"),
        strict=True,
    ):
        G.add_edge(u, v, key=k, **{c: val for c, val in rec.items() if not _missing(val)})
    return G


def _missing(val: Any) -> bool:
    if val is None:
        return True
    if isinstance(val, float):
        return bool(np.isnan(val))
    return val is pd.NA or val is pd.NaT


def _candidates(G: nx.MultiDiGraph, mode: str | None) -> list[Any]:
    if mode is None:
        return list(G.nodes)
    seen: dict[Any, None] = {}
    for u, v, m in G.edges(data="mode"):
        if m == mode:
            seen[u] = None
            seen[v] = None
    return [n for n in seen if G.nodes[n].get("kind", "junction") == "junction"]


def nearest_nodes(
    G: nx.MultiDiGraph,
    lon: Iterable[float],
    lat: Iterable[float],
    *,
    mode: str | None = "road",
    return_dist: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Nearest junction of ``mode`` edges to each (lon, lat), measured in EPSG:3035.

    Parameters
    ----------
    G
        The network (EPSG:4326 node coordinates).
    lon, lat
        Coordinates in EPSG:4326.
    mode
        Only nodes on edges of this mode ("road", "rail", ...); ``None`` for any node.
    return_dist
        Also return the distances in metres.
    """
    from scipy.spatial import cKDTree

    cand = _candidates(G, mode)
    if not cand:
        raise ValidationError(
            Problem(
                f"the graph has no junction on {mode!r} edges; use mode=None or another mode",
                column="mode",
                value=mode,
                reason="no_nodes",
            )
        )
    cx, cy = transform_xy(
        shared_transformer("EPSG:4326", "EPSG:3035"),
        [G.nodes[n]["x"] for n in cand],
        [G.nodes[n]["y"] for n in cand],
    )
    qx, qy = transform_xy(shared_transformer("EPSG:4326", "EPSG:3035"), list(lon), list(lat))
    dist, idx = cKDTree(np.column_stack([cx, cy])).query(np.column_stack([qx, qy]))
    ids = np.empty(len(idx), dtype=object)
    ids[:] = [cand[i] for i in idx]
    return (ids, np.asarray(dist)) if return_dist else ids


def nearest_node(G: nx.MultiDiGraph, lon: float, lat: float, *, mode: str | None = "road") -> Any:
    """Nearest junction of ``mode`` edges to one point (see :func:`nearest_nodes`).

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(crs="EPSG:4326")
    >>> G.add_node("a", x=20.0, y=44.0); G.add_node("b", x=21.0, y=44.0)
    >>> _ = G.add_edge("a", "b", mode="road", length_m=80000.0)
    >>> nearest_node(G, 20.9, 44.1)
    'b'
    """
    ids = nearest_nodes(G, [lon], [lat], mode=mode)
    return ids[0]


def crossing_nodes(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Map every ``crossing_id`` carried by a node (crossings, ports, airports) to its node."""
    return {d["crossing_id"]: n for n, d in G.nodes(data=True) if d.get("crossing_id")}


_EDGE_DEFAULTS: dict[str, Any] = {
    "e_road": None,
    "green_border": False,
    "border": None,
    "motorway": False,
    "connector": False,
}


def attach_crossings(
    G: nx.MultiDiGraph,
    crossings: gpd.GeoDataFrame | None = None,
    *,
    threshold_m: float = 5000.0,
) -> nx.MultiDiGraph:
    """Insert border crossing points into a network that has none (e.g. a user's own).

    The same method that built the bundled network: every road (rail) edge whose ends lie in
    two jurisdictions is routed through the nearest road (rail) crossing of that pair within
    ``max(threshold_m, min(30 km, half the edge length))``; the others get
    ``green_border=True`` and ``border="A-B"`` when the table has crossings for that pair.
    A crossing no edge passes is linked by ``connector=True`` edges (straight line x 1.5 at
    40 km/h) to the nearest node on each side. Edges touching a crossing get half the border
    delay each (15 min in all, 30 min at an EU external border). One-way edges stay one-way.

    Parameters
    ----------
    G
        The network (not changed). Nodes without ``jurisdiction`` get one by point in polygon.
    crossings
        A crossings table as :func:`routes.load_crossings` returns; default the bundled one.
        Only its ``road`` and ``rail`` rows are used.
    threshold_m
        The smallest distance within which an edge is taken to pass a crossing.

    Returns
    -------
    networkx.MultiDiGraph
        A new graph with crossing nodes (``kind="crossing"``, ``crossing_id``, ``name``).

    Raises
    ------
    ValidationError
        ``G`` already has crossing nodes, or a crossing has no node of its mode on one side.
    """
    from routes.network import _build as nb

    already = [n for n, k in G.nodes(data="kind") if k == "crossing"]
    if already:
        raise ValidationError(
            Problem(
                f"the graph already has {len(already)} crossing node(s) (e.g. "
                f"{G.nodes[already[0]].get('crossing_id')!r}); attach crossings to a network "
                "without them, e.g. one read with load_network(path=...)",
                value=len(already),
                reason="has_crossings",
            )
        )
    if crossings is None:
        from routes.geo.borders import load_crossings

        crossings = load_crossings()
    H = G.copy()
    fill_jurisdictions(H)
    U = nx.MultiGraph()
    U.add_nodes_from((n, {"kind": "junction", **d}) for n, d in H.nodes(data=True))
    used: set[tuple[Any, Any, Any]] = set()
    for u, v, k, d in H.edges(keys=True, data=True):
        if (u, v, k) in used:
            continue
        used.add((u, v, k))
        back = None
        for k2, d2 in H.get_edge_data(v, u, default={}).items():
            if (v, u, k2) not in used and d2.get("length_m") == d.get("length_m"):
                back = (v, u, k2)
                break
        if back is not None:
            used.add(back)
        geom = d.get("geometry")
        if geom is None:
            geom = LineString(
                [(H.nodes[u]["x"], H.nodes[u]["y"]), (H.nodes[v]["x"], H.nodes[v]["y"])]
            )
        U.add_edge(u, v, **{**d, "geometry": geom, "_from": u, "_oneway": back is None})
    for n in U.nodes:  # connectors of a rail crossing go to rail nodes, road to road
        modes = {m for _, _, m in U.edges(n, data="mode")}
        U.nodes[n]["layer"] = "rail" if modes == {"rail"} else "road"
    problems: list[Problem] = []
    for mode in ("road", "rail"):
        rows = crossings[crossings["mode"] == mode]
        if not len(rows) or not any(m == mode for _, _, m in U.edges(data="mode")):
            continue
        try:
            U, _ = nb.attach_crossings(U, rows, mode=mode, base_threshold_m=threshold_m)
        except ValueError as exc:
            problems.append(
                Problem(f"{exc}; add roads there or drop the crossing", reason="no_side")
            )
    if problems:
        raise ValidationError(problems)
    U = nb.add_border_delays(U)
    out = nx.MultiDiGraph(**H.graph)
    for n, d in U.nodes(data=True):
        out.add_node(n, **{c: val for c, val in d.items() if c not in ("layer", "eu_external")})
    fill_jurisdictions(out)
    for u, v, d in U.edges(data=True):
        a, b = (u, v) if d["_from"] == u else (v, u)
        attrs = {**_EDGE_DEFAULTS}
        attrs.update(
            {
                c: val
                for c, val in d.items()
                if c not in ("_from", "_oneway", "straight", "run_time_s")
            }
        )
        if "speed_kph" not in attrs:  # connectors: their assumed running speed
            run = d.get("run_time_s", d["travel_time_s"])
            attrs["speed_kph"] = round(d["length_m"] / max(run, 1e-9) * 3.6, 1)
        out.add_edge(a, b, **attrs)
        if not d.get("_oneway"):
            out.add_edge(b, a, **{**attrs, "geometry": shapely.reverse(d["geometry"])})
    return out
