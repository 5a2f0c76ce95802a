"""Report-grade static figures: elements present, 300 dpi PNG, one-page PDF, reproducible."""

from __future__ import annotations

import html
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from fixtures.report import report_helpers as H  # noqa: N812 - the tests' short name
from matplotlib.figure import Figure
from shapely.geometry import LineString, Point

import routes
from routes.report.figures import (
    category_chart,
    route_frequency_map,
    save_figure,
    top_flows_chart,
    trend_chart,
)

HERE = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def flows() -> gpd.GeoDataFrame:
    """Four edges, one two-way (u/v swapped): Belgrade-Niš 10 + 3 = 13 incidents."""
    bg, nis, presevo, skopje, tirana, podgorica = (
        (20.46, 44.82),
        (21.90, 43.32),
        (21.72, 42.31),
        (21.43, 42.00),
        (19.82, 41.33),
        (19.26, 42.44),
    )
    return gpd.GeoDataFrame(
        {
            "u": [1, 2, 2, 3, 5],
            "v": [2, 1, 3, 4, 6],
            "key": [0, 0, 0, 0, 0],
            "incidents": [10.0, 3.0, 1.5, 40.0, 0.5],
            "quantity": [12, 3, 2, 50, 1],
        },
        geometry=[
            LineString([bg, nis]),
            LineString([nis, bg]),
            LineString([nis, presevo]),
            LineString([presevo, skopje]),
            LineString([tirana, podgorica]),
        ],
        crs="EPSG:4326",
    )


@pytest.fixture(scope="module")
def crossing_flows() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "crossing_id": ["RS-MK-PRESEVO", "AL-ME-HANI-I-HOTIT"],
            "name": ["Preševo–Tabanovce", "Hani i Hotit–Božaj"],
            "incidents": [12.0, 3.0],
        },
        geometry=[Point(21.72, 42.31), Point(19.43, 42.35)],
        crs="EPSG:4326",
    )


@pytest.fixture(scope="module")
def incidents() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "date": pd.to_datetime(["2019-03-01", "2021-05-02", "2023-01-01", "2023-06-01"]),
            "jurisdiction": ["RS", "XK", "AL", "XK"],
            "category": ["pistol", "hand_grenade", "pistol", "ammunition"],
            "quantity": [1, 3, 2, 100],
        },
        geometry=[Point(20.5, 44.8), Point(21.1, 42.6), Point(19.8, 41.3), Point(21.2, 42.7)],
        crs="EPSG:4326",
    )


def _test_map(
    flows: gpd.GeoDataFrame, crossing_flows: gpd.GeoDataFrame, incidents: gpd.GeoDataFrame
) -> Figure:
    """The map that saved_map saves and the reproducibility test draws again."""
    return route_frequency_map(
        flows,
        crossing_flows=crossing_flows,
        incidents=incidents,
        title="Routes $x$ test",
        marking="RESTRICTED",
        sources="Test sources line",
    )


@pytest.fixture(scope="module")
def saved_map(
    tmp_path_factory: pytest.TempPathFactory,
    flows: gpd.GeoDataFrame,
    crossing_flows: gpd.GeoDataFrame,
    incidents: gpd.GeoDataFrame,
) -> list[Path]:
    fig = _test_map(flows, crossing_flows, incidents)
    return save_figure(fig, tmp_path_factory.mktemp("map") / "route_frequency", title="T")


def test_map_files_png_300_dpi_and_a4(saved_map: list[Path]) -> None:
    assert [p.suffix for p in saved_map] == [".png", ".svg", ".pdf"]
    w, h, dx, dy = H.png_size_and_dpi(saved_map[0])
    assert (w, h) == (3507, 2481)  # A4 landscape 11.69 x 8.27 in at 300 dpi
    assert dx == pytest.approx(300, abs=0.01)
    assert dy == pytest.approx(300, abs=0.01)
    from PIL import Image

    with Image.open(saved_map[0]) as im:
        im.load()
        assert im.info["dpi"][0] == pytest.approx(300, abs=0.01)
        # the marking is drawn in red near the top centre
        top = np.asarray(im.convert("RGB").crop((1300, 0, 2200, 80))).reshape(-1, 3)
        red = (top[:, 0] > 150) & (top[:, 1] < 60) & (top[:, 2] < 80)
        assert red.sum() > 100


def test_map_svg_has_every_element(saved_map: list[Path]) -> None:
    svg = saved_map[1].read_text(encoding="utf-8")
    texts = [
        html.unescape(re.sub(r"\s+", " ", t)) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    ]
    joined = " | ".join(texts)
    assert texts.count("RESTRICTED") == 2  # top and bottom
    assert "Routes $x$ test" in texts  # '$' stays text, no mathtext
    assert "Kosovo*" in texts  # the label on the map
    assert "ICJ Opinion on the Kosovo declaration" in joined  # the footnote
    assert "Sources: Test sources line" in joined
    assert "01 Mar 2019 – 01 Jun 2023" in texts  # date range from the incidents
    assert "Route frequency (incidents)" in texts  # legend title
    # graduated classes: 13 = both directions of Belgrade-Niš summed, max 40
    assert "≥ 20 (max 40)" in texts
    assert any(t.startswith("0.5 – <") for t in texts)
    assert "200 km" in texts or "100 km" in texts  # scale bar
    assert "N" in texts
    assert 'id="north_arrow' in svg
    assert "Preševo–Tabanovce" in texts
    assert "Border crossings (incidents)" in texts
    assert re.search(r'd="M [0-9.]+ [0-9.]+', svg)
    assert not re.search(r'="[^"]*\d+\.\d{3,}', svg), "attribute numbers have <= 2 decimals"


