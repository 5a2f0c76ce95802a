"""routes.suggest_mapping: what a file holds, the drafted mapping, and the draft tried for real."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import routes
from routes import ValidationError, load_mapping, read_incidents, suggest_mapping

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BYOF = Path(__file__).resolve().parents[1] / "fixtures" / "incidents" / "byof"


def test_exported_from_the_face() -> None:
    assert "suggest_mapping" in routes.__all__
    assert "MappingSuggestion" in routes.__all__
    assert routes.suggest_mapping is suggest_mapping


def test_headers_and_content_give_the_mapping() -> None:
    df = pd.DataFrame(
        {
            "ref": ["a1", "a2", "a3"],
            "when": ["01Apr99", "02Apr99", "UKN"],
            "lat": ["42.66", "42.21", "42.38"],
            "lon": ["21.17", "20.74", "20.43"],
            "weapon": ["Handgun", "Grenade", "Pistoll"],
        }
    )
    s = suggest_mapping(df)
    assert s.mapping["columns"] == {
        "incident_id": "ref",
        "date": "when",
        "latitude": "lat",
        "longitude": "lon",
        "category": "weapon",
    }
    assert "UKN" in s.mapping["na_values"]
    assert s.mapping["values"]["category"] == {"Pistoll": "pistol"}
    assert s.trial == {
        "rows_read": 3,
        "accepted": 3,
        "rejected": 0,
        "reasons": {},
        "examples": [],
    }


def test_content_alone_when_headers_say_nothing() -> None:
    df = pd.DataFrame(
        {
            "c1": ["K-1", "K-2", "K-3", "K-4"],
            "c2": ["2019-03-25", "2019-03-26", "2019-04-02", "2019-05-30"],
            "c3": ["44.81, 20.46", "42.00, 21.43", "43.32, 21.90", "41.33, 19.82"],
            "c4": ["Serbia", "North Macedonia", "Serbia", "Albania"],
            "c5": ["pistol", "rifle", "hand grenade", "ammunition"],
        }
    )
    s = suggest_mapping(df)
    assert s.mapping["columns"] == {
        "incident_id": "c1",
        "coordinates": "c3",
        "date": "c2",
        "jurisdiction": "c4",
        "category": "c5",
    }
    types = {c.name: c.type for c in s.columns}
    assert types == {
        "c1": "text",
        "c2": "date",
        "c3": "coordinate pair",
        "c4": "country",
        "c5": "text",  # every value different: not "few distinct words"
    }
    assert s.trial["accepted"] == 4


def test_latitude_and_longitude_told_apart_by_their_ranges() -> None:
    # the headers are swapped on purpose: the values decide
    df = pd.DataFrame(
        {
            "id": ["1", "2", "3"],
            "y": ["20.4651", "21.4314", "19.2636"],
            "x": ["44.8040", "41.9965", "42.4411"],
        }
    )
    s = suggest_mapping(df)
    assert s.mapping["columns"]["latitude"] == "x"
    assert s.mapping["columns"]["longitude"] == "y"
    assert s.trial["accepted"] == 3


def test_wkt_iso3_and_day_first_dates() -> None:
    df = pd.DataFrame(
        {
            "case": ["7", "8", "9"],
            "datum": ["25.03.1999", "26.03.1999", "13.04.1999"],
            "shape": ["POINT (20.46 44.81)", "POINT (21.43 42.00)", "POINT (19.82 41.33)"],
            "iso": ["SRB", "MKD", "ALB"],
        }
    )
    s = suggest_mapping(df)
    assert s.mapping["columns"] == {
        "incident_id": "case",
        "date": "datum",
        "wkt": "shape",
        "jurisdiction": "iso",
    }
    assert "dates" not in s.mapping  # the reader's own forms read them
    assert s.trial["accepted"] == 3


def test_month_first_dates_are_read_month_first() -> None:
    df = pd.DataFrame(
        {
            "id": ["1", "2", "3"],
            "date": ["03/25/2019", "04/13/2019", "01/02/2019"],
            "city": ["Niš", "Skopje", "Tirana"],
        }
    )
    s = suggest_mapping(df)
    assert s.mapping["dates"] in ({"order": "month_first"}, {"format": ["%m/%d/%Y"]})
    acc = read_incidents_from(s, df)
    assert [d.date().isoformat() for d in acc["date"]] == ["2019-03-25", "2019-04-13", "2019-01-02"]


def read_incidents_from(s: routes.MappingSuggestion, df: pd.DataFrame) -> pd.DataFrame:
    return routes.incidents_from_frame(df, mapping=tomllib.loads(s.to_toml()))


def test_no_unique_column_numbers_the_rows() -> None:
    df = pd.DataFrame({"place": ["Niš", "Niš", "Skopje"], "category": ["pistol"] * 3})
    s = suggest_mapping(df)
    assert s.mapping["generate_id"] == "row"
    assert "incident_id" not in s.mapping["columns"]
    assert any("data-row number" in n for n in s.notes)
    acc = read_incidents_from(s, df)
    assert acc["incident_id"].tolist() == ["1", "2", "3"]


def test_generate_id_is_checked_in_mappings() -> None:
    with pytest.raises(ValidationError, match='generate_id must be "row"'):
        load_mapping({"generate_id": "uuid"})
    with pytest.raises(ValidationError, match="not both it and"):
        load_mapping({"generate_id": "row", "columns": {"incident_id": "ID"}})


def test_value_synonyms_have_scores_and_outside_values_stay_unmatched() -> None:
    df = pd.DataFrame(
        {
            "id": [str(i) for i in range(5)],
            "city": ["Niš"] * 5,
            "weapon": ["Pistoll", "Knife or Other Sharp Object", "Grenade", "pistol", "xyz"],
        }
    )
    s = suggest_mapping(df)
    by_value = {v.value: v for v in s.values}
    assert by_value["Pistoll"].target == "pistol"
    assert 86 <= by_value["Pistoll"].score < 100
    assert by_value["pistol"].known
    assert by_value["Knife or Other Sharp Object"].target is None
    assert "never forced" in by_value["Knife or Other Sharp Object"].note
    assert by_value["xyz"].target is None
    assert set(s.mapping["values"]["category"]) == {"Pistoll"}
    # the rows with the unmatched values are rejected, and the trial says why
    assert s.trial["accepted"] == 3
    assert s.trial["rejected"] == 2


def test_a_mapping_that_rejects_most_rows_is_taken_out() -> None:
    df = pd.DataFrame(
        {
            "id": ["1", "2", "3", "4"],
            "city": ["Niš", "Skopje", "Tirana", "Niš"],
            "quantity": ["0", "0", "0", "2"],
        }
    )
    s = suggest_mapping(df)
    assert "quantity" not in s.mapping["columns"]
    assert any("quantity = 'quantity' was taken out" in n for n in s.notes)
    assert s.mapping["ignore_columns"] == ["quantity"]  # else read by its canonical name
    assert s.trial["accepted"] == 4
    assert read_incidents_from(s, df)["quantity"].tolist() == [1, 1, 1, 1]


def test_counts_without_a_count_header_are_not_quantity() -> None:
    df = pd.DataFrame(
        {"id": list("123456"), "city": ["Niš"] * 6, "victims": ["3", "5", "3", "3", "3", "5"]}
    )
    s = suggest_mapping(df)
    assert "quantity" not in s.mapping["columns"]
    cand = [c for c in s.candidates if c.key == "quantity" and c.column == "victims"]
    assert cand  # shown as a candidate...
    assert cand[0].score < 0.5  # ...not mapped


def test_profile_says_type_empty_share_and_examples() -> None:
    df = pd.DataFrame({"id": ["1", "2", "3", "4"], "n": ["0.0", "UKN", "2.0", "0.0"]})
    s = suggest_mapping(df)
    n = next(c for c in s.columns if c.name == "n")
    assert n.type == "integer"
    assert n.share_empty == 0.25
    assert n.examples == ["0.0", "2.0"]
    assert n.to_dict()["share_empty"] == 0.25


def test_places_kind_describes_only(tmp_path: Path) -> None:
    s = suggest_mapping(BYOF / "kosovo1999_places.csv", kind="places")
    assert s.mapping == {"na_values": list(s.mapping["na_values"])}
    assert {c.name: c.type for c in s.columns}["latitude"] == "latitude"
    assert s.table["rows"] == 77
    assert "proposed mapping" not in s.report()


def test_bad_kind_and_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="kind 'graph' is not known"):
        suggest_mapping(pd.DataFrame({"a": [1]}), kind="graph")
    with pytest.raises(ValidationError, match="file not found"):
        suggest_mapping(tmp_path / "missing.csv")


def test_toml_is_read_unchanged_and_gives_the_trial(tmp_path: Path) -> None:
    path = BYOF / "terror_export_balkans.csv"
    s = suggest_mapping(path)
    out = tmp_path / "draft.toml"
    out.write_text(s.to_toml(), encoding="utf-8")
    parsed = tomllib.loads(out.read_text(encoding="utf-8"))
    assert parsed["columns"] == s.mapping["columns"]
    result = read_incidents(path, mapping=out, strict=False)
    assert len(result.accepted) == s.trial["accepted"]
    assert result.rows_rejected == s.trial["rejected"]
    # the columns not mapped stay visible as commented lines
    for name in s.unmapped:
        assert f'= "{name}"  #' in s.to_toml()


def test_terrorism_export_shape_acceptance() -> None:
    """Done-when of issue 19: >= 75 % accepted, every accepted date equal to the file's."""
    path = BYOF / "terror_export_balkans.csv"
    s = suggest_mapping(path)
    result = read_incidents(path, mapping=tomllib.loads(s.to_toml()), strict=False)
    assert result.rows_read == 537
    assert len(result.accepted) / result.rows_read >= 0.75
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    acc = result.accepted
    written = raw["date"].iloc[acc["source_row"].to_numpy() - 1].to_numpy()
    for got, text in zip(acc["date"], written, strict=True):
        if text == "UKN":
            assert pd.isna(got)
        else:
            assert got.date().isoformat() == text


