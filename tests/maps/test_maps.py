"""Route maps, tiers 1 and 2: folium object state and the rendered HTML.

The browser tier is tests/maps/test_maps_browser.py. The fixture
(tests/fixtures/maps/tiny_routes.py) is a hand-computed network of three paths and four
incidents; its docstring gives the expected edge and crossing flows.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import folium
import numpy as np
import pytest
from fixtures.maps import tiny_routes as tiny
from fixtures.maps.blocks import data_of, decode
from hypothesis import given, settings
from hypothesis import strategies as st

import routes

CDN = re.compile(
    r"https?://(cdn\.jsdelivr|cdnjs\.cloudflare|unpkg\.com|code\.jquery|netdna\.|"
    r"maxcdn\.|ajax\.googleapis|fonts\.googleapis|fonts\.gstatic|stackpath|d3js\.org)",
    re.IGNORECASE,
)


def build(**kwargs: object) -> Any:
    opts: dict[str, object] = {
        "result": tiny.result(),
        "crossings": tiny.crossings(),
        "title": "Tiny test map",
        "source": "tiny_routes.py",
    }
    opts.update(kwargs)
    hostile = bool(opts.pop("hostile", False))
    m = routes.route_map(tiny.incidents(hostile=hostile), **opts)  # type: ignore[arg-type]
    assert type(m).__name__ == "RouteMap"
    return m


def children(m: folium.Map, kind: str) -> list[Any]:
    """The map's direct children of the map element class named ``kind`` (e.g. ``SalwLayer``)."""
    return [c for c in m._children.values() if type(c).__name__ == kind]


# ------------------------------------------------------------------ tier 1: object state


def test_map_object_state_layers_controls_and_options() -> None:
    m = build(marking="RESTRICTED")
    assert isinstance(m, folium.Map)
    assert m.options["prefer_canvas"] is True
    layers = children(m, "SalwLayer")
    assert [(x.kind, x.layer_name, x.show, x.overlay) for x in layers] == [
        ("borders", "Countries (basemap)", True, True),
        ("incidents", "Incidents", True, True),
        ("flows", "Route frequency", True, True),
        ("crossings", "Border crossings", True, True),
        ("corridors", "Corridor labels", True, True),
    ]
    assert any(isinstance(c, folium.LayerControl) for c in m._children.values())
    assert not any(isinstance(c, folium.TileLayer) for c in m._children.values())
    controls = {c.kind: c.options for c in children(m, "SalwControl")}
    assert set(controls) == {"title", "filters", "legend", "scale", "footnote", "marking"}
    assert controls["footnote"]["text"] == routes.KOSOVO_FOOTNOTE
    assert controls["marking"]["text"] == "RESTRICTED"
    assert controls["title"]["title"] == "Tiny test map"
    # the date range is drawn once, by the title control in the browser (not also as subtitle)
    assert controls["title"]["subtitle"] is None
    assert m.assets == ["leaflet.css", "salw_map.css", "leaflet.js", "salw_map.js"]


def test_map_data_hand_computed_flows() -> None:
    m = build()
    enc = m.encoded  # type: ignore[attr-defined]
    meta = data_of(m).meta
    assert (meta["n"], meta["n_paths"], meta["n_edges"], len(meta["crossings"])) == (4, 3, 7, 4)
    assert meta["categories"] == ["explosives", "pistols", "rifles"]
    assert meta["mos"] == ["bus", "vehicle concealment", "unspecified"]
    assert meta["incident_mode"] == "cluster"
    assert meta["n_undated"] == 1
    # edges are numbered in order of first use along P1, then P3
    expected = [2.0, 2.0, 2.0, 1.75, 1.75, 1.0, 1.0]
    np.testing.assert_allclose(enc.edge_values, expected, atol=1e-4)
    ids = [x["id"] for x in meta["crossings"]]
    got = dict(zip(ids, enc.crossing_values, strict=True))
    for cid, value in tiny.EXPECTED_CROSSING_INCIDENTS.items():
        assert got[cid] == pytest.approx(value, abs=1e-4)
    assert got["RS-MK-PRESEVO"] == 0
    corridors = meta["corridors"]
    assert "AL → ME → BA" in corridors
    assert "Kosovo* → RS" in corridors


