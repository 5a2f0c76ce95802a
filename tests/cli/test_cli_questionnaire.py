"""The ``salw-routes questionnaire`` command: text, JSON, template, exit status."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from routes.cli import main


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["questionnaire", *args])
    return result.exit_code, result.stdout, result.stderr


FIVE = ["rows_read", "accepted", "rejected", "reasons", "inconsistencies"]
ADDED = ["rejected_by_reason", "mapping", "layout", "header_row", "context_jurisdictions"]


def test_json_keeps_the_five_keys_and_exit_1(fixtures: Path) -> None:
    code, out, _ = _run(str(fixtures / "questionnaire" / "long_small.csv"), "--json")
    assert code == 1
    data = json.loads(out)  # exactly one JSON document
    assert list(data) == FIVE + ADDED
    assert data["rejected_by_reason"]["invalid_value"] == 2
    assert sum(data["rejected_by_reason"].values()) == data["rejected"] == 10
    assert (data["rows_read"], data["accepted"], data["rejected"]) == (22, 12, 10)
    negative = data["reasons"][0]
    assert negative == {
        "row": 8,
        "sheet": None,
        "column": "value",
        "value": "-2",
        "reason": "negative_value",
        "fix": "value '-2' is negative; counts are 0 or more",
    }
    assert [r["row"] for r in data["reasons"]] == [8, 9, 10, 11, 12, 13, 14, 16, 18, 22]
    kinds = [
        (i["kind"], i["jurisdiction"], i["year"], i["indicator"]) for i in data["inconsistencies"]
    ]
    assert kinds == [
        ("total_mismatch", "AL", 2022, "seized_weapons"),
        ("missing_year", "XK", 2023, "seized_weapons"),
        ("jump", "BA", 2023, "seized_weapons"),
        ("jump", "MK", 2023, "seized_explosives_kg"),
    ]
    assert all(i["what"] for i in data["inconsistencies"])


def test_text_report(fixtures: Path) -> None:
    code, out, _ = _run(str(fixtures / "questionnaire" / "long_small.csv"))
    assert code == 1
    assert "rows read:      22" in out
    assert "accepted:       12" in out
    assert "rejected:       10" in out
    assert "invalid_value         2" in out
    assert "row 8, column 'value': value '-2' is negative" in out
    assert "inconsistencies: 4" in out
    assert "missing_year: Kosovo* 2023 seized_weapons" in out
    assert "UNSCR 1244/1999" in out  # Kosovo* is named: the footnote follows


def test_clean_file_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        "jurisdiction,year,indicator,value\nAL,2023,cases,4\nAL,2024,cases,5\n", encoding="utf-8"
    )
    code, out, _ = _run(str(path), "--json")
    assert code == 0
    assert json.loads(out) == {
        "rows_read": 2,
        "accepted": 2,
        "rejected": 0,
        "reasons": [],
        "inconsistencies": [],
        "rejected_by_reason": {},
        "mapping": None,
        "layout": "long",
        "header_row": None,
        "context_jurisdictions": [],
    }


def test_unreadable_file_exits_2_with_json(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    code, out, _ = _run(str(path), "--json")
    assert code == 2
    data = json.loads(out)
    assert list(data) == FIVE + ADDED
    assert data["rows_read"] == 0
    assert data["reasons"][0]["reason"] == "missing_column"
    code, _, err = _run(str(tmp_path / "missing.csv"))
    assert code == 2
    assert "no such file" in err


def test_template_written_and_read_back(tmp_path: Path) -> None:
    target = tmp_path / "out" / "questionnaire.xlsx"
    code, out, _ = _run("--template", str(target))
    assert code == 0
    assert f"wrote the questionnaire template to {target}" in out
    assert target.is_file()
    code, out, err = _run(str(target))
    assert code == 2  # a blank template: nothing accepted
    assert "rows read:      0" in out
    assert "no value accepted" in err


def test_bad_options_exit_2(tmp_path: Path, fixtures: Path) -> None:
    code, _, err = _run()
    assert code == 2
    assert "give the QUESTIONNAIRE file" in err
    code, _, err = _run("--template", str(tmp_path / "t.csv"))
    assert code == 2
    assert "does not end in .xlsx" in err
    code, _, err = _run(str(fixtures / "questionnaire" / "long_small.csv"), "--template", "t.xlsx")
    assert code == 2
    assert "not both" in err


def test_iafq_export_with_mapping_json_counts_every_row(fixtures: Path) -> None:
    path = fixtures / "questionnaire" / "unodc_iafq_2022.xlsx"
    code, out, _ = _run(str(path), "-m", "unodc_iafq", "--json")
    assert code == 1  # some rows rejected (repeated keys, outside the region, a blank row)
    data = json.loads(out)
    assert list(data) == FIVE + ADDED
    assert (data["rows_read"], data["accepted"], data["rejected"]) == (588, 571, 17)
    assert data["rejected_by_reason"] == {"duplicate": 13, "outside_region": 3, "empty_row": 1}
    assert (data["mapping"], data["layout"], data["header_row"]) == ("unodc_iafq", "mapped", 3)
    assert data["context_jurisdictions"] == ["BG", "HR"]
    outside = [r for r in data["reasons"] if r["reason"] == "outside_region"]
    assert [(r["row"], r["column"], r["value"]) for r in outside] == [
        (588, "Iso3_code", "DEU"),  # file rows: two title rows and the header above
        (590, "Iso3_code", "USA"),
        (591, "Iso3_code", "BRA"),
    ]


def test_iafq_text_report_shows_the_context_apart(fixtures: Path) -> None:
    path = fixtures / "questionnaire" / "unodc_iafq_region.csv"
    code, out, _ = _run(str(path), "--mapping", "unodc_iafq")
    assert code == 1
    assert "mapping:        unodc_iafq (header on row 1)" in out
    assert "rows read:      1,675" in out
    assert "accepted:       1,644" in out
    assert "rejected rows by reason:\n  duplicate  31" in out
    assert "jurisdictions:  Albania, Montenegro, North Macedonia, Serbia\n" in out
    context = out.split("context:        ")[1].split("\n")[0]
    assert {"Croatia", "Greece", "Bulgaria"} <= set(context.split(" (")[0].split(", "))


def test_bad_mapping_exits_2_with_one_line(tmp_path: Path, fixtures: Path) -> None:
    path = fixtures / "questionnaire" / "unodc_iafq_region.csv"
    code, _, err = _run(str(path), "-m", "unodc_iafk")
    assert code == 2
    assert "questionnaire mapping 'unodc_iafk' not found" in err
    assert "Traceback" not in err
