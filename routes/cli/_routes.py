"""The ``salw-routes routes`` command: incidents -> routes -> flow layers (GeoPackage etc.).

A thin shell over :func:`routes.read_incidents`, :func:`routes.route_incidents`,
:func:`routes.edge_flows`, :func:`routes.crossing_flows` and :func:`routes.chokepoints`.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from routes._io import atomic_path
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

    import pandas as pd

    from routes.incidents import ColumnMapping

__all__ = ["build_layers", "command", "write_csv", "write_layers"]

FORMATS = ("gpkg", "geojson", "csv")
_GEOM_TYPES = {
    "route_edges": "LineString",
    "crossing_flows": "Point",
    "chokepoints": "Point",
    "corridor_flows": "MultiLineString",
    "routes": "LineString",
}
_NOT_FLOWS = ("unrouted", "rejected")  # tables of rows, not of route frequency
_EXT = {".gpkg": "gpkg", ".geojson": "geojson", ".json": "geojson", ".csv": "csv"}


def _format_of(out: Path, fmt: str | None) -> str:
    if fmt:
        return fmt
    f = _EXT.get(out.suffix.lower())
    if f is None:
        raise click.BadParameter(
            f"cannot tell the format from {out.name!r}; end it in .gpkg, .geojson or .csv, or "
            "pass --format gpkg|geojson|csv",
            param_hint="--out",
        )
    return f


def _clean(df: Any) -> Any:
    """Make columns writable by GDAL: object columns of mixed/odd types -> str."""
    import numpy as np
    import pandas as pd

    out = df.copy()
    geom_name = getattr(out, "_geometry_column_name", None)
    for col in out.columns:
        if col == geom_name:
            continue
        s = out[col]
        if s.dtype == object:
            vals = s.dropna()
            if len(vals) and not all(isinstance(v, str) for v in vals):
                if all(isinstance(v, (bool, np.bool_)) for v in vals):
                    out[col] = s.astype("boolean")
                else:
                    out[col] = s.map(lambda v: None if v is None or v != v else str(v))
        elif isinstance(s.dtype, pd.DatetimeTZDtype):
            out[col] = s.dt.tz_localize(None)
    return out


def write_layers(
    layers: dict[str, Any], out: Path, fmt: str, *, description: str | None = None
) -> list[Path]:
    """Write named (Geo)DataFrames atomically; return the files written.

    ``gpkg``: one GeoPackage with one layer per name (tables without geometry as attribute
    tables); ``description`` (e.g. the evidence mix of the flows) goes into the description
    (``gpkg_contents.description``) of each layer but ``unrouted`` and ``rejected``.
    ``geojson`` / ``csv``: one file per layer, ``<stem>.<layer>.<ext>`` beside ``out`` (CSV
    geometry as WKT; GeoJSON only for layers with geometry, the others as CSV).
    """
    import geopandas as gpd
    import pyogrio

    written: list[Path] = []
    if fmt == "gpkg":
        with atomic_path(out) as tmp:  # GDAL creates the file itself
            for name, df in layers.items():
                kw: dict[str, Any] = {}
                if description and name not in _NOT_FLOWS:
                    kw["layer_options"] = {"DESCRIPTION": description}
                if isinstance(df, gpd.GeoDataFrame) and len(df) == 0 and name in _GEOM_TYPES:
                    kw["geometry_type"] = _GEOM_TYPES[name]  # an empty layer keeps its type
                pyogrio.write_dataframe(
                    _clean(df), tmp, layer=name, driver="GPKG", append=False, **kw
                )
        return [out]
    for name, df in layers.items():
        spatial = isinstance(df, gpd.GeoDataFrame)
        ext = "geojson" if fmt == "geojson" and spatial else "csv"
        target = out.parent / f"{out.stem}.{name}.{ext}"
        if ext == "geojson":
            with atomic_path(target) as tmp:
                pyogrio.write_dataframe(_clean(df), tmp, driver="GeoJSON")
        else:
            write_csv(df.to_wkt() if spatial else df, target)
        written.append(target)
    return written


def write_csv(df: Any, target: Path) -> Path:
    """Write one table as CSV atomically (temp file in the same folder, then os.replace)."""
    with atomic_path(target) as tmp:
        _clean(df).to_csv(tmp, index=False)
    return target


def build_layers(result: Any, *, top: int | None = 50, paths: bool = False) -> dict[str, Any]:
    """The output layers of a route result (see docs/routing.md).

    A result with inferred legs adds ``inferred_differences`` (flows per crossing from the
    records alone next to those with the inferred legs) and ``inferred_candidates``.
    """
    import routes

    layers = {
        "route_edges": routes.edge_flows(result),
        "crossing_flows": routes.crossing_flows(result),
        "chokepoints": routes.chokepoints(result, top=top),
        "corridor_flows": routes.corridor_flows(result),
        "pair_flows": routes.pair_flows(result),
    }
    if paths:
        layers["routes"] = routes.path_flows(result)
    if result.options.get("infer", "none") != "none":
        layers["inferred_differences"] = routes.compare_inferred(result)
        layers["inferred_candidates"] = result.candidates
    return layers


@click.command(name="routes")
@incidents_input
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Output: OUT.gpkg (layers), OUT.geojson or OUT.csv (one file per layer).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format (default: from the --out extension).",
)
@date_window
@profile_option
@click.option(
    "--k",
    "k",
    type=int,
    default=3,
    show_default=True,
    help="Routes per incident (best + alternatives through other crossings).",
)
@click.option(
    "--theta",
    type=float,
    default=None,
    help="Logit spread on relative cost (default routes.DEFAULT_THETA).",
)
@click.option(
    "--network",
    "network_path",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="A network file (GraphML of OSMnx 1.x/2.x under any extension, GML with node x/y, "
    "GeoPackage of lines); bundled if absent.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Rows of the chokepoints layer.",
)
@rejects_option("OUT-stem.rejected.csv beside --out")
@click.option(
    "--paths/--no-paths",
    default=False,
    show_default=True,
    help="Also write layer 'routes': one LineString per distinct path with its flow "
    "(large for big files).",
)
@infer_option
@priors_option
@progress_option
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
    fmt: str | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    profile: str,
    k: int,
    theta: float | None,
    network_path: Path | None,
    top: int,
    rejects: Path | None,
    paths: bool,
    infer: str,
    priors: str | None,
    progress: bool | None,
    as_json: bool,
) -> None:
    """Route every incident of INCIDENTS on the network and write flow layers.

    Layers: route_edges (LineStrings: incidents, quantity per edge), crossing_flows (Points:
    crossing_id, incidents, quantity), chokepoints (ranked flow betweenness), corridor_flows,
    pair_flows, with --paths also routes (distinct paths with their flow), plus the tables
    unrouted and rejected; with --infer recorded|priors also inferred_differences and
    inferred_candidates. Outputs are written atomically. The incidents without a route are
    counted per reason on stderr (and in --json).

    Exit status 0: every row routed or reported as unrouted; 1: some rows rejected (listed on
    stderr, written to --rejects); 2: unreadable file, bad option or nothing to route.
    """
    import pandas as pd

    import routes
    from routes._errors import ValidationError
    from routes.routing import check_routing_options

    t0 = time.perf_counter()
    fmt = _format_of(out, fmt)
    infer, route_priors, priors_note = load_priors(priors, infer)
    progress = resolve_progress(incidents, progress)
    try:  # check every option before reading or writing anything
        check_routing_options(k=k, theta=routes.DEFAULT_THETA if theta is None else theta)
    except ValidationError as exc:
        raise click.UsageError(str(exc)) from exc
    read = read_for_command(
        incidents,
        mapping=mapping,
        sheet=sheet,
        layer=layer,
        progress=progress,
        rejects=rejects or beside(out, "rejected.csv"),
    )
    accepted = filter_window(read.accepted, date_from, date_to)
    rejected = read.result.rejected
    with processing_errors():
        graph = routes.load_network(path=network_path) if network_path else routes.load_network()
        kwargs: dict[str, Any] = {
            "profile": profile,
            "k": k,
            "progress": progress,
            "infer": infer,
            "priors": route_priors,
            "gazetteer": read.gazetteer,
        }
        if theta is not None:
            kwargs["theta"] = theta
        result = routes.route_incidents(accepted, graph, **kwargs)
        layers = build_layers(result, top=top, paths=paths)
    unrouted = result.unrouted
    by_reason = report_unrouted(unrouted, layer="unrouted")
    layers["unrouted"] = unrouted
    layers["rejected"] = rejected if len(rejected) else _empty_rejects()
    if priors_note:
        _echo(priors_note)
    evidence = echo_evidence(result)
    written = write_layers(layers, out, fmt, description=evidence["text"])
    n_routed = len(accepted) - len(unrouted)
    _echo(
        f"routed {n_routed} of {len(accepted)} incidents over "
        f"{len(result.path_info)} distinct paths (profile {profile}, k={result.k}, "
        f"theta={result.theta:g}) in {time.perf_counter() - t0:.1f} s"
    )
    _echo_inference(result, infer)
    if "XK" in set(accepted.get("jurisdiction", pd.Series(dtype=object)).dropna()):
        _echo(routes.KOSOVO_FOOTNOTE)
    if as_json:
        doc = {
            "file": str(incidents),
            "rows_read": read.result.rows_read,
            "accepted": len(read.accepted),
            "rejected": read.result.rows_rejected,
            "routed": n_routed,
            "unrouted": len(unrouted),
            "unrouted_by_reason": by_reason,
            "evidence": evidence,
            "written": [str(p) for p in written],
            "exit_code": read.exit_code,
            **assessment_json(read.assessment),
        }
        click.echo(json.dumps(doc, ensure_ascii=False))
    else:
        for p in written:
            click.echo(str(p))
    sys.stdout.flush()
    ctx.exit(read.exit_code)


def _echo(msg: str) -> None:
    click.echo(msg, err=True)


def _echo_inference(result: Any, infer: str) -> None:
    """How many incidents were routed on inferred legs, or how many could be with --infer."""
    if infer != "none":
        a = result.assignments
        n_inf = a.loc[a["inferred"], "incident"].nunique()
        _echo(
            f"{n_inf} of them on inferred legs (--infer {infer}; column 'inferred', layer "
            "'inferred_differences'; flows from the records alone: inferred=False)"
        )
        return
    thin = result.unrouted["reason"].str.startswith("only one waypoint").sum()
    if thin:
        _echo(
            f"{thin} incident(s) give one waypoint only; --infer priors infers their legs "
            "from the recorded routes and the regional corridors (flagged 'inferred')"
        )


def _empty_rejects() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        {c: pd.Series(dtype=str) for c in ("source_row", "incident_id", "reason", "message")}
    )
