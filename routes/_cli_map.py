"""The ``salw-routes map`` command: incidents -> routes -> one offline HTML map."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["command"]


@click.command(name="map")
@click.argument("incidents", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    default=None,
    help="Column mapping: a TOML file or a bundled mapping name (e.g. iom_mmp).",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write, e.g. maps/routes.html.",
)
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
    "--profile",
    default="least_time",
    show_default=True,
    help="Routing cost profile (see 'salw-routes routes --help').",
)
@click.option(
    "--weight",
    type=click.Choice(["incidents", "quantity"]),
    default="incidents",
    show_default=True,
    help="Count route frequency in incidents or seized items.",
)
@click.option("--no-routes", is_flag=True, help="Draw incidents and crossings only.")
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Map the valid rows and report the rejected ones (default: stop on any bad row).",
)
def command(
    incidents: Path,
    mapping: str | None,
    out: Path,
    title: str | None,
    marking: str | None,
    tiles: str | None,
    tiles_attribution: str | None,
    profile: str,
    weight: str,
    no_routes: bool,
    skip_invalid: bool,
) -> None:
    """Route the incidents in INCIDENTS and write an offline interactive map to --out."""
    import routes
    from routes._errors import ValidationError
    from routes.maps import _check_options

    early = _check_options(weight, "auto", tiles, title, marking)
    if early:  # before the slow steps
        raise click.ClickException(str(ValidationError(early)))
    try:
        rejected = 0
        if skip_invalid:
            read = routes.read_incidents(incidents, mapping=mapping, strict=False)
            gdf = read.accepted
            rejected = read.rows_read - len(gdf)
        else:
            gdf = routes.read_incidents(incidents, mapping=mapping)
        result = None if no_routes else routes.route_incidents(gdf, profile=profile)
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
    except ValidationError as exc:
        raise click.ClickException(str(exc)) from exc
    enc = m.encoded  # type: ignore[attr-defined]
    unrouted = 0 if result is None else len(result.unrouted)
    if rejected:
        click.echo(
            f"{rejected} row(s) of {incidents.name} were rejected and are not on the map; "
            f"'salw-routes validate {incidents}' lists them with the fix"
        )
    click.echo(
        f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB): {enc.n_incidents} incidents, "
        f"{enc.n_paths} distinct routes over {enc.n_edges} road segments, "
        f"{enc.n_crossings} crossings; {unrouted} incident(s) without a route"
    )
