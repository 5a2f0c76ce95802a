"""Dijkstra trees: limits, watched columns and helper processes change the time, not the result.

Layers: a hand-computed five-node graph (limits and predecessors by hand), then the bundled
network (every tree of a helper equal to this process's own, a helper killed half-way, a
helper of another scipy), then whole routing runs with and without helpers.
"""

from __future__ import annotations

import logging
import os
import signal
import time

import numpy as np
import pandas as pd
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

import routes
from routes.routing import _dijkstra
from routes.routing._dijkstra import TreeHelper, helper_count, solve_trees, tree_helpers
from routes.routing._index import graph_index

POSIX = os.name == "posix"


def _line_graph() -> csr_matrix:
    """0 -> 1 -> 2 -> 3 (costs 1, 2, 4) and 0 -> 4 (cost 10)."""
    rows, cols, w = [0, 1, 2, 0], [1, 2, 3, 4], [1.0, 2.0, 4.0, 10.0]
    return csr_matrix((w, (rows, cols)), shape=(5, 5))


def _solve(mat: csr_matrix, todo: list[int], limits: dict[int, float], watch: np.ndarray):
    got = {}
    rows = solve_trees(mat, todo, limits, watch=watch, pred_dtype=np.int16)
    for s, dist, block, at, limit in rows:
        got[s] = (dist.copy(), block[at].copy(), limit)
    return got


# -- layer 1: a graph small enough to check by hand ------------------------------------------
def test_limited_tree_by_hand() -> None:
    mat = _line_graph()
    watch = np.arange(5)
    got = _solve(mat, [0], {0: 3.0}, watch)
    dist, pred, limit = got[0]
    # within cost 3: nodes 0 (0), 1 (1), 2 (3); node 3 (7) and node 4 (10) lie beyond
    assert dist[:5].tolist() == [0.0, 1.0, 3.0, np.inf, np.inf]
    assert np.isnan(dist[5])  # the column of every unwatched node
    assert pred.tolist() == [-9999, 0, 1, -9999, -9999]
    assert limit == 3.0
    whole = _solve(mat, [0], {}, watch)[0]
    assert whole[0][:5].tolist() == [0.0, 1.0, 3.0, 7.0, 10.0]
    assert whole[1].tolist() == [-9999, 0, 1, 2, 0]
    assert whole[2] == np.inf


def test_watched_columns_by_hand() -> None:
    mat = _line_graph()
    got = _solve(mat, [0, 1], {}, np.array([3, 4]))
    assert got[0][0].tolist()[:2] == [7.0, 10.0]
    assert got[1][0].tolist()[:2] == [6.0, np.inf]  # 1 -> 3 costs 2 + 4; 4 is unreachable
    assert np.isnan(got[1][0][2])


def test_batches_largest_limit_first() -> None:
    batches = _dijkstra._batches(list(range(20)), {3: 5.0, 7: 1.0})
    assert batches[0][1] == np.inf  # whole trees first
    assert batches[-1][0][-1] == 7  # the smallest limit last
    assert sorted(s for b, _ in batches for s in b) == list(range(20))
    for batch, limit in batches:
        assert limit == max({3: 5.0, 7: 1.0}.get(s, np.inf) for s in batch)


