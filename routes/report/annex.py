"""The threat-assessment annex: one offline HTML page plus every figure, table and map as a file.

:func:`write_report` routes the incidents, computes the frequencies and statistics, and writes::

    DIR/annex.html                          the annex: map, figures, tables, file list (offline)
    DIR/maps/route_map.html                 the interactive map (offline, one file)
    DIR/maps/route_map.fragment.html        <iframe srcdoc=...> to paste into any HTML page
    DIR/maps/route_frequency_map.fragment.html   the static map as a self-contained <figure>
    DIR/figures/route_frequency_map.{png,svg,pdf}   report-grade map, PNG at 300 dpi
    DIR/figures/{trend_per_year,category_mix,top_corridors,top_crossings}.{png,svg}
    DIR/tables/statistics_<table>.csv, statistics.md, statistics.xlsx
    DIR/gis/route_frequency.gpkg            layers route_edges and crossing_flows
    DIR/manifest.json                       every file with its SHA-256 and the options used

All files are first written to a staging folder inside ``DIR`` and moved into place only when
everything succeeded, so ``DIR`` never holds a half-written report.

**Sharing-safe mode** (``share_safe=True``, ``salw-routes report --share-safe``) is for
outputs that leave the agency: see :func:`share_safe_incidents` for what is changed before
routing; every count below ``min_count`` is shown as ``"<min_count"`` in the tables, omitted
from the charts' labels and from the maps' frequency layers; every coordinate written is
rounded to 3 decimals; per-incident route layers and rejected rows are not written. Before the
report is moved into ``DIR``, every file is scanned for input ids and input coordinates (4
decimals) and the run fails if one is found.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from routes._constants import KOSOVO_FOOTNOTE
from routes._crs import to_crs
from routes._errors import Problem, ValidationError

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx
    import pandas as pd

__all__ = ["Report", "share_safe_incidents", "write_report"]

DEFAULT_TITLE = "SALW trafficking routes: threat-assessment annex"


@dataclass
class Report:
    """What :func:`write_report` wrote.

    Attributes
    ----------
    out_dir
        The report folder.
    annex
        ``out_dir / "annex.html"``.
    files
        Every file written, relative path (POSIX) -> absolute path, ``annex.html`` first.
    share_safe
        Whether the sharing-safe rules were applied.
    incidents
        Number of incidents in the report (after the date filter).
    unrouted
        Number of incidents that got no route (listed in the annex notes).
    notes
        The notes printed in the annex (filters, suppression, generalisation, ...).
    """

    out_dir: Path
    annex: Path
    files: dict[str, Path] = field(default_factory=dict)
    share_safe: bool = False
    incidents: int = 0
    unrouted: int = 0
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- sharing-safe


def share_safe_incidents(
    incidents: gpd.GeoDataFrame,
    *,
    method: Literal["grid", "settlement"] = "grid",
    grid_km: float = 10.0,
    salt: str | bytes | None = None,
    date_precision: Literal["day", "month", "year"] = "month",
    min_population: int = 0,
) -> gpd.GeoDataFrame:
    """Return a copy of the incidents that can leave the agency.

    - ``incident_id`` becomes a keyed pseudonym ``P-<16 hex>`` (HMAC-SHA-256 with ``salt``;
      a fresh random salt per call when None, so pseudonyms cannot be linked across runs;
      give your own secret salt to link them). Without the salt an id cannot be recovered.
    - Points are generalised: ``"grid"`` snaps each to the centre of its ``grid_km`` cell in
      EPSG:3035; ``"settlement"`` to the nearest settlement of the bundled gazetteer
      (places of 500 or more inhabitants; ``min_population`` raises the bar; GeoNames gives 0
      for some towns, so 0 keeps them) and ``place`` becomes that settlement. Coordinates
      are rounded to 3 decimals; ``latitude``/``longitude`` follow the geometry.
    - Free text is dropped: ``notes`` and ``source`` are emptied; with ``"grid"`` also
      ``place``.
    - Dates are coarsened to ``date_precision`` (default: first day of the month).
    - ``source_row`` is renumbered after sorting by pseudonym, so it no longer points to
      the input file's rows.

    Parameters
    ----------
    incidents
        Canonical incidents (EPSG:4326).
    method, grid_km, salt, date_precision, min_population
        See above.

    Returns
    -------
    geopandas.GeoDataFrame
        Same columns, EPSG:4326.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> inc = gpd.GeoDataFrame({"incident_id": ["RS-2023-17"], "notes": ["Marko, plate BG-123"],
    ...                         "latitude": [44.81712], "longitude": [20.45634]},
    ...                        geometry=[Point(20.45634, 44.81712)], crs="EPSG:4326")
    >>> safe = share_safe_incidents(inc, grid_km=10, salt="a long secret salt")
    >>> safe.loc[0, "incident_id"].startswith("P-"), safe.loc[0, "notes"] is None
    (True, True)
    >>> bool(round(safe.geometry.x[0], 3) != 20.456)
    True
    """
    import geopandas as gpd
    import pandas as pd

    from routes.report import _share_safe as ss

    problems = []
    if method not in ("grid", "settlement"):
        problems.append(
            Problem(
                f"method={method!r} is not supported; use 'grid' or 'settlement'",
                value=method,
                reason="invalid_option",
            )
        )
    if date_precision not in ("day", "month", "year"):
        problems.append(
            Problem(
                f"date_precision={date_precision!r} is not supported; use 'day', 'month' or 'year'",
                value=date_precision,
                reason="invalid_option",
            )
        )
    if not isinstance(incidents, gpd.GeoDataFrame) or incidents.crs is None:
        problems.append(
            Problem(
                "incidents must be a GeoDataFrame with a CRS (EPSG:4326); read them with "
                "routes.read_incidents",
                reason="invalid_input",
            )
        )
    if "incident_id" not in getattr(incidents, "columns", []):
        problems.append(
            Problem(
                "incidents lack the column 'incident_id'",
                column="incident_id",
                reason="missing_column",
            )
        )
    if problems:
        raise ValidationError(problems)
    key = ss.make_salt(salt)
    out = to_crs(incidents, "EPSG:4326").copy()
    out["incident_id"] = ss.pseudonymise(out["incident_id"].tolist(), salt=key)
    if method == "grid":
        geoms = ss.generalise_grid(out.geometry, grid_km=grid_km)
        if "place" in out.columns:
            out["place"] = None
        precision = "municipality" if grid_km <= 20 else "region"
    else:
        geoms, names = ss.generalise_settlement(out.geometry, min_population=min_population)
        if "place" in out.columns:
            out["place"] = names
        precision = "settlement"
    out = out.set_geometry(geoms.to_numpy(), crs="EPSG:4326")
    has_point = out.geometry.notna() & ~out.geometry.is_empty
    if "latitude" in out.columns:
        out["latitude"] = [
            g.y if ok else math.nan for g, ok in zip(out.geometry, has_point, strict=True)
        ]
    if "longitude" in out.columns:
        out["longitude"] = [
            g.x if ok else math.nan for g, ok in zip(out.geometry, has_point, strict=True)
        ]
    if "location_precision" in out.columns:
        finer = out["location_precision"].isin(["exact", "settlement", "municipality"])
        out.loc[finer & has_point, "location_precision"] = precision
    for col in ss.DROPPED_COLUMNS:
        if col in out.columns:
            out[col] = None
    if "date" in out.columns and date_precision != "day":
        dates = pd.to_datetime(out["date"], errors="coerce")
        freq = "MS" if date_precision == "month" else "YS"
        coarse = dates.dt.to_period("M" if freq == "MS" else "Y").dt.to_timestamp()
        out["date"] = coarse.astype(dates.dtype)
        if "date_precision" in out.columns:
            was_year = out["date_precision"] == "year"
            out.loc[dates.notna() & ~was_year, "date_precision"] = date_precision
    out = out.sort_values("incident_id", kind="stable").reset_index(drop=True)
    if "source_row" in out.columns:
        out["source_row"] = range(1, len(out) + 1)
    return out


def _rounded_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the graph with node x/y and edge geometries rounded for sharing."""
    import numpy as np
    import shapely

    from routes.report._share_safe import COORD_DECIMALS

    rounded_graph = graph.copy()
    for _, data in rounded_graph.nodes(data=True):
        for k in ("x", "y"):
            if k in data and data[k] is not None:
                data[k] = round(float(data[k]), COORD_DECIMALS)
    datas = [d for _, _, d in rounded_graph.edges(data=True) if d.get("geometry") is not None]
    if datas:
        geoms = np.empty(len(datas), dtype=object)
        geoms[:] = [d["geometry"] for d in datas]
        rounded = shapely.transform(geoms, lambda c: np.round(c, COORD_DECIMALS))
        for d, g in zip(datas, rounded, strict=True):
            d["geometry"] = g
    return rounded_graph


