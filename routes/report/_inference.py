"""The annex chapter on inferred legs: the method note, calibration figures, the differences.

Shown only when the routes were computed with ``infer="recorded"`` or ``"priors"``
(:func:`routes.route_incidents`). The method note is :data:`routes.routing.INFERENCE_DOC`; the
calibration figures are :func:`routes.routing.inference_calibration` on the report's own
incidents (hold out 20 % of the fully recorded routes, infer them, score); the table puts the
flows per crossing from the records alone next to those with the inferred legs
(:func:`routes.analysis.compare_inferred`). In sharing-safe mode the table is left out (its
per-crossing differences can be small counts); the note and the rates stay.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from routes._errors import ValidationError
from routes._io import atomic_write_text
from routes.report._html import esc, table_html
from routes.report._page import OutputFile, Section

if TYPE_CHECKING:
    import pandas as pd

    from routes.report._context import AnnexContext

__all__ = ["inference_section"]

_TITLE = "Inferred legs: method and calibration"


def _paragraphs(doc: str) -> list[str]:
    """The documented model as paragraphs (at blank lines and numbered items, lines joined)."""
    parts = re.split(r"\n\s*\n|\n(?=\d+\. )", doc.strip())
    return [" ".join(p.split()) for p in parts if p.strip()]


def _calibration(
    ctx: AnnexContext, mode: str, priors: Any = None
) -> tuple[str, pd.DataFrame | None]:
    from routes.routing import inference_calibration

    result = ctx.result
    try:
        cal = inference_calibration(
            result.source, result.graph, infer=mode, profile=ctx.profile, k=ctx.k, priors=priors
        )
    except ValidationError as exc:  # a clean sentence, never the bare error list
        why = "; ".join(p.message.rstrip(".") for p in exc.problems) or "no reason given"
        return f"Calibration not possible on these incidents: {why}.", None
    rows = {r["measure"]: r for r in cal.to_dict("records")}
    o, c = rows["origin_country"], rows["crossing"]
    limit = ctx.policy.suppress
    if limit is not None and int(o["hidden"]) < limit:  # shares of a few incidents: not shared
        return (
            f"Calibration: fewer than {limit} fully recorded incidents could be held out, too few "
            "to share hit rates (sharing-safe mode).",
            None,
        )
    used = f", priors: {o['priors']}" if o.get("priors") else ""
    text = (
        f"Calibration on these incidents: the route fields of {int(o['hidden'])} of the "
        f"{int(o['recorded'])} fully recorded incidents (20 %, seed 0) were hidden and "
        f"inferred again (infer='{mode}'{used}). Origin country: the most likely inferred one was "
        f"right for {o['top1']:.0%} of them, one of the three most likely for {o['top3']:.0%}. "
        f"Crossing: the most likely inferred crossing was on the recorded route for "
        f"{c['top1']:.0%}, one of the three most likely for {c['top3']:.0%}. These figures "
        "describe the model on this data; they are not a guarantee for a single incident."
    )
    return text, cal


def _priors_text(priors: Any, mode: str) -> list[str]:
    """What priors are, where each kind comes from, which were used, how to turn them off."""
    used = (
        f"The priors of this annex: {priors.label}."
        if priors is not None
        else f"No priors were used (infer='{mode}'): every inferred leg rests on recorded routes."
    )
    return [
        "Priors: where the records give no route nearby, the inferred origin and destination "
        "come from prior routes — routes believed to run through the seizure's place or "
        "jurisdiction before looking at these records. They are of three kinds: the routes "
        "the questionnaire reports (reported_route rows: from, via, to, weighted by the "
        "reported seizures, per year where the incident's year is reported), a corridor "
        "table the analyst keeps (from, via, to, weight, source; salw-routes --priors FILE), "
        "and, when neither is given, the bundled regional corridors of the tool "
        "(routes.geo.CORRIDORS): a modelling assumption with modelling weights, each "
        "corridor naming the public source that places a route there.",
        used,
        "To turn the priors off: --priors none (or --infer recorded) infers legs from "
        "recorded routes only; --infer none draws only what the records give.",
    ]


def _evidence_table(ctx: AnnexContext) -> str:
    """The evidence mix as a table (share of the route frequency per class)."""
    mix = ctx.evidence
    if mix is None:
        return ""
    import pandas as pd

    pct = mix.percent()
    frame = pd.DataFrame(
        {
            "class": [
                "recorded routes",
                "inferred from recorded routes",
                "inferred from priors" + (f" ({mix.priors})" if mix.priors else ""),
            ],
            "share": [f"{pct[c]} %" for c in pct] if pct else ["not given (sharing-safe)"] * 3,
        }
    )
    return "\n<h3>What the route frequency rests on</h3>\n" + table_html(
        frame, headers={"class": "evidence", "share": "share of route frequency"}
    )


def _priors_table(priors: Any) -> str:
    """The prior routes with their weight and source (the 40 heaviest)."""
    table = priors.table
    if table is None or not len(table):
        return ""
    cols = [c for c in ("from", "via", "to", "weight", "source", "year") if c in table.columns]
    shown = table[cols].copy()
    if "year" in shown.columns:
        shown["year"] = shown["year"].map(lambda y: "" if y is None or int(y) < 0 else str(y))
    shown = shown.sort_values("weight", ascending=False, kind="stable").head(40)
    return f"\n<h3>Priors: {esc(priors.label)}</h3>\n" + table_html(shown.round(2))


def inference_section(ctx: AnnexContext) -> Section:
    """The chapter, or an empty section (not shown) when nothing was inferred."""
    from routes.analysis import compare_inferred
    from routes.routing import INFERENCE_DOC

    result = ctx.result
    mode = result.options.get("infer", "none") if result is not None else "none"
    if mode == "none":
        return Section(_TITLE)
    a = result.assignments
    n_inf = int(a.loc[a["inferred"], "incident"].nunique())
    limit = ctx.policy.suppress
    count = f"fewer than {limit}" if limit is not None and n_inf < limit else f"{n_inf:,}"
    lead = (
        f"{count} of the {len(result.incidents):,} incidents were routed on inferred legs "
        f"(infer='{mode}'): their records give one waypoint, usually the seizure place. "
        "On the interactive map their segments are dashed where most of the flow is inferred "
        "from recorded routes and dotted where most of it comes from priors (the print map "
        "dashes both), and the filters can show the recorded legs only; every table counts "
        "them unless it says otherwise."
    )
    priors = result.options.get("priors") if mode == "priors" else None
    cal_texts = [_calibration(ctx, mode, priors)[0]]
    if priors is not None and priors.kind != "bundled":  # the fallback, side by side
        cal_texts.append(_calibration(ctx, mode, "bundled")[0])
    body = "".join(
        f"\n<p>{esc(p)}</p>"
        for p in [lead, *_paragraphs(INFERENCE_DOC), *_priors_text(priors, mode), *cal_texts]
    )
    body += _evidence_table(ctx)
    if priors is not None and (not ctx.policy.share_safe or priors.kind == "bundled"):
        body += _priors_table(priors)  # reported seizures per route can be small counts
    files: list[OutputFile] = []
    if not ctx.policy.share_safe:
        diff = compare_inferred(result).head(15)
        shown = diff[["key", "incidents_recorded", "incidents_inferred", "incidents_all"]].round(1)
        body += "\n<h3>Crossings: recorded legs alone and with the inferred legs</h3>\n"
        body += table_html(
            shown,
            headers={
                "key": "crossing",
                "incidents_recorded": "recorded legs",
                "incidents_inferred": "added by inferred legs",
                "incidents_all": "all",
            },
        )
        path = ctx.staging / "tables" / "inferred_differences.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, compare_inferred(result).to_csv(index=False))
        files.append(
            OutputFile(
                "tables/inferred_differences.csv",
                path,
                "Flows per crossing: recorded legs alone and with the inferred legs",
            )
        )
    return Section(_TITLE, body, files=tuple(files))
