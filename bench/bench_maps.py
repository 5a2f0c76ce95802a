"""Benchmark: the whole ``salw-routes map`` command against a geopandas ``explore()`` script.

What the user runs, side by side in one run: for each incident file, three whole fresh
processes — a geopandas script (``pd.read_csv`` -> ``GeoDataFrame`` -> ``explore()`` ->
``save``), ``salw-routes map FILE --out X.html --no-routes`` and ``salw-routes map FILE --out
Y.html`` (routing included) — run **paired and interleaved** (round 1: A B C, round 2: B C A,
round 3: C A B), ``--rounds`` rounds (default 3). Each process is timed from start to exit (wall)
with its CPU seconds (user + system of the child); the 1-minute load average is read before each
run. Reported: the median of each command and the median of the per-round ratios (explore /
ours), wall and CPU.

Files (both CSV, written once, not timed):

- **random points**: ``--n`` points uniform in lon 18.5..22.5, lat 41..45.5 (the heart of the
  region, some in the sea and rejected as outside the region, as with real files) with
  ``incident_id``, ``date``, ``latitude``, ``longitude``, ``category``, ``quantity``;
- **synthetic sample**: ``routes.synthesize_incidents(n, seed=7)`` — all 21 canonical columns,
  origins, destinations and crossings, so the map with routes really routes.

``salw-routes`` runs with its on-disk cache (``SALW_ROUTES_CACHE``) in a folder of the run (a
``--baseline`` checkout in a folder of its own), each filled by one untimed run first (the
state after the first use of an installation); one more
run with an empty cache folder is reported as *cold cache*. Each page is then opened in headless
Debian Chromium through Playwright with every request that is not ``file://`` or ``data:``
aborted and counted; "ready" = the map has drawn (``salwMap.state.updates > 0``) and two
animation frames were painted. ``explore()``'s page cannot draw offline (its scripts come from
CDNs), so only its size and build time are compared.

Usage::

    .venv/bin/python bench/bench_maps.py              # 1e5, 3 rounds (~4-6 min)
    .venv/bin/python bench/bench_maps.py --n 10000 --rounds 1 --no-browser   # quick check
    .venv/bin/python bench/bench_maps.py --baseline /tmp/main_export   # before/after, paired

``explore()`` needs ``mapclassify`` (the ``bench`` extra); salw-routes itself does not.
Prints Markdown tables; bench/README.md holds the numbers of the last full run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["main"]

PY = sys.executable

EXPLORE = """
import sys
import geopandas as gpd
import pandas as pd
df = pd.read_csv(sys.argv[1])
gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df.longitude, df.latitude), crs=4326)
gdf.explore().save(sys.argv[2])
"""

# the console script's own entry point, so the timing includes what ``salw-routes`` imports
SALW = (  # the console script (an older checkout, e.g. a --baseline, has only main)
    "import routes.cli as c; c.run() if hasattr(c, 'run') else c.main(prog_name='salw-routes')"
)


def write_random_points(n: int, path: Path, *, seed: int = 14) -> Path:
    """``n`` uniform random points in the heart of the region, six columns, as CSV."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    categories = np.array(["pistol", "rifle", "automatic_rifle", "ammunition", "hand_grenade"])
    days = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 7 * 365, n), "D")
    pd.DataFrame(
        {
            "incident_id": [f"R-{i:07d}" for i in range(n)],
            "date": days.strftime("%Y-%m-%d"),
            "latitude": rng.uniform(41.0, 45.5, n).round(5),
            "longitude": rng.uniform(18.5, 22.5, n).round(5),
            "category": rng.choice(categories, n),
            "quantity": rng.integers(1, 50, n),
        }
    ).to_csv(path, index=False)
    return path


def write_synthetic(n: int, path: Path) -> Path:
    """``routes.synthesize_incidents(n, seed=7)`` as CSV (all canonical columns)."""
    import routes

    routes.synthesize_incidents(n, seed=7).to_csv(path, index=False)
    return path


def run(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall and CPU seconds of one whole child process, and the load average before it.

    The child runs in the system's temporary folder: ``python -c`` puts its working folder
    first on ``sys.path``, so a child started in a checkout would import that checkout's
    ``routes`` whatever ``PYTHONPATH`` says (the ``--baseline`` runs need theirs).
    """
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        cmd, capture_output=True, text=True, check=False, env=env, cwd=tempfile.gettempdir()
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):  # salw-routes: 1 = some rows rejected, map written
        raise SystemExit(f"{cmd[2:]} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "load": load}


def open_page(path: Path, *, ours: bool) -> tuple[float | None, int, list[str]]:
    """Open a page offline in Chromium: (seconds to ready or None, blocked requests, errors)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu"],
            headless=True,
        )
        page = b.new_page(viewport={"width": 1400, "height": 900})
        blocked: list[str] = []
        errors: list[str] = []

        def route(r: Any) -> None:
            if r.request.url.startswith(("file://", "data:")):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        t0 = time.perf_counter()
        page.goto(path.as_uri(), timeout=120_000)
        ready: float | None = None
        if ours:
            page.wait_for_function(
                "window.salwMap && window.salwMap.state.updates > 0", timeout=120_000
            )
            page.evaluate(
                "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(1))))"
            )
            ready = time.perf_counter() - t0
        else:
            page.wait_for_timeout(500)
        b.close()
    return ready, len(blocked), errors[:3]