# --------------------------------------------------------------------------- the report


def _filter_dates(
    incidents: gpd.GeoDataFrame, start: Any, end: Any
) -> tuple[gpd.GeoDataFrame, list[str]]:
    import pandas as pd

    if start is None and end is None:
        return incidents, []
    dates = pd.to_datetime(incidents["date"], errors="coerce")
    keep = dates.notna()
    try:
        if start is not None:
            keep &= dates >= pd.Timestamp(start)
        if end is not None:
            keep &= dates <= pd.Timestamp(end)
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            Problem(
                f"date filter {start!r} .. {end!r} is not a date ({exc}); use ISO dates such as "
                "2023-01-01",
                reason="invalid_option",
            )
        ) from exc
    undated = int(dates.isna().sum())
    notes = [
        "Date filter: "
        + (f"from {pd.Timestamp(start):%Y-%m-%d} " if start is not None else "")
        + (f"to {pd.Timestamp(end):%Y-%m-%d}" if end is not None else "")
        + f"; {int((~keep).sum())} incident(s) outside the period"
        + (f" (of which {undated} undated)" if undated else "")
        + " are not counted."
    ]
    return incidents[keep.to_numpy()].copy(), notes


def _count(value: Any) -> str:
    """A count for prose: thousands separators (``191,595``); anything else (``<5``) as is."""
    import numbers

    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return f"{int(value):,}"
    return str(value)


