"""The route-frequency map for print: graduated line widths on the country outlines, A4.

Measured and drawn in EPSG:3035 (LAEA Europe, metres), so the scale bar is true to within about
1 % over the region; inputs stay in EPSG:4326. :func:`route_frequency_map` draws it in named
steps: country outlines and names, flow classes, crossings, incident dots, map furniture
(:mod:`~routes.report._map_parts`), legend and method panel, page frame. Given the flows of the
recorded legs alone, the segments whose flow comes mostly from inferred legs are dashed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from routes._constants import WESTERN_BALKANS, display_name
from routes._crs import to_crs
from routes._errors import Problem, ValidationError
from routes._figstyle import (
    DEFAULT_SOURCES,
    decorate,
    format_value,
    mpl_text,
    need_columns,
    new_figure,
    nice_breaks,
    wrap,
)
from routes.report._map_parts import (
    HALO,
    METRIC_CRS,
    crossing_label,
    fit_extent,
    north_arrow,
    place_labels,
    scale_bar,
)
from routes.report._text import date_range_text

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["A4_LANDSCAPE", "route_frequency_map"]

A4_LANDSCAPE = (11.69, 8.27)
_FLOW_CMAP = "YlOrRd"
#: Above this many distinct incident locations the dots are embedded as an image in SVG/PDF.
_RASTER_POINTS = 3000
_VALUE_LABELS = {
    "incidents": "incidents (expected number of routes using the segment)",
    "quantity": "items (sum of quantity on routes using the segment)",
}
#: A segment is dashed when more than this share of its value comes from inferred legs.
INFERRED_SHARE = 0.5
#: Dashes of mostly inferred segments, in points: (dash, gap) at least, and per point of width.
_DASH_MIN = (3.0, 2.0)
_DASH_PER_WIDTH = (2.2, 1.4)
_INFERRED_LABEL = "dashed: mostly inferred legs"
_INFERRED_NOTE = (
    "Dashed: more than half of the segment's flow is on legs inferred by the model (origin or "
    "destination not in the record); solid: mostly recorded legs."
)
#: Where the map sits on the page (figure fraction: left, bottom, width, height).
_MAP_RECT = (0.02, 0.16, 0.70, 0.735)

#: Legend entries: handles and their labels, in order.
Legend = tuple[list[Any], list[str]]


def _merge_directions(
    flows: gpd.GeoDataFrame, value: str, also: Sequence[str] = ()
) -> gpd.GeoDataFrame:
    """Sum both directions of a two-way segment into one line for drawing (``value`` and
    the ``also`` columns)."""
    import numpy as np

    if not {"u", "v"} <= set(flows.columns):
        return flows
    u = flows["u"].astype(str).to_numpy()
    v = flows["v"].astype(str).to_numpy()
    lo = np.where(u <= v, u, v)
    hi = np.where(u <= v, v, u)
    tmp = flows.assign(_a=lo, _b=hi)
    for col in (value, *also):
        tmp[col] = tmp.groupby(["_a", "_b"], sort=False)[col].transform("sum")
    tmp = tmp.drop_duplicates(["_a", "_b"])
    return tmp.drop(columns=["_a", "_b"])


def route_frequency_map(
    flows: gpd.GeoDataFrame,
    *,
    value: str = "incidents",
    borders: gpd.GeoDataFrame | None = None,
    crossing_flows: gpd.GeoDataFrame | None = None,
    incidents: gpd.GeoDataFrame | None = None,
    title: str = "SALW trafficking routes: route frequency",
    date_range: str | tuple[object, object] | None = None,
    sources: str | None = None,
    marking: str | None = None,
    min_value: float | None = None,
    classes: int = 5,
    label_crossings: int = 5,
    extent: tuple[float, float, float, float] | None = None,
    notes: Sequence[str] = (),
    recorded_flows: gpd.GeoDataFrame | None = None,
    figsize: tuple[float, float] = A4_LANDSCAPE,
) -> Figure:
    """Draw the route-frequency map for print: graduated line widths on the country outlines.

    Parameters
    ----------
    flows
        Route frequency per network edge (:func:`routes.edge_flows`): LineStrings in
        EPSG:4326 with a numeric ``value`` column; two-way segments (``u``/``v`` swapped) are
        summed into one line.
    value
        ``"incidents"`` (expected number of incidents) or ``"quantity"`` (items).
    borders
        Country outlines (default :func:`routes.load_borders`); labelled by display name
        (``"Kosovo*"``).
    crossing_flows
        Optional frequency per border crossing (:func:`routes.crossing_flows`): Points with the
        same ``value`` column; the ``label_crossings`` busiest are named.
    incidents
        Optional incident points to show as small dots (use generalised points for sharing).
    title, date_range, sources, marking
        Page title; date range (text, a ``(start, end)`` pair, or taken from ``incidents``);
        data sources (default: the bundled data's attribution); handling marking such as
        ``"RESTRICTED"``, printed in red at the top and bottom.
    min_value
        Segments and crossings with a value below this are not drawn (e.g. for suppression).
        Default 0.1: the faint tails of unlikely alternative routes are left out.
    classes
        Number of graduated classes (1-2-5 series breaks).
    label_crossings
        How many of the busiest crossings to name.
    extent
        ``(min_lon, min_lat, max_lon, max_lat)``; default: the six jurisdictions with a margin
        (routes continuing beyond it are cut at the frame).
    notes
        Extra lines printed in the side panel (e.g. what sharing-safe mode changed).
    recorded_flows
        The same flows from the recorded legs alone (``routes.edge_flows(result,
        inferred=False)`` with the filters of ``flows``), matched on ``u``/``v`` (and ``key``).
        A drawn segment more than half of whose ``value`` comes from inferred legs is dashed
        (same width and colour class), with the legend entry "dashed: mostly inferred legs" and
        a line in the side panel; only segments drawn anyway are dashed, so ``min_value`` and
        sharing-safe suppression apply as before. Default None: every segment solid. Flows
        without inferred legs draw exactly the map without ``recorded_flows``.
    figsize
        Inches; default A4 landscape.

    Returns
    -------
    matplotlib.figure.Figure
        Save it with :func:`save_figure`.
    """
    borders = _checked_inputs(flows, borders, value)
    fig = new_figure(figsize)
    ax = fig.add_axes(_MAP_RECT)
    fig_w, fig_h = fig.get_size_inches()
    aspect = (_MAP_RECT[2] * fig_w) / (_MAP_RECT[3] * fig_h)
    b_m = borders.to_crs(METRIC_CRS)
    floor = 0.1 if min_value is None else max(float(min_value), 1e-12)
    frame = _frame(b_m, extent, aspect)
    _draw_countries(ax, b_m, frame)
    drawn = _drawn_flows(flows, value, floor, recorded_flows)
    handles, labels = _draw_flows(ax, drawn, value, classes)
    if _INFERRED_LABEL in labels:
        notes = [*notes, _INFERRED_NOTE]
    crossing_labels: list[tuple[str, float, float]] = []
    if crossing_flows is not None and len(crossing_flows):
        need_columns(crossing_flows, [value, "geometry"], "route_frequency_map(crossing_flows)")
        crossing_labels = _draw_crossings(
            ax,
            crossing_flows[crossing_flows[value].astype(float) >= floor],
            value,
            label_crossings,
            (handles, labels),
        )
    if incidents is not None and len(incidents):
        _draw_incidents(ax, incidents, (handles, labels))
    handles.append(_line2d(color="#6b6b6b", linewidth=0.8))
    labels.append("International border")
    _finish_map_axes(fig, ax, frame.bounds, crossing_labels)
    _legend_and_panel(fig, (handles, labels), value=value, notes=notes)
    subtitle = date_range_text(incidents, date_range)
    decorate(
        fig,
        title=mpl_text(title),
        subtitle=mpl_text(subtitle) if subtitle else None,
        marking=mpl_text(marking) if marking else None,
        sources=mpl_text(sources or DEFAULT_SOURCES),
    )
    return fig


def _line2d(**style: Any) -> Any:
    """An empty line: a legend handle (``linestyle="none"`` for a heading)."""
    from matplotlib.lines import Line2D

    return Line2D([], [], **style)


def _checked_inputs(
    flows: gpd.GeoDataFrame, borders: gpd.GeoDataFrame | None, value: str
) -> gpd.GeoDataFrame:
    """Check the flows and borders (the bundled borders when None) and return the borders."""
    need_columns(flows, [value, "geometry"], "route_frequency_map(flows)")
    if borders is None:
        from routes.geo import load_borders

        borders = load_borders()
    need_columns(borders, ["jurisdiction", "geometry"], "route_frequency_map(borders)")
    if flows.crs is None:
        raise ValidationError(
            [
                Problem(
                    "flows has no CRS; set it (EPSG:4326) with flows.set_crs(4326)",
                    reason="missing_crs",
                )
            ]
        )
    return borders


def _drawn_flows(
    flows: gpd.GeoDataFrame,
    value: str,
    floor: float,
    recorded_flows: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """The segments drawn, in EPSG:3035: both directions summed, at least ``floor``.

    With ``recorded_flows`` the result has a boolean column ``_inferred``: more than
    :data:`INFERRED_SHARE` of the segment's (summed) value is not from recorded legs.
    """
    drawn = flows[flows[value].astype(float) > 0]
    also: tuple[str, ...] = ()
    if recorded_flows is not None:
        drawn, also = _with_recorded(drawn, recorded_flows, value), ("_recorded",)
    drawn = _merge_directions(drawn, value, also)
    drawn = drawn[drawn[value].astype(float) >= floor]
    if recorded_flows is not None:
        total = drawn[value].astype(float)
        inferred = (total - drawn["_recorded"]) > INFERRED_SHARE * total
        drawn = drawn.drop(columns="_recorded").assign(_inferred=inferred.to_numpy(dtype=bool))
    return to_crs(drawn, METRIC_CRS) if len(drawn) else drawn


def _with_recorded(
    flows: gpd.GeoDataFrame, recorded: gpd.GeoDataFrame, value: str
) -> gpd.GeoDataFrame:
    """``flows`` with column ``_recorded``: the recorded legs' value on the same edge (or 0)."""
    import pandas as pd

    need_columns(flows, ["u", "v"], "route_frequency_map(flows) with recorded_flows")
    need_columns(recorded, ["u", "v", value], "route_frequency_map(recorded_flows)")
    on = ["u", "v", "key"] if "key" in flows.columns and "key" in recorded.columns else ["u", "v"]
    ids = pd.MultiIndex.from_frame(recorded[on].astype(str))
    rec = pd.Series(recorded[value].astype(float).to_numpy(), index=ids).groupby(level=on).sum()
    got = rec.reindex(pd.MultiIndex.from_frame(flows[on].astype(str))).fillna(0.0)
    return flows.assign(_recorded=got.to_numpy())


def _frame(
    borders_m: gpd.GeoDataFrame,
    extent: tuple[float, float, float, float] | None,
    aspect: float,
) -> Any:
    """The map frame in EPSG:3035: the extent (default: the six jurisdictions) at ``aspect``."""
    import geopandas as gpd
    from shapely.geometry import box

    if extent is not None:
        ext_m = gpd.GeoSeries([box(*extent)], crs="EPSG:4326").to_crs(METRIC_CRS).total_bounds
    else:
        wb = borders_m[borders_m["jurisdiction"].isin(WESTERN_BALKANS)]
        ext_m = (wb if len(wb) else borders_m).total_bounds
    x0, y0, x1, y1 = fit_extent(tuple(float(v) for v in ext_m), aspect, pad=0.08)  # type: ignore[arg-type]
    return box(x0, y0, x1, y1)


def _draw_countries(ax: Axes, borders_m: gpd.GeoDataFrame, frame: Any) -> None:
    """Sea, the countries (Western Balkans highlighted) and their display names."""
    x0, _, x1, _ = frame.bounds
    ax.set_facecolor("#e6eff6")
    clipped = borders_m.clip(frame.buffer((x1 - x0) * 0.02))
    clipped = clipped[~clipped.geometry.is_empty]
    wbmask = clipped["jurisdiction"].isin(WESTERN_BALKANS)
    if (~wbmask).any():
        clipped[~wbmask].plot(
            ax=ax, facecolor="#e4e4e2", edgecolor="#9a9a9a", linewidth=0.4, zorder=1
        )
    if wbmask.any():
        clipped[wbmask].plot(
            ax=ax, facecolor="#f6f2e8", edgecolor="#6b6b6b", linewidth=0.6, zorder=2
        )
    for row in clipped.itertuples():
        geom = row.geometry.intersection(frame)
        if geom.is_empty or geom.area < 0.002 * frame.area:
            continue
        pt = geom.representative_point()
        in_wb = row.jurisdiction in WESTERN_BALKANS
        ax.text(
            pt.x,
            pt.y,
            mpl_text(display_name(str(row.jurisdiction))),
            ha="center",
            va="center",
            fontsize=9 if in_wb else 7.5,
            fontweight="bold" if in_wb else "normal",
            color="#4a4a4a" if in_wb else "#8a8a8a",
            style="normal" if in_wb else "italic",
            zorder=32,
            gid=f"label_{row.jurisdiction}",
            bbox=HALO,
        )


def _class_label(lo: str, hi: str, k: int, n_cls: int) -> str:
    if n_cls == 1:
        return hi if lo == hi else f"{lo} \u2013 {hi}"
    if k == n_cls - 1:
        return f"\u2265 {lo} (max {hi})"
    return f"{lo} \u2013 < {hi}"


def _dashes(width: float) -> tuple[int, tuple[float, float]]:
    """The dash pattern of a mostly inferred segment ``width`` points wide (matplotlib form)."""
    import matplotlib as mpl

    dash, gap = (max(m, f * width) for m, f in zip(_DASH_MIN, _DASH_PER_WIDTH, strict=True))
    scale = width if mpl.rcParams["lines.scale_dashes"] and width > 0 else 1.0
    return 0, (dash / scale, gap / scale)


def _segments(geoms: Any) -> list[Any]:
    """The coordinate arrays of the (multi)lines, for a LineCollection."""
    import numpy as np

    segs: list[np.ndarray] = []
    for g in geoms:
        parts = getattr(g, "geoms", [g])
        segs.extend(np.asarray(p.coords)[:, :2] for p in parts if not p.is_empty)
    return segs


def _draw_flows(ax: Axes, f_m: gpd.GeoDataFrame, value: str, classes: int) -> Legend:
    """The segments in graduated classes (width and colour); returns the legend so far.

    Segments flagged ``_inferred`` (mostly inferred legs) are drawn dashed in their class's
    width and colour, as a second collection per class, and get a legend entry.
    """
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.collections import LineCollection

    handles: list[Any] = [_line2d(linestyle="none")]
    labels = ["Route frequency (" + value + ")"]
    if not len(f_m):
        handles.append(_line2d(linestyle="none"))
        labels.append("(no routes to show)")
        return handles, labels
    vals = f_m[value].astype(float).to_numpy()
    breaks = nice_breaks(list(vals), classes=classes)
    n_cls = max(1, len(breaks) - 1)
    widths = np.linspace(0.7, 5.0, n_cls) if n_cls > 1 else np.array([2.5])
    cmap = colormaps[_FLOW_CMAP]
    colours = [cmap(x) for x in (np.linspace(0.35, 0.95, n_cls) if n_cls > 1 else [0.8])]
    cls = np.clip(np.searchsorted(breaks[1:-1], vals, side="right"), 0, n_cls - 1)
    dashed = (
        f_m["_inferred"].to_numpy(dtype=bool)
        if "_inferred" in f_m.columns
        else np.zeros(len(f_m), dtype=bool)
    )
    for k in range(n_cls):
        segs = _segments(f_m[(cls == k) & ~dashed].geometry)
        if segs:
            ax.add_collection(
                LineCollection(
                    segs,
                    linewidths=widths[k],
                    colors=[colours[k]],
                    capstyle="round",
                    joinstyle="round",
                    zorder=10 + k,
                    gid=f"flow_class_{k}",
                )
            )
        segs = _segments(f_m[(cls == k) & dashed].geometry)
        if segs:  # butt caps: round ones would close the gaps of wide lines
            ax.add_collection(
                LineCollection(
                    segs,
                    linewidths=widths[k],
                    colors=[colours[k]],
                    linestyles=[_dashes(float(widths[k]))],
                    capstyle="butt",
                    joinstyle="round",
                    zorder=10 + k,
                    gid=f"flow_class_{k}_inferred",
                )
            )
        lo, hi = format_value(breaks[k]), format_value(breaks[k + 1])
        handles.append(_line2d(color=colours[k], linewidth=widths[k], solid_capstyle="round"))
        labels.append(_class_label(lo, hi, k, n_cls))
    if dashed.any():
        mid = n_cls // 2
        width = min(float(widths[mid]), 2.5)
        handles.append(
            _line2d(
                color=colours[mid],
                linewidth=width,
                linestyle=_dashes(width),
                dash_capstyle="butt",
            )
        )
        labels.append(_INFERRED_LABEL)
    return handles, labels


def _draw_crossings(
    ax: Axes, cf: gpd.GeoDataFrame, value: str, label_crossings: int, legend: Legend
) -> list[tuple[str, float, float]]:
    """Crossings as circles by value; adds their legend; returns the busiest to name."""
    import numpy as np

    if not len(cf):
        return []
    handles, labels = legend
    cf_m = to_crs(cf, METRIC_CRS)
    cvals = cf_m[value].astype(float).to_numpy()
    vmax = float(cvals.max())
    sizes = 12 + 160 * np.sqrt(cvals / vmax)
    xs, ys = cf_m.geometry.x.to_numpy(), cf_m.geometry.y.to_numpy()
    ax.scatter(
        xs,
        ys,
        s=sizes,
        facecolor="white",
        edgecolor="#222222",
        linewidth=0.9,
        zorder=30,
        gid="crossings",
    )
    order = np.argsort(-cvals, kind="stable")[: max(0, label_crossings)]
    cols = list(cf_m.columns)
    rows = list(cf_m.itertuples())
    named = [(mpl_text(crossing_label(rows[int(i)], cols)), xs[i], ys[i]) for i in order]
    handles.append(_line2d(linestyle="none"))
    labels.append("Border crossings (" + value + ")")
    for frac in (1.0, 0.25):
        handles.append(
            _line2d(
                marker="o",
                linestyle="none",
                markerfacecolor="white",
                markeredgecolor="#222222",
                markersize=math.sqrt(12 + 160 * math.sqrt(frac)),
            )
        )
        labels.append(format_value(vmax * frac))
    return named


def _draw_incidents(ax: Axes, incidents: gpd.GeoDataFrame, legend: Legend) -> None:
    """One dot per distinct location (2 m apart at most), raster in SVG/PDF when numerous."""
    import numpy as np

    pts = incidents[incidents.geometry.notna() & ~incidents.geometry.is_empty]
    pts_m = to_crs(pts, METRIC_CRS)
    xy = np.unique(np.round(np.column_stack([pts_m.geometry.x, pts_m.geometry.y]) / 2.0), axis=0)
    ax.scatter(
        xy[:, 0] * 2.0,
        xy[:, 1] * 2.0,
        s=5,
        color="#1f3b73",
        alpha=0.6,
        linewidth=0,
        zorder=25,
        gid="incidents",
        rasterized=len(xy) > _RASTER_POINTS,
    )
    legend[0].append(_line2d(marker="o", linestyle="none", color="#1f3b73", markersize=3))
    legend[1].append("Incident locations")


def _finish_map_axes(
    fig: Figure,
    ax: Axes,
    extent: tuple[float, float, float, float],
    crossing_labels: Sequence[tuple[str, float, float]],
) -> None:
    """Frame, no ticks, scale bar, north arrow, then the crossing names where they fit."""
    x0, y0, x1, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)
    scale_bar(ax, extent)
    north_arrow(ax, extent)
    place_labels(fig, ax, crossing_labels)


def _legend_and_panel(fig: Figure, legend: Legend, *, value: str, notes: Sequence[str]) -> None:
    """The legend (headings bold) and, below it, the method panel with the extra notes."""
    handles, labels = legend
    box = fig.legend(
        handles,
        [mpl_text(x) for x in labels],
        loc="upper left",
        bbox_to_anchor=(0.735, 0.895),
        frameon=False,
        fontsize=8,
        handlelength=2.6,
        borderaxespad=0.0,
        labelspacing=0.7,
    )
    box.set_gid("legend")
    for entry, label in zip(box.get_texts(), labels, strict=True):
        if label.startswith(("Route frequency", "Border crossings")):
            entry.set_fontweight("bold")
    panel = [
        "Line width and colour: " + _VALUE_LABELS.get(value, value) + ", both directions "
        "summed; each incident's weight is spread over its most likely routes.",
        *notes,
    ]
    fig_w = fig.get_size_inches()[0]
    fig.text(
        0.735,
        0.165,
        "\n\n".join(wrap(mpl_text(p), fig_w * 0.245, fontsize=7) for p in panel),
        ha="left",
        va="bottom",
        fontsize=7,
        color="#333333",
        gid="method",
    )
