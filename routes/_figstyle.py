"""The house look of every static figure: page frame, marking, footnote, deterministic saving.

A base module, so that every stage that draws a figure (the report, the questionnaire) draws the
same frame with the same code.

Also the two guards every figure uses: text from data made safe for matplotlib
(:func:`mpl_text`) and one error naming every missing column (:func:`need_columns`).
"""

from __future__ import annotations

import math
import os
import re
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routes._constants import KOSOVO_FOOTNOTE
from routes._errors import Problem, ValidationError
from routes._io import atomic_path

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = [
    "DEFAULT_SOURCES",
    "FIGURE_FORMATS",
    "MARKING_COLOUR",
    "RC",
    "decorate",
    "decorate_text",
    "format_value",
    "mpl_text",
    "need_columns",
    "new_figure",
    "nice_breaks",
    "round_svg_numbers",
    "save_figure",
    "wrap",
]

MARKING_COLOUR = "#b00020"
#: The file formats every static figure is saved in.
FIGURE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")

#: Attribution of the bundled reference data shown on every map.
DEFAULT_SOURCES = (
    "Borders: Natural Earth 1:10m (public domain). Road network: derived from OpenStreetMap "
    "via scgraph-data, \u00a9 OpenStreetMap contributors (ODbL). Crossings: salw-routes "
    "compilation of public sources. Routes: inferred by salw-routes on that network."
)

#: rcParams for reproducible, editable vector output.
RC: dict[str, object] = {
    "svg.hashsalt": "salw-routes",  # stable clip-path / element ids
    "svg.fonttype": "none",  # text stays text (searchable, editable in Inkscape / Word)
    "pdf.fonttype": 3,
    "font.family": "DejaVu Sans",
    "axes.unicode_minus": False,
}