def _reason_summary(reasons: Any, top: int = 5) -> str:
    """Group free-text routing reasons by their shape (names and ids removed)."""
    import re
    from collections import Counter

    def shape(text: str) -> str:
        text = re.sub(r"\(.*?\)", "", text)
        text = re.sub(r"'[^']*'", "…", text)
        text = re.sub(r"from .*? to .*? on the network", "from … to … on the network", text)
        text = text.split(":")[0]
        return " ".join(text.split())

    counts = Counter(shape(str(r)) for r in reasons)
    items = [f"{_count(n)} × {r}" for r, n in counts.most_common(top)]
    rest = sum(counts.values()) - sum(n for _, n in counts.most_common(top))
    if rest:
        items.append(f"{_count(rest)} other")
    return "; ".join(items)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _suppressed_flows(frame: Any, min_count: int | None) -> Any:
    if not min_count or min_count <= 1 or "incidents" not in frame.columns:
        return frame
    return frame[frame["incidents"].astype(float) >= min_count]


def _flow_table(frame: Any, columns: Sequence[str]) -> pd.DataFrame:
    import pandas as pd

    cols = [c for c in columns if c in frame.columns]
    out = pd.DataFrame(frame[cols]).copy()
    for c in ("incidents", "quantity"):
        if c in out.columns:
            out[c] = out[c].astype(float).round(1)
    if "share" in out.columns:
        out["share"] = (out["share"].astype(float) * 100).round(1)
        out = out.rename(columns={"share": "share_pct"})
    return out.reset_index(drop=True)


def _coarse(value: Any) -> Any:
    from routes.report._share_safe import COORD_DECIMALS

    if isinstance(value, float):
        return round(value, COORD_DECIMALS)
    if isinstance(value, list):
        return [_coarse(v) for v in value]
    if isinstance(value, dict):
        return {k: (v if k == "blob" else _coarse(v)) for k, v in value.items()}
    return value