def _commands(path: Path, folder: Path, tag: str, baseline: Path | None) -> dict[str, list[str]]:
    cmds = {
        "explore()": [PY, "-c", EXPLORE, str(path), str(folder / f"{tag}_explore.html")],
        "salw-routes map --no-routes": [
            *[PY, "-c", SALW, "map", str(path)],
            *["--out", str(folder / f"{tag}_points.html"), "--no-routes", "--no-progress"],
        ],
        "salw-routes map (with routes)": [
            *[PY, "-c", SALW, "map", str(path)],
            *["--out", str(folder / f"{tag}_routes.html"), "--no-progress"],
        ],
    }
    if baseline is not None:  # the same commands run from another checkout (PYTHONPATH)
        for name in list(cmds)[1:]:
            cmd = [x.replace(".html", "_baseline.html") for x in cmds[name]]
            cmds[f"{name} [baseline]"] = ["env", f"PYTHONPATH={baseline}", *cmd]
    return cmds


def bench_file(
    label: str, path: Path, folder: Path, *, rounds: int, browser: bool, baseline: Path | None
) -> list[dict[str, Any]]:
    """Paired, interleaved rounds of the commands on one file; one row per command."""
    tag = path.stem
    cmds = _commands(path, folder, tag, baseline)
    names = list(cmds)
    env = dict(os.environ)
    cold_env = {**env, "SALW_ROUTES_CACHE": str(folder / f"cold_cache_{tag}")}
    # each checkout its own cache folder: a cache entry keyed by the source of the code that
    # made it replaces the other checkout's, so a shared folder would rebuild it every run
    envs = {
        name: {
            **env,
            "SALW_ROUTES_CACHE": str(
                folder / ("cache_baseline" if "[baseline]" in name else "cache")
            ),
        }
        for name in names
    }
    ours = [name for name in names[1:] if "[baseline]" not in name]
    cold = {name: run(cmds[name], cold_env) for name in ours}  # an empty cache folder
    for name in names[1:]:  # fill the caches (untimed), as after the first use
        run(cmds[name], envs[name])
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            runs[name].append(run(cmds[name], envs[name]))
        print(
            f"{label}, round {r + 1}: "
            + ", ".join(f"{n} {runs[n][-1]['wall']:.2f} s" for n in names),
            flush=True,
        )
    rows = []
    base = runs["explore()"]
    for name in names:
        out = Path(cmds[name][cmds[name].index("--out") + 1]) if "--out" in cmds[name] else None
        html = out or Path(cmds[name][-1])
        row: dict[str, Any] = {
            "file": label,
            "command": name,
            "wall": statistics.median(x["wall"] for x in runs[name]),
            "cpu": statistics.median(x["cpu"] for x in runs[name]),
            "load": [x["load"] for x in runs[name]],
            "size": html.stat().st_size,
            "cold": cold.get(name),
        }
        if name != "explore()":
            row["ratio_wall"] = statistics.median(
                e["wall"] / o["wall"] for e, o in zip(base, runs[name], strict=True)
            )
            row["ratio_cpu"] = statistics.median(
                e["cpu"] / o["cpu"] for e, o in zip(base, runs[name], strict=True)
            )
        if browser and "[baseline]" not in name:
            row["ready"], row["blocked"], row["errors"] = open_page(html, ours=out is not None)
        rows.append(row)
    return rows


def _print(rows: list[dict[str, Any]], n: int, rounds: int) -> None:
    print()
    print(
        f"| file ({n:,} rows) | command | HTML | wall, median of {rounds} | CPU, median | "
        "explore / ours, paired median (wall; CPU) | cold cache wall (CPU) | page ready "
        "| blocked requests | page errors |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        ratio = f"{r['ratio_wall']:.1f}× ; {r['ratio_cpu']:.1f}×" if "ratio_wall" in r else ""
        cold = f"{r['cold']['wall']:.2f} s ({r['cold']['cpu']:.2f} s)" if r["cold"] else ""
        if "ready" in r:
            ready = "never draws offline" if r["ready"] is None else f"{r['ready']:.2f} s"
            errs = f"{r['errors'][0][:40]} …" if r["errors"] else "none"
            page = f"{ready} | {r['blocked']} | {errs}"
        else:
            page = "| |"
        print(
            f"| {r['file']} | {r['command']} | {r['size'] / 1e6:.2f} MB | {r['wall']:.2f} s | "
            f"{r['cpu']:.2f} s | {ratio} | {cold} | {page} |"
        )
    loads = [x for r in rows for x in r["load"]]
    print()
    print(f"1-minute load average before the timed runs: {min(loads):.1f} to {max(loads):.1f}")


def main() -> int:
    """Run the benchmark and print Markdown tables."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="rows per file (default 1e5)")
    ap.add_argument("--rounds", type=int, default=3, help="paired rounds (default 3)")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium page check")
    ap.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="also run salw-routes from this checkout (e.g. an export of main), interleaved",
    )
    ap.add_argument(
        "--files", nargs="+", choices=["random", "synthetic"], default=["random", "synthetic"]
    )
    args = ap.parse_args()
    rows: list[dict[str, Any]] = []
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        makers = {
            "random": ("random points, 6 columns", write_random_points),
            "synthetic": ("synthetic sample, 21 columns", write_synthetic),
        }
        for key in args.files:
            label, make = makers[key]
            path = make(args.n, folder / f"{key}_{args.n}.csv")
            rows += bench_file(
                label,
                path,
                folder,
                rounds=args.rounds,
                browser=not args.no_browser,
                baseline=args.baseline,
            )
    _print(rows, args.n, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
