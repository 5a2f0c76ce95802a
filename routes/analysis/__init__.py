"""Analysis: what the routes say (frequency, choke points, what-if closures, statistics).

Takes a :class:`routes.RouteResult` (and canonical incidents for the statistics) and gives
DataFrames and GeoDataFrames: expected incidents and items per edge, crossing, corridor and
jurisdiction pair (:mod:`~routes.analysis.flows`), what that frequency rests on (recorded, inferred
from records, from priors: :func:`evidence_mix`), flow-weighted betweenness, minimum cuts and
re-routing after closures (:mod:`~routes.analysis.chokepoint`), and per-jurisdiction tables with
small-count suppression (:mod:`~routes.analysis.stats`).
"""

from __future__ import annotations

from routes.analysis.chokepoint import (
    WhatIfResult,
    chokepoints,
    flow_betweenness,
    min_cut,
    what_if,
)
from routes.analysis.evidence import (
    EVIDENCE_CLASSES,
    RECORDED_ONLY_HINT,
    EvidenceMix,
    evidence_classes,
    evidence_mix,
)
from routes.analysis.flows import (
    compare_inferred,
    compare_periods,
    corridor_flows,
    crossing_flows,
    edge_flows,
    pair_flows,
    path_flows,
)
from routes.analysis.stats import (
    STAT_DIMENSIONS,
    jurisdiction_breakdown,
    jurisdiction_summary,
    jurisdiction_tables,
    suppress_small_counts,
    tables_to_markdown,
    write_tables,
)

__all__ = [
    "EVIDENCE_CLASSES",
    "RECORDED_ONLY_HINT",
    "STAT_DIMENSIONS",
    "EvidenceMix",
    "WhatIfResult",
    "chokepoints",
    "compare_inferred",
    "compare_periods",
    "corridor_flows",
    "crossing_flows",
    "edge_flows",
    "evidence_classes",
    "evidence_mix",
    "flow_betweenness",
    "jurisdiction_breakdown",
    "jurisdiction_summary",
    "jurisdiction_tables",
    "min_cut",
    "pair_flows",
    "path_flows",
    "suppress_small_counts",
    "tables_to_markdown",
    "what_if",
    "write_tables",
]
