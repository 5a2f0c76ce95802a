"""Compact, deterministic encoding of everything a route map draws.

:func:`encode_map_data` composes named steps, each adding its typed columns (see
:mod:`routes.maps._pack` for the wire format) in a fixed order: the incidents
(:func:`_incident_columns`), the routes (:func:`_route_columns`, tables from
:mod:`routes.maps._route_tables`), the network edges they use (:func:`_edge_columns`), the
unfiltered legend sums (:func:`_legend_sums`) and the country borders of the basemap
(:func:`_border_columns`, rings from :mod:`routes.maps._borders`); :func:`_meta` then writes
the JSON-ready description the page reads.
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
from routes.maps._borders import BorderRings, border_rings
from routes.maps._pack import SCALE, UNDATED, Columns, day_iso, day_month, fixed_point
from routes.maps._route_tables import (
    CrossingTable,
    IncidentRoutes,
    RouteTables,
    engine_path_tables,
    graph_path_tables,
    join_routes,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    import geopandas as gpd
    import networkx as nx

__all__ = [
    "CATEGORY_COLOURS",
    "Encoded",
    "encode_map_data",
    "flow_breaks",
    "incident_points",
]

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

_INCIDENT_MODE_LABELS = {
    "cluster": "clusters; points coloured by category",
    "heat": "heat map",
    "hex": "hexagon bins",
}


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
    evidence: Any = None  # the EvidenceMix of the result drawn (set by route_map)
    points: tuple[np.ndarray, np.ndarray] | None = None  # (lon, lat) of the incidents, EPSG:4326


@dataclass
class _Incidents:
    """The incident columns in map order (``order`` maps map position -> input row)."""

    order: np.ndarray
    day: np.ndarray
    qty: np.ndarray
    points: tuple[np.ndarray, np.ndarray]  # (lon, lat) in input row order, EPSG:4326
    categories: list[str]
    mos: list[str]
    sources: list[str] = field(default_factory=list)
    source_counts: list[int] = field(default_factory=list)


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


def incident_points(incidents: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) arrays in EPSG:4326 of the incidents' points (NaN where there is none).

    Raises
    ------
    routes.ValidationError
        When a geometry is not a point, or the incidents have no location at all.
    """
    import geopandas as gpd

    if isinstance(incidents, gpd.GeoDataFrame) and incidents._geometry_column_name in incidents:
        import shapely

        gs = incidents.geometry
        if gs.crs is not None and not gs.crs.equals("EPSG:4326"):
            gs = to_crs(gs, "EPSG:4326")
        geoms = np.asarray(gs.array)  # shapely objects (None where missing)
        kind = shapely.get_type_id(geoms)  # -1 missing, 0 point
        empty = (kind < 0) | shapely.is_empty(geoms)
        bad = ~empty & (kind != 0)
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
                for i in np.flatnonzero(bad)
            ]
            raise ValidationError(problems)
        points = geoms.copy()
        points[empty] = None
        lon = np.where(empty, np.nan, shapely.get_x(points))
        lat = np.where(empty, np.nan, shapely.get_y(points))
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
    # cleaned once per distinct value (a column holds few): as text, stripped, blank = missing
    raw_codes, uniques = pd.factorize(series, use_na_sentinel=True)
    texts = pd.Series(uniques, dtype=object).astype("string").str.strip()
    cleaned = [missing if pd.isna(t) or t == "" else str(t) for t in texts]
    values = sorted(
        set(cleaned) | ({missing} if (raw_codes < 0).any() else set()),
        key=lambda v: (v == missing, v),
    )
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
    code_of = {v: i for i, v in enumerate(values)}
    table = np.asarray([code_of[c] for c in cleaned] + [code_of.get(missing, 0)], dtype=np.uint8)
    return table[raw_codes], values  # -1 (missing) reads the last entry


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


