"""Write the four tutorial notebooks in notebooks/ (outputs stripped), deterministically.

    python scripts/build_notebooks.py           # (re)writes notebooks/*.ipynb
    python scripts/build_notebooks.py --check   # fails if the committed notebooks differ

The notebooks are executed end to end by tests/test_notebooks.py (any error fails the suite).
Edit the cells here, not in Jupyter, so that the committed notebooks never carry outputs.
"""

# ruff: noqa: E501  (cell sources are kept as they read in the notebook)

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from notebook_questionnaire import questionnaire_cells

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "notebooks"

KOSOVO = (
    "Kosovo\\*: \\*This designation is without prejudice to positions on status, and is in line with "
    "UNSCR 1244/1999 and the ICJ Opinion on the Kosovo declaration of independence."
)

SYNTHETIC_NOTE = (
    "> **The data in this notebook are SYNTHETIC.** Real seizure records are not public, so "
    "salw-routes ships a generated sample (`data/incidents/synthetic_incidents_sample.csv`; "
    "every `incident_id` starts with `SYN-` and every `source` with `SYNTHETIC`). Its shape and "
    "proportions follow public facts (SEESAC's Armed Violence Monitoring Platform, Europol), "
    "but no row is a real incident and no figure here is a finding. Replace the file with your "
    "unit's own table to analyse real cases."
)

SETUP = """\
from pathlib import Path

import pandas as pd

import routes

pd.set_option("display.max_columns", 30)
pd.set_option("display.width", 160)
OUT = Path("notebook_outputs")  # everything this notebook writes goes here
OUT.mkdir(exist_ok=True)
MARKING = "SYNTHETIC SAMPLE - NOT REAL DATA"
print("salw-routes", routes.__version__)"""


