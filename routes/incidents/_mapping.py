"""Column mappings: how a foreign incident table maps onto the canonical schema.

A mapping is a small TOML file (or the same structure as a dict)::

    name = "Regional police register"   # optional, shown in summaries
    encoding = "cp1250"                 # optional; sniffed when absent
    delimiter = ";"                     # optional; sniffed when absent
    sheet = "2023"                      # XLSX sheet (name or 0-based index)
    skip_rows = 2                       # title lines above the header (default: detected)
    layer = "incidents"                 # GeoPackage layer
    na_values = ["NA", "-"]             # cell values meaning "missing"
    crs = "EPSG:6316"                   # CRS of coordinate columns (default EPSG:4326)
    coordinate_order = "lat,lon"        # order inside a one-column `coordinates` value
    generate_id = "row"                 # no id column: incident_id is the data-row number
    ignore_columns = ["quantity"]       # columns never read, not even by their canonical name

    [columns]                           # canonical name = source column
    incident_id = "Broj predmeta"
    date = "Datum"
    coordinates = "Koordinate"          # or latitude/longitude, x/y, wkt

    [constants]                         # canonical name = value for every row
    source = "MUP RS"

    [defaults]                          # canonical name = value where the cell is empty
    quantity = 1

    [templates]                         # canonical name = text with {Source column} fields
    notes = "{Napomena} ({Opis})"

    [values.category]                   # extra synonyms: value in the file = canonical value
    "AP" = "automatic_rifle"

    [vocabularies]                      # new canonical values (list, or value = [synonyms])
    category = ["flare_gun"]

    [dates]                             # optional: how the file writes its dates
    format = ["%d.%m.%Y.", "%d. %B %Y."] # strftime forms, tried in order (month names of the
                                        # region's languages work with %B/%b)
    order = "day_first"                 # or "month_first": order of numeric dates

    [places]                            # optional: the user's own places table
    file = "places.csv"                 # relative to the mapping file
    code = "pcode"                      # code column (optional)
    name = ["sortname", "serbname"]     # name column(s) (optional)
    latitude = "latitude"
    longitude = "longitude"

    [layouts.export_2019]               # optional: several layouts of one source
    detect = ["Web ID", "Location Coordinates"]   # columns that identify the layout (best fit)
    [layouts.export_2019.columns]       # any key above, merged over the top-level ones
    incident_id = "Web ID"

A mapping with ``[layouts]`` is resolved against the file's header
(:func:`select_layout`): among the layouts whose required columns (id, date, location) are all
present, the one with the most of its columns in the file wins; its optional columns that the
file lacks are left out. When none fits, the message names, per layout, each missing required
column once with the closest header in the file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from routes._errors import Problem, ValidationError
from routes._errors import did_you_mean as _suggest
from routes._errors import mapping_error as _bad
from routes._paths import data_dir, read_mapping_file
from routes.incidents._dates import DATE_ORDERS
from routes.schema import CANONICAL_COLUMNS, VOCABULARIES

__all__ = [
    "COORDINATE_KEYS",
    "DEFAULT_NA_VALUES",
    "ColumnMapping",
    "bundled_mappings",
    "load_mapping",
    "select_layout",
]

#: Cell values read as "missing" unless a mapping sets ``na_values``.
DEFAULT_NA_VALUES: tuple[str, ...] = ("", "NA", "N/A", "n/a", "NaN", "nan", "NULL", "null", "-")

#: Extra keys of ``[columns]`` that give a location in another form than latitude/longitude.
COORDINATE_KEYS: tuple[str, ...] = ("x", "y", "coordinates", "wkt")

_MAPPABLE = tuple(c for c in CANONICAL_COLUMNS if c not in ("source_row", "geometry"))
_TOP_KEYS = (
    "name",
    "description",
    "encoding",
    "delimiter",
    "sheet",
    "skip_rows",
    "layer",
    "na_values",
    "crs",
    "coordinate_order",
    "generate_id",
    "ignore_columns",
    "columns",
    "constants",
    "defaults",
    "templates",
    "values",
    "vocabularies",
    "dates",
    "layouts",
    "places",
)
_PLACES_KEYS = ("file", "code", "name", "latitude", "longitude", "sheet")
_LAYOUT_KEYS = ("detect", "columns", "constants", "defaults", "templates", "values", "dates")


@dataclass(frozen=True)
class ColumnMapping:
    """A parsed column mapping (see the module docstring for the file format).

    Build it with :func:`load_mapping` from a TOML file, a bundled mapping name or a dict.
    """

    name: str | None = None
    description: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | int | None = None
    skip_rows: int | None = None
    layer: str | None = None
    na_values: tuple[str, ...] = DEFAULT_NA_VALUES
    crs: str | None = None
    coordinate_order: str = "lat,lon"
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    templates: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    vocabularies: dict[str, Any] = field(default_factory=dict)
    path: str | None = None
    date_formats: tuple[str, ...] = ()
    date_order: str | None = None
    layouts: tuple[tuple[str, tuple[str, ...], ColumnMapping], ...] = ()
    layout: str | None = None
    generate_id: str | None = None
    ignore_columns: tuple[str, ...] = ()
    places: dict[str, Any] | None = None


def bundled_mappings() -> list[str]:
    """Return the names of the mapping files shipped with salw-routes.

    >>> "iom_mmp" in bundled_mappings()
    True
    """
    folder = data_dir("mappings")
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def _as_text(value: object, what: str, where: str | None) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise _bad(
        f"{what} must be a text or a number, got {value!r} of type {type(value).__name__}", where
    )


def load_mapping(
    mapping: str | Path | Mapping[str, Any] | ColumnMapping | None,
) -> ColumnMapping:
    """Return a :class:`ColumnMapping` from a TOML file, a bundled name or a dict.

    Parameters
    ----------
    mapping
        A path to a TOML file; the name of a bundled mapping (``"iom_mmp"``, see
        :func:`bundled_mappings`); a dict with the file's structure; or a flat dict of
        canonical name -> source column (``{"incident_id": "ID", "date": "Datum"}``).

    Raises
    ------
    routes.ValidationError
        When the file is missing or not TOML, or a key or value is not understood; the
        message names the key and the valid choices.

    Examples
    --------
    >>> m = load_mapping({"incident_id": "Broj", "date": "Datum"})
    >>> m.columns
    {'incident_id': 'Broj', 'date': 'Datum'}
    """
    if mapping is None:
        return ColumnMapping()
    if isinstance(mapping, ColumnMapping):
        return mapping
    where: str | None = None
    if isinstance(mapping, (str, Path)):
        data, where = read_mapping_file(
            mapping,
            not_found=lambda: (
                f"mapping file {str(mapping)!r} not found; give a path to a .toml file or one "
                f"of the bundled mappings: {', '.join(bundled_mappings()) or '(none)'}"
            ),
        )
    elif isinstance(mapping, Mapping):
        data = dict(mapping)
    else:
        raise TypeError(
            f"mapping must be a path, a bundled mapping name, a dict or a ColumnMapping, "
            f"instead got {mapping!r} of type {type(mapping).__name__}"
        )
    if (
        data
        and all(k in _MAPPABLE or k in COORDINATE_KEYS for k in data)
        and all(isinstance(v, str) for v in data.values())
    ):
        data = {"columns": data}
    if data.get("kind") == "questionnaire":
        name = Path(where).stem if where else "MAPPING"
        raise _bad(
            "this is a questionnaire mapping (statistics, not incident records); read the file "
            f"with 'salw-routes questionnaire FILE -m {name}'",
            where,
        )
    return _parse(data, where)


def _table(data: dict[str, Any], key: str, where: str | None) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise _bad(f"[{key}] must be a table of key = value pairs, got {value!r}", where)
    return dict(value)


def _dates(data: dict[str, Any], where: str | None) -> tuple[tuple[str, ...], str | None]:
    table = _table(data, "dates", where)
    for key in table:
        if key not in ("format", "order"):
            raise _bad(
                f"[dates] key {key!r} is not known{_suggest(key, ('format', 'order'))}; "
                "valid: format, order",
                where,
            )
    forms = table.get("format", [])
    if isinstance(forms, str):
        forms = [forms]
    if not isinstance(forms, list) or not all(isinstance(f, str) and "%" in f for f in forms):
        raise _bad(
            f"[dates] format must be a strftime form or a list of them, such as "
            f'"%d.%m.%Y" or ["%a, %m/%d/%Y - %H:%M", "%B %d, %Y"], got {forms!r}',
            where,
        )
    order = table.get("order")
    if order is not None and order not in DATE_ORDERS:
        raise _bad(
            f"[dates] order must be {' or '.join(repr(o) for o in DATE_ORDERS)}, got {order!r}",
            where,
        )
    return tuple(forms), order


def _places(data: dict[str, Any], where: str | None) -> dict[str, Any] | None:
    """The ``[places]`` table: its file resolved against the mapping's folder."""
    if "places" not in data:
        return None
    table = _table(data, "places", where)
    for key, value in table.items():
        if key not in _PLACES_KEYS:
            raise _bad(
                f"[places] key {key!r} is not known{_suggest(key, _PLACES_KEYS)}; valid: "
                f"{', '.join(_PLACES_KEYS)}",
                where,
            )
        ok: bool = isinstance(value, str) and bool(value)
        if key == "name":
            ok = ok or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        if key == "sheet":
            ok = isinstance(value, (str, int))
        if not ok:
            raise _bad(f"[places] {key} must name a column (name: or a list), got {value!r}", where)
    if "file" not in table:
        raise _bad('[places] needs file = "places.csv" (relative to the mapping file)', where)
    path = Path(table["file"])
    if not path.is_absolute() and where is not None:
        path = Path(where).parent / path
    return {**table, "file": str(path)}


