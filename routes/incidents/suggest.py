"""Drafting a column mapping for a file never seen before: :func:`suggest_mapping`.

It says what the file is (format, encoding, delimiter, header row, title rows above it, row
count; per column the inferred type, the share of empty cells and up to 3 examples), proposes
which column feeds which canonical column from the header names *and* the content (each
candidate with its score), proposes value synonyms for the categorical columns (rapidfuzz
scores), reads the missing-value markers of the file (``UKN``, ``Unknown``, ``-``...), and then
runs the real reader with the draft: how many rows would be accepted, and why the others would
not. A column whose mapping would reject a large share of the rows is taken out of the draft
again (and the report says so). The draft is a :class:`MappingSuggestion`; its
:meth:`~MappingSuggestion.to_toml` is a commented mapping file that
:func:`routes.read_incidents` and ``salw-routes validate -m`` use unchanged.

>>> import pandas as pd
>>> df = pd.DataFrame({"ref": ["a1", "a2", "a3"], "when": ["01Apr99", "02Apr99", "UKN"],
...                    "lat": ["42.66", "42.21", "42.38"], "lon": ["21.17", "20.74", "20.43"],
...                    "weapon": ["Handgun", "Grenade", "Pistoll"]})
>>> s = suggest_mapping(df)
>>> s.mapping["columns"]
{'incident_id': 'ref', 'date': 'when', 'latitude': 'lat', 'longitude': 'lon', 'category': 'weapon'}
>>> s.mapping["values"]["category"]
{'Pistoll': 'pistol'}
>>> s.trial["accepted"], s.trial["rows_read"]
(3, 3)
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from routes._errors import Problem, ValidationError
from routes.geo import AmbiguousPlaceError, PlaceNotFoundError
from routes.incidents._mapping import DEFAULT_NA_VALUES, load_mapping
from routes.incidents._readers import RawTable, read_table
from routes.incidents._suggest_columns import Candidate, assign, score_columns
from routes.incidents._suggest_profile import ColumnProfile, missing_markers, profile_column
from routes.incidents._suggest_values import (
    ValueMatch,
    match_jurisdictions,
    match_values,
    outside,
)
from routes.incidents._validate import build_incidents
from routes.incidents.places import PlacesTable, places_from_frame, read_places
from routes.schema import CANONICAL_COLUMNS, VOCABULARIES, vocabularies

__all__ = ["KINDS", "MappingSuggestion", "suggest_mapping"]

#: The kinds of file :func:`suggest_mapping` describes (``salw-routes inspect`` adds
#: ``questionnaire`` and ``network``).
KINDS = ("incidents", "places")

#: Reasons a mapped column may cause, and the share of rows above which the column is taken
#: out of the draft again (the rows then keep the column's default: empty, or 1 for quantity).
_DROP_AT: dict[str, float] = {
    "invalid_quantity": 0.2,
    "unknown_vocabulary": 0.4,
    "invalid_date": 0.5,
    "impossible_date": 0.5,
    "future_date": 0.5,
}
_NEVER_DROP = ("incident_id", "latitude", "longitude", "coordinates", "wkt")


@dataclass
class MappingSuggestion:
    """What :func:`suggest_mapping` found in a file and the mapping it drafts.

    Attributes
    ----------
    file
        The file (or the frame's name).
    kind
        ``incidents`` or ``places``.
    table
        How the file was read: format, encoding, delimiter, line_ending, sheet, header_row
        (1-based line of the header), title_rows (the texts of the lines above it), rows,
        columns.
    columns
        One :class:`~routes.incidents._suggest_profile.ColumnProfile` per column.
    candidates
        Every scored (canonical column, file column) pair, best first.
    mapping
        The draft mapping as a dict (the structure of a mapping file).
    values
        Value matches of the categorical columns, with their scores.
    trial
        The real reader run with the draft: rows_read, accepted, rejected, reasons (reason ->
        distinct rows), examples (a few problems as text).
    notes
        What the draft could not settle (a generated id, a column taken out again...).
    """

    file: str
    kind: str
    table: dict[str, Any]
    columns: list[ColumnProfile]
    candidates: list[Candidate]
    mapping: dict[str, Any]
    values: list[ValueMatch] = field(default_factory=list)
    trial: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def chosen(self) -> dict[str, Candidate]:
        """The candidate behind each mapped canonical column."""
        cols = self.mapping.get("columns", {})
        out = {}
        for cand in self.candidates:
            if cols.get(cand.key) == cand.column and cand.key not in out:
                out[cand.key] = cand
        return out

    @property
    def unmapped(self) -> list[str]:
        """File columns the draft does not use."""
        used = set(self.mapping.get("columns", {}).values())
        return [c.name for c in self.columns if c.name not in used]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: file, kind, table, columns, candidates, mapping, values, trial, notes."""
        return {
            "file": self.file,
            "kind": self.kind,
            "table": dict(self.table),
            "columns": [c.to_dict() for c in self.columns],
            "candidates": [c.to_dict() for c in self.candidates],
            "mapping": copy.deepcopy(self.mapping),
            "unmapped": self.unmapped,
            "values": [v.to_dict() for v in self.values],
            "trial": dict(self.trial),
            "notes": list(self.notes),
        }

    def to_toml(self, path: str | Path | None = None) -> str:
        """The draft as a commented TOML mapping file (see :func:`routes.load_mapping`).

        ``path``: where the mapping will be written; the ``[places]`` file is then named
        relative to it (as mappings name it), else absolute.
        """
        from routes.incidents._suggest_render import render_toml

        return render_toml(self, path)

    def report(self) -> str:
        """The human-readable report that ``salw-routes inspect`` prints."""
        from routes.incidents._suggest_render import render_report

        return render_report(self)


def _read(
    source: str | Path | pd.DataFrame, sheet: str | int | None, name: str
) -> tuple[RawTable, dict[str, Any]]:
    if isinstance(source, pd.DataFrame):
        frame = source.reset_index(drop=True).copy()
        frame.columns = [str(c) for c in frame.columns]
        table = RawTable(frame.astype(object).where(frame.notna(), ""), name, "frame")
    else:
        table = read_table(source, sheet=sheet)
    title_rows = list(table.title_rows)
    info = {
        "format": table.format,
        "encoding": table.encoding,
        "delimiter": table.delimiter,
        "line_ending": table.line_ending,
        "sheet": table.sheet,
        "layer": table.layer,
        "header_row": table.header_row if table.header_row is not None else 1,
        "title_rows": title_rows,
        "rows": len(table.frame),
        "columns": len(table.frame.columns),
    }
    return table, info


def _place_share(places: PlacesTable | None) -> Any:
    """A scorer: the share of a column's rows whose value is a known place (or place code)."""
    state: dict[str, Any] = {}

    def own(value: str) -> bool:
        assert places is not None
        try:
            return places.own(value) is not None
        except (PlaceNotFoundError, AmbiguousPlaceError):
            return True  # the table knows the name (refused or ambiguous): still a place

    def share(prof: ColumnProfile) -> float:
        top = prof.counts.iloc[:60]
        total = float(top.sum())
        if not total:
            return 0.0
        if places is not None:
            hit = sum(rows for v, rows in top.items() if own(str(v)))
            if hit / total >= 0.5:
                return float(hit / total)
        if prof.evidence.get("mean_length", 0) > 40 or prof.evidence.get("numeric", 0) > 0.5:
            return 0.0  # free text, or numbers that no places table resolves
        if "gazetteer" not in state:
            from routes.geo import load_gazetteer

            state["gazetteer"] = load_gazetteer()
        gaz = state["gazetteer"]
        head = top.iloc[:30]
        hit = sum(rows for v, rows in head.items() if gaz.candidates(str(v)))
        return float(hit / float(head.sum()))

    return share


def _date_order(prof: ColumnProfile) -> str | None:
    """``month_first`` when the column's numeric dates read better month first."""
    from routes.incidents._dates import parse_dates

    values = pd.Series([str(v) for v in prof.counts.index[:400]], dtype=object)
    ok_day = int(pd.isna(parse_dates(values, order="day_first")[2]).sum())
    ok_month = int(pd.isna(parse_dates(values, order="month_first")[2]).sum())
    return "month_first" if ok_month > ok_day else None


def _draft(
    table: RawTable,
    profiles: list[ColumnProfile],
    chosen: dict[str, Candidate],
    na_values: list[str],
    values: list[ValueMatch],
    notes: list[str],
) -> dict[str, Any]:
    by_name = {p.name: p for p in profiles}
    draft: dict[str, Any] = {"name": f"Draft mapping for {Path(table.file).name}"}
    if table.encoding:
        draft["encoding"] = table.encoding
    if table.delimiter:
        draft["delimiter"] = table.delimiter
    if table.sheet is not None:
        draft["sheet"] = table.sheet
    if table.title_rows and table.header_row is not None:
        draft["skip_rows"] = int(table.header_row) - 1  # the title lines above the header
    draft["na_values"] = na_values
    if "incident_id" not in chosen:
        draft["generate_id"] = "row"
        notes.append(
            "no column has a different value in every row, so incident_id is the data-row "
            'number (generate_id = "row"); map an id column instead if the file has one'
        )
    order = [*CANONICAL_COLUMNS, "coordinates", "wkt", "x", "y"]
    keys = sorted(chosen, key=lambda k: order.index(k) if k in order else len(order))
    draft["columns"] = {k: chosen[k].column for k in keys}
    if (
        "coordinates" in chosen
        and by_name[chosen["coordinates"].column].evidence.get("pair_lon_first", 0) >= 0.5
    ):
        draft["coordinate_order"] = "lon,lat"
    if "date" in chosen:
        prof = by_name[chosen["date"].column]
        if prof.date_forms:
            draft["dates"] = {"format": list(prof.date_forms)}
        elif _date_order(prof):
            draft["dates"] = {"order": "month_first"}
    synonyms: dict[str, dict[str, str]] = {}
    for m in values:
        if not m.known and m.target is not None:
            synonyms.setdefault(m.column, {})[m.value] = m.target
    if synonyms:
        draft["values"] = synonyms
    return draft


def _trial(
    table: RawTable, draft: dict[str, Any], places: PlacesTable | None
) -> tuple[dict[str, Any], pd.DataFrame]:
    out = build_incidents(table, load_mapping(_mapping_only(draft)), gazetteer=places)
    rej = out.rejected
    by_reason = rej.groupby("reason")["source_row"].nunique().sort_values(ascending=False)
    rejected = int(rej["source_row"].nunique())
    examples = [
        f"row {r.source_row}: {r.reason}: {r.message}"
        for r in rej.drop_duplicates("reason").head(8).itertuples(index=False)
    ]
    trial = {
        "rows_read": int(out.rows_read),
        "accepted": len(out.accepted),
        "rejected": rejected,
        "reasons": {str(k): int(v) for k, v in by_reason.items()},
        "examples": examples,
    }
    return trial, rej


def _deliberate(value: object) -> bool:
    """A value rejected on purpose (a weapon outside SALW): no reason to drop its column."""
    return isinstance(value, str) and outside(value) is not None


def _mapping_only(draft: dict[str, Any]) -> dict[str, Any]:
    """The draft without its ``[places]`` (the trial hands the table over read already)."""
    return {k: v for k, v in draft.items() if k != "places"}


def _places_spec(places: PlacesTable) -> dict[str, Any]:
    """The ``[places]`` table of the draft: the file (absolute here) and its columns."""
    spec: dict[str, Any] = {"file": str(Path(places.file).resolve())}
    if places.code_column:
        spec["code"] = places.code_column
    if places.name_columns:
        spec["name"] = list(places.name_columns)
    return spec


def _refine(
    table: RawTable, draft: dict[str, Any], notes: list[str], places: PlacesTable | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run the reader; take out columns whose mapping rejects a large share of the rows."""
    for _ in range(5):
        trial, rej = _trial(table, draft, places)
        n = max(trial["rows_read"], 1)
        cols = draft.get("columns", {})
        worst: tuple[float, str, str] | None = None
        deliberate = np.array([_deliberate(v) for v in rej["value"]], dtype=bool)
        counted = rej.loc[~deliberate]
        groups = counted.groupby(["reason", "column"])["source_row"].nunique()
        for pair, rows in groups.items():
            reason, column = str(pair[0]), str(pair[1])  # type: ignore[index]
            key = next((k for k, v in cols.items() if v == column), None)
            limit = _DROP_AT.get(reason)
            if key is None or key in _NEVER_DROP or limit is None:
                continue
            share = rows / n
            if share >= limit and (worst is None or share > worst[0]):
                worst = (share, key, reason)
        if worst is None:
            return draft, trial
        share, key, reason = worst
        column = cols.pop(key)
        draft.get("values", {}).pop(key, None)
        draft.setdefault("ignore_columns", []).append(column)
        if key == "date":
            draft.pop("dates", None)
        notes.append(
            f"{key} = {column!r} was taken out of the draft: it would reject {share:.0%} of the "
            f"rows ({reason}); map it by hand if the column is right"
        )
    return draft, _trial(table, draft, places)[0]


def suggest_mapping(
    path_or_frame: str | Path | pd.DataFrame,
    *,
    kind: str = "incidents",
    places: str | Path | pd.DataFrame | PlacesTable | None = None,
    sheet: str | int | None = None,
) -> MappingSuggestion:
    """Describe a table and draft the mapping that reads it as incidents.

    Parameters
    ----------
    path_or_frame
        A file the incident reader reads (CSV, XLSX...) or a DataFrame.
    kind
        ``"incidents"`` (describe, draft, try the draft) or ``"places"`` (describe only).
    places
        The user's places table (a file, a DataFrame or a :class:`routes.PlacesTable`): a
        column whose values are its codes or names is proposed as ``place``, the draft tries
        it, and a file becomes the draft's ``[places]`` table.
    sheet
        XLSX sheet name or 0-based index (default: the first).

    Returns
    -------
    MappingSuggestion

    Raises
    ------
    routes.ValidationError
        When the file cannot be read at all (missing, unknown type, undecodable), or ``kind``
        is not one of :data:`KINDS`.
    """
    if kind not in KINDS:
        raise ValidationError(
            [
                Problem(
                    f"kind {kind!r} is not known; use one of: {', '.join(KINDS)}",
                    file=str(path_or_frame)
                    if not isinstance(path_or_frame, pd.DataFrame)
                    else None,
                    reason="bad_option",
                )
            ]
        )
    name = "<frame>" if isinstance(path_or_frame, pd.DataFrame) else str(path_or_frame)
    table, info = _read(path_or_frame, sheet, name)
    frame = table.frame
    markers = missing_markers(frame)
    na_values = list(dict.fromkeys([*DEFAULT_NA_VALUES, *markers]))
    profiles = [profile_column(str(c), frame[c], tuple(na_values)) for c in frame.columns]
    if kind == "places" or frame.shape[1] == 0:
        return MappingSuggestion(name, kind, info, profiles, [], {"na_values": na_values})
    own_places = _places_table(places)
    vocabs = vocabularies()
    share = _place_share(own_places)
    candidates = score_columns(profiles, vocabs, share, {"category": outside})
    chosen = assign(candidates)
    by_name = {p.name: p for p in profiles}
    values: list[ValueMatch] = []
    for key in VOCABULARIES:
        if key in chosen:
            values += match_values(key, by_name[chosen[key].column], vocabs[key])
    if "jurisdiction" in chosen:
        values += match_jurisdictions(by_name[chosen["jurisdiction"].column])
    notes: list[str] = []
    markers, na_values = _meaningful_markers(frame, chosen, vocabs, markers, na_values, notes)
    if markers:
        notes.append(
            f"read as missing: {', '.join(repr(m) for m in markers)} (na_values in the mapping)"
        )
    draft = _draft(table, profiles, chosen, na_values, values, notes)
    if own_places is not None and Path(own_places.file).is_file():
        draft["places"] = _places_spec(own_places)
    trial: dict[str, Any] = {}
    if not len(frame):
        notes.append(
            "the file has no data rows (a header line at most): the draft rests on the header "
            "names alone; put the incidents below the header and inspect it again"
        )
    else:
        draft, trial = _refine(table, draft, notes, own_places)
        kept = draft.get("values", {})
        values = [v for v in values if v.column in draft["columns"] or v.column in kept]
    return MappingSuggestion(name, kind, info, profiles, candidates, draft, values, trial, notes)


def _meaningful_markers(
    frame: pd.DataFrame,
    chosen: dict[str, Candidate],
    vocabs: dict[str, Any],
    markers: list[str],
    na_values: list[str],
    notes: list[str],
) -> tuple[list[str], list[str]]:
    """Keep a marker as a value where a mapped vocabulary column gives it a meaning.

    ``unknown`` is a value of ``ocg_involved``; ``Unknown`` in a weapon column is a weapon of
    unknown kind, outside SALW (its rows are rejected). na_values hold for every column, so
    such a marker is not read as missing at all.
    """
    kept: dict[str, str] = {}
    for key, cand in chosen.items():
        if key not in vocabs:
            continue
        col = frame[cand.column].astype(str).str.strip()
        for m in markers:
            if m in kept or not (col == m).any():
                continue
            if vocabs[key].canonical(m) is not None:
                kept[m] = f"{m!r} is a {key} value in column {cand.column!r}"
            elif key == "category" and outside(m) is not None:
                kept[m] = (
                    f"{m!r} in the category column {cand.column!r} is a weapon of unknown kind, "
                    "outside SALW: its rows are rejected (outside_salw)"
                )
    for why in kept.values():
        notes.append(f"not read as missing: {why}")
    return (
        [m for m in markers if m not in kept],
        [v for v in na_values if v not in kept],
    )


def _places_table(places: str | Path | pd.DataFrame | PlacesTable | None) -> PlacesTable | None:
    if places is None or isinstance(places, PlacesTable):
        return places
    if isinstance(places, pd.DataFrame):
        return places_from_frame(places)
    return read_places(places)
