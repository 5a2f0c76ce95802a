"""The ``salw-routes validate`` command: read an incident file, report what was accepted.

Exit status (as ``routes``, ``map`` and ``report``): 0 when every row was accepted, 1 when some
rows were rejected, 2 when the file cannot be read at all (missing, unknown type, undecodable, a
bad mapping or a mapped column absent), an option is bad, or no row was accepted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from routes.cli._assessment import assessment_json, assessment_summary
from routes.cli._common import (
    NO_DATA_ROWS,
    PROGRESS_MIN_BYTES,
    SHOWN_PROBLEMS,
    UnusableInput,
    incidents_input,
    json_option,
    places_lines,
    progress_option,
    read_for_command,
    rejects_option,
)
from routes.cli._process import collector_paused

if TYPE_CHECKING:
    from routes.incidents import ColumnMapping

__all__ = ["PROGRESS_MIN_BYTES", "command"]


def _counts(mapping: dict[str, int]) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in mapping.items()) or "(none)"


def _text_report(
    summary: dict[str, Any], problems: list[Any], rejects: str | None, places: list[str]
) -> str:
    how = [summary["format"]]
    if summary.get("encoding"):
        how.append(f"encoding {summary['encoding']}")
    if summary.get("delimiter"):
        how.append(f"delimiter {summary['delimiter']!r}")
    if summary.get("sheet") is not None:
        how.append(f"sheet {summary['sheet']!r}")
    if summary.get("title_rows"):
        n = len(summary["title_rows"])
        how.append(f"header on row {summary['header_row']} below {n} title row(s)")
    if summary.get("layer"):
        how.append(f"layer {summary['layer']!r}")
    if summary.get("mapping"):
        how.append(f"mapping {summary['mapping']!r}")
    lines = [
        f"file:           {summary['file']} ({', '.join(how)})",
        f"rows read:      {summary['rows_read']:,}",
        f"accepted:       {summary['accepted']:,}",
        f"rejected:       {summary['rejected']:,}",
    ]
    if summary["rows_read"] == 0:
        lines.append(NO_DATA_ROWS)
    if summary["reasons"]:
        lines.append("rejected by reason (problems / rows):")
        width = max(len(r) for r in summary["reasons"])
        for reason, count in summary["reasons"].items():
            rows = summary["rejected_rows_by_reason"].get(reason, count)
            lines.append(f"  {reason:<{width}}  {count:,} / {rows:,}")
    if summary["date_min"]:
        lines.append(
            f"dates:          {summary['date_min']} .. {summary['date_max']}"
            f" ({summary['dates_missing']:,} without a date)"
        )
    else:
        lines.append("dates:          (none)")
    from routes._constants import display_name

    jur = {display_name(k): v for k, v in summary["jurisdictions"].items()}
    lines.append(f"jurisdictions:  {_counts(jur)}")
    lines.append(f"categories:     {_counts(summary['categories'])}")
    for note in summary.get("notes", ()):
        lines.append(f"note:           {note}")
    if summary.get("ignored_columns"):
        lines.append(f"columns not used: {', '.join(summary['ignored_columns'])}")
    lines += places
    if problems:
        lines.append(f"problems (first {min(len(problems), SHOWN_PROBLEMS)} of {len(problems):,}):")
        lines += [f"  - {p}" for p in problems[:SHOWN_PROBLEMS]]
    if rejects:
        lines.append(f"rejected rows written to {rejects}")
    if "XK" in summary["jurisdictions"]:
        from routes._constants import KOSOVO_FOOTNOTE

        lines.append(KOSOVO_FOOTNOTE)
    return "\n".join(lines)


@click.command(name="validate")
@incidents_input
@rejects_option("not written")
@json_option
@progress_option
@click.pass_context
@collector_paused
def command(
    ctx: click.Context,
    incidents: Path,
    mapping: ColumnMapping | None,
    sheet: str | None,
    layer: str | None,
    rejects: Path | None,
    as_json: bool,
    progress: bool | None,
) -> None:
    """Read and validate INCIDENTS; summarise accepted and rejected rows on stdout.

    Exit status 0: every row accepted; 1: some rows rejected; 2: the file cannot be read or no
    row was accepted.
    """
    try:
        read = read_for_command(
            incidents,
            mapping=mapping,
            sheet=sheet,
            layer=layer,
            progress=progress,
            rejects=rejects,
            summary=False,
            require_rows=False,
        )
    except UnusableInput as err:
        if not as_json:
            raise
        problems = [
            {"message": p.message, "reason": p.reason, "column": p.column} for p in err.problems
        ]
        doc = {
            "file": str(incidents),
            "error": err.message,
            "problems": problems,
            "rows_read": 0,
            "accepted": 0,
            "rejected": 0,
            "reasons": {},
        }
        click.echo(json.dumps(doc, ensure_ascii=False))
        ctx.exit(err.exit_code)
    summary = read.result.summary()
    written = None if read.rejects_file is None else str(read.rejects_file)
    pooled = read.assessment
    summary.update(assessment_json(read.assessment))
    if as_json:
        summary["rejects_file"] = written
        click.echo(json.dumps(summary, ensure_ascii=False, default=str))
    else:
        text = _text_report(summary, read.result.problems(), written, places_lines(read.result))
        if pooled is not None:
            text += "\n" + "\n".join(assessment_summary(pooled))
        click.echo(text)
    ctx.exit(read.exit_code)
