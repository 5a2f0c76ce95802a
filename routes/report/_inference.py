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
from typing import TYPE_CHECKING

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


def _calibration(ctx: AnnexContext, mode: str) -> tuple[str, pd.DataFrame | None]:
    from routes.routing import inference_calibration

    result = ctx.result
    try:
        cal = inference_calibration(
            result.source, result.graph, infer=mode, profile=ctx.profile, k=ctx.k
        )
    except ValidationError as exc:
        return f"Calibration not possible on these incidents: {exc}", None
    rows = {r["measure"]: r for r in cal.to_dict("records")}
    o, c = rows["origin_country"], rows["crossing"]
    limit = ctx.policy.suppress
    if limit is not None and int(o["hidden"]) < limit:  # shares of a few incidents: not shared
        return (
            f"Calibration: fewer than {limit} fully recorded incidents could be held out, too few "
            "to share hit rates (sharing-safe mode).",
            None,
        )
    text = (
        f"Calibration on these incidents: the route fields of {int(o['hidden'])} of the "
        f"{int(o['recorded'])} fully recorded incidents (20 %, seed 0) were hidden and "
        f"inferred again (infer='{mode}'). Origin country: the most likely inferred one was "
        f"right for {o['top1']:.0%} of them, one of the three most likely for {o['top3']:.0%}. "
        f"Crossing: the most likely inferred crossing was on the recorded route for "
        f"{c['top1']:.0%}, one of the three most likely for {c['top3']:.0%}. These figures "
        "describe the model on this data; they are not a guarantee for a single incident."
    )
    return text, cal


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
        "On the map their segments are dashed where most of the flow is inferred, and the "
        "filters can show the recorded legs only; every table counts them unless it says "
        "otherwise."
    )
    cal_text, _ = _calibration(ctx, mode)
    body = "".join(f"\n<p>{esc(p)}</p>" for p in [lead, *_paragraphs(INFERENCE_DOC), cal_text])
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
