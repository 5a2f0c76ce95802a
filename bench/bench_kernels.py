"""Routing kernel comparison (issue 24): the engine against a batched scipy baseline, k = 1.

On one incident file (by default the seizure-only random points of ``bench/bench_maps.py``,
routed with the default ``infer="priors"``), the engine routes every distinct waypoint
sequence with ``k = 1``; the script records the legs ``(a, b)`` (network node indices) the
router walked and the engine's CSR matrix (the same graph and cost), then routes **the same
legs** with:

- **scipy batched**: ``scipy.sparse.csgraph.dijkstra`` from every distinct leg start, 128
  sources per call, with predecessors, then one vectorised walk of every leg's path and its
  edges (what a careful user of scipy would write; no alternatives, no sequences);
- **networkx, per source** (slow reference): ``nx.single_source_dijkstra`` from the distinct
  starts of a sample of legs, extrapolated per distinct start;
- **OSMnx-style** (slow reference): one ``nx.shortest_path(G, a, b, weight=...)`` per leg — what
  ``osmnx.routing.shortest_path`` runs for each origin/destination pair (osmnx itself is not
  needed) — on a sample of legs, extrapolated per leg.

The engine's figure is ``route_sequences`` + ``path_tables`` (trees, walks, legs, the path
tables), timed inside one ``route_incidents(k=1)`` call; ``SALW_ROUTES_HELPERS=0`` by
default so that both sides use one core (``--helpers`` keeps the default helpers). Every side
is a fresh child process, run ``--rounds`` times interleaved; medians of wall and CPU
seconds. The leg costs of the baseline are checked against the engine's.

Usage::

    .venv/bin/python bench/bench_kernels.py                    # 1e5 points, 3 rounds
    .venv/bin/python bench/bench_kernels.py --n 10000 --rounds 1 --sample 200
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["main"]

REPO = Path(__file__).resolve().parents[1]
BATCH = 128


def _clock() -> tuple[float, float]:
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime


def engine_child(csv: Path, legs_out: Path) -> dict[str, Any]:
    """Route the file with k=1; time route_sequences + path_tables; save legs and matrix."""
    import routes
    from routes.routing import _core
    from routes.routing._router import Router

    inc = routes.read_incidents(csv, strict=False).accepted
    graph = routes.load_network()
    seen: dict[str, Any] = {"legs": [], "engine": None}
    spent = {"wall": 0.0, "cpu": 0.0}
    orig_targets, orig_rs, orig_pt = Router.targets, _core.route_sequences, _core.path_tables

    def targets(self: Any, legs: Any) -> None:
        seen["engine"] = self.engine
        seen["legs"].extend((int(a), int(b)) for a, b in legs if a != b)
        orig_targets(self, legs)

    def timed(fn: Any) -> Any:
        def run(*a: Any, **k: Any) -> Any:
            w0, c0 = _clock()
            try:
                return fn(*a, **k)
            finally:
                w1, c1 = _clock()
                spent["wall"] += w1 - w0
                spent["cpu"] += c1 - c0

        return run

    Router.targets = targets  # type: ignore[method-assign]
    _core.route_sequences = timed(orig_rs)
    _core.path_tables = timed(orig_pt)
    res = routes.route_incidents(inc, graph, k=1)
    eng = seen["engine"]
    legs = sorted(set(seen["legs"]))
    cost = [float(eng.dist(a)[eng.col()[b]]) for a, b in legs]
    with open(legs_out, "wb") as fh:
        pickle.dump({"csr": eng.csr, "legs": legs, "cost": cost}, fh, protocol=5)
    return {**spent, "legs": len(legs), "sources": len({a for a, _ in legs}), "paths": len(res)}


def _walk(pred: Any, rows: Any, a: Any, b: Any) -> int:
    """All leg paths at once, b back to a through the predecessor rows; total hops."""
    import numpy as np

    cur = b.copy()
    active = cur != a
    hops = 0
    while active.any():
        idx = np.flatnonzero(active)
        nxt = pred[rows[idx], cur[idx]]
        hops += len(idx)
        cur[idx] = nxt
        active[idx] = (nxt != a[idx]) & (nxt >= 0)
    return hops


def scipy_child(legs_file: Path) -> dict[str, Any]:
    """Batched scipy Dijkstra from every distinct leg start, then every leg's path."""
    import numpy as np
    from scipy.sparse.csgraph import dijkstra

    with open(legs_file, "rb") as fh:
        data = pickle.load(fh)
    csr, legs = data["csr"], np.asarray(data["legs"], dtype=np.int64).reshape(-1, 2)
    w0, c0 = _clock()
    sources = np.unique(legs[:, 0])
    cost = np.empty(len(legs))
    hops = 0
    for i in range(0, len(sources), BATCH):
        batch = sources[i : i + BATCH]
        d, p = dijkstra(csr, directed=True, indices=batch, return_predecessors=True)
        mine = np.flatnonzero(np.isin(legs[:, 0], batch))
        rows = np.searchsorted(batch, legs[mine, 0])
        cost[mine] = d[rows, legs[mine, 1]]
        hops += _walk(p, rows, legs[mine, 0], legs[mine, 1])
    w1, c1 = _clock()
    ok = np.allclose(cost, data["cost"], rtol=1e-12, atol=1e-9)
    return {"wall": w1 - w0, "cpu": c1 - c0, "edges": hops, "same_costs": bool(ok)}


