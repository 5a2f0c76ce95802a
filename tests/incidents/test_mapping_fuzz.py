"""Property-based tests of the column-mapping loader: any bytes, any TOML, any structure.

:func:`routes.load_mapping` either gives a :class:`routes.ColumnMapping` or raises
:class:`routes.ValidationError` with a message, whatever the file or dict holds; a mapping it
accepts can then be applied to a small table, again without any other exception.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from fixtures.fuzz import FUZZ, any_bytes
from hypothesis import example, given
from hypothesis import strategies as st

import routes
from routes import ValidationError

_DIR = Path(tempfile.mkdtemp(prefix="salw-mapping-fuzz-"))
_KEYS = [
    "name", "encoding", "delimiter", "sheet", "skip_rows", "layer", "na_values", "crs",
    "coordinate_order", "columns", "constants", "defaults", "templates", "values",
    "vocabularies", "dates", "layouts", "detect", "format", "order", "incident_id", "date",
    "place", "latitude", "longitude", "category", "quantity", "x", "y", "wkt", "coordinates",
    "Broj", "unknown_key",
]  # fmt: skip
_LINES = [
    'name = "x"', "skip_rows = -1", "skip_rows = 2", "skip_rows = true", 'encoding = "klingon"',
    'encoding = "cp1250"', 'delimiter = ";;"', 'delimiter = ";"', "sheet = 3.5", 'sheet = "A"',
    'crs = "EPSG:99999"', 'crs = "EPSG:3035"', 'coordinate_order = "up,down"', "na_values = [1]",
    "[columns]", 'incident_id = "ID"', 'latitude = "Lat"', "incident_id = 5", 'bogus = "B"',
    "[constants]", 'source = "MUP"', "[defaults]", "quantity = 1", "quantity = -4",
    "[templates]", 'notes = "{Napomena} ({Opis}"', 'notes = "{}"', "[values.category]",
    '"AP" = "automatic_rifle"', '"X" = "no_such_category"', "[vocabularies]",
    'category = ["flare_gun"]', "category = 3", "[dates]", 'format = ["%d.%m.%Y"]',
    'format = "%Q"', 'order = "sideways"', "[layouts.a]", 'detect = ["ID"]', "detect = 1",
    "[layouts.a.columns]", "[values]", "values = 1", "= broken", '"unclosed',
]  # fmt: skip

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=True),
    st.text(max_size=8), st.sampled_from(["ID", "Lat", "%d.%m.%Y", "EPSG:3035", "pistol"]),
)  # fmt: skip
_structures = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=5), inner, max_size=4),
    ),
    max_leaves=12,
)
_mappings = st.dictionaries(st.sampled_from(_KEYS), _structures, max_size=5)


def _apply(mapping: routes.ColumnMapping) -> None:
    frame = pd.DataFrame({"ID": ["1", "2"], "Lat": ["44.8", "x"], "Lon": ["20.4", "20.5"]})
    try:
        result: routes.IncidentReadResult | ValidationError = routes.incidents_from_frame(
            frame, mapping=mapping, strict=False
        )
    except ValidationError as err:
        result = err
    if isinstance(result, ValidationError):
        assert str(result).strip()
    else:
        assert result.rows_read == len(result.accepted) + result.rows_rejected == 2


def _load(source: Any) -> routes.ColumnMapping | ValidationError:
    try:
        return routes.load_mapping(source)
    except ValidationError as err:
        return err


@FUZZ
@given(data=any_bytes)
def test_any_bytes_as_a_mapping_file(data: bytes) -> None:
    path = _DIR / "any.toml"
    path.write_bytes(data)
    got = _load(path)
    if isinstance(got, ValidationError):
        assert all(p.message.strip() for p in got.problems)
    else:
        _apply(got)


@FUZZ
@given(lines=st.lists(st.sampled_from(_LINES), max_size=12))
def test_toml_made_of_mapping_lines(lines: list[str]) -> None:
    path = _DIR / "lines.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = _load(path)
    if isinstance(got, ValidationError):
        assert all(p.message.strip() for p in got.problems)
    else:
        _apply(got)


@FUZZ
@given(data=_mappings)
@example(data={"na_values": None})  # found by this test: a TypeError, now a message
def test_any_structure_as_a_mapping_dict(data: dict[str, Any]) -> None:
    got = _load(data)
    if isinstance(got, ValidationError):
        assert all(p.message.strip() for p in got.problems)
    else:
        _apply(got)
