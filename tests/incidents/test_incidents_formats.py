"""Reading incidents from XLSX, GeoJSON, GeoPackage and (Geo)Parquet.

Binary fixtures are written into ``tmp_path`` by the tests themselves.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

import routes
from routes import ValidationError

# Belgrade (RS), Skopje (MK), Sarajevo (BA); one row outside the region (Vienna is inside AT,
# so use Munich), one row with an impossible date.
ROWS = pd.DataFrame(
    {
        "incident_id": ["A", "B", "C", "D", "E"],
        "date": ["23.05.2023", "2023-06-02", "45000", "31.04.2023", "01.07.2023"],
        "category": ["Pištolj", "bomba", "municija", "pistol", "pistol"],
        "quantity": ["2", "1", "300", "1", "1"],
    }
)
LONLAT = [(20.4612, 44.8125), (21.4314, 41.9965), (18.4131, 43.8563), (20.4, 44.8), (11.58, 48.14)]


def _check(result: routes.IncidentReadResult) -> None:
    assert result.rows_read == 5
    assert result.accepted["incident_id"].tolist() == ["A", "B", "C"]
    assert result.accepted["jurisdiction"].tolist() == ["RS", "MK", "BA"]
    assert result.accepted["category"].tolist() == ["pistol", "hand_grenade", "ammunition"]
    assert result.accepted["quantity"].tolist() == [2, 1, 300]
    assert result.accepted["longitude"].tolist() == pytest.approx([20.4612, 21.4314, 18.4131])
    assert result.accepted["latitude"].tolist() == pytest.approx([44.8125, 41.9965, 43.8563])
    assert result.accepted["date"].tolist() == [
        pd.Timestamp("2023-05-23"),
        pd.Timestamp("2023-06-02"),
        pd.Timestamp("2023-03-15"),
    ]
    assert result.accepted.crs.to_epsg() == 4326
    assert result.rejected[["source_row", "reason"]].values.tolist() == [
        [4, "impossible_date"],
        [5, "outside_region"],
    ]


def _gdf(crs: int = 4326) -> gpd.GeoDataFrame:
    gdf = gpd.GeoDataFrame(ROWS.copy(), geometry=[Point(xy) for xy in LONLAT], crs=4326)
    return gdf.to_crs(crs)


def test_xlsx_with_sheet_choice(tmp_path: Path) -> None:
    path = tmp_path / "incidents.xlsx"
    frame = ROWS.copy()
    frame["lat"] = [y for _, y in LONLAT]
    frame["lon"] = [x for x, _ in LONLAT]
    # Real Excel cells: a date cell, numbers, and a text serial.
    frame["date"] = [dt.date(2023, 5, 23), "2023-06-02", 45000, "31.04.2023", "01.07.2023"]
    frame["quantity"] = [2, 1, 300, 1, 1]
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"note": ["cover sheet"]}).to_excel(xl, sheet_name="Uvod", index=False)
        frame.to_excel(xl, sheet_name="Zapljene 2023", index=False)
    result = routes.read_incidents(path, sheet="Zapljene 2023", strict=False)
    _check(result)
    assert result.info["sheet"] == "Zapljene 2023"
    by_index = routes.read_incidents(path, sheet=1, strict=False)
    _check(by_index)
    with pytest.raises(ValidationError, match=r"sheet 'Sheet9' not found.*'Uvod', 'Zapljene 2023'"):
        routes.read_incidents(path, sheet="Sheet9")
    with pytest.raises(ValidationError, match=r"sheet index 5 does not exist"):
        routes.read_incidents(path, sheet=5)
    # The first sheet has no incident_id column: a file-level error.
    with pytest.raises(ValidationError, match="no incident_id column") as info:
        routes.read_incidents(path, strict=False)
    # acceptance finding: a cover sheet gave no hint that the data may be on another sheet
    assert "columns in the sheet 'Uvod': 'note'; if the incidents are on another sheet, " in str(
        info.value
    )
    assert "choose it with --sheet (CLI), sheet= (Python)" in str(info.value)


def test_xlsx_title_rows_and_numeric_sheet_name(tmp_path: Path) -> None:
    path = tmp_path / "titled.xlsx"
    cells = [["MUP - pregled", None], [None, None], ["ID", "Mjesto"], [7, "Tuzla"], [8, "Bar"]]
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame(cells).to_excel(xl, sheet_name="2023", index=False, header=False)
    mapping = {"skip_rows": 2, "columns": {"incident_id": "ID", "place": "Mjesto"}}
    result = routes.read_incidents(path, mapping=mapping, sheet="2023", strict=False)
    assert result.accepted[["source_row", "incident_id", "jurisdiction"]].values.tolist() == [
        [1, "7", "BA"],
        [2, "8", "ME"],
    ]


def test_geojson(tmp_path: Path) -> None:
    path = tmp_path / "incidents.geojson"
    _gdf().to_file(path, driver="GeoJSON")
    _check(routes.read_incidents(path, strict=False))


def test_geopackage_layer_choice_and_reprojection(tmp_path: Path) -> None:
    path = tmp_path / "incidents.gpkg"
    _gdf(3035).to_file(path, layer="zapljene", driver="GPKG")
    lines = gpd.GeoDataFrame(
        {"incident_id": ["L"]}, geometry=[LineString([(20, 44), (21, 45)])], crs=4326
    )
    lines.to_file(path, layer="putevi", driver="GPKG")
    with pytest.raises(ValidationError, match=r"2 layers \('zapljene', 'putevi'\).*layer="):
        routes.read_incidents(path)
    with pytest.raises(ValidationError, match="layer 'x' not found"):
        routes.read_incidents(path, layer="x")
    result = routes.read_incidents(path, layer="zapljene", strict=False)
    _check(result)
    assert result.info["source_crs"] == "EPSG:3035"
    bad = routes.read_incidents(path, layer="putevi", strict=False)
    assert bad.rejected[["source_row", "reason"]].values.tolist() == [[1, "invalid_coordinates"]]
    assert "LineString, not a Point" in bad.rejected["message"].iloc[0]
    assert bad.rejected["geometry"].iloc[0].startswith("LINESTRING")


def test_geoparquet_projected(tmp_path: Path) -> None:
    path = tmp_path / "incidents.parquet"
    _gdf(32634).to_parquet(path)
    result = routes.read_incidents(path, strict=False)
    _check(result)
    assert result.info["format"] == "parquet"


def test_plain_parquet_with_columns(tmp_path: Path) -> None:
    path = tmp_path / "plain.parquet"
    frame = ROWS.copy()
    frame["latitude"] = [y for _, y in LONLAT]
    frame["longitude"] = [x for x, _ in LONLAT]
    frame.to_parquet(path)
    _check(routes.read_incidents(path, strict=False))


def test_geodataframe_in_memory_is_reprojected() -> None:
    gdf = _gdf(3035)
    before = gdf.copy()
    result = routes.incidents_from_frame(gdf, strict=False, source_name="memory")
    _check(result)
    assert result.file == "memory"
    pd.testing.assert_frame_equal(pd.DataFrame(gdf), pd.DataFrame(before))


def test_geometry_without_crs_uses_the_mapping_crs(tmp_path: Path) -> None:
    gdf = _gdf(3035).set_crs(None, allow_override=True)
    naive = routes.incidents_from_frame(gdf, strict=False)
    assert naive.rows_rejected == 5
    assert naive.rejected.groupby("reason")["source_row"].apply(list).to_dict() == {
        "invalid_coordinates": [1, 2, 3, 4, 5],
        "impossible_date": [4],
    }
    assert "look like projected metres" in naive.rejected["message"].iloc[0]
    _check(routes.incidents_from_frame(gdf, mapping={"crs": "EPSG:3035"}, strict=False))


@pytest.mark.parametrize("suffix", [".gpkg", ".parquet"])
def test_empty_point_is_a_row_without_location(tmp_path: Path, suffix: str) -> None:
    frame = gpd.GeoDataFrame(
        {"incident_id": ["E1", "E2"], "place": [None, "Niš"]},
        geometry=[Point(), Point()],
        crs=4326,
    )
    path = tmp_path / f"empty{suffix}"
    if suffix == ".gpkg":
        frame.to_file(path, driver="GPKG")
    else:
        frame.to_parquet(path)
    result = routes.read_incidents(path, strict=False)
    assert result.rows_read == 2
    assert result.accepted["incident_id"].tolist() == ["E2"]  # the place name locates it
    assert result.rejected[["source_row", "reason"]].values.tolist() == [[1, "no_location"]]


def test_unclosed_quote_is_an_error_not_lost_rows(tmp_path: Path) -> None:
    # acceptance finding: the fast CSV reader read every line after an unclosed quote into one
    # cell, so "rows read: 1" and row 2 (Skopje) vanished without a trace
    bad = tmp_path / "quote.csv"
    bad.write_text('incident_id,place,notes\n1,Niš,"no end\n2,Skopje,ok\n', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"starts on line 2 \(data row 1\) is never closed"):
        routes.read_incidents(bad, strict=False)
    head = tmp_path / "head.csv"
    head.write_text('incident_id,place,"notes\n1,Niš,x\n', encoding="utf-8")
    with pytest.raises(ValidationError, match="quoted name in the header line is never closed"):
        routes.read_incidents(head, strict=False)
    # an odd number of quotes from a quote inside an unquoted field is fine
    ok = tmp_path / "ok.csv"
    ok.write_text('incident_id,place,notes\n1,Niš,9" knife\n2,Skopje,"a ""b"""\n', encoding="utf-8")
    res = routes.read_incidents(ok, strict=False)
    assert (res.rows_read, len(res.accepted)) == (2, 2)
    assert res.accepted["notes"].tolist() == ['9" knife', 'a "b"']


