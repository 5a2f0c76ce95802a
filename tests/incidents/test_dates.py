"""Date forms: automatic forms, declared strftime forms, month names, and the column's order."""

from __future__ import annotations

import pandas as pd
import pytest

import routes
from routes import ValidationError


def _read(values: list[str], **mapping: object) -> routes.IncidentReadResult:
    frame = pd.DataFrame(
        {
            "incident_id": [f"d{i}" for i in range(len(values))],
            "Datum": values,
            "latitude": 44.8125,
            "longitude": 20.4612,
        }
    )
    m: dict[str, object] = {"columns": {"incident_id": "incident_id", "date": "Datum"}, **mapping}
    return routes.incidents_from_frame(frame, mapping=m, strict=False)


def _days(result: routes.IncidentReadResult) -> list[str]:
    return [d.date().isoformat() for d in result.accepted["date"]]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("30. decembar 2019.", "2019-12-30"),  # Serbian/Bosnian Latin
        ("30 dhjetor 2019", "2019-12-30"),  # Albanian
        ("30. децембар 2019.", "2019-12-30"),  # Serbian Cyrillic
        ("30 декември 2019", "2019-12-30"),  # Macedonian
        ("3. siječnja 2020.", "2020-01-03"),  # Croatian genitive
        ("1. nëntor 2019", "2019-11-01"),
        ("1 nentor 2019", "2019-11-01"),  # without the diacritic
        ("December 30, 2019", "2019-12-30"),  # IOM 2019 export
        ("Dec. 30, 2019", "2019-12-30"),
        ("30-Dec-2019", "2019-12-30"),
        ("Thu, 01/01/2026 - 12:00", "2026-01-01"),  # IOM 2026 export (day = month here)
        ("23.05.2023. 14:30", "2023-05-23"),
        ("2023-05-23T08:15:00Z", "2023-05-23"),
    ],
)
def test_automatic_forms(text: str, day: str) -> None:
    result = _read([text])
    assert result.rows_rejected == 0, result.rejected["message"].tolist()
    assert _days(result) == [day]
    assert result.accepted["date_precision"].tolist() == ["day"]


def test_month_names_give_month_precision() -> None:
    result = _read(["maj 2023", "December 2019", "мај 2023"])
    assert _days(result) == ["2023-05-01", "2019-12-01", "2023-05-01"]
    assert set(result.accepted["date_precision"]) == {"month"}


def test_month_first_trap_is_rejected_with_the_fix() -> None:
    # read day first (the default), '01/13/2020' proves the column month first: every numeric
    # date would be misread, so all are rejected; the ISO one is fine
    result = _read(["01/13/2020", "01/02/2020", "05/05/2020", "2020-01-01"])
    assert _days(result) == ["2020-01-01"]
    rej = result.rejected
    assert rej["source_row"].tolist() == [1, 2, 3]
    assert set(rej["reason"]) == {"invalid_date"}
    assert set(rej["column"]) == {"Datum"}
    assert rej["value"].tolist() == ["01/13/2020", "01/02/2020", "05/05/2020"]
    msg = rej["message"].iloc[1]
    assert "column 'Datum' writes dates month first ('01/13/2020' cannot be day first)" in msg
    assert "read day first (the default when the mapping declares none)" in msg
    assert 'declare [dates] order = "month_first"' in msg
    fixed = _read(
        ["01/13/2020", "01/02/2020", "05/05/2020", "2020-01-01"], dates={"order": "month_first"}
    )
    assert _days(fixed) == ["2020-01-13", "2020-01-02", "2020-05-05", "2020-01-01"]


