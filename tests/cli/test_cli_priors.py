"""`--priors` on map, routes and report; the evidence mix in --json, on stderr and in the files.

Fixtures: tests/fixtures/routing/tirana.py (four seizure-only records in Tirana, a questionnaire
reporting AL > MK > GR, a corridor table): every route is inferred from priors (100 %).
"""

from __future__ import annotations

import json
import sqlite3

from click.testing import CliRunner
from fixtures.routing import tirana

from routes.cli import main


def _run(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, [*args])
    if res.exception and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res.exit_code, res.stdout, res.stderr


def test_map_json_carries_the_evidence_and_stderr_warns(tmp_path):
    out = tmp_path / "m.html"
    code, stdout, stderr = _run(
        "map",
        str(tirana.INCIDENTS),
        "--out",
        str(out),
        "--priors",
        str(tirana.QUESTIONNAIRE),
        "--json",
    )
    assert code == 0, stderr
    ev = json.loads(stdout)["evidence"]
    assert ev["percent"] == {"recorded": 0, "inferred_from_records": 0, "inferred_from_priors": 100}
    assert ev["priors"] == "questionnaire tirana_questionnaire.csv"
    assert ev["priors_kind"] == "questionnaire"
    assert ev["priors_dominant"] is True
    assert "priors: questionnaire tirana_questionnaire.csv (reported routes" in stderr
    assert "warning: 100 % of the route frequency comes from priors" in stderr
    assert "--infer none" in stderr
    page = out.read_text(encoding="utf-8")
    assert "100 % from priors: questionnaire tirana_questionnaire.csv" in page


def test_map_without_priors_names_the_bundled_corridors(tmp_path):
    out = tmp_path / "b.html"
    code, stdout, stderr = _run("map", str(tirana.INCIDENTS), "--out", str(out), "--json")
    assert code == 0, stderr
    ev = json.loads(stdout)["evidence"]
    assert ev["priors"] == "bundled corridors"
    assert ev["priors_kind"] == "bundled"
    assert "from priors: bundled corridors" in stderr
    assert "regional modelling assumption (not findings)" in stderr
    assert "from priors: bundled corridors" in out.read_text(encoding="utf-8")


def test_priors_none_infers_from_records_only(tmp_path):
    code, stdout, stderr = _run(
        "map",
        str(tirana.INCIDENTS),
        "--out",
        str(tmp_path / "n.html"),
        "--priors",
        "none",
        "--json",
    )
    assert code == 0, stderr
    doc = json.loads(stdout)
    assert doc["unrouted"] == 4  # nothing recorded to infer from
    assert doc["evidence"]["priors"] is None
    assert "--priors none: no priors" in stderr


def test_routes_corridor_table_json_and_gpkg_layer_description(tmp_path):
    out = tmp_path / "r.gpkg"
    code, stdout, stderr = _run(
        "routes",
        str(tirana.INCIDENTS),
        "--out",
        str(out),
        "--priors",
        str(tirana.CORRIDOR_TABLE),
        "--json",
    )
    assert code == 0, stderr
    ev = json.loads(stdout)["evidence"]
    assert ev["priors"] == "corridor table corridor_table.csv"
    assert ev["priors_kind"] == "table"
    with sqlite3.connect(out) as con:
        desc = dict(con.execute("select table_name, description from gpkg_contents"))
    assert desc["route_edges"] == ev["text"]
    assert desc["crossing_flows"].endswith("100 % from priors: corridor table corridor_table.csv")
    assert not desc["unrouted"]  # a table of rows, not of route frequency


def test_bad_priors_file_is_exit_status_2_with_the_row(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("from,via,to,weight,source\nAL,,Atlantis,1,x\n", encoding="utf-8")
    code, _, stderr = _run(
        "map", str(tirana.INCIDENTS), "--out", str(tmp_path / "x.html"), "--priors", str(bad)
    )
    assert code == 2
    assert "'Atlantis' is not a country, crossing id or place" in stderr


def test_report_uses_the_questionnaire_routes_and_says_so(tmp_path):
    out = tmp_path / "rep"
    code, stdout, stderr = _run(
        "report",
        str(tirana.INCIDENTS),
        "--out",
        str(out),
        "--questionnaire",
        str(tirana.QUESTIONNAIRE),
        "--no-interactive",
        "--json",
    )
    assert code == 0, stderr
    ev = json.loads(stdout)["evidence"]
    assert ev["priors"] == "questionnaire tirana_questionnaire.csv"
    assert "the questionnaire's reported routes are the priors" in stderr
    assert "warning: 100 % of the route frequency comes from priors" in stderr
    page = (out / "annex.html").read_text(encoding="utf-8")
    assert 'class="evidence-banner" role="alert"' in page
    assert "Priors: questionnaire tirana_questionnaire.csv (reported routes" in page
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["evidence"]["priors"] == "questionnaire tirana_questionnaire.csv"


def test_report_priors_bundled_overrides_the_questionnaire(tmp_path):
    out = tmp_path / "rep"
    code, stdout, stderr = _run(
        "report",
        str(tirana.INCIDENTS),
        "--out",
        str(out),
        "--questionnaire",
        str(tirana.QUESTIONNAIRE),
        "--priors",
        "bundled",
        "--no-interactive",
        "--json",
    )
    assert code == 0, stderr
    assert json.loads(stdout)["evidence"]["priors"] == "bundled corridors"