def encode_map_data(
    incidents: pd.DataFrame,
    *,
    result: Any = None,
    crossings: gpd.GeoDataFrame | None,
    borders: BorderRings | gpd.GeoDataFrame | None,
    weight: str,
    incident_mode: str,
    with_text: bool,
    compress: bool = True,
    max_corridor_labels: int = 8,
    classes: np.ndarray | None = None,
) -> Encoded:
    """Encode incidents, routes, network edges, crossings and borders into one data block.

    ``borders``: outlines, or their rings (:func:`routes.maps._borders.bundled_border_rings`).
    ``classes``: :func:`routes.evidence_classes` of ``result`` if already computed.
    """
    cols = Columns()
    n = len(incidents)
    inc = _incident_columns(cols, incidents)
    xings = CrossingTable.from_frame(crossings)
    joined, tables = _route_columns(cols, incidents, result, inc.order, xings, classes)
    e_roads, modes = _edge_columns(cols, result, tables)
    edge_vals, cross_vals = _legend_sums(inc.qty, joined, tables, len(xings.rows))
    countries = _border_columns(cols, borders)
    blob, manifest, raw_bytes = cols.pack(compress=compress)
    meta = _meta(
        inc,
        tables,
        n=n,
        weight=weight,
        e_roads=e_roads,
        modes=modes,
        crossings=xings.rows,
        countries=countries,
        breaks=(edge_vals, cross_vals),
        incident_mode=incident_mode,
        max_corridor_labels=max_corridor_labels,
        compress=compress,
        manifest=manifest,
        blob=blob,
    )
    if joined.inferred.any():  # dashed lines, a legend entry and the recorded/all toggle
        meta["has_inferred"] = True
        # 1: inferred from recorded routes (dashed), 2: from priors (dotted)
        meta["inferred_kinds"] = sorted(int(k) for k in np.unique(joined.evidence) if k > 0)
    if with_text:
        meta["incident_text"] = _incident_text(incidents, inc.order)
    return Encoded(
        meta=meta,
        n_incidents=n,
        n_paths=tables.n_paths,
        n_edges=len(tables.edge_list),
        n_crossings=len(xings.rows),
        raw_bytes=raw_bytes,
        edge_values=edge_vals[weight],
        crossing_values=cross_vals[weight],
        points=inc.points,
    )


def _incident_columns(cols: Columns, incidents: pd.DataFrame) -> _Incidents:
    """Add the incident columns (``i_*``): points, day, category, modus operandi, quantity."""
    n = len(incidents)
    lon, lat = incident_points(incidents)
    if "date" in incidents.columns:
        dates = pd.to_datetime(incidents["date"], errors="coerce")
        day = (dates.to_numpy("datetime64[D]").astype("int64")).astype(np.int64)
        day = np.where(dates.isna().to_numpy(), UNDATED, day)
    else:
        day = np.full(n, UNDATED, dtype=np.int64)
    # spatial order (then date) makes the delta-encoded coordinates compress best
    ilon, ilat = fixed_point(lon), fixed_point(lat)
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
    sources: list[str] = []
    counts: list[int] = []
    if "reporting" in incidents.columns:  # pooled incidents: a filter and legend by source
        src, sources = _vocab(incidents["reporting"], n, "unspecified")
        counts = np.bincount(src, minlength=len(sources)).tolist()
        cols.add("i_src", "u1", src[order])
    return _Incidents(order, day, qty, (lon, lat), categories, mos, sources, counts)


