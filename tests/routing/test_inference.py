"""Inference of missing legs: candidate probabilities, spreading of weights, flags, reasons.

Hand computations: tests/fixtures/routing/inference.py (donors and target) on the tiny network
of tests/fixtures/routing/tiny.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fixtures.fuzz import FUZZ
from fixtures.routing import inference as fx
from fixtures.routing import tiny
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import Point

import routes


@pytest.fixture(scope="module")
def G():  # noqa: N802 - networkx convention
    return tiny.tiny_graph()


def _route(G, **kw):  # noqa: N803
    return routes.route_incidents(fx.inference_incidents(), G, gazetteer=tiny.PLACES, **kw)


def _target_candidates(res):
    c = res.candidates[res.candidates["incident_id"] == "t"]
    strip = lambda v: None if pd.isna(v) else v.replace(" (inferred)", "")  # noqa: E731
    return {
        (strip(o), strip(d)): p
        for o, d, p in zip(c["origin"], c["destination"], c["probability"], strict=True)
    }


def test_candidate_probabilities_are_the_hand_computed_ones(G):  # noqa: N803
    res = _route(G, k=1, infer="recorded")
    got = _target_candidates(res)
    assert got.keys() == fx.EXPECTED.keys()
    for key, p in fx.EXPECTED.items():
        assert got[key] == pytest.approx(p)
    assert set(res.candidates["source"]) == {"recorded"}
    # the target's assignments carry the same probabilities, one path per candidate (k = 1)
    a = res.assignments
    t = a[a["incident"] == 4].sort_values("candidate")
    assert t["probability"].to_numpy() == pytest.approx([0.8, 0.1, 0.1])
    assert t["inferred"].all()
    assert not a.loc[a["incident"] != 4, "inferred"].any()
    assert len(res.unrouted) == 0


def test_weight_is_spread_over_candidates_and_alternatives(G):  # noqa: N803
    one = _route(G, k=1, infer="recorded")
    three = _route(G, k=3, theta=10.0, infer="recorded")
    a = three.assignments
    t = a[a["incident"] == 4]
    # every incident still sums to 1; each candidate keeps its share over its alternatives
    assert a.groupby("incident")["probability"].sum().to_numpy() == pytest.approx(1.0)
    by_cand = t.groupby("candidate")["probability"].sum().sort_values(ascending=False)
    assert by_cand.to_numpy() == pytest.approx([0.8, 0.1, 0.1])
    # candidate A (Origin -> K -> Dest) has alternatives: its share is split by the logit
    assert (t.groupby("candidate").size() > 1).any()
    # expected counts are sums of probabilities: RS-MK-ONE carries 3 recorded + 0.9 inferred
    cf = routes.crossing_flows(one).set_index("crossing_id")
    assert cf.loc["RS-MK-ONE", "incidents"] == pytest.approx(3.9)
    inferred_only = routes.crossing_flows(one, inferred=True).set_index("crossing_id")
    assert inferred_only.loc["RS-MK-ONE", "incidents"] == pytest.approx(0.9)
    total = routes.crossing_flows(three).set_index("crossing_id")["incidents"]
    manual = sum(
        p * str(c).split("|").count(x)
        for p, c in zip(
            a["probability"], three.path_table["crossings"].to_numpy()[a["path_id"]], strict=True
        )
        for x in ["RS-MK-ONE"]
    )
    assert total["RS-MK-ONE"] == pytest.approx(manual)


def test_recorded_only_flows_equal_the_flows_without_inference(G):  # noqa: N803
    none = _route(G, k=3, infer="none")
    inf = _route(G, k=3, infer="recorded")
    assert none.unrouted["incident_id"].tolist() == ["t"]
    for fn in (routes.crossing_flows, routes.edge_flows, routes.pair_flows, routes.path_flows):
        a = pd.DataFrame(fn(none)).drop(columns="geometry", errors="ignore")
        b = pd.DataFrame(fn(inf, inferred=False)).drop(columns="geometry", errors="ignore")
        pd.testing.assert_frame_equal(a, b)


def test_compare_inferred_table(G):  # noqa: N803
    res = _route(G, k=1, infer="recorded")
    diff = routes.compare_inferred(res).set_index("key")
    row = diff.loc["RS-MK-ONE"]
    assert row["incidents_recorded"] == pytest.approx(3.0)
    assert row["incidents_inferred"] == pytest.approx(0.9)
    assert row["incidents_all"] == pytest.approx(3.9)
    assert row["change_pct"] == pytest.approx(30.0)
    # shares of the incidents routed: 3 of 4 recorded, 3.9 of 5 with the inferred
    assert row["share_recorded"] == pytest.approx(0.75)
    assert row["share_all"] == pytest.approx(0.78)
    with pytest.raises(routes.ValidationError, match=r"level='edge' is not supported"):
        routes.compare_inferred(res, level="edge")


def test_inferred_flags_on_legs_paths_and_routes(G):  # noqa: N803
    res = _route(G, k=1, infer="recorded")
    legs = res.legs[res.legs["incident_id"] == "t"]
    assert legs["inferred"].all()
    assert legs["rule"].str.contains("infer_recorded:place").all()
    assert not res.legs.loc[res.legs["incident_id"] != "t", "inferred"].any()
    assert res.routes.loc[res.routes["incident_id"] == "t", "inferred"].all()
    pt = res.path_table
    assert pt["inferred"].sum() == 3  # one path per candidate of t
    assert routes.path_flows(res, inferred=True)["incidents"].sum() == pytest.approx(1.0)


def test_unrouted_keeps_a_reason_for_every_incident_without_candidates(G):  # noqa: N803
    frame = fx.inference_incidents()
    extra = frame.iloc[[4, 4]].copy()
    extra["incident_id"] = ["far", "none"]
    extra["geometry"] = [Point(20.0, 44.0), None]  # O: 222 km from every donor; no point
    frame = pd.concat([frame, extra], ignore_index=True)
    res = routes.route_incidents(frame, G, gazetteer=tiny.PLACES, infer="recorded")
    un = res.unrouted.set_index("incident_id")["reason"]
    assert sorted(un.index) == ["far", "none"]
    assert "no recorded route within 75 km" in un["far"]
    assert "infer='priors' adds the regional corridors" in un["far"]
    assert "no waypoint at all" in un["none"]
    routed = set(res.routes["incident_id"])
    assert routed | set(un.index) == set(frame["incident_id"])


def test_bad_infer_mode_is_rejected(G):  # noqa: N803
    with pytest.raises(routes.ValidationError, match=r"infer='all' is not supported; use one of"):
        _route(G, infer="all")
    with pytest.raises(routes.ValidationError, match=r"inferred='no' must be True"):
        routes.crossing_flows(_route(G), inferred="no")  # type: ignore[arg-type]


def test_priors_decide_where_no_route_is_recorded():
    """One seizure at Preševo and nothing recorded: the regional corridors through it."""
    G = routes.load_network()  # noqa: N806
    frame = pd.DataFrame(
        {
            "incident_id": ["p"],
            "latitude": [42.2210],
            "longitude": [21.7050],
            "category": ["pistol"],
            "jurisdiction": ["RS"],
            "origin": [None],
        }
    )
    rec = routes.route_incidents(frame, G, infer="recorded")
    assert "no recorded route within" in rec.unrouted["reason"].iloc[0]
    pri = routes.route_incidents(frame, G, infer="priors")
    assert len(pri.unrouted) == 0
    c = pri.candidates
    assert set(c["source"]) == {"prior"}
    assert c["probability"].sum() == pytest.approx(1.0)
    assert len(c) == 5  # MAX_CANDIDATES
    # E75 north from North Macedonia passes Preševo: Skopje first
    assert c.sort_values("probability", ascending=False)["origin_country"].iloc[0] == "MK"
    assert np.isclose(pri.assignments["probability"].sum(), 1.0)


def test_an_origin_only_record_borrows_destinations_and_keeps_its_origin(G):  # noqa: N803
    """ "o": origin Origin town, no seizure point. Donors whose origin is Origin town (node O):
    d1, d4 (-> Dest town, weight 1 each; d2 has no destination and does not count). The
    destination is inferred; the origin is the record's own (observed) waypoint."""
    frame = fx.inference_incidents()
    extra = frame.iloc[[4]].copy()
    extra["incident_id"] = ["o"]
    extra["origin"] = ["Origin town"]
    extra["geometry"] = [None]
    frame = pd.concat([frame, extra], ignore_index=True)
    res = routes.route_incidents(frame, G, k=1, gazetteer=tiny.PLACES, infer="recorded")
    c = res.candidates[res.candidates["incident_id"] == "o"]
    assert len(c) == 1
    assert c["origin"].iloc[0] == "Origin town"
    assert c["destination"].iloc[0] == "Dest town"
    assert c["probability"].iloc[0] == pytest.approx(1.0)
    legs = res.legs[res.legs["incident_id"] == "o"]
    assert legs["start"].tolist() == ["Origin town"]
    assert legs["end"].tolist() == ["Dest town (inferred)"]
    assert legs["inferred"].tolist() == [True]
    assert legs["rule"].tolist() == ["place+infer_recorded:place"]


