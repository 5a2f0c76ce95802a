"""`salw-routes routes` end to end on a small fixture and the bundled network."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from click.testing import CliRunner

from routes.cli import main

FIXTURE = Path(__file__).parents[1] / "fixtures" / "routing" / "cli_incidents.csv"


def _run(*args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    res = runner.invoke(main, ["routes", str(FIXTURE), *args])
    if res.exception and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("cli") / "flows.gpkg"
    code, _stdout, stderr = _run("--out", str(out), "--paths", "--infer", "none")
    assert code == 1, stderr  # row 5 is rejected; the layers are written from the others
    return out, stderr


def test_geopackage_layers(gpkg):
    out, _ = gpkg
    layers = dict(pyogrio.list_layers(out))
    assert layers["route_edges"] == "LineString"
    assert layers["crossing_flows"] == "Point"
    assert layers["chokepoints"] == "Point"
    assert {"routes", "corridor_flows", "pair_flows", "unrouted", "rejected"} <= set(layers)
    edges = gpd.read_file(out, layer="route_edges")
    assert {"incidents", "quantity", "u", "v", "e_road"} <= set(edges.columns)
    assert edges.crs.to_epsg() == 4326
    assert (edges.incidents > 0).all()
    cf = gpd.read_file(out, layer="crossing_flows").set_index("crossing_id")
    # T-1 names Preševo (2 pistols), T-6 names Gradina (3 pistols): certain, whatever the spread
    assert cf.loc["RS-MK-PRESEVO", "incidents"] == pytest.approx(1.0)
    assert cf.loc["RS-MK-PRESEVO", "quantity"] == pytest.approx(2.0)
    assert cf.loc["RS-BG-GRADINA", "incidents"] == pytest.approx(1.0)
    assert cf.loc["RS-BG-GRADINA", "quantity"] == pytest.approx(3.0)
    # Tirana -> Podgorica (T-2) goes mostly through Hani i Hotit
    assert cf.loc["AL-ME-HANI-I-HOTIT", "incidents"] > 0.5
    chokes = gpd.read_file(out, layer="chokepoints")
    assert chokes["rank"].tolist() == list(range(1, len(chokes) + 1))
    assert chokes.incidents.is_monotonic_decreasing


def test_rejected_and_unrouted_rows_are_reported_and_written(gpkg):
    out, stderr = gpkg
    assert "6 rows read, 5 accepted, 1 rejected" in stderr
    assert "row 5, column 'category': unknown category 'banana'" in stderr
    rej = pyogrio.read_dataframe(out, layer="rejected")
    assert rej.source_row.astype(int).tolist() == [5]
    side = out.parent / "flows.rejected.csv"
    assert side.is_file()
    assert "banana" in side.read_text(encoding="utf-8")
    un = pyogrio.read_dataframe(out, layer="unrouted")
    assert un.incident_id.tolist() == ["T-4"]
    assert "only one waypoint" in un.reason.iloc[0]
    assert "1 x only one waypoint (seizure location)" in stderr
    assert "e.g. row 4 (T-4)" in stderr
    # nothing half-written is left behind
    assert sorted(p.name for p in out.parent.iterdir()) == ["flows.gpkg", "flows.rejected.csv"]


def test_time_window_and_geojson_csv_exports(tmp_path):
    code, _stdout, stderr = _run(
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--k",
        "1",
        "--infer",
        "none",
        "--out",
        str(tmp_path / "w.geojson"),
    )
    assert code == 1, stderr
    assert "2 incidents kept, 3 outside the window" in stderr
    cf = gpd.read_file(tmp_path / "w.crossing_flows.geojson")
    assert cf.crossing_id.tolist() == ["RS-BG-GRADINA"]
    assert (tmp_path / "w.route_edges.geojson").is_file()
    assert (tmp_path / "w.pair_flows.csv").is_file()  # no geometry -> CSV
    code, _, stderr = _run(
        "--profile", "least_distance", "--infer", "none", "--out", str(tmp_path / "c.csv")
    )
    assert code == 1, stderr
    assert "banana" in (tmp_path / "c.rejected.csv").read_text(encoding="utf-8")
    text = (tmp_path / "c.route_edges.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("u,v,key,incidents,quantity")
    assert "LINESTRING" in text


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["--out", "x.shp"], "cannot tell the format from 'x.shp'"),
        (["--profile", "fast", "--out", "x.gpkg"], "'fast' is not one of 'avoid_motorways'"),
        (["--from", "yesterday", "--out", "x.gpkg"], "'--from': 'yesterday' is not a date"),
        (["--k", "0", "--out", "x.gpkg"], "k=0 must be an integer >= 1"),
    ],
)
def test_bad_options(tmp_path, args, match):
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    code, _, stderr = _run(*args)
    assert code == 2
    assert match in stderr
    assert not list(tmp_path.iterdir())


def test_unreadable_file_exits_2(tmp_path):
    bad = tmp_path / "incidents.xyz"
    bad.write_text("not an incident file\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["routes", str(bad), "--out", str(tmp_path / "o.gpkg")])
    assert res.exit_code == 2
    assert "incidents.xyz" in res.stderr
    assert not (tmp_path / "o.gpkg").exists()
