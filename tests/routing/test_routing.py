"""Routing: profiles, alternatives, logit probabilities, waypoints and legs.

Tiny hand-built network: tests/fixtures/routing/tiny.py (drawing and link table there).

Hand computation for "Origin town" -> "Dest town" (snapped to O and D):

least_time (600 s per official crossing, green-border edges x3):
    via C1: 3600 + (1800 + 600) + 1800 + 3600 = 11400 s
    via C2: 3600 + (2400 + 600) + 2400 + 3600 = 12600 s
    green : 3600 + 3000 * 3           + 3600 = 16200 s (<= 1.5 * 11400 = 17100: kept)
least_distance (no penalty, green x3):
    via C1: 300 km; via C2: 320 km; green: 100 + 270 + 100 = 470 km > 450 km (dropped)
avoid_official_crossings (10800 s per crossing, green x1.5):
    green 3600 + 4500 + 3600 = 11700; via C1 21600 > 1.5 * 11700 = 17550 (dropped)
prefer_green_border (3600 s per crossing, green x0.5):
    green 3600 + 1500 + 3600 = 8700; via C1 14400 > 13050 (dropped)
avoid_motorways (J-C1 and C1-K are motorway, x3):
    via C2 12600; green 16200; via C1 3600 + 5400 + 600 + 5400 + 3600 = 18600 (<= 18900)

Logit, theta = 10, least_time: relative excess r = (c - 11400) / 11400 = 0, 0.105263, 0.421053
    weights exp(-10 r) = 1, 0.349018, 0.014840 (e^-1 * e^-0.052632 = 0.367879 * 0.948729;
    e^-4 * e^-0.210526 = 0.018316 * 0.810216); sum 1.363858
    p = 1 / 1.363858 = 0.733215, 0.349018 / 1.363858 = 0.255905, 0.014840 / 1.363858 = 0.010880
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from fixtures.routing import tiny
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

import routes


@pytest.fixture(scope="module")
def G():  # noqa: N802 - networkx convention
    return tiny.tiny_graph()


def _between(G, profile, **kw):  # noqa: N803
    return routes.route_between(
        "Origin town", "Dest town", G, profile=profile, gazetteer=tiny.PLACES, **kw
    )


# --------------------------------------------------------------------------------------------
# profiles and alternatives
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("profile", "crossings", "green", "costs"),
    [
        ("least_time", ["RS-MK-ONE", "RS-MK-TWO", ""], [False, False, True], [11400, 12600, 16200]),
        ("least_distance", ["RS-MK-ONE", "RS-MK-TWO"], [False, False], [300_000, 320_000]),
        ("avoid_official_crossings", [""], [True], [11700]),
        ("prefer_green_border", [""], [True], [8700]),
        (
            "avoid_motorways",
            ["RS-MK-TWO", "", "RS-MK-ONE"],
            [False, True, False],
            [12600, 16200, 18600],
        ),
    ],
)
def test_profiles_give_the_hand_computed_paths(G, profile, crossings, green, costs):  # noqa: N803
    r = _between(G, profile, k=3)
    assert r["crossings"].tolist() == crossings
    assert r["green_border"].tolist() == green
    assert r["cost"].to_numpy() == pytest.approx(costs, abs=1e-3)
    assert r["probability"].sum() == pytest.approx(1.0)
    assert r["alternative"].tolist() == list(range(len(crossings)))


def test_logit_probabilities_by_hand(G):  # noqa: N803
    r = _between(G, "least_time", k=3, theta=10.0)
    assert r["probability"].to_numpy() == pytest.approx([0.733215, 0.255905, 0.010880], abs=2e-6)
    # theta = 0: uniform over the alternatives
    r0 = _between(G, "least_time", k=3, theta=0.0)
    assert r0["probability"].to_numpy() == pytest.approx([1 / 3] * 3)
    # k = 1: the best path only, certain
    r1 = _between(G, "least_time", k=1)
    assert r1["probability"].tolist() == [1.0]
    assert r1["crossings"].tolist() == ["RS-MK-ONE"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(st.floats(1.0, 1e7), st.just(0.0)),
            min_size=1,
            max_size=4,  # seconds
        ),
        max_size=12,
    ),
    st.sampled_from([0.0, 1.0, 10.0, 37.5]),
)
def test_logit_of_all_groups_at_once_is_the_logit_of_each(
    groups: list[list[float]], theta: float
) -> None:
    from routes.routing._options import logit, logit_groups

    flat = np.array([c for g in groups for c in g], dtype=float)
    sizes = np.array([len(g) for g in groups], dtype=np.int64)
    got = logit_groups(flat, sizes, theta)
    want = [p for g in groups for p in logit(np.array(g), theta).tolist()]
    assert got.tolist() == want  # the same floats, not nearly


def test_lengths_times_and_geometry_of_the_best_path(G):  # noqa: N803
    r = _between(G, "least_time", k=1)
    row = r.iloc[0]
    assert row.length_m == pytest.approx(300_000)
    assert row.travel_time_s == pytest.approx(10_800)
    assert list(row.geometry.coords) == [(20, 44), (20, 43), (20, 42.5), (20, 42), (20, 41)]


def test_profile_overrides_and_custom_profile(G):  # noqa: N803
    # a zero crossing penalty and free green border: green (3600+3000+3600) beats C1 (10800)
    p = routes.get_profile("least_time", crossing_penalty=0.0, green_border_factor=1.0)
    r = _between(G, p, k=1)
    assert r["crossings"].tolist() == [""]
    assert r["cost"].iloc[0] == pytest.approx(10200)
    custom = routes.CostProfile(name="mine", base="length_m", crossing_penalty=50_000.0)
    r2 = _between(G, custom, k=1)
    assert r2["cost"].iloc[0] == pytest.approx(350_000)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"profile": "fastest"}, r"cost profile 'fastest' is not known; use one of"),
        ({"k": 0}, r"k=0 must be an integer >= 1"),
        ({"theta": -1.0}, r"theta=-1.0 must be a finite number >= 0"),
        ({"max_stretch": 0.5}, r"max_stretch=0.5 must be a number >= 1"),
        ({"closed": ["RS-MK-ONEE"]}, r"'RS-MK-ONEE' to close .*did you mean RS-MK-ONE"),
    ],
)
def test_bad_options_are_rejected(G, kwargs, match):  # noqa: N803
    frame = pd.DataFrame({"incident_id": ["a"], "origin": ["Origin town"]})
    with pytest.raises(routes.ValidationError, match=match):
        routes.route_incidents(frame, G, gazetteer=tiny.PLACES, **kwargs)


def test_bad_profile_fields_are_rejected():
    with pytest.raises(routes.ValidationError, match=r"crossing_penalty=-1 must be a number >= 0"):
        routes.CostProfile(crossing_penalty=-1)
    with pytest.raises(routes.ValidationError, match=r"base 'minutes' is not supported"):
        routes.CostProfile(base="minutes")  # type: ignore[arg-type]
    with pytest.raises(routes.ValidationError, match=r"has no field\(s\) \['speed'\]"):
        routes.get_profile("least_time", speed=3)


def test_missing_columns_are_rejected(G):  # noqa: N803
    with pytest.raises(routes.ValidationError, match=r"no 'incident_id' column"):
        routes.route_incidents(pd.DataFrame({"origin": ["x"]}), G)
    with pytest.raises(routes.ValidationError, match=r"none of the waypoint columns"):
        routes.route_incidents(pd.DataFrame({"incident_id": ["x"]}), G)
    with pytest.raises(routes.ValidationError, match=r"instead got list"):
        routes.route_incidents([1, 2], G)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# incidents: waypoints, legs, grouping, unrouted
# --------------------------------------------------------------------------------------------
def _incidents() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "source_row": [1, 2, 3, 4, 5, 6],
            "incident_id": ["a", "b", "c", "d", "e", "f"],
            "date": pd.to_datetime(
                ["2022-01-05", "2022-06-01", "2023-03-01", "2023-04-01", "2023-05-01", None]
            ),
            "category": ["pistol", "rifle", "pistol", "pistol", "pistol", "pistol"],
            "quantity": [2, 5, 1, 1, 3, 1],
            "ocg_involved": [True, False, None, True, True, False],
            "origin": [
                "Origin town",
                "Origin town",
                "Atlantis",
                None,
                "Origin town",
                "Origin town",
            ],
            "transit": [None, None, None, None, None, None],
            "crossing": [None, "RS-MK-TWO", None, None, None, "RS-MK-TWO"],
            "destination": ["Dest town", "Dest town", "Dest town", None, "Dest town", None],
        },
        # b is seized at K (after crossing TWO); d has a seizure point only; e: no point
        geometry=[None, Point(20.0, 42.0), None, Point(20.0, 43.0), None, Point(20.0, 42.0)],
        crs="EPSG:4326",
    )


def test_route_incidents_legs_observed_and_unrouted(G):  # noqa: N803
    res = routes.route_incidents(_incidents(), G, k=1, gazetteer=tiny.PLACES)
    # c: unknown place; d: nothing but the seizure point -> both listed with the reason
    un = res.unrouted.set_index("incident_id")
    assert sorted(un.index) == ["c", "d"]
    assert "place 'Atlantis' not in the gazetteer" in un.loc["c", "reason"]
    assert "only one waypoint (seizure location)" in un.loc["d", "reason"]
    assert un.loc["c", "source_row"] == 3
    routes_ = res.routes.set_index("incident_id")
    assert routes_.loc["a", "crossings"] == "RS-MK-ONE"
    assert routes_.loc["b", "crossings"] == "RS-MK-TWO"  # the record's crossing is obeyed
    assert routes_.loc["f", "crossings"] == "RS-MK-TWO"
    # a and e are the same trip: one distinct sequence, routed once
    assert routes_.loc["a", "path_id"] == routes_.loc["e", "path_id"]
    assert len(res.path_table) == 3
    legs = res.legs
    b = legs[legs.incident_id == "b"].sort_values("leg")
    assert b["start"].tolist() == ["Origin town", "RS-MK-TWO", "seizure location"]
    assert b["end"].tolist() == ["RS-MK-TWO", "seizure location", "Dest town"]
    assert b["status"].tolist() == ["observed"] * 3
    assert {"incident_id", "alternative", "leg", "start", "end", "status", "geometry"} <= set(
        legs.columns
    )
    # the legs of b join up into its route
    assert sum(g.length for g in b.geometry) == pytest.approx(routes_.loc["b"].geometry.length)


def test_routes_table_has_the_contract_columns(G):  # noqa: N803
    res = routes.route_incidents(_incidents(), G, k=3, gazetteer=tiny.PLACES)
    cols = [
        "incident_id",
        "alternative",
        "probability",
        "path_id",
        "cost",
        "length_m",
        "travel_time_s",
        "crossings",
        "green_border",
        "date",
        "category",
        "modus_operandi",
        "quantity",
        "ocg_involved",
        "migrants_involved",
        "jurisdiction",
        "candidate",
        "inferred",
        "geometry",
    ]
    assert list(res.routes.columns) == cols
    assert res.routes.crs == "EPSG:4326"
    sums = res.routes.groupby("incident_id")["probability"].sum()
    assert np.allclose(sums.to_numpy(), 1.0)
    assert res.paths[0][0] == ("O", "J", 0)
    assert len(res) == 6


def test_progress_bar_and_read_result(G, capsys):  # noqa: N803
    class ReadResult:  # what read_incidents(strict=False) returns, reduced to its rows
        accepted = _incidents()

    res = routes.route_incidents(ReadResult(), G, progress=True, gazetteer=tiny.PLACES)
    assert len(res) == 6
    assert "routing sequences" in capsys.readouterr().err


def test_closed_crossing_reroutes(G):  # noqa: N803
    frame = pd.DataFrame(
        {"incident_id": ["a"], "origin": ["Origin town"], "destination": ["Dest town"]}
    )
    res = routes.route_incidents(frame, G, k=1, closed=["RS-MK-ONE"], gazetteer=tiny.PLACES)
    assert res.routes["crossings"].tolist() == ["RS-MK-TWO"]
    assert res.closed == ("RS-MK-ONE",)


def test_input_is_not_mutated(G):  # noqa: N803
    inc = _incidents()
    before = inc.copy()
    n_edges = G.number_of_edges()
    routes.route_incidents(inc, G, gazetteer=tiny.PLACES)
    pd.testing.assert_frame_equal(inc, before)
    assert G.number_of_edges() == n_edges


# --------------------------------------------------------------------------------------------
# the bundled network
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def net():
    return routes.load_network()


def _best_crossing(r: gpd.GeoDataFrame) -> dict[str, float]:
    return r.groupby("crossings")["probability"].sum().to_dict()


def test_belgrade_skopje_goes_through_presevo(net):
    r = routes.route_between("Belgrade", "Skopje", net)
    assert r["crossings"].iloc[0] == "RS-MK-PRESEVO"
    # the defaults keep a clear-cut case clear (0.93 on the bundled network)
    assert _best_crossing(r)["RS-MK-PRESEVO"] > 0.8
    assert 380_000 < r["length_m"].iloc[0] < 480_000  # ~430 km by road


def test_tirana_podgorica_goes_through_hani_i_hotit(net):
    r = routes.route_between("Tirana", "Podgorica", net)
    assert r["crossings"].iloc[0] == "AL-ME-HANI-I-HOTIT"
    assert _best_crossing(r)["AL-ME-HANI-I-HOTIT"] > 0.8  # 0.99 on the bundled network
    assert 120_000 < r["length_m"].iloc[0] < 200_000  # ~160 km


@pytest.mark.parametrize(
    ("origin", "destination", "crossing"),
    [
        ("Belgrade", "Zagreb", "RS-HR-BATROVCI"),  # E70 motorway
        ("Sofia", "Niš", "RS-BG-GRADINA"),  # E80
        ("Pristina", "Skopje", "XK-MK-HANI-I-ELEZIT"),  # E65
        ("Skopje", "Thessaloniki", "MK-GR-BOGORODICA"),  # E75
        ("Novi Sad", "Szeged", "RS-HU-HORGOS"),  # E75
    ],
)
def test_known_corridors(net, origin, destination, crossing):
    r = routes.route_between(origin, destination, net, k=1)
    assert r["crossings"].iloc[0] == crossing


def test_country_waypoints_follow_the_documented_rule(net):
    r = routes.route_between("BA", "DE", net, k=1)
    legs = r.attrs["legs"]
    assert legs["status"].tolist() == ["inferred"]
    assert "country_hubs" in legs["rule"].iloc[0]
    assert "country_gateway" in legs["rule"].iloc[0]
    assert legs["start"].iloc[0].startswith("BA hubs: Sarajevo")
    assert legs["end"].iloc[0].startswith("DE via ")
    # the route leaves Bosnia and Herzegovina into Croatia
    assert r["crossings"].iloc[0].split("|")[0].startswith("BA-HR-")


def test_country_without_hub_or_gateway_is_reported(G):  # noqa: N803
    # the tiny network lies far from every hub and gateway of Germany
    with pytest.raises(routes.ValidationError, match=r"country DE has no node in the network"):
        routes.route_between("Origin town", "Germany", G, gazetteer=tiny.PLACES)


def test_train_incidents_may_use_rail(net):
    frame = pd.DataFrame(
        {
            "incident_id": ["road", "rail"],
            "origin": ["Belgrade", "Belgrade"],
            "destination": ["Zagreb", "Zagreb"],
            "modus_operandi": ["private_vehicle", "train"],
        }
    )
    res = routes.route_incidents(frame, net, k=1)
    ix_modes = {}
    from routes.routing._index import graph_index

    ix = graph_index(net)
    for pid, inc in zip(res.assignments.path_id, res.assignments.incident, strict=True):
        ix_modes[res.incidents.incident_id[inc]] = set(ix.mode[res.path_edges[pid]])
    assert "rail" not in ix_modes["road"]
    assert math.isfinite(res.path_table.cost.max())


def test_text_column_cleans_each_distinct_value_like_every_row() -> None:
    from routes.routing._frame import text_column

    def every_row(values: pd.Series) -> list[object]:
        return values.astype("string").str.strip().fillna("").tolist()

    cases = [
        pd.Series([" a", None, "b ", " a", np.nan], dtype=object),
        pd.Series([" a", None, "b "], dtype="str"),
        pd.Series([1.0, np.nan, 2.5]),
        pd.Series(pd.Categorical(["x ", None, "x "])),
        pd.Series([1, "1", " 1", True], dtype=object),
        pd.Series([None, None], dtype=object),
        pd.Series([], dtype=object),
    ]
    for values in cases:
        got = text_column(values)
        assert got.dtype == object
        assert got.tolist() == every_row(values), values.tolist()
        assert all(type(x) is str for x in got)
