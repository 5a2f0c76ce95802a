"""Benchmark: `salw-routes routes` end to end on 1e4 ... 1e6 incidents, and a naive baseline.

Usage::

    .venv/bin/python bench/bench_routes.py [--sizes 10000 100000 200000 1000000]
        [--pairs 5000] [--naive-sample 300] [--keep DIR]

What it does
------------
1. Builds a seeded synthetic incident file per size (canonical columns, CSV) from the bundled
   gazetteer and crossings: ``--pairs`` distinct (origin, destination) pairs drawn from places of
   the six Western Balkan jurisdictions (origins: 160 places, the six country codes and 10 BCP
   ids; destinations: 160 places and 12 country codes such as DE, AT, NL, SE, IT, TR); every
   incident takes one pair, a seizure location out of 300 places (each pair has 2 possible ones),
   a date (2019-2025), a category, a quantity, an OCG flag, and in 30 % of the rows the pair's
   stated crossing. Generation is not timed.
2. Runs ``python -m routes.cli routes FILE --out OUT.gpkg`` (default options: least_time, k = 3)
   in a subprocess per size, smallest first, measuring wall time and the peak resident memory
   of the child (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``: the maximum over the
   children run so far, which with ascending sizes is the current run's peak) and its CPU
   seconds (user + system, from the same call), plus the 1-minute load average before the run
   (other jobs share the 2 cores).
3. Naive baseline, in the same run: one ``networkx.shortest_path(G, o, d, weight=
   "travel_time_s")`` per incident (origin -> destination only, no alternatives, so *less*
   work than the CLI does) on a random sample of ``--naive-sample`` incidents; the time per
   incident is extrapolated linearly to each size (stated as such in the output). Waypoints are
   resolved to nodes beforehand and not timed, so the baseline is flattered, not the tool.

Prints a Markdown table; paste it into bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
SEED = 20231
WB = ["AL", "BA", "XK", "ME", "MK", "RS"]
DEST_COUNTRIES = ["DE", "AT", "NL", "SE", "FR", "IT", "BE", "CH", "HR", "SI", "TR", "GR"]
CATEGORIES = ["pistol", "rifle", "automatic_rifle", "ammunition", "hand_grenade", "shotgun"]
MODUS = ["private_vehicle", "bus", "truck", "on_foot", "parcel_post", "unknown"]


def make_incidents(n: int, n_pairs: int, seed: int = SEED) -> pd.DataFrame:
    """A seeded synthetic incident table with at most ``n_pairs`` distinct OD pairs."""
    import routes

    rng = np.random.default_rng(seed)
    places = routes.load_gazetteer().places
    wb = places[places.jurisdiction.isin(WB)].sort_values("population", ascending=False)
    # unambiguous names only (an ambiguous origin would be unrouted, with its reason)
    gz = routes.load_gazetteer()

    def clean(name: str) -> bool:
        try:
            gz.lookup(name)
        except LookupError:
            return False
        return routes.country_code(name) is None

    wb = wb[~wb["name"].duplicated(keep=False)].head(800)
    wb = wb[[clean(x) for x in wb["name"]]]
    big = wb.head(400).reset_index(drop=True)
    crossings = routes.load_crossings()
    road = crossings[(crossings["mode"] == "road")]
    road = road[road.jurisdiction_a.isin(WB) & road.jurisdiction_b.isin(WB)]
    bcp = road.crossing_id.sort_values().head(10).tolist()
    origins = big["name"].head(160).tolist() + WB + bcp
    dests = big["name"].iloc[100:260].tolist() + DEST_COUNTRIES
    seize = big.sample(300, random_state=seed).reset_index(drop=True)
    all_pairs = np.array([(o, d) for o in origins for d in dests if o != d], dtype=object)
    pick = rng.choice(len(all_pairs), size=min(n_pairs, len(all_pairs)), replace=False)
    pairs = all_pairs[pick]
    pair_seize = rng.integers(0, len(seize), size=(len(pairs), 2))
    pair_cross = rng.choice(np.array(bcp, dtype=object), size=len(pairs))

    p = rng.integers(0, len(pairs), size=n)
    s = seize.iloc[pair_seize[p, rng.integers(0, 2, size=n)]].reset_index(drop=True)
    days = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 7 * 365, size=n), "D")
    stated = rng.random(n) < 0.3
    return pd.DataFrame(
        {
            "incident_id": [f"B-{i:07d}" for i in range(n)],
            "date": days.strftime("%Y-%m-%d"),
            "date_precision": "day",
            "jurisdiction": s["jurisdiction"].to_numpy(),
            "place": s["name"].to_numpy(),
            "latitude": s["latitude"].round(5).to_numpy(),
            "longitude": s["longitude"].round(5).to_numpy(),
            "location_precision": "settlement",
            "event": "seizure",
            "category": rng.choice(CATEGORIES, size=n),
            "quantity": rng.integers(1, 50, size=n),
            "origin": pairs[p, 0],
            "transit": None,
            "destination": pairs[p, 1],
            "crossing": np.where(stated, pair_cross[p], None),
            "modus_operandi": rng.choice(MODUS, size=n),
            "ocg_involved": rng.choice(["yes", "no", "unknown"], size=n),
            "migrants_involved": "no",
            "source": "benchmark (synthetic)",
            "verification": "confirmed",
            "notes": None,
        }
    )


def run_cli(path: Path, out: Path) -> dict[str, float]:
    cmd = [sys.executable, "-m", "routes.cli", "routes", str(path), "--out", str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=REPO)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):  # 1: some rows rejected, outputs still written
        raise SystemExit(f"CLI failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    tail = [ln for ln in proc.stderr.splitlines() if ln.startswith("routed ")]
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "load": load,
        "peak_mb": peak_kb / 1024,
        "summary": tail[-1] if tail else "",
    }


def naive_per_incident(df: pd.DataFrame, sample: int) -> tuple[float, int]:
    """Seconds per incident of one networkx.shortest_path origin -> destination."""
    import networkx as nx

    import routes
    from routes._routing_engine import graph_index
    from routes._routing_waypoints import WaypointResolver

    G = routes.load_network()  # noqa: N806
    ix = graph_index(G)
    res = WaypointResolver(ix)
    # the naive baseline travels on roads (and ferries) like the tool's default profile
    # (a real graph, not a filtered view, so that the baseline is not slowed by view overhead)
    road = nx.MultiDiGraph(
        G.edge_subgraph(
            [(u, v, k) for u, v, k, m in G.edges(keys=True, data="mode") if m != "rail"]
        )
    )
    rows = df.sample(sample, random_state=SEED)
    jobs = []
    for o, d in zip(rows.origin, rows.destination, strict=True):
        wo, wd = res.resolve(o), res.resolve(d)
        if wo.nodes and wd.nodes:
            jobs.append((ix.nodes[wo.nodes[0]], ix.nodes[wd.nodes[0]]))
    t0 = time.perf_counter()
    done = 0
    for a, b in jobs:
        with contextlib.suppress(nx.NetworkXNoPath, nx.NodeNotFound):
            nx.shortest_path(road, a, b, weight="travel_time_s")
        done += 1
    return (time.perf_counter() - t0) / max(done, 1), done


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 200_000, 1_000_000])
    ap.add_argument("--pairs", type=int, default=5000)
    ap.add_argument("--naive-sample", type=int, default=300)
    ap.add_argument("--keep", type=Path, default=None, help="Keep generated files here.")
    args = ap.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_routes_"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    naive_s = None
    for n in sorted(args.sizes):
        df = make_incidents(n, args.pairs)
        path = work / f"incidents_{n}.csv"
        df.to_csv(path, index=False)
        distinct = int(df[["origin", "destination"]].drop_duplicates().shape[0])
        if naive_s is None:
            naive_s, naive_n = naive_per_incident(df, args.naive_sample)
        m = run_cli(path, work / f"flows_{n}.gpkg")
        naive_total = naive_s * n
        rows.append(
            {
                "incidents": n,
                "od_pairs": distinct,
                "wall_s": m["wall_s"],
                "cpu_s": m["cpu_s"],
                "load_1min": m["load"],
                "peak_mb": m["peak_mb"],
                "naive_extrapolated_s": naive_total,
                "ratio": naive_total / m["wall_s"],
                "summary": m["summary"],
            }
        )
        print(json.dumps(rows[-1]), flush=True)
        if args.keep is None:
            path.unlink()
    print()
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; naive baseline {naive_s * 1000:.1f} ms per incident "
        f"(networkx.shortest_path, origin -> destination only, measured on {naive_n} sampled "
        "incidents, extrapolated linearly)."
    )
    print()
    print(
        "| incidents | distinct OD pairs | CLI wall (s) | CLI CPU (s) | load before | "
        "peak RSS (MB) | naive, extrapolated (s) | ratio (wall) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['incidents']:,} | {r['od_pairs']:,} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | "
            f"{r['load_1min']:.1f} | {r['peak_mb']:.0f} | {r['naive_extrapolated_s']:,.0f} | "
            f"{r['ratio']:.0f}x |"
        )


if __name__ == "__main__":
    main()
