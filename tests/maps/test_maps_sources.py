"""Pooled incidents on the map: a filter and legend by source (reporting agency)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fixtures.maps import tiny_routes
from fixtures.maps.browser import offline_page

import routes

SOURCES = ["MK Customs", "Albanian State Police", "MK Customs", "Albanian State Police"]


@pytest.fixture(scope="module")
def pooled_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    incidents = tiny_routes.incidents().assign(reporting=SOURCES)
    m = routes.route_map(incidents, result=tiny_routes.result(), crossings=tiny_routes.crossings())
    return routes.save_map(m, tmp_path_factory.mktemp("maps") / "pooled.html")


def test_meta_lists_the_sources_with_counts(pooled_map: Path) -> None:
    plain = tiny_routes.incidents()
    m = routes.route_map(plain, result=tiny_routes.result(), crossings=tiny_routes.crossings())
    page = routes.save_map(m, pooled_map.parent / "plain.html").read_text(encoding="utf-8")
    assert '"sources"' not in page  # a single file's map is unchanged
    text = pooled_map.read_text(encoding="utf-8")
    assert '"sources":["Albanian State Police","MK Customs"]' in text
    assert '"source_counts":[2,2]' in text


@pytest.mark.browser
def test_source_filter_recomputes_the_overlay(browser: Any, pooled_map: Path) -> None:
    with offline_page(browser, pooled_map) as (page, errors):
        labels = page.evaluate(
            "[...document.querySelectorAll('input.salw-src')].map(i => i.parentNode.textContent)"
        )
        assert labels == ["Albanian State Police (2)", "MK Customs (2)"]
        assert page.evaluate("salwMap.summary().incidents") == 4
        # untick MK Customs: i1 and i3 go, i2 (rifles, routed) and i4 (undated) stay
        page.locator("label.salw-check", has_text="MK Customs").locator("input").uncheck()
        assert page.evaluate("salwMap.summary().incidents") == 2
        page.evaluate("salwMap.setFilter({sources: ['MK Customs']})")
        assert page.evaluate("salwMap.summary().incidents") == 2
        assert page.evaluate("document.querySelector('input.salw-src').checked") is False
        assert errors == []
