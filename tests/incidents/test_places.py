"""The user's own places table: codes and names resolved before the bundled gazetteer."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from fixtures.routing import tiny
from hypothesis import given, settings
from hypothesis import strategies as st

import routes
from routes import ValidationError
from routes.incidents import places_from_frame

FIX = Path(__file__).parents[1] / "fixtures" / "incidents"
RECORDS = FIX / "kosovo_1999_records.csv"
PLACES = FIX / "kosovo_1999_places.csv"
MAPPING = FIX / "kosovo_1999.toml"


def test_kosovo_records_resolve_through_their_places_file() -> None:
    result = routes.read_incidents(RECORDS, mapping=MAPPING, strict=False)
    s = result.summary()
    assert s["rows_read"] == 150
    assert s["accepted"] / s["rows_read"] >= 0.97
    assert (s["accepted"], s["rejected"]) == (147, 3)
    assert (s["date_min"][:4], s["date_max"][:4]) == ("1998", "1999")
    # every accepted date is the file's, read by the pivot, and the pivot's use is reported
    raw = pd.read_csv(RECORDS, dtype=str).set_index("recno")
    acc = result.accepted.set_index("incident_id")
    written = pd.to_datetime(raw.loc[acc.index, "date"], format="%d%b%y")
    assert (acc["date"] == written).all()
    assert s["notes"][0].startswith("150 date(s) of column 'date' have two-digit years")
    # pcodes are text: 01004 (leading zero kept) is Gjakovë, at the places file's point
    row = acc[raw.loc[acc.index, "pcode"] == "01004"].iloc[0]
    assert (row["latitude"], row["longitude"]) == (42.38028, 20.43083)
    assert row["jurisdiction"] == "XK"
    assert s["places"]["refused_by_reason"] == {"invalid_coordinates": 2, "missing_coordinates": 1}


def test_records_naming_refused_places_are_rejected_with_the_places_row() -> None:
    result = routes.read_incidents(RECORDS, mapping=MAPPING, strict=False)
    rej = result.rejected.set_index("value")
    assert rej["reason"].tolist() == ["place_not_found"] * 3
    assert "row 31 of the places file" in rej.loc["07001", "message"]
    assert "(0, 0) are a placeholder" in rej.loc["07001", "message"]
    assert "is no code or name of the places file" in rej.loc["99999", "message"]


def test_places_argument_and_mapping_relative_file(tmp_path: Path) -> None:
    shutil.copy(RECORDS, tmp_path / "r.csv")
    places = routes.read_places(PLACES)
    by_arg = routes.read_incidents(
        tmp_path / "r.csv",
        mapping={"columns": {"incident_id": "recno", "date": "date", "place": "pcode"}},
        places=places,
        strict=False,
    )
    assert len(by_arg.accepted) == 147
    assert by_arg.places is places


def test_names_resolve_too_and_before_the_gazetteer() -> None:
    frame = pd.DataFrame({"code": ["A1"], "name": ["Niš"], "lat": [42.0], "lon": [21.0]})
    table = places_from_frame(frame)
    records = pd.DataFrame(
        {"incident_id": ["x", "y", "z"], "date": "2020-01-01", "place": ["nis", "A1", "Skopje"]}
    )
    acc = routes.incidents_from_frame(records, places=table, strict=False).accepted
    # the user's "Niš" (a made-up point) wins over the bundled Niš; Skopje from the gazetteer
    assert acc["latitude"].tolist()[:2] == [42.0, 42.0]
    assert acc["jurisdiction"].tolist()[2] == "MK"


def test_bad_places_rows_are_refused_with_reason_row_and_fix() -> None:
    frame = pd.DataFrame(
        {
            "pcode": ["P1", "P2", "P3", "P4", "P5", "P1", ""],
            "name": ["a", "b", "c", "d", "e", "f", "g"],
            "latitude": ["42.5", "0", "", "95", "abc", "42.6", "42.5"],
            "longitude": ["21.0", "0", "21", "21", "21", "21.0", "21"],
        }
    )
    table = places_from_frame(frame, file="p.csv")
    assert table.table["code"].tolist() == ["P1"]
    rej = table.rejected.set_index("source_row")
    assert rej["reason"].to_dict() == {
        2: "invalid_coordinates",
        3: "missing_coordinates",
        4: "invalid_coordinates",
        5: "invalid_coordinates",
        6: "duplicate_code",
        7: "missing_code",
    }
    assert "Gulf of Guinea" in rej.loc[2, "message"]
    assert "also row 1 with other coordinates" in rej.loc[6, "message"]
    assert table.rows_read == len(table) + table.rejected["source_row"].nunique()
    with pytest.raises(routes.PlaceNotFoundError, match="was refused"):
        table.lookup("P2")


def test_place_outside_the_region_is_rejected_as_outside_region() -> None:
    table = places_from_frame(pd.DataFrame({"code": ["F"], "lat": [48.85], "lon": [2.35]}))
    records = pd.DataFrame({"incident_id": ["x"], "date": "2020-01-01", "place": ["F"]})
    rej = routes.incidents_from_frame(records, places=table, strict=False).rejected
    assert rej["reason"].tolist() == ["outside_region"]


def test_ambiguous_name_in_the_places_file() -> None:
    frame = pd.DataFrame({"name": ["Selo", "Selo"], "lat": [42.1, 42.3], "lon": [21.0, 21.1]})
    with pytest.raises(routes.AmbiguousPlaceError, match="use their codes"):
        places_from_frame(frame).lookup("selo")


@pytest.mark.parametrize(
    ("frame", "kw", "match"),
    [
        (pd.DataFrame({"pcode": ["1"], "name": ["a"]}), {}, "no latitude and no longitude"),
        (pd.DataFrame({"lat": [1], "lon": [2]}), {}, "no code or name column"),
        (pd.DataFrame({"id": ["1"], "lat": [1], "lon": [2]}), {"code": "pcod"}, "no code column"),
    ],
)
def test_missing_columns(frame: pd.DataFrame, kw: dict[str, str], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        places_from_frame(frame, **kw)


def test_no_usable_row_raises(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("pcode,name,latitude,longitude\nK1,a,0,0\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="no place of") as info:
        routes.read_places(path)
    assert info.value.problems[0].row == 1


def test_bad_places_table_in_mapping(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"\[places\] key 'cod' is not known"):
        routes.load_mapping({"places": {"file": "p.csv", "cod": "x"}})
    with pytest.raises(ValidationError, match=r"\[places\] needs file"):
        routes.load_mapping({"places": {"code": "x"}})
    m = routes.load_mapping(MAPPING)
    assert m.places is not None
    assert Path(m.places["file"]) == PLACES


def test_routing_resolves_origin_codes_through_the_places_table() -> None:
    graph = tiny.tiny_graph()
    table = places_from_frame(
        pd.DataFrame({"code": ["ORG", "DST"], "lat": [44.01, 41.01], "lon": [20.0, 20.0]}),
        gazetteer=tiny.PLACES,
    )
    incidents = gpd.GeoDataFrame(
        {
            "source_row": [1],
            "incident_id": ["a"],
            "date": pd.to_datetime(["2022-01-05"]),
            "category": ["pistol"],
            "quantity": [1],
            "origin": ["ORG"],
            "transit": [None],
            "crossing": [None],
            "destination": ["DST"],
        },
        geometry=[None],
        crs="EPSG:4326",
    )
    res = routes.route_incidents(incidents, graph, k=1, gazetteer=table, infer="none")
    assert len(res.unrouted) == 0
    assert res.routes.set_index("incident_id").loc["a", "crossings"] == "RS-MK-ONE"


def test_places_file_through_the_one_table_reader(tmp_path: Path) -> None:
    # a title row, ';' delimiter, Windows-1250 and CR-only line ends, as spreadsheets save them
    path = tmp_path / "mjesta.csv"
    text = "Popis mjesta 1999\rpcode;naziv;lat;lon\r01;Đakovica;42,38028;20,43083\r"
    path.write_bytes(text.encode("cp1250"))
    table = routes.read_places(path)
    assert table.name_columns == ("naziv",)
    assert table.lookup("djakovica").latitude == 42.38028
    assert table.lookup("01").longitude == 20.43083


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(max_size=6),
            st.one_of(st.floats(allow_nan=True), st.text(max_size=8)),
            st.one_of(st.floats(allow_nan=True), st.text(max_size=8)),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_places_table_is_accounted_for_or_refused(
    rows: list[tuple[str, object, object]],
) -> None:
    frame = pd.DataFrame(
        {
            "pcode": [r[0] for r in rows],
            "latitude": [str(r[1]) for r in rows],
            "longitude": [str(r[2]) for r in rows],
        }
    )
    table = places_from_frame(frame)
    assert table.rows_read == len(table) + table.rejected["source_row"].nunique()
    assert ((table.table["latitude"].abs() <= 90) & (table.table["longitude"].abs() <= 180)).all()
    assert not ((table.table["latitude"] == 0) & (table.table["longitude"] == 0)).any()
