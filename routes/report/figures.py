"""Report-grade static figures: the route-frequency map and the threat-assessment charts.

Everything is drawn with matplotlib on the Agg canvas (no display, no pyplot state, no tiles,
no internet). Maps are measured and drawn in EPSG:3035 (LAEA Europe, metres), so the scale bar
is true to within about 1 % over the region; inputs stay in EPSG:4326. Every figure carries a
title, the handling marking (top and bottom) when given, the sources and the Kosovo* footnote
(:data:`routes.KOSOVO_FOOTNOTE`). Save with :func:`save_figure` (PNG at 300 dpi, SVG, PDF;
reproducible: no dates in the metadata, stable SVG ids, text kept as text).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from routes._constants import WESTERN_BALKANS, display_name
from routes._crs import to_crs
from routes._errors import Problem, ValidationError
from routes.report._style import (
    DEFAULT_SOURCES,
    FIGURE_FORMATS,
    decorate,
    format_value,
    new_figure,
    nice_breaks,
    save_figure,
    wrap,
)
from routes.report._text import date_range_text

if TYPE_CHECKING:
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "FIGURE_FORMATS",
    "category_chart",
    "route_frequency_map",
    "save_figure",
    "top_flows_chart",
    "trend_chart",
]

METRIC_CRS = "EPSG:3035"
A4_LANDSCAPE = (11.69, 8.27)
_FLOW_CMAP = "YlOrRd"
# A light box behind labels keeps them readable over routes; unlike a path-effect halo it
# keeps the label as text in SVG and PDF (searchable, editable).
_HALO = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.6}
#: Above this many distinct incident locations the dots are embedded as an image in SVG/PDF.
_RASTER_POINTS = 3000
_VALUE_LABELS = {
    "incidents": "incidents (expected number of routes using the segment)",
    "quantity": "items (sum of quantity on routes using the segment)",
}


def _t(text: object) -> str:
    """Text from data or users for matplotlib: ``$`` would start mathtext, so escape it."""
    return str(text).replace("$", r"\$")


def _need(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValidationError(
            [
                Problem(
                    f"{what} needs column {c!r}; the table has "
                    f"{', '.join(map(str, frame.columns)) or 'no columns'}. Pass the output of "
                    "the matching routes function or name the column with value=/label=.",
                    column=c,
                    reason="missing_column",
                )
                for c in missing
            ]
        )


# --------------------------------------------------------------------------- the map


def _merge_directions(flows: gpd.GeoDataFrame, value: str) -> gpd.GeoDataFrame:
    """Sum both directions of a two-way segment into one line for drawing."""
    import numpy as np

    if not {"u", "v"} <= set(flows.columns):
        return flows
    u = flows["u"].astype(str).to_numpy()
    v = flows["v"].astype(str).to_numpy()
    lo = np.where(u <= v, u, v)
    hi = np.where(u <= v, v, u)
    tmp = flows.assign(_a=lo, _b=hi)
    summed = tmp.groupby(["_a", "_b"], sort=False)[value].transform("sum")
    tmp[value] = summed
    tmp = tmp.drop_duplicates(["_a", "_b"])
    return tmp.drop(columns=["_a", "_b"])


def _fit_extent(
    bounds: tuple[float, float, float, float], aspect: float, pad: float = 0.04
) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = bounds
    w, h = (x1 - x0) * (1 + 2 * pad), (y1 - y0) * (1 + 2 * pad)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    if w / h > aspect:
        h = w / aspect
    else:
        w = h * aspect
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _scale_bar(ax: Axes, extent: tuple[float, float, float, float]) -> None:
    from matplotlib.patches import Rectangle

    x0, y0, x1, y1 = extent
    width_m = x1 - x0
    nice_km = [5, 10, 20, 25, 50, 100, 150, 200, 250, 500, 1000]
    length_km = max([k for k in nice_km if k * 1000 <= 0.22 * width_m] or [nice_km[0]])
    length = length_km * 1000.0
    bx, by = x0 + 0.035 * width_m, y0 + 0.05 * (y1 - y0)
    bh = 0.012 * (y1 - y0)
    ax.add_patch(
        Rectangle(
            (bx - 0.012 * width_m, by - 0.035 * (y1 - y0)),
            length + 0.05 * width_m,
            0.085 * (y1 - y0),
            facecolor="white",
            edgecolor="none",
            alpha=0.8,
            zorder=20,
        )
    )
    n = 4
    for i in range(n):
        ax.add_patch(
            Rectangle(
                (bx + i * length / n, by),
                length / n,
                bh,
                facecolor="black" if i % 2 == 0 else "white",
                edgecolor="black",
                linewidth=0.6,
                zorder=21,
            )
        )
    for frac, text in ((0, "0"), (0.5, f"{length_km / 2:g}"), (1, f"{length_km:g} km")):
        ax.text(
            bx + frac * length, by + bh * 1.6, text, ha="center", va="bottom", fontsize=7, zorder=22
        )
    ax.text(
        bx,
        by - bh * 0.8,
        "EPSG:3035 (LAEA Europe)",
        ha="left",
        va="top",
        fontsize=6,
        color="#444444",
        zorder=22,
    )
    ax.set_gid("map")


def _north_arrow(ax: Axes, extent: tuple[float, float, float, float]) -> None:
    from pyproj import Transformer

    x0, y0, x1, y1 = extent
    px, py = x0 + 0.06 * (x1 - x0), y1 - 0.17 * (y1 - y0)
    to_geo = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
    to_m = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    lon, lat = to_geo.transform(px, py)
    nx_, ny_ = to_m.transform(lon, lat + 0.5)
    dx, dy = nx_ - px, ny_ - py
    norm = math.hypot(dx, dy)
    length = 0.08 * (y1 - y0)
    tx, ty = px + dx / norm * length, py + dy / norm * length
    arrow = ax.annotate(
        "",
        xy=(tx, ty),
        xytext=(px, py),
        arrowprops={
            "arrowstyle": "-|>,head_width=0.45,head_length=0.9",
            "color": "black",
            "linewidth": 1.6,
        },
        zorder=22,
    )
    if arrow.arrow_patch is not None:
        arrow.arrow_patch.set_gid("north_arrow")
    ax.text(
        tx + dx / norm * 0.02 * (y1 - y0),
        ty + dy / norm * 0.02 * (y1 - y0),
        "N",
        ha="center",
        va="bottom",
        fontsize=11,
        fontweight="bold",
        zorder=22,
    )


# Where a crossing's name may go, in points from its marker, tried in this order:
# (dx, dy, horizontal alignment, vertical alignment).
_LABEL_OFFSETS = (
    (6, 4, "left", "bottom"),
    (6, -4, "left", "top"),
    (-6, 4, "right", "bottom"),
    (-6, -4, "right", "top"),
    (0, 8, "center", "bottom"),
    (0, -8, "center", "top"),
    (10, 0, "left", "center"),
    (-10, 0, "right", "center"),
)


def _place_labels(fig: Any, ax: Any, labels: Sequence[tuple[str, float, float]]) -> None:
    """Name crossings (busiest first) where the name overlaps no name already placed.

    Each label tries the offsets in ``_LABEL_OFFSETS``; its box (with the halo) is measured in
    display space and compared with the boxes placed so far and with the map frame. A label
    that fits nowhere is left out. Deterministic: same input, same positions.
    """
    if not labels:
        return
    ax.apply_aspect()
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    pad = 0.15 * 7 * fig.dpi / 72 + 1  # the halo box around 7 pt text, plus a pixel
    placed: list[Any] = []
    for text, x, y in labels:
        ann = ax.annotate(
            text,
            (x, y),
            xytext=_LABEL_OFFSETS[0][:2],
            textcoords="offset points",
            fontsize=7,
            zorder=31,
            bbox=_HALO,
        )
        for dx, dy, ha, va in _LABEL_OFFSETS:
            ann.xyann = (dx, dy)
            ann.set_horizontalalignment(ha)
            ann.set_verticalalignment(va)
            bb = ann.get_window_extent(renderer).expanded(1, 1).padded(pad)
            inside = frame.x0 <= bb.x0 and bb.x1 <= frame.x1 and frame.y0 <= bb.y0
            if inside and bb.y1 <= frame.y1 and not any(bb.overlaps(q) for q in placed):
                placed.append(bb)
                break
        else:
            ann.remove()


def _crossing_label(row: Any, columns: Sequence[str]) -> str:
    for col in ("name", "names", "label"):
        if col in columns and isinstance(getattr(row, col, None), str) and getattr(row, col):
            return str(getattr(row, col))
    a, b = getattr(row, "name_a", None), getattr(row, "name_b", None)
    if isinstance(a, str) and a:
        return f"{a}\u2013{b}" if isinstance(b, str) and b and b != a else a
    return str(getattr(row, "crossing_id", ""))


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
    figsize
        Inches; default A4 landscape.

    Returns
    -------
    matplotlib.figure.Figure
        Save it with :func:`save_figure`.
    """
    import geopandas as gpd
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from shapely.geometry import box

    _need(flows, [value, "geometry"], "route_frequency_map(flows)")
    if borders is None:
        from routes.geo import load_borders

        borders = load_borders()
    _need(borders, ["jurisdiction", "geometry"], "route_frequency_map(borders)")
    if flows.crs is None:
        raise ValidationError(
            [
                Problem(
                    "flows has no CRS; set it (EPSG:4326) with flows.set_crs(4326)",
                    reason="missing_crs",
                )
            ]
        )

    fig = new_figure(figsize)
    map_rect = (0.02, 0.16, 0.70, 0.735)
    ax = fig.add_axes(map_rect)
    fig_w, fig_h = fig.get_size_inches()
    aspect = (map_rect[2] * fig_w) / (map_rect[3] * fig_h)

    b_m = borders.to_crs(METRIC_CRS)
    floor = 0.1 if min_value is None else max(float(min_value), 1e-12)
    drawn = _merge_directions(flows[flows[value].astype(float) > 0], value)
    drawn = drawn[drawn[value].astype(float) >= floor]
    f_m = to_crs(drawn, METRIC_CRS) if len(drawn) else drawn
    if extent is not None:
        ext_m = gpd.GeoSeries([box(*extent)], crs="EPSG:4326").to_crs(METRIC_CRS).total_bounds
    else:
        wb = b_m[b_m["jurisdiction"].isin(WESTERN_BALKANS)]
        ext_m = (wb if len(wb) else b_m).total_bounds
    x0, y0, x1, y1 = _fit_extent(tuple(float(v) for v in ext_m), aspect, pad=0.08)  # type: ignore[arg-type]
    frame = box(x0, y0, x1, y1)
    ax.set_facecolor("#e6eff6")
    clipped = b_m.clip(frame.buffer((x1 - x0) * 0.02))
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
            _t(display_name(str(row.jurisdiction))),
            ha="center",
            va="center",
            fontsize=9 if in_wb else 7.5,
            fontweight="bold" if in_wb else "normal",
            color="#4a4a4a" if in_wb else "#8a8a8a",
            style="normal" if in_wb else "italic",
            zorder=32,
            gid=f"label_{row.jurisdiction}",
            bbox=_HALO,
        )

    handles: list[Any] = []
    labels: list[str] = []
    handles.append(Line2D([], [], linestyle="none"))
    labels.append("Route frequency (" + value + ")")
    if len(f_m):
        vals = f_m[value].astype(float).to_numpy()
        breaks = nice_breaks(list(vals), classes=classes)
        n_cls = max(1, len(breaks) - 1)
        widths = np.linspace(0.7, 5.0, n_cls) if n_cls > 1 else np.array([2.5])
        cmap = colormaps[_FLOW_CMAP]
        colours = [cmap(x) for x in (np.linspace(0.35, 0.95, n_cls) if n_cls > 1 else [0.8])]
        cls = np.clip(np.searchsorted(breaks[1:-1], vals, side="right"), 0, n_cls - 1)
        for k in range(n_cls):
            sel = f_m[cls == k]
            segs: list[np.ndarray] = []
            for g in sel.geometry:
                parts = getattr(g, "geoms", [g])
                segs.extend(np.asarray(p.coords)[:, :2] for p in parts if not p.is_empty)
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
            lo, hi = format_value(breaks[k]), format_value(breaks[k + 1])
            if n_cls == 1:
                text = hi if lo == hi else f"{lo} \u2013 {hi}"
            elif k == n_cls - 1:
                text = f"\u2265 {lo} (max {hi})"
            else:
                text = f"{lo} \u2013 < {hi}"
            handles.append(
                Line2D([], [], color=colours[k], linewidth=widths[k], solid_capstyle="round")
            )
            labels.append(text)
    else:
        handles.append(Line2D([], [], linestyle="none"))
        labels.append("(no routes to show)")

    crossing_labels: list[tuple[str, float, float]] = []
    if crossing_flows is not None and len(crossing_flows):
        _need(crossing_flows, [value, "geometry"], "route_frequency_map(crossing_flows)")
        cf = crossing_flows[crossing_flows[value].astype(float) >= floor]
        if len(cf):
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
            for i in order:
                r = rows[int(i)]
                crossing_labels.append((_t(_crossing_label(r, cols)), xs[i], ys[i]))
            handles.append(Line2D([], [], linestyle="none"))
            labels.append("Border crossings (" + value + ")")
            for frac in (1.0, 0.25):
                v = vmax * frac
                handles.append(
                    Line2D(
                        [],
                        [],
                        marker="o",
                        linestyle="none",
                        markerfacecolor="white",
                        markeredgecolor="#222222",
                        markersize=math.sqrt(12 + 160 * math.sqrt(frac)),
                    )
                )
                labels.append(format_value(v))

    if incidents is not None and len(incidents):
        pts = incidents[incidents.geometry.notna() & ~incidents.geometry.is_empty]
        pts_m = to_crs(pts, METRIC_CRS)
        # one dot per distinct location (2 m apart at most), raster in SVG/PDF when numerous
        xy = np.unique(
            np.round(np.column_stack([pts_m.geometry.x, pts_m.geometry.y]) / 2.0), axis=0
        )
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
        handles.append(Line2D([], [], marker="o", linestyle="none", color="#1f3b73", markersize=3))
        labels.append("Incident locations")
    handles.append(Line2D([], [], color="#6b6b6b", linewidth=0.8))
    labels.append("International border")

    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)
    _scale_bar(ax, (x0, y0, x1, y1))
    _north_arrow(ax, (x0, y0, x1, y1))
    _place_labels(fig, ax, crossing_labels)

    legend = fig.legend(
        handles,
        [_t(x) for x in labels],
        loc="upper left",
        bbox_to_anchor=(0.735, 0.895),
        frameon=False,
        fontsize=8,
        handlelength=2.6,
        borderaxespad=0.0,
        labelspacing=0.7,
    )
    legend.set_gid("legend")
    for entry, label in zip(legend.get_texts(), labels, strict=True):
        if label.startswith(("Route frequency", "Border crossings")):
            entry.set_fontweight("bold")
    panel = [
        "Line width and colour: " + _VALUE_LABELS.get(value, value) + ", both directions "
        "summed; each incident's weight is spread over its most likely routes.",
        *notes,
    ]
    fig.text(
        0.735,
        0.165,
        "\n\n".join(wrap(_t(p), fig_w * 0.245, fontsize=7) for p in panel),
        ha="left",
        va="bottom",
        fontsize=7,
        color="#333333",
        gid="method",
    )
    subtitle = date_range_text(incidents, date_range)
    decorate(
        fig,
        title=_t(title),
        subtitle=_t(subtitle) if subtitle else None,
        marking=_t(marking) if marking else None,
        sources=_t(sources or DEFAULT_SOURCES),
    )
    return fig


