"""Comparison, rates, coverage, charts and the chapter's sharing-safe rule, hand-computed."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

import routes
from routes.questionnaire import (
    comparison_table,
    coverage_table,
    jurisdiction_table,
    load_population,
    questionnaire_chapter,
    questionnaire_rates,
    questionnaire_trend_chart,
    read_questionnaire,
    reported_routes,
)


def _q(rows: list[tuple]) -> object:
    cols = ["jurisdiction", "year", "indicator", "category", "value", "from", "via", "to"]
    frame = pd.DataFrame([r + (None,) * (len(cols) - len(r)) for r in rows], columns=cols)
    return read_questionnaire(frame)


def test_population_table_is_sourced_per_row(tmp_path: Path) -> None:
    pop = load_population()
    assert pop["jurisdiction"].tolist() == list(routes.WESTERN_BALKANS)
    by = pop.set_index("jurisdiction")
    assert by.loc["XK", "population"] == 1_586_659
    assert by.loc["XK", "name"] == "Kosovo*"
    assert by.loc["ME", "population"] == 623_633
    assert pop["source"].str.len().min() > 40
    assert "INSTAT" in by.loc["AL", "source"]
    bad = tmp_path / "pop.csv"
    text = routes.questionnaire.compare.data_dir("questionnaire").joinpath("population.csv")
    lines = text.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("2402113", "-5")
    bad.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(routes.ValidationError, match="2 problem") as err:
        load_population(bad)
    assert "population -5 is not a positive whole number" in str(err.value)
    assert "jurisdiction RS appears 0 times" in str(err.value)


def test_rates_comparison_and_jurisdiction_tables() -> None:
    q = _q(
        [
            ("ME", 2022, "seized_weapons", "total", 31),
            ("ME", 2023, "seized_weapons", "total", 62),
            ("ME", 2023, "seized_weapons", "pistol", 50),
            ("ME", 2023, "seized_weapons", "rifle", 12),
            ("AL", 2023, "seized_weapons", "total", 24),
            ("AL", 2023, "seized_explosives_kg", "total", 1.5),
        ]
    )
    totals = q.totals()
    rates = questionnaire_rates(totals).set_index(["jurisdiction", "year", "indicator"])
    # 62 / 623,633 * 100,000 = 9.9417...; 24 / 2,402,113 * 100,000 = 0.99912...
    assert rates.loc[("ME", 2023, "seized_weapons"), "per_100k"] == 9.94
    assert rates.loc[("AL", 2023, "seized_weapons"), "per_100k"] == 1.0
    table = comparison_table(totals, "seized_weapons")
    assert table.to_dict("records") == [
        {"jurisdiction": "AL", "name": "Albania", "2022": None, "2023": 24, "per_100k_2023": 1.0},
        {"jurisdiction": "ME", "name": "Montenegro", "2022": 31, "2023": 62, "per_100k_2023": 9.94},
    ]
    me = jurisdiction_table(q.accepted, "ME")
    assert me[["indicator", "category"]].values.tolist() == [
        ["seized_weapons", "total"],
        ["seized_weapons", "pistol"],
        ["seized_weapons", "rifle"],
    ]
    assert me["2023"].tolist() == [62, 50, 12]
    al = jurisdiction_table(q.accepted, "AL")
    assert al["2023"].tolist() == [24, 1.5]
    assert jurisdiction_table(q.accepted, "RS").empty


def test_reported_routes_sum_over_years_and_reporters() -> None:
    q = _q(
        [
            ("RS", 2022, "reported_route", "total", 4, "TR", "BG", "DE"),
            ("RS", 2023, "reported_route", "pistol", 3, "Türkiye", "Bulgaria", "Germany"),
            ("MK", 2023, "reported_route", "total", 2, "TR", "BG", "DE"),
            ("AL", 2023, "reported_route", "total", 9, "AL", None, "IT"),
        ]
    )
    table = reported_routes(q.accepted)
    assert table.to_dict("records") == [  # most seizures first, then by country of departure
        {"from": "AL", "via": "", "to": "IT", "seizures": 9, "reported_by": "AL", "years": "2023"},
        {
            "from": "TR",
            "via": "BG",
            "to": "DE",
            "seizures": 9,
            "reported_by": "MK, RS",
            "years": "2022-2023",
        },
    ]


def test_coverage_of_the_incident_records() -> None:
    q = _q(
        [
            ("RS", 2022, "cases", "total", 6),
            ("RS", 2022, "seized_weapons", "total", 10),
            ("RS", 2019, "cases", "total", 99),  # before the incidents' first year: left out
        ]
    )
    incidents = gpd.GeoDataFrame(
        {
            "jurisdiction": ["RS", "RS", "RS", "RS", "AL"],
            "date": pd.to_datetime(
                ["2022-01-05", "2022-03-01", "2022-07-07", "2022-08-08", "2023-01-01"]
            ),
            "event": ["seizure", "seizure", "seizure", "found", "seizure"],
            "category": ["pistol", "rifle", "ammunition", "pistol", "pistol"],
            "quantity": [2, 3, 100, 7, 1],
        },
        geometry=gpd.points_from_xy([20.4] * 5, [44.8] * 5),
        crs="EPSG:4326",
    )
    table = coverage_table(q.totals(), incidents)
    assert table.to_dict("records") == [
        {
            "jurisdiction": "RS",
            "year": 2022,
            "incident_seizures": 3,
            "incident_firearms": 5,
            "questionnaire_cases": 6,
            "questionnaire_seized_weapons": 10,
            "cases_coverage_pct": 50.0,
            "firearms_coverage_pct": 50.0,
        }
    ]


def test_trend_chart_look_and_sharing_safe_gaps() -> None:
    q = _q(
        [
            ("XK", 2022, "cases", "total", 3),
            ("XK", 2023, "cases", "total", 30),
            ("RS", 2022, "cases", "total", 40),
            ("RS", 2023, "cases", "total", 44),
        ]
    )
    fig = questionnaire_trend_chart(
        q.totals(), indicator="cases", marking="RESTRICTED", min_count=5
    )
    texts = [t.get_text() for t in fig.texts]
    assert texts.count("RESTRICTED") == 2
    assert "Cases per year" in texts
    assert any(routes.KOSOVO_FOOTNOTE[:40] in t.replace("\n", " ") for t in texts)
    assert any("1 value(s) below 5 are not drawn" in t.replace("\n", " ") for t in texts)
    ax = fig.axes[0]
    lines = {line.get_label(): line.get_ydata().tolist() for line in ax.get_lines()}
    assert lines["Serbia"] == [40.0, 44.0]
    xk = lines["Kosovo*"]
    assert xk[0] != xk[0]  # 3 is hidden (NaN)
    assert xk[1] == 30.0
    with pytest.raises(routes.ValidationError, match="no persons value to draw"):
        questionnaire_trend_chart(q.totals(), indicator="persons")
    with pytest.raises(routes.ValidationError, match="indicator 'weapons' is not known"):
        questionnaire_trend_chart(q.totals(), indicator="weapons")


def test_chapter_normal_and_sharing_safe() -> None:
    q = _q(
        [
            ("AL", 2023, "seized_weapons", "total", 25),
            ("AL", 2023, "seized_weapons", "pistol", 22),
            ("AL", 2023, "seized_weapons", "rifle", 3),
            ("MK", 2023, "seized_weapons", "total", 4),
            ("RS", 2023, "seized_weapons", "total", 44),
        ]
    )
    normal = questionnaire_chapter(q)
    assert list(normal.tables) == [
        "compare_seized_weapons",
        "rates",
        "jurisdiction_AL",
        "jurisdiction_MK",
        "jurisdiction_RS",
        "weapon_types",
    ]
    types = normal.tables["weapon_types"]
    assert types[
        ["jurisdiction", "pistol", "rifle", "categories_sum", "total"]
    ].values.tolist() == [["AL", 22, 3, 25, 25]]
    assert normal.choropleth.choropleth["texts"]["MK"] == "0.22"  # 4 / 1,836,713 * 1e5
    safe = questionnaire_chapter(q, min_count=5)
    compare = safe.tables["compare_seized_weapons"].set_index("jurisdiction")
    assert compare.loc["MK", "2023"] == "<5"
    assert compare.loc["MK", "per_100k_2023"] == "<5"
    assert compare.loc["AL", "2023"] == 25
    al = safe.tables["jurisdiction_AL"].set_index("category")["2023"].to_dict()
    assert al == {"total": 25, "pistol": "<5", "rifle": "<5"}  # rifle 3, then pistol (secondary)
    types = safe.tables["weapon_types"].iloc[0].to_dict()
    assert (types["pistol"], types["rifle"], types["total"]) == ("<5", "<5", 25)
    assert safe.choropleth.choropleth["texts"]["MK"] == "<5"
    assert safe.choropleth.choropleth["fills"]["MK"] == "#d9d9d9"
    assert any("counts below 5 are shown as '<5'" in n for n in safe.notes)
    assert "Rates per 100,000 inhabitants divide by one census population" in safe.notes[0]
