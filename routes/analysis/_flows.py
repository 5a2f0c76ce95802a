"""Flow aggregation on sparse path-incidence matrices (private; see routes.flows).

A route result has few distinct paths and many incidents. Incidents are reduced to one weight
per path with ``np.bincount`` (expected incidents = sum of probabilities; quantity = sum of
probability x quantity); the per-edge / per-crossing / per-corridor / per-pair totals are then a
sparse matrix product ``weights @ incidence`` where ``incidence[p, x] = 1`` when path ``p`` uses
element ``x`` at least once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from routes._errors import Problem, ValidationError

if TYPE_CHECKING:
    import geopandas as gpd
    from scipy.sparse import csr_matrix

    from routes.routing import GraphIndex, RouteResult

__all__ = [
    "compare_inferred_impl",
    "compare_periods_impl",
    "corridor_flows_impl",
    "crossing_flows_impl",
    "edge_flows_impl",
    "incidence",
    "pair_flows_impl",
    "path_flows_impl",
    "path_weights",
]


# ---------------------------------------------------------------------------------------------
# filters and weights
# ---------------------------------------------------------------------------------------------
def _as_list(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value.strip().lower()]
    if isinstance(value, (Sequence, set, frozenset, np.ndarray, pd.Series)):
        return [str(v).strip().lower() for v in value]
    return [str(value).strip().lower()]


def _timestamp(value: Any, name: str) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            f"{name}={value!r} is not a date; use an ISO date such as '2023-01-31'"
        ) from exc
    if ts is pd.NaT:
        return None
    return ts.tz_localize(None) if ts.tzinfo is not None else ts


def _lowered(column: pd.Series) -> np.ndarray:
    """The column's values as stripped lower-case text ("" where missing)."""
    vals = column.astype(object).where(column.notna(), "")
    return np.asarray([str(v).strip().lower() for v in vals], dtype=object)


_YES = ["yes", "true", "1", "y"]
_NO = ["no", "false", "0", "n"]


def _canonical_filter(column: str, wanted: list[str], present: set[str]) -> list[str]:
    """Filter values as canonical vocabulary values; an unknown one is an error, not 0 rows.

    Synonyms are accepted as the reader accepts them (``"bomba"`` -> ``hand_grenade``); a value
    outside the vocabulary that occurs in the data (a vocabulary extended by a mapping) is kept.
    """
    from routes.schema import vocabularies

    vocab = vocabularies()[column]
    out: list[str] = []
    problems: list[Problem] = []
    for value in wanted:
        canon = vocab.canonical(value)
        if canon is not None:
            out.append(canon)
        elif value in present:
            out.append(value)
        else:
            hint = vocab.suggest(value)
            problems.append(
                Problem(
                    f"unknown {column} {value!r} in the filter"
                    + (f"; did you mean {hint!r}?" if hint else "")
                    + f" Valid values: {', '.join(vocab.values)}",
                    column=column,
                    value=value,
                    reason="unknown_vocabulary",
                )
            )
    if problems:
        raise ValidationError(problems)
    return out


def incident_mask(
    result: RouteResult,
    *,
    start: Any = None,
    end: Any = None,
    category: Any = None,
    modus_operandi: Any = None,
    ocg_involved: bool | None = None,
) -> tuple[np.ndarray, dict[str, int]]:
    """Boolean mask over ``result.incidents`` and counts of what the filters removed."""
    inc = result.incidents
    n = len(inc)
    mask = np.ones(n, dtype=bool)
    info: dict[str, int] = {}
    t0, t1 = _timestamp(start, "start"), _timestamp(end, "end")
    if t0 is not None or t1 is not None:
        if t0 is not None and t1 is not None and t0 > t1:
            raise ValidationError(f"start {t0.date()} is after end {t1.date()}; swap them")
        d = pd.to_datetime(inc["date"], errors="coerce")
        no_date = d.isna().to_numpy()
        info["no_date"] = int(no_date.sum())
        ok = ~no_date
        if t0 is not None:
            ok &= (d >= t0).to_numpy()
        if t1 is not None:
            if t1 == t1.normalize():  # a day: include all of it
                t1 = t1 + pd.Timedelta(days=1) - pd.Timedelta(1, "ns")
            ok &= (d <= t1).to_numpy()
        mask &= ok
    for col, value in (("category", category), ("modus_operandi", modus_operandi)):
        wanted = _as_list(value)
        if wanted is not None:
            present = _lowered(inc[col])
            mask &= np.isin(present, _canonical_filter(col, wanted, set(present.tolist())))
    if ocg_involved is not None:
        mask &= np.isin(_lowered(inc["ocg_involved"]), _YES if ocg_involved else _NO)
    return mask, info


