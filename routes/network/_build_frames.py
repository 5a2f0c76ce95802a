# ruff: noqa: N803, N806  (G is the networkx/OSMnx name for a graph)
"""Build step 6: stable node ids and the node/link frames written to ``data/network`` (see
:mod:`routes.network._build`)."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely

__all__ = [
    "relabel_stable",
    "to_link_frames",
]


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
