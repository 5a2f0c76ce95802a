"""Route incidents: group by waypoint sequence, resolve, Dijkstra trees, alternatives, logit.

Private; the public doors are :func:`routes.route_incidents` and :func:`routes.route_between`.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from routes._crs import to_crs
from routes._errors import Problem, ValidationError
from routes.routing._engine import Engine, GraphIndex, graph_index
from routes.routing._waypoints import Waypoint, WaypointResolver
from routes.routing.profiles import get_profile
from routes.routing.result import ATTR_COLUMNS, RouteResult

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    import geopandas as gpd
    import networkx as nx

    from routes.routing.profiles import CostProfile

__all__ = ["check_options", "closed_nodes", "route_between_impl", "route_incidents_impl"]

WAYPOINT_COLUMNS = ("origin", "transit", "crossing", "destination")
_LOG = logging.getLogger("routes.routing")


# ---------------------------------------------------------------------------------------------
# options
# ---------------------------------------------------------------------------------------------
def rail_variant(profile: CostProfile) -> CostProfile:
    """The profile for trips by train: rail edges at factor 1 unless the profile sets one."""
    from dataclasses import replace

    mf = dict(profile.mode_factors)
    if math.isinf(mf.get("rail", 1.0)):
        mf["rail"] = 1.0
    return replace(profile, mode_factors=mf)


def check_options(k: Any, theta: Any, max_stretch: Any) -> None:
    """Raise one ValidationError listing every bad routing option (k, theta, max_stretch)."""
    problems = []
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        problems.append(f"k={k!r} must be an integer >= 1 (1 = best route only; default 3)")
    if not isinstance(theta, (int, float)) or not math.isfinite(theta) or theta < 0:
        problems.append(f"theta={theta!r} must be a finite number >= 0 (default 25.0)")
    if not isinstance(max_stretch, (int, float)) or not (max_stretch >= 1.0):
        problems.append(f"max_stretch={max_stretch!r} must be a number >= 1 (default 1.5)")
    if problems:
        raise ValidationError([Problem(p) for p in problems])


def closed_nodes(index: GraphIndex, closed: Sequence[str]) -> tuple[list[int], tuple[str, ...]]:
    """Node positions and normalised ids of the crossings to close; unknown ids are an error."""
    import difflib

    if isinstance(closed, str):
        closed = [closed]
    nodes, ids, problems = [], [], []
    for c in closed:
        cid = str(c).strip().upper()
        if cid in index.crossing_node:
            nodes.append(index.crossing_node[cid])
            ids.append(cid)
        else:
            close = difflib.get_close_matches(cid, list(index.crossing_node), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            problems.append(
                f"crossing {c!r} to close is not a crossing_id of the network{hint} "
                "(see routes.load_crossings())"
            )
    if problems:
        raise ValidationError([Problem(p) for p in problems])
    return nodes, tuple(ids)


def logit(costs: np.ndarray, theta: float) -> np.ndarray:
    """Multinomial-logit probabilities on relative cost (best first)."""
    c = np.asarray(costs, dtype=float)
    if len(c) == 1:
        return np.ones(1)
    c0 = c.min()
    rel = (c - c0) / c0 if c0 > 0 else np.where(c > c0, np.inf, 0.0)
    w = np.exp(-theta * rel)
    return w / w.sum()


# ---------------------------------------------------------------------------------------------
# the router: distinct node-set sequences -> alternatives
# ---------------------------------------------------------------------------------------------
_MISSING: Any = object()  # a cache miss (None is a cached "no path")


@dataclass
class LegAlt:
    cost: float
    edges: np.ndarray
    key: tuple[Any, ...]


@dataclass
class Half:
    """A tree path: nodes, edges, official nodes on it, green-border edges on it."""

    nodes: np.ndarray
    edges: np.ndarray
    off: tuple[int, ...]
    green: tuple[int, ...]


@dataclass
class PathRec:
    sequence_id: int
    alternative: int
    cost: float
    edges: np.ndarray
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
        self._walks: dict[tuple[int, int], np.ndarray | None] = {}
        self._rwalks: dict[tuple[int, int], np.ndarray | None] = {}
        self._cands: dict[tuple[int, int], np.ndarray] = {}
        self._halves: dict[tuple[int, int], Half | None] = {}
        self._rhalves: dict[tuple[int, int], Half | None] = {}
        self._mark = np.zeros(self.index.n, dtype=bool)
        self._via_head: dict[int, np.ndarray] = {}
        self._via_tail: dict[int, np.ndarray] = {}
        self._via_lists: tuple[list[int], list[int], list[int]] = ([], [], [])

    def prepare(self, sequences: list[list[Waypoint]]) -> None:
        """Forward trees from every node that starts a leg; the via elements.

        Via elements (used for alternatives when k > 1) are the official crossing nodes
        (entry = exit = the node) and the green-border edges (entry = tail, exit = head,
        extra = the edge's weight). Reverse trees of leg targets come in :meth:`targets`.
        """
        sources: set[int] = set()
        for seq in sequences:
            for wp in seq[:-1]:
                sources.update(wp.nodes)
        self.engine.ensure_trees(sources)
        if self.k > 1:
            ix, eng = self.index, self.engine
            closed = set(eng.closed)
            off = np.asarray([n for n in ix.official_nodes if n not in closed], dtype=np.int64)
            green = np.flatnonzero(ix.green_border & np.isfinite(eng.weight))
            self._via_entry = np.r_[off, ix.u[green]].astype(np.int64)
            self._via_exit = np.r_[off, ix.v[green]].astype(np.int64)
            self._via_extra = np.r_[np.zeros(len(off)), eng.weight[green]]
            self._via_edge = np.r_[np.full(len(off), -1, dtype=np.int64), green]
            self._via_head.clear()
            self._via_tail.clear()
        self._via_lists = (
            self._via_entry.tolist(),
            self._via_exit.tolist(),
            self._via_edge.tolist(),
        )

    def targets(self, legs: Sequence[tuple[int, int]]) -> None:
        """Reverse trees of every leg target (alternatives only), then batch the walks."""
        if self.k > 1:
            self.engine.ensure_trees({b for a, b in legs if a != b}, reverse=True)
        self.prefetch(legs)

    # -- single leg ---------------------------------------------------------------------------
    def _key(self, nodes: Sequence[int], edges: np.ndarray) -> tuple[Any, ...]:
        ix = self.index
        arr = np.asarray(nodes, dtype=np.int64)
        cross = tuple(int(x) for x in arr[ix.is_official[arr]])
        green = tuple(int(e) for e in edges[ix.green_border[edges]]) if len(edges) else ()
        return (cross, green)

    def _walk(self, a: int, c: int, *, reverse: bool = False) -> np.ndarray | None:
        """Cached node path a -> c, read from the forward (or, with ``reverse``, reverse) tree."""
        cache = self._rwalks if reverse else self._walks
        key = (a, c)
        got = cache.get(key, False)
        if got is False:
            p = self.engine.rnode_path(a, c) if reverse else self.engine.node_path(a, c)
            got = None if p is None else np.asarray(p, dtype=np.int64)
            cache[key] = got
        return got  # type: ignore[return-value]

    def _candidates(self, a: int, b: int, best_cost: float) -> np.ndarray:
        """Via elements worth trying for leg a -> b, cheapest first, one per distinct cost.

        An element on the best path costs exactly the best cost and an element on an
        alternative costs exactly that alternative's cost, so equal costs are dropped.
        """
        eng = self.engine
        head = self._via_head.get(a)
        if head is None:  # cost to reach each element's exit from a (shared by a's legs)
            head = self._via_head[a] = eng.dist(a)[self._via_entry] + self._via_extra
        tail = self._via_tail.get(b)
        if tail is None:
            tail = self._via_tail[b] = eng.rdist(b)[self._via_exit]
        via = head + tail
        tol = 1e-9 * max(best_cost, 1.0)
        ok = np.flatnonzero((via <= best_cost * self.max_stretch) & (via > best_cost + tol))
        if not len(ok):
            return ok
        ok = ok[np.argsort(via[ok], kind="stable")]
        c = via[ok]
        keep = np.ones(len(ok), dtype=bool)
        keep[1:] = np.diff(c) > tol
        return ok[keep][: max(3 * (self.k - 1), 1)]

    def prefetch(self, legs: Sequence[tuple[int, int]]) -> None:
        """Walk every best path and every candidate alternative in batches (numpy per hop)."""
        eng = self.engine
        legs = sorted({(a, b) for a, b in legs if a != b})
        by_src: dict[int, list[int]] = {}
        for a, b in legs:
            if (a, b) not in self._walks and math.isfinite(float(eng.dist(a)[b])):
                by_src.setdefault(a, []).append(b)
        for a, bs in by_src.items():
            self._store(a, eng.walk_many(a, np.asarray(bs), reverse=False))
        if self.k <= 1 or not len(self._via_entry):
            return
        first: dict[int, set[int]] = {}
        second: dict[int, set[int]] = {}
        for a, b in legs:
            best = float(eng.dist(a)[b])
            if not math.isfinite(best):
                continue
            cand = self._candidates(a, b, best)
            self._cands[(a, b)] = cand
            for j in cand:
                first.setdefault(a, set()).add(int(self._via_entry[j]))
                second.setdefault(b, set()).add(int(self._via_exit[j]))
        for a, cs in first.items():
            todo = [c for c in cs if (a, c) not in self._walks]
            if todo:
                self._store(a, eng.walk_many(a, np.asarray(todo)))
        for b, cs in second.items():
            todo = [c for c in cs if (c, b) not in self._rwalks]
            if todo:
                self._store(b, eng.walk_many(b, np.asarray(todo), reverse=True), reverse=True)

    def _store(
        self, root: int, walks: dict[int, np.ndarray | None], *, reverse: bool = False
    ) -> None:
        """Cache the walks of one tree and their halves (edges of all paths in one lookup)."""
        wcache = self._rwalks if reverse else self._walks
        hcache = self._rhalves if reverse else self._halves
        keys: list[tuple[int, int]] = []
        paths: list[np.ndarray] = []
        for c, path in walks.items():
            key = (c, root) if reverse else (root, c)
            wcache[key] = path
            if key in hcache:
                continue
            if path is None:
                hcache[key] = None
                continue
            keys.append(key)
            paths.append(path)
        if not paths:
            return
        ix, eng = self.index, self.engine
        lens = np.fromiter((len(p) for p in paths), dtype=np.int64, count=len(paths))
        flat = np.concatenate(paths).astype(np.int64, copy=False)
        inner = np.ones(max(len(flat) - 1, 0), dtype=bool)  # (flat[i], flat[i + 1]) in one path
        inner[(np.cumsum(lens) - 1)[:-1]] = False
        pair = flat[:-1][inner] * ix.n + flat[1:][inner]
        all_edges = eng.pair_edge[eng.pair_key.searchsorted(pair)]
        edge_lists = np.split(all_edges, np.cumsum(lens - 1)[:-1])
        is_official, green_border = ix.is_official, ix.green_border
        for key, nodes, edges in zip(keys, paths, edge_lists, strict=True):
            hcache[key] = Half(
                nodes,
                edges,
                tuple(nodes[is_official[nodes]].tolist()),
                tuple(edges[green_border[edges]].tolist()) if len(edges) else (),
            )

    def _half(self, a: int, c: int, *, reverse: bool = False) -> Half | None:
        """A cached tree path with its edges, crossing nodes and green-border edges."""
        cache = self._rhalves if reverse else self._halves
        key = (a, c)
        if key in cache:
            return cache[key]
        nodes = self._walk(a, c, reverse=reverse)
        half = None
        if nodes is not None:
            ix = self.index
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
        best_cost = float(eng.dist(a)[b])
        if not math.isfinite(best_cost):
            self._leg_cache[ck] = None
            return None
        best = self._half(a, b)
        assert best is not None
        alts = [LegAlt(eng.cost_of(best.edges), best.edges, (best.off, best.green))]
        if self.k > 1 and len(self._via_entry) and a != b:
            cand = self._cands.get(ck)
            if cand is None:
                cand = self._candidates(a, b, best_cost)
            seen = {alts[0].key}
            da, rb = eng.dist(a), eng.rdist(b)
            mark = self._mark
            halves, rhalves = self._halves, self._rhalves
            via_entry, via_exit, via_edge = self._via_lists
            for j in cand.tolist():
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
                    e_mid: tuple[int, ...] = ()
                else:  # over the green-border edge g = (entry, exit_)
                    key = (first.off + second.off, (*first.green, g, *second.green))
                    rest = second.nodes
                    e_mid = (g,)
                if key in seen:
                    continue
                mark[first.nodes] = True
                loop = bool(mark[rest].any())
                mark[first.nodes] = False
                if loop:
                    continue  # not simple (a detour to touch the element and come back)
                seen.add(key)
                e = np.concatenate([first.edges, np.asarray(e_mid, dtype=np.int64), second.edges])
                cost = float(da[entry] + self._via_extra[j] + rb[exit_])
                alts.append(LegAlt(cost, e, key))
                if len(alts) >= self.k:
                    break
        self._leg_cache[ck] = alts
        return alts

    # -- whole sequence ------------------------------------------------------------------------
    def plan(self, seq: list[Waypoint]) -> tuple[list[int] | None, str | None]:
        """Pick one node per waypoint (least total cost) or (None, reason)."""
        eng = self.engine
        # dynamic programme over candidate node sets
        best = {n: (0.0, -1) for n in seq[0].nodes}
        back: list[dict[int, tuple[float, int]]] = [best]
        for i in range(1, len(seq)):
            cur: dict[int, tuple[float, int]] = {}
            for b in seq[i].nodes:
                bc, bp = math.inf, -1
                for a, (ac, _) in back[-1].items():
                    d = ac + float(eng.dist(a)[b]) if a != b else ac
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
            parts, leg_rows, pos = [], [], 0
            for li, ai in enumerate(pick):
                e = leg_alts[li][ai].edges
                s_lab, e_lab, status, rule = meta[li]
                leg_rows.append((li, s_lab, e_lab, status, rule, pos, pos + len(e)))
                parts.append(e)
                pos += len(e)
            edges = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
            recs.append(PathRec(-1, alt_no, float(cost), edges, leg_rows, chosen[0]))
        return recs, None


# ---------------------------------------------------------------------------------------------
# incidents -> sequences
# ---------------------------------------------------------------------------------------------
def _text(values: pd.Series) -> np.ndarray:
    """Object array of stripped strings, "" for missing."""
    out = values.astype("string").str.strip().fillna("")
    return out.to_numpy(dtype=object)


def _split(value: str) -> list[str]:
    return [p.strip() for p in value.split("|") if p.strip()] if value else []


def _seizure_lonlat(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    n = len(df)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    geom = None
    try:
        import geopandas as gpd

        if isinstance(df, gpd.GeoDataFrame) and df.geometry.name in df.columns:
            geom = df.geometry
    except Exception:  # pragma: no cover - geopandas is a dependency
        geom = None
    if geom is not None and n:
        import shapely

        g = to_crs(geom, 4326) if geom.crs is not None and not geom.crs.equals(4326) else geom
        arr = np.asarray(g.values, dtype=object)
        valid = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
        safe = np.where(valid, arr, np.array(None, dtype=object))
        pts = valid & (shapely.get_type_id(safe) == 0)
        if pts.any():
            lon[pts] = shapely.get_x(arr[pts])
            lat[pts] = shapely.get_y(arr[pts])
    if "longitude" in df.columns and "latitude" in df.columns:
        need = ~np.isfinite(lon)
        if need.any():
            lo = pd.to_numeric(df["longitude"], errors="coerce").to_numpy(dtype=float)
            la = pd.to_numeric(df["latitude"], errors="coerce").to_numpy(dtype=float)
            lon[need] = lo[need]
            lat[need] = la[need]
    return lon, lat


def _attrs(df: pd.DataFrame) -> pd.DataFrame:
    n = len(df)
    out = {}
    for col in ATTR_COLUMNS:
        if col in df.columns:
            out[col] = df[col].to_numpy()
        elif col == "quantity":
            out[col] = np.ones(n, dtype=np.int64)
        elif col == "source_row":
            out[col] = np.arange(1, n + 1)
        elif col == "date":
            out[col] = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        else:
            out[col] = np.full(n, None, dtype=object)
    attrs = pd.DataFrame(out)
    q = pd.to_numeric(attrs["quantity"], errors="coerce").fillna(1)
    attrs["quantity"] = q.to_numpy(dtype=float)
    if not pd.api.types.is_datetime64_any_dtype(attrs["date"]):
        attrs["date"] = pd.to_datetime(attrs["date"], errors="coerce")
    attrs["incident_id"] = attrs["incident_id"].astype(object)
    return attrs


def _check_frame(df: Any) -> None:
    problems = []
    if not isinstance(df, pd.DataFrame):
        raise ValidationError(
            f"incidents must be a (Geo)DataFrame from routes.read_incidents(), instead got "
            f"{type(df).__name__}"
        )
    if "incident_id" not in df.columns:
        problems.append(
            "incidents have no 'incident_id' column; read the file with routes.read_incidents() "
            "(and a column mapping) so the canonical columns exist"
        )
    if not any(c in df.columns for c in WAYPOINT_COLUMNS):
        problems.append(
            f"incidents have none of the waypoint columns {list(WAYPOINT_COLUMNS)}; map the "
            "file's origin/destination columns with --mapping"
        )
    if problems:
        raise ValidationError([Problem(p) for p in problems])


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (restored on exit, also on error).

    Routing allocates many small objects that reference counting frees; the collector's
    full passes would only re-walk the graph and the tables (0.3-0.6 s at 1e4 incidents).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def route_incidents_impl(
    incidents: pd.DataFrame,
    graph: nx.MultiDiGraph | None,
    *,
    profile: str | CostProfile,
    k: int,
    theta: float,
    max_stretch: float,
    crossings: gpd.GeoDataFrame | None,
    gazetteer: Any,
    closed: Sequence[str],
    progress: bool,
    ignore_waypoints: Sequence[str] = (),
) -> RouteResult:
    with _gc_paused():
        return _route_incidents(
            incidents,
            graph,
            profile=profile,
            k=k,
            theta=theta,
            max_stretch=max_stretch,
            crossings=crossings,
            gazetteer=gazetteer,
            closed=closed,
            progress=progress,
            ignore_waypoints=ignore_waypoints,
        )


def _route_incidents(
    incidents: pd.DataFrame,
    graph: nx.MultiDiGraph | None,
    *,
    profile: str | CostProfile,
    k: int,
    theta: float,
    max_stretch: float,
    crossings: gpd.GeoDataFrame | None,
    gazetteer: Any,
    closed: Sequence[str],
    progress: bool,
    ignore_waypoints: Sequence[str],
) -> RouteResult:
    prof = get_profile(profile)
    check_options(k, theta, max_stretch)
    if not isinstance(incidents, pd.DataFrame) and isinstance(
        getattr(incidents, "accepted", None), pd.DataFrame
    ):
        incidents = incidents.accepted  # an IncidentReadResult: route its accepted rows
    clock = [time.perf_counter()]

    def _tick(step: str) -> None:
        now = time.perf_counter()
        _LOG.debug("route_incidents: %s done in %.2f s", step, now - clock[0])
        clock[0] = now

    _check_frame(incidents)
    if graph is None:
        from routes.network.graph import load_network

        graph = load_network()
    _tick("index")
    index = graph_index(graph)
    closed_node_ids, closed_ids = closed_nodes(index, closed)
    engines = {
        "road": index.engine(prof, closed_node_ids),
        "rail": index.engine(rail_variant(prof), closed_node_ids),
    }
    resolver = WaypointResolver(index, gazetteer=gazetteer, crossings=crossings)
    ignore = {str(c).strip().upper() for c in ignore_waypoints}

    df = incidents.reset_index(drop=True)
    n = len(df)
    attrs = _attrs(df)
    cols = {
        c: (_text(df[c]) if c in df.columns else np.full(n, "", dtype=object))
        for c in (*WAYPOINT_COLUMNS, "place", "jurisdiction")
    }
    _tick("columns")
    lon, lat = _seizure_lonlat(df)
    seize_node, _ = resolver.seizure_nodes(lon, lat)
    # a seizure without coordinates falls back to its place name
    place_tok = np.where(seize_node == -1, cols["place"], "")
    # rail edges only for trips by train or through a rail crossing (see CostProfile)
    modus = (
        df["modus_operandi"].astype(object).where(df["modus_operandi"].notna(), "")
        if "modus_operandi" in df.columns
        else pd.Series(np.full(n, "", dtype=object))
    )
    rail = modus.astype(str).str.strip().str.lower().eq("train").to_numpy().copy()
    for c in WAYPOINT_COLUMNS:
        rail |= pd.Series(cols[c]).str.upper().str.contains("-RAIL-", regex=False).to_numpy()
    key_df = pd.DataFrame(
        {
            "m": rail,
            "o": cols["origin"],
            "t": cols["transit"],
            "c": cols["crossing"],
            "s": seize_node,
            "p": place_tok,
            "d": cols["destination"],
            "j": cols["jurisdiction"],
        }
    )
    group = key_df.groupby(list(key_df.columns), sort=False, dropna=False).ngroup().to_numpy()
    n_groups = int(group.max()) + 1 if n else 0
    first = np.full(n_groups, -1, dtype=np.int64)
    # first row of each group
    order = np.argsort(group, kind="stable")
    if n:
        starts = np.flatnonzero(np.r_[True, group[order][1:] != group[order][:-1]])
        first[group[order][starts]] = order[starts]

    _tick("grouping+snap")
    # resolve each distinct group once into a waypoint sequence
    group_seq: list[int] = [-1] * n_groups
    group_reason: list[str | None] = [None] * n_groups
    seq_index: dict[tuple[Any, ...], int] = {}
    sequences: list[list[Waypoint]] = []
    seq_variant: list[str] = []
    for g in range(n_groups):
        r = int(first[g])
        variant = "rail" if rail[r] else "road"
        jur = cols["jurisdiction"][r] or None
        wps: list[Waypoint] = []
        errors: list[str] = []

        def add(
            token: str,
            role: str,
            jur: str | None = jur,
            wps: list[Waypoint] = wps,
            errors: list[str] = errors,
        ) -> None:
            if not token or token.upper() in ignore:
                return
            wp = resolver.resolve(token, jurisdiction=jur)
            if wp.error:
                errors.append(f"{role} {token!r}: {wp.error}")
            else:
                wps.append(wp)

        add(cols["origin"][r], "origin")
        for t in _split(cols["transit"][r]):
            add(t, "transit")
        for t in _split(cols["crossing"][r]):
            add(t, "crossing")
        sn = int(seize_node[r])
        if sn >= 0:
            wps.append(Waypoint(f"@{sn}", (sn,), "seizure", "seizure location"))
        elif sn == -2:
            errors.append(
                "seizure location lies more than 50 km from the network (outside the region "
                "covered); fix latitude/longitude"
            )
        elif place_tok[r]:
            before = len(wps)
            add(place_tok[r], "place")
            if len(wps) > before:
                w = wps[-1]
                wps[-1] = Waypoint(w.token, w.nodes, "seizure", f"seizure at {w.label}")
        add(cols["destination"][r], "destination")
        if errors:
            group_reason[g] = "; ".join(errors)
            continue
        # collapse consecutive identical waypoints
        collapsed: list[Waypoint] = []
        for wp in wps:
            if collapsed and collapsed[-1].nodes == wp.nodes:
                if wp.observed and not collapsed[-1].observed:
                    collapsed[-1] = wp
                continue
            collapsed.append(wp)
        if len(wps) < 2:
            group_reason[g] = (
                "only one waypoint (" + (wps[0].label if wps else "none") + "): give an origin, "
                "transit, crossing or destination besides the seizure location to draw a route"
            )
            continue
        if len(collapsed) == 1:
            collapsed = [collapsed[0], collapsed[0]]
        skey = (variant, *((w.nodes, w.rule, w.label) for w in collapsed))
        sid = seq_index.get(skey)
        if sid is None:
            sid = len(sequences)
            seq_index[skey] = sid
            sequences.append(collapsed)
            seq_variant.append(variant)
        group_seq[g] = sid

    _tick("resolve")
    # route every distinct sequence once
    routers = {}
    for variant, eng in engines.items():
        mine = [sq for sq, v in zip(sequences, seq_variant, strict=True) if v == variant]
        if mine:
            routers[variant] = Router(eng, k=k, theta=theta, max_stretch=max_stretch)
            routers[variant].prepare(mine)
    paths: list[PathRec] = []
    seq_paths: list[tuple[int, int]] = []  # (first path position, count)
    seq_reason: list[str | None] = []
    iterator: Any = range(len(sequences))
    if progress:
        from tqdm import tqdm

        iterator = tqdm(iterator, desc="routing sequences", unit="seq")
    _tick("trees")
    plans: list[tuple[list[int] | None, str | None]] = []
    for sid in range(len(sequences)):
        plans.append(routers[seq_variant[sid]].plan(sequences[sid]))
    for variant, router in routers.items():
        router.targets(
            [
                (ch[i], ch[i + 1])
                for (ch, _), v in zip(plans, seq_variant, strict=True)
                if ch is not None and v == variant
                for i in range(len(ch) - 1)
            ]
        )
    _tick("plan+targets+prefetch")
    for sid in iterator:
        chosen, reason = plans[sid]
        recs = None
        if chosen is not None:
            recs, reason = routers[seq_variant[sid]].build(sequences[sid], chosen)
        if recs is None:
            seq_paths.append((len(paths), 0))
            seq_reason.append(reason)
            continue
        for rec in recs:
            rec.sequence_id = sid
        seq_paths.append((len(paths), len(recs)))
        seq_reason.append(None)
        paths.extend(recs)

    _tick("build")
    # probabilities per sequence
    prob = np.zeros(len(paths))
    for start, count in seq_paths:
        if count:
            prob[start : start + count] = logit(
                np.array([p.cost for p in paths[start : start + count]]), theta
            )

    # per-incident assignment, vectorised over groups
    g_seq = np.asarray(group_seq, dtype=np.int64)
    seq_start = np.array([s for s, _ in seq_paths] + [0], dtype=np.int64)
    seq_count = np.array([c for _, c in seq_paths] + [0], dtype=np.int64)
    inc_seq = g_seq[group] if n else np.zeros(0, dtype=np.int64)
    inc_seq_safe = np.where(inc_seq >= 0, inc_seq, len(seq_paths))
    cnt = seq_count[inc_seq_safe]
    inc_rep = np.repeat(np.arange(n), cnt)
    offs = np.arange(len(inc_rep)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    ppos = np.repeat(seq_start[inc_seq_safe], cnt) + offs
    assignments = pd.DataFrame(
        {
            "incident": inc_rep.astype(np.int64),
            "alternative": offs.astype(np.int64),
            "path_id": ppos.astype(np.int64),
            "probability": prob[ppos] if len(ppos) else np.zeros(0),
        }
    )

    # unrouted incidents with reasons
    reasons = np.empty(n, dtype=object)
    reasons[:] = None
    g_reason = np.asarray(group_reason, dtype=object)
    if n:
        reasons[:] = g_reason[group]
        seq_r = np.asarray([*seq_reason, None], dtype=object)
        missing = reasons == None  # noqa: E711
        reasons[missing] = seq_r[inc_seq_safe[missing]]
    bad = np.flatnonzero(reasons != None)  # noqa: E711
    unrouted = pd.DataFrame(
        {
            "incident_id": attrs["incident_id"].to_numpy()[bad],
            "source_row": attrs["source_row"].to_numpy()[bad],
            "reason": reasons[bad].astype(str),
        }
    )

    _tick("assign")
    path_info, path_legs, path_edges = _path_tables(index, engines["road"], paths)
    _tick("path_tables")
    return RouteResult(
        incidents=attrs,
        assignments=assignments,
        path_info=path_info,
        path_legs=path_legs,
        path_edges=path_edges,
        graph=graph,
        profile=prof,
        k=int(k),
        theta=float(theta),
        max_stretch=float(max_stretch),
        unrouted=unrouted,
        source=incidents,
        closed=closed_ids,
        options={"crossings": crossings, "gazetteer": gazetteer},
    )


def _path_tables(
    index: GraphIndex, engine: Engine, paths: list[PathRec]
) -> tuple[pd.DataFrame, pd.DataFrame, dict[int, np.ndarray]]:
    """Path attributes (no geometry: it is built on demand), legs and edge lists."""
    n = len(paths)
    edges_list = [p.edges for p in paths]
    lens = np.fromiter((len(e) for e in edges_list), dtype=np.int64, count=n)
    flat = np.concatenate(edges_list).astype(np.int64) if n and lens.sum() else np.zeros(0, int)
    owner = np.repeat(np.arange(n), lens)
    info = pd.DataFrame(
        {
            "path_id": np.arange(n, dtype=np.int64),
            "sequence_id": np.fromiter((p.sequence_id for p in paths), np.int64, count=n),
            "alternative": np.fromiter((p.alternative for p in paths), np.int64, count=n),
            "cost": np.fromiter((p.cost for p in paths), float, count=n),
            "length_m": np.bincount(owner, weights=index.length_m[flat], minlength=n),
            "travel_time_s": np.bincount(owner, weights=index.travel_time_s[flat], minlength=n),
            "green_border": np.bincount(
                owner, weights=index.green_border[flat].astype(float), minlength=n
            )
            > 0,
            "start_node": np.fromiter((max(p.node, 0) for p in paths), np.int64, count=n),
        }
    )
    rows = [(pid, *leg) for pid, p in enumerate(paths) for leg in p.legs]
    legs = pd.DataFrame(
        rows,
        columns=["path_id", "leg", "start", "end", "status", "rule", "edge_start", "edge_stop"],
    )
    return info, legs, dict(enumerate(edges_list))


def route_between_impl(
    origin: str,
    destination: str,
    graph: nx.MultiDiGraph | None,
    *,
    via: Sequence[str],
    profile: str | CostProfile,
    k: int,
    theta: float,
    max_stretch: float,
    gazetteer: Any,
    closed: Sequence[str],
) -> gpd.GeoDataFrame:
    if isinstance(via, str):
        via = [via]
    frame = pd.DataFrame(
        {
            "incident_id": ["route"],
            "origin": [origin],
            "transit": ["|".join(via) if via else None],
            "destination": [destination],
        }
    )
    res = route_incidents_impl(
        frame,
        graph,
        profile=profile,
        k=k,
        theta=theta,
        max_stretch=max_stretch,
        crossings=None,
        gazetteer=gazetteer,
        closed=closed,
        progress=False,
    )
    if len(res.unrouted):
        raise ValidationError(
            [Problem(f"cannot route {origin!r} -> {destination!r}: {res.unrouted.reason.iloc[0]}")]
        )
    out = res.routes[
        [
            "alternative",
            "probability",
            "cost",
            "length_m",
            "travel_time_s",
            "crossings",
            "green_border",
            "path_id",
            "geometry",
        ]
    ].reset_index(drop=True)
    out.attrs["legs"] = res.legs
    return out
