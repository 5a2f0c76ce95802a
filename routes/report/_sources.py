"""The annex chapter "Sources": each agency's file, its counts, and the double reports.

Written for an assessment (several agencies' files pooled by
:func:`routes.incidents.read_assessment`): ``tables/sources.csv`` (per source: path, rows
read, accepted, rejected per reason, date range) and ``tables/duplicate_candidates.csv``
(the candidate double reports across sources). In sharing-safe mode the paths are left out
and the candidate pairs (which carry input ids) are only counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from routes._io import atomic_write_text
from routes.report._html import esc, table_html
from routes.report._page import OutputFile, Section

if TYPE_CHECKING:
    from routes.incidents import AssessmentRead
    from routes.report._context import AnnexContext

__all__ = ["provenance_notes", "sources_line", "sources_section"]

_SHOWN = ("reporting", "rows_read", "accepted", "rejected", "date_min", "date_max")


def sources_line(pooled: AssessmentRead | None, text: str) -> str:
    """The annex's sources line ``text``, after ``Incident sources: A (200 rows); B (...).``"""
    if pooled is None:
        return text
    parts = [
        f"{row.reporting} ({row.rows_read:,} rows)"
        for row in pooled.sources.itertuples(index=False)
    ]
    return "Incident sources: " + "; ".join(parts) + ". " + text


def provenance_notes(pooled: AssessmentRead | None) -> list[str]:
    """The annex notes on pooling: sources and counts, the double reports and their handling."""
    if pooled is None:
        return []
    rule = pooled.assessment.rule
    counts = "; ".join(
        f"{row.reporting}: {row.rows_read:,} rows read, {row.accepted:,} accepted, "
        f"{row.rejected:,} rejected"
        for row in pooled.sources.itertuples(index=False)
    )
    notes = [
        f"Pooled from {len(pooled.sources)} source(s) ({counts}); every record keeps its "
        "source ('reporting') and its own id; pooled ids are '<source prefix>:<local id>'.",
    ]
    n = len(pooled.candidates)
    rule_text = (
        f"different sources, at most {rule.distance_m:,.0f} m apart (EPSG:3035), at most "
        f"{rule.days} day(s) apart, same category, quantities within a ratio of "
        f"{rule.quantity_ratio:g}"
    )
    if pooled.assessment.dedupe == "merge":
        notes.append(
            f"Double reports: {n:,} candidate pair(s) ({rule_text}); {len(pooled.merged):,} "
            "pair(s) merged: one record kept with both sources in 'reporting' and the other's "
            "id in 'merged_ids', so each merged event is counted once."
        )
    else:
        notes.append(
            f"Double reports: {n:,} candidate pair(s) ({rule_text}) are flagged in "
            "tables/duplicate_candidates.csv and not dropped; each is still counted twice."
        )
    return notes


def sources_section(ctx: AnnexContext, pooled: AssessmentRead) -> Section:
    """Write ``tables/sources.csv`` and ``tables/duplicate_candidates.csv``; show the sources."""
    sources = pooled.sources
    if ctx.policy.share_safe:
        sources = sources.drop(columns=["path"])
    path = ctx.staging / "tables" / "sources.csv"
    atomic_write_text(path, sources.to_csv(index=False))
    files = [
        OutputFile("tables/sources.csv", path, "Table: incident sources and their counts (CSV)")
    ]
    n = len(pooled.candidates)
    if ctx.policy.share_safe:
        dup_text = (
            f"{n:,} candidate double report(s) across sources; the pairs carry input ids, so "
            "sharing-safe mode lists none."
        )
    else:
        dup = ctx.staging / "tables" / "duplicate_candidates.csv"
        atomic_write_text(dup, pooled.candidates.to_csv(index=False))
        files.append(
            OutputFile(
                "tables/duplicate_candidates.csv",
                dup,
                "Table: candidate double reports across sources (CSV)",
            )
        )
        dup_text = (
            f"{n:,} candidate double report(s) across sources, listed with both pooled ids, "
            "both sources, distance, day difference and score in tables/duplicate_candidates.csv."
        )
    body = (
        f"\n<p>{esc(f'{len(sources)} source(s) pooled in this assessment:')}</p>\n"
        + table_html(sources[[c for c in _SHOWN if c in sources.columns]])
        + "\n"
        + f"<p>{esc(dup_text)}</p>"
    )
    return Section("Sources", body, files=tuple(files))
