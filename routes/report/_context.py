"""What every step of the annex sees: the incidents, routes, flows, tables and page texts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from routes.report._policy import SharingPolicy

__all__ = ["AnnexContext"]


@dataclass(frozen=True)
class AnnexContext:
    """The inputs of the section builders of one annex (read-only).

    Attributes
    ----------
    staging
        The staging folder: a section writes its files below it, at the path the file will
        have inside the report folder (``staging / "tables" / ...``).
    policy
        The sharing-safe decisions (:class:`routes.report._policy.SharingPolicy`).
    title, marking, sources, date_text
        Page title, handling marking, sources line (input file cited only in a normal report),
        the period shown (or None).
    input_name
        The incident file's name (the policy decides where it is cited).
    incidents
        The incidents of the report (generalised and pseudonymised in sharing-safe mode).
    result
        Their :class:`routes.RouteResult`.
    edge_flows, crossing_flows
        Route frequency per segment and crossing as drawn and written (small flows dropped
        and coordinates rounded in sharing-safe mode).
    corridor_flows, pair_flows
        Expected incidents per corridor and jurisdiction pair.
    tables
        The annex tables, suppressed as the policy says (``summary`` first).
    notes
        Every line of the annex notes.
    profile, k
        The routing options.
    evidence
        What the route frequency rests on (:class:`routes.analysis.EvidenceMix`), or None.
    """

    staging: Path
    policy: SharingPolicy
    title: str
    marking: str | None
    sources: str
    date_text: str | None
    input_name: str | None
    incidents: gpd.GeoDataFrame
    result: Any
    edge_flows: gpd.GeoDataFrame
    crossing_flows: gpd.GeoDataFrame
    corridor_flows: pd.DataFrame
    pair_flows: pd.DataFrame
    tables: Mapping[str, pd.DataFrame]
    notes: Sequence[str]
    profile: str
    k: int
    evidence: Any = None

    @property
    def unrouted(self) -> int:
        """Number of incidents that got no route."""
        return len(self.result.unrouted)