def _layouts(
    data: dict[str, Any], where: str | None
) -> tuple[tuple[str, tuple[str, ...], ColumnMapping], ...]:
    out = []
    for name, layout in _table(data, "layouts", where).items():
        if not isinstance(layout, Mapping):
            raise _bad(f"[layouts.{name}] must be a table", where)
        for key in layout:
            if key not in _LAYOUT_KEYS:
                raise _bad(
                    f"[layouts.{name}] key {key!r} is not known{_suggest(key, _LAYOUT_KEYS)}; "
                    f"valid: {', '.join(_LAYOUT_KEYS)}",
                    where,
                )
        detect = layout.get("detect")
        if (
            not isinstance(detect, list)
            or not detect
            or not all(isinstance(c, str) for c in detect)
        ):
            raise _bad(
                f"[layouts.{name}] detect must list the columns that identify the layout, "
                f'such as detect = ["Web ID", "Location Coordinates"]',
                where,
            )
        merged = {k: v for k, v in data.items() if k != "layouts"}
        for key in ("columns", "constants", "defaults", "templates", "values", "dates"):
            if key in layout:
                merged[key] = {**_table(merged, key, where), **_table(dict(layout), key, where)}
        cm = _parse(merged, where)
        out.append((str(name), tuple(detect), replace(cm, layout=str(name))))
    return tuple(out)


