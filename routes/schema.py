"""The incident schema: canonical columns, controlled vocabularies and their synonyms.

Everything about the shape of an incident table is defined here, once: the README's schema
table is rendered from these objects by :func:`schema_markdown` (a test checks that the README
matches), and :mod:`routes.incidents` validates against them.

Vocabulary values are canonical lower-case words (``automatic_rifle``). Input values match
case-insensitively, ignoring diacritics, spaces, hyphens and underscores, and documented synonyms
(English and the region's languages, e.g. ``"pištolj"`` → ``pistol``, ``"ručna bomba"`` →
``hand_grenade``, ``"po"``/``"jo"`` → ``yes``/``no``) map to them. Unknown values are rejected
with the closest valid value suggested. Vocabularies are extended by configuration: a
``[vocabularies]`` table in a mapping file, or the ``vocabularies=`` argument of
:func:`routes.read_incidents`.

>>> vocab = vocabularies()["category"]
>>> vocab.canonical("Pištolj"), vocab.canonical("AK-47"), vocab.canonical("Hand Grenade")
('pistol', 'automatic_rifle', 'hand_grenade')
>>> vocab.suggest("pistoll")
'pistol'
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from routes._constants import ALL_JURISDICTIONS
from routes._pdcompat import STR
from routes._synonyms import OUTSIDE_SALW, SYNONYMS

__all__ = [
    "CANONICAL_COLUMNS",
    "REJECTION_REASONS",
    "SCHEMA",
    "SYNONYMS",
    "VOCABULARIES",
    "ColumnSpec",
    "Vocabulary",
    "outside_salw",
    "schema_markdown",
    "synonyms_markdown",
    "vocabularies",
]


@dataclass(frozen=True)
class ColumnSpec:
    """One canonical column of the incident schema.

    Parameters
    ----------
    name
        Canonical column name.
    kind
        How values are parsed: ``row``, ``id``, ``date``, ``vocabulary``, ``jurisdiction``,
        ``text``, ``coordinate``, ``quantity``, ``waypoint``, ``waypoints`` or ``geometry``.
    dtype
        The dtype of the column in the GeoDataFrame that the readers return.
    description
        What the column holds (one sentence, shown in the README).
    required
        Whether every input row must give a value.
    input_format
        Accepted input forms (shown in the README).
    """

    name: str
    kind: str
    dtype: str
    description: str
    required: bool = False
    input_format: str = ""


#: Controlled vocabularies: column -> canonical values (lower-case).
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "date_precision": ("day", "month", "year"),
    "location_precision": ("exact", "settlement", "municipality", "region", "country"),
    "event": ("seizure", "found", "surrendered", "other"),
    "category": (
        "pistol",
        "revolver",
        "rifle",
        "shotgun",
        "automatic_rifle",
        "submachine_gun",
        "machine_gun",
        "converted_weapon",
        "blank_firing_weapon",
        "craft_or_3d_printed",
        "firearm",
        "hand_grenade",
        "rocket_launcher",
        "mortar_or_artillery_round",
        "ammunition",
        "explosives",
        "parts_components",
        "other",
    ),
    "modus_operandi": (
        "private_vehicle",
        "bus",
        "truck",
        "train",
        "parcel_post",
        "on_foot",
        "boat",
        "air",
        "other",
        "unknown",
    ),
    "ocg_involved": ("yes", "no", "unknown"),
    "migrants_involved": ("yes", "no", "unknown"),
    "verification": ("confirmed", "probable", "unverified"),
}


_VOCAB_NOTE = "one of the vocabulary values below (or a synonym)"

#: The canonical columns, in the order the readers return them.
SCHEMA: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "source_row",
        "row",
        "int64",
        "1-based data-row number in the input (header not counted); set by the reader.",
        input_format="(generated)",
    ),
    ColumnSpec(
        "incident_id",
        "id",
        "str",
        "Identifier of the incident; unique within the file.",
        required=True,
        input_format="any text or number",
    ),
    ColumnSpec(
        "date",
        "date",
        "datetime64[ns]",
        "Date of the incident; empty (NaT) when missing. Future and impossible dates are rejected.",
        input_format="`dd.mm.yyyy`, `dd/mm/yyyy`, `dd-mm-yyyy` (day first unless the mapping "
        "declares `month_first`), ISO `yyyy-mm-dd`, month names (`30. decembar 2019.`, "
        "`December 30, 2019`), Excel serial, `mm.yyyy`, `yyyy-mm`, `yyyy`, or the mapping's "
        "`[dates] format`",
    ),
    ColumnSpec(
        "date_precision",
        "vocabulary",
        "str",
        "How precise `date` is; derived from the date's form unless given (the coarser wins).",
        input_format=_VOCAB_NOTE,
    ),
    ColumnSpec(
        "jurisdiction",
        "jurisdiction",
        "str",
        "ISO 3166-1 alpha-2 code (XK for Kosovo*); derived from the location when absent.",
        input_format="ISO code or country name (`BiH`, `Kosova`, `Serbia`, `Srbija`)",
    ),
    ColumnSpec(
        "place",
        "text",
        "str",
        "Place name; looked up in the offline gazetteer when there are no coordinates.",
        input_format="text",
    ),
    ColumnSpec(
        "latitude",
        "coordinate",
        "float64",
        "WGS 84 latitude (EPSG:4326).",
        input_format="decimal degrees (`44.81` or `44,81`), or from a `lat, lon` / WKT column",
    ),
    ColumnSpec(
        "longitude",
        "coordinate",
        "float64",
        "WGS 84 longitude (EPSG:4326).",
        input_format="decimal degrees; projected x/y need `crs` in the mapping",
    ),
    ColumnSpec(
        "location_precision",
        "vocabulary",
        "str",
        "How precise the location is; `settlement` when it came from the gazetteer.",
        input_format=_VOCAB_NOTE,
    ),
    ColumnSpec("event", "vocabulary", "str", "What happened.", input_format=_VOCAB_NOTE),
    ColumnSpec(
        "category", "vocabulary", "str", "Kind of weapon or item.", input_format=_VOCAB_NOTE
    ),
    ColumnSpec(
        "quantity",
        "quantity",
        "int64",
        "Number of items; missing means 1.",
        input_format="positive whole number (`3`, `3.0`, `3 kom`)",
    ),
    ColumnSpec(
        "origin",
        "waypoint",
        "str",
        "Where the items came from: place name, crossing id or ISO country code.",
        input_format="text",
    ),
    ColumnSpec(
        "transit",
        "waypoints",
        "str",
        "Waypoints in order, `|`-separated (place names, crossing ids or ISO codes).",
        input_format="text separated by `|`, `;`, `>` or `→`",
    ),
    ColumnSpec(
        "destination",
        "waypoint",
        "str",
        "Where the items were going: place name, crossing id or ISO country code.",
        input_format="text",
    ),
    ColumnSpec(
        "crossing",
        "waypoint",
        "str",
        'Border crossing point id (e.g. "RS-MK-PRESEVO") or name.',
        input_format="text",
    ),
    ColumnSpec(
        "modus_operandi",
        "vocabulary",
        "str",
        "How the items were moved.",
        input_format=_VOCAB_NOTE,
    ),
    ColumnSpec(
        "ocg_involved",
        "vocabulary",
        "str",
        "Organised crime group involved.",
        input_format=_VOCAB_NOTE,
    ),
    ColumnSpec(
        "migrants_involved",
        "vocabulary",
        "str",
        "Migrants involved.",
        input_format=_VOCAB_NOTE,
    ),
    ColumnSpec("source", "text", "str", "Where the record comes from.", input_format="text"),
    ColumnSpec(
        "verification",
        "vocabulary",
        "str",
        "How well the record is verified.",
        input_format=_VOCAB_NOTE,
    ),
    ColumnSpec("notes", "text", "str", "Free text.", input_format="text"),
    ColumnSpec(
        "geometry",
        "geometry",
        "geometry (Point, EPSG:4326)",
        "The incident location as a point.",
        input_format="(built from the coordinates, WKT, the file's geometry or the gazetteer)",
    ),
)

#: Canonical column names in order.
CANONICAL_COLUMNS: tuple[str, ...] = tuple(c.name for c in SCHEMA)

#: Rejection reasons (key -> meaning), as used in ``IncidentReadResult.rejected["reason"]``.
REJECTION_REASONS: dict[str, str] = {
    "missing_id": "`incident_id` is empty",
    "duplicate_id": "`incident_id` repeats an earlier row",
    "empty_row": "every field of the row is empty",
    "no_location": "no coordinates and no place name",
    "place_not_found": "no coordinates and the gazetteer does not know the place",
    "ambiguous_place": "no coordinates and the place name fits several places; give `jurisdiction`",
    "invalid_coordinates": "coordinates unparseable, incomplete, out of range, (0, 0), "
    "or projected numbers without a declared `crs`",
    "swapped_coordinates": "latitude and longitude look swapped: as written the point is outside "
    "the region, far from the row's stated jurisdiction (or the whole column is swapped), and "
    "swapped it lies in that jurisdiction",
    "outside_region": "the point lies outside the six jurisdictions and their neighbours "
    "(their land + 25 km), or more than 50 km from every road junction of the bundled network",
    "invalid_date": "the date cannot be read, or its column proves another day/month order "
    "than the declared one (or mixes orders)",
    "impossible_date": "the date does not exist (31.04.2023)",
    "future_date": "the date lies in the future",
    "invalid_quantity": "quantity is not a whole number, or is zero or negative",
    "unknown_vocabulary": "a vocabulary value (or jurisdiction) is not known",
    "outside_salw": "the category names a weapon outside small arms, light weapons, their "
    "ammunition and explosives (melee, vehicle, chemical, biological, incendiary, fake, "
    "unknown kind)",
}


def _key(value: object) -> str:
    """Return the matching key of a vocabulary value: casefolded, no diacritics, no punctuation.

    >>> _key("  Ručna-Bomba ")
    'rucna bomba'
    >>> _key("AK-47") == _key("ak 47")
    True
    """
    text = unicodedata.normalize("NFKD", str(value).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("đ", "dj").replace("ß", "ss")
    text = re.sub(r"[\W_]+", " ", text)
    return text.strip()


@dataclass
class Vocabulary:
    """A controlled vocabulary with its synonyms.

    Parameters
    ----------
    column
        The canonical column it belongs to.
    values
        Canonical values (lower-case).
    synonyms
        Synonym -> canonical value.
    """

    column: str
    values: tuple[str, ...]
    synonyms: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        lookup: dict[str, str] = {}
        for value in self.values:
            lookup[_key(value)] = value
        for synonym, value in self.synonyms.items():
            if value not in self.values:
                raise ValueError(
                    f"synonym {synonym!r} of column {self.column!r} maps to {value!r}, which is "
                    f"not a value of the vocabulary; use one of {', '.join(self.values)} or add "
                    f"{value!r} to the vocabulary first"
                )
            lookup.setdefault(_key(synonym), value)
        self._lookup = lookup

    def canonical(self, value: object) -> str | None:
        """Return the canonical value for ``value``, or None if it is unknown."""
        return self._lookup.get(_key(value))

    def suggest(self, value: object) -> str | None:
        """Return the canonical value closest to an unknown ``value`` (or None)."""
        key = _key(value)
        if not key:
            return None
        close = difflib.get_close_matches(key, list(self._lookup), n=1, cutoff=0.6)
        return self._lookup[close[0]] if close else None

    def map(self, values: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Map a Series of raw values (vectorised over distinct values).

        Returns the canonical values (missing stays missing) and a boolean mask of values that
        are present but unknown.
        """
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        mapped = [self.canonical(u) for u in uniques]
        known = pd.array([*mapped, None], dtype=STR)
        out = pd.Series(known.take(codes), index=values.index, dtype=STR)
        unknown_u = [*(m is None for m in mapped), False]
        unknown = pd.Series(
            pd.array(unknown_u, dtype=bool).take(codes), index=values.index, dtype=bool
        )
        return out, unknown

    def extended(self, extra: Iterable[str] | Mapping[str, Iterable[str]]) -> Vocabulary:
        """Return a copy with extra canonical values (a list, or value -> synonyms)."""
        values = list(self.values)
        synonyms = dict(self.synonyms)
        items = extra.items() if isinstance(extra, Mapping) else ((v, ()) for v in extra)
        for value, syns in items:
            if isinstance(syns, str):
                syns = [syns]
            canon = re.sub(r"[\W]+", "_", str(value).strip().casefold()).strip("_")
            if not canon:
                raise ValueError(f"empty vocabulary value {value!r} for column {self.column!r}")
            if canon not in values:
                values.append(canon)
            for s in syns:
                synonyms[str(s)] = canon
        return Vocabulary(self.column, tuple(values), synonyms)

    def with_synonyms(self, synonyms: Mapping[str, str]) -> Vocabulary:
        """Return a copy with extra synonyms (synonym -> canonical value or synonym)."""
        merged = dict(self.synonyms)
        for synonym, target in synonyms.items():
            canon = self.canonical(target)
            if canon is None:
                hint = self.suggest(target)
                raise ValueError(
                    f"synonym {synonym!r} for column {self.column!r} maps to unknown value "
                    f"{target!r}; use one of: {', '.join(self.values)}"
                    + (f" (did you mean {hint!r}?)" if hint else "")
                )
            merged[str(synonym)] = canon
        new = Vocabulary(self.column, self.values, {})
        # Mapping-file synonyms take precedence over the built-in ones.
        new._lookup = {**self._lookup, **{_key(s): v for s, v in merged.items()}}
        new.synonyms = merged
        return new