def _coarsen_map(m: Any) -> None:
    """Round every decimal number in the map's data block (sharing-safe maps).

    Crossing positions, label points, bounds and class limits are written with at most
    :data:`routes.report._share_safe.COORD_DECIMALS` decimals, so no number in the page can coincide
    with an input coordinate written to 4 decimals. (The packed geometry is already built from
    rounded inputs.)
    """
    stack = [m.get_root()]
    while stack:
        el = stack.pop()
        meta = getattr(el, "meta", None)
        if isinstance(meta, dict) and "blob" in meta:
            el.meta = _coarse(meta)
        stack.extend(getattr(el, "_children", {}).values())


def _write_gpkg(path: Path, layers: dict[str, Any]) -> None:
    import pyogrio

    from routes._io import atomic_path

    with atomic_path(path) as tmp:
        for i, (name, frame) in enumerate(layers.items()):
            plain = frame.copy()
            for col in ("incidents", "quantity", "length_m"):
                if col in plain.columns:
                    plain[col] = plain[col].astype(float).round(3)
            for col in plain.columns:
                if col != plain.geometry.name and plain[col].dtype == object:
                    plain[col] = plain[col].map(lambda v: None if v is None else str(v))
            pyogrio.write_dataframe(plain, tmp, layer=name, driver="GPKG", append=i > 0)


