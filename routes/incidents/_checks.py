"""The row checks of the validation engine, one function per step.

Each step reads the columns it needs from a :class:`Run`, adds the problems it finds to
``run.problems`` and returns the parsed values (aligned with the table's rows).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from routes._constants import (
    ALL_JURISDICTIONS,
    JURISDICTION_NAMES,
    NEIGHBOURS,
    NETWORK_REACH_KM,
    WESTERN_BALKANS,
)
from routes._pdcompat import STR
from routes.incidents._columns import Source
from routes.incidents._dates import parse_dates
from routes.incidents._locations import Locations, read_locations
from routes.incidents._mapping import ColumnMapping
from routes.incidents._parsers import parse_quantity
from routes.incidents._problems import Problems
from routes.incidents._readers import RawTable
from routes.incidents._text import clean, fmt_num, obj_to_str, objects, to_text, values_at
from routes.schema import VOCABULARIES, Vocabulary, outside_salw

__all__ = [
    "REGION_TEXT",
    "Run",
    "check_coordinates",
    "check_dates",
    "check_ids",
    "check_jurisdictions",
    "check_quantities",
    "check_region",
    "empty_rows",
    "map_vocabularies",
    "resolve_places",
]

_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
REGION_TEXT = (
    f"the region covers {', '.join(WESTERN_BALKANS)} and the neighbours {', '.join(NEIGHBOURS)}"
)


def _beyond_reach_message(lat: float, lon: float) -> str:
    """The outside_region message of a point near the region's land but beyond the network."""
    from routes.geo import REGION_BUFFER_KM

    return (
        f"the point (latitude {fmt_num(lat)}, longitude {fmt_num(lon)}) lies outside the region: "
        f"it is near the land of the region but more than {NETWORK_REACH_KM:g} km from every "
        "road junction of the bundled network, so it could not be routed (the region is the "
        f"land of the 15 jurisdictions widened by {REGION_BUFFER_KM:g} km, within "
        f"{NETWORK_REACH_KM:g} km of a junction); check the coordinates, or give the place on "
        "land nearer a road (a town, a port)"
    )


@dataclass
class Run:
    """One validation run: the table, its mapping, the resolved sources and the problems."""

    table: RawTable
    mapping: ColumnMapping
    sources: dict[str, Source]
    problems: Problems
    live: np.ndarray  # rows that are not empty
    notes: list[str] = field(default_factory=list)  # how values were read (two-digit years)

    @property
    def n(self) -> int:
        """Number of rows."""
        return len(self.table.frame)

    def text(self, key: str, *, collapse: bool = False) -> pd.Series:
        """The cleaned text of a canonical column (defaults filled in), missing when absent."""
        if key not in self.sources:
            return pd.Series(pd.NA, index=self.table.frame.index, dtype=STR)
        t = clean(self.sources[key].series, tuple(self.mapping.na_values), collapse=collapse)
        if key in self.mapping.defaults and self.sources[key].label != "default":
            t = t.fillna(self.mapping.defaults[key])
        return t

    def label(self, key: str) -> str:
        """The column as the user knows it (source column, "constant", a template)."""
        return self.sources[key].label if key in self.sources else key


def empty_rows(table: RawTable) -> np.ndarray:
    """Rows whose every cell (and geometry) is empty."""
    frame = table.frame
    n = len(frame)
    if not frame.shape[1]:
        return np.zeros(n, dtype=bool)
    # cheap pass on lengths first; strip only the few rows of short cells
    cells = [to_text(frame[col]) for col in frame.columns]
    empty = np.ones(n, dtype=bool)
    for cell in cells:
        empty &= cell.isna().to_numpy() | (cell.str.len() <= 16).to_numpy()
    cand = np.flatnonzero(empty)
    for cell in cells:
        if not cand.size:
            break
        sub = cell.iloc[cand].str.strip()
        still = (sub.isna() | (sub == "")).to_numpy()
        empty[cand[~still]] = False
        cand = cand[still]
    if table.geometry is not None:
        empty &= table.geometry.isna().to_numpy() | table.geometry.is_empty.to_numpy()
    return empty


