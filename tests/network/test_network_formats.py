"""Network files recognised by their content: GraphML under any extension, OSMnx 1.x, GML."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from routes import ValidationError
from routes.network import load_network

NET = Path(__file__).parents[1] / "fixtures" / "network"


@pytest.mark.parametrize("suffix", [".graphml", ".gml", ".xml", ""])
def test_osmnx1_graphml_whatever_its_extension(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"roads{suffix}"
    shutil.copy(NET / "osmnx1_presevo.graphml", path)
    graph = load_network(path=path)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (4, 6)
    assert graph.graph["crs"] == "EPSG:4326"
    # OSMnx 1.x writes `length` (metres, as text): it becomes length_m
    lengths = sorted({round(d["length_m"], 3) for _, _, d in graph.edges(data=True)})
    assert lengths[0] == pytest.approx(15010.731)
    # `highway` as a list's text ("['motorway', 'trunk']") still marks the motorway
    motorway = {(u, v): d["motorway"] for u, v, d in graph.edges(data=True)}
    assert motorway[(1851243301, 1851243417)] is True
    assert motorway[(2480012557, 3044117762)] is False
    assert {d["e_road"] for _, _, d in graph.edges(data=True)} == {"E75"}
    assert graph.nodes[3044117762]["jurisdiction"] == "MK"


def test_the_gml_named_copy_loads() -> None:
    graph = load_network(path=NET / "osmnx1_presevo.gml")
    assert graph.number_of_edges() == 6


def test_true_gml_with_xy_is_read() -> None:
    graph = load_network(path=NET / "presevo_true.gml")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (4, 6)
    assert graph.nodes[2480012557]["jurisdiction"] == "RS"
    # no length in the file: measured on the straight line (Preševo-Kumanovo ~ 20.3 km)
    d = graph.get_edge_data(2480012557, 3044117762)[0]
    assert 19_900 < d["length_m"] < 20_600


def test_true_gml_without_xy_is_refused_in_one_line() -> None:
    with pytest.raises(ValidationError) as info:
        load_network(path=NET / "presevo_no_xy.gml")
    assert len(info.value.problems) == 1
    message = info.value.problems[0].message
    assert "is a GML graph but 4 of its 4 nodes have no 'x'/'y' attributes" in message
    assert "\n" not in message


def test_gml_that_networkx_cannot_parse_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.gml"
    path.write_text("graph [\n  node [ id 1 x 20 y 44 ]\n  edge [ source 1 target \n", "utf-8")
    with pytest.raises(ValidationError, match="looks like GML") as info:
        load_network(path=path)
    assert len(info.value.problems) == 1


def test_unknown_content_and_extension(tmp_path: Path) -> None:
    path = tmp_path / "roads.txt"
    path.write_text("not a network\n", "utf-8")
    with pytest.raises(ValidationError, match="neither GraphML nor GML"):
        load_network(path=path)


def test_ogc_gml_of_lines_goes_to_the_line_reader(tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import LineString

    path = tmp_path / "lines.gml"
    lines = [LineString([(21.0, 42.0), (21.1, 42.1)])]
    gpd.GeoDataFrame({"name": ["a"]}, geometry=lines, crs="EPSG:4326").to_file(path, driver="GML")
    graph = load_network(path=path)
    assert graph.number_of_edges() == 2  # a two-way line


def test_xml_that_is_neither_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "junk.gml"
    path.write_text('<?xml version="1.0"?><foo/>', "utf-8")
    with pytest.raises(ValidationError, match=r"cannot read junk\.gml") as info:
        load_network(path=path)
    assert len(info.value.problems) == 1
