"""Statistics per jurisdiction: hand-computed counts, suppression, CSV / Markdown / Excel."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import routes
from routes.analysis.stats import (
    jurisdiction_breakdown,
    jurisdiction_summary,
    jurisdiction_tables,
    suppress_small_counts,
    tables_to_markdown,
    write_tables,
)


@pytest.fixture
def incidents() -> pd.DataFrame:
    """Seven incidents; every expected number below is counted by hand from this table."""
    return pd.DataFrame(
        {
            "incident_id": ["a", "b", "c", "d", "e", "f", "g"],
            "jurisdiction": ["RS", "RS", "XK", "XK", "XK", "AL", "RS"],
            "date": pd.to_datetime(
                [
                    "2021-03-01",
                    "2022-05-02",
                    "2021-07-07",
                    None,
                    "2023-01-31",
                    "2022-02-02",
                    "2022-12-12",
                ]
            ),
            "category": ["pistol", "pistol", "hand_grenade", "pistol", "ammunition", "rifle", None],
            "quantity": [2, 1, 3, 1, 500, 1, 4],
            "modus_operandi": ["bus", "truck", "bus", "unknown", "truck", "boat", "bus"],
            "ocg_involved": ["yes", "no", "yes", "unknown", "yes", "no", "yes"],
            "migrants_involved": ["no", "yes", "no", "no", "unknown", "no", "yes"],
        }
    )


def test_summary_counts_and_kosovo_name(incidents: pd.DataFrame) -> None:
    s = jurisdiction_summary(incidents)
    assert s["jurisdiction"].tolist() == ["AL", "XK", "RS", "ALL"]  # Western Balkans order
    assert s["jurisdiction_name"].tolist() == ["Albania", "Kosovo*", "Serbia", "All jurisdictions"]
    row = s.set_index("jurisdiction")
    assert row.loc["XK", "incidents"] == 3
    assert row.loc["XK", "quantity"] == 504
    assert row.loc["XK", "first_date"] == "2021-07-07"
    assert row.loc["XK", "last_date"] == "2023-01-31"  # the undated one is not a date
    assert row.loc["XK", "ocg_involved_yes"] == 2
    assert row.loc["RS", "migrants_involved_yes"] == 2
    assert row.loc["ALL", "incidents"] == 7
    assert row.loc["ALL", "quantity"] == 512


def test_breakdown_by_category_and_year(incidents: pd.DataFrame) -> None:
    cat = jurisdiction_breakdown(incidents, "category")
    rs = cat[cat["jurisdiction"] == "RS"]
    assert rs["category"].tolist() == ["pistol", "not recorded"]  # 2 incidents, then 1
    assert rs["incidents"].tolist() == [2, 1]
    assert rs["quantity"].tolist() == [3, 4]
    assert rs["share_pct"].tolist() == [66.7, 33.3]
    every = cat[cat["jurisdiction"] == "ALL"].set_index("category")
    assert every.loc["pistol", "incidents"] == 3
    assert every.loc["ammunition", "quantity"] == 500

    year = jurisdiction_breakdown(incidents, "year")
    xk = year[year["jurisdiction"] == "XK"]
    assert xk["year"].tolist() == ["2021", "2023", "undated"]  # ascending, undated last
    assert xk["incidents"].tolist() == [1, 1, 1]
    all_years = year[year["jurisdiction"] == "ALL"].set_index("year")["incidents"].to_dict()
    assert all_years == {"2021": 2, "2022": 3, "2023": 1, "undated": 1}


def test_tables_cover_every_dimension(incidents: pd.DataFrame) -> None:
    tables = jurisdiction_tables(incidents)
    assert list(tables) == [
        "summary",
        "by_year",
        "by_category",
        "by_modus_operandi",
        "by_ocg_involved",
        "by_migrants_involved",
    ]
    mo = tables["by_modus_operandi"]
    assert mo[(mo.jurisdiction == "ALL") & (mo.modus_operandi == "bus")]["incidents"].item() == 3


def test_missing_column_is_a_clear_error(incidents: pd.DataFrame) -> None:
    with pytest.raises(routes.ValidationError, match=r"column 'modus_operandi'.*read_incidents"):
        jurisdiction_breakdown(incidents.drop(columns="modus_operandi"), "modus_operandi")


def test_suppression_primary_and_secondary() -> None:
    t = pd.DataFrame(
        {
            "jurisdiction": ["AL", "AL", "AL", "RS", "RS", "RS"],
            "incidents": [12, 7, 2, 9, 3, 1],
            "quantity": [20, 9, 2, 30, 3, 1],
            "share_pct": [57.1, 33.3, 9.5, 69.2, 23.1, 7.7],
        }
    )
    out = suppress_small_counts(t, min_count=5)
    # AL: only "2" is small; it could be recovered from the AL total, so 7 is hidden too.
    assert out["incidents"].tolist() == [12, "<5", "<5", 9, "<5", "<5"]
    assert out["quantity"].tolist() == [20, "<5", "<5", 30, "<5", "<5"]
    assert out["share_pct"].tolist()[2] == "<5"
    assert t["incidents"].tolist() == [12, 7, 2, 9, 3, 1], "input must not change"
    assert suppress_small_counts(t, min_count=1).equals(t)
    with pytest.raises(ValueError, match=r"min_count must be a whole number >= 1.*got 0"):
        suppress_small_counts(t, min_count=0)


def test_secondary_suppression_across_jurisdictions() -> None:
    t = pd.DataFrame(
        {
            "jurisdiction": ["AL", "AL", "RS", "RS", "ALL", "ALL"],
            "category": ["pistol", "rifle", "pistol", "rifle", "pistol", "rifle"],
            "incidents": [6, 7, 2, 9, 8, 16],
            "quantity": [6, 7, 2, 9, 8, 16],
        }
    )
    out = suppress_small_counts(t, min_count=5, across="category")
    # RS pistol (2) is small -> RS rifle (RS total is published) -> AL pistol (the regional
    # pistol total is published) -> AL rifle (AL total); the regional totals stay visible.
    assert out["incidents"].tolist() == ["<5", "<5", "<5", "<5", 8, 16]
    summary = pd.DataFrame(
        {
            "jurisdiction": ["AL", "XK", "RS", "ALL"],
            "incidents": [12, 3, 10, 25],
            "quantity": [12, 3, 10, 25],
            "ocg_involved_yes": [0, 2, 6, 8],
        }
    )
    s = suppress_small_counts(summary, min_count=5, group=None)
    assert s["incidents"].tolist() == [12, "<5", "<5", 25]
    assert s["ocg_involved_yes"].tolist() == [0, "<5", "<5", 8]  # the zero stays


def test_writers_csv_markdown_excel(tmp_path: Path, incidents: pd.DataFrame) -> None:
    hostile = incidents.copy()
    hostile.loc[0, "category"] = "<img src=x onerror=alert(1)>|"
    hostile.loc[1, "category"] = '=HYPERLINK("http://x","click")'
    tables = jurisdiction_tables(hostile)
    files = write_tables(
        tables, tmp_path, title="Annex A", marking="RESTRICTED", notes=["Synthetic test data."]
    )
    assert {p.name for p in files.values()} >= {
        "statistics_summary.csv",
        "statistics_by_category.csv",
        "statistics.md",
        "statistics.xlsx",
    }
    assert not list(tmp_path.glob(".*tmp*")), "no temporary file may be left behind"

    with open(files["summary.csv"], newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[1]["jurisdiction_name"] == "Kosovo*"
    assert rows[1]["quantity"] == "504"
    with open(files["by_category.csv"], newline="", encoding="utf-8") as fh:
        cats = [r["category"] for r in csv.DictReader(fh)]
    assert '\'=HYPERLINK("http://x","click")' in cats  # formula defused

    md = files["markdown"].read_text(encoding="utf-8")
    assert md.startswith("**RESTRICTED**")
    assert md.rstrip().endswith("**RESTRICTED**")
    assert routes.KOSOVO_FOOTNOTE.replace("*", "\\*")[:40] in md
    assert "| Kosovo\\* |" in md
    assert "<img" not in md
    assert "&lt;img src=x onerror=alert\\(1\\)&gt;\\|" in md

    wb = load_workbook(files["xlsx"])
    assert wb.sheetnames == [
        "About",
        "summary",
        "by_year",
        "by_category",
        "by_modus_operandi",
        "by_ocg_involved",
        "by_migrants_involved",
    ]
    about = [c.value for c in wb["About"]["A"]]
    assert about[:3] == ["Annex A", "RESTRICTED", "Synthetic test data."]
    assert routes.KOSOVO_FOOTNOTE in about
    ws = wb["summary"]
    assert [c.value for c in ws[2]][:3] == ["Jurisdiction", "Incidents", "Quantity"]
    assert ws["A4"].value == "Kosovo*"
    assert ws["C4"].value == 504
    values = [c.value for row in ws.iter_rows() for c in row]
    assert routes.KOSOVO_FOOTNOTE in values
    assert "RESTRICTED" in values
    assert ws.oddHeader.center.text == "RESTRICTED"
    cat_cells = [c for row in wb["by_category"].iter_rows() for c in row]
    formula = [c for c in cat_cells if str(c.value).startswith("=HYPERLINK")]
    assert formula
    assert all(c.data_type == "s" for c in formula)
    with zipfile.ZipFile(files["xlsx"]) as zf:
        assert not any(
            "<f>" in zf.read(n).decode("utf-8")
            for n in zf.namelist()
            if n.startswith("xl/worksheets/")
        )


def test_markdown_without_marking_still_has_footnote(incidents: pd.DataFrame) -> None:
    md = tables_to_markdown({"summary": jurisdiction_summary(incidents)})
    assert "UNSCR 1244/1999" in md
    assert "RESTRICTED" not in md


def test_markdown_counts_have_thousands_separators_csv_and_xlsx_stay_raw(tmp_path: Path) -> None:
    # acceptance finding: the annex tables showed 191595 while the map showed 191,595
    big = pd.DataFrame(
        {
            "incident_id": [f"i{k}" for k in range(3)],
            "jurisdiction": ["RS", "RS", "AL"],
            "date": pd.to_datetime(["2021-03-01", "2021-05-02", "2022-07-07"]),
            "category": ["ammunition", "pistol", "ammunition"],
            "quantity": [22101, 169494, 1234],
            "modus_operandi": ["bus", "truck", "bus"],
            "ocg_involved": ["yes", "no", "yes"],
            "migrants_involved": ["no", "yes", "no"],
        }
    )
    tables = jurisdiction_tables(big)
    md = tables_to_markdown(tables)
    assert "| Serbia | 2 | 191,595 |" in md
    assert "| Albania | 1 | 1,234 |" in md
    assert "| All jurisdictions | 3 | 192,829 |" in md
    assert "| Serbia | 2021 | 2 | 191,595 |" in md  # years are labels, never "2,021"
    assert "191595" not in md
    flows = pd.DataFrame({"e_road": ["E75", "E70"], "incidents": [1234.56, 3.0]})
    md = tables_to_markdown({"corridors": flows})
    assert "| E75 | 1,234.6 |" in md  # expected incidents: at most one decimal
    assert "| E70 | 3 |" in md
    files = write_tables(tables, tmp_path)
    assert "191595" in files["summary.csv"].read_text(encoding="utf-8")
    assert load_workbook(files["xlsx"])["summary"]["C3"].value == 1234
