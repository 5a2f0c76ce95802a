"""Assessment files: one regional assessment pooled from several agencies' incident files.

An assessment file is TOML with one ``[[incidents]]`` table per source (see
docs/assessment-files.md for every key)::

    title = "Western Balkans SALW assessment 2025"
    from = 2023-01-01                   # options as on the command line (optional)
    dedupe = "flag"                     # or "merge"

    [[incidents]]
    path = "al_border_police.csv"       # relative to this file
    reporting = "Albanian State Police" # the source's name, shown in outputs

    [[incidents]]
    path = "mk_customs.csv"
    mapping = "mk_customs.toml"         # a TOML file beside this one, or a bundled name
    reporting = "MK Customs"

    [questionnaire]
    path = "iafq_2023.csv"
    mapping = "unodc_iafq"

    [duplicates]                        # thresholds of the double-report rule
    distance_m = 1000
    days = 2

:func:`load_assessment` checks the whole file and raises one :class:`routes.ValidationError`
listing every problem with its fix; :func:`read_assessment` reads every source, pools them
(:func:`routes.incidents.pool_reads`) and lists the candidate double reports
(:func:`routes.incidents.duplicate_candidates`), merging them when ``dedupe = "merge"``. The
questionnaire is only located here (path and mapping); the stages above read it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routes._errors import Problem, ValidationError
from routes.incidents._dedupe import DuplicateRule, duplicate_candidates, merge_duplicates
from routes.incidents._mapping import bundled_mappings
from routes.incidents.pool import PooledReadResult, pool_reads, sources_table
from routes.incidents.read import IncidentReadResult, read_incidents

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = [
    "OPTION_KEYS",
    "Assessment",
    "AssessmentRead",
    "IncidentSource",
    "QuestionnaireSource",
    "is_assessment_file",
    "load_assessment",
    "read_assessment",
]

#: Top-level keys that set a command option (command-line options override them).
OPTION_KEYS = (
    "from",
    "to",
    "profile",
    "infer",
    "priors",
    "places",
    "marking",
    "share_safe",
)
_TOP_KEYS = ("title", "dedupe", "incidents", "questionnaire", "duplicates", *OPTION_KEYS)
_SOURCE_KEYS = ("path", "reporting", "mapping", "sheet", "layer", "id_prefix")
_QUESTIONNAIRE_KEYS = ("path", "mapping")
_RULE_KEYS = ("distance_m", "days", "quantity_ratio")
_PATH_OPTIONS = ("priors", "places")
DEDUPE_MODES = ("flag", "merge")


@dataclass(frozen=True)
class IncidentSource:
    """One ``[[incidents]]`` entry: an agency's file and how to read it (paths absolute)."""

    path: Path
    reporting: str
    mapping: str | None = None
    sheet: str | int | None = None
    layer: str | None = None
    id_prefix: str | None = None


@dataclass(frozen=True)
class QuestionnaireSource:
    """The ``[questionnaire]`` table: the file and its mapping (a TOML path or bundled name)."""

    path: Path
    mapping: str | None = None


@dataclass(frozen=True)
class Assessment:
    """A checked assessment file.

    Attributes
    ----------
    path
        The assessment file.
    title
        The assessment's title (None when not given).
    sources
        The incident sources, in file order.
    questionnaire
        The questionnaire, if any.
    options
        Command options set by the file (keys of :data:`OPTION_KEYS`; ``from``/``to`` as
        :class:`datetime.date`, ``priors``/``places`` as absolute paths).
    dedupe
        ``"flag"`` (list candidate double reports, keep all) or ``"merge"``.
    rule
        The thresholds of the double-report rule.
    """

    path: Path
    title: str | None
    sources: tuple[IncidentSource, ...]
    questionnaire: QuestionnaireSource | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    dedupe: str = "flag"
    rule: DuplicateRule = field(default_factory=DuplicateRule)


@dataclass
class AssessmentRead:
    """Every source read and pooled, with the candidate double reports.

    Attributes
    ----------
    read
        The pooled read (rows read = accepted + rejected, per source and in all).
    incidents
        The incidents to analyse: the pooled accepted rows, less the merged-away records
        when ``dedupe == "merge"``.
    candidates
        Candidate double reports (:func:`routes.incidents.duplicate_candidates`).
    merged
        The pairs merged (empty unless ``dedupe == "merge"``).
    assessment
        The assessment file it came from.
    """

    read: PooledReadResult
    incidents: gpd.GeoDataFrame
    candidates: pd.DataFrame
    merged: pd.DataFrame
    assessment: Assessment

    @property
    def sources(self) -> pd.DataFrame:
        """Per source: path, rows read, accepted, rejected per reason, date range."""
        return sources_table(self.read)


