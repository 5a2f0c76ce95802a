"""Flow aggregation on the tiny network (tests/fixtures/routing/tiny.py).

Incidents (least_time, k = 3, theta = 10; probabilities from tests/test_routing.py):

- a (2022-01-05, pistol, qty 2, OCG) and e (2023-05-01, pistol, qty 3, OCG): Origin -> Dest,
  three alternatives: via C1 p1 = 0.733215, via C2 p2 = 0.255905, green J-K p3 = 0.010880.
- b (2022-06-01, rifle, qty 5): Origin -> crossing TWO -> seized at K -> Dest: one path
  O-J-C2-K-D (every alternative leg costs more than 1.5 x its best leg).
- f (undated, pistol, qty 1): Origin -> crossing TWO -> seized at K: O-J-C2-K.

By hand:
- edge O->J: 4 incidents (a + b + e + f), quantity 2 + 5 + 3 + 1 = 11
- edge J->C1: 2 p1 = 1.466430, quantity 5 p1 = 3.666075
- edge J->C2: 2 p2 + 2 = 2.511810, quantity 5 p2 + 5 + 1 = 7.279525
- edge J->K (green): 2 p3 = 0.021760
- edge K->D: 3 (a, b, e), quantity 10
- crossings: RS-MK-TWO 2.511810, RS-MK-ONE 1.466430
- corridors: E75 (O-J, J-C1, C1-K, K-D) used by all 4 -> 4; E65 (K-D) by a, b, e -> 3
- pair RS -> MK: 4 incidents, quantity 11
"""

from __future__ import annotations

import pytest
from fixtures.analysis.flows import P1, P2, P3, flows_incidents
from fixtures.routing import tiny
from shapely.geometry import Point

import routes


@pytest.fixture(scope="module")
def result():
    return routes.route_incidents(
        flows_incidents(), tiny.tiny_graph(), k=3, theta=10.0, gazetteer=tiny.PLACES
    )


def _edge(df, u, v):
    row = df[(df.u == u) & (df.v == v)]
    assert len(row) == 1, (u, v)
    return row.iloc[0]


def test_edge_flows_by_hand(result):
    ef = routes.edge_flows(result)
    assert _edge(ef, "O", "J").incidents == pytest.approx(4)
    assert _edge(ef, "O", "J").quantity == pytest.approx(11)
    assert _edge(ef, "J", "C1").incidents == pytest.approx(2 * P1, abs=1e-5)
    assert _edge(ef, "J", "C1").quantity == pytest.approx(5 * P1, abs=1e-5)
    assert _edge(ef, "J", "C2").incidents == pytest.approx(2 * P2 + 2, abs=1e-5)
    assert _edge(ef, "J", "C2").quantity == pytest.approx(5 * P2 + 6, abs=1e-5)
    assert _edge(ef, "J", "K").incidents == pytest.approx(2 * P3, abs=1e-5)
    assert bool(_edge(ef, "J", "K").green_border)
    assert _edge(ef, "K", "D").incidents == pytest.approx(3)
    assert not ((ef.u == "J") & (ef.v == "O")).any()  # no flow the other way
    assert ef.crs == "EPSG:4326"
    assert ef.incidents.is_monotonic_decreasing
    assert {"u", "v", "key", "incidents", "quantity", "mode", "e_road", "geometry"} <= set(
        ef.columns
    )


def test_crossing_corridor_pair_flows_by_hand(result):
    cf = routes.crossing_flows(result).set_index("crossing_id")
    assert cf.loc["RS-MK-TWO", "incidents"] == pytest.approx(2 * P2 + 2, abs=1e-5)
    assert cf.loc["RS-MK-ONE", "incidents"] == pytest.approx(2 * P1, abs=1e-5)
    assert cf.loc["RS-MK-ONE", "quantity"] == pytest.approx(5 * P1, abs=1e-5)
    assert cf.loc["RS-MK-ONE", "jurisdiction_a"] == "RS"
    assert cf.loc["RS-MK-ONE", "jurisdiction_b"] == "MK"
    assert cf.loc["RS-MK-TWO", "share"] == pytest.approx((2 * P2 + 2) / 4, abs=1e-5)
    assert cf.loc["RS-MK-ONE"].geometry.equals(Point(20.0, 42.5))
    co = routes.corridor_flows(result).set_index("e_road")
    assert co.loc["E75", "incidents"] == pytest.approx(4)
    assert co.loc["E65", "incidents"] == pytest.approx(3)
    assert co.loc["E65", "quantity"] == pytest.approx(10)
    assert co.loc["E65", "length_m"] == pytest.approx(100_000)
    pf = routes.pair_flows(result)
    assert pf[["from_jurisdiction", "to_jurisdiction", "pair"]].values.tolist() == [
        ["RS", "MK", "MK-RS"]
    ]
    assert pf.incidents.iloc[0] == pytest.approx(4)
    assert pf.quantity.iloc[0] == pytest.approx(11)


