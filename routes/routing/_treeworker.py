"""The helper process of :mod:`routes.routing._dijkstra`: Dijkstra trees on request.

Private. Started as ``python -I <this file>`` (isolated: neither this folder nor the user's
site-packages on ``sys.path``), so it imports only numpy and scipy, never the package. It
speaks a binary protocol over its standard input and output, little-endian:

- it first writes one line, ``READY <scipy version> <numpy version>\\n``;
- ``G`` + ``<qqq`` (graph id, nodes, stored entries) + the CSR arrays ``indptr`` (int32,
  nodes + 1), ``indices`` (int32) and ``data`` (float64): keep a graph;
- ``W`` + ``<q`` (count) + ``count`` int32 nodes: the watched nodes (whose distances are sent);
- ``S`` + ``<q`` (length) + a folder name (UTF-8; empty: none): from now on also write every
  tree computed to that folder as a tree file (:func:`write_tree`, the format of
  :mod:`routes.routing._treestore`), before answering;
- ``J`` + ``<qqdqq`` (job id, graph id, limit, count, bytes per predecessor: 2 or 4) +
  ``count`` int32 sources: compute the trees with :func:`scipy.sparse.csgraph.dijkstra`
  exactly as the parent process would and answer ``<qq`` (job id, count) + the distances to
  the watched nodes (float64, count x watched) + the predecessors (int16 or int32, count x
  nodes), in the machine's byte order (parent and helper share the machine);
- ``Q`` or the end of its input: exit.

Any malformed message ends the process; the parent then computes the rest itself. A tree
file that cannot be written is skipped (the store only saves time).

The tree-file format is defined here, once, and used by the parent's store too: a header
(:data:`TREE_HEAD`: magic, format, node count, bytes per predecessor, the limit the tree was
computed with), the distances to every node (float64), the predecessors (int16 or int32),
all little-endian.
"""

from __future__ import annotations

import contextlib
import os
import struct
import sys
from typing import Any

__all__ = ["TREE_FORMAT", "TREE_HEAD", "TREE_MAGIC", "keep_trees", "main", "write_tree"]

TREE_MAGIC = b"SALWTREE"
TREE_FORMAT = 1
#: magic, format, nodes, bytes per predecessor, limit
TREE_HEAD = struct.Struct("<8sqqqd")


def write_tree(folder: str, source: int, dist: Any, pred: Any, limit: float) -> bool:
    """Write one tree file atomically (``dist``: float64, ``pred``: int16/int32, one row
    each, C-contiguous, little-endian); False when it could not be written."""
    path = os.path.join(folder, f"{int(source)}.tree")
    tmp = os.path.join(folder, f".{int(source)}.tree.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(TREE_HEAD.pack(TREE_MAGIC, TREE_FORMAT, len(dist), pred.itemsize, limit))
            fh.write(dist.data.cast("B"))
            fh.write(pred.data.cast("B"))
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True


def _read(stream: Any, size: int) -> bytes:
    buf = bytearray()
    while len(buf) < size:
        part = stream.read(size - len(buf))
        if not part:
            raise EOFError
        buf += part
    return bytes(buf)


def keep_trees(folder: str, sources: list[int], dist: Any, pred: Any, limit: float) -> None:
    """Write the tree files of one batch (rows of ``dist`` and ``pred``), little-endian."""
    little = pred.dtype.newbyteorder("<")
    for j, source in enumerate(sources):
        row_d = dist[j].astype("<f8", copy=False)
        row_p = pred[j].astype(little, copy=False)
        write_tree(folder, source, row_d, row_p, limit)


def main() -> int:
    """Serve trees until told to stop (or the parent closes the pipe)."""
    import numpy as np
    import scipy
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    inp, out = sys.stdin.buffer, sys.stdout.buffer
    out.write(f"READY {scipy.__version__} {np.__version__}\n".encode())
    out.flush()
    graphs: dict[int, csr_matrix] = {}
    watch = np.zeros(0, dtype=np.int64)
    keep = ""  # the folder of tree files ("" = none)
    try:
        while True:
            tag = inp.read(1)
            if tag in (b"", b"Q"):
                return 0
            if tag == b"G":
                gid, n, nnz = struct.unpack("<qqq", _read(inp, 24))
                indptr = np.frombuffer(_read(inp, 4 * (n + 1)), dtype="<i4")
                indices = np.frombuffer(_read(inp, 4 * nnz), dtype="<i4")
                data = np.frombuffer(_read(inp, 8 * nnz), dtype="<f8")
                graphs[gid] = csr_matrix((data, indices, indptr), shape=(n, n))
            elif tag == b"W":
                (count,) = struct.unpack("<q", _read(inp, 8))
                watch = np.frombuffer(_read(inp, 4 * count), dtype="<i4").astype(np.int64)
            elif tag == b"S":
                (size,) = struct.unpack("<q", _read(inp, 8))
                keep = _read(inp, size).decode("utf-8")
            elif tag == b"J":
                job, gid, limit, count, width = struct.unpack("<qqdqq", _read(inp, 40))
                sources = np.frombuffer(_read(inp, 4 * count), dtype="<i4")
                dist, pred = dijkstra(
                    graphs[gid],
                    directed=True,
                    indices=sources,
                    return_predecessors=True,
                    limit=limit,
                )
                pred = np.atleast_2d(pred).astype(np.int16 if width == 2 else np.int32)
                if keep:
                    keep_trees(keep, sources.tolist(), np.atleast_2d(dist), pred, limit)
                dist = np.atleast_2d(dist)[:, watch]
                out.write(struct.pack("<qq", job, count))
                out.write(np.ascontiguousarray(dist, dtype=np.float64).data.cast("B"))
                out.write(np.ascontiguousarray(pred).data.cast("B"))
                out.flush()
            else:
                return 2
    except (EOFError, BrokenPipeError, KeyError):
        return 1


if __name__ == "__main__":
    sys.exit(main())