def _route_columns(
    cols: Columns,
    incidents: pd.DataFrame,
    result: Any,
    order: np.ndarray,
    xings: CrossingTable,
    classes: np.ndarray | None = None,
) -> tuple[IncidentRoutes, RouteTables]:
    """Add the route columns: per incident its paths (``r_*``), per path its tables (``p_*``)."""
    n = len(incidents)
    joined = IncidentRoutes(
        count=np.zeros(n, dtype=np.int64),
        path=np.zeros(0, dtype=np.int64),
        prob=np.zeros(0, dtype=np.int64),
        path_ids=[],
    )
    tables = RouteTables()
    if result is not None:
        joined = join_routes(incidents, result, order, classes=classes)
        found = engine_path_tables(result, joined.path_ids, xings)
        tables = found or graph_path_tables(result, _graph(result), joined.path_ids, xings)
    cols.add("r_off", "u4", np.concatenate([[0], np.cumsum(joined.count)]), delta=True)
    cols.add("r_path", "index", joined.path)
    cols.add("r_prob", "u2", joined.prob)
    if joined.inferred.any():  # only maps with inferred legs carry the column
        # 1: inferred from records (dashed), 2: from priors (dotted)
        cols.add("r_inf", "u1", joined.evidence.astype(np.int64))
    cols.add("p_off", "u4", np.concatenate([[0], np.cumsum(tables.p_len)]), delta=True)
    cols.add("p_edge", "index", tables.p_edge)
    cols.add("p_xoff", "u4", np.concatenate([[0], np.cumsum(tables.x_len)]), delta=True)
    cols.add("p_cross", "index", tables.p_cross)
    cols.add("p_corridor", "index", np.asarray(tables.path_corr, dtype=np.int64))
    return joined, tables


def _edge_columns(
    cols: Columns,
    result: Any,
    tables: RouteTables,
) -> tuple[list[str], list[str]]:
    """Add the columns of the network edges any route uses (``e_*``); return road, mode names."""
    edge_list = tables.edge_list
    e_roads: list[str] = [""]
    road_index: dict[str, int] = {}
    modes: list[str] = []
    mode_index: dict[str, int] = {}
    e_road = np.zeros(len(edge_list), dtype=np.int64)
    e_mode = np.zeros(len(edge_list), dtype=np.int64)
    e_len = np.zeros(len(edge_list), dtype=np.int64)
    coords: list[np.ndarray] = []
    for i, data in enumerate(_edge_attributes(result, tables)):
        u, v, k = edge_list[i]
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
        if tables.edge_coords is None:
            coords.append(_edge_points(_graph(result), u, v, k))
    if tables.edge_coords is not None:
        e_counts, exy = tables.edge_coords
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
    return e_roads, modes


def _edge_attributes(result: Any, tables: RouteTables) -> Iterator[dict[str, Any]]:
    """``e_road``, ``mode`` and ``length_m`` of each edge of ``tables.edge_list``.

    From the routing index when the graph is the unchanged bundled network (whose index holds
    these values as they are in the graph: the graph itself need not be built), else from
    the graph's edge dicts.
    """
    from routes.routing.result import bundled_unchanged, result_index

    if tables.edge_index is not None and bundled_unchanged(result):
        ix = result_index(result)
        e = tables.edge_index
        rows = zip(ix.e_road[e].tolist(), ix.mode[e].tolist(), ix.length_m[e].tolist(), strict=True)
        for road, mode, length in rows:
            yield {"e_road": road, "mode": mode, "length_m": length}
        return
    G = _graph(result)  # noqa: N806 - networkx convention
    for u, v, k in tables.edge_list:
        yield G.edges[u, v, k]


def _graph(result: Any) -> Any:
    """The result's graph (the bundled network's is loaded on this first use), or None."""
    return getattr(result, "graph", None) if result is not None else None


def _edge_points(G: Any, u: Any, v: Any, k: Any) -> np.ndarray:  # noqa: N803 - networkx
    """Fixed-point line of one edge, u -> v, without repeated points (at least two)."""
    xy = np.round(_line_coords(G, u, v, k) * SCALE).astype(np.int64)
    keep = np.ones(len(xy), dtype=bool)
    keep[1:] = np.any(xy[1:] != xy[:-1], axis=1)
    xy = xy[keep]
    if len(xy) == 1:
        xy = np.vstack([xy, xy])
    return xy


