"""The ``salw-routes report`` command: incidents -> the threat-assessment annex in a folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from routes.cli._common import (
    UnusableInput,
    date_window,
    echo_evidence_doc,
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
    resolve_progress,
)

if TYPE_CHECKING:
    import datetime as dt

    from routes.incidents import ColumnMapping
    from routes.incidents.read import IncidentReadResult

__all__ = ["command"]


def _rejected_note(
    result: IncidentReadResult, rejects: Path | None, out: Path, *, share_safe: bool
) -> str | None:
    """The annex note on rows the reader rejected (None when there were none).

    Only counts and reasons; the file is named only when it lies in the report folder (in
    sharing-safe mode it never does).
    """
    n = result.rows_rejected
    if not n:
        return None
    by_reason = result.summary()["rejected_rows_by_reason"]
    reasons = ", ".join(f"{count:,} × {reason}" for reason, count in by_reason.items())
    note = (
        f"Input check: {result.rows_read:,} rows read, {len(result.accepted):,} accepted, "
        f"{n:,} rejected (rows by reason: {reasons}); rejected rows are in no map, figure or "
        "table of this annex"
    )
    # a --rejects file outside the report folder is not linked from the annex
    if not share_safe and rejects is not None and rejects.resolve().is_relative_to(out.resolve()):
        note += f"; they are listed in {rejects.resolve().relative_to(out.resolve())}"
    return note + "."


def _default_rejects(out: Path, rejects: Path | None, salt_env: str, *, share_safe: bool) -> Path:
    """Where the rejected rows go by default; the sharing-safe checks made before any step."""
    if share_safe:  # rejected rows carry input ids and coordinates: never in the shared folder
        if rejects is not None and rejects.resolve().is_relative_to(out.resolve()):
            raise click.BadParameter(
                f"{str(rejects)!r} is inside the sharing-safe folder {str(out)!r}; write the "
                "rejected rows outside it",
                param_hint="'--rejects'",
            )
        secret = os.environ.get(salt_env) or ""
        if secret and len(secret) < 8:  # checked before the slow steps; the value is not shown
            raise click.BadParameter(
                f"the environment variable {salt_env} holds a salt of {len(secret)} "
                "character(s); the pseudonyms need a secret of at least 8 (a long random one), "
                f"or unset {salt_env} for a random salt per run",
                param_hint="'--salt-env'",
            )
        return out.parent / f"{out.name}.rejected.csv"
    return out / "rejected_rows.csv"


@click.command(name="report")
@incidents_input
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Report folder (created). annex.html is the page to open.",
)
@date_window
@profile_option
@click.option("--title", default=None, help="Annex title.")
@click.option(
    "--marking",
    default=None,
    help="Handling marking printed on every page, figure and sheet, e.g. RESTRICTED.",
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
@click.option(
    "--questionnaire",
    "questionnaire",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A questionnaire file (CSV or XLSX, see 'salw-routes questionnaire'): adds the "
    "chapter 'Questionnaire statistics' to the annex.",
)
@click.option(
    "--questionnaire-mapping",
    "questionnaire_mapping",
    default=None,
    metavar="MAPPING",
    help="Read --questionnaire through this questionnaire mapping (a bundled name such as "
    "'unodc_iafq' or a TOML file; see 'salw-routes questionnaire -m').",
)
@rejects_option(
    "OUT/rejected_rows.csv; with --share-safe OUT.rejected.csv beside the folder, never in it"
)
@infer_option
@priors_option
@progress_option
@json_option
@click.pass_context
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
    share_safe: bool,
    method: str,
    grid_km: float,
    min_count: int,
    salt_env: str,
    share_safe_map: bool,
    no_interactive: bool,
    questionnaire: Path | None,
    questionnaire_mapping: str | None,
    rejects: Path | None,
    infer: str,
    priors: str | None,
    progress: bool | None,
    as_json: bool,
) -> None:
    """Write the threat-assessment annex for INCIDENTS into the folder --out.

    OUT/annex.html is one offline page with the interactive map, the figures and the tables;
    every figure (PNG 300 dpi, SVG, PDF), table (CSV, Markdown, Excel), the GeoPackage of route
    frequencies and an <iframe> fragment per map are separate files beside it.

    Exit status: 0 when every row was accepted, 1 when some rows were rejected (the report is
    still written from the others; the rejected rows go to --rejects), 2 on an unreadable file,
    bad options or nothing to report.
    """
    import json

    import routes

    if questionnaire_mapping is not None and questionnaire is None:
        raise click.UsageError("--questionnaire-mapping reads --questionnaire FILE: give both")
    if priors is None:  # write_report: the questionnaire's reported routes, else bundled
        route_priors: Any = None
    else:
        infer, route_priors, priors_note = load_priors(priors, infer)
        route_priors = "none" if priors.strip().lower() == "none" else route_priors
        if priors_note:
            click.echo(priors_note, err=True)
    default_rejects = _default_rejects(out, rejects, salt_env, share_safe=share_safe)
    questionnaire_read = None
    if questionnaire is not None and questionnaire_mapping is not None:
        from routes.questionnaire import read_questionnaire

        with processing_errors():  # a bad mapping or file: exit 2 before the slow steps
            questionnaire_read = read_questionnaire(questionnaire, mapping=questionnaire_mapping)
    progress = resolve_progress(incidents, progress)
    read = read_for_command(
        incidents,
        mapping=mapping,
        sheet=sheet,
        layer=layer,
        progress=progress,
        rejects=rejects or default_rejects,
    )
    options: dict[str, Any] = {
        "marking": marking,
        "start": None if date_from is None else date_from.isoformat(),
        "end": None if date_to is None else date_to.isoformat(),
        "profile": profile,
        "share_safe": share_safe,
        "interactive": not no_interactive,
        "progress": progress,
        "infer": infer,
        "priors": route_priors,
        "provenance": read.assessment,
    }
    if read.gazetteer is not None:
        options["gazetteer"] = read.gazetteer
    if title:
        options["title"] = title
    if questionnaire is not None:
        options["questionnaire"] = questionnaire_read or questionnaire
    rejected_note = _rejected_note(read.result, read.rejects_file, out, share_safe=share_safe)
    if rejected_note:
        options["extra_notes"] = [rejected_note]
    if share_safe:
        options.update(
            method=method,
            grid_km=grid_km,
            min_count=min_count,
            share_safe_map=share_safe_map,
            salt=os.environ.get(salt_env) or None,
        )
    with processing_errors():
        try:
            report = routes.write_report(
                read.accepted,
                out,
                input_name=None if share_safe else incidents.name,
                **options,
            )
        except RuntimeError as exc:  # the sharing-safe check found input data in an output
            raise UnusableInput(str(exc)) from exc
    if report.evidence:
        priors_lines = tuple(n for n in report.notes if n.startswith("Priors:"))[:1]
        echo_evidence_doc(report.evidence, priors_lines)
    line = (
        f"wrote {report.annex} and {len(report.files) - 1} more file(s) in {report.out_dir}: "
        f"{report.incidents} incidents, {report.unrouted} without a route"
        + (
            "; sharing-safe (checked: no input id or coordinate in any file)"
            if report.share_safe
            else ""
        )
    )
    if as_json:
        click.echo(line, err=True)
        doc = {
            "file": None if share_safe else str(incidents),
            "rows_read": read.result.rows_read,
            "accepted": len(read.accepted),
            "rejected": read.result.rows_rejected,
            "incidents": report.incidents,
            "unrouted": report.unrouted,
            "evidence": report.evidence,
            "annex": str(report.annex),
            "written": sorted(str(p) for p in report.files.values()),
            "exit_code": read.exit_code,
        }
        click.echo(json.dumps(doc, ensure_ascii=False))
    else:
        click.echo(line)
    ctx.exit(read.exit_code)
