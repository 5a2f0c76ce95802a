"""Load: incident files in, canonical incidents out.

Takes a file (CSV, XLSX, GeoJSON, GeoPackage, GeoParquet) or a DataFrame plus an optional column
mapping (:func:`load_mapping`, :func:`bundled_mappings`) and gives canonical incidents as a
GeoDataFrame in EPSG:4326 (:func:`read_incidents`, :func:`incidents_from_frame`), with every
rejected row listed with its reason, row, column, value and fix (:class:`IncidentReadResult`,
:func:`write_rejects`). The user's own places table (:func:`read_places`, :class:`PlacesTable`)
resolves place codes and names before the bundled gazetteer. For a file never seen,
:func:`suggest_mapping` says what it holds and drafts the mapping (:class:`MappingSuggestion`,
written as TOML by ``salw-routes inspect``).
"""

from __future__ import annotations

from routes.incidents._mapping import ColumnMapping, bundled_mappings, load_mapping
from routes.incidents.places import PlacesTable, places_from_frame, read_places
from routes.incidents.read import (
    IncidentReadResult,
    incidents_from_frame,
    read_incidents,
    write_rejects,
)
from routes.incidents.suggest import MappingSuggestion, suggest_mapping

__all__ = [
    "ColumnMapping",
    "IncidentReadResult",
    "MappingSuggestion",
    "PlacesTable",
    "bundled_mappings",
    "incidents_from_frame",
    "load_mapping",
    "places_from_frame",
    "read_incidents",
    "read_places",
    "suggest_mapping",
    "write_rejects",
]
