"""An assessment file as INCIDENTS: one annex from two agencies' files plus a questionnaire."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner

from routes.cli import main
from routes.cli._common import date_window, incidents_input, profile_option


@pytest.fixture(scope="module")
def annex(tmp_path_factory: pytest.TempPathFactory, fixtures: Path) -> tuple[Path, int, str]:
    out = tmp_path_factory.mktemp("assessment") / "report"
    result = CliRunner().invoke(
        main,
        ["report", str(fixtures / "assessment" / "assessment.toml"), "--out", str(out)],
    )
    return out, result.exit_code, result.output + result.stderr


def test_report_names_both_sources_and_loses_nothing(annex: tuple[Path, int, str]) -> None:
    out, code, text = annex
    assert code == 0, text
    sources = pd.read_csv(out / "tables" / "sources.csv", dtype={"path": str})
    assert sources["reporting"].tolist() == ["Albanian State Police", "MK Customs"]
    assert sources["rows_read"].tolist() == [200, 212]
    assert (sources["accepted"] + sources["rejected"]).tolist() == [200, 212]
    assert sources["rejected"].tolist() == [0, 0]
    page = (out / "annex.html").read_text(encoding="utf-8")
    assert "<h2>Sources</h2>" in page
    assert "Albanian State Police: 200 rows read, 200 accepted, 0 rejected" in page
    assert "MK Customs: 212 rows read, 212 accepted, 0 rejected" in page
    assert "<h2>Questionnaire statistics</h2>" in page  # from [questionnaire]
    assert "Read through the questionnaire mapping &#x27;unodc_iafq&#x27;." in page
    assert "Two-agency assessment (SYNTHETIC test data)" in page  # title from the file


def test_report_lists_the_planted_double_reports(
    annex: tuple[Path, int, str], fixtures: Path
) -> None:
    out, code, _ = annex
    assert code == 0
    dup = pd.read_csv(out / "tables" / "duplicate_candidates.csv", dtype=str)
    planted = pd.read_csv(fixtures / "assessment" / "planted_pairs.csv", dtype=str)
    want = set(
        zip(
            "albanian_state_police:" + planted["police_id"],
            "mk_customs:" + planted["customs_id"],
            strict=True,
        )
    )
    got = set(zip(dup["id_a"], dup["id_b"], strict=True))
    assert len(want & got) >= 11
    assert len(dup) <= 24
    assert set(dup["reporting_a"]) | set(dup["reporting_b"]) == {
        "Albanian State Police",
        "MK Customs",
    }
    assert (dup["day_difference"].astype(int) <= 2).all()
    assert (dup["distance_m"].astype(float) <= 1000).all()
    assert list(dup.columns[:4]) == ["id_a", "id_b", "reporting_a", "reporting_b"]


def test_validate_json_gives_sources(fixtures: Path) -> None:
    result = CliRunner().invoke(
        main, ["validate", str(fixtures / "assessment" / "assessment.toml"), "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["rows_read"], doc["accepted"], doc["rejected"]) == (412, 412, 0)
    assert [s["reporting"] for s in doc["sources"]] == ["Albanian State Police", "MK Customs"]
    assert [s["rows_read"] for s in doc["sources"]] == [200, 212]
    assert doc["duplicate_candidates"] == 12
    assert doc["dedupe"] == "flag"


def test_bad_assessment_file_exits_2_listing_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text(
        'profil = "fast"\n[[incidents]]\npath = "none.csv"\nreporting = "A"\n', encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "unknown key 'profil'; did you mean 'profile'?" in result.stderr
    assert "path 'none.csv': no such file" in result.stderr


def test_mapping_option_is_refused_with_an_assessment(fixtures: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["validate", str(fixtures / "assessment" / "assessment.toml"), "-m", "iom_mmp"],
    )
    assert result.exit_code == 2
    assert "give mapping per source in its [[incidents]] tables" in result.stderr


def test_command_line_options_override_the_file(tmp_path: Path, fixtures: Path) -> None:
    folder = tmp_path / "a"
    shutil.copytree(fixtures / "assessment", folder)
    path = folder / "assessment.toml"
    text = path.read_text(encoding="utf-8").split("[questionnaire]")[0]  # copied: no ../
    path.write_text('from = 2022-01-01\nto = 2022-12-31\nprofile = "least_distance"\n' + text)
    seen: dict[str, object] = {}

    @click.command()
    @incidents_input
    @date_window
    @profile_option
    def probe(**kwargs: object) -> None:
        seen.update(kwargs)

    runner = CliRunner()
    assert runner.invoke(probe, [str(path)]).exit_code == 0
    assert (seen["date_from"], seen["date_to"]) == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    assert seen["profile"] == "least_distance"
    result = runner.invoke(probe, [str(path), "--from", "2022-06-01", "--profile", "least_time"])
    assert result.exit_code == 0, result.output
    assert (seen["date_from"], seen["date_to"]) == (dt.date(2022, 6, 1), dt.date(2022, 12, 31))
    assert seen["profile"] == "least_time"
    path.write_text('profile = "fastest"\n' + text)
    result = runner.invoke(probe, [str(path)])
    assert result.exit_code == 2
    assert "profile in" in result.output


def test_map_takes_the_window_and_marking_from_the_file(tmp_path: Path, fixtures: Path) -> None:
    folder = tmp_path / "a"
    shutil.copytree(fixtures / "assessment", folder)
    path = folder / "assessment.toml"
    text = path.read_text(encoding="utf-8").split("[questionnaire]")[0]  # copied: no ../
    path.write_text('from = 2021-01-01\nto = 2022-12-31\nmarking = "RESTRICTED"\n' + text)
    out = tmp_path / "map.html"
    result = CliRunner().invoke(
        main, ["map", str(path), "--out", str(out), "--no-routes", "--json", "--from", "2022-01-01"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [s["rows_read"] for s in doc["sources"]] == [200, 212]
    assert doc["duplicate_candidates"] == 12
    dates = pd.concat(
        [
            pd.read_csv(folder / "al_border_police.csv")["date"],
            pd.read_csv(folder / "mk_customs.csv", sep=";")["Datum"].map(
                lambda v: None if pd.isna(v) else f"{v[6:]}-{v[3:5]}-{v[:2]}"
            ),
        ]
    )
    in_2022 = dates.dropna().str.startswith("2022").sum()  # --from 2022-01-01 wins over 2021
    assert doc["mapped"] == in_2022
    page = out.read_text(encoding="utf-8")
    assert "RESTRICTED" in page
    assert '"sources":["Albanian State Police","MK Customs"]' in page


def test_demo_assessment_splits_the_sample_into_two_agencies(tmp_path: Path) -> None:
    from routes._paths import data_dir
    from routes.cli._demo import DEMO_AGENCIES, write_demo_assessment
    from routes.incidents import load_assessment, read_assessment

    sample = data_dir("incidents") / "synthetic_incidents_sample.csv"
    path = write_demo_assessment(sample, tmp_path / "assessment")
    a = load_assessment(path)
    assert tuple(s.reporting for s in a.sources) == DEMO_AGENCIES
    assert a.questionnaire is not None
    assert a.questionnaire.path.name == "questionnaire.csv"
    assert (tmp_path / "assessment" / "customs.csv").read_text(encoding="utf-8").count(";") > 0
    pooled = read_assessment(a)
    rows = len(pd.read_csv(sample))
    assert int(pooled.sources["rows_read"].sum()) == rows
    assert int(pooled.sources["accepted"].sum()) == rows
    assert pooled.incidents["incident_id"].str.match(r"^(bp|cu):SYN-").all()


def test_priors_and_places_from_the_file(tmp_path: Path, fixtures: Path) -> None:
    from routes.cli._common import PLACES_META, priors_option

    folder = tmp_path / "a"
    shutil.copytree(fixtures / "assessment", folder)
    (folder / "places.csv").write_text("code,name,latitude,longitude\nX1,Xa,42.1,21.1\n")
    (folder / "corridors.csv").write_text("from,via,to,weight,source\nAL,,ME,1,test\n")
    path = folder / "assessment.toml"
    text = path.read_text(encoding="utf-8").split("[questionnaire]")[0]
    seen: dict[str, object] = {}

    @click.command()
    @incidents_input
    @priors_option
    @click.pass_context
    def probe(ctx: click.Context, **kwargs: object) -> None:
        seen.update(kwargs, places=ctx.meta.get(PLACES_META))

    runner = CliRunner()
    path.write_text('priors = "corridors.csv"\nplaces = "places.csv"\n' + text)
    assert runner.invoke(probe, [str(path)]).exit_code == 0
    assert seen["priors"] == str((folder / "corridors.csv").resolve())
    assert seen["places"] == (folder / "places.csv").resolve()
    path.write_text('priors = "none"\n' + text)
    assert runner.invoke(probe, [str(path), "--places", "mine.csv"]).exit_code == 0
    assert (seen["priors"], seen["places"]) == ("none", Path("mine.csv"))


def test_no_output_replaces_an_agencys_file(tmp_path: Path, fixtures: Path) -> None:
    folder = tmp_path / "a"
    shutil.copytree(fixtures / "assessment", folder)
    path = folder / "assessment.toml"
    path.write_text(path.read_text(encoding="utf-8").split("[questionnaire]")[0])
    before = (folder / "mk_customs.csv").read_bytes()
    result = CliRunner().invoke(
        main, ["validate", str(path), "--rejects", str(folder / "mk_customs.csv")]
    )
    assert result.exit_code == 2
    assert "is the incident file being read" in result.stderr
    assert (folder / "mk_customs.csv").read_bytes() == before