def test_map_data_columns_compact_and_exact() -> None:
    meta = data_of(build()).meta
    cols = decode(meta)
    # sorted by latitude, longitude, date (i1, i2, i4, i3); 1e-5 degree integers (~1 m)
    assert cols["i_lon"].tolist() == [1945000, 1951000, 1926000, 2116000]
    assert cols["i_lat"].tolist() == [4132000, 4206000, 4243000, 4266000]
    assert cols["i_day"].tolist() == [18326, 18788, -(2**31), 19012]  # i4 is undated
    assert cols["i_qty"].tolist() == [2, 10, 5, 1]
    assert cols["r_off"].tolist() == [0, 1, 3, 3, 4]  # i4 is unrouted
    assert cols["r_prob"].tolist() == [65535, 49151, 16384, 65535]
    p_off, p_edge = cols["p_off"], cols["p_edge"]
    paths = [p_edge[p_off[i] : p_off[i + 1]].tolist() for i in range(3)]
    assert paths == [[0, 1, 2, 3, 4], [0, 1, 2], [5, 6]]
    xs = [cols["p_cross"][cols["p_xoff"][i] : cols["p_xoff"][i + 1]].tolist() for i in range(3)]
    assert xs == [[0, 1], [0], [2]]
    # the first edge starts at Durrës and bends through the hand-made midpoint
    first = slice(cols["e_off"][0], cols["e_off"][1])
    assert cols["e_lon"][first].tolist() == [1945650, 1950455, 1951260]
    # no GeoJSON features anywhere in the data
    assert "Feature" not in str({k: v for k, v in meta.items() if k != "blob"})


