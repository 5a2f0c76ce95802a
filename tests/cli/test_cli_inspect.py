"""The ``salw-routes inspect`` command: report, JSON, the --write round trip, exit status."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routes.cli import main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BYOF = Path(__file__).resolve().parents[1] / "fixtures" / "incidents" / "byof"
TERROR = BYOF / "terror_export_balkans.csv"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _titled(tmp_path: Path) -> Path:
    path = tmp_path / "zaplene.csv"
    path.write_text(
        "MUP - zaplene oružja\n"
        "Izveštaj 17.06.2022\n"
        "Broj;Datum;Mesto;Vrsta;Kom\n"
        "1;01.03.2022;Niš;pištolj;2\n"
        "2;05.03.2022;Beograd;bomba;1\n"
        "3;07.03.2022;Novi Sad;UKN;1\n",
        encoding="cp1250",
    )
    return path


def test_human_report_says_what_the_file_is(tmp_path: Path) -> None:
    code, out, _ = _run("inspect", str(_titled(tmp_path)))
    assert code == 0
    assert "encoding cp1250, delimiter ';', line ends LF" in out
    assert "header:      line 3 (2 title line(s) above it: 'MUP - zaplene oružja'" in out
    assert "rows:        3" in out
    assert "  Datum  date              0%  '01.03.2022', '05.03.2022', '07.03.2022'" in out
    assert "  Vrsta  text             33%  'pištolj', 'bomba'" in out
    assert "  incident_id     <- 'Broj'  1.00" in out
    assert "  quantity        <- 'Kom'" in out
    assert "read as missing: 'UKN'" in out
    assert "with this draft: 3 of 3 rows accepted (100%), 0 rejected" in out


def test_json_is_one_object(tmp_path: Path) -> None:
    code, out, _ = _run("inspect", str(_titled(tmp_path)), "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["table"]["title_rows"] == ["MUP - zaplene oružja", "Izveštaj 17.06.2022"]
    assert doc["table"]["header_row"] == 3
    assert doc["mapping"]["columns"]["date"] == "Datum"
    assert doc["mapping"]["skip_rows"] == 2
    assert doc["trial"]["accepted"] == 3
    cols = {c["name"]: c for c in doc["columns"]}
    assert cols["Vrsta"]["share_empty"] == pytest.approx(1 / 3, abs=1e-3)
    assert all({"key", "column", "score"} <= set(c) for c in doc["candidates"])


def test_write_round_trip_with_validate(tmp_path: Path) -> None:
    draft = tmp_path / "draft.toml"
    code, out, _ = _run("inspect", str(TERROR), "--write", str(draft))
    assert code == 0
    assert f"draft mapping written to {draft}" in out
    text = draft.read_text(encoding="utf-8")
    assert text.startswith("# Draft column mapping written by `salw-routes inspect`")
    data = tomllib.loads(text)
    assert data["columns"]["incident_id"] == "id"
    assert data["columns"]["category"] == "weapon_type"
    # the columns not used stay visible as commented lines
    for column in ("attack_type", "weapon_subtype", "fatalities_total", "country"):
        assert f'= "{column}"  #' in text
    code, out, _ = _run("validate", str(TERROR), "-m", str(draft), "--json")
    assert code == 1  # some rows are rejected: outside SALW, no location
    summary = json.loads(out)
    assert summary["rows_read"] == 537
    assert summary["accepted"] / summary["rows_read"] >= 0.75
    _, out, _ = _run("inspect", str(TERROR), "--json")
    assert json.loads(out)["trial"]["accepted"] == summary["accepted"]


def test_existing_mapping_is_tried_too(tmp_path: Path) -> None:
    draft = tmp_path / "draft.toml"
    _run("inspect", str(TERROR), "--write", str(draft))
    code, out, _ = _run("inspect", str(TERROR), "-m", str(draft))
    assert code == 0
    assert "\nwith -m Draft mapping for terror_export_balkans.csv: " in out


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    code, _, err = _run("inspect", str(tmp_path / "missing.csv"))
    assert code == 2
    assert "file not found" in err
    bad = tmp_path / "data.xyz"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = _run("inspect", str(bad))
    assert code == 2
    assert "unknown file type" in err
    assert "Traceback" not in err


def test_bad_options_exit_2(tmp_path: Path) -> None:
    code, _, err = _run("inspect", str(TERROR), "--kind", "graph")
    assert code == 2
    assert "'graph' is not one of" in err
    code, _, err = _run("inspect", str(TERROR), "--write", str(tmp_path / "no" / "m.toml"))
    assert code == 2
    assert "does not exist" in err


def test_network_kind_by_content(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node(1, x=20.46, y=44.81)
    g.add_node(2, x=21.90, y=43.32)
    g.add_edge(1, 2, length=237000.0, highway="motorway")
    path = tmp_path / "osmnx_saved.gml"  # GraphML under a .gml name
    nx.write_graphml(g, path)
    code, out, _ = _run("inspect", str(path), "--kind", "network", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["format"] == "graphml"
    assert (doc["nodes"], doc["edges"]) == (2, 1)
    assert doc["node_attributes"] == ["x", "y"]
    assert doc["edge_attributes"] == ["highway", "id", "length"]  # id: the multigraph key
    code, out, _ = _run("inspect", str(path), "--kind", "network")
    assert "(graphml, recognised by content)" in out
    junk = tmp_path / "junk.gml"
    junk.write_text("hello", encoding="utf-8")
    code, _, err = _run("inspect", str(junk), "--kind", "network")
    assert code == 2
    assert "not a GraphML, GML or GeoPackage file" in err


def test_questionnaire_kind_maps_onto_the_format(fixtures: Path) -> None:
    path = fixtures / "questionnaire" / "long_small.csv"
    code, out, _ = _run("inspect", str(path), "--kind", "questionnaire", "--json")
    assert code == 0
    q = json.loads(out)["questionnaire"]
    assert q["mapping"]["jurisdiction"]["column"] == "Država"
    assert q["mapping"]["year"]["column"] == "Godina"
    assert q["missing_required"] == []
    code, out, _ = _run("inspect", str(path), "--kind", "questionnaire")
    assert "  jurisdiction <- 'Država' (1.00)" in out


def test_places_kind_describes(fixtures: Path) -> None:
    code, out, _ = _run("inspect", str(BYOF / "kosovo1999_places.csv"), "--kind", "places")
    assert code == 0
    assert "rows:        77" in out
    assert "latitude   latitude" in out
    assert "proposed mapping" not in out
    assert (
        "as a places table: 76 places of 77 rows; code column 'pcode', name columns "
        "sortname, serbname; refused: invalid_coordinates 1"
    ) in out


def test_places_then_validate_with_places(fixtures: Path, tmp_path: Path) -> None:
    records = fixtures / "incidents" / "kosovo_1999_records.csv"
    places = fixtures / "incidents" / "kosovo_1999_places.csv"
    draft = tmp_path / "kosovo.toml"
    code, out, _ = _run("inspect", str(records), "--places", str(places), "--write", str(draft))
    assert code == 0
    assert "  place           <- 'pcode'" in out
    text = draft.read_text(encoding="utf-8")
    assert "\n[places]" in text
    for extra in ((), ("--places", str(places))):
        code, out, _ = _run("validate", str(records), "-m", str(draft), "--json", *extra)
        summary = json.loads(out)
        assert summary["accepted"] / summary["rows_read"] >= 0.97
        assert summary["date_min"] >= "1998-01-01"
        assert summary["date_max"] <= "1999-12-31"


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=300)
    | st.lists(
        st.lists(
            st.sampled_from(["1", "UKN", "Niš", "01Apr99", "42.1", "a;b", '"x', ""]),
            min_size=1,
            max_size=4,
        ),
        max_size=6,
    ).map(lambda rows: "\n".join(",".join(r) for r in rows).encode("utf-8"))
)
def test_any_bytes_exit_0_or_2_without_a_traceback(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.csv"
        path.write_bytes(data)
        result = CliRunner().invoke(main, ["inspect", str(path), "--json"])
    assert result.exit_code in (0, 2), result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    if result.exit_code == 0:
        doc = json.loads(result.stdout)
        trial = doc["trial"]
        if trial:
            assert trial["accepted"] + trial["rejected"] == trial["rows_read"]
