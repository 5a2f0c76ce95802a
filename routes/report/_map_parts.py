"""Furniture of the print map: frame extent, scale bar, north arrow and crossing labels."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "HALO",
    "METRIC_CRS",
    "crossing_label",
    "fit_extent",
    "north_arrow",
    "place_labels",
    "scale_bar",
]

METRIC_CRS = "EPSG:3035"
# A light box behind labels keeps them readable over routes; unlike a path-effect halo it
# keeps the label as text in SVG and PDF (searchable, editable).
HALO = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.6}


def fit_extent(
    bounds: tuple[float, float, float, float], aspect: float, pad: float = 0.04
) -> tuple[float, float, float, float]:
    """The bounds padded by ``pad`` and widened or heightened to the ``aspect`` (width/height)."""
    x0, y0, x1, y1 = bounds
    w, h = (x1 - x0) * (1 + 2 * pad), (y1 - y0) * (1 + 2 * pad)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    if w / h > aspect:
        h = w / aspect
    else:
        w = h * aspect
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def scale_bar(ax: Axes, extent: tuple[float, float, float, float]) -> None:
    """A 4-part scale bar of a round length (about a fifth of the width), bottom left."""
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


def north_arrow(ax: Axes, extent: tuple[float, float, float, float]) -> None:
    """An arrow to true north (EPSG:3035 is not north-up everywhere), top left."""
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


def place_labels(fig: Any, ax: Any, labels: Sequence[tuple[str, float, float]]) -> None:
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
            bbox=HALO,
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


def crossing_label(row: Any, columns: Sequence[str]) -> str:
    """A crossing's name: ``name``/``names``/``label``, both sides' names, or its id."""
    for col in ("name", "names", "label"):
        if col in columns and isinstance(getattr(row, col, None), str) and getattr(row, col):
            return str(getattr(row, col))
    a, b = getattr(row, "name_a", None), getattr(row, "name_b", None)
    if isinstance(a, str) and a:
        return f"{a}\u2013{b}" if isinstance(b, str) and b and b != a else a
    return str(getattr(row, "crossing_id", ""))