#: Canonical keys a layout cannot do without (with its location: coordinates, else a place).
_REQUIRED_KEYS = ("incident_id", "date")
_LOCATION_KEYS = ("latitude", "longitude", "x", "y", "coordinates", "wkt")


def _template_fields(template: str) -> list[str]:
    return re.findall(r"\{([^{}]+)\}", template)


def _required(cm: ColumnMapping) -> list[str]:
    """The source columns a layout needs: id, date and its location (coordinates or place)."""
    keys = [k for k in _REQUIRED_KEYS if k in cm.columns]
    located = [k for k in _LOCATION_KEYS if k in cm.columns]
    keys += located or (["place"] if "place" in cm.columns else [])
    return [cm.columns[k] for k in keys]


def _referenced(detect: tuple[str, ...], cm: ColumnMapping) -> list[str]:
    names = [*detect, *cm.columns.values()]
    for template in cm.templates.values():
        names += _template_fields(template)
    return list(dict.fromkeys(names))


def _fit(cm: ColumnMapping, norm: set[str]) -> ColumnMapping:
    """The layout without the optional columns and template parts the file does not have.

    A template is cut at ``"; "``: the parts whose fields are all present stay.
    """
    columns = {k: v for k, v in cm.columns.items() if _norm(v) in norm}
    templates = {}
    for key, template in cm.templates.items():
        parts = [
            part
            for part in template.split("; ")
            if all(_norm(f) in norm for f in _template_fields(part))
        ]
        if any(_template_fields(p) for p in parts):
            templates[key] = "; ".join(parts)
    return replace(cm, columns=columns, templates=templates)


