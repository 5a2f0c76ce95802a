"""Questionnaire figures: trends, weapon types per jurisdiction, the reported routes.

Drawn with matplotlib on the Agg canvas in the look of the report's figures (same page frame:
title and subtitle top left, the handling marking top and bottom in red, notes, sources and the
Kosovo* footnote at the foot; DejaVu Sans; maps in EPSG:3035). Save them with
:func:`routes.save_figure`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from routes._constants import WESTERN_BALKANS, display_name
from routes._crs import to_crs
from routes._errors import Problem, ValidationError
from routes._figstyle import decorate_text, new_figure
from routes._figstyle import mpl_text as _t
from routes.questionnaire.format import INDICATORS

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["questionnaire_trend_chart", "reported_routes_map", "weapon_type_chart"]

_ROUTE_COLOUR = "#bd0026"
_METRIC = "EPSG:3035"


def questionnaire_trend_chart(
    totals: pd.DataFrame,
    *,
    indicator: str = "seized_weapons",
    per_100k: bool = False,
    population: pd.DataFrame | None = None,
    title: str | None = None,
    marking: str | None = None,
    sources: str | None = None,
    min_count: int | None = None,
    figsize: tuple[float, float] = (10.0, 6.0),
    jurisdictions: tuple[str, ...] = WESTERN_BALKANS,
) -> Figure:
    """One indicator per year, a line per jurisdiction (Kosovo* by its display name).

    Parameters
    ----------
    totals
        jurisdiction, year, indicator, value (:meth:`QuestionnaireReadResult.totals`).
    indicator
        The indicator drawn.
    per_100k
        Draw the rate per 100,000 inhabitants (``population``: :func:`load_population`).
    title, marking, sources
        Page title, handling marking, sources line.
    min_count
        Sharing-safe outputs: counts from 1 to ``min_count - 1`` (and their rates) are not
        drawn; the gap is explained in a note.
    jurisdictions
        The jurisdictions drawn, in this order (default: the six; the context jurisdictions
        of a published table get a chart of their own).

    Raises
    ------
    routes.ValidationError
        Unknown indicator, or no value for it.
    """
    import numpy as np

    from routes.questionnaire.compare import questionnaire_rates

    if indicator not in INDICATORS:
        raise ValidationError(
            Problem(
                f"indicator {indicator!r} is not known; use one of {', '.join(INDICATORS)}",
                value=indicator,
                reason="invalid_option",
            )
        )
    block = totals[totals["indicator"] == indicator]
    if block.empty:
        raise ValidationError(
            Problem(
                f"no {indicator} value to draw; pick an indicator the file gives", reason="no_rows"
            )
        )
    if per_100k:
        block = questionnaire_rates(block, population=population)
    block = block[block["jurisdiction"].isin(jurisdictions)]
    if block.empty:
        raise ValidationError(
            Problem(f"no {indicator} value of {', '.join(jurisdictions)} to draw", reason="no_rows")
        )
    years = list(range(int(block["year"].min()), int(block["year"].max()) + 1))
    fig = new_figure(figsize)
    ax = fig.add_axes((0.08, 0.25, 0.66, 0.6))
    from matplotlib import colormaps

    cmap = colormaps["tab10"]
    hidden = 0
    for i, code in enumerate(jurisdictions):
        rows = block[block["jurisdiction"] == code].set_index("year")
        if rows.empty:
            continue
        counts = rows["value"].reindex(years).to_numpy(dtype=float)
        shown = rows["per_100k" if per_100k else "value"].reindex(years).to_numpy(dtype=float)
        if min_count is not None:
            small = (counts > 0) & (counts < min_count)
            hidden += int(small.sum())
            shown = np.where(small, np.nan, shown)
        ax.plot(
            years,
            shown,
            marker="o",
            color=cmap(i),
            label=_t(display_name(code)),
            linewidth=1.8,
            markersize=4,
        )
    ax.set_xticks(years, [str(y) for y in years])
    unit = INDICATORS[indicator].unit
    ax.set_ylabel(f"{unit} per 100,000 inhabitants" if per_100k else unit.capitalize())
    ax.set_ylim(bottom=0)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e6e6e6", linewidth=0.6)
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        frameon=False,
        fontsize=8,
        title="Jurisdiction",
    )
    notes = ["Questionnaire totals (the 'total' row, else the sum of the categories)."]
    if per_100k:
        notes.append("Rates use each jurisdiction's latest census population for every year.")
    if hidden:
        notes.append(f"Sharing-safe: {hidden} value(s) below {min_count} are not drawn.")
    what = indicator.replace("_", " ")
    decorate_text(
        fig,
        title=title
        or (
            f"{what.capitalize()} per 100,000 inhabitants"
            if per_100k
            else f"{what.capitalize()} per year"
        ),
        subtitle=f"{years[0]}–{years[-1]}, as reported in the questionnaires",
        marking=marking,
        sources=sources,
        notes=notes,
    )
    return fig


def reported_routes_map(
    flows: gpd.GeoDataFrame,
    *,
    borders: gpd.GeoDataFrame | None = None,
    title: str = "Reported trafficking routes",
    marking: str | None = None,
    sources: str | None = None,
    min_count: int | None = None,
    figsize: tuple[float, float] = (11.69, 8.27),
) -> Figure:
    """The reported routes as country-to-country flows on the network (EPSG:3035, A4).

    Parameters
    ----------
    flows
        :func:`routes.questionnaire.route_flows`: line geometry and ``seizures`` per route.
    borders
        Country outlines (default :func:`routes.load_borders`).
    min_count
        Sharing-safe outputs: routes with fewer seizures are not drawn.
    """
    if borders is None:
        from routes.geo import load_borders

        borders = load_borders()
    lines = flows[flows.geometry.notna() & ~flows.geometry.is_empty] if len(flows) else flows
    notes = ["Line width: seizures reported on the route (all years and reporting jurisdictions)."]
    if min_count is not None and len(lines):
        small = lines["seizures"].astype(float) < min_count
        if small.any():
            notes.append(
                f"Sharing-safe: {int(small.sum())} route(s) with fewer than {min_count} "
                "seizures are not drawn."
            )
        lines = lines[~small]
    fig = new_figure(figsize)
    ax = fig.add_axes((0.02, 0.17, 0.96, 0.72))
    ax.set_axis_off()
    bd = to_crs(borders, _METRIC)
    focus = bd["jurisdiction"].isin(WESTERN_BALKANS)
    bd[~focus].plot(ax=ax, color="#ecebe6", edgecolor="#9a9a9a", linewidth=0.5)
    bd[focus].plot(ax=ax, color="#f7f4ec", edgecolor="#555555", linewidth=0.9)
    x0, y0, x1, y1 = bd[focus].total_bounds
    if len(lines):
        metric = to_crs(lines, _METRIC)
        bx0, by0, bx1, by1 = metric.total_bounds
        x0, y0, x1, y1 = min(x0, bx0), min(y0, by0), max(x1, bx1), max(y1, by1)
        top = float(metric["seizures"].max()) or 1.0
        for rec in metric.sort_values("seizures").to_dict("records"):
            width = 1.0 + 7.0 * float(rec["seizures"]) / top
            geom = rec["geometry"]
            for part in getattr(geom, "geoms", [geom]):
                xs, ys = part.xy
                ax.plot(
                    xs, ys, color=_ROUTE_COLOUR, alpha=0.55, linewidth=width, solid_capstyle="round"
                )
    pad = 0.06 * max(x1 - x0, y1 - y0)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    ax.set_aspect("equal")
    for rec in bd.to_dict("records"):
        point = rec["geometry"].representative_point()
        if not (x0 - pad < point.x < x1 + pad and y0 - pad < point.y < y1 + pad):
            continue
        code = str(rec["jurisdiction"])
        is_focus = code in WESTERN_BALKANS
        ax.text(
            point.x,
            point.y,
            _t(display_name(code) if is_focus else rec.get("name", code)),
            ha="center",
            va="center",
            fontsize=8 if is_focus else 7,
            fontweight="bold" if is_focus else "normal",
            color="#3a3a3a" if is_focus else "#6b6b6b",
        )
    n_drawn = len(lines)
    n_all = len(flows)
    unrouted = int((~flows["routed"].astype(bool)).sum()) if "routed" in flows.columns else 0
    if unrouted:
        notes.append(f"{unrouted} reported route(s) could not be routed on the network.")
    decorate_text(
        fig,
        title=title,
        subtitle=f"{n_drawn} of {n_all} reported route(s) drawn on the road, ferry and crossing "
        "network (least-time path between the countries)",
        marking=marking,
        sources=sources,
        notes=notes,
    )
    return fig


def weapon_type_chart(
    types: pd.DataFrame,
    *,
    context: tuple[str, ...] = (),
    title: str | None = None,
    marking: str | None = None,
    sources: str | None = None,
    figsize: tuple[float, float] = (10.0, 6.0),
) -> Figure:
    """The weapon types of the weapons seized, as shares per jurisdiction (all years summed).

    Parameters
    ----------
    types
        :func:`routes.questionnaire.weapon_type_table`.
    context
        The context jurisdictions: drawn below the six, apart from them.
    title, marking, sources
        Page title, handling marking, sources line.

    Raises
    ------
    routes.ValidationError
        No weapon type to draw.
    """
    import numpy as np
    from matplotlib import colormaps

    skip = {"jurisdiction", "name", "year", "categories_sum", "total"}
    cats = [c for c in types.columns if c not in skip]
    sums = types.assign(**{c: _numeric(types[c]) for c in cats}).groupby("jurisdiction")[cats].sum()
    sums = sums[sums.sum(axis=1) > 0]
    if sums.empty:
        raise ValidationError(Problem("no weapon type to draw", reason="no_rows"))
    order = [c for c in WESTERN_BALKANS if c in sums.index]
    order += [c for c in context if c in sums.index]
    sums = sums.loc[order]
    shares = sums.div(sums.sum(axis=1), axis=0) * 100
    fig = new_figure(figsize)
    ax = fig.add_axes((0.2, 0.25, 0.56, 0.6))
    cmap = colormaps["tab10"]
    y = np.arange(len(order))[::-1].astype(float)
    six = sum(1 for c in order if c in WESTERN_BALKANS)
    y[six:] -= 0.6  # a gap between the six and the context jurisdictions
    left = np.zeros(len(order))
    for i, cat in enumerate(cats):
        width = shares[cat].to_numpy(dtype=float)
        ax.barh(y, width, left=left, color=cmap(i % 10), label=_t(cat.replace("_", " ")))
        left += width
    labels = [display_name(c) + (" (context)" if c not in WESTERN_BALKANS else "") for c in order]
    ax.set_yticks(y, [_t(n) for n in labels])
    ax.set_xlim(0, 100)
    ax.set_xlabel("Share of the sum of the weapon types (%)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=8, title="Type")
    years = sorted({int(v) for v in types["year"]})
    decorate_text(
        fig,
        title=title or "Weapons seized by type",
        subtitle=f"{years[0]}–{years[-1]}, every year reported summed; context jurisdictions apart",
        marking=marking,
        sources=sources,
        notes=[
            "Shares of the sum of the types (not of the published total, which can be larger).",
        ],
    )
    return fig


def _numeric(values: pd.Series) -> pd.Series:
    """Numbers of a table column (text such as '<5' and empty cells as 0)."""
    import pandas as pd

    return pd.to_numeric(values, errors="coerce").fillna(0.0)