def new_figure(figsize: tuple[float, float], *, dpi: int = 100) -> Figure:
    """A matplotlib Figure on the Agg canvas, independent of pyplot and any display."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def wrap(text: str, width_in: float, *, fontsize: float) -> str:
    """Wrap ``text`` to roughly ``width_in`` inches at ``fontsize`` points (DejaVu Sans)."""
    chars = max(20, int(width_in * 72 / (fontsize * 0.55)))
    return "\n".join(textwrap.wrap(text, chars))


def decorate(
    fig: Figure,
    *,
    title: str,
    subtitle: str | None = None,
    marking: str | None = None,
    sources: str | None = None,
    footnote: str = KOSOVO_FOOTNOTE,
    notes: Sequence[str] = (),
) -> None:
    """Add the page frame: marking top and bottom, title, subtitle, notes, sources, footnote."""
    width, _height = fig.get_size_inches()
    if marking:
        for y, va in ((0.992, "top"), (0.006, "bottom")):
            fig.text(
                0.5,
                y,
                marking,
                ha="center",
                va=va,
                fontsize=11,
                fontweight="bold",
                color=MARKING_COLOUR,
                gid="marking",
            )
    fig.text(0.02, 0.955, title, ha="left", va="top", fontsize=15, fontweight="bold", gid="title")
    if subtitle:
        fig.text(
            0.02,
            0.915,
            subtitle,
            ha="left",
            va="top",
            fontsize=10.5,
            color="#333333",
            gid="subtitle",
        )
    lines: list[str] = []
    for note in notes:
        lines.append(wrap(note, width * 0.96, fontsize=7))
    if sources:
        lines.append(wrap(f"Sources: {sources}", width * 0.96, fontsize=7))
    lines.append(wrap(footnote, width * 0.96, fontsize=7))
    fig.text(
        0.02,
        0.03,
        "\n".join(lines),
        ha="left",
        va="bottom",
        fontsize=7,
        color="#222222",
        linespacing=1.25,
        gid="footer",
    )


def decorate_text(
    fig: Figure,
    *,
    title: str,
    subtitle: str | None = None,
    marking: str | None = None,
    sources: str | None = None,
    notes: Sequence[str] = (),
) -> None:
    """:func:`decorate` with every text (possibly from the data or the user) made safe first."""
    decorate(
        fig,
        title=mpl_text(title),
        subtitle=mpl_text(subtitle) if subtitle else None,
        marking=mpl_text(marking) if marking else None,
        sources=mpl_text(sources) if sources else None,
        notes=[mpl_text(n) for n in notes],
    )


def save_figure(
    fig: Figure,
    path: str | os.PathLike[str],
    *,
    formats: Iterable[str] = FIGURE_FORMATS,
    dpi: int = 300,
    title: str | None = None,
) -> list[Path]:
    """Save ``fig`` as PNG (at ``dpi``), SVG and/or PDF next to each other, atomically.

    ``path`` gives the folder and file stem (its suffix is ignored). Output is reproducible:
    no creation dates in the metadata, stable SVG ids (``svg.hashsalt``).

    Parameters
    ----------
    fig
        The figure.
    path
        ``DIR/stem`` (or ``DIR/stem.png``); the format suffixes are added.
    formats
        Any of ``"png"``, ``"svg"``, ``"pdf"``.
    dpi
        Resolution of the PNG (300 for print; written into the PNG ``pHYs`` chunk).
    title
        Document title written into the metadata.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``formats``.
    """
    import matplotlib

    base = Path(path)
    if base.suffix.lower().lstrip(".") in FIGURE_FORMATS:
        base = base.with_suffix("")
    written = []
    for fmt in formats:
        fmt = fmt.lower()
        if fmt == "png":
            meta: dict[str, str | None] = {"Software": "salw-routes"}
            if title:
                meta["Title"] = title
        elif fmt == "svg":
            meta = {"Date": None, "Creator": "salw-routes"}
            if title:
                meta["Title"] = title
        elif fmt == "pdf":
            meta = {
                "CreationDate": None,
                "ModDate": None,
                "Creator": "salw-routes",
                "Producer": "salw-routes",
            }
            if title:
                meta["Title"] = title
        else:
            raise ValueError(
                f"unknown figure format {fmt!r}; use one of {', '.join(FIGURE_FORMATS)}"
            )
        target = base.with_name(f"{base.name}.{fmt}")
        rc: Any = RC
        with matplotlib.rc_context(rc), atomic_path(target) as tmp:
            fig.savefig(tmp, format=fmt, dpi=dpi, metadata=meta)
            if fmt == "svg":
                tmp.write_text(round_svg_numbers(tmp.read_text(encoding="utf-8")), encoding="utf-8")
        written.append(target)
    return written


_ATTR = re.compile(r'(\s[\w:-]+=")([^"]*)(")')
_LONG_NUMBER = re.compile(r"(?<![\w.])(-?\d+\.\d{2})\d+")


def round_svg_numbers(svg: str) -> str:
    """Cut every number inside SVG attributes to 2 decimals (1/100 pt; text is untouched).

    Matplotlib writes page coordinates with 6 decimals; 2 are far below what any printer
    resolves, make the file smaller, and keep page coordinates from looking like
    geographic coordinates.
    """

    def fix(m: re.Match[str]) -> str:
        return m.group(1) + _LONG_NUMBER.sub(r"\1", m.group(2)) + m.group(3)

    return _ATTR.sub(fix, svg)


_NICE = (1.0, 2.0, 5.0)


#: Quantiles that set the class limits: most segments carry little, a few carry most, so the
#: upper classes are narrow (the same head/tail split as the interactive map's legend).
_QUANTILES = (0.5, 0.75, 0.9, 0.97)


def _nice(value: float) -> float:
    """The 1-2-5 series number nearest to ``value`` on a log scale."""
    e = math.floor(math.log10(value))
    cands = [m * 10.0**k for k in (e - 1, e, e + 1) for m in _NICE]
    return float(min(cands, key=lambda c: abs(math.log10(c) - math.log10(value))))


def nice_breaks(values: Sequence[float], *, classes: int = 5) -> list[float]:
    """Class limits for graduated symbols: quantiles rounded to the 1-2-5 series.

    Returns ``[lo, b1, ..., hi]`` (at most ``classes`` classes) such that every positive value
    falls in a class ``[b_i, b_{i+1})`` (the last class includes ``hi``).

    >>> nice_breaks([1, 3, 8, 40, 120], classes=5)
    [1.0, 10.0, 50.0, 100.0, 120.0]
    >>> nice_breaks([3, 3])
    [3.0, 3.0]
    """
    import numpy as np

    vals = [float(v) for v in values if v is not None and v > 0 and math.isfinite(v)]
    if not vals:
        return [0.0, 1.0]
    lo, hi = min(vals), max(vals)
    if hi <= lo:
        return [lo, hi]
    qs = _QUANTILES if classes == 5 else tuple(np.linspace(0, 1, classes + 1)[1:-1])
    raw = np.quantile(np.asarray(vals), qs)
    inner = sorted({_nice(float(q)) for q in raw if q > 0} - {lo, hi})
    inner = [b for b in inner if lo < b < hi]
    return [lo, *inner, hi]


def format_value(value: float) -> str:
    """A count for a legend: no scientific notation, few digits.

    >>> [format_value(v) for v in (0.0123, 0.5, 2.25, 13.0, 1234.5)]
    ['0.01', '0.5', '2.2', '13', '1,234']
    """
    if value >= 10:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def mpl_text(text: object) -> str:
    """Text from data or users for matplotlib: ``$`` would start mathtext, so escape it."""
    return str(text).replace("$", r"\$")


def need_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise one :class:`routes.ValidationError` naming every column ``what`` needs but lacks."""
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
