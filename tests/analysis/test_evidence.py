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


def test_evidence_classes_by_hand():
    import types

    import numpy as np
    import pandas as pd

    a = pd.DataFrame(
        {
            "incident": [0, 1, 1, 1, 2],
            "candidate": [0, 0, 0, 1, 0],
            "inferred": [False, True, True, True, True],
        }
    )
    cand = pd.DataFrame(
        {"incident": [1, 1, 2], "candidate": [0, 1, 0], "source": ["recorded", "prior", "prior"]}
    )
    res = types.SimpleNamespace(assignments=a, candidates=cand)
    # 0 recorded; 1 inferred from records (incident 1, candidate 0, both alternatives);
    # 2 from priors (incident 1 candidate 1, incident 2 candidate 0)
    assert routes.evidence_classes(res).tolist() == [0, 1, 1, 2, 2]
    # a table not made by route_incidents (a negative candidate) is still classed right
    a2 = a.assign(candidate=[0, -1, -1, 1, 0])
    cand2 = cand.assign(candidate=[-1, 1, 0])
    res2 = types.SimpleNamespace(assignments=a2, candidates=cand2)
    assert routes.evidence_classes(res2).tolist() == [0, 1, 1, 2, 2]
    assert routes.evidence_classes(res2).dtype == np.int8


def test_evidence_mix_takes_classes_computed_once(G) -> None:  # noqa: N803
    """The map computes the classes once and hands them on: the same mix, and a wrong-sized
    array is refused."""
    result = routes.route_incidents(
        fx.inference_incidents(), G, gazetteer=tiny.PLACES, infer="recorded"
    )
    classes = routes.evidence_classes(result)
    assert routes.evidence_mix(result, classes=classes) == routes.evidence_mix(result)
    with pytest.raises(ValueError, match="assignment rows"):
        routes.evidence_mix(result, classes=classes[:-1])
