"""The validation demo: a few good synthetic rows followed by deliberately bad ones.

Each bad row breaks exactly one rejection rule of :func:`routes.read_incidents`
(:data:`routes.REJECTION_REASONS`); :data:`BAD_ROWS` documents which, and the tests check that
the reader rejects every one of them for that reason and accepts every good row.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from routes._pdcompat import STR
from routes.synth._engine import OUTPUT_COLUMNS, generate

__all__ = ["BAD_ROWS", "BadRow", "synthesize_bad_rows"]


class BadRow(NamedTuple):
    """One deliberately bad row: the rule it breaks and the fields that break it."""

    reason: str
    column: str
    explanation: str
    fields: dict[str, str]


_BASE: dict[str, str] = {
    "date": "14.03.2024",
    "date_precision": "day",
    "jurisdiction": "RS",
    "place": "Niš",
    "latitude": "43.32472",
    "longitude": "21.90333",
    "location_precision": "settlement",
    "event": "seizure",
    "category": "pistol",
    "quantity": "1",
    "origin": "",
    "transit": "",
    "destination": "",
    "crossing": "",
    "modus_operandi": "private_vehicle",
    "ocg_involved": "unknown",
    "migrants_involved": "no",
    "source": "SYNTHETIC - validation demo (deliberately bad row, not a real incident)",
    "verification": "confirmed",
    "notes": "",
}

#: The deliberately bad rows, in file order (ids SYN-BAD-01 ...), one rule each.
BAD_ROWS: tuple[BadRow, ...] = (
    BadRow("missing_id", "incident_id", "the identifier is empty", {"incident_id": ""}),
    BadRow(
        "duplicate_id",
        "incident_id",
        "repeats the identifier of the first good row",
        {"incident_id": "<first good id>"},
    ),
    BadRow("empty_row", "", "every field is empty", {c: "" for c in OUTPUT_COLUMNS}),
    BadRow(
        "no_location",
        "place",
        "neither coordinates nor a place name",
        {"place": "", "latitude": "", "longitude": "", "jurisdiction": ""},
    ),
    BadRow(
        "place_not_found",
        "place",
        "no coordinates and a place the gazetteer does not know",
        {"place": "Atlantida", "latitude": "", "longitude": ""},
    ),
    BadRow(
        "ambiguous_place",
        "place",
        "no coordinates and no jurisdiction; Trebinje (BA) and Trebinjë (AL) both match",
        {"place": "Trebinje", "latitude": "", "longitude": "", "jurisdiction": ""},
    ),
    BadRow(
        "invalid_coordinates",
        "latitude",
        "latitude out of range (95.1)",
        {"latitude": "95.1"},
    ),
    BadRow(
        "invalid_coordinates",
        "latitude",
        "the null island (0, 0)",
        {"latitude": "0", "longitude": "0"},
    ),
    BadRow(
        "swapped_coordinates",
        "latitude",
        "Belgrade with latitude and longitude swapped",
        {"place": "Belgrade", "latitude": "20.46513", "longitude": "44.80401"},
    ),
    BadRow(
        "outside_region",
        "latitude",
        "a point in Paris, outside the region the tool covers",
        {"place": "Paris", "latitude": "48.85341", "longitude": "2.3488", "jurisdiction": ""},
    ),
    BadRow("invalid_date", "date", "a date that cannot be read", {"date": "spring 2022"}),
    BadRow("impossible_date", "date", "31 April does not exist", {"date": "31.04.2022"}),
    BadRow("future_date", "date", "a date in the future", {"date": "15.06.2099"}),
    BadRow("invalid_quantity", "quantity", "negative quantity", {"quantity": "-3"}),
    BadRow("invalid_quantity", "quantity", "zero quantity", {"quantity": "0"}),
    BadRow("invalid_quantity", "quantity", "fractional quantity", {"quantity": "2.5"}),
    BadRow(
        "unknown_vocabulary",
        "event",
        "misspelt event (the reader suggests 'seizure')",
        {"event": "sezure"},
    ),
    BadRow(
        "unknown_vocabulary",
        "category",
        "unknown category (the reader suggests 'hand_grenade')",
        {"category": "hand granade"},
    ),
    BadRow(
        "outside_salw",
        "category",
        "a knife: a melee weapon, outside small arms and light weapons",
        {"category": "Knife"},
    ),
)


def synthesize_bad_rows(*, good_rows: int = 8, seed: int = 20231) -> pd.DataFrame:
    """Return the validation-demo table: ``good_rows`` valid rows, then every bad row.

    The good rows come from :func:`routes.synthesize_incidents` (dates written day-first,
    ``dd.mm.yyyy``, as many units type them); the bad rows are :data:`BAD_ROWS`, with ids
    ``SYN-BAD-01`` onwards. All values are strings, ready to be written as CSV.

    Parameters
    ----------
    good_rows
        Number of valid rows before the bad ones (at least 1: the duplicate-id row repeats the
        first one).
    seed
        Seed for the good rows.

    Returns
    -------
    pandas.DataFrame
        The canonical incident columns, all as strings (empty string for an empty field).

    Examples
    --------
    >>> df = synthesize_bad_rows(good_rows=3)
    >>> len(df) == 3 + len(BAD_ROWS)
    True
    """
    if good_rows < 1:
        raise ValueError(
            f"good_rows must be at least 1 (the duplicate row needs one), got {good_rows}"
        )
    good = generate(good_rows, seed=seed, start="2022-01-01", end="2024-12-31")
    good["date"] = good["date"].dt.strftime("%d.%m.%Y")
    good = good.astype(object).where(good.notna(), "")
    good = good.astype(STR)
    first_id = str(good["incident_id"].iloc[0])
    rows = []
    for i, bad in enumerate(BAD_ROWS, start=1):
        row = {"incident_id": f"SYN-BAD-{i:02d}", **_BASE}
        row.update(bad.fields)
        if row["incident_id"] == "<first good id>":
            row["incident_id"] = first_id
        if bad.reason != "empty_row":
            row["notes"] = f"Validation demo: {bad.explanation} (expected: {bad.reason})"
        rows.append(row)
    bad_frame = pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS)).astype(STR)
    return pd.concat([good, bad_frame], ignore_index=True)
