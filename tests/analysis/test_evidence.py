"""routes.evidence_mix: what route frequency rests on, hand-computed on the inference fixture.

tests/fixtures/routing/inference.py: d1, d4, d2, d3 are routed on their own record (4
incidents, recorded), t gets its legs from them (1 incident, inferred from records): with
infer="recorded" the mix is 4/5 recorded, 1/5 inferred from records, no priors.
"""

from __future__ import annotations

import pytest
from fixtures.routing import inference as fx
from fixtures.routing import tiny

import routes
from routes.analysis import EvidenceMix


@pytest.fixture(scope="module")
def G():  # noqa: N802 - networkx convention
    return tiny.tiny_graph()


def test_recorded_and_inferred_from_records(G):  # noqa: N803
    res = routes.route_incidents(
        fx.inference_incidents(), G, gazetteer=tiny.PLACES, infer="recorded"
    )
    mix = routes.evidence_mix(res)
    assert (mix.recorded, mix.inferred_from_records, mix.inferred_from_priors) == pytest.approx(
        (0.8, 0.2, 0.0)
    )
    assert mix.incidents == pytest.approx(5.0)
    assert mix.priors is None
    assert not mix.priors_dominant
    assert mix.warning() is None
    assert mix.sentence() == (
        "Route frequency — 80 % recorded, 20 % inferred from records, 0 % from priors "
        "(no priors used)"
    )
    d = mix.as_dict()
    assert d["percent"] == {"recorded": 80, "inferred_from_records": 20, "inferred_from_priors": 0}
    assert d["warning"] is None
    assert d["text"] == mix.sentence()


def test_no_inference_is_all_recorded(G):  # noqa: N803
    res = routes.route_incidents(fx.inference_incidents(), G, gazetteer=tiny.PLACES, infer="none")
    mix = routes.evidence_mix(res)
    assert mix.recorded == pytest.approx(1.0)
    assert mix.incidents == pytest.approx(4.0)  # t is unrouted


def test_percentages_add_up_and_the_warning_starts_above_half():
    thirds = EvidenceMix(1 / 3, 1 / 3, 1 / 3, 3.0, "corridor table t.csv", "t", "table")
    assert sum(thirds.percent().values()) == 100
    assert thirds.warning() is None
    half = EvidenceMix(0.5, 0.0, 0.5, 2.0, "bundled corridors", "b", "bundled")
    assert not half.priors_dominant
    most = EvidenceMix(0.4, 0.0, 0.6, 5.0, "bundled corridors", "bundled label", "bundled")
    assert most.warning() == (
        "60 % of the route frequency comes from priors: bundled label (not findings); to see "
        "the recorded routes only, run with --infer none (or route_incidents(infer='none'))"
    )
    assert EvidenceMix(0, 0, 0, 0.0, None, None, None).sentence() == (
        "Route frequency — nothing routed"
    )


def test_evidence_mix_is_public():
    assert "evidence_mix" in routes.__all__
    assert routes.evidence_mix is routes.analysis.evidence_mix
