"""Report-grade static figures: the route-frequency map and the threat-assessment charts.

Everything is drawn with matplotlib on the Agg canvas (no display, no pyplot state, no tiles,
no internet). Maps are measured and drawn in EPSG:3035 (LAEA Europe, metres), so the scale bar
is true to within about 1 % over the region; inputs stay in EPSG:4326. Every figure carries a
title, the handling marking (top and bottom) when given, the sources and the Kosovo* footnote
(:data:`routes.KOSOVO_FOOTNOTE`). Save with :func:`save_figure` (PNG at 300 dpi, SVG, PDF;
reproducible: no dates in the metadata, stable SVG ids, text kept as text).

The print map is drawn in :mod:`~routes.report._print_map`, the charts in
:mod:`~routes.report._charts`, the shared page frame in :mod:`~routes._figstyle`.
"""

from __future__ import annotations

from routes._figstyle import FIGURE_FORMATS, save_figure
from routes.report._charts import category_chart, top_flows_chart, trend_chart
from routes.report._print_map import route_frequency_map

__all__ = [
    "FIGURE_FORMATS",
    "category_chart",
    "route_frequency_map",
    "save_figure",
    "top_flows_chart",
    "trend_chart",
]
