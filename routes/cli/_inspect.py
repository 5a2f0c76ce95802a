"""The ``salw-routes inspect`` command: say what a file is and draft the mapping that reads it.

For incidents (the default kind) it prints what :func:`routes.suggest_mapping` found: how the
file was read, each column's type, share of empty cells and examples, the proposed column
mapping with scores, the proposed value synonyms, and how many rows the draft accepts (and
why the others would be rejected). ``--write MAPPING.toml`` writes the draft as a commented
mapping file that ``salw-routes validate -m MAPPING.toml`` uses unchanged. Other kinds:
``questionnaire`` (the columns against the questionnaire format), ``places`` (a places table)
and ``network`` (GraphML, GML or GeoPackage: nodes, edges and their attributes).

Exit status (as ``validate``): 0 when the file was read and described (whatever the draft
would reject), 2 when it cannot be read at all or an option is bad.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from routes.cli._common import (
    EXIT_OK,
    PLACES_META,
    UnusableInput,
    incidents_input,
    json_option,
    processing_errors,
)
from routes.cli._process import collector_paused

if TYPE_CHECKING:
    from routes.incidents import ColumnMapping

__all__ = ["KINDS", "command", "describe_network", "questionnaire_columns"]

KINDS = ("incidents", "questionnaire", "places", "network")


def _header_key(text: str) -> str:
    t = unicodedata.normalize("NFKD", str(text).lstrip("\ufeff").casefold())
    t = "".join(ch for ch in t if not unicodedata.combining(ch)).replace("đ", "d")
    return re.sub(r"[\W_]+", " ", t).strip()


def questionnaire_columns(headers: list[str]) -> dict[str, Any]:
    """Which questionnaire column each header is (score 0-1), and the required ones missing."""
    from rapidfuzz import fuzz

    from routes.questionnaire import QUESTIONNAIRE_COLUMNS

    proposed: dict[str, dict[str, Any]] = {}
    for header in headers:
        h = _header_key(header)
        best: tuple[float, str] | None = None
        for col in QUESTIONNAIRE_COLUMNS:
            for syn in (col.name, *col.synonyms):
                score = fuzz.ratio(h, _header_key(syn)) / 100.0
                if best is None or score > best[0]:
                    best = (score, col.name)
        if best is not None and best[0] >= 0.8 and best[1] not in proposed:
            proposed[best[1]] = {"column": header, "score": round(best[0], 2)}
    required = [c.name for c in QUESTIONNAIRE_COLUMNS if c.required == "yes"]
    return {
        "mapping": proposed,
        "missing_required": [c for c in required if c not in proposed],
        "unmapped": [h for h in headers if h not in {v["column"] for v in proposed.values()}],
    }


def _sniff_network(path: Path) -> str:
    head = path.read_bytes()[:4096]
    if head.startswith(b"SQLite format 3"):
        return "geopackage"
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
    if "<graphml" in text:
        return "graphml"
    stripped = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("#"))
    if stripped.lstrip().startswith(("graph", "Creator", "Version")) and "[" in stripped:
        return "gml"
    raise UnusableInput(
        f"{path}: not a GraphML, GML or GeoPackage file (by its content); a network is a "
        "GraphML file (any extension, e.g. saved by OSMnx), a GML file or a GeoPackage"
    )


def describe_network(path: Path) -> dict[str, Any]:
    """Format (by content), node and edge counts and the attributes of a network file."""
    fmt = _sniff_network(path)
    if fmt == "geopackage":
        import pyogrio

        layers = []
        for name, geom in pyogrio.list_layers(path):
            info = pyogrio.read_info(path, layer=name)
            layers.append(
                {
                    "layer": str(name),
                    "geometry": str(geom),
                    "features": int(info["features"]),
                    "attributes": [str(f) for f in info["fields"]],
                }
            )
        return {"file": str(path), "format": fmt, "layers": layers}
    import networkx as nx

    try:
        graph = nx.read_graphml(path) if fmt == "graphml" else nx.read_gml(path, label=None)
    except Exception as err:  # networkx raises many kinds for broken files
        raise UnusableInput(f"{path}: cannot read the {fmt} file: {err}") from None
    node_attrs = sorted({k for _, d in graph.nodes(data=True) for k in d})
    edge_attrs = sorted({k for *_, d in graph.edges(data=True) for k in d})
    return {
        "file": str(path),
        "format": fmt,
        "directed": graph.is_directed(),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "node_attributes": node_attrs,
        "edge_attributes": edge_attrs,
        "graph_attributes": sorted(str(k) for k in graph.graph),
    }


def _network_text(doc: dict[str, Any]) -> str:
    lines = [f"file:    {doc['file']} ({doc['format']}, recognised by content)"]
    if "layers" in doc:
        for layer in doc["layers"]:
            lines.append(
                f"layer {layer['layer']!r}: {layer['features']:,} {layer['geometry']} features; "
                f"attributes: {', '.join(layer['attributes']) or '(none)'}"
            )
        return "\n".join(lines)
    lines += [
        f"nodes:   {doc['nodes']:,}",
        f"edges:   {doc['edges']:,} ({'directed' if doc['directed'] else 'undirected'})",
        f"node attributes: {', '.join(doc['node_attributes']) or '(none)'}",
        f"edge attributes: {', '.join(doc['edge_attributes']) or '(none)'}",
    ]
    return "\n".join(lines)


def _existing(
    path: Path, mapping: ColumnMapping, sheet: str | None, places: Path | None
) -> dict[str, Any]:
    """How the mapping given with -m reads the file."""
    from routes.incidents import read_incidents

    result = read_incidents(path, mapping=mapping, strict=False, sheet=sheet, places=places)
    s = result.summary()
    return {
        "mapping": s.get("mapping"),
        "rows_read": s["rows_read"],
        "accepted": s["accepted"],
        "rejected": s["rejected"],
        "reasons": s["rejected_rows_by_reason"],
    }


@click.command(name="inspect")
@incidents_input
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default="incidents",
    show_default=True,
    help="What the file is meant to be.",
)
@click.option(
    "--write",
    "write",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="MAPPING.toml",
    help="Write the draft mapping (commented TOML) here; validate -m uses it unchanged.",
)
@json_option
@click.pass_context
@collector_paused
def command(
    ctx: click.Context,
    incidents: Path,
    mapping: ColumnMapping | None,
    sheet: str | None,
    layer: str | None,
    kind: str,
    write: Path | None,
    as_json: bool,
) -> None:
    """Describe INCIDENTS (any table you have) and draft the mapping that reads it.

    Prints how the file was read (encoding, delimiter, header line, title lines), each
    column's type, empty share and examples, the proposed mapping with scores, value synonyms
    and how many rows the draft accepts and why the others would be rejected. With -m, also
    how that mapping reads the file. Exit status 0: described; 2: unreadable or bad option.
    """
    del layer
    places: Path | None = ctx.meta.get(PLACES_META)
    if write is not None and not write.parent.is_dir():
        raise click.BadParameter(
            f"folder {str(write.parent)!r} does not exist; create it or choose another path",
            param_hint="'--write'",
        )
    if write is not None and write.exists() and incidents.exists() and write.samefile(incidents):
        raise click.BadParameter(
            f"{str(write)!r} is the file being inspected; choose another name",
            param_hint="'--write'",
        )
    if kind == "network":
        if write is not None:
            raise click.BadParameter(
                "--write applies to tables, not networks", param_hint="'--write'"
            )
        doc = describe_network(incidents)
        click.echo(json.dumps(doc, ensure_ascii=False) if as_json else _network_text(doc))
        ctx.exit(EXIT_OK)
    doc = _inspect_table(incidents, kind=kind, places=places, sheet=sheet, write=write)
    if mapping is not None and kind == "incidents":
        with processing_errors():
            doc["existing_mapping"] = _existing(incidents, mapping, sheet, places)
    text = doc.pop("_text")
    if as_json:
        click.echo(json.dumps(doc, ensure_ascii=False, default=str))
    else:
        click.echo(text)
        if "existing_mapping" in doc:
            e = doc["existing_mapping"]
            click.echo(
                f"\nwith -m {e['mapping']}: {e['accepted']:,} of {e['rows_read']:,} rows "
                f"accepted; rejected by reason: {e['reasons'] or '(none)'}"
            )
        if write is not None:
            click.echo(
                f"\ndraft mapping written to {write}; next: salw-routes validate "
                f"{incidents} -m {write}"
            )
    ctx.exit(EXIT_OK)


def _inspect_table(
    path: Path, *, kind: str, places: Path | None, sheet: str | None, write: Path | None
) -> dict[str, Any]:
    import routes

    with processing_errors():
        suggestion = routes.suggest_mapping(
            path,
            kind="places" if kind in ("places", "questionnaire") else "incidents",
            places=places,
            sheet=sheet,
        )
    doc = suggestion.to_dict()
    text = suggestion.report()
    if kind == "places":
        with processing_errors():
            own = routes.read_places(path, sheet=sheet)
        summary = own.summary()
        doc["places"] = summary
        refused = ", ".join(f"{k} {v}" for k, v in summary["refused_by_reason"].items())
        text += (
            f"\n\nas a places table: {summary['places']:,} places of {summary['rows_read']:,} "
            f"rows; code column {summary['code_column']!r}, name columns "
            f"{', '.join(summary['name_columns']) or '(none)'}; refused: {refused or '(none)'}"
        )
    if kind == "questionnaire":
        q = questionnaire_columns([c.name for c in suggestion.columns])
        doc["kind"] = "questionnaire"
        doc["questionnaire"] = q
        text += "\n\nquestionnaire columns (score):"
        for name, m in q["mapping"].items():
            text += f"\n  {name:<12} <- {m['column']!r} ({m['score']:.2f})"
        if q["missing_required"]:
            text += f"\n  missing required: {', '.join(q['missing_required'])}"
    if write is not None:
        if kind != "incidents":
            raise click.BadParameter(
                "--write writes an incident mapping; use it with --kind incidents",
                param_hint="'--write'",
            )
        from routes._io import atomic_write_text

        atomic_write_text(write, suggestion.to_toml(write))
        doc["written"] = str(write)
    doc["_text"] = text
    return doc
