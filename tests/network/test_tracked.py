"""The bundled network knows whether it was changed since loading (routes.network._tracked)."""

from __future__ import annotations

import copy
import json
import pickle

import networkx as nx
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
