"""Report: the threat-assessment outputs (annex, report-grade figures, sharing-safe mode).

Takes canonical incidents (and a :class:`routes.RouteResult`, or routes them itself) and gives
report-grade figures (:mod:`~routes.report.figures`: the A4 print map and charts) and a report
folder (:func:`write_report`): the annex page, the interactive map, tables, GIS layers and a
manifest, made fit to share outside the agency by one sharing-safe policy decided once
(``share_safe=True``, :func:`share_safe_incidents`).
"""

from __future__ import annotations

from routes.report.annex import (
    Report,
    share_safe_incidents,
    write_report,
)
from routes.report.figures import (
    FIGURE_FORMATS,
    category_chart,
    route_frequency_map,
    save_figure,
    top_flows_chart,
    trend_chart,
)

__all__ = [
    "FIGURE_FORMATS",
    "Report",
    "category_chart",
    "route_frequency_map",
    "save_figure",
    "share_safe_incidents",
    "top_flows_chart",
    "trend_chart",
    "write_report",
]
