"""The :class:`GraphIndex` of a graph, built once per graph and, for the bundled network, once.

Private. :func:`graph_index` keeps the index of each graph in memory for the life of the
graph. For the bundled network exactly as :func:`routes.network.load_network` gave it (no
attribute changed, no node or edge added or removed: :func:`routes.network.pristine_network_key`)
the index also lives in the on-disk cache (:mod:`routes._cache`), keyed by the bundle's
content and by this code, so that a new process loads it instead of walking 85,000 edge dicts
(about 0.2 s): :func:`index_arrays` and :func:`index_from_arrays` turn an index into arrays of
numbers and fixed-width text and back, and give an index equal to the one built.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import numpy as np

from routes.routing._engine import GraphIndex

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["adopt_index", "bundled_index", "graph_index", "index_arrays", "index_from_arrays"]

_INDEX_CACHE: weakref.WeakKeyDictionary[Any, tuple[GraphIndex, int]] = weakref.WeakKeyDictionary()
_FORMAT = 2
# text columns: object arrays of str or None
_NODE_TEXT = ("kind", "jurisdiction", "crossing_id", "name")
_EDGE_TEXT = ("mode", "e_road", "border")
_NUMERIC = (
    "x",
    "y",
    "is_official",
    "official_nodes",
    "u",
    "v",
    "green_border",
    "motorway",
    "length_m",
    "travel_time_s",
    "coords",
    "coord_start",
    "coord_count",
    "on_road",
)


def graph_index(G: nx.MultiDiGraph) -> GraphIndex:  # noqa: N803 - networkx convention
    """The cached :class:`GraphIndex` of a graph (rebuilt when its size changed).

    The bundled network counts the changes of its attribute dicts (set, delete, update; an
    added node or edge too): its index is rebuilt after one, and after a change of its node
    count. A removed edge is counted by neither, and another graph counts nothing: such a
    graph must not be changed in place after it has been routed on (counting the edges of a
    MultiDiGraph walks them all, so only the node count is checked).
    """
    from routes.network import edit_count

    edits = edit_count(G)
    got = _INDEX_CACHE.get(G)
    if got is not None and got[0].n_nodes_graph == G.number_of_nodes() and got[1] == edits:
        return got[0]
    idx = _bundled_index(G)
    if idx is None:
        idx = GraphIndex(G)
    _INDEX_CACHE[G] = (idx, edits)
    return idx


def _bundled_index(G: Any) -> GraphIndex | None:  # noqa: N803
    """The index of the unchanged bundled network from the on-disk cache (None otherwise)."""
    from routes.network import pristine_network_key

    key = pristine_network_key(G)
    if key is None:
        return None
    return _cached_index(key, lambda: G)[0]


def bundled_index() -> tuple[GraphIndex, Any]:
    """The index of the bundled network, read from the on-disk cache without the graph (and
    without networkx); the graph too when the cache had to be filled (else None).

    A graph that :func:`routes.network.load_network` gives later is the same network: hand
    it to :func:`adopt_index` and :func:`graph_index` returns this index for it.
    """
    from routes.network import bundle_key

    def load() -> Any:
        from routes.network import load_network

        return load_network()

    return _cached_index(bundle_key(), load)


def adopt_index(G: Any, index: GraphIndex) -> None:  # noqa: N803 - networkx convention
    """Let ``index`` (of the bundled network) be the index of ``G``, a fresh bundled graph."""
    from routes.network import edit_count, pristine_network_key

    if pristine_network_key(G) is None:
        raise ValueError("only an unchanged bundled network adopts the bundled index")
    _INDEX_CACHE[G] = (index, edit_count(G))


def _cached_index(key: str, graph: Any) -> tuple[GraphIndex, Any]:
    """The cached index of the bundled network of content ``key``; on a miss it is built from
    ``graph()`` (returned too, else None)."""
    import shapely

    from routes._cache import cached_arrays
    from routes.routing import _engine

    built: list[tuple[GraphIndex, Any]] = []

    def build() -> dict[str, np.ndarray]:
        G = graph()  # noqa: N806
        built.append((GraphIndex(G), G))
        return index_arrays(built[0][0])

    arrays = cached_arrays(
        "graph_index",
        sources=[__file__, _engine.__file__],
        build=build,
        version=_FORMAT,
        extra=(key, f"shapely {shapely.__version__}", f"numpy {np.__version__}"),
    )
    # a miss keeps the index just built (the arrays are only its copy for the next process)
    return built[0] if built else (index_from_arrays(arrays), None)


def _text(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Text values (str or None) as their distinct values and a code per value (-1 = None)."""
    present = [v for v in values if v is not None]
    uniques = sorted(set(present))
    code_of = {v: i for i, v in enumerate(uniques)}
    codes = np.array([-1 if v is None else code_of[v] for v in values], dtype=np.int32)
    return np.array(uniques, dtype=str) if uniques else np.zeros(0, dtype="U1"), codes


def _untext(uniques: np.ndarray, codes: np.ndarray) -> np.ndarray:
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:-1] = uniques.tolist()
    table[-1] = None
    return table[codes]


def index_arrays(ix: GraphIndex) -> dict[str, np.ndarray]:
    """The arrays of an index (numbers and fixed-width text only; see the module docstring).

    Only an index whose node ids and edge keys are integers is stored (the bundled
    network's); :func:`index_from_arrays` rebuilds everything else from these.
    """
    out: dict[str, np.ndarray] = {name: np.asarray(getattr(ix, name)) for name in _NUMERIC}
    for name in _NODE_TEXT + _EDGE_TEXT:
        out[f"{name}_values"], out[f"{name}_codes"] = _text(getattr(ix, name))
    out["nodes"] = np.array(ix.nodes, dtype=np.int64)
    out["key"] = np.array(ix.key, dtype=np.int64)
    out["sizes"] = np.array([ix.n_nodes_graph, ix.n, ix.m, ix.n_edges_graph], dtype=np.int64)
    cids = sorted(ix.crossing_node)
    out["crossing_ids"] = np.array(cids, dtype=str) if cids else np.zeros(0, dtype="U1")
    out["crossing_nodes"] = np.array([ix.crossing_node[c] for c in cids], dtype=np.int64)
    return out


def index_from_arrays(arrays: dict[str, np.ndarray]) -> GraphIndex:
    """The :class:`GraphIndex` stored by :func:`index_arrays` (equal to the one built)."""
    ix = GraphIndex.__new__(GraphIndex)
    for name in _NUMERIC:
        setattr(ix, name, arrays[name])
    for name in _NODE_TEXT + _EDGE_TEXT:
        setattr(ix, name, _untext(arrays[f"{name}_values"], arrays[f"{name}_codes"]))
    ix.n_nodes_graph, ix.n, ix.m, ix.n_edges_graph = (int(v) for v in arrays["sizes"])
    ix.nodes = arrays["nodes"].tolist()
    ix.node_pos = {node: i for i, node in enumerate(ix.nodes)}
    ix.key = arrays["key"].tolist()
    ix.crossing_node = dict(
        zip(arrays["crossing_ids"].tolist(), arrays["crossing_nodes"].tolist(), strict=True)
    )
    ix._geometry = None  # made from the coordinates when first asked for
    ix._tree = None
    ix._junction_tree = None
    ix.engines = {}
    return ix
