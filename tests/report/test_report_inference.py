"""The annex chapter on inferred legs (write_report(infer=...)) on the small CLI fixture."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import routes

FIXTURE = Path(__file__).parents[1] / "fixtures" / "routing" / "cli_incidents.csv"


@pytest.fixture(scope="module")
def accepted() -> pd.DataFrame:
    return routes.read_incidents(FIXTURE, strict=False).accepted


def test_annex_has_the_method_note_calibration_and_differences(accepted, tmp_path):
    rep = routes.write_report(accepted, tmp_path / "inf", infer="priors", interactive=False)
    page = (tmp_path / "inf" / "annex.html").read_text(encoding="utf-8")
    assert "Inferred legs: method and calibration" in page
    assert "1 of the 5 incidents were routed on inferred legs (infer=&#x27;priors&#x27;)" in page
    assert "1. Donor weight: w = exp(-0.5 (d / 25 km)^2)" in page
    assert "Calibration on these incidents" in page
    assert "Crossings: recorded legs alone and with the inferred legs" in page
    assert routes.KOSOVO_FOOTNOTE in page
    diff = pd.read_csv(tmp_path / "inf" / "tables" / "inferred_differences.csv")
    assert {"key", "incidents_recorded", "incidents_inferred", "incidents_all"} <= set(diff)
    assert diff["incidents_inferred"].sum() > 0  # T-4 (Belgrade, seizure only) crosses
    assert rep.unrouted == 0


def test_no_chapter_without_inference_and_bad_mode_rejected(accepted, tmp_path):
    routes.write_report(accepted, tmp_path / "plain", interactive=False, infer="none")
    page = (tmp_path / "plain" / "annex.html").read_text(encoding="utf-8")
    assert "Inferred legs: method and calibration" not in page
    assert not (tmp_path / "plain" / "tables" / "inferred_differences.csv").exists()
    with pytest.raises(routes.ValidationError, match=r"infer='all' is not supported"):
        routes.write_report(accepted, tmp_path / "bad", infer="all")


def test_sharing_safe_chapter_hides_small_counts_and_the_table(accepted, tmp_path):
    routes.write_report(accepted, tmp_path / "ss", infer="priors", share_safe=True)
    page = (tmp_path / "ss" / "annex.html").read_text(encoding="utf-8")
    assert "fewer than 5 of the 5 incidents were routed on inferred legs" in page
    assert "too few to share hit rates (sharing-safe mode)" in page
    assert "Crossings: recorded legs alone and with the inferred legs" not in page
    assert not (tmp_path / "ss" / "tables" / "inferred_differences.csv").exists()