# --------------------------------------------------------------------------- charts


def _suppress_cells(
    table: pd.DataFrame, min_count: int | None
) -> tuple[pd.DataFrame, pd.Series | None]:
    """Move cells below ``min_count`` of each row into one suppressed total per row.

    When a row has exactly one small cell, the next smallest joins it (secondary suppression).
    """
    import numpy as np
    import pandas as pd

    if not min_count or min_count <= 1:
        return table, None
    values = table.to_numpy(dtype=float)
    shown_values = values.copy()
    hidden_values = np.zeros(len(values))
    for i, row in enumerate(values):
        small = [j for j, v in enumerate(row) if 0 < v < min_count]
        if len(small) == 1:
            rest = [j for j, v in enumerate(row) if v >= min_count]
            if rest:
                small.append(min(rest, key=lambda j: row[j]))
        for j in small:
            hidden_values[i] += row[j]
            shown_values[i, j] = 0.0
    shown = pd.DataFrame(shown_values, index=table.index, columns=table.columns)
    hidden = pd.Series(hidden_values, index=table.index)
    return shown, hidden


def _suppression_notes(min_count: int | None) -> list[str]:
    """The note of a chart whose small cells are pooled in a hatched segment."""
    if min_count and min_count > 1:
        return [f"Counts below {min_count} are suppressed (shown hatched, '<{min_count}' each)."]
    return []