@st.composite
def _tables(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(min_value=1, max_value=8))
    kinds = draw(
        st.lists(
            st.sampled_from(["id", "date", "lat", "lon", "city", "weapon", "count", "text"]),
            min_size=1,
            max_size=6,
        )
    )
    cells = {
        "id": st.text("abc123-", min_size=1, max_size=6),
        "date": st.dates().map(lambda d: d.strftime("%d.%m.%Y")),
        "lat": st.floats(39, 47).map(lambda v: f"{v:.4f}"),
        "lon": st.floats(13, 24).map(lambda v: f"{v:.4f}"),
        "city": st.sampled_from(["Niš", "Skopje", "Tirana", "Atlantis", "UKN", ""]),
        "weapon": st.sampled_from(["pistol", "Handgun", "Melee", "Pistoll", "-", "zzz"]),
        "count": st.sampled_from(["0", "1", "2.0", "x", ""]),
        "text": st.text(max_size=12),
    }
    data = {}
    for i, kind in enumerate(kinds):
        header = draw(st.sampled_from([kind, f"col{i}", ""])) or f"c{i}"
        if header in data:
            header = f"{header}_{i}"
        data[header] = [draw(cells[kind]) for _ in range(n)]
    return pd.DataFrame(data)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tables())
def test_property_never_crashes_and_explains_every_rejected_row(df: pd.DataFrame) -> None:
    s = suggest_mapping(df)
    t = s.trial
    assert t["rows_read"] == len(df)
    assert t["accepted"] + t["rejected"] == t["rows_read"]
    if t["rejected"]:
        counts = list(t["reasons"].values())
        assert max(counts) <= t["rejected"] <= sum(counts)
    # the TOML draft parses and reads the frame with the same outcome
    result = routes.incidents_from_frame(df, mapping=tomllib.loads(s.to_toml()), strict=False)
    assert len(result.accepted) == t["accepted"]


