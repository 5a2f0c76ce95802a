"""The ``salw-routes questionnaire`` command: check a questionnaire file, or write the template.

Exit status (as ``validate``): 0 when every value was accepted, 1 when some were rejected, 2
when the file cannot be read at all (missing, another type, no header with the required
columns), an option is bad, or no value was accepted. Inconsistencies are listed but do not
change the status: they are for the Focal Point to check, not errors of the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from routes.cli._common import (
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_UNUSABLE,
    SHOWN_PROBLEMS,
    json_option,
    problems_message,
)

__all__ = ["command"]

_LAYOUTS = {
    "long": "long table",
    "wide": "wide workbook",
    "frame": "table",
    "mapped": "read through a mapping",
}


def _text_report(result: Any) -> str:
    from routes._constants import KOSOVO_FOOTNOTE, WESTERN_BALKANS, display_name

    lines = [
        f"file:           {result.file} ({_LAYOUTS.get(result.layout, result.layout)})",
        f"rows read:      {result.rows_read:,}",
        f"accepted:       {len(result.accepted):,}",
        f"rejected:       {result.rows_rejected:,}",
    ]
    if result.mapping:
        header = f" (header on row {result.header_row})" if result.header_row else ""
        lines.insert(1, f"mapping:        {result.mapping}{header}")
    by_row = result.rejected_by_reason()
    if by_row:
        lines.append("rejected rows by reason:")
        width = max(len(r) for r in by_row)
        lines += [f"  {reason:<{width}}  {n:,}" for reason, n in by_row.items()]
    counts = result.reason_counts()
    if counts:
        lines.append("problems by reason:")
        width = max(len(r) for r in counts)
        lines += [f"  {reason:<{width}}  {n:,}" for reason, n in counts.items()]
    problems = result.problems()
    if problems:
        lines.append(f"problems (first {min(len(problems), SHOWN_PROBLEMS)} of {len(problems):,}):")
        lines += [f"  - {p}" for p in problems[:SHOWN_PROBLEMS]]
    if result.ignored_columns:
        lines.append(f"columns not used: {', '.join(result.ignored_columns)}")
    acc = result.accepted
    if len(acc):
        years = sorted({int(y) for y in acc["year"]})
        context = set(result.context_jurisdictions())
        order = {c: i for i, c in enumerate(WESTERN_BALKANS)}
        codes = sorted(
            (c for c in dict.fromkeys(acc["jurisdiction"]) if c not in context),
            key=lambda c: order.get(c, len(order)),
        )
        lines.append(f"years:          {years[0]}..{years[-1]}")
        lines.append(f"jurisdictions:  {', '.join(display_name(c) for c in codes)}")
        if context:
            shown = ", ".join(display_name(c) for c in sorted(context))
            lines.append(f"context:        {shown} (neighbours, shown apart from the six)")
        lines.append(f"indicators:     {', '.join(dict.fromkeys(acc['indicator']))}")
    incons = result.inconsistencies
    lines.append(f"inconsistencies: {len(incons):,}")
    for i in incons:
        lines.append(
            f"  - {i.kind}: {display_name(i.jurisdiction)} {i.year} {i.indicator}: {i.what}"
        )
    if len(acc) and "XK" in set(acc["jurisdiction"]):
        lines.append(KOSOVO_FOOTNOTE)
    return "\n".join(lines)


def _unusable_json(problems: list[Any]) -> str:
    reasons = [
        {
            "row": p.row,
            "sheet": None,
            "column": p.column,
            "value": None if p.value is None else str(p.value),
            "reason": p.reason,
            "fix": p.message,
        }
        for p in problems
    ]
    doc = {
        "rows_read": 0,
        "accepted": 0,
        "rejected": 0,
        "reasons": reasons,
        "inconsistencies": [],
        "rejected_by_reason": {},
        "mapping": None,
        "layout": None,
        "header_row": None,
        "context_jurisdictions": [],
    }
    return json.dumps(doc, ensure_ascii=False)


@click.command(name="questionnaire")
@click.argument("questionnaire", required=False, type=click.Path(dir_okay=False, path_type=Path))
@json_option
@click.option("--sheet", default=None, help="Read only this sheet of a workbook (name).")
@click.option(
    "-m",
    "--mapping",
    default=None,
    metavar="MAPPING",
    help="A questionnaire mapping for a published table (a bundled name such as 'unodc_iafq' "
    "or a TOML file): its lookup turns the source's indicators into the project's. A file "
    "with the columns of a bundled mapping is read through it without -m.",
)
@click.option(
    "--template",
    "template",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the blank questionnaire workbook (one sheet per jurisdiction) to this .xlsx.",
)
@click.pass_context
def command(
    ctx: click.Context,
    questionnaire: Path | None,
    as_json: bool,
    sheet: str | None,
    mapping: str | None,
    template: Path | None,
) -> None:
    """Check a QUESTIONNAIRE file (CSV or XLSX, long table or wide workbook, or a published
    table such as UNODC's IAFQ export through -m MAPPING).

    Prints the values read, accepted and rejected (each problem with its row, column, value and
    fix) and the inconsistencies (totals that are not the sum of their categories, a year
    missing for one jurisdiction, a more than tenfold change from one year to the next).
    With --template OUT.xlsx, writes the blank workbook to fill in instead.

    Exit status 0: every value accepted; 1: some rejected; 2: the file cannot be read, a bad
    option, or no value accepted.
    """
    from routes._errors import ValidationError

    if template is not None:
        if questionnaire is not None:
            raise click.UsageError("give either QUESTIONNAIRE or --template OUT.xlsx, not both")
        if template.suffix.lower() != ".xlsx":
            raise click.BadParameter(
                f"{str(template)!r} does not end in .xlsx; the template is an Excel workbook",
                param_hint="'--template'",
            )
        from routes._io import atomic_write_bytes
        from routes.questionnaire import questionnaire_template_path

        written = atomic_write_bytes(template, questionnaire_template_path().read_bytes())
        click.echo(f"wrote the questionnaire template to {written}")
        ctx.exit(EXIT_OK)
    if questionnaire is None:
        raise click.UsageError("give the QUESTIONNAIRE file to check, or --template OUT.xlsx")
    from routes.questionnaire import read_questionnaire

    try:
        result = read_questionnaire(questionnaire, sheet=sheet, mapping=mapping)
    except ValidationError as exc:
        if as_json:
            click.echo(_unusable_json(exc.problems))
        else:
            click.echo(problems_message(str(exc), exc.problems), err=True)
        ctx.exit(EXIT_UNUSABLE)
    if as_json:
        click.echo(json.dumps(result.summary(), ensure_ascii=False))
    else:
        click.echo(_text_report(result))
    if len(result.accepted) == 0:
        if not as_json:
            click.echo("no value accepted: nothing to report from this file", err=True)
        ctx.exit(EXIT_UNUSABLE)
    ctx.exit(EXIT_REJECTED if result.rows_rejected else EXIT_OK)
