"""Route maps, tier 3: the saved HTML in real headless Debian Chromium (Playwright for Python).

Every page is opened with every request that is not ``file://`` or ``data:`` aborted and
recorded, so a map that needs the network fails here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fixtures.maps import tiny_routes

import routes

pytestmark = pytest.mark.browser

HOSTILE_TITLE = '<script>window.__pwned=3</script>"><img src=x onerror="window.__pwned=4">'


def _tiny() -> Any:
    return tiny_routes


@pytest.fixture(scope="module")
def tiny_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tiny = _tiny()
    m = routes.route_map(
        tiny.incidents(hostile=True),
        result=tiny.result(),
        crossings=tiny.crossings(),
        title=HOSTILE_TITLE,
        source="tiny_routes.py",
        marking="RESTRICTED",
    )
    return routes.save_map(m, tmp_path_factory.mktemp("maps") / "tiny.html")


class Page:
    """A page with the network blocked and every request, console error and dialog recorded."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

        def route(r: Any) -> None:
            url = r.request.url
            if url.startswith(("file://", "data:")):
                r.continue_()
            else:
                self.blocked.append(url)
                r.abort()

        self.page.route("**/*", route)
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

        def dialog(d: Any) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", dialog)
        self.page.goto(path.as_uri())
        self.page.wait_for_function(
            "window.salwMap && window.salwMap.state.updates > 0", timeout=20_000
        )

    def js(self, code: str) -> Any:
        return self.page.evaluate(code)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    pages: list[Page] = []

    def opener(path: Path) -> Page:
        p = Page(browser, path)
        pages.append(p)
        return p

    yield opener
    for p in pages:
        p.close()


def test_offline_load_draws_borders_routes_and_makes_no_request(
    open_page: Any, tiny_map: Path, tmp_path: Path
) -> None:
    p = open_page(tiny_map)
    p.page.wait_for_timeout(300)
    p.page.screenshot(path=str(tmp_path / "tiny.png"))
    assert p.errors == []
    assert p.blocked == []
    assert p.requests == [tiny_map.as_uri()]
    s = p.js("salwMap.summary()")
    assert (s["incidents"], s["drawnEdges"], s["drawnCrossings"]) == (4, 7, 3)
    assert s["maxEdge"] == pytest.approx(2.0, abs=1e-3)
    drawn = p.js(
        """(() => {
        const L_ = salwMap.layers;
        const kinds = Object.fromEntries(L_.map(l => [l.kind, l]));
        const polys = kinds.borders.group.getLayers().filter(x => x instanceof L.Polygon).length;
        const labels = [...document.querySelectorAll('.salw-country')].map(e => e.textContent);
        const lines = kinds.flows.lines.filter(l => salwMap.map.hasLayer(l)).length;
        const arrows = kinds.flows.arrows.getLayers().length;
        const canvas = document.querySelectorAll('canvas').length;
        const foot = document.querySelector('.salw-footnote').textContent;
        const marks = [...document.querySelectorAll('.salw-marking')].map(e => e.textContent);
        const scale = document.querySelector('.leaflet-control-scale-line').textContent;
        return {polys, labels, lines, arrows, canvas, foot, marks, scale};
    })()"""
    )
    assert drawn["polys"] == 15
    assert "Kosovo*" in drawn["labels"]
    assert "Serbia" in drawn["labels"]
    assert drawn["lines"] == 7
    assert drawn["arrows"] >= 2
    assert drawn["canvas"] >= 2
    assert drawn["foot"] == routes.KOSOVO_FOOTNOTE
    assert drawn["marks"] == ["RESTRICTED", "RESTRICTED"]
    assert drawn["scale"].endswith("km")
    # the crossing popup: both sides, counts by category, top corridors (hand-computed)
    p.js("salwMap.layers[3].marks[0].openPopup()")
    popup = p.js("document.querySelector('.leaflet-popup-content').innerText")
    for text in ("Hani i Hotit – Božaj", "Albania", "Montenegro", "AL-ME-HANI-I-HOTIT"):
        assert text in popup
    assert "2 incidents expected through here" in popup
    assert re.search(r"pistols\s+1\b", popup)
    assert re.search(r"rifles\s+1\b", popup)
    assert re.search(r"AL → ME → BA\s+1\.75\b", popup)
    assert re.search(r"AL → ME\s+0\.25\b", popup)


