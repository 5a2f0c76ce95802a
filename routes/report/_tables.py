"""The annex's tables and GIS layers: statistics and flow tables, CSV/Markdown/Excel, GeoPackage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routes.report._html import esc, table_html
from routes.report._page import OutputFile, Section
from routes.report._text import count_text

if TYPE_CHECKING:
    import pandas as pd

    from routes.report._context import AnnexContext
    from routes.report._policy import SharingPolicy

__all__ = [
    "CROSSING_LAYER_COLUMNS",
    "EDGE_LAYER_COLUMNS",
    "flow_table",
    "gis_section",
    "report_tables",
    "summary_lines",
    "tables_section",
    "write_gpkg",
]

#: Columns of the GeoPackage layers, in this order (those present).
EDGE_LAYER_COLUMNS = (
    "u",
    "v",
    "key",
    "incidents",
    "quantity",
    "mode",
    "e_road",
    "border",
    "green_border",
    "length_m",
    "geometry",
)
CROSSING_LAYER_COLUMNS = (
    "crossing_id",
    "name",
    "kind",
    "jurisdiction_a",
    "jurisdiction_b",
    "incidents",
    "quantity",
    "geometry",
)

#: Notes repeated at the top of the Markdown and Excel tables (those of sharing-safe mode).
_TABLE_NOTE_PREFIXES = ("Sharing-safe", "Counts below")


def flow_table(frame: Any, columns: Sequence[str]) -> pd.DataFrame:
    """A flow table for the annex: the given columns (those present), counts to 1 decimal.

    ``share`` becomes ``share_pct`` (percent, 1 decimal).
    """
    import pandas as pd

    cols = [c for c in columns if c in frame.columns]
    out = pd.DataFrame(frame[cols]).copy()
    for c in ("incidents", "quantity"):
        if c in out.columns:
            out[c] = out[c].astype(float).round(1)
    if "share" in out.columns:
        out["share"] = (out["share"].astype(float) * 100).round(1)
        out = out.rename(columns={"share": "share_pct"})
    return out.reset_index(drop=True)


def report_tables(
    incidents: pd.DataFrame,
    *,
    corridors: pd.DataFrame,
    crossings: pd.DataFrame,
    pairs: pd.DataFrame,
    policy: SharingPolicy,
) -> dict[str, pd.DataFrame]:
    """Statistics per jurisdiction, then corridors, crossings and jurisdiction pairs."""
    from routes.analysis import jurisdiction_tables

    statistics = jurisdiction_tables(incidents)
    top_corr = flow_table(corridors, ["e_road", "incidents", "quantity", "length_m"])
    if "length_m" in top_corr.columns:
        top_corr["length_m"] = top_corr["length_m"].astype(float).round(0)
    top_cross = flow_table(
        crossings,
        [
            "crossing_id",
            "name",
            "jurisdiction_a",
            "jurisdiction_b",
            "incidents",
            "quantity",
            "share",
        ],
    )
    pair_tab = flow_table(pairs, ["from_jurisdiction", "to_jurisdiction", "incidents", "quantity"])
    tables, top_corr, top_cross, pair_tab = policy.suppress_tables(
        statistics, corridors=top_corr, crossings=top_cross, pairs=pair_tab
    )
    tables.update({"corridors": top_corr, "crossings": top_cross, "jurisdiction_pairs": pair_tab})
    return tables


def summary_lines(ctx: AnnexContext) -> list[str]:
    """The lines under the annex title: incidents, items, how many were routed."""
    summary = ctx.tables["summary"]
    total_row = summary[summary["jurisdiction"] == "ALL"].iloc[0]
    routed = len(ctx.result) - ctx.unrouted
    return [
        f"Incidents: {count_text(total_row['incidents'])}; "
        f"items (quantity): {count_text(total_row['quantity'])}.",
        f"Routed: {count_text(routed)} of {count_text(len(ctx.incidents))} incidents "
        f"(k = {ctx.k} alternative routes each, profile '{ctx.profile}').",
    ]


def _table_file_description(key: str, titles: Mapping[str, str]) -> str:
    if key == "markdown":
        return "All tables, Markdown"
    if key == "xlsx":
        return "All tables, Excel (a sheet per table)"
    return f"Table: {titles.get(key[:-4], key[:-4])} (CSV)"


def tables_section(ctx: AnnexContext) -> Section:
    """Write every table (CSV each, Markdown and Excel all) and show them in the annex."""
    from routes.analysis import write_tables
    from routes.analysis.stats import HEADERS, TABLE_TITLES

    tables = ctx.tables
    table_notes = [n for n in ctx.notes if n.startswith(_TABLE_NOTE_PREFIXES)]
    written = write_tables(
        tables,
        ctx.staging / "tables",
        title=ctx.title,
        marking=ctx.marking,
        notes=[*([ctx.date_text] if ctx.date_text else []), *table_notes],
    )
    files = tuple(
        OutputFile(f"tables/{p.name}", p, _table_file_description(key, TABLE_TITLES))
        for key, p in written.items()
    )
    shown = [
        f"<h3>{esc(TABLE_TITLES.get(n, n))}</h3>"
        + table_html(t.drop(columns=["jurisdiction"], errors="ignore"), headers=HEADERS)
        for n, t in tables.items()
    ]
    return Section("Tables", "".join("\n" + s for s in shown), files=files)


def gis_section(ctx: AnnexContext) -> Section:
    """Write the GeoPackage of route edges and crossing flows (a file, not shown on the page)."""
    edges, crossings = ctx.edge_flows, ctx.crossing_flows
    if not (len(edges) or len(crossings)):
        return Section("GIS layers")
    layers = {}
    if len(edges):
        layers["route_edges"] = edges[[c for c in EDGE_LAYER_COLUMNS if c in edges.columns]]
    if len(crossings):
        layers["crossing_flows"] = crossings[
            [c for c in CROSSING_LAYER_COLUMNS if c in crossings.columns]
        ]
    gpkg = ctx.staging / "gis" / "route_frequency.gpkg"
    write_gpkg(gpkg, layers, description=None if ctx.evidence is None else ctx.evidence.sentence())
    return Section(
        "GIS layers",
        files=(
            OutputFile(
                "gis/route_frequency.gpkg",
                gpkg,
                "GeoPackage: route_edges (incidents, quantity per segment), crossing_flows",
            ),
        ),
    )


def write_gpkg(path: Path, layers: Mapping[str, Any], *, description: str | None = None) -> None:
    """Write the layers into one GeoPackage atomically (counts to 3 decimals, text as text).

    ``description`` (what the route frequency rests on) goes into every layer's description.
    """
    import pyogrio

    from routes._io import atomic_path

    with atomic_path(path) as tmp:
        for i, (name, frame) in enumerate(layers.items()):
            plain = frame.copy()
            for col in ("incidents", "quantity", "length_m"):
                if col in plain.columns:
                    plain[col] = plain[col].astype(float).round(3)
            for col in plain.columns:
                if col != plain.geometry.name and plain[col].dtype == object:
                    plain[col] = plain[col].map(lambda v: None if v is None else str(v))
            options = {"DESCRIPTION": description} if description else None
            pyogrio.write_dataframe(
                plain, tmp, layer=name, driver="GPKG", append=i > 0, layer_options=options
            )
