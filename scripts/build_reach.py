"""Rebuild ``data/network/reach.parquet``: the part of the region the bundled network reaches.

A seizure point is routed from the road junction nearest to it, and only when that junction lies
within :data:`routes._constants.NETWORK_REACH_KM` (``routes.routing.MAX_PLACE_SNAP_M``). The region
test of ``routes.geo`` accepts a point only inside this polygon, so the two rules are one.

Method (EPSG:3035, the CRS the routing measures snapping distances in):

1. The snapping candidates of ``routes.routing``: nodes of ``data/network/nodes.parquet`` of kind
   ``junction`` with at least one non-rail edge in ``data/network/edges.parquet``.
2. Their union of discs of ``NETWORK_REACH_KM - MARGIN_KM`` (polygonal discs lie inside the
   true disc; the margin absorbs the simplification of step 3 and the reprojection).
3. Simplified (:data:`SIMPLIFY_M`), back to EPSG:4326, intersected with the widened land of the
   15 jurisdictions (``routes.geo``: land + 25 km), simplified again (:data:`SIMPLIFY_DEG`) and
   made valid.

The result is derived from the bundled network (OpenStreetMap, ODbL, "© OpenStreetMap
contributors"), so it carries the network's licence. Run ``python scripts/build_reach.py``
after ``scripts/build_network.py`` (``scripts/build_data.py`` does).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from routes._constants import NETWORK_REACH_KM  # noqa: E402

__all__ = ["MARGIN_KM", "SIMPLIFY_DEG", "SIMPLIFY_M", "build", "main"]

#: The discs are this much smaller than the reach (km): room for simplification and reprojection.
MARGIN_KM = 0.5
#: Simplification tolerance of the union of discs (m, EPSG:3035).
SIMPLIFY_M = 300.0
#: Simplification tolerance of the final polygon (degrees, ~100 m at 43°N), once intersected.
SIMPLIFY_DEG = 0.001
NETWORK = REPO / "data" / "network"


def _log(msg: str) -> None:
    print(f"[build_reach] {msg}", flush=True)


def snapping_junctions(network: Path) -> np.ndarray:
    """Coordinates (lon, lat) of the junctions a seizure point may snap to."""
    nodes = gpd.read_parquet(network / "nodes.parquet")
    edges = pd.read_parquet(network / "edges.parquet", columns=["u", "v", "mode"])
    nonrail = edges[edges["mode"] != "rail"]
    on_road = set(nonrail["u"].tolist()) | set(nonrail["v"].tolist())
    keep = (nodes["kind"] == "junction") & nodes["node"].isin(on_road)
    if nodes["crossing_id"].notna().any():
        keep &= nodes["crossing_id"].isna()
    return nodes.loc[keep, ["x", "y"]].to_numpy(dtype=float)


def build(network: Path) -> gpd.GeoDataFrame:
    """The reach polygon (one row, EPSG:4326) of the network in ``network``."""
    from routes.geo._region import widened_land

    xy = snapping_junctions(network)
    _log(f"{len(xy)} snapping junctions")
    pts = gpd.GeoSeries(shapely.points(xy), crs=4326).to_crs(3035).to_numpy()
    radius = (NETWORK_REACH_KM - MARGIN_KM) * 1000.0
    discs = shapely.union_all(shapely.buffer(pts, radius, quad_segs=16))
    discs = shapely.simplify(discs, SIMPLIFY_M)
    reach = gpd.GeoSeries([discs], crs=3035).to_crs(4326).iloc[0]
    reach = shapely.intersection(reach, widened_land())
    reach = shapely.make_valid(shapely.simplify(reach, SIMPLIFY_DEG))
    reach = shapely.union_all(
        [g for g in shapely.get_parts(reach) if shapely.get_type_id(g) in (3, 6)]
    )
    return gpd.GeoDataFrame(
        {"reach_km": [NETWORK_REACH_KM], "margin_km": [MARGIN_KM]}, geometry=[reach], crs=4326
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--network", type=Path, default=NETWORK, help="folder of nodes/edges")
    ap.add_argument("--out", type=Path, default=NETWORK / "reach.parquet")
    args = ap.parse_args(argv)
    t0 = time.time()
    gdf = build(args.network)
    fd, tmp = tempfile.mkstemp(dir=args.out.parent, suffix=".tmp")
    os.close(fd)
    try:
        gdf.to_parquet(tmp, compression="zstd", index=False, write_covering_bbox=False)
        os.chmod(tmp, 0o644)
        os.replace(tmp, args.out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    geom = gdf.geometry.iloc[0]
    _log(
        f"wrote {args.out} ({args.out.stat().st_size} bytes, "
        f"{shapely.get_num_coordinates(geom)} vertices) in {time.time() - t0:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
