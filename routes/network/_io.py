# ruff: noqa: N803, N806  (G is the networkx/OSMnx name for a graph)
"""Readers behind :func:`routes.load_network`: the bundled files, OSMnx GraphML, line files."""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import LineString

from routes._crs import shared_transformer, to_crs, transform_xy
from routes._errors import Problem, ValidationError
from routes._paths import data_dir

__all__ = [
    "DEFAULT_SPEED_KPH",
    "EDGE_MODES",
    "NODE_KINDS",
    "fill_jurisdictions",
    "graph_from_raw",
    "jurisdiction_of",
    "read_graphml",
    "read_lines",
    "validate_graph",
]

#: Edge modes of the network (contract in docs/CONTRACTS.md).
EDGE_MODES = ("road", "rail", "sea", "transfer")
#: Node kinds of the network.
NODE_KINDS = ("junction", "crossing", "port", "airport")
#: Speed assumed for a user's edge without ``speed_kph`` (documented in docs/geography.md).
DEFAULT_SPEED_KPH = 60.0


def _none(v: Any) -> Any:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else v


# --------------------------------------------------------------------------- jurisdiction
@functools.lru_cache(maxsize=1)
def _borders() -> gpd.GeoDataFrame:
    try:
        from routes.geo.borders import load_borders

        b = load_borders()
    except (ImportError, AttributeError):  # pragma: no cover - geography not ready
        b = gpd.read_parquet(data_dir("borders") / "countries.parquet")
    return b[["jurisdiction", "geometry"]].reset_index(drop=True)


def jurisdiction_of(lon: np.ndarray, lat: np.ndarray) -> list[str | None]:
    """Jurisdiction (ISO2, XK) of each point by point in polygon; None outside the region."""
    if len(lon) == 0:
        return []
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    hit = gpd.sjoin(pts, _borders(), how="left", predicate="within")
    hit = hit[~hit.index.duplicated()].sort_index()
    return [j if isinstance(j, str) else None for j in hit["jurisdiction"]]


# --------------------------------------------------------------------------- validation
def validate_graph(G: nx.MultiDiGraph, *, file: str | None = None) -> None:
    """Raise one ValidationError listing every node/edge that breaks the network contract."""
    problems: list[Problem] = []
    for n, d in G.nodes(data=True):
        for c, lo, hi in (("x", -180.0, 180.0), ("y", -90.0, 90.0)):
            v = d.get(c)
            if not isinstance(v, (int, float)) or not (lo <= float(v) <= hi):
                problems.append(
                    Problem(
                        f"node {n!r}: {c}={v!r} is not a number in [{lo:g}, {hi:g}]; give every "
                        f"node numeric x (longitude) and y (latitude) in EPSG:4326",
                        file=file,
                        column=c,
                        value=v,
                        reason="bad_coordinate",
                    )
                )
    for u, v, k, d in G.edges(keys=True, data=True):
        length = d.get("length_m")
        if not isinstance(length, (int, float)) or not math.isfinite(length) or length < 0:
            problems.append(
                Problem(
                    f"edge ({u!r}, {v!r}, {k!r}): length_m={length!r} is not a length in metres "
                    "(>= 0); give every edge a numeric 'length_m' (or OSMnx 'length')",
                    file=file,
                    column="length_m",
                    value=length,
                    reason="bad_length",
                )
            )
        mode = d.get("mode")
        if mode not in EDGE_MODES:
            problems.append(
                Problem(
                    f"edge ({u!r}, {v!r}, {k!r}): mode={mode!r} is not one of "
                    f"{', '.join(EDGE_MODES)}; fix the value or drop the column (default road)",
                    file=file,
                    column="mode",
                    value=mode,
                    reason="bad_mode",
                )
            )
    if problems:
        raise ValidationError(problems)


# --------------------------------------------------------------------------- GraphML
_E_REF = re.compile(r"\bE\s?(\d{1,3})\b")


def _e_roads(*refs: Any) -> str | None:
    found: list[str] = []
    for ref in refs:
        if isinstance(ref, str):
            for m in _E_REF.finditer(ref):
                e = f"E{int(m.group(1))}"
                if e not in found:
                    found.append(e)
    return "|".join(found) if found else None