def _inferred_keep(result: RouteResult, inferred: Any) -> np.ndarray | None:
    """Assignment rows kept by the ``inferred`` filter (None: all)."""
    if inferred is None:
        return None
    if not isinstance(inferred, (bool, np.bool_)):
        raise ValidationError(
            f"inferred={inferred!r} must be True (inferred routes only), False (routes from the "
            "records alone) or None (both)"
        )
    a = result.assignments
    flag = (
        a["inferred"].to_numpy(dtype=bool)
        if "inferred" in a.columns
        else np.zeros(len(a), dtype=bool)
    )
    return flag if inferred else ~flag


def path_weights(
    result: RouteResult, *, inferred: bool | None = None, **filters: Any
) -> tuple[np.ndarray, np.ndarray, int]:
    """Expected incidents and quantity per path, and the number of incidents kept."""
    mask, _ = incident_mask(result, **filters)
    a = result.assignments
    inc = a["incident"].to_numpy()
    keep = mask[inc] if len(inc) else np.zeros(0, dtype=bool)
    by_flag = _inferred_keep(result, inferred)
    if by_flag is not None:
        keep = keep & by_flag
    prob = a["probability"].to_numpy() * keep
    qty = result.incidents["quantity"].to_numpy(dtype=float)[inc] if len(inc) else np.zeros(0)
    n_paths = len(result.path_info)
    pid = a["path_id"].to_numpy()
    w = np.bincount(pid, weights=prob, minlength=n_paths) if len(pid) else np.zeros(n_paths)
    q = np.bincount(pid, weights=prob * qty, minlength=n_paths) if len(pid) else np.zeros(n_paths)
    routed = np.zeros(len(mask), dtype=bool)
    routed[inc if by_flag is None else inc[by_flag]] = True
    return w, q, int((mask & routed).sum())


def compare_inferred_impl(result: RouteResult, *, level: str, **filters: Any) -> pd.DataFrame:
    valid = ("crossing", "corridor", "pair")
    if level not in valid:
        raise ValidationError(f"level={level!r} is not supported; use one of {list(valid)}")
    per = []
    for flag in (False, None):
        f = {**filters, "inferred": flag}
        if level == "crossing":
            t = crossing_flows_impl(result, **f).set_index("crossing_id")
            per.append(t[["incidents", "quantity", "share"]])
        elif level == "corridor":
            per.append(
                corridor_flows_impl(result, **f).set_index("e_road")[["incidents", "quantity"]]
            )
        else:
            t = pair_flows_impl(result, **f)
            t = t.assign(key=t["from_jurisdiction"] + ">" + t["to_jurisdiction"])
            per.append(t.set_index("key")[["incidents", "quantity"]])
    rec, full = per
    j = pd.concat([rec.add_suffix("_recorded"), full.add_suffix("_all")], axis=1).fillna(0.0)
    j.index.name = "key"
    j = j.reset_index()
    j["incidents_inferred"] = j["incidents_all"] - j["incidents_recorded"]
    with np.errstate(divide="ignore", invalid="ignore"):
        j["change_pct"] = np.where(
            j["incidents_recorded"] > 0,
            100.0 * j["incidents_inferred"] / j["incidents_recorded"],
            np.nan,
        )
    cols = ["key", "incidents_recorded", "incidents_inferred", "incidents_all", "change_pct"]
    if level == "crossing":
        cols += ["share_recorded", "share_all"]
    j = j[[*cols, "quantity_recorded", "quantity_all"]]
    order = np.argsort(-j["incidents_inferred"].to_numpy(), kind="stable")
    return j.iloc[order].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# incidence matrices (cached on the result)
