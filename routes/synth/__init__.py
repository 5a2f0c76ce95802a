"""The synthetic sample: realistic, clearly marked, never real incidents.

Takes a seed, a row count and a date range and gives a canonical-schema table of synthetic
incidents drawn from the public route facts of :mod:`routes.geo` (:func:`synthesize_incidents`),
the hostile rows of the validation demo, one per rejection rule (:func:`synthesize_bad_rows`,
:data:`BAD_ROWS`), the bundled sample's path and writers for every supported format.
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
