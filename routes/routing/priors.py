"""Priors of the inference of missing legs from the analyst's own evidence.

:func:`route_priors` turns what the analyst holds into :class:`RoutePriors` for
``route_incidents(..., priors=...)``:

- the routes a questionnaire reports (its ``reported_route`` rows: jurisdiction, year, from,
  via, to, value), given as the accepted rows of :func:`routes.read_questionnaire`, the read
  result itself, or the summed table of :func:`routes.reported_routes` (from, via, to,
  seizures): each route weighs its reported seizures, per year when the rows give a year;
- a corridor table ``from, via, to, weight, source`` (CSV, XLSX or a DataFrame): ``from`` and
  ``to`` a country (ISO code or name), a crossing id or a place of the gazetteer, ``via`` any
  of these ``|``-separated (may be empty), ``weight`` a number >= 0, ``source`` who says so;
- ``None`` or ``"bundled"``: the bundled regional corridors (:data:`routes.geo.CORRIDORS`), the
  labelled fallback (a modelling assumption, each corridor with its public source).

Routing reads no questionnaire file itself (the questionnaire stage sits above it): the stages
above hand it the rows.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from routes._errors import Problem, ValidationError
from routes.routing._priors import (
    BUNDLED_PRIORS_LABEL,
    BUNDLED_PRIORS_NAME,
    PriorLine,
    RoutePriors,
    bundled_priors,
)

__all__ = [
    "BUNDLED_PRIORS_LABEL",
    "BUNDLED_PRIORS_NAME",
    "PRIORS_COLUMNS",
    "RoutePriors",
    "read_priors_table",
    "route_priors",
]

#: The columns of a corridor table (``source`` and ``via`` may be empty).
PRIORS_COLUMNS = ("from", "via", "to", "weight", "source")
_ROUTE_INDICATOR = "reported_route"  # the questionnaire's route rows (routes.questionnaire)


def route_priors(priors: Any = None, *, name: str | None = None) -> RoutePriors:
    """The priors of ``route_incidents(..., priors=priors)``.

    Parameters
    ----------
    priors
        None or ``"bundled"`` (the bundled corridors); a :class:`RoutePriors`; a
        questionnaire read result (anything with an ``accepted`` DataFrame of questionnaire
        rows); a DataFrame of questionnaire rows (``indicator``, ``value``, ``from``, ``to``
        ...), of reported routes (``from``, ``via``, ``to``, ``seizures``) or a corridor table
        (``from``, ``via``, ``to``, ``weight``, ``source``); or the path of a corridor table
        (CSV or XLSX).
    name
        The name the priors go by on every output (default: from the file or the kind).

    Raises
    ------
    routes.ValidationError
        An unreadable file, a missing column, or bad rows (every one, with row, column, value
        and the fix).

    Examples
    --------
    >>> import pandas as pd
    >>> p = route_priors(pd.DataFrame({"from": ["AL"], "via": ["MK"], "to": ["GR"],
    ...                                "seizures": [12]}), name="questionnaire 2023")
    >>> p.kind, p.name, [ln.name for ln in p.lines]
    ('questionnaire', 'questionnaire 2023', ['AL > MK > GR'])
    >>> route_priors().name
    'bundled corridors'
    """
    if priors is None or (isinstance(priors, str) and priors.strip().lower() == "bundled"):
        return bundled_priors()
    if isinstance(priors, RoutePriors):
        return priors
    if isinstance(priors, (str, os.PathLike)):
        return read_priors_table(priors, name=name)
    accepted = getattr(priors, "accepted", None)
    if not isinstance(priors, pd.DataFrame) and isinstance(accepted, pd.DataFrame):
        file = getattr(priors, "file", None)
        label = name or (f"questionnaire {Path(file).name}" if file else "questionnaire")
        return _from_frame(accepted, name=label, file=file)
    if isinstance(priors, pd.DataFrame):
        return _from_frame(priors, name=name, file=None)
    raise ValidationError(
        f"priors={priors!r} of type {type(priors).__name__} is not supported; give None or "
        "'bundled', a questionnaire (routes.read_questionnaire), its reported routes, a corridor "
        "table (from, via, to, weight, source) as a DataFrame or a CSV/XLSX path"
    )


def read_priors_table(path: str | os.PathLike[str], *, name: str | None = None) -> RoutePriors:
    """Read a corridor table (``from, via, to, weight, source``; CSV or XLSX) as priors."""
    frame = _read_table(Path(path))
    return _from_frame(frame, name=name or f"corridor table {Path(path).name}", file=str(path))


def _read_table(path: Path) -> pd.DataFrame:
    """The rows of a small table file, all as text (the one place a file is read)."""
    if not path.is_file():
        raise ValidationError(f"priors file {str(path)!r} does not exist; check the path")
    try:
        if path.suffix.lower() in (".xlsx", ".xls", ".ods"):
            return pd.read_excel(path, dtype=str)
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise ValidationError(
            f"cannot read the priors file {str(path)!r}: {exc}; give a CSV (UTF-8) or XLSX "
            "table with the columns from, via, to, weight, source"
        ) from exc


def _from_frame(frame: pd.DataFrame, *, name: str | None, file: str | None) -> RoutePriors:
    cols = {str(c).strip().lower(): c for c in frame.columns}
    df = frame.rename(columns={v: k for k, v in cols.items()})
    if "indicator" in df.columns:  # questionnaire rows
        return _from_questionnaire(df, name=name or "questionnaire", file=file)
    if "seizures" in df.columns and "weight" not in df.columns:  # reported_routes(...)
        df = df.assign(weight=df["seizures"], source=name or "questionnaire")
        kind = "questionnaire"
    else:
        kind = "table"
    missing = [c for c in ("from", "to", "weight") if c not in df.columns]
    if missing:
        raise ValidationError(
            f"the priors table{_in(file)} has no column {', '.join(missing)}; give the columns "
            f"{', '.join(PRIORS_COLUMNS)} (via and source may be empty)"
        )
    rows = _check_rows(df, file)
    label = name or ("questionnaire" if kind == "questionnaire" else "corridor table")
    return _priors(rows, name=label, kind=kind, years=False)


def _from_questionnaire(df: pd.DataFrame, *, name: str, file: str | None) -> RoutePriors:
    rows = df[df["indicator"].astype(str) == _ROUTE_INDICATOR].copy()
    if rows.empty:
        raise ValidationError(
            f"the questionnaire{_in(file)} reports no route (no '{_ROUTE_INDICATOR}' row); add "
            "reported_route rows (from, via, to, value) or use --priors bundled"
        )
    if "category" in rows.columns:  # a route's total row when given, else its categories
        cat = rows["category"].fillna("total").astype(str).str.lower()
        key = [c for c in ("jurisdiction", "year", "from", "via", "to") if c in rows.columns]
        has_total = (cat == "total").groupby([rows[k].fillna("") for k in key]).transform("any")
        rows = rows[(cat == "total") | ~has_total.to_numpy()]
    rows = rows.assign(
        weight=rows["value"],
        source=[
            f"{name}: reported by {j}" + (f" for {int(y)}" if pd.notna(y) else "")
            for j, y in zip(
                rows.get("jurisdiction", pd.Series("?", index=rows.index)),
                rows.get("year", pd.Series(None, index=rows.index)),
                strict=True,
            )
        ],
    )
    checked = _check_rows(rows, file)
    return _priors(checked, name=name, kind="questionnaire", years="year" in rows.columns)


def _in(file: str | None) -> str:
    return f" {file!r}" if file else ""


def _check_rows(df: pd.DataFrame, file: str | None) -> pd.DataFrame:
    """from, via, to (token tuples), weight, source, year of every row; one error for all."""
    problems: list[Problem] = []
    out = []
    for pos, raw in enumerate(df.to_dict("records")):
        row_no = int(float(raw["source_row"])) if _num(raw.get("source_row")) else pos + 1
        tokens = []
        for col in ("from", "via", "to"):
            text = "" if _blank(raw.get(col)) else str(raw.get(col)).strip()
            items = [t.strip() for t in text.split("|") if t.strip()] if col == "via" else [text]
            for item in items:
                if not item and col != "via":
                    problems.append(
                        Problem(
                            f"no {col!r}: a route needs where it starts and ends (a country, "
                            "crossing id or place)",
                            file=file,
                            row=row_no,
                            column=col,
                            value="",
                        )
                    )
                    continue
                jur = _jurisdictions(item)
                if jur is None:
                    problems.append(
                        Problem(
                            f"{item!r} is not a country, crossing id or place the tool knows; "
                            "use an ISO code (e.g. 'MK'), a crossing id of "
                            "routes.load_crossings() or a gazetteer place",
                            file=file,
                            row=row_no,
                            column=col,
                            value=item,
                        )
                    )
                    continue
                tokens.append((item, jur))
        weight = raw.get("weight")
        w = float(str(weight)) if _num(weight) else float("nan")
        if not (w >= 0):
            problems.append(
                Problem(
                    f"weight {weight!r} is not a number >= 0; give the route's weight (e.g. "
                    "its seizures)",
                    file=file,
                    row=row_no,
                    column="weight",
                    value=str(weight),
                )
            )
            continue
        year = raw.get("year")
        out.append(
            {
                "tokens": tuple(tokens),
                "from": str(raw.get("from") or "").strip(),
                "via": "" if _blank(raw.get("via")) else str(raw.get("via")).strip(),
                "to": str(raw.get("to") or "").strip(),
                "weight": w,
                "source": "" if _blank(raw.get("source")) else str(raw.get("source")).strip(),
                "year": int(float(str(year))) if _num(year) else -1,
            }
        )
    if problems:
        raise ValidationError(problems)
    return pd.DataFrame(out, columns=["tokens", *PRIORS_COLUMNS, "year"])


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value) == ""


def _num(value: Any) -> bool:
    try:
        return not _blank(value) and float(value) == float(value)
    except (TypeError, ValueError):
        return False


def _jurisdictions(item: str) -> frozenset[str] | None:
    """The jurisdictions of a route token (a country, crossing id or place); None: unknown."""
    from routes.geo import (
        CROSSING_ID_PATTERN,
        AmbiguousPlaceError,
        PlaceNotFoundError,
        country_code,
        load_gazetteer,
    )

    code = country_code(item)
    if code is not None:
        return frozenset({code})
    up = item.upper()
    if CROSSING_ID_PATTERN.match(up):
        return frozenset(up.split("-")[:2])
    try:
        return frozenset({load_gazetteer().lookup(item).jurisdiction})
    except AmbiguousPlaceError:
        cands = load_gazetteer().candidates(item)
        return frozenset(p.jurisdiction for p in cands) or None
    except (PlaceNotFoundError, ValueError, TypeError):
        return None


def _lines(rows: pd.DataFrame) -> tuple[PriorLine, ...]:
    """One prior line per distinct route (weights summed), shares over their total."""
    if rows.empty:
        return ()
    groups = rows.groupby("tokens", sort=False)
    weight = groups["weight"].sum()
    total = float(weight.sum())
    lines = []
    for tokens, w in weight.items():
        if w <= 0 or total <= 0:
            continue
        toks: tuple[tuple[str, frozenset[str]], ...] = tokens  # type: ignore[assignment]
        sources = "; ".join(dict.fromkeys(s for s in groups.get_group(tokens)["source"] if s))
        lines.append(
            PriorLine(
                " > ".join(t for t, _ in toks),
                float(w) / total,
                None,
                frozenset().union(*(j for _, j in toks)),
                chain=tuple((t, None) for t, _ in toks),
                chain_jur=tuple(j for _, j in toks),
                source=sources,
            )
        )
    return tuple(lines)


def _priors(rows: pd.DataFrame, *, name: str, kind: str, years: bool) -> RoutePriors:
    by_year = {}
    if years:
        for year, block in rows[rows["year"] >= 0].groupby("year"):
            by_year[int(str(year))] = _lines(block)
    label = (
        f"{name} (reported routes, weighted by reported seizures)"
        if kind == "questionnaire"
        else f"{name} (analyst's corridor table)"
    )
    table = rows.drop(columns=["tokens"]).reset_index(drop=True)
    return RoutePriors(name, label, kind, _lines(rows), by_year, table)
