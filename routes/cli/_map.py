"""The ``salw-routes map`` command: incidents -> routes -> one offline HTML map."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from routes.cli._assessment import assessment_json
from routes.cli._common import (
    beside,
    date_window,
    echo_evidence,
    filter_window,
    incidents_input,
    infer_option,
    json_option,
    load_priors,
    priors_option,
    processing_errors,
    profile_option,
    progress_option,
    read_for_command,
    rejects_option,
    report_unrouted,
    resolve_progress,
)
from routes.cli._process import collector_paused

if TYPE_CHECKING:
    import datetime as dt

    from routes.incidents import ColumnMapping

__all__ = ["command"]


@click.command(name="map")
@incidents_input
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write, e.g. maps/routes.html.",
)
@date_window
@profile_option
@click.option("--title", default=None, help="Map title (default: 'SALW trafficking routes').")
@click.option("--marking", default=None, help="Handling marking banner, e.g. RESTRICTED.")
@click.option(
    "--tiles",
    default=None,
    help="Add a tile basemap: 'osm' or a tile URL template with {z}/{x}/{y}. "
    "Default: none (no network request at all).",
)
@click.option("--tiles-attribution", default=None, help="Attribution of a custom tile server.")
@click.option(
    "--weight",
    type=click.Choice(["incidents", "quantity"]),
    default="incidents",
    show_default=True,
    help="Count route frequency in incidents or seized items.",
)
@click.option("--no-routes", is_flag=True, help="Draw incidents and crossings only.")
@rejects_option("OUT-stem.rejected.csv beside --out")
@infer_option
@priors_option
@progress_option
@click.option(
    "--skip-invalid",
    is_flag=True,
    hidden=True,
    help="No effect, kept for old scripts: rejected rows are always reported and skipped.",
)
@json_option
@click.pass_context
@collector_paused
def command(
    ctx: click.Context,
    incidents: Path,
    mapping: ColumnMapping | None,
    sheet: str | None,
    layer: str | None,
    out: Path,
    date_from: dt.date | None,
    date_to: dt.date | None,
    profile: str,
    title: str | None,
    marking: str | None,
    tiles: str | None,
    tiles_attribution: str | None,
    weight: str,
    no_routes: bool,
    rejects: Path | None,
    infer: str,
    priors: str | None,
    progress: bool | None,
    skip_invalid: bool,
    as_json: bool,
) -> None:
    """Route the incidents in INCIDENTS and write an offline interactive map to --out.

    Exit status 0: every row on the map; 1: some rows rejected (listed on stderr, written to
    --rejects, the others mapped); 2: unreadable file, bad option or nothing to map. The
    incidents without a route are counted per reason on stderr (and in --json).
    """
    import routes
    from routes._errors import ValidationError
    from routes.maps import check_map_options

    if out.suffix.lower() not in (".html", ".htm"):
        raise click.BadParameter(
            f"{str(out)!r} would get an HTML page under another name; end it in .html "
            f"(e.g. {str(out.with_suffix('.html'))!r})",
            param_hint="'--out'",
        )
    early = check_map_options(weight, "auto", tiles, title, marking)
    if early:  # before the slow steps
        raise click.UsageError(str(ValidationError(early)))
    progress = resolve_progress(incidents, progress)
    infer, route_priors, priors_note = load_priors(priors, infer)
    read = read_for_command(
        incidents,
        mapping=mapping,
        sheet=sheet,
        layer=layer,
        progress=progress,
        rejects=rejects or beside(out, "rejected.csv"),
    )
    gdf = filter_window(read.accepted, date_from, date_to)
    with processing_errors():
        result = (
            None
            if no_routes
            else routes.route_incidents(
                gdf,
                profile=profile,
                progress=progress,
                infer=infer,
                priors=route_priors,
                gazetteer=read.gazetteer,
            )
        )
        m = routes.route_map(
            gdf,
            result=result,
            title=title,
            source=incidents.name,
            marking=marking,
            tiles=tiles,
            tiles_attribution=tiles_attribution,
            weight=weight,  # type: ignore[arg-type]
        )
        path = routes.save_map(m, out)
    enc = m.encoded  # type: ignore[attr-defined]
    unrouted = 0 if result is None else len(result.unrouted)
    by_reason = report_unrouted(None if result is None else result.unrouted)
    if priors_note:
        click.echo(priors_note, err=True)
    evidence = None if result is None else echo_evidence(result, enc.evidence)
    line = (
        f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB): {enc.n_incidents} incidents, "
        f"{enc.n_paths} distinct routes over {enc.n_edges} road segments, "
        f"{enc.n_crossings} crossings; {unrouted} incident(s) without a route"
    )
    if as_json:
        click.echo(line, err=True)
        doc = {
            "file": str(incidents),
            "rows_read": read.result.rows_read,
            "accepted": len(read.accepted),
            "rejected": read.result.rows_rejected,
            "mapped": len(gdf),
            "unrouted": unrouted,
            "unrouted_by_reason": by_reason,
            "evidence": evidence,
            "written": [str(path)],
            "exit_code": read.exit_code,
            **assessment_json(read.assessment),
        }
        click.echo(json.dumps(doc, ensure_ascii=False))
    else:
        click.echo(line)
    ctx.exit(read.exit_code)