def vocabularies(
    extra: Mapping[str, Iterable[str] | Mapping[str, Iterable[str]]] | None = None,
) -> dict[str, Vocabulary]:
    """Return the vocabularies (column -> :class:`Vocabulary`), optionally extended.

    Parameters
    ----------
    extra
        Column -> extra canonical values, either a list (``{"category": ["flare_gun"]}``) or a
        mapping of new value -> its synonyms (``{"category": {"flare_gun": ["raketni"]}}``).

    Raises
    ------
    ValueError
        When ``extra`` names a column that has no vocabulary.

    >>> vocabularies({"category": ["flare_gun"]})["category"].canonical("Flare gun")
    'flare_gun'
    """
    vocabs = {
        col: Vocabulary(col, values, SYNONYMS.get(col, {})) for col, values in VOCABULARIES.items()
    }
    for col, values in (extra or {}).items():
        if col not in vocabs:
            close = difflib.get_close_matches(col, list(vocabs), n=1)
            raise ValueError(
                f"cannot extend vocabulary of column {col!r}: it has none; columns with "
                f"vocabularies: {', '.join(vocabs)}"
                + (f" (did you mean {close[0]!r}?)" if close else "")
            )
        vocabs[col] = vocabs[col].extended(values)
    return vocabs


def outside_salw(value: object) -> str | None:
    """Say what a category value is when it names a weapon outside SALW (else None).

    Small arms, light weapons, their ammunition and explosives are in scope; melee weapons,
    vehicles, chemical, biological, radiological and nuclear weapons, incendiaries, sabotage
    equipment, fake weapons and weapons of unknown kind are not (see
    :data:`routes._synonyms.OUTSIDE_SALW`).

    >>> outside_salw("Melee"), outside_salw("Knife or Other Sharp Object"), outside_salw("Rifle")
    ('a melee weapon', 'a knife (melee weapon)', None)
    """
    return _OUTSIDE.get(_key(value))


