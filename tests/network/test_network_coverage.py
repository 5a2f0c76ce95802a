# ruff: noqa: N802, N803  (G is the networkx/OSMnx name for a graph)
"""The bundled network reaches every point the region test accepts (issue 12).

A seizure point farther than NETWORK_REACH_KM (50 km) from every road junction is not routed
("more than 50 km from ... the network"): routes.routing snaps seizure points with
``graph_index(G).snap(..., junctions_only=True)`` and that limit. The region test accepts the
land of the 15 jurisdictions (plus 25 km) cut to the same reach of the bundled network
(data/network/reach.parquet), so every point it accepts, on land or in the sea margin, is
within reach: no exceptions.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely

import routes
from routes._constants import NETWORK_REACH_KM
from routes.geo import in_region
from routes.routing import graph_index
from routes.routing._waypoints import MAX_PLACE_SNAP_M

#: The snapping reach of a seizure point (routes.routing: MAX_PLACE_SNAP_M).
REACH_M = NETWORK_REACH_KM * 1000.0
#: Grid step (degrees) of the land sample, over the box the bundled borders are clipped to.
STEP = 0.1
#: Grid step (degrees) of the sea-margin sample (the 25 km margin is narrow: a finer grid).
SEA_STEP = 0.05
BOX = (5.0, 34.0, 30.0, 49.5)
#: Land where the OpenStreetMap-derived source has no road within the reach (lon0, lat0, lon1,
#: lat1): high mountains and small islands without a road in the simplified source or a ferry
#: line in scripts/facts/ferry_lines.csv. Measured on the 0.1° grid: 15 of 15,465 land points.
#: The region test rejects them (outside_region), so they are no gap of the routing any more.
BEYOND_REACH: dict[str, tuple[float, float, float, float]] = {
    "Pirin (BG), no road in the source": (23.6, 41.85, 23.95, 42.1),
    "western Rhodopes (BG), no road in the source": (24.25, 41.45, 24.75, 41.75),
    "Mount Athos (GR), no public road": (24.2, 40.0, 24.45, 40.25),
    "Skyros (GR), the Kymi ferry port has no road to the mainland in the source": (
        24.4,
        38.7,
        24.7,
        39.0,
    ),
    "Gavdos (GR), no ferry line in the table": (23.95, 34.8, 24.15, 34.9),
    "Amorgos (GR), no ferry line in the table": (25.7, 36.75, 26.0, 36.95),
    "Lycian coast (TR), the road runs on east of the 30°E clip": (29.85, 36.35, 30.0, 36.65),
    "Simav mountains (TR), no road in the source": (28.65, 39.55, 28.85, 39.75),
}

#: Places across the neighbours (GeoNames city centres, CC BY 4.0, rounded to 0.01°): lon, lat.
PLACES: dict[str, tuple[float, float]] = {
    "Turin (IT)": (7.69, 45.07),
    "Genoa (IT)": (8.93, 44.41),
    "Rome (IT)": (12.50, 41.90),
    "Naples (IT)": (14.27, 40.85),
    "Palermo (IT, Sicily)": (13.36, 38.12),
    "Catania (IT, Sicily)": (15.09, 37.50),
    "Cagliari (IT, Sardinia)": (9.11, 39.22),
    "Sassari (IT, Sardinia)": (8.56, 40.73),
    "Lampedusa (IT)": (12.61, 35.50),
    "Pantelleria (IT)": (11.95, 36.83),
    "Athens (GR)": (23.73, 37.98),
    "Kalamata (GR)": (22.11, 37.04),
    "Heraklion (GR, Crete)": (25.14, 35.34),
    "Chania (GR, Crete)": (24.02, 35.51),
    "Rhodes (GR)": (28.22, 36.43),
    "Mytilene (GR, Lesbos)": (26.55, 39.11),
    "Chios (GR)": (26.14, 38.37),
    "Samos (GR)": (26.98, 37.75),
    "Kos (GR)": (27.29, 36.89),
    "Fira (GR, Santorini)": (25.43, 36.42),
    "Zakynthos (GR)": (20.90, 37.78),
    "Izmir (TR)": (27.14, 38.42),
    "Bursa (TR)": (29.06, 40.18),
    "Çanakkale (TR)": (26.41, 40.15),
    "Bodrum (TR)": (27.43, 37.04),
    "Innsbruck (AT)": (11.39, 47.26),
    "Bregenz (AT)": (9.75, 47.50),
    "Debrecen (HU)": (21.63, 47.53),
    "Constanța (RO)": (28.65, 44.18),
    "Sulina (RO, Danube delta)": (29.65, 45.16),
    "Iași (RO)": (27.60, 47.16),
    "Varna (BG)": (27.91, 43.21),
    "Vis (HR)": (16.18, 43.06),
    "Koper (SI)": (13.73, 45.55),
}


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    return routes.load_network()


def _reach_m(G: nx.MultiDiGraph, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Distance (m) of each point to the junction a seizure there snaps to."""
    _node, dist = graph_index(G).snap(lon, lat, junctions_only=True)
    return np.asarray(dist)


