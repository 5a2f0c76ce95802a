"""The ``salw-routes synth`` command: write a synthetic incident file."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import click

from routes.cli._common import iso_date

__all__ = ["command"]


@click.command(name="synth")
@click.option(
    "--rows",
    type=click.IntRange(min=0),
    default=None,
    help="Number of rows (default 2500; with --bad-rows: good rows before the bad ones, "
    "default 8).",
)
@click.option("--seed", type=int, default=20231, show_default=True, help="Random seed.")
@click.option(
    "--start",
    default="2019-01-01",
    show_default=True,
    metavar="DATE",
    callback=iso_date,
    help="First date (ISO, YYYY-MM-DD).",
)
@click.option(
    "--end",
    default="2025-12-31",
    show_default=True,
    metavar="DATE",
    callback=iso_date,
    help="Last date (ISO, YYYY-MM-DD).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Output file: .csv, .xlsx, .geojson, .gpkg or .parquet.",
)
@click.option(
    "--bad-rows",
    is_flag=True,
    help="Write the validation demo instead: good rows followed by one deliberately bad row "
    "per rejection rule (see data/README.md).",
)
def command(
    rows: int | None,
    seed: int,
    start: datetime.date,
    end: datetime.date,
    out: Path,
    bad_rows: bool,
) -> None:
    """Write SYNTHETIC incident records (clearly labelled, seeded, reproducible).

    The records are generated, not real: every id starts with SYN- and every source with
    SYNTHETIC. Example: salw-routes synth --rows 100000 --seed 7 --out bench/incidents.csv
    """
    from routes.synth.sample import synthesize_bad_rows, synthesize_incidents, write_incidents

    t0 = time.perf_counter()
    try:
        if bad_rows:
            frame = synthesize_bad_rows(good_rows=8 if rows is None else rows, seed=seed)
        else:
            frame = synthesize_incidents(
                2500 if rows is None else rows,
                seed=seed,
                start=start.isoformat(),
                end=end.isoformat(),
            )
        path = write_incidents(frame, out)
    except ValueError as exc:  # a bad option (suffix, dates, row count): exit status 2
        raise click.UsageError(str(exc)) from exc
    what = "validation-demo rows" if bad_rows else "synthetic incidents"
    click.echo(
        f"wrote {len(frame):,} {what} to {path} in {time.perf_counter() - t0:.1f} s "
        "(SYNTHETIC data, not real incidents)"
    )
