"""Vectorised geometry of paths: concatenate edge coordinates into LineStrings.

Private.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    from routes.routing._engine import GraphIndex

__all__ = ["edge_slices_geometries", "path_geometries"]


def _lines(
    index: GraphIndex, edge_lists: Sequence[np.ndarray], fallback_nodes: Sequence[int]
) -> np.ndarray:
    import shapely

    n = len(edge_lists)
    out = np.empty(n, dtype=object)
    lens = np.array([len(e) for e in edge_lists], dtype=np.int64)
    has = lens > 0
    if has.any():
        flat = np.concatenate([edge_lists[int(i)] for i in np.flatnonzero(has)]).astype(np.int64)
        owner = np.repeat(np.flatnonzero(has), lens[has])
        counts = index.coord_count[flat]
        starts = index.coord_start[flat]
        total = int(counts.sum())
        within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        gather = np.repeat(starts, counts) + within
        coords = index.coords[gather]
        owners = np.repeat(owner, counts)
        # drop the repeated joint vertex between consecutive edges of one path
        keep = np.ones(total, dtype=bool)
        if total > 1:
            same_owner = owners[1:] == owners[:-1]
            same_xy = (coords[1:, 0] == coords[:-1, 0]) & (coords[1:, 1] == coords[:-1, 1])
            keep[1:] = ~(same_owner & same_xy)
        coords, owners = coords[keep], owners[keep]
        # a path of one degenerate edge may collapse to a single vertex: pad it
        cnt = np.bincount(owners, minlength=n)
        single = np.flatnonzero(has & (cnt == 1))
        if len(single):
            pos = np.searchsorted(owners, single)
            coords = np.insert(coords, pos, coords[pos], axis=0)
            owners = np.insert(owners, pos, single)
        uniq = np.flatnonzero(has)
        # shapely wants dense indices 0..m-1
        lines = shapely.linestrings(coords, indices=np.searchsorted(uniq, owners))
        out[uniq] = lines
    if (~has).any():
        idx = np.flatnonzero(~has)
        nodes = np.asarray([fallback_nodes[int(i)] for i in idx], dtype=np.int64)
        out[idx] = shapely.points(index.x[nodes], index.y[nodes])
    return out


def path_geometries(
    index: GraphIndex, edge_lists: Sequence[np.ndarray], *, engine: Any = None, paths: Any = None
) -> np.ndarray:
    """One LineString per path (a Point at the single node of a zero-length path)."""
    fallback = []
    for i, e in enumerate(edge_lists):
        if len(e):
            fallback.append(int(index.u[e[0]]))
        else:
            node = _zero_node(paths[i]) if paths is not None else 0
            fallback.append(node)
    return _lines(index, edge_lists, fallback)


def _zero_node(rec: Any) -> int:
    return max(int(getattr(rec, "node", 0)), 0)


def edge_slices_geometries(
    index: GraphIndex, edge_lists: Sequence[np.ndarray], fallback_nodes: Sequence[int]
) -> np.ndarray:
    """LineStrings of arbitrary edge lists (legs), Points where a list is empty."""
    return _lines(index, edge_lists, fallback_nodes)
