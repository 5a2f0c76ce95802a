"""Property-based tests of the one tabular reader (routes._table) on generated files.

For any bytes under a table name the reader raises :class:`routes.ValidationError` with a
message or gives a table whose every row has its file row; a well-formed table written by the
``csv`` module (any encoding, delimiter, line ends, quoting, title rows) reads back exactly.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fixtures.fuzz import FUZZ, GeneratedTable, any_bytes, tables
from hypothesis import given
from hypothesis import strategies as st

from routes import ValidationError
from routes._table import Table, read_table

_DIR = Path(tempfile.mkdtemp(prefix="salw-table-fuzz-"))


def _write(name: str, data: bytes) -> Path:
    path = _DIR / name
    path.write_bytes(data)
    return path


@FUZZ
@given(data=any_bytes, suffix=st.sampled_from([".csv", ".tsv", ".txt", ".xlsx", ".ods"]))
def test_any_bytes_read_or_refused_with_a_message(data: bytes, suffix: str) -> None:
    path = _write(f"any{suffix}", data)
    try:
        t: Table | ValidationError = read_table(path)
    except ValidationError as err:
        t = err
    if isinstance(t, ValidationError):
        assert str(t).strip()
        assert all(p.message.strip() and p.file == str(path) for p in t.problems)
        return
    assert len(t.rows) == len(t.frame)
    assert all(isinstance(v, str) for c in t.frame.columns for v in t.frame[c])
    assert all(b > a for a, b in zip(t.rows[:-1], t.rows[1:], strict=True))
    assert t.header_row is not None
    assert len(t.rows) == 0 or t.rows[0] > t.header_row


def _check(t: Table, g: GeneratedTable, *, explicit: bool) -> None:
    assert list(t.header) == g.header
    assert list(t.frame.columns) == g.header
    assert t.frame.values.tolist() == g.rows
    assert len(t.rows) == len(g.rows)
    assert t.header_row == len(g.titles) + 1
    assert list(t.title_rows) == [s.strip() for s in g.titles]
    assert t.line_ending == {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}[g.line_end]
    if len(g.header) > 1 or explicit:
        assert t.delimiter == g.delimiter
    if g.rows:  # each row starts on its own line: the lines of the rows above it
        lines = [1 + len(g.titles) + 1]
        for row in g.rows[:-1]:
            lines.append(lines[-1] + 1 + sum(c.count("\r\n") + _lone(c) for c in row))
        assert t.rows.tolist() == lines[: len(t.rows)]


def _lone(cell: str) -> int:
    return cell.replace("\r\n", "").count("\r") + cell.replace("\r\n", "").count("\n")


@FUZZ
@given(g=tables())
def test_generated_tables_read_back_exactly(g: GeneratedTable) -> None:
    path = _write("gen.csv", g.data)
    # 8-bit encodings cannot be told apart on random text: those are given, as a mapping does
    legacy = g.encoding in ("cp1250", "cp1251", "latin-1")
    t = read_table(path, encoding=g.encoding if legacy else None)
    _check(t, g, explicit=False)


@FUZZ
@given(g=tables())
def test_generated_tables_with_every_option_given(g: GeneratedTable) -> None:
    path = _write("given.csv", g.data)
    t = read_table(path, encoding=g.encoding, delimiter=g.delimiter, skip_rows=len(g.titles))
    _check(t, g, explicit=True)