def _closest(name: str, headers: list[str]) -> str:
    by_norm = {_norm(h): h for h in headers}
    close = difflib.get_close_matches(_norm(name), list(by_norm), n=1, cutoff=0.6)
    return f" (closest in the file: {by_norm[close[0]]!r})" if close else " (none close)"


def select_layout(mapping: ColumnMapping, headers: list[str], file: str) -> ColumnMapping:
    """Return the layout of ``mapping`` that fits a file's header best (the mapping if none).

    A layout fits when the file has its required columns: the id, the date and the location
    (coordinates, else the place). Among those that fit, the one with the most of its columns
    (``detect``, ``[columns]``, template fields) in the file wins; ties go to the first. Optional
    columns the file lacks are left out of the chosen layout, and so are the parts of a template
    (cut at ``"; "``) that name them: optional columns are never required.

    Raises
    ------
    routes.ValidationError
        When the mapping has layouts and none fits; one problem per layout, naming each
        missing required column once with the closest header in the file.
    """
    if not mapping.layouts:
        return mapping
    norm = {_norm(h) for h in headers}
    best: tuple[tuple[int, int, int], ColumnMapping] | None = None
    problems = []
    for i, (name, detect, cm) in enumerate(mapping.layouts):
        missing = list(dict.fromkeys(c for c in _required(cm) if _norm(c) not in norm))
        if missing:
            problems.append(
                Problem(
                    f"the file is not the {name!r} layout of mapping "
                    f"{mapping.name or mapping.path!r}: it has no column "
                    + ", ".join(f"{c!r}{_closest(c, headers)}" for c in missing),
                    file=file,
                    column=missing[0],
                    reason="missing_column",
                )
            )
            continue
        referenced = _referenced(detect, cm)
        found = sum(_norm(c) in norm for c in referenced)
        score = (found, found - len(referenced), -i)
        if best is None or score > best[0]:
            best = (score, cm)
    if best is not None:
        return _fit(best[1], norm)
    problems.append(
        Problem(
            f"the file fits none of the {len(mapping.layouts)} layouts of mapping "
            f"{mapping.name or mapping.path!r}; its columns: "
            f"{', '.join(repr(h) for h in headers)}; write a mapping for this layout (see the "
            "documentation, docs/incident-files.md, section 'Column mappings')",
            file=file,
            reason="missing_column",
        )
    )
    raise ValidationError(problems)


def _norm(name: str) -> str:
    return " ".join(str(name).lstrip("\ufeff").casefold().split())


