"""The ``salw-routes routes`` command: incidents -> routes -> flow layers (GeoPackage etc.).

A thin shell over :func:`routes.read_incidents`, :func:`routes.route_incidents`,
:func:`routes.edge_flows`, :func:`routes.crossing_flows` and :func:`routes.chokepoints`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["build_layers", "command", "write_csv", "write_layers"]

FORMATS = ("gpkg", "geojson", "csv")
_GEOM_TYPES = {
    "route_edges": "LineString",
    "crossing_flows": "Point",
    "chokepoints": "Point",
    "corridor_flows": "MultiLineString",
    "routes": "LineString",
}
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


def _atomic_path(target: Path) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    os.unlink(tmp)  # GDAL wants to create the file itself
    return Path(tmp)


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


def write_layers(layers: dict[str, Any], out: Path, fmt: str) -> list[Path]:
    """Write named (Geo)DataFrames atomically; return the files written.

    ``gpkg``: one GeoPackage with one layer per name (tables without geometry as attribute
    tables). ``geojson`` / ``csv``: one file per layer, ``<stem>.<layer>.<ext>`` beside ``out``
    (CSV geometry as WKT; GeoJSON only for layers with geometry, the others as CSV).
    """
    import geopandas as gpd
    import pyogrio

    out.parent.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if fmt == "gpkg":
        tmp = _atomic_path(out)
        try:
            for name, df in layers.items():
                kw: dict[str, Any] = {}
                if isinstance(df, gpd.GeoDataFrame) and len(df) == 0 and name in _GEOM_TYPES:
                    kw["geometry_type"] = _GEOM_TYPES[name]  # an empty layer keeps its type
                pyogrio.write_dataframe(
                    _clean(df), tmp, layer=name, driver="GPKG", append=False, **kw
                )
            os.replace(tmp, out)
        finally:
            if tmp.exists():
                tmp.unlink()
        return [out]
    for name, df in layers.items():
        spatial = isinstance(df, gpd.GeoDataFrame)
        ext = "geojson" if fmt == "geojson" and spatial else "csv"
        target = out.parent / f"{out.stem}.{name}.{ext}"
        tmp = _atomic_path(target)
        try:
            if ext == "geojson":
                pyogrio.write_dataframe(_clean(df), tmp, driver="GeoJSON")
            else:
                table = _clean(df)
                if spatial:
                    table = table.to_wkt()
                table.to_csv(tmp, index=False)
            os.replace(tmp, target)
        finally:
            if tmp.exists():
                tmp.unlink()
        written.append(target)
    return written


def write_csv(df: Any, target: Path) -> Path:
    """Write one table as CSV atomically (temp file in the same folder, then os.replace)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _atomic_path(target)
    try:
        _clean(df).to_csv(tmp, index=False)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


def build_layers(result: Any, *, top: int | None = 50, paths: bool = False) -> dict[str, Any]:
    """The output layers of a route result (see the README section 'routing')."""
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
    return layers


class _Unreadable(click.ClickException):
    """The incident file cannot be read at all (exit status 2, as ``validate``)."""

    exit_code = 2


def _echo(msg: str) -> None:
    click.echo(msg, err=True)