# ---------------------------------------------------------------------------------------------
def _binary(
    rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int], *, rows_sorted: bool = False
) -> csr_matrix:
    """A 0/1 CSR matrix with a one wherever (row, col) occurs (repeats count once).

    With ``rows_sorted`` (rows ascending, as for entries listed path by path) the CSR arrays
    are built directly, without the COO -> CSR conversion.
    """
    from scipy.sparse import csr_matrix

    if rows_sorted:
        indptr = np.zeros(shape[0] + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=shape[0]), out=indptr[1:])
        m = csr_matrix((np.ones(len(cols)), np.asarray(cols, dtype=np.int64), indptr), shape=shape)
    else:
        m = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    m.sum_duplicates()
    m.data[:] = 1.0
    return m


def _flat_edges(result: RouteResult) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges per path (lengths), all paths' edges end to end, and the path of each (cached)."""
    cache = result.cache
    if "_flat_edges" not in cache:
        n_paths = len(result.path_info)
        edges = [result.path_edges[p] for p in range(n_paths)]
        lens = np.fromiter((len(e) for e in edges), dtype=np.int64, count=n_paths)
        flat = (
            np.concatenate(edges).astype(np.int64) if n_paths and lens.sum() else np.zeros(0, int)
        )
        cache["_flat_edges"] = (lens, flat, np.repeat(np.arange(n_paths), lens))
    out: tuple[np.ndarray, np.ndarray, np.ndarray] = cache["_flat_edges"]
    return out


