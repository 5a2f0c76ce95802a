"""Choke points on the tiny network (tests/fixtures/routing/tiny.py; the incidents of
tests/fixtures/analysis/flows.py).

By hand, flow betweenness (interior nodes only; k = 3, theta = 10):
- J: a, b, e, f all pass -> 4
- C2: b, f and a, e with p2 -> 2 + 2 * 0.255905 = 2.511810
- K: a, b, e pass (3); f ENDS at K (its seizure point), so it does not count -> 3
- C1: 2 * 0.733215 = 1.466430
- O and D are endpoints only -> absent.

Minimum cut RS | MK by crossings: RS-MK-ONE, RS-MK-TWO and the green link J-K -> 3.
Minimum cut Origin | Dest by edges: one link (O-J or K-D) -> 1.

What-if (k = 1): before, a and e use ONE, b and f (which name TWO) use TWO: 2 and 2.
Close ONE -> a and e re-route to TWO: ONE 0, TWO 4, 2 incidents re-routed.
Close TWO -> b and f lose their stated crossing and take ONE: ONE 4, TWO 0.
"""

from __future__ import annotations

import pandas as pd
import pytest
from fixtures.analysis.flows import P1, P2, flows_incidents
from fixtures.routing import tiny

import routes


@pytest.fixture(scope="module")
def graph():
    return tiny.tiny_graph()


def _route(graph, k):
    return routes.route_incidents(flows_incidents(), graph, k=k, theta=10.0, gazetteer=tiny.PLACES)


def test_flow_betweenness_by_hand(graph):
    fb = routes.flow_betweenness(_route(graph, 3))
    got = dict(zip(fb.node, fb.incidents, strict=True))
    assert set(got) == {"J", "C2", "K", "C1"}
    assert got["J"] == pytest.approx(4)
    assert got["K"] == pytest.approx(3)
    assert got["C2"] == pytest.approx(2 + 2 * P2, abs=1e-5)
    assert got["C1"] == pytest.approx(2 * P1, abs=1e-5)
    assert fb["rank"].tolist() == [1, 2, 3, 4]
    assert fb.node.tolist() == ["J", "K", "C2", "C1"]
    assert fb.share.iloc[0] == pytest.approx(1.0)
    crossings = routes.flow_betweenness(_route(graph, 3), kind="crossing")
    assert crossings.crossing_id.tolist() == ["RS-MK-TWO", "RS-MK-ONE"]
    assert routes.chokepoints(_route(graph, 3), top=2).node.tolist() == ["J", "K"]
    with pytest.raises(routes.ValidationError, match=r"kind='bridges' not supported"):
        routes.flow_betweenness(_route(graph, 1), kind="bridges")  # type: ignore[arg-type]


def test_min_cut_by_crossings_and_by_edges(graph):
    cut = routes.min_cut(graph, "RS", "MK")
    assert cut.attrs["cut_value"] == 3
    assert sorted(cut.crossing_id.dropna()) == ["RS-MK-ONE", "RS-MK-TWO"]
    green = cut[cut.element == "green_border"]
    assert len(green) == 1
    assert {green.u.iloc[0], green.v.iloc[0]} == {"J", "K"}
    edges = routes.min_cut(graph, ["O"], ["D"], by="edges")
    assert edges.attrs["cut_value"] == 1
    assert len(edges) == 1
    assert {edges.u.iloc[0], edges.v.iloc[0]} in ({"O", "J"}, {"K", "D"})
    # a RouteResult works too
    assert routes.min_cut(_route(graph, 1), "RS", "MK").attrs["cut_value"] == 3


def test_min_cut_errors(graph):
    with pytest.raises(routes.ValidationError, match=r"origin item 'XX' is neither a node"):
        routes.min_cut(graph, "XX", "MK")
    with pytest.raises(routes.ValidationError, match=r"regions overlap in 1 node"):
        routes.min_cut(graph, ["O"], ["O", "D"])
    with pytest.raises(routes.ValidationError, match=r"by='nodes' not supported"):
        routes.min_cut(graph, "RS", "MK", by="nodes")  # type: ignore[arg-type]


def test_what_if_closing_one(graph):
    before = _route(graph, 1)
    w = routes.what_if(before, ["RS-MK-ONE"])
    c = w.crossings.set_index("crossing_id")
    assert c.loc["RS-MK-ONE", "incidents_before"] == pytest.approx(2)
    assert c.loc["RS-MK-ONE", "incidents_after"] == pytest.approx(0)
    assert c.loc["RS-MK-TWO", "incidents_before"] == pytest.approx(2)
    assert c.loc["RS-MK-TWO", "incidents_after"] == pytest.approx(4)
    assert c.loc["RS-MK-TWO", "change"] == pytest.approx(2)
    assert w.rerouted == pytest.approx(2)
    assert w.closed == ["RS-MK-ONE"]
    assert len(w.unroutable) == 0
    e = w.edges.set_index(["u", "v"])
    assert e.loc[("J", "C2"), "change"] == pytest.approx(2)
    assert e.loc[("J", "C1"), "change"] == pytest.approx(-2)
    assert ("O", "J") not in e.index  # unchanged edges are not listed
    # the corridor E75 loses J-C1-K but keeps O-J and K-D: still 4 incidents
    assert w.corridors.set_index("e_road").loc["E75", "change"] == pytest.approx(0)


def test_what_if_closing_a_stated_crossing(graph):
    w = routes.what_if(_route(graph, 1), "RS-MK-TWO")
    c = w.crossings.set_index("crossing_id")
    assert c.loc["RS-MK-ONE", "incidents_after"] == pytest.approx(4)
    assert c.loc["RS-MK-TWO", "incidents_after"] == pytest.approx(0)
    with pytest.raises(routes.ValidationError, match=r"'RS-MK-THREE' to close"):
        routes.what_if(_route(graph, 1), ["RS-MK-THREE"])
    with pytest.raises(routes.ValidationError, match=r"close=\[\] names no crossing"):
        routes.what_if(_route(graph, 1), [])


# --------------------------------------------------------------------------------------------
# facts on the bundled network
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def net():
    return routes.load_network()


def test_closing_presevo_sends_belgrade_skopje_through_kosovo(net):
    frame = pd.DataFrame(
        {"incident_id": ["a", "b"], "origin": ["Belgrade", "Niš"], "destination": ["Skopje"] * 2}
    )
    w = routes.what_if(routes.route_incidents(frame, net), ["RS-MK-PRESEVO"])
    c = w.crossings.set_index("crossing_id")
    assert c.loc["RS-MK-PRESEVO", "incidents_after"] == 0
    assert w.rerouted > 1.8  # nearly both incidents used Preševo
    gains = c[c.change > 0].sort_values("change", ascending=False)
    # Hani i Elezit (Kosovo* - North Macedonia, E65) takes the most
    assert gains.index[0] == "XK-MK-HANI-I-ELEZIT"
    assert c["incidents_after"].sum() >= c["incidents_before"].sum()  # two borders now


def test_min_cut_albania_montenegro(net):
    cut = routes.min_cut(net, "AL", "ME")
    assert cut.attrs["cut_value"] == len(cut)
    assert {"AL-ME-HANI-I-HOTIT", "AL-ME-MURIQAN"} <= set(cut.crossing_id.dropna())
    assert set(cut.element) <= {"crossing", "green_border", "border"}