def test_incident_style_by_size_and_tiles() -> None:
    assert data_of(build(incident_style="hex")).meta["incident_mode"] == "hex"
    heat = build(incident_style="heat")
    assert "leaflet-heat.js" in heat.assets
    m = build(tiles="osm")
    tiles = [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    assert len(tiles) == 1
    assert "OpenStreetMap" in tiles[0].options["attribution"]
    m2 = build(tiles="https://tiles.police.example/{z}/{x}/{y}.png")
    t2 = next(c for c in m2._children.values() if isinstance(c, folium.TileLayer))
    assert t2.tiles == "https://tiles.police.example/{z}/{x}/{y}.png"
    assert t2.options["attribution"] == "Tiles: tiles.police.example"


def test_without_routes_still_draws_incidents_and_borders() -> None:
    m = routes.route_map(tiny.incidents(), crossings=tiny.crossings())
    meta = data_of(m).meta
    assert (meta["n"], meta["n_paths"], meta["n_edges"]) == (4, 0, 0)
    assert {c["code"] for c in meta["countries"]} >= {"AL", "BA", "XK", "ME", "MK", "RS"}
    assert next(c for c in meta["countries"] if c["code"] == "XK")["name"] == "Kosovo*"


def test_bad_options_listed_together() -> None:
    with pytest.raises(routes.ValidationError, match=r"weight='bogus'.*'incidents' or 'quantity'"):
        build(weight="bogus")
    with pytest.raises(routes.ValidationError, match=r"(?s)2 problem.*'hex'.*tile URL template"):
        build(tiles="ftp://example.org/tiles", incident_style="hexagons")
    with pytest.raises(routes.ValidationError, match=r"must be a GeoDataFrame.*instead got list"):
        routes.route_map([1, 2])  # type: ignore[arg-type]


def test_duplicate_incident_ids_refused() -> None:
    inc = tiny.incidents()
    inc.loc[1, "incident_id"] = "i1"
    with pytest.raises(routes.ValidationError, match=r"incident_id 'i1' occurs more than once"):
        routes.route_map(inc, result=tiny.result(), crossings=tiny.crossings())


# ------------------------------------------------------------------ tier 2: rendered HTML


def test_rendered_html_offline_footnote_marking(tmp_path: Path) -> None:
    path = routes.save_map(build(marking="RESTRICTED"), tmp_path / "sub" / "map.html")
    html = path.read_text(encoding="utf-8")
    assert not CDN.search(html), CDN.search(html)
    assert "<link" not in html
    assert not re.search(r"""src\s*=\s*["']?(https?:)?//""", html)
    # the one outbound link is Leaflet's own credit in the attribution (a link, not a request)
    links = set(re.findall(r"""href\s*=\s*["']?(https?://[^"' >]+)""", html))
    assert links <= {"https://leafletjs.com"}, links
    assert "@import" not in html
    assert routes.KOSOVO_FOOTNOTE in html
    assert "Kosovo*" in html
    assert '"RESTRICTED"' in html
    assert "<title>RESTRICTED – Tiny test map</title>" in html
    assert "Leaflet 1.9.3" in html
    assert "L.Control.extend" in html
    assert list(tmp_path.joinpath("sub").iterdir()) == [path]  # no temp file left behind


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    title = '</title><script>window.__pwned=3</script>"><img src=x onerror=alert(1)>'
    m = build(hostile=True, title=title, marking="<b>SECRET</b>", source="<i>src</i>")
    html = routes.save_map(m, tmp_path / "m.html").read_text(encoding="utf-8")
    for bad in ("<script>window.__pwned", "<img src=x", "<b>SECRET", "<i>src", "</title><script"):
        assert bad not in html, bad
    assert "\\u003cscript\\u003ewindow.__pwned = 1\\u003c/script\\u003e" in html
    assert "&lt;/title&gt;&lt;script&gt;" in html  # the page <title>


def test_template_syntax_in_text_stays_as_written(tmp_path: Path) -> None:
    # branca compiles what an element renders as a Jinja template: "{{ 7*7 }}" in a record
    # came out as 49 (template injection); every part of the page must keep the text as is
    m = build(
        hostile=True,
        title="T{{ 7*7 }}",
        marking="{% if 1 %}MARK{% endif %}",
        source="s{{ 1+1 }}.csv",
        tiles="https://tiles.example.org/{z}/{x}/{y}.png",
        tiles_attribution="A{{ 6*7 }}",
    )
    html = routes.save_map(m, tmp_path / "m.html").read_text(encoding="utf-8")
    for kept in (
        "{{ 7*7 }} {% if 1 %}jinja{% endif %}",  # the note of an incident (the data block)
        "T{{ 7*7 }}",
        "{% if 1 %}MARK{% endif %}",
        "s{{ 1+1 }}.csv",
        "A{{ 6*7 }}",
    ):
        assert kept in html, kept
    # (not in the base64 of the binary block, where any short text may turn up by chance)
    text = re.sub(r'"blob": ?"[A-Za-z0-9+/=]*"', '"blob": ""', html)
    assert len(text) < len(html) - 1000  # the block was there, and is left out
    for evaluated in ("49 jinja", "T49", '"MARK"', "s2.csv", "A42"):
        assert evaluated not in text, evaluated
    # tier 1: the rendered parts go into the page as literal elements, never as templates
    from routes.maps._elements import LiteralElement, LiteralParts

    ours = {c.get_name() for c in m._children.values() if isinstance(c, LiteralParts)}
    assert {type(c).__name__ for c in m._children.values() if c.get_name() in ours} == {
        "MapData",
        "SalwLayer",
        "SalwControl",
        "LiteralTileLayer",
    }
    fig = m.get_root()
    fig.render()  # save_map rendered a copy; this fills the page parts of ``m`` itself
    written = [kv for box in (fig.header, fig.html, fig.script) for kv in box._children.items()]
    from_ours = [c for name, c in written if name in ours]  # a part is named by its element
    assert from_ours
    assert all(type(c) is LiteralElement for c in from_ours)
    assert LiteralElement("{{ x }}").render() == "{{ x }}"


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    a = routes.save_map(build(marking="RESTRICTED"), tmp_path / "a.html").read_bytes()
    b = routes.save_map(build(marking="RESTRICTED"), tmp_path / "b.html").read_bytes()
    assert a == b
    assert routes.save_map(build(marking="OTHER"), tmp_path / "c.html").read_bytes() != a


def test_save_map_replaces_atomically(tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    target.write_text("old")
    routes.save_map(build(), target)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


def test_notebook_repr_is_self_contained() -> None:
    out = build()._repr_html_()
    assert "srcdoc=" in out
    assert not CDN.search(out)


# ------------------------------------------------------------------ the command


def test_cli_map_on_a_real_incident_file(repo: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from routes.cli import main

    sample = repo / "data" / "incidents" / "synthetic_incidents_sample.csv"
    lines = sample.read_text(encoding="utf-8").splitlines(keepends=True)
    small = tmp_path / "incidents.csv"
    small.write_text("".join(lines[:41]), encoding="utf-8")
    out = tmp_path / "maps" / "routes.html"
    args = ["map", str(small), "--out", str(out), "--marking", "RESTRICTED", "--title", "CLI"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert re.search(r"wrote .*routes\.html .*: 40 incidents, \d+ distinct routes", res.output)
    html = out.read_text(encoding="utf-8")
    assert '"RESTRICTED"' in html
    assert '"source":"incidents.csv"' in html.replace(" ", "")
    assert not CDN.search(html)
    rejects = (out.parent / "routes.rejected.csv").read_text(encoding="utf-8")
    assert rejects.startswith("source_row,")
    assert rejects.count("\n") == 1  # the header only: every row accepted, exit status 0
    bad = CliRunner().invoke(main, ["map", str(small), "--out", str(out), "--tiles", "ftp://x"])
    assert bad.exit_code == 2  # a bad option, as for every command
    assert "tile URL template" in bad.output
    # acceptance finding: --out map.png wrote an HTML page under a .png name
    png = CliRunner().invoke(main, ["map", str(small), "--out", str(tmp_path / "m.png")])
    assert png.exit_code == 2
    assert "end it in .html" in png.output
    assert not (tmp_path / "m.png").exists()


def test_empty_and_projected_incidents() -> None:
    empty = tiny.incidents().iloc[0:0]
    meta = data_of(routes.route_map(empty, crossings=tiny.crossings())).meta
    assert (meta["n"], meta["month_min"], meta["date_min"]) == (0, None, None)
    projected = tiny.incidents().to_crs("EPSG:3035")
    cols = decode(data_of(routes.route_map(projected, crossings=None)).meta)
    assert cols["i_lon"].tolist() == [1945000, 1951000, 1926000, 2116000]


def test_non_point_geometry_refused_with_row() -> None:
    from shapely.geometry import LineString

    inc = tiny.incidents()
    inc.loc[2, "geometry"] = LineString([(20, 42), (21, 43)])
    with pytest.raises(routes.ValidationError, match=r"row 3, column 'geometry'.*not a LineString"):
        routes.route_map(inc, crossings=None)


def test_missing_and_empty_points_have_no_position() -> None:
    from shapely.geometry import Point

    from routes.maps._encode import incident_points

    inc = tiny.incidents()
    inc.loc[1, "geometry"] = None
    inc.loc[3, "geometry"] = Point()
    lon, lat = incident_points(inc)
    assert np.isnan(lon[[1, 3]]).all()
    assert np.isnan(lat[[1, 3]]).all()
    assert np.array_equal(lon[[0, 2]], tiny.incidents().geometry.x.to_numpy()[[0, 2]])
    assert np.array_equal(lat[[0, 2]], tiny.incidents().geometry.y.to_numpy()[[0, 2]])


def _vocab_reference(series: Any, missing: str) -> tuple[list[int], list[str]]:
    """The map's vocabulary as first written: every value cleaned as text, row by row."""
    import pandas as pd

    s = series.astype("string").fillna(missing).str.strip().replace("", missing)
    values = sorted(set(s.tolist()), key=lambda v: (v == missing, v))
    return pd.Categorical(s, categories=values).codes.tolist(), values


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.sampled_from(["pistol", " pistol ", "", "  ", "rifle", "unspecified", "Ammo"]),
            st.text(alphabet=" ab\tc", max_size=4),
            st.integers(-3, 3),
        ),
        max_size=30,
    ),
    st.sampled_from(["object", "str"]),
)
def test_vocab_cleans_each_distinct_value_as_the_whole_column(values, dtype) -> None:
    import pandas as pd

    from routes.maps._encode import _vocab

    if dtype == "str":
        values = [None if v is None else str(v) for v in values]
    series = pd.Series(values, dtype=dtype, name="category")
    codes, vocab = _vocab(series, len(series), "unspecified")
    want_codes, want_vocab = _vocab_reference(series, "unspecified")
    assert vocab == want_vocab
    assert codes.tolist() == want_codes


def test_index_columns_take_the_narrowest_type_that_holds_them() -> None:
    from routes.maps._pack import Columns

    cols = Columns()
    cols.add("a", "index", [0, 255])
    cols.add("b", "index", [0, 256, 65535])
    cols.add("c", "index", [65536])
    cols.add("d", "index", [])
    blob, manifest, _raw = cols.pack(compress=True)
    assert {k: v[0] for k, v in manifest.items()} == {"a": "u1", "b": "u2", "c": "u4", "d": "u1"}
    got = decode({"blob": blob, "compressed": True, "columns": manifest})
    assert got["b"].tolist() == [0, 256, 65535]
    assert got["c"].tolist() == [65536]
    with pytest.raises(ValueError, match="delta"):
        cols.add("e", "index", [1, 2], delta=True)
    with pytest.raises(ValueError, match=r"0\.\.2"):
        cols.add("f", "index", [-1, 3])
