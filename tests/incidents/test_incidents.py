"""Reading and validating incident CSVs: rejection rules, encodings, delimiters, mappings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import routes
from routes import CANONICAL_COLUMNS, IncidentReadResult, ValidationError
from routes._paths import data_dir

RULES_EXPECTED = {
    # reason -> (problems, 1-based data rows)
    "duplicate_id": [3],
    "missing_id": [4],
    "no_location": [5],
    "place_not_found": [6],
    "ambiguous_place": [7],
    "invalid_coordinates": [8, 9, 20, 25, 26],
    "swapped_coordinates": [10],
    "outside_region": [11],
    "invalid_date": [12],
    "impossible_date": [13, 24],
    "future_date": [14],
    "invalid_quantity": [16, 17, 18],
    "unknown_vocabulary": [19, 24],
    "empty_row": [21],
}


@pytest.fixture(scope="module")
def rules(fixtures: Path) -> IncidentReadResult:
    result = routes.read_incidents(fixtures / "incidents" / "rules.csv", strict=False)
    assert isinstance(result, IncidentReadResult)
    return result


def test_every_rejection_rule_with_its_row(rules: IncidentReadResult) -> None:
    got = rules.rejected.groupby("reason")["source_row"].apply(list).to_dict()
    assert got == RULES_EXPECTED
    assert rules.rows_read == 26
    assert len(rules.accepted) == 5
    assert rules.rows_rejected == 21
    assert rules.rows_read == len(rules.accepted) + rules.rows_rejected
    assert rules.accepted["source_row"].tolist() == [1, 2, 15, 22, 23]


def test_messages_name_value_and_fix(rules: IncidentReadResult) -> None:
    rej = rules.rejected.set_index(["source_row", "reason"])
    assert "did you mean 'pistol'" in rej.loc[(19, "unknown_vocabulary"), "message"]
    assert rej.loc[(19, "unknown_vocabulary"), "value"] == "pistoll"
    assert rej.loc[(19, "unknown_vocabulary"), "column"] == "category"
    assert "repeats row 1" in rej.loc[(3, "duplicate_id"), "message"]
    assert "April 2023 has 30 days" in rej.loc[(13, "impossible_date"), "message"]
    swapped = rej.loc[(10, "swapped_coordinates"), "message"]
    assert "latitude 44.8125, longitude 20.4612" in swapped
    assert "swap" in swapped
    projected = rej.loc[(20, "invalid_coordinates"), "message"]
    assert "projected" in projected
    assert 'crs = "EPSG:3035"' in projected
    assert "EPSG:6316" in projected
    assert "EPSG:32634" in projected
    assert "(0, 0)" in rej.loc[(9, "invalid_coordinates"), "message"]
    assert "longitude is empty" in rej.loc[(25, "invalid_coordinates"), "message"]
    assert "Trebinje (BA" in rej.loc[(7, "ambiguous_place"), "message"]
    # the raw fields of the row travel with the rejection
    row = rules.rejected[rules.rejected["source_row"] == 16].iloc[0]
    assert row["quantity"] == "-2"
    assert row["value"] == "-2"


def test_problems_one_per_rejection_or_the_first_few(rules: IncidentReadResult) -> None:
    every = rules.problems()
    assert len(every) == len(rules.rejected)
    assert [(p.row, p.reason) for p in every] == list(
        zip(rules.rejected["source_row"], rules.rejected["reason"], strict=True)
    )
    assert rules.problems(limit=3) == every[:3]  # a summary's first lines, no more objects
    assert rules.problems(limit=0) == []
    assert rules.problems(limit=10**6) == every


def test_accepted_values_are_canonical(rules: IncidentReadResult) -> None:
    acc = rules.accepted.set_index("incident_id")
    assert list(rules.accepted.columns) == list(CANONICAL_COLUMNS)
    assert rules.accepted.crs.to_epsg() == 4326
    assert acc.loc["R1", "quantity"] == 2
    assert acc.loc["R2", "category"] == "ammunition"  # "Municija"
    assert acc.loc["R2", "jurisdiction"] == "MK"  # from the gazetteer
    assert acc.loc["R2", "location_precision"] == "settlement"
    assert acc.loc["R2", "quantity"] == 1  # missing means 1
    assert acc.loc["R2", "date"] == pd.Timestamp("2023-06-02")  # dd/mm/yyyy
    assert pd.isna(acc.loc["R15", "date"])  # a missing date is allowed
    assert pd.isna(acc.loc["R15", "date_precision"])
    r22 = acc.loc["R22"]
    assert (r22["date"], r22["date_precision"]) == (pd.Timestamp("2023-05-01"), "month")
    assert (r22["event"], r22["category"], r22["modus_operandi"]) == (
        "seizure",
        "hand_grenade",
        "bus",
    )
    assert (r22["ocg_involved"], r22["migrants_involved"], r22["verification"]) == (
        "yes",
        "no",
        "confirmed",
    )
    r23 = acc.loc["R23"]
    assert r23["date"] == pd.Timestamp("2023-03-15")  # Excel serial 45000
    assert r23["category"] == "automatic_rifle"  # "AK-47"
    assert (r23["ocg_involved"], r23["migrants_involved"]) == ("yes", "no")  # po / jo
    assert acc.loc["R1", "geometry"].x == pytest.approx(21.8958)
    assert acc.loc["R1", "geometry"].y == pytest.approx(43.3209)
    assert rules.accepted["quantity"].dtype == np.int64
    assert rules.accepted["date"].dtype == "datetime64[ns]"


def test_summary_counts(rules: IncidentReadResult) -> None:
    s = rules.summary()
    assert (s["rows_read"], s["accepted"], s["rejected"]) == (26, 5, 21)
    assert s["reasons"]["invalid_coordinates"] == 5
    assert sum(s["reasons"].values()) == 22  # row 24 has two problems
    assert s["date_min"] == "2023-03-15"
    assert s["date_max"] == "2023-06-02"
    assert s["jurisdictions"] == {"RS": 3, "MK": 1, "AL": 1}


def test_strict_raises_one_error_listing_everything(fixtures: Path) -> None:
    with pytest.raises(ValidationError, match=r"22 problem\(s\) found") as info:
        routes.read_incidents(fixtures / "incidents" / "rules.csv")
    problems = info.value.problems
    assert len(problems) == 22
    assert {p.reason for p in problems} == set(RULES_EXPECTED)
    first = problems[0]
    assert (first.row, first.column, first.reason) == (3, "incident_id", "duplicate_id")
    assert first.file is not None
    assert first.file.endswith("rules.csv")
    assert "rules.csv, row 3, column 'incident_id'" in str(info.value)


def test_strict_returns_geodataframe_when_clean(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("incident_id,latitude,longitude\nA,44.8125,20.4612\n", encoding="utf-8")
    gdf = routes.read_incidents(path)
    assert len(gdf) == 1
    assert gdf["jurisdiction"].tolist() == ["RS"]  # derived from the point


# ---------------------------------------------------------------------------- encodings
LATIN = (
    "incident_id;date;place;category;latitude;longitude\n"
    "1;23.05.2023;Šid;Pištolj;45,1283;19,2267\n"
    "2;24.05.2023;Đakovica;ručna bomba;42,3803;20,4308\n"
    "3;25.05.2023;Čačak;Municija;43,8914;20,3497\n"
)
CYRILLIC = (
    "incident_id;date;place;category\n"
    "1;23.05.2023;Ниш;пиштољ\n"
    "2;24.05.2023;Скопје;муниција\n"
    "3;25.05.2023;Чачак;бомба\n"
)


@pytest.mark.parametrize(
    ("text", "encoding", "detected"),
    [
        (LATIN, "utf-8", "utf-8"),
        (LATIN, "utf-8-sig", "utf-8-sig"),
        (LATIN, "cp1250", "cp1250"),
        (CYRILLIC, "utf-8", "utf-8"),
        (CYRILLIC, "cp1251", "cp1251"),
        (LATIN, "utf-16", "utf-16"),
    ],
)
def test_encodings_are_detected(tmp_path: Path, text: str, encoding: str, detected: str) -> None:
    path = tmp_path / "enc.csv"
    path.write_bytes(text.encode(encoding))
    result = routes.read_incidents(path, strict=False)
    assert result.info["encoding"] == detected
    assert result.rows_read == 3
    assert len(result.accepted) == 3, result.rejected["message"].tolist()
    if text is LATIN:
        assert result.accepted["place"].tolist() == ["Šid", "Đakovica", "Čačak"]
        assert result.accepted["category"].tolist() == ["pistol", "hand_grenade", "ammunition"]
        assert result.accepted["latitude"].tolist() == [45.1283, 42.3803, 43.8914]
        assert result.accepted["jurisdiction"].tolist() == ["RS", "XK", "RS"]
    else:
        assert result.accepted["place"].tolist() == ["Ниш", "Скопје", "Чачак"]
        assert result.accepted["category"].tolist() == ["pistol", "ammunition", "hand_grenade"]
        assert result.accepted["jurisdiction"].tolist() == ["RS", "MK", "RS"]


def test_cp1251_fixture_file(fixtures: Path) -> None:
    result = routes.read_incidents(fixtures / "incidents" / "cyrillic_cp1251.csv", strict=False)
    assert (result.info["encoding"], result.info["delimiter"]) == ("cp1251", "|")
    acc = result.accepted
    assert acc["incident_id"].tolist() == ["МК-1", "СР-2", "СР-3"]
    assert acc["event"].tolist() == ["seizure"] * 3
    assert acc["modus_operandi"].tolist() == ["private_vehicle", "parcel_post", "truck"]
    assert acc["ocg_involved"].tolist() == ["yes", "no", "yes"]
    assert acc["quantity"].tolist() == [1, 120, 2]


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_delimiters_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    rows = [
        ["incident_id", "date", "place", "latitude", "longitude", "notes"],
        ["A", "2023-05-23", "Beograd", "44.8125", "20.4612", "two pistols"],
        ["B", "24.05.2023", "Skopje", "41.9965", "21.4314", "parcel"],
    ]
    path = tmp_path / "d.csv"
    path.write_text("\n".join(delimiter.join(r) for r in rows) + "\n", encoding="utf-8")
    result = routes.read_incidents(path, strict=False)
    assert result.info["delimiter"] == delimiter
    assert result.accepted["incident_id"].tolist() == ["A", "B"]
    assert result.accepted["notes"].tolist() == ["two pistols", "parcel"]


def test_quoted_delimiters_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        "incident_id;place;latitude;longitude;transit;notes\n"
        'A;Beograd;44,8125;20,4612;"RS; HR  >SI";"line one\nline two"\n'
        "B;Novi Sad;45,2671;19,8335;;\n",
        encoding="utf-8",
    )
    result = routes.read_incidents(path, strict=False)
    assert result.rows_read == 2
    acc = result.accepted
    assert acc["transit"].tolist()[0] == "RS|HR|SI"
    assert pd.isna(acc["transit"].tolist()[1])
    assert acc["notes"].tolist()[0] == "line one\nline two"
    assert acc["source_row"].tolist() == [1, 2]


def test_trailing_blank_lines_are_not_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("incident_id,latitude,longitude\nA,44.8,20.4\n\n\n", encoding="utf-8")
    result = routes.read_incidents(path, strict=False)
    assert (result.rows_read, len(result.accepted), result.rows_rejected) == (1, 1, 0)


def test_wrong_field_count_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("incident_id,latitude,longitude\nA,44.8,20.4\nB,44.8,20.4,extra\n")
    with pytest.raises(ValidationError, match=r"line 3 has 4 fields but the header has 3"):
        routes.read_incidents(path, strict=False)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="file not found"):
        routes.read_incidents(tmp_path / "missing.csv")
    odd = tmp_path / "x.doc"
    odd.write_text("x")
    with pytest.raises(ValidationError, match=r"unknown file type '\.doc'"):
        routes.read_incidents(odd)
    old = tmp_path / "x.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ValidationError, match=r"save it as \.xlsx"):
        routes.read_incidents(old)
    empty = tmp_path / "e.csv"
    empty.write_text("")
    with pytest.raises(ValidationError, match="the file is empty"):
        routes.read_incidents(empty)
    noid = tmp_path / "noid.csv"
    noid.write_text("name,latitude,longitude\nA,44.8,20.4\n")
    with pytest.raises(ValidationError, match="no incident_id column"):
        routes.read_incidents(noid, strict=False)


# ---------------------------------------------------------------------------- coordinates
def test_coordinate_forms(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "ID": ["a", "b", "c", "d", "e"],
            "Koordinate": ["44.8125, 20.4612", "44,8125; 20,4612", "(41.9965 21.4314)", "", "x"],
        }
    )
    result = routes.incidents_from_frame(
        frame, mapping={"incident_id": "ID", "coordinates": "Koordinate"}, strict=False
    )
    assert result.accepted["incident_id"].tolist() == ["a", "b", "c"]
    assert result.accepted["latitude"].tolist() == [44.8125, 44.8125, 41.9965]
    assert result.accepted["longitude"].tolist() == [20.4612, 20.4612, 21.4314]
    assert result.rejected[["source_row", "reason"]].values.tolist() == [
        [4, "no_location"],
        [5, "invalid_coordinates"],
    ]
    lonlat = routes.incidents_from_frame(
        pd.DataFrame({"incident_id": ["a"], "xy": ["20.4612, 44.8125"]}),
        mapping={"columns": {"coordinates": "xy"}, "coordinate_order": "lon,lat"},
    )
    assert (lonlat["latitude"].iloc[0], lonlat["longitude"].iloc[0]) == (44.8125, 20.4612)


def test_wkt_column(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "incident_id": ["a", "b", "c", "d"],
            "wkt": [
                "POINT (20.4612 44.8125)",
                "SRID=4326;POINT(21.4314 41.9965)",
                "LINESTRING (20 44, 21 45)",
                "POINT (20.4",
            ],
        }
    )
    result = routes.incidents_from_frame(frame, strict=False)
    assert result.accepted["jurisdiction"].tolist() == ["RS", "MK"]
    msgs = result.rejected.set_index("source_row")["message"]
    assert "a LineString, not a POINT" in msgs[3]
    assert "not valid WKT" in msgs[4]


def test_projected_columns_with_declared_crs() -> None:
    from pyproj import Transformer

    # Belgrade and Skopje projected with pyproj, then read back through the mapping.
    points = [(20.4612, 44.8125), (21.4314, 41.9965)]
    for epsg in (3035, 32634, 6316):
        fwd = Transformer.from_crs(4326, epsg, always_xy=True)
        xs, ys = zip(*(fwd.transform(lon, lat) for lon, lat in points), strict=True)
        frame = pd.DataFrame({"incident_id": ["a", "b"], "E": xs, "N": ys})
        gdf = routes.incidents_from_frame(
            frame, mapping={"columns": {"x": "E", "y": "N"}, "crs": f"EPSG:{epsg}"}
        )
        assert gdf["longitude"].tolist() == pytest.approx([20.4612, 21.4314], abs=1e-6)
        assert gdf["latitude"].tolist() == pytest.approx([44.8125, 41.9965], abs=1e-6)
        assert gdf["jurisdiction"].tolist() == ["RS", "MK"]


def test_naive_projected_numbers_are_an_error() -> None:
    frame = pd.DataFrame({"incident_id": ["a"], "x": [5_370_000.0], "y": [2_390_000.0]})
    with pytest.raises(ValidationError, match=r"look like projected metres.*EPSG:3035"):
        routes.incidents_from_frame(frame, mapping={"columns": {"x": "x", "y": "y"}})


def test_place_only_rows_use_gazetteer_once_per_name() -> None:
    calls: list[int] = []
    gaz = routes.load_gazetteer()

    class Counting:
        def resolve(
            self, names: pd.Series, *, jurisdictions: pd.Series | None = None
        ) -> pd.DataFrame:
            calls.append(len(names))
            return gaz.resolve(names, jurisdictions=jurisdictions)

    frame = pd.DataFrame(
        {
            "incident_id": [str(i) for i in range(6)],
            "place": ["Niš", "Nis", "Ниш", "Trebinje", "Trebinje", "Shkodër"],
            "jurisdiction": ["", "", "", "BA", "", ""],
        }
    )
    result = routes.incidents_from_frame(frame, gazetteer=Counting(), strict=False)
    assert calls == [6]
    acc = result.accepted
    assert acc["jurisdiction"].tolist() == ["RS", "RS", "RS", "BA", "AL"]
    assert acc["latitude"].iloc[0] == acc["latitude"].iloc[2]
    assert result.rejected[["source_row", "reason"]].values.tolist() == [[5, "ambiguous_place"]]


def test_jurisdiction_from_names_and_points() -> None:
    frame = pd.DataFrame(
        {
            "incident_id": ["a", "b", "c", "d", "e", "f"],
            "jurisdiction": ["Kosova", "BiH", "Serbia", "", "Germany", "Atlantis"],
            "latitude": [42.6629, 43.8563, 44.8125, 42.4411, 48.1, 44.8],
            "longitude": [21.1655, 18.4131, 20.4612, 19.2636, 11.6, 20.4],
        }
    )
    result = routes.incidents_from_frame(frame, strict=False)
    assert result.accepted["jurisdiction"].tolist() == ["XK", "BA", "RS", "ME"]
    rej = result.rejected.set_index("source_row")
    assert rej.loc[5, "reason"].tolist() == ["outside_region", "outside_region"]
    assert rej.loc[6, "reason"] == "unknown_vocabulary"
    assert "unknown jurisdiction 'Atlantis'" in rej.loc[6, "message"]


# ---------------------------------------------------------------------------- mappings
def test_mapping_renames_constants_defaults_templates_values(tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        """
name = "test layout"
na_values = ["", "n.p."]
[columns]
incident_id = "Br."
date = "Datum"
place = "Mjesto"
category = "Oružje"
[constants]
source = "MUP"
[defaults]
event = "seizure"
[templates]
notes = "{Opis} ({Jedinica})"
[values.category]
"kratka cijev" = "pistol"
[vocabularies]
category = ["flare_gun"]
""",
        encoding="utf-8",
    )
    path = tmp_path / "in.csv"
    path.write_text(
        "Br.;Datum;Mjesto;Oružje;Opis;Jedinica;Vrsta\n"
        "1;01.02.2023;Tuzla;kratka cijev;u vozilu;PU Tuzla;Zapljena\n"
        "2;02.02.2023;Mostar;flare gun;n.p.;PU Mostar;\n",
        encoding="utf-8",
    )
    result = routes.read_incidents(path, mapping=mapping, strict=False)
    acc = result.accepted
    assert acc["category"].tolist() == ["pistol", "flare_gun"]
    assert acc["source"].tolist() == ["MUP", "MUP"]
    assert acc["event"].tolist() == ["seizure", "seizure"]
    assert acc["notes"].tolist() == ["u vozilu (PU Tuzla)", "(PU Mostar)"]
    assert acc["jurisdiction"].tolist() == ["BA", "BA"]
    assert result.info["ignored_columns"] == ["Vrsta"]
    assert result.info["mapping"] == "test layout"


def test_vocabularies_argument_extends() -> None:
    frame = pd.DataFrame({"incident_id": ["a"], "place": ["Niš"], "category": ["Raketni pištolj"]})
    with pytest.raises(ValidationError, match="unknown category"):
        routes.incidents_from_frame(frame, vocabularies={"category": ["flare_gun"]})
    gdf = routes.incidents_from_frame(
        frame, vocabularies={"category": {"flare_gun": ["raketni pištolj"]}}
    )
    assert gdf["category"].tolist() == ["flare_gun"]


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"colums": {}}, r"unknown mapping key 'colums' \(did you mean 'columns'\?\)"),
        ({"columns": {"categroy": "x"}}, r"did you mean 'category'"),
        ({"columns": {"latitude": "y"}}, "give both latitude and longitude"),
        ({"constants": {"event": "found"}, "columns": {"event": "E"}}, "keep one"),
        ({"values": {"category": {"x": "bazooka"}}}, "unknown value 'bazooka'"),
        ({"crs": "EPSG:999999"}, "is not a known CRS"),
        ({"coordinate_order": "x,y"}, "coordinate_order must be"),
        ({"vocabularies": {"notes": ["x"]}}, "has no vocabulary"),
        ("no_such_mapping", "mapping file 'no_such_mapping' not found.*iom_mmp"),
    ],
)
def test_bad_mappings_are_explained(mapping: object, message: str) -> None:
    frame = pd.DataFrame({"incident_id": ["a"], "place": ["Niš"]})
    with pytest.raises(ValidationError, match=message):
        routes.incidents_from_frame(frame, mapping=mapping)  # type: ignore[arg-type]


def test_mapped_column_missing_from_file() -> None:
    frame = pd.DataFrame({"incident_id": ["a"], "Mjesto": ["Niš"]})
    with pytest.raises(ValidationError, match=r"column 'Mesto'.*did you mean 'Mjesto'"):
        routes.incidents_from_frame(frame, mapping={"place": "Mesto"})


def test_inputs_are_not_modified() -> None:
    frame = pd.DataFrame({"incident_id": ["a"], "place": [" Niš "], "category": ["Pištolj"]})
    before = frame.copy()
    routes.incidents_from_frame(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_bundled_mappings_listed() -> None:
    assert {"iom_mmp", "policija_bcs"} <= set(routes.bundled_mappings())


# ---------------------------------------------------------------------------- real files
def test_iom_missing_migrants_file(fixtures: Path) -> None:
    path = fixtures / "incidents" / "iom_mmp_europe_wb_subset.csv"
    result = routes.read_incidents(path, mapping="iom_mmp", strict=False)
    assert result.rows_read == 275
    assert len(result.accepted) + result.rows_rejected == 275
    # Three points lie at sea far from any coast of the region (rows 3, 21, 22).
    assert result.rejected[["source_row", "reason"]].values.tolist() == [
        [3, "outside_region"],
        [21, "outside_region"],
        [22, "outside_region"],
    ]
    acc = result.accepted
    assert len(acc) == 272
    assert set(acc["event"]) == {"found"}
    assert set(acc["category"]) == {"other"}
    assert set(acc["migrants_involved"]) == {"yes"}
    assert set(acc["source"]) == {"IOM Missing Migrants Project"}
    assert acc["quantity"].eq(1).all()
    assert acc["incident_id"].is_unique
    assert acc["date"].notna().all()
    assert set(acc["date_precision"]) == {"day"}
    assert acc["date"].min() == pd.Timestamp("2014-05-23")
    counts = acc["jurisdiction"].value_counts().to_dict()
    assert counts["BA"] == 60
    assert counts["HR"] == 48
    assert counts["RS"] == 43
    assert set(counts) <= set(routes.ALL_JURISDICTIONS)
    assert acc["verification"].notna().all()
    first = acc.iloc[0]
    assert first["incident_id"] == "2014.MMP00090"
    assert first["place"] == "Greece"
    assert first["jurisdiction"] == "GR"
    assert first["notes"].startswith("Accidental death; dead or missing: 1; route: Eastern")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    expected = raw["Location of death"].drop(index=[2, 20, 21]).str.split().str.join(" ")
    assert acc["place"].tolist() == expected.tolist()


def test_mapped_column_missing_names_the_fix(tmp_path: Path) -> None:
    # acceptance finding: an export without some of the bundled mapping's 20 columns failed with
    # "the mapping maps ... which the file does not have" and no fix
    src = tmp_path / "register.csv"
    src.write_text(
        "Broj predmeta;Datum događaja;Mjesto\nKU-1/23;23.05.2023.;Bijeljina\n", encoding="cp1250"
    )
    with pytest.raises(routes.ValidationError, match="which the file does not have") as info:
        routes.read_incidents(src, mapping="policija_bcs")
    messages = [p.message for p in info.value.problems]
    bundled = str(data_dir("mappings") / "policija_bcs.toml")
    tranzit = next(m for m in messages if "'Tranzit'" in m)
    assert 'delete the line transit = "Tranzit" under [columns]' in tranzit
    assert f"a bundled mapping: copy {bundled} and pass the edited copy" in tranzit
    own = tmp_path / "m.toml"
    own.write_text('[columns]\nincident_id = "Broj"\n', encoding="utf-8")
    with pytest.raises(
        routes.ValidationError, match='delete the line incident_id = "Broj"'
    ) as info:
        routes.read_incidents(src, mapping=own)
    assert "bundled" not in str(info.value)


def test_police_register_layout(fixtures: Path) -> None:
    result = routes.read_incidents(
        fixtures / "incidents" / "police_bcs_cp1250.csv", mapping="policija_bcs", strict=False
    )
    assert (result.info["encoding"], result.info["delimiter"]) == ("cp1250", ";")
    assert (result.rows_read, len(result.accepted), result.rows_rejected) == (8, 5, 3)
    assert result.rejected[["source_row", "reason", "column"]].values.tolist() == [
        [4, "impossible_date", "Datum događaja"],
        [6, "invalid_quantity", "Količina"],
        [8, "swapped_coordinates", "Geografska širina/Geografska dužina"],
    ]
    acc = result.accepted.set_index("incident_id")
    assert acc["category"].tolist() == [
        "pistol",
        "automatic_rifle",
        "hand_grenade",
        "converted_weapon",
        "hand_grenade",
    ]
    assert acc["jurisdiction"].tolist() == ["RS", "BA", "ME", "MK", "BA"]
    assert acc.loc["KU-112/2023", "date"] == pd.Timestamp("2023-05-23")
    assert acc.loc["KU-112/2023", "latitude"] == 42.3087
    assert acc.loc["KU-118/2023", "transit"] == "RS|HR"
    assert acc.loc["KU-118/2023", "location_precision"] == "settlement"
    assert acc.loc["KU-121/2023", "quantity"] == 3  # "3 kom"
    assert acc.loc["KU-121/2023", "modus_operandi"] == "boat"
    assert acc.loc["KU-141/2023", "event"] == "surrendered"
    assert acc.loc["KU-141/2023", "verification"] == "unverified"
    assert pd.isna(acc.loc["KU-141/2023", "crossing"])  # "-" is missing


def test_title_lines_above_the_header_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "titled.csv"
    path.write_text(
        "MUP - pregled zapljena oružja\nPeriod: 2023\nID;Mjesto\n1;Tuzla\n2;Niš\n",
        encoding="utf-8",
    )
    mapping = {"skip_rows": 2, "columns": {"incident_id": "ID", "place": "Mjesto"}}
    result = routes.read_incidents(path, mapping=mapping, strict=False)
    assert result.accepted[["source_row", "jurisdiction"]].values.tolist() == [[1, "BA"], [2, "RS"]]
    with pytest.raises(ValidationError, match="skip_rows = 9 skips past the end"):
        routes.read_incidents(path, mapping={**mapping, "skip_rows": 9})
    with pytest.raises(ValidationError, match="skip_rows must be a whole number"):
        routes.read_incidents(path, mapping={**mapping, "skip_rows": -1})


@pytest.mark.parametrize("how", ["unreadable", "missing", "no data folder"])
def test_bbox_fallback_without_bundled_borders(
    how: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from routes import _paths
    from routes.geo import _region
    from routes.geo import borders as geography

    if how == "unreadable":  # the file is there but cannot be read (and no cached region)

        def unreadable() -> None:
            raise OSError("bundled borders unreadable for this test")

        monkeypatch.setattr(geography, "load_borders", unreadable)
        monkeypatch.setenv("SALW_ROUTES_CACHE", "off")
    elif how == "missing":  # the file is gone: the cached region of it is not used either
        real = _paths.data_dir

        def without_outlines(kind: str | None = None) -> Path:
            return tmp_path if kind == "borders" else real(kind)

        monkeypatch.setattr(_paths, "data_dir", without_outlines)
    else:  # an installation without its data folder

        def no_data(kind: str | None = None) -> Path:
            raise FileNotFoundError("salw-routes bundled data not found (this test)")

        monkeypatch.setattr(_paths, "data_dir", no_data)
    _region._model.cache_clear()
    try:
        frame = pd.DataFrame(
            {
                "incident_id": ["a", "b", "c"],
                "latitude": [44.8125, 52.52, 20.4612],
                "longitude": [20.4612, 13.40, 44.8125],
                # c says Serbia: swapped, it lies in Serbia's box; as written it is in Arabia
                "jurisdiction": [None, None, "RS"],
            }
        )
        result = routes.incidents_from_frame(frame, strict=False)
        assert result.info["region_method"] == "bbox"
        assert result.accepted["incident_id"].tolist() == ["a"]
        assert pd.isna(result.accepted["jurisdiction"].iloc[0])  # not derived without outlines
        assert result.rejected[["source_row", "reason"]].values.tolist() == [
            [2, "outside_region"],
            [3, "swapped_coordinates"],
        ]
    finally:
        monkeypatch.undo()
        _region._model.cache_clear()
    assert _region.region_method() == "borders"


def test_damaged_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "damaged.csv"
    good = "incident_id;place;notes\n1;Šid;čćžšđ\n2;Niš;ok\n".encode()
    path.write_bytes(good + b"3;Bar;bad \xe8 byte\n")
    with pytest.raises(ValidationError, match=r"row 3: the file is UTF-8 but line 4 holds a byte"):
        routes.read_incidents(path, strict=False)


def test_coordinate_headers_found_without_a_mapping() -> None:
    # x/y in degrees, BCS and Albanian latitude/longitude headers: no mapping needed
    xy = pd.DataFrame({"incident_id": ["a", "b"], "X": [20.4612, 21.4314], "Y": [44.8125, 41.9965]})
    gdf = routes.incidents_from_frame(xy)
    assert gdf["jurisdiction"].tolist() == ["RS", "MK"]
    bcs = pd.DataFrame({"incident_id": ["a"], "Širina": ["44.8125"], "Dužina": ["20.4612"]})
    assert routes.incidents_from_frame(bcs)["latitude"].tolist() == [44.8125]
    sq = pd.DataFrame({"incident_id": ["a"], "Gjerësia": ["41.3275"], "Gjatësia": ["19.8187"]})
    assert routes.incidents_from_frame(sq)["jurisdiction"].tolist() == ["AL"]
    # naive projected metres under x/y are refused with the CRS fix, never guessed
    metres = pd.DataFrame({"incident_id": ["a"], "x": [5_370_000.0], "y": [2_390_000.0]})
    with pytest.raises(ValidationError, match=r"look like projected metres.*EPSG:3035"):
        routes.incidents_from_frame(metres)
