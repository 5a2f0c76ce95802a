"""The sparse routing engine: a graph index, profile weights, CSR matrices and Dijkstra trees.

Private. The graph is flattened once into numpy arrays (nodes, edges); a cost profile turns the
edge arrays into one weight per edge; parallel edges collapse to the cheapest one per (u, v) and
the result becomes CSR arrays (:mod:`routes.routing._csr`), a :class:`scipy.sparse.csr_matrix`
for :func:`scipy.sparse.csgraph.dijkstra` only when a tree is to be computed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from routes.routing._csr import CsrArrays
from routes.routing._dijkstra import Trees, solve_trees

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import networkx as nx
    from scipy.sparse import csr_matrix

    from routes.routing._treestore import TreeStore
    from routes.routing.profiles import CostProfile

__all__ = ["OFFICIAL_KINDS", "Engine", "GraphIndex"]

OFFICIAL_KINDS = ("crossing", "port", "airport")
_NO_PRED = -9999
_EPS = 1e-9


def _as_bool(values: Sequence[Any]) -> np.ndarray:
    if set(map(type, values)) <= {bool}:  # the usual case: one conversion for the column
        return np.array(values, dtype=bool).reshape(len(values))
    out = np.zeros(len(values), dtype=bool)
    for i, v in enumerate(values):
        if v is None:
            continue
        if isinstance(v, str):
            out[i] = v.strip().lower() in ("true", "1", "yes", "y", "t")
        else:
            try:
                out[i] = bool(v) and v == v  # NaN is falsy here
            except (TypeError, ValueError):
                out[i] = False
    return out


def _as_float(values: Sequence[Any]) -> np.ndarray:
    if set(map(type, values)) <= {float, int, type(None)}:  # None -> NaN, as below
        return np.array(values, dtype=float).reshape(len(values))
    out = np.full(len(values), np.nan)
    for i, v in enumerate(values):
        try:
            out[i] = float(v) if v is not None else np.nan
        except (TypeError, ValueError):
            out[i] = np.nan
    return out


def _as_str(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v != v:
        return None
    s = str(v).strip()
    return s or None


def _as_strs(values: Iterable[Any]) -> list[str | None]:
    """:func:`_as_str` of each value (plain ``str`` values without a function call)."""
    return [
        (v.strip() or None) if type(v) is str else (None if v is None else _as_str(v))
        for v in values
    ]


def _is_line(geoms: Sequence[Any]) -> np.ndarray:
    """Which values are shapely LineStrings (anything else, None included, is not)."""
    import shapely

    arr = np.empty(len(geoms), dtype=object)
    arr[:] = geoms
    try:
        return np.asarray(shapely.get_type_id(arr) == 1, dtype=bool).reshape(len(geoms))
    except TypeError:  # some value is not a geometry
        return np.array(
            [g is not None and getattr(g, "geom_type", "") == "LineString" for g in geoms],
            dtype=bool,
        )


class GraphIndex:
    """Numpy arrays of a MultiDiGraph's nodes and edges (built once per graph)."""

    def __init__(self, G: nx.MultiDiGraph) -> None:  # noqa: N803 - networkx convention
        import shapely

        from routes._errors import Problem, ValidationError

        self.n_nodes_graph = G.number_of_nodes()
        self.nodes: list[Any] = list(G.nodes)
        self.node_pos: dict[Any, int] = {n: i for i, n in enumerate(self.nodes)}
        n = len(self.nodes)
        self.n = n
        # the graph's own dicts, in the order of G.nodes / G.edges(keys=True, data=True)
        # (walking them directly skips the views' per-item generator layers)
        node_data = list(G._node.values())
        xs = [d.get("x") for d in node_data]
        ys = [d.get("y") for d in node_data]
        problems = [
            f"graph node {node!r} has no 'x'/'y' (lon/lat); every node needs both"
            for node, x, y in zip(self.nodes, xs, ys, strict=True)
            if x is None or y is None
        ]
        if problems:
            raise ValidationError([Problem(p) for p in problems[:50]])
        kinds = [k or "junction" for k in _as_strs(d.get("kind") for d in node_data)]
        jurs = _as_strs(d.get("jurisdiction") for d in node_data)
        cids = _as_strs(d.get("crossing_id") for d in node_data)
        names = _as_strs(d.get("name") for d in node_data)
        del node_data
        self.x = np.asarray(xs, dtype=float)
        self.y = np.asarray(ys, dtype=float)
        self.kind = np.asarray(kinds, dtype=object)
        self.jurisdiction = np.asarray(jurs, dtype=object)
        self.crossing_id = np.asarray(cids, dtype=object)
        self.name = np.asarray(names, dtype=object)
        self.is_official = np.isin(self.kind, OFFICIAL_KINDS) | np.array(
            [c is not None for c in cids], dtype=bool
        )
        self.crossing_node: dict[str, int] = {}
        for i in np.flatnonzero(self.is_official):
            cid = self.crossing_id[i]
            if cid is not None:
                self.crossing_node.setdefault(str(cid).upper(), int(i))
        self.official_nodes = np.flatnonzero(self.is_official)

        pos = self.node_pos
        edges = [
            (u, v, k, d)
            for u, nbrs in G._adj.items()
            for v, kd in nbrs.items()
            for k, d in kd.items()
        ]
        us = [pos[e[0]] for e in edges]
        vs = [pos[e[1]] for e in edges]
        keys = [e[2] for e in edges]
        data = [e[3] for e in edges]
        del edges
        lengths = [d.get("length_m") for d in data]
        times = [d.get("travel_time_s") for d in data]
        speeds = [d.get("speed_kph") for d in data]
        modes = [m or "road" for m in _as_strs(d.get("mode") for d in data)]
        greens = [d.get("green_border") for d in data]
        motorways = [d.get("motorway") for d in data]
        erds = _as_strs(d.get("e_road") for d in data)
        borders = _as_strs(d.get("border") for d in data)
        geoms = [d.get("geometry") for d in data]
        del data
        self.m = len(us)
        self.n_edges_graph = self.m  # (G.number_of_edges() would walk every edge once more)
        self.u = np.asarray(us, dtype=np.int64)
        self.v = np.asarray(vs, dtype=np.int64)
        self.key = keys
        self.mode = np.asarray(modes, dtype=object)
        self.green_border = _as_bool(greens)
        self.motorway = _as_bool(motorways)
        self.e_road = np.asarray(erds, dtype=object)
        self.border = np.asarray(borders, dtype=object)

        # Lengths: given, else the geodesic-ish length of the geometry / straight line.
        length = _as_float(lengths)
        missing = ~np.isfinite(length)
        if missing.any():
            length[missing] = self._straight_m(self.u[missing], self.v[missing])
        self.length_m = length
        tt = _as_float(times)
        speed = _as_float(speeds)
        missing = ~np.isfinite(tt)
        if missing.any():
            sp = np.where(np.isfinite(speed) & (speed > 0), speed, 60.0)
            tt[missing] = length[missing] / (sp[missing] / 3.6)
        self.travel_time_s = tt

        # Geometries oriented u -> v, as flat coordinate arrays with offsets.
        geom_arr = np.empty(self.m, dtype=object)
        geom_arr[:] = geoms
        is_line = _is_line(geoms)
        lines = geom_arr.copy()
        if (~is_line).any():
            idx = np.flatnonzero(~is_line)
            lines[idx] = shapely.linestrings(
                np.stack(
                    [
                        np.column_stack([self.x[self.u[idx]], self.y[self.u[idx]]]),
                        np.column_stack([self.x[self.v[idx]], self.y[self.v[idx]]]),
                    ],
                    axis=1,
                )
            )
        coords, owner = shapely.get_coordinates(lines, return_index=True)
        counts = np.bincount(owner, minlength=self.m)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        # reverse the coordinates of edges drawn v -> u
        if self.m:
            first = coords[starts]
            d_u = (first[:, 0] - self.x[self.u]) ** 2 + (first[:, 1] - self.y[self.u]) ** 2
            d_v = (first[:, 0] - self.x[self.v]) ** 2 + (first[:, 1] - self.y[self.v]) ** 2
            flip = d_v < d_u
            for i in np.flatnonzero(flip):
                s, c = starts[i], counts[i]
                coords[s : s + c] = coords[s : s + c][::-1]
                lines[i] = shapely.linestrings(coords[s : s + c])
        self._geometry: np.ndarray | None = lines
        self.coords = coords
        self.coord_start = starts
        self.coord_count = counts

        on_road = np.zeros(self.n, dtype=bool)
        nonrail = self.mode != "rail"
        on_road[self.u[nonrail]] = True
        on_road[self.v[nonrail]] = True
        if not on_road.any():
            on_road[:] = True
        self.on_road = on_road

        self._tree: Any = None
        self._junction_tree: Any = None
        self.engines: dict[tuple[Any, ...], Engine] = {}

    @property
    def geometry(self) -> np.ndarray:
        """The LineString of each edge, oriented u -> v (made from :attr:`coords` on demand)."""
        if self._geometry is None:
            import shapely

            lines = np.empty(self.m, dtype=object)
            if self.m:
                owner = np.repeat(np.arange(self.m), self.coord_count)
                lines[:] = list(shapely.linestrings(self.coords, indices=owner))
            self._geometry = lines
        return self._geometry

    # -- geometry helpers --------------------------------------------------------------------
    def _straight_m(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        lat1, lat2 = np.radians(self.y[a]), np.radians(self.y[b])
        dlat = lat2 - lat1
        dlon = np.radians(self.x[b] - self.x[a])
        h = np.sin(dlat / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(dlon / 2) ** 2
        return 2 * 6_371_008.8 * np.arcsin(np.sqrt(np.minimum(h, 1.0)))

    def _projected(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        from routes._crs import transform_xy

        x, y = transform_xy(_transformer(), lon, lat)
        return np.column_stack([x, y])

    def snap(
        self,
        lon: Sequence[float] | np.ndarray,
        lat: Sequence[float] | np.ndarray,
        *,
        junctions_only: bool = False,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Nearest node (index) and distance in metres (EPSG:3035) of each point.

        Candidates are nodes with at least one non-rail edge (a rail-only station is not
        reachable by road); ``junctions_only`` also leaves out crossings, ports and airports.
        """
        q = self._projected(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return self._nearest(q, junctions_only=junctions_only)

    def snap_both(
        self, lon: np.ndarray, lat: np.ndarray
    ) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        """:meth:`snap` with ``junctions_only`` True, then False (the points projected once)."""
        q = self._projected(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return self._nearest(q, junctions_only=True), self._nearest(q, junctions_only=False)

    def _nearest(self, q: np.ndarray, *, junctions_only: bool) -> tuple[np.ndarray, np.ndarray]:
        """Nearest candidate node of each projected point (see :meth:`snap`)."""
        from routes._crs import NearestPoints

        # snap onto nodes reachable by road (not rail-only stations)
        on_road = self.on_road
        if junctions_only:
            if self._junction_tree is None:
                cand = np.flatnonzero(~self.is_official & on_road)
                if len(cand) == 0:
                    cand = np.flatnonzero(on_road)
                pts = self._projected(self.x[cand], self.y[cand])
                self._junction_tree = (NearestPoints(pts), cand)
            tree, cand = self._junction_tree
        else:
            if self._tree is None:
                cand = np.flatnonzero(on_road)
                pts = self._projected(self.x[cand], self.y[cand])
                self._tree = (NearestPoints(pts), cand)
            tree, cand = self._tree
        if len(q) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        dist, idx = tree.query(q)
        return cand[idx].astype(np.int64), dist

    # -- engines -----------------------------------------------------------------------------
    def engine(self, profile: CostProfile, closed_nodes: Iterable[int] = ()) -> Engine:
        """The (cached) engine of a profile with some nodes closed."""
        closed = tuple(sorted({int(c) for c in closed_nodes}))
        key = (
            profile.base,
            profile.crossing_penalty,
            profile.green_border_factor,
            profile.motorway_factor,
            tuple(sorted(dict(profile.mode_factors).items())),
            closed,
        )
        eng = self.engines.get(key)
        if eng is None:
            eng = Engine(self, profile, closed)
            self.engines[key] = eng
        return eng


_TRANSFORMER: Any = None


def _transformer() -> Any:
    global _TRANSFORMER
    if _TRANSFORMER is None:
        from routes._crs import shared_transformer

        _TRANSFORMER = shared_transformer("EPSG:4326", "EPSG:3035")
    return _TRANSFORMER


class Engine:
    """Profile weights of a graph index as a CSR matrix, with Dijkstra helpers."""

    def __init__(self, index: GraphIndex, profile: CostProfile, closed: tuple[int, ...]) -> None:
        self.index = index
        self.profile = profile
        self.closed = closed
        ix = index
        base = ix.travel_time_s if profile.base == "travel_time_s" else ix.length_m
        w = base.astype(float).copy()
        mf = dict(profile.mode_factors)
        if mf:
            factor = np.array([mf.get(m, 1.0) for m in ix.mode], dtype=float)
            w *= factor
        if profile.green_border_factor != 1.0:
            w = np.where(ix.green_border, w * profile.green_border_factor, w)
        if profile.motorway_factor != 1.0:
            w = np.where(ix.motorway, w * profile.motorway_factor, w)
        if profile.crossing_penalty:
            w = w + np.where(ix.is_official[ix.v], profile.crossing_penalty, 0.0)
        w = np.maximum(w, 0.0) + _EPS
        ok = np.isfinite(w)
        if closed:
            cl = np.zeros(ix.n, dtype=bool)
            cl[list(closed)] = True
            ok &= ~cl[ix.u] & ~cl[ix.v]
        ok &= ix.u != ix.v
        self.weight = np.where(ok, w, np.inf)
        cand = np.flatnonzero(ok)
        order = np.lexsort((self.weight[cand], ix.v[cand], ix.u[cand]))
        cand = cand[order]
        pair = ix.u[cand] * ix.n + ix.v[cand]
        first = np.ones(len(cand), dtype=bool)
        first[1:] = pair[1:] != pair[:-1]
        self.pair_edge = cand[first]  # edge index per kept (u, v) pair, sorted by pair key
        self.pair_key = pair[first]
        n = ix.n
        # by (u, v) without repeats: the matrix's entries in CSR order
        self._arrays = {
            False: CsrArrays.from_sorted_pairs(
                ix.u[self.pair_edge], ix.v[self.pair_edge], self.weight[self.pair_edge], n
            )
        }
        self.trees = Trees()
        self.rtrees = Trees()
        # the nodes whose distances the trees keep (per direction) and node -> column; an
        # unwatched node maps to the last column, which holds NaN
        self._watched = {False: np.zeros(0, dtype=np.int64), True: np.zeros(0, dtype=np.int64)}
        self._col = {d: np.zeros(n, dtype=np.int64) for d in (False, True)}
        self.pred_dtype = np.int16 if n < np.iinfo(np.int16).max else np.int32
        self._stores: dict[bool, TreeStore | None] = {}

    def watch(self, nodes: Iterable[int] | np.ndarray, *, reverse: bool = False) -> None:
        """Declare the nodes whose distances will be read from the trees of one direction.

        The trees keep every predecessor (a path may run anywhere) but distances only at the
        watched nodes: a tenth of the memory, which on the bundled network is most of what
        the trees cost beyond Dijkstra itself. Watching new nodes drops the trees kept so
        far in that direction (their rows lack the new columns); call it before
        :meth:`ensure_trees`.
        """
        arr = np.unique(np.fromiter((int(x) for x in nodes), dtype=np.int64))
        cur = self._watched[reverse]
        if not len(np.setdiff1d(arr, cur, assume_unique=True)):
            return
        merged = np.union1d(cur, arr)
        col = np.full(self.index.n, len(merged), dtype=np.int64)
        col[merged] = np.arange(len(merged))
        self._watched[reverse], self._col[reverse] = merged, col
        if reverse:
            self.rtrees = Trees()
        else:
            self.trees = Trees()

    def col(self, *, reverse: bool = False) -> np.ndarray:
        """Node -> column of the distance rows (see :meth:`watch`)."""
        return self._col[reverse]

    # -- trees -------------------------------------------------------------------------------
    def ensure_trees(
        self,
        sources: Iterable[int],
        *,
        reverse: bool = False,
        limits: dict[int, float] | None = None,
    ) -> None:
        """Compute (once) the Dijkstra tree of every node given.

        ``reverse=False``: single-source trees (distances *from* the node); ``reverse=True``:
        trees on the transposed graph (distances *to* the node, predecessor = next hop).
        ``limits`` (per node; absent = whole tree) stops a tree beyond that cost: the row is
        exact up to it (see :class:`Trees`), so a caller reading only nodes within the limit
        gets what the whole tree would give. A row kept from an earlier call is reused when
        its limit reaches the one asked for, else computed again.
        """
        trees = self.rtrees if reverse else self.trees
        todo = trees.missing(sources, limits)
        if not todo:
            return
        mat = self.arrays(reverse=reverse)
        want = {s: limits[s] for s in todo if s in limits} if limits else {}
        watch = self._watched[reverse]
        store = self._store(mat, reverse=reverse)
        if store is not None:
            from routes.routing._treestore import take_stored

            todo = take_stored(store, trees, todo, want, watch)
            if not todo:
                return
            store.make_folder()
        rows = solve_trees(
            mat.matrix(), todo, want, watch=watch, pred_dtype=self.pred_dtype, keep=store
        )
        for s, dist, block, at, limit in rows:
            trees.store(s, dist, block, at, limit)
        if store is not None:
            store.trim()

    @property
    def csr(self) -> csr_matrix:
        """The cost matrix (u -> v) as a :class:`scipy.sparse.csr_matrix` (made on first use)."""
        return self._arrays[False].matrix()

    def arrays(self, *, reverse: bool = False) -> CsrArrays:
        """The cost matrix of one direction as CSR arrays (reverse: the transposed matrix)."""
        if reverse not in self._arrays:
            self._arrays[reverse] = self._arrays[False].transposed()
        return self._arrays[reverse]

    def _store(self, mat: CsrArrays, *, reverse: bool) -> TreeStore | None:
        """The on-disk tree store of one direction (None when trees are not kept)."""
        if reverse not in self._stores:
            from routes.routing._treestore import tree_store

            self._stores[reverse] = tree_store(mat, reverse=reverse, pred_dtype=self.pred_dtype)
        return self._stores[reverse]

    def dist(self, source: int) -> np.ndarray:
        """Distances from ``source`` to the watched nodes, by :meth:`col` (tree must exist)."""
        return self.trees.dist[self.trees.row_of[source]]

    def rdist(self, target: int) -> np.ndarray:
        """Distances from the watched nodes to ``target``, by ``col(reverse=True)``."""
        return self.rtrees.dist[self.rtrees.row_of[target]]

    def node_path(self, source: int, target: int) -> list[int] | None:
        """Node indices of the tree path source -> target (None when unreachable)."""
        if source == target:
            return [source]
        out = self._follow(self.trees.pred(source), target, source)
        if out is not None:
            out.reverse()
        return out

    def rnode_path(self, source: int, target: int) -> list[int] | None:
        """Node path source -> target read from the reverse tree of ``target``."""
        if source == target:
            return [source]
        return self._follow(self.rtrees.pred(target), source, target)

    def _follow(self, links: np.ndarray, start: int, stop: int) -> list[int] | None:
        """Nodes from ``start`` along ``links`` (a tree's pointers) up to ``stop``, or None."""
        out = [start]
        cur = start
        for _ in range(self.index.n):
            cur = int(links[cur])
            if cur < 0:
                return None
            out.append(cur)
            if cur == stop:
                return out
        return None  # pragma: no cover - defensive

    def walk_pairs(
        self, roots: np.ndarray, starts: np.ndarray, *, reverse: bool = False
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The tree paths of many (root, start) pairs at once, over many trees.

        Forward: the path root -> start read from the tree of root; reverse: the path
        start -> root read from the reverse tree of root. Every walk advances one hop per
        numpy step, over all trees together (the walks still going only), so the cost is the
        total length of the paths plus a step per hop of the longest. Returns the nodes of
        all paths in a row (int64), where each path starts, its length, and whether it was
        found (an unreachable start, or one beyond a limited tree, has no path).
        """
        trees = self.rtrees if reverse else self.trees
        roots = np.asarray(roots, dtype=np.int64)
        starts = np.asarray(starts, dtype=np.int64)
        count = len(roots)
        if not count:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty, np.zeros(0, dtype=bool)
        uroots, inverse = np.unique(roots, return_inverse=True)
        links, block_row = trees.links(uroots.tolist())
        prow = block_row[inverse]
        small = np.int32 if max(self.index.n, count) < np.iinfo(np.int32).max else np.int64
        cur = starts.copy()
        # who moved to where, per hop (in the smaller type: these add up to every path)
        hops_walk, hops_node = [np.arange(count, dtype=small)], [starts.astype(small)]
        failed = np.zeros(count, dtype=bool)
        active = np.flatnonzero(cur != roots)
        for _ in range(self.index.n):
            if not len(active):
                break
            nxt = links[prow[active], cur[active]].astype(np.int64)
            bad = nxt < 0
            if bad.any():
                failed[active[bad]] = True
                active, nxt = active[~bad], nxt[~bad]
            cur[active] = nxt
            hops_walk.append(active.astype(small))
            hops_node.append(nxt.astype(small))
            active = active[nxt != roots[active]]
        # each walk moved on every hop until it stopped: its length is its count of hops
        lengths = np.zeros(count, dtype=np.int64)
        for walk in hops_walk:
            lengths[walk] += 1
        lengths[failed] = 0
        first = np.cumsum(lengths) - lengths
        nodes = np.empty(int(lengths.sum()), dtype=np.int64)
        for hop, (walk, node) in enumerate(zip(hops_walk, hops_node, strict=True)):
            good = ~failed[walk]
            walk, node = walk[good], node[good]
            # forward walks run start -> root: each path is written back to front
            nodes[first[walk] + (lengths[walk] - 1 - hop if not reverse else hop)] = node
        return nodes, first, lengths, ~failed

    def edges_of(self, node_path: Sequence[int] | np.ndarray) -> np.ndarray:
        """Edge indices (cheapest parallel edge) along a node path."""
        if len(node_path) < 2:
            return np.zeros(0, dtype=np.int64)
        a = np.asarray(node_path, dtype=np.int64)
        return self.edges_along(a, np.ones(len(a) - 1, dtype=bool))

    def edges_along(self, nodes: np.ndarray, inner: np.ndarray) -> np.ndarray:
        """The edge of each pair ``(nodes[i], nodes[i + 1])`` where ``inner[i]``, in order.

        ``nodes`` may hold many paths in a row (``inner`` False where one ends). Looked up a
        chunk of pairs at a time, so that the temporaries stay small enough for the allocator
        to reuse (fresh memory costs more than the look-up).
        """
        out = np.empty(int(inner.sum()), dtype=np.int64)
        n = self.index.n
        at = 0
        step = 1 << 16
        for i0 in range(0, len(inner), step):
            i1 = min(i0 + step, len(inner))
            m = inner[i0:i1]
            key = nodes[i0:i1][m].astype(np.int64) * n + nodes[i0 + 1 : i1 + 1][m]
            out[at : at + len(key)] = self.pair_edge[self.pair_key.searchsorted(key)]
            at += len(key)
        return out

    def cost_of(self, edges: np.ndarray) -> float:
        return float(self.weight[edges].sum()) if len(edges) else 0.0
