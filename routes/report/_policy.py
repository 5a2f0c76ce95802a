"""Sharing-safe mode decided once: what the report changes for outputs that leave the agency.

:class:`SharingPolicy` is built from the options of :func:`routes.write_report` and answers
every question where a sharing-safe report differs from a normal one: how the incidents are
prepared (generalised, pseudonymised), which counts are suppressed in the tables, charts and
print map, whether the interactive map is included and how it is coarsened, which coordinates
are rounded, what the notes say, which options the manifest records and the leak scan before
anything is moved into the report folder. A normal report is the same object with
``share_safe=False``, whose answers leave everything as it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from routes._figstyle import DEFAULT_SOURCES
from routes.report._share_safe import (
    COORD_DECIMALS,
    find_leaks,
    populous_cells,
    round_geometries,
    share_safe_incidents,
)

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx
    import pandas as pd

__all__ = ["InputTrace", "SharingPolicy", "coarsen_map", "rounded_graph"]


@dataclass(frozen=True)
class InputTrace:
    """What the leak scan looks for: the input's incident ids and coordinates."""

    ids: tuple[str, ...]
    latitudes: tuple[float, ...]
    longitudes: tuple[float, ...]

    @classmethod
    def of(cls, incidents: gpd.GeoDataFrame) -> InputTrace:
        """The ids, point coordinates and ``latitude``/``longitude`` values of ``incidents``."""
        lat = [g.y for g in incidents.geometry if g is not None and not g.is_empty]
        lon = [g.x for g in incidents.geometry if g is not None and not g.is_empty]
        if "latitude" in incidents.columns:
            lat += [float(v) for v in incidents["latitude"].dropna()]
            lon += [float(v) for v in incidents["longitude"].dropna()]
        return cls(
            ids=tuple(incidents["incident_id"].astype(str).tolist()),
            latitudes=tuple(lat),
            longitudes=tuple(lon),
        )


def _suppressed_flows(frame: Any, min_count: int | None) -> Any:
    if not min_count or min_count <= 1 or "incidents" not in frame.columns:
        return frame
    return frame[frame["incidents"].astype(float) >= min_count]


