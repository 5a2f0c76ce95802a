"""The route part of a map's data block: crossings, incident -> path lists, path tables.

A :class:`RouteTables` holds, for every path drawn, its edges, the crossings it meets (in order,
without repeats) and its corridor label (the jurisdictions passed, in order). It is built from a
:class:`routes.RouteResult` either from the engine's arrays (:func:`engine_path_tables`,
vectorised) or by walking the graph (:func:`graph_path_tables`); both give the same tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from routes._constants import display_name
from routes._crs import to_crs
from routes._errors import Problem, ValidationError
from routes.maps._pack import SCALE

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "CrossingTable",
    "IncidentRoutes",
    "RouteTables",
    "edge_key",
    "engine_path_tables",
    "graph_path_tables",
    "join_routes",
]

_EMPTY = np.zeros(0, dtype=np.int64)


def _text(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    s = str(v).strip()
    return s or None


@dataclass
class CrossingTable:
    """The crossings drawn, in order: ``rows`` for the page, ``index`` crossing id -> row."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_frame(cls, crossings: gpd.GeoDataFrame | None) -> CrossingTable:
        """The table's rows from a crossings layer (first row of each id; EPSG:4326)."""
        table = cls()
        if crossings is None or not len(crossings):
            return table
        cx = to_crs(crossings, "EPSG:4326") if crossings.crs is not None else crossings
        for row in cx.itertuples(index=False):
            cid = str(row.crossing_id)
            if cid not in table.index:
                table.index[cid] = len(table.rows)
                table.rows.append(_crossing_record(row, cid))
        return table

    def of_node(self, attrs: dict[str, Any], cid: str) -> int:
        """Row of crossing ``cid``, added from the graph node's attributes if missing."""
        if cid not in self.index:
            self.index[cid] = len(self.rows)
            self.rows.append(_crossing_from_node(attrs, cid))
        return self.index[cid]


@dataclass
class IncidentRoutes:
    """Per incident (in map order) its (path, probability) alternatives.

    ``count[i]`` alternatives of incident ``i`` follow each other in ``path`` (path codes) and
    ``prob`` (probabilities in 1/65535); ``path_ids`` are the result's path ids by code;
    ``evidence`` the evidence class of each (0 recorded, 1 inferred from records, 2 from
    priors: :func:`routes.evidence_classes`).
    """

    count: np.ndarray
    path: np.ndarray
    prob: np.ndarray
    path_ids: list[Any]
    evidence: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))

    @property
    def inferred(self) -> np.ndarray:
        """Whether each alternative rests on an inferred leg (from records or priors)."""
        return self.evidence > 0


@dataclass
class RouteTables:
    """Path tables of a map: edges, crossings and corridor per path, the edges used.

    ``p_len``/``p_edge``: edge count per path and the edges (indices into ``edge_list``) one
    path after another; ``x_len``/``p_cross`` the same for crossings (rows of the
    :class:`CrossingTable`); ``path_corr`` the corridor of each path (index into ``corridors``);
    ``edge_coords`` (point count per edge, fixed-point lon/lat) and ``edge_index`` (the
    routing index's edges) when the engine gave them.
    """

    p_len: np.ndarray = field(default_factory=lambda: _EMPTY)
    p_edge: np.ndarray = field(default_factory=lambda: _EMPTY)
    x_len: np.ndarray = field(default_factory=lambda: _EMPTY)
    p_cross: np.ndarray = field(default_factory=lambda: _EMPTY)
    path_corr: list[int] = field(default_factory=list)
    corridors: list[str] = field(default_factory=list)
    edge_list: list[tuple[Any, Any, Any]] = field(default_factory=list)
    edge_coords: tuple[np.ndarray, np.ndarray] | None = None
    #: the routing index's edge of each ``edge_list`` entry (engine tables only)
    edge_index: np.ndarray | None = None

    @property
    def n_paths(self) -> int:
        """Number of paths."""
        return len(self.p_len)


