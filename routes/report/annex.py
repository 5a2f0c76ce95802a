"""The threat-assessment annex: one offline HTML page plus every figure, table and map as a file.

:func:`write_report` routes the incidents, computes the frequencies and statistics, and writes::

    DIR/annex.html                          the annex: map, figures, tables, file list (offline)
    DIR/maps/route_map.html                 the interactive map (offline, one file)
    DIR/maps/route_map.fragment.html        <iframe srcdoc=...> to paste into any HTML page
    DIR/maps/route_frequency_map.fragment.html   the static map as a self-contained <figure>
    DIR/figures/route_frequency_map.{png,svg,pdf}   report-grade map, PNG at 300 dpi
    DIR/figures/{trend_per_year,category_mix,top_corridors,top_crossings}.{png,svg}
    DIR/tables/statistics_<table>.csv, statistics.md, statistics.xlsx
    DIR/gis/route_frequency.gpkg            layers route_edges and crossing_flows
    DIR/manifest.json                       every file with its SHA-256 and the options used

All files are first written to a staging folder inside ``DIR`` and moved into place only when
everything succeeded, so ``DIR`` never holds a half-written report.

**Sharing-safe mode** (``share_safe=True``, ``salw-routes report --share-safe``) is for
outputs that leave the agency: see :func:`share_safe_incidents` for what is changed before
routing; every count below ``min_count`` is shown as ``"<min_count"`` in the tables, omitted
from the charts' labels and from the maps' frequency layers; every coordinate written is
rounded to 3 decimals; per-incident route layers and rejected rows are not written. Before the
report is moved into ``DIR``, every file is scanned for input ids and input coordinates (4
decimals) and the run fails if one is found.

**How the annex is composed.** :func:`write_report` reads as its steps: check the options,
decide the sharing-safe policy once (:class:`~routes.report._policy.SharingPolicy`: every
difference between a sharing-safe and a normal report is one of its methods), select the
period, prepare the incidents, route them, count the flows, build the tables
(:mod:`~routes.report._tables`), write the sections into a staging folder, lay out the page
(:mod:`~routes.report._page`), write the manifest, scan for leaks and move everything into
place (:mod:`~routes.report._output`).

**Adding a chapter** is adding one step. A chapter is a :class:`~routes.report._page.Section`:
a title, an HTML body whose every text is already escaped (``esc``, ``table_html``, or
:func:`~routes.report._page.text_section` for prose) and the files it wrote.

1. Write a builder ``def my_section(ctx: AnnexContext, ...) -> Section`` in a module of this
   stage. The context (:class:`~routes.report._context.AnnexContext`) holds the incidents,
   routes, flows, tables, notes, page texts and the sharing-safe policy (``ctx.policy``: ask it
   where the chapter differs in sharing-safe mode). The builder writes its files below
   ``ctx.staging``, at the path they will have in ``DIR``, and lists them in the section.
2. Put the call into the ``sections`` list of :func:`write_report`, where the chapter belongs
   on the page. Data the chapter needs (e.g. ``questionnaire=``) comes in as a keyword option
   of :func:`write_report` and is passed to the builder.

The page shows the sections in list order (a section with an empty body only contributes
files); the file list and the manifest pick up the section's files (grouped by folder:
figures, tables, gis, maps, then others in first-seen order), and the sharing-safe leak scan
covers them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from routes._io import atomic_write_text
from routes.analysis import evidence_mix
from routes.report._context import AnnexContext
from routes.report._evidence import evidence_section, report_priors, shareable_mix
from routes.report._inference import inference_section
from routes.report._inputs import check_report_options, select_incidents
from routes.report._output import (
    annex_files,
    manifest_file,
    ordered_files,
    publish,
    staging_folder,
)
from routes.report._page import OutputFile, Section, annex_page, files_section
from routes.report._policy import SharingPolicy
from routes.report._questionnaire import load_questionnaire, questionnaire_section
from routes.report._sections import figures_section, map_section, notes_section
from routes.report._share_safe import share_safe_incidents
from routes.report._sources import provenance_notes, sources_line, sources_section
from routes.report._tables import gis_section, report_tables, summary_lines, tables_section
from routes.report._text import count_text, date_range_text, reason_summary
from routes.routing import DEFAULT_INFER, check_infer, route_incidents

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx

    from routes.incidents import AssessmentRead

__all__ = ["Report", "share_safe_incidents", "write_report"]

DEFAULT_TITLE = "SALW trafficking routes: threat-assessment annex"


@dataclass
class Report:
    """What :func:`write_report` wrote.

    Attributes
    ----------
    out_dir
        The report folder.
    annex
        ``out_dir / "annex.html"``.
    files
        Every file written, relative path (POSIX) -> absolute path, ``annex.html`` first.
    share_safe
        Whether the sharing-safe rules were applied.
    incidents
        Number of incidents in the report (after the date filter).
    unrouted
        Number of incidents that got no route (listed in the annex notes).
    notes
        The notes printed in the annex (filters, suppression, generalisation, ...).
    evidence
        What the route frequency rests on (:meth:`routes.analysis.EvidenceMix.as_dict`).
    """

    out_dir: Path
    annex: Path
    files: dict[str, Path] = field(default_factory=dict)
    share_safe: bool = False
    incidents: int = 0
    unrouted: int = 0
    notes: list[str] = field(default_factory=list)
    evidence: dict[str, Any] | None = None


def _method_note(profile: str, k: int) -> str:
    return (
        "Method: each incident's waypoints (origin, transit, crossing, seizure location, "
        "destination) are visited in order on the least-cost path of the road, ferry and "
        f"crossing network (profile '{profile}'); what the record does not give is inferred. "
        f"Up to {k} alternative routes share each incident's weight by probability, so route "
        "counts are expected numbers of incidents; the statistics count records."
    )


def _unrouted_notes(result: Any) -> list[str]:
    unrouted = len(result.unrouted)
    if not unrouted:
        return []
    return [
        f"{count_text(unrouted)} incident(s) could not be routed and are not in the route counts "
        f"(reasons: {reason_summary(result.unrouted['reason'])}); they are in the statistics."
    ]


def _route(
    incidents: gpd.GeoDataFrame,
    graph: nx.MultiDiGraph | None,
    policy: SharingPolicy,
    *,
    profile: str,
    k: int,
    progress: bool,
    infer: str = DEFAULT_INFER,
    gazetteer: Any = None,
    priors: Any = None,
) -> Any:
    from routes.network import load_network

    net = policy.network(graph if graph is not None else load_network())
    return route_incidents(
        incidents,
        net,
        profile=profile,
        k=k,
        progress=progress,
        infer=infer,
        gazetteer=gazetteer,
        priors=priors,
    )


def _select(
    incidents: gpd.GeoDataFrame,
    out_dir: str | os.PathLike[str],
    policy: SharingPolicy,
    *,
    result: Any,
    start: Any,
    end: Any,
) -> tuple[Path, list[str], Any, gpd.GeoDataFrame]:
    """Check the options, make the folder; the folder, period notes, leak trace, incidents."""
    check_report_options(incidents, out_dir, result=result, start=start, end=end, policy=policy)
    out = Path(out_dir)
    selected, date_notes = select_incidents(incidents, start, end)
    out.mkdir(parents=True, exist_ok=True)
    return out, date_notes, policy.trace(selected), policy.prepare_incidents(selected)


def _routed(
    work: gpd.GeoDataFrame,
    graph: nx.MultiDiGraph | None,
    policy: SharingPolicy,
    result: Any,
    answers: Any,
    extra_notes: Sequence[str],
    *,
    profile: str,
    k: int,
    progress: bool,
    infer: str,
    priors: Any,
    gazetteer: Any = None,
) -> tuple[Any, Any, list[str]]:
    """The routes (unless given), what their frequency rests on, the notes with the priors'."""
    infer, chosen, note = report_priors(priors, infer, answers)
    if result is None:
        result = _route(
            work,
            graph,
            policy,
            profile=profile,
            k=k,
            progress=progress,
            infer=infer,
            gazetteer=gazetteer,
            priors=chosen,
        )
    mix = shareable_mix(evidence_mix(result), policy.suppress)
    return result, mix, [*extra_notes, *([note] if note else [])]


