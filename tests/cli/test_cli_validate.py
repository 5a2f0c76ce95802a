"""The ``salw-routes validate`` command: summary, JSON, rejects file, exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from routes.cli import main


def _run(*args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(main, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_all_accepted_exits_0(fixtures: Path) -> None:
    code, out, _ = _run(str(fixtures / "incidents" / "cyrillic_cp1251.csv"))
    assert code == 0
    assert "rows read:      3" in out
    assert "rejected:       0" in out
    assert "encoding cp1251, delimiter '|'" in out
    assert "jurisdictions:  Serbia 2, North Macedonia 1" in out
    assert "categories:     pistol 1, ammunition 1, hand_grenade 1" in out


def test_some_rejected_exits_1_and_writes_rejects(fixtures: Path, tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.csv"
    code, out, _ = _run(str(fixtures / "incidents" / "rules.csv"), "--rejects", str(rejects))
    assert code == 1
    assert "accepted:       5" in out
    assert "rejected:       21" in out
    assert "invalid_coordinates  5 / 5" in out
    assert "dates:          2023-03-15 .. 2023-06-02 (1 without a date)" in out
    assert "row 19, column 'category': unknown category 'pistoll'; did you mean 'pistol'?" in out
    assert f"rejected rows written to {rejects}" in out
    rej = pd.read_csv(rejects, dtype=str, keep_default_na=False)
    assert len(rej) == 22
    assert rej["source_row"].nunique() == 21
    assert list(rej.columns[:6]) == [
        "source_row",
        "incident_id",
        "reason",
        "column",
        "value",
        "message",
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["rejects.csv"]  # no temp file left


def test_json_is_one_object(fixtures: Path) -> None:
    code, out, _ = _run(
        str(fixtures / "incidents" / "police_bcs_cp1250.csv"), "--mapping", "policija_bcs", "--json"
    )
    assert code == 1
    data = json.loads(out)  # exactly one JSON document
    assert (data["rows_read"], data["accepted"], data["rejected"]) == (8, 5, 3)
    assert data["reasons"] == {
        "impossible_date": 1,
        "invalid_quantity": 1,
        "swapped_coordinates": 1,
    }
    assert data["jurisdictions"] == {"BA": 2, "RS": 1, "ME": 1, "MK": 1}
    assert data["date_min"] == "2023-05-23"
    assert data["mapping"] == "Police register (BCS, Latin)"


def test_iom_file_through_the_cli(fixtures: Path) -> None:
    code, out, _ = _run(
        str(fixtures / "incidents" / "iom_mmp_europe_wb_subset.csv"), "-m", "iom_mmp", "--json"
    )
    assert code == 1
    data = json.loads(out)
    assert (data["rows_read"], data["accepted"], data["rejected"]) == (275, 272, 3)
    assert data["reasons"] == {"outside_region": 3}


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    code, out, err = _run(str(tmp_path / "nope.csv"))
    assert code == 2
    assert "file not found" in err
    assert out == ""
    code, out, _ = _run(str(tmp_path / "nope.csv"), "--json")
    assert code == 2
    data = json.loads(out)
    assert data["rows_read"] == 0
    assert "file not found" in data["error"]
    bad_mapping = tmp_path / "m.toml"
    bad_mapping.write_text("[columns]\nincident_id = 'Nope'\n", encoding="utf-8")
    ok = tmp_path / "ok.csv"
    ok.write_text("ID,latitude,longitude\n1,44.8,20.4\n", encoding="utf-8")
    code, _, err = _run(str(ok), "--mapping", str(bad_mapping))
    assert code == 2
    assert "column 'Nope', which the file does not have" in err
    good = tmp_path / "good.csv"
    good.write_text("incident_id,latitude,longitude\n1,44.8,20.4\n", encoding="utf-8")
    code, _, err = _run(str(good), "--rejects", str(tmp_path / "no" / "dir.csv"))
    assert code == 2
    assert "does not exist" in err


def test_sheet_and_layer_options(tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    xlsx = tmp_path / "x.xlsx"
    with pd.ExcelWriter(xlsx) as xl:
        pd.DataFrame({"a": [1]}).to_excel(xl, sheet_name="intro", index=False)
        pd.DataFrame({"incident_id": ["A"], "place": ["Tuzla"]}).to_excel(
            xl, sheet_name="data", index=False
        )
    code, out, _ = _run(str(xlsx), "--sheet", "data")
    assert code == 0
    assert "sheet 'data'" in out
    code, out, _ = _run(str(xlsx), "--sheet", "1", "--json")
    assert (code, json.loads(out)["jurisdictions"]) == (0, {"BA": 1})
    gpkg = tmp_path / "g.gpkg"
    gdf = gpd.GeoDataFrame({"incident_id": ["A"]}, geometry=[Point(20.46, 44.81)], crs=4326)
    gdf.to_file(gpkg, layer="one", driver="GPKG")
    gdf.to_file(gpkg, layer="two", driver="GPKG")
    code, _, err = _run(str(gpkg))
    assert code == 2
    assert "--layer" in err
    code, out, _ = _run(str(gpkg), "--layer", "two", "--json")
    assert (code, json.loads(out)["layer"]) == (0, "two")


def test_progress_goes_to_stderr(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    n = 60_000
    frame = pd.DataFrame(
        {
            "incident_id": [f"X{i}" for i in range(n)],
            "latitude": [44.8] * n,
            "longitude": [20.4] * n,
            "jurisdiction": ["RS"] * n,
        }
    )
    frame.to_csv(path, index=False)
    code, out, err = _run(str(path), "--json", "--progress")
    assert code == 0
    assert json.loads(out)["accepted"] == n
    assert "validating" in err
    assert "reading" in err
