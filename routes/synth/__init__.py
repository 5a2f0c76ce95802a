"""The synthetic sample: realistic, clearly marked, never real incidents.

Takes a seed, a row count and a date range and gives a canonical-schema table of synthetic
incidents built from public route facts (:func:`synthesize_incidents`), hostile rows for the
validation demo (:func:`synthesize_bad_rows`) and writers for every supported format.
"""

from __future__ import annotations

from routes.synth._bad import BAD_ROWS, BadRow
from routes.synth.sample import (
    SYNTHETIC_COLUMNS,
    SYNTHETIC_SOURCE_PREFIX,
    synthesize_bad_rows,
    synthesize_incidents,
    synthetic_sample_path,
    write_incidents,
)

__all__ = [
    "BAD_ROWS",
    "SYNTHETIC_COLUMNS",
    "SYNTHETIC_SOURCE_PREFIX",
    "BadRow",
    "synthesize_bad_rows",
    "synthesize_incidents",
    "synthetic_sample_path",
    "write_incidents",
]