@dataclass(frozen=True)
class SharingPolicy:
    """The sharing-safe decisions of one report (all neutral when ``share_safe`` is False).

    Attributes
    ----------
    share_safe
        Apply the sharing-safe rules.
    method, grid_km, salt
        Generalisation and pseudonymisation (:func:`routes.share_safe_incidents`).
    min_count
        Counts below this are suppressed (sharing-safe mode only).
    interactive
        The interactive map was asked for.
    share_safe_map
        Include the interactive map in sharing-safe mode too.

    Examples
    --------
    >>> SharingPolicy(share_safe=True, min_count=5).suppress
    5
    >>> SharingPolicy(share_safe=False, min_count=5).suppress is None
    True
    """

    share_safe: bool = False
    method: Literal["grid", "settlement"] = "grid"
    grid_km: float = 10.0
    min_count: int = 5
    salt: str | bytes | None = None
    interactive: bool = True
    share_safe_map: bool = False

    # ------------------------------------------------------------------ incidents and routing

    @property
    def suppress(self) -> int | None:
        """The suppression threshold of charts and maps: ``min_count``, or None (normal)."""
        return self.min_count if self.share_safe else None

    def trace(self, incidents: gpd.GeoDataFrame) -> InputTrace | None:
        """What the leak scan must not find in the outputs (None: no scan)."""
        return InputTrace.of(incidents) if self.share_safe else None

    def prepare_incidents(self, incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """The incidents the report is made of: generalised and pseudonymised when sharing."""
        if not self.share_safe:
            return incidents
        return share_safe_incidents(
            incidents, method=self.method, grid_km=self.grid_km, salt=self.salt
        )

    def network(self, graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
        """The network to route on: coordinates rounded when sharing."""
        return rounded_graph(graph) if self.share_safe else graph

    def notes(self) -> list[str]:
        """The annex notes saying what sharing-safe mode changed (none for a normal report)."""
        if not self.share_safe:
            return []
        where = (
            f"the centre of a {self.grid_km:g} km grid cell (EPSG:3035)"
            if self.method == "grid"
            else "the nearest settlement"
        )
        k = self.min_count
        return [
            f"Sharing-safe output: each location is generalised to {where}; incident ids are "
            "replaced by keyed pseudonyms; free-text notes, sources"
            + (" and place names" if self.method == "grid" else "")
            + " are removed; dates are shown by month.",
            f"Counts below {k} are suppressed (shown as '<{k}'); where one "
            "small cell of a block could be recovered from its total, the next smallest is "
            "suppressed too. Map segments and crossings below the threshold are not drawn.",
            "Coordinates are written with 3 decimals (about 100 m).",
        ]

    def sources(self, sources: str | None, input_name: str | None) -> str:
        """The sources line: the input file is cited only in a normal report."""
        text = sources or DEFAULT_SOURCES
        if input_name and not self.share_safe:
            text = f"Incidents: {input_name}. {text}"
        return text

    # ------------------------------------------------------------------ flows and figures

    def public_flows(
        self, edges: gpd.GeoDataFrame, crossings: gpd.GeoDataFrame
    ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
        """Edge and crossing flows as drawn and written: small ones dropped, rounded, if sharing."""
        if not self.share_safe:
            return edges, crossings
        return (
            round_geometries(_suppressed_flows(edges, self.suppress)),
            round_geometries(_suppressed_flows(crossings, self.suppress)),
        )

    def print_map_dots(self, incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """Incident dots of the print map: only populous generalised points when sharing."""
        if not self.share_safe:
            return incidents
        return populous_cells(incidents, self.suppress)

    def print_map_threshold(self) -> float | None:
        """``min_value`` of the print map (None: its default)."""
        return float(self.suppress) if self.suppress else None

    def print_map_notes(self) -> list[str]:
        """Side-panel lines of the print map."""
        if not self.share_safe:
            return []
        return [
            "Sharing-safe: segments, crossings and generalised incident locations "
            f"with fewer than {self.suppress} incidents are not drawn."
        ]

    # ------------------------------------------------------------------ tables

    def suppress_tables(
        self,
        statistics: Mapping[str, pd.DataFrame],
        *,
        corridors: pd.DataFrame,
        crossings: pd.DataFrame,
        pairs: pd.DataFrame,
    ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Statistics and flow tables with small counts suppressed (unchanged when normal).

        Statistics get primary and secondary suppression per jurisdiction and across it; route
        counts overlap (an incident uses several corridors), so the flow tables have no totals
        to protect: small corridor and pair counts are shown as ``"<K"``, small crossings left
        out.
        """
        from routes.analysis import suppress_small_counts

        if not self.share_safe:
            return dict(statistics), corridors, crossings, pairs
        k = self.min_count
        tables = {
            n: suppress_small_counts(
                t,
                min_count=k,
                group=None if n == "summary" else "jurisdiction",
                across=None if n == "summary" else n.removeprefix("by_"),
            )
            for n, t in statistics.items()
        }
        return (
            tables,
            suppress_small_counts(corridors, min_count=k, group=None, total=None),
            crossings[crossings["incidents"].astype(float) >= k],
            suppress_small_counts(pairs, min_count=k, group=None, total=None),
        )

    # ------------------------------------------------------------------ the interactive map

    @property
    def includes_map(self) -> bool:
        """Whether the annex has the interactive map (sharing-safe: only with share_safe_map)."""
        return self.interactive and (self.share_safe_map or not self.share_safe)

    def map_notes(self) -> list[str]:
        """The note saying why the interactive map is left out, if it is."""
        if self.interactive and self.share_safe and not self.share_safe_map:
            return [
                "The interactive map is left out of sharing-safe output: its filters can show "
                "counts below the threshold (include it with --share-safe-map)."
            ]
        return []

    def map_options(
        self,
        *,
        incidents: gpd.GeoDataFrame,
        crossings: gpd.GeoDataFrame,
        input_name: str | None,
    ) -> dict[str, Any]:
        """Keyword options of :func:`routes.route_map` that depend on the mode."""
        if not self.share_safe:
            return {"source": input_name}
        from routes.geo import load_borders

        return {
            "borders": round_geometries(load_borders()),
            "crossings": crossings,
            "incident_style": "hex" if len(incidents) >= self.min_count else "heat",
        }

    def finish_map(self, m: Any) -> None:
        """Coarsen the map's data block when sharing (see :func:`coarsen_map`)."""
        if self.share_safe:
            coarsen_map(m)

    # ------------------------------------------------------------------ the report folder

    def manifest_options(self, *, profile: str, k: int) -> dict[str, Any]:
        """The options recorded in ``manifest.json``."""
        extra = (
            {"method": self.method, "grid_km": self.grid_km, "min_count": self.min_count}
            if self.share_safe
            else {}
        )
        return {"profile": profile, "k": k, **extra}

    def check_leaks(self, paths: Sequence[Path], trace: InputTrace | None, *, out: Path) -> None:
        """Fail when an output shows an input id or coordinate (sharing-safe mode only).

        Raises
        ------
        RuntimeError
            Listing every file and what it shows; nothing has been moved into ``out`` yet.
        """
        if not self.share_safe or trace is None:
            return
        leaks = find_leaks(
            list(paths), ids=trace.ids, latitudes=trace.latitudes, longitudes=trace.longitudes
        )
        if leaks:
            raise RuntimeError(
                "sharing-safe check failed, nothing was written to "
                f"{out}: an output shows input data:\n  - " + "\n  - ".join(leaks)
            )


def rounded_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the graph with node x/y and edge geometries rounded for sharing."""
    import numpy as np
    import shapely

    copy = graph.copy()
    for _, data in copy.nodes(data=True):
        for k in ("x", "y"):
            if k in data and data[k] is not None:
                data[k] = round(float(data[k]), COORD_DECIMALS)
    datas = [d for _, _, d in copy.edges(data=True) if d.get("geometry") is not None]
    if datas:
        geoms = np.empty(len(datas), dtype=object)
        geoms[:] = [d["geometry"] for d in datas]
        rounded = shapely.transform(geoms, lambda c: np.round(c, COORD_DECIMALS))
        for d, g in zip(datas, rounded, strict=True):
            d["geometry"] = g
    return copy


def _coarse(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, COORD_DECIMALS)
    if isinstance(value, list):
        return [_coarse(v) for v in value]
    if isinstance(value, dict):
        return {k: (v if k == "blob" else _coarse(v)) for k, v in value.items()}
    return value


def coarsen_map(m: Any) -> None:
    """Round every decimal number in the map's data block (sharing-safe maps).

    Crossing positions, label points, bounds and class limits are written with at most
    :data:`routes.report._share_safe.COORD_DECIMALS` decimals, so no number in the page can
    coincide with an input coordinate written to 4 decimals. (The packed geometry is already
    built from rounded inputs.)
    """
    stack = [m.get_root()]
    while stack:
        el = stack.pop()
        meta = getattr(el, "meta", None)
        if isinstance(meta, dict) and "blob" in meta:
            el.meta = _coarse(meta)
        stack.extend(getattr(el, "_children", {}).values())
