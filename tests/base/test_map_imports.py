"""Structural import budget of the default ``salw-routes map`` (routes on, issue 24).

Which modules the command imports, read from ``sys.modules`` of a fresh process: not a timing
test. The time these imports take is measured by ``bench/bench_imports.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

#: Modules the map command never needs: the report, its figures and office formats, the
#: questionnaire and synthetic-data stages. (The analysis stage is needed: the map states the
#: evidence mix of its route frequency, ``routes.evidence_mix``; importing the whole stage
#: costs ~30 ms.)
NOT_FOR_MAP = (
    "matplotlib",
    "openpyxl",
    "xlsxwriter",
    "odf",
    "docx",
    "routes.report",
    "routes.questionnaire",
    "routes.synth",
)


def _modules_of_map(tmp_path: Path, *options: str) -> set[str]:
    csv = tmp_path / "points.csv"
    csv.write_text(
        "incident_id,date,latitude,longitude,category,quantity\n"
        "A-1,2024-03-01,43.856,18.413,pistol,2\n"
        "A-2,2024-03-02,42.441,19.263,rifle,1\n"
        "A-3,2024-03-03,41.997,21.428,ammunition,40\n",
        encoding="utf-8",
    )
    out = tmp_path / "m.html"
    code = (
        "import json, sys\n"
        "from routes.cli import main\n"
        f"main(['map', {str(csv)!r}, '--out', {str(out)!r}, *{list(options)!r}], "
        "standalone_mode=False)\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    env = {**os.environ, "SALW_ROUTES_CACHE": str(tmp_path / "cache")}  # trees computed here
    proc = subprocess.run(
        [sys.executable, "-Werror", "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert out.is_file()
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_a_map_whose_trees_are_stored_imports_no_scipy_kernels(tmp_path: Path) -> None:
    """The second map on one cache reads its trees back: no sparse matrix, no k-d tree of
    SciPy (0.3-0.4 s of imports; routes._crs.NearestPoints and routes.routing._csr stand in)."""
    first = _modules_of_map(tmp_path)
    assert "scipy.sparse.csgraph" in first  # the trees were computed (and stored)
    again = _modules_of_map(tmp_path)
    assert "routes.routing" in again
    assert "pykdtree" in again
    scipy_parts = {m for m in again if m.startswith(("scipy.sparse", "scipy.spatial"))}
    assert not scipy_parts, sorted(scipy_parts)[:10]
    # the routing index comes from the cache: the bundled graph (and networkx) is never loaded
    assert "networkx" in first
    assert "networkx" not in again
    assert "routes.network.graph" not in again


def _heavy(mods: set[str]) -> set[str]:
    return {m for m in mods for name in NOT_FOR_MAP if m == name or m.startswith(name + ".")}


def test_default_map_with_routes_imports_no_report_figure_or_excel_stack(
    tmp_path: Path,
) -> None:
    mods = _modules_of_map(tmp_path)
    # it did route: the routing stage and its kernels are there
    assert {"routes.routing", "routes.maps", "scipy.sparse.csgraph", "networkx"} <= mods
    assert "routes.analysis.evidence" in mods  # the page says what its flows rest on
    assert not _heavy(mods), sorted(_heavy(mods))


def test_the_check_sees_a_heavy_module() -> None:
    assert _heavy({"matplotlib.pyplot", "routes.report._xlsx", "pandas"}) == {
        "matplotlib.pyplot",
        "routes.report._xlsx",
    }
    assert not _heavy({"routes.reporting_tools", "odfpy_like", "pandas"})