def test_map_pdf_one_page_with_text(saved_map: list[Path]) -> None:
    data = saved_map[2].read_bytes()
    assert data.startswith(b"%PDF-")
    assert H.pdf_pages(data) == 1
    text = H.pdf_text(data)
    assert "RESTRICTED" in text
    assert "Kosovo*" in text
    assert "UNSCR 1244/1999" in text
    assert "/CreationDate" not in text


def test_saving_is_reproducible(
    tmp_path: Path,
    flows: gpd.GeoDataFrame,
    saved_map: list[Path],
    crossing_flows: gpd.GeoDataFrame,
    incidents: gpd.GeoDataFrame,
) -> None:
    fig = _test_map(flows, crossing_flows, incidents)
    again = save_figure(fig, tmp_path / "route_frequency", title="T")
    for a, b in zip(saved_map, again, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.suffix
    assert not list(tmp_path.glob(".*")), "temporary files left behind"


def test_value_and_min_value_filter(flows: gpd.GeoDataFrame) -> None:
    fig = route_frequency_map(flows, value="quantity", min_value=5)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[0] == "Route frequency (quantity)"
    # quantities >= 5: 12 + 3 (both directions) = 15, and 50; nothing below 5 is drawn
    assert labels[1] == "15 – 50"
    assert labels[2] == "International border"


def test_map_errors_are_clear(flows: gpd.GeoDataFrame) -> None:
    with pytest.raises(routes.ValidationError, match=r"needs column 'incidents'"):
        route_frequency_map(flows.drop(columns="incidents"))
    with pytest.raises(routes.ValidationError, match=r"flows has no CRS"):
        route_frequency_map(
            gpd.GeoDataFrame(flows.drop(columns="geometry"), geometry=list(flows.geometry))
        )
    with pytest.raises(ValueError, match=r"unknown figure format 'bmp'"):
        save_figure(route_frequency_map(flows), "x", formats=("bmp",))


def test_charts(tmp_path: Path, incidents: gpd.GeoDataFrame) -> None:
    trend = trend_chart(incidents, marking="RESTRICTED")
    legend = [t.get_text() for t in trend.axes[0].get_legend().get_texts()]
    assert legend == ["Serbia", "Kosovo*", "Albania"]  # top of the stack first
    bars = trend.axes[0].containers
    assert [round(b.datavalues.sum()) for b in bars] == [1, 2, 1]  # AL, XK, RS incidents
    labels = [t.get_text() for t in trend.axes[0].texts]
    assert labels == ["1", "0", "1", "0", "2"]  # 2019..2023 totals

    mix = category_chart(incidents, value="quantity")
    ticks = [t.get_text() for t in mix.axes[0].get_yticklabels()]
    assert ticks == ["Albania", "Kosovo*", "Serbia", "All jurisdictions"]

    table = pd.DataFrame({"e_road": ["E75", "E65|E80", "E70"], "incidents": [12.5, 4.0, 0.5]})
    top = top_flows_chart(table, label="e_road", title="Top corridors", n=2)
    names = {t.get_position()[1]: t.get_text() for t in top.axes[0].get_yticklabels()}
    assert [names[y] for y in sorted(names, reverse=True)] == ["E75", "E65 / E80"]
    for fig, stem in ((trend, "trend"), (mix, "mix"), (top, "top")):
        png, svg = save_figure(fig, tmp_path / stem, formats=("png", "svg"))
        w, h, dpi, _ = H.png_size_and_dpi(png)
        assert (w, h) == (3000, 1800)
        assert dpi == pytest.approx(300, abs=0.01)
        assert "UNSCR 1244/1999" in svg.read_text(encoding="utf-8")


def test_charts_suppress_small_counts(incidents: gpd.GeoDataFrame) -> None:
    many = pd.concat([incidents] + [incidents.iloc[[0]]] * 6, ignore_index=True)  # RS: 7
    fig = trend_chart(many, min_count=5)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend[0] == "Suppressed (<5 each)"  # drawn on top of each bar
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert labels == ["7", "0", "<5", "0", "<5"]
    footer = [t.get_text() for t in fig.texts if "suppressed" in t.get_text()]
    assert footer
    assert "Counts below 5 are suppressed" in footer[0]
    top = top_flows_chart(
        pd.DataFrame({"name": ["A", "B"], "incidents": [9.0, 2.0]}), label="name", min_count=5
    )
    assert [t.get_text() for t in top.axes[0].get_yticklabels()] == ["A"]


def test_crossing_labels_never_overlap(flows: gpd.GeoDataFrame) -> None:
    # acceptance finding: "Kelebija – Tompa" was printed over "Horgoš – Röszke"
    from matplotlib.text import Annotation

    names = [
        "Horgoš – Röszke",
        "Kelebija – Tompa",
        "Bački Breg – Hercegszántó",
        "Đala – Tiszasziget",
    ]
    close = gpd.GeoDataFrame(
        {"name": names, "incidents": [70.0, 60.0, 50.0, 40.0]},
        geometry=[
            Point(19.98, 46.16),
            Point(19.62, 46.17),
            Point(18.93, 45.91),
            Point(20.18, 46.16),
        ],
        crs="EPSG:4326",
    )
    fig = route_frequency_map(flows, crossing_flows=close, label_crossings=4)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    placed = [a for a in fig.axes[0].texts if isinstance(a, Annotation) and a.get_text()]
    shown = sorted(a.get_text() for a in placed)
    assert "Horgoš – Röszke" in shown  # the busiest is always named
    assert set(shown) <= set(names)
    assert len(shown) >= 3
    boxes = [a.get_window_extent(renderer) for a in placed]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)
    frame = fig.axes[0].get_window_extent(renderer)
    assert all(frame.contains(b.x0, b.y0) and frame.contains(b.x1, b.y1) for b in boxes)
