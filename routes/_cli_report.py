"""The ``salw-routes report`` command: incidents -> the threat-assessment annex in a folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

__all__ = ["command", "run_report"]


def run_report(
    incidents_path: Path,
    out: Path,
    *,
    mapping: Path | None = None,
    echo: Any = click.echo,
    **options: Any,
) -> tuple[Any, int]:
    """Read, report, and summarise; returns ``(Report, rejected_rows)``.

    Rejected input rows are never dropped silently: they are counted on the terminal and, except
    in sharing-safe mode (where they would carry input ids and coordinates), written to
    ``OUT/rejected_rows.csv``.
    """
    import routes
    from routes._report_io import atomic_path

    read = routes.read_incidents(incidents_path, mapping=mapping, strict=False)
    accepted = read.accepted
    rejected = read.rejected
    n_rejected = int(rejected["source_row"].nunique()) if len(rejected) else 0
    if n_rejected:
        reasons = rejected.drop_duplicates("source_row")["reason"].value_counts()
        echo(
            f"{incidents_path.name}: {read.rows_read} rows read, {len(accepted)} accepted, "
            f"{n_rejected} rejected ("
            + ", ".join(f"{r}: {n}" for r, n in reasons.items())
            + "); run 'salw-routes validate' for the details.",
            err=True,
        )
    if len(accepted) == 0:
        from routes._errors import Problem, ValidationError

        raise ValidationError(
            Problem(
                "no row was accepted, so there is nothing to report; run "
                f"'salw-routes validate {incidents_path}' to see why.",
                file=str(incidents_path),
                reason="no_rows",
            )
        )
    share_safe = bool(options.get("share_safe"))
    report = routes.write_report(
        accepted,
        out,
        input_name=None if share_safe else incidents_path.name,
        **options,
    )
    if n_rejected and not share_safe:
        target = out / "rejected_rows.csv"
        with atomic_path(target) as tmp:
            rejected.to_csv(tmp, index=False)
        report.files["rejected_rows.csv"] = target
    return report, n_rejected


@click.command(name="report")
@click.argument("incidents", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Column mapping file for a non-canonical incident file.",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Report folder (created). annex.html is the page to open.",
)
@click.option("--title", default=None, help="Annex title.")
@click.option(
    "--marking",
    default=None,
    help="Handling marking printed on every page, figure and sheet, e.g. RESTRICTED.",
)
@click.option("--from", "start", default=None, help="Only incidents on or after this date.")
@click.option("--to", "end", default=None, help="Only incidents on or before this date.")
@click.option(
    "--profile",
    default="least_time",
    show_default=True,
    help="Routing cost profile (see 'salw-routes routes --help').",
)
@click.option(
    "--share-safe",
    is_flag=True,
    help="Sharing-safe outputs: generalised points, pseudonymised ids, no free "
    "text, small counts suppressed, every file checked for input data.",
)
@click.option(
    "--generalise",
    "method",
    type=click.Choice(["grid", "settlement"]),
    default="grid",
    show_default=True,
    help="--share-safe: snap points to a grid cell centre or the nearest settlement.",
)
@click.option(
    "--grid-km",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="--share-safe: grid cell size in km (EPSG:3035).",
)
@click.option(
    "--min-count",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="--share-safe: counts below this are shown as '<N'.",
)
@click.option(
    "--salt-env",
    default="SALW_ROUTES_SALT",
    show_default=True,
    help="--share-safe: environment variable holding a secret salt for the id "
    "pseudonyms (same salt = same pseudonyms across runs). Unset: a random "
    "salt per run, never stored.",
)
@click.option(
    "--share-safe-map",
    is_flag=True,
    help="--share-safe: include the interactive map anyway (generalised points, pseudonyms; "
    "its filters can show counts below --min-count).",
)
@click.option("--no-interactive", is_flag=True, help="Leave the interactive map out.")
def command(
    incidents: Path,
    mapping: Path | None,
    out: Path,
    title: str | None,
    marking: str | None,
    start: str | None,
    end: str | None,
    profile: str,
    share_safe: bool,
    method: str,
    grid_km: float,
    min_count: int,
    salt_env: str,
    share_safe_map: bool,
    no_interactive: bool,
) -> None:
    """Write the threat-assessment annex for INCIDENTS into the folder --out.

    OUT/annex.html is one offline page with the interactive map, the figures and the tables;
    every figure (PNG 300 dpi, SVG, PDF), table (CSV, Markdown, Excel), the GeoPackage of route
    frequencies and an <iframe> fragment per map are separate files beside it.

    Exit status: 0 when every row was accepted, 1 when some rows were rejected (the report is
    still written from the others), 2 on bad input or options.
    """
    from routes._errors import ValidationError

    options: dict[str, Any] = {
        "marking": marking,
        "start": start,
        "end": end,
        "profile": profile,
        "share_safe": share_safe,
        "interactive": not no_interactive,
    }
    if title:
        options["title"] = title
    if share_safe:
        options.update(
            method=method,
            grid_km=grid_km,
            min_count=min_count,
            share_safe_map=share_safe_map,
            salt=os.environ.get(salt_env) or None,
        )
    try:
        report, n_rejected = run_report(incidents, out, mapping=mapping, **options)
    except ValidationError as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(2) from exc
    except RuntimeError as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(2) from exc
    click.echo(
        f"wrote {report.annex} and {len(report.files) - 1} more file(s) in {report.out_dir}: "
        f"{report.incidents} incidents, {report.unrouted} without a route"
        + (
            "; sharing-safe (checked: no input id or coordinate in any file)"
            if report.share_safe
            else ""
        )
    )
    if n_rejected:
        raise SystemExit(1)
