"""`salw-routes demo` end to end on the bundled synthetic sample, as `make demo` runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import routes


@pytest.fixture(scope="module")
def demo_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """Run ``salw-routes demo`` once, as ``make demo`` does, in an empty folder."""
    cwd = tmp_path_factory.mktemp("demo")
    exe = shutil.which("salw-routes", path=str(Path(sys.executable).parent))
    assert exe, "the salw-routes console script is not installed next to this Python"
    proc = subprocess.run(
        [exe, "demo"], cwd=cwd, capture_output=True, text=True, check=False, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return cwd / "maps", proc  # the default --out, relative to the current folder


def test_demo_writes_maps_and_reports_into_maps(
    demo_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    maps, proc = demo_run
    sample = routes.read_incidents(
        routes._paths.data_dir("incidents") / "synthetic_incidents_sample.csv", strict=False
    )
    n = len(sample.accepted)
    assert (
        f"read synthetic_incidents_sample.csv: {sample.rows_read} rows, {n} accepted" in proc.stdout
    )
    for rel in (
        "salw_routes_demo.html",
        "report/annex.html",
        "report_share_safe/annex.html",
        "report/figures/route_frequency_map.png",
        "report/figures/route_frequency_map.pdf",
        "report/tables/statistics.xlsx",
        "report/maps/route_map.fragment.html",
        "synthetic_bad_rows_rejected.csv",
    ):
        assert (maps / rel).is_file(), rel
        assert (maps / rel).stat().st_size > 0, rel
    assert "sharing-safe annex: maps/report_share_safe/annex.html" in proc.stdout
    page = (maps / "salw_routes_demo.html").read_text(encoding="utf-8")
    assert "SYNTHETIC SAMPLE DATA" in page
    assert "Kosovo*" in page
    annex = (maps / "report" / "annex.html").read_text(encoding="utf-8")
    assert "Every incident in this demo is synthetic" in annex
    assert f"Incidents: {n:,};" in annex  # counts in the annex prose: 2,500
    manifest = json.loads((maps / "report" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["incidents"] == n
    safe = json.loads((maps / "report_share_safe" / "manifest.json").read_text(encoding="utf-8"))
    assert safe["share_safe"] is True
    assert safe["options"]["min_count"] == 5
    summary = pd.read_csv(maps / "report" / "tables" / "statistics_summary.csv")
    assert summary.loc[summary["jurisdiction"] == "ALL", "incidents"].item() == n
    assert "Kosovo*" in summary["jurisdiction_name"].tolist()
    rejected = pd.read_csv(maps / "synthetic_bad_rows_rejected.csv")
    assert rejected["source_row"].nunique() >= 1
    assert rejected["reason"].notna().all()


def test_demo_annex_has_the_synthetic_questionnaire_chapter(
    demo_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    maps, proc = demo_run
    answers = routes.read_questionnaire(routes.synthetic_questionnaire_path())
    assert f"synthetic questionnaire synthetic_questionnaire.csv: {answers.rows_read} values" in (
        proc.stdout
    )
    for folder in ("report", "report_share_safe"):
        annex = (maps / folder / "annex.html").read_text(encoding="utf-8")
        assert "<h2>Questionnaire statistics</h2>" in annex, folder
        assert "The questionnaire statistics of this demo are SYNTHETIC" in annex, folder
        assert (maps / folder / "maps" / "questionnaire_choropleth.html").is_file(), folder
        assert (maps / folder / "tables" / "questionnaire.xlsx").is_file(), folder
    annex = (maps / "report" / "annex.html").read_text(encoding="utf-8")
    assert f"{answers.rows_read:,} values read, {answers.rows_read:,} accepted, 0 rejected" in annex
    for kind in ("total mismatch", "missing year", "jump"):  # the three deliberate flaws
        assert f"<td>{kind}</td>" in annex, kind


@pytest.mark.browser
def test_demo_map_opens_offline_without_console_errors(
    demo_run: tuple[Path, subprocess.CompletedProcess[str]], browser: Any, tmp_path: Path
) -> None:
    maps, _ = demo_run
    page_file = maps / "salw_routes_demo.html"
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    blocked: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(("file://", "data:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(page_file.as_uri())
        page.wait_for_function("window.salwMap && window.salwMap.state.updates > 0", timeout=30_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(tmp_path / "demo.png"))
        summary = page.evaluate("salwMap.summary()")
        labels = page.evaluate(
            "[...document.querySelectorAll('.salw-country')].map(e => e.textContent)"
        )
        footnote = page.evaluate("document.querySelector('.salw-footnote').textContent")
    finally:
        context.close()
    assert errors == []
    assert blocked == []
    assert summary["drawnEdges"] > 100  # the route-frequency overlay is drawn
    assert summary["drawnCrossings"] > 10
    assert {"Kosovo*", "Serbia", "Albania"} <= set(labels)
    assert footnote == routes.KOSOVO_FOOTNOTE


def test_demo_bad_option_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from routes.cli import main

    taken = tmp_path / "maps"
    taken.write_text("a file, not a folder", encoding="utf-8")
    res = CliRunner().invoke(main, ["demo", "--out", str(taken)])
    assert res.exit_code == 2  # a bad option, as for every command
    assert "is a file" in res.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["maps"]
