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