def test_place_codes_resolve_through_the_places_table(fixtures: Path, tmp_path: Path) -> None:
    """Done-when of issue 19: the place-code file reads through the places table (>= 97 %)."""
    records = fixtures / "incidents" / "kosovo_1999_records.csv"
    places = fixtures / "incidents" / "kosovo_1999_places.csv"
    s = suggest_mapping(records, places=places)
    assert s.mapping["columns"]["place"] == "pcode"
    assert s.chosen["place"].content >= 0.95
    assert s.mapping["places"] == {
        "file": str(places.resolve()),
        "code": "pcode",
        "name": ["sortname", "serbname"],
    }
    out = tmp_path / "sub" / "kosovo.toml"
    out.parent.mkdir()
    out.write_text(s.to_toml(out), encoding="utf-8")
    result = read_incidents(records, mapping=out, strict=False)  # [places] of the mapping
    assert len(result.accepted) == s.trial["accepted"]
    assert len(result.accepted) / result.rows_read >= 0.97
    years = {d.year for d in result.accepted["date"]}
    assert years <= {1998, 1999}


def test_places_file_is_named_relative_to_the_mapping(tmp_path: Path) -> None:
    places = tmp_path / "gaz" / "places.csv"
    places.parent.mkdir()
    places.write_text("pcode,name,latitude,longitude\nP1,Prizren,42.2139,20.7397\n", "utf-8")
    df = pd.DataFrame({"id": ["1", "2"], "pcode": ["P1", "P1"]})
    s = suggest_mapping(df, places=places)
    assert s.mapping["places"]["file"] == str(places.resolve())
    text = s.to_toml(tmp_path / "maps" / "m.toml")
    assert tomllib.loads(text)["places"]["file"] == "../gaz/places.csv"
    assert s.trial["accepted"] == 2


