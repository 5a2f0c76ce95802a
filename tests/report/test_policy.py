"""The sharing-safe policy: every decision where a sharing-safe report differs from a normal one."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import geopandas as gpd
import networkx as nx
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

import routes
from routes.report._policy import InputTrace, SharingPolicy, rounded_graph

HERE = Path(__file__).resolve().parents[1]
FIXTURE = HERE / "fixtures" / "report" / "incidents_small.csv"
SALT = "policy-test-salt"

NORMAL = SharingPolicy(share_safe=False, min_count=5)
SAFE = SharingPolicy(share_safe=True, min_count=5, grid_km=10.0, salt=SALT)


@pytest.fixture(scope="module")
def incidents() -> gpd.GeoDataFrame:
    return routes.read_incidents(FIXTURE)


def _flows() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    edges = gpd.GeoDataFrame(
        {"u": ["a", "b"], "v": ["b", "c"], "incidents": [7.0, 2.5]},
        geometry=[
            LineString([(20.123456, 44.654321), (21.987654, 43.111111)]),
            LineString([(21.987654, 43.111111), (21.4321, 42.0001)]),
        ],
        crs="EPSG:4326",
    )
    crossings = gpd.GeoDataFrame(
        {"crossing_id": ["X1", "X2"], "incidents": [1.0, 9.0]},
        geometry=[Point(19.87654, 42.12345), Point(21.55555, 42.33333)],
        crs="EPSG:4326",
    )
    return edges, crossings


def test_the_policy_is_decided_once() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        SAFE.share_safe = False  # type: ignore[misc]
    assert (NORMAL.suppress, SAFE.suppress) == (None, 5)
    assert SharingPolicy(share_safe=True, min_count=3).suppress == 3


def test_a_normal_report_leaves_everything_as_it_is(incidents: gpd.GeoDataFrame) -> None:
    assert NORMAL.prepare_incidents(incidents) is incidents
    assert NORMAL.notes() == []
    assert NORMAL.map_notes() == []
    assert NORMAL.trace(incidents) is None
    edges, crossings = _flows()
    pub_edges, pub_crossings = NORMAL.public_flows(edges, crossings)
    assert pub_edges is edges
    assert pub_crossings is crossings
    assert NORMAL.print_map_dots(incidents) is incidents
    assert NORMAL.print_map_threshold() is None
    assert NORMAL.print_map_notes() == []
    assert NORMAL.includes_map
    assert not SharingPolicy(interactive=False).includes_map
    assert NORMAL.map_options(incidents=incidents, crossings=crossings, input_name="in.csv") == {
        "source": "in.csv"
    }
    assert NORMAL.manifest_options(profile="least_time", k=3) == {"profile": "least_time", "k": 3}
    assert NORMAL.sources("S.", "in.csv") == "Incidents: in.csv. S."
    graph = nx.MultiDiGraph()
    assert NORMAL.network(graph) is graph
    NORMAL.check_leaks([], None, out=Path("out"))  # no scan, no error


def test_sharing_safe_prepares_generalised_pseudonymised_incidents(
    incidents: gpd.GeoDataFrame,
) -> None:
    safe = SAFE.prepare_incidents(incidents)
    assert len(safe) == len(incidents)
    assert safe["incident_id"].str.fullmatch(r"P-[0-9a-f]{16}").all()
    assert not set(safe["incident_id"]) & set(incidents["incident_id"])
    assert safe["notes"].isna().all()
    assert safe["place"].isna().all()
    assert set(safe.geometry.x.round(6)) != set(incidents.geometry.x.round(6))
    assert (safe.geometry.x.round(3) == safe.geometry.x).all()
    trace = SAFE.trace(incidents)
    assert isinstance(trace, InputTrace)
    assert set(trace.ids) == set(incidents["incident_id"])
    assert incidents.geometry.y.iloc[0] in trace.latitudes


def test_sharing_safe_notes_say_what_changed() -> None:
    notes = SAFE.notes()
    assert len(notes) == 3
    assert "centre of a 10 km grid cell" in notes[0]
    assert "place names" in notes[0]
    assert notes[1].startswith("Counts below 5 are suppressed (shown as '<5')")
    settlement = dataclasses.replace(SAFE, method="settlement").notes()
    assert "nearest settlement" in settlement[0]
    assert "place names" not in settlement[0]
    assert SAFE.sources("S.", "secret_file.csv") == "S."  # the input file is not cited
    assert "routes" in SAFE.sources(None, None).lower()  # the default attribution


def test_sharing_safe_drops_small_flows_and_rounds_them() -> None:
    edges, crossings = _flows()
    pub_edges, pub_crossings = SAFE.public_flows(edges, crossings)
    assert list(pub_edges["u"]) == ["a"]
    assert list(pub_crossings["crossing_id"]) == ["X2"]
    assert list(pub_edges.geometry.iloc[0].coords) == [(20.123, 44.654), (21.988, 43.111)]
    assert (pub_crossings.geometry.x.iloc[0], pub_crossings.geometry.y.iloc[0]) == (21.556, 42.333)
    assert edges.geometry.iloc[0].coords[0] == (20.123456, 44.654321)  # inputs untouched
    assert SAFE.print_map_threshold() == 5.0
    assert "fewer than 5 incidents are not drawn" in SAFE.print_map_notes()[0]


def test_sharing_safe_suppresses_the_tables() -> None:
    summary = pd.DataFrame(
        {
            "jurisdiction": ["AL", "MK", "RS", "ALL"],
            "incidents": [12, 8, 3, 23],
            "quantity": [20, 9, 4, 33],
        }
    )
    corridors = pd.DataFrame({"e_road": ["E75", "E80"], "incidents": [9.0, 1.5]})
    crossings = pd.DataFrame({"crossing_id": ["X1", "X2"], "incidents": [1.0, 9.0]})
    pairs = pd.DataFrame({"from_jurisdiction": ["RS"], "incidents": [2.0]})
    same = NORMAL.suppress_tables(
        {"summary": summary}, corridors=corridors, crossings=crossings, pairs=pairs
    )
    assert same[0]["summary"] is summary
    assert all(a is b for a, b in zip(same[1:], (corridors, crossings, pairs), strict=True))
    tables, corr, cross, pair = SAFE.suppress_tables(
        {"summary": summary}, corridors=corridors, crossings=crossings, pairs=pairs
    )
    # RS (3) is hidden, and MK (8) too: otherwise RS = 23 - 12 - 8 (secondary suppression)
    assert tables["summary"]["incidents"].tolist() == [12, "<5", "<5", 23]
    assert corr["incidents"].tolist() == [9.0, "<5"]
    assert cross["crossing_id"].tolist() == ["X2"]
    assert pair["incidents"].tolist() == ["<5"]


def test_sharing_safe_leaves_the_interactive_map_out_unless_asked(
    incidents: gpd.GeoDataFrame,
) -> None:
    assert not SAFE.includes_map
    assert "--share-safe-map" in SAFE.map_notes()[0]
    with_map = dataclasses.replace(SAFE, share_safe_map=True)
    assert with_map.includes_map
    assert with_map.map_notes() == []
    assert dataclasses.replace(SAFE, interactive=False).map_notes() == []
    _, crossings = _flows()
    options = with_map.map_options(incidents=incidents, crossings=crossings, input_name="in.csv")
    assert "source" not in options  # the input file is not cited
    assert options["crossings"] is crossings
    assert options["incident_style"] == "hex"  # 14 incidents >= 5
    few = with_map.map_options(incidents=incidents.iloc[:2], crossings=crossings, input_name=None)
    assert few["incident_style"] == "heat"
    coords = options["borders"].geometry.get_coordinates()
    assert ((coords.round(3) - coords).abs() < 1e-12).all().all()


def test_sharing_safe_manifest_network_and_leak_scan(tmp_path: Path) -> None:
    assert SAFE.manifest_options(profile="p", k=2) == {
        "profile": "p",
        "k": 2,
        "method": "grid",
        "grid_km": 10.0,
        "min_count": 5,
    }
    graph = nx.MultiDiGraph()
    graph.add_node(1, x=20.123456, y=44.654321)
    graph.add_node(2, x=21.1, y=43.2)
    graph.add_edge(1, 2, geometry=LineString([(20.123456, 44.654321), (21.1, 43.2)]))
    safe_graph = SAFE.network(graph)
    assert safe_graph is not graph
    assert (safe_graph.nodes[1]["x"], safe_graph.nodes[1]["y"]) == (20.123, 44.654)
    assert safe_graph.edges[1, 2, 0]["geometry"].coords[0] == (20.123, 44.654)
    assert graph.nodes[1]["x"] == 20.123456  # the input graph is not changed
    assert rounded_graph(graph).nodes[2] == {"x": 21.1, "y": 43.2}

    trace = InputTrace(ids=("RPT-0001",), latitudes=(44.654321,), longitudes=(20.123456,))
    clean = tmp_path / "clean.txt"
    clean.write_text("44.654 and P-0123456789abcdef\n", encoding="utf-8")
    SAFE.check_leaks([clean], trace, out=tmp_path)
    leaky = tmp_path / "leaky.txt"
    leaky.write_text("row RPT-0001 at 20.1234\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"leaky\.txt: coordinate 20\.1234, incident id"):
        SAFE.check_leaks([clean, leaky], trace, out=tmp_path)
    NORMAL.check_leaks([leaky], trace, out=tmp_path)  # a normal report is not scanned
