"""Dijkstra trees kept on disk: a re-run reads them back and routes exactly as a fresh run."""

from __future__ import annotations

import math
import os
import pickle
import time

import numpy as np
import pandas as pd
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

import routes
from routes.routing import _treestore
from routes.routing._treestore import TreeStore, tree_store

FRAME = pd.DataFrame(
    {
        "incident_id": ["a", "b", "c", "d"],
        "origin": ["Tirana", "Sarajevo", "Skopje", "Podgorica"],
        "destination": ["DE", "Zagreb", "Beograd", "AT"],
        "latitude": [None, 43.85, None, 42.44],
        "longitude": [None, 18.41, None, 19.26],
    }
)


def _line(n: int = 5) -> csr_matrix:
    """A path graph 0 -> 1 -> ... -> n-1 with weights 1, 2, 3, ... (hand-checkable)."""
    rows = np.arange(n - 1)
    return csr_matrix((np.arange(1.0, n), (rows, rows + 1)), shape=(n, n))


def _route(monkeypatch, cache) -> routes.RouteResult:
    monkeypatch.setenv("SALW_ROUTES_CACHE", str(cache))
    monkeypatch.setenv("SALW_ROUTES_HELPERS", "0")
    return routes.route_incidents(FRAME, routes.load_network(), infer="none", k=3)


def _same(a: routes.RouteResult, b: routes.RouteResult) -> None:
    assert pickle.dumps(a.path_info) == pickle.dumps(b.path_info)
    assert pickle.dumps(a.assignments) == pickle.dumps(b.assignments)
    assert pickle.dumps(a.path_legs) == pickle.dumps(b.path_legs)
    assert sorted(a.path_edges) == sorted(b.path_edges)
    for pid in b.path_edges:
        assert a.path_edges[pid].tolist() == b.path_edges[pid].tolist()


def _tree_files(folder):
    return sorted((folder / "trees").glob("*/*.tree"))


def test_a_store_round_trips_a_tree_exactly(tmp_path) -> None:
    mat = _line()
    store = TreeStore(tmp_path, mat, reverse=False, pred_dtype=np.int16, budget=1 << 30)
    dist, pred = dijkstra(mat, indices=0, return_predecessors=True)
    store.save(0, dist, pred, math.inf)
    got = store.load([0, 1], {})
    assert list(got) == [0]  # source 1 was never stored
    d, p, limit = got[0]
    assert d.tolist() == [0.0, 1.0, 3.0, 6.0, 10.0]  # 1, 1+2, 1+2+3, ...
    assert p.tolist() == [-9999, 0, 1, 2, 3]
    assert limit == math.inf


def test_a_limited_tree_is_not_used_for_a_longer_reach(tmp_path) -> None:
    mat = _line()
    store = TreeStore(tmp_path, mat, reverse=False, pred_dtype=np.int16, budget=1 << 30)
    dist, pred = dijkstra(mat, indices=0, return_predecessors=True, limit=3.5)
    store.save(0, dist, pred, 3.5)
    assert list(store.load([0], {0: 3.0})) == [0]
    assert store.load([0], {0: 4.0}) == {}
    assert store.load([0], {}) == {}  # a whole tree is asked for


def test_another_matrix_or_direction_is_another_folder(tmp_path) -> None:
    a = TreeStore(tmp_path, _line(), reverse=False, pred_dtype=np.int16, budget=1)
    b = TreeStore(tmp_path, _line(), reverse=True, pred_dtype=np.int16, budget=1)
    other = _line()
    other.data[0] = 1.5
    c = TreeStore(tmp_path, other, reverse=False, pred_dtype=np.int16, budget=1)
    assert len({a.folder, b.folder, c.folder}) == 3
    assert (
        a.folder
        == TreeStore(tmp_path, _line(), reverse=False, pred_dtype=np.int16, budget=1).folder
    )


@pytest.mark.parametrize("damage", ["truncate", "magic", "nodes", "root", "predecessor"])
def test_a_damaged_file_is_a_miss_never_a_wrong_tree(tmp_path, damage) -> None:
    mat = _line()
    store = TreeStore(tmp_path, mat, reverse=False, pred_dtype=np.int16, budget=1 << 30)
    dist, pred = dijkstra(mat, indices=0, return_predecessors=True)
    store.save(0, dist, pred, math.inf)
    path = next(store.folder.glob("*.tree"))
    raw = bytearray(path.read_bytes())
    if damage == "truncate":
        raw = raw[:-3]
    elif damage == "magic":
        raw[:8] = b"NOTATREE"
    elif damage == "nodes":
        raw[16:24] = (6).to_bytes(8, "little")  # claims 6 nodes
    elif damage == "root":
        at = _treestore.TREE_HEAD.size
        raw[at : at + 8] = np.float64(1.0).tobytes()  # the source 1 away from itself
    else:
        at = _treestore.TREE_HEAD.size + 5 * 8 + 2 * 2
        raw[at : at + 2] = np.int16(7).tobytes()  # node 2's predecessor: no such node
    path.write_bytes(bytes(raw))
    assert store.load([0], {}) == {}


