"""The SYNTHETIC questionnaire: bundled = regenerated, marked synthetic, matching the sample."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import routes


@pytest.fixture(scope="module")
def generated() -> pd.DataFrame:
    return routes.synthesize_questionnaire()


def test_bundled_file_is_what_the_generator_writes(generated: pd.DataFrame) -> None:
    bundled = routes.synthetic_questionnaire_path().read_text(encoding="utf-8")
    assert generated.to_csv(index=False, lineterminator="\n") == bundled


def test_every_row_is_marked_synthetic(generated: pd.DataFrame) -> None:
    assert generated["source"].str.startswith("SYNTHETIC").all()
    assert list(generated.columns) == [c.name for c in routes.questionnaire.QUESTIONNAIRE_COLUMNS]


def test_reads_clean_with_exactly_the_deliberate_flaws() -> None:
    q = routes.read_questionnaire(routes.synthetic_questionnaire_path())
    assert q.rows_rejected == 0
    assert q.rows_read == len(q.accepted) > 900
    found = {(i.kind, i.jurisdiction, i.year, i.indicator) for i in q.inconsistencies}
    assert ("total_mismatch", "BA", 2021, "seized_weapons") in found
    assert ("missing_year", "ME", 2020, "cases") in found
    assert ("jump", "MK", 2022, "seized_explosives_kg") in found
    assert {k for k, *_ in found if k == "total_mismatch"} == {"total_mismatch"}
    assert sum(1 for k, *_ in found if k == "total_mismatch") == 1
    assert sum(1 for k, *_ in found if k == "missing_year") == 1
    assert set(q.accepted["jurisdiction"]) == set(routes.WESTERN_BALKANS)


def test_matches_the_sample(generated: pd.DataFrame) -> None:
    sample = pd.read_csv(routes.synthetic_sample_path())
    sample["year"] = pd.to_datetime(sample["date"], errors="coerce").dt.year
    assert set(generated["year"]) == {int(y) for y in sample["year"].dropna()}
    seized = sample[
        (sample["event"] == "seizure") & sample["jurisdiction"].isin(routes.WESTERN_BALKANS)
    ]
    pistols = seized[seized["category"] == "pistol"].groupby(["jurisdiction", "year"])["quantity"]
    q = generated[
        (generated["indicator"] == "seized_weapons") & (generated["category"] == "pistol")
    ]
    q = q.set_index(["jurisdiction", "year"])["value"]
    for key, n in pistols.sum().items():
        assert q.get((key[0], int(key[1])), 0) >= n, key  # every incident is in the national count
    routes_q = generated[generated["indicator"] == "reported_route"]
    assert len(routes_q) > 50
    assert routes_q["from"].notna().all()
    assert routes_q["to"].notna().all()
    assert "TR" in set(routes_q["from"])
    assert "DE" in set(routes_q["to"])


def test_xlsx_writes_the_wide_workbook(tmp_path: Path, generated: pd.DataFrame) -> None:
    path = routes.write_synthetic_questionnaire(tmp_path / "q.xlsx")
    back = routes.read_questionnaire(path)
    assert back.layout == "wide"
    assert (back.rows_read, back.rows_rejected) == (len(generated), 0)
    with pytest.raises(ValueError, match=r"write the questionnaire as \.csv or \.xlsx"):
        routes.write_synthetic_questionnaire(tmp_path / "q.json")
