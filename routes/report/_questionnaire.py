"""The annex chapter of the questionnaire statistics (``write_report(..., questionnaire=...)``).

The chapter's content comes from :func:`routes.questionnaire.questionnaire_chapter` (with the
report's small-count threshold in sharing-safe mode); this section writes its files (tables as
CSV, Markdown and Excel; charts as PNG and SVG; the choropleth as an offline page) into the
staging folder and lays them out, every text escaped.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from routes._errors import Problem, ValidationError
from routes.report._html import DEFERRED_LOADER, esc, iframe_fragment, inline_svg, table_html
from routes.report._page import OutputFile, Section

if TYPE_CHECKING:
    import pandas as pd

    from routes.questionnaire import QuestionnaireReadResult
    from routes.report._context import AnnexContext

__all__ = ["load_questionnaire", "questionnaire_section"]

TITLE = "Questionnaire statistics"
_HEADERS = {
    "name": "Jurisdiction",
    "per_100k": "per 100,000",
    "from": "From",
    "via": "Via",
    "to": "To",
    "length_km": "Length (km)",
    "incident_seizures": "Incident seizure records",
    "incident_firearms": "Firearms in incident records",
    "questionnaire_cases": "Questionnaire: cases",
    "questionnaire_seized_weapons": "Questionnaire: seized weapons",
    "cases_coverage_pct": "Records / cases (%)",
    "firearms_coverage_pct": "Firearms / seized weapons (%)",
}


def load_questionnaire(
    questionnaire: QuestionnaireReadResult | str | os.PathLike[str] | pd.DataFrame | None,
) -> QuestionnaireReadResult | None:
    """Read ``questionnaire=`` of :func:`write_report` (a read result, a file or a DataFrame).

    Raises
    ------
    routes.ValidationError
        The file cannot be read, or no value of it is accepted.
    """
    if questionnaire is None:
        return None
    import pandas as pd

    from routes.questionnaire import QuestionnaireReadResult, read_questionnaire

    if isinstance(questionnaire, QuestionnaireReadResult):
        result = questionnaire
    elif isinstance(questionnaire, (str, os.PathLike, pd.DataFrame)):
        result = read_questionnaire(questionnaire)
    else:
        raise ValidationError(
            Problem(
                "questionnaire= must be a file, a DataFrame or routes.read_questionnaire's "
                f"result, instead got {type(questionnaire).__name__}",
                reason="invalid_option",
            )
        )
    if len(result.accepted) == 0:
        raise ValidationError(
            Problem(
                f"no value of the questionnaire {result.file or ''} was accepted "
                f"({result.rows_read} read); check it with 'salw-routes questionnaire FILE'",
                reason="no_rows",
            )
        )
    return result


def _headers(table: pd.DataFrame) -> dict[str, str]:
    out = dict(_HEADERS)
    for c in table.columns:
        if str(c).startswith("per_100k_"):
            out[str(c)] = f"per 100,000 ({str(c).removeprefix('per_100k_')})"
    return out


def _shown(table: pd.DataFrame) -> pd.DataFrame:
    """The table as the page shows it: the display name instead of the ISO code."""
    if "name" in table.columns and "jurisdiction" in table.columns:
        return table.drop(columns=["jurisdiction"])
    return table


def questionnaire_section(ctx: AnnexContext, questionnaire: QuestionnaireReadResult) -> Section:
    """Write and lay out the questionnaire chapter of the annex."""
    from routes._figstyle import save_figure
    from routes.analysis import write_tables
    from routes.maps import save_map
    from routes.questionnaire import questionnaire_chapter

    chapter = questionnaire_chapter(
        questionnaire,
        incidents=ctx.incidents,
        graph=getattr(ctx.result, "graph", None),
        min_count=ctx.policy.suppress,
        marking=ctx.marking,
        sources=ctx.sources,
        profile=ctx.profile,
    )
    files: list[OutputFile] = []
    body: list[str] = []
    check = "".join(f"<li>{esc(line)}</li>" for line in chapter.check_lines)
    body.append(f"\n<h3>Input check</h3><ul>{check}</ul>")
    if len(chapter.inconsistencies):
        body.append(
            "\n<h3>Inconsistencies</h3>"
            + table_html(chapter.inconsistencies, headers={"what": "What is wrong"})
        )
    if chapter.notes:
        body.append(
            '\n<ul class="notes">' + "".join(f"<li>{esc(n)}</li>" for n in chapter.notes) + "</ul>"
        )
    script = ""
    if chapter.choropleth is not None:
        page_path = save_map(
            chapter.choropleth, ctx.staging / "maps" / "questionnaire_choropleth.html"
        )
        files.append(
            OutputFile(
                "maps/questionnaire_choropleth.html",
                page_path,
                "Choropleth of the questionnaire rates (offline, one file)",
            )
        )
        page = page_path.read_text(encoding="utf-8")
        body.append(
            "\n<h3>Rates per 100,000 inhabitants (map)</h3>"
            + iframe_fragment(page, title="Questionnaire choropleth", height_px=560, deferred=True)
        )
        script = DEFERRED_LOADER
    figdir = ctx.staging / "figures"
    for stem, caption, fig in chapter.figures:
        for p in save_figure(fig, figdir / stem, formats=("png", "svg"), title=caption):
            files.append(OutputFile(f"figures/{p.name}", p, f"{caption} ({p.suffix[1:].upper()})"))
        svg = (figdir / f"{stem}.svg").read_text(encoding="utf-8")
        body.append(
            f"\n<h3>{esc(caption)}</h3><figure>{inline_svg(svg, label=caption)}"
            f"\n<figcaption>{esc(f'Also as figures/{stem}.png (300 dpi) and .svg')}"
            "</figcaption></figure>"
        )
    if chapter.tables:
        written = write_tables(
            chapter.tables,
            ctx.staging / "tables",
            stem="questionnaire",
            title=f"{ctx.title}: questionnaire statistics",
            marking=ctx.marking,
            notes=chapter.notes,
        )
        for key, p in written.items():
            name = key.removesuffix(".csv")
            desc = (
                "Questionnaire tables, Markdown"
                if key == "markdown"
                else "Questionnaire tables, Excel (a sheet per table)"
                if key == "xlsx"
                else f"Questionnaire table: {chapter.titles.get(name, name)} (CSV)"
            )
            files.append(OutputFile(f"tables/{p.name}", p, desc))
        for name, table in chapter.tables.items():
            shown = _shown(table)
            body.append(
                f"\n<h3>{esc(chapter.titles.get(name, name))}</h3>"
                + table_html(shown, headers=_headers(shown))
            )
    return Section(TITLE, "".join(body), files=tuple(files), script=script)
