"""Which column feeds which canonical column: scored candidates from header names and content.

Every (canonical column, file column) pair gets a header score (the header against the
canonical name, its synonyms below, the headers of the bundled mappings and the reader's own
aliases) and a content score (from :class:`~routes.incidents._suggest_profile.ColumnProfile`);
the two are combined per canonical column (:data:`WEIGHTS`) and the best pairs are taken
greedily, one column per canonical column and one canonical column per file column.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from routes._paths import data_dir
from routes.incidents._columns import AUTO_ALIASES
from routes.incidents._suggest_profile import ColumnProfile
from routes.schema import VOCABULARIES, Vocabulary

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    "HEADER_SYNONYMS",
    "THRESHOLD",
    "Candidate",
    "assign",
    "best_match",
    "header_key",
    "score_columns",
    "vocabulary_keys",
    "vocabulary_share",
]

#: Header words per canonical column (English, BCS, Albanian, Macedonian; compared without
#: case, diacritics and punctuation). The reader's aliases and the bundled mappings' headers
#: are added to these.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "incident_id": (
        "id", "incident id", "event id", "eventid", "case", "case id", "case number",
        "record", "record id", "recno", "rec no", "record number", "ref", "reference", "no",
        "nr", "number", "broj", "broj predmeta", "predmet", "main id", "web id", "fid", "uid",
    ),
    "date": (
        "date", "datum", "data", "incident date", "event date", "day", "date of incident",
        "datum dogadjaja", "datum događaja", "data e ngjarjes", "датум", "reported date",
        "seizure date", "datum zapljene",
    ),
    "jurisdiction": (
        "country", "jurisdiction", "country code", "alpha2", "alpha 2", "iso", "iso2",
        "iso3", "iso code", "iso a2", "iso a3", "drzava", "država", "shteti", "држава",
        "country of incident", "country name", "state",
    ),
    "place": (
        "place", "city", "town", "location", "settlement", "village", "municipality",
        "mjesto", "mesto", "grad", "opstina", "općina", "opština", "komuna", "vendi",
        "qyteti", "fshati", "место", "град", "pcode", "place code", "place name",
        "location name", "sortname", "site", "locality",
    ),
    "latitude": ("lat", "latitude", "y coord", "sirina", "širina", "gjeresia"),
    "longitude": ("lon", "lng", "long", "longitude", "x coord", "duzina", "dužina", "gjatesia"),
    "coordinates": ("coordinates", "coords", "location coordinates", "lat lon", "latlon"),
    "wkt": ("wkt", "geometry", "geom", "the geom", "shape"),
    "event": ("event", "event type", "action", "incident type", "vrsta dogadjaja", "ngjarja"),
    "category": (
        "category", "weapon", "weapon type", "weapons", "type of weapon", "arms", "item",
        "item type", "kategorija", "vrsta oruzja", "oružje", "oruzje", "arma", "armë",
        "lloji i armes", "оружје",
    ),
    "quantity": (
        "quantity", "qty", "count", "pieces", "items", "number of items", "number of weapons",
        "kom", "komada", "kolicina", "količina", "sasia", "broj komada", "amount", "units",
    ),
    "modus_operandi": (
        "modus operandi", "modus", "mo", "transport", "means of transport", "conveyance",
        "vehicle", "nacin", "način", "način krijumčarenja", "mjeti",
    ),
    "verification": (
        "verification", "verified", "reliability", "confidence", "source quality", "status",
    ),
    "ocg_involved": ("ocg", "ocg involved", "organised crime", "organized crime"),
    "migrants_involved": ("migrants", "migrants involved", "migrant"),
    "date_precision": ("date precision", "date accuracy"),
    "location_precision": ("location precision", "precision", "geo precision", "accuracy"),
    "origin": ("origin", "from", "source country", "poreklo", "porijeklo", "prejardhja"),
    "destination": ("destination", "to", "odrediste", "odredište", "destinacioni"),
    "transit": ("transit", "route", "via", "tranzit", "ruta"),
    "crossing": (
        "crossing", "border crossing", "bcp", "crossing point", "granicni prelaz",
        "granični prelaz", "prelaz", "pika kufitare",
    ),
    "source": (
        "source", "sources", "izvor", "burimi", "information source", "reported by", "agency",
    ),
    "notes": (
        "notes", "note", "remarks", "description", "comment", "comments", "summary",
        "napomena", "opis", "shenime", "pershkrimi",
    ),
}  # fmt: skip

#: (header weight, content weight) per canonical column; header-only columns have no content
#: weight. A pair is proposed when its score reaches :data:`THRESHOLD`.
WEIGHTS: dict[str, tuple[float, float]] = {
    "date": (0.3, 0.7),
    "latitude": (0.4, 0.6),
    "longitude": (0.4, 0.6),
    "coordinates": (0.3, 0.7),
    "wkt": (0.3, 0.7),
    "jurisdiction": (0.4, 0.6),
    "place": (0.5, 0.5),
    "quantity": (0.5, 0.5),
}
THRESHOLD = 0.5
_HEADER_ONLY = ("origin", "destination", "transit", "crossing", "source", "notes")
_VOCAB_KEYS = tuple(VOCABULARIES)


@dataclass
class Candidate:
    """One proposed (canonical column, file column) pair and its evidence."""

    key: str
    column: str
    score: float
    header: float
    content: float
    why: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "key": self.key,
            "column": self.column,
            "score": round(self.score, 2),
            "header_score": round(self.header, 2),
            "content_score": round(self.content, 2),
            "why": self.why,
        }


def header_key(text: str) -> str:
    """Header text without case, diacritics and punctuation.

    >>> header_key("Datum_Događaja"), header_key("  Lat. ")
    ('datum dogadaja', 'lat')
    """
    t = unicodedata.normalize("NFKD", str(text).lstrip("\ufeff").casefold())
    t = "".join(ch for ch in t if not unicodedata.combining(ch)).replace("đ", "d")
    return re.sub(r"[\W_]+", " ", t).strip()


@functools.lru_cache(maxsize=1)
def _synonyms() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {k: {header_key(k)} for k in (*HEADER_SYNONYMS, *AUTO_ALIASES)}
    for key, words in (*HEADER_SYNONYMS.items(), *AUTO_ALIASES.items()):
        out.setdefault(key, set()).update(header_key(w) for w in words)
    folder = data_dir("mappings")
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):  # pragma: no cover - bundled files parse
            continue
        tables = [data.get("columns", {})]
        tables += [lay.get("columns", {}) for lay in data.get("layouts", {}).values()]
        for table in tables:
            for key, header in table.items():
                if isinstance(header, str):
                    out.setdefault(key, set()).add(header_key(header))
    return {k: frozenset(v) for k, v in out.items()}


def _header_score(header: str, key: str) -> tuple[float, str]:
    from rapidfuzz import fuzz

    h = header_key(header)
    if not h:
        return 0.0, ""
    best, why = 0.0, ""
    tokens = set(h.split())
    for syn in _synonyms().get(key, frozenset()):
        if h == syn:
            return 1.0, f"header {header!r} is a name for {key}"
        if len(syn) >= 3 and (syn in tokens or (" " in syn and f" {syn} " in f" {h} ")):
            score = 0.85
        else:
            score = fuzz.ratio(h, syn) / 100.0
            score = score if score >= 0.88 else 0.0
        if score > best:
            best, why = score, f"header {header!r} is like {syn!r}"
    return best, why


def vocabulary_keys(vocab: Vocabulary) -> dict[str, str]:
    """Matching key -> canonical value, for every value and synonym of ``vocab``."""
    out = {header_key(v).replace("_", " "): v for v in vocab.values}
    for syn, value in vocab.synonyms.items():
        out.setdefault(header_key(syn), value)
    return out


_NUMBER = re.compile(r"^[\d\s.,+-]+$")


def best_match(text: str, keys: dict[str, str]) -> tuple[str | None, float, str]:
    """The vocabulary value closest to ``text``: (canonical value, score 0-100, key matched).

    rapidfuzz's ``WRatio`` ranks the keys; among equal scores the one most similar as a whole
    (plain ``ratio``) wins, so "Other Explosive Type" goes to ``explosives``, not ``other``.
    Numbers are never matched fuzzily (``2.0`` is no ``yes``).
    """
    from rapidfuzz import fuzz, process

    k = header_key(text)
    if len(k) < 3 or _NUMBER.match(text):  # "DA", "ne", "2.0": only exact matches count
        return None, 0.0, ""
    choices = [c for c in keys if len(c) >= 3]  # "po", "da", "1": only exact matches count
    found = process.extract(k, choices, scorer=fuzz.WRatio, limit=8)
    if not found:
        return None, 0.0, ""
    top = max(found, key=lambda f: (round(f[1]), fuzz.ratio(k, f[0])))
    return keys[top[0]], float(top[1]), top[0]


def vocabulary_share(
    profile: ColumnProfile, vocab: Vocabulary, rejected: Callable[[str], object] | None = None
) -> float:
    """Share of the filled rows whose value is a value or synonym of ``vocab`` or close to one.

    Values for which ``rejected`` is not None (codings the vocabulary refuses on purpose, such as
    melee weapons in a weapon column) count too: they show the column is the right one.
    """
    counts = profile.counts.iloc[:200]
    total = float(profile.counts.sum())
    if not total or profile.distinct > 300:
        return 0.0
    keys = vocabulary_keys(vocab)
    hit = 0.0
    for value, rows in counts.items():
        text = str(value)
        if (
            vocab.canonical(text) is not None
            or (rejected is not None and rejected(text) is not None)
            or best_match(text, keys)[1] >= 86
        ):
            hit += rows
    return hit / total


def _content(
    key: str,
    prof: ColumnProfile,
    vocabs: Mapping[str, Vocabulary],
    place_share: Callable[[ColumnProfile], float],
    rejected: Mapping[str, Callable[[str], object]],
) -> tuple[float, str]:
    ev = prof.evidence
    if not ev:
        return 0.0, ""
    if key == "incident_id":
        if prof.unique and ev["decimals"] < 0.5 and ev["date"] < 0.5 and ev["id_like"] > 0.9:
            return 1.0, "every value is different"
        return 0.0, ""
    if key == "date":
        form = f" (form {prof.date_forms[0]})" if prof.date_forms else ""
        return ev["date"], f"{ev['date']:.0%} of the values are dates{form}"
    if key in ("latitude", "longitude"):
        share = ev["lat" if key == "latitude" else "lon"] * min(1.0, 0.5 + ev["decimals"])
        return share, f"{share:.0%} of the values are {key}s of the region"
    if key == "coordinates":
        return ev["pair"], f"{ev['pair']:.0%} of the values are 'lat, lon' pairs"
    if key == "wkt":
        return ev["wkt"], f"{ev['wkt']:.0%} of the values are WKT points"
    if key == "jurisdiction":
        if prof.distinct > 60:
            return 0.0, ""
        return ev["country"], f"{ev['country']:.0%} of the values are countries or ISO codes"
    if key == "quantity":
        share = 0.0 if prof.unique and prof.distinct > 20 else _quantity_share(prof)
        return share, f"{share:.0%} of the values are whole numbers of at least 1"
    if key == "place":
        share = place_share(prof)
        return share, f"{share:.0%} of the values are known places (or place codes)"
    if key in vocabs:
        if prof.type not in ("category", "text", "country"):
            return 0.0, ""
        share = vocabulary_share(prof, vocabs[key], rejected.get(key))
        return share, f"{share:.0%} of the values are {key} words"
    if key == "notes":
        return (1.0 if ev["mean_length"] >= 25 else 0.0), "long free text"
    return 0.0, ""


def _quantity_share(prof: ColumnProfile) -> float:
    """Share of the filled rows whose value the reader takes as a quantity (``3``, ``3 kom``)."""
    from routes.incidents._parsers import parse_quantity

    top = prof.counts.iloc[:200]
    qty, msg = parse_quantity(pd.Series([str(v) for v in top.index], dtype=object))
    ok = np.array([m is None for m in msg]) & (qty < 10000)
    total = float(top.sum())
    return float((top.to_numpy(dtype=float) * ok).sum() / total) if total else 0.0


def _combine(key: str, header: float, content: float) -> float:
    if key == "incident_id":
        return 0.5 + 0.5 * header if content >= 1.0 else min(header, 0.45)
    if key in _HEADER_ONLY:
        return header if header >= 0.8 else 0.0
    if key == "quantity" and header < 0.5:
        # whole numbers alone may count anything (victims, fatalities): shown, not mapped
        return min(0.5 * content, THRESHOLD - 0.05)
    if key in _VOCAB_KEYS:
        # content decides, the header breaks ties (two yes/no columns, two weapon columns)
        return 0.8 * content + 0.2 * header if content >= 0.3 else 0.3 * header
    wh, wc = WEIGHTS.get(key, (0.5, 0.5))
    return wh * header + wc * content


def score_columns(
    profiles: list[ColumnProfile],
    vocabs: Mapping[str, Vocabulary],
    place_share: Callable[[ColumnProfile], float],
    rejected: Mapping[str, Callable[[str], object]] | None = None,
) -> list[Candidate]:
    """Every (canonical column, file column) pair with a score above zero, best first.

    ``rejected``: per vocabulary column, a test of the values it refuses on purpose (not None:
    refused; they count as evidence that a column is that one).
    """
    keys = [
        "incident_id",
        "date",
        "latitude",
        "longitude",
        "coordinates",
        "wkt",
        "jurisdiction",
        "place",
        "quantity",
        *(k for k in _VOCAB_KEYS),
        *_HEADER_ONLY,
    ]
    out = []
    for prof in profiles:
        if prof.type == "empty":
            continue
        for key in keys:
            header, hwhy = _header_score(prof.name, key)
            if key in _HEADER_ONLY and header < 0.8:
                continue
            content, cwhy = _content(key, prof, vocabs, place_share, rejected or {})
            score = _combine(key, header, content)
            if score <= 0.05:
                continue
            why = "; ".join(w for w in (hwhy, cwhy) if w)
            out.append(Candidate(key, prof.name, float(score), header, float(content), why))
    out.sort(key=lambda c: (-c.score, c.key, c.column))
    return out


_LOCATION_GROUPS = {
    "latitude": "pair",
    "longitude": "pair",
    "coordinates": "coordinates",
    "wkt": "wkt",
}


def assign(candidates: list[Candidate]) -> dict[str, Candidate]:
    """Greedy best-first assignment: each canonical and each file column used once.

    Only one form of location is kept (latitude + longitude, a pair column, or WKT), and a
    latitude without its longitude (or the other way round) is dropped.
    """
    chosen: dict[str, Candidate] = {}
    used: set[str] = set()
    group: str | None = None
    for cand in candidates:
        if cand.score < THRESHOLD or cand.key in chosen or cand.column in used:
            continue
        g = _LOCATION_GROUPS.get(cand.key)
        if g is not None:
            if group is not None and g != group:
                continue
            group = g
        chosen[cand.key] = cand
        used.add(cand.column)
    if ("latitude" in chosen) != ("longitude" in chosen):
        chosen.pop("latitude", None)
        chosen.pop("longitude", None)
        # a lone latitude or longitude: let a pair or WKT column in instead
        rest = [c for c in candidates if c.key in ("coordinates", "wkt")]
        for cand in rest:
            if cand.score >= THRESHOLD and cand.column not in {c.column for c in chosen.values()}:
                chosen[cand.key] = cand
                break
    return chosen