def join_routes(
    incidents: pd.DataFrame,
    result: Any,
    order: np.ndarray,
    *,
    classes: np.ndarray | None = None,
) -> IncidentRoutes:
    """Join the result's route alternatives to the incidents, in map order, by ``incident_id``.

    ``classes``: :func:`routes.evidence_classes` of ``result`` if already computed. When the
    result's incidents carry the map's ids in the same order (a map of the incidents routed),
    the join is by position, without looking up ~10⁵ ids as text.
    """
    n = len(incidents)
    if "incident_id" not in incidents.columns:
        raise ValidationError(
            Problem(
                "incidents need an 'incident_id' column to be joined to the routes",
                column="incident_id",
                reason="missing_column",
            )
        )
    text = incidents["incident_id"].astype(str)
    if text.duplicated().any():  # routes are joined by id: name the first repeat in map order
        ids = pd.Index(text.to_numpy()[order])
        first = int(np.flatnonzero(ids.duplicated())[0])
        raise ValidationError(
            Problem(
                f"incident_id {ids[first]!r} occurs more than once; routes are joined by "
                "incident_id, so make the ids unique",
                column="incident_id",
                value=ids[first],
                reason="duplicate_id",
            )
        )
    rows = _compact_rows(result, text, order, classes)
    pos, alt, prob, path_id, evidence = rows or _routes_rows(result, text, order)
    keep = (pos >= 0) & path_id.notna().to_numpy()
    picked = _map_order(pos, alt, keep)
    path_codes, path_uniques = _first_seen(path_id, picked)
    return IncidentRoutes(
        count=np.bincount(pos[picked], minlength=n),
        path=path_codes,
        prob=np.clip(np.round(prob[picked] * 65535), 0, 65535).astype(np.int64),
        path_ids=path_uniques,
        evidence=np.asarray(evidence)[picked].astype(np.int8),
    )


def _compact_rows(
    result: Any, text: pd.Series, order: np.ndarray, classes: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Series, np.ndarray] | None:
    """(map position, alternative, probability, path id, evidence class) of the compact
    assignment rows, or None when the result has no compact tables."""
    a = getattr(result, "assignments", None)
    inc = getattr(result, "incidents", None)
    if not (isinstance(a, pd.DataFrame) and isinstance(inc, pd.DataFrame)):
        return None
    if "incident" not in a.columns:
        return None
    from routes.analysis import evidence_classes

    rows = a["incident"].to_numpy(dtype=np.int64)
    res_text = inc["incident_id"].astype(str)
    if len(res_text) == len(text) and bool((res_text.array == text.array).all()):
        pos_of = np.empty(len(order), dtype=np.int64)  # result row i is map row i
        pos_of[order] = np.arange(len(order))
    else:  # the position of each result incident's id among the map's (-1: not drawn)
        pos_of = pd.Index(text.to_numpy()[order]).get_indexer(res_text.to_numpy())
    prob = a["probability"]
    if prob.dtype.kind != "f":
        prob = pd.to_numeric(prob, errors="coerce")
    p = prob.to_numpy(float)
    return (
        pos_of[rows] if len(rows) else rows,
        a["alternative"].to_numpy(),
        np.where(np.isnan(p), 0.0, p),
        a["path_id"],
        evidence_classes(result) if classes is None else classes,
    )


