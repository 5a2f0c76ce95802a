"""A :class:`~routes.incidents.suggest.MappingSuggestion` as a TOML mapping and as a report."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

# The suggestion is typed Any here: routes.incidents.suggest imports this module, and the
# architecture allows no import circle (not even under TYPE_CHECKING).
MappingSuggestion = Any

__all__ = ["render_report", "render_toml", "toml_key", "toml_value"]

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_key(key: str) -> str:
    """A TOML key: bare when it can be, else a quoted string.

    >>> toml_key("incident_id"), toml_key("Unknown Gun Type")
    ('incident_id', '"Unknown Gun Type"')
    """
    return key if _BARE.match(key) else json.dumps(key, ensure_ascii=False)


def toml_value(value: Any) -> str:
    """A TOML value for a text, a number, a boolean or a list of them.

    >>> toml_value(["UKN", "-"]), toml_value(0), toml_value('a "b"')
    ('["UKN", "-"]', '0', '"a \\\\"b\\\\""')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _comment(text: str) -> str:
    """Text for a TOML comment: one line, no control characters."""
    clean = "".join(ch if ch.isprintable() else " " for ch in str(text))
    return " ".join(clean.split())


def render_toml(s: MappingSuggestion, path: str | Path | None = None) -> str:
    """The draft as a commented TOML mapping file (``path``: where it goes, for [places])."""
    m = s.mapping
    by_name = {c.name: c for c in s.columns}
    chosen = s.chosen
    today = dt.date.today().isoformat()
    lines = [
        f"# Draft column mapping written by `salw-routes inspect` on {today} for",
        f"#   {_comment(s.file)}",
        "# Check it, edit what is wrong, then read the file with it:",
        "#   salw-routes validate FILE -m THIS_FILE.toml",
        "# Scores run from 0 to 1 (value matches: 0 to 100); the lower, the more to check.",
    ]
    if s.trial:
        t = s.trial
        lines.append(
            f"# With this draft: {t['accepted']:,} of {t['rows_read']:,} rows accepted, "
            f"{t['rejected']:,} rejected."
        )
        for reason, rows in t["reasons"].items():
            lines.append(f"#   {reason}: {rows:,} rows")
    for note in s.notes:
        lines.append(f"# Note: {_comment(note)}")
    lines.append("")
    for key in ("name", "encoding", "delimiter", "sheet", "skip_rows", "na_values"):
        if key in m:
            value = m[key]
            if key == "delimiter" and value == "\t":
                value = "tab"
            lines.append(f"{key} = {toml_value(value)}")
    for key in ("coordinate_order", "generate_id", "ignore_columns"):
        if key in m:
            lines.append(f"{key} = {toml_value(m[key])}")
    lines += ["", "[columns]                # canonical column = column of the file"]
    for key, column in m.get("columns", {}).items():
        cand = chosen.get(key)
        why = f"  # score {cand.score:.2f}: {_comment(cand.why)}" if cand else ""
        lines.append(f"{key} = {toml_value(column)}{why}")
    unmapped = s.unmapped
    if unmapped:
        lines.append("# Columns not used (uncomment a line and name its canonical column):")
        for name in unmapped:
            prof = by_name[name]
            best = next((c for c in s.candidates if c.column == name), None)
            guess = best.key if best else "notes"
            hint = f"best guess {best.key}, score {best.score:.2f}" if best else "no guess"
            ex = ", ".join(prof.examples[:3])
            lines.append(
                f"# {guess} = {_comment(toml_value(name))}  # {prof.type}, {hint}; "
                f"e.g. {_comment(ex)}"
            )
    if "dates" in m:
        lines += ["", "[dates]                  # how the file writes its dates"]
        for key, value in m["dates"].items():
            lines.append(f"{key} = {toml_value(value)}")
    if "places" in m:
        spec = dict(m["places"])
        if path is not None:
            folder = Path(path).resolve().parent
            with contextlib.suppress(ValueError):  # another drive (Windows): keep it absolute
                spec["file"] = os.path.relpath(spec["file"], folder).replace(os.sep, "/")
        lines += ["", "[places]                 # your places table: codes and names -> points"]
        for key, value in spec.items():
            lines.append(f"{key} = {toml_value(value)}")
    unmatched: dict[str, list[Any]] = {}
    for v in s.values:
        if not v.known and v.target is None:
            unmatched.setdefault(v.column, []).append(v)
    for col in dict.fromkeys([*m.get("values", {}), *unmatched]):
        lines += ["", f"[values.{col}]           # value in the file = canonical value"]
        scores = {v.value: v.score for v in s.values if v.column == col}
        for value, target in m.get("values", {}).get(col, {}).items():
            lines.append(
                f"{toml_key(value)} = {toml_value(target)}  # score {scores.get(value, 0):.0f}"
            )
        for v in unmatched.get(col, []):
            lines.append(f'# {toml_key(v.value)} = "?"  # {v.rows:,} rows; {_comment(v.note)}')
    return "\n".join(lines) + "\n"


