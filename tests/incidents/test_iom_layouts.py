"""The three IOM Missing Migrants export layouts, read from the repository's own real samples.

See tests/fixtures/incidents/PROVENANCE.md (CC BY 4.0, "IOM Missing Migrants Project").
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import routes
from routes import ValidationError
from routes.geo import in_region, swap_verdicts

IOM = Path(__file__).parents[1] / "fixtures" / "incidents"
HORN = ("Djibouti", "Somalia", "Sudan", "Yemen")


def _read(name: str) -> routes.IncidentReadResult:
    return routes.read_incidents(IOM / name, mapping="iom_mmp", strict=False)


def _raw(name: str) -> pd.DataFrame:
    return pd.read_csv(IOM / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_global_2019_export() -> None:
    result = _read("iom_mmp_global_2019.csv")
    s = result.summary()
    assert s["layout"] == "global_2019"
    assert s["encoding"] == "utf-8-sig"  # the byte-order mark is honoured
    assert (s["rows_read"], s["accepted"], s["rejected"]) == (31, 16, 15)
    assert s["rejected_rows_by_reason"] == {"outside_region": 15}
    assert s["date_min"] == "2019-01-15"
    assert s["date_max"] == "2020-01-11"
    acc = result.accepted.set_index("incident_id")
    # "December 31, 2019" in Bosnia and Herzegovina: jurisdiction from the point (no column)
    assert acc.loc["52756", "date"] == pd.Timestamp("2019-12-31")
    assert acc.loc["52756", "jurisdiction"] == "BA"
    assert acc.loc["52660", "jurisdiction"] == "RS"
    assert acc.loc["52660", "notes"].startswith("Drowning; dead or missing: 6; route: Western")
    assert acc.loc["52677", "verification"] == "confirmed"
    # every accepted date is the date written in the file
    raw = _raw("iom_mmp_global_2019.csv").set_index("Web ID")
    written = pd.to_datetime(raw.loc[acc.index, "Reported Date"], format="%B %d, %Y")
    assert (acc["date"] == written).all()
    # the three Yemen air strikes: their swapped points fall in Bosnia/Croatia; still outside
    yemen = result.rejected[result.rejected["incident_id"].isin(["52661", "52653", "52622"])]
    assert yemen["reason"].tolist() == ["outside_region"] * 3
    assert "swap" not in " ".join(yemen["message"])


def test_global_2026_export() -> None:
    result = _read("iom_mmp_global_2026_layout.csv")
    s = result.summary()
    assert s["layout"] == "global_2026"
    assert (s["rows_read"], s["accepted"], s["rejected"]) == (17, 5, 12)
    assert s["rejected_rows_by_reason"] == {"outside_region": 12}
    acc = result.accepted
    assert acc["incident_id"].tolist() == [
        "2014.MMP00007",
        "2014.MMP00045",
        "2014.MMP00063",
        "2024.MMP0947970,2024.MMP0947971,2024.MMP0947972,2024.MMP0947973,2024.MMP0947974",
        "2024.MMP0950",
    ]
    # month first, as the weekdays say: 01/19/2014 is 19 January, 07/09/2024 is 9 July
    assert [d.date().isoformat() for d in acc["date"]] == [
        "2014-01-19",
        "2014-03-18",
        "2014-04-16",
        "2024-07-09",
        "2024-07-11",
    ]
    assert acc["jurisdiction"].tolist() == ["GR", "GR", "TR", "TR", "BG"]
    # France is named twice per row: the jurisdiction and the point are both outside
    reasons = result.rejected.groupby("source_row")["reason"].count()
    assert reasons.to_dict() == {
        1: 1,
        2: 1,
        4: 1,
        5: 1,
        6: 1,
        7: 2,
        8: 1,
        10: 1,
        12: 1,
        14: 1,
        16: 2,
        17: 1,
    }


def test_global_2026_without_declared_dates_is_refused_not_misread() -> None:
    # the month-first trap: read day first, 01/19/2014 proves month first, so nothing is
    # silently misread (01/06/2014 would become 1 June)
    mapping = {
        "columns": {
            "incident_id": "Incident ID",
            "date": "Incident Date",
            "jurisdiction": "Country of Incident",
            "coordinates": "Coordinates",
        }
    }
    path = IOM / "iom_mmp_global_2026_layout.csv"
    result = routes.read_incidents(path, mapping=mapping, strict=False)
    dates = result.rejected[result.rejected["column"] == "Incident Date"]
    assert dates["source_row"].tolist() == list(range(1, 18))
    assert set(dates["reason"]) == {"invalid_date"}
    assert 'declare [dates] order = "month_first"' in dates["message"].iloc[0]
    month_first = routes.read_incidents(
        path, mapping={**mapping, "dates": {"order": "month_first"}}, strict=False
    )
    assert month_first.accepted["date"].min() == pd.Timestamp("2014-01-19")


def test_europe_layout() -> None:
    result = _read("iom_mmp_europe_wb_subset.csv")
    s = result.summary()
    assert s["layout"] == "europe"
    assert (s["rows_read"], s["accepted"], s["rejected"]) == (275, 272, 3)
    # Incident ID is the id; Main ID would differ on 14 rows of split incidents
    raw = _raw("iom_mmp_europe_wb_subset.csv")
    ids = raw["Incident ID"].drop(index=[2, 20, 21]).tolist()
    assert result.accepted["incident_id"].tolist() == ids
    assert (raw["Main ID"] != raw["Incident ID"]).sum() == 14


def test_split_incidents_sharing_a_main_id_are_not_duplicates(tmp_path: Path) -> None:
    # IOM reuses Main ID across the parts of a split incident (two finds in Calabria)
    raw = _raw("iom_mmp_europe_wb_subset.csv").iloc[[1, 1]].copy()
    raw["Incident ID"] = ["2016.MMP00120.1", "2016.MMP00120.2"]
    raw["Main ID"] = "2016.MMP00120"
    path = tmp_path / "split.csv"
    raw.to_csv(path, index=False)
    result = routes.read_incidents(path, mapping="iom_mmp", strict=False)
    assert result.rows_rejected == 0
    assert result.accepted["incident_id"].tolist() == ["2016.MMP00120.1", "2016.MMP00120.2"]


def test_horn_of_africa_points_are_outside_region_not_swapped() -> None:
    result = _read("iom_mmp_global_2026_layout.csv")
    raw = _raw("iom_mmp_global_2026_layout.csv")
    horn = raw.index[raw["Country of Incident"].isin(HORN)].to_numpy() + 1
    assert len(horn) == 4
    latlon = raw.loc[horn - 1, "Coordinates"].str.split(",", expand=True).astype(float)
    # the test means something: swapped, Djibouti, Somalia and Yemen would lie in the region
    assert in_region(latlon[0].to_numpy(), latlon[1].to_numpy()).sum() >= 3
    rej = result.rejected[result.rejected["source_row"].isin(horn)]
    assert rej["reason"].tolist() == ["outside_region"] * 4
    assert "swap" not in " ".join(rej["message"])
    djibouti = rej[rej["source_row"] == horn[0]]["message"].iloc[0]
    assert "its jurisdiction 'Djibouti' is none of the region's" in djibouti


def test_swap_rule() -> None:
    lon = np.array([44.8125, 43.2391, 44.8125, 17.1, 20.46])
    lat = np.array([20.4612, 17.2454, 20.4612, 43.5, 44.81])
    stated = np.array(["RS", None, None, None, "RS"], dtype=object)
    foreign = np.array([False, True, False, False, False])
    verdict = swap_verdicts(lon, lat, stated=stated, foreign=foreign, mask=np.ones(5, bool))
    # RS stated, swapped in RS: swapped. 'Yemen' stated: outside. No jurisdiction, and the
    # column has more points inside than swapped-inside: outside (taken as written)
    assert verdict.tolist() == ["swapped", "outside", "outside", None, None]
    # a file written longitude first: the column proves it
    all_swapped = swap_verdicts(
        lat[[3, 4]],
        lon[[3, 4]],
        stated=np.array([None, None]),
        foreign=np.zeros(2, bool),
        mask=np.ones(2, bool),
    )
    assert all_swapped.tolist() == ["swapped", "swapped"]
    # a stated jurisdiction the swapped point is not in: outside
    other = swap_verdicts(
        lon[:1],
        lat[:1],
        stated=np.array(["AL"], dtype=object),
        foreign=np.zeros(1, bool),
        mask=np.ones(1, bool),
    )
    assert other.tolist() == ["outside"]


def test_swapped_message_names_the_jurisdiction() -> None:
    frame = pd.DataFrame(
        {
            "incident_id": ["a"],
            "latitude": [20.4612],
            "longitude": [44.8125],
            "jurisdiction": ["RS"],
        }
    )
    rej = routes.incidents_from_frame(frame, strict=False).rejected
    assert rej["reason"].tolist() == ["swapped_coordinates"]
    assert "far from its stated jurisdiction RS" in rej["message"][0]
    assert "swapped (latitude 44.8125, longitude 20.4612) it lies in RS" in rej["message"][0]


def test_unknown_country_suggests_no_jurisdiction() -> None:
    # 'Libya' with a point outside: outside_region only, no vocabulary advice at all
    frame = pd.DataFrame(
        {
            "incident_id": ["a", "b"],
            "latitude": [33.1597, 44.8125],
            "longitude": [15.0, 20.4612],
            "jurisdiction": ["Libya", "Libya"],
        }
    )
    rej = routes.incidents_from_frame(frame, strict=False).rejected
    assert rej[["source_row", "reason"]].values.tolist() == [
        [1, "outside_region"],
        [2, "unknown_vocabulary"],
    ]
    text = " ".join(rej["message"])
    assert '"RS"' not in text
    assert "did you mean" not in text
    assert '"Libya" = "<code>"' in rej["message"].iloc[1]


def test_missing_columns_are_each_named_once(tmp_path: Path) -> None:
    raw = _raw("iom_mmp_europe_wb_subset.csv").drop(columns=["Country of Incident"]).head(3)
    path = tmp_path / "no_country.csv"
    raw.to_csv(path, index=False)
    mapping = {
        "columns": {
            "incident_id": "Incident ID",
            "jurisdiction": "Country of Incident",
            "date": "Incident date",
            "place": "Place of death",
        }
    }
    with pytest.raises(ValidationError) as info:
        routes.read_incidents(path, mapping=mapping)
    problems = info.value.problems
    assert [p.column for p in problems] == ["Country of Incident", "Place of death", None]
    country = problems[0].message
    assert country.count("Country of Incident") == 2  # the key line and the column, once each
    assert "Country of Origin" not in country  # a different meaning: never suggested
    assert "Location of death" not in problems[1].message
    # the file's columns are listed once, in a problem of their own
    assert problems[2].message.startswith("columns in the file: 'Main ID', 'Incident ID'")
    assert sum("'Main ID'" in p.message for p in problems) == 1


def test_file_of_no_known_layout() -> None:
    with pytest.raises(ValidationError) as info:
        routes.read_incidents(IOM / "rules.csv", mapping="iom_mmp")
    problems = info.value.problems
    assert [p.reason for p in problems] == ["missing_column"] * 5
    assert problems[0].message.startswith("the file is not the 'europe' layout")
    # only the required columns (id, date, location) are named, each once, with the closest
    assert "it has no column 'Incident ID' (closest in the file: 'incident_id')" in (
        problems[0].message
    )
    assert "Location of death" not in problems[0].message  # optional: the coordinates suffice
    assert "'global_2019' layout" in problems[3].message
    assert "'Web ID' (none close)" in problems[3].message
    assert "fits none of the 4 layouts" in problems[4].message
    assert len(str(info.value)) < 3000


@pytest.mark.parametrize(
    ("layouts", "match"),
    [
        ({"x": {"columns": {"incident_id": "ID"}}}, r"\[layouts.x\] detect must list the columns"),
        ({"x": {"detect": "ID"}}, r"\[layouts.x\] detect must list the columns"),
        ({"x": {"detect": ["ID"], "colums": {}}}, r"key 'colums' is not known \(did you mean"),
        ({"x": {"detect": ["ID"], "columns": {"incident": "ID"}}}, "is not a canonical column"),
        ({"x": "ID"}, r"\[layouts.x\] must be a table"),
    ],
)
def test_bad_layouts(layouts: dict[str, object], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        routes.load_mapping({"layouts": layouts})


def test_layout_merges_over_the_top_level() -> None:
    m = routes.load_mapping(
        {
            "constants": {"source": "X"},
            "columns": {"place": "Mjesto"},
            "layouts": {"a": {"detect": ["ID"], "columns": {"incident_id": "ID"}}},
        }
    )
    name, detect, layout = m.layouts[0]
    assert (name, detect, layout.layout) == ("a", ("ID",), "a")
    assert layout.columns == {"place": "Mjesto", "incident_id": "ID"}
    assert layout.constants == {"source": "X"}