def is_assessment_file(path: str | Path) -> bool:
    """True for a ``.toml`` file: an assessment file (:func:`load_assessment` checks it)."""
    return Path(path).suffix.lower() == ".toml"


def _suggest(key: str, valid: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, valid, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"{hint}valid keys: {', '.join(valid)}"


class _Checker:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.base = path.parent
        self.problems: list[Problem] = []

    def bad(self, message: str, *, column: str | None = None, value: Any = None) -> None:
        self.problems.append(
            Problem(message, file=str(self.path), column=column, value=value, reason="assessment")
        )

    def unknown(self, table: Mapping[str, Any], valid: tuple[str, ...], where: str) -> None:
        for key in table:
            if key not in valid:
                self.bad(f"{where}unknown key {key!r}; {_suggest(key, valid)}", column=key)

    def text(self, table: Mapping[str, Any], key: str, where: str) -> str | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.bad(f"{where}{key} must be non-empty text, got {value!r}", column=key, value=value)
            return None
        return value.strip()

    def file(self, table: Mapping[str, Any], key: str, where: str) -> Path | None:
        value = self.text(table, key, where)
        if value is None:
            return None
        p = (self.base / value).resolve()
        if not p.is_file():
            self.bad(
                f"{where}{key} {value!r}: no such file ({p}); paths are relative to the "
                "assessment file's folder",
                column=key,
                value=value,
            )
            return None
        return p

    def mapping(self, table: Mapping[str, Any], where: str, *, bundled: bool) -> str | None:
        value = self.text(table, "mapping", where)
        if value is None:
            return None
        p = self.base / value
        if p.suffix.lower() == ".toml" or p.exists():
            return str(self.file(table, "mapping", where) or value)
        if bundled and value not in bundled_mappings():
            self.bad(
                f"{where}mapping {value!r} is neither a TOML file beside the assessment file "
                f"nor a bundled mapping; bundled: {', '.join(bundled_mappings())}",
                column="mapping",
                value=value,
            )
        return value


def _source(c: _Checker, i: int, table: Any) -> IncidentSource | None:
    where = f"[[incidents]] #{i + 1}: "
    if not isinstance(table, dict):
        c.bad(f"{where}must be a table with path and reporting, got {table!r}")
        return None
    c.unknown(table, _SOURCE_KEYS, where)
    for key in ("path", "reporting"):
        if key not in table:
            c.bad(f'{where}{key} is missing; add {key} = "..."', column=key)
    path = c.file(table, "path", where)
    reporting = c.text(table, "reporting", where)
    mapping = c.mapping(table, where, bundled=True)
    sheet = table.get("sheet")
    if sheet is not None and not isinstance(sheet, (str, int)):
        c.bad(f"{where}sheet must be a name or a 0-based index, got {sheet!r}", column="sheet")
    layer = c.text(table, "layer", where)
    prefix = c.text(table, "id_prefix", where)
    if path is None or reporting is None:
        return None
    return IncidentSource(path, reporting, mapping, sheet, layer, prefix)


def _date(c: _Checker, value: Any, key: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        c.bad(f"{key} {value!r} is not a date; write an ISO date such as {key} = 2023-01-31")
        return None


def _options(c: _Checker, doc: Mapping[str, Any]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for key in OPTION_KEYS:
        if key not in doc:
            continue
        value = doc[key]
        if key in ("from", "to"):
            options[key] = _date(c, value, key)
        elif key == "priors" and str(value).strip().lower() in ("bundled", "none"):
            options[key] = str(value).strip().lower()  # not a file: the bundled or no priors
        elif key in _PATH_OPTIONS:
            options[key] = c.file(doc, key, "")
        elif key == "share_safe":
            if not isinstance(value, bool):
                c.bad(f"share_safe must be true or false, got {value!r}", column=key)
            options[key] = value
        else:
            options[key] = c.text(doc, key, "")
    start, end = options.get("from"), options.get("to")
    if start and end and start > end:
        c.bad(f"from {start} is after to {end}; swap them")
    return {k: v for k, v in options.items() if v is not None}


def _rule(c: _Checker, table: Any) -> DuplicateRule:
    if not isinstance(table, dict):
        c.bad(f"[duplicates] must be a table, got {table!r}")
        return DuplicateRule()
    c.unknown(table, _RULE_KEYS, "[duplicates] ")
    rule = DuplicateRule(**{k: v for k, v in table.items() if k in _RULE_KEYS})
    try:
        rule.check()
    except ValidationError as exc:
        for p in exc.problems:
            c.bad(f"[duplicates] {p.message}")
        return DuplicateRule()
    return rule


def load_assessment(path: str | Path) -> Assessment:
    """Read and check an assessment file.

    Raises
    ------
    routes.ValidationError
        Listing every problem at once (file missing or not TOML, unknown keys with the closest
        valid one, missing or absent paths, unknown mappings, bad dates, options or
        thresholds, two sources with the same name).
    """
    path = Path(path)
    c = _Checker(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationError(
            Problem(f"assessment file {str(path)!r} not found; check the path", str(path))
        ) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(
            Problem(f"cannot read the assessment file as UTF-8 TOML: {exc}", str(path))
        ) from exc
    c.unknown(doc, _TOP_KEYS, "")
    entries = doc.get("incidents")
    if not isinstance(entries, list) or not entries:
        c.bad(
            "no [[incidents]] table; an assessment file lists each agency's file as "
            '[[incidents]] with path = "..." and reporting = "..." (a column mapping is a '
            "TOML file too: give it with --mapping, or as mapping = ... in an [[incidents]])"
        )
        entries = []
    sources = [s for i, t in enumerate(entries) if (s := _source(c, i, t)) is not None]
    names = [s.reporting for s in sources]
    for name in sorted({n for n in names if names.count(n) > 1}):
        c.bad(f"two [[incidents]] have reporting = {name!r}; give each source its own name")
    questionnaire = None
    if "questionnaire" in doc:
        q = doc["questionnaire"]
        if not isinstance(q, dict) or "path" not in q:
            c.bad('[questionnaire] needs path = "..." (and optionally mapping = "...")')
        else:
            c.unknown(q, _QUESTIONNAIRE_KEYS, "[questionnaire] ")
            qpath = c.file(q, "path", "[questionnaire] ")
            qmap = c.mapping(q, "[questionnaire] ", bundled=False)
            if qpath is not None:
                questionnaire = QuestionnaireSource(qpath, qmap)
    dedupe = doc.get("dedupe", "flag")
    if dedupe not in DEDUPE_MODES:
        c.bad(f"dedupe = {dedupe!r}; use 'flag' (list candidate pairs) or 'merge'")
    rule = _rule(c, doc.get("duplicates", {}))
    options = _options(c, doc)
    title = c.text(doc, "title", "")
    if c.problems:
        raise ValidationError(c.problems)
    return Assessment(path, title, tuple(sources), questionnaire, options, dedupe, rule)


def read_assessment(
    assessment: Assessment | str | Path,
    *,
    progress: bool = False,
    readers: Mapping[str, IncidentReadResult] | None = None,
    places: Any = None,
) -> AssessmentRead:
    """Read every source of an assessment, pool them and list the candidate double reports.

    Parameters
    ----------
    assessment
        An :class:`Assessment` or the path of an assessment file.
    progress
        Progress bars while reading large files.
    readers
        Already-read sources (reporting name -> lenient read) used instead of reading their
        files (for tests and callers that read themselves).
    places
        The user's own places table for every source (passed to
        :func:`routes.read_incidents` only when given).

    Raises
    ------
    routes.ValidationError
        When the assessment file is bad, or any source cannot be read (every such problem of
        every source in one error).
    """
    a = assessment if isinstance(assessment, Assessment) else load_assessment(assessment)
    reads: dict[str, IncidentReadResult] = {}
    problems: list[Problem] = []
    extra: dict[str, Any] = {} if places is None else {"places": places}
    for s in a.sources:
        if readers and s.reporting in readers:
            reads[s.reporting] = readers[s.reporting]
            continue
        try:
            reads[s.reporting] = read_incidents(
                s.path,
                mapping=s.mapping,
                strict=False,
                sheet=s.sheet,
                layer=s.layer,
                progress=progress,
                **extra,
            )
        except ValidationError as exc:
            problems += [
                Problem(
                    f"source {s.reporting!r}: {p.message}",
                    file=p.file or str(s.path),
                    row=p.row,
                    column=p.column,
                    value=p.value,
                    reason=p.reason,
                )
                for p in exc.problems
            ]
    if problems:
        raise ValidationError(problems)
    prefixes = {s.reporting: s.id_prefix for s in a.sources if s.id_prefix}
    pooled = pool_reads(reads, prefixes=prefixes, file=str(a.path))
    candidates = duplicate_candidates(pooled.accepted, rule=a.rule)
    incidents = pooled.accepted
    merged = candidates.iloc[0:0]
    if a.dedupe == "merge":
        incidents, merged = merge_duplicates(incidents, candidates)
    return AssessmentRead(pooled, incidents, candidates, merged, a)
