"""The annex's chapters that are not tables: notes, the interactive map and the figures.

Each builder takes the :class:`~routes.report._context.AnnexContext`, writes its files into
the staging folder and returns a :class:`~routes.report._page.Section`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from routes._constants import KOSOVO_FOOTNOTE
from routes._io import atomic_write_text
from routes.report._html import (
    DEFERRED_LOADER,
    esc,
    figure_fragment,
    iframe_fragment,
    inline_svg,
)
from routes.report._page import OutputFile, Section

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from routes.report._context import AnnexContext

__all__ = ["figures_section", "map_section", "notes_section"]

_MAP_FORMATS = {"png": "PNG, 300 dpi", "svg": "SVG, editable", "pdf": "PDF"}


def notes_section(ctx: AnnexContext) -> Section:
    """The notes: method, filters, what sharing-safe mode changed, unrouted incidents."""
    if not ctx.notes:
        return Section("Notes")
    items = "".join(f"\n<li>{esc(n)}</li>" for n in ctx.notes)
    return Section("Notes", f'<ul class="notes">{items}\n</ul>')


def map_section(ctx: AnnexContext) -> Section:
    """The interactive map in the page, as its own file and as an ``<iframe>`` fragment.

    Empty (not shown, no files) when the policy leaves the map out.
    """
    title = "Interactive route map"
    if not ctx.policy.includes_map:
        return Section(title)
    from routes.maps import route_map, save_map

    options = ctx.policy.map_options(
        incidents=ctx.incidents, crossings=ctx.crossing_flows, input_name=ctx.input_name
    )
    m = route_map(ctx.incidents, result=ctx.result, title=ctx.title, marking=ctx.marking, **options)
    ctx.policy.finish_map(m)
    map_path = save_map(m, ctx.staging / "maps" / "route_map.html")
    page = map_path.read_text(encoding="utf-8")
    fragment = atomic_write_text(
        ctx.staging / "maps" / "route_map.fragment.html", iframe_fragment(page, title=ctx.title)
    )
    body = (
        "\n"
        + iframe_fragment(page, title=ctx.title, deferred=True)
        + '\n<p class="subtitle">Works offline; also as a separate file (maps/route_map.html).</p>'
    )
    files = (
        OutputFile("maps/route_map.html", map_path, "Interactive route map (offline, one file)"),
        OutputFile(
            "maps/route_map.fragment.html",
            fragment,
            "The interactive map as an <iframe> fragment to paste into HTML",
        ),
    )
    return Section(title, body, files=files, script=DEFERRED_LOADER)


def _charts(ctx: AnnexContext) -> list[tuple[str, str, Figure]]:
    """The charts of the annex: ``(file stem, caption, figure)``."""
    from routes.report.figures import category_chart, top_flows_chart, trend_chart

    common: dict[str, Any] = {
        "marking": ctx.marking,
        "sources": ctx.sources,
        "min_count": ctx.policy.suppress,
    }
    crossings = ctx.crossing_flows
    return [
        (
            "trend_per_year",
            "Incidents per year and jurisdiction",
            trend_chart(ctx.incidents, **common),
        ),
        (
            "category_mix",
            "Weapon category mix per jurisdiction",
            category_chart(ctx.incidents, **common),
        ),
        (
            "top_corridors",
            "Top corridors (E-roads) by expected incidents",
            top_flows_chart(
                ctx.corridor_flows,
                label="e_road",
                title="Top corridors (E-roads)",
                subtitle=ctx.date_text,
                **common,
            ),
        ),
        (
            "top_crossings",
            "Top border crossings by expected incidents",
            top_flows_chart(
                crossings,
                label="name" if "name" in crossings.columns else "crossing_id",
                title="Top border crossings",
                subtitle=ctx.date_text,
                **common,
            ),
        ),
    ]


def _print_map(ctx: AnnexContext) -> Figure:
    from routes.analysis import edge_flows
    from routes.report.figures import route_frequency_map

    title = ctx.title
    a = ctx.result.assignments
    has_inferred = "inferred" in a.columns and bool(a["inferred"].any())
    return route_frequency_map(
        ctx.edge_flows,
        # dashes the drawn segments whose flow is mostly inferred (only used as a share)
        recorded_flows=edge_flows(ctx.result, inferred=False) if has_inferred else None,
        crossing_flows=ctx.crossing_flows,
        incidents=ctx.policy.print_map_dots(ctx.incidents),
        title=title.split(":")[0] + ": route frequency" if ":" in title else title,
        date_range=ctx.date_text,
        sources=ctx.sources,
        marking=ctx.marking,
        min_value=ctx.policy.print_map_threshold(),
        notes=[*_evidence_lines(ctx), *ctx.policy.print_map_notes()],
    )


def _evidence_lines(ctx: AnnexContext) -> list[str]:
    """The evidence mix (and its warning) for the print map's side panel."""
    mix = ctx.evidence
    if mix is None:
        return []
    warning = mix.warning()
    return [mix.sentence() + "."] + ([f"Warning: {warning}."] if warning else [])


def _evidence_caption(ctx: AnnexContext) -> str:
    """The caption sentence of every flow figure: what the route frequency rests on."""
    return "" if ctx.evidence is None else f" {ctx.evidence.sentence()}."


#: The figures that draw route frequency (their captions say what it rests on).
_FLOW_FIGURES = ("route_frequency_map", "top_corridors", "top_crossings")


def figures_section(ctx: AnnexContext) -> Section:
    """The print map (PNG, SVG, PDF and a ``<figure>`` fragment) and the charts (PNG, SVG)."""
    from routes._figstyle import save_figure

    figdir = ctx.staging / "figures"
    files: list[OutputFile] = []
    for p in save_figure(_print_map(ctx), figdir / "route_frequency_map", title=ctx.title):
        text = f"Route-frequency map for print ({_MAP_FORMATS[p.suffix[1:]]})"
        files.append(OutputFile(f"figures/{p.name}", p, text))
    charts = _charts(ctx)
    for stem, caption, chart in charts:
        for p in save_figure(chart, figdir / stem, formats=("png", "svg"), title=caption):
            files.append(OutputFile(f"figures/{p.name}", p, f"{caption} ({p.suffix[1:].upper()})"))
    png = (figdir / "route_frequency_map.png").read_bytes()
    fragment = atomic_write_text(
        ctx.staging / "maps" / "route_frequency_map.fragment.html",
        figure_fragment(
            png,
            alt=ctx.title,
            caption=f"{ctx.title}.{_evidence_caption(ctx)} {KOSOVO_FOOTNOTE}",
        ),
    )
    files.append(
        OutputFile(
            "maps/route_frequency_map.fragment.html",
            fragment,
            "The static map as a self-contained <figure> fragment",
        )
    )
    shown = [("route_frequency_map", "Route frequency (print map)")]
    shown += [(stem, caption) for stem, caption, _ in charts]
    body = []
    for stem, caption in shown:
        svg = (figdir / f"{stem}.svg").read_text(encoding="utf-8")
        also = ", .svg and .pdf" if stem == "route_frequency_map" else " and .svg"
        evidence = _evidence_caption(ctx) if stem in _FLOW_FIGURES else ""
        text = f"Also as figures/{stem}.png (300 dpi){also}.{evidence}"
        body.append(
            f"\n<h3>{esc(caption)}</h3><figure>{inline_svg(svg, label=caption)}"
            f"\n<figcaption>{esc(text)}</figcaption>"
            "</figure>"
        )
    return Section("Figures", "".join(body), files=tuple(files))
