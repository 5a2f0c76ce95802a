"""Reading questionnaires: exact row accounting, every reason, every inconsistency kind.

The expected numbers are worked out by hand from ``tests/fixtures/questionnaire/long_small.csv``
(22 data rows: 12 accepted, 10 rejected) and the wide workbook of ``workbooks.py`` (10 filled
year cells: 7 accepted, 3 rejected).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fixtures.questionnaire import workbooks

import routes
from routes.questionnaire import (
    INCONSISTENCY_KINDS,
    QUESTIONNAIRE_REASONS,
    questionnaire_markdown,
    read_questionnaire,
)

TODAY = dt.date(2026, 6, 1)

#: (row, reason) of every rejected row of long_small.csv.
LONG_REJECTED = [
    (8, "negative_value"),
    (9, "invalid_value"),
    (10, "unknown_jurisdiction"),
    (11, "invalid_year"),
    (12, "unknown_indicator"),
    (13, "unknown_category"),
    (14, "empty_row"),
    (16, "invalid_route"),
    (18, "duplicate"),
    (22, "invalid_value"),
]
LONG_INCONSISTENCIES = [
    ("total_mismatch", "AL", 2022, "seized_weapons"),
    ("missing_year", "XK", 2023, "seized_weapons"),
    ("jump", "BA", 2023, "seized_weapons"),
    ("jump", "MK", 2023, "seized_explosives_kg"),
]


def _wb() -> Any:
    return workbooks


@pytest.fixture(scope="module")
def long_csv(fixtures: Path) -> Path:
    return fixtures / "questionnaire" / "long_small.csv"


def _kinds(result: Any) -> list[tuple[str, str, int, str]]:
    return [(i.kind, i.jurisdiction, i.year, i.indicator) for i in result.inconsistencies]


def _check_long(q: Any) -> None:
    assert (q.rows_read, len(q.accepted), q.rows_rejected) == (22, 12, 10)
    assert q.rows_read == len(q.accepted) + q.rows_rejected
    assert [
        (int(r), str(x))
        for r, x in zip(q.rejected["source_row"], q.rejected["reason"], strict=True)
    ] == LONG_REJECTED
    assert sorted(q.accepted["source_row"]) == [1, 2, 3, 4, 5, 6, 7, 15, 17, 19, 20, 21]
    assert _kinds(q) == LONG_INCONSISTENCIES


def test_long_csv_row_accounting(long_csv: Path) -> None:
    q = read_questionnaire(long_csv, today=TODAY)
    _check_long(q)
    assert q.layout == "long"
    acc = q.accepted.set_index("source_row")
    # names in the region's languages, synonyms of categories and of "total"
    assert acc.loc[2, "jurisdiction"] == "AL"
    assert acc.loc[2, "category"] == "pistol"
    assert acc.loc[3, "category"] == "automatic_rifle"
    assert acc.loc[6, ["jurisdiction", "category", "value"]].tolist() == ["BA", "total", 70.0]
    assert acc.loc[4, "category"] == "total"
    assert acc.loc[21, ["jurisdiction", "value"]].tolist() == ["MK", 1234.0]
    assert acc.loc[20, "value"] == 2.5
    assert acc.loc[15, ["jurisdiction", "from", "via", "to"]].tolist() == ["RS", "TR", "BG", "DE"]
    assert acc.loc[15, "notes"] == "<script>alert(1)</script>"  # kept as text, escaped on output


def test_every_rejection_has_row_column_value_and_fix(long_csv: Path) -> None:
    q = read_questionnaire(long_csv, today=TODAY)
    by_row = {i.row: i for i in q.issues}
    assert by_row[8].column == "value"
    assert by_row[8].value == "-2"
    assert "negative" in by_row[8].message
    assert by_row[9].column == "value"
    assert by_row[9].value == "dva"
    assert by_row[10].column == "Država"
    assert "one of the six" in by_row[10].message
    assert by_row[11].column == "Godina"
    assert "1990" in by_row[11].message
    assert "did you mean" not in by_row[12].message or "seized_weapons" in by_row[12].message
    assert by_row[13].column == "category"
    assert by_row[13].value == "bazooka"
    assert by_row[16].column == "to"
    assert "country of destination" in by_row[16].message
    assert "row 17" in by_row[18].message
    assert "whole number" in by_row[22].message
    assert len(q.issues) == 10
    assert {i.reason for i in q.issues} <= set(QUESTIONNAIRE_REASONS)


def test_inconsistency_messages_say_what_is_wrong(long_csv: Path) -> None:
    q = read_questionnaire(long_csv, today=TODAY)
    what = {i.kind + i.jurisdiction: i.what for i in q.inconsistencies}
    assert what["total_mismatchAL"].startswith("total 10, but the categories sum to 9")
    assert "pistol 6" in what["total_mismatchAL"]
    assert "no seized_weapons value for 2023" in what["missing_yearXK"]
    assert "from 5 in 2022 to 70 in 2023 (14 times)" in what["jumpBA"]
    assert "from 2.50 in 2022 to 1,234 in 2023 (494 times)" in what["jumpMK"]
    assert {i.kind for i in q.inconsistencies} == set(INCONSISTENCY_KINDS)


def test_long_xlsx_with_typed_cells_reads_the_same(tmp_path: Path) -> None:
    path = _wb().write(tmp_path / "long.xlsx", {"Data": _wb().long_rows()})
    q = read_questionnaire(path, today=TODAY)
    _check_long(q)
    assert q.layout == "long"


def test_wide_workbook_row_accounting(tmp_path: Path) -> None:
    path = _wb().write(tmp_path / "wide.xlsx", _wb().wide_sheets())
    q = read_questionnaire(path, today=TODAY)
    assert q.layout == "wide"
    assert (q.rows_read, len(q.accepted), q.rows_rejected) == (10, 7, 3)
    rej = [
        (s, int(r), x)
        for s, r, x in zip(
            q.rejected["sheet"], q.rejected["source_row"], q.rejected["reason"], strict=True
        )
    ]
    assert rej == [
        ("Albania", 6, "invalid_value"),
        ("Kosovo (XK)", 4, "unknown_category"),
        ("Atlantida", 2, "unknown_jurisdiction"),
    ]
    na = next(i for i in q.issues if i.sheet == "Albania")
    assert (na.column, na.value) == ("2023", "n/a")
    pistoll = next(i for i in q.issues if i.reason == "unknown_category")
    assert "did you mean 'pistol'" in pistoll.message
    assert _kinds(q) == [
        ("total_mismatch", "AL", 2022, "seized_weapons"),
        ("jump", "XK", 2023, "seized_weapons"),
    ]
    route = q.accepted[q.accepted["indicator"] == "reported_route"].iloc[0]
    assert (route["jurisdiction"], route["from"], route["to"], route["value"]) == (
        "XK",
        "TR",
        "DE",
        2.0,
    )
    problems = q.problems()
    assert any("sheet 'Atlantida'" in str(p) for p in problems)


def test_one_sheet_only(tmp_path: Path) -> None:
    path = _wb().write(tmp_path / "wide.xlsx", _wb().wide_sheets())
    q = read_questionnaire(path, sheet="Albania", today=TODAY)
    assert (q.rows_read, len(q.accepted), q.rows_rejected) == (5, 4, 1)
    with pytest.raises(routes.ValidationError, match="no sheet 'Nowhere'; the sheets are"):
        read_questionnaire(path, sheet="Nowhere")


def test_template_reads_back_empty_and_round_trips(tmp_path: Path, long_csv: Path) -> None:
    blank = read_questionnaire(routes.questionnaire.questionnaire_template_path())
    assert (blank.rows_read, blank.layout, blank.ignored_columns) == (0, "wide", [])
    q = read_questionnaire(long_csv, today=TODAY)
    out = routes.questionnaire.write_questionnaire_workbook(q.accepted, tmp_path / "wide.xlsx")
    back = read_questionnaire(out, today=TODAY)
    assert (back.rows_read, back.rows_rejected) == (len(q.accepted), 0)
    key = ["jurisdiction", "year", "indicator", "category", "value"]
    a = q.accepted[key].sort_values(key).reset_index(drop=True)
    b = back.accepted[key].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    assert _kinds(back) == _kinds(q)


def test_bundled_template_is_what_the_code_writes(tmp_path: Path) -> None:
    import openpyxl

    fresh = routes.questionnaire.write_questionnaire_template(tmp_path / "t.xlsx")
    a = openpyxl.load_workbook(routes.questionnaire.questionnaire_template_path())
    b = openpyxl.load_workbook(fresh)
    assert a.sheetnames == b.sheetnames == ["Instructions", "AL", "BA", "XK", "ME", "MK", "RS"]
    for name in a.sheetnames:
        cells_a = [[c.value for c in row] for row in a[name].iter_rows()]
        cells_b = [[c.value for c in row] for row in b[name].iter_rows()]
        assert cells_a == cells_b, name
    assert "UNSCR 1244/1999" in str(a["XK"]["A2"].value)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("country,yr,what\nAL,2022,3\n", r"required column\(s\) year, indicator, value missing"),
        ("", "the file is empty"),
    ],
)
def test_unreadable_files_raise_with_the_fix(tmp_path: Path, content: str, match: str) -> None:
    path = tmp_path / "q.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(routes.ValidationError, match=match):
        read_questionnaire(path)


def test_missing_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(routes.ValidationError, match="no such file"):
        read_questionnaire(tmp_path / "missing.csv")
    (tmp_path / "q.json").write_text("{}", encoding="utf-8")
    with pytest.raises(routes.ValidationError, match=r"unknown file type '\.json'"):
        read_questionnaire(tmp_path / "q.json")
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    with pytest.raises(routes.ValidationError, match="cannot open the workbook"):
        read_questionnaire(tmp_path / "bad.xlsx")


def test_strict_raises_listing_every_problem(long_csv: Path) -> None:
    with pytest.raises(routes.ValidationError, match=r"10 problem\(s\) found") as err:
        read_questionnaire(long_csv, strict=True, today=TODAY)
    assert {p.row for p in err.value.problems} == {r for r, _ in LONG_REJECTED}


def test_future_year_and_frame_input() -> None:
    frame = pd.DataFrame(
        {
            "jurisdiction": ["XK", "ME", "MK"],
            "year": [2027, 2024, "2024.0"],
            "indicator": ["cases", "found weapons", "persons"],
            "value": [1, "1.234", 0],
        }
    )
    q = read_questionnaire(frame, today=TODAY)
    assert q.layout == "frame"
    assert [i.reason for i in q.issues] == ["invalid_year"]
    assert q.accepted["value"].tolist() == [1234.0, 0.0]
    assert q.accepted["indicator"].tolist() == ["found_weapons", "persons"]


def test_summary_keeps_the_five_keys_and_adds_the_mapping_ones(long_csv: Path) -> None:
    s = read_questionnaire(long_csv, today=TODAY).summary()
    assert list(s)[:5] == ["rows_read", "accepted", "rejected", "reasons", "inconsistencies"]
    assert list(s)[5:] == [
        "rejected_by_reason",
        "mapping",
        "layout",
        "header_row",
        "context_jurisdictions",
    ]
    assert sum(s["rejected_by_reason"].values()) == s["rejected"]
    assert (s["mapping"], s["layout"], s["context_jurisdictions"]) == (None, "long", [])
    assert s["rows_read"] == s["accepted"] + s["rejected"]
    assert set(s["reasons"][0]) == {"row", "sheet", "column", "value", "reason", "fix"}
    assert set(s["inconsistencies"][0]) == {"kind", "jurisdiction", "year", "indicator", "what"}


def _generated(readme: str, name: str) -> str:
    match = re.search(
        rf"<!-- generated: {name} -->\n(.*?)<!-- end generated: {name} -->", readme, re.S
    )
    assert match, f"README has no generated block {name!r}"
    return match.group(1)


def test_readme_format_tables_are_generated_from_code(repo: Path) -> None:
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert _generated(readme, "questionnaire_markdown") == questionnaire_markdown()
    table = questionnaire_markdown()
    for name in routes.questionnaire.INDICATORS:
        assert f"| `{name}` |" in table
    for reason in QUESTIONNAIRE_REASONS:
        assert f"| `{reason}` |" in table
