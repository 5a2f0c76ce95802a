"""The questionnaire chapter of the annex, normal and sharing-safe (the small-count rule).

``report_small.csv``: 16 values, 15 accepted (XK's -1 rejected), one inconsistency (Albania
gives no seized_weapons for 2021). Sharing-safe with --min-count 5, worked out by hand:
North Macedonia's 3 (2021) and 2 cases (2022, with its rate) become "<5"; in Serbia's own
table 2021 rifle 3 and revolver 1 are hidden, in 2022 rifle 4 is hidden and, being the only
hidden category of the published total 44, so is pistol 40; the route TR-BG-RS with 2
seizures is left out.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import routes
from routes.cli import main

HERE = Path(__file__).resolve().parents[1]
INCIDENTS = HERE / "fixtures" / "report" / "incidents_small.csv"
QUESTIONNAIRE = HERE / "fixtures" / "questionnaire" / "report_small.csv"


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _cli_report(out: Path, questionnaire: str, *options: str) -> Path:
    """``salw-routes report`` of the small incidents with a questionnaire; the folder."""
    args = ["report", str(INCIDENTS), "--out", str(out), "--questionnaire", questionnaire]
    res = CliRunner().invoke(main, [*args, "--no-interactive", *options])
    assert res.exit_code == 0, res.output
    return out


@pytest.fixture(scope="module")
def normal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("q_report") / "out"
    return _cli_report(out, str(QUESTIONNAIRE), "--marking", "RESTRICTED")


@pytest.fixture(scope="module")
def safe(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("q_report_safe") / "out"
    incidents = routes.read_incidents(INCIDENTS)
    return routes.write_report(
        incidents, out, share_safe=True, min_count=5, questionnaire=QUESTIONNAIRE, salt="x" * 16
    )


def test_chapter_is_in_the_annex_with_its_files(normal: Path) -> None:
    annex = (normal / "annex.html").read_text(encoding="utf-8")
    assert "<h2>Questionnaire statistics</h2>" in annex
    assert annex.index("Questionnaire statistics") < annex.index("<h2>Figures</h2>")
    assert (
        "Questionnaire input: 16 values read, 15 accepted, 1 rejected (1 × negative_value)" in annex
    )
    assert "no seized weapons value for 2021, while North Macedonia, Serbia report one" in annex
    for rel in (
        "maps/questionnaire_choropleth.html",
        "figures/questionnaire_seized_weapons_per_year.svg",
        "figures/questionnaire_cases_per_100k.png",
        "figures/questionnaire_reported_routes.png",
        "tables/questionnaire_compare_seized_weapons.csv",
        "tables/questionnaire_jurisdiction_RS.csv",
        "tables/questionnaire_routes.csv",
        "tables/questionnaire_coverage.csv",
        "tables/questionnaire.xlsx",
        "tables/questionnaire.md",
    ):
        assert (normal / rel).is_file(), rel
        assert rel in annex, rel
    manifest = (normal / "manifest.json").read_text(encoding="utf-8")
    assert "maps/questionnaire_choropleth.html" in manifest
    assert 'data-srcdoc="' in annex  # the choropleth, loaded after layout


def test_normal_tables_show_every_value(normal: Path) -> None:
    compare = {
        r["jurisdiction"]: r
        for r in _csv(normal / "tables" / "questionnaire_compare_seized_weapons.csv")
    }
    assert (compare["MK"]["2021"], compare["MK"]["2022"], compare["RS"]["2021"]) == (
        "3",
        "12",
        "40",
    )
    # 12 / 1,836,713 * 100,000 = 0.653...
    assert compare["MK"]["per_100k_2022"] == "0.65"
    assert compare["AL"]["2021"] == ""
    rs = {
        (r["indicator"], r["category"]): r
        for r in _csv(normal / "tables" / "questionnaire_jurisdiction_RS.csv")
    }
    assert rs[("seized_weapons", "rifle")]["2022"] == "4"
    route_rows = _csv(normal / "tables" / "questionnaire_routes.csv")
    assert [(r["from"], r["via"], r["to"], r["seizures"]) for r in route_rows] == [
        ("BG", "", "HU", "12"),
        ("TR", "BG", "RS", "2"),
    ]
    assert all(r["routed"] == "True" for r in route_rows)
    coverage = _csv(normal / "tables" / "questionnaire_coverage.csv")
    assert {(r["jurisdiction"], r["year"]) for r in coverage} >= {("RS", "2021"), ("MK", "2022")}


def test_share_safe_applies_the_small_count_rule(safe: Any) -> None:
    out = safe.out_dir
    compare = {
        r["jurisdiction"]: r
        for r in _csv(out / "tables" / "questionnaire_compare_seized_weapons.csv")
    }
    assert (compare["MK"]["2021"], compare["MK"]["2022"], compare["RS"]["2021"]) == (
        "<5",
        "12",
        "40",
    )
    cases = {r["jurisdiction"]: r for r in _csv(out / "tables" / "questionnaire_compare_cases.csv")}
    assert (cases["MK"]["2022"], cases["MK"]["per_100k_2022"]) == ("<5", "<5")
    assert cases["AL"]["2022"] == "7"
    rs = {
        (r["indicator"], r["category"]): r
        for r in _csv(out / "tables" / "questionnaire_jurisdiction_RS.csv")
    }
    assert (
        rs[("seized_weapons", "rifle")]["2021"],
        rs[("seized_weapons", "revolver")]["2021"],
    ) == ("<5", "<5")
    assert rs[("seized_weapons", "pistol")]["2021"] == "36"
    assert (rs[("seized_weapons", "rifle")]["2022"], rs[("seized_weapons", "pistol")]["2022"]) == (
        "<5",
        "<5",
    )
    assert rs[("seized_weapons", "total")]["2022"] == "44"
    routes_rows = _csv(out / "tables" / "questionnaire_routes.csv")
    assert [(r["from"], r["to"]) for r in routes_rows] == [("BG", "HU")]
    rates = _csv(out / "tables" / "questionnaire_rates.csv")
    mk = next(r for r in rates if r["jurisdiction"] == "MK" and r["indicator"] == "cases")
    assert (mk["value"], mk["per_100k"]) == ("<5", "<5")
    annex = (out / "annex.html").read_text(encoding="utf-8")
    assert "<h2>Questionnaire statistics</h2>" in annex
    assert "Sharing-safe: questionnaire counts below 5 are shown as" in annex
    assert "1 reported route(s) with fewer than 5 seizures are left out" in annex
    assert "no seized weapons value for 2021" not in annex  # inconsistencies without numbers
    assert "a jurisdiction reports an indicator for some years but not for a year" in annex
    assert "&lt;5" in annex
    assert safe.share_safe
    assert "maps/questionnaire_choropleth.html" in safe.files


def test_bad_questionnaire_is_a_clear_error(tmp_path: Path) -> None:
    incidents = routes.read_incidents(INCIDENTS)
    bad = tmp_path / "q.csv"
    bad.write_text("jurisdiction,year,indicator,value\nAtlantis,2022,cases,1\n", encoding="utf-8")
    with pytest.raises(routes.ValidationError, match="no value of the questionnaire"):
        routes.write_report(incidents, tmp_path / "out", questionnaire=bad)
    with pytest.raises(routes.ValidationError, match="questionnaire= must be a file"):
        routes.write_report(incidents, tmp_path / "out", questionnaire=42)
    assert not (tmp_path / "out" / "annex.html").exists()


IAFQ_2022 = HERE / "fixtures" / "questionnaire" / "unodc_iafq_2022.xlsx"


@pytest.fixture(scope="module")
def iafq(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("q_report_iafq") / "out"
    return _cli_report(out, str(IAFQ_2022), "--questionnaire-mapping", "unodc_iafq")


def test_iafq_chapter_works_from_the_published_figures(iafq: Path) -> None:
    tables = iafq / "tables"

    def rows(name: str) -> list[dict[str, str]]:
        return _csv(tables / f"questionnaire_{name}.csv")

    seized = {r["jurisdiction"]: r for r in rows("compare_seized_weapons")}
    assert list(seized) == ["AL", "ME", "MK", "RS"]  # the six only (BA, XK: no rows)
    assert (seized["AL"]["2016"], seized["AL"]["2018"], seized["RS"]["2020"]) == (
        "531",
        "872",
        "1571",
    )  # UNODC's own Arms seized / Total
    context = {r["jurisdiction"]: r for r in rows("context_seized_weapons")}
    assert list(context) == ["BG", "HR"]  # apart from the six, no rates
    assert (context["HR"]["2016"], context["BG"]["2019"]) == ("1878", "48")
    assert not any(k.startswith("per_100k") for k in context["HR"])
    types = [r for r in rows("weapon_types") if r["jurisdiction"] == "AL"]
    assert (types[0]["year"], types[0]["pistol"], types[0]["rifle"], types[0]["total"]) == (
        "2016",
        "169",
        "273",
        "531",
    )
    share = rows("converted_share")
    assert share[0] == {
        "jurisdiction": "AL",
        "name": "Albania",
        "year": "2016",
        "converted_weapons": "12",
        "seized_weapons": "531",
        "converted_pct": "2.3",
    }
    al = rows("jurisdiction_AL")
    assert {"condition", "marking", "location", "tracing"} <= {r["breakdown"] for r in al}
    page = (iafq / "annex.html").read_text(encoding="utf-8")
    assert "UNODC, Illicit Arms Flows Questionnaire (IAFQ), dataUNODC" in page
    assert "reported by national authorities" in page
    assert "Context jurisdictions (neighbours, shown apart from the six): Bulgaria, Croatia" in page
    assert (iafq / "figures" / "questionnaire_seized_weapons_context.png").is_file()
    assert (iafq / "figures" / "questionnaire_weapon_types.svg").is_file()


def test_questionnaire_mapping_needs_the_questionnaire(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        main,
        ["report", str(INCIDENTS), "--out", str(tmp_path / "o"), "--questionnaire-mapping", "x"],
    )
    assert res.exit_code == 2
    assert "--questionnaire-mapping reads --questionnaire FILE: give both" in res.output


def test_an_unknown_questionnaire_mapping_exits_2_before_the_report(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        main,
        [
            "report",
            str(INCIDENTS),
            "--out",
            str(tmp_path / "o"),
            "--questionnaire",
            str(IAFQ_2022),
            "--questionnaire-mapping",
            "unodc_iafk",
        ],
    )
    assert res.exit_code == 2
    assert "questionnaire mapping 'unodc_iafk' not found" in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert not (tmp_path / "o" / "annex.html").exists()