def test_recorded_scores_do_not_depend_on_the_chunk_size(monkeypatch):
    """The kernel scores are summed a few target nodes at a time: any chunking, same result."""
    from routes._paths import data_dir
    from routes.routing import _infer

    monkeypatch.setenv("SALW_ROUTES_HELPERS", "0")
    incidents = routes.read_incidents(data_dir("incidents") / "synthetic_incidents_sample.csv")
    graph = routes.load_network()
    seen: list[int] = []
    real = _infer._node_chunks

    def counting(*args):
        got = real(*args)
        seen.append(len(got))
        return got

    monkeypatch.setattr(_infer, "_node_chunks", counting)
    monkeypatch.setattr(_infer, "SCORE_ROWS", 10**12)  # one chunk per role
    whole = routes.route_incidents(incidents, graph, infer="recorded")
    assert max(seen) == 1
    seen.clear()
    monkeypatch.setattr(_infer, "SCORE_ROWS", 50)  # a chunk for (nearly) every target node
    chunked = routes.route_incidents(incidents, graph, infer="recorded")
    assert max(seen) > 20
    assert len(whole.candidates) > 100  # the sample has many one-waypoint records
    pd.testing.assert_frame_equal(chunked.candidates, whole.candidates, check_exact=True)
    pd.testing.assert_frame_equal(chunked.assignments, whole.assignments, check_exact=True)
    pd.testing.assert_frame_equal(chunked.path_info, whole.path_info, check_exact=True)


