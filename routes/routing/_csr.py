"""The cost matrix of an engine as CSR arrays, made with numpy; a SciPy matrix only on demand.

Private. Reading stored trees needs only the matrix's arrays (the tree store's key hashes
them); SciPy's sparse matrix is needed only to compute a tree. Building the arrays here, and
the matrix when :func:`scipy.sparse.csgraph.dijkstra` first runs, keeps ``scipy.sparse`` (a
tenth of a second to import) out of a run whose trees are all stored. The arrays are the ones
``scipy.sparse.csr_matrix((data, (rows, cols)))`` and its ``.T.tocsr()`` hold, dtypes
included (``tests/routing/test_csr.py`` checks both on the bundled network), so the store's
keys and every tree are unchanged.

>>> rows, cols, cost = np.array([0, 0, 2]), np.array([1, 2, 0]), np.array([5.0, 7.0, 1.0])
>>> m = CsrArrays.from_sorted_pairs(rows, cols, cost, 3)
>>> m.indptr.tolist(), m.indices.tolist(), m.data.tolist()
([0, 2, 2, 3], [1, 2, 0], [5.0, 7.0, 1.0])
>>> t = m.transposed()
>>> t.indptr.tolist(), t.indices.tolist(), t.data.tolist()
([0, 1, 2, 3], [2, 0, 0], [1.0, 5.0, 7.0])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = ["CsrArrays"]


class CsrArrays:
    """A square ``n`` x ``n`` sparse matrix in CSR form (``indptr``, ``indices``, ``data``).

    Indices are int32 while ``n`` and the number of entries fit (as SciPy chooses), int64
    otherwise; within a row the entries are sorted by column.
    """

    __slots__ = ("_matrix", "data", "indices", "indptr", "n")

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, n: int) -> None:
        self.indptr = indptr
        self.indices = indices
        self.data = data
        self.n = int(n)
        self._matrix: Any = None

    @classmethod
    def from_sorted_pairs(
        cls, rows: np.ndarray, cols: np.ndarray, data: np.ndarray, n: int
    ) -> CsrArrays:
        """The matrix of entries ``(rows[i], cols[i]) = data[i]``, given sorted by (row, col)
        without repeats."""
        rows = np.asarray(rows, dtype=np.int64)
        dtype = _index_dtype(max(n, len(rows)))
        indptr = np.zeros(n + 1, dtype=dtype)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        return cls(indptr, np.asarray(cols).astype(dtype), np.asarray(data, dtype=float), n)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.n, self.n)

    def transposed(self) -> CsrArrays:
        """The transposed matrix (entries of each row sorted by column, as ``.T.tocsr()``)."""
        rows = np.repeat(np.arange(self.n, dtype=self.indices.dtype), np.diff(self.indptr))
        order = np.argsort(self.indices, kind="stable")  # by column, then row (rows sorted)
        return CsrArrays.from_sorted_pairs(
            self.indices[order], rows[order], self.data[order], self.n
        )

    def matrix(self) -> csr_matrix:
        """The same matrix as a :class:`scipy.sparse.csr_matrix` (made once, on first use)."""
        if self._matrix is None:
            from scipy.sparse import csr_matrix

            self._matrix = csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)
        return self._matrix


def _index_dtype(largest: int) -> Any:
    return np.int32 if largest <= np.iinfo(np.int32).max else np.int64
