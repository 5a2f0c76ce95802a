"""The bundled network as a graph: read once per process, filled on the graph's first read.

Private. :func:`bundled_graph` returns a new :class:`routes.network._tracked.BundledNetwork`
each call, marked with :func:`bundle_key` (the content of the bundled files and of the code
that builds the graph) and filled from the tables of ``data/network/`` when its dicts are
first read.
"""

from __future__ import annotations

import functools
from typing import Any

import networkx as nx
import pyarrow.parquet as pq
import shapely

from routes._paths import data_dir
from routes.network._key import bundle_key
from routes.network._tracked import BundledNetwork, WatchedDict, filled_as_bundle

__all__ = ["bundle_key", "bundled_graph"]

_EDGE_COLUMNS = (
    "mode",
    "length_m",
    "speed_kph",
    "travel_time_s",
    "e_road",
    "green_border",
    "border",
    "motorway",
    "connector",
)


@functools.lru_cache(maxsize=1)
def _bundled_tables() -> tuple[list[Any], list[dict[str, Any]], dict[str, Any]]:
    """Read data/network once per process: node ids, node attributes, edge columns."""
    folder = data_dir("network")
    nodes = pq.read_table(
        folder / "nodes.parquet",
        columns=["node", "x", "y", "kind", "jurisdiction", "crossing_id", "name"],
    )
    edges = pq.read_table(folder / "edges.parquet")
    node_ids = nodes.column("node").to_pylist()
    node_attrs = []
    for x, y, k, j, c, nm in zip(
        *(nodes.column(c).to_pylist() for c in ("x", "y", "kind", "jurisdiction")),
        nodes.column("crossing_id").to_pylist(),
        nodes.column("name").to_pylist(),
        strict=True,
    ):
        d: dict[str, Any] = {"x": x, "y": y, "kind": k, "jurisdiction": j}
        if c is not None:
            d["crossing_id"] = c
        if nm is not None:
            d["name"] = nm
        node_attrs.append(d)
    geoms = shapely.from_wkb(edges.column("geometry").to_numpy())
    cols: dict[str, Any] = {c: edges.column(c).to_pylist() for c in _EDGE_COLUMNS}
    cols["u"] = edges.column("u").to_pylist()
    cols["v"] = edges.column("v").to_pylist()
    cols["key"] = edges.column("key").to_pylist()
    cols["geometry"] = list(geoms)
    cols["reverse"] = list(shapely.reverse(geoms))
    return node_ids, node_attrs, cols


def bundled_graph() -> nx.MultiDiGraph:
    """A new graph of the bundled network: each stored link u->v plus its reverse v->u.

    Filled on the first read of its dicts (see :mod:`routes.network._tracked`).
    """
    G = BundledNetwork(crs="EPSG:4326", name="salw-routes bundled network")  # noqa: N806
    G.fill_later(bundle_key(), _fill_bundled, nodes=_bundled_node_count())
    return G


@functools.lru_cache(maxsize=1)
def _bundled_node_count() -> int:
    """Rows of the bundled nodes table (from the file's metadata, without reading it)."""
    return int(pq.read_metadata(data_dir("network") / "nodes.parquet").num_rows)


def _fill_bundled(G: BundledNetwork) -> None:  # noqa: N803 - networkx convention
    """Put the bundled network's nodes and edges into the empty graph ``G``."""
    if G.__dict__["_node"]:  # a shallow copy shares its dicts: filled through the other
        return
    node_ids, node_attrs, cols = _bundled_tables()
    edits = G.edits
    G.add_nodes_from((n, dict(d)) for n, d in zip(node_ids, node_attrs, strict=True))
    # Fill the adjacency dicts directly (networkx's documented layout: succ[u][v][key] ->
    # attribute dict, pred[v][u] the same key dict), 3x faster than add_edges_from.
    succ, pred = G._succ, G._pred
    us, vs, ks = cols["u"], cols["v"], cols["key"]
    fwd, bwd = cols["geometry"], cols["reverse"]
    columns = [(c, cols[c]) for c in _EDGE_COLUMNS]
    for i in range(len(us)):
        attrs = {c: values[i] for c, values in columns}
        for a, b, g in ((us[i], vs[i], fwd[i]), (vs[i], us[i], bwd[i])):
            keydict = succ[a].get(b)
            if keydict is None:
                keydict = succ[a][b] = pred[b][a] = {}
            keydict[ks[i]] = WatchedDict(edits, attrs, geometry=g)
    clear = getattr(nx, "_clear_cache", None)  # networkx >= 3.3 caches views and backends
    if clear is not None:
        clear(G)
    filled_as_bundle(G)
