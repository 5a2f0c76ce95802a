"""routes.routing._csr: the engine's CSR arrays are SciPy's, and SciPy loads only to compute."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix

import routes
from routes.routing._csr import CsrArrays
from routes.routing._index import graph_index


def _same(ours: CsrArrays, theirs: csr_matrix) -> None:
    assert ours.shape == theirs.shape
    for part in ("indptr", "indices", "data"):
        a, b = getattr(ours, part), getattr(theirs, part)
        assert a.dtype == b.dtype, part
        assert np.array_equal(a, b), part


def test_by_hand_with_an_empty_row_and_a_self_contained_transpose() -> None:
    m = CsrArrays.from_sorted_pairs(
        np.array([0, 0, 1, 3]), np.array([2, 3, 0, 0]), np.array([1.0, 2.0, 3.0, 4.0]), 4
    )
    assert m.indptr.tolist() == [0, 2, 3, 3, 4]  # row 2 is empty
    dense = m.matrix().toarray()
    assert dense.tolist() == [[0, 0, 1, 2], [3, 0, 0, 0], [0, 0, 0, 0], [4, 0, 0, 0]]
    assert m.transposed().matrix().toarray().tolist() == dense.T.tolist()
    assert m.matrix() is m.matrix()  # made once


@pytest.mark.parametrize("profile", ["least_time", "least_distance"])
def test_engine_arrays_equal_scipy_in_both_directions(profile: str) -> None:
    """Equal arrays and dtypes: the tree store's keys (hashes of them) are unchanged."""
    eng = graph_index(routes.load_network()).engine(routes.get_profile(profile))
    ix, e = eng.index, eng.pair_edge
    ref = csr_matrix((eng.weight[e], (ix.u[e], ix.v[e])), shape=(ix.n, ix.n))
    _same(eng.arrays(), ref)
    _same(eng.arrays(reverse=True), ref.T.tocsr())
    assert eng.csr is eng.arrays().matrix()


def test_index_width_follows_scipy() -> None:
    small = CsrArrays.from_sorted_pairs(np.array([0]), np.array([1]), np.array([1.0]), 2)
    assert small.indices.dtype == small.indptr.dtype == np.int32