def test_layers_toggle_from_the_layer_control(open_page: Any, tiny_map: Path) -> None:
    p = open_page(tiny_map)
    on_map = "salwMap.layers.map(l => salwMap.map.hasLayer(l.group))"
    assert p.js(on_map) == [True] * 5
    p.page.get_by_label("Route frequency").uncheck()
    p.page.get_by_label("Countries (basemap)").uncheck()
    assert p.js(on_map) == [False, True, False, True, True]
    assert p.js("salwMap.layers[2].arrows.getLayers().length") == 0
    p.page.get_by_label("Route frequency").check()
    assert p.js(on_map) == [False, True, True, True, True]
    assert p.errors == []


def test_time_and_category_filters_recompute_the_overlay(
    open_page: Any, tiny_map: Path, tmp_path: Path
) -> None:
    p = open_page(tiny_map)
    widths = "salwMap.layers[2].lines.map(l => salwMap.map.hasLayer(l) ? l.options.weight : 0)"
    before = p.js(widths)
    assert all(w > 0 for w in before)
    # drag the "to" slider back to 2020-12: only i1 (P1) and the undated i4 remain
    p.js(
        """(() => { const to = document.querySelector('input.salw-to');
        to.value = String(2020 * 12 + 11); to.dispatchEvent(new Event('input')); })()"""
    )
    s = p.js("salwMap.summary()")
    assert (s["incidents"], s["to"], s["drawnEdges"]) == (2, "2020-12-31", 5)
    assert p.js("Array.from(salwMap.edgeV)") == pytest.approx([1, 1, 1, 1, 1, 0, 0], abs=1e-3)
    after = p.js(widths)
    assert after[5:] == [0, 0]
    assert after[0] < before[0]
    assert "2 of 4 incidents" in p.js("document.querySelector('.salw-stats').textContent")
    p.page.screenshot(path=str(tmp_path / "filtered.png"))
    # categories: untick pistols with the whole range back -> only i2 (rifles) and i4
    p.js("salwMap.setFilter({from: null, to: null})")
    p.page.locator("label.salw-check", has_text="pistols").locator("input").uncheck()
    s = p.js("salwMap.summary()")
    assert (s["incidents"], s["drawnEdges"], s["drawnCrossings"]) == (2, 5, 2)
    assert p.js("Array.from(salwMap.edgeV)") == pytest.approx([1, 1, 1, 0.75, 0.75, 0, 0], abs=1e-3)
    # weight by quantity: i2 carries 10 items, 0.75 on P1 and 0.25 on P2
    p.page.select_option("select.salw-weight", "quantity")
    assert p.js("Array.from(salwMap.edgeV).slice(0, 5)") == pytest.approx(
        [10, 10, 10, 7.5, 7.5], abs=1e-2
    )
    assert p.errors == []