def test_helper_count_from_environment(monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    monkeypatch.setenv("SALW_ROUTES_HELPERS", "0")
    assert helper_count() == 0
    monkeypatch.setenv("SALW_ROUTES_HELPERS", "2")
    assert helper_count() == 2
    monkeypatch.setenv("SALW_ROUTES_HELPERS", "two")
    with caplog.at_level(logging.WARNING, logger="routes.routing"):
        assert helper_count() == 0
    assert "SALW_ROUTES_HELPERS='two'" in caplog.text
    monkeypatch.delenv("SALW_ROUTES_HELPERS")
    expected = max(min(len(os.sched_getaffinity(0)) - 1, 3), 0) if POSIX else 0
    assert helper_count() == expected


# -- layer 2: the bundled network, this process against a helper -----------------------------
@pytest.fixture(scope="module")
def engine():
    ix = graph_index(routes.load_network())
    return ix.engine(routes.get_profile("least_time"))


def _wait_ready(helper: TreeHelper) -> None:
    deadline = time.monotonic() + 60
    while not helper.ready():
        assert helper.alive, "the helper stopped before it was ready"
        assert time.monotonic() < deadline, "the helper did not start"
        time.sleep(0.01)


def _reference(mat: csr_matrix, todo: list[int], limits: dict[int, float], watch: np.ndarray):
    """The trees by one plain scipy call per source (no batches, no helpers)."""
    out = {}
    for s in todo:
        d, p = dijkstra(
            mat,
            directed=True,
            indices=[s],
            return_predecessors=True,
            limit=limits.get(s, np.inf),
        )
        out[s] = (d[0][watch], p[0])
    return out


@pytest.mark.skipif(not POSIX, reason="helpers run on POSIX systems only")
@pytest.mark.parametrize("reverse", [False, True])
def test_helper_trees_equal_own_trees(engine, reverse: bool) -> None:
    mat = engine.csr.T.tocsr() if reverse else engine.csr
    n = mat.shape[0]
    rng = np.random.default_rng(7)
    todo = sorted(rng.choice(n, size=60, replace=False).tolist())
    limits = {s: float(3600 * (1 + i % 5)) for i, s in enumerate(todo) if i % 3}
    watch = np.unique(rng.choice(n, size=300, replace=False))
    ref = _reference(mat, todo, limits, watch)
    with tree_helpers(1) as helpers:
        _wait_ready(helpers[0])
        got = _solve(mat, todo, limits, watch)
        assert helpers[0].alive
    assert sorted(got) == todo
    for s in todo:
        dist, pred, limit = got[s]
        want = limits.get(s, np.inf)
        assert limit >= want  # a batch uses the largest limit of its sources
        inside = ref[s][0] <= want
        assert np.array_equal(dist[: len(watch)][inside], ref[s][0][inside])
        assert np.isinf(dist[: len(watch)][~inside]).all() or limit > want
        # predecessors: equal wherever the own limit reaches (nodes within it)
        full = dijkstra(mat, directed=True, indices=[s], return_predecessors=True)
        within = full[0][0] <= want
        assert np.array_equal(pred[within], ref[s][1][within])
    assert not helpers[0].alive  # stopped when the block ended


@pytest.mark.skipif(not POSIX, reason="helpers run on POSIX systems only")
def test_helper_killed_half_way_changes_nothing(engine, caplog) -> None:
    mat = engine.csr
    todo = list(range(0, 25_000, 250))
    watch = np.arange(0, mat.shape[0], 97)
    ref = _reference(mat, todo, {}, watch)
    with tree_helpers(1) as helpers, caplog.at_level(logging.DEBUG, logger="routes.routing"):
        helper = helpers[0]
        _wait_ready(helper)
        got = {}
        for i, (s, dist, block, at, _limit) in enumerate(
            solve_trees(mat, todo, {}, watch=watch, pred_dtype=np.int16)
        ):
            got[s] = (dist.copy(), block[at].copy())
            if i == 20 and helper.alive:
                assert helper._proc is not None
                os.kill(helper._proc.pid, signal.SIGKILL)
        assert not helper.alive
    assert "tree helper stopped" in caplog.text
    assert sorted(got) == todo
    for s in todo:
        assert np.array_equal(got[s][0][: len(watch)], ref[s][0])
        assert np.array_equal(got[s][1], ref[s][1])


@pytest.mark.skipif(not POSIX, reason="helpers run on POSIX systems only")
def test_helper_of_another_scipy_is_not_used(engine, monkeypatch, caplog) -> None:
    real = TreeHelper.__init__

    def other_versions(self: TreeHelper) -> None:
        real(self)
        self._versions = "0.0 0.0"  # what this process would expect from another install

    monkeypatch.setattr(TreeHelper, "__init__", other_versions)
    mat = engine.csr
    todo = list(range(0, 3000, 100))
    with tree_helpers(1) as helpers, caplog.at_level(logging.DEBUG, logger="routes.routing"):
        deadline = time.monotonic() + 60
        while helpers[0].alive and time.monotonic() < deadline:
            helpers[0].ready()
            time.sleep(0.01)
        assert not helpers[0].alive
        got = _solve(mat, todo, {}, np.arange(10))
    assert "not 0.0 0.0" in caplog.text
    assert sorted(got) == todo


def test_nested_blocks_share_helpers() -> None:
    with tree_helpers(0) as outer, tree_helpers(2) as inner:
        assert inner is outer
        assert inner == []


# -- layer 3: whole routing runs ------------------------------------------------------------
def _sample() -> pd.DataFrame:
    from routes._paths import data_dir

    return routes.read_incidents(data_dir("incidents") / "synthetic_incidents_sample.csv")


def _fingerprint(res) -> list[str]:
    parts = [res.assignments, res.path_info, res.path_legs, res.unrouted]
    out = [pd.util.hash_pandas_object(p.astype(str), index=True).sum().item() for p in parts]
    edges = res.path_edges
    out.append(hash(tuple(np.concatenate([edges[i] for i in sorted(edges)]).tolist())))
    return [str(x) for x in out]


def _count_started_helpers(monkeypatch) -> list[TreeHelper]:
    """The list every helper started from now on is appended to."""
    started: list[TreeHelper] = []
    real = TreeHelper.__init__

    def counting(self: TreeHelper) -> None:
        real(self)
        started.append(self)

    monkeypatch.setattr(TreeHelper, "__init__", counting)
    return started


@pytest.mark.skipif(not POSIX, reason="helpers run on POSIX systems only")
@pytest.mark.parametrize("profile", ["least_time", "avoid_official_crossings"])
def test_routing_with_and_without_helpers_is_identical(monkeypatch, profile: str) -> None:
    incidents = _sample()
    assert len(incidents) >= 200  # large enough for route_incidents to start helpers
    monkeypatch.setenv("SALW_ROUTES_TREE_CACHE_MB", "0")  # trees computed, not read back
    monkeypatch.setenv("SALW_ROUTES_HELPERS", "0")
    alone = routes.route_incidents(incidents, routes.load_network(), profile=profile)
    monkeypatch.setenv("SALW_ROUTES_HELPERS", "1")
    started = _count_started_helpers(monkeypatch)
    shared = routes.route_incidents(incidents, routes.load_network(), profile=profile)
    assert len(started) == 1
    assert not started[0].alive  # stopped at the end of the call
    assert _fingerprint(shared) == _fingerprint(alone)


def test_limited_reverse_trees_are_recomputed_when_a_call_needs_more(monkeypatch) -> None:
    """Trees persist on a graph between calls; a row that stops short is computed again."""
    monkeypatch.setenv("SALW_ROUTES_HELPERS", "0")
    graph = routes.load_network()
    short = pd.DataFrame({"incident_id": ["a"], "origin": ["Sarajevo"], "destination": ["Zenica"]})
    long = pd.DataFrame({"incident_id": ["b"], "origin": ["Tirana"], "destination": ["Zenica"]})
    first = routes.route_incidents(short, graph, infer="none")
    second = routes.route_incidents(long, graph, infer="none")
    fresh = routes.route_incidents(long, routes.load_network(), infer="none")
    assert len(first.path_info) >= 1
    assert _fingerprint(second) == _fingerprint(fresh)


@pytest.mark.skipif(not POSIX, reason="helpers run on POSIX systems only")
def test_helpers_start_only_when_a_tree_is_computed(monkeypatch, tmp_path) -> None:
    """route_incidents asks for helpers lazily: a call whose trees are all stored starts none."""
    incidents = _sample()
    monkeypatch.setenv("SALW_ROUTES_CACHE", str(tmp_path))
    monkeypatch.setenv("SALW_ROUTES_HELPERS", "1")
    started = _count_started_helpers(monkeypatch)
    first = routes.route_incidents(incidents, routes.load_network())
    assert len(started) == 1  # trees were computed: the helper started
    again = routes.route_incidents(incidents, routes.load_network())  # a new graph: the store
    assert len(started) == 1  # every tree read back: no process started
    assert _fingerprint(again) == _fingerprint(first)
    with tree_helpers(1, lazy=True) as pool:
        assert pool == []  # nothing started until solve_trees needs it


@pytest.mark.skipif(not POSIX, reason="helpers run on POSIX systems only")
def test_a_lazy_block_starts_helpers_only_for_more_than_one_batch() -> None:
    mat = _line_graph()
    with tree_helpers(1, lazy=True) as pool:
        got = _solve(mat, [0], {}, np.arange(5))  # one batch: computed here
        assert pool == []
        assert sorted(got) == [0]
    engine_mat = graph_index(routes.load_network()).engine(routes.get_profile("least_time")).csr
    with tree_helpers(1, lazy=True) as pool:
        got = _solve(engine_mat, list(range(0, 4000, 100)), {}, np.arange(10))  # five batches
        assert len(pool) == 1
    assert sorted(got) == list(range(0, 4000, 100))
