"""Bundled borders, border lines and border crossing points (routes.geography)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

import routes
from routes.geo import (
    CROSSING_COLUMNS,
    CROSSING_ID_PATTERN,
    CROSSING_PAIR_ORDER,
    is_placed_on_border,
)

REPO = Path(__file__).resolve().parents[2]
METRIC = "EPSG:3035"

#: The land borders touching the six Western Balkan jurisdictions (sorted pairs).
WB_PAIRS = {
    ("AL", "GR"), ("AL", "ME"), ("AL", "MK"), ("AL", "XK"),
    ("BA", "HR"), ("BA", "ME"), ("BA", "RS"),
    ("BG", "MK"), ("BG", "RS"),
    ("GR", "MK"),
    ("HR", "ME"), ("HR", "RS"),
    ("HU", "RS"),
    ("ME", "RS"), ("ME", "XK"),
    ("MK", "RS"), ("MK", "XK"),
    ("RO", "RS"),
    ("RS", "XK"),
}  # fmt: skip


@pytest.fixture(scope="module")
def borders() -> gpd.GeoDataFrame:
    return routes.load_borders()


@pytest.fixture(scope="module")
def lines() -> gpd.GeoDataFrame:
    return routes.load_border_lines()


@pytest.fixture(scope="module")
def crossings() -> gpd.GeoDataFrame:
    return routes.load_crossings()


@pytest.fixture(scope="module")
def build_script() -> ModuleType:
    """scripts/build_crossings.py imported as a module (its placement engine is tested)."""
    spec = importlib.util.spec_from_file_location(
        "build_crossings_under_test", REPO / "scripts" / "build_crossings.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# ----------------------------------------------------------------------------- borders


def test_borders_have_the_fifteen_jurisdictions(borders: gpd.GeoDataFrame) -> None:
    assert list(borders.columns) == ["jurisdiction", "name", "adm0_a3", "geometry"]
    assert borders.crs.to_epsg() == 4326
    assert list(borders["jurisdiction"]) == list(routes.ALL_JURISDICTIONS)
    assert set(borders.geometry.geom_type) == {"MultiPolygon"}
    assert borders.geometry.is_valid.all()


def test_kosovo_is_named_with_the_asterisk(borders: gpd.GeoDataFrame) -> None:
    xk = borders.set_index("jurisdiction").loc["XK"]
    assert xk["name"] == "Kosovo*"
    assert xk["adm0_a3"] == "KOS"
    assert routes.display_name("XK") == "Kosovo*"
    assert "UNSCR 1244/1999" in routes.KOSOVO_FOOTNOTE
    # The data README carries the footnote next to the data it describes.
    readme = " ".join((REPO / "data" / "README.md").read_text(encoding="utf-8").split())
    assert "without prejudice to positions on status" in readme


def test_outlines_sit_where_the_countries_are(borders: gpd.GeoDataFrame) -> None:
    by = borders.set_index("jurisdiction").geometry
    assert by["RS"].contains(Point(20.46, 44.82))  # Belgrade
    assert by["XK"].contains(Point(21.17, 42.66))  # Pristina
    assert by["BA"].contains(Point(18.41, 43.86))  # Sarajevo
    assert by["MK"].contains(Point(21.43, 42.00))  # Skopje
    assert not by["RS"].contains(Point(21.17, 42.66))


def test_loaders_return_copies(borders: gpd.GeoDataFrame) -> None:
    first = routes.load_borders()
    first.loc[first.index[0], "name"] = "changed"
    assert routes.load_borders().loc[first.index[0], "name"] == borders.iloc[0]["name"]
    c = routes.load_crossings()
    c.loc[c.index[0], "crossing_id"] = "XX-XX-CHANGED"
    assert routes.load_crossings().iloc[0]["crossing_id"] != "XX-XX-CHANGED"


# ------------------------------------------------------------------------ border lines


def test_border_lines_cover_every_land_pair_of_the_region(lines: gpd.GeoDataFrame) -> None:
    assert list(lines.columns) == ["jurisdiction_a", "jurisdiction_b", "length_m", "geometry"]
    pairs = set(zip(lines["jurisdiction_a"], lines["jurisdiction_b"], strict=True))
    assert all(a < b for a, b in pairs)
    assert pairs >= WB_PAIRS
    assert len(pairs) == 31  # the 19 above plus 12 among the neighbours (HR-SI, AT-IT, ...)
    assert not lines.geometry.is_empty.any()


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [("BA", "HR", 798.3), ("RS", "XK", 270.4), ("HR", "ME", 17.9), ("MK", "RS", 74.9)],
)
def test_border_lengths_match_natural_earth(
    lines: gpd.GeoDataFrame, a: str, b: str, km: float
) -> None:
    row = lines[(lines["jurisdiction_a"] == a) & (lines["jurisdiction_b"] == b)].iloc[0]
    assert row["length_m"] / 1000 == pytest.approx(km, rel=0.01)
    # length_m is measured in EPSG:3035, not in degrees
    measured = gpd.GeoSeries([row.geometry], crs=4326).to_crs(METRIC).length.iloc[0]
    assert row["length_m"] == pytest.approx(measured, abs=1)


def test_border_line_lies_on_both_outlines(
    borders: gpd.GeoDataFrame, lines: gpd.GeoDataFrame
) -> None:
    by = borders.set_index("jurisdiction").geometry
    row = lines[(lines["jurisdiction_a"] == "MK") & (lines["jurisdiction_b"] == "RS")].iloc[0]
    assert row.geometry.distance(by["MK"].boundary) < 1e-9
    assert row.geometry.distance(by["RS"].boundary) < 1e-9


# --------------------------------------------------------------------------- crossings


def test_crossings_have_the_contract_columns(crossings: gpd.GeoDataFrame) -> None:
    assert list(crossings.columns) == [*CROSSING_COLUMNS, "geometry"]
    assert crossings.crs.to_epsg() == 4326
    assert set(crossings.geometry.geom_type) == {"Point"}
    assert crossings["eu_external"].dtype == bool
    assert set(crossings["mode"]) == {"road", "rail", "river", "sea", "air"}
    assert set(crossings["traffic"].dropna()) <= {"passengers", "goods", "both"}
    assert len(crossings) > 150


def test_ids_are_unique_and_well_formed(crossings: gpd.GeoDataFrame) -> None:
    assert crossings["crossing_id"].is_unique
    rank = {c: i for i, c in enumerate(CROSSING_PAIR_ORDER)}
    for row in crossings.itertuples(index=False):
        assert CROSSING_ID_PATTERN.match(row.crossing_id), row.crossing_id
        if is_placed_on_border(row.mode, row.jurisdiction_b):
            kind = {"road": "", "rail": "RAIL-", "river": "RIV-"}[row.mode]
            prefix = f"{row.jurisdiction_a}-{row.jurisdiction_b}-{kind}"
            assert row.crossing_id.startswith(prefix), row.crossing_id
            assert rank[row.jurisdiction_a] < rank[row.jurisdiction_b], row.crossing_id
        else:
            tag = {"sea": "SEA", "air": "AIR", "river": "RIV"}[row.mode]
            assert row.crossing_id.startswith(f"{row.jurisdiction_a}-{tag}-"), row.crossing_id


def test_every_land_crossing_lies_on_its_border_line(
    crossings: gpd.GeoDataFrame, lines: gpd.GeoDataFrame
) -> None:
    by_pair = {
        (r.jurisdiction_a, r.jurisdiction_b): r.geometry
        for r in lines.to_crs(METRIC).itertuples(index=False)
    }
    land = crossings[
        [
            is_placed_on_border(m, b)
            for m, b in zip(crossings["mode"], crossings["jurisdiction_b"], strict=True)
        ]
    ]
    assert len(land) > 120
    for row, pt in zip(land.itertuples(index=False), land.to_crs(METRIC).geometry, strict=True):
        line = by_pair[tuple(sorted((row.jurisdiction_a, row.jurisdiction_b)))]
        assert pt.distance(line) < 1500, row.crossing_id


def test_every_jurisdiction_has_crossings_and_each_wb_pair_is_served(
    crossings: gpd.GeoDataFrame,
) -> None:
    placed = crossings[
        crossings["mode"].isin(["road", "rail", "river"]) & crossings["jurisdiction_b"].notna()
    ]
    pairs = {
        tuple(sorted(p))
        for p in zip(placed["jurisdiction_a"], placed["jurisdiction_b"], strict=True)
    }
    assert pairs == WB_PAIRS
    ba = crossings[(crossings["jurisdiction_a"] == "BA") | (crossings["jurisdiction_b"] == "BA")]
    assert len(ba[ba["mode"] != "sea"]) >= 50
    airports = set(crossings.loc[crossings["mode"] == "air", "jurisdiction_a"])
    assert airports == set(routes.WESTERN_BALKANS)


@pytest.mark.parametrize(
    ("name_a", "name_b", "pair", "e_road"),
    [
        ("Preševo", "Tabanovce", ("RS", "MK"), "E75"),
        ("Batrovci", "Bajakovo", ("RS", "HR"), "E70"),
        ("Horgoš", "Röszke", ("RS", "HU"), "E75"),
        ("Gradina", "Kalotina", ("RS", "BG"), "E80"),
        ("Hani i Hotit", "Božaj", ("AL", "ME"), "E762"),
        ("Gradiška", "Stara Gradiška", ("BA", "HR"), "E661"),
        ("Kapshticë", "Krystallopigi", ("AL", "GR"), "E86"),
        ("Hani i Elezit", "Blace", ("XK", "MK"), "E65"),
        ("Jarinje", "Jarinjë", ("RS", "XK"), None),
        ("Merdare", "Merdarë", ("RS", "XK"), "E80"),
        ("Bogorodica", "Evzoni", ("MK", "GR"), "E75"),
        ("Debeli Brijeg", "Karasovići", ("ME", "HR"), "E65|E80"),
    ],
)
def test_known_road_crossings(
    crossings: gpd.GeoDataFrame,
    name_a: str,
    name_b: str,
    pair: tuple[str, str],
    e_road: str | None,
) -> None:
    hit = crossings[
        (crossings["name_a"] == name_a)
        & (crossings["name_b"] == name_b)
        & (crossings["mode"] == "road")
    ]
    assert len(hit) == 1, f"{name_a} - {name_b} missing"
    row = hit.iloc[0]
    assert (row["jurisdiction_a"], row["jurisdiction_b"]) == pair
    if e_road is None:
        assert pd.isna(row["e_road"])
    else:
        assert row["e_road"] == e_road
    assert bool(row["eu_external"]) == (
        (pair[0] in {"HR", "HU", "BG", "GR"}) != (pair[1] in {"HR", "HU", "BG", "GR"})
    )


def test_contract_examples_and_local_scripts(crossings: gpd.GeoDataFrame) -> None:
    c = crossings.set_index("crossing_id")
    assert c.loc["RS-MK-PRESEVO", "name_a_local"] == "Прешево"
    assert c.loc["RS-MK-PRESEVO", "name_b_local"] == "Табановце"
    assert c.loc["BA-HR-GRADISKA", "name_b"] == "Stara Gradiška"
    assert c.loc["AL-SEA-DURRES", "mode"] == "sea"
    assert c.loc["AL-AIR-TIRANA", "mode"] == "air"
    assert c.loc["RS-HR-RAIL-SID", "mode"] == "rail"
    assert c.loc["RS-RO-RIV-GOLUBAC", "mode"] == "river"
    assert c.loc["AL-GR-KAKAVIJE", "name_b_local"] == "Κακαβιά"
    # Croatia is in Schengen, but its border with BA/RS/ME is still the EU external border.
    assert c.loc["BA-HR-GRADISKA", "eu_external"]
    assert not c.loc["RS-XK-JARINJE", "eu_external"]
    assert c.loc["IT-SEA-BARI", "eu_external"]
    assert not c.loc["ME-SEA-BAR", "eu_external"]
    # Durrës is kept at the port, not moved to a border.
    assert c.loc["AL-SEA-DURRES"].geometry.distance(Point(19.455, 41.31)) < 1e-6


def test_every_row_is_sourced_and_dated(crossings: gpd.GeoDataFrame) -> None:
    assert crossings["source"].notna().all()
    assert crossings["source"].str.len().min() > 10
    assert crossings["source_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert crossings["name_b"][crossings["mode"].isin(["road", "rail"])].notna().all()


def test_bundled_table_matches_the_fact_table(crossings: gpd.GeoDataFrame) -> None:
    facts = pd.read_csv(
        REPO / "scripts" / "facts" / "crossings.csv", dtype=str, keep_default_na=False
    )
    assert list(facts["crossing_id"]) == list(crossings["crossing_id"])
    for col in ("name_a", "name_b", "mode", "e_road", "source"):
        bundled = crossings[col].fillna("").astype(str).tolist()
        assert facts[col].tolist() == bundled, col


# ----------------------------------------------------------- placement by the build script


def test_build_snaps_onto_the_border_and_refuses_far_points(
    build_script: ModuleType, lines: gpd.GeoDataFrame
) -> None:
    frame = pd.DataFrame(
        {
            "crossing_id": ["RS-MK-TEST", "AL-SEA-TEST"],
            "name_a": ["Near", "Port"],
            "name_b": ["Near", ""],
            "jurisdiction_a": ["RS", "AL"],
            "jurisdiction_b": ["MK", ""],
            "mode": ["road", "sea"],
            "lon": ["21.75", "19.45"],
            "lat": ["42.25", "41.31"],
        }
    )
    gdf = routes.geo.crossings_from_frame(frame, file="t.csv")
    placed, moves = build_script.place_on_borders(gdf, lines, source="t.csv")
    line = lines[(lines["jurisdiction_a"] == "MK") & (lines["jurisdiction_b"] == "RS")]
    assert placed.to_crs(METRIC).geometry.iloc[0].distance(line.to_crs(METRIC).geometry.iloc[0]) < 1
    assert placed.geometry.iloc[1].equals(gdf.geometry.iloc[1])  # the port stays put
    assert list(moves["crossing_id"]) == ["RS-MK-TEST"]

    far = frame.iloc[:1].assign(lon="20.46", lat="44.82")  # Belgrade: ~250 km from MK
    with pytest.raises(routes.ValidationError, match=r"row 1.*RS-MK-TEST.*km from the MK-RS"):
        build_script.place_on_borders(
            routes.geo.crossings_from_frame(far, file="t.csv"), lines, source="t.csv"
        )
    nob = frame.iloc[:1].assign(jurisdiction_b="HU", crossing_id="RS-HU-X")
    nob["jurisdiction_a"] = "MK"
    nob["crossing_id"] = "MK-HU-X"
    with pytest.raises(routes.ValidationError, match="HU and MK share no land border"):
        build_script.place_on_borders(
            routes.geo.crossings_from_frame(nob, file="t.csv"), lines, source="t.csv"
        )


# ------------------------------------------------------------- a user's own crossings file

GOOD = """crossing_id,name_a,name_b,jurisdiction_a,jurisdiction_b,mode,traffic,e_road,lon,lat
RS-MK-MY-POINT,Moj prelaz,Moj premin,rs,mk,Road,both,E 75,21.70,42.22
AL-SEA-MY-PORT,Durres,,AL,,sea,,,19.45,41.31
"""


def test_user_csv_is_read_into_the_contract_shape(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(GOOD, encoding="utf-8")
    got = routes.load_crossings(path=path)
    assert list(got.columns) == [*CROSSING_COLUMNS, "geometry"]
    assert list(got["jurisdiction_a"]) == ["RS", "AL"]
    assert got.loc[0, "mode"] == "road"
    assert got.loc[0, "e_road"] == "E75"
    assert got["eu_external"].tolist() == [False, False]  # derived: neither side is EU
    assert got.geometry.iloc[0].equals(Point(21.70, 42.22))
    assert pd.isna(got.loc[1, "jurisdiction_b"])


def test_user_vector_file_is_reprojected(tmp_path: Path) -> None:
    path = tmp_path / "mine.gpkg"
    src = pd.read_csv(pd.io.common.StringIO(GOOD), dtype=str, keep_default_na=False)
    gdf = gpd.GeoDataFrame(
        src.drop(columns=["lon", "lat"]),
        geometry=gpd.points_from_xy(src["lon"].astype(float), src["lat"].astype(float)),
        crs=4326,
    ).to_crs(METRIC)
    gdf.to_file(path, driver="GPKG")
    got = routes.load_crossings(path=path)
    assert got.crs.to_epsg() == 4326
    assert got.geometry.iloc[0].distance(Point(21.70, 42.22)) < 1e-6


BAD = """crossing_id,name_a,name_b,jurisdiction_a,jurisdiction_b,mode,traffic,lon,lat
RS-MK-ONE,One,Jedan,RS,MK,road,both,21.7,42.2
RS-MK-ONE,Two,Dva,RS,MK,road,,21.7,42.3
rs mk three,Three,Tri,RS,MK,car,lots,21.7,42.4
RS-XX-FOUR,Four,,RS,XX,road,,21.7,42.5
RS-MK-FIVE,Five,Pet,RS,MK,road,,42.5,21.7
RS-MK-SIX,Six,Šest,RS,MK,rail,,east,42.5
"""


def test_user_file_errors_are_all_listed(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(routes.ValidationError, match=r"duplicate crossing_id 'RS-MK-ONE'") as info:
        routes.load_crossings(path=path)
    problems = info.value.problems
    by_reason = {(p.reason, p.row) for p in problems}
    assert ("duplicate_id", 2) in by_reason
    assert ("bad_id", 3) in by_reason
    assert ("bad_mode", 3) in by_reason
    assert ("bad_traffic", 3) in by_reason
    assert ("unknown_jurisdiction", 4) in by_reason
    assert ("outside_region", 5) in by_reason
    assert ("bad_coordinate", 6) in by_reason
    assert all(p.file == str(path) for p in problems)
    text = str(info.value)
    assert "row 3, column 'mode'" in text
    assert "use one of road, rail, river, sea, air" in text
    assert "swapped" in text  # the fix for lon/lat given the wrong way round


def test_user_file_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("id,name,lon,lat\nX,Y,21,42\n", encoding="utf-8")
    with pytest.raises(routes.ValidationError, match=r"missing column\(s\) 'crossing_id'.*'mode'"):
        routes.load_crossings(path=path)
    nocoords = tmp_path / "nocoords.csv"
    nocoords.write_text(
        "crossing_id,name_a,name_b,jurisdiction_a,jurisdiction_b,mode\nRS-MK-A,A,B,RS,MK,road\n",
        encoding="utf-8",
    )
    with pytest.raises(routes.ValidationError, match="add 'lon' and 'lat' columns"):
        routes.load_crossings(path=nocoords)


def test_user_file_missing_or_unreadable(tmp_path: Path) -> None:
    with pytest.raises(routes.ValidationError, match="crossings file not found"):
        routes.load_crossings(path=tmp_path / "nope.csv")
    junk = tmp_path / "junk.gpkg"
    junk.write_bytes(b"not a geopackage")
    with pytest.raises(routes.ValidationError, match="cannot read crossings file"):
        routes.load_crossings(path=junk)


def test_vector_file_of_lines_is_refused(tmp_path: Path) -> None:
    from shapely.geometry import LineString

    path = tmp_path / "lines.geojson"
    base = {
        "crossing_id": ["RS-MK-A"],
        "name_a": ["A"],
        "name_b": ["B"],
        "jurisdiction_a": ["RS"],
        "jurisdiction_b": ["MK"],
        "mode": ["road"],
    }
    gpd.GeoDataFrame(base, geometry=[LineString([(21.7, 42.2), (21.8, 42.3)])], crs=4326).to_file(
        path, driver="GeoJSON"
    )
    with pytest.raises(routes.ValidationError, match=r"row 1, column 'geometry'.*must be points"):
        routes.load_crossings(path=path)


def test_fact_table_is_human_readable() -> None:
    text = (REPO / "scripts" / "facts" / "crossings.csv").read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    assert header[:6] == [
        "crossing_id",
        "name_a",
        "name_a_local",
        "name_b",
        "name_b_local",
        "jurisdiction_a",
    ]
    assert {"lon", "lat", "notes"} <= set(header)
    assert re.search(
        r"^RS-MK-PRESEVO,Preševo,Прешево,Tabanovce,Табановце,RS,MK,road", text, flags=re.MULTILINE
    )


@pytest.mark.parametrize("name", ["countries.parquet", "crossings.parquet", "border_lines.parquet"])
def test_bundled_geoparquet_read_fast_equals_geopandas(name, tmp_path) -> None:
    """The bundled files skip the PROJJSON parse but read as geopandas reads them; a file in
    another CRS is read by geopandas itself."""
    import geopandas as gpd
    from geopandas.testing import assert_geodataframe_equal

    from routes._paths import data_dir
    from routes.geo.borders import read_wgs84_parquet

    path = data_dir("borders") / name
    ours, theirs = read_wgs84_parquet(path), gpd.read_parquet(path)
    assert_geodataframe_equal(ours, theirs, check_crs=True)
    assert list(ours.columns) == list(theirs.columns)
    assert ours.crs.to_epsg() == 4326
    other = tmp_path / "metric.parquet"
    theirs.to_crs(3035).to_parquet(other)
    assert_geodataframe_equal(read_wgs84_parquet(other), gpd.read_parquet(other), check_crs=True)
    assert read_wgs84_parquet(other).crs.to_epsg() == 3035
