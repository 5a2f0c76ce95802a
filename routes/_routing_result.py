"""Build the wide ``routes`` and ``legs`` GeoDataFrames of a RouteResult on demand.

Private.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from routes._routing_core import ATTR_COLUMNS

if TYPE_CHECKING:
    import geopandas as gpd

    from routes.routing import RouteResult

__all__ = ["build_legs", "build_path_table", "build_routes"]

# the incident attributes carried onto each route row: all that routing keeps but the id (which
# leads the table) and the reader's source_row
_INCIDENT_FIELDS = tuple(c for c in ATTR_COLUMNS if c not in ("incident_id", "source_row"))


def build_path_table(result: RouteResult) -> gpd.GeoDataFrame:
    import geopandas as gpd

    from routes._routing_engine import graph_index
    from routes._routing_geom import edge_slices_geometries

    ix = graph_index(result.graph)
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
    geom = np.asarray(pt.geometry.values, dtype=object)[pid]
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geom, crs="EPSG:4326"), crs="EPSG:4326")


def build_legs(result: RouteResult) -> gpd.GeoDataFrame:
    import geopandas as gpd

    from routes._routing_engine import graph_index
    from routes._routing_geom import edge_slices_geometries

    ix = graph_index(result.graph)
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
    }
    geom = leg_geom[leg_rows] if len(leg_rows) else np.zeros(0, dtype=object)
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geom, crs="EPSG:4326"), crs="EPSG:4326")