def _annex_context(
    staging: Path,
    *,
    policy: SharingPolicy,
    incidents: gpd.GeoDataFrame,
    result: Any,
    notes: Sequence[str],
    title: str,
    marking: str | None,
    sources: str,
    input_name: str | None,
    period: tuple[Any, Any] | None,
    profile: str,
    k: int,
    evidence: Any = None,
) -> AnnexContext:
    """Count the flows, build the tables and gather what the section builders need."""
    from routes.analysis import corridor_flows, crossing_flows, edge_flows, pair_flows

    edges, crossings = policy.public_flows(edge_flows(result), crossing_flows(result))
    corridors, pairs = corridor_flows(result), pair_flows(result)
    tables = report_tables(
        incidents, corridors=corridors, crossings=crossings, pairs=pairs, policy=policy
    )
    return AnnexContext(
        staging=staging,
        policy=policy,
        title=title,
        marking=marking,
        sources=sources,
        date_text=date_range_text(incidents, period),
        input_name=input_name,
        incidents=incidents,
        result=result,
        edge_flows=edges,
        crossing_flows=crossings,
        corridor_flows=corridors,
        pair_flows=pairs,
        tables=tables,
        notes=notes,
        profile=profile,
        k=k,
        evidence=evidence,
    )


def _write_page_and_manifest(ctx: AnnexContext, sections: Sequence[Section]) -> list[OutputFile]:
    """Write ``annex.html`` and ``manifest.json``; every file of the report, in manifest order."""
    files = ordered_files(sections)
    page = annex_page(
        title=ctx.title,
        subtitle=ctx.date_text,
        marking=ctx.marking,
        summary_lines=summary_lines(ctx),
        sections=[*sections, files_section(annex_files(files))],
        sources=ctx.sources,
    )
    annex = OutputFile("annex.html", ctx.staging / "annex.html", "The annex")
    atomic_write_text(annex.path, page)
    about = {
        "title": ctx.title,
        "marking": ctx.marking,
        "share_safe": ctx.policy.share_safe,
        "options": ctx.policy.manifest_options(profile=ctx.profile, k=ctx.k),
        "incidents": len(ctx.incidents),
        "unrouted": ctx.unrouted,
        "evidence": None if ctx.evidence is None else ctx.evidence.as_dict(),
    }
    files = [annex, *files]
    return [*files, manifest_file(ctx.staging, files, about)]