def render_report(s: MappingSuggestion) -> str:
    """The human-readable report of ``salw-routes inspect``."""
    t = s.table
    how = [str(t.get("format"))]
    if t.get("encoding"):
        how.append(f"encoding {t['encoding']}")
    if t.get("delimiter"):
        how.append(f"delimiter {t['delimiter']!r}")
    if t.get("line_ending"):
        how.append(f"line ends {t['line_ending']}")
    if t.get("sheet") is not None:
        how.append(f"sheet {t['sheet']!r}")
    titles = t.get("title_rows") or []
    lines = [
        f"file:        {s.file} ({', '.join(how)})",
        f"header:      line {t.get('header_row', 1)}"
        + (
            f" ({len(titles)} title line(s) above it: {'; '.join(repr(x) for x in titles)})"
            if titles
            else ""
        ),
        f"rows:        {t.get('rows', 0):,}",
        "",
        "columns (type, empty, examples):",
    ]
    width = max([len(c.name) for c in s.columns] or [0])
    for c in s.columns:
        ex = ", ".join(repr(e) for e in c.examples)
        lines.append(f"  {c.name:<{width}}  {c.type:<15} {c.share_empty:>4.0%}  {ex}")
    if s.kind != "incidents":
        return "\n".join(lines)
    lines += ["", "proposed mapping (score: why):"]
    chosen = s.chosen
    for key, column in s.mapping.get("columns", {}).items():
        cand = chosen.get(key)
        why = f"{cand.score:.2f}: {cand.why}" if cand else ""
        lines.append(f"  {key:<15} <- {column!r}  {why}")
    if s.mapping.get("generate_id"):
        lines.append('  incident_id     <- the data-row number (generate_id = "row")')
    if "dates" in s.mapping:
        lines.append(f"  dates: {s.mapping['dates']}")
    if s.unmapped:
        lines.append(f"  not used: {', '.join(s.unmapped)}")
    if any(not v.known for v in s.values):
        lines += ["", "values (file value -> canonical value, score):"]
        for v in s.values:
            if v.known:
                continue
            target = v.target if v.target is not None else "(none)"
            note = f"  {v.note}" if v.note else ""
            lines.append(
                f"  {v.column}: {v.value!r} -> {target} ({v.score:.0f}, {v.rows:,} rows){note}"
            )
    for note in s.notes:
        lines.append(f"note: {note}")
    if s.trial:
        tr = s.trial
        share = tr["accepted"] / tr["rows_read"] if tr["rows_read"] else 0.0
        lines += [
            "",
            f"with this draft: {tr['accepted']:,} of {tr['rows_read']:,} rows accepted "
            f"({share:.0%}), {tr['rejected']:,} rejected",
        ]
        for reason, rows in tr["reasons"].items():
            lines.append(f"  {reason}: {rows:,} rows")
        for ex in tr["examples"][:5]:
            lines.append(f"  e.g. {ex}")
    return "\n".join(lines)