def _to_float(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _to_bool(v: Any) -> bool:
    if isinstance(v, str):
        return v.strip().lower() in ("true", "1", "yes")
    return bool(v) if v is not None else False


def _crs_transformer(crs_text: Any, file: str) -> Transformer | None:
    if crs_text is None:
        return None
    try:
        crs = CRS.from_user_input(crs_text)
    except Exception as exc:
        raise ValidationError(
            Problem(
                f"graph attribute crs={crs_text!r} is not a CRS pyproj understands ({exc}); "
                "set it to e.g. 'epsg:4326' (OSMnx writes it for you)",
                file=file,
                column="crs",
                value=crs_text,
                reason="bad_crs",
            )
        ) from exc
    if crs.equals(CRS.from_epsg(4326)):
        return None
    return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)


def read_graphml(path: Path) -> nx.MultiDiGraph:
    """Read an OSMnx (1.x or 2.x) GraphML file into the network conventions (see load_network).

    Whatever the file's extension (``.graphml``, ``.gml``, ``.xml``).
    """
    file = str(path)
    try:
        raw = nx.read_graphml(path, force_multigraph=True)
    except Exception as exc:
        raise ValidationError(
            Problem(
                f"cannot read {path.name} as GraphML ({exc}); save the graph with "
                "osmnx.save_graphml(G, filepath) or networkx.write_graphml",
                file=file,
                reason="unreadable",
            )
        ) from exc
    return graph_from_raw(raw, file)


def _highways(value: Any) -> list[str]:
    """OSMnx 1.x writes a merged edge's ``highway`` as a list's text: "['primary', 'trunk']"."""
    text = str(value or "").strip()
    if text.startswith("[") and text.endswith("]"):
        return [t.strip(" '\"") for t in text[1:-1].split(",") if t.strip(" '\"")]
    return [text] if text else []


def graph_from_raw(raw: nx.Graph, file: str) -> nx.MultiDiGraph:
    """A graph as read from GraphML or GML -> the network conventions (see load_network).

    Nodes need numeric ``x``/``y`` (in the graph's ``crs``, EPSG:4326 when it has none); edges
    may give ``length_m`` or OSMnx's ``length`` (metres; measured on the geometry when absent),
    ``geometry`` as WKT, ``speed_kph``, ``travel_time``/``travel_time_s``, ``highway`` (a list's
    text in OSMnx 1.x), ``ref``/``int_ref`` (E-roads), ``mode``.
    """
    if not isinstance(raw, nx.MultiGraph):
        raw = nx.MultiDiGraph(raw) if raw.is_directed() else nx.MultiGraph(raw)
    if not raw.is_directed():
        raw = raw.to_directed()
    tf = _crs_transformer(raw.graph.get("crs", "epsg:4326"), file)

    def ident(n: Any) -> Any:
        try:
            return int(n)
        except (TypeError, ValueError):
            return n

    G = nx.MultiDiGraph(crs="EPSG:4326", source=file)
    problems: list[Problem] = []
    for n, d in raw.nodes(data=True):
        x, y = _to_float(d.get("x")), _to_float(d.get("y"))
        if x is None or y is None:
            problems.append(
                Problem(
                    f"node {n!r}: x={d.get('x')!r}, y={d.get('y')!r} are not numbers; every "
                    "node needs numeric 'x' and 'y' attributes (OSMnx writes them)",
                    file=file,
                    column="x" if x is None else "y",
                    value=d.get("x") if x is None else d.get("y"),
                    reason="bad_coordinate",
                )
            )
            continue
        if tf is not None:
            x, y = tf.transform(x, y)
        attrs: dict[str, Any] = {"x": float(x), "y": float(y)}
        attrs["kind"] = d.get("kind") if d.get("kind") in NODE_KINDS else "junction"
        for c in ("crossing_id", "name", "jurisdiction"):
            if d.get(c) not in (None, ""):
                attrs[c] = str(d[c])
        G.add_node(ident(n), **attrs)
    if problems:
        raise ValidationError(problems)
    for u, v, k, d in raw.edges(keys=True, data=True):
        uu, vv = ident(u), ident(v)
        geom = None
        if d.get("geometry"):
            try:
                geom = shapely.from_wkt(d["geometry"])
            except Exception:
                problems.append(
                    Problem(
                        f"edge ({u!r}, {v!r}, {k!r}): geometry {str(d['geometry'])[:60]!r} is "
                        "not WKT; write LineString WKT or drop the attribute",
                        file=file,
                        column="geometry",
                        value=d["geometry"],
                        reason="bad_geometry",
                    )
                )
                continue
            if tf is not None:
                geom = shapely.transform(
                    geom, lambda c: np.column_stack(transform_xy(tf, c[:, 0], c[:, 1]))
                )
        if geom is None:
            a, b = G.nodes[uu], G.nodes[vv]
            geom = LineString([(a["x"], a["y"]), (b["x"], b["y"])])
        raw_len = d.get("length_m", d.get("length"))
        length = _to_float(raw_len)
        if raw_len is None:
            length = float(_measure(geom))
        if length is None or length < 0:
            problems.append(
                Problem(
                    f"edge ({u!r}, {v!r}, {k!r}): length={raw_len!r} is not a length in "
                    "metres (>= 0); fix it or drop the attribute to measure the geometry",
                    file=file,
                    column="length",
                    value=raw_len,
                    reason="bad_length",
                )
            )
            continue
        speed = _to_float(d.get("speed_kph")) or DEFAULT_SPEED_KPH
        tt = _to_float(d.get("travel_time_s", d.get("travel_time")))
        highways = _highways(d.get("highway"))
        mode = d.get("mode") or "road"
        G.add_edge(
            uu,
            vv,
            key=ident(k),
            mode=mode,
            length_m=length,
            speed_kph=speed,
            travel_time_s=tt if tt is not None else length / (speed / 3.6),
            e_road=d.get("e_road") or _e_roads(d.get("int_ref"), d.get("ref")),
            green_border=_to_bool(d.get("green_border")),
            border=d.get("border") or None,
            motorway=_to_bool(d.get("motorway")) or any(h.startswith("motorway") for h in highways),
            connector=_to_bool(d.get("connector")),
            geometry=geom,
        )
    if problems:
        raise ValidationError(problems)
    fill_jurisdictions(G)
    return G