_OUTSIDE = {_key(k): v for k, v in OUTSIDE_SALW.items()}


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def schema_markdown() -> str:
    """Render the schema as the Markdown tables shown in the README.

    Three tables: the columns, the vocabularies, and the rejection reasons.
    """
    lines = [
        "| column | type | required | input | meaning |",
        "|---|---|---|---|---|",
    ]
    for spec in SCHEMA:
        lines.append(
            f"| `{spec.name}` | {spec.dtype} | {'yes' if spec.required else ''} | "
            f"{_md_escape(spec.input_format)} | {_md_escape(spec.description)} |"
        )
    lines += ["", "| vocabulary column | values |", "|---|---|"]
    for col, values in VOCABULARIES.items():
        lines.append(f"| `{col}` | {', '.join(f'`{v}`' for v in values)} |")
    lines.append(f"| `jurisdiction` | {', '.join(f'`{c}`' for c in ALL_JURISDICTIONS)} |")
    lines += ["", "| rejection reason | when |", "|---|---|"]
    for reason, meaning in REJECTION_REASONS.items():
        lines.append(f"| `{reason}` | {_md_escape(meaning)} |")
    return "\n".join(lines) + "\n"


def synonyms_markdown() -> str:
    """Render the documented synonyms as a Markdown table (column, value, synonyms)."""
    lines = ["| column | value | synonyms |", "|---|---|---|"]
    seen_yes_no = False
    for col, mapping in SYNONYMS.items():
        if col in ("ocg_involved", "migrants_involved"):
            if seen_yes_no:
                continue
            seen_yes_no = True
            col = "ocg_involved, migrants_involved"
        by_value: dict[str, list[str]] = {}
        for syn, value in mapping.items():
            by_value.setdefault(value, []).append(syn)
        for value, syns in by_value.items():
            shown = ", ".join(f"`{_md_escape(s)}`" for s in syns)
            lines.append(f"| {col} | `{value}` | {shown} |")
        if col == "category":
            by_kind: dict[str, list[str]] = {}
            for syn, kind in OUTSIDE_SALW.items():
                by_kind.setdefault(kind, []).append(syn)
            for kind, syns in by_kind.items():
                shown = ", ".join(f"`{_md_escape(s)}`" for s in syns)
                lines.append(f"| category | rejected `outside_salw`: {kind} | {shown} |")
    return "\n".join(lines) + "\n"
