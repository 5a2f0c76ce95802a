"""The choropleth, tier 3: the saved page in real headless Debian Chromium (Playwright).

Every request that is not ``file://`` or ``data:`` is aborted and recorded; any console error
fails the test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import routes
from routes.maps import CHOROPLETH_COLOURS, choropleth_map

pytestmark = pytest.mark.browser

HOSTILE = '<script>window.__pwned=3</script>"><img src=x onerror="window.__pwned=4">'


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    values = pd.DataFrame(
        {
            "jurisdiction": ["AL", "BA", "XK", "RS", "ME"],
            "value": [6.0, 2.0, 4.0, 10.0, None],
            "label": [None, None, None, None, "<5"],
        }
    )
    m = choropleth_map(
        values,
        title=HOSTILE,
        unit="per 100,000",
        classes=4,
        marking="RESTRICTED",
        source="<b>q.xlsx</b>",
        details={"AL": [("seized weapons 2025", "166")]},
    )
    return routes.save_map(m, tmp_path_factory.mktemp("choropleth") / "c.html")


def test_offline_page_draws_six_classes_labels_footnote(browser: Any, page_file: Path) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    requests: list[str] = []
    blocked: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(("file://", "data:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda req: requests.append(req.url))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda d: (errors.append("dialog " + d.message), d.dismiss()))
    try:
        page.goto(page_file.as_uri())
        page.wait_for_function(
            "window.salwChoropleth && window.salwChoropleth.ready", timeout=20_000
        )
        state = page.evaluate("window.salwChoropleth")
        c = CHOROPLETH_COLOURS[1:]
        assert state["polygons"] == 15
        assert state["fills"] == {
            "AL": c[2],
            "BA": c[0],
            "XK": c[1],
            "ME": "#d9d9d9",
            "MK": "#ffffff",
            "RS": c[3],
        }
        shown = page.evaluate(
            """(() => ({
            labels: [...document.querySelectorAll('.salw-choro-label.salw-focus')]
                .map(e => e.innerText.replace(/\\s+/g, ' ').trim()),
            title: document.querySelector('.salw-title-main').textContent,
            source: [...document.querySelectorAll('.salw-title .salw-muted')]
                .map(e => e.textContent),
            foot: document.querySelector('.salw-footnote').textContent,
            marks: [...document.querySelectorAll('.salw-marking')].map(e => e.textContent),
            legend: [...document.querySelectorAll('.salw-legend .salw-legend-row')]
                .map(e => e.textContent),
            pwned: window.__pwned === undefined ? null : window.__pwned,
            imgs: document.querySelectorAll('img[src="x"]').length,
            canvas: document.querySelectorAll('canvas').length,
        }))()"""
        )
        assert errors == []
        assert blocked == []
        assert requests == [page_file.as_uri()]
        labels = {t.split(" ")[0]: t for t in shown["labels"]}
        assert labels["KOSOVO*"] == "KOSOVO* 4"  # the labels are upper-cased by the CSS
        assert labels["MONTENEGRO"] == "MONTENEGRO <5"
        assert "NO DATA" in labels["NORTH"]
        assert shown["title"] == HOSTILE  # shown as text, never run
        assert shown["source"] == ["Data: <b>q.xlsx</b>"]
        assert shown["pwned"] is None
        assert shown["imgs"] == 0
        assert shown["foot"] == routes.KOSOVO_FOOTNOTE
        assert shown["marks"] == ["RESTRICTED", "RESTRICTED"]
        assert shown["legend"][:4] == ["2 – 4", "4 – 6", "6 – 8", "8 – 10"]
        assert shown["canvas"] >= 1
        # hover Albania: the tooltip holds its value and details, as text
        box = page.evaluate(
            """(() => { const m = Object.values(window).find(v => v instanceof L.Map);
            const p = m.latLngToContainerPoint([41.1, 20.1]); return [p.x, p.y]; })()"""
        )
        for attempt in range(4):  # a loaded machine may miss the first hover: move off and back
            page.mouse.move(1, 1)
            page.mouse.move(box[0], box[1], steps=3)
            try:
                page.wait_for_selector(".leaflet-tooltip", timeout=5_000)
                break
            except PlaywrightTimeout:
                if attempt == 3:
                    raise
        tip = page.evaluate("document.querySelector('.leaflet-tooltip').innerText")
        assert "Albania" in tip
        assert "6 per 100,000" in tip
        assert "seized weapons 2025: 166" in tip
        assert errors == []
    finally:
        context.close()
