"""Network files recognised by their content, not their extension.

GraphML (OSMnx 1.x and 2.x, networkx) is XML whose root is ``<graphml``: it is read as GraphML
whatever the file is called (``.graphml``, ``.gml``, ``.xml``). A true GML file (the text format
``graph [ node [ id 0 ... ] edge [ source 0 target 1 ... ] ]``) is read with networkx when its
nodes carry ``x``/``y`` (longitude/latitude, or the graph's ``crs``), else refused with one line
saying what is missing. Anything else goes by extension to the line readers (an OGC GML feature
file ``.gml`` is one of them).
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx

from routes._errors import Problem, ValidationError
from routes.network._io import graph_from_raw

__all__ = ["network_format", "read_gml"]

_HEAD_BYTES = 8192
_GML_START = re.compile(rb"^(?:\s*(?:#[^\n]*\n|Creator\s+\"[^\"]*\"|Version\s+\S+))*\s*graph\s*\[")


def network_format(path: Path) -> str | None:
    """Return ``"graphml"``, ``"gml"`` or None (not recognised: go by extension).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "roads.gml"
    >>> _ = p.write_text('<?xml version="1.0"?><graphml xmlns="http://graphml..."/>')
    >>> network_format(p)
    'graphml'
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except OSError:
        return None
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        head = head.lstrip(b"\xef\xbb\xbf")
    if b"<graphml" in head:
        return "graphml"
    if _GML_START.match(head):
        return "gml"
    return None


def read_gml(path: Path) -> nx.MultiDiGraph:
    """Read a GML graph whose nodes carry ``x``/``y``; refuse it with one line otherwise."""
    file = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        # GML is ASCII with &#...; entities; files written as UTF-8 are read all the same
        ascii_text = "".join(ch if ord(ch) < 128 else f"&#{ord(ch)};" for ch in text)
        raw = nx.parse_gml(ascii_text.splitlines(), label="id")
    except Exception as exc:  # networkx raises NetworkXError, ValueError, UnicodeDecodeError...
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ValidationError(
            Problem(
                f"{path.name} looks like GML (graph [ node [ ... ] ]) but networkx cannot read "
                f"it: {first}; save the graph as GraphML (osmnx.save_graphml or "
                "networkx.write_graphml) or as a GeoPackage of lines",
                file=file,
                reason="unreadable",
            )
        ) from None
    nodes = raw.number_of_nodes()
    without = [n for n, d in raw.nodes(data=True) if "x" not in d or "y" not in d]
    if not nodes or without:
        what = (
            "no nodes"
            if not nodes
            else f"{len(without):,} of its {nodes:,} nodes have no 'x'/'y' attributes "
            f"(node {without[0]!r} for one)"
        )
        raise ValidationError(
            Problem(
                f"{path.name} is a GML graph but {what}; a network needs each node's "
                "longitude 'x' and latitude 'y' (or coordinates in the graph's 'crs'): add them, "
                "or save the graph as GraphML with osmnx.save_graphml",
                file=file,
                column="x",
                reason="missing_column",
            )
        )
    return graph_from_raw(raw, file)