def check_ids(run: Run) -> pd.Series:
    """Missing and duplicate ids; returns the id texts."""
    n, live = run.n, run.live
    ids = run.text("incident_id")
    id_missing = ids.isna().to_numpy() & live
    run.problems.add(
        np.flatnonzero(id_missing),
        "missing_id",
        run.label("incident_id"),
        None,
        "incident_id is empty; every row needs a unique identifier",
    )
    codes, _uniq = pd.factorize(ids, use_na_sentinel=True)
    dup = np.zeros(n, dtype=bool)
    first_row = np.zeros(n, dtype=np.int64)
    order = np.flatnonzero(codes >= 0)
    if order.size:
        _, first_idx = np.unique(codes[order], return_index=True)
        first_of_code = order[first_idx]
        first_row[order] = first_of_code[codes[order]]
        dup[order] = first_row[order] != order
    dpos = np.flatnonzero(dup & live)
    idv = values_at(ids, dpos)
    run.problems.add(
        dpos,
        "duplicate_id",
        run.label("incident_id"),
        idv,
        [
            f"incident_id {v!r} repeats row {first_row[p] + 1}; ids must be unique"
            for p, v in zip(dpos, idv, strict=True)
        ],
    )
    return ids


def check_dates(run: Run) -> tuple[np.ndarray, np.ndarray]:
    """Unreadable, impossible and future dates; returns datetime64 values and precisions."""
    date_text = run.text("date")
    dates, prec, dreason, dmsg = parse_dates(
        date_text,
        forms=run.mapping.date_formats,
        order=run.mapping.date_order,
        column=run.label("date"),
        notes=run.notes,
    )
    bad = np.flatnonzero((dreason != None) & run.live)  # noqa: E711
    for r in pd.unique(dreason[bad]):
        sel = bad[dreason[bad] == r]
        run.problems.add(sel, str(r), run.label("date"), values_at(date_text, sel), dmsg[sel])
    return dates, prec


def _outside_message(value: str, kind: str) -> str:
    keep = (
        f'; to keep such rows without a category, add "{value}" to na_values in the mapping'
        if kind.startswith("a weapon of unknown kind")
        else ""
    )
    return (
        f"category {value!r} is {kind}, outside small arms, light weapons, their ammunition and "
        "explosives: the row is out of scope and is not counted; leave such rows out of the "
        "file, or if the value does mean an SALW item here map it in the mapping: "
        f'[values.category] "{value}" = "..." (e.g. "firearm" or "explosives"){keep}'
    )


def map_vocabularies(
    run: Run, vocabs: Mapping[str, Vocabulary], prec: np.ndarray
) -> tuple[dict[str, pd.Series], np.ndarray]:
    """Vocabulary columns to canonical values; returns them and the final date precision."""
    canon: dict[str, pd.Series] = {}
    for col in VOCABULARIES:
        t = run.text(col)
        values, unknown = vocabs[col].map(t)
        canon[col] = values
        upos = np.flatnonzero(unknown.to_numpy() & run.live)
        if upos.size:
            tv = values_at(t, upos)
            msg_of: dict[str, str] = {}
            for v in pd.unique(tv):
                hint = vocabs[col].suggest(v)
                msg_of[v] = (
                    f"unknown {col} {v!r}; "
                    + (f"did you mean {hint!r}? " if hint else "")
                    + f"valid values: {', '.join(vocabs[col].values)} (or add a synonym "
                    f'under [values.{col}] in the mapping: "{v}" = "...")'
                )
            if col == "category":
                outside = {v: outside_salw(v) for v in msg_of}
                out_sel = np.array([outside[v] is not None for v in tv], dtype=bool)
                if out_sel.any():
                    run.problems.add(
                        upos[out_sel],
                        "outside_salw",
                        run.label(col),
                        tv[out_sel],
                        [_outside_message(v, str(outside[v])) for v in tv[out_sel]],
                    )
                upos, tv = upos[~out_sel], tv[~out_sel]
            run.problems.add(
                upos, "unknown_vocabulary", run.label(col), tv, [msg_of[v] for v in tv]
            )
    given_prec = objects(canon["date_precision"])
    prec_final = prec.copy()
    has_given = (given_prec != None) & (prec != None)  # noqa: E711
    if has_given.any():
        rank = np.vectorize(lambda p: _PRECISION_RANK.get(p, 0) if p else 0, otypes=[int])
        coarser = has_given & (rank(given_prec) > rank(prec))
        prec_final[coarser] = given_prec[coarser]
    return canon, prec_final