def _measure(geom: Any) -> float:
    g = shapely.transform(
        geom,
        lambda c: np.column_stack(
            transform_xy(shared_transformer("EPSG:4326", "EPSG:3035"), c[:, 0], c[:, 1])
        ),
    )
    return float(shapely.length(g))


def fill_jurisdictions(G: nx.MultiDiGraph) -> None:
    """Set a missing node ``jurisdiction`` by point in polygon (in place, on a new graph)."""
    missing = [n for n, d in G.nodes(data=True) if not d.get("jurisdiction")]
    if not missing:
        return
    jur = jurisdiction_of(
        np.array([G.nodes[n]["x"] for n in missing]),
        np.array([G.nodes[n]["y"] for n in missing]),
    )
    for n, j in zip(missing, jur, strict=True):
        G.nodes[n]["jurisdiction"] = j


# --------------------------------------------------------------------------- line files
def read_lines(path: Path, *, layer: str | None = None, snap_digits: int = 6) -> nx.MultiDiGraph:
    """Read a GeoPackage/GeoJSON/GeoParquet/Shapefile of lines; nodes from the line ends.

    Ends closer than ``10**-snap_digits`` degrees (about 0.1 m at 6) become one node. Optional
    columns: ``mode``, ``speed_kph``, ``oneway``, ``e_road``, ``name``, ``motorway``.
    """
    file = str(path)
    if layer is None and path.suffix.lower() == ".gpkg":
        import pyogrio  # here: ~0.02 s of every command's start-up otherwise

        try:
            layers = [str(row[0]) for row in pyogrio.list_layers(path)]
        except Exception:
            layers = []
        if len(layers) > 1:
            raise ValidationError(
                Problem(
                    f"{path.name} holds {len(layers)} layers ({', '.join(layers)}); say which "
                    "one holds the lines with layer=",
                    file=file,
                    column="layer",
                    value=layers,
                    reason="ambiguous_layer",
                )
            )
    try:
        if path.suffix.lower() in (".parquet", ".geoparquet"):
            gdf = gpd.read_parquet(path)
        else:
            gdf = gpd.read_file(path, layer=layer)
    except Exception as exc:
        raise ValidationError(
            Problem(
                f"cannot read {path.name} as a vector file of lines ({exc}); give a "
                "GeoPackage, GeoJSON, GeoParquet or Shapefile (and layer= for a multi-layer "
                "GeoPackage)",
                file=file,
                reason="unreadable",
            )
        ) from exc
    problems: list[Problem] = []
    if gdf.crs is None:
        raise ValidationError(
            Problem(
                f"{path.name} has no coordinate reference system; set one (e.g. "
                "gdf.set_crs('EPSG:4326')) and save again",
                file=file,
                column="geometry",
                reason="missing_crs",
            )
        )
    gdf = to_crs(gdf, "EPSG:4326").reset_index(drop=True)
    for i, g in enumerate(gdf.geometry, start=1):
        if g is None or g.is_empty:
            problems.append(
                Problem(
                    "empty geometry; give every row a LineString or delete the row",
                    file=file,
                    row=i,
                    column="geometry",
                    value=None,
                    reason="empty_geometry",
                )
            )
        elif g.geom_type not in ("LineString", "MultiLineString"):
            problems.append(
                Problem(
                    f"geometry type {g.geom_type!r} is not a line; the network needs "
                    "LineString or MultiLineString rows",
                    file=file,
                    row=i,
                    column="geometry",
                    value=g.geom_type,
                    reason="not_a_line",
                )
            )
    if "mode" in gdf.columns:
        for i, m in enumerate(gdf["mode"], start=1):
            if _none(m) is not None and m not in EDGE_MODES:
                problems.append(
                    Problem(
                        f"mode {m!r} is not one of {', '.join(EDGE_MODES)}; fix the value "
                        "or leave it empty (road)",
                        file=file,
                        row=i,
                        column="mode",
                        value=m,
                        reason="bad_mode",
                    )
                )
    if "speed_kph" in gdf.columns:
        for i, s in enumerate(gdf["speed_kph"], start=1):
            f = _to_float(s)
            if _none(s) is not None and (f is None or f <= 0):
                problems.append(
                    Problem(
                        f"speed_kph {s!r} is not a positive number; give km/h or leave it "
                        f"empty ({DEFAULT_SPEED_KPH:g} km/h is assumed)",
                        file=file,
                        row=i,
                        column="speed_kph",
                        value=s,
                        reason="bad_speed",
                    )
                )
    if problems:
        raise ValidationError(problems)
    gdf["_row"] = np.arange(1, len(gdf) + 1)
    gdf = gdf.explode(index_parts=False).reset_index(drop=True)
    geoms = gdf.geometry.to_numpy()
    lengths = [_measure(g) for g in geoms]
    G = nx.MultiDiGraph(crs="EPSG:4326", source=file)
    ids: dict[tuple[float, float], int] = {}

    def node(pt: tuple[float, ...]) -> int:
        key = (round(pt[0], snap_digits), round(pt[1], snap_digits))
        if key not in ids:
            ids[key] = len(ids)
            G.add_node(ids[key], x=float(pt[0]), y=float(pt[1]), kind="junction")
        return ids[key]

    def col(name: str, i: int) -> Any:
        return _none(gdf[name].iat[i]) if name in gdf.columns else None

    for i, g in enumerate(geoms):
        cs = list(g.coords)
        if len(cs) < 2:
            continue
        a, b = node(cs[0]), node(cs[-1])
        speed = _to_float(col("speed_kph", i)) or DEFAULT_SPEED_KPH
        attrs = {
            "mode": col("mode", i) or "road",
            "length_m": lengths[i],
            "speed_kph": speed,
            "travel_time_s": lengths[i] / (speed / 3.6),
            "e_road": col("e_road", i) or _e_roads(col("ref", i), col("int_ref", i)),
            "green_border": _to_bool(col("green_border", i)),
            "border": col("border", i),
            "motorway": _to_bool(col("motorway", i)),
            "connector": False,
            "source_row": int(gdf["_row"].iat[i]),
        }
        if col("name", i) is not None:
            attrs["name"] = str(col("name", i))
        G.add_edge(a, b, geometry=g, **attrs)
        if not _to_bool(col("oneway", i)):
            G.add_edge(b, a, geometry=shapely.reverse(g), **attrs)
    fill_jurisdictions(G)
    return G


def frame_problems(df: pd.DataFrame, required: tuple[str, ...], what: str) -> list[Problem]:
    """Problems for required columns missing from ``df`` (used by graph_from_gdfs)."""
    return [
        Problem(
            f"{what} has no column {c!r}; add it "
            f"(columns present: {', '.join(map(str, df.columns))})",
            column=c,
            reason="missing_column",
        )
        for c in required
        if c not in df.columns
    ]
