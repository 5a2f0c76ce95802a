"""Route frequency per edge, crossing, corridor (E-road) and jurisdiction pair.

Every count is an *expected* number of incidents: an incident routed over ``k`` alternatives
adds each alternative's probability to the elements that alternative uses. ``quantity`` is the
sum of the incidents' ``quantity`` weighted the same way. All functions take the same filters:

- ``start``, ``end``: keep incidents with ``start <= date <= end`` (dates or ISO strings;
  incidents without a date are dropped by a time filter and counted in ``attrs["no_date"]``);
- ``category``, ``modus_operandi``: a value or a list of values to keep;
- ``ocg_involved``: True keeps incidents with ``ocg_involved`` "yes" (or True), False keeps
  "no" (or False); "unknown" and missing values are kept by neither;
- ``inferred``: False keeps the routes drawn from the records alone (the flows of
  ``route_incidents(..., infer="none")``), True only the routes with legs inferred by the model
  of missing legs (``infer="recorded"`` or ``"priors"``), None (default) both.
  :func:`compare_inferred` puts recorded-only and all flows side by side.

The aggregation runs on numpy arrays (``np.bincount`` over edge indices of the distinct
paths), never a Python loop per incident.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    import geopandas as gpd
    import pandas as pd

    from routes.routing import RouteResult

__all__ = [
    "compare_inferred",
    "compare_periods",
    "corridor_flows",
    "crossing_flows",
    "edge_flows",
    "pair_flows",
    "path_flows",
]

Filter = Any  # str | Sequence[str] | None


def edge_flows(
    result: RouteResult,
    *,
    start: Any = None,
    end: Any = None,
    category: Filter = None,
    modus_operandi: Filter = None,
    ocg_involved: bool | None = None,
    inferred: bool | None = None,
) -> gpd.GeoDataFrame:
    """Expected incidents and quantity per network edge.

    Returns
    -------
    geopandas.GeoDataFrame
        Edges used at least once: u, v, key, incidents, quantity, mode, e_road, border,
        green_border, length_m, geometry (LineString, EPSG:4326); sorted by incidents, largest
        first.
    """
    from routes.analysis._flows import edge_flows_impl

    return edge_flows_impl(
        result,
        start=start,
        end=end,
        category=category,
        modus_operandi=modus_operandi,
        ocg_involved=ocg_involved,
        inferred=inferred,
    )


def crossing_flows(
    result: RouteResult,
    *,
    start: Any = None,
    end: Any = None,
    category: Filter = None,
    modus_operandi: Filter = None,
    ocg_involved: bool | None = None,
    inferred: bool | None = None,
    include_unused: bool = False,
) -> gpd.GeoDataFrame:
    """Expected incidents and quantity per border crossing (BCP, port, airport).

    Returns
    -------
    geopandas.GeoDataFrame
        crossing_id, name, kind, jurisdiction_a, jurisdiction_b, incidents, quantity, share
        (of the filtered incidents), geometry (Point); largest first. ``include_unused`` adds
        the crossings with zero flow.
    """
    from routes.analysis._flows import crossing_flows_impl

    return crossing_flows_impl(
        result,
        start=start,
        end=end,
        category=category,
        modus_operandi=modus_operandi,
        ocg_involved=ocg_involved,
        inferred=inferred,
        include_unused=include_unused,
    )


def corridor_flows(
    result: RouteResult,
    *,
    start: Any = None,
    end: Any = None,
    category: Filter = None,
    modus_operandi: Filter = None,
    ocg_involved: bool | None = None,
    inferred: bool | None = None,
) -> gpd.GeoDataFrame:
    """Expected incidents and quantity per corridor (E-road of the edges' ``e_road``).

    An incident counts once for a corridor however many of its edges carry it.

    Returns
    -------
    geopandas.GeoDataFrame
        e_road, incidents, quantity, length_m (used length of the corridor), geometry
        (MultiLineString of the used edges); largest first.
    """
    from routes.analysis._flows import corridor_flows_impl

    return corridor_flows_impl(
        result,
        start=start,
        end=end,
        category=category,
        modus_operandi=modus_operandi,
        ocg_involved=ocg_involved,
        inferred=inferred,
    )


def pair_flows(
    result: RouteResult,
    *,
    start: Any = None,
    end: Any = None,
    category: Filter = None,
    modus_operandi: Filter = None,
    ocg_involved: bool | None = None,
    inferred: bool | None = None,
) -> pd.DataFrame:
    """Expected incidents and quantity per jurisdiction pair crossed, in travel direction.

    Returns
    -------
    pandas.DataFrame
        from_jurisdiction, to_jurisdiction, pair (sorted "A-B"), incidents, quantity; an
        incident counts once per pair it crosses.
    """
    from routes.analysis._flows import pair_flows_impl

    return pair_flows_impl(
        result,
        start=start,
        end=end,
        category=category,
        modus_operandi=modus_operandi,
        ocg_involved=ocg_involved,
        inferred=inferred,
    )


def path_flows(
    result: RouteResult,
    *,
    start: Any = None,
    end: Any = None,
    category: Filter = None,
    modus_operandi: Filter = None,
    ocg_involved: bool | None = None,
    inferred: bool | None = None,
) -> gpd.GeoDataFrame:
    """Expected incidents and quantity per distinct path (a compact 'routes' layer).

    Returns
    -------
    geopandas.GeoDataFrame
        path_id, alternative, incidents, quantity, cost, length_m, travel_time_s, crossings,
        green_border, inferred (a leg inferred by the model of missing legs), geometry; largest
        first.
    """
    from routes.analysis._flows import path_flows_impl

    return path_flows_impl(
        result,
        start=start,
        end=end,
        category=category,
        modus_operandi=modus_operandi,
        ocg_involved=ocg_involved,
        inferred=inferred,
    )


def compare_periods(
    result: RouteResult,
    period_a: tuple[Any, Any],
    period_b: tuple[Any, Any],
    *,
    category: Filter = None,
    modus_operandi: Filter = None,
    ocg_involved: bool | None = None,
    inferred: bool | None = None,
    levels: Sequence[str] = ("corridor", "crossing"),
) -> pd.DataFrame:
    """Change in flow per corridor and per crossing between two periods.

    Parameters
    ----------
    period_a, period_b
        ``(start, end)`` each (inclusive; either may be None for open).
    levels
        Which levels to compare: ``"corridor"``, ``"crossing"``, ``"pair"``.

    Returns
    -------
    pandas.DataFrame
        level, key, incidents_a, incidents_b, change (b - a), change_pct (NaN when a == 0),
        quantity_a, quantity_b, quantity_change; sorted by level then absolute change.
    """
    from routes.analysis._flows import compare_periods_impl

    return compare_periods_impl(
        result,
        period_a,
        period_b,
        category=category,
        modus_operandi=modus_operandi,
        ocg_involved=ocg_involved,
        inferred=inferred,
        levels=levels,
    )


def compare_inferred(
    result: RouteResult,
    *,
    level: str = "crossing",
    start: Any = None,
    end: Any = None,
    category: Filter = None,
    modus_operandi: Filter = None,
    ocg_involved: bool | None = None,
) -> pd.DataFrame:
    """Flows from recorded legs alone next to flows with the inferred legs, per element.

    Parameters
    ----------
    level
        ``"crossing"`` (default), ``"corridor"`` or ``"pair"``.

    Returns
    -------
    pandas.DataFrame
        key (crossing_id, E-road or "A>B"), incidents_recorded (routes drawn from the records
        alone), incidents_inferred (expected incidents added by inferred routes),
        incidents_all (their sum), change_pct (inferred / recorded in %, NaN when recorded
        is 0), share_recorded and share_all (of the incidents routed in each case, for
        crossings), quantity_recorded, quantity_all; sorted by incidents_inferred, largest
        first.
    """
    from routes.analysis._flows import compare_inferred_impl

    return compare_inferred_impl(
        result,
        level=level,
        start=start,
        end=end,
        category=category,
        modus_operandi=modus_operandi,
        ocg_involved=ocg_involved,
    )
