"""The ``salw-routes validate`` command: read an incident file, report what was accepted.

Exit status: 0 when every row was accepted, 1 when some rows were rejected, 2 when the file
cannot be read at all (missing, unknown type, undecodable, a bad mapping or a mapped column
absent).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from routes._errors import ValidationError

__all__ = ["PROGRESS_MIN_BYTES", "command"]

#: Files at least this large show progress bars (on stderr) unless --no-progress is given.
PROGRESS_MIN_BYTES = 5_000_000

_SHOWN_PROBLEMS = 20


def _counts(mapping: dict[str, int]) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in mapping.items()) or "(none)"


def _text_report(summary: dict[str, Any], problems: list[Any], rejects: str | None) -> str:
    how = [summary["format"]]
    if summary.get("encoding"):
        how.append(f"encoding {summary['encoding']}")
    if summary.get("delimiter"):
        how.append(f"delimiter {summary['delimiter']!r}")
    if summary.get("sheet") is not None:
        how.append(f"sheet {summary['sheet']!r}")
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
    if summary.get("ignored_columns"):
        lines.append(f"columns not used: {', '.join(summary['ignored_columns'])}")
    if problems:
        lines.append(
            f"problems (first {min(len(problems), _SHOWN_PROBLEMS)} of {len(problems):,}):"
        )
        lines += [f"  - {p}" for p in problems[:_SHOWN_PROBLEMS]]
    if rejects:
        lines.append(f"rejected rows written to {rejects}")
    if "XK" in summary["jurisdictions"]:
        from routes._constants import KOSOVO_FOOTNOTE

        lines.append(KOSOVO_FOOTNOTE)
    return "\n".join(lines)


@click.command(name="validate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    "-m",
    help="Column mapping: a TOML file or a bundled mapping name (iom_mmp, policija_bcs).",
)
@click.option(
    "--rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the rejected rows (one line per problem, with reasons) to this CSV file.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
@click.option("--sheet", help="XLSX sheet name or 0-based index.")
@click.option("--layer", help="GeoPackage layer name.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help=f"Progress bars on stderr (default: on for files of {PROGRESS_MIN_BYTES // 10**6} MB+).",
)
def command(
    file: Path,
    mapping: str | None,
    rejects: Path | None,
    as_json: bool,
    sheet: str | None,
    layer: str | None,
    progress: bool | None,
) -> None:
    """Read and validate an incident FILE; summarise accepted and rejected rows.

    Exit status 0: every row accepted; 1: some rows rejected; 2: the file cannot be read.
    """
    from routes.incidents import read_incidents, write_rejects

    if progress is None:
        progress = file.is_file() and file.stat().st_size >= PROGRESS_MIN_BYTES
    try:
        if rejects is not None and not rejects.parent.is_dir():
            raise ValidationError(
                f"folder {str(rejects.parent)!r} for --rejects does not exist; create it or "
                "choose another path"
            )
        result = read_incidents(
            file,
            mapping=mapping,
            strict=False,
            sheet=sheet,
            layer=layer,
            progress=progress,
        )
        written = str(write_rejects(result, rejects)) if rejects is not None else None
    except ValidationError as err:
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "file": str(file),
                        "error": str(err),
                        "problems": [
                            {"message": p.message, "reason": p.reason, "column": p.column}
                            for p in err.problems
                        ],
                        "rows_read": 0,
                        "accepted": 0,
                        "rejected": 0,
                        "reasons": {},
                    },
                    ensure_ascii=False,
                )
            )
        else:
            click.echo(f"error: {err}", err=True)
        sys.exit(2)
    summary = result.summary()
    if as_json:
        summary["rejects_file"] = written
        click.echo(json.dumps(summary, ensure_ascii=False, default=str))
    else:
        click.echo(_text_report(summary, result.problems(), written))
    sys.exit(0 if summary["rejected"] == 0 else 1)
