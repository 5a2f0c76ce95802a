"""The routing index of the bundled network: from the on-disk cache, equal to the one built."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

import routes
from routes._cache import cache_status
from routes.routing._engine import GraphIndex
from routes.routing._index import graph_index, index_arrays, index_from_arrays

SKIP = {"_tree", "_junction_tree", "engines", "_geometry"}


def _assert_same_index(a: GraphIndex, b: GraphIndex) -> None:
    assert set(vars(a)) == set(vars(b))
    for name in [*sorted(set(vars(b)) - SKIP), "geometry"]:
        x, y = getattr(a, name), getattr(b, name)
        if name == "geometry":
            assert len(x) == len(y)
            assert bool(np.all(shapely.equals_exact(x, y, tolerance=0))), name
        elif isinstance(y, np.ndarray):
            assert x.dtype == y.dtype, name
            assert x.shape == y.shape, name
            if y.dtype.kind in "fc":
                assert np.array_equal(x, y, equal_nan=True), name
            else:
                assert x.tolist() == y.tolist(), name
        else:
            assert type(x) is type(y), name
            assert x == y, name


def test_arrays_round_trip_to_an_equal_index() -> None:
    built = GraphIndex(routes.load_network())
    _assert_same_index(index_from_arrays(index_arrays(built)), built)


def test_second_process_view_loads_the_index(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SALW_ROUTES_CACHE", str(tmp_path))
    first = graph_index(routes.load_network())
    assert cache_status("graph_index") == "built"
    graph = routes.load_network()  # a new graph: what a new process would have
    loaded = graph_index(graph)
    assert cache_status("graph_index") == "hit"
    assert loaded is not first
    _assert_same_index(loaded, GraphIndex(graph))
    assert graph_index(graph) is loaded  # kept in memory for the graph's life


def test_a_changed_graph_gets_a_new_index(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SALW_ROUTES_CACHE", str(tmp_path))
    graph = routes.load_network()
    before = graph_index(graph)
    u, v, k = next(iter(graph.edges(keys=True)))
    graph.edges[u, v, k]["travel_time_s"] = 12345.0
    after = graph_index(graph)
    assert after is not before
    i = 0  # the first edge of G.edges(keys=True) is the first edge of the index
    assert after.travel_time_s[i] == 12345.0
    assert before.travel_time_s[i] != 12345.0


def test_cache_off_builds(monkeypatch) -> None:
    monkeypatch.setenv("SALW_ROUTES_CACHE", "off")
    idx = graph_index(routes.load_network())
    assert cache_status("graph_index") == "off"
    assert idx.m > 80_000


def test_routes_equal_with_a_loaded_index(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SALW_ROUTES_CACHE", str(tmp_path))
    monkeypatch.setenv("SALW_ROUTES_HELPERS", "0")
    frame = pd.DataFrame(
        {
            "incident_id": ["a", "b", "c"],
            "origin": ["Tirana", "Sarajevo", "Skopje"],
            "destination": ["DE", "Zagreb", "Beograd"],
        }
    )
    graph_index(routes.load_network())  # fills the cache
    hit = routes.route_incidents(frame, routes.load_network(), infer="none")
    assert cache_status("graph_index") == "hit"
    monkeypatch.setenv("SALW_ROUTES_CACHE", "off")
    fresh = routes.route_incidents(frame, routes.load_network(), infer="none")
    pd.testing.assert_frame_equal(hit.path_info, fresh.path_info)
    pd.testing.assert_frame_equal(hit.assignments, fresh.assignments)
    for pid in fresh.path_edges:
        assert hit.path_edges[pid].tolist() == fresh.path_edges[pid].tolist()
    with pytest.raises(KeyError):
        _ = hit.path_edges[len(fresh.path_edges)]


def test_the_bundled_graph_of_a_result_is_loaded_on_first_access(tmp_path, monkeypatch) -> None:
    """route_incidents(graph=None) routes on the cached index; ``result.graph`` is the bundled
    network, loaded when asked for, whose index is the one the routes were computed on."""
    import pickle

    from routes.network._tracked import BundledNetwork

    monkeypatch.setenv("SALW_ROUTES_CACHE", str(tmp_path))
    monkeypatch.setenv("SALW_ROUTES_HELPERS", "0")
    frame = pd.DataFrame({"incident_id": ["a"], "origin": ["Tirana"], "destination": ["Skopje"]})
    first = routes.route_incidents(frame, infer="none")  # fills the cache from a built graph
    assert isinstance(first.__dict__["_graph"], BundledNetwork)  # kept: it was built anyway
    res = routes.route_incidents(frame, infer="none")
    assert cache_status("graph_index") == "hit"
    assert res.__dict__["_graph"] is None  # not loaded by routing
    paths = res.paths  # node ids and keys from the index: still not loaded
    assert res.__dict__["_graph"] is None
    copy = pickle.loads(pickle.dumps(res))  # travels without a graph too
    G = res.graph  # noqa: N806 - networkx convention
    assert isinstance(G, BundledNetwork)
    assert res.graph is G  # loaded once
    assert graph_index(G) is res.index  # the routes' own index, not a second one
    u, v, k = paths[0][0]
    assert G.has_edge(u, v, k)
    assert copy.graph is not G
    assert copy.index is None  # the index is not pickled: found again from the graph
    assert graph_index(copy.graph).n == res.index.n
    pd.testing.assert_frame_equal(copy.path_info, res.path_info)
    given = routes.route_incidents(frame, G, infer="none")
    assert given.graph is G  # a graph given is kept as it is
