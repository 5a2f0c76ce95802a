"""Layouts chosen by best fit: the IOM 2026 global export (22 columns, no country column)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import routes
from routes import ValidationError
from routes.geo import in_region

IOM = Path(__file__).parents[1] / "fixtures" / "incidents"
EXPORT = IOM / "iom_mmp_global_2026_export.csv"
HEADER = (
    '"Main ID","Incident ID",Region,"Incident Date",Year,"Reported Month","Number Dead",'
    '"Minimum Estimated Number of Missing","Number of Survivors","Number of Females",'
    '"Number of Males","Number of Children","Region of Origin","Cause of Death",'
    '"Country of Origin","Location of death","Information Source",Coordinates,'
    '"Migration route",URL,"UNSD Geographical Grouping","Source Quality"'
)


def _raw() -> pd.DataFrame:
    return pd.read_csv(EXPORT, dtype=str, keep_default_na=False)


def test_fixture_has_the_real_header() -> None:
    assert EXPORT.read_text(encoding="utf-8").splitlines()[0] == HEADER


def test_every_row_inside_the_region_is_accepted() -> None:
    result = routes.read_incidents(EXPORT, mapping="iom_mmp", strict=False)
    s = result.summary()
    assert s["layout"] == "global_2026_export"
    raw = _raw()
    latlon = raw["Coordinates"].str.split(",", expand=True).astype(float)
    inside = in_region(latlon[1].to_numpy(), latlon[0].to_numpy())  # lon, lat
    assert (s["rows_read"], int(inside.sum())) == (39, 27)
    assert s["accepted"] == 27
    assert s["rejected_rows_by_reason"] == {"outside_region": 12}
    assert result.accepted["incident_id"].tolist() == raw["Incident ID"][inside].tolist()
    # the ISO dates are the file's; the jurisdiction comes from the point
    written = pd.to_datetime(raw["Incident Date"][inside], format="%Y-%m-%d")
    assert (result.accepted["date"].to_numpy() == written.to_numpy()).all()
    acc = result.accepted.set_index("incident_id")
    assert acc.loc["2015.MMP00470", "jurisdiction"] == "RS"  # near Presevo
    assert acc.loc["2015.MMP00470", "place"] == "highway near near Presevo, Serbia"
    assert acc.loc["2015.MMP00470", "notes"].startswith(
        "Vehicle accident / death linked to hazardous transport; dead: 1; missing: 0; route: "
        "Western Balkans"
    )


def test_optional_columns_are_never_required(tmp_path: Path) -> None:
    # without "Location of death", "Source Quality" and the note columns: still read
    raw = _raw().drop(columns=["Location of death", "Source Quality", "Cause of Death", "URL"])
    path = tmp_path / "thin.csv"
    raw.to_csv(path, index=False)
    result = routes.read_incidents(path, mapping="iom_mmp", strict=False)
    assert result.summary()["layout"] == "global_2026_export"
    assert len(result.accepted) == 27
    assert result.accepted["notes"].iloc[0].startswith("dead: 1; missing: 0; route: Western")


def test_best_fit_beats_file_order(tmp_path: Path) -> None:
    # a file with both layouts' columns: the one with more of its columns wins
    raw = _raw().assign(**{"Country of Incident": "Serbia"})
    path = tmp_path / "both.csv"
    raw.to_csv(path, index=False)
    result = routes.read_incidents(path, mapping="iom_mmp", strict=False)
    assert result.summary()["layout"] == "global_2026_export"


def test_missing_required_column_is_named_once_with_the_closest(tmp_path: Path) -> None:
    raw = _raw().rename(columns={"Coordinates": "Coordinate"})
    path = tmp_path / "renamed.csv"
    raw.to_csv(path, index=False)
    with pytest.raises(ValidationError) as info:
        routes.read_incidents(path, mapping="iom_mmp")
    export = next(p for p in info.value.problems if "'global_2026_export'" in p.message)
    assert export.message.endswith("no column 'Coordinates' (closest in the file: 'Coordinate')")
    assert export.message.count("Coordinates") == 1