def _jurisdiction_lookup(
    uniques: Iterable[Any], synonyms: Mapping[str, str]
) -> tuple[list[str | None], list[str | None], list[bool]]:
    """Map distinct jurisdiction texts to codes.

    Returns codes, messages (None when fine) and whether each text names a place outside the
    region (a known country outside it, or a name that is no jurisdiction of the region).
    """
    from routes.geo.gazetteer import country_code

    syn = {str(k).casefold().strip(): v for k, v in synonyms.items()}
    names = {
        **{c: c for c in ALL_JURISDICTIONS},
        **{v: k for k, v in JURISDICTION_NAMES.items()},
    }
    codes: list[str | None] = []
    msgs: list[str | None] = []
    foreign: list[bool] = []
    for value in uniques:
        text = str(value)
        target = syn.get(text.casefold().strip(), text)
        code = country_code(target)
        if code is None and target.upper() in ALL_JURISDICTIONS:
            code = target.upper()
        if code is None:
            close = difflib.get_close_matches(text, list(names), n=1, cutoff=0.8)
            hint = f"did you mean {names[close[0]]!r}? " if close else ""
            codes.append(None)
            foreign.append(False)
            msgs.append(
                f"unknown jurisdiction {text!r}; {hint}give an ISO 3166-1 alpha-2 code "
                f"({', '.join(ALL_JURISDICTIONS)}; XK for Kosovo*) or a country name; if "
                f"{text!r} is another name of one of these, add it under "
                f'[values.jurisdiction] in the mapping ("{text}" = "<code>")'
            )
        elif code not in ALL_JURISDICTIONS:
            codes.append(None)
            foreign.append(True)
            msgs.append(f"jurisdiction {text!r} ({code}) is outside the region; {REGION_TEXT}")
        else:
            codes.append(code)
            foreign.append(False)
            msgs.append(None)
    return codes, msgs, foreign


@dataclass
class Jurisdictions:
    """Jurisdiction per row: the code (None when unknown), and the rows' stated texts."""

    codes: np.ndarray  # object: ISO2 or None
    stated: np.ndarray  # bool: the row states a jurisdiction (known or not)
    unknown: np.ndarray  # bool: the stated text is no jurisdiction of the region
    foreign: np.ndarray  # bool: the stated text is a known country outside the region
    messages: np.ndarray  # object: the problem message of unknown/foreign texts
    text: pd.Series


def check_jurisdictions(run: Run) -> Jurisdictions:
    """Jurisdiction texts to codes; foreign countries are outside_region.

    Unknown texts are reported later, by :func:`check_region`, once the point is known: a row
    whose point lies outside the region is ``outside_region`` whatever its jurisdiction text.
    """
    jur_text = run.text("jurisdiction")
    jcodes, juniq = pd.factorize(jur_text, use_na_sentinel=True)
    jc, jm, jf = _jurisdiction_lookup(list(juniq), run.mapping.values.get("jurisdiction", {}))
    jur = np.asarray([*jc, None], dtype=object)[jcodes]
    jmsg = np.asarray([*jm, None], dtype=object)[jcodes]
    foreign = np.asarray([*jf, False], dtype=bool)[jcodes]
    stated = jcodes >= 0
    unknown = stated & (jmsg != None) & ~foreign  # noqa: E711
    fpos = np.flatnonzero(foreign & run.live)
    run.problems.add(
        fpos, "outside_region", run.label("jurisdiction"), values_at(jur_text, fpos), jmsg[fpos]
    )
    return Jurisdictions(jur, stated, unknown, foreign, jmsg, jur_text)


def check_quantities(run: Run) -> np.ndarray:
    """Quantities that are not whole numbers >= 1; returns int64 quantities (empty -> 1)."""
    qtext = run.text("quantity")
    qty, qmsg = parse_quantity(qtext)
    qbad = np.flatnonzero((qmsg != None) & run.live)  # noqa: E711
    run.problems.add(
        qbad, "invalid_quantity", run.label("quantity"), values_at(qtext, qbad), qmsg[qbad]
    )
    return qty


def check_coordinates(run: Run) -> Locations:
    """Coordinates read from every location source; unusable ones are invalid_coordinates."""
    loc = Locations(run.n)
    read_locations(loc, run.table, run.mapping, run.sources, run.text, run.label)
    bad_pos = np.flatnonzero(loc.bad & run.live)
    run.problems.add(
        bad_pos, "invalid_coordinates", None, loc.raw_values(bad_pos), loc.msg[bad_pos]
    )
    if bad_pos.size:
        run.problems.parts[-1]["column"] = loc.col[bad_pos]
    return loc