def _count_label(total: float, min_count: int | None) -> str:
    """A bar total as printed: ``"<5"`` when it is a small (suppressed) count."""
    return f"<{min_count}" if min_count and 0 < total < min_count else f"{total:g}"


def _weights(incidents: pd.DataFrame, value: str) -> np.ndarray:
    """Per incident: its ``quantity`` (``value="quantity"``) or 1 (counting incidents)."""
    import numpy as np

    if value == "quantity":
        return incidents["quantity"].to_numpy(dtype=float)
    return np.ones(len(incidents))


def _chart_frame(
    fig: Figure,
    *,
    title: str,
    subtitle: str | None,
    marking: str | None,
    sources: str | None,
    notes: Sequence[str],
) -> None:
    decorate(
        fig,
        title=_t(title),
        subtitle=_t(subtitle) if subtitle else None,
        marking=_t(marking) if marking else None,
        sources=_t(sources) if sources else None,
        notes=list(notes),
    )


def _group_labels(codes: Sequence[str]) -> list[str]:
    return [_t(display_name(str(c))) for c in codes]


def trend_chart(
    incidents: pd.DataFrame,
    *,
    by: str = "jurisdiction",
    value: str = "incidents",
    title: str | None = None,
    marking: str | None = None,
    sources: str | None = None,
    min_count: int | None = None,
    figsize: tuple[float, float] = (10.0, 6.0),
) -> Figure:
    """Stacked bars per year, split by jurisdiction (or another column such as category).

    Parameters
    ----------
    incidents
        Canonical incidents (``date``, ``jurisdiction``, ``quantity``, ...).
    by
        Column splitting each bar (``"jurisdiction"`` shows display names, ``"Kosovo*"``).
    value
        ``"incidents"`` (count of records) or ``"quantity"`` (items).
    title, marking, sources
        Page title, handling marking, sources line.
    min_count
        Suppress counts below this (sharing-safe outputs); small cells are pooled in a hatched
        segment per year.
    """
    import numpy as np
    import pandas as pd

    _need(incidents, ["date", by] + (["quantity"] if value == "quantity" else []), "trend_chart")
    years = pd.to_datetime(incidents["date"], errors="coerce").dt.year
    frame = pd.DataFrame(
        {
            "year": years.to_numpy(),
            "group": incidents[by].astype(object).fillna("not recorded").astype(str).to_numpy(),
            "w": _weights(incidents, value),
        }
    ).dropna(subset=["year"])
    frame["year"] = frame["year"].astype(int)
    table = frame.pivot_table(
        index="year", columns="group", values="w", aggfunc="sum", fill_value=0.0
    )
    if len(table):
        table = table.reindex(
            range(int(table.index.min()), int(table.index.max()) + 1), fill_value=0.0
        )
    if by == "jurisdiction":
        order = [c for c in WESTERN_BALKANS if c in table.columns]
        order += sorted(c for c in table.columns if c not in order)
    else:
        order = list(table.sum().sort_values(ascending=False, kind="stable").index)
    table = table[order]
    shown, hidden = _suppress_cells(table, min_count)
    fig = new_figure(figsize)
    ax = fig.add_axes((0.08, 0.25, 0.66, 0.6))
    x = np.arange(len(table.index))
    bottom = np.zeros(len(x))
    from matplotlib import colormaps

    cmap = colormaps["tab10" if len(order) <= 10 else "tab20"]
    labels = (
        _group_labels(order)
        if by == "jurisdiction"
        else [_t(str(c).replace("_", " ")) for c in order]
    )
    for i, col in enumerate(order):
        vals = shown[col].to_numpy()
        ax.bar(
            x,
            vals,
            bottom=bottom,
            color=cmap(i % cmap.N),
            label=labels[i],
            width=0.7,
            edgecolor="white",
            linewidth=0.5,
        )
        bottom += vals
    if hidden is not None and hidden.sum() > 0:
        ax.bar(
            x,
            hidden.to_numpy(),
            bottom=bottom,
            color="white",
            edgecolor="#777777",
            hatch="////",
            width=0.7,
            label=f"Suppressed (<{min_count} each)",
        )
        bottom += hidden.to_numpy()
    totals = table.sum(axis=1).to_numpy()
    for xi, (tot, top) in enumerate(zip(totals, bottom, strict=True)):
        ax.text(xi, top, _count_label(tot, min_count), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, [str(y) for y in table.index])
    ax.set_ylabel("Incidents" if value == "incidents" else "Items (quantity)")
    ax.spines[["top", "right"]].set_visible(False)
    stack_handles, stack_labels = ax.get_legend_handles_labels()
    ax.legend(
        stack_handles[::-1],  # top of the legend = top of the stack
        stack_labels[::-1],
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        frameon=False,
        fontsize=8,
        title=_t("Jurisdiction" if by == "jurisdiction" else by.replace("_", " ")),
    )
    _chart_frame(
        fig,
        title=title or ("Incidents per year" if value == "incidents" else "Items seized per year"),
        subtitle=date_range_text(incidents, None),
        marking=marking,
        sources=sources,
        notes=_suppression_notes(min_count),
    )
    return fig


