"""Benchmark: `salw-routes routes` end to end on 1e4 ... 1e6 incidents, and a naive baseline.

Usage::

    .venv/bin/python bench/bench_routes.py [--sizes 10000 100000 200000 1000000]
        [--pairs 5000] [--naive-sample 500] [--keep DIR]

What it does
------------
1. Builds a seeded synthetic incident file per size (canonical columns, CSV) from the bundled
   gazetteer and crossings: ``--pairs`` distinct (origin, destination) pairs drawn from places of
   the six Western Balkan jurisdictions (origins: 160 places, the six country codes and 10 BCP
   ids; destinations: 160 places and 12 country codes such as DE, AT, NL, SE, IT, TR); every
   incident takes one pair, a seizure location out of 300 places (each pair has 2 possible ones),
   a date (2019-2025), a category, a quantity, an OCG flag, and in 30 % of the rows the pair's
   stated crossing. Generation is not timed.
2. End to end: runs ``python -m routes.cli routes FILE --out OUT.gpkg`` (default options:
   least_time, k = 3) in a subprocess per size, smallest first, measuring wall time and the
   peak resident memory of the child (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``: the
   maximum over the children run so far, which with ascending sizes is the current run's peak)
   and its CPU seconds (user + system, from the same call), plus the 1-minute load average
   before the run (other jobs share the 2 cores).
3. Routing only: a second fresh child process reads the same file with
   ``routes.read_incidents`` and loads the bundled network (neither timed), then times one
   ``routes.route_incidents(incidents, G)`` call with the defaults (wall and CPU seconds of the
   process). The call is cold: it builds the graph index, the CSR matrix, every Dijkstra tree
   and the k = 3 alternatives of every distinct waypoint sequence.
4. Naive baseline, in the same run and routing only as well: one ``networkx.shortest_path(G,
   o, d, weight="w")`` per incident, where ``G`` is the bundled network as a plain
   ``MultiDiGraph`` restricted to the edges the engine may use and ``w`` is the engine's own
   edge weight for the default profile (least_time: travel time, + 600 s entering an official
   crossing, rail excluded) - the same graph and the same cost. Origin -> destination only (no
   seizure waypoint, no alternatives: *less* work than the engine does). It is timed on a
   random sample of ``--naive-sample`` incidents of the first size; the time per incident is
   extrapolated linearly to each size (stated as such in the output). Waypoints are resolved
   to nodes beforehand and not timed, so the baseline is flattered, not the tool.

The ratios: *routing* = naive extrapolated / engine routing-only (like for like); *end to
end* = naive extrapolated / CLI wall time (the CLI also reads, validates, builds every layer
and writes the GeoPackage, which the naive figure does not include).

Prints a Markdown table; paste it into bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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
            "crossing": np.where(stated, pair_cross[p], np.array(None, dtype=object)),
            "modus_operandi": rng.choice(MODUS, size=n),
            "ocg_involved": rng.choice(["yes", "no", "unknown"], size=n),
            "migrants_involved": "no",
            "source": "benchmark (synthetic)",
            "verification": "confirmed",
            "notes": None,
        }
    )


SALW = (  # the console script (an older checkout, e.g. a --baseline, has only main)
    "import routes.cli as c; c.run() if hasattr(c, 'run') else c.main(prog_name='salw-routes')"
)


def run_cli(path: Path, out: Path) -> dict[str, Any]:
    cmd = [sys.executable, "-c", SALW, "routes", str(path), "--out", str(out), "--infer", "none"]
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


def route_only_child(path: Path) -> None:
    """In a fresh process: read (untimed), then time one cold route_incidents call."""
    import scipy.sparse.csgraph
    import scipy.spatial  # noqa: F401 - both imported before the clock (see below)

    import routes

    incidents = routes.read_incidents(path)
    graph = routes.load_network()
    # the package face is lazy: import the routing stage (and the scipy modules it uses)
    # before the clock starts, as the naive baseline's networkx is imported before its clock
    route_incidents = routes.route_incidents
    t0, c0 = time.perf_counter(), time.process_time()
    # like for like: the naive baseline routes the recorded waypoints only, so the engine does
    # not infer missing legs here (the library default is routes.DEFAULT_INFER = "priors")
    result = route_incidents(incidents, graph, infer="none")
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # the helper processes that shared the Dijkstra trees (routes.routing._dijkstra): their
    # CPU time counts too, once they have exited (this child started no other process)
    from routes.routing import _dijkstra

    _dijkstra._reap(wait=True)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    helper_cpu = kids.ru_utime + kids.ru_stime
    print(
        json.dumps(
            {
                "wall_s": wall,
                "cpu_s": cpu + helper_cpu,
                "cpu_self_s": cpu,
                "helper_cpu_s": helper_cpu,
                "peak_mb": peak_kb / 1024,
                "paths": len(result.path_info),
                "unrouted": len(result.unrouted),
            }
        )
    )


def run_route_only(path: Path) -> dict[str, float]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--route-only", str(path)]
    load = os.getloadavg()[0]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=REPO)
    if proc.returncode != 0:
        raise SystemExit(f"route-only child failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    out: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["load"] = load
    return out


def naive_per_incident(df: pd.DataFrame, sample: int) -> dict[str, float]:
    """Seconds per incident of the naive baseline (see the module docstring).

    Same graph and same cost as the engine's default profile: a plain MultiDiGraph of the edges
    the engine may use, with the engine's edge weight as attribute ``w``. Returns wall and CPU
    seconds per incident for one ``shortest_path`` origin -> destination (the issue's
    baseline) and, for reference, for one ``shortest_path`` per leg of the incident's waypoint
    sequence (origin -> stated crossing -> seizure point -> destination, no alternatives).
    """
    import networkx as nx

    import routes
    from routes.routing._index import graph_index
    from routes.routing._waypoints import WaypointResolver

    G = routes.load_network()  # noqa: N806
    ix = graph_index(G)
    engine = ix.engine(routes.get_profile("least_time"))
    res = WaypointResolver(ix)
    # a real graph, not a filtered view (a view is ~4x slower and would flatter the tool);
    # edge i of the index is the i-th edge of G.edges(keys=True)
    naive = nx.MultiDiGraph()
    naive.add_nodes_from(G.nodes)
    for i, (u, v, key) in enumerate(G.edges(keys=True)):
        if np.isfinite(engine.weight[i]):
            naive.add_edge(u, v, key, w=float(engine.weight[i]))
    rows = df.sample(min(sample, len(df)), random_state=SEED).reset_index(drop=True)
    seize, _ = res.seizure_nodes(
        rows["longitude"].to_numpy(dtype=float), rows["latitude"].to_numpy(dtype=float)
    )
    od_jobs, leg_jobs = [], []
    for i, (o, c, d) in enumerate(zip(rows.origin, rows.crossing, rows.destination, strict=True)):
        wo, wd = res.resolve(o), res.resolve(d)
        if not (wo.nodes and wd.nodes):
            continue
        od_jobs.append((ix.nodes[wo.nodes[0]], ix.nodes[wd.nodes[0]]))
        seq = [wo.nodes[0]]
        if isinstance(c, str) and c and res.resolve(c).nodes:
            seq.append(res.resolve(c).nodes[0])
        if seize[i] >= 0:
            seq.append(int(seize[i]))
        seq.append(wd.nodes[0])
        seq = [x for j, x in enumerate(seq) if j == 0 or x != seq[j - 1]]
        leg_jobs.append([(ix.nodes[a], ix.nodes[b]) for a, b in itertools.pairwise(seq)])

    def timed(jobs: list[list[tuple[Any, Any]]]) -> tuple[float, float]:
        t0, c0 = time.perf_counter(), time.process_time()
        for legs in jobs:
            for a, b in legs:
                with contextlib.suppress(nx.NetworkXNoPath, nx.NodeNotFound):
                    nx.shortest_path(naive, a, b, weight="w")
        n = max(len(jobs), 1)
        return (time.perf_counter() - t0) / n, (time.process_time() - c0) / n

    wall, cpu = timed([[job] for job in od_jobs])
    legs_wall, legs_cpu = timed(leg_jobs)
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "legs_wall_s": legs_wall,
        "legs_cpu_s": legs_cpu,
        "n": len(od_jobs),
        "legs_per_incident": sum(len(j) for j in leg_jobs) / max(len(leg_jobs), 1),
    }


def run_naive(path: Path, sample: int) -> dict[str, float]:
    """The naive baseline in a fresh child process (see :func:`naive_per_incident`)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--naive-only", str(path)]
    cmd += ["--naive-sample", str(sample)]
    load = os.getloadavg()[0]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=REPO)
    if proc.returncode != 0:
        raise SystemExit(f"naive child failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    out: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["load"] = load
    return out


def _med(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def measure_size(n: int, path: Path, work: Path, rounds: int, sample: int) -> dict[str, Any]:
    """One size: the CLI once, then ``rounds`` paired rounds of engine-only and naive children."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    distinct = int(df[["origin", "destination"]].drop_duplicates().shape[0])
    m = run_cli(path, work / f"flows_{n}.gpkg")
    engine, naive = [], []
    for r in range(rounds):  # interleaved, the order alternating
        if r % 2 == 0:
            engine.append(run_route_only(path))
            naive.append(run_naive(path, sample))
        else:
            naive.append(run_naive(path, sample))
            engine.append(run_route_only(path))
    ratios = [x["wall_s"] * n / e["wall_s"] for e, x in zip(engine, naive, strict=True)]
    ratios_cpu = [x["cpu_s"] * n / e["cpu_s"] for e, x in zip(engine, naive, strict=True)]
    ratios_legs = [x["legs_wall_s"] * n / e["wall_s"] for e, x in zip(engine, naive, strict=True)]
    return {
        "incidents": n,
        "od_pairs": distinct,
        "cli_wall_s": m["wall_s"],
        "cli_cpu_s": m["cpu_s"],
        "cli_load_1min": m["load"],
        "cli_peak_mb": m["peak_mb"],
        "route_wall_s": _med(engine, "wall_s"),
        "route_cpu_s": _med(engine, "cpu_s"),
        "route_helper_cpu_s": _med(engine, "helper_cpu_s"),
        "route_wall_all": [e["wall_s"] for e in engine],
        "route_paths": engine[0]["paths"],
        "naive_ms": _med(naive, "wall_s") * 1000,
        "naive_cpu_ms": _med(naive, "cpu_s") * 1000,
        "naive_legs_ms": _med(naive, "legs_wall_s") * 1000,
        "legs_per_incident": naive[0]["legs_per_incident"],
        "naive_extrapolated_wall_s": _med(naive, "wall_s") * n,
        "ratio_routing_wall": statistics.median(ratios),
        "ratio_routing_cpu": statistics.median(ratios_cpu),
        "ratio_routing_all": ratios,
        "ratio_end_to_end_wall": _med(naive, "wall_s") * n / m["wall_s"],
        "ratio_routing_wall_vs_naive_legs": statistics.median(ratios_legs),
        "loads": [m["load"]] + [x["load"] for x in engine + naive],
        "summary": m["summary"],
    }


def _print_table(rows: list[dict[str, Any]], rounds: int) -> None:
    print()
    print(
        f"| incidents | distinct OD pairs | distinct paths | CLI wall (s) | CLI CPU (s) | "
        f"peak RSS (MB) | routing wall (s), median of {rounds} | routing CPU (s), helpers "
        "included | naive "
        "ms per incident (median) | naive routing, extrapolated (s) | ratio routing, paired "
        "median (wall / CPU) | ratio end to end (wall) | ratio vs naive per leg (wall) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['incidents']:,} | {r['od_pairs']:,} | {r['route_paths']:,} | "
            f"{r['cli_wall_s']:.1f} | {r['cli_cpu_s']:.1f} | {r['cli_peak_mb']:,.0f} | "
            f"{r['route_wall_s']:.2f} | {r['route_cpu_s']:.2f} | {r['naive_ms']:.2f} | "
            f"{r['naive_extrapolated_wall_s']:,.0f} | {r['ratio_routing_wall']:.1f}x / "
            f"{r['ratio_routing_cpu']:.1f}x | {r['ratio_end_to_end_wall']:.1f}x | "
            f"{r['ratio_routing_wall_vs_naive_legs']:.0f}x |"
        )
    print()
    for r in rows:
        print(
            f"{r['incidents']:,}: routing wall per round "
            + ", ".join(f"{x:.2f}" for x in r["route_wall_all"])
            + " s; ratios per round "
            + ", ".join(f"{x:.1f}x" for x in r["ratio_routing_all"])
            + "; load average (1 min) before the runs "
            + f"{min(r['loads']):.1f}-{max(r['loads']):.1f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--pairs", type=int, default=5000)
    ap.add_argument("--naive-sample", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--keep", type=Path, default=None, help="Keep generated files here.")
    ap.add_argument("--route-only", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--naive-only", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.route_only is not None:  # the routing-only child process
        route_only_child(args.route_only)
        return
    if args.naive_only is not None:  # the naive-baseline child process
        frame = pd.read_csv(args.naive_only, dtype=str, keep_default_na=False)
        frame["latitude"] = frame["latitude"].astype(float)
        frame["longitude"] = frame["longitude"].astype(float)
        print(json.dumps(naive_per_incident(frame, args.naive_sample)))
        return

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_routes_"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    rows = []
    for n in sorted(args.sizes):
        path = work / f"incidents_{n}.csv"
        make_incidents(n, args.pairs).to_csv(path, index=False)
        rows.append(measure_size(n, path, work, args.rounds, args.naive_sample))
        print(json.dumps(rows[-1]), flush=True)
        if args.keep is None:
            path.unlink()
    r0 = rows[0]
    print()
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; naive baseline (networkx.shortest_path on the same graph "
        f"with the engine's least_time weight, origin -> destination only, "
        f"{args.naive_sample} sampled incidents per run, extrapolated linearly): "
        f"{r0['naive_ms']:.2f} ms wall / {r0['naive_cpu_ms']:.2f} ms CPU per incident at "
        f"{r0['incidents']:,}; one shortest_path per leg ({r0['legs_per_incident']:.2f} legs "
        f"per incident): {r0['naive_legs_ms']:.2f} ms."
    )
    _print_table(rows, args.rounds)


if __name__ == "__main__":
    main()
