"""routes._crs.NearestPoints answers as SciPy's k-d tree does (issue 24)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial import cKDTree

import routes
from routes._crs import NearestPoints
from routes.routing._index import graph_index


def test_by_hand() -> None:
    tree = NearestPoints(np.array([[0.0, 0.0], [3.0, 4.0], [-6.0, 0.0]]))
    dist, idx = tree.query(np.array([[0.0, 0.0], [3.0, 5.0], [-4.0, 0.0], [-2.0, 0.0]]))
    assert idx.tolist() == [0, 1, 2, 0]
    assert dist.tolist() == [0.0, 1.0, 2.0, 2.0]
    assert idx.dtype == np.int64
    assert dist.dtype == np.float64


def test_empty_query_and_empty_tree() -> None:
    dist, idx = NearestPoints(np.array([[1.0, 2.0]])).query(np.zeros((0, 2)))
    assert dist.shape == idx.shape == (0,)
    assert idx.dtype == np.int64
    with pytest.raises(ValueError, match="n >= 1"):
        NearestPoints(np.zeros((0, 2)))


def test_equals_scipy_on_the_bundled_network() -> None:
    """The snap of 10^5 random points: the same float distance as cKDTree, and the same node
    except where two nodes share a place (cKDTree answers either; the first is given here)."""
    ix = graph_index(routes.load_network())
    nodes = np.flatnonzero(ix.on_road)
    pts = ix._projected(ix.x[nodes], ix.y[nodes])
    rng = np.random.default_rng(24)
    q = ix._projected(rng.uniform(13.0, 29.0, 100_000), rng.uniform(37.0, 48.0, 100_000))
    dist, idx = NearestPoints(pts).query(q)
    ref_dist, ref_idx = cKDTree(pts).query(q)
    assert np.array_equal(dist, ref_dist)  # bit for bit
    other = np.flatnonzero(idx != ref_idx)
    assert len(other) <= 0.001 * len(q)
    assert np.array_equal(pts[idx[other]], pts[ref_idx[other]])  # the same place
    assert (idx[other] < ref_idx[other]).all()  # the first node there


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-50, 50), st.integers(-50, 50)), min_size=1, max_size=40),
    st.lists(st.tuples(st.floats(-60, 60), st.floats(-60, 60)), max_size=40),
)
def test_nearest_distance_is_the_true_minimum(points, queries) -> None:
    """Whatever the points (repeats, lines, one point): the distance is the least there is,
    and the index points at a stored point that far away."""
    pts = np.asarray(points, dtype=float)
    q = np.asarray(queries, dtype=float).reshape(-1, 2)
    dist, idx = NearestPoints(pts).query(q)
    assert len(dist) == len(idx) == len(q)
    if len(q):
        all_d = np.sqrt(((q[:, None, :] - pts[None, :, :]) ** 2).sum(axis=2))
        assert np.allclose(dist, all_d.min(axis=1), rtol=0, atol=1e-9)
        assert np.allclose(all_d[np.arange(len(q)), idx], dist, rtol=0, atol=1e-9)


def test_a_place_stored_twice_answers_with_its_first_point() -> None:
    pts = np.array([[5.0, 5.0], [0.0, 0.0], [5.0, 5.0], [0.0, 0.0], [9.0, 9.0]])
    for order in ([0, 1, 2, 3, 4], [4, 3, 2, 1, 0]):
        _dist, idx = NearestPoints(pts[order]).query(np.array([[1.0, 1.0], [6.0, 6.0]]))
        stored = np.asarray(order)
        assert stored[idx].tolist() == ([1, 0] if order[0] == 0 else [3, 2])


def test_a_pickled_tree_answers_the_same() -> None:
    import pickle

    pts = np.array([[5.0, 5.0], [0.0, 0.0], [5.0, 5.0], [9.0, 1.0]])
    tree = NearestPoints(pts)
    q = np.array([[4.0, 4.0], [8.0, 2.0], [-1.0, 0.5]])
    again = pickle.loads(pickle.dumps(tree))
    for got, want in zip(again.query(q), tree.query(q), strict=True):
        assert got.tolist() == want.tolist()
    assert again.n == 4
