"""salw-routes: small-arms and light-weapons trafficking routes in the Western Balkans.

The package reads like the pipeline, load -> network -> routes -> analysis -> maps/report, one
subpackage a stage, low to high::

    base           routes._errors, _constants, _crs, _io, _paths, _pdcompat, schema
      |
    geo            borders, crossings, region, gazetteer, route facts  (reference geography)
      |
    incidents      readers, mappings, parsers, validation    (load: file -> canonical incidents)
      |
    network        the routable multimodal graph             (network)
      |
    routing        profiles, result, engine                  (routes: incidents x graph -> paths)
      |
    analysis       flows, choke points, what-if, statistics  (analysis)
      |
    maps           interactive offline HTML maps, choropleth (maps)
      |
    questionnaire  per-jurisdiction statistics: read, check, compare, reconcile
      |
    report         figures, sharing-safe policy, the annex   (report)
      |
    synth          the synthetic sample;  cli  the ``salw-routes`` command over all of them

A module imports only from its own stage, from lower stages through their face
(``from routes.routing import graph_index``; never their ``_private`` modules or names) and from
the base modules; never its own stage's face nor this package (the CLI excepted).
tests/base/test_architecture.py checks it. Everything public is importable from here
(``routes.read_incidents``, ``routes.route_map``...).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names as mypy and editors see them; at run time they load lazily
    from routes._constants import (
        ADM0_A3_TO_ISO,
        ALL_JURISDICTIONS,
        JURISDICTION_NAMES,
        KOSOVO_FOOTNOTE,
        NEIGHBOURS,
        WESTERN_BALKANS,
        display_name,
    )
    from routes._errors import (
        Problem,
        ValidationError,
    )
    from routes.analysis import (
        STAT_DIMENSIONS,
        WhatIfResult,
        chokepoints,
        compare_inferred,
        compare_periods,
        corridor_flows,
        crossing_flows,
        edge_flows,
        evidence_classes,
        evidence_mix,
        flow_betweenness,
        jurisdiction_breakdown,
        jurisdiction_summary,
        jurisdiction_tables,
        min_cut,
        pair_flows,
        path_flows,
        suppress_small_counts,
        tables_to_markdown,
        what_if,
        write_tables,
    )
    from routes.geo import (
        DOMINANCE_FACTOR,
        SAME_PLACE_KM,
        AmbiguousPlaceError,
        Gazetteer,
        Place,
        PlaceNotFoundError,
        country_code,
        load_border_lines,
        load_borders,
        load_crossings,
        load_gazetteer,
        normalize_name,
    )
    from routes.incidents import (
        ColumnMapping,
        IncidentReadResult,
        MappingSuggestion,
        PlacesTable,
        bundled_mappings,
        incidents_from_frame,
        load_mapping,
        read_incidents,
        read_places,
        suggest_mapping,
        write_rejects,
    )
    from routes.maps import (
        CLUSTER_MAX,
        HEAT_MAX,
        choropleth_map,
        route_map,
        save_map,
    )
    from routes.network import (
        attach_crossings,
        crossing_nodes,
        graph_from_gdfs,
        graph_to_gdfs,
        load_network,
        nearest_node,
        nearest_nodes,
    )
    from routes.questionnaire import (
        INCONSISTENCY_KINDS,
        INDICATORS,
        QUESTIONNAIRE_REASONS,
        QuestionnaireReadResult,
        load_population,
        questionnaire_markdown,
        questionnaire_template_path,
        read_questionnaire,
        write_questionnaire_template,
    )
    from routes.report import (
        FIGURE_FORMATS,
        Report,
        category_chart,
        route_frequency_map,
        save_figure,
        share_safe_incidents,
        top_flows_chart,
        trend_chart,
        write_report,
    )
    from routes.routing import (
        COUNTRY_GATEWAYS,
        COUNTRY_HUBS,
        COUNTRY_RULES_DOC,
        DEFAULT_INFER,
        DEFAULT_K,
        DEFAULT_THETA,
        GATEWAY_POINTS,
        INFER_MODES,
        INFERENCE_DOC,
        PROFILES,
        ROAD_ONLY,
        CostProfile,
        RouteResult,
        get_profile,
        inference_calibration,
        route_between,
        route_incidents,
    )
    from routes.schema import (
        CANONICAL_COLUMNS,
        REJECTION_REASONS,
        SCHEMA,
        SYNONYMS,
        VOCABULARIES,
        ColumnSpec,
        Vocabulary,
        schema_markdown,
        synonyms_markdown,
        vocabularies,
    )
    from routes.synth import (
        SYNTHETIC_COLUMNS,
        SYNTHETIC_SOURCE_PREFIX,
        synthesize_bad_rows,
        synthesize_incidents,
        synthesize_questionnaire,
        synthetic_questionnaire_path,
        synthetic_sample_path,
        write_incidents,
        write_synthetic_questionnaire,
    )

#: The public API: the 96 names of before the stage subpackages, plus the questionnaire's
#: (issue 13) and the inference of missing legs (issue 12).
__all__ = [
    "ADM0_A3_TO_ISO",
    "ALL_JURISDICTIONS",
    "CANONICAL_COLUMNS",
    "CLUSTER_MAX",
    "COUNTRY_GATEWAYS",
    "COUNTRY_HUBS",
    "COUNTRY_RULES_DOC",
    "DEFAULT_INFER",
    "DEFAULT_K",
    "DEFAULT_THETA",
    "DOMINANCE_FACTOR",
    "FIGURE_FORMATS",
    "GATEWAY_POINTS",
    "HEAT_MAX",
    "INCONSISTENCY_KINDS",
    "INDICATORS",
    "INFERENCE_DOC",
    "INFER_MODES",
    "JURISDICTION_NAMES",
    "KOSOVO_FOOTNOTE",
    "NEIGHBOURS",
    "PROFILES",
    "QUESTIONNAIRE_REASONS",
    "REJECTION_REASONS",
    "ROAD_ONLY",
    "SAME_PLACE_KM",
    "SCHEMA",
    "STAT_DIMENSIONS",
    "SYNONYMS",
    "SYNTHETIC_COLUMNS",
    "SYNTHETIC_SOURCE_PREFIX",
    "VOCABULARIES",
    "WESTERN_BALKANS",
    "AmbiguousPlaceError",
    "ColumnMapping",
    "ColumnSpec",
    "CostProfile",
    "Gazetteer",
    "IncidentReadResult",
    "MappingSuggestion",
    "Place",
    "PlaceNotFoundError",
    "PlacesTable",
    "Problem",
    "QuestionnaireReadResult",
    "Report",
    "RouteResult",
    "ValidationError",
    "Vocabulary",
    "WhatIfResult",
    "__version__",
    "attach_crossings",
    "bundled_mappings",
    "category_chart",
    "chokepoints",
    "choropleth_map",
    "compare_inferred",
    "compare_periods",
    "corridor_flows",
    "country_code",
    "crossing_flows",
    "crossing_nodes",
    "display_name",
    "edge_flows",
    "evidence_classes",
    "evidence_mix",
    "flow_betweenness",
    "get_profile",
    "graph_from_gdfs",
    "graph_to_gdfs",
    "incidents_from_frame",
    "inference_calibration",
    "jurisdiction_breakdown",
    "jurisdiction_summary",
    "jurisdiction_tables",
    "load_border_lines",
    "load_borders",
    "load_crossings",
    "load_gazetteer",
    "load_mapping",
    "load_network",
    "load_population",
    "min_cut",
    "nearest_node",
    "nearest_nodes",
    "normalize_name",
    "pair_flows",
    "path_flows",
    "questionnaire_markdown",
    "questionnaire_template_path",
    "read_incidents",
    "read_places",
    "read_questionnaire",
    "route_between",
    "route_frequency_map",
    "route_incidents",
    "route_map",
    "save_figure",
    "save_map",
    "schema_markdown",
    "share_safe_incidents",
    "suggest_mapping",
    "suppress_small_counts",
    "synonyms_markdown",
    "synthesize_bad_rows",
    "synthesize_incidents",
    "synthesize_questionnaire",
    "synthetic_questionnaire_path",
    "synthetic_sample_path",
    "tables_to_markdown",
    "top_flows_chart",
    "trend_chart",
    "vocabularies",
    "what_if",
    "write_incidents",
    "write_questionnaire_template",
    "write_rejects",
    "write_report",
    "write_synthetic_questionnaire",
    "write_tables",
]

#: Where each public name lives: ``routes.X`` imports its stage on first use (PEP 562).
_SOURCES: dict[str, tuple[str, ...]] = {
    "routes._constants": (
        "ADM0_A3_TO_ISO",
        "ALL_JURISDICTIONS",
        "JURISDICTION_NAMES",
        "KOSOVO_FOOTNOTE",
        "NEIGHBOURS",
        "WESTERN_BALKANS",
        "display_name",
    ),
    "routes._errors": (
        "Problem",
        "ValidationError",
    ),
    "routes.analysis": (
        "STAT_DIMENSIONS",
        "WhatIfResult",
        "chokepoints",
        "compare_inferred",
        "compare_periods",
        "corridor_flows",
        "crossing_flows",
        "edge_flows",
        "evidence_classes",
        "evidence_mix",
        "flow_betweenness",
        "jurisdiction_breakdown",
        "jurisdiction_summary",
        "jurisdiction_tables",
        "min_cut",
        "pair_flows",
        "path_flows",
        "suppress_small_counts",
        "tables_to_markdown",
        "what_if",
        "write_tables",
    ),
    "routes.geo": (
        "DOMINANCE_FACTOR",
        "SAME_PLACE_KM",
        "AmbiguousPlaceError",
        "Gazetteer",
        "Place",
        "PlaceNotFoundError",
        "country_code",
        "load_border_lines",
        "load_borders",
        "load_crossings",
        "load_gazetteer",
        "normalize_name",
    ),
    "routes.incidents": (
        "ColumnMapping",
        "IncidentReadResult",
        "MappingSuggestion",
        "PlacesTable",
        "bundled_mappings",
        "incidents_from_frame",
        "load_mapping",
        "read_incidents",
        "read_places",
        "suggest_mapping",
        "write_rejects",
    ),
    "routes.maps": (
        "CLUSTER_MAX",
        "HEAT_MAX",
        "choropleth_map",
        "route_map",
        "save_map",
    ),
    "routes.network": (
        "attach_crossings",
        "crossing_nodes",
        "graph_from_gdfs",
        "graph_to_gdfs",
        "load_network",
        "nearest_node",
        "nearest_nodes",
    ),
    "routes.questionnaire": (
        "INCONSISTENCY_KINDS",
        "INDICATORS",
        "QUESTIONNAIRE_REASONS",
        "QuestionnaireReadResult",
        "load_population",
        "questionnaire_markdown",
        "questionnaire_template_path",
        "read_questionnaire",
        "write_questionnaire_template",
    ),
    "routes.report": (
        "FIGURE_FORMATS",
        "Report",
        "category_chart",
        "route_frequency_map",
        "save_figure",
        "share_safe_incidents",
        "top_flows_chart",
        "trend_chart",
        "write_report",
    ),
    "routes.routing": (
        "COUNTRY_GATEWAYS",
        "COUNTRY_HUBS",
        "COUNTRY_RULES_DOC",
        "DEFAULT_INFER",
        "DEFAULT_K",
        "DEFAULT_THETA",
        "GATEWAY_POINTS",
        "INFER_MODES",
        "INFERENCE_DOC",
        "PROFILES",
        "ROAD_ONLY",
        "CostProfile",
        "RouteResult",
        "get_profile",
        "inference_calibration",
        "route_between",
        "route_incidents",
    ),
    "routes.schema": (
        "CANONICAL_COLUMNS",
        "REJECTION_REASONS",
        "SCHEMA",
        "SYNONYMS",
        "VOCABULARIES",
        "ColumnSpec",
        "Vocabulary",
        "schema_markdown",
        "synonyms_markdown",
        "vocabularies",
    ),
    "routes.synth": (
        "SYNTHETIC_COLUMNS",
        "SYNTHETIC_SOURCE_PREFIX",
        "synthesize_bad_rows",
        "synthesize_incidents",
        "synthesize_questionnaire",
        "synthetic_questionnaire_path",
        "synthetic_sample_path",
        "write_incidents",
        "write_synthetic_questionnaire",
    ),
}
_WHERE: dict[str, str] = {name: module for module, names in _SOURCES.items() for name in names}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("salw-routes")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


def __getattr__(name: str) -> Any:
    """Import a public name's stage on first use (PEP 562) and keep the name here."""
    if name == "__version__":
        value: Any = _version()
    elif name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
    else:
        raise AttributeError(f"module 'routes' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
