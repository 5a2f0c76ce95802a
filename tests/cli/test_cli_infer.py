"""`salw-routes routes --infer` and `map --infer`: inferred legs on the small CLI fixture."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from click.testing import CliRunner

from routes.cli import main

FIXTURE = Path(__file__).parents[1] / "fixtures" / "routing" / "cli_incidents.csv"


def _run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, [*args])
    if res.exception and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res.exit_code, res.stderr


def test_routes_infer_priors_routes_the_seizure_only_row(tmp_path):
    out = tmp_path / "inf.gpkg"
    code, stderr = _run("routes", str(FIXTURE), "--out", str(out), "--infer", "priors")
    assert code == 1, stderr  # row 5 is rejected (unknown category), the others routed
    assert "routed 5 of 5 incidents" in stderr
    assert "1 of them on inferred legs (--infer priors" in stderr
    layers = dict(pyogrio.list_layers(out))
    assert {"inferred_differences", "inferred_candidates"} <= set(layers)
    diff = gpd.read_file(out, layer="inferred_differences")
    assert {"key", "incidents_recorded", "incidents_inferred", "incidents_all"} <= set(diff.columns)
    assert diff["incidents_inferred"].sum() > 0
    cand = gpd.read_file(out, layer="inferred_candidates")
    assert cand["incident_id"].unique().tolist() == ["T-4"]  # Belgrade, seizure only
    assert cand["probability"].sum() == pytest.approx(1.0)


def test_routes_with_infer_none_says_how_many_could_be_inferred(tmp_path):
    out = tmp_path / "plain.gpkg"
    code, stderr = _run("routes", str(FIXTURE), "--out", str(out), "--infer", "none")
    assert code == 1, stderr
    assert "routed 4 of 5 incidents" in stderr
    assert "1 incident(s) give one waypoint only; --infer priors" in stderr
    assert "inferred_differences" not in dict(pyogrio.list_layers(out))


def test_bad_infer_value_is_a_usage_error(tmp_path):
    code, stderr = _run("routes", str(FIXTURE), "--out", str(tmp_path / "x.gpkg"), "--infer", "all")
    assert code == 2
    assert "Invalid value for '--infer'" in stderr


def test_cli_default_is_the_library_default(tmp_path):
    import routes
    from routes.cli._routes import command

    infer = next(p for p in command.params if p.name == "infer")
    assert infer.default == routes.DEFAULT_INFER == "priors"
    out = tmp_path / "default.gpkg"
    code, stderr = _run("routes", str(FIXTURE), "--out", str(out))
    assert code == 1, stderr
    assert "routed 5 of 5 incidents" in stderr
    assert "1 of them on inferred legs (--infer priors" in stderr