def _parse(data: dict[str, Any], where: str | None) -> ColumnMapping:
    layouts = _layouts(data, where) if "layouts" in data else ()
    forms, date_order = _dates(data, where)
    for key in data:
        if key not in _TOP_KEYS:
            raise _bad(
                f"unknown mapping key {key!r}{_suggest(key, _TOP_KEYS)}; valid keys: "
                f"{', '.join(_TOP_KEYS)}",
                where,
            )
    columns = {}
    for key, value in _table(data, "columns", where).items():
        if key not in _MAPPABLE and key not in COORDINATE_KEYS:
            options = (*_MAPPABLE, *COORDINATE_KEYS)
            raise _bad(
                f"[columns] key {key!r} is not a canonical column{_suggest(key, options)}; "
                f"valid: {', '.join(options)}",
                where,
            )
        if not isinstance(value, str) or not value:
            raise _bad(f"[columns] {key} must name a source column, got {value!r}", where)
        columns[key] = value
    locs = [k for k in ("latitude", "longitude", "x", "y") if k in columns]
    if ("x" in columns or "y" in columns) and ("latitude" in columns or "longitude" in columns):
        raise _bad("[columns] give either latitude/longitude or x/y, not both", where)
    if locs and len(locs) != 2:
        raise _bad(
            f"[columns] has {locs[0]!r} but not its partner; give both latitude and longitude "
            "(or x and y), or one `coordinates` column holding 'lat, lon'",
            where,
        )
    tables: dict[str, dict[str, str]] = {}
    for name in ("constants", "defaults", "templates"):
        out = {}
        for key, value in _table(data, name, where).items():
            if key not in _MAPPABLE:
                raise _bad(
                    f"[{name}] key {key!r} is not a canonical column{_suggest(key, _MAPPABLE)}",
                    where,
                )
            out[key] = _as_text(value, f"[{name}] {key}", where)
        tables[name] = out
    for key in tables["constants"]:
        if key in columns or key in tables["templates"]:
            raise _bad(
                f"{key!r} is given both as a constant and as a column/template; keep one", where
            )
    for key in tables["templates"]:
        if key in columns:
            raise _bad(f"{key!r} is given both as a column and as a template; keep one", where)
    values: dict[str, dict[str, str]] = {}
    for col, table in _table(data, "values", where).items():
        if col not in VOCABULARIES and col != "jurisdiction":
            raise _bad(
                f"[values.{col}]: column {col!r} has no vocabulary"
                f"{_suggest(col, (*VOCABULARIES, 'jurisdiction'))}; columns with vocabularies: "
                f"{', '.join((*VOCABULARIES, 'jurisdiction'))}",
                where,
            )
        if not isinstance(table, Mapping):
            raise _bad(f'[values.{col}] must be a table of "value in file" = "value"', where)
        values[col] = {
            str(k): _as_text(v, f"[values.{col}] {k!r}", where) for k, v in table.items()
        }
    vocabs = _table(data, "vocabularies", where)
    for col in vocabs:
        if col not in VOCABULARIES:
            raise _bad(
                f"[vocabularies] column {col!r} has no vocabulary"
                f"{_suggest(col, tuple(VOCABULARIES))}",
                where,
            )
    na = data.get("na_values", DEFAULT_NA_VALUES)
    if not isinstance(na, (list, tuple)) or not all(isinstance(v, str) for v in na):
        raise _bad(f"na_values must be a list of texts, got {na!r}", where)
    order = str(data.get("coordinate_order", "lat,lon")).replace(" ", "").lower()
    if order not in ("lat,lon", "lon,lat"):
        raise _bad(f"coordinate_order must be 'lat,lon' or 'lon,lat', got {order!r}", where)
    generate_id = data.get("generate_id")
    if generate_id not in (None, "row") or (generate_id and "incident_id" in columns):
        raise _bad(
            f'generate_id must be "row" (incident_id = the data-row number) and is for files '
            f"without an id column: not both it and [columns] incident_id; got {generate_id!r}",
            where,
        )
    ignore = data.get("ignore_columns", [])
    if isinstance(ignore, str) or not all(isinstance(v, str) for v in ignore):
        raise _bad(f"ignore_columns must be a list of column names, got {ignore!r}", where)
    sheet = data.get("sheet")
    if sheet is not None and not isinstance(sheet, (str, int)):
        raise _bad(f"sheet must be a sheet name or a 0-based index, got {sheet!r}", where)
    skip = data.get("skip_rows")
    if skip is not None and (isinstance(skip, bool) or not isinstance(skip, int) or skip < 0):
        raise _bad(f"skip_rows must be a whole number >= 0, got {skip!r}", where)
    text_keys = {}
    for key in ("name", "description", "encoding", "delimiter", "layer", "crs"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise _bad(f"{key} must be a text, got {value!r}", where)
        text_keys[key] = value
    delim = text_keys["delimiter"]
    if delim is not None:
        delim = {"\\t": "\t", "tab": "\t"}.get(delim, delim)
        if len(delim) != 1:
            raise _bad(f"delimiter must be one character (or 'tab'), got {delim!r}", where)
    if text_keys["crs"] is not None:
        from pyproj import CRS
        from pyproj.exceptions import CRSError

        try:
            CRS.from_user_input(text_keys["crs"])
        except CRSError:
            raise _bad(
                f"crs {text_keys['crs']!r} is not a known CRS; write it as 'EPSG:3035', "
                "'EPSG:6316' (MGI 1901 / Balkans zone 7) or 'EPSG:32634' (UTM 34N)",
                where,
            ) from None
    return ColumnMapping(
        name=text_keys["name"],
        description=text_keys["description"],
        encoding=text_keys["encoding"],
        delimiter=delim,
        sheet=sheet,
        skip_rows=skip,
        layer=text_keys["layer"],
        na_values=tuple(na),
        crs=text_keys["crs"],
        coordinate_order=order,
        columns=columns,
        constants=tables["constants"],
        defaults=tables["defaults"],
        templates=tables["templates"],
        values=values,
        vocabularies=vocabs,
        path=where,
        date_formats=forms,
        date_order=date_order,
        layouts=layouts,
        generate_id=generate_id,
        ignore_columns=tuple(ignore),
        places=_places(data, where),
    )
