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


# --------------------------------------------------------------- priors and the evidence mix
# tests/fixtures/routing/tirana.py: four seizure-only records in Tirana, so 100 % of the route
# frequency comes from the priors (the bundled corridors when none are given).


@pytest.fixture(scope="module")
def tirana_bundled(tmp_path_factory) -> tuple[Path, routes.Report]:
    from fixtures.routing import tirana

    out = tmp_path_factory.mktemp("rep") / "bundled"
    rep = routes.write_report(routes.read_incidents(tirana.INCIDENTS), out)
    return out, rep


def _text(html: str) -> str:
    import html as h
    import re

    return h.unescape(re.sub(r"<[^>]+>", " ", html))


def test_without_priors_every_flow_output_says_bundled_corridors(tirana_bundled):
    import sqlite3

    out, rep = tirana_bundled
    said = "100 % from priors: bundled corridors"
    assert rep.evidence["priors"] == "bundled corridors"
    page = (out / "annex.html").read_text(encoding="utf-8")
    text = _text(page)
    # the banner, the evidence line, the print map and the flow charts' captions
    assert 'class="evidence-banner" role="alert"' in page
    assert "100 % of the route frequency comes from priors: bundled corridors" in text
    assert "--infer none" in text
    for stem in ("route_frequency_map", "top_corridors", "top_crossings"):
        caption = text.split(f"Also as figures/{stem}.png")[1].split("Also as")[0]
        assert said in caption, stem
    assert said not in text.split("Also as figures/trend_per_year.png")[1].split("Also as")[0]
    assert said in (out / "figures" / "route_frequency_map.svg").read_text(encoding="utf-8")
    assert said in (out / "maps" / "route_frequency_map.fragment.html").read_text(encoding="utf-8")
    assert said in (out / "maps" / "route_map.html").read_text(encoding="utf-8")
    # the method note: what priors are, which were used, how to turn them off, the tables
    assert "Priors: where the records give no route nearby" in text
    assert "The priors of this annex: bundled corridors — regional modelling assumption" in text
    assert "--priors none (or --infer recorded)" in text
    assert "inferred from priors (bundled corridors) 100 %" in " ".join(text.split())
    assert "UNECE E-road network" in text  # each corridor's public source
    with sqlite3.connect(out / "gis" / "route_frequency.gpkg") as con:
        descriptions = [d for (d,) in con.execute("select description from gpkg_contents")]
    assert descriptions
    assert all(d.endswith(said) for d in descriptions)


def test_calibration_note_is_a_clean_sentence(tirana_bundled):
    out, _ = tirana_bundled
    text = _text((out / "annex.html").read_text(encoding="utf-8"))
    assert (
        "Calibration not possible on these incidents: no fully recorded incident (origin, "
        "destination and a seizure place, routed) to hold out" in text
    )
    assert "problem(s) found" not in text


def test_questionnaire_routes_are_the_priors_and_calibrated_beside_the_bundled(accepted, tmp_path):
    from fixtures.routing import tirana

    rep = routes.write_report(
        accepted, tmp_path / "q", questionnaire=tirana.QUESTIONNAIRE, interactive=False
    )
    assert rep.evidence["priors"] == "questionnaire tirana_questionnaire.csv"
    assert any("the questionnaire's reported routes are the priors" in n for n in rep.notes)
    text = _text((tmp_path / "q" / "annex.html").read_text(encoding="utf-8"))
    # calibration per priors source: the questionnaire's routes, then the bundled fallback
    assert "infer='priors', priors: questionnaire tirana_questionnaire.csv)" in text
    assert "infer='priors', priors: bundled corridors)" in text
    # 4 of the 5 incidents give their route; T-4 (Belgrade, RS) has no recorded route nearby
    # and the questionnaire's one route does not pass Serbia: it stays unrouted, with the
    # reason (the analyst's priors are never topped up with the bundled corridors)
    assert rep.unrouted == 1
    assert rep.evidence["percent"]["recorded"] == 100
    assert "no route of the priors near it or through its jurisdiction" in text
    assert "evidence-banner" not in (tmp_path / "q" / "annex.html").read_text(encoding="utf-8")
    none = routes.write_report(
        accepted,
        tmp_path / "n",
        questionnaire=tirana.QUESTIONNAIRE,
        priors="none",
        interactive=False,
    )
    assert none.evidence["priors"] is None


def test_sharing_safe_annex_gives_no_share_that_reveals_a_small_count(tmp_path):
    """Four incidents, all from priors: 100 % would say "4 incidents" (< 5): words instead."""
    from fixtures.routing import tirana

    out = tmp_path / "ss"
    rep = routes.write_report(
        routes.read_incidents(tirana.INCIDENTS), out, share_safe=True, interactive=False
    )
    page = (out / "annex.html").read_text(encoding="utf-8")
    text = _text(page)
    assert "Route frequency — more than half from priors: bundled corridors (shares not given" in (
        text
    )
    assert "More than half of the route frequency comes from priors: bundled corridors" in text
    assert "100 %" not in text
    assert rep.evidence["percent"] is None
    assert rep.evidence["inferred_from_priors"] is None
    assert rep.evidence["priors_dominant"] is True
