"""The bundled network knows whether it was changed since loading (routes.network._tracked)."""

from __future__ import annotations

import copy
import json
import pickle

import networkx as nx
import pandas as pd
import pytest

import routes
from routes.network import pristine_network_key
from routes.network._tracked import BundledNetwork, WatchedDict


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    return routes.load_network()


def _an_edge(g: nx.MultiDiGraph) -> tuple[int, int, int]:
    return next(iter(g.edges(keys=True)))


def test_loaded_network_is_pristine(graph) -> None:
    assert isinstance(graph, nx.MultiDiGraph)
    assert type(graph) is BundledNetwork
    key = pristine_network_key(graph)
    assert isinstance(key, str)
    assert len(key) == 64
    assert pristine_network_key(routes.load_network()) == key  # the same bundle, the same key
    edge = graph.edges[_an_edge(graph)]
    assert isinstance(edge, WatchedDict)
    assert edge == dict(edge)  # a dict in every respect
    assert json.loads(json.dumps({k: v for k, v in edge.items() if k != "geometry"}))


CHANGES = {
    "set an edge attribute": lambda g, e: g.edges[e].__setitem__("travel_time_s", 1.0),
    "delete an edge attribute": lambda g, e: g.edges[e].__delitem__("e_road"),
    "update an edge": lambda g, e: g.edges[e].update(speed_kph=10.0),
    "pop an edge attribute": lambda g, e: g.edges[e].pop("border", None),
    "setdefault a new attribute": lambda g, e: g.edges[e].setdefault("toll", True),
    "set a node attribute": lambda g, e: g.nodes[e[0]].__setitem__("x", 0.0),
    "nx.set_edge_attributes": lambda g, e: nx.set_edge_attributes(g, 5.0, "speed_kph"),
    "nx.set_node_attributes": lambda g, e: nx.set_node_attributes(g, "AL", "jurisdiction"),
    "add an edge": lambda g, e: g.add_edge(e[0], e[1], mode="road"),
    "add an edge without attributes": lambda g, e: g.add_edge(e[0], e[1]),
    "add a node": lambda g, e: g.add_node("new"),
    "remove an edge": lambda g, e: g.remove_edge(*e),
    "remove a node": lambda g, e: g.remove_node(e[0]),
    "clear the edges": lambda g, e: g.clear_edges(),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_any_change_ends_pristine(graph, change: str) -> None:
    CHANGES[change](graph, _an_edge(graph))
    assert pristine_network_key(graph) is None


def test_reading_is_no_change(graph) -> None:
    e = _an_edge(graph)
    _ = graph.edges[e].get("travel_time_s"), dict(graph.nodes[e[0]]), list(graph.edges(data=True))
    _ = graph.edges[e].setdefault("mode", "rail")  # present: nothing set
    assert pristine_network_key(graph) is not None


def test_copies_and_views_are_not_the_bundle(graph) -> None:
    assert pristine_network_key(graph.copy()) is None
    assert pristine_network_key(graph.subgraph(list(graph.nodes)[:10])) is None
    assert pristine_network_key(nx.MultiDiGraph(graph)) is None
    assert pristine_network_key(graph.reverse(copy=True)) is None


def test_pickle_keeps_the_state(graph) -> None:
    back = pickle.loads(pickle.dumps(graph))
    assert pristine_network_key(back) == pristine_network_key(graph)
    deep = copy.deepcopy(graph)
    assert pristine_network_key(deep) == pristine_network_key(graph)
    e = _an_edge(back)
    back.edges[e]["travel_time_s"] = 2.0  # the unpickled dicts still count changes
    assert pristine_network_key(back) is None
    assert pristine_network_key(graph) is not None


# -- filled on first read -------------------------------------------------------------------
def _eager_copy(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A plain MultiDiGraph with the same nodes, edges and attributes (reads ``g``)."""
    out = nx.MultiDiGraph(**g.graph)
    out.add_nodes_from((n, dict(d)) for n, d in g.nodes(data=True))
    out.add_edges_from((u, v, k, dict(d)) for u, v, k, d in g.edges(keys=True, data=True))
    return out


def test_the_graph_is_filled_on_first_read() -> None:
    from routes.network._tracked import _is_filled as is_filled

    g = routes.load_network()
    assert not is_filled(g)
    assert g.graph["crs"] == "EPSG:4326"  # graph attributes need no fill
    assert pristine_network_key(g) is not None  # nothing could have changed it
    nodes = g.number_of_nodes()  # known without filling
    assert not is_filled(g)
    assert nodes == len(g) > 20_000  # the first read fills it
    assert is_filled(g)
    assert g.bundle_size == (g.number_of_nodes(), g.number_of_edges())
    assert pristine_network_key(g) is not None
    assert g.edits.count == 0


@pytest.mark.parametrize(
    "first_read",
    [
        lambda g: list(g.nodes(data=True)),
        lambda g: list(g.edges(keys=True, data=True)),
        lambda g: g[next(iter(g._succ))],
        lambda g: list(g.predecessors(next(iter(g._node)))),
        lambda g: g.copy(),
        lambda g: nx.number_of_edges(g),
    ],
    ids=["nodes", "edges", "adjacency", "predecessors", "copy", "networkx function"],
)
def test_every_first_read_sees_the_whole_graph(first_read) -> None:
    g = routes.load_network()
    first_read(g)
    ref = routes.load_network()
    a, b = _eager_copy(g), _eager_copy(ref)
    assert a.number_of_nodes() == b.number_of_nodes() > 20_000
    assert a.number_of_edges() == b.number_of_edges() > 80_000
    assert sorted(a.nodes) == sorted(b.nodes)
    for u, v, k, d in b.edges(keys=True, data=True):
        got = a.edges[u, v, k]
        assert set(got) == set(d)
        assert got["length_m"] == d["length_m"]
        assert got["geometry"].equals_exact(d["geometry"], 0)


def test_a_change_after_the_fill_is_counted() -> None:
    g = routes.load_network()
    u, v, k = _an_edge(g)
    g.edges[u, v, k]["travel_time_s"] = 1.0
    assert pristine_network_key(g) is None
    g2 = routes.load_network()
    g2.add_node("new", x=20.0, y=44.0)  # the fill runs first, then the node is added
    assert "new" in g2
    assert pristine_network_key(g2) is None


def test_an_unread_graph_pickles_and_fills_after_loading() -> None:
    from routes.network._tracked import _is_filled as is_filled

    g = routes.load_network()
    h = pickle.loads(pickle.dumps(g))
    assert not is_filled(h)
    assert h.number_of_nodes() == routes.load_network().number_of_nodes()
    c = copy.deepcopy(routes.load_network())
    assert c.number_of_edges() == h.number_of_edges()
    original = routes.load_network()
    shallow = copy.copy(original)  # shares the (still empty) dicts and the pending fill
    assert shallow.number_of_edges() == h.number_of_edges()
    assert original.number_of_edges() == h.number_of_edges()  # filled once, not twice


def test_a_map_from_the_cached_index_never_builds_the_graph(tmp_path, monkeypatch) -> None:
    """The map of the bundled network reads the routing index, not the graph's dicts."""
    from routes.network import _bundled as _io

    monkeypatch.setenv("SALW_ROUTES_CACHE", str(tmp_path))
    monkeypatch.setenv("SALW_ROUTES_HELPERS", "0")
    frame = pd.DataFrame(
        {
            "incident_id": ["a", "b"],
            "latitude": [42.0, 44.8],
            "longitude": [20.9, 20.45],
            "origin": ["Tirana", "Skopje"],
            "destination": ["AT", "DE"],
        }
    )
    routes.route_incidents(frame, infer="none")  # fills the on-disk index cache
    fills: list[object] = []
    real = _io._fill_bundled
    monkeypatch.setattr(_io, "_fill_bundled", lambda g: (fills.append(g), real(g))[1])
    result = routes.route_incidents(frame, infer="none")
    routes.save_map(routes.route_map(frame, result=result), tmp_path / "m.html")
    assert fills == []
    assert (tmp_path / "m.html").stat().st_size > 10_000
    assert result.graph.number_of_edges() > 80_000  # and it is still there when asked for
    assert len(fills) == 1


def test_a_failed_fill_leaves_no_half_graph(monkeypatch) -> None:
    from routes.network import _bundled

    g = routes.load_network()
    real = _bundled._bundled_tables

    def broken():
        node_ids, node_attrs, cols = real()
        return node_ids, node_attrs, {**cols, "geometry": cols["geometry"][:10]}  # fails at 10

    monkeypatch.setattr(_bundled, "_bundled_tables", broken)
    with pytest.raises(IndexError):
        g.number_of_edges()
    assert len(g.__dict__["_node"]) == 0  # not left half filled (the next read tries again)
    monkeypatch.setattr(_bundled, "_bundled_tables", real)
    assert g.number_of_edges() == routes.load_network().number_of_edges() > 80_000
