"""Questionnaire files as bytes: every line end and encoding, and any bytes at all.

The regression of issue 19: a questionnaire CSV saved by Excel for Mac (CR-only line ends) read
with a ``_csv.Error`` traceback; it now reads exactly as the LF file does, through the one
tabular reader. Property-based: for any bytes :func:`read_questionnaire` raises
:class:`routes.ValidationError` with a message or accounts for every record (rows read =
accepted + rejected); a generated long table is read row for row.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from fixtures.fuzz import (
    FUZZ,
    any_bytes,
    cell_text,
    without_trailing_blanks,
    write_table,
)
from hypothesis import given
from hypothesis import strategies as st

from routes import ValidationError
from routes.cli import main
from routes.questionnaire import QUESTIONNAIRE_REASONS, read_questionnaire

TODAY = dt.date(2026, 6, 1)
_DIR = Path(tempfile.mkdtemp(prefix="salw-questionnaire-fuzz-"))


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


@pytest.mark.parametrize(
    ("end", "encoding"), [("\r", "utf-8"), ("\r\n", "utf-8-sig"), ("\r", "utf-16")]
)
def test_excel_for_mac_line_ends_read_like_the_lf_file(
    fixtures: Path, tmp_path: Path, end: str, encoding: str
) -> None:
    lf = fixtures / "questionnaire" / "long_small.csv"
    text = lf.read_text(encoding="utf-8")
    assert "\r" not in text
    mac = tmp_path / "mac.csv"
    mac.write_bytes(text.replace("\n", end).encode(encoding))
    want, got = read_questionnaire(lf, today=TODAY), read_questionnaire(mac, today=TODAY)
    assert (got.rows_read, len(got.accepted), got.rows_rejected) == (22, 12, 10)
    _same(got.accepted, want.accepted)
    _same(got.rejected, want.rejected)


def test_title_rows_above_a_questionnaire_table(fixtures: Path, tmp_path: Path) -> None:
    lf = fixtures / "questionnaire" / "long_small.csv"
    titled = tmp_path / "titled.csv"
    titled.write_text("UNODC\n17/06/2022\n" + lf.read_text(encoding="utf-8"), encoding="utf-8")
    want, got = read_questionnaire(lf, today=TODAY), read_questionnaire(titled, today=TODAY)
    _same(got.accepted, want.accepted)
    _same(got.rejected, want.rejected)


def test_cli_reads_the_cr_only_file_and_refuses_garbage_in_one_line(
    fixtures: Path, tmp_path: Path
) -> None:
    mac = tmp_path / "mac.csv"
    lf = (fixtures / "questionnaire" / "long_small.csv").read_text(encoding="utf-8")
    mac.write_text(lf.replace("\n", "\r"), encoding="utf-8", newline="")
    result = CliRunner().invoke(main, ["questionnaire", str(mac)])
    assert result.exit_code == 1, result.output
    assert "rows read:      22" in result.stdout
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"\x00garbage")
    result = CliRunner().invoke(main, ["questionnaire", str(bad)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "cannot open the workbook" in result.stderr


def _accounted(path: Path) -> None:
    try:
        q = read_questionnaire(path, today=TODAY)
    except ValidationError as err:
        q = err
    if isinstance(q, ValidationError):
        assert str(q).strip()
        assert all(p.message.strip() for p in q.problems)
        return
    assert q.rows_read == len(q.accepted) + q.rows_rejected
    assert set(q.rejected["reason"]) <= set(QUESTIONNAIRE_REASONS)


@FUZZ
@given(data=any_bytes, suffix=st.sampled_from([".csv", ".tsv", ".xlsx", ".ods"]))
def test_any_bytes_are_read_or_refused_with_a_message(data: bytes, suffix: str) -> None:
    path = _DIR / f"any{suffix}"
    path.write_bytes(data)
    _accounted(path)


_VALUES = {
    "jurisdiction": ["AL", "Srbija", "Kosova", "Atlantida", "", "Ниш"],
    "year": ["2022", "2023", "1990", "2030", "", "dvije", "2022.0"],
    "indicator": ["seized_weapons", "cases", "persons", "bazooka", ""],
    "category": ["", "total", "pistol", "pištolj", "kallashnikov", "x"],
    "value": ["10", "-2", "2.5", "dva", "", "1e400", "99999999999999999999999"],
    "from": ["", "TR", "XX"],
    "to": ["", "DE", "Mars"],
}


@st.composite
def _long_tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    header = list(_VALUES)
    cell = {c: st.one_of(st.sampled_from(v), cell_text(";")) for c, v in _VALUES.items()}
    rows = draw(st.lists(st.tuples(*(cell[c] for c in header)).map(list), max_size=8))
    return header, rows


@FUZZ
@given(table=_long_tables(), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_every_generated_record_is_accepted_or_rejected(
    table: tuple[list[str], list[list[str]]], suffix: str
) -> None:
    header, rows = table
    path = _DIR / f"gen{suffix}"
    write_table(path, header, rows)
    q = read_questionnaire(path, today=TODAY)
    written = without_trailing_blanks(rows)  # blank rows at the end are not rows
    assert q.rows_read == len(written) == len(q.accepted) + q.rows_rejected


def test_long_ods_reads_like_the_csv(fixtures: Path, tmp_path: Path) -> None:
    from fixtures.questionnaire import workbooks

    rows = workbooks.long_rows()
    ods = tmp_path / "long.ods"
    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(ods, index=False, engine="odf")
    want = read_questionnaire(fixtures / "questionnaire" / "long_small.csv", today=TODAY)
    got = read_questionnaire(ods, today=TODAY)
    assert (got.layout, got.rows_read, len(got.accepted)) == ("long", 22, 12)
    _same(got.accepted.drop(columns="sheet"), want.accepted.drop(columns="sheet"))
