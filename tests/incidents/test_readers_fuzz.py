"""Property-based tests of reading incident files: any bytes, any cells, every row counted.

For any bytes under any supported name, :func:`routes.read_incidents` raises
:class:`routes.ValidationError` with a message or accounts for every row (rows read =
accepted + rejected); for a generated incident table of good and bad values, rows read is the
number of rows written and every accepted id is one of the file's.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fixtures.fuzz import FUZZ, any_bytes, incident_tables, without_trailing_blanks, write_table
from hypothesis import given
from hypothesis import strategies as st

import routes
from routes import ValidationError

_DIR = Path(tempfile.mkdtemp(prefix="salw-incidents-fuzz-"))
_SUFFIXES = [".csv", ".txt", ".xlsx", ".ods", ".geojson", ".json", ".gpkg", ".parquet"]


def _read(path: Path) -> routes.IncidentReadResult | ValidationError:
    try:
        return routes.read_incidents(path, strict=False)
    except ValidationError as err:
        return err


def _accounted(result: routes.IncidentReadResult) -> None:
    assert result.rows_read == len(result.accepted) + result.rows_rejected
    assert set(result.rejected["reason"]) <= set(routes.REJECTION_REASONS)
    assert result.rejected["message"].map(lambda m: bool(str(m).strip())).all()


@FUZZ
@given(data=any_bytes, suffix=st.sampled_from(_SUFFIXES))
def test_any_bytes_are_read_or_refused_with_a_message(data: bytes, suffix: str) -> None:
    path = _DIR / f"any{suffix}"
    path.write_bytes(data)
    result = _read(path)
    if isinstance(result, ValidationError):
        assert str(result).strip()
        assert all(p.message.strip() for p in result.problems)
    else:
        _accounted(result)


@FUZZ
@given(table=incident_tables(), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_every_generated_row_is_accepted_or_rejected(
    table: tuple[list[str], list[list[str]]], suffix: str
) -> None:
    header, rows = table
    path = _DIR / f"gen{suffix}"
    write_table(path, header, rows)
    result = _read(path)
    if isinstance(result, ValidationError):  # only a file-level problem: no id column
        assert "incident_id" not in header
        assert "no incident_id column" in str(result)
        return
    _accounted(result)
    written = without_trailing_blanks(rows)
    assert result.rows_read == len(written)
    ids = {_xml(r[header.index("incident_id")].strip()) for r in written}
    assert {_xml(i) for i in result.accepted["incident_id"]} <= ids


def _xml(text: str) -> str:
    """Line ends as XML (a workbook) keeps them: CR and CRLF become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
