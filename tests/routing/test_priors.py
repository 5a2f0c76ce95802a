"""Priors from the analyst's own evidence: questionnaire routes, corridor tables, the fallback.

Fixtures: tests/fixtures/routing/tirana.py (seizure-only records in Tirana, a questionnaire that
reports AL > MK > GR, a corridor table).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fixtures.routing import tirana

import routes
from routes.routing import BUNDLED_PRIORS_NAME, route_priors
from routes.routing._priors import prior_legs


@pytest.fixture(scope="module")
def incidents() -> pd.DataFrame:
    return routes.read_incidents(tirana.INCIDENTS)


@pytest.fixture(scope="module")
def graph():
    return routes.load_network()


@pytest.fixture(scope="module")
def with_questionnaire(incidents, graph):
    q = routes.read_questionnaire(tirana.QUESTIONNAIRE)
    return routes.route_incidents(incidents, graph, priors=q)


def _al_mk_share(result) -> float:
    flows = routes.crossing_flows(result)
    al_mk = flows[flows["crossing_id"].str.startswith("AL-MK-")]["incidents"].sum()
    return float(al_mk) / len(result.incidents)


def test_questionnaire_route_puts_the_flow_on_al_mk_crossings(with_questionnaire):
    res = with_questionnaire
    assert len(res.unrouted) == 0
    assert _al_mk_share(res) >= 0.8
    c = res.candidates
    assert set(c["source"]) == {"prior"}
    assert set(c["origin_country"]) == {"AL"}
    assert set(c["destination_country"]) == {"GR"}
    assert res.options["priors"].kind == "questionnaire"
    assert res.options["priors"].name == "questionnaire tirana_questionnaire.csv"


def test_evidence_mix_is_all_priors_and_named(with_questionnaire):
    mix = routes.evidence_mix(with_questionnaire)
    assert (mix.recorded, mix.inferred_from_records) == (0.0, 0.0)
    assert mix.inferred_from_priors == pytest.approx(1.0)
    assert mix.priors == "questionnaire tirana_questionnaire.csv"
    assert mix.priors_dominant
    assert mix.sentence().endswith("100 % from priors: questionnaire tirana_questionnaire.csv")
    assert "--infer none" in mix.warning()


def test_without_priors_the_bundled_corridors_decide_and_are_named(incidents, graph):
    res = routes.route_incidents(incidents, graph)
    assert res.options["priors"].name == BUNDLED_PRIORS_NAME == "bundled corridors"
    assert _al_mk_share(res) < 0.5  # the corridors send Tirana's seizures elsewhere
    mix = routes.evidence_mix(res)
    assert mix.sentence().endswith("from priors: bundled corridors")
    assert "modelling assumption" in mix.warning()
    # infer="recorded": no priors, nothing to infer from, so nothing routed and no priors named
    rec = routes.route_incidents(incidents, graph, infer="recorded")
    assert len(rec.unrouted) == 4
    assert routes.evidence_mix(rec).priors is None


def test_reported_routes_table_and_accepted_rows_give_the_same_priors():
    q = routes.read_questionnaire(tirana.QUESTIONNAIRE)
    from_result = route_priors(q)
    from_rows = route_priors(q.accepted, name="questionnaire tirana_questionnaire.csv")
    from routes.questionnaire import reported_routes

    summed = route_priors(reported_routes(q.accepted))
    for p in (from_result, from_rows, summed):
        assert [(ln.name, ln.share) for ln in p.lines] == [("AL > MK > GR", 1.0)]
        assert p.kind == "questionnaire"
    # by year only where the rows give the year (the summed table does not)
    assert sorted(from_result.by_year) == [2022, 2023]
    assert summed.by_year == {}


def test_priors_weigh_routes_by_year_when_the_year_is_reported():
    """2022: AL > MK > GR 6, AL > ME 2 -> shares 0.75 / 0.25; 2023: AL > ME 4 -> 1.0;
    all years: 6 / 12 and 6 / 12."""
    rows = pd.DataFrame(
        {
            "jurisdiction": ["AL", "AL", "AL"],
            "year": [2022, 2022, 2023],
            "indicator": ["reported_route"] * 3,
            "category": ["total"] * 3,
            "value": [6, 2, 4],
            "from": ["AL", "AL", "AL"],
            "via": ["MK", None, None],
            "to": ["GR", "ME", "ME"],
        }
    )
    p = route_priors(rows, name="q")
    share = lambda lines: {ln.name: ln.share for ln in lines}  # noqa: E731
    assert share(p.lines_for(2022)) == {"AL > MK > GR": 0.75, "AL > ME": 0.25}
    assert share(p.lines_for(2023)) == {"AL > ME": 1.0}
    assert (
        share(p.lines_for(2019)) == share(p.lines_for(-1)) == {"AL > MK > GR": 0.5, "AL > ME": 0.5}
    )
    assert (p.year_key(2022), p.year_key(2019)) == (2022, -1)
    ends = lambda j, y: {  # noqa: E731
        tuple(t for t, _ in leg.end): round(leg.weight, 6)
        for leg in prior_legs(0.0, 0.0, j, priors=p, year=y)
    }
    assert ends("AL", 2023) == {("ME",): 1.0}
    assert ends("AL", 2022) == {("MK", "GR"): 0.75, ("ME",): 0.25}
    # no 2023 route passes North Macedonia: the routes of all years apply
    assert ends("MK", 2023) == {("GR",): 0.5}


def test_a_route_keeps_its_order_around_the_seizure():
    p = route_priors(pd.DataFrame({"from": ["AL"], "via": ["MK"], "to": ["GR"], "weight": [1]}))
    legs = {
        j: [
            (tuple(t for t, _ in leg.start), tuple(t for t, _ in leg.end))
            for leg in prior_legs(0.0, 0.0, j, priors=p)
        ]
        for j in ("AL", "MK", "GR", "RS")
    }
    assert legs == {
        "AL": [(("AL",), ("MK", "GR"))],
        "MK": [(("AL",), ("GR",))],
        "GR": [(("AL", "MK"), ("GR",))],
        "RS": [],  # a route that does not pass the jurisdiction is no candidate
    }


def test_corridor_table_file_shares_and_sources():
    p = route_priors(tirana.CORRIDOR_TABLE)
    assert p.kind == "table"
    assert p.name == "corridor table corridor_table.csv"
    assert {ln.name: round(ln.share, 6) for ln in p.lines} == {
        "AL > MK > GR": round(5 / 6, 6),
        "AL > IT": round(1 / 6, 6),
    }
    assert all("test fixture" in ln.source for ln in p.lines)
    assert list(p.table.columns[:5]) == ["from", "via", "to", "weight", "source"]


def test_bad_corridor_table_lists_every_problem(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "from,via,to,weight,source\nAL,Atlantis,GR,1,x\n,,GR,2,x\nAL,,MK,-3,x\n", encoding="utf-8"
    )
    with pytest.raises(routes.ValidationError) as err:
        route_priors(bad)
    text = str(err.value)
    assert "'Atlantis' is not a country, crossing id or place" in text
    assert "no 'from'" in text
    assert "weight '-3' is not a number >= 0" in text
    assert [(p.row, p.column) for p in err.value.problems] == [
        (1, "via"),
        (2, "from"),
        (3, "weight"),
    ]
    with pytest.raises(routes.ValidationError, match="has no column weight"):
        route_priors(pd.DataFrame({"from": ["AL"], "to": ["GR"]}))
    with pytest.raises(routes.ValidationError, match="does not exist"):
        route_priors(tmp_path / "missing.csv")
    with pytest.raises(routes.ValidationError, match="is not supported"):
        route_priors(42)


def test_questionnaire_without_routes_is_refused_with_the_fix():
    rows = pd.DataFrame(
        {"jurisdiction": ["AL"], "year": [2022], "indicator": ["seized_weapons"], "value": [3]}
    )
    with pytest.raises(routes.ValidationError, match="reports no route"):
        route_priors(rows)


def test_every_bundled_corridor_names_its_public_source():
    from routes.geo import CORRIDORS

    assert all(c.source for c in CORRIDORS)
    p = route_priors("bundled")
    assert p is route_priors(None)
    assert p.kind == "bundled"
    assert "modelling assumption" in p.label
    assert p.table["source"].str.len().min() > 10
    assert len(p.table) == len(CORRIDORS)


def test_prior_legs_of_many_points_equal_those_point_by_point():
    """The batched look-up (one distance matrix) gives every point its own legs, weights to the
    last bit: near a corridor, far from all (the jurisdiction's corridors), none at all."""
    from routes._crs import shared_transformer, transform_xy
    from routes.routing._priors import prior_legs_many

    lon = np.array([19.82, 21.43, 20.9, 5.5, 18.41])
    lat = np.array([41.33, 42.0, 44.8, 45.0, 43.86])
    x, y = transform_xy(shared_transformer("EPSG:4326", "EPSG:3035"), lon, lat)
    points = [
        (float(a), float(b), j)
        for a, b, j in zip(x, y, ["AL", "MK", "RS", None, "BA"], strict=True)
    ]
    many = prior_legs_many(points)
    one = [prior_legs(px, py, j) for px, py, j in points]
    assert many == one
    assert [len(legs) > 0 for legs in many] == [True, True, True, False, True]
    p = route_priors(pd.DataFrame({"from": ["AL"], "via": ["MK"], "to": ["GR"], "weight": [1]}))
    assert prior_legs_many(points, priors=p) == [
        prior_legs(a, b, j, priors=p) for a, b, j in points
    ]
