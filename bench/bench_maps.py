"""Benchmark: salw-routes maps against geopandas ``explore()`` of the same incidents.

Each build runs as a whole, fresh Python process (imports, reading the incidents, building and
writing the HTML), timed from start to exit; best of 2 runs for explore, of 3 for ours (the
machine is shared). Pages are opened in headless Debian Chromium (Playwright) with every
non-``file://`` request aborted; "ready" is the moment the map has drawn
(``salwMap.state.updates > 0``) and two animation frames have been painted. ``explore()``'s
page cannot draw offline (its scripts come from CDNs), so only its size and build time are
compared.

Usage::

    .venv/bin/python bench/bench_maps.py            # 1e5 side by side + the 1e6 map
    .venv/bin/python bench/bench_maps.py --small    # 1e4 quick check

``explore()`` needs ``mapclassify`` (``pip install mapclassify``); salw-routes itself does not.
Prints a Markdown table; bench/README.md holds the numbers of the last full run.
"""

from __future__ import annotations

import argparse
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["main"]

PY = sys.executable

EXPLORE = """
import sys, geopandas as gpd
g = gpd.read_parquet(sys.argv[1])
g.explore().save(sys.argv[2])
"""

OURS_POINTS = """
import sys, geopandas as gpd, routes
g = gpd.read_parquet(sys.argv[1])
routes.save_map(routes.route_map(g), sys.argv[2])
"""

OURS_ROUTES = """
import sys, pickle, geopandas as gpd, routes
g = gpd.read_parquet(sys.argv[1])
with open(sys.argv[3], "rb") as fh:
    result = pickle.load(fh)
routes.save_map(routes.route_map(g, result=result), sys.argv[2])
"""


def _run(code: str, *args: str, repeat: int = 1) -> tuple[float, float]:
    """Best wall time and best CPU time (user + system) of ``repeat`` fresh processes.

    The machine is shared, so wall time depends on what else runs; CPU time much less.
    """
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([PY, "-c", code, *args], check=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
    return best_wall, best_cpu


def _open(path: Path, *, ours: bool) -> tuple[float | None, int, list[str]]:
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

        def route(r: object) -> None:
            url = r.request.url  # type: ignore[attr-defined]
            if url.startswith(("file://", "data:")):
                r.continue_()  # type: ignore[attr-defined]
            else:
                blocked.append(url)
                r.abort()  # type: ignore[attr-defined]

        page.route("**/*", route)
        page.on("pageerror", lambda e: errors.append(str(e)))

        def console(msg: Any) -> None:
            if msg.type == "error":
                errors.append(msg.text)

        page.on("console", console)
        t0 = time.perf_counter()
        page.goto(path.as_uri(), timeout=120_000)
        ready: float | None = None
        if ours:
            page.wait_for_function(
                "window.salwMap && window.salwMap.state.updates > 0", timeout=120_000
            )
            # and painted: two animation frames later
            page.evaluate(
                "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(1))))"
            )
            ready = time.perf_counter() - t0
        else:
            page.wait_for_timeout(500)
        b.close()
    return ready, len(blocked), errors[:3]


def _prepare(n: int, folder: Path, *, routes_too: bool) -> tuple[Path, Path | None, float]:
    import geopandas as gpd

    import routes

    df = routes.synthesize_incidents(n, seed=7)
    gdf = gpd.GeoDataFrame(
        df, geometry=gpd.points_from_xy(df.longitude, df.latitude), crs="EPSG:4326"
    )
    pq = folder / f"incidents_{n}.parquet"
    gdf.to_parquet(pq)
    if not routes_too:
        return pq, None, 0.0
    t0 = time.perf_counter()
    result = routes.route_incidents(gdf)
    t_route = time.perf_counter() - t0
    routed = result.assignments["incident"].nunique()
    print(
        f"{n:,} incidents: {routed:,} routed, {len(result.unrouted):,} without a route "
        f"(no origin/destination), {len(result.path_edges):,} distinct paths; "
        f"routing took {t_route:.1f} s (not part of the map build)"
    )
    pk = folder / f"result_{n}.pkl"
    with open(pk, "wb") as fh:
        pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return pq, pk, t_route


def main() -> int:
    """Run the benchmark and print a Markdown table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", action="store_true", help="1e4 incidents only")
    args = ap.parse_args()
    n_main = 10_000 if args.small else 100_000
    rows: list[tuple[Any, ...]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pq, pk, _ = _prepare(n_main, folder, routes_too=True)
        assert pk is not None
        out_e, out_p, out_r = (
            folder / "explore.html",
            folder / "points.html",
            folder / "routes.html",
        )
        t_e = _run(EXPLORE, str(pq), str(out_e), repeat=2)
        t_p = _run(OURS_POINTS, str(pq), str(out_p), repeat=3)
        t_r = _run(OURS_ROUTES, str(pq), str(out_r), str(pk), repeat=3)
        s_e, s_p, s_r = (p.stat().st_size for p in (out_e, out_p, out_r))
        _, blocked_e, err_e = _open(out_e, ours=False)
        ready_p, blocked_p, err_p = _open(out_p, ours=True)
        ready_r, blocked_r, err_r = _open(out_r, ours=True)
        rows.append(("explore()", n_main, s_e, t_e, None, blocked_e, err_e))
        rows.append(("route_map, incidents only", n_main, s_p, t_p, ready_p, blocked_p, err_p))
        rows.append(("route_map + routes", n_main, s_r, t_r, ready_r, blocked_r, err_r))
        print(f"size ratio explore/ours: points {s_e / s_p:.1f}x, with routes {s_e / s_r:.1f}x")
        print(
            f"build ratio explore/ours, wall: points {t_e[0] / t_p[0]:.1f}x, with routes "
            f"{t_e[0] / t_r[0]:.1f}x; CPU: points {t_e[1] / t_p[1]:.1f}x, with routes "
            f"{t_e[1] / t_r[1]:.1f}x"
        )
        if not args.small:
            pq6, pk6, _ = _prepare(1_000_000, folder, routes_too=True)
            assert pk6 is not None
            out6 = folder / "routes_1e6.html"
            t6 = _run(OURS_ROUTES, str(pq6), str(out6), str(pk6))
            ready6, blocked6, err6 = _open(out6, ours=True)
            rows.append(
                ("route_map + routes", 1_000_000, out6.stat().st_size, t6, ready6, blocked6, err6)
            )
    print()
    print(
        "| map | incidents | HTML | build wall (CPU) | page ready (Chromium) "
        "| blocked requests | page errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, n, size, t, ready, blocked, errs in rows:
        r = f"{ready:.2f} s" if ready is not None else "never draws offline"
        print(
            f"| {name} | {n:,} | {size / 1e6:.2f} MB | {t[0]:.2f} s ({t[1]:.2f} s) | {r} | "
            f"{blocked} | "
            f"{'; '.join(e[:60] for e in errs) or 'none'} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
