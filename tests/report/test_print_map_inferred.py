"""The print map dashes the segments whose flow comes mostly from inferred legs.

Hand computation, on the tiny network (tests/fixtures/routing/tiny.py) with the donors and
target of tests/fixtures/routing/inference.py, k = 1, infer="recorded":

- the target "t" is there four times (t, t2, t3, t4) and a fifth donor d5 (as d1, pistol, MK,
  2023, seized at K) is recorded over the crossing RS-MK-TWO. Each target's candidates are
  A = Origin town -> Dest town (d1 + d4 + d5 = 3), B = Origin town -> K (d2 = 0.25) and
  C = K -> Dest town (d3 = 0.25): P(A) = 3 / 3.5, P(B) = P(C) = 0.25 / 3.5; all by least time
  over RS-MK-ONE (O-J-C1-K-D).
- recorded flows: O-J and K-D 4 (d1, d4, d5 and d2 or d3), J-C1 and C1-K 3 (d1, d4, d2),
  J-C2 and C2-K 1 (d5).
- inferred flows (4 targets): O-J and K-D 4 x 3.25 / 3.5 = 3.71 (48 % of 7.71: solid), J-C1
  and C1-K 4 x 3.25 / 3.5 = 3.71 (55 % of 6.71: dashed), J-C2 and C2-K none (solid).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from fixtures.routing import inference as fx
from fixtures.routing import tiny
from matplotlib.figure import Figure

import routes
from routes.report.figures import route_frequency_map, save_figure

LABEL = "dashed: mostly inferred legs"
CLI_FIXTURE = Path(__file__).parents[1] / "fixtures" / "routing" / "cli_incidents.csv"


def _incidents() -> gpd.GeoDataFrame:
    inc = fx.inference_incidents()
    t = inc[inc["incident_id"] == "t"]
    more = [t.assign(incident_id=f"t{i}") for i in (2, 3, 4)]
    d5 = inc[inc["incident_id"] == "d1"].assign(incident_id="d5", crossing="RS-MK-TWO")
    return gpd.GeoDataFrame(pd.concat([inc, *more, d5], ignore_index=True), crs=inc.crs)


@pytest.fixture(scope="module")
def results() -> dict[str, routes.RouteResult]:
    G = tiny.tiny_graph()  # noqa: N806 - networkx convention
    inc = _incidents()
    return {
        mode: routes.route_incidents(inc, G, gazetteer=tiny.PLACES, k=1, infer=mode)
        for mode in ("recorded", "none")
    }


def _map(res: routes.RouteResult, **kw: Any) -> Figure:
    return route_frequency_map(
        routes.edge_flows(res),
        recorded_flows=routes.edge_flows(res, inferred=False),
        **kw,
    )


def _flow_collections(fig: Figure) -> dict[str, Any]:
    return {
        str(c.get_gid()): c for c in fig.axes[0].collections if str(c.get_gid()).startswith("flow_")
    }


def _segment_ends(coll: Any) -> set[tuple[str, ...]]:
    """The tiny graph's node pairs of the collection's lines (ends matched in EPSG:3035)."""
    nodes = gpd.GeoSeries(
        gpd.points_from_xy(
            [d["x"] for d in tiny.NODES.values()], [d["y"] for d in tiny.NODES.values()]
        ),
        index=list(tiny.NODES),
        crs="EPSG:4326",
    ).to_crs("EPSG:3035")
    xy = np.column_stack([nodes.x, nodes.y])

    def node(p: np.ndarray) -> str:
        return str(nodes.index[int(np.argmin(np.hypot(*(xy - p).T)))])

    return {tuple(sorted((node(s[0]), node(s[-1])))) for s in coll.get_segments()}


def test_hand_computed_flows(results: dict[str, routes.RouteResult]) -> None:
    res = results["recorded"]
    both = routes.edge_flows(res).set_index(["u", "v"])["incidents"]
    rec = routes.edge_flows(res, inferred=False).set_index(["u", "v"])["incidents"]
    assert both[("O", "J")] == pytest.approx(4 + 4 * 3.25 / 3.5)
    assert both[("J", "C1")] == pytest.approx(3 + 4 * 3.25 / 3.5)
    assert rec[("J", "C1")] == pytest.approx(3.0)
    assert rec[("J", "C2")] == pytest.approx(1.0) == both[("J", "C2")]


def test_mostly_inferred_segments_are_dashed(results: dict[str, routes.RouteResult]) -> None:
    fig = _map(results["recorded"])
    colls = _flow_collections(fig)
    dashed = {g: c for g, c in colls.items() if g.endswith("_inferred")}
    solid = {g: c for g, c in colls.items() if not g.endswith("_inferred")}
    assert len(dashed) == 1
    assert set().union(*map(_segment_ends, dashed.values())) == {("C1", "J"), ("C1", "K")}
    assert set().union(*map(_segment_ends, solid.values())) == {
        ("J", "O"),
        ("D", "K"),
        ("C2", "J"),
        ("C2", "K"),
    }
    (gid, coll) = next(iter(dashed.items()))
    _offset, dashes = coll.get_linestyle()[0]
    assert dashes is not None
    assert len(dashes) == 2
    assert min(dashes) > 0
    # same width and colour as the solid lines of its class (and the class's legend line)
    k = int(gid.split("_")[2])
    handles: list[Any] = list(fig.legends[0].legend_handles)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert coll.get_linewidth()[0] == pytest.approx(handles[1 + k].get_linewidth())
    assert np.allclose(coll.get_edgecolor()[0], handles[1 + k].get_color())
    assert labels.count(LABEL) == 1
    assert labels.index(LABEL) == labels.index("International border") - 1
    assert handles[labels.index(LABEL)].get_linestyle() == "--"
    method = " ".join(next(t for t in fig.texts if t.get_gid() == "method").get_text().split())
    assert "Dashed: more than half of the segment's flow is on legs inferred" in method


def test_svg_has_the_dashed_group_and_the_legend_entry(
    results: dict[str, routes.RouteResult], tmp_path: Path
) -> None:
    (svg_path,) = save_figure(_map(results["recorded"]), tmp_path / "m", formats=("svg",))
    svg = svg_path.read_text(encoding="utf-8")
    group = re.search(r'<g id="flow_class_\d+_inferred">(.*?)</g>', svg, re.S)
    assert group is not None
    assert len(re.findall(r"stroke-dasharray", group.group(1))) == 2  # J-C1 and C1-K
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert LABEL in texts


def test_no_inferred_legs_draw_the_same_map(
    results: dict[str, routes.RouteResult], tmp_path: Path
) -> None:
    res = results["none"]
    assert not res.assignments["inferred"].any()
    fig = _map(res)
    assert not [g for g in _flow_collections(fig) if g.endswith("_inferred")]
    assert LABEL not in [t.get_text() for t in fig.legends[0].get_texts()]
    (a,) = save_figure(fig, tmp_path / "with", formats=("svg",))
    plain = route_frequency_map(routes.edge_flows(res))
    (b,) = save_figure(plain, tmp_path / "without", formats=("svg",))
    assert a.read_bytes() == b.read_bytes()


def test_threshold_applies_before_dashing(results: dict[str, routes.RouteResult]) -> None:
    # min_value 7 (as sharing-safe suppression would): J-C1 and C1-K (6.71) are not drawn,
    # so nothing is dashed and the legend has no entry for it
    fig = _map(results["recorded"], min_value=7)
    colls = _flow_collections(fig)
    assert colls
    assert not [g for g in colls if g.endswith("_inferred")]
    assert set().union(*map(_segment_ends, colls.values())) == {("J", "O"), ("D", "K")}
    assert LABEL not in [t.get_text() for t in fig.legends[0].get_texts()]


def test_recorded_flows_need_edge_ids(results: dict[str, routes.RouteResult]) -> None:
    res = results["recorded"]
    flows, rec = routes.edge_flows(res), routes.edge_flows(res, inferred=False)
    with pytest.raises(routes.ValidationError, match=r"recorded_flows\) needs column 'u'"):
        route_frequency_map(flows, recorded_flows=rec.drop(columns="u"))
    with pytest.raises(routes.ValidationError, match=r"with recorded_flows needs column 'v'"):
        route_frequency_map(flows.drop(columns="v"), recorded_flows=rec)


def test_annex_print_map_dashes_inferred_segments(tmp_path: Path) -> None:
    accepted = routes.read_incidents(CLI_FIXTURE, strict=False).accepted
    for mode, expect in (("priors", True), ("none", False)):
        routes.write_report(accepted, tmp_path / mode, infer=mode, interactive=False)
        svg = (tmp_path / mode / "figures" / "route_frequency_map.svg").read_text("utf-8")
        assert bool(re.search(r'<g id="flow_class_\d+_inferred">', svg)) is expect, mode
        assert (LABEL in svg) is expect, mode