def _legend_sums(
    qty: np.ndarray, joined: IncidentRoutes, tables: RouteTables, n_crossings: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Unfiltered flow per edge and per crossing, by incidents and by quantity.

    They set the legend classes; the page recomputes the flows under its filters.
    """
    n = len(qty)
    edge_vals = {}
    cross_vals = {}
    for name, w in (("incidents", np.ones(n)), ("quantity", qty.astype(float))):
        pw = np.bincount(
            joined.path,
            weights=joined.prob / 65535 * np.repeat(w, joined.count),
            minlength=tables.n_paths,
        )
        edge_vals[name] = np.bincount(
            tables.p_edge, weights=np.repeat(pw, tables.p_len), minlength=len(tables.edge_list)
        )
        cross_vals[name] = np.bincount(
            tables.p_cross, weights=np.repeat(pw, tables.x_len), minlength=n_crossings
        )
    return edge_vals, cross_vals


def _border_columns(
    cols: Columns, borders: BorderRings | gpd.GeoDataFrame | None
) -> list[dict[str, Any]]:
    """Add the basemap's border rings (``b_*``); return the countries with their label points."""
    rings = borders if isinstance(borders, BorderRings) else border_rings(borders)
    cols.add("b_roff", "u4", np.concatenate([[0], np.cumsum(rings.ring_len)]), delta=True)
    cols.add("b_ring_country", "u1", rings.ring_country)
    cols.add("b_lon", "i4", rings.lon, delta=True)
    cols.add("b_lat", "i4", rings.lat, delta=True)
    return rings.countries


def _meta(
    inc: _Incidents,
    tables: RouteTables,
    *,
    n: int,
    weight: str,
    e_roads: list[str],
    modes: list[str],
    crossings: list[dict[str, Any]],
    countries: list[dict[str, Any]],
    breaks: tuple[dict[str, np.ndarray], dict[str, np.ndarray]],
    incident_mode: str,
    max_corridor_labels: int,
    compress: bool,
    manifest: dict[str, list[Any]],
    blob: str,
) -> dict[str, Any]:
    """The JSON-ready description of the data block (key order is part of the output)."""
    edge_vals, cross_vals = breaks
    dated = inc.day[inc.day != UNDATED]
    month = (
        [int(day_month(int(dated.min()))), int(day_month(int(dated.max())))]
        if len(dated)
        else [None, None]
    )
    return {
        "version": 1,
        "n": n,
        "n_paths": tables.n_paths,
        "n_edges": len(tables.edge_list),
        "n_undated": int((inc.day == UNDATED).sum()),
        "weight": weight,
        "categories": inc.categories,
        "category_colours": [
            CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i in range(len(inc.categories))
        ],
        "mos": inc.mos,
        **({"sources": inc.sources, "source_counts": inc.source_counts} if inc.sources else {}),
        "corridors": tables.corridors,
        "e_roads": e_roads,
        "modes": modes,
        "crossings": crossings,
        "countries": countries,
        "breaks_incidents": flow_breaks(edge_vals["incidents"]),
        "breaks_quantity": flow_breaks(edge_vals["quantity"]),
        "cross_breaks_incidents": flow_breaks(cross_vals["incidents"]),
        "cross_breaks_quantity": flow_breaks(cross_vals["quantity"]),
        "date_min": day_iso(int(dated.min())) if len(dated) else None,
        "date_max": day_iso(int(dated.max())) if len(dated) else None,
        "month_min": month[0],
        "month_max": month[1],
        "incident_mode": incident_mode,
        "incident_mode_label": _INCIDENT_MODE_LABELS[incident_mode],
        "max_corridor_labels": max_corridor_labels,
        "compressed": compress,
        "columns": manifest,
        "blob": blob,
    }


def _incident_text(incidents: pd.DataFrame, order: np.ndarray) -> dict[str, list[str | None]]:
    """Popup texts per incident in map order (inserted in the page as text, never as HTML)."""
    n = len(incidents)

    def texts(col: str) -> list[str | None]:
        if col not in incidents.columns:
            return [None] * n
        s = incidents[col].astype("string").to_numpy()[order]
        return [None if v is pd.NA or v is None else str(v) for v in s]

    jurs = texts("jurisdiction")
    return {
        "id": texts("incident_id"),
        "place": texts("place"),
        "notes": texts("notes"),
        "jurisdiction": [display_name(j) if j else None for j in jurs],
    }