def test_path_flows_sum_to_the_incidents(result):
    pf = routes.path_flows(result)
    assert pf.incidents.sum() == pytest.approx(4)
    assert pf.quantity.sum() == pytest.approx(11)


@pytest.mark.parametrize(
    ("filters", "j_c1", "j_c2"),
    [
        ({"category": "rifle"}, 0.0, 1.0),
        ({"category": ["pistol"]}, 2 * P1, 2 * P2 + 1),
        ({"start": "2023-01-01"}, P1, P2),
        ({"end": "2022-06-01"}, P1, P2 + 1),  # the end day is included
        ({"ocg_involved": True}, 2 * P1, 2 * P2),
        ({"ocg_involved": False}, 0.0, 2.0),
        ({"modus_operandi": ["truck", "bus"]}, 0.0, 2.0),
    ],
)
def test_filters(result, filters, j_c1, j_c2):
    ef = routes.edge_flows(result, **filters)
    got = {(r.u, r.v): r.incidents for r in ef.itertuples()}
    assert got.get(("J", "C1"), 0.0) == pytest.approx(j_c1, abs=1e-5)
    assert got.get(("J", "C2"), 0.0) == pytest.approx(j_c2, abs=1e-5)


def test_bad_filters(result):
    with pytest.raises(routes.ValidationError, match=r"start='last year' is not a date"):
        routes.edge_flows(result, start="last year")
    with pytest.raises(routes.ValidationError, match=r"start 2023-01-01 is after end 2022-01-01"):
        routes.crossing_flows(result, start="2023-01-01", end="2022-01-01")


def test_compare_periods(result):
    cmp = routes.compare_periods(result, ("2022-01-01", "2022-12-31"), ("2023-01-01", "2023-12-31"))
    c = cmp[cmp.level == "crossing"].set_index("key")
    # 2022: a (split) + b (TWO); 2023: e (split)
    assert c.loc["RS-MK-TWO", "incidents_a"] == pytest.approx(P2 + 1, abs=1e-5)
    assert c.loc["RS-MK-TWO", "incidents_b"] == pytest.approx(P2, abs=1e-5)
    assert c.loc["RS-MK-TWO", "change"] == pytest.approx(-1.0, abs=1e-5)
    assert c.loc["RS-MK-ONE", "change"] == pytest.approx(0.0, abs=1e-5)
    k = cmp[cmp.level == "corridor"].set_index("key")
    assert k.loc["E75", "incidents_a"] == pytest.approx(2)
    assert k.loc["E75", "incidents_b"] == pytest.approx(1)
    assert k.loc["E75", "change_pct"] == pytest.approx(-50.0)
    assert k.loc["E75", "quantity_change"] == pytest.approx(3 - 7)
    with pytest.raises(routes.ValidationError, match=r"period_b='2023' must be a \(start, end\)"):
        routes.compare_periods(result, ("2022-01-01", None), "2023")  # type: ignore[arg-type]
    with pytest.raises(routes.ValidationError, match=r"levels \['road'\] not supported"):
        routes.compare_periods(result, (None, None), (None, None), levels=["road"])


def test_filter_values_are_canonicalised_and_unknown_ones_rejected(result):
    by_synonym = routes.edge_flows(result, category="Pištolj")
    by_value = routes.edge_flows(result, category="pistol")
    assert len(by_value) > 0
    assert by_synonym["incidents"].tolist() == by_value["incidents"].tolist()
    with pytest.raises(routes.ValidationError, match=r"unknown category 'pistoll'.*'pistol'"):
        routes.edge_flows(result, category="pistoll")
    with pytest.raises(routes.ValidationError, match=r"unknown modus_operandi 'hovercraft'"):
        routes.crossing_flows(result, modus_operandi="hovercraft")


def test_chokepoints_top_must_be_positive(result):
    assert len(routes.chokepoints(result, top=1)) == 1
    for bad in (0, -3):
        with pytest.raises(routes.ValidationError, match=r"top must be a whole number >= 1"):
            routes.chokepoints(result, top=bad)
