"""Compact, deterministic encoding of everything a route map draws.

All numbers travel as little-endian typed arrays (coordinates as 1e-5 degree integers, ~1 m),
delta-encoded where neighbours are close, packed into one buffer, deflated and base64-encoded.
The browser inflates it with the built-in ``DecompressionStream``. Strings travel in a JSON
object that is escaped so that no ``<``, ``>`` or ``&`` survives into the HTML.
"""

from __future__ import annotations

import base64
import json
import math
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from routes._constants import WESTERN_BALKANS, display_name
from routes._crs import to_crs
from routes._errors import Problem, ValidationError

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx

__all__ = [
    "CATEGORY_COLOURS",
    "SCALE",
    "UNDATED",
    "Encoded",
    "encode_map_data",
    "flow_breaks",
    "safe_json",
]

SCALE = 100_000  # 1e-5 degree, about 1 m
UNDATED = -(2**31)
CATEGORY_COLOURS = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#1f78b4",
    "#b2df8a",
    "#fb9a99",
    "#666666",
)
_TYPES = {"i4": np.int32, "u4": np.uint32, "u2": np.uint16, "u1": np.uint8}


def safe_json(obj: Any) -> str:
    """JSON text safe inside any HTML element: ``<``, ``>``, ``&`` and line separators escaped."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@dataclass
class _Columns:
    arrays: dict[str, tuple[str, np.ndarray, bool]] = field(default_factory=dict)

    def add(self, name: str, kind: str, values: Any, *, delta: bool = False) -> None:
        arr = np.ascontiguousarray(np.asarray(values), dtype=_TYPES[kind])
        if delta and len(arr):
            arr = arr.copy()
            arr[1:] = np.diff(
                arr
            )  # wraps in the integer type; the browser adds it back the same way
        self.arrays[name] = (kind, arr.astype(arr.dtype.newbyteorder("<"), copy=False), delta)

    def pack(self, *, compress: bool) -> tuple[str, dict[str, list[Any]], int]:
        parts: list[bytes] = []
        manifest: dict[str, list[Any]] = {}
        offset = 0
        for name, (kind, arr, delta) in self.arrays.items():
            raw = arr.tobytes()
            manifest[name] = [kind, offset, int(arr.size), 1 if delta else 0]
            pad = (-len(raw)) % 4
            parts.append(raw + b"\0" * pad)
            offset += len(raw) + pad
        blob = b"".join(parts)
        if compress:
            blob = zlib.compress(blob, 1)  # level 1: 3x faster than 6, ~2 % larger
        return base64.b64encode(blob).decode("ascii"), manifest, offset


@dataclass
class Encoded:
    """The data block of one map: ``meta`` (JSON-ready) and counts for tests and summaries."""

    meta: dict[str, Any]
    n_incidents: int
    n_paths: int
    n_edges: int
    n_crossings: int
    raw_bytes: int
    edge_values: np.ndarray
    crossing_values: np.ndarray


def flow_breaks(values: np.ndarray) -> list[float]:
    """Four increasing class limits (five classes) from the positive values, rounded nicely."""
    pos = np.sort(values[values > 1e-9])
    if len(pos) == 0:
        return [1.0, 2.0, 5.0, 10.0]
    raw = np.quantile(pos, [0.5, 0.75, 0.9, 0.97])
    out: list[float] = []
    for v in raw:
        v = float(v)
        if v <= 0:
            v = 0.1
        mag = 10 ** math.floor(math.log10(v))
        nice = round(v / mag, 1) * mag if v / mag < 10 else v
        nice = float(f"{nice:.3g}")
        if out and nice <= out[-1]:
            nice = float(f"{out[-1] * 1.5:.3g}") if out[-1] > 0 else 0.1
        out.append(nice)
    return out


def _points(incidents: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    import geopandas as gpd

    if isinstance(incidents, gpd.GeoDataFrame) and incidents._geometry_column_name in incidents:
        gs = incidents.geometry
        if gs.crs is not None and not gs.crs.equals("EPSG:4326"):
            gs = to_crs(gs, "EPSG:4326")
        empty = gs.isna() | gs.is_empty
        bad = ~(empty | (gs.geom_type == "Point"))
        if bad.any():
            rows = incidents.get("source_row", None)
            problems = [
                Problem(
                    f"incident geometry must be a point, not a {gs.geom_type.iloc[i]}; give the "
                    "seizure location as one point (or latitude/longitude columns)",
                    row=int(rows.iloc[i]) if rows is not None else int(i) + 1,
                    column="geometry",
                    value=gs.geom_type.iloc[i],
                    reason="not_a_point",
                )
                for i in np.flatnonzero(bad.to_numpy())
            ]
            raise ValidationError(problems)
        lon = np.where(empty, np.nan, gs.x.where(~empty))
        lat = np.where(empty, np.nan, gs.y.where(~empty))
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    if {"longitude", "latitude"} <= set(incidents.columns):
        return (
            pd.to_numeric(incidents["longitude"], errors="coerce").to_numpy(float),
            pd.to_numeric(incidents["latitude"], errors="coerce").to_numpy(float),
        )
    raise ValidationError(
        Problem(
            "incidents have neither point geometry nor latitude/longitude columns; pass the "
            "GeoDataFrame returned by routes.read_incidents",
            column="geometry",
            reason="missing_column",
        )
    )


def _vocab(series: pd.Series | None, n: int, missing: str) -> tuple[np.ndarray, list[str]]:
    if series is None:
        return np.zeros(n, np.uint8), [missing]
    s = series.astype("string").fillna(missing).str.strip().replace("", missing)
    values = sorted(set(s.tolist()), key=lambda v: (v == missing, v))
    if len(values) > 255:
        raise ValidationError(
            Problem(
                f"column has {len(values)} distinct values; the map's toggles handle at most 255 "
                "(use the canonical vocabulary from routes.read_incidents)",
                column=str(series.name),
                value=len(values),
                reason="too_many_values",
            )
        )
    codes = pd.Categorical(s, categories=values).codes
    return codes.astype(np.uint8), values


def _ints(values: np.ndarray) -> np.ndarray:
    out = np.full(len(values), UNDATED, dtype=np.int64)
    ok = np.isfinite(values)
    out[ok] = np.round(values[ok] * SCALE)
    return out


def _line_coords(
    G: nx.MultiDiGraph,  # noqa: N803 - networkx convention
    u: Any,
    v: Any,
    k: Any,
) -> np.ndarray:
    data = G.edges[u, v, k]
    geom = data.get("geometry")
    ux, uy = G.nodes[u]["x"], G.nodes[u]["y"]
    if geom is None or geom.is_empty:
        return np.array([[ux, uy], [G.nodes[v]["x"], G.nodes[v]["y"]]], dtype=float)
    xy = np.asarray(geom.coords, dtype=float)[:, :2]
    # OSMnx draws u -> v; make sure, since arrows show direction
    if (xy[0, 0] - ux) ** 2 + (xy[0, 1] - uy) ** 2 > (xy[-1, 0] - ux) ** 2 + (xy[-1, 1] - uy) ** 2:
        xy = xy[::-1]
    return xy


def _edge_key(
    G: nx.MultiDiGraph,  # noqa: N803 - networkx convention
    e: Any,
) -> tuple[Any, Any, Any]:
    if len(e) == 3:
        return e[0], e[1], e[2]
    keys = sorted(G[e[0]][e[1]].keys())
    return e[0], e[1], keys[0]


def encode_map_data(
    incidents: pd.DataFrame,
    *,
    result: Any = None,
    crossings: gpd.GeoDataFrame | None,
    borders: gpd.GeoDataFrame | None,
    weight: str,
    incident_mode: str,
    with_text: bool,
    compress: bool = True,
    max_corridor_labels: int = 8,
) -> Encoded:
    """Encode incidents, routes, network edges, crossings and borders into one data block."""
    cols = _Columns()
    n = len(incidents)
    lon, lat = _points(incidents)

    # -- incidents
    if "date" in incidents.columns:
        dates = pd.to_datetime(incidents["date"], errors="coerce")
        day = (dates.to_numpy("datetime64[D]").astype("int64")).astype(np.int64)
        day = np.where(dates.isna().to_numpy(), UNDATED, day)
    else:
        day = np.full(n, UNDATED, dtype=np.int64)
    # spatial order (then date) makes the delta-encoded coordinates compress best
    ilon, ilat = _ints(lon), _ints(lat)
    order = np.lexsort((day, ilon, ilat))
    day = day[order]
    ilon, ilat = ilon[order], ilat[order]
    cat, categories = _vocab(incidents.get("category"), n, "unspecified")
    mo, mos = _vocab(incidents.get("modus_operandi"), n, "unspecified")
    cat, mo = cat[order], mo[order]
    if "quantity" in incidents.columns:
        qty = pd.to_numeric(incidents["quantity"], errors="coerce").fillna(1).to_numpy()
        qty = np.clip(np.round(qty), 1, 2**32 - 1).astype(np.int64)[order]
    else:
        qty = np.ones(n, dtype=np.int64)
    cols.add("i_lon", "i4", ilon, delta=True)
    cols.add("i_lat", "i4", ilat, delta=True)
    cols.add("i_day", "i4", day, delta=True)
    cols.add("i_cat", "u1", cat)
    cols.add("i_mo", "u1", mo)
    cols.add("i_qty", "u4", qty)
    dated = day[day != UNDATED]

    # -- routes: per incident (path, probability) lists; per path edge and crossing lists
    pos_of: dict[Any, int] = {}
    r_count = np.zeros(n, dtype=np.int64)
    r_path = np.zeros(0, dtype=np.int64)
    r_prob = np.zeros(0, dtype=np.int64)
    path_edges: list[list[int]] = []
    path_cross: list[list[int]] = []
    path_corr: list[int] = []
    corridors: list[str] = []
    edge_index: dict[tuple[Any, Any, Any], int] = {}
    edge_list: list[tuple[Any, Any, Any]] = []
    xing_rows: list[dict[str, Any]] = []
    xing_index: dict[str, int] = {}

    if crossings is not None and len(crossings):
        cx = to_crs(crossings, "EPSG:4326") if crossings.crs is not None else crossings
        for row in cx.itertuples(index=False):
            cid = str(row.crossing_id)
            if cid in xing_index:
                continue
            xing_index[cid] = len(xing_rows)
            xing_rows.append(_crossing_record(row, cid))

    G = getattr(result, "graph", None) if result is not None else None  # noqa: N806
    fast = None
    if result is not None:
        if "incident_id" not in incidents.columns:
            raise ValidationError(
                Problem(
                    "incidents need an 'incident_id' column to be joined to the routes",
                    column="incident_id",
                    reason="missing_column",
                )
            )
        ids = incidents["incident_id"].astype(str).to_numpy()[order]
        dup = pd.Series(ids).duplicated()
        if dup.any():
            first = int(np.flatnonzero(dup.to_numpy())[0])
            raise ValidationError(
                Problem(
                    f"incident_id {ids[first]!r} occurs more than once; routes are joined by "
                    "incident_id, so make the ids unique",
                    column="incident_id",
                    value=ids[first],
                    reason="duplicate_id",
                )
            )
        pos_of = {v: i for i, v in enumerate(ids)}
        rr = _assignments(result)
        rr["pos"] = rr["incident_id"].map(pos_of)
        rr = rr[rr["pos"].notna() & rr["path_id"].notna()]
        rr = rr.astype({"pos": np.int64}).sort_values(["pos", "alt"], kind="stable")
        path_codes, path_uniques = pd.factorize(rr["path_id"], sort=False)
        r_path = path_codes.astype(np.int64)
        r_prob = np.clip(np.round(rr["prob"].to_numpy(float) * 65535), 0, 65535).astype(np.int64)
        r_count = np.bincount(rr["pos"].to_numpy(), minlength=n)
        fast = _fast_paths(result, G, list(path_uniques), xing_index, xing_rows)
    corr_index: dict[str, int] = {}
    if result is not None and fast is None:
        for pid in path_uniques:
            raw_edges = result.paths[pid]
            keys = [_edge_key(G, e) for e in raw_edges] if G is not None else []
            idxs = []
            for key in keys:
                ei = edge_index.get(key)
                if ei is None:
                    ei = edge_index[key] = len(edge_list)
                    edge_list.append(key)
                idxs.append(ei)
            path_edges.append(idxs)
            nodes = [keys[0][0]] + [k[1] for k in keys] if keys else []
            xs: list[int] = []
            jur_seq: list[str] = []
            for node in nodes:
                assert G is not None
                attrs = G.nodes[node]
                cid = attrs.get("crossing_id")
                if cid:
                    cid = str(cid)
                    if cid not in xing_index:
                        xing_index[cid] = len(xing_rows)
                        xing_rows.append(_crossing_from_node(attrs, cid))
                    if not xs or xs[-1] != xing_index[cid]:
                        xs.append(xing_index[cid])
                j = attrs.get("jurisdiction")
                if j and (not jur_seq or jur_seq[-1] != j):
                    jur_seq.append(str(j))
            path_cross.append(xs)
            label = " → ".join("Kosovo*" if j == "XK" else j for j in jur_seq) or "(unknown)"
            if label not in corr_index:
                corr_index[label] = len(corridors)
                corridors.append(label)
            path_corr.append(corr_index[label])

    r_off = np.concatenate([[0], np.cumsum(r_count)])
    cols.add("r_off", "u4", r_off, delta=True)
    cols.add("r_path", "u4", r_path)
    cols.add("r_prob", "u2", r_prob)
    edge_coords: tuple[np.ndarray, np.ndarray] | None = None
    if fast is not None:
        p_len, p_edge, x_len, p_cross, path_corr, corridors, edge_list, edge_coords = fast
        n_paths = len(p_len)
    else:
        n_paths = len(path_edges)
        p_len = np.array([len(p) for p in path_edges], dtype=np.int64)
        p_edge = (
            np.concatenate([np.asarray(p, dtype=np.int64) for p in path_edges])
            if path_edges
            else np.zeros(0, np.int64)
        )
        x_len = np.array([len(p) for p in path_cross], dtype=np.int64)
        p_cross = (
            np.concatenate([np.asarray(p, dtype=np.int64) for p in path_cross])
            if path_cross
            else np.zeros(0, np.int64)
        )
    p_off = np.concatenate([[0], np.cumsum(p_len)])
    p_xoff = np.concatenate([[0], np.cumsum(x_len)])
    cols.add("p_off", "u4", p_off, delta=True)
    cols.add("p_edge", "u4", p_edge)
    cols.add("p_xoff", "u4", p_xoff, delta=True)
    cols.add("p_cross", "u4", p_cross)
    cols.add("p_corridor", "u4", np.asarray(path_corr, dtype=np.int64))

    # -- edges of the network that any route uses
    e_roads: list[str] = [""]
    road_index: dict[str, int] = {}
    modes: list[str] = []
    mode_index: dict[str, int] = {}
    e_road = np.zeros(len(edge_list), dtype=np.int64)
    e_mode = np.zeros(len(edge_list), dtype=np.int64)
    e_len = np.zeros(len(edge_list), dtype=np.int64)
    coords: list[np.ndarray] = []
    for i, (u, v, k) in enumerate(edge_list):
        assert G is not None
        data = G.edges[u, v, k]
        road = data.get("e_road")
        if isinstance(road, str) and road.strip():
            label = road.strip().replace("|", " / ")
            if label not in road_index:
                road_index[label] = len(e_roads)
                e_roads.append(label)
            e_road[i] = road_index[label]
        mode = str(data.get("mode") or "road")
        if mode not in mode_index:
            mode_index[mode] = len(modes)
            modes.append(mode)
        e_mode[i] = mode_index[mode]
        length = data.get("length_m")
        e_len[i] = round(float(length)) if length is not None and length == length else 0
        if edge_coords is not None:
            continue
        xy = np.round(_line_coords(G, u, v, k) * SCALE).astype(np.int64)
        keep = np.ones(len(xy), dtype=bool)
        keep[1:] = np.any(xy[1:] != xy[:-1], axis=1)
        xy = xy[keep]
        if len(xy) == 1:
            xy = np.vstack([xy, xy])
        coords.append(xy)
    if edge_coords is not None:
        e_counts, exy = edge_coords
        e_off = np.concatenate([[0], np.cumsum(e_counts)]).astype(np.int64)
    else:
        e_off = np.concatenate([[0], np.cumsum([len(c) for c in coords])]).astype(np.int64)
        exy = np.vstack(coords) if coords else np.zeros((0, 2), np.int64)
    cols.add("e_off", "u4", e_off, delta=True)
    cols.add("e_lon", "i4", exy[:, 0], delta=True)
    cols.add("e_lat", "i4", exy[:, 1], delta=True)
    cols.add("e_road", "u2", e_road)
    cols.add("e_mode", "u1", e_mode)
    cols.add("e_len", "u4", e_len)

    # -- unfiltered sums for the legend classes (the page recomputes them under filters)
    w_inc = np.ones(n)
    w_qty = qty.astype(float)
    edge_vals = {}
    cross_vals = {}
    for name, w in (("incidents", w_inc), ("quantity", w_qty)):
        pw = np.bincount(r_path, weights=r_prob / 65535 * np.repeat(w, r_count), minlength=n_paths)
        edge_vals[name] = np.bincount(
            p_edge, weights=np.repeat(pw, p_len), minlength=len(edge_list)
        )
        cross_vals[name] = np.bincount(
            p_cross, weights=np.repeat(pw, x_len), minlength=len(xing_rows)
        )

    # -- borders (the basemap)
    countries: list[dict[str, Any]] = []
    b_lon: list[np.ndarray] = []
    b_lat: list[np.ndarray] = []
    b_len: list[int] = []
    b_ring_country: list[int] = []
    if borders is not None and len(borders):
        from shapely.ops import polylabel

        bd = borders.to_crs("EPSG:4326") if borders.crs is not None else borders
        for ci, row in enumerate(bd.itertuples(index=False)):
            jur = str(getattr(row, "jurisdiction", "") or "")
            name = str(getattr(row, "name", "") or display_name(jur))
            if jur == "XK" and "*" not in name:
                name = "Kosovo*"
            geom = row.geometry.simplify(0.001, preserve_topology=True)
            parts = list(getattr(geom, "geoms", [geom]))
            biggest = max(parts, key=lambda p: p.area)
            lp = polylabel(biggest, tolerance=0.01)
            countries.append(
                {
                    "code": jur,
                    "name": name,
                    "focus": jur in WESTERN_BALKANS,
                    "label": [round(lp.y, 4), round(lp.x, 4)],
                }
            )
            for part in parts:
                for ring in [part.exterior, *part.interiors]:
                    xy = np.round(np.asarray(ring.coords)[:, :2] * SCALE).astype(np.int64)
                    b_lon.append(xy[:, 0])
                    b_lat.append(xy[:, 1])
                    b_len.append(len(xy))
                    b_ring_country.append(ci)
    cols.add("b_roff", "u4", np.concatenate([[0], np.cumsum(b_len)]), delta=True)
    cols.add("b_ring_country", "u1", b_ring_country)
    cols.add("b_lon", "i4", np.concatenate(b_lon) if b_lon else [], delta=True)
    cols.add("b_lat", "i4", np.concatenate(b_lat) if b_lat else [], delta=True)

    blob, manifest, raw_bytes = cols.pack(compress=compress)
    month = (
        [int(_month(int(dated.min()))), int(_month(int(dated.max())))]
        if len(dated)
        else [None, None]
    )
    meta: dict[str, Any] = {
        "version": 1,
        "n": n,
        "n_paths": n_paths,
        "n_edges": len(edge_list),
        "n_undated": int((day == UNDATED).sum()),
        "weight": weight,
        "categories": categories,
        "category_colours": [
            CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i in range(len(categories))
        ],
        "mos": mos,
        "corridors": corridors,
        "e_roads": e_roads,
        "modes": modes,
        "crossings": xing_rows,
        "countries": countries,
        "breaks_incidents": flow_breaks(edge_vals["incidents"]),
        "breaks_quantity": flow_breaks(edge_vals["quantity"]),
        "cross_breaks_incidents": flow_breaks(cross_vals["incidents"]),
        "cross_breaks_quantity": flow_breaks(cross_vals["quantity"]),
        "date_min": _iso(int(dated.min())) if len(dated) else None,
        "date_max": _iso(int(dated.max())) if len(dated) else None,
        "month_min": month[0],
        "month_max": month[1],
        "incident_mode": incident_mode,
        "incident_mode_label": {
            "cluster": "clusters; points coloured by category",
            "heat": "heat map",
            "hex": "hexagon bins",
        }[incident_mode],
        "max_corridor_labels": max_corridor_labels,
        "compressed": compress,
        "columns": manifest,
        "blob": blob,
    }
    if with_text:

        def texts(col: str) -> list[str | None]:
            if col not in incidents.columns:
                return [None] * n
            s = incidents[col].astype("string").to_numpy()[order]
            return [None if v is pd.NA or v is None else str(v) for v in s]

        jurs = texts("jurisdiction")
        meta["incident_text"] = {
            "id": texts("incident_id"),
            "place": texts("place"),
            "notes": texts("notes"),
            "jurisdiction": [display_name(j) if j else None for j in jurs],
        }
    return Encoded(
        meta=meta,
        n_incidents=n,
        n_paths=n_paths,
        n_edges=len(edge_list),
        n_crossings=len(xing_rows),
        raw_bytes=raw_bytes,
        edge_values=edge_vals[weight],
        crossing_values=cross_vals[weight],
    )


def _fast_paths(
    result: Any,
    G: Any,  # noqa: N803 - networkx convention
    pids: list[Any],
    xing_index: dict[str, int],
    xing_rows: list[dict[str, Any]],
) -> tuple[Any, ...] | None:
    """Vectorised path tables from a :class:`routes.RouteResult`'s engine arrays, if it has them."""
    pe = getattr(result, "path_edges", None)
    if not isinstance(pe, dict) or G is None:
        return None
    try:
        from routes.routing._engine import graph_index

        ix = graph_index(G)
        arrays = [np.asarray(pe[p], dtype=np.int64) for p in pids]
    except (ImportError, KeyError, AttributeError):
        return None
    n_paths = len(arrays)
    p_len = np.array([len(a) for a in arrays], dtype=np.int64)
    concat = np.concatenate(arrays) if arrays else np.zeros(0, np.int64)
    uniq, inv = np.unique(concat, return_inverse=True)
    edge_list = [(ix.nodes[ix.u[e]], ix.nodes[ix.v[e]], ix.key[e]) for e in uniq.tolist()]
    # node sequence of every path: the first edge's u, then every edge's v
    starts = np.concatenate([[0], np.cumsum(p_len)[:-1]]).astype(np.int64)
    nonempty = np.flatnonzero(p_len > 0)
    path_of_edge = np.repeat(np.arange(n_paths), p_len)
    nodes = np.insert(ix.v[concat], starts[nonempty], ix.u[concat[starts[nonempty]]])
    path_of_node = np.insert(path_of_edge, starts[nonempty], nonempty)
    # crossings met, in order, without repeats
    xnode = np.full(ix.n, -1, dtype=np.int64)
    for i in np.unique(nodes).tolist():
        cid = ix.crossing_id[i]
        if cid is None:
            continue
        cid = str(cid)
        if cid not in xing_index:
            xing_index[cid] = len(xing_rows)
            xing_rows.append(_crossing_from_node(dict(G.nodes[ix.nodes[i]]), cid))
        xnode[i] = xing_index[cid]
    xs = xnode[nodes]
    keep = xs >= 0
    xs, xp = xs[keep], path_of_node[keep]
    first = np.ones(len(xs), dtype=bool)
    first[1:] = (xs[1:] != xs[:-1]) | (xp[1:] != xp[:-1])
    p_cross, x_len = xs[first], np.bincount(xp[first], minlength=n_paths)
    # corridor: the jurisdictions passed, in order
    jcodes, jnames = pd.factorize(pd.Series(ix.jurisdiction, dtype=object), sort=True)
    js = jcodes[nodes]
    keep = js >= 0
    js, jp = js[keep], path_of_node[keep]
    first = np.ones(len(js), dtype=bool)
    first[1:] = (js[1:] != js[:-1]) | (jp[1:] != jp[:-1])
    js, jp = js[first], jp[first]
    j_off = np.concatenate([[0], np.cumsum(np.bincount(jp, minlength=n_paths))]).tolist()
    js_list = js.tolist()
    names = ["Kosovo*" if str(j) == "XK" else str(j) for j in jnames]
    corridors: list[str] = []
    corr_index: dict[tuple[int, ...], int] = {}
    path_corr = []
    for i in range(n_paths):
        key = tuple(js_list[j_off[i] : j_off[i + 1]])
        ci = corr_index.get(key)
        if ci is None:
            ci = corr_index[key] = len(corridors)
            corridors.append(" → ".join(names[j] for j in key) or "(unknown)")
        path_corr.append(ci)
    # coordinates of the edges used, oriented u -> v by the engine
    counts = ix.coord_count[uniq].astype(np.int64)
    idx = np.repeat(ix.coord_start[uniq] - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    idx = idx + np.arange(int(counts.sum()))
    exy = np.round(ix.coords[idx] * SCALE).astype(np.int64)
    return (
        p_len,
        inv.astype(np.int64),
        x_len.astype(np.int64),
        p_cross.astype(np.int64),
        path_corr,
        corridors,
        edge_list,
        (counts, exy),
    )


def _assignments(result: Any) -> pd.DataFrame:
    """(incident_id, alt, prob, path_id) rows, from the compact tables when the result has them."""
    a = getattr(result, "assignments", None)
    inc = getattr(result, "incidents", None)
    if isinstance(a, pd.DataFrame) and isinstance(inc, pd.DataFrame) and "incident" in a.columns:
        ids = inc["incident_id"].astype(str).to_numpy()
        return pd.DataFrame(
            {
                "incident_id": ids[a["incident"].to_numpy(dtype=np.int64)],
                "alt": a["alternative"].to_numpy(),
                "prob": pd.to_numeric(a["probability"], errors="coerce").fillna(0.0).to_numpy(),
                "path_id": a["path_id"].to_numpy(),
            }
        )
    routes = result.routes
    return pd.DataFrame(
        {
            "incident_id": routes["incident_id"].astype(str).to_numpy(),
            "alt": routes["alternative"].to_numpy() if "alternative" in routes else 0,
            "prob": pd.to_numeric(routes["probability"], errors="coerce").fillna(0.0).to_numpy(),
            "path_id": routes["path_id"].to_numpy(),
        }
    )


def _month(day: int) -> int:
    d = np.datetime64(day, "D").astype("datetime64[M]").astype(int)
    return int(d) + 1970 * 12


def _iso(day: int) -> str:
    return str(np.datetime64(day, "D"))


def _text(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    s = str(v).strip()
    return s or None


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
