"""The report's inputs: every option checked at once, then the incidents of the period."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routes._errors import Problem, ValidationError

if TYPE_CHECKING:
    import geopandas as gpd

    from routes.report._policy import SharingPolicy

__all__ = ["check_report_options", "filter_dates", "select_incidents"]


def check_report_options(
    incidents: Any,
    out_dir: str | os.PathLike[str],
    *,
    result: Any,
    start: Any,
    end: Any,
    policy: SharingPolicy,
) -> None:
    """Raise one :class:`routes.ValidationError` listing every problem of the options.

    Raises
    ------
    routes.ValidationError
        Not a GeoDataFrame, a bad ``min_count`` or ``grid_km``, ``out_dir`` is a file, or a
        ``result`` that does not fit (sharing-safe mode, a date filter, other incidents).
    """
    import geopandas as gpd

    share_safe, min_count, grid_km = policy.share_safe, policy.min_count, policy.grid_km
    problems = []
    if not isinstance(incidents, gpd.GeoDataFrame):
        problems.append(
            Problem(
                f"incidents must be a GeoDataFrame (routes.read_incidents), instead got "
                f"{type(incidents).__name__}",
                reason="invalid_input",
            )
        )
    if not isinstance(min_count, int) or isinstance(min_count, bool) or min_count < 1:
        problems.append(
            Problem(
                f"min_count must be a whole number >= 1, instead got {min_count!r}; use e.g. 5",
                value=min_count,
                reason="invalid_option",
            )
        )
    if not (isinstance(grid_km, (int, float)) and math.isfinite(grid_km) and grid_km > 0):
        problems.append(
            Problem(
                f"grid_km must be a positive number of km, instead got {grid_km!r}; use e.g. 10",
                value=grid_km,
                reason="invalid_option",
            )
        )
    if Path(out_dir).exists() and not Path(out_dir).is_dir():
        problems.append(
            Problem(
                f"out_dir {str(out_dir)!r} is a file, not a folder; give the folder the annex "
                "and its files are written into (it is created)",
                file=str(out_dir),
                value=str(out_dir),
                reason="invalid_option",
            )
        )
    if share_safe and result is not None:
        problems.append(
            Problem(
                "sharing-safe mode routes the generalised points itself; do not pass result= "
                "(it was computed from the exact points)",
                reason="invalid_option",
            )
        )
    elif result is not None and (start is not None or end is not None):
        problems.append(
            Problem(
                "a date filter (start=/end=) cannot be applied to a given result=; filter the "
                "incidents first, or omit result= so that the report routes them",
                reason="invalid_option",
            )
        )
    elif result is not None and isinstance(incidents, gpd.GeoDataFrame):
        routed_ids = set(map(str, result.incidents["incident_id"]))
        given_ids = set(map(str, incidents["incident_id"]))
        if routed_ids != given_ids:
            problems.append(
                Problem(
                    f"result= was computed for other incidents ({len(routed_ids)} routed, "
                    f"{len(given_ids)} given, {len(routed_ids ^ given_ids)} ids differ); pass "
                    "the RouteResult of exactly these incidents or omit result=",
                    reason="invalid_option",
                )
            )
    if problems:
        raise ValidationError(problems)


def filter_dates(
    incidents: gpd.GeoDataFrame, start: Any, end: Any
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Only the incidents dated within ``[start, end]``, and the note saying what was left out.

    Undated incidents are left out by any filter. Without ``start`` and ``end``: all, no note.
    """
    import pandas as pd

    if start is None and end is None:
        return incidents, []
    dates = pd.to_datetime(incidents["date"], errors="coerce")
    keep = dates.notna()
    try:
        if start is not None:
            keep &= dates >= pd.Timestamp(start)
        if end is not None:
            keep &= dates <= pd.Timestamp(end)
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            Problem(
                f"date filter {start!r} .. {end!r} is not a date ({exc}); use ISO dates such as "
                "2023-01-01",
                reason="invalid_option",
            )
        ) from exc
    undated = int(dates.isna().sum())
    notes = [
        "Date filter: "
        + (f"from {pd.Timestamp(start):%Y-%m-%d} " if start is not None else "")
        + (f"to {pd.Timestamp(end):%Y-%m-%d}" if end is not None else "")
        + f"; {int((~keep).sum())} incident(s) outside the period"
        + (f" (of which {undated} undated)" if undated else "")
        + " are not counted."
    ]
    return incidents[keep.to_numpy()].copy(), notes


def select_incidents(
    incidents: gpd.GeoDataFrame, start: Any, end: Any
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """:func:`filter_dates`, failing when no incident is left.

    Raises
    ------
    routes.ValidationError
        No incident in the period (reason ``no_rows``).
    """
    selected, notes = filter_dates(incidents, start, end)
    if selected.empty:
        raise ValidationError(
            Problem(
                "no incident to report"
                + (f" in the period {start or '…'} to {end or '…'}" if start or end else "")
                + "; widen the period or check the input file",
                reason="no_rows",
            )
        )
    return selected, notes
