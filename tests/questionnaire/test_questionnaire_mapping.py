"""Questionnaires through mappings: UNODC's IAFQ export read as published.

The real 2022 export cut to the region (``fixtures/questionnaire/unodc_iafq_region.csv``, see
the PROVENANCE.md there) and the XLSX fixtures in the shape of the 2022 and 2024 exports
(``scripts/build_iafq_fixtures.py``). The expected numbers are counted on the files: 1,675
rows, 31 of them repeat an earlier row's jurisdiction, year, indicator, breakdown and
category (UNODC's export repeats them).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from routes import ValidationError
from routes.questionnaire import read_questionnaire
from routes.questionnaire._mapping import load_questionnaire_mapping

TODAY = dt.date(2026, 6, 1)
HEADER = (
    "Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,Sex,Age,Year,"
    "Unit of measurement,VALUE,Source"
)
ISO2 = {"ALB": "AL", "BIH": "BA", "XKX": "XK", "MNE": "ME", "MKD": "MK", "SRB": "RS"}


@pytest.fixture(scope="module")
def iafq_csv(fixtures: Path) -> Path:
    return fixtures / "questionnaire" / "unodc_iafq_region.csv"


@pytest.fixture(scope="module")
def iafq(iafq_csv: Path) -> Any:
    return read_questionnaire(iafq_csv, mapping="unodc_iafq", today=TODAY)


def _published(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _row(
    iso3: str,
    indicator: str,
    dimension: str,
    category: str,
    value: str,
    *,
    year: str = "2020",
    sex: str = "na",
    age: str = "na",
) -> str:
    return (
        f"{iso3},Country,Europe,Southern Europe,{indicator},{dimension},{category},{sex},{age},"
        f"{year},Counts,{value},IAFQ"
    )


def _write(tmp_path: Path, *rows: str, name: str = "iafq.csv", newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(newline.join([HEADER, *rows, ""]).encode("utf-8"))
    return path


def test_every_row_of_the_real_export_is_accounted_for(iafq: Any) -> None:
    assert (iafq.rows_read, len(iafq.accepted), iafq.rows_rejected) == (1675, 1644, 31)
    assert iafq.rejected_by_reason() == {"duplicate": 31}
    assert sum(iafq.rejected_by_reason().values()) == iafq.rows_rejected
    assert (iafq.layout, iafq.mapping, iafq.header_row) == ("mapped", "unodc_iafq", 1)
    assert iafq.ignored_columns == ["Country", "Region", "Subregion", "Unit of measurement"]


def test_western_balkan_seized_totals_equal_unodc_arms_seized_total(
    iafq: Any, iafq_csv: Path
) -> None:
    published = {
        (ISO2[r["Iso3_code"]], int(r["Year"])): float(r["VALUE"])
        for r in _published(iafq_csv)
        if r["Iso3_code"] in ISO2
        and (r["Indicator"], r["Dimension"], r["Category"]) == ("Arms seized", "Total", "Total")
    }
    assert len(published) == 24  # AL 5 years, ME 8, MK 6, RS 5 (one row each, no repeat)
    totals = iafq.totals()
    ours = totals[
        (totals["indicator"] == "seized_weapons") & totals["jurisdiction"].isin(ISO2.values())
    ]
    given = {
        (j, int(y)): float(v)
        for j, y, v, summed in ours[["jurisdiction", "year", "value", "from_categories"]].values
        if not summed
    }
    assert given == published
    # where UNODC publishes no total, the total is the sum of the types, flagged as such
    assert set(ours["from_categories"]) <= {True, False}
    assert all(
        (j, int(y)) not in published for j, y in ours[ours["from_categories"]].iloc[:, :2].values
    )


def test_neighbours_are_context_apart_from_the_six(iafq: Any) -> None:
    assert {"HR", "GR", "BG"} <= set(iafq.context_jurisdictions())
    acc = iafq.accepted
    assert set(acc.loc[acc["context"], "jurisdiction"]) == set(iafq.context_jurisdictions())
    assert set(acc.loc[~acc["context"], "jurisdiction"]) == {"AL", "ME", "MK", "RS"}


def test_breakdowns_are_kept_and_never_summed_into_a_total(iafq: Any) -> None:
    acc = iafq.accepted
    al = acc[(acc["jurisdiction"] == "AL") & (acc["year"] == 2016)]
    main = al[al["breakdown"].isna()]
    seized = main[main["indicator"] == "seized_weapons"].set_index("category")["value"]
    assert seized["total"] == 531  # Arms seized / Total / Total
    assert (seized["pistol"], seized["rifle"], seized["shotgun"]) == (169, 273, 80)
    converted = main[main["indicator"] == "converted_weapons"].set_index("category")["value"]
    assert converted.to_dict() == {"converted": 12.0}
    condition = al[al["breakdown"] == "condition"].set_index("category")["value"]
    assert (condition["industrially_manufactured_arms"], condition["total"]) == (516, 531)
    named = set(acc["breakdown"].dropna())
    assert {
        "condition",
        "marking",
        "location",
        "tracing",
        "legal_justification",
        "suspected_offences",
        "offences",
        "parts_and_components",
        "prosecuted",
        "convicted",
    } <= named
    totals = iafq.totals().set_index(["jurisdiction", "year", "indicator"])["value"]
    assert totals[("AL", 2016, "seized_weapons")] == 531
    assert totals[("AL", 2016, "converted_weapons")] == 12  # converted + reactivated
    # the published condition total (531) against its parts (530): an inconsistency, kept
    what = [i.what for i in iafq.inconsistencies if (i.jurisdiction, i.year) == ("AL", 2016)]
    assert any("breakdown 'condition'" in w and "published total 531" in w for w in what)


def test_indicators_and_sources_are_read_as_published(iafq: Any) -> None:
    acc = iafq.accepted
    by = acc[acc["breakdown"].isna()].groupby("indicator").size().to_dict()
    assert by == {
        "cases": 20,
        "converted_weapons": 30,
        "found_weapons": 144,
        "persons": 16,
        "seized_ammunition_rounds": 23,
        "seized_weapons": 409,
        "surrendered_weapons": 113,
    }
    assert set(acc["source"]) == {
        "IAFQ",
        "IAFQ/SOF",
        "SOF/IAFQ",
        "SOF",
        "UNODA",
        "UNODA/IAFQ",
        "SOF/UNODA",
    }
    persons = acc[(acc["indicator"] == "persons") & acc["breakdown"].isna()]
    assert set(persons["category"]) == {"total", "female", "male", "unknown"}
    row = acc[acc["source_category"] == "rifle (Inlcuding Carbine)"].iloc[0]
    assert (row["category"], row["source_indicator"]) == ("rifle", row["source_indicator"])


def test_the_bundled_mapping_is_recognised_by_its_columns(iafq_csv: Path, iafq: Any) -> None:
    auto = read_questionnaire(iafq_csv, today=TODAY)
    assert auto.mapping == "unodc_iafq"
    pd.testing.assert_frame_equal(auto.accepted, iafq.accepted)


@pytest.mark.parametrize(
    ("name", "read", "accepted", "reasons", "context"),
    [
        (
            "unodc_iafq_2022.xlsx",
            588,
            571,
            {"duplicate": 13, "outside_region": 3, "empty_row": 1},
            ["BG", "HR"],
        ),
        (
            "unodc_iafq_2024.xlsx",
            542,
            524,
            {"duplicate": 14, "outside_region": 3, "empty_row": 1},
            ["BG", "GR", "HR", "HU", "IT", "RO", "SI", "TR"],
        ),
    ],
)
def test_xlsx_exports_with_title_rows(
    fixtures: Path,
    name: str,
    read: int,
    accepted: int,
    reasons: dict[str, int],
    context: list[str],
    iafq: Any,
) -> None:
    q = read_questionnaire(fixtures / "questionnaire" / name, mapping="unodc_iafq", today=TODAY)
    assert (q.rows_read, len(q.accepted), q.rejected_by_reason()) == (read, accepted, reasons)
    assert q.rows_read == len(q.accepted) + sum(reasons.values())
    assert q.header_row == 3  # UNODC (HYPERLINK) and the export date above the header
    assert q.context_jurisdictions() == context
    outside = q.rejected[q.rejected["reason"] == "outside_region"]
    assert sorted(outside["jurisdiction"]) == ["BRA", "DEU", "USA"]
    # the same seized_weapons totals as the CSV (Year stored as text in 2024)
    ours = q.totals().query("indicator == 'seized_weapons' and not from_categories")
    csv_totals = iafq.totals().set_index(["jurisdiction", "year", "indicator"])["value"]
    for j, y, v in ours[["jurisdiction", "year", "value"]].values:
        assert csv_totals[(j, int(y), "seized_weapons")] == v


def test_kosovo_outside_region_unmapped_and_splits(tmp_path: Path) -> None:
    convicted = "Individuals convicted for illicit trafficking in weapons"
    path = _write(
        tmp_path,
        _row("XKX", "Arms seized", "Total", "Total", "40"),
        _row("XKX", "Arms seized", "by type", "pistol", "30"),
        _row("XKX", "Arms seized", "by type", "laser gun", "1"),
        _row("FRA", "Arms seized", "Total", "Total", "500"),
        _row("QQ9", "Arms seized", "Total", "Total", "5"),
        _row("SRB", "Arms exported", "Total", "Total", "5"),
        _row("SRB", convicted, "Total", "Total", "7", sex="Male", age="Total"),
        _row("SRB", convicted, "Total", "Total", "1", sex="Total", age="15-17"),
        _row("GRC", "Arms seized", "Total", "Total", "-3"),
        _row("HRV", "Arms seized", "Total", "Total", "3", year="1812"),
    )
    q = read_questionnaire(path, mapping="unodc_iafq", today=TODAY)
    assert q.rows_read == 10
    assert [(int(r), x) for r, x in q.rejected[["source_row", "reason"]].values] == [
        (4, "unmapped"),  # rows of the file: the header is row 1
        (5, "outside_region"),
        (6, "unknown_jurisdiction"),
        (7, "unmapped"),
        (9, "unmapped"),
        (10, "negative_value"),
        (11, "invalid_year"),
    ]
    acc = q.accepted.set_index("source_row")
    assert acc.loc[2, ["jurisdiction", "indicator", "category", "value"]].tolist() == [
        "XK",
        "seized_weapons",
        "total",
        40.0,
    ]
    assert not acc.loc[2, "context"]
    assert acc.loc[8, ["indicator", "breakdown", "category"]].tolist() == [
        "persons",
        "convicted",
        "male",
    ]
    messages = dict(zip(q.rejected["source_row"], q.rejected["message"], strict=True))
    assert "add it to the mapping's [values.category]" in messages[4]
    assert "'FRA' is outside the region (AL, BA, XK, ME, MK, RS; context: HR" in messages[5]
    assert "'Arms exported / Total / Total' has no [[lookup]] rule" in messages[7]


def test_cr_only_and_crlf_files_read(tmp_path: Path) -> None:
    rows = (
        'ALB,Albania,Europe,Southern Europe,Arms seized,by location,"Uniquely identifiable - '
        'tracing attempted, no point of diversion identified",na,na,2020,Counts,0,IAFQ',
        "ALB,Albania,Europe,Southern Europe,Arms seized,Total,Total,na,na,2020,Counts,445,IAFQ",
    )
    for newline in ("\r", "\r\n"):
        q = read_questionnaire(
            _write(tmp_path, *rows, newline=newline), mapping="unodc_iafq", today=TODAY
        )
        assert (q.rows_read, len(q.accepted)) == (2, 2)
        assert q.accepted["breakdown"].tolist() == ["tracing", None]


def test_a_published_breakdown_total_is_kept_when_its_parts_differ(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _row("MNE", "Arms seized", "by marking", "Total", "10", year="2019"),
        _row("MNE", "Arms seized", "by marking", "no marking", "4", year="2019"),
        _row("MNE", "Arms seized", "by marking", "uniquely marked", "5", year="2019"),
        _row("MNE", "Arms seized", "Total", "Total", "12", year="2019"),
    )
    q = read_questionnaire(path, mapping="unodc_iafq", today=TODAY)
    assert q.totals()["value"].tolist() == [12.0]  # the breakdown never makes the total
    (inc,) = q.inconsistencies
    assert (inc.kind, inc.jurisdiction, inc.year, inc.indicator) == (
        "total_mismatch",
        "ME",
        2019,
        "seized_weapons",
    )
    assert "breakdown 'marking'" in inc.what
    assert "published total 10" in inc.what
    assert "parts sum to 9" in inc.what


def test_a_file_without_the_mapping_columns_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("Iso3,Indicator,Year,VALUE\nALB,Arms seized,2020,3\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"no column 'Iso3_code'.*closest header is 'Iso3'"):
        read_questionnaire(path, mapping="unodc_iafq")


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"columns": {"country": "X"}}, r"\[columns\] key 'country' is not a questionnaire"),
        ({"columns": {"jurisdiction": "A"}}, r"must name the source column of year"),
        (
            {
                "columns": {"jurisdiction": "A", "year": "B", "indicator": "C", "value": "D"},
                "lookup": [{"indicator": "X", "to": "seized_weapon"}],
            },
            r"did you mean 'seized_weapons'",
        ),
        (
            {
                "columns": {"jurisdiction": "A", "year": "B", "indicator": "C", "value": "D"},
                "lookup": [{"indicator": "X", "to": "cases"}, {"indicator": "x", "to": "cases"}],
            },
            r"#2 repeats the combination",
        ),
        (
            {
                "columns": {"jurisdiction": "A", "year": "B", "indicator": "C", "value": "D"},
                "lookup": [{"indicator": "X", "to": "cases"}],
                "context": ["RS"],
            },
            r"context lists RS",
        ),
        ({"kind": "incidents"}, r"not a questionnaire mapping"),
        ({"lookups": []}, r"did you mean 'lookup'"),
    ],
)
def test_bad_mappings_name_the_key_and_the_fix(data: dict[str, Any], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        load_questionnaire_mapping(data)


def test_unknown_mapping_name_lists_the_bundled_ones() -> None:
    with pytest.raises(ValidationError, match=r"not found.*unodc_iafq"):
        read_questionnaire(Path("x.csv"), mapping="unodc_iafk")


def test_the_incident_reader_points_a_questionnaire_mapping_to_its_command() -> None:
    from routes import load_mapping

    with pytest.raises(ValidationError, match=r"questionnaire FILE -m unodc_iafq"):
        load_mapping("unodc_iafq")


def test_chapter_tables_from_the_export_normal_and_sharing_safe(iafq: Any) -> None:
    import matplotlib.pyplot as plt

    from routes.questionnaire import questionnaire_chapter

    normal = questionnaire_chapter(iafq)
    plt.close("all")
    assert [t for t in normal.tables if t.startswith("compare_")] == [
        "compare_seized_weapons",
        "compare_found_weapons",
        "compare_surrendered_weapons",
        "compare_converted_weapons",
        "compare_seized_ammunition_rounds",
        "compare_cases",
    ]
    compare = normal.tables["compare_seized_weapons"]
    assert list(compare["jurisdiction"]) == ["AL", "ME", "MK", "RS"]
    context = normal.tables["context_seized_weapons"].set_index("jurisdiction")
    assert list(context.index) == ["BG", "GR", "HR", "HU", "IT", "RO", "SI", "TR"]
    assert (context.loc["GR", "2016"], context.loc["TR", "2013"]) == (9145, 9853)
    share = normal.tables["converted_share"].set_index(["jurisdiction", "year"])
    assert share.loc[("TR", 2019)].tolist() == ["Türkiye", 452, 3228, 14.0]
    stems = [f[0] for f in normal.figures]
    assert {"questionnaire_seized_weapons_context", "questionnaire_weapon_types"} <= set(stems)
    bars = next(f[2] for f in normal.figures if f[0] == "questionnaire_weapon_types")
    labels = [t.get_text() for t in bars.axes[0].get_yticklabels()]
    assert labels[:4] == ["Albania", "Montenegro", "North Macedonia", "Serbia"]
    assert "Croatia (context)" in labels[4:]
    assert any("Illicit Arms Flows Questionnaire (IAFQ), dataUNODC" in n for n in normal.notes)
    safe = questionnaire_chapter(iafq, min_count=5)
    plt.close("all")
    assert "questionnaire_weapon_types" not in [f[0] for f in safe.figures]
    hu = safe.tables["converted_share"].set_index(["jurisdiction", "year"]).loc[("HU", 2016)]
    assert hu.tolist() == ["Hungary", "<5", 337, "<5"]  # 2 converted of 337 seized
    al = safe.tables["weapon_types"].iloc[0]
    assert (al["revolver"], al["machine_gun"], al["total"]) == ("<5", "<5", 531)


def test_a_national_copy_reads_through_its_own_toml_mapping(tmp_path: Path) -> None:
    mapping = tmp_path / "mup.toml"
    mapping.write_text(
        """