def write_report(
    incidents: gpd.GeoDataFrame,
    out_dir: str | os.PathLike[str],
    *,
    result: Any = None,
    graph: nx.MultiDiGraph | None = None,
    title: str = DEFAULT_TITLE,
    marking: str | None = None,
    sources: str | None = None,
    input_name: str | None = None,
    start: Any = None,
    end: Any = None,
    profile: str = "least_time",
    k: int = 3,
    share_safe: bool = False,
    method: Literal["grid", "settlement"] = "grid",
    grid_km: float = 10.0,
    min_count: int = 5,
    salt: str | bytes | None = None,
    interactive: bool = True,
    share_safe_map: bool = False,
    extra_notes: Sequence[str] = (),
    progress: bool = False,
) -> Report:
    """Route the incidents and write the threat-assessment annex with all its files.

    Parameters
    ----------
    incidents
        Canonical incidents (:func:`routes.read_incidents`).
    out_dir
        Report folder (created; existing files of the same names are replaced).
    result
        A :class:`routes.RouteResult` for exactly these incidents (routed when None). Not
        accepted in sharing-safe mode, where routes are computed from the generalised points.
    graph
        The network (:func:`routes.load_network` when None).
    title, marking, sources
        Page title, handling marking (e.g. ``"RESTRICTED"``; top and bottom of every page,
        figure and sheet), data sources (default: the bundled data's attribution).
    input_name
        The incident file's name, cited in the sources (not in sharing-safe mode).
    start, end
        Only incidents dated within ``[start, end]`` (ISO dates); undated ones are dropped
        by a filter and counted in the notes.
    profile, k
        Routing options (:func:`routes.route_incidents`).
    share_safe
        Apply the sharing-safe rules (see the module docs and :func:`share_safe_incidents`).
    method, grid_km, salt
        Generalisation and pseudonymisation options of sharing-safe mode.
    min_count
        Sharing-safe mode: counts below this are suppressed (``"<5"``).
    interactive
        Include the interactive map (needs :mod:`routes.maps`).
    share_safe_map
        Sharing-safe mode leaves the interactive map out unless this is True: its in-page
        filters recompute counts per incident, so they can show counts below ``min_count``
        (the points are still generalised and the ids pseudonymised).
    extra_notes
        Further lines for the annex notes (e.g. "synthetic data").
    progress
        Show progress bars while routing.

    Returns
    -------
    Report

    Raises
    ------
    routes.ValidationError
        Bad options or incidents, listing every problem.
    RuntimeError
        Sharing-safe mode found an input id or coordinate in an output (nothing is written).
    """
    import geopandas as gpd

    from routes._io import atomic_write_text as write_text
    from routes.analysis.stats import (
        HEADERS,
        TABLE_TITLES,
        jurisdiction_tables,
        suppress_small_counts,
    )
    from routes.analysis.stats import write_tables as write_stat_tables
    from routes.report import _share_safe as ss
    from routes.report._style import DEFAULT_SOURCES, save_figure
    from routes.report.figures import (
        category_chart,
        route_frequency_map,
        top_flows_chart,
        trend_chart,
    )

    problems = []
    if not isinstance(incidents, gpd.GeoDataFrame):
        problems.append(
            Problem(
                f"incidents must be a GeoDataFrame (routes.read_incidents), instead got "
                f"{type(incidents).__name__}",
                reason="invalid_input",
            )
        )
    if not isinstance(min_count, int) or isinstance(min_count, bool) or min_count < 1:
        problems.append(
            Problem(
                f"min_count must be a whole number >= 1, instead got {min_count!r}; use e.g. 5",
                value=min_count,
                reason="invalid_option",
            )
        )
    if not (isinstance(grid_km, (int, float)) and math.isfinite(grid_km) and grid_km > 0):
        problems.append(
            Problem(
                f"grid_km must be a positive number of km, instead got {grid_km!r}; use e.g. 10",
                value=grid_km,
                reason="invalid_option",
            )
        )
    if Path(out_dir).exists() and not Path(out_dir).is_dir():
        problems.append(
            Problem(
                f"out_dir {str(out_dir)!r} is a file, not a folder; give the folder the annex "
                "and its files are written into (it is created)",
                file=str(out_dir),
                value=str(out_dir),
                reason="invalid_option",
            )
        )
    if share_safe and result is not None:
        problems.append(
            Problem(
                "sharing-safe mode routes the generalised points itself; do not pass result= "
                "(it was computed from the exact points)",
                reason="invalid_option",
            )
        )
    elif result is not None and (start is not None or end is not None):
        problems.append(
            Problem(
                "a date filter (start=/end=) cannot be applied to a given result=; filter the "
                "incidents first, or omit result= so that the report routes them",
                reason="invalid_option",
            )
        )
    elif result is not None and isinstance(incidents, gpd.GeoDataFrame):
        routed_ids = set(map(str, result.incidents["incident_id"]))
        given_ids = set(map(str, incidents["incident_id"]))
        if routed_ids != given_ids:
            problems.append(
                Problem(
                    f"result= was computed for other incidents ({len(routed_ids)} routed, "
                    f"{len(given_ids)} given, {len(routed_ids ^ given_ids)} ids differ); pass "
                    "the RouteResult of exactly these incidents or omit result=",
                    reason="invalid_option",
                )
            )
    if problems:
        raise ValidationError(problems)

    out = Path(out_dir)
    notes: list[str] = [
        *extra_notes,
        "Method: each incident's waypoints (origin, transit, crossing, seizure location, "
        "destination) are visited in order on the least-cost path of the road, ferry and "
        f"crossing network (profile '{profile}'); what the record does not give is inferred. "
        f"Up to {k} alternative routes share each incident's weight by probability, so route "
        "counts are expected numbers of incidents; the statistics count records.",
    ]
    selected, date_notes = _filter_dates(incidents, start, end)
    if selected.empty:
        raise ValidationError(
            Problem(
                "no incident to report"
                + (f" in the period {start or '…'} to {end or '…'}" if start or end else "")
                + "; widen the period or check the input file",
                reason="no_rows",
            )
        )
    notes += date_notes
    out.mkdir(parents=True, exist_ok=True)
    suppress = min_count if share_safe else None
    original_ids = selected["incident_id"].astype(str).tolist()
    original_lat = [g.y for g in selected.geometry if g is not None and not g.is_empty]
    original_lon = [g.x for g in selected.geometry if g is not None and not g.is_empty]
    if "latitude" in selected.columns:
        original_lat += [float(v) for v in selected["latitude"].dropna()]
        original_lon += [float(v) for v in selected["longitude"].dropna()]

    work = selected
    if share_safe:
        work = share_safe_incidents(selected, method=method, grid_km=grid_km, salt=salt)
        where = (
            f"the centre of a {grid_km:g} km grid cell (EPSG:3035)"
            if method == "grid"
            else "the nearest settlement"
        )
        notes += [
            f"Sharing-safe output: each location is generalised to {where}; incident ids are "
            "replaced by keyed pseudonyms; free-text notes, sources"
            + (" and place names" if method == "grid" else "")
            + " are removed; dates are shown by month.",
            f"Counts below {min_count} are suppressed (shown as '<{min_count}'); where one "
            "small cell of a block could be recovered from its total, the next smallest is "
            "suppressed too. Map segments and crossings below the threshold are not drawn.",
            "Coordinates are written with 3 decimals (about 100 m).",
        ]
    if result is None:
        from routes.network.graph import load_network
        from routes.routing import route_incidents

        net = graph if graph is not None else load_network()
        if share_safe:
            net = _rounded_graph(net)
        result = route_incidents(work, net, profile=profile, k=k, progress=progress)
    from routes.analysis.flows import corridor_flows, crossing_flows, edge_flows, pair_flows

    ef = edge_flows(result)
    cf = crossing_flows(result)
    corr = corridor_flows(result)
    pairs = pair_flows(result)
    unrouted = len(result.unrouted)
    if unrouted:
        notes.append(
            f"{_count(unrouted)} incident(s) could not be routed and are not in the route counts "
            f"(reasons: {_reason_summary(result.unrouted['reason'])}); they are in the "
            "statistics."
        )
    dots = work
    if share_safe:
        ef = ss.round_geometries(_suppressed_flows(ef, suppress))
        cf = ss.round_geometries(_suppressed_flows(cf, suppress))
        dots = ss.populous_cells(work, suppress)
    src = sources or DEFAULT_SOURCES
    if input_name and not share_safe:
        src = f"Incidents: {input_name}. {src}"
    from routes.report.figures import _date_range_text

    date_text = _date_range_text(work, (start, end) if start and end else None)

    staging = Path(tempfile.mkdtemp(prefix=".report-staging-", dir=out))
    try:
        written: dict[str, tuple[Path, str]] = {}

        def add(rel: str, path: Path, description: str) -> None:
            written[rel] = (path, description)

        # ---- figures
        figdir = staging / "figures"
        fig = route_frequency_map(
            ef,
            crossing_flows=cf,
            incidents=dots,
            title=title.split(":")[0] + ": route frequency" if ":" in title else title,
            date_range=date_text,
            sources=src,
            marking=marking,
            min_value=float(suppress) if suppress else None,
            notes=(
                [
                    "Sharing-safe: segments, crossings and generalised incident locations "
                    f"with fewer than {suppress} incidents are not drawn."
                ]
                if share_safe
                else []
            ),
        )
        paths = save_figure(fig, figdir / "route_frequency_map", title=title)
        for p in paths:
            add(
                f"figures/{p.name}",
                p,
                "Route-frequency map for print ("
                + {"png": "PNG, 300 dpi", "svg": "SVG, editable", "pdf": "PDF"}[p.suffix[1:]]
                + ")",
            )
        charts = [
            (
                "trend_per_year",
                "Incidents per year and jurisdiction",
                trend_chart(work, marking=marking, sources=src, min_count=suppress),
            ),
            (
                "category_mix",
                "Weapon category mix per jurisdiction",
                category_chart(work, marking=marking, sources=src, min_count=suppress),
            ),
            (
                "top_corridors",
                "Top corridors (E-roads) by expected incidents",
                top_flows_chart(
                    corr,
                    label="e_road",
                    title="Top corridors (E-roads)",
                    subtitle=date_text,
                    marking=marking,
                    sources=src,
                    min_count=suppress,
                ),
            ),
            (
                "top_crossings",
                "Top border crossings by expected incidents",
                top_flows_chart(
                    cf,
                    label="name" if "name" in cf.columns else "crossing_id",
                    title="Top border crossings",
                    subtitle=date_text,
                    marking=marking,
                    sources=src,
                    min_count=suppress,
                ),
            ),
        ]
        for stem, caption, chart in charts:
            for p in save_figure(chart, figdir / stem, formats=("png", "svg"), title=caption):
                add(f"figures/{p.name}", p, caption + f" ({p.suffix[1:].upper()})")

        # ---- tables
        tables = jurisdiction_tables(work)
        top_corr = _flow_table(corr, ["e_road", "incidents", "quantity", "length_m"])
        if "length_m" in top_corr.columns:
            top_corr["length_m"] = top_corr["length_m"].astype(float).round(0)
        top_cross = _flow_table(
            cf,
            [
                "crossing_id",
                "name",
                "jurisdiction_a",
                "jurisdiction_b",
                "incidents",
                "quantity",
                "share",
            ],
        )
        pair_tab = _flow_table(
            pairs, ["from_jurisdiction", "to_jurisdiction", "incidents", "quantity"]
        )
        if share_safe:
            tables = {
                n: suppress_small_counts(
                    t,
                    min_count=min_count,
                    group=None if n == "summary" else "jurisdiction",
                    across=None if n == "summary" else n.removeprefix("by_"),
                )
                for n, t in tables.items()
            }
            # route counts overlap (an incident uses several corridors): no totals to protect
            top_corr = suppress_small_counts(top_corr, min_count=min_count, group=None, total=None)
            top_cross = top_cross[top_cross["incidents"].astype(float) >= min_count]
            pair_tab = suppress_small_counts(pair_tab, min_count=min_count, group=None, total=None)
        tables.update(
            {"corridors": top_corr, "crossings": top_cross, "jurisdiction_pairs": pair_tab}
        )
        table_notes = [n for n in notes if n.startswith(("Sharing-safe", "Counts below"))]
        stat_files = write_stat_tables(
            tables,
            staging / "tables",
            title=title,
            marking=marking,
            notes=[*([date_text] if date_text else []), *table_notes],
        )
        for key, p in stat_files.items():
            desc = (
                "All tables, Markdown"
                if key == "markdown"
                else "All tables, Excel (a sheet per table)"
                if key == "xlsx"
                else f"Table: {TABLE_TITLES.get(key[:-4], key[:-4])} (CSV)"
            )
            add(f"tables/{p.name}", p, desc)

        # ---- GIS layers
        gpkg = staging / "gis" / "route_frequency.gpkg"
        edge_cols = [
            c
            for c in (
                "u",
                "v",
                "key",
                "incidents",
                "quantity",
                "mode",
                "e_road",
                "border",
                "green_border",
                "length_m",
                "geometry",
            )
            if c in ef.columns
        ]
        cross_cols = [
            c
            for c in (
                "crossing_id",
                "name",
                "kind",
                "jurisdiction_a",
                "jurisdiction_b",
                "incidents",
                "quantity",
                "geometry",
            )
            if c in cf.columns
        ]
        if len(ef) or len(cf):
            layers = {}
            if len(ef):
                layers["route_edges"] = ef[edge_cols]
            if len(cf):
                layers["crossing_flows"] = cf[cross_cols]
            _write_gpkg(gpkg, layers)
            add(
                "gis/route_frequency.gpkg",
                gpkg,
                "GeoPackage: route_edges (incidents, quantity per segment), crossing_flows",
            )

        # ---- maps
        from routes.report._html import (
            AnnexFile,
            annex_html,
            figure_fragment,
            iframe_fragment,
            inline_svg,
            table_html,
        )

        map_iframe = None
        if interactive and share_safe and not share_safe_map:
            notes.append(
                "The interactive map is left out of sharing-safe output: its filters can show "
                "counts below the threshold (include it with --share-safe-map)."
            )
        if interactive and (share_safe_map or not share_safe):
            from routes.maps.route_map import route_map, save_map

            map_kwargs: dict[str, Any] = {
                "title": title,
                "marking": marking,
            }  # the map shows its dates
            if share_safe:
                from routes.geo.borders import load_borders

                map_kwargs["borders"] = ss.round_geometries(load_borders())
                map_kwargs["crossings"] = cf
                map_kwargs["incident_style"] = "hex" if len(work) >= min_count else "heat"
            else:
                map_kwargs["source"] = input_name
            m = route_map(work, result=result, **map_kwargs)
            if share_safe:
                _coarsen_map(m)
            map_path = save_map(m, staging / "maps" / "route_map.html")
            add("maps/route_map.html", map_path, "Interactive route map (offline, one file)")
            page = map_path.read_text(encoding="utf-8")
            map_iframe = iframe_fragment(page, title=title, deferred=True)
            frag = write_text(
                staging / "maps" / "route_map.fragment.html", iframe_fragment(page, title=title)
            )
            add(
                "maps/route_map.fragment.html",
                frag,
                "The interactive map as an <iframe> fragment to paste into HTML",
            )
        png = (staging / "figures" / "route_frequency_map.png").read_bytes()
        sfrag = write_text(
            staging / "maps" / "route_frequency_map.fragment.html",
            figure_fragment(png, alt=title, caption=f"{title}. {KOSOVO_FOOTNOTE}"),
        )
        add(
            "maps/route_frequency_map.fragment.html",
            sfrag,
            "The static map as a self-contained <figure> fragment",
        )

        # ---- annex
        figures_html = []
        for stem, caption in [
            ("route_frequency_map", "Route frequency (print map)"),
            *((s, c) for s, c, _ in charts),
        ]:
            svg = (figdir / f"{stem}.svg").read_text(encoding="utf-8")
            figures_html.append(
                (
                    caption,
                    inline_svg(svg, label=caption),
                    f"Also as figures/{stem}.png (300 dpi)"
                    + (", .svg and .pdf" if stem == "route_frequency_map" else " and .svg"),
                )
            )
        tables_html = [
            (
                TABLE_TITLES.get(n, n),
                table_html(t.drop(columns=["jurisdiction"], errors="ignore"), headers=HEADERS),
            )
            for n, t in tables.items()
        ]
        summary = tables["summary"]
        total_row = summary[summary["jurisdiction"] == "ALL"].iloc[0]
        summary_lines = [
            f"Incidents: {_count(total_row['incidents'])}; "
            f"items (quantity): {_count(total_row['quantity'])}.",
            f"Routed: {_count(len(result) - unrouted)} of {_count(len(work))} incidents "
            f"(k = {k} alternative routes each, profile '{profile}').",
        ]
        files = []
        for rel, (path, desc) in sorted(written.items()):
            files.append(AnnexFile(rel, desc, path.stat().st_size))
        files.append(AnnexFile("manifest.json", "Every file with its SHA-256 checksum", 0))
        annex_text = annex_html(
            title=title,
            subtitle=date_text,
            marking=marking,
            summary_lines=summary_lines,
            notes=notes,
            map_iframe=map_iframe,
            figures=figures_html,
            tables=tables_html,
            files=files,
            sources=src,
        )
        annex = write_text(staging / "annex.html", annex_text)
        ordered: dict[str, tuple[Path, str]] = {"annex.html": (annex, "The annex")}
        ordered.update(written)
        manifest = {
            "title": title,
            "marking": marking,
            "share_safe": share_safe,
            "options": {
                "profile": profile,
                "k": k,
                **(
                    {"method": method, "grid_km": grid_km, "min_count": min_count}
                    if share_safe
                    else {}
                ),
            },
            "incidents": len(work),
            "unrouted": unrouted,
            "files": {
                rel: {"sha256": _sha256(p), "bytes": p.stat().st_size, "description": d}
                for rel, (p, d) in ordered.items()
            },
        }
        man = write_text(
            staging / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
        )
        ordered["manifest.json"] = (man, "Every file with its SHA-256 checksum")

        if share_safe:
            leaks = ss.find_leaks(
                [p for p, _ in ordered.values()],
                ids=original_ids,
                latitudes=original_lat,
                longitudes=original_lon,
            )
            if leaks:
                raise RuntimeError(
                    "sharing-safe check failed, nothing was written to "
                    f"{out}: an output shows input data:\n  - " + "\n  - ".join(leaks)
                )
        final: dict[str, Path] = {}
        for rel, (path, _) in ordered.items():
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            final[rel] = target
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Report(
        out_dir=out,
        annex=out / "annex.html",
        files=final,
        share_safe=share_safe,
        incidents=len(work),
        unrouted=unrouted,
        notes=notes,
    )
