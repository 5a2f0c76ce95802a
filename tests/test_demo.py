"""`salw-routes demo` end to end on the bundled synthetic sample, as `make demo` runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

import routes


def test_demo_writes_maps_and_reports_into_maps(tmp_path: Path) -> None:
    exe = shutil.which("salw-routes", path=str(Path(sys.executable).parent))
    assert exe, "the salw-routes console script is not installed next to this Python"
    proc = subprocess.run(
        [exe, "demo"], cwd=tmp_path, capture_output=True, text=True, check=False, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    maps = tmp_path / "maps"  # the default --out, relative to the current folder
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
    assert f"Incidents: {n};" in annex
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