def test_hostile_text_is_shown_as_text_and_never_runs(
    open_page: Any, tiny_map: Path, tmp_path: Path
) -> None:
    tiny = _tiny()
    p = open_page(tiny_map)
    p.js("void salwMap.map.setView([41.32, 19.45], 12, {animate: false})")
    p.page.wait_for_timeout(200)
    opened = p.js(
        """(() => { const g = salwMap.layers[1].group.getLayers().filter(l => l.getPopup());
        g.forEach(l => l.openPopup()); return g.length; })()"""
    )
    assert opened >= 1
    popup = p.js("document.querySelector('.leaflet-popup-content').textContent")
    assert tiny.HOSTILE_NOTE in popup
    title = p.js("document.querySelector('.salw-title-main').textContent")
    assert title == HOSTILE_TITLE
    p.page.screenshot(path=str(tmp_path / "hostile.png"))
    assert p.js("window.__pwned === undefined") is True
    assert p.js("document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert p.dialogs == []
    assert p.blocked == []
    assert p.errors == []


def test_heat_and_hex_styles_load(open_page: Any, tmp_path: Path) -> None:
    tiny = _tiny()
    for style in ("heat", "hex"):
        m = routes.route_map(
            tiny.incidents(),
            result=tiny.result(),
            crossings=tiny.crossings(),
            incident_style=style,
        )
        path = routes.save_map(m, tmp_path / f"{style}.html")
        p = open_page(path)
        p.page.wait_for_timeout(200)
        drawn = p.js("salwMap.layers[1].group.getLayers().length")
        assert drawn >= 1, style
        if style == "hex":  # 4 incidents in 4 bins; the filter leaves i2 (rifles) alone
            assert p.js("salwMap.layers[1].bins") == 4
            p.js("salwMap.setFilter({categories: ['rifles']})")
            assert p.js("salwMap.layers[1].bins") == 1
        assert p.errors == [], style
        assert p.blocked == [], style


def test_tile_layer_only_when_asked_with_attribution(browser: Any, tmp_path: Path) -> None:
    tiny = _tiny()
    url = "https://tiles.police.example/{z}/{x}/{y}.png"
    m = routes.route_map(
        tiny.incidents(),
        crossings=tiny.crossings(),
        tiles=url,
        tiles_attribution="<b>Agency</b> tiles",
    )
    path = routes.save_map(m, tmp_path / "tiles.html")
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2bd9c"
        "e30000000049454e44ae426082"
    )
    tiles: list[str] = []
    page = browser.new_page()
    try:

        def route(r: Any) -> None:
            if r.request.url.startswith("https://tiles.police.example/"):
                tiles.append(r.request.url)
                r.fulfill(status=200, content_type="image/png", body=png)
            elif r.request.url.startswith("file://"):
                r.continue_()
            else:
                r.abort()

        page.route("**/*", route)
        page.goto(path.as_uri())
        page.wait_for_function("window.salwMap && window.salwMap.state.updates > 0")
        page.wait_for_timeout(300)
        attribution = page.evaluate(
            "document.querySelector('.leaflet-control-attribution').textContent"
        )
    finally:
        page.close()
    assert tiles, "no tile was requested"
    assert all(re.match(r"https://tiles\.police\.example/\d+/\d+/\d+\.png$", t) for t in tiles)
    assert "<b>Agency</b> tiles" in attribution  # shown as text


def test_undated_incidents_show_no_null_date_range(open_page: Any, tmp_path: Path) -> None:
    # acceptance finding: a file without any date showed "4 items · null – null" in the title
    tiny = _tiny()
    undated = tiny.incidents().assign(date=pd.NaT)
    m = routes.route_map(undated, result=tiny.result(), crossings=tiny.crossings())
    p = open_page(routes.save_map(m, tmp_path / "undated.html"))
    stats = p.js("document.querySelector('.salw-stats').textContent")
    assert stats == "4 of 4 incidents · 18 items"
    assert "null" not in p.js("document.querySelector('.salw-title').textContent")
    assert p.errors == []