def _notes(
    extra: Sequence[str],
    dates: Sequence[str],
    policy: SharingPolicy,
    result: Any,
    *,
    profile: str,
    k: int,
) -> list[str]:
    """The annex notes: the caller's, the method, the period, the policy's, the unrouted."""
    return [
        *extra,
        _method_note(profile, k),
        *dates,
        *policy.notes(),
        *_unrouted_notes(result),
        *policy.map_notes(),
    ]


def _sections(ctx: Any, mix: Any, provenance: Any, answers: Any) -> list[Any]:
    """The chapters of the annex, in page order; a new chapter is one more builder here."""
    return [
        evidence_section(mix),
        notes_section(ctx),
        *([sources_section(ctx, provenance)] if provenance is not None else []),
        *([questionnaire_section(ctx, answers)] if answers is not None else []),
        map_section(ctx),
        figures_section(ctx),
        inference_section(ctx),
        tables_section(ctx),
        gis_section(ctx),
    ]


def write_report(
    incidents: gpd.GeoDataFrame,
    out_dir: str | os.PathLike[str],
    *,
    result: Any = None,
    graph: nx.MultiDiGraph | None = None,
    title: str = DEFAULT_TITLE,
    marking: str | None = None,
    sources: str | None = None,
    input_name: str | None = None,
    start: Any = None,
    end: Any = None,
    profile: str = "least_time",
    k: int = 3,
    share_safe: bool = False,
    method: Literal["grid", "settlement"] = "grid",
    grid_km: float = 10.0,
    min_count: int = 5,
    salt: str | bytes | None = None,
    interactive: bool = True,
    share_safe_map: bool = False,
    extra_notes: Sequence[str] = (),
    progress: bool = False,
    questionnaire: Any = None,
    infer: str = DEFAULT_INFER,
    gazetteer: Any = None,
    priors: Any = None,
    provenance: AssessmentRead | None = None,
) -> Report:
    """Route the incidents and write the threat-assessment annex with all its files.

    Parameters
    ----------
    incidents
        Canonical incidents (:func:`routes.read_incidents`).
    out_dir
        Report folder (created; existing files of the same names are replaced).
    result
        A :class:`routes.RouteResult` for exactly these incidents (routed when None). Not
        accepted in sharing-safe mode, where routes are computed from the generalised points.
    graph
        The network (:func:`routes.load_network` when None).
    title, marking, sources
        Page title, handling marking (e.g. ``"RESTRICTED"``; top and bottom of every page,
        figure and sheet), data sources (default: the bundled data's attribution).
    input_name
        The incident file's name, cited in the sources (not in sharing-safe mode).
    start, end
        Only incidents dated within ``[start, end]`` (ISO dates); undated ones are dropped
        by a filter and counted in the notes.
    profile, k
        Routing options (:func:`routes.route_incidents`).
    share_safe
        Apply the sharing-safe rules (see the module docs and :func:`share_safe_incidents`).
    method, grid_km, salt
        Generalisation and pseudonymisation options of sharing-safe mode.
    min_count
        Sharing-safe mode: counts below this are suppressed (``"<5"``).
    interactive
        Include the interactive map (needs :mod:`routes.maps`).
    share_safe_map
        Sharing-safe mode leaves the interactive map out unless this is True: its in-page
        filters recompute counts per incident, so they can show counts below ``min_count``
        (the points are still generalised and the ids pseudonymised).
    extra_notes
        Further lines for the annex notes (e.g. "synthetic data").
    progress
        Show progress bars while routing.
    questionnaire
        A questionnaire (a file, a DataFrame or :func:`routes.read_questionnaire`'s result):
        adds the chapter "Questionnaire statistics" (input check, inconsistencies, comparison
        tables and rates, trend charts, the choropleth, reported routes on the network,
        coverage of the incident records); sharing-safe mode applies its small-count rule to
        its tables, charts and map.
    infer
        Inference of the missing legs of one-waypoint records (``"none"``, ``"recorded"``,
        ``"priors"``; see :func:`routes.route_incidents`). With inference the annex adds the
        chapter "Inferred legs: method and calibration" (method note, hold-out hit rates,
        recorded vs inferred flows per crossing).
    gazetteer
        For the records' place names and codes (:func:`routes.read_places`; default bundled).
    priors
        Of ``infer="priors"``: None (questionnaire routes, else bundled), "bundled", "none", a file.
    provenance
        An assessment's pooled read (``read_assessment``): adds the chapter "Sources".

    Returns
    -------
    Report

    Raises
    ------
    routes.ValidationError
        Bad options or incidents, listing every problem.
    RuntimeError
        Sharing-safe mode found an input id or coordinate in an output (nothing is written).
    """
    policy = SharingPolicy(
        share_safe=share_safe,
        method=method,
        grid_km=grid_km,
        min_count=min_count,
        salt=salt,
        interactive=interactive,
        share_safe_map=share_safe_map,
    )
    out, date_notes, trace, work = _select(
        incidents, out_dir, policy, result=result, start=start, end=end
    )
    check_infer(infer)
    answers = load_questionnaire(questionnaire)
    how: dict[str, Any] = {"profile": profile, "k": k, "progress": progress, "infer": infer}
    how.update(priors=priors, gazetteer=gazetteer)
    result, mix, extra = _routed(work, graph, policy, result, answers, extra_notes, **how)
    extra = [*extra, *provenance_notes(provenance)]
    notes = _notes(extra, date_notes, policy, result, profile=profile, k=k)
    with staging_folder(out) as staging:
        ctx = _annex_context(
            staging,
            policy=policy,
            incidents=work,
            result=result,
            notes=notes,
            title=title,
            marking=marking,
            sources=sources_line(provenance, policy.sources(sources, input_name)),
            input_name=input_name,
            period=(start, end) if start and end else None,
            profile=profile,
            k=k,
            evidence=mix,
        )
        files = _write_page_and_manifest(ctx, _sections(ctx, mix, provenance, answers))
        policy.check_leaks([f.path for f in files], trace, out=out)
        final = publish(files, out)
    return Report(
        out_dir=out,
        annex=out / "annex.html",
        files=final,
        share_safe=share_safe,
        incidents=len(work),
        unrouted=len(result.unrouted),
        notes=notes,
        evidence=mix.as_dict(),
    )
