"""Where a whole ``salw-routes map`` process spends its time: a sampling-profiler breakdown.

Usage::

    .venv/bin/python bench/profile_map.py                      # 1e4 and 1e5 points, both modes
    .venv/bin/python bench/profile_map.py --sizes 10000 --repeat 1
    .venv/bin/python bench/profile_map.py --tree FILE.csv      # print pyinstrument's call tree

Needs ``pyinstrument`` (``pip install pyinstrument``, the ``bench`` extra; the tool itself does
not). The incident file is ``routes.synthesize_incidents(n, seed=7)`` written as CSV (the same
file bench/bench_maps.py uses). Each run is a fresh child process that starts pyinstrument
(1 ms sampling) as its first statement, then imports ``routes.cli`` and runs ``salw-routes map
FILE --out OUT.html [--no-routes]`` in-process. Every sample is charged to the innermost frame
that belongs to one of the steps below (an import triggered from inside a step counts as
*import*), so the steps add up to the profiled time:

- **import**: module imports (at start-up and lazy ones inside the steps);
- **read**: parsing the file into a text table (``routes.incidents._readers.read_table``);
- **validate**: the rest of ``build_incidents`` (dates, vocabularies, quantities, geometry);
- **region**: the region test and point -> jurisdiction (``routes.geo._region``);
- **gazetteer**: loading the offline gazetteer (``load_gazetteer``);
- **rejects**: writing the rejects CSV;
- **network**: loading the bundled network (``load_network``);
- **index**: the routing graph index (``graph_index``);
- **routing**: the rest of ``route_incidents`` (names, trees, paths, probabilities);
- **encode**: packing the map data (``encode_map_data``);
- **folium**: the rest of ``route_map`` (elements, templates);
- **write**: rendering and writing the HTML (``save_map``);
- **other**: click, argument parsing, the rest.

The machine this runs on is shared, so wall-clock time depends on the load. The table therefore
gives **CPU seconds**: each step's share of the profiled wall time times the CPU time of the
profiled part (a CPU-bound process is slowed evenly by time-slicing, so the shares hold);
*start-up* is the child's CPU time (``RUSAGE_CHILDREN``) outside the profiled part (the
interpreter, pyinstrument). The wall time of each whole process is printed as well.
Prints a Markdown table of medians over ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["STEPS", "main"]

#: (label, file suffix, function name); innermost match wins.
_RULES: tuple[tuple[str, str, str], ...] = (
    ("import", "<frozen importlib._bootstrap>", "_find_and_load"),
    ("read", "routes/incidents/_readers.py", "read_table"),
    ("validate", "routes/incidents/_validate.py", "build_incidents"),
    ("region", "routes/geo/_region.py", "in_region"),
    ("region", "routes/geo/_region.py", "jurisdiction_at"),
    ("gazetteer", "routes/geo/gazetteer.py", "load_gazetteer"),
    ("rejects", "routes/incidents/read.py", "write_rejects"),
    ("network", "routes/network/graph.py", "load_network"),
    ("index", "routes/routing/_engine.py", "graph_index"),
    ("routing", "routes/routing/api.py", "route_incidents"),
    ("encode", "routes/maps/_encode.py", "encode_map_data"),
    ("folium", "routes/maps/route_map.py", "route_map"),
    ("write", "routes/maps/route_map.py", "save_map"),
)
STEPS = (
    "start-up",
    "import",
    "read",
    "validate",
    "region",
    "gazetteer",
    "rejects",
    "network",
    "index",
    "routing",
    "encode",
    "folium",
    "write",
    "other",
)


def _label(frame: Any) -> str | None:
    path = (frame.file_path or "").replace(os.sep, "/")
    for label, suffix, func in _RULES:
        if frame.function == func and path.endswith(suffix):
            return label
    return None


def _charge(frame: Any, current: str, out: dict[str, float]) -> None:
    """Charge the frame's own time to ``current`` (or its own label) and recurse."""
    label = _label(frame) or current
    own = frame.time - sum(child.time for child in frame.children)
    out[label] = out.get(label, 0.0) + max(own, 0.0)
    for child in frame.children:
        _charge(child, label, out)


def child(argv: list[str], tree: bool) -> None:
    """In a fresh process: profile ``salw-routes map ARGV`` and print the steps as JSON."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    profiler.start()
    from routes.cli import main as cli_main

    try:
        cli_main(argv, prog_name="salw-routes", standalone_mode=False)
    finally:
        session = profiler.stop()
    if tree:
        print(profiler.output_text(unicode=True, color=False), file=sys.stderr)
    out: dict[str, float] = {}
    root = session.root_frame()
    if root is not None:
        _charge(root, "other", out)
    scale = session.cpu_time / session.duration if session.duration > 0 else 1.0
    out = {k: v * scale for k, v in out.items()}  # CPU seconds (see the module docstring)
    out["profiled_cpu"] = session.cpu_time
    print(json.dumps(out))


def _run(path: Path, out: Path, routes_too: bool) -> dict[str, float]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "map", str(path)]
    cmd += ["--out", str(out), "--no-progress"] + ([] if routes_too else ["--no-routes"])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"profiled child failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    steps: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    steps["start-up"] = cpu - steps["profiled_cpu"]
    steps["cpu"] = cpu
    steps["wall"] = wall
    return steps


def main() -> int:
    """Profile the map command and print the breakdown (medians) as a Markdown table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tree", type=Path, default=None, help="print the call tree of one run")
    ap.add_argument("--routes", action="store_true", help="with --tree: route as well")
    ap.add_argument("--child", nargs=argparse.REMAINDER, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        child(args.child, tree=os.environ.get("SALW_PROFILE_TREE") == "1")
        return 0
    if args.tree is not None:
        os.environ["SALW_PROFILE_TREE"] = "1"
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "map"]
            cmd += [str(args.tree), "--out", str(Path(tmp) / "m.html"), "--no-progress"]
            cmd += [] if args.routes else ["--no-routes"]
            subprocess.run(cmd, check=False)
        return 0
    import routes

    load = os.getloadavg()
    cols: list[tuple[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in args.sizes:
            path = folder / f"incidents_{n}.csv"
            routes.synthesize_incidents(n, seed=7).to_csv(path, index=False)
            for routes_too in (False, True):
                runs = [
                    _run(path, folder / "m.html", routes_too) for _ in range(max(args.repeat, 1))
                ]
                med = {k: statistics.median(r.get(k, 0.0) for r in runs) for k in runs[0]}
                name = f"{n:,} {'with routes' if routes_too else '--no-routes'}"
                cols.append((name, med))
                print(json.dumps({"case": name, **med}), flush=True)
    print()
    print(
        f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; after: "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    print()
    print("| step (CPU s) | " + " | ".join(name for name, _ in cols) + " |")
    print("|---|" + "---:|" * len(cols))
    for step in STEPS:
        print(f"| {step} | " + " | ".join(f"{m.get(step, 0.0):.2f}" for _, m in cols) + " |")
    print("| **whole process, CPU** | " + " | ".join(f"**{m['cpu']:.2f}**" for _, m in cols) + " |")
    print("| whole process, wall | " + " | ".join(f"{m['wall']:.2f}" for _, m in cols) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
