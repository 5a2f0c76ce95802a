"""The router: distinct waypoint sequences -> the best path and its alternatives.

Private. One :class:`Router` per engine (road, rail) picks a node per waypoint (least total
cost), walks the Dijkstra trees of :mod:`routes.routing._engine` and builds the alternatives
through other crossings (see :mod:`routes.routing.api` for the model).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    from routes.routing._engine import Engine
    from routes.routing._waypoints import Waypoint

__all__ = ["Half", "LegAlt", "PathRec", "Router"]

_MISSING: Any = object()  # a cache miss (None is a cached "no path")


@dataclass(slots=True)
class LegAlt:
    """One way through a leg: its cost, its edges as parts (joined once, in path_tables)."""

    cost: float
    parts: tuple[np.ndarray, ...]
    n_edges: int
    key: tuple[Any, ...]


@dataclass(slots=True)
class Half:
    """A tree path: nodes, edges, official nodes on it, green-border edges on it."""

    nodes: np.ndarray
    edges: np.ndarray
    off: tuple[int, ...]
    green: tuple[int, ...]


@dataclass
class PathRec:
    """A path: its edges as parts in order (``n_edges`` in all), its legs and start node."""

    sequence_id: int
    alternative: int
    cost: float
    parts: list[np.ndarray]
    n_edges: int
    legs: list[tuple[int, str, str, str, str, int, int]]
    node: int = -1  # the start node (the only node of a zero-length path)


class Router:
    """Routes distinct waypoint sequences on one engine."""

    def __init__(self, engine: Engine, *, k: int, theta: float, max_stretch: float) -> None:
        self.engine = engine
        self.index = engine.index
        self.k = k
        self.theta = theta
        self.max_stretch = max_stretch
        self._leg_cache: dict[tuple[int, int], list[LegAlt] | None] = {}
        self._via_entry = self._via_exit = self._via_edge = np.zeros(0, dtype=np.int64)
        self._via_extra = np.zeros(0)
        self._fcol = self._via_entry_col = self._via_exit_col = np.zeros(0, dtype=np.int64)
        # per leg: the via elements worth trying and what each alternative would cost
        self._cands: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        self._halves: dict[tuple[int, int], Half | None] = {}
        self._rhalves: dict[tuple[int, int], Half | None] = {}
        self._mark = np.zeros(self.index.n, dtype=np.int64)  # a stamp per node (loop test)
        self._stamp = 0
        self._via_head: dict[int, np.ndarray] = {}
        self._via_tail: dict[int, np.ndarray] = {}
        self._via_lists: tuple[list[int], list[int], list[int]] = ([], [], [])

    def prepare(self, sequences: list[list[Waypoint]]) -> None:
        """Forward trees from every node that starts a leg; the via elements.

        Via elements (used for alternatives when k > 1) are the official crossing nodes
        (entry = exit = the node) and the green-border edges (entry = tail, exit = head,
        extra = the edge's weight). Reverse trees of leg targets come in :meth:`targets`.
        The forward trees keep the distances to every waypoint node and via entry (all
        that is read of them, see :meth:`Engine.watch`).
        """
        sources: set[int] = set()
        ends: set[int] = set()
        for seq in sequences:
            for wp in seq[:-1]:
                sources.update(wp.nodes)
            for wp in seq[1:]:
                ends.update(wp.nodes)
        ix, eng = self.index, self.engine
        if self.k > 1:
            closed = set(eng.closed)
            off = np.asarray([n for n in ix.official_nodes if n not in closed], dtype=np.int64)
            green = np.flatnonzero(ix.green_border & np.isfinite(eng.weight))
            self._via_entry = np.r_[off, ix.u[green]].astype(np.int64)
            self._via_exit = np.r_[off, ix.v[green]].astype(np.int64)
            self._via_extra = np.r_[np.zeros(len(off)), eng.weight[green]]
            self._via_edge = np.r_[np.full(len(off), -1, dtype=np.int64), green]
            self._via_head.clear()
            self._via_tail.clear()
        eng.watch(np.r_[np.fromiter(ends, dtype=np.int64), self._via_entry])
        eng.ensure_trees(sources)
        self._fcol = eng.col()
        self._via_entry_col = self._fcol[self._via_entry]
        self._via_lists = (
            self._via_entry.tolist(),
            self._via_exit.tolist(),
            self._via_edge.tolist(),
        )

    def targets(self, legs: Sequence[tuple[int, int]]) -> None:
        """Reverse trees of every leg target (alternatives only), then batch the walks."""
        if self.k > 1:
            self.engine.watch(self._via_exit, reverse=True)
            self.engine.ensure_trees(
                {b for a, b in legs if a != b}, reverse=True, limits=self._reach(legs)
            )
            self._via_exit_col = self.engine.col(reverse=True)[self._via_exit]
        self.prefetch(legs)

    def _reach(self, legs: Sequence[tuple[int, int]]) -> dict[int, float]:
        """How far the reverse tree of each leg target must reach: its dearest alternative.

        An alternative a -> via -> b is tried only when it costs at most ``max_stretch`` times
        the best a -> b, so its part via -> b, and every node on that part, is at most that
        far from b: the reverse tree of b may stop there (the same float product as the test
        in :meth:`_candidates`). A target with no finite leg needs no more than itself.
        """
        eng, stretch, fcol = self.engine, self.max_stretch, self._fcol
        reach: dict[int, float] = {}
        for a, b in legs:
            if a == b:
                continue
            best = float(eng.dist(a)[fcol[b]])
            lim = best * stretch if math.isfinite(best) else 0.0
            if lim > reach.get(b, -1.0):
                reach[b] = lim
        return reach

    # -- single leg ---------------------------------------------------------------------------
    def _key(self, nodes: Sequence[int], edges: np.ndarray) -> tuple[Any, ...]:
        ix = self.index
        arr = np.asarray(nodes, dtype=np.int64)
        cross = tuple(int(x) for x in arr[ix.is_official[arr]])
        green = tuple(int(e) for e in edges[ix.green_border[edges]]) if len(edges) else ()
        return (cross, green)

    def _candidates(self, a: int, b: int, best_cost: float) -> tuple[np.ndarray, np.ndarray]:
        """Via elements worth trying for leg a -> b and the cost through each, cheapest first.

        One element per distinct cost: an element on the best path costs exactly the best cost
        and an element on an alternative costs exactly that alternative's cost, so equal costs
        are dropped.
        """
        eng = self.engine
        head = self._via_head.get(a)
        if head is None:  # cost to reach each element's exit from a (shared by a's legs)
            head = self._via_head[a] = eng.dist(a)[self._via_entry_col] + self._via_extra
        tail = self._via_tail.get(b)
        if tail is None:
            tail = self._via_tail[b] = eng.rdist(b)[self._via_exit_col]
        via = head + tail
        tol = 1e-9 * max(best_cost, 1.0)
        ok = np.flatnonzero((via <= best_cost * self.max_stretch) & (via > best_cost + tol))
        if not len(ok):
            return ok, via[ok]
        ok = ok[np.argsort(via[ok], kind="stable")]
        c = via[ok]
        keep = np.ones(len(ok), dtype=bool)
        keep[1:] = np.diff(c) > tol
        limit = max(3 * (self.k - 1), 1)
        return ok[keep][:limit], c[keep][:limit]

    def _candidates_many(
        self, legs: list[tuple[int, int]], chunk: int = 1024
    ) -> dict[tuple[int, int], tuple[np.ndarray, np.ndarray]]:
        """:meth:`_candidates` of many legs ``a -> b`` at once (the same values, row by row).

        One matrix of via costs (leg x via element) per chunk of legs, from the head row of
        each start and the tail row of each end (kept for :meth:`_candidates`); the legs with
        no finite best cost are left out (as :meth:`prefetch` skips them).
        """
        eng, fcol = self.engine, self._fcol
        limit = max(3 * (self.k - 1), 1)
        out: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        best_l: list[float] = []
        kept_legs: list[tuple[int, int]] = []
        for a, b in legs:
            cost = float(eng.dist(a)[fcol[b]])
            if math.isfinite(cost):
                best_l.append(cost)
                kept_legs.append((a, b))
        heads, tails = self._via_head, self._via_tail
        for a, b in kept_legs:  # the rows of every start and end, cached
            if a not in heads:
                heads[a] = eng.dist(a)[self._via_entry_col] + self._via_extra
            if b not in tails:
                tails[b] = eng.rdist(b)[self._via_exit_col]
        best_all = np.asarray(best_l, dtype=float)
        for i0 in range(0, len(kept_legs), chunk):
            part = kept_legs[i0 : i0 + chunk]
            best = best_all[i0 : i0 + chunk]
            via = np.stack([heads[a] for a, _ in part]) + np.stack([tails[b] for _, b in part])
            tol = 1e-9 * np.maximum(best, 1.0)
            ok = (via <= (best * self.max_stretch)[:, None]) & (via > (best + tol)[:, None])
            # per row: the elements worth trying by cost (ties in element order), then the
            # others (infinite); an element within tol of the one before it is a duplicate
            masked = np.where(ok, via, np.inf)
            order = np.argsort(masked, axis=1, kind="stable")
            vals = np.take_along_axis(masked, order, axis=1)
            kept = np.take_along_axis(ok, order, axis=1)
            with np.errstate(invalid="ignore"):  # inf - inf among the others: never kept
                kept[:, 1:] &= (vals[:, 1:] - vals[:, :-1]) > tol[:, None]
            kept &= np.cumsum(kept, axis=1) <= limit
            for r, leg in enumerate(part):
                out[leg] = (order[r][kept[r]], vals[r][kept[r]])
        return out

    def prefetch(self, legs: Sequence[tuple[int, int]]) -> None:
        """Walk every best path and every candidate alternative, all trees at once."""
        eng, fcol = self.engine, self._fcol
        legs = sorted({(a, b) for a, b in legs if a != b})
        forward: set[tuple[int, int]] = {
            (a, b)
            for a, b in legs
            if (a, b) not in self._halves and math.isfinite(float(eng.dist(a)[fcol[b]]))
        }
        backward: set[tuple[int, int]] = set()
        if self.k > 1 and len(self._via_entry):
            entry_l, exit_l = self._via_lists[0], self._via_lists[1]
            for (a, b), cand in self._candidates_many(legs).items():
                self._cands[(a, b)] = cand
                for j in cand[0].tolist():
                    forward.add((a, entry_l[j]))
                    backward.add((exit_l[j], b))
        self._store(sorted(p for p in forward if p not in self._halves), reverse=False)
        self._store(sorted(p for p in backward if p not in self._rhalves), reverse=True)

    def _store(self, pairs: list[tuple[int, int]], *, reverse: bool) -> None:
        """Walk the tree paths of ``pairs`` and cache them with their halves.

        Forward pairs are (root, end) read from the tree of root; reverse pairs (start, root)
        from the reverse tree of root. The edges of all paths come from one look-up.
        """
        if not pairs:
            return
        ix, eng = self.index, self.engine
        arr = np.asarray(pairs, dtype=np.int64)
        roots, ends = (arr[:, 1], arr[:, 0]) if reverse else (arr[:, 0], arr[:, 1])
        nodes, first, lengths, found = eng.walk_pairs(roots, ends, reverse=reverse)
        hcache = self._rhalves if reverse else self._halves
        # the edges: consecutive nodes within one path
        inner = np.ones(max(len(nodes) - 1, 0), dtype=bool)
        stops = first + lengths - 1  # the last node of each path
        inner[stops[(lengths > 0) & (stops < len(inner))]] = False
        edges = eng.edges_along(nodes, inner)
        e_len = np.maximum(lengths - 1, 0)  # a path has one edge fewer than nodes
        e_first = np.cumsum(e_len) - e_len
        # the crossing nodes and green-border edges of each path: where they start and end in
        # the lists of all of them (read at the paths' ends only: the running counts span
        # every node of every path, millions of them)
        off_mask = ix.is_official[nodes]
        off_nodes = nodes[off_mask].tolist()
        off_cum = np.concatenate([[0], np.cumsum(off_mask)])
        green_mask = ix.green_border[edges]
        green_edges = edges[green_mask].tolist()
        green_cum = np.concatenate([[0], np.cumsum(green_mask)])
        rows = zip(
            pairs,
            first.tolist(),
            lengths.tolist(),
            found.tolist(),
            e_first.tolist(),
            off_cum[first].tolist(),
            off_cum[first + lengths].tolist(),
            green_cum[e_first].tolist(),
            green_cum[e_first + e_len].tolist(),
            strict=True,
        )
        for key, s0, size, ok, e0, o0, o1, g0, g1 in rows:
            if key in hcache:
                continue
            if not ok:
                hcache[key] = None
                continue
            hcache[key] = Half(
                nodes[s0 : s0 + size],
                edges[e0 : e0 + size - 1],
                tuple(off_nodes[o0:o1]),
                tuple(green_edges[g0:g1]),
            )

    def _half(self, a: int, c: int, *, reverse: bool = False) -> Half | None:
        """A cached tree path with its edges, crossing nodes and green-border edges."""
        cache = self._rhalves if reverse else self._halves
        key = (a, c)
        if key in cache:
            return cache[key]
        path = self.engine.rnode_path(a, c) if reverse else self.engine.node_path(a, c)
        half = None
        if path is not None:
            ix = self.index
            nodes = np.asarray(path, dtype=np.int64)
            edges = self.engine.edges_of(nodes)
            half = Half(
                nodes,
                edges,
                tuple(nodes[ix.is_official[nodes]].tolist()),
                tuple(edges[ix.green_border[edges]].tolist()) if len(edges) else (),
            )
        cache[key] = half
        return half

    def leg(self, a: int, b: int) -> list[LegAlt] | None:
        """Best path a -> b and up to k-1 alternatives through other crossings."""
        ck = (a, b)
        if ck in self._leg_cache:
            return self._leg_cache[ck]
        eng = self.engine
        best_cost = float(eng.dist(a)[self._fcol[b]])
        if not math.isfinite(best_cost):
            self._leg_cache[ck] = None
            return None
        best = self._half(a, b)
        assert best is not None
        alts = [
            LegAlt(eng.cost_of(best.edges), (best.edges,), len(best.edges), (best.off, best.green))
        ]
        if self.k > 1 and len(self._via_entry) and a != b:
            got = self._cands.get(ck)
            cand, via_cost = got if got is not None else self._candidates(a, b, best_cost)
            seen = {alts[0].key}
            mark = self._mark
            halves, rhalves = self._halves, self._rhalves
            via_entry, via_exit, via_edge = self._via_lists
            for j, cost in zip(cand.tolist(), via_cost.tolist(), strict=True):
                entry, exit_ = via_entry[j], via_exit[j]
                first = halves.get((a, entry), _MISSING)
                if first is _MISSING:
                    first = self._half(a, entry)
                second = rhalves.get((exit_, b), _MISSING)
                if second is _MISSING:
                    second = self._half(exit_, b, reverse=True)
                if first is None or second is None:
                    continue
                g = via_edge[j]
                if g < 0:  # through crossing node `entry` (== exit_)
                    key = (first.off + second.off[1:], first.green + second.green)
                    rest = second.nodes[1:]
                    parts: tuple[np.ndarray, ...] = (first.edges, second.edges)
                else:  # over the green-border edge g = (entry, exit_)
                    key = (first.off + second.off, (*first.green, g, *second.green))
                    rest = second.nodes
                    parts = (first.edges, np.array([g], dtype=np.int64), second.edges)
                if key in seen:
                    continue
                self._stamp += 1  # nodes of this first half carry this stamp
                mark[first.nodes] = self._stamp
                if (mark[rest] == self._stamp).any():
                    continue  # not simple (a detour to touch the element and come back)
                seen.add(key)
                size = len(first.edges) + len(second.edges) + (g >= 0)
                alts.append(LegAlt(cost, parts, size, key))
                if len(alts) >= self.k:
                    break
        self._leg_cache[ck] = alts
        return alts

    # -- whole sequence ------------------------------------------------------------------------
    def plan(self, seq: list[Waypoint]) -> tuple[list[int] | None, str | None]:
        """Pick one node per waypoint (least total cost) or (None, reason)."""
        eng, fcol = self.engine, self._fcol
        # dynamic programme over candidate node sets
        best = {n: (0.0, -1) for n in seq[0].nodes}
        back: list[dict[int, tuple[float, int]]] = [best]
        for i in range(1, len(seq)):
            cur: dict[int, tuple[float, int]] = {}
            for b in seq[i].nodes:
                bc, bp = math.inf, -1
                for a, (ac, _) in back[-1].items():
                    d = ac + float(eng.dist(a)[fcol[b]]) if a != b else ac
                    if d < bc:
                        bc, bp = d, a
                cur[b] = (bc, bp)
            back.append(cur)
            if not any(math.isfinite(v[0]) for v in cur.values()):
                prev = seq[i - 1]
                return (
                    None,
                    f"no path from {prev.label} to {seq[i].label} on the network "
                    f"(profile {eng.profile.name})",
                )
        last = min(back[-1].items(), key=lambda kv: kv[1][0])[0]
        chosen = [last]
        for i in range(len(seq) - 1, 0, -1):
            chosen.append(back[i][chosen[-1]][1])
        chosen.reverse()
        return chosen, None

    def build(
        self, seq: list[Waypoint], chosen: list[int]
    ) -> tuple[list[PathRec] | None, str | None]:
        """The best route through the chosen nodes and its alternatives (best first)."""

        legs: list[tuple[int, int, int]] = []  # (waypoint i, a, b)
        leg_alts: list[list[LegAlt]] = []
        for i in range(len(seq) - 1):
            a, b = chosen[i], chosen[i + 1]
            if a == b:
                continue
            alts = self.leg(a, b)
            if alts is None:  # pragma: no cover - the DP found it finite
                return None, f"no path from {seq[i].label} to {seq[i + 1].label}"
            legs.append((i, a, b))
            leg_alts.append(alts)

        combos: list[tuple[float, tuple[int, ...]]] = []
        base = tuple(0 for _ in leg_alts)
        total0 = sum(la[0].cost for la in leg_alts)
        combos.append((total0, base))
        if self.k > 1:
            extra = []
            for j, la in enumerate(leg_alts):
                for ai in range(1, len(la)):
                    alt_pick = list(base)
                    alt_pick[j] = ai
                    extra.append((total0 - la[0].cost + la[ai].cost, tuple(alt_pick)))
            extra.sort(key=lambda t: t[0])
            limit = total0 * self.max_stretch
            combos += [c for c in extra if c[0] <= limit][: self.k - 1]

        meta = []
        for wi, _a, _b in legs:
            start, end = seq[wi], seq[wi + 1]
            status = "observed" if start.observed and end.observed else "inferred"
            rule = start.rule if start.rule == end.rule else f"{start.rule}+{end.rule}"
            meta.append((start.label, end.label, status, rule))
        recs = []
        for alt_no, (cost, pick) in enumerate(combos):
            parts: list[np.ndarray] = []
            leg_rows, pos = [], 0
            for li, ai in enumerate(pick):
                alt = leg_alts[li][ai]
                s_lab, e_lab, status, rule = meta[li]
                leg_rows.append((li, s_lab, e_lab, status, rule, pos, pos + alt.n_edges))
                parts.extend(alt.parts)
                pos += alt.n_edges
            recs.append(PathRec(-1, alt_no, float(cost), parts, pos, leg_rows, chosen[0]))
        return recs, None