@pytest.fixture(scope="module")
def land_sample() -> pd.DataFrame:
    """Grid points on the land of the 15 jurisdictions, with the jurisdiction they lie in."""
    borders = routes.load_borders()
    borders = borders[borders["jurisdiction"].isin(routes.ALL_JURISDICTIONS)]
    lon0, lat0, lon1, lat1 = BOX
    lon, lat = np.meshgrid(
        np.arange(lon0 + STEP / 2, lon1, STEP), np.arange(lat0 + STEP / 2, lat1, STEP)
    )
    lon, lat = lon.ravel(), lat.ravel()
    jur = np.full(len(lon), None, dtype=object)
    for code, geom in zip(borders["jurisdiction"], borders.geometry, strict=True):
        jur[shapely.contains_xy(geom, lon, lat)] = code
    on_land = jur != None  # noqa: E711 - element-wise on an object array
    return pd.DataFrame({"lon": lon[on_land], "lat": lat[on_land], "jurisdiction": jur[on_land]})


def _grid(step: float) -> tuple[np.ndarray, np.ndarray]:
    lon0, lat0, lon1, lat1 = BOX
    lon, lat = np.meshgrid(
        np.arange(lon0 + step / 2, lon1, step), np.arange(lat0 + step / 2, lat1, step)
    )
    return lon.ravel(), lat.ravel()


@pytest.fixture(scope="module")
def sea_margin_sample() -> pd.DataFrame:
    """Grid points of the widened land (land + 25 km) that lie on no jurisdiction's land."""
    borders = routes.load_borders()
    borders = borders[borders["jurisdiction"].isin(routes.ALL_JURISDICTIONS)]
    lon, lat = _grid(SEA_STEP)
    land = np.zeros(len(lon), dtype=bool)
    for geom in borders.geometry:
        land |= shapely.contains_xy(geom, lon, lat)
    margin = ~land & in_region(lon, lat, reach=False)
    return pd.DataFrame({"lon": lon[margin], "lat": lat[margin]})


def test_routing_and_region_share_one_reach() -> None:
    assert MAX_PLACE_SNAP_M == REACH_M == 50_000.0
    reach = pd.read_parquet(Path(routes.__file__).parent.parent / "data/network/reach.parquet")
    assert reach["reach_km"].tolist() == [NETWORK_REACH_KM]


