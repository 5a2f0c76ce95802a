"""Load: incident files in, canonical incidents out.

Takes a file (CSV, XLSX, GeoJSON, GeoPackage, GeoParquet) or a DataFrame plus an optional column
mapping (:func:`load_mapping`, :func:`bundled_mappings`) and gives canonical incidents as a
GeoDataFrame in EPSG:4326 (:func:`read_incidents`, :func:`incidents_from_frame`), with every
rejected row listed with its reason, row, column, value and fix (:class:`IncidentReadResult`,
:func:`write_rejects`). The user's own places table (:func:`read_places`, :class:`PlacesTable`)
resolves place codes and names before the bundled gazetteer. For a file never seen,
:func:`suggest_mapping` says what it holds and drafts the mapping (:class:`MappingSuggestion`,
written as TOML by ``salw-routes inspect``). Several agencies' files are pooled with their
provenance (:func:`pool_reads`, :func:`sources_table`), from an assessment file
(:func:`load_assessment`, :func:`read_assessment`), with the candidate double reports across
agencies (:func:`duplicate_candidates`, :func:`merge_duplicates`).
"""

from __future__ import annotations

from routes.incidents._dedupe import (
    DUPLICATE_COLUMNS,
    DuplicateRule,
    duplicate_candidates,
    merge_duplicates,
)
from routes.incidents._mapping import ColumnMapping, bundled_mappings, load_mapping
from routes.incidents.assessment import (
    Assessment,
    AssessmentRead,
    IncidentSource,
    QuestionnaireSource,
    is_assessment_file,
    load_assessment,
    read_assessment,
)
from routes.incidents.places import PlacesTable, places_from_frame, read_places
from routes.incidents.pool import PooledReadResult, id_prefix, pool_reads, sources_table
from routes.incidents.read import (
    IncidentReadResult,
    incidents_from_frame,
    read_incidents,
    write_rejects,
)
from routes.incidents.suggest import MappingSuggestion, suggest_mapping

__all__ = [
    "DUPLICATE_COLUMNS",
    "Assessment",
    "AssessmentRead",
    "ColumnMapping",
    "DuplicateRule",
    "IncidentReadResult",
    "IncidentSource",
    "MappingSuggestion",
    "PlacesTable",
    "PooledReadResult",
    "QuestionnaireSource",
    "bundled_mappings",
    "duplicate_candidates",
    "id_prefix",
    "incidents_from_frame",
    "is_assessment_file",
    "load_assessment",
    "load_mapping",
    "merge_duplicates",
    "places_from_frame",
    "pool_reads",
    "read_assessment",
    "read_incidents",
    "read_places",
    "sources_table",
    "suggest_mapping",
    "write_rejects",
]
