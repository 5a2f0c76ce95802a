"""Sharing-safe mode: generalised points, pseudonyms, no free text, and a scan of every output."""

from __future__ import annotations

import base64
import html
import json
import re
import zlib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from fixtures.report import report_helpers as H  # noqa: N812 - the tests' short name
from pyproj import Transformer
from shapely.geometry import Point

import routes
from routes.cli import main
from routes.report._share_safe import generalise_grid, pseudonymise

HERE = Path(__file__).resolve().parents[1]
FIXTURE = HERE / "fixtures" / "report" / "incidents_small.csv"
SALT = "test-salt-for-the-suite"


@pytest.fixture(scope="module")
def incidents() -> gpd.GeoDataFrame:
    return routes.read_incidents(FIXTURE)


@pytest.fixture(scope="module")
def safe_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One sharing-safe report through the command line (10 km grid, counts below 2 hidden)."""
    out = tmp_path_factory.mktemp("safe") / "report"
    res = CliRunner().invoke(
        main,
        [
            "report",
            str(FIXTURE),
            "--out",
            str(out),
            "--share-safe",
            "--grid-km",
            "10",
            "--min-count",
            "2",
            "--share-safe-map",
            "--marking",
            "RESTRICTED",
        ],
        env={"SALW_ROUTES_SALT": SALT},
    )
    assert res.exit_code == 0, res.output
    return out, res.output


def test_pseudonyms_are_keyed_and_stable() -> None:
    a = pseudonymise(["RPT-0001", "RPT-0002"], salt=b"one long salt")
    assert a == pseudonymise(["RPT-0001", "RPT-0002"], salt=b"one long salt")
    assert a != pseudonymise(["RPT-0001", "RPT-0002"], salt=b"another long salt")
    assert all(re.fullmatch(r"P-[0-9a-f]{16}", p) for p in a)
    assert len(set(a)) == 2
    with pytest.raises(routes.ValidationError, match=r"at least 8 characters.*got 3"):
        routes.share_safe_incidents(routes.read_incidents(FIXTURE), salt="abc")


def test_grid_snaps_to_cell_centres() -> None:
    to_geo = Transformer.from_crs("EPSG:3035", "EPSG:4326", always_xy=True)
    # two points in the 10 km cell x 5_120_000..5_130_000, y 2_230_000..2_240_000, one outside
    pts = [
        to_geo.transform(x, y)
        for x, y in ((5_123_456, 2_234_567), (5_129_999, 2_230_001), (5_131_000, 2_234_567))
    ]
    out = generalise_grid(gpd.GeoSeries([Point(p) for p in pts], crs="EPSG:4326"), grid_km=10)
    centre = to_geo.transform(5_125_000, 2_235_000)
    assert out.iloc[0].x == pytest.approx(round(centre[0], 3), abs=1e-9)
    assert out.iloc[0].y == pytest.approx(round(centre[1], 3), abs=1e-9)
    assert out.iloc[0].equals(out.iloc[1])
    assert not out.iloc[2].equals(out.iloc[0])
    for g in out:
        assert round(g.x, 3) == g.x
        assert round(g.y, 3) == g.y
    with pytest.raises(routes.ValidationError, match=r"grid_km must be a positive number.*got 0"):
        generalise_grid(out, grid_km=0)


def test_share_safe_incidents_fields(incidents: gpd.GeoDataFrame) -> None:
    before = incidents.copy()
    safe = routes.share_safe_incidents(incidents, grid_km=5, salt=SALT)
    pd.testing.assert_frame_equal(incidents, before)  # the input is not modified
    assert len(safe) == len(incidents)
    assert set(safe["incident_id"]) == set(
        pseudonymise(incidents["incident_id"], salt=SALT.encode())
    )
    assert safe["notes"].isna().all()
    assert safe["source"].isna().all()
    assert safe["place"].isna().all()
    dated = safe["date"].dropna()
    assert (dated.dt.day == 1).all()
    assert (safe.loc[dated.index, "date_precision"] == "month").all()
    assert safe["source_row"].tolist() == list(range(1, len(safe) + 1))
    assert safe["incident_id"].is_monotonic_increasing  # sorted by pseudonym, not input order
    assert set(safe["location_precision"]) == {"municipality"}
    assert (safe["latitude"] == safe.geometry.y).all()
    # every point moved by less than a cell diagonal (5 km grid: <= 3.6 km) and more than 0
    a = incidents.set_index(pd.Index(pseudonymise(incidents["incident_id"], salt=SALT.encode())))
    moved = (
        gpd.GeoSeries(a.geometry, crs=4326)
        .to_crs(3035)
        .distance(safe.set_index("incident_id").geometry.to_crs(3035).reindex(a.index))
    )
    assert (moved > 0).all()
    assert (moved < 3_600).all()


def test_settlement_method(incidents: gpd.GeoDataFrame) -> None:
    presevo = routes.load_gazetteer().lookup("Preševo", jurisdiction="RS")
    one = incidents[incidents["incident_id"] == "RPT-0001"].copy()
    near = Point(presevo.longitude + 0.004, presevo.latitude - 0.003)  # ~450 m from the centre
    one = one.set_geometry([near], crs="EPSG:4326")
    safe = routes.share_safe_incidents(one, method="settlement", salt=SALT)
    assert safe.loc[0, "place"] == "Preševo"
    assert safe.geometry.iloc[0].x == round(presevo.longitude, 3)
    assert safe.geometry.iloc[0].y == round(presevo.latitude, 3)
    assert safe.loc[0, "location_precision"] == "settlement"
    with pytest.raises(routes.ValidationError, match=r"method='nearest' is not supported"):
        routes.share_safe_incidents(one, method="nearest")  # type: ignore[arg-type]


def _map_arrays(page: str) -> dict[str, np.ndarray]:
    """Decode the interactive map's packed data block (little-endian typed arrays)."""
    m = re.search(
        r'<script type="application/json" id="salw-data-[^"]*">(.*?)</script>', page, re.S
    )
    assert m, "the map's data block was not found"
    meta = json.loads(m.group(1))
    blob = base64.b64decode(meta["blob"])
    if meta["compressed"]:
        blob = zlib.decompress(blob)
    out = {}
    for name, (kind, offset, size, delta) in meta["columns"].items():
        arr = np.frombuffer(
            blob, dtype=np.dtype(kind).newbyteorder("<"), count=size, offset=offset
        ).copy()
        if delta and size:
            arr = np.cumsum(arr, dtype=arr.dtype)
        out[name] = arr
    return out


