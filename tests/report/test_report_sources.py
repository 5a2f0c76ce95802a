"""The annex chapter "Sources" of an assessment: tables, notes, sharing-safe differences."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from routes.incidents import AssessmentRead, read_assessment
from routes.report._sources import provenance_notes, sources_line, sources_section


@pytest.fixture(scope="module")
def pooled(fixtures: Path) -> AssessmentRead:
    return read_assessment(fixtures / "assessment" / "assessment.toml")


def _ctx(tmp_path: Path, *, share_safe: bool) -> object:
    return SimpleNamespace(staging=tmp_path, policy=SimpleNamespace(share_safe=share_safe))


def test_section_writes_both_tables(pooled: AssessmentRead, tmp_path: Path) -> None:
    section = sources_section(_ctx(tmp_path, share_safe=False), pooled)  # type: ignore[arg-type]
    assert [f.relpath for f in section.files] == [
        "tables/sources.csv",
        "tables/duplicate_candidates.csv",
    ]
    sources = pd.read_csv(tmp_path / "tables" / "sources.csv")
    assert sources["rows_read"].tolist() == [200, 212]
    assert sources["path"].str.endswith(("al_border_police.csv", "mk_customs.csv")).all()
    assert len(pd.read_csv(tmp_path / "tables" / "duplicate_candidates.csv")) == 12
    assert "<td>Albanian State Police</td>" in section.html()
    assert "12 candidate double report(s) across sources" in section.html()


def test_sharing_safe_section_lists_no_pair_and_no_path(
    pooled: AssessmentRead, tmp_path: Path
) -> None:
    section = sources_section(_ctx(tmp_path, share_safe=True), pooled)  # type: ignore[arg-type]
    assert [f.relpath for f in section.files] == ["tables/sources.csv"]
    assert "path" not in pd.read_csv(tmp_path / "tables" / "sources.csv").columns
    assert not (tmp_path / "tables" / "duplicate_candidates.csv").exists()
    assert "sharing-safe mode lists none" in section.html()


def test_notes_and_sources_line_name_each_source(pooled: AssessmentRead) -> None:
    notes = provenance_notes(pooled)
    assert notes[0].startswith("Pooled from 2 source(s) (Albanian State Police: 200 rows read")
    assert "MK Customs: 212 rows read, 212 accepted, 0 rejected" in notes[0]
    assert "12 candidate pair(s)" in notes[1]
    assert "at most 1,000 m apart (EPSG:3035), at most 2 day(s) apart" in notes[1]
    assert "not dropped" in notes[1]
    assert provenance_notes(None) == []
    line = sources_line(pooled, "Borders: Natural Earth.")
    assert line == (
        "Incident sources: Albanian State Police (200 rows); MK Customs (212 rows). "
        "Borders: Natural Earth."
    )
    assert sources_line(None, "x") == "x"