@click.command(name="routes")
@click.argument("incidents", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    "-m",
    default=None,
    help="Column mapping: a TOML file or a bundled mapping name (iom_mmp, policija_bcs).",
)
@click.option("--sheet", default=None, help="XLSX sheet name or 0-based index.")
@click.option("--layer", default=None, help="GeoPackage layer name of the incidents.")
@click.option(
    "--profile",
    default="least_time",
    show_default=True,
    help="Cost profile: least_distance, least_time, avoid_official_crossings, "
    "prefer_green_border, avoid_motorways.",
)
@click.option("--from", "date_from", default=None, help="Keep incidents on/after this date.")
@click.option("--to", "date_to", default=None, help="Keep incidents on/before this date.")
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
    help="A network file (OSMnx GraphML / GeoPackage); bundled if absent.",
)
@click.option(
    "--top", type=int, default=50, show_default=True, help="Rows of the chokepoints layer."
)
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
@click.option(
    "--rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write rejected input rows (default OUT-stem.rejected.csv).",
)
@click.option(
    "--paths/--no-paths",
    default=False,
    show_default=True,
    help="Also write layer 'routes': one LineString per distinct path with its flow "
    "(large for big files).",
)
@click.option("--progress/--no-progress", default=False, help="Progress bars.")
def command(
    incidents: Path,
    mapping: str | None,
    sheet: str | None,
    layer: str | None,
    profile: str,
    date_from: str | None,
    date_to: str | None,
    k: int,
    theta: float | None,
    network_path: Path | None,
    top: int,
    out: Path,
    fmt: str | None,
    rejects: Path | None,
    paths: bool,
    progress: bool,
) -> None:
    """Route every incident of INCIDENTS on the network and write flow layers.

    Layers: route_edges (LineStrings: incidents, quantity per edge), crossing_flows (Points:
    crossing_id, incidents, quantity), chokepoints (ranked flow betweenness), corridor_flows,
    pair_flows, with --paths also routes (distinct paths with their flow), plus the tables
    unrouted and rejected.
    Rejected input rows are listed on stderr and written to --rejects; unrouted incidents are
    written with the reason. Outputs are written atomically.
    """
    import pandas as pd

    import routes
    from routes._errors import ValidationError

    t0 = time.perf_counter()
    fmt = _format_of(out, fmt)
    from routes._routing_core import _check_options
    from routes._routing_flows import _timestamp

    try:  # check every option before reading or writing anything
        prof = routes.get_profile(profile)
        _check_options(k, routes.DEFAULT_THETA if theta is None else theta, 1.5)
        t_from = _timestamp(date_from, "--from")
        t_to = _timestamp(date_to, "--to")
    except ValidationError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        read = routes.read_incidents(
            incidents, mapping=mapping, strict=False, sheet=sheet, layer=layer, progress=progress
        )
    except ValidationError as exc:
        raise _Unreadable(str(exc)) from exc
    accepted = read.accepted
    rejected: pd.DataFrame = read.rejected
    n_read = int(read.rows_read)
    _echo(
        f"{incidents}: {n_read} rows read, {len(accepted)} accepted, "
        f"{n_read - len(accepted)} rejected"
    )
    reject_path = rejects or out.parent / f"{out.stem}.rejected.csv"
    if len(rejected):
        problems = read.problems()  # the same lines as `salw-routes validate`
        _echo(f"problems (first {min(len(problems), 20)} of {len(problems):,}):")
        for problem in problems[:20]:
            _echo(f"  - {problem}")
        write_csv(rejected, reject_path)
        _echo(f"  rejected rows written to {reject_path}")

    # time window
    if t_from is not None or t_to is not None:
        d = pd.to_datetime(accepted["date"], errors="coerce")
        keep = d.notna()
        if t_from is not None:
            keep &= d >= t_from
        if t_to is not None:
            keep &= d < t_to.normalize() + pd.Timedelta(days=1)
        _echo(
            f"time window {date_from or '...'} to {date_to or '...'}: {int(keep.sum())} incidents "
            f"kept, {int((~keep).sum())} outside the window (or undated) not counted"
        )
        accepted = accepted[keep.to_numpy()]

    try:
        graph = routes.load_network(path=network_path) if network_path else routes.load_network()
        kwargs: dict[str, Any] = {"profile": prof, "k": k, "progress": progress}
        if theta is not None:
            kwargs["theta"] = theta
        result = routes.route_incidents(accepted, graph, **kwargs)
        layers = build_layers(result, top=top, paths=paths)
    except ValidationError as exc:
        raise click.ClickException(str(exc)) from exc
    unrouted = result.unrouted
    if len(unrouted):
        _echo(f"{len(unrouted)} incident(s) could not be routed (layer 'unrouted'), by reason:")
        for reason, count in unrouted["reason"].value_counts().head(8).items():
            _echo(f"  {count:,} x {reason}")
        for row in unrouted.head(5).itertuples(index=False):
            _echo(f"  e.g. row {row.source_row} ({row.incident_id}): {row.reason}")
    layers["unrouted"] = unrouted
    layers["rejected"] = rejected if len(rejected) else _empty_rejects()
    written = write_layers(layers, out, fmt)
    n_routed = len(accepted) - len(unrouted)
    _echo(
        f"routed {n_routed} of {len(accepted)} incidents over "
        f"{len(result.path_info)} distinct paths (profile {prof.name}, k={result.k}, "
        f"theta={result.theta:g}) in {time.perf_counter() - t0:.1f} s"
    )
    if "XK" in set(accepted.get("jurisdiction", pd.Series(dtype=object)).dropna()):
        _echo(routes.KOSOVO_FOOTNOTE)
    for p in written:
        click.echo(str(p))
    sys.stdout.flush()


def _empty_rejects() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        {c: pd.Series(dtype=str) for c in ("source_row", "incident_id", "reason", "message")}
    )