# -- the (target key, donor) rows of the recorded-route kernel --------------------------------
@FUZZ
@given(
    t_node=st.lists(st.integers(0, 6), max_size=12),
    d_node=st.lists(st.integers(0, 6), max_size=12),
    near=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=10, unique=True),
)
def test_pair_rows_are_the_rows_and_order_of_the_two_merges(t_node, d_node, near) -> None:
    """PairRows replaces ``near.merge(targets, on="tnode").merge(donors, on="dnode")``."""
    from routes.routing._infer_rows import PairRows

    targets = pd.DataFrame({"tnode": t_node, "ti": range(len(t_node))}, dtype="int64")
    donors = pd.DataFrame({"dnode": d_node, "di": range(len(d_node))}, dtype="int64")
    pairs = pd.DataFrame(near or [], columns=["tnode", "dnode"], dtype="int64")
    pairs["p"] = np.arange(len(pairs), dtype=np.int64)
    merged = pairs.merge(targets, on="tnode").merge(donors, on="dnode")
    p, ti, di = PairRows(np.asarray(t_node, np.int64), np.asarray(d_node, np.int64)).rows(
        pairs["tnode"].to_numpy(np.int64), pairs["dnode"].to_numpy(np.int64)
    )
    assert p.tolist() == merged["p"].tolist()
    assert ti.tolist() == merged["ti"].tolist()
    assert di.tolist() == merged["di"].tolist()