def test_legend_never_covers_the_filters_on_a_short_map(open_page: Any, tmp_path: Path) -> None:
    # acceptance finding: in the annex (a 640 px high iframe) the legend covered the filters
    tiny = _tiny()
    base = tiny.incidents()
    extra = pd.concat([base.iloc[[0]]] * 16, ignore_index=True)
    extra["incident_id"] = [f"x{i}" for i in range(16)]
    extra["source_row"] = range(5, 21)
    extra["category"] = [f"category {i}" for i in range(16)]
    extra["modus_operandi"] = [f"mode {i % 8}" for i in range(16)]
    many = pd.concat([base, extra], ignore_index=True).set_crs(base.crs, allow_override=True)
    m = routes.route_map(many, result=tiny.result(), crossings=tiny.crossings(), marking="R")
    p = open_page(routes.save_map(m, tmp_path / "short.html"))
    p.page.set_viewport_size({"width": 1100, "height": 640})
    p.page.wait_for_timeout(200)
    p.js("document.querySelectorAll('.salw-group').forEach(d => { d.open = true; })")
    filters, legend = p.js(
        """[...['.salw-filters', '.salw-legend']].map(s => {
        const r = document.querySelector(s).getBoundingClientRect();
        return [r.top, r.bottom]; })"""
    )
    assert filters[1] <= legend[0]
    p.page.screenshot(path=str(tmp_path / "short.png"))
    assert p.errors == []


def test_title_shows_the_date_range_once_in_one_format(open_page: Any, tiny_map: Path) -> None:
    # acceptance finding: the title box showed the range twice (subtitle and stats, ISO dates)
    p = open_page(tiny_map)
    text = p.js("document.querySelector('.salw-title').innerText")
    assert text.count("5 Mar 2020 – 20 Jan 2022") == 1
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    p.js("salwMap.setFilter({from: '2021-01-01'})")
    text = p.js("document.querySelector('.salw-title').innerText")
    assert text.count("1 Jan 2021 – 20 Jan 2022") == 1
    assert "2020" not in text
    assert p.errors == []


def _legend_labels(p: Any) -> list[str]:
    return list(
        p.js(
            "[...document.querySelectorAll('.salw-legend .salw-legend-row')]"
            ".filter(r => r.querySelector('.salw-line')).map(r => r.textContent)"
        )
    )


def test_legend_shows_only_classes_up_to_the_real_maximum(open_page: Any, tiny_map: Path) -> None:
    # acceptance finding: "> 1.08" in the legend when the largest value was 0.68
    p = open_page(tiny_map)
    # breaks (hand-computed for the fixture) 1.7, 2, 3, 4.5; the busiest segment carries 2.0
    assert _legend_labels(p) == ["0 – 1.7", "1.7 – 2"]
    p.js("salwMap.setFilter({categories: ['pistols']})")
    assert p.js("salwMap.state.maxEdge") == pytest.approx(1.0, abs=1e-3)
    assert _legend_labels(p) == ["0 – 1"]
    p.js("salwMap.setFilter({categories: []})")
    assert _legend_labels(p) == []
    assert "no routes for the current filters" in p.js(
        "document.querySelector('.salw-legend').innerText"
    )
    assert p.errors == []


def test_corridor_badges_never_overlap_on_zoom(open_page: Any, tiny_map: Path) -> None:
    # acceptance finding: E-road badges were drawn over each other when zoomed out
    p = open_page(tiny_map)
    badges = """(() => [...document.querySelectorAll('.salw-corridor')].map(e => {
        const r = e.getBoundingClientRect();
        return [e.textContent, getComputedStyle(e).visibility === 'visible',
                r.left, r.top, r.right, r.bottom]; }))()"""

    def overlaps(a: list[Any], b: list[Any]) -> bool:
        return bool(a[2] < b[4] and b[2] < a[4] and a[3] < b[5] and b[3] < a[5])

    shown = p.js(badges)
    assert [(b[0], b[1]) for b in shown] == [("E762", True), ("E80", True)]
    p.js("salwMap.map.setZoom(3, {animate: false})")
    p.page.wait_for_timeout(100)
    zoomed_out = p.js(badges)
    assert overlaps(zoomed_out[0], zoomed_out[1])  # they would collide at this zoom
    assert [(b[0], b[1]) for b in zoomed_out] == [("E762", True), ("E80", False)]
    p.js("salwMap.map.setZoom(7, {animate: false})")
    p.page.wait_for_timeout(100)
    assert [(b[0], b[1]) for b in p.js(badges)] == [("E762", True), ("E80", True)]
    assert p.errors == []