def test_country_spellings_get_jurisdiction_synonyms() -> None:
    df = pd.DataFrame(
        {
            "id": list("1234"),
            "Država": ["Sjeverna Makedonija", "Srbija", "Republika Srpska", "Srbija"],
            "Mjesto": ["Skopje", "Niš", "Banja Luka", "Niš"],
        }
    )
    s = suggest_mapping(df)
    assert s.mapping["columns"]["jurisdiction"] == "Država"
    # an entity of Bosnia and Herzegovina is not guessed as a country of similar spelling
    assert s.mapping["values"]["jurisdiction"] == {"Sjeverna Makedonija": "MK"}
    rs = next(v for v in s.values if v.value == "Republika Srpska")
    assert rs.target is None
    assert "no close country name" in rs.note


def test_two_yes_no_columns_are_told_apart_by_their_headers() -> None:
    df = pd.DataFrame(
        {
            "id": list("1234"),
            "city": ["Niš"] * 4,
            "OKG": ["DA", "NE", "NE", "DA"],
            "Migranti": ["NE", "NE", "DA", "NE"],
        }
    )
    s = suggest_mapping(df)
    assert s.mapping["columns"]["ocg_involved"] == "OKG"
    assert s.mapping["columns"]["migrants_involved"] == "Migranti"
    assert "event" not in s.mapping["columns"]  # "DA"/"NE" are no fuzzy event words


def test_workbook_sheet_and_title_rows(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "notes"
    book.active.append(["nothing here"])
    sheet = book.create_sheet("2023")
    sheet.append(["Ministry of Interior - seizures 2023"])
    sheet.append(["Case", "Date", "Town", "Weapon"])
    sheet.append(["Z-1", "23.05.2023", "Niš", "pistol"])
    sheet.append(["Z-2", "24.05.2023", "Skopje", "grenade"])
    path = tmp_path / "register.xlsx"
    book.save(path)
    s = suggest_mapping(path, sheet="2023")
    assert s.table["sheet"] == "2023"
    assert s.table["title_rows"] == ["Ministry of Interior - seizures 2023"]
    assert s.mapping["sheet"] == "2023"
    assert s.mapping["skip_rows"] == 1
    result = read_incidents(path, mapping=tomllib.loads(s.to_toml()), strict=False)
    assert result.accepted["incident_id"].tolist() == ["Z-1", "Z-2"]
    assert result.accepted["category"].tolist() == ["pistol", "hand_grenade"]


def test_a_marker_that_is_a_vocabulary_value_is_kept() -> None:
    df = pd.DataFrame(
        {
            "incident_id": list("123"),
            "place": ["Niš", "Skopje", "UKN"],
            "ocg_involved": ["yes", "unknown", "no"],
        }
    )
    s = suggest_mapping(df)
    assert "UKN" in s.mapping["na_values"]
    assert "unknown" not in s.mapping["na_values"]
    assert any("'unknown' is a ocg_involved value" in n for n in s.notes)
    acc = read_incidents_from(s, df.iloc[:2])
    assert acc["ocg_involved"].tolist() == ["yes", "unknown"]
