"""The synthetic sample, its generator, the validation demo and ``salw-routes synth``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import routes
from routes import (
    SYNTHETIC_COLUMNS,
    ValidationError,
    synthesize_bad_rows,
    synthesize_incidents,
    synthetic_sample_path,
    write_incidents,
)
from routes.cli import main
from routes.schema import VOCABULARIES
from routes.synth import BAD_ROWS

SAMPLE = synthetic_sample_path()
BAD = synthetic_sample_path(bad_rows=True)


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    """The committed sample, read as plain text (empty fields as "")."""
    return pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def large() -> pd.DataFrame:
    """A larger table for checking shares and trends."""
    return synthesize_incidents(30_000, seed=5)


# --- the committed files ---------------------------------------------------------------------


def test_committed_files_are_labelled_small_and_up_to_date(repo: Path) -> None:
    assert SAMPLE.name == "synthetic_incidents_sample.csv"
    assert BAD.name == "synthetic_bad_rows.csv"
    assert SAMPLE.stat().st_size < 1_000_000
    proc = subprocess.run(
        [sys.executable, str(repo / "scripts" / "build_sample.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "up to date" in proc.stdout


def test_sample_has_every_column_and_every_vocabulary_value(sample: pd.DataFrame) -> None:
    assert tuple(sample.columns) == SYNTHETIC_COLUMNS
    assert 2000 <= len(sample) <= 3000
    for column, values in VOCABULARIES.items():
        seen = set(sample[column]) - {""}
        assert seen == set(values), (column, set(values) - seen, seen - set(values))
    for column in SYNTHETIC_COLUMNS:
        assert (sample[column] != "").any(), column


def test_sample_is_labelled_synthetic(sample: pd.DataFrame) -> None:
    assert sample["source"].str.startswith("SYNTHETIC").all()
    assert sample["incident_id"].str.startswith("SYN-").all()
    assert sample["incident_id"].is_unique


def test_sample_exercises_the_waypoint_forms(sample: pd.DataFrame) -> None:
    place_only = sample[(sample["latitude"] == "") & (sample["place"] != "")]
    assert len(place_only) >= 100
    assert (place_only["jurisdiction"] != "").all()
    assert sample["transit"].str.contains("|", regex=False).sum() >= 100
    assert sample["crossing"].str.fullmatch(r"[A-Z]{2}-[A-Z]{2,3}-[A-Z0-9-]+").sum() >= 300
    codes = set(sample["destination"][sample["destination"].str.fullmatch("[A-Z]{2}")])
    assert {"DE", "AT", "NL", "SE", "FR", "IT"} <= codes
    assert {"BA", "XK", "RS", "TR"} <= set(sample["origin"])
    # Cyrillic and ASCII-folded spellings as units type them
    assert sample["place"].str.contains("[А-Яа-я]").any()
    assert (sample["place"] == "Nis").any() or (sample["place"] == "Cacak").any()
    # missing dates stay empty; month and year precision; empty quantities mean 1
    assert ((sample["date"] == "") == (sample["date_precision"] == "")).all()
    assert (sample["quantity"] == "").any()
    assert (sample["jurisdiction"] == "").sum() >= 5


def test_crossing_ids_exist_in_the_crossing_table(sample: pd.DataFrame) -> None:
    known = set(routes.load_crossings()["crossing_id"])
    used = set(sample["crossing"]) - {""}
    waypoint_ids = {
        w
        for col in ("origin", "transit", "destination")
        for value in sample[col]
        for w in value.split("|")
        if "-" in w and w.upper() == w
    }
    assert used
    assert used | waypoint_ids <= known, sorted((used | waypoint_ids) - known)


def test_places_resolve_in_the_gazetteer(sample: pd.DataFrame) -> None:
    gaz = routes.load_gazetteer()
    only = sample[sample["latitude"] == ""]
    res = gaz.resolve(only["place"], jurisdictions=only["jurisdiction"])
    assert (res["status"] == "ok").all(), res[res["status"] != "ok"].head()
    names = {
        w
        for col in ("origin", "transit", "destination")
        for value in sample[col]
        for w in value.split("|")
        if w and not (w.isupper() and ("-" in w or len(w) == 2))
    }
    res = gaz.resolve(pd.Series(sorted(names)))
    assert (res["status"] == "ok").all(), res[res["status"] != "ok"]


def test_points_lie_inside_their_jurisdiction(sample: pd.DataFrame) -> None:
    from shapely import contains_xy

    borders = routes.load_borders().set_index("jurisdiction")
    pts = sample[(sample["latitude"] != "") & (sample["jurisdiction"] != "")]
    for code, group in pts.groupby("jurisdiction"):
        inside = contains_xy(
            borders.geometry[code],
            group["longitude"].astype(float).to_numpy(),
            group["latitude"].astype(float).to_numpy(),
        )
        assert inside.all(), (code, group[~inside][["incident_id", "latitude", "longitude"]])


def test_reader_accepts_every_sample_row() -> None:
    gdf = routes.read_incidents(SAMPLE)
    assert len(gdf) == 2500
    assert gdf["source"].str.startswith("SYNTHETIC").all()
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.notna().all()


def test_bad_rows_are_rejected_each_for_its_rule() -> None:
    result = routes.read_incidents(BAD, strict=False)
    n_good = 8
    assert result.rows_read == n_good + len(BAD_ROWS)
    assert len(result.accepted) == n_good
    reasons = result.rejected.groupby("source_row")["reason"].agg(set)
    expected = {n_good + i: {bad.reason} for i, bad in enumerate(BAD_ROWS, start=1)}
    assert reasons.to_dict() == expected
    assert {bad.reason for bad in BAD_ROWS} == set(routes.REJECTION_REASONS)
    with pytest.raises(ValidationError, match="Atlantida"):
        routes.read_incidents(BAD)


# --- the generator ---------------------------------------------------------------------------


def test_same_seed_same_table_other_seed_other_table() -> None:
    a = synthesize_incidents(500, seed=3)
    b = synthesize_incidents(500, seed=3)
    c = synthesize_incidents(500, seed=4)
    pd.testing.assert_frame_equal(a, b)
    assert not a["incident_id"].equals(c["incident_id"]) or not a["place"].equals(c["place"])


def test_generator_output_types() -> None:
    df = synthesize_incidents(300, seed=1, start="2021-01-01", end="2021-12-31")
    assert tuple(df.columns) == SYNTHETIC_COLUMNS
    assert pd.api.types.is_datetime64_any_dtype(df["date"])
    assert df["date"].dropna().between("2021-01-01", "2021-12-31").all()
    assert str(df["quantity"].dtype) == "Int64"
    assert (df["quantity"].dropna() >= 1).all()
    assert synthesize_incidents(0).shape == (0, len(SYNTHETIC_COLUMNS))


def test_shares_follow_the_cited_facts(large: pd.DataFrame) -> None:
    share = large["event"].value_counts(normalize=True)
    assert 0.45 <= share["seizure"] <= 0.56  # "about half are seizures" (SEESAC AVMP)
    illegal = large["notes"].fillna("").str.startswith("Illegal possession").mean()
    assert 0.6 <= illegal <= 0.8  # "72 % involve illegal possession"
    q = large.groupby("category")["quantity"].median()
    assert q["ammunition"] >= 80
    assert q["pistol"] == 1
    assert large.loc[large["category"] == "pistol", "quantity"].max() <= 8
    assert large.loc[large["category"] == "ammunition", "quantity"].quantile(0.9) >= 400


def test_volumes_and_trends(large: pd.DataFrame) -> None:
    domestic = large[large["origin"].isna() & large["crossing"].isna()]
    per_j = domestic["jurisdiction"].value_counts()
    assert per_j.index[0] == "RS"
    assert per_j["RS"] > per_j["BA"] > per_j["ME"]
    years = large["date"].dt.year.value_counts()
    assert years[2020] < years[2019] < years[2023]
    months = large["date"].dt.month.value_counts()
    assert months[8] > months[2]
    green = large[large["modus_operandi"] == "on_foot"]
    assert (green["migrants_involved"] == "yes").mean() > 0.3
    assert (large["migrants_involved"] == "yes").mean() < 0.1


def test_ferries_boats_air_and_parcels_use_their_ports(large: pd.DataFrame) -> None:
    by_mode = large.groupby("modus_operandi")["crossing"].agg(lambda s: set(s.dropna()))
    assert "AL-SEA-DURRES" in set().union(*by_mode[["private_vehicle", "truck", "bus"]])
    assert by_mode["air"] <= {"RS-AIR-BEOGRAD", "AL-AIR-TIRANA"}
    assert by_mode["train"] <= {"RS-HR-RAIL-SID"}
    parcels = large[large["modus_operandi"] == "parcel_post"]["category"].value_counts()
    assert set(parcels.index[:3]) <= {"parts_components", "blank_firing_weapon", "ammunition"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": -1}, "non-negative integer"),
        ({"n": 2.5}, "non-negative integer"),
        ({"n": 10, "end": "2999-01-01"}, "in the future"),
        ({"n": 10, "start": "2024-01-01", "end": "2023-01-01"}, "after end"),
    ],
)
def test_generator_rejects_bad_arguments(kwargs: dict, message: str) -> None:
    n = kwargs.pop("n")
    with pytest.raises(ValueError, match=message):
        synthesize_incidents(n, **kwargs)


def test_bad_rows_need_a_good_row() -> None:
    with pytest.raises(ValueError, match="good_rows must be at least 1"):
        synthesize_bad_rows(good_rows=0)


# --- writing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["x.csv", "x.xlsx", "x.gpkg", "x.geojson", "x.parquet"])
def test_write_incidents_every_format_reads_back(tmp_path: Path, name: str) -> None:
    df = synthesize_incidents(120, seed=9)
    assert df["latitude"].isna().any()  # place-only rows are part of the round trip
    path = write_incidents(df, tmp_path / name)
    assert path.is_file()
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left behind
    gdf = routes.read_incidents(path)
    assert list(gdf["incident_id"]) == list(df["incident_id"])
    assert gdf.geometry.notna().all()


def test_write_incidents_refuses_unknown_suffix_and_huge_excel(tmp_path: Path) -> None:
    df = synthesize_incidents(5, seed=1)
    with pytest.raises(ValueError, match=r"unknown suffix '\.txt'"):
        write_incidents(df, tmp_path / "x.txt")
    with pytest.raises(ValueError, match=r"unknown suffix '\.gz'"):
        write_incidents(df, tmp_path / "x.csv.gz")
    huge = pd.DataFrame({"incident_id": np.arange(1_048_576)})
    with pytest.raises(ValueError, match="Excel holds at most"):
        write_incidents(huge, tmp_path / "x.xlsx")
    assert list(tmp_path.iterdir()) == []


# --- the command -----------------------------------------------------------------------------


def test_cli_synth_writes_a_reproducible_file(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "s.csv"
    res = runner.invoke(main, ["synth", "--rows", "120", "--seed", "11", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "wrote 120 synthetic incidents" in res.output
    assert "SYNTHETIC" in res.output
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    expected = synthesize_incidents(120, seed=11)
    assert list(written["incident_id"]) == list(expected["incident_id"])


def test_cli_synth_bad_rows(tmp_path: Path) -> None:
    out = tmp_path / "bad.csv"
    res = CliRunner().invoke(main, ["synth", "--bad-rows", "--rows", "3", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert len(pd.read_csv(out, dtype=str, keep_default_na=False)) == 3 + len(BAD_ROWS)


def test_cli_synth_reports_bad_options(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["synth", "--rows", "3", "--out", str(tmp_path / "a.txt")])
    assert res.exit_code == 2  # a bad option, as for every command
    assert "unknown suffix '.txt'" in res.output
    res = CliRunner().invoke(main, ["synth", "--rows", "-3", "--out", str(tmp_path / "a.csv")])
    assert res.exit_code == 2
    assert "-3" in res.output
    res = CliRunner().invoke(
        main, ["synth", "--start", "2020-13-01", "--out", str(tmp_path / "a.csv")]
    )
    assert res.exit_code == 2
    assert "Invalid value for '--start'" in res.output
    assert list(tmp_path.iterdir()) == []


def test_data_readme_counts_match_the_sample(repo: Path, sample: pd.DataFrame) -> None:
    text = (repo / "data" / "README.md").read_text(encoding="utf-8")
    section = text.split("<!-- section: incidents -->")[1].split("<!-- end section: incidents -->")[
        0
    ]
    flat = " ".join(section.split())
    for code, count in sample["jurisdiction"].value_counts().items():
        label = "empty (derived from the point)" if code == "" else code.replace("XK", "XK\\*")
        assert f"{label} {count:,}" in flat, (code, count)
    for event, count in sample["event"].value_counts().items():
        assert f"{event} {count:,}" in flat, (event, count)
    assert f"{(sample['latitude'] == '').sum()} place-only rows" in flat
    assert f"{(sample['crossing'] != '').sum()} with a crossing id" in flat
    assert f"{(sample['transit'] != '').sum()} with a transit list" in flat
    assert f"{(sample['date'] == '').sum()} without a date" in flat
