"""Steps of the default ``salw-routes map`` (routes on) at 10³ … 10⁶ seizure-only records.

For each size a file of random points (``bench/bench_maps.py``: six columns, uniform in the
heart of the region, ~3 % in the sea and rejected) is mapped by a fresh child process that
runs ``salw-routes map FILE --out X.html`` in-process with timers around the steps: start-up
and imports (from interpreter start to the command), reading + validating, network + graph
index (``_setup``), grouping + seizure snapping, inference of the missing legs, routing the
sequences (Dijkstra trees, walks, alternatives), assignment, path tables, the rest of
``route_incidents``, map encoding, rendering + writing the page. Each step gives wall and CPU
seconds (CPU of this process and of its reaped helpers, ``resource.getrusage``). Medians of
``--rounds`` runs; results are written as JSON for ``bench/plot_steps.py``.

The children use the on-disk cache of ``SALW_ROUTES_CACHE`` (as a user's runs do). Dijkstra
trees kept there from an earlier run of the same places are read back instead of computed
(``routes/routing/_treestore.py``): ``--fresh-trees`` empties ``$SALW_ROUTES_CACHE/trees``
before every run (the first run of a new file on an installation in use), without it a
round after the first measures a re-run.

Usage::

    .venv/bin/python bench/bench_steps.py                                 # 1e3..1e6, 1 round
    .venv/bin/python bench/bench_steps.py --sizes 1000 10000 --rounds 3 --json steps.json
    .venv/bin/python bench/bench_steps.py --repo /tmp/old_checkout       # another checkout
    SALW_ROUTES_CACHE=/tmp/c .venv/bin/python bench/bench_steps.py --fresh-trees --json a.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["STEPS", "main", "run_child"]

REPO = Path(__file__).resolve().parents[1]

#: (label, module, attribute) of the timed functions, in pipeline order.
STEPS = (
    ("read + validate", "routes.cli._map", "read_for_command"),
    ("network + index", "routes.routing._core", "_setup"),
    ("grouping + snapping", "routes.routing._core", "incident_keys"),
    ("inference", "routes.routing._core", "_with_inferred"),
    ("routing (trees, paths)", "routes.routing._core", "route_sequences"),
    ("assignment", "routes.routing._core", "assignment_table"),
    ("path tables", "routes.routing._core", "path_tables"),
    ("encode map", "routes.maps._encode", "encode_map_data"),
    ("render + write", "routes", "save_map"),
)

CHILD = r"""
import resource, sys, time, json
def clock():
    s = resource.getrusage(resource.RUSAGE_SELF); c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime
w_start, c_start = clock()
sys.path.insert(0, sys.argv[1])
import importlib
from bench_steps import STEPS
import routes.cli
import routes.routing._core, routes.maps._encode, routes
spent = {}
def wrap(label, fn):
    def run(*a, **k):
        w0, c0 = clock()
        try:
            return fn(*a, **k)
        finally:
            w1, c1 = clock()
            old = spent.get(label, (0.0, 0.0))
            spent[label] = (old[0] + w1 - w0, old[1] + c1 - c0)
    return run
for label, mod, attr in STEPS:
    m = importlib.import_module(mod)
    setattr(m, attr, wrap(label, getattr(m, attr)))
import routes.maps._encode as enc, routes.maps.route_map as rm
rm_encode = enc.encode_map_data
ri = routes.routing._core.route_incidents_impl
routes.routing._core.route_incidents_impl = wrap("route_incidents", ri)
import routes.routing.api as api
api.route_incidents_impl = routes.routing._core.route_incidents_impl
w_cmd, c_cmd = clock()
spent["start-up + imports"] = (w_cmd - w_start, c_cmd - c_start)
if not routes.__file__.startswith(sys.argv[4]):
    raise SystemExit(f"measuring {routes.__file__}, not the checkout {sys.argv[4]}")
from routes.cli import main
try:
    main(["map", sys.argv[2], "--out", sys.argv[3]], standalone_mode=False)
except SystemExit:
    pass
w_end, c_end = clock()
spent["whole process (from interpreter start)"] = (w_end - w_start, c_end - c_start)
print(json.dumps(spent))
"""


def run_child(csv: Path, out: Path, repo: Path) -> dict[str, tuple[float, float]]:
    """One map process with step timers: label -> (wall, CPU) seconds."""
    env = {**os.environ, "PYTHONPATH": str(repo)}
    # ``python -c`` puts the working folder first on sys.path: run in ``repo`` so that the
    # code measured is that checkout's, whatever folder this script runs from
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(REPO / "bench"), str(csv), str(out), str(repo)],
        capture_output=True,
        text=True,
        env=env,
        cwd=repo,
        check=False,
    )
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr[-3000:])
    raw = json.loads(proc.stdout.strip().splitlines()[-1])
    spent = {k: tuple(v) for k, v in raw.items()}
    inner = ("network + index", "grouping + snapping", "inference", "routing (trees, paths)")
    inner += ("assignment", "path tables")
    ri = spent.pop("route_incidents", (0.0, 0.0))
    spent["routing, rest"] = tuple(
        ri[i] - sum(spent.get(k, (0.0, 0.0))[i] for k in inner) for i in (0, 1)
    )
    whole = spent["whole process (from interpreter start)"]
    spent["other (imports on first use, CLI)"] = tuple(
        whole[i] - sum(v[i] for k, v in spent.items() if not k.startswith("whole")) for i in (0, 1)
    )
    return spent  # type: ignore[return-value]


def main(argv: list[str] | None = None) -> int:
    """Command line: run the sizes, print the table, write the JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000, 1000000])
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--repo", type=Path, default=REPO, help="checkout to run (default: this)")
    ap.add_argument("--json", type=Path, default=REPO / "bench" / "steps.json")
    ap.add_argument(
        "--fresh-trees",
        action="store_true",
        help="empty $SALW_ROUTES_CACHE/trees before every run (trees computed, not read back)",
    )
    args = ap.parse_args(argv)
    trees_dir = None
    if args.fresh_trees:
        from routes._cache import cache_dir

        folder = cache_dir()
        if folder is None:
            raise SystemExit("--fresh-trees: the cache is off, there are no stored trees")
        trees_dir = folder / "trees"
    sys.path.insert(0, str(REPO / "bench"))
    from bench_maps import write_random_points

    results: dict[str, dict[str, list[float]]] = {}
    loads = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            csv = write_random_points(n, Path(tmp) / f"p{n}.csv")
            runs = []
            for _ in range(args.rounds):
                loads.append(os.getloadavg()[0])
                if trees_dir is not None:
                    shutil.rmtree(trees_dir, ignore_errors=True)
                runs.append(run_child(csv, Path(tmp) / "m.html", args.repo))
            labels = list(runs[0])
            results[str(n)] = {
                k: [statistics.median(r[k][i] for r in runs) for i in (0, 1)] for k in labels
            }
            print(
                f"{n:>9,}: {results[str(n)]['whole process (from interpreter start)']}", flush=True
            )
    sizes = [str(n) for n in args.sizes]
    labels = list(results[sizes[0]])
    print(
        f"\nload average {min(loads):.1f}-{max(loads):.1f}; CPU s (wall s), median of "
        f"{args.rounds}\n"
    )
    print("| step | " + " | ".join(f"{int(n):,}" for n in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    for k in labels:
        cells = [f"{results[n][k][1]:.2f} ({results[n][k][0]:.2f})" for n in sizes]
        print(f"| {k} | " + " | ".join(cells) + " |")
    args.json.write_text(
        json.dumps({"sizes": sizes, "results": results, "load": [min(loads), max(loads)]}, indent=1)
    )
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