def test_workbook_with_a_csv_name_says_what_it_is(tmp_path: Path) -> None:
    # acceptance finding: an .xlsx saved as .csv gave "the file is not valid cp1251 (byte 93);
    # save it again as UTF-8", which sends the analyst the wrong way
    xlsx = tmp_path / "real.xlsx"
    pd.DataFrame({"incident_id": ["A1"], "place": ["Skopje"]}).to_excel(xlsx, index=False)
    named = tmp_path / "zapljene.csv"
    named.write_bytes(xlsx.read_bytes())
    with pytest.raises(ValidationError, match="zip file, most likely an Excel workbook") as info:
        routes.read_incidents(named)
    assert "rename it to .xlsx" in str(info.value)
    old = tmp_path / "old.csv"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(ValidationError, match=r"old Excel 97-2003 workbook \(\.xls\)"):
        routes.read_incidents(old)


def test_sheet_or_layer_for_a_format_without_them_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("incident_id,latitude,longitude\na,44.8125,20.4612\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"plain.csv is a csv file, which has no sheets"):
        routes.read_incidents(path, sheet="Zapljene")
    with pytest.raises(ValidationError, match=r"plain.csv is a csv file, which has no layers"):
        routes.read_incidents(path, layer="zapljene")
    assert len(routes.read_incidents(path)) == 1
