"""Dates of exports: run-together month names, two-digit years by the pivot, Excel serials."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import routes
from routes.incidents._dates import parse_dates, two_digit_year


def _days(values: list[str], **kw: object) -> list[str | None]:
    dates = parse_dates(pd.Series(values), **kw)[0]  # type: ignore[arg-type]
    return [None if pd.isna(d) else str(d)[:10] for d in dates]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("01Apr99", "1999-04-01"),
        ("25Mar99", "1999-03-25"),
        ("25-MAR-1999", "1999-03-25"),
        ("25-Mar-99", "1999-03-25"),
        ("25 Mar 99", "1999-03-25"),
        ("01APR1999:00:00:00", "1999-04-01"),  # SAS DATETIME
        ("1999-04-01 00:00:00", "1999-04-01"),  # a spreadsheet's date cell as text
        ("36251", "1999-04-01"),  # Excel serial day: 1899-12-30 + 36251 days
        ("36251.5", "1999-04-01"),  # noon of that day
        ("05Jan00", "2000-01-05"),
    ],
)
def test_export_forms(text: str, day: str) -> None:
    assert _days([text]) == [day]


def test_pivot_is_the_current_year() -> None:
    today = dt.date(2026, 12, 7)
    assert two_digit_year(26, today=today) == 2026
    assert two_digit_year(27, today=today) == 1927
    assert two_digit_year(0, today=today) == 2000
    assert two_digit_year(99, today=today) == 1999


def test_pivot_use_is_reported_once_with_the_row_count() -> None:
    notes: list[str] = []
    _days(["01Apr99", "01Apr99", "25Mar99", "1999-04-02", None], notes=notes)  # type: ignore[list-item]
    assert len(notes) == 1
    pivot = dt.date.today().year % 100
    assert notes[0].startswith("3 date(s) of column 'date' have two-digit years")
    assert f"pivot {pivot:02d}" in notes[0]
    assert "'01Apr99' -> 1999-04-01" in notes[0]


def test_no_note_without_two_digit_years() -> None:
    notes: list[str] = []
    _days(["25-MAR-1999"], notes=notes)
    assert notes == []


def test_numeric_two_digit_year_is_refused_with_the_fix() -> None:
    _, _, reason, message = parse_dates(pd.Series(["01.04.99"]))
    assert reason.tolist() == ["invalid_date"]
    assert '[dates] format = ["%d.%m.%y"]' in message[0]


def test_declared_short_year_form_uses_the_pivot_not_pythons() -> None:
    notes: list[str] = []
    # Python's strptime reads 68 as 2068; the pivot reads it as 1968
    assert _days(["01.04.68"], forms=("%d.%m.%y",), notes=notes) == ["1968-04-01"]
    assert len(notes) == 1


def test_unknown_word_is_not_a_month() -> None:
    _, _, reason, _ = parse_dates(pd.Series(["01Xyz99"]))
    assert reason.tolist() == ["invalid_date"]


def test_validate_summary_carries_the_note() -> None:
    frame = pd.DataFrame(
        {
            "incident_id": ["a", "b"],
            "date": ["01Apr99", "25Mar99"],
            "latitude": 42.66,
            "longitude": 21.16,
        }
    )
    result = routes.incidents_from_frame(frame, strict=False)
    assert [d.date().isoformat() for d in result.accepted["date"]] == ["1999-04-01", "1999-03-25"]
    assert "2 date(s)" in result.summary()["notes"][0]


def test_short_year_with_month_name_was_refused_and_now_reads() -> None:
    # "9-Jul-19" (the form of Excel's d-mmm-yy) was refused before the pivot existed
    assert _days(["9-Jul-19"]) == ["2019-07-09"]


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=dt.date(dt.date.today().year - 99, 1, 1), max_value=dt.date.today()))
def test_two_digit_years_read_back_the_day_written(day: dt.date) -> None:
    # within the pivot's century every ddMonyy date reads back as the day written
    for form in ("%d%b%y", "%d-%b-%Y", "%d%b%Y:00:00:00"):
        assert _days([day.strftime(form)]) == [day.isoformat()]