def test_weekday_proves_the_order() -> None:
    # 'Sat, 01/10/2026': 10 January 2026 is a Saturday, 1 October 2026 a Thursday
    result = _read(["Sat, 01/10/2026 - 12:00", "Thu, 01/01/2026 - 12:00"])
    assert result.rejected["reason"].tolist() == ["invalid_date", "invalid_date"]
    assert (
        "writes dates month first ('Sat, 01/10/2026 - 12:00' cannot be day first: its "
        "Saturday fits only 10 January)" in result.rejected["message"].iloc[0]
    )
    declared = _read(
        ["Sat, 01/10/2026 - 12:00", "Thu, 01/01/2026 - 12:00"],
        dates={"format": "%a, %m/%d/%Y - %H:%M"},
    )
    assert _days(declared) == ["2026-01-10", "2026-01-01"]
    wrong_day = _read(["Fri, 01/10/2026 - 12:00"], dates={"format": "%a, %m/%d/%Y - %H:%M"})
    assert wrong_day.rejected["reason"].tolist() == ["impossible_date"]
    assert "names a Friday, but 2026-01-10 is a Saturday" in wrong_day.rejected["message"][0]


def test_declared_order_contradicted_by_the_column() -> None:
    result = _read(["13.01.2020", "02.01.2020"], dates={"order": "month_first"})
    assert result.rejected["reason"].tolist() == ["invalid_date", "invalid_date"]
    msg = result.rejected["message"].iloc[0]
    assert "writes dates day first ('13.01.2020' cannot be month first)" in msg
    assert "as the mapping declares" in msg
    assert 'order = "day_first"' in msg


def test_a_column_mixing_orders_is_reported_not_guessed() -> None:
    result = _read(["13/01/2020", "01/13/2020", "01/02/2020", "14/02/2020", "05/05/2020"])
    # the unambiguous day-first dates (and 05/05, the same either way) are read
    assert _days(result) == ["2020-01-13", "2020-02-14", "2020-05-05"]
    rej = result.rejected.set_index("source_row")
    assert rej.index.tolist() == [2, 3]
    assert rej.loc[3, "message"].startswith(
        "column 'Datum' mixes date orders: '13/01/2020' can only be day first and "
        "'01/13/2020' only month first"
    )
    assert rej.loc[2, "message"] == rej.loc[3, "message"]


def test_declared_forms_are_tried_in_order() -> None:
    forms = ["%d. %B %Y.", "%B %d, %Y", "%d/%m/%Y"]
    result = _read(
        ["30. decembar 2019.", "December 30, 2019", "30/12/2019", "30. децембар 2019."],
        dates={"format": forms},
    )
    assert _days(result) == ["2019-12-30"] * 4
    bad = _read(["2019-12-30"], dates={"format": forms})
    assert bad.rejected["reason"].tolist() == ["invalid_date"]
    assert (
        "fits none of the mapping's date forms ('%d. %B %Y.', '%B %d, %Y'"
        in (bad.rejected["message"][0])
    )
    year_only = _read(["2019"], dates={"format": "%Y"})
    assert year_only.accepted["date_precision"].tolist() == ["year"]


@pytest.mark.parametrize(
    ("dates", "match"),
    [
        ({"format": "dd.mm.yyyy"}, "strftime form"),
        ({"format": 5}, "strftime form"),
        ({"order": "dmy"}, "order must be 'day_first' or 'month_first'"),
        ({"formats": ["%d"]}, r"\[dates\] key 'formats' is not known \(did you mean 'format'"),
    ],
)
def test_bad_date_declarations(dates: dict[str, object], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        _read(["23.05.2023"], dates=dates)


@pytest.mark.parametrize(
    ("text", "reason", "part"),
    [
        ("31.04.2023", "impossible_date", "April 2023 has 30 days"),
        ("12/25/2019", "invalid_date", 'declare [dates] order = "month_first"'),
        ("9-Jul-1g", "invalid_date", "cannot read date"),
        ("23.05.23", "invalid_date", "two-digit year"),
        ("30. smarch 2019", "invalid_date", "cannot read date"),
        ("Blursday, 30/12/2019", "invalid_date", "cannot read date"),
        ("30.12.2999", "future_date", "lies in the future"),
    ],
)
def test_hostile_values(text: str, reason: str, part: str) -> None:
    result = _read([text])
    assert result.rejected["reason"].tolist() == [reason]
    assert part in result.rejected["message"][0]