def test_trim_keeps_the_folder_within_its_budget(tmp_path) -> None:
    mat = _line()
    one = _treestore.TREE_HEAD.size + 5 * 8 + 5 * 2
    store = TreeStore(tmp_path, mat, reverse=False, pred_dtype=np.int16, budget=2 * one)
    dist, pred = dijkstra(mat, indices=[0, 1, 2, 3], return_predecessors=True)
    for s in range(4):
        store.save(s, dist[s], pred[s], math.inf)
    store.trim()
    left = sorted(p.name for p in store.folder.glob("*.tree"))
    assert len(left) == 2
    assert sum(p.stat().st_size for p in store.folder.glob("*.tree")) <= 2 * one
    # a newer key's trees push out an older key's; its emptied folder goes too
    other = _line()
    other.data[-1] = 9.0
    newer = TreeStore(tmp_path, other, reverse=False, pred_dtype=np.int16, budget=2 * one)
    dist, pred = dijkstra(other, indices=[0, 1], return_predecessors=True)
    for s in range(2):
        os.utime(store.folder / left[s], (1, 1))  # long unused
        newer.save(s, dist[s], pred[s], math.inf)
    newer.trim()
    assert not store.folder.exists()
    assert len(list(newer.folder.glob("*.tree"))) == 2


def test_no_store_when_off_or_budget_zero(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SALW_ROUTES_CACHE", "off")
    assert tree_store(_line(), reverse=False, pred_dtype=np.int16) is None
    monkeypatch.setenv("SALW_ROUTES_CACHE", str(tmp_path))
    monkeypatch.setenv(_treestore.BUDGET_ENV, "0")
    assert tree_store(_line(), reverse=False, pred_dtype=np.int16) is None
    monkeypatch.setenv(_treestore.BUDGET_ENV, "a lot")  # not a number: the default budget
    store = tree_store(_line(), reverse=False, pred_dtype=np.int16)
    assert store is not None
    assert store.budget == 1024 << 20


def test_a_rerun_reads_the_trees_and_routes_exactly_as_a_fresh_run(tmp_path, monkeypatch) -> None:
    fresh = _route(monkeypatch, "off")
    first = _route(monkeypatch, tmp_path)
    files = _tree_files(tmp_path)
    assert files  # forward trees of the leg starts, reverse trees of the leg ends (k > 1)
    assert len({p.parent for p in files}) == 2
    stamp = {p: p.stat().st_mtime_ns for p in files}
    again = _route(monkeypatch, tmp_path)
    assert _tree_files(tmp_path) == files  # nothing new computed
    assert all(p.stat().st_mtime_ns >= stamp[p] for p in files)
    _same(first, fresh)
    _same(again, fresh)


def test_rerun_with_damaged_store_still_routes_exactly(tmp_path, monkeypatch) -> None:
    fresh = _route(monkeypatch, "off")
    _route(monkeypatch, tmp_path)
    for p in _tree_files(tmp_path)[::2]:
        p.write_bytes(p.read_bytes()[:100])  # half the files cut short
    _same(_route(monkeypatch, tmp_path), fresh)


@pytest.mark.skipif(os.name != "posix", reason="helpers run on POSIX systems only")
def test_files_written_by_a_helper_equal_the_ones_written_here(tmp_path) -> None:
    """A helper writes the trees it computes itself: the files are byte for byte the same."""
    from routes.routing._dijkstra import solve_trees, tree_helpers
    from routes.routing._index import graph_index

    engine = graph_index(routes.load_network()).engine(routes.get_profile("least_time"))
    mat, todo = engine.csr, list(range(0, 12_000, 150))  # 80 trees: ten batches
    limits = {s: 5000.0 for s in todo[::3]}
    watch = np.arange(0, mat.shape[0], 50)

    sent: list[int] = []

    def run(folder, helpers: int) -> set[int]:
        store = TreeStore(folder, mat, reverse=False, pred_dtype=np.int16, budget=1 << 30)
        store.make_folder()
        with tree_helpers(helpers) as started:
            if started:  # let the helper take batches, and count them
                deadline = time.monotonic() + 60
                while not started[0].ready() and time.monotonic() < deadline:
                    time.sleep(0.01)
                real = started[0].submit
                started[0].submit = lambda *a: (sent.append(len(a[5])), real(*a))[1]
            got = solve_trees(mat, todo, limits, watch=watch, pred_dtype=np.int16, keep=store)
            by_helper = {s for s, *_ in got}
            assert by_helper == set(todo)
            return {int(p.stem) for p in store.folder.glob("*.tree")}

    assert run(tmp_path / "shared", 1) == set(todo)
    assert sum(sent) >= 8  # the helper computed (and wrote) at least one batch
    assert run(tmp_path / "alone", 0) == set(todo)
    for a in sorted((tmp_path / "shared").glob("*/*.tree")):
        b = tmp_path / "alone" / a.parent.name / a.name
        assert a.read_bytes() == b.read_bytes(), a.name
