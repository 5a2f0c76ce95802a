"""Benchmark: the inference of missing legs - calibration, coverage and routing time.

Usage::

    .venv/bin/python bench/bench_inference.py [--seeds 0 1 2 3 4] [--repeat 3]
        [--iom PATH] [--baseline PATH]

What it does
------------
1. Calibration (:func:`routes.inference_calibration`) on the bundled synthetic sample
   (``routes.synthetic_sample_path()``, 2,500 rows): the route fields of 20 % of the fully
   recorded incidents (origin and destination given, routed through the seizure place) are
   hidden, inferred again with ``infer="recorded"`` and ``infer="priors"``, and scored: top-1 /
   top-3 hit rate of the origin country and of the crossing. One draw per seed; the table shows
   the mean and the range over the seeds.
2. Coverage: share of the sample routed with ``infer="none" | "recorded" | "priors"`` and how
   many incidents are on inferred legs (flagged ``inferred``); the same for the IOM Missing
   Migrants Europe subset (``--iom``, read with the bundled mapping ``iom_mmp``) when the file
   exists.
3. Time: ``routes.route_incidents(sample, G, infer=...)`` in a fresh child process per mode
   (the network is loaded before the clock starts): the first call (cold: graph index, CSR
   matrix, Dijkstra trees) and a second call on the same graph (warm: trees cached), median of
   ``--repeat`` children. ``--baseline PATH`` times ``infer="none"`` with another checkout's
   package (e.g. the code before the inference) for a before/after figure.

Prints Markdown tables; paste them into bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import routes

ROOT = Path(__file__).resolve().parents[1]
IOM = ROOT / "tests" / "fixtures" / "incidents" / "iom_mmp_europe_wb_subset.csv"

_CHILD = """
import json, sys, time
import routes
inc = routes.read_incidents(routes.synthetic_sample_path())
G = routes.load_network()
kw = {} if sys.argv[1] == "baseline" else {"infer": sys.argv[1]}
t0 = time.perf_counter(); routes.route_incidents(inc, G, **kw); t1 = time.perf_counter()
routes.route_incidents(inc, G, **kw); t2 = time.perf_counter()
print(json.dumps({"cold": t1 - t0, "warm": t2 - t1}))
"""


def calibration(incidents: Any, graph: Any, seeds: list[int]) -> list[str]:
    rows = []
    for mode in ("recorded", "priors"):
        runs = [routes.inference_calibration(incidents, graph, infer=mode, seed=s) for s in seeds]
        for measure in ("origin_country", "crossing"):
            for col in ("top1", "top3"):
                vals = [float(r.set_index("measure").loc[measure, col]) for r in runs]
                rows.append((mode, measure, col, vals, int(runs[0]["hidden"].iloc[0])))
    out = [
        "| infer | measure | hit rate | mean | min – max | hidden per draw |",
        "|---|---|---|---|---|---|",
    ]
    for mode, measure, col, vals, hidden in rows:
        out.append(
            f"| {mode} | {measure.replace('_', ' ')} | {col.replace('top', 'top-')} | "
            f"{statistics.mean(vals):.0%} | {min(vals):.0%} – {max(vals):.0%} | {hidden} |"
        )
    return out


def coverage(name: str, incidents: Any, graph: Any) -> list[str]:
    out = []
    for mode in ("none", "recorded", "priors"):
        res = routes.route_incidents(incidents, graph, infer=mode)
        a = res.assignments
        routed = a["incident"].nunique()
        inferred = a.loc[a["inferred"], "incident"].nunique()
        reasons = res.unrouted["reason"].str.slice(0, 70).value_counts().head(2)
        why = "; ".join(f"{n} × {r}" for r, n in reasons.items()) or "-"
        out.append(
            f"| {name} | {mode} | {len(res.incidents):,} | {routed:,} "
            f"({routed / max(len(res.incidents), 1):.1%}) | {inferred:,} | {why} |"
        )
    return out


def timing(mode: str, repeat: int, pythonpath: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    runs = []
    for _ in range(repeat):
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, mode],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return {k: statistics.median(r[k] for r in runs) for k in ("cold", "warm")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--iom", type=Path, default=IOM)
    ap.add_argument("--baseline", type=Path, default=None)
    args = ap.parse_args()
    sample = routes.read_incidents(routes.synthetic_sample_path())
    graph = routes.load_network()
    print(f"load average {os.getloadavg()[0]:.1f} (2 cores shared)\n")
    print("Calibration on the bundled synthetic sample (20 % of the fully recorded held out)\n")
    print("\n".join(calibration(sample, graph, args.seeds)))
    print("\nCoverage\n")
    print("| data | infer | incidents | routed | on inferred legs | main reasons unrouted |")
    print("|---|---|---|---|---|---|")
    print("\n".join(coverage("synthetic sample", sample, graph)))
    if args.iom.exists():
        iom = routes.read_incidents(args.iom, mapping="iom_mmp", strict=False)
        print(
            "\n".join(
                coverage(f"IOM Europe subset ({len(iom.rejected)} rejected)", iom.accepted, graph)
            )
        )
    print("\nroute_incidents on the 2,500-row sample (median of fresh processes)\n")
    print("| code | infer | first call s | second call s |")
    print("|---|---|---|---|")
    if args.baseline is not None:
        t = timing("baseline", args.repeat, args.baseline)
        print(f"| {args.baseline} | (none) | {t['cold']:.2f} | {t['warm']:.2f} |")
    for mode in ("none", "recorded", "priors"):
        t = timing(mode, args.repeat, ROOT)
        print(f"| this checkout | {mode} | {t['cold']:.2f} | {t['warm']:.2f} |")


if __name__ == "__main__":
    main()
