"""Correctness guard of the speed work: dump every routing output, compare two dumps.

Routes (a) the bundled synthetic sample and (b) a seizure-only file (random points, the file
of ``bench/bench_maps.py``) with ``infer="priors"`` and ``infer="none"`` and writes, per case,
the ``RouteResult`` tables (``incidents``, ``assignments``, ``path_info``, ``path_legs``,
``unrouted``, ``candidates``, every path's edge list) and the edge and crossing flows as
pickled frames, plus a SHA-256 per table. ``--compare`` checks a second dump against a first:
identical hashes, or else every numeric column equal within ``1e-9`` and every other column
equal.

Usage::

    python bench/dump_routes.py /tmp/before              # on the old code
    python bench/dump_routes.py /tmp/after --compare /tmp/before
    python bench/dump_routes.py /tmp/a --points 100000   # a larger seizure-only file
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
from pathlib import Path
from typing import Any

__all__ = ["compare", "dump", "main"]

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "incidents" / "synthetic_incidents_sample.csv"


def _tables(res: Any) -> dict[str, Any]:
    import numpy as np
    import pandas as pd

    from routes.analysis import crossing_flows, edge_flows

    edges = pd.DataFrame(
        {
            "path_id": np.repeat(
                list(res.path_edges), [len(v) for v in res.path_edges.values()]
            ).astype(np.int64),
            "edge": np.concatenate([*res.path_edges.values(), np.zeros(0, np.int64)]),
        }
    )
    out = {
        "incidents": res.incidents,
        "assignments": res.assignments,
        "path_info": res.path_info,
        "path_legs": res.path_legs,
        "unrouted": res.unrouted,
        "candidates": res.candidates,
        "path_edges": edges,
    }
    ef = edge_flows(res)
    out["edge_flows"] = pd.DataFrame(ef.drop(columns="geometry", errors="ignore"))
    cf = crossing_flows(res)
    out["crossing_flows"] = pd.DataFrame(cf.drop(columns="geometry", errors="ignore"))
    return out


def _hash(df: Any) -> str:
    return hashlib.sha256(pickle.dumps(df, protocol=5)).hexdigest()


def dump(out: Path, *, points: int) -> None:
    """Route the cases and write their tables and hashes under ``out``."""
    sys.path.insert(0, str(REPO / "bench"))
    from bench_maps import write_random_points

    import routes

    out.mkdir(parents=True, exist_ok=True)
    pts = out / f"points_{points}.csv"
    if not pts.exists():
        write_random_points(points, pts)
    graph = routes.load_network()
    for name, path in (("sample", SAMPLE), (f"points{points}", pts)):
        inc = routes.read_incidents(path, strict=False)
        for infer in ("priors", "none"):
            res = routes.route_incidents(inc, graph, infer=infer)
            tabs = _tables(res)
            with open(out / f"{name}_{infer}.pkl", "wb") as fh:
                pickle.dump(tabs, fh, protocol=5)
            for tname, df in tabs.items():
                print(f"{_hash(df)}  {name}_{infer}/{tname}  rows={len(df)}")


def _same(a: Any, b: Any, label: str) -> list[str]:
    import numpy as np
    import pandas as pd

    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return [f"{label}: shape/columns differ {a.shape} {b.shape}"]
    bad = []
    if not a.index.equals(b.index):
        bad.append(f"{label}: index differs")
    for col in a.columns:
        x, y = a[col], b[col]
        if x.dtype != y.dtype:
            bad.append(f"{label}.{col}: dtype {x.dtype} vs {y.dtype}")
        if pd.api.types.is_float_dtype(x) and pd.api.types.is_float_dtype(y):
            if not np.allclose(x.to_numpy(), y.to_numpy(), rtol=0, atol=1e-9, equal_nan=True):
                bad.append(f"{label}.{col}: max diff {np.nanmax(np.abs(x - y))}")
        elif not x.astype(object).fillna("<NA>").equals(y.astype(object).fillna("<NA>")):
            bad.append(f"{label}.{col}: values differ")
    return bad


def compare(new: Path, old: Path) -> int:
    """Number of differences between two dumps (printed)."""
    problems = []
    for f in sorted(old.glob("*.pkl")):
        with open(f, "rb") as fh:
            a = pickle.load(fh)
        with open(new / f.name, "rb") as fh:
            b = pickle.load(fh)
        for name in a:
            ident = _hash(a[name]) == _hash(b[name])
            diff = [] if ident else _same(a[name], b[name], f"{f.stem}/{name}")
            verdict = "identical" if ident else ("equal" if not diff else "DIFFERENT")
            print(f"{f.stem}/{name}: {verdict}")
            problems += diff
    for p in problems:
        print(p)
    return len(problems)


def main(argv: list[str] | None = None) -> int:
    """Command line: dump, and compare with ``--compare``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--points", type=int, default=10_000)
    ap.add_argument("--compare", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.compare is not None and args.compare.joinpath(f"points_{args.points}.csv").exists():
        args.out.mkdir(parents=True, exist_ok=True)
        import shutil

        shutil.copy(args.compare / f"points_{args.points}.csv", args.out)
    dump(args.out, points=args.points)
    return 0 if args.compare is None else min(compare(args.out, args.compare), 1)


if __name__ == "__main__":
    sys.exit(main())
