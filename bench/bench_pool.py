"""Benchmark: pooling two agencies' reads and finding the candidate double reports (issue 22).

For each size N (default 1e5 and 1e6 records in all), a fresh child process builds, with a
fixed seed, two sources' accepted reads of N/2 records each (points uniform over lon 13-24,
lat 39-47, dates over seven years, seven categories, quantities 1-10), of which 1 % of the
second source are planted double reports of the first (next day, 400 m north, same goods).
It then times

- ``pool_reads``: stacking the reads with pooled ids and provenance columns;
- ``duplicate_candidates``: the space-time cKDTree search and the goods tests (default rule:
  1,000 m, 2 days, quantity ratio 0.5);

and reports the peak memory of the two steps traced by :mod:`tracemalloc` (Python and NumPy
allocations, in a second pass so tracing does not slow the timed one) and the process's peak
resident memory (``ru_maxrss``, includes building the input).

Run: ``.venv/bin/python bench/bench_pool.py`` (``--sizes 1e5`` for a quick run).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["main", "make_reads", "measure"]

SEED = 20231
CATEGORIES = ["pistol", "automatic_rifle", "hand_grenade", "ammunition", "rifle", "shotgun",
              "explosives"]  # fmt: skip
NORTH_400_M = 400 / 111_320


def _frame(rng: np.random.Generator, n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "incident_id": np.char.zfill(np.arange(1, n + 1).astype(str), 7),
            "date": pd.Timestamp("2018-01-01")
            + pd.to_timedelta(rng.integers(0, 7 * 365, n), unit="D"),
            "category": rng.choice(CATEGORIES, n),
            "quantity": rng.integers(1, 11, n),
            "location_precision": "exact",
            "lon": rng.uniform(13, 24, n),
            "lat": rng.uniform(39, 47, n),
        }
    )


def make_reads(n: int, *, seed: int = SEED) -> tuple[dict[str, Any], set[tuple[str, str]]]:
    """Two sources' reads of ``n // 2`` records each; return them and the planted id pairs."""
    import geopandas as gpd

    from routes.incidents import IncidentReadResult

    rng = np.random.default_rng(seed)
    half = n // 2
    a, b = _frame(rng, half), _frame(rng, half)
    planted = half // 100
    pick = rng.choice(half, planted, replace=False)
    copy = a.iloc[pick].reset_index(drop=True)
    cols = ["date", "category", "quantity", "lon", "lat"]
    b.loc[: planted - 1, cols] = copy[cols].to_numpy()
    b.loc[: planted - 1, "date"] = copy["date"].to_numpy() + np.timedelta64(1, "D")
    b.loc[: planted - 1, "lat"] = copy["lat"].to_numpy() + NORTH_400_M
    reads = {}
    for name, frame in (("Border police", a), ("Customs", b)):
        geo = gpd.GeoDataFrame(
            frame.drop(columns=["lon", "lat"]),
            geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
            crs="EPSG:4326",
        )
        rejected = pd.DataFrame(
            {c: pd.Series(dtype=object) for c in
             ("source_row", "incident_id", "reason", "column", "value", "message")}
        )  # fmt: skip
        reads[name] = IncidentReadResult(geo, rejected, half, f"{name}.csv")
    pairs = {
        (f"border_police:{a.loc[i, 'incident_id']}", f"customs:{b.loc[j, 'incident_id']}")
        for j, i in enumerate(pick)
    }
    return reads, pairs


def measure(n: int) -> dict[str, Any]:
    """Build the input, time both steps, trace their memory; one JSON-ready dict."""
    from routes.incidents import duplicate_candidates, pool_reads

    reads, planted = make_reads(n)
    duplicate_candidates(pool_reads(make_reads(200, seed=1)[0]).accepted)  # imports, warm-up
    rss_input = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0, c0 = time.perf_counter(), time.process_time()
    pooled = pool_reads(reads)
    t1, c1 = time.perf_counter(), time.process_time()
    cands = duplicate_candidates(pooled.accepted)
    t2, c2 = time.perf_counter(), time.process_time()
    del pooled, cands
    tracemalloc.start()
    pooled = pool_reads(reads)
    _, peak_pool = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    cands = duplicate_candidates(pooled.accepted)
    _, peak_dup = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    found = len(planted & set(zip(cands["id_a"], cands["id_b"], strict=True)))
    return {
        "records": len(pooled.accepted),
        "pool_s": round(t1 - t0, 2),
        "pool_cpu_s": round(c1 - c0, 2),
        "candidates_s": round(t2 - t1, 2),
        "candidates_cpu_s": round(c2 - c1, 2),
        "pool_peak_mb": round(peak_pool / 2**20),
        "candidates_peak_mb": round(peak_dup / 2**20),
        "rss_input_mb": round(rss_input),
        "rss_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "candidates": len(cands),
        "planted": len(planted),
        "planted_found": found,
    }


def main(argv: list[str] | None = None) -> int:
    """Measure every size in a fresh child process and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e5,1e6", help="comma-separated record counts")
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(int(args.child))))
        return 0
    print(
        "| records | pool s (CPU) | candidates s (CPU) | pool peak MB (traced) | candidates "
        "peak MB (traced) | RSS peak MB (input) | candidates | planted found |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        out = subprocess.run(
            [sys.executable, __file__, "--child", size], capture_output=True, text=True, check=True
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"| {r['records']:,} | {r['pool_s']} ({r['pool_cpu_s']}) | {r['candidates_s']} "
            f"({r['candidates_cpu_s']}) | {r['pool_peak_mb']:,} "
            f"| {r['candidates_peak_mb']:,} | {r['rss_peak_mb']:,} ({r['rss_input_mb']:,}) "
            f"| {r['candidates']:,} | {r['planted_found']:,} of {r['planted']:,} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