def check_region(run: Run, loc: Locations, jur: Jurisdictions) -> np.ndarray:
    """Points outside the region: swapped_coordinates or outside_region.

    Returns the rows whose coordinates are valid (given, readable, in range).
    """
    from routes.geo import in_region, swap_verdicts

    valid = loc.given & ~loc.bad
    live_valid = valid & run.live
    verdict = swap_verdicts(
        loc.lon, loc.lat, stated=jur.codes, foreign=jur.foreign | jur.unknown, mask=live_valid
    )
    lat, lon = loc.lat, loc.lon
    sw = np.flatnonzero(verdict == "swapped")
    run.problems.add(
        sw,
        "swapped_coordinates",
        loc.col[sw],
        loc.raw_values(sw),
        [
            f"latitude {fmt_num(lat[p])} and longitude {fmt_num(lon[p])} look swapped: as "
            f"written the point is outside the region"
            + (f" and far from its stated jurisdiction {jur.codes[p]}" if jur.codes[p] else "")
            + f", swapped (latitude {fmt_num(lon[p])}, longitude {fmt_num(lat[p])}) it lies in "
            + (str(jur.codes[p]) if jur.codes[p] else "the region")
            + "; swap the two values (or the two columns in the mapping)"
            for p in sw
        ],
    )
    far = np.flatnonzero(verdict == "outside")
    # in the widened land of the region but beyond the network's reach: a rule of its own
    beyond = np.zeros(run.n, dtype=bool)
    if far.size:
        beyond[far] = in_region(lon[far], lat[far], reach=False)
    run.problems.add(
        far,
        "outside_region",
        loc.col[far],
        loc.raw_values(far),
        [
            _beyond_reach_message(lat[p], lon[p])
            if beyond[p]
            else f"the point (latitude {fmt_num(lat[p])}, longitude {fmt_num(lon[p])}) lies "
            f"outside the region"
            + (
                f" (its jurisdiction {jur.text.iloc[p]!r} is none of the region's)"
                if jur.unknown[p]
                else ""
            )
            + f"; {REGION_TEXT}; check the coordinates and their signs"
            for p in far
        ],
    )
    # An unknown jurisdiction text on a row whose point is not outside the region (or that
    # has no valid point) is a vocabulary problem of its own.
    outside = np.zeros(run.n, dtype=bool)
    outside[sw] = True
    outside[far] = True
    upos = np.flatnonzero(jur.unknown & run.live & ~outside)
    run.problems.add(
        upos,
        "unknown_vocabulary",
        run.label("jurisdiction"),
        values_at(jur.text, upos),
        jur.messages[upos],
    )
    return valid


def resolve_places(
    run: Run,
    loc: Locations,
    valid: np.ndarray,
    jur: np.ndarray,
    loc_prec: pd.Series,
    gazetteer: Any,
) -> tuple[pd.Series, pd.Series]:
    """Rows without coordinates get their point from the gazetteer (in place on ``loc``).

    Returns the place texts and the location precision.
    """
    place = run.text("place", collapse=True)
    need = ~loc.given & run.live
    has_place = place.notna().to_numpy()
    run.problems.add(
        np.flatnonzero(need & ~has_place),
        "no_location",
        None,
        None,
        "the row has no coordinates and no place name; give latitude/longitude or a place",
    )
    look = np.flatnonzero(need & has_place)
    if not look.size:
        return place, loc_prec
    if gazetteer is None:
        from routes.geo.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    res = gazetteer.resolve(
        place.iloc[look].reset_index(drop=True),
        jurisdictions=pd.Series(jur[look], dtype=object),
    )
    status = res["status"].to_numpy(dtype=object)
    rmsg = res["message"].to_numpy(dtype=object)
    okm = status == "ok"
    okp = look[okm]
    loc.lat[okp] = res["latitude"].to_numpy(dtype=float)[okm]
    loc.lon[okp] = res["longitude"].to_numpy(dtype=float)[okm]
    rj = res["jurisdiction"].to_numpy(dtype=object)[okm]
    jur[okp] = np.where(pd.isna(jur[okp]), rj, jur[okp])
    lp = objects(loc_prec)
    lp[okp] = np.where(pd.isna(lp[okp]), "settlement", lp[okp])
    valid[okp] = True
    for status_key, reason in (
        ("not_found", "place_not_found"),
        ("ambiguous", "ambiguous_place"),
        ("outside_region", "outside_region"),  # a place of the user's own places table
    ):
        m = status == status_key
        run.problems.add(look[m], reason, run.label("place"), values_at(place, look[m]), rmsg[m])
    return place, obj_to_str(lp)