def _map_order(pos: np.ndarray, alt: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Indices of the kept rows by map position, then alternative; stable.

    The runs of rows of one position (an incident's alternatives come together) are first put
    in map order, so that the sort by (position, alternative) meets nearly sorted keys: several
    times faster on ~10⁶ rows, and the same order (the runs keep their order among equal
    positions, the rows theirs within a run).
    """
    if alt.dtype.kind not in "iu" or (len(alt) and alt.min() < 0):
        kept = np.flatnonzero(keep)
        return kept[np.lexsort((alt[kept], pos[kept]))]
    pre = np.flatnonzero(keep)
    if len(pre):
        starts = np.flatnonzero(np.concatenate([[True], pos[1:] != pos[:-1]]))
        runs = np.argsort(pos[starts], kind="stable")
        size = np.diff(np.append(starts, len(pos)))[runs]
        offset = np.concatenate([[0], np.cumsum(size)[:-1]])
        pre = np.repeat(starts[runs] - offset, size) + np.arange(len(pos))
        pre = pre[keep[pre]]
    # one integer key (position, then alternative): twice as fast as np.lexsort of two
    width = int(alt.max()) + 1 if len(alt) else 1
    return pre[np.argsort(pos[pre] * width + alt[pre], kind="stable")]


def _first_seen(values: pd.Series, picked: np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """Codes of ``values.iloc[picked]`` numbered in order of first appearance, and the values by
    code: :func:`pandas.factorize` without sorting (by a dense table for small non-negative
    integers, such as the path ids of :func:`routes.route_incidents`)."""
    v = values.to_numpy()
    if v.dtype.kind in "iu":  # (a nullable column gives objects: pandas' factorize below)
        v = v[picked]
        if not len(v) or (v.min() >= 0 and v.max() < 4 * len(v)):
            first = np.full(int(v.max()) + 1 if len(v) else 0, len(v), dtype=np.int64)
            first[v[::-1]] = np.arange(len(v) - 1, -1, -1)  # the last write is the first
            seen = np.flatnonzero(first < len(v))
            uniques = seen[np.argsort(first[seen], kind="stable")]
            code = np.empty(len(first), dtype=np.int64)
            code[uniques] = np.arange(len(uniques))
            return code[v], uniques.tolist()
    codes, found = pd.factorize(values.iloc[picked], sort=False)
    return codes.astype(np.int64), list(found)


def _routes_rows(
    result: Any, text: pd.Series, order: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Series, np.ndarray]:
    """:func:`_compact_rows` of a result with a routes table only (``incident_id`` on every
    row, looked up among the map's ids; the evidence class 1 for an inferred row)."""
    routes = result.routes
    pos = pd.Index(text.to_numpy()[order]).get_indexer(routes["incident_id"].astype(str).to_numpy())
    alt = (
        routes["alternative"].to_numpy()
        if "alternative" in routes
        else np.zeros(len(routes), dtype=np.int64)
    )
    prob = pd.to_numeric(routes["probability"], errors="coerce").fillna(0.0).to_numpy(float)
    path_id = pd.Series(routes["path_id"].to_numpy())
    return pos, alt, prob, path_id, _flag(routes).astype(np.int8)


def _flag(df: pd.DataFrame) -> np.ndarray:
    """The ``inferred`` column as booleans (all False when the table has none)."""
    if "inferred" not in df.columns:
        return np.zeros(len(df), dtype=bool)
    return df["inferred"].fillna(False).to_numpy(dtype=bool)


def edge_key(G: Any, e: Any) -> tuple[Any, Any, Any]:  # noqa: N803 - networkx convention
    """``(u, v, key)`` of a path edge given as ``(u, v)`` (lowest key) or ``(u, v, key)``."""
    if len(e) == 3:
        return e[0], e[1], e[2]
    keys = sorted(G[e[0]][e[1]].keys())
    return e[0], e[1], keys[0]


def _corridor_label(codes: list[str]) -> str:
    return " → ".join("Kosovo*" if j == "XK" else j for j in codes) or "(unknown)"


def graph_path_tables(
    result: Any,
    G: Any,  # noqa: N803 - networkx convention
    path_ids: list[Any],
    xings: CrossingTable,
) -> RouteTables:
    """Path tables by walking each path's edges and nodes in the graph."""
    edge_index: dict[tuple[Any, Any, Any], int] = {}
    tables = RouteTables()
    path_edges: list[list[int]] = []
    path_cross: list[list[int]] = []
    corr_index: dict[str, int] = {}
    for pid in path_ids:
        keys = [edge_key(G, e) for e in result.paths[pid]] if G is not None else []
        idxs = []
        for key in keys:
            ei = edge_index.get(key)
            if ei is None:
                ei = edge_index[key] = len(tables.edge_list)
                tables.edge_list.append(key)
            idxs.append(ei)
        path_edges.append(idxs)
        nodes = [keys[0][0]] + [k[1] for k in keys] if keys else []
        xs: list[int] = []
        jur_seq: list[str] = []
        for node in nodes:
            attrs = G.nodes[node]
            cid = attrs.get("crossing_id")
            if cid:
                xi = xings.of_node(attrs, str(cid))
                if not xs or xs[-1] != xi:
                    xs.append(xi)
            j = attrs.get("jurisdiction")
            if j and (not jur_seq or jur_seq[-1] != j):
                jur_seq.append(str(j))
        path_cross.append(xs)
        label = _corridor_label(jur_seq)
        if label not in corr_index:
            corr_index[label] = len(tables.corridors)
            tables.corridors.append(label)
        tables.path_corr.append(corr_index[label])
    tables.p_len = np.array([len(p) for p in path_edges], dtype=np.int64)
    tables.p_edge = _concat(path_edges)
    tables.x_len = np.array([len(p) for p in path_cross], dtype=np.int64)
    tables.p_cross = _concat(path_cross)
    return tables


def _concat(lists: list[list[int]]) -> np.ndarray:
    if not lists:
        return np.zeros(0, np.int64)
    return np.concatenate([np.asarray(p, dtype=np.int64) for p in lists])


def engine_path_tables(
    result: Any,
    path_ids: list[Any],
    xings: CrossingTable,
) -> RouteTables | None:
    """Vectorised path tables from a :class:`routes.RouteResult`'s engine arrays, if it has them.

    Read from the result's routing index: the graph is read only for a crossing node that
    ``xings`` does not know (the bundled network's graph is not loaded otherwise).
    """
    pe = getattr(result, "path_edges", None)
    if not isinstance(pe, dict):
        return None
    if getattr(result, "index", None) is None and getattr(result, "graph", None) is None:
        return None
    try:
        from routes.routing.result import result_index

        ix = result_index(result)
        arrays = [np.asarray(pe[p], dtype=np.int64) for p in path_ids]
    except (ImportError, KeyError, AttributeError):
        return None
    n_paths = len(arrays)
    p_len = np.array([len(a) for a in arrays], dtype=np.int64)
    concat = np.concatenate(arrays) if arrays else np.zeros(0, np.int64)
    # np.unique(concat, return_inverse=True) by a mask over the edge numbers: the same arrays,
    # without sorting the ~10⁶ path edges of a large map
    used = np.zeros(len(ix.u), dtype=bool)
    used[concat] = True
    uniq = np.flatnonzero(used)
    renum = np.zeros(len(ix.u), dtype=np.int64)
    renum[uniq] = np.arange(len(uniq))
    inv = renum[concat]
    edge_list = [(ix.nodes[ix.u[e]], ix.nodes[ix.v[e]], ix.key[e]) for e in uniq.tolist()]
    # node sequence of every path: the first edge's u, then every edge's v
    starts = np.concatenate([[0], np.cumsum(p_len)[:-1]]).astype(np.int64)
    nonempty = np.flatnonzero(p_len > 0)
    path_of_edge = np.repeat(np.arange(n_paths), p_len)
    nodes = np.insert(ix.v[concat], starts[nonempty], ix.u[concat[starts[nonempty]]])
    path_of_node = np.insert(path_of_edge, starts[nonempty], nonempty)
    p_cross, x_len = _path_crossings(
        ix, lambda node: dict(result.graph.nodes[node]), nodes, path_of_node, n_paths, xings
    )
    path_corr, corridors = _path_corridors(ix, nodes, path_of_node, n_paths)
    # coordinates of the edges used, oriented u -> v by the engine
    counts = ix.coord_count[uniq].astype(np.int64)
    idx = np.repeat(ix.coord_start[uniq] - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    idx = idx + np.arange(int(counts.sum()))
    exy = np.round(ix.coords[idx] * SCALE).astype(np.int64)
    return RouteTables(
        p_len=p_len,
        p_edge=inv.astype(np.int64),
        x_len=x_len.astype(np.int64),
        p_cross=p_cross.astype(np.int64),
        path_corr=path_corr,
        corridors=corridors,
        edge_list=edge_list,
        edge_coords=(counts, exy),
        edge_index=uniq.astype(np.int64),
    )


def _path_crossings(
    ix: Any,
    node_attrs: Any,
    nodes: np.ndarray,
    path_of_node: np.ndarray,
    n_paths: int,
    xings: CrossingTable,
) -> tuple[np.ndarray, np.ndarray]:
    """Crossings met by each path, in order, without repeats: (crossing rows, count per path)."""
    xnode = np.full(ix.n, -1, dtype=np.int64)
    met = np.zeros(ix.n, dtype=bool)  # the nodes on any path, in order (np.unique without a sort)
    met[nodes] = True
    for i in np.flatnonzero(met).tolist():
        cid = ix.crossing_id[i]
        if cid is None:
            continue
        known = xings.index.get(str(cid))  # the graph's node is read only when missing
        xnode[i] = known if known is not None else xings.of_node(node_attrs(ix.nodes[i]), str(cid))
    xs = xnode[nodes]
    keep = xs >= 0
    xs, xp = xs[keep], path_of_node[keep]
    first = np.ones(len(xs), dtype=bool)
    first[1:] = (xs[1:] != xs[:-1]) | (xp[1:] != xp[:-1])
    return xs[first], np.bincount(xp[first], minlength=n_paths)


def _path_corridors(
    ix: Any, nodes: np.ndarray, path_of_node: np.ndarray, n_paths: int
) -> tuple[list[int], list[str]]:
    """Corridor of each path (the jurisdictions passed, in order) and the corridor labels."""
    jcodes, jnames = pd.factorize(pd.Series(ix.jurisdiction, dtype=object), sort=True)
    js = jcodes[nodes]
    keep = js >= 0
    js, jp = js[keep], path_of_node[keep]
    first = np.ones(len(js), dtype=bool)
    first[1:] = (js[1:] != js[:-1]) | (jp[1:] != jp[:-1])
    js, jp = js[first], jp[first]
    j_off = np.concatenate([[0], np.cumsum(np.bincount(jp, minlength=n_paths))]).tolist()
    js_list = js.tolist()
    names = [str(j) for j in jnames]
    corridors: list[str] = []
    corr_index: dict[tuple[int, ...], int] = {}
    path_corr = []
    for i in range(n_paths):
        key = tuple(js_list[j_off[i] : j_off[i + 1]])
        ci = corr_index.get(key)
        if ci is None:
            ci = corr_index[key] = len(corridors)
            corridors.append(_corridor_label([names[j] for j in key]))
        path_corr.append(ci)
    return path_corr, corridors


def _crossing_record(row: Any, cid: str) -> dict[str, Any]:
    ja = _text(getattr(row, "jurisdiction_a", None)) or ""
    jb = _text(getattr(row, "jurisdiction_b", None)) or ""
    na = _text(getattr(row, "name_a", None)) or cid
    nb = _text(getattr(row, "name_b", None))
    la = _text(getattr(row, "name_a_local", None))
    lb = _text(getattr(row, "name_b_local", None))
    side_a = na + (f" ({la})" if la and la != na else "")
    side_b = (nb or "") + (f" ({lb})" if lb and lb != nb else "")
    geom = row.geometry
    return {
        "id": cid,
        "name": f"{na} – {nb}" if nb else na,
        "name_a": side_a,
        "name_b": side_b or "—",
        "ja": display_name(ja) if ja else "",
        "jb": display_name(jb) if jb else "",
        "mode": _text(getattr(row, "mode", None)) or "road",
        "lat": round(float(geom.y), 5),
        "lon": round(float(geom.x), 5),
    }


def _crossing_from_node(attrs: dict[str, Any], cid: str) -> dict[str, Any]:
    name = _text(attrs.get("name")) or cid
    jur = _text(attrs.get("jurisdiction")) or ""
    return {
        "id": cid,
        "name": name,
        "name_a": name,
        "name_b": "—",
        "ja": display_name(jur) if jur else "",
        "jb": "",
        "mode": _text(attrs.get("kind")) or "road",
        "lat": round(float(attrs["y"]), 5),
        "lon": round(float(attrs["x"]), 5),
    }
