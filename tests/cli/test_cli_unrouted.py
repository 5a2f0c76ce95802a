"""`routes` and `map` count the incidents without a route per reason (stderr and --json)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from routes.cli import main

FIXTURE = Path(__file__).parents[1] / "fixtures" / "routing" / "cli_incidents.csv"
REASON = (
    "only one waypoint (seizure location): give an origin, transit, crossing or destination "
    "besides the seizure location to draw a route"
)


def _run(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, list(args))
    if res.exception and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res.exit_code, res.stdout, res.stderr


def test_routes_json_counts_unrouted_by_reason(tmp_path: Path) -> None:
    out = tmp_path / "flows.gpkg"
    code, stdout, stderr = _run(
        "routes", str(FIXTURE), "--out", str(out), "--json", "--infer", "none"
    )
    assert code == 1  # row 5 is rejected (documented exit status 1)
    doc = json.loads(stdout)
    assert (doc["rows_read"], doc["accepted"], doc["rejected"]) == (6, 5, 1)
    assert (doc["routed"], doc["unrouted"]) == (4, 1)
    assert doc["unrouted_by_reason"] == {REASON: 1}
    assert doc["exit_code"] == 1
    assert doc["written"] == [str(out)]
    assert f"1 x {REASON}" in stderr
    assert "1 incident(s) could not be routed (layer 'unrouted'), by reason:" in stderr


def test_map_counts_unrouted_by_reason(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    code, stdout, stderr = _run("map", str(FIXTURE), "--out", str(out), "--json", "--infer", "none")
    assert code == 1
    doc = json.loads(stdout)
    assert (doc["rows_read"], doc["accepted"], doc["rejected"], doc["mapped"]) == (6, 5, 1, 5)
    assert doc["unrouted"] == 1
    assert doc["unrouted_by_reason"] == {REASON: 1}
    assert f"1 x {REASON}" in stderr
    assert "e.g. row 4 (T-4)" in stderr
    assert out.is_file()
    # without --json, stdout keeps its one summary line and stderr the counts
    code, stdout, stderr = _run("map", str(FIXTURE), "--out", str(out), "--infer", "none")
    assert code == 1
    assert stdout.startswith(f"wrote {out}")
    assert f"1 x {REASON}" in stderr


def test_default_inference_leaves_no_seizure_only_row_unrouted(tmp_path: Path) -> None:
    """By default (--infer priors) the seizure-only row is routed on inferred legs."""
    out = tmp_path / "flows.gpkg"
    code, stdout, _stderr = _run("routes", str(FIXTURE), "--out", str(out), "--json")
    assert code == 1  # row 5 is still rejected
    doc = json.loads(stdout)
    assert (doc["routed"], doc["unrouted"]) == (5, 0)
    assert doc["unrouted_by_reason"] == {}
