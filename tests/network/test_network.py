# ruff: noqa: N802, N803, N806  (G is the networkx/OSMnx name for a graph)
"""The routable network: bundled data, known routes, BCP insertion, user networks, converters."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
from shapely.geometry import LineString, Point

import routes
from routes.network import _build as nb

# City centres (GeoNames cities500, CC BY 4.0), lon/lat.
CITY = {
    "Belgrade": (20.4651, 44.8040),
    "Skopje": (21.4314, 41.9965),
    "Zagreb": (15.9780, 45.8144),
    "Tirana": (19.8187, 41.3275),
    "Podgorica": (19.2636, 42.4411),
    "Sarajevo": (18.4131, 43.8486),
    "Pristina": (21.1669, 42.6727),
    "Sofia": (23.3242, 42.6975),
    "Nis": (21.9033, 43.3247),
    "Durres": (19.4414, 41.3231),
    "Bari": (16.8719, 41.1177),
    "Thessaloniki": (22.9349, 40.6407),
}
CAPITALS = ("Belgrade", "Skopje", "Tirana", "Podgorica", "Sarajevo", "Pristina")


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    return routes.load_network()


@pytest.fixture(scope="module")
def crossings() -> gpd.GeoDataFrame:
    return routes.load_crossings()


def _mode_view(G: nx.MultiDiGraph, modes: tuple[str, ...]) -> nx.MultiDiGraph:
    return G.edge_subgraph(
        [(u, v, k) for u, v, k, m in G.edges(keys=True, data="mode") if m in modes]
    )


def _route(H: nx.MultiDiGraph, G: nx.MultiDiGraph, a: str, b: str, weight: str) -> list:
    s = routes.nearest_node(G, *CITY[a])
    t = routes.nearest_node(G, *CITY[b])
    return nx.shortest_path(H, s, t, weight=weight)


def _crossings_on(G: nx.MultiDiGraph, path: list) -> list[str]:
    return [G.nodes[n]["crossing_id"] for n in path if G.nodes[n].get("crossing_id")]


# ----------------------------------------------------------------------------- bundled data
def test_bundled_network_contract(G: nx.MultiDiGraph) -> None:
    assert isinstance(G, nx.MultiDiGraph)
    assert G.graph["crs"] == "EPSG:4326"
    assert G.number_of_nodes() > 10_000
    modes = {m for _, _, m in G.edges(data="mode")}
    assert modes == {"road", "rail", "sea", "transfer"}
    kinds = {k for _, k in G.nodes(data="kind")}
    assert kinds == {"junction", "crossing", "port", "airport"}
    for n, d in G.nodes(data=True):
        assert -180 <= d["x"] <= 180
        assert -90 <= d["y"] <= 90
        assert d["jurisdiction"] in routes.ALL_JURISDICTIONS, (n, d)
    for u, v, k, d in G.edges(keys=True, data=True):
        assert d["length_m"] > 0
        assert d["travel_time_s"] > 0
        assert d["speed_kph"] > 0
        assert (v, u, k) in G.edges, "every link is two-way"
        g = d["geometry"]
        assert g.coords[0] == pytest.approx((G.nodes[u]["x"], G.nodes[u]["y"]), abs=2e-5)
        assert g.coords[-1] == pytest.approx((G.nodes[v]["x"], G.nodes[v]["y"]), abs=2e-5)


def test_load_network_returns_a_new_graph_each_call(G: nx.MultiDiGraph) -> None:
    H = routes.load_network()
    u, v, k = next(iter(H.edges(keys=True)))
    H.edges[u, v, k]["length_m"] = -1.0
    H.remove_node(u)
    assert G.edges[u, v, k]["length_m"] > 0
    assert routes.load_network().edges[u, v, k]["length_m"] > 0


def test_capitals_and_land_crossings_share_one_road_component(
    G: nx.MultiDiGraph, crossings: gpd.GeoDataFrame
) -> None:
    road = _mode_view(G, ("road",))
    biggest = max(nx.weakly_connected_components(road), key=len)
    # the mainland; the islands (Sicily, Sardinia, Crete ...) join it by ferry
    assert len(biggest) > 0.9 * road.number_of_nodes()
    by_ferry = _mode_view(G, ("road", "sea", "transfer"))
    whole = max(nx.weakly_connected_components(by_ferry), key=len)
    assert len(whole) > 0.998 * by_ferry.number_of_nodes()
    for city in CAPITALS:
        assert routes.nearest_node(G, *CITY[city]) in biggest, city
    where = routes.crossing_nodes(G)
    for cid in crossings.loc[crossings["mode"] == "road", "crossing_id"]:
        assert where[cid] in biggest, cid


def test_every_crossing_is_in_the_graph_and_land_crossings_reach_both_sides(
    G: nx.MultiDiGraph, crossings: gpd.GeoDataFrame
) -> None:
    where = routes.crossing_nodes(G)
    missing = sorted(set(crossings["crossing_id"]) - set(where))
    assert not missing, f"crossings not in the network (rebuild it): {missing}"
    expected_kind = {
        "road": "crossing",
        "rail": "crossing",
        "river": "crossing",
        "sea": "port",
        "air": "airport",
    }
    for r in crossings.itertuples():
        n = where[r.crossing_id]
        d = G.nodes[n]
        assert d["kind"] == expected_kind[r.mode]
        assert G.degree(n) >= 2, r.crossing_id
        if r.mode in ("road", "rail"):
            sides = {
                G.nodes[v]["jurisdiction"] for _, v, m in G.out_edges(n, data="mode") if m == r.mode
            }
            assert {r.jurisdiction_a, r.jurisdiction_b} <= sides, (r.crossing_id, sides)
            # the crossing lies where the table puts it
            assert (d["x"], d["y"]) == pytest.approx((r.geometry.x, r.geometry.y), abs=2e-5)


@pytest.mark.parametrize(
    ("a", "b", "weight", "crossing"),
    [
        ("Zagreb", "Belgrade", "length_m", "RS-HR-BATROVCI"),  # Bajakovo-Batrovci, E70
        ("Tirana", "Podgorica", "length_m", "AL-ME-HANI-I-HOTIT"),  # Hani i Hotit-Bozaj
        ("Belgrade", "Skopje", "travel_time_s", "RS-MK-PRESEVO"),  # Presevo-Tabanovce, E75
        ("Sarajevo", "Belgrade", "length_m", "BA-RS-ZVORNIK"),  # Zvornik-Mali Zvornik
        ("Belgrade", "Sofia", "length_m", "RS-BG-GRADINA"),  # Gradina-Kalotina, E80
        ("Skopje", "Thessaloniki", "length_m", "MK-GR-BOGORODICA"),  # Bogorodica-Evzoni
        ("Pristina", "Skopje", "length_m", "XK-MK-HANI-I-ELEZIT"),  # Hani i Elezit-Blace
    ],
)
def test_known_least_cost_routes_cross_where_expected(
    G: nx.MultiDiGraph, a: str, b: str, weight: str, crossing: str
) -> None:
    path = _route(_mode_view(G, ("road",)), G, a, b, weight)
    assert _crossings_on(G, path) == [crossing]


def test_belgrade_skopje_least_distance_outside_kosovo_uses_presevo(G: nx.MultiDiGraph) -> None:
    # The least distance runs through Kosovo* (Jarinje - Hani i Elezit, ~400 km, as in
    # reality); kept to Serbia and North Macedonia it takes the E75 at Presevo-Tabanovce.
    road = _mode_view(G, ("road",))
    path = _route(road, G, "Belgrade", "Skopje", "length_m")
    assert _crossings_on(G, path) == ["RS-XK-JARINJE", "XK-MK-HANI-I-ELEZIT"]
    no_xk = road.subgraph([n for n in road if G.nodes[n]["jurisdiction"] != "XK"])
    path = _route(no_xk, G, "Belgrade", "Skopje", "length_m")
    assert _crossings_on(G, path) == ["RS-MK-PRESEVO"]


def test_durres_bari_least_distance_takes_the_ferry(G: nx.MultiDiGraph) -> None:
    H = _mode_view(G, ("road", "sea", "transfer"))
    path = _route(H, G, "Durres", "Bari", "length_m")
    modes = [G.edges[u, v, 0]["mode"] for u, v in itertools.pairwise(path)]
    assert modes.count("sea") == 1
    assert _crossings_on(G, path) == ["AL-SEA-DURRES", "IT-SEA-BARI"]
    sea = next(
        d for u, v, d in G.edges(data=True) if d["mode"] == "sea" and u in path and v in path
    )
    assert 150_000 < sea["length_m"] < 300_000  # Durres-Bari is about 200 km by sea
    assert sea["travel_time_s"] == pytest.approx(
        sea["length_m"] / (nb.SEA_SPEED_KPH / 3.6) + nb.SEA_BOARDING_S, abs=1
    )


def test_green_border_edges_exist_and_pass_no_crossing(
    G: nx.MultiDiGraph, crossings: gpd.GeoDataFrame
) -> None:
    green = [(u, v, d) for u, v, d in G.edges(data=True) if d["green_border"]]
    assert len(green) >= 10
    cx = crossings[crossings["mode"].isin(["road", "rail"])].to_crs(3035)
    pair = cx.apply(lambda r: "-".join(sorted((r.jurisdiction_a, r.jurisdiction_b))), axis=1)
    for u, v, d in green:
        ju, jv = G.nodes[u]["jurisdiction"], G.nodes[v]["jurisdiction"]
        assert ju != jv
        assert d["border"] == "-".join(sorted((ju, jv)))
        assert d["mode"] in ("road", "rail")
        line = gpd.GeoSeries([d["geometry"]], crs=4326).to_crs(3035).iloc[0]
        same = cx[(pair == d["border"]).to_numpy() & (cx["mode"] == d["mode"]).to_numpy()]
        assert len(same), "green border only on pairs the crossings table covers"
        nearest = float(same.distance(line).min())
        assert nearest > nb.edge_threshold_m(d["length_m"]), (d["border"], nearest)


def test_e75_traced_through_belgrade_nis_skopje(G: nx.MultiDiGraph) -> None:
    e75 = nx.Graph()
    e75.add_edges_from((u, v) for u, v, e in G.edges(data="e_road") if e and "E75" in e.split("|"))
    assert e75.number_of_edges() > 50

    def near(city: str, km: float) -> set:
        x, y = CITY[city]
        return {
            n
            for n in e75
            if math.dist(
                (G.nodes[n]["x"] * math.cos(math.radians(y)), G.nodes[n]["y"]),
                (x * math.cos(math.radians(y)), y),
            )
            * 111.2
            < km
        }

    start, nis, end = near("Belgrade", 15), near("Nis", 15), near("Skopje", 15)
    assert start
    assert nis
    assert end
    path = nx.shortest_path(e75, next(iter(start)), next(iter(end)))
    assert nis & set(path)
    assert "RS-MK-PRESEVO" in _crossings_on(G, path)


def test_nearest_node_by_mode(G: nx.MultiDiGraph) -> None:
    n = routes.nearest_node(G, *CITY["Belgrade"])
    assert G.nodes[n]["jurisdiction"] == "RS"
    assert G.nodes[n]["kind"] == "junction"
    assert any(m == "road" for _, _, m in G.out_edges(n, data="mode"))
    r = routes.nearest_node(G, *CITY["Belgrade"], mode="rail")
    assert any(m == "rail" for _, _, m in G.out_edges(r, data="mode"))
    ids, dist = routes.nearest_nodes(G, [20.4651, 21.4314], [44.804, 41.9965], return_dist=True)
    assert len(ids) == 2
    assert (dist < 10_000).all()


# ----------------------------------------------------------------------------- BCP insertion
def _tiny_two_country_graph() -> nx.MultiGraph:
    """Four nodes per side of a border along lon 20.0; three cross-border edges."""
    G = nx.MultiGraph()
    pts = {
        "a1": (19.90, 44.00, "AA"),
        "a2": (19.90, 44.50, "AA"),
        "a3": (19.95, 45.00, "AA"),
        "b1": (20.10, 44.00, "BB"),
        "b2": (20.10, 44.50, "BB"),
        "b3": (20.05, 45.00, "BB"),
    }
    for n, (x, y, j) in pts.items():
        G.add_node(n, x=x, y=y, jurisdiction=j, kind="junction", layer="road")
    for u, v in (("a1", "b1"), ("a2", "b2"), ("a3", "b3"), ("a1", "a2"), ("b1", "b2")):
        line = LineString([pts[u][:2], pts[v][:2]])
        length = float(nb.measure_m([line])[0])
        G.add_edge(
            u,
            v,
            _from=u,
            mode="road",
            length_m=length,
            travel_time_s=length / 20.0,
            geometry=line,
        )
    return G


def _tiny_crossings() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "crossing_id": ["AA-BB-SOUTH", "AA-BB-HILL"],
            "name_a": ["South", "Hill"],
            "name_b": ["Jug", "Brdo"],
            "jurisdiction_a": ["AA", "AA"],
            "jurisdiction_b": ["BB", "BB"],
            "mode": ["road", "road"],
            "eu_external": [False, True],
        },
        # South sits 1 km north of edge a1-b1; Hill is 11 km north of a2-b2, 44 km from a3-b3
        geometry=[Point(20.0, 44.009), Point(20.0, 44.6)],
        crs=4326,
    )


def test_attach_crossings_splits_connects_and_marks_green_border() -> None:
    G = _tiny_two_country_graph()
    before = nx.to_dict_of_dicts(G)
    H, summary = nb.attach_crossings(G, _tiny_crossings())
    assert nx.to_dict_of_dicts(G) == before, "input graph unchanged"
    south, hill = "x:AA-BB-SOUTH", "x:AA-BB-HILL"
    # a1-b1 passes 1 km from South: split through it, length grows by twice the offset
    assert not H.has_edge("a1", "b1")
    assert H.has_edge("a1", south)
    assert H.has_edge(south, "b1")
    old = G.edges["a1", "b1", 0]["length_m"]
    new = H.edges["a1", south, 0]["length_m"] + H.edges[south, "b1", 0]["length_m"]
    assert new == pytest.approx(old + 2 * 1000.8, rel=0.01)
    assert H.edges["a1", south, 0]["border"] == "AA-BB"
    # a2-b2 is 11 km from Hill (threshold 5 km for short edges): green border
    assert H.edges["a2", "b2", 0]["green_border"] is True
    assert H.edges["a3", "b3", 0]["green_border"] is True
    # Hill: no edge passes it, so connectors to the nearest node on each side (a2, b2)
    assert H.edges[hill, "a2", 0]["connector"] is True
    assert H.edges[hill, "b2", 0]["connector"] is True
    assert summary == {
        "crossings": 2,
        "on_edges": 1,
        "split_edges": 1,
        "with_connectors": 1,
        "connector_max_m": pytest.approx(15_000, abs=1_500),
        "green_border_edges": 2,
        "border_edges_of_pairs_without_crossings": 0,
    }
    D = nb.add_border_delays(H)
    assert D.edges["a1", south, 0]["travel_time_s"] == pytest.approx(
        H.edges["a1", south, 0]["travel_time_s"] + nb.BORDER_DELAY_S / 2
    )
    assert D.edges[hill, "a2", 0]["travel_time_s"] == pytest.approx(
        H.edges[hill, "a2", 0]["travel_time_s"] + nb.BORDER_DELAY_EU_S / 2
    )


def test_attach_crossings_rerun_on_new_table_starts_from_the_road_graph() -> None:
    G = _tiny_two_country_graph()
    one = _tiny_crossings().iloc[[1]]
    first, s = nb.attach_crossings(G, one)
    assert s["green_border_edges"] == 3
    assert s["with_connectors"] == 1
    assert "x:AA-BB-SOUTH" not in first
    second, s2 = nb.attach_crossings(G, _tiny_crossings())
    assert "x:AA-BB-SOUTH" in second
    assert s2["on_edges"] == 1
    assert s2["green_border_edges"] == 2


def test_public_attach_crossings_on_a_directed_user_network() -> None:
    U = _tiny_two_country_graph()
    G = nx.MultiDiGraph(crs="EPSG:4326")
    G.add_nodes_from(U.nodes(data=True))
    for u, v, d in U.edges(data=True):
        attrs = {c: val for c, val in d.items() if c != "_from"}
        attrs["speed_kph"] = 72.0
        G.add_edge(u, v, **attrs)
        if (u, v) != ("a2", "b2"):  # a2 -> b2 is one-way
            G.add_edge(v, u, **{**attrs, "geometry": attrs["geometry"].reverse()})
    edges_before = sorted(G.edges(keys=True))
    H = routes.attach_crossings(G, _tiny_crossings())
    assert sorted(G.edges(keys=True)) == edges_before, "input graph unchanged"
    south = routes.crossing_nodes(H)["AA-BB-SOUTH"]
    assert H.nodes[south]["kind"] == "crossing"
    assert H.nodes[south]["name"] == "South – Jug"
    for a, b in (("a1", south), (south, "b1"), ("b1", south), (south, "a1")):
        assert H.has_edge(a, b), (a, b)
        g = H.edges[a, b, 0]["geometry"]
        assert g.coords[0] == pytest.approx((H.nodes[a]["x"], H.nodes[a]["y"]))
    assert not H.has_edge("a1", "b1")
    e = H.edges["a1", south, 0]
    assert e["speed_kph"] == pytest.approx(72.0, rel=1e-3)
    assert e["travel_time_s"] == pytest.approx(e["length_m"] / 20.0 + nb.BORDER_DELAY_S / 2)
    assert H.edges["a2", "b2", 0]["green_border"] is True
    assert not H.has_edge("b2", "a2"), "one-way edges stay one-way"
    hill = routes.crossing_nodes(H)["AA-BB-HILL"]
    assert H.edges[hill, "a2", 0]["connector"] is True
    assert H.edges["b2", hill, 0]["connector"] is True
    path = nx.shortest_path(H, "a1", "b1", weight="length_m")
    assert path == ["a1", south, "b1"]
    with pytest.raises(routes.ValidationError, match=r"already has 2 crossing node\(s\)"):
        routes.attach_crossings(H, _tiny_crossings())


def test_attach_crossings_on_a_user_geopackage_cut_from_the_bundled_roads(
    G: nx.MultiDiGraph, crossings: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    # A user's road file for Slavonia-Srem-Semberija: the bundled road links between plain
    # junctions (no crossings, no connectors), so the HR-RS and BA-RS borders are open there.
    nodes, edges = routes.graph_to_gdfs(G)
    e = edges.reset_index()
    plain = nodes.index[nodes["kind"] == "junction"]
    inside = nodes.index[nodes["x"].between(18.0, 20.6) & nodes["y"].between(44.6, 45.6)]
    keep = (
        (e["mode"] == "road")
        & (e["u"] < e["v"])
        & ~e["connector"]
        & e["u"].isin(plain.intersection(inside))
        & e["v"].isin(plain.intersection(inside))
    )
    path = tmp_path / "slavonia.gpkg"
    e.loc[keep, ["geometry"]].to_file(path, layer="roads")
    U = routes.load_network(path=path)
    in_box = crossings[
        (crossings["mode"] == "road")
        & crossings.geometry.x.between(18.0, 20.6)
        & crossings.geometry.y.between(44.6, 45.6)
    ]
    sides = {"HR", "RS", "BA"}
    in_box = in_box[in_box["jurisdiction_a"].isin(sides) & in_box["jurisdiction_b"].isin(sides)]
    assert len(in_box) >= 5
    A = routes.attach_crossings(U, in_box)
    where = routes.crossing_nodes(A)
    assert set(where) == set(in_box["crossing_id"])
    for r in in_box.itertuples():
        reached = {A.nodes[v]["jurisdiction"] for _, v in A.out_edges(where[r.crossing_id])}
        assert {r.jurisdiction_a, r.jurisdiction_b} <= reached, r.crossing_id
    s = routes.nearest_node(A, 18.80, 45.29)  # Vinkovci HR
    t = routes.nearest_node(A, 20.4651, 44.8040)  # Belgrade RS
    route = nx.shortest_path(A, s, t, weight="length_m")
    used = [A.nodes[n]["crossing_id"] for n in route if A.nodes[n].get("crossing_id")]
    assert len(used) == 1
    row = in_box.set_index("crossing_id").loc[used[0]]
    assert {row["jurisdiction_a"], row["jurisdiction_b"]} == {"HR", "RS"}


def test_road_speed_assumption_by_shape_and_length() -> None:
    speed = nb.road_speed_kph(
        [1.0, 1 / 1.15, 1 / 1.3, 1 / 2.0, 1.0, 1.0], [20_000, 20_000, 20_000, 20_000, 3000, 500]
    )
    assert speed.tolist() == pytest.approx([100.0, 70.0, 55.0, 40.0, 70.0, 45.0])


def test_simplify_chains_merges_degree_two_nodes_but_not_across_borders() -> None:
    G = nx.MultiGraph()
    xs = [19.0, 19.1, 19.2, 19.3]
    jur = ["AA", "AA", "AA", "BB"]
    for i, (x, j) in enumerate(zip(xs, jur, strict=True)):
        G.add_node(i, x=x, y=44.0, jurisdiction=j, kind="junction")
    for i in range(3):
        line = LineString([(xs[i], 44.0), (xs[i + 1], 44.0)])
        G.add_edge(
            i,
            i + 1,
            _from=i,
            mode="road",
            length_m=1000.0 * (i + 1),
            travel_time_s=100.0,
            geometry=line,
        )
    H = nb.simplify_chains(G)
    assert sorted(H.nodes) == [0, 2, 3]  # node 2 stays: its neighbour 3 is across the border
    d = H.edges[0, 2, 0]
    assert d["length_m"] == 3000.0
    assert d["travel_time_s"] == 200.0
    assert len(d["geometry"].coords) == 3
    assert G.number_of_nodes() == 4


# ----------------------------------------------------------------------------- user networks
def _write_osmnx_graphml(path: Path, *, crs: str = "epsg:4326") -> None:
    G = nx.MultiDiGraph(crs=crs)
    coords = {1: (20.0, 44.0), 2: (20.1, 44.0), 3: (20.1, 44.1)}
    line = LineString([coords[2], (20.11, 44.05), coords[3]])
    if crs != "epsg:4326":
        from pyproj import Transformer

        tf = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        coords = {n: tf.transform(*c) for n, c in coords.items()}
        line = LineString([tf.transform(*c) for c in line.coords])
    for n, (x, y) in coords.items():
        G.add_node(n, x=str(x), y=str(y), street_count="2")
    G.add_edge(1, 2, 0, length="8000.5", highway="motorway", ref="A1;E 75", oneway="True")
    G.add_edge(2, 1, 0, length="8000.5", highway="motorway", ref="A1;E 75", oneway="True")
    G.add_edge(2, 3, 0, length="11500", highway="primary", geometry=line.wkt, speed_kph="80")
    nx.write_graphml(G, path)


def test_load_network_from_osmnx_graphml(tmp_path: Path) -> None:
    path = tmp_path / "tiny.graphml"
    _write_osmnx_graphml(path)
    G = routes.load_network(path=path)
    assert G.graph["crs"] == "EPSG:4326"
    assert sorted(G.nodes) == [1, 2, 3]
    assert G.nodes[1]["x"] == 20.0
    assert G.nodes[1]["jurisdiction"] == "RS"
    e = G.edges[1, 2, 0]
    assert e["length_m"] == 8000.5
    assert e["e_road"] == "E75"
    assert e["motorway"] is True
    assert e["mode"] == "road"
    assert e["speed_kph"] == 60.0
    assert e["travel_time_s"] == pytest.approx(8000.5 / (60 / 3.6))
    e = G.edges[2, 3, 0]
    assert len(e["geometry"].coords) == 3
    assert e["speed_kph"] == 80.0
    assert e["motorway"] is False


def test_load_network_from_projected_graphml_reprojects(tmp_path: Path) -> None:
    path = tmp_path / "projected.graphml"
    _write_osmnx_graphml(path, crs="epsg:3035")
    G = routes.load_network(path=path)
    assert G.nodes[3]["x"] == pytest.approx(20.1, abs=1e-7)
    assert G.nodes[3]["y"] == pytest.approx(44.1, abs=1e-7)
    assert G.edges[2, 3, 0]["geometry"].coords[1] == pytest.approx((20.11, 44.05), abs=1e-7)


def test_graphml_with_bad_coordinates_lists_every_problem(tmp_path: Path) -> None:
    G = nx.MultiDiGraph(crs="epsg:4326")
    G.add_node("a", x="twenty", y="44")
    G.add_node("b", y="44")
    G.add_edge("a", "b", length="5")
    path = tmp_path / "bad.graphml"
    nx.write_graphml(G, path)
    with pytest.raises(
        routes.ValidationError, match=r"(?s)2 problem.*'twenty'.*needs numeric"
    ) as exc:
        routes.load_network(path=path)
    assert {p.reason for p in exc.value.problems} == {"bad_coordinate"}


def _lines() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "name": ["west", "east", "spur"],
            "speed_kph": [100.0, None, 30.0],
            "oneway": [False, False, True],
            "ref": ["E 75", None, None],
        },
        geometry=[
            LineString([(20.0, 44.0), (20.1, 44.0)]),
            LineString([(20.1, 44.0), (20.2, 44.0), (20.2, 44.1)]),
            LineString([(20.2, 44.1), (20.3, 44.1)]),
        ],
        crs=4326,
    )


def test_load_network_from_geopackage_of_lines(tmp_path: Path) -> None:
    path = tmp_path / "roads.gpkg"
    src = _lines().to_crs(3035)  # a projected file is reprojected on the way in
    src.to_file(path, layer="roads")
    G = routes.load_network(path=path)
    assert G.number_of_nodes() == 4
    assert G.number_of_edges() == 5  # two two-way lines and one one-way
    ends = {(round(G.nodes[u]["x"], 6), round(G.nodes[v]["x"], 6)) for u, v in G.edges()}
    assert (20.3, 20.2) not in ends
    assert (20.2, 20.3) in ends
    west = next(d for _, _, d in G.edges(data=True) if d.get("name") == "west")
    expected = float(gpd.GeoSeries([_lines().geometry[0]], crs=4326).to_crs(3035).length[0])
    assert west["length_m"] == pytest.approx(expected, rel=1e-6)
    assert west["e_road"] == "E75"
    assert west["speed_kph"] == 100.0
    east = next(d for _, _, d in G.edges(data=True) if d.get("name") == "east")
    assert east["speed_kph"] == 60.0
    assert east["source_row"] == 2


def test_geopackage_with_several_layers_needs_layer(tmp_path: Path) -> None:
    path = tmp_path / "two.gpkg"
    _lines().to_file(path, layer="roads")
    _lines().iloc[:1].to_file(path, layer="tracks")
    with pytest.raises(routes.ValidationError, match=r"2 layers \(roads, tracks\).*layer="):
        routes.load_network(path=path)
    assert routes.load_network(path=path, layer="tracks").number_of_edges() == 2


def test_line_file_errors_name_row_column_value(tmp_path: Path) -> None:
    bad = _lines()
    bad.loc[1, "geometry"] = Point(20.1, 44.0)
    bad["speed_kph"] = [100.0, -5.0, 30.0]
    path = tmp_path / "bad.gpkg"
    bad.to_file(path)
    with pytest.raises(routes.ValidationError, match=r"row 2.*'Point' is not a line") as exc:
        routes.load_network(path=path)
    found = {(p.row, p.column, p.reason) for p in exc.value.problems}
    assert found == {(2, "geometry", "not_a_line"), (2, "speed_kph", "bad_speed")}
    nocrs = tmp_path / "nocrs.gpkg"
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        _lines().set_crs(None, allow_override=True).to_file(nocrs)
    with pytest.raises(routes.ValidationError, match="no coordinate reference system"):
        routes.load_network(path=nocrs)
    (tmp_path / "net.txt").write_text("x")
    with pytest.raises(routes.ValidationError, match=r"unknown network file type '\.txt'"):
        routes.load_network(path=tmp_path / "net.txt")
    with pytest.raises(routes.ValidationError, match="network file not found"):
        routes.load_network(path=tmp_path / "missing.gpkg")


# ----------------------------------------------------------------------------- converters
def test_graph_gdfs_round_trip_on_a_piece_of_the_bundled_network(G: nx.MultiDiGraph) -> None:
    n0 = routes.crossing_nodes(G)["RS-HR-BATROVCI"]
    piece = G.subgraph(nx.ego_graph(G, n0, radius=3, undirected=True)).copy()
    nodes, edges = routes.graph_to_gdfs(piece)
    assert nodes.crs == edges.crs == "EPSG:4326"
    assert edges.index.names == ["u", "v", "key"]
    assert nodes.loc[n0, "crossing_id"] == "RS-HR-BATROVCI"
    assert nodes.loc[n0, "geometry"].equals(Point(piece.nodes[n0]["x"], piece.nodes[n0]["y"]))
    back = routes.graph_from_gdfs(nodes, edges)
    assert back.graph["crs"] == "EPSG:4326"
    assert set(back.nodes) == set(piece.nodes)
    assert set(back.edges(keys=True)) == set(piece.edges(keys=True))
    for u, v, k, d in piece.edges(keys=True, data=True):
        b = back.edges[u, v, k]
        assert b["geometry"].equals(d["geometry"])
        assert {c: b.get(c) for c in d if c != "geometry"} == {
            c: val for c, val in d.items() if c != "geometry"
        }
    for n, d in piece.nodes(data=True):
        assert back.nodes[n] == d
    only_edges = routes.graph_to_gdfs(piece, nodes=False)
    assert isinstance(only_edges, gpd.GeoDataFrame)
    assert len(only_edges) == len(edges)


def test_graph_from_gdfs_reports_unknown_nodes_and_missing_crs() -> None:
    nodes = gpd.GeoDataFrame({"x": [20.0], "y": [44.0]}, geometry=[Point(20.0, 44.0)])
    edges = gpd.GeoDataFrame(
        {"u": [0], "v": [7]}, geometry=[LineString([(20, 44), (21, 44)])], crs=4326
    )
    with pytest.raises(routes.ValidationError, match=r"no CRS") as exc:
        routes.graph_from_gdfs(nodes, edges)
    assert len(exc.value.problems) == 1
    nodes = nodes.set_crs(4326)
    with pytest.raises(routes.ValidationError, match=r"row 1.*v=7 is not a node id"):
        routes.graph_from_gdfs(nodes, edges)


def test_graph_from_gdfs_refuses_duplicate_node_ids() -> None:
    nodes = gpd.GeoDataFrame(
        {"x": [20.0, 20.1]}, geometry=[Point(20.0, 44.0), Point(20.1, 44.0)], crs=4326
    ).set_axis([5, 5])
    edges = gpd.GeoDataFrame(
        {"u": [5], "v": [5]}, geometry=[LineString([(20, 44), (20.1, 44)])], crs=4326
    )
    with pytest.raises(routes.ValidationError, match=r"repeated: \[5\]"):
        routes.graph_from_gdfs(nodes, edges)


def test_graph_to_gdfs_needs_a_crs() -> None:
    G = nx.MultiDiGraph()
    G.add_node(1, x=1.0, y=2.0)
    with pytest.raises(routes.ValidationError, match=r"G.graph\['crs'\]"):
        routes.graph_to_gdfs(G)


def test_bundled_files_are_compact(repo: Path) -> None:
    sizes = {p.name: p.stat().st_size for p in (repo / "data" / "network").glob("*.parquet")}
    assert set(sizes) == {"nodes.parquet", "edges.parquet", "reach.parquet"}
    assert sum(sizes.values()) < 4_000_000
    assert sizes["reach.parquet"] < 100_000  # the reach polygon of the region test
    edges = gpd.read_parquet(repo / "data" / "network" / "edges.parquet")
    coords = np.concatenate([np.asarray(g.coords) for g in edges.geometry[:2000]])
    assert np.allclose(coords, np.round(coords, 5))