def networkx_child(legs_file: Path, sample: int | str) -> dict[str, Any]:
    """networkx per distinct source and OSMnx-style per leg on a sample, extrapolated."""
    import networkx as nx
    import numpy as np

    with open(legs_file, "rb") as fh:
        data = pickle.load(fh)
    csr, legs, sample = data["csr"], data["legs"], int(sample)
    coo = csr.tocoo()
    g = nx.DiGraph()
    g.add_weighted_edges_from(
        zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True), "w"
    )
    rng = np.random.default_rng(24)
    pick = [legs[i] for i in rng.choice(len(legs), min(sample, len(legs)), replace=False)]
    w0, c0 = _clock()
    for a, b in pick:
        nx.shortest_path(g, a, b, weight="w")
    w1, c1 = _clock()
    srcs = sorted({a for a, _ in pick})[: max(sample // 10, 1)]
    for a in srcs:
        nx.single_source_dijkstra(g, a, weight="w")
    w2, c2 = _clock()
    n_src = len({a for a, _ in legs})
    return {
        "osmnx_wall": (w1 - w0) / len(pick) * len(legs),
        "osmnx_cpu": (c1 - c0) / len(pick) * len(legs),
        "nx_wall": (w2 - w1) / len(srcs) * n_src,
        "nx_cpu": (c2 - c1) / len(srcs) * n_src,
    }


def _child(kind: str, *args: str, helpers: bool) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if not helpers:
        env["SALW_ROUTES_HELPERS"] = "0"
    code = (
        f"import sys, json; sys.path.insert(0, {str(REPO / 'bench')!r}); "
        f"import bench_kernels as b; print(json.dumps(b.{kind}(*sys.argv[1:])))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Command line: print a Markdown table of the kernels."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--csv", type=Path, default=None, help="incident file (default: points)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--sample", type=int, default=300, help="legs for the networkx references")
    ap.add_argument("--helpers", action="store_true", help="let the engine use its helpers")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(REPO / "bench"))
    with tempfile.TemporaryDirectory() as tmp:
        csv = args.csv
        if csv is None:
            from bench_maps import write_random_points

            csv = write_random_points(args.n, Path(tmp) / "points.csv")
        legs = Path(tmp) / "legs.pkl"
        eng, sci = [], []
        for r in range(args.rounds):
            pair = [("engine_child", str(csv), str(legs)), ("scipy_child", str(legs))]
            if r % 2 and legs.exists():
                pair.reverse()
            for kind, *rest in pair:
                if kind == "scipy_child" and not legs.exists():
                    continue
                out = _child(kind, *rest, helpers=args.helpers)
                (eng if kind == "engine_child" else sci).append(out)
        if not sci:
            sci.append(_child("scipy_child", str(legs), helpers=args.helpers))
        ref = _child("networkx_child", str(legs), str(args.sample), helpers=args.helpers)

    def med(rows: list[dict[str, Any]], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    e = eng[0]
    print(
        f"{csv.name if args.csv else f'{args.n:,} random points'}: {e['legs']:,} distinct legs "
        f"from {e['sources']:,} starts; k=1; helpers {'on' if args.helpers else 'off'}; load "
        f"{os.getloadavg()[0]:.1f}; baseline costs equal the engine's: {sci[0]['same_costs']}\n"
    )
    print("| kernel | wall s | CPU s | / scipy (wall) |\n|---|---:|---:|---:|")
    base = med(sci, "wall")
    rows = [
        ("scipy.sparse.csgraph.dijkstra, batched", med(sci, "wall"), med(sci, "cpu")),
        ("salw-routes engine (route_sequences + path_tables)", med(eng, "wall"), med(eng, "cpu")),
        ("networkx single_source_dijkstra (extrapolated)", ref["nx_wall"], ref["nx_cpu"]),
        ("OSMnx-style shortest_path per leg (extrapolated)", ref["osmnx_wall"], ref["osmnx_cpu"]),
    ]
    for name, w, c in rows:
        print(f"| {name} | {w:.2f} | {c:.2f} | {w / base:.2f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
