"""Property-based tests of reading a user's network: any bytes, any GraphML, any lines.

:func:`routes.load_network` either gives a graph in the network conventions or raises
:class:`routes.ValidationError` with a message, for any bytes under a ``.graphml``, ``.gml``
or ``.gpkg`` name, for generated GraphML with random node and edge attributes, and for
generated GeoPackages of lines with random attributes.
"""

from __future__ import annotations

import math
import tempfile
import warnings
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import geopandas as gpd
import networkx as nx
from fixtures.fuzz import FUZZ, any_bytes
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import LineString

import routes
from routes import ValidationError

_DIR = Path(tempfile.mkdtemp(prefix="salw-network-fuzz-"))
_NUMBER = st.one_of(
    st.sampled_from(["20.46", "44.81", "19.8", "42.4", "", "nan", "inf", "-1e400", "abc", "1,5"]),
    st.floats(-200, 200).map(repr),
)
_TEXT = st.one_of(
    _NUMBER,
    st.sampled_from(["", "EPSG:4326", "epsg:3035", "EPSG:99999", "LINESTRING (20 44, 21 45)",
                     "LINESTRING EMPTY", "POINT (1 2)", "LINESTRING (a b)", "road", "rail",
                     "ferry", "true", "False", "E 75", "['motorway', 'trunk']"]),
    st.text(max_size=6),
)  # fmt: skip
_NODE_KEYS = ["x", "y", "kind", "name", "jurisdiction", "crossing_id"]
_EDGE_KEYS = ["length", "length_m", "geometry", "speed_kph", "travel_time", "highway", "mode",
              "oneway", "ref", "int_ref", "motorway", "border", "green_border"]  # fmt: skip


def _load(path: Path) -> nx.MultiDiGraph | ValidationError:
    try:
        return routes.load_network(path=path)
    except ValidationError as err:
        return err


def _check(got: nx.MultiDiGraph | ValidationError) -> None:
    if isinstance(got, ValidationError):
        assert str(got).strip()
        assert all(p.message.strip() for p in got.problems)
        return
    assert got.graph["crs"] == "EPSG:4326"
    for _, d in got.nodes(data=True):
        assert math.isfinite(d["x"]), d
        assert math.isfinite(d["y"]), d


@FUZZ
@given(data=any_bytes, suffix=st.sampled_from([".graphml", ".gml", ".gpkg"]))
def test_any_bytes_as_a_network_file(data: bytes, suffix: str) -> None:
    path = _DIR / f"any{suffix}"
    path.write_bytes(data)
    _check(_load(path))


@st.composite
def _graphml(draw: st.DrawFn) -> str:
    typ = draw(st.sampled_from(["string", "double"]))
    keys = ['<key id="g0" for="graph" attr.name="crs" attr.type="string"/>']
    keys += [f'<key id="n{i}" for="node" attr.name="{k}" attr.type="{"string" if i > 1 else typ}"/>'
             for i, k in enumerate(_NODE_KEYS)]  # fmt: skip
    keys += [f'<key id="e{i}" for="edge" attr.name="{k}" attr.type="string"/>'
             for i, k in enumerate(_EDGE_KEYS)]  # fmt: skip
    ids = draw(st.lists(st.sampled_from(["1", "2", "01", "a", "3", "-4"]), min_size=1, max_size=4))
    body = []
    for n in ids:
        data = draw(st.dictionaries(st.sampled_from(range(len(_NODE_KEYS))), _TEXT, max_size=6))
        cells = "".join(f'<data key="n{k}">{escape(v)}</data>' for k, v in data.items())
        body.append(f"<node id={quoteattr(n)}>{cells}</node>")
    for _ in range(draw(st.integers(0, 4))):
        u, v = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        data = draw(st.dictionaries(st.sampled_from(range(len(_EDGE_KEYS))), _TEXT, max_size=6))
        cells = "".join(f'<data key="e{k}">{escape(v)}</data>' for k, v in data.items())
        body.append(f"<edge source={quoteattr(u)} target={quoteattr(v)}>{cells}</edge>")
    crs = escape(draw(_TEXT))
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">' + "".join(keys)
        + f'<graph edgedefault="{draw(st.sampled_from(["directed", "undirected"]))}">'
        + f'<data key="g0">{crs}</data>' + "".join(body) + "</graph></graphml>"
    )  # fmt: skip


@FUZZ
@given(text=_graphml(), suffix=st.sampled_from([".graphml", ".gml"]))
def test_generated_graphml(text: str, suffix: str) -> None:
    path = _DIR / f"gen{suffix}"
    path.write_text(text, encoding="utf-8")
    _check(_load(path))


_COORD = st.one_of(st.floats(18, 23), st.sampled_from([math.nan, math.inf, 1e308, 0.0]))


@FUZZ.__class__(FUZZ, max_examples=25)
@given(
    lines=st.lists(st.lists(st.tuples(_COORD, _COORD), min_size=2, max_size=3), max_size=4),
    attrs=st.dictionaries(st.sampled_from(["mode", "speed_kph", "oneway", "e_road"]), _TEXT),
)
def test_generated_lines(lines: list[list[tuple[float, float]]], attrs: dict[str, str]) -> None:
    path = _DIR / "gen.gpkg"
    path.unlink(missing_ok=True)
    with warnings.catch_warnings():  # shapely warns on NaN coordinates: that is the point
        warnings.simplefilter("ignore", RuntimeWarning)
        geometry = [LineString(pts) for pts in lines]
    frame = gpd.GeoDataFrame(
        {k: [v] * len(lines) for k, v in attrs.items()}, geometry=geometry, crs=4326
    )
    frame.to_file(path, driver="GPKG")
    _check(_load(path))
