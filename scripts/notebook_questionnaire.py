"""The cells of notebook 04 (questionnaire statistics), used by ``scripts/build_notebooks.py``.

Kept in its own file so that the builder stays short; edit the cells here, then run
``python scripts/build_notebooks.py``.
"""

# ruff: noqa: E501  (cell sources are kept as they read in the notebook)

from __future__ import annotations

__all__ = ["questionnaire_cells"]

QUESTIONNAIRE_NOTE = (
    "> **The questionnaire in this notebook is SYNTHETIC.** Real questionnaire returns are not "
    "public, so salw-routes ships one generated from its synthetic incident sample "
    "(`data/questionnaire/synthetic_questionnaire.csv`; every `source` starts with "
    "`SYNTHETIC`), with three deliberate flaws so that the checks have something to show. No "
    "figure here is any jurisdiction's statistic. Replace the file with your Focal Points' "
    "returns to analyse real ones."
)


def questionnaire_cells(setup: str, kosovo: str) -> list[tuple[str, str]]:
    """``(kind, source)`` of every cell of ``04_questionnaire.ipynb``."""
    return [
        (
            "md",
            "# 04 · Questionnaire statistics: the threat assessment's first chapter\n\n"
            "Each jurisdiction's Firearms Focal Point reports annual statistics in a "
            "questionnaire: seized, found and surrendered weapons by type, ammunition, explosives, "
            "hand grenades, converted and blank-firing weapons, cases, persons and the routes "
            "reported. This notebook reads such a questionnaire, checks it (every value accepted "
            "or rejected, inconsistencies listed), compares the six jurisdictions per 100,000 "
            "inhabitants, draws the choropleth and the reported routes on the network, sets the "
            "incident records against it and writes the annex chapter.\n\n" + QUESTIONNAIRE_NOTE,
        ),
        ("code", setup),
        (
            "md",
            "## 1. The format and the template\n\n"
            "A long table (`jurisdiction, year, indicator, category, value`, plus `from`/`via`/`to` "
            "for `reported_route`) or the wide workbook the Focal Points fill in (a sheet per "
            "jurisdiction, indicators as rows, years as columns).",
        ),
        (
            "code",
            "pd.DataFrame(\n"
            "    [(i.name, i.unit, i.description) for i in routes.INDICATORS.values()],\n"
            '    columns=["indicator", "unit", "what is counted"],\n'
            ")",
        ),
        (
            "code",
            'template = routes.write_questionnaire_template(OUT / "questionnaire_template.xlsx")\n'
            "blank = routes.read_questionnaire(template)\n"
            'print(template.name, "->", blank.layout, "workbook,", blank.rows_read, "values (blank)")',
        ),
        (
            "md",
            "## 2. Read and check a return\n\n"
            "`rows_read = accepted + rejected`; every rejection names the row, column, value and "
            "the fix; names in the region's languages are read (`Shqipëria`, `BiH`, `Kosova`, "
            "`Србија`).",
        ),
        (
            "code",
            "q = routes.read_questionnaire(routes.synthetic_questionnaire_path())\n"
            "s = q.summary()\n"
            'print({k: s[k] for k in ("rows_read", "accepted", "rejected")})\n'
            'pd.DataFrame(s["inconsistencies"])',
        ),
        (
            "code",
            "# a return with mistakes: each one is reported, nothing is dropped silently\n"
            'bad = OUT / "return_with_mistakes.csv"\n'
            "bad.write_text(\n"
            '    "Država;Godina;indicator;category;value\\n"\n'
            '    "Shqipëria;2024;seized_weapons;total;-3\\n"\n'
            '    "Kosova;2024;seized_weapons;pištolj;12\\n"\n'
            '    "Atlantis;2024;cases;;4\\n"\n'
            '    "Србија;2024;cases;;n/a\\n",\n'
            '    encoding="utf-8",\n'
            ")\n"
            "checked = routes.read_questionnaire(bad)\n"
            'print(checked.rows_read, "read,", len(checked.accepted), "accepted,", checked.rows_rejected, "rejected")\n'
            'pd.DataFrame(checked.summary()["reasons"])',
        ),
        (
            "md",
            "## 3. Compare the six jurisdictions\n\n"
            "Rates per 100,000 inhabitants use the latest census of each jurisdiction "
            "(`routes.load_population()`, the source named per row).",
        ),
        (
            "code",
            'routes.load_population()[["jurisdiction", "name", "population", "census_year", "source"]]',
        ),
        (
            "code",
            'totals = q.totals()\nroutes.questionnaire.comparison_table(totals, "seized_weapons")',
        ),
        (
            "code",
            'SOURCES = "SYNTHETIC questionnaire (salw-routes); population: national censuses"\n'
            "fig = routes.questionnaire.questionnaire_trend_chart(\n"
            '    totals, indicator="seized_weapons", per_100k=True, marking=MARKING, sources=SOURCES\n'
            ")\n"
            'routes.save_figure(fig, OUT / "seized_weapons_per_100k", formats=("png", "svg"))\n'
            "fig",
        ),
        (
            "code",
            'latest = totals[(totals.indicator == "seized_weapons") & (totals.year == totals.year.max())]\n'
            "rates = routes.questionnaire.questionnaire_rates(latest)\n"
            "m = routes.choropleth_map(\n"
            '    rates.rename(columns={"per_100k": "value"})[["jurisdiction", "value"]],\n'
            '    title=f"Seized weapons per 100,000 inhabitants, {int(latest.year.max())} (SYNTHETIC)",\n'
            '    unit="per 100,000 inhabitants", marking=MARKING, height="520px",\n'
            ")\n"
            'routes.save_map(m, OUT / "questionnaire_choropleth.html")\n'
            "m",
        ),
        (
            "md",
            "## 4. The reported routes on the network\n\n"
            "Summed over the years and routed country to country (`routes.route_between` with "
            "country codes).",
        ),
        (
            "code",
            "reported = routes.questionnaire.reported_routes(q.accepted)\n"
            "flows = routes.questionnaire.route_flows(reported.head(15))\n"
            'flows.drop(columns="geometry").head(10)',
        ),
        (
            "code",
            "fig = routes.questionnaire.reported_routes_map(flows, marking=MARKING, sources=SOURCES)\n"
            'routes.save_figure(fig, OUT / "reported_routes", formats=("png",))\n'
            "fig",
        ),
        (
            "md",
            "## 5. Reconciliation with the incident records\n\n"
            "How much of what the questionnaire reports is in the incident file, per "
            "jurisdiction and year.",
        ),
        (
            "code",
            "incidents = routes.read_incidents(routes.synthetic_sample_path())\n"
            "coverage = routes.questionnaire.coverage_table(totals, incidents)\n"
            'coverage.pivot_table(index="jurisdiction", columns="year", values="firearms_coverage_pct")',
        ),
        (
            "md",
            "## 6. The annex chapter\n\n"
            "`write_report(..., questionnaire=q)` (or `salw-routes report ... --questionnaire "
            "FILE`) adds the chapter; with `share_safe=True` its counts below `min_count` are "
            "suppressed too. One year of incidents keeps this cell quick.",
        ),
        (
            "code",
            "report = routes.write_report(\n"
            '    incidents, OUT / "annex", start="2024-01-01", end="2024-12-31", questionnaire=q,\n'
            '    interactive=False, marking=MARKING, title="SALW annex with questionnaire (SYNTHETIC)",\n'
            ")\n"
            'annex = report.annex.read_text(encoding="utf-8")\n'
            'print("chapter in the annex:", "<h2>Questionnaire statistics</h2>" in annex)\n'
            'sorted(rel for rel in report.files if "questionnaire" in rel)[:8]',
        ),
        ("md", "---\n" + kosovo),
    ]