def incidence(result: RouteResult, what: str) -> tuple[csr_matrix, Any]:
    """Path x element incidence: what in {"edge", "node", "interior", "corridor", "pair"}."""
    cache = result.cache
    if what in cache:
        return cache[what]
    from routes.routing import graph_index

    ix = graph_index(result.graph)
    n_paths = len(result.path_info)
    lens, flat, owner = _flat_edges(result)
    out: tuple[csr_matrix, Any]
    if what == "edge":
        out = (_binary(owner, flat, (n_paths, ix.m), rows_sorted=True), None)
    elif what in ("node", "interior"):
        # nodes of a path: tails of its edges plus the head of the last one
        heads = ix.v[flat]
        tails = ix.u[flat]
        last = np.cumsum(lens) - 1
        has = lens > 0
        p_has = np.flatnonzero(has)
        if what == "node":
            rows = np.concatenate([owner, p_has])
            cols = np.concatenate([tails, heads[last[has]]])
            order = np.argsort(rows, kind="stable")  # two sorted runs: a linear merge
            node_m = _binary(rows[order], cols[order], (n_paths, ix.n), rows_sorted=True)
        else:
            # interior = every node but the first and the last of the path (wherever they
            # occur on it): the tails of all edges but the first, minus the two end nodes
            first_edge = np.cumsum(lens) - lens
            start = np.full(n_paths, -1, dtype=np.int64)
            stop = np.full(n_paths, -1, dtype=np.int64)
            start[has] = tails[first_edge[has]]
            stop[has] = heads[last[has]]
            keep = (tails != start[owner]) & (tails != stop[owner])
            keep[first_edge[has]] = False
            node_m = _binary(owner[keep], tails[keep], (n_paths, ix.n), rows_sorted=True)
        out = (node_m, None)
    elif what == "corridor":
        names: dict[str, int] = {}
        e_rows, e_cols = [], []
        for e in np.flatnonzero(np.asarray([x is not None for x in ix.e_road], dtype=bool)):
            for part in str(ix.e_road[e]).split("|"):
                part = part.strip()
                if part:
                    e_rows.append(e)
                    e_cols.append(names.setdefault(part, len(names)))
        emat = _binary(np.asarray(e_rows, int), np.asarray(e_cols, int), (ix.m, len(names)))
        mat = incidence(result, "edge")[0]
        pc = (mat @ emat).tocsr()
        pc.data[:] = 1.0
        out = (pc, list(names))
    elif what == "pair":
        # a border is crossed on an edge whose two ends lie in different jurisdictions
        codes, jur = np.unique(
            np.asarray([j if j is not None else "" for j in ix.jurisdiction], dtype=object),
            return_inverse=True,
        )
        ju, jv = jur[ix.u[flat]], jur[ix.v[flat]]
        empty = np.flatnonzero(codes == "")
        known = ~np.isin(ju, empty) & ~np.isin(jv, empty)
        cross = known & (ju != jv)
        pair_code = ju[cross] * len(codes) + jv[cross]
        uniq, col = np.unique(pair_code, return_inverse=True)
        pairs_list = [(str(codes[c // len(codes)]), str(codes[c % len(codes)])) for c in uniq]
        out = (_binary(owner[cross], col, (n_paths, len(uniq)), rows_sorted=True), pairs_list)
    else:  # pragma: no cover - internal
        raise ValueError(f"unknown incidence {what!r}")
    cache[what] = out
    return out


def _totals(mat: csr_matrix, w: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Expected incidents and quantity per element (column) of a path incidence matrix."""
    if not mat.shape[1]:
        return np.zeros(0), np.zeros(0)
    return mat.T @ w, mat.T @ q


def _index(result: RouteResult) -> GraphIndex:
    from routes.routing import graph_index

    return graph_index(result.graph)


# ---------------------------------------------------------------------------------------------
# public implementations
# ---------------------------------------------------------------------------------------------
def edge_flows_impl(result: RouteResult, **filters: Any) -> gpd.GeoDataFrame:
    import geopandas as gpd

    ix = _index(result)
    w, q, _ = path_weights(result, **filters)
    inc, qty = _totals(incidence(result, "edge")[0], w, q)
    used = np.flatnonzero(inc > 1e-12)
    used = used[np.argsort(-inc[used], kind="stable")]
    nodes = ix.nodes
    df = gpd.GeoDataFrame(
        {
            "u": [nodes[i] for i in ix.u[used]],
            "v": [nodes[i] for i in ix.v[used]],
            "key": [ix.key[i] for i in used],
            "incidents": inc[used],
            "quantity": qty[used],
            "mode": ix.mode[used],
            "e_road": ix.e_road[used],
            "border": ix.border[used],
            "green_border": ix.green_border[used],
            "length_m": ix.length_m[used],
        },
        geometry=gpd.GeoSeries(ix.geometry[used], crs="EPSG:4326"),
        crs="EPSG:4326",
    )
    return df.reset_index(drop=True)


def crossing_flows_impl(
    result: RouteResult, *, include_unused: bool = False, **filters: Any
) -> gpd.GeoDataFrame:
    import geopandas as gpd

    ix = _index(result)
    w, q, n_kept = path_weights(result, **filters)
    inc_all, qty_all = _totals(incidence(result, "node")[0], w, q)
    off = ix.official_nodes
    inc, qty = inc_all[off], qty_all[off]
    keep = np.ones(len(off), dtype=bool) if include_unused else inc > 1e-12
    sel = off[keep]
    order = np.argsort(-inc[keep], kind="stable")
    sel = sel[order]
    inc_s, qty_s = inc[keep][order], qty[keep][order]
    cid = ix.crossing_id[sel]
    ja, jb = _pair_of(cid, ix.jurisdiction[sel])
    df = gpd.GeoDataFrame(
        {
            "crossing_id": cid,
            "name": ix.name[sel],
            "kind": ix.kind[sel],
            "jurisdiction_a": ja,
            "jurisdiction_b": jb,
            "incidents": inc_s,
            "quantity": qty_s,
            "share": inc_s / n_kept if n_kept else np.zeros(len(sel)),
        },
        geometry=gpd.points_from_xy(ix.x[sel], ix.y[sel], crs="EPSG:4326"),
        crs="EPSG:4326",
    )
    return df.reset_index(drop=True)


def _pair_of(cids: np.ndarray, jur: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a = np.empty(len(cids), dtype=object)
    b = np.empty(len(cids), dtype=object)
    for i, (c, j) in enumerate(zip(cids, jur, strict=True)):
        parts = str(c).split("-") if c is not None else []
        if len(parts) >= 2 and len(parts[0]) == 2 and len(parts[1]) == 2:
            a[i], b[i] = parts[0], parts[1]
        else:
            a[i], b[i] = j, None
    return a, b


def corridor_flows_impl(result: RouteResult, **filters: Any) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import shapely

    ix = _index(result)
    w, q, _ = path_weights(result, **filters)
    pc, names = incidence(result, "corridor")
    inc, qty = _totals(pc, w, q)
    # used length and geometry per corridor: the edges carrying flow
    mat = incidence(result, "edge")[0]
    edge_inc = mat.T @ w
    rows = []
    geoms = []
    for c, name in enumerate(names):
        if inc[c] <= 1e-12:
            continue
        e = np.flatnonzero(
            (edge_inc > 1e-12)
            & np.array([x is not None and name in str(x).split("|") for x in ix.e_road], dtype=bool)
        )
        rows.append((name, inc[c], qty[c], float(ix.length_m[e].sum())))
        geoms.append(shapely.multilinestrings(list(ix.geometry[e])) if len(e) else None)
    df = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=["e_road", "incidents", "quantity", "length_m"]),
        geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"),
        crs="EPSG:4326",
    )
    return df.sort_values("incidents", ascending=False, kind="stable").reset_index(drop=True)


def pair_flows_impl(result: RouteResult, **filters: Any) -> pd.DataFrame:
    w, q, _ = path_weights(result, **filters)
    pp, pairs = incidence(result, "pair")
    inc, qty = _totals(pp, w, q)
    df = pd.DataFrame(
        {
            "from_jurisdiction": [p[0] for p in pairs],
            "to_jurisdiction": [p[1] for p in pairs],
            "pair": ["-".join(sorted(p)) for p in pairs],
            "incidents": inc,
            "quantity": qty,
        }
    )
    df = df[df["incidents"] > 1e-12]
    return df.sort_values("incidents", ascending=False, kind="stable").reset_index(drop=True)


def path_flows_impl(result: RouteResult, **filters: Any) -> gpd.GeoDataFrame:
    w, q, _ = path_weights(result, **filters)
    pt = result.path_table
    out = pt[
        [
            "path_id",
            "alternative",
            "cost",
            "length_m",
            "travel_time_s",
            "crossings",
            "green_border",
            "inferred",
            "geometry",
        ]
    ].copy()
    out.insert(2, "incidents", w)
    out.insert(3, "quantity", q)
    out = out[out["incidents"] > 1e-12]
    return out.sort_values("incidents", ascending=False, kind="stable").reset_index(drop=True)


def compare_periods_impl(
    result: RouteResult,
    period_a: tuple[Any, Any],
    period_b: tuple[Any, Any],
    *,
    levels: Sequence[str] = ("corridor", "crossing"),
    **filters: Any,
) -> pd.DataFrame:
    for name, period in (("period_a", period_a), ("period_b", period_b)):
        if not isinstance(period, (tuple, list)) or len(period) != 2:
            raise ValidationError(
                f"{name}={period!r} must be a (start, end) pair, e.g. ('2022-01-01', '2022-12-31')"
            )
    valid = ("corridor", "crossing", "pair")
    bad = [lv for lv in levels if lv not in valid]
    if bad:
        raise ValidationError(f"levels {bad} not supported; use any of {list(valid)}")
    frames = []
    for level in levels:
        per = []
        for start, end in (period_a, period_b):
            f = {"start": start, "end": end, **filters}
            if level == "corridor":
                t = corridor_flows_impl(result, **f)
                per.append(t.set_index("e_road")[["incidents", "quantity"]])
            elif level == "crossing":
                t = crossing_flows_impl(result, **f)
                per.append(t.set_index("crossing_id")[["incidents", "quantity"]])
            else:
                t = pair_flows_impl(result, **f)
                t = t.assign(key=t["from_jurisdiction"] + ">" + t["to_jurisdiction"])
                per.append(t.set_index("key")[["incidents", "quantity"]])
        a, b = per
        j = pd.concat([a.add_suffix("_a"), b.add_suffix("_b")], axis=1).fillna(0.0)
        j.index.name = "key"
        j = j.reset_index()
        j.insert(0, "level", level)
        j["change"] = j["incidents_b"] - j["incidents_a"]
        with np.errstate(divide="ignore", invalid="ignore"):
            j["change_pct"] = np.where(
                j["incidents_a"] > 0, 100.0 * j["change"] / j["incidents_a"], np.nan
            )
        j["quantity_change"] = j["quantity_b"] - j["quantity_a"]
        j = j.reindex(
            columns=[
                "level",
                "key",
                "incidents_a",
                "incidents_b",
                "change",
                "change_pct",
                "quantity_a",
                "quantity_b",
                "quantity_change",
            ]
        )
        j = j.iloc[np.argsort(-j["change"].abs().to_numpy(), kind="stable")]
        frames.append(j)
    return pd.concat(frames, ignore_index=True)