def category_chart(
    incidents: pd.DataFrame,
    *,
    value: str = "incidents",
    top: int = 10,
    title: str | None = None,
    marking: str | None = None,
    sources: str | None = None,
    min_count: int | None = None,
    figsize: tuple[float, float] = (10.0, 6.0),
) -> Figure:
    """Category mix per jurisdiction: 100 % stacked horizontal bars (and all jurisdictions).

    Parameters
    ----------
    incidents
        Canonical incidents (``jurisdiction``, ``category``, ``quantity``).
    value
        ``"incidents"`` or ``"quantity"``.
    top
        Categories shown by name; the rest are pooled as "other categories".
    title, marking, sources
        Page title, handling marking, sources line.
    min_count
        Suppress counts below this; small cells are pooled in a hatched segment.
    """
    import numpy as np
    import pandas as pd
    from matplotlib import colormaps

    from routes._pdcompat import STR

    _need(
        incidents,
        ["jurisdiction", "category"] + (["quantity"] if value == "quantity" else []),
        "category_chart",
    )
    frame = pd.DataFrame(
        {
            "j": incidents["jurisdiction"].astype(STR).to_numpy(),
            "c": incidents["category"].astype(object).fillna("not recorded").astype(str).to_numpy(),
            "w": _weights(incidents, value),
        }
    )
    overall = frame.groupby("c")["w"].sum().sort_values(ascending=False, kind="stable")
    keep = list(overall.index[:top])
    frame.loc[~frame["c"].isin(keep), "c"] = "other categories"
    cats = keep + (["other categories"] if (frame["c"] == "other categories").any() else [])
    table = frame.pivot_table(index="j", columns="c", values="w", aggfunc="sum", fill_value=0.0)
    codes = [c for c in WESTERN_BALKANS if c in table.index]
    codes += sorted(c for c in table.index if c not in codes)
    table = table.reindex(index=codes, columns=cats, fill_value=0.0)
    table.loc["ALL"] = table.sum()
    shown, hidden = _suppress_cells(table, min_count)
    totals = table.sum(axis=1)
    fig = new_figure(figsize)
    ax = fig.add_axes((0.2, 0.25, 0.52, 0.6))
    y = np.arange(len(table.index))[::-1]
    left = np.zeros(len(y))
    cmap = colormaps["tab20"]
    for i, cat in enumerate(cats):
        share = shown[cat].to_numpy() / totals.to_numpy() * 100
        ax.barh(
            y,
            share,
            left=left,
            color=cmap(i % 20),
            height=0.7,
            label=_t(cat.replace("_", " ")),
            edgecolor="white",
            linewidth=0.5,
        )
        left += share
    if hidden is not None and hidden.sum() > 0:
        share = hidden.to_numpy() / totals.to_numpy() * 100
        ax.barh(
            y,
            share,
            left=left,
            color="white",
            edgecolor="#777777",
            hatch="////",
            height=0.7,
            label=f"Suppressed (<{min_count} each)",
        )
    names = [*_group_labels(codes), "All jurisdictions"]
    ax.set_yticks(y, names)
    for yi, tot in zip(y, totals.to_numpy(), strict=True):
        ax.text(101, yi, f"n = {_count_label(tot, min_count)}", va="center", fontsize=7.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Share of " + ("incidents" if value == "incidents" else "items") + " (%)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(
        loc="upper left", bbox_to_anchor=(1.1, 1.0), frameon=False, fontsize=7.5, title="Category"
    )
    _chart_frame(
        fig,
        title=title or "Weapon category mix per jurisdiction",
        subtitle=date_range_text(incidents, None),
        marking=marking,
        sources=sources,
        notes=_suppression_notes(min_count),
    )
    return fig


def top_flows_chart(
    table: pd.DataFrame,
    *,
    label: str,
    value: str = "incidents",
    n: int = 10,
    title: str = "Top corridors",
    subtitle: str | None = None,
    marking: str | None = None,
    sources: str | None = None,
    min_count: int | None = None,
    figsize: tuple[float, float] = (10.0, 6.0),
) -> Figure:
    """Horizontal bars of the ``n`` largest rows of a flow table (corridors, crossings).

    Parameters
    ----------
    table
        e.g. :func:`routes.corridor_flows` or :func:`routes.crossing_flows` output.
    label
        Column naming each bar (e.g. ``"e_road"``, ``"name"``).
    value
        Numeric column to rank and draw.
    n
        Number of bars.
    title, subtitle, marking, sources
        Page texts.
    min_count
        Rows below this are not drawn (suppressed) and a note says so.
    """
    import numpy as np

    _need(table, [label, value], "top_flows_chart")
    data = table[[label, value]].copy()
    data[value] = data[value].astype(float)
    data = data[data[value] > 0]
    suppressed = 0
    if min_count and min_count > 1:
        suppressed = int((data[value] < min_count).sum())
        data = data[data[value] >= min_count]
    data = data.sort_values(value, ascending=False, kind="stable").head(n)
    fig = new_figure(figsize)
    ax = fig.add_axes((0.3, 0.25, 0.62, 0.6))
    y = np.arange(len(data))[::-1]
    ax.barh(y, data[value].to_numpy(), color="#c0392b", height=0.65)
    ax.set_yticks(y, [_t(str(v).replace("|", " / ")) for v in data[label]])
    for yi, v in zip(y, data[value].to_numpy(), strict=True):
        ax.text(
            v, yi, f" {v:.1f}" if not float(v).is_integer() else f" {v:g}", va="center", fontsize=8
        )
    ax.set_xlabel("Incidents (expected)" if value == "incidents" else _t(value))
    ax.spines[["top", "right"]].set_visible(False)
    if not len(data):
        ax.text(0.5, 0.5, "nothing to show", transform=ax.transAxes, ha="center")
    notes = []
    if suppressed:
        notes.append(f"{suppressed} row(s) below {min_count} not shown (suppressed).")
    _chart_frame(fig, title=title, subtitle=subtitle, marking=marking, sources=sources, notes=notes)
    return fig
