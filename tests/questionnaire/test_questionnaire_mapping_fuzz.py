"""Property test: any IAFQ-shaped rows read through ``unodc_iafq`` are all accounted for.

Random rows mix the export's real indicator/dimension/category combinations with garbage
(unknown codes and indicators, negative, decimal and text values, odd years, sex and age
splits, empty cells and rows). Whatever they hold, the reader either raises one
ValidationError or accounts for every row: accepted + rejected = rows read, and the rejected
rows per reason add up to the rejected ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routes import ValidationError
from routes.questionnaire import read_questionnaire

HEADER = [
    "Iso3_code",
    "Country",
    "Region",
    "Subregion",
    "Indicator",
    "Dimension",
    "Category",
    "Sex",
    "Age",
    "Year",
    "Unit of measurement",
    "VALUE",
    "Source",
]
COMBOS = [
    ("Arms seized", "Total", "Total"),
    ("Arms seized", "by type", "pistol"),
    ("Arms seized", "by type", "rifle (Inlcuding Carbine)"),
    ("Arms seized", "by type", "Unknown status on type"),
    ("Arms seized", "by condition", "Converted arms"),
    ("Arms seized", "by condition", "Reactivated arms"),
    ("Arms seized", "by condition", "Total"),
    ("Arms seized", "by marking", "no marking"),
    ("Arms seized", "by location", "land borders"),
    ("Arms seized", "by location", "Total"),
    ("Arms found", "by type", "Total"),
    ("Arms surrendered", "by marking", "Surrendered"),
    ("Ammunition seized", "Total", "Total"),
    ("Parts and components seized", "Total", "Total"),
    ("Instances/cases of seizures", "Total", "Total"),
    ("Individuals prosecuted for illicit trafficking in weapons", "Total", "Total"),
    ("Arms exported", "Total", "Total"),  # no rule
    ("Arms seized", "by colour", "red"),  # no rule
]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
ISO3 = st.one_of(
    st.sampled_from(["ALB", "BIH", "XKX", "MNE", "MKD", "SRB", "HRV", "GRC", "BGR", "TUR"]),
    st.sampled_from(["DEU", "USA", "ZZZ", "Kosovo", "Atlantis", "", "na"]),
    TEXT,
)
VALUE = st.one_of(
    st.integers(min_value=-5, max_value=10**7).map(str),
    st.sampled_from(["", "na", "1,234", "12.5", "1e3", "∞", "NaN", "-0"]),
    TEXT,
)
YEAR = st.one_of(
    st.integers(min_value=1980, max_value=2030).map(str),
    st.sampled_from(["", "2020.0", "20XX", " 2019 "]),
    TEXT,
)


@st.composite
def rows(draw: st.DrawFn) -> list[list[str]]:
    out = []
    for _ in range(draw(st.integers(min_value=1, max_value=12))):
        if draw(st.integers(min_value=0, max_value=9)) == 0:
            out.append([""] * len(HEADER))
            continue
        ind, dim, cat = draw(st.one_of(st.sampled_from(COMBOS), st.tuples(TEXT, TEXT, TEXT)))
        sex = draw(st.sampled_from(["na", "Total", "Male", "Female", "Unknown", "X", ""]))
        age = draw(st.sampled_from(["na", "Total", "15-17", ""]))
        out.append(
            [
                draw(ISO3),
                "Country",
                "Europe",
                "Southern Europe",
                ind,
                dim,
                cat,
                sex,
                age,
                draw(YEAR),
                "Counts",
                draw(VALUE),
                draw(st.sampled_from(["IAFQ", "SOF/IAFQ", "UNODA", ""])),
            ]
        )
    return out


def _check(q: Any, n: int | None) -> None:
    read, acc, rej = q.rows_read, len(q.accepted), q.rows_rejected
    assert read == acc + rej
    assert sum(q.rejected_by_reason().values()) == rej
    if n is not None:
        assert read == n
    assert set(q.accepted["jurisdiction"]) <= {
        "AL",
        "BA",
        "XK",
        "ME",
        "MK",
        "RS",
        "HR",
        "SI",
        "HU",
        "RO",
        "BG",
        "GR",
        "IT",
        "AT",
        "TR",
    }


def _read(source: Any) -> Any:
    """The read result, or the ValidationError's message."""
    try:
        return read_questionnaire(source, mapping="unodc_iafq", today=dt.date(2026, 6, 1))
    except ValidationError as err:
        return str(err)


@settings(max_examples=60, deadline=None)
@given(rows())
def test_any_iafq_rows_are_accounted_for(data: list[list[str]]) -> None:
    q = _read(pd.DataFrame(data, columns=HEADER))
    if isinstance(q, str):
        assert q.strip()  # one ValidationError with a message
    else:
        _check(q, len(data))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows())
def test_any_iafq_csv_is_accounted_for(data: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "iafq.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([HEADER, *data])
        q = _read(path)
    if isinstance(q, str):
        assert q.strip()
        return
    n = len(data)  # blank rows at the end of a file are not rows of it
    while n and not any(c.strip() for c in data[n - 1]):
        n -= 1
    _check(q, n)