def _nb(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    out = []
    for i, (kind, text) in enumerate(cells):
        cell = new_markdown_cell(text) if kind == "md" else new_code_cell(text)
        cell["id"] = f"cell-{i:02d}"
        out.append(cell)
    nb.cells = out
    return nb


def quickstart() -> nbformat.NotebookNode:
    return _nb(
        [
            (
                "md",
                "# 01 · Quickstart: read, validate and map incident records\n\n"
                "This notebook is the first hour with **salw-routes**: it reads an incident "
                "table into a GeoDataFrame, shows how every problem in a file is reported "
                "(nothing is dropped silently), and draws an offline map.\n\n" + SYNTHETIC_NOTE,
            ),
            ("code", SETUP),
            (
                "md",
                "## 1. Read the bundled sample\n\n"
                "`routes.read_incidents` reads CSV, Excel, GeoJSON, GeoPackage or GeoParquet, "
                "checks every row against the incident schema and returns a GeoDataFrame in "
                "EPSG:4326 (one point per incident). In strict mode (the default) a file with "
                "any bad row raises one `routes.ValidationError` that lists every problem.",
            ),
            (
                "code",
                "sample_path = routes.synthetic_sample_path()\n"
                "incidents = routes.read_incidents(sample_path)\n"
                'print(f"{len(incidents):,} incidents read from {sample_path.name}, CRS {incidents.crs}")\n'
                "incidents.head()",
            ),
            (
                "md",
                "The canonical columns are the same whatever the input layout: `incident_id`, "
                "`date` (+ `date_precision`), `jurisdiction` (ISO codes, `XK` for Kosovo\\*), "
                "the location (`place`, `latitude`, `longitude`, `location_precision`), what was "
                "involved (`event`, `category`, `quantity`), the route as recorded (`origin`, "
                "`transit` as `A|B`, `destination`, `crossing` as a crossing id such as "
                "`RS-MK-PRESEVO`), `modus_operandi`, `ocg_involved`, `migrants_involved`, "
                "`source`, `verification` and `notes`. Records that only give a place name are "
                "placed by the offline gazetteer (`location_precision = settlement`).",
            ),
            (
                "code",
                "by_jurisdiction = (\n"
                '    incidents.assign(jurisdiction=incidents["jurisdiction"].map(routes.display_name))\n'
                '    .groupby("jurisdiction")\n'
                '    .agg(incidents=("incident_id", "size"), quantity=("quantity", "sum"))\n'
                '    .sort_values("incidents", ascending=False)\n'
                ")\n"
                "by_jurisdiction",
            ),
            (
                "code",
                'pd.crosstab(incidents["category"], incidents["event"], margins=True).sort_values(\n'
                '    "All", ascending=False\n'
                ")",
            ),
            (
                "code",
                'place_only = incidents[incidents["location_precision"] == "settlement"]\n'
                'print(f"{len(place_only)} records were placed at a settlement, e.g.:")\n'
                'place_only[["incident_id", "place", "jurisdiction", "latitude", "longitude"]].head()',
            ),
            (
                "md",
                "## 2. Validation: every row accounted for\n\n"
                "`synthetic_bad_rows.csv` holds 8 good rows followed by one deliberately bad row "
                "per rejection rule (missing or repeated id, empty row, no location, unknown or "
                "ambiguous place, impossible coordinates, swapped coordinates, a point outside the "
                "region, unreadable/impossible/future dates, bad quantities, unknown vocabulary "
                "values). In lenient mode (`strict=False`) the reader returns the accepted rows "
                "*and* the rejected ones with the reason, the column, the value and the fix; "
                "rows read = rows accepted + rows rejected, always.",
            ),
            (
                "code",
                "bad_path = routes.synthetic_sample_path(bad_rows=True)\n"
                "checked = routes.read_incidents(bad_path, strict=False)\n"
                'assert checked.rows_read == len(checked.accepted) + checked.rejected["source_row"].nunique()\n'
                "checked.summary()",
            ),
            (
                "code",
                'checked.rejected[["source_row", "incident_id", "reason", "column", "value", "message"]]',
            ),
            (
                "md",
                "Strict mode raises a single error listing every problem, the way the "
                "`salw-routes validate` command reports them:",
            ),
            (
                "code",
                "try:\n"
                "    routes.read_incidents(bad_path)\n"
                "except routes.ValidationError as err:\n"
                '    print(f"{len(err.problems)} problems; the first three:")\n'
                "    for problem in err.problems[:3]:\n"
                '        print(" -", problem)',
            ),
            (
                "md",
                "## 3. An offline map\n\n"
                "`routes.route_map` draws the incidents (clustered), the jurisdictions and the "
                "border crossing points on a self-contained HTML map that opens without "
                "internet access; `routes.save_map` writes it as one file to share. Kosovo\\* "
                "and its footnote are shown on every map.",
            ),
            (
                "code",
                "crossings = routes.load_crossings()\n"
                "m = routes.route_map(\n"
                "    incidents,\n"
                "    crossings=crossings,\n"
                '    title="Incidents 2019-2025 (SYNTHETIC sample)",\n'
                "    marking=MARKING,\n"
                ")\n"
                'map_file = routes.save_map(m, OUT / "quickstart_incidents.html")\n'
                'print(f"map written to {map_file} ({map_file.stat().st_size / 1e6:.1f} MB)")\n'
                "m  # shown here too; open the HTML file to share it",
            ),
            (
                "md",
                "## 4. More synthetic data\n\n"
                "The generator that made the sample is public: `routes.synthesize_incidents(n, "
                "seed=...)` (or `salw-routes synth --rows N --seed S --out FILE`) writes any "
                "number of clearly labelled synthetic rows, e.g. to try the tool at scale.",
            ),
            (
                "code",
                "more = routes.synthesize_incidents(20_000, seed=7)\n"
                'path = routes.write_incidents(more, OUT / "synthetic_20k.csv")\n'
                "print(path, len(routes.read_incidents(path)))",
            ),
            (
                "md",
                "## Your own file\n\n"
                "Point `routes.read_incidents` at your unit's table. If its columns have other "
                "names or its values other words, describe them once in a small TOML mapping "
                "file and pass `mapping=` (see the documentation, *Incident files and column "
                "mappings*: `docs/incident-files.md`); `salw-routes validate FILE --mapping M` "
                "does the same from the "
                "command line.\n\n---\n" + KOSOVO,
            ),
        ]
    )


def route_analysis() -> nbformat.NotebookNode:
    return _nb(
        [
            (
                "md",
                "# 02 · Route analysis: frequency, choke points and what-if\n\n"
                "From incident records to routes on the network of roads, border crossing "
                "points (BCPs), green border and ferry lines; how often each corridor and "
                "crossing is used; which crossings the routes depend on; and what happens when "
                "a crossing is closed.\n\n" + SYNTHETIC_NOTE,
            ),
            ("code", SETUP),
            (
                "md",
                "## 1. Routes\n\n"
                "`routes.route_incidents` links each record's waypoints (origin, transit, "
                "crossing, seizure location, destination; place names, crossing ids or country "
                "codes) over the bundled network with the least-time profile and returns up to "
                "`k` plausible alternatives per incident with probabilities. Records with a "
                "single waypoint (a weapon found in a house) carry no route: they are listed in "
                "`unrouted` with the reason, never dropped silently.",
            ),
            (
                "code",
                "incidents = routes.read_incidents(routes.synthetic_sample_path())\n"
                "G = routes.load_network()\n"
                "result = routes.route_incidents(incidents, G)\n"
                "routed = result.routes\n"
                'print(f"{routed.incident_id.nunique():,} of {len(incidents):,} incidents routed, "\n'
                '      f"{len(result.unrouted):,} without a route")\n'
                'routed[["incident_id", "alternative", "probability", "crossings", "length_m", "travel_time_s"]].head()',
            ),
            (
                "code",
                "# why some incidents have no route (the first words of each reason)\n"
                'result.unrouted["reason"].str.split(":").str[0].str.slice(0, 60).value_counts().head(8)',
            ),
            (
                "md",
                "## 2. Route frequency per edge, crossing and corridor\n\n"
                "Frequencies are *expected* incidents: an incident with two alternatives of "
                "probability 0.7 and 0.3 adds 0.7 to the edges of the first and 0.3 to those of "
                "the second. The flow functions all take the same filters (`start`, `end`, "
                "`category`, `modus_operandi`, `ocg_involved`).",
            ),
            (
                "code",
                "crossing_use = routes.crossing_flows(result)\n"
                "crossing_use.drop(columns='geometry').head(10)",
            ),
            (
                "code",
                "corridors = routes.corridor_flows(result)\n"
                "corridors.drop(columns='geometry').head(10)",
            ),
            (
                "code",
                "edges = routes.edge_flows(result)\n"
                'print(f"{len(edges):,} network edges carry at least one route")\n'
                "edges.drop(columns='geometry').sort_values('incidents', ascending=False).head(5)",
            ),
            (
                "code",
                "# the same for military-grade weapons only, and for blank-firing/converted pistols\n"
                "heavy = routes.crossing_flows(\n"
                '    result, category=["automatic_rifle", "hand_grenade", "rocket_launcher", "explosives"]\n'
                ")\n"
                'blank = routes.crossing_flows(result, category=["blank_firing_weapon", "converted_weapon"])\n'
                "pd.concat(\n"
                '    {"military-grade": heavy.set_index("crossing_id")["incidents"],\n'
                '     "blank-firing / converted": blank.set_index("crossing_id")["incidents"]},\n'
                "    axis=1,\n"
                ').fillna(0).round(1).sort_values("military-grade", ascending=False).head(8)',
            ),
            (
                "code",
                "# corridors used in incidents with organised-crime involvement (ocg_involved = yes)\n"
                "routes.corridor_flows(result, ocg_involved=True).drop(columns='geometry').head(8)",
            ),
            (
                "code",
                "# between which jurisdictions do the routes run?\n"
                "routes.pair_flows(result).head(10)",
            ),
            (
                "code",
                "# has the pattern shifted? 2019-2021 against 2022-2025\n"
                "routes.compare_periods(\n"
                '    result, ("2019-01-01", "2021-12-31"), ("2022-01-01", "2025-12-31")\n'
                ").head(10)",
            ),
            (
                "md",
                "## 3. Choke points\n\n"
                "Flow betweenness counts the expected incidents passing *through* each node "
                "(endpoints excluded); crossings high on this list are where controls reach the "
                "most routes. The minimum cut answers a different question: the smallest set of "
                "crossings (and green-border links) whose closure separates one jurisdiction "
                "from another on the network.",
            ),
            (
                "code",
                "# crossings ranked by the expected incidents passing through them\n"
                'routes.flow_betweenness(result, kind="crossing").drop(columns="geometry").head(10)',
            ),
            (
                "md",
                "The cut below lists every crossing out of North Macedonia (and the green-border "
                "links): on the network, traffic from North Macedonia can reach Serbia through "
                "Kosovo\\*, Albania, Bulgaria or Greece as well, so closing the direct crossings "
                "alone does not separate the two.",
            ),
            (
                "code",
                'cut = routes.min_cut(G, "MK", "RS")\n'
                "print(f\"{cut.attrs['cut_value']} elements separate North Macedonia from Serbia\")\n"
                "cut.drop(columns='geometry')",
            ),
            (
                "md",
                "## 4. What if Preševo–Tabanovce were closed?\n\n"
                "`routes.what_if` re-routes every incident on the network without the closed "
                "crossings (records naming a closed crossing are re-routed as if they named "
                "none) and reports where the traffic goes.",
            ),
            (
                "code",
                'closure = routes.what_if(result, ["RS-MK-PRESEVO"])\n'
                'print(f"{closure.rerouted:.1f} expected incidents change route; "\n'
                '      f"{len(closure.unroutable)} can no longer be routed")\n'
                "closure.crossings.head(8)",
            ),
            ("code", "closure.corridors.head(8)"),
            (
                "md",
                "## 5. The route map\n\n"
                "The interactive map shows route frequency as line width and colour, the "
                "crossings by use, and the incidents; it is one offline HTML file.",
            ),
            (
                "code",
                "m = routes.route_map(\n"
                "    incidents,\n"
                "    result=result,\n"
                '    title="Route frequency 2019-2025 (SYNTHETIC sample)",\n'
                "    marking=MARKING,\n"
                ")\n"
                'print(routes.save_map(m, OUT / "route_frequency.html"))\n'
                "m",
            ),
            ("md", "---\n" + KOSOVO),
        ]
    )


def threat_figures() -> nbformat.NotebookNode:
    return _nb(
        [
            (
                "md",
                "# 03 · Threat-assessment figures and tables\n\n"
                "Print-quality outputs for the regional SALW threat assessment: the "
                "route-frequency map (PNG at 300 dpi, SVG, PDF) with legend, scale bar, north "
                "arrow, sources, handling marking and the Kosovo\\* footnote; trend, category and "
                "top-corridor charts; and statistics per jurisdiction as CSV, Markdown and "
                "Excel. Everything is drawn offline.\n\n" + SYNTHETIC_NOTE,
            ),
            ("code", SETUP),
            (
                "code",
                "incidents = routes.read_incidents(routes.synthetic_sample_path())\n"
                "result = routes.route_incidents(incidents)\n"
                'SOURCES = "SYNTHETIC sample (salw-routes); borders: Natural Earth; roads: © OpenStreetMap contributors"\n'
                'DATES = (incidents["date"].min(), incidents["date"].max())\n'
                'print(f"{len(incidents):,} incidents, {DATES[0]:%d.%m.%Y} - {DATES[1]:%d.%m.%Y}")',
            ),
            (
                "md",
                "## 1. The route-frequency map\n\n"
                "Edges are classed by expected incidents; crossings are sized by use and the "
                "busiest are labelled. `routes.save_figure` writes the formats an assessment "
                "needs in one call.",
            ),
            (
                "code",
                "fig = routes.route_frequency_map(\n"
                "    routes.edge_flows(result),\n"
                "    crossing_flows=routes.crossing_flows(result),\n"
                '    title="SALW trafficking routes: route frequency (SYNTHETIC sample)",\n'
                "    date_range=DATES,\n"
                "    sources=SOURCES,\n"
                "    marking=MARKING,\n"
                ")\n"
                'files = routes.save_figure(fig, OUT / "route_frequency_map")\n'
                'print("written:", ", ".join(f.name for f in files))\n'
                "fig",
            ),
            (
                "md",
                "## 2. Charts\n\n"
                "Counts below a threshold can be suppressed for sharing (`min_count=`); here all "
                "counts are shown.",
            ),
            (
                "code",
                'fig = routes.trend_chart(incidents, by="jurisdiction", marking=MARKING, sources=SOURCES)\n'
                'routes.save_figure(fig, OUT / "trend_by_jurisdiction", formats=("png", "svg"))\n'
                "fig",
            ),
            (
                "code",
                "fig = routes.category_chart(incidents, marking=MARKING, sources=SOURCES)\n"
                'routes.save_figure(fig, OUT / "category_mix", formats=("png", "svg"))\n'
                "fig",
            ),
            (
                "code",
                "fig = routes.top_flows_chart(\n"
                '    routes.corridor_flows(result), label="e_road", title="Top corridors",\n'
                "    marking=MARKING, sources=SOURCES,\n"
                ")\n"
                'routes.save_figure(fig, OUT / "top_corridors", formats=("png", "svg"))\n'
                "fig",
            ),
            (
                "code",
                "fig = routes.top_flows_chart(\n"
                '    routes.crossing_flows(result), label="crossing_id", title="Top crossings",\n'
                "    marking=MARKING, sources=SOURCES,\n"
                ")\n"
                'routes.save_figure(fig, OUT / "top_crossings", formats=("png", "svg"))\n'
                "fig",
            ),
            (
                "md",
                "## 3. Statistics per jurisdiction\n\n"
                "Incidents and quantities by year, category, modus operandi, organised-crime and "
                "migrant involvement, per jurisdiction; written as CSV, Markdown and Excel.",
            ),
            (
                "code",
                "routes.jurisdiction_summary(incidents)",
            ),
            (
                "code",
                "tables = routes.jurisdiction_tables(incidents)\n"
                "written = routes.write_tables(\n"
                '    tables, OUT / "statistics", title="SALW incidents per jurisdiction (SYNTHETIC)",\n'
                "    marking=MARKING,\n"
                ")\n"
                "{kind: path.name for kind, path in written.items()}",
            ),
            (
                "code",
                "from IPython.display import Markdown\n\n"
                'Markdown(routes.tables_to_markdown({"summary": tables["summary"]}, marking=MARKING))',
            ),
            (
                "code",
                "# incidents by category (rows) and jurisdiction (columns)\n"
                'tables["by_category"].pivot_table(\n'
                '    index="category", columns="jurisdiction", values="incidents", fill_value=0, aggfunc="sum"\n'
                ")",
            ),
            (
                "md",
                "## 4. Sharing beyond the agency\n\n"
                "Before sharing outside the agency, suppress small counts (they can identify "
                "cases) and generalise locations; `salw-routes report INCIDENTS --share-safe "
                "--out DIR` does all of it for a whole annex.",
            ),
            (
                "code",
                'routes.suppress_small_counts(tables["by_category"], min_count=5).head(10)',
            ),
            ("md", "---\n" + KOSOVO),
        ]
    )


NOTEBOOKS = {
    "01_quickstart.ipynb": quickstart,
    "02_route_analysis.ipynb": route_analysis,
    "03_threat_assessment_figures.ipynb": threat_figures,
    "04_questionnaire.ipynb": lambda: _nb(questionnaire_cells(SETUP, KOSOVO)),
}


def render(name: str) -> str:
    """The exact file text of a notebook."""
    nb = NOTEBOOKS[name]()
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    stale = []
    for name in NOTEBOOKS:
        text = render(name)
        path = OUT / name
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
            continue
        OUT.mkdir(exist_ok=True)
        tmp = path.with_name(f".{name}.part")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print(f"out of date: {', '.join(stale)}; run python scripts/build_notebooks.py")
        return 1
    if args.check:
        print("notebooks are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