def test_no_output_shows_an_input_id_or_coordinate(
    safe_run: tuple[Path, str], incidents: gpd.GeoDataFrame
) -> None:
    out, output = safe_run
    assert "sharing-safe (checked" in output
    files = sorted(p for p in out.rglob("*") if p.is_file())
    kinds = {p.suffix for p in files}
    assert {".html", ".csv", ".md", ".xlsx", ".gpkg", ".svg", ".pdf", ".png", ".json"} <= kinds
    assert not (out / "rejected_rows.csv").exists()
    ids = incidents["incident_id"].tolist()
    lats, lons = incidents["latitude"].tolist(), incidents["longitude"].tolist()
    assert H.scan(files, ids, lats, lons) == []
    # free text of the input never reaches an output
    for p in files:
        text, _ = H.readable(p)
        for secret in (
            "case 17/2021",
            "Marko",
            "2021-0431",
            "door panel",
            "HYPERLINK",
            "onerror=alert",
            "Port police",
        ):
            assert secret not in text, (p.name, secret)
    # the interactive map packs coordinates as 1e-5 degree integers: all are on the 1e-3 grid
    arrays = _map_arrays((out / "maps" / "route_map.html").read_text(encoding="utf-8"))
    coord = {n: a for n, a in arrays.items() if "lon" in n or "lat" in n}
    assert len(coord) >= 4, sorted(arrays)
    for name, values in coord.items():
        assert (values.astype(np.int64) % 100 == 0).all(), name
    srcdoc = (out / "maps" / "route_map.fragment.html").read_text(encoding="utf-8")
    assert _map_arrays(html.unescape(srcdoc)).keys() == arrays.keys()


