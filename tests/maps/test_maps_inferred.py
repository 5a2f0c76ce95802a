"""Route maps with inferred legs: dashed segments, a legend entry, the recorded/all layer switch.

The incidents are those of tests/fixtures/routing/inference.py on the tiny network, with the
target "t" four times (t, t2, t3, t4). With k = 1 the recorded routes put 3 expected incidents
on each of the four edges O-J, J-C1, C1-K, K-D (edge total 12); each target adds 0.9 to
O-J, J-C1, C1-K and 0.9 to K-D (A 0.8 + B 0.1, resp. A 0.8 + C 0.1), so the four targets add
3.6 per edge (total 14.4): more than half of every edge's flow is inferred, so all four are
dashed; with the inferred legs left out the totals fall back to the recorded 12.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fixtures.maps.blocks import data_of, decode
from fixtures.maps.browser import offline_page
from fixtures.routing import inference as fx
from fixtures.routing import tiny

import routes


def _incidents() -> Any:
    frame = fx.inference_incidents()
    extra = frame.iloc[[4, 4, 4]].copy()
    extra["incident_id"] = ["t2", "t3", "t4"]
    return pd.concat([frame, extra], ignore_index=True).set_crs("EPSG:4326", allow_override=True)


@pytest.fixture(scope="module")
def inferred_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    inc = _incidents()
    res = routes.route_incidents(
        inc, tiny.tiny_graph(), k=1, gazetteer=tiny.PLACES, infer="recorded"
    )
    m = routes.route_map(inc, result=res, title="Inferred legs")
    return routes.save_map(m, tmp_path_factory.mktemp("maps") / "inferred.html")


def test_each_alternative_carries_its_evidence_class() -> None:
    inc = _incidents()
    res = routes.route_incidents(
        inc, tiny.tiny_graph(), k=1, gazetteer=tiny.PLACES, infer="recorded"
    )
    m = routes.route_map(inc, result=res)
    meta = data_of(m).meta
    assert meta["inferred_kinds"] == [1]  # inferred from recorded routes only
    cols = decode(meta)
    # r_inf holds the class of routes.evidence_classes: the four targets' alternatives are 1
    assert sorted(set(cols["r_inf"].tolist())) == [0, 1]
    assert int((cols["r_inf"] == 1).sum()) == int((routes.evidence_classes(res) == 1).sum())
    names = [c.layer_name for c in m._children.values() if type(c).__name__ == "SalwLayer"]
    assert "Inferred legs (dashed)" in names


def test_data_block_flags_the_inferred_routes(inferred_map: Path) -> None:
    html = inferred_map.read_text(encoding="utf-8")
    assert '"has_inferred": true' in html or '"has_inferred":true' in html
    assert '"r_inf"' in html
    # a map without inferred legs carries neither (its output is unchanged)
    res = routes.route_incidents(
        _incidents(), tiny.tiny_graph(), k=1, gazetteer=tiny.PLACES, infer="none"
    )
    plain = routes.route_map(_incidents(), result=res).get_root().render()
    assert '"has_inferred": true' not in plain
    assert '"has_inferred":true' not in plain
    assert '"r_inf"' not in plain


@pytest.mark.browser
def test_dashed_legend_and_toggle_in_the_browser(browser: Any, inferred_map: Path) -> None:
    with offline_page(browser, inferred_map, width=1200, height=800) as (page, errors):
        state = """(() => {
            const f = salwMap.layers.find(l => l.kind === 'flows');
            const drawn = f.lines.filter(l => salwMap.map.hasLayer(l));
            const legend = document.querySelector('.salw-legend').innerText;
            return {drawn: drawn.length, dashed: drawn.filter(l => l.options.dashArray).length,
                    total: salwMap.summary().edgeTotal, legend,
                    swatch: document.querySelectorAll(
                        '.salw-legend-row:not(.salw-evidence-class) .salw-line-inferred').length,
                    classes: [...document.querySelectorAll('.salw-evidence-class')].map(
                        r => r.innerText)};
        })()"""
        s = page.evaluate(state)
        assert (s["drawn"], s["dashed"], s["swatch"]) == (4, 4, 1)
        assert s["total"] == pytest.approx(26.4, abs=1e-3)
        assert "dashed: mostly inferred legs (from recorded routes nearby" in s["legend"]
        assert "dotted" not in s["legend"]  # no leg from priors with infer="recorded"
        for st in page.evaluate(
            "salwMap.layers.find(l => l.kind === 'flows').lines"
            ".filter(l => salwMap.map.hasLayer(l))"
            ".map(l => [l.options.weight, l.options.dashArray])"
        ):
            dash = float(st[1].split()[0])
            assert dash > 2 * st[0]  # dashes, not the dots of legs from priors
        # one legend entry per evidence class (hand-computed: 4 recorded donors, d1 d4 d2 d3 x 1,
        # and t, t2, t3, t4 inferred from them: 4 / 8 each, no priors with infer="recorded")
        assert s["classes"] == [
            "50 % recorded routes",
            "50 % inferred from recorded routes",
            "0 % from priors",
        ]
        # the layer switch in the layer control: off = recorded legs only
        switch = page.locator(".leaflet-control-layers-overlays label", has_text="Inferred legs")
        switch.locator("input").uncheck()
        r = page.evaluate(state)
        assert (r["drawn"], r["dashed"], r["swatch"]) == (4, 0, 0)
        assert r["total"] == pytest.approx(12.0, abs=1e-3)
        switch.locator("input").check()
        assert page.evaluate(state)["total"] == pytest.approx(26.4, abs=1e-3)
        page.evaluate("salwMap.setFilter({inferred: false})")  # the API keeps the switch in step
        assert page.evaluate(state)["total"] == pytest.approx(12.0, abs=1e-3)
        assert not switch.locator("input").is_checked()
        assert errors == []
