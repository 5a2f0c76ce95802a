"""What the route frequency rests on, as visible text and visible dashes, in headless Chromium.

Fixtures: tests/fixtures/routing/tirana.py. The four seizure-only records in Tirana routed with
the questionnaire's route AL > MK > GR as priors: 100 % of the route frequency comes from the
priors, so the title panel says so and warns, the legend has one entry per evidence class, and
every segment is dotted (all of its flow is inferred, and from priors) with gaps wider than
the line, and the thick ones carry a white centre stripe (seen on road segments shorter than
one dash).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fixtures.maps.browser import offline_page
from fixtures.routing import tirana

import routes

pytestmark = pytest.mark.browser


def _dot(width: float) -> float:
    """The dot length the page gives a line from priors: its width, rounded as JS rounds."""
    return max(2, math.floor(width + 0.5))


@pytest.fixture(scope="module")
def priors_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    inc = routes.read_incidents(tirana.INCIDENTS)
    q = routes.read_questionnaire(tirana.QUESTIONNAIRE)
    res = routes.route_incidents(inc, priors=q)
    m = routes.route_map(inc, result=res, title="Tirana seizures")
    return routes.save_map(m, tmp_path_factory.mktemp("maps") / "priors.html")


def test_the_priors_share_is_visible_text_with_a_warning(browser: Any, priors_map: Path) -> None:
    with offline_page(browser, priors_map) as (page, errors):
        line = page.locator(".salw-title .salw-evidence")
        assert line.is_visible()
        assert line.inner_text() == (
            "Route frequency — 0 % recorded, 0 % inferred from records, 100 % from priors: "
            "questionnaire tirana_questionnaire.csv"
        )
        box = line.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["y"] >= 0
        assert box["y"] + box["height"] <= 900
        warning = page.locator(".salw-title .salw-evidence-warning")
        assert warning.is_visible()
        assert "100 % of the route frequency comes from priors" in warning.inner_text()
        assert "--infer none" in warning.inner_text()
        rows = page.locator(".salw-legend .salw-evidence-class").all_inner_texts()
        assert rows == [
            "0 % recorded routes",
            "0 % inferred from recorded routes",
            "100 % from priors: questionnaire tirana_questionnaire.csv",
        ]
        assert errors == []


def test_the_legend_names_the_dotted_legs_from_priors(browser: Any, priors_map: Path) -> None:
    with offline_page(browser, priors_map) as (page, errors):
        kinds = page.locator(".salw-legend .salw-inferred-kind").all_inner_texts()
        assert kinds == [
            "dotted: mostly legs from priors (a modelling assumption, not in the records)"
        ]
        switch = page.locator(".leaflet-control-layers-overlays label", has_text="Inferred legs")
        assert switch.inner_text().strip() == "Inferred legs (dotted)"
        assert errors == []


def test_inferred_dashes_survive_thick_lines_at_the_default_zoom(
    browser: Any, priors_map: Path
) -> None:
    with offline_page(browser, priors_map) as (page, errors):
        state = """(() => {
            const f = salwMap.layers.find(l => l.kind === 'flows');
            const drawn = f.lines.filter(l => salwMap.map.hasLayer(l));
            const stripes = f.stripes.getLayers();
            return {zoom: salwMap.map.getZoom(), styles: drawn.map(l => ({
                w: l.options.weight, dash: l.options.dashArray, cap: l.options.lineCap})),
                stripes: stripes.map(l => l.options.weight),
                onMap: stripes.filter(l => salwMap.map.hasLayer(l)).length};
        })()"""
        thin = page.evaluate(state)
        # the same segments in every width class: class limits below every flow draw them all
        # in the thickest class (9 px), then in each class in turn
        widths = set()
        for limits in ([0.001, 0.002, 0.003, 0.004], [1e3, 2e3, 3e3, 4e3], [0.001, 1e3, 2e3, 3e3]):
            page.evaluate(f"salwMap.meta.breaks_incidents = {limits}; salwMap.update()")
            s = page.evaluate(state)
            assert s["zoom"] == thin["zoom"] == 7  # the page's default zoom
            styles = s["styles"]
            assert styles
            assert all(st["dash"] for st in styles)  # every segment's flow is inferred
            for st in styles:
                widths.add(st["w"])
                dash, gap = (float(v) for v in st["dash"].split())
                assert st["cap"] == "butt"  # round caps would close the gaps of a thick line
                assert gap > 1.5 * st["w"]
                # dotted, not dashed: all of the flow is from priors (square dots as long as
                # the line is wide; legs inferred from records get dashes over twice that)
                assert dash == _dot(st["w"])
            # every segment 4.5 px or wider also carries a white centre stripe a third as wide
            thick = [st["w"] for st in styles if st["w"] >= 4.5]
            assert sorted(s["stripes"]) == sorted(max(1.5, w * 0.3) for w in thick)
            assert s["onMap"] == len(thick)
        assert {1.5, 3.0, 9.0} <= widths
        assert errors == []


@pytest.fixture(scope="module")
def mixed_map(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> tuple[Path, Any]:
    """300 records of the synthetic sample with the bundled priors: legs of all three kinds."""
    sample = repo / "data" / "incidents" / "synthetic_incidents_sample.csv"
    inc = routes.read_incidents(sample).iloc[:300]
    res = routes.route_incidents(inc, progress=False)
    m = routes.route_map(inc, result=res, title="Mixed evidence")
    return routes.save_map(m, tmp_path_factory.mktemp("maps") / "mixed.html"), res


def test_legs_from_records_are_dashed_and_legs_from_priors_dotted(
    browser: Any, mixed_map: tuple[Path, Any]
) -> None:
    path, res = mixed_map
    counts = np.bincount(routes.evidence_classes(res), minlength=3)
    assert (counts > 0).all()  # recorded, inferred from records and from priors all occur
    with offline_page(browser, path) as (page, errors):
        s = page.evaluate("""(() => {
            const f = salwMap.layers.find(l => l.kind === 'flows');
            return f.lines.map((l, e) => salwMap.map.hasLayer(l) ? {
                w: l.options.weight, dash: l.options.dashArray || null,
                all: salwMap.edgeV[e], inf: salwMap.edgeVI[e], pri: salwMap.edgeVP[e]} : null)
              .filter(x => x);
        })()""")
        styles = {"solid": 0, "dashed": 0, "dotted": 0}
        for st in s:
            if st["dash"] is None:
                assert st["inf"] <= st["all"] / 2 + 1e-9  # solid: mostly recorded legs
                styles["solid"] += 1
                continue
            dash = float(st["dash"].split()[0])
            assert st["inf"] > st["all"] / 2
            if st["pri"] > st["inf"] / 2:  # mostly from priors: square dots
                assert dash == _dot(st["w"])
                styles["dotted"] += 1
            else:  # mostly inferred from recorded routes: long dashes
                assert dash > 2 * st["w"]
                styles["dashed"] += 1
        assert all(v > 0 for v in styles.values()), styles
        kinds = page.locator(".salw-legend .salw-inferred-kind").all_inner_texts()
        assert [k.split(":")[0] for k in kinds] == ["dashed", "dotted"]
        switch = page.locator(".leaflet-control-layers-overlays label", has_text="Inferred legs")
        assert switch.inner_text().strip() == "Inferred legs (dashed, dotted)"
        assert errors == []