def test_small_counts_are_suppressed(safe_run: tuple[Path, str]) -> None:
    out, _ = safe_run
    cat = pd.read_csv(out / "tables" / "statistics_by_category.csv", dtype=str)
    xk = cat[cat["jurisdiction"] == "XK"]
    assert xk["incidents"].tolist() == ["<2", "<2"]  # one converted weapon, one pistol
    rs_pistol = cat[(cat["jurisdiction"] == "RS") & (cat["category"] == "pistol")]
    assert rs_pistol["incidents"].item() == "2"  # RPT-0001 and RPT-0008
    annex = (out / "annex.html").read_text(encoding="utf-8")
    assert "Counts below 2 are suppressed" in annex
    assert "generalised to the centre of a 10 km grid cell" in annex
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["share_safe"] is True
    assert manifest["options"]["grid_km"] == 10
    assert SALT not in (out / "manifest.json").read_text(encoding="utf-8")


def test_scanner_finds_leaks_in_every_format(tmp_path: Path, incidents: gpd.GeoDataFrame) -> None:
    """Positive control: the same scan finds input data written in each container format."""
    frame = pd.DataFrame(incidents.drop(columns="geometry"))
    frame.to_excel(tmp_path / "leak.xlsx", index=False)
    incidents[["incident_id", "geometry"]].to_file(tmp_path / "leak.gpkg", driver="GPKG")
    gpd.GeoDataFrame({"n": [1]}, geometry=list(incidents.geometry[:1]), crs=4326).to_file(
        tmp_path / "geom_only.gpkg", driver="GPKG"
    )
    (tmp_path / "leak.html").write_text(f"<p>{incidents['latitude'].iloc[2]:.6f}</p>")
    found = H.scan(
        sorted(tmp_path.iterdir()),
        incidents["incident_id"].tolist(),
        incidents["latitude"].tolist(),
        incidents["longitude"].tolist(),
    )
    assert any(f.startswith("leak.xlsx: id RPT-0001") for f in found)
    assert any(f.startswith("leak.xlsx: coordinate") for f in found)
    assert any(f.startswith("leak.gpkg: id") for f in found)
    assert any(f.startswith("geom_only.gpkg: geometry coordinate") for f in found)
    assert "leak.html: coordinate 42.1352" in found


def test_a_leak_stops_the_run_and_nothing_is_written(
    tmp_path: Path, incidents: gpd.GeoDataFrame
) -> None:
    three = incidents[incidents["incident_id"].isin(["RPT-0001", "RPT-0004", "RPT-0008"])]
    out = tmp_path / "report"
    with pytest.raises(
        RuntimeError,
        match=r"(?s)sharing-safe check failed.*annex\.html: incident "
        r"id 'RPT-0004'",
    ):
        routes.write_report(
            three, out, share_safe=True, interactive=False, extra_notes=["see case RPT-0004"]
        )
    assert list(out.iterdir()) == []  # no file, no staging folder


def test_options_are_checked(incidents: gpd.GeoDataFrame, tmp_path: Path) -> None:
    with pytest.raises(routes.ValidationError, match=r"do not pass result=") as err:
        routes.write_report(incidents, tmp_path, share_safe=True, result=object(), min_count=0)
    assert "min_count must be a whole number >= 1" in str(err.value)
    res = CliRunner().invoke(
        main, ["report", str(FIXTURE), "--out", str(tmp_path), "--share-safe", "--min-count", "0"]
    )
    assert res.exit_code == 2
    assert "--min-count" in res.output


def test_print_map_dots_only_where_a_cell_holds_enough_incidents() -> None:
    from shapely.geometry import Point

    from routes.report._share_safe import populous_cells as _populous_cells

    # three incidents share one generalised point, one is alone, one has no location
    gdf = gpd.GeoDataFrame(
        {"incident_id": ["a", "b", "c", "d", "e"]},
        geometry=[Point(20.1, 44.1), Point(20.1, 44.1), Point(20.1, 44.1), Point(21.0, 42.0), None],
        crs="EPSG:4326",
    )
    assert _populous_cells(gdf, 3)["incident_id"].tolist() == ["a", "b", "c"]
    assert _populous_cells(gdf, 4).empty
    assert _populous_cells(gdf, None)["incident_id"].tolist() == ["a", "b", "c", "d", "e"]
