"""The `report` command: the offline annex, every separate file, fragments, rejected rows."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from click.testing import CliRunner
from fixtures.report import report_helpers as H  # noqa: N812 - the tests' short name
from openpyxl import load_workbook

import routes
from routes.cli import main

HERE = Path(__file__).resolve().parents[1]
FIXTURE = HERE / "fixtures" / "report" / "incidents_small.csv"
TITLE = "Annex B <script>alert('title')</script>"

EXPECTED = {
    "annex.html",
    "manifest.json",
    "rejected_rows.csv",
    "maps/route_map.html",
    "maps/route_map.fragment.html",
    "maps/route_frequency_map.fragment.html",
    "figures/route_frequency_map.png",
    "figures/route_frequency_map.svg",
    "figures/route_frequency_map.pdf",
    *(
        f"figures/{s}.{x}"
        for s in ("trend_per_year", "category_mix", "top_corridors", "top_crossings")
        for x in ("png", "svg")
    ),
    *(
        f"tables/statistics_{t}.csv"
        for t in (
            "summary",
            "by_year",
            "by_category",
            "by_modus_operandi",
            "by_ocg_involved",
            "by_migrants_involved",
            "corridors",
            "crossings",
            "jurisdiction_pairs",
        )
    ),
    "tables/statistics.md",
    "tables/statistics.xlsx",
    "tables/inferred_differences.csv",  # the default infer="priors"
    "gis/route_frequency.gpkg",
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """The fixture plus one bad row (quantity 0), reported through the command line."""
    base = tmp_path_factory.mktemp("report")
    src = base / "incidents.csv"
    text = FIXTURE.read_text(encoding="utf-8")
    bad = (
        "RPT-0099,2024-05-05,day,RS,Niš,43.32,21.89,exact,seizure,pistol,0,Belgrade,,"
        "Skopje,,bus,no,no,x,confirmed,\n"
    )
    src.write_text(text + bad, encoding="utf-8")
    out = base / "out"
    res = CliRunner().invoke(
        main, ["report", str(src), "--out", str(out), "--marking", "RESTRICTED", "--title", TITLE]
    )
    return out, res


def test_exit_status_and_messages(run: tuple[Path, Any]) -> None:
    out, res = run
    assert res.exit_code == 1, res.output  # one row rejected; the report is still written
    assert "15 rows read, 14 accepted, 1 rejected" in res.stderr
    assert "row 15, column 'quantity'" in res.stderr
    assert f"wrote {out / 'annex.html'}" in res.output
    rejected = (out / "rejected_rows.csv").read_text(encoding="utf-8")
    assert "RPT-0099" in rejected
    assert "quantity" in rejected


def test_every_file_is_there_and_in_the_manifest(run: tuple[Path, Any]) -> None:
    out, _ = run
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert files == EXPECTED
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == EXPECTED - {"rejected_rows.csv", "manifest.json"}
    for rel, meta in manifest["files"].items():
        if rel != "manifest.json":
            data = (out / rel).read_bytes()
            assert hashlib.sha256(data).hexdigest() == meta["sha256"], rel
            assert len(data) == meta["bytes"] > 0, rel
    assert manifest["incidents"] == 14
    assert manifest["unrouted"] == 0  # the seizure-only records are routed on inferred legs


def test_annex_bundles_map_figures_tables(run: tuple[Path, Any]) -> None:
    out, _ = run
    annex = (out / "annex.html").read_text(encoding="utf-8")
    assert annex.count('<div class="marking') == 2  # top and bottom
    assert html.escape(routes.KOSOVO_FOOTNOTE) in annex
    assert "<script>alert('title')" not in annex  # the hostile title is text
    assert "Annex B &lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in annex
    # one script of its own (loads the map frame after layout); the map's are escaped
    assert annex.count("<script") == 1
    assert "data-srcdoc=" in annex
    assert "Content-Security-Policy" in annex
    assert "default-src 'none'" in annex
    assert annex.count("<svg ") == 5  # the print map and four charts, inline
    assert '<iframe class="map"' in annex
    assert 'sandbox="allow-scripts"' in annex
    assert "<td>Kosovo*</td>" in annex
    assert "Top border crossings" in annex
    assert "Inferred legs: method and calibration" in annex  # the inferred legs are explained
    for rel in EXPECTED - {"annex.html", "rejected_rows.csv"}:
        assert f'href="{rel}"' in annex, rel
    # the data's hostile note is in the map only as escaped JSON, never as markup
    page = (out / "maps" / "route_map.html").read_text(encoding="utf-8")
    assert '<script>alert("x")' not in page
    assert "<img src=x" not in page


def test_fragments_embed_the_maps(run: tuple[Path, Any]) -> None:
    out, _ = run
    frag = (out / "maps" / "route_map.fragment.html").read_text(encoding="utf-8")
    m = re.fullmatch(
        r'<iframe class="map" title="[^"]*" srcdoc="([^"]*)" '
        r'sandbox="allow-scripts"[^>]*></iframe>\n',
        frag,
    )
    assert m, frag[:300]
    page = (out / "maps" / "route_map.html").read_text(encoding="utf-8")
    assert html.unescape(m.group(1)) == page
    static = (out / "maps" / "route_frequency_map.fragment.html").read_text(encoding="utf-8")
    b64 = re.search(r'src="data:image/png;base64,([^"]+)"', static)
    assert b64
    assert static.startswith("<figure>")
    png = (out / "figures" / "route_frequency_map.png").read_bytes()
    assert base64.b64decode(b64.group(1)) == png
    assert "UNSCR 1244/1999" in static


def test_figures_tables_and_layers_open(run: tuple[Path, Any]) -> None:
    out, _ = run
    w, h, dpi, _ = H.png_size_and_dpi(out / "figures" / "route_frequency_map.png")
    assert (w, h) == (3507, 2481)
    assert dpi == pytest.approx(300, abs=0.01)
    pdf = (out / "figures" / "route_frequency_map.pdf").read_bytes()
    assert H.pdf_pages(pdf) == 1
    assert "RESTRICTED" in H.pdf_text(pdf)
    svg = (out / "figures" / "top_crossings.svg").read_text(encoding="utf-8")
    assert "Top border crossings" in svg
    assert "RESTRICTED" in svg
    wb = load_workbook(out / "tables" / "statistics.xlsx")
    assert wb.sheetnames[:2] == ["About", "summary"]
    assert {"corridors", "crossings", "jurisdiction_pairs"} <= set(wb.sheetnames)
    assert wb["About"]["A1"].value == TITLE  # Excel holds the text as text
    md = (out / "tables" / "statistics.md").read_text(encoding="utf-8")
    assert "| Kosovo\\* |" in md
    assert "UNSCR 1244/1999" in md
    layers = dict(pyogrio.list_layers(out / "gis" / "route_frequency.gpkg"))
    assert set(layers) == {"route_edges", "crossing_flows"}
    edges = pyogrio.read_dataframe(out / "gis" / "route_frequency.gpkg", layer="route_edges")
    assert edges.crs.to_epsg() == 4326
    assert edges["incidents"].max() > 0
    cross = pyogrio.read_dataframe(out / "gis" / "route_frequency.gpkg", layer="crossing_flows")
    presevo = cross[cross["crossing_id"] == "RS-MK-PRESEVO"]
    assert presevo["incidents"].item() >= 1.5  # RPT-0001 and RPT-0003 cross there


@pytest.mark.browser
def test_annex_opens_offline_in_chromium(run: tuple[Path, Any], browser: Any) -> None:
    out, _ = run
    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    errors: list[str] = []
    external: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def block(route: Any) -> None:
        if route.request.url.startswith(("file:", "data:", "about:", "blob:")):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    page.route("**/*", block)
    page.goto((out / "annex.html").as_uri())
    frame = page.frame_locator("iframe.map")
    frame.locator(".leaflet-container").wait_for(timeout=15_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(out.parent / "annex.png"))
    assert errors == []
    assert external == []
    assert page.title() == TITLE  # shown as text, never run
    assert page.locator("figure svg").count() == 5
    child = next(f for f in page.frames if f != page.main_frame)
    assert child.evaluate("typeof L") == "object"
    # the map's title box shows the date range once (its own line), not again as a subtitle
    assert child.evaluate("document.querySelectorAll('.salw-range').length") == 1
    muted = child.evaluate(
        "[...document.querySelectorAll('.salw-title .salw-muted')].map(e => e.textContent)"
    )
    assert all(text.startswith("Data:") for text in muted), muted
    assert child.evaluate("document.querySelectorAll('canvas').length") >= 1
    page.close()


def test_bad_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "incident_id,date,jurisdiction,latitude,longitude,quantity\n"
        "X-1,2021-01-01,RS,44.8,20.4,0\n",
        encoding="utf-8",
    )
    res = CliRunner().invoke(main, ["report", str(bad), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2  # nothing usable
    assert re.search(r"no row of .*bad\.csv was accepted", res.stderr)
    assert "salw-routes validate" in res.stderr
    assert not (tmp_path / "o" / "annex.html").exists()
    assert "quantity" in (tmp_path / "o" / "rejected_rows.csv").read_text(encoding="utf-8")


def test_date_filter_counts_what_it_leaves_out() -> None:
    from routes.report._inputs import filter_dates

    inc = routes.read_incidents(FIXTURE)
    kept, notes = filter_dates(inc, "2022-01-01", "2023-12-31")
    assert sorted(kept["incident_id"]) == [f"RPT-000{i}" for i in range(3, 10)]
    assert notes == [
        "Date filter: from 2022-01-01 to 2023-12-31; 7 incident(s) outside the period "
        "(of which 1 undated) are not counted."
    ]
    with pytest.raises(routes.ValidationError, match=r"'2022-13-45'.*use ISO dates"):
        filter_dates(inc, "2022-13-45", None)


def test_a_result_must_match_the_incidents(tmp_path: Path) -> None:
    inc = routes.read_incidents(FIXTURE)
    two = inc.iloc[:2]
    result = routes.route_incidents(two)
    with pytest.raises(routes.ValidationError, match=r"result= was computed for other incidents"):
        routes.write_report(inc, tmp_path, result=result)
    with pytest.raises(routes.ValidationError, match=r"date filter .* cannot be applied"):
        routes.write_report(two, tmp_path, result=result, start="2021-01-01")
    with pytest.raises(routes.ValidationError, match=r"no incident to report in the period"):
        routes.write_report(inc, tmp_path / "x", start="2030-01-01")
    assert list(tmp_path.iterdir()) == []


def test_out_dir_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    # acceptance finding: write_report(inc, "incidents.csv") raised a bare FileExistsError
    inc = routes.read_incidents(FIXTURE)
    clash = tmp_path / "annex"
    clash.write_text("not a folder\n", encoding="utf-8")
    with pytest.raises(routes.ValidationError, match=r"'.*annex' is a file, not a folder"):
        routes.write_report(inc, clash)
    assert clash.read_text(encoding="utf-8") == "not a folder\n"


def test_annex_tables_show_counts_with_thousands_separators() -> None:
    # acceptance finding: the annex showed 22101 and 191595 while the map showed 191,595
    import pandas as pd

    from routes.report._html import table_html

    table = pd.DataFrame(
        {
            "jurisdiction_name": ["Albania", "All jurisdictions"],
            "year": [2019, "undated"],
            "incidents": [337, 2500],
            "quantity": [22101, 191595],
            "expected": [40543.94, 11.0],
        }
    )
    out = table_html(table)
    assert '<td class="num">22,101</td>' in out
    assert '<td class="num">191,595</td>' in out
    assert '<td class="num">2,500</td>' in out
    assert '<td class="num">40,543.9</td>' in out  # expected incidents: at most one decimal
    assert '<td class="num">11</td>' in out
    assert '<td class="num">2019</td>' in out  # a year is a label, never "2,019"
    assert "191595" not in out
    # and the annex prose the same way
    from routes.report._text import count_text, reason_summary

    assert (count_text(191595), count_text(7), count_text("<5")) == ("191,595", "7", "<5")
    assert reason_summary(["only one waypoint"] * 1374) == "1,374 × only one waypoint"