name = "MUP copy of the IAFQ return"
kind = "questionnaire"
totals = ["Ukupno"]
context = ["HR"]

[columns]
jurisdiction = "Država"
year = "Godina"
indicator = "Pokazatelj"
category = "Vrsta"
value = "Broj"

[values.jurisdiction]
"Republika Srbija" = "RS"

[values.category]
"automatska puška" = "automatic_rifle"

[[lookup]]
indicator = "Zaplijenjeno oružje"
to = "seized_weapons"

[[lookup]]
indicator = ["Krivična djela", "Predmeti"]
to = "cases"
""",
        encoding="utf-8",
    )
    data = tmp_path / "mup.csv"
    data.write_text(
        "MUP Srbije\n17/06/2022\n"
        "Država;Godina;Pokazatelj;Vrsta;Broj\n"
        "Republika Srbija;2021;Zaplijenjeno oružje;Ukupno;1 204\n"
        "Republika Srbija;2021;Zaplijenjeno oružje;pištolj;700\n"
        "Republika Srbija;2021;Zaplijenjeno oružje;automatska puška;500\n"
        "Hrvatska;2021;Predmeti;;31\n"
        "Slovenija;2021;Predmeti;;12\n",
        encoding="cp1250",
    )
    q = read_questionnaire(data, mapping=mapping, today=TODAY)
    assert (q.rows_read, len(q.accepted), q.rejected_by_reason()) == (5, 4, {"outside_region": 1})
    assert q.header_row == 3
    acc = q.accepted
    assert acc[["jurisdiction", "indicator", "category", "value", "context"]].values.tolist() == [
        ["RS", "seized_weapons", "total", 1204.0, False],
        ["RS", "seized_weapons", "pistol", 700.0, False],
        ["RS", "seized_weapons", "automatic_rifle", 500.0, False],
        ["HR", "cases", "total", 31.0, True],
    ]
    (inc,) = [i for i in q.inconsistencies if i.kind == "total_mismatch"]
    assert "total 1,204, but the categories sum to 1,200" in inc.what
    assert q.mapping == "mup"


def test_an_empty_sheet_beside_the_export_is_skipped(tmp_path: Path, iafq_csv: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Notes"  # empty
    ws = wb.create_sheet("data")
    ws.append(["UNODC"])
    ws.append(["17/06/2022"])
    for row in list(csv.reader(io.StringIO(iafq_csv.read_text(encoding="utf-8-sig"))))[:4]:
        ws.append(row)
    path = tmp_path / "two_sheets.xlsx"
    wb.save(path)
    q = read_questionnaire(path, today=TODAY)  # recognised by its columns, on the 2nd sheet
    assert (q.mapping, q.rows_read, q.header_row) == ("unodc_iafq", 3, 3)
    assert set(q.accepted["sheet"]) == {"data"}