def test_every_land_point_the_region_accepts_is_within_reach(
    G: nx.MultiDiGraph, land_sample: pd.DataFrame
) -> None:
    counts = land_sample["jurisdiction"].value_counts()
    # the sample spans the neighbours, not only the six jurisdictions
    for code, least in {
        "IT": 3000,
        "GR": 1200,
        "TR": 1400,
        "RO": 2500,
        "BG": 1100,
        "HU": 1000,
        "AT": 900,
        "HR": 550,
        "SI": 200,
    }.items():
        assert counts.get(code, 0) >= least, (code, counts.get(code, 0))
    lon, lat = land_sample["lon"].to_numpy(), land_sample["lat"].to_numpy()
    dist = _reach_m(G, lon, lat)
    accepted = in_region(lon, lat)
    # exact: every accepted land point is within reach, with no exception
    far = land_sample[accepted & (dist > REACH_M)].assign(
        km=(dist[accepted & (dist > REACH_M)] / 1e3)
    )
    assert far.empty, f"accepted land points beyond the snapping reach:\n{far.to_string()}"
    # and the region gives up little land: only the spots the source has no road near (the
    # discs are 0.5 km smaller than the reach, scripts/build_reach.py), 15 points of the grid
    rejected = ~accepted
    in_named = np.zeros(len(lon), dtype=bool)
    for x0, y0, x1, y1 in BEYOND_REACH.values():
        in_named |= (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
    assert (dist[rejected & ~in_named] > REACH_M - 1000.0).all()
    assert rejected.sum() <= 0.002 * len(lon)
    assert (rejected & (dist > REACH_M)).sum() == (dist > REACH_M).sum() >= 10
    # where the network is, it is near: half of the land lies within 15 km of a junction
    assert np.median(dist) < 15_000.0


def test_every_sea_point_the_region_accepts_is_within_reach(
    G: nx.MultiDiGraph, sea_margin_sample: pd.DataFrame
) -> None:
    lon, lat = sea_margin_sample["lon"].to_numpy(), sea_margin_sample["lat"].to_numpy()
    assert len(lon) > 15_000  # the 25 km margin around the coasts and islands
    dist = _reach_m(G, lon, lat)
    accepted = in_region(lon, lat)
    bad = accepted & (dist > REACH_M)
    far = sea_margin_sample[bad].assign(km=dist[bad] / 1e3)
    assert far.empty, f"accepted sea points beyond the snapping reach:\n{far.to_string()}"
    # the margin beyond the reach (about 1,150 points of the grid: Aegean, Ionian) is rejected,
    # and little within the reach is lost to the 0.5 km of room the build keeps
    assert (~accepted & (dist > REACH_M)).sum() > 500
    assert (~accepted & (dist <= REACH_M - 1000.0)).sum() == 0


def test_a_point_beyond_the_reach_is_rejected_with_the_rule(tmp_path: Path) -> None:
    # in the Aegean, within 25 km of the Skyros coast, over 50 km from every junction
    lon, lat = 24.75, 38.95
    assert in_region(np.array([lon]), np.array([lat]), reach=False)[0]
    assert not in_region(np.array([lon]), np.array([lat]))[0]
    csv = tmp_path / "far.csv"
    csv.write_text(
        "incident_id,date,latitude,longitude,category\n"
        f"A,01.02.2024,{lat},{lon},pistol\n"
        "B,01.02.2024,40.64,22.94,pistol\n",
        encoding="utf-8",
    )
    read = routes.read_incidents(csv, strict=False)
    assert read.accepted["incident_id"].tolist() == ["B"]
    (msg,) = read.rejected["message"].tolist()
    assert read.rejected["reason"].tolist() == ["outside_region"]
    assert "more than 50 km from every road junction" in msg
    assert "latitude 38.95, longitude 24.75" in msg
    assert "nearer a road" in msg


@pytest.mark.parametrize("place", sorted(PLACES))
def test_places_across_the_neighbours_are_within_reach(G: nx.MultiDiGraph, place: str) -> None:
    lon, lat = PLACES[place]
    dist = _reach_m(G, np.array([lon]), np.array([lat]))[0]
    assert dist <= REACH_M, f"{place}: nearest junction {dist / 1e3:.1f} km away"


def test_island_networks_join_the_mainland_by_ferry(G: nx.MultiDiGraph) -> None:
    # Sicily, Sardinia and Crete have roads of their own, reached only over the sea
    names = {d.get("name") for _, d in G.nodes(data=True) if d.get("kind") == "port"}
    assert {"Messina", "Olbia", "Heraklion", "Lampedusa", "Mytilene"} <= names
    road = G.edge_subgraph(
        [(u, v, k) for u, v, k, m in G.edges(keys=True, data="mode") if m != "rail"]
    )
    start = routes.nearest_node(G, 20.47, 44.80)  # Belgrade
    reached = nx.descendants(road, start)
    for place in ("Palermo (IT, Sicily)", "Cagliari (IT, Sardinia)", "Heraklion (GR, Crete)"):
        assert routes.nearest_node(G, *PLACES[place]) in reached, place


def test_real_iom_points_of_the_neighbours_are_routed(G: nx.MultiDiGraph, fixtures: Path) -> None:
    # 61 real records (IOM Missing Migrants Project, CC BY 4.0, rows filtered; see
    # tests/fixtures/network/README.md) in GR, IT, BG, HU, RO and AT
    read = routes.read_incidents(
        fixtures / "network" / "iom_mmp_neighbours.csv", mapping="iom_mmp", strict=False
    )
    acc = read.accepted
    assert len(acc) == read.rows_read == 61
    assert set(acc["jurisdiction"]) == {"GR", "IT", "BG", "HU", "RO", "AT"}
    dist = _reach_m(G, acc.geometry.x.to_numpy(), acc.geometry.y.to_numpy())
    assert (dist <= REACH_M).all(), acc.loc[dist > REACH_M, "incident_id"].tolist()
    # end to end: with an origin given, none is refused as "far from the network"
    res = routes.route_incidents(acc.assign(origin="Skopje"), G)
    far = res.unrouted[res.unrouted["reason"].str.contains("from the network")]
    assert far.empty, far.to_string()
    assert res.unrouted.empty, res.unrouted.to_string()
    assert res.assignments["incident"].nunique() == 61


def test_every_ferry_line_of_the_fact_table_is_in_the_network(
    G: nx.MultiDiGraph, repo: Path
) -> None:
    table = pd.read_csv(repo / "scripts" / "facts" / "ferry_lines.csv", keep_default_na=False)
    assert set(table["lane"]) <= {"searoute", "straight"}
    assert not table.duplicated(["locode_a", "locode_b"]).any()
    sea = [(u, v) for u, v, m in G.edges(data="mode") if m == "sea"]
    # one two-way sea link per line: none was dropped with a port cut off from the roads
    assert len(sea) == 2 * len(table)
    for u, v in sea:
        for n in (u, v):
            assert G.nodes[n]["kind"] == "port"
            assert any(m == "transfer" for _, _, m in G.out_edges(n, data="mode")), n
    harbours = [
        n
        for n, d in G.nodes(data=True)
        if d["kind"] == "junction"
        and {m for _, _, m in G.out_edges(n, data="mode")} == {"transfer"}
    ]
    # harbour junctions: island ports without a road in the source (Lampedusa, Vis, Fira ...)
    assert 20 <= len(harbours) <= 40
    for n in harbours:
        (_, port, _k), *rest = list(G.out_edges(n, keys=True))
        assert not rest
        assert G.nodes[port]["kind"] == "port"
        assert G.nodes[port]["jurisdiction"] == G.nodes[n]["jurisdiction"]
