"""The threat-assessment charts: incidents per year, category mix, top corridors and crossings.

Drawn like the print map (Agg canvas, page frame, marking, sources, Kosovo* footnote); counts
below ``min_count`` are pooled in a hatched segment or left out, and a note says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from routes._constants import WESTERN_BALKANS, display_name
from routes._figstyle import decorate_text, mpl_text, need_columns, new_figure
from routes.report._text import date_range_text

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["category_chart", "top_flows_chart", "trend_chart"]


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


def _group_labels(codes: Sequence[str]) -> list[str]:
    return [mpl_text(display_name(str(c))) for c in codes]


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

    need_columns(
        incidents, ["date", by] + (["quantity"] if value == "quantity" else []), "trend_chart"
    )
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
        else [mpl_text(str(c).replace("_", " ")) for c in order]
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
        title=mpl_text("Jurisdiction" if by == "jurisdiction" else by.replace("_", " ")),
    )
    decorate_text(
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

    need_columns(
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
            label=mpl_text(cat.replace("_", " ")),
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
    decorate_text(
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

    need_columns(table, [label, value], "top_flows_chart")
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
    ax.set_yticks(y, [mpl_text(str(v).replace("|", " / ")) for v in data[label]])
    for yi, v in zip(y, data[value].to_numpy(), strict=True):
        ax.text(
            v, yi, f" {v:.1f}" if not float(v).is_integer() else f" {v:g}", va="center", fontsize=8
        )
    ax.set_xlabel("Incidents (expected)" if value == "incidents" else mpl_text(value))
    ax.spines[["top", "right"]].set_visible(False)
    if not len(data):
        ax.text(0.5, 0.5, "nothing to show", transform=ax.transAxes, ha="center")
    notes = []
    if suppressed:
        notes.append(f"{suppressed} row(s) below {min_count} not shown (suppressed).")
    decorate_text(
        fig, title=title, subtitle=subtitle, marking=marking, sources=sources, notes=notes
    )
    return fig
