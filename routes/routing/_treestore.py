"""Dijkstra trees kept on disk between runs: a re-run of the same map does not redo them.

Private. The trees of a routing engine depend on nothing but its weighted matrix, the
direction and the source (and on the scipy that computed them): :class:`TreeStore` keeps each
tree an engine computes as one file, under the on-disk cache of :mod:`routes._cache`
(``<cache>/trees/<key>/``), and hands it back when a later run asks for the same tree. The
key hashes the matrix (its CSR arrays, so any change of the network, the cost profile or the
closed nodes is another key), the direction, the format version and the numpy and scipy
versions: a stored tree is the one this process would compute, byte for byte.

A file holds a header (magic, format, node count, bytes per predecessor, the limit the tree
was computed with) and then the distances to every node (float64) and the predecessors
(int16 or int32); it is read back only when its size, header and node count match, so a
truncated or foreign file is a miss; so is one whose root or predecessors are impossible
(a damaged file cannot send a walk off the graph). Files are written atomically (a
temporary name, then :func:`os.replace`).

The folder is kept under a size budget: when a run has written trees and the folder of all
keys holds more than ``SALW_ROUTES_TREE_CACHE_MB`` megabytes (default 1024), the files used
least recently are removed until it holds at most that. ``SALW_ROUTES_TREE_CACHE_MB=0`` (or
the cache turned off, ``SALW_ROUTES_CACHE=off``) keeps no trees.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

# one file format, defined with the helper process that writes trees too
from routes.routing._treeworker import TREE_FORMAT, TREE_HEAD, TREE_MAGIC, keep_trees

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scipy.sparse import csr_matrix

    from routes.routing._csr import CsrArrays
    from routes.routing._dijkstra import Trees

__all__ = ["BUDGET_ENV", "StoredTree", "TreeStore", "take_stored", "tree_store", "watched_row"]

#: The environment variable holding the size budget of the tree folder, in megabytes.
BUDGET_ENV = "SALW_ROUTES_TREE_CACHE_MB"
_DEFAULT_MB = 1024
_LOG = logging.getLogger("routes.routing")
_NO_PRED = -9999  # scipy's predecessor of a root or an unreached node

#: (distances to every node, predecessors of every node, the limit the tree stops at)
StoredTree = tuple[np.ndarray, np.ndarray, float]


def _budget_bytes() -> int:
    raw = os.environ.get(BUDGET_ENV, "").strip()
    if not raw:
        return _DEFAULT_MB << 20
    try:
        return max(int(float(raw) * (1 << 20)), 0)
    except ValueError:
        _LOG.warning("%s=%r is not a number; %d MB is used", BUDGET_ENV, raw, _DEFAULT_MB)
        return _DEFAULT_MB << 20


def tree_store(mat: csr_matrix | CsrArrays, *, reverse: bool, pred_dtype: Any) -> TreeStore | None:
    """The store of one engine matrix and direction, or None when trees are not kept."""
    from routes._cache import cache_dir

    root = cache_dir()
    budget = _budget_bytes()
    if root is None or budget <= 0:
        return None
    return TreeStore(root / "trees", mat, reverse=reverse, pred_dtype=pred_dtype, budget=budget)


class TreeStore:
    """The stored trees of one matrix and direction (see the module docstring)."""

    def __init__(
        self,
        root: Path,
        mat: csr_matrix | CsrArrays,
        *,
        reverse: bool,
        pred_dtype: Any,
        budget: int,
    ) -> None:
        import scipy

        h = hashlib.sha256()
        for part in (mat.indptr, mat.indices, mat.data):
            arr = np.ascontiguousarray(part)
            h.update(str(arr.dtype).encode() + b"\0")
            h.update(arr.tobytes())
        tag = f"{TREE_FORMAT}|{'reverse' if reverse else 'forward'}|{mat.shape}"
        h.update(f"|{tag}|numpy {np.__version__}|scipy {scipy.__version__}".encode())
        self.root = root
        self.folder = root / h.hexdigest()[:24]
        self.n = int(mat.shape[0])
        self.pred_dtype = np.dtype(pred_dtype)
        self.budget = budget
        self.file_size = TREE_HEAD.size + self.n * 8 + self.n * self.pred_dtype.itemsize
        self.written = 0
        self.loaded = 0

    def _path(self, source: int) -> Path:
        return self.folder / f"{int(source)}.tree"

    def load(self, sources: Iterable[int], limits: dict[int, float]) -> dict[int, StoredTree]:
        """The stored trees of ``sources`` that reach at least their limit (inf = whole)."""
        out: dict[int, StoredTree] = {}
        for s in sources:
            buf = bytearray(self.file_size)
            limit = self.read_into(s, buf, limits.get(s, math.inf))
            if limit is not None:
                dist, pred = self.views(buf)
                out[s] = (dist.copy(), pred.copy(), limit)
        return out

    def read_into(self, source: int, buf: bytearray, reach: float) -> float | None:
        """Read the tree of ``source`` into ``buf`` (of the file's size); return its limit,
        or None when there is no usable tree (none stored, damaged, or short of ``reach``)."""
        path = self._path(source)
        try:
            with open(path, "rb", buffering=0) as fh:
                got = fh.readinto(buf)
                if got != self.file_size or fh.read(1):
                    return None
        except OSError:
            return None
        magic, fmt, n, width, limit = TREE_HEAD.unpack_from(buf)
        if (
            magic != TREE_MAGIC
            or fmt != TREE_FORMAT
            or n != self.n
            or width != self.pred_dtype.itemsize
        ):
            return None
        if limit < reach or not self._plausible(source, buf):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # used now: the last to go when the folder is trimmed
        self.loaded += 1
        return float(limit)

    def _plausible(self, source: int, buf: bytearray) -> bool:
        """A tree of ``source``: its root at distance 0 without predecessor, every other
        predecessor a node or "none" (-9999), so that no walk can leave the graph."""
        dist, pred = self.views(buf)
        if not (0 <= source < self.n) or dist[source] != 0.0 or pred[source] != _NO_PRED:
            return False
        return not bool(((pred >= self.n) | ((pred < 0) & (pred != _NO_PRED))).any())

    def views(self, buf: bytearray) -> tuple[np.ndarray, np.ndarray]:
        """The distances and predecessors of a tree read into ``buf`` (views, no copies)."""
        at = TREE_HEAD.size
        dist = np.frombuffer(buf, dtype="<f8", count=self.n, offset=at)
        little = self.pred_dtype.newbyteorder("<")
        pred = np.frombuffer(buf, dtype=little, count=self.n, offset=at + self.n * 8)
        return dist, pred

    def make_folder(self) -> bool:
        """Create the folder (helpers write into it); False when it cannot be made."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            _LOG.debug("trees not kept in %s (%s)", self.folder, err)
            return False
        return True

    def save_batch(
        self, sources: list[int], dist: np.ndarray, pred: np.ndarray, limit: float
    ) -> None:
        """Keep the trees of one batch (rows: distances to every node, predecessors)."""
        if not self.make_folder():
            return
        keep_trees(str(self.folder), sources, dist, pred.astype(self.pred_dtype, copy=False), limit)
        self.written += len(sources)

    def save(self, source: int, dist: np.ndarray, pred: np.ndarray, limit: float) -> None:
        """Keep one tree (distances to every node, predecessors); one that cannot be written
        is skipped (the store only saves time)."""
        self.save_batch([source], dist[None, :], pred[None, :], limit)

    def trim(self) -> None:
        """Remove the least recently used tree files (of every key) beyond the budget."""
        if not self.written:
            return
        files = []
        with contextlib.suppress(OSError):
            for path in self.root.glob("*/*.tree"):
                with contextlib.suppress(OSError):
                    st = path.stat()
                    files.append((st.st_mtime, st.st_size, path))
        total = sum(size for _, size, _ in files)
        emptied = set()
        for _, size, path in sorted(files, key=lambda f: f[0]):
            if total <= self.budget:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
                emptied.add(path.parent)
        for folder in emptied - {self.folder}:  # a key none of whose trees is left
            with contextlib.suppress(OSError):
                folder.rmdir()  # fails (and stays) while it still holds a file


def watched_row(full: np.ndarray, watch: np.ndarray) -> np.ndarray:
    """A tree's distances at the watched nodes, then NaN (the row layout of ``Trees``)."""
    row = np.empty(len(watch) + 1)
    row[: len(watch)] = full[watch]
    row[len(watch)] = np.nan
    return row


def take_stored(
    store: TreeStore,
    trees: Trees,
    todo: list[int],
    want: dict[int, float],
    watch: np.ndarray,
) -> list[int]:
    """Put the trees of ``todo`` kept on disk into ``trees``; return the sources still to do.

    Each file is read into one reused buffer and only what the engine keeps is copied out
    (the predecessors into one block, the distances at the watched nodes): fresh memory for
    every whole file would cost more than reading it.
    """
    if not todo or not store.folder.is_dir():
        return list(todo)
    buf = bytearray(store.file_size)
    dist, pred = store.views(buf)
    block = np.empty((len(todo), store.n), dtype=store.pred_dtype)
    rows: list[tuple[int, np.ndarray, float]] = []
    missing = []
    for s in todo:
        limit = store.read_into(s, buf, want.get(s, math.inf))
        if limit is None:
            missing.append(s)
            continue
        block[len(rows)] = pred
        rows.append((s, watched_row(dist, watch), limit))
    for at, (s, row, limit) in enumerate(rows):
        trees.store(s, row, block, at, limit)
    return missing
