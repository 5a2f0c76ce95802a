"""Choke points: flow-weighted betweenness, minimum cuts and what-if closures.

- :func:`flow_betweenness`: for every node, the expected number of incidents whose route passes
  through it (interior nodes only, as in betweenness), i.e. betweenness weighted by the routed
  demand instead of by all-pairs shortest paths; ``share`` divides by the incidents routed.
- :func:`min_cut`: the smallest set of crossings (BCPs and green-border edges) or of edges whose
  closure disconnects an origin region from a destination region on the network.
- :func:`what_if`: close crossings X, Y, re-route every incident and report where the flow
  goes and by how much.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from routes._errors import ValidationError
from routes.analysis._choke import WhatIfResult

if TYPE_CHECKING:
    from collections.abc import Sequence

    import geopandas as gpd
    import networkx as nx

    from routes.routing import RouteResult

__all__ = ["WhatIfResult", "chokepoints", "flow_betweenness", "min_cut", "what_if"]


def flow_betweenness(
    result: RouteResult,
    *,
    kind: Literal["all", "crossing", "junction"] = "all",
    start: Any = None,
    end: Any = None,
    category: Any = None,
    modus_operandi: Any = None,
    ocg_involved: bool | None = None,
    inferred: bool | None = None,
) -> gpd.GeoDataFrame:
    """Flow-weighted betweenness of the network nodes on the route graph.

    The filters are those of :mod:`routes.analysis.flows` (``inferred=False``: routes from the
    records alone).

    Returns
    -------
    geopandas.GeoDataFrame
        node, kind, crossing_id, name, jurisdiction, incidents (expected incidents through
        the node, endpoints excluded), quantity, share (incidents / incidents routed), rank
        (1 = most), geometry (Point); only nodes with flow, ranked.
    """
    from routes.analysis._choke import flow_betweenness_impl

    return flow_betweenness_impl(
        result,
        kind=kind,
        start=start,
        end=end,
        category=category,
        modus_operandi=modus_operandi,
        ocg_involved=ocg_involved,
        inferred=inferred,
    )


def chokepoints(result: RouteResult, *, top: int | None = 50, **filters: Any) -> gpd.GeoDataFrame:
    """The ranked choke-point layer: crossings and junctions by flow betweenness.

    Same columns as :func:`flow_betweenness`, ``top`` rows (all when None).
    """
    gdf = flow_betweenness(result, **filters)
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise ValidationError(
            f"top must be a whole number >= 1 (or None for all rows), got {top!r}"
        )
    return gdf if top is None else gdf.head(top).reset_index(drop=True)


def min_cut(
    G: nx.MultiDiGraph | RouteResult,  # noqa: N803 - networkx convention
    origin: str | Sequence[Any],
    destination: str | Sequence[Any],
    *,
    by: Literal["crossings", "edges"] = "crossings",
) -> gpd.GeoDataFrame:
    """Minimum set of crossings (or edges) separating an origin from a destination region.

    Parameters
    ----------
    G
        The network, or a :class:`RouteResult` (its graph is used).
    origin, destination
        A jurisdiction code (``"RS"``), a list of codes, or a list of node ids.
    by
        ``"crossings"``: only official crossing nodes and green-border edges may be cut (each
        counts 1; a green-border link counts once for both directions); ``"edges"``: any
        undirected link may be cut (each counts 1).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per element of the cut: element ("crossing" | "green_border" | "edge"),
        crossing_id, u, v, border, geometry; ``attrs["cut_value"]`` the size of the cut.

    Raises
    ------
    routes.ValidationError
        Empty or overlapping regions, or unknown jurisdiction codes.
    """
    from routes.analysis._choke import min_cut_impl

    return min_cut_impl(G, origin, destination, by=by)


def what_if(result: RouteResult, close: Sequence[str], *, progress: bool = False) -> WhatIfResult:
    """Close crossings and report where the flows re-route and by how much.

    Every incident is re-routed with the same options on the graph without the closed
    crossings' nodes. A record that *names* a closed crossing is re-routed as if it named none
    (the stated crossing is closed, so the traffic must find another way).

    Raises
    ------
    routes.ValidationError
        A crossing id that is not in the graph (the message suggests close ids).
    """
    from routes.analysis._choke import what_if_impl

    return what_if_impl(result, close, progress=progress)
