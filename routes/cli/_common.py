"""What the ``salw-routes`` commands share: options, reading the incidents, exit status.

Exit status of ``validate``, ``routes``, ``map`` and ``report`` (and of bad options anywhere):

- **0**: every row was accepted and every output written;
- **1**: some rows were rejected; the outputs for the accepted rows are still written, the
  rejected rows are listed on stderr and written as CSV (see :func:`read_for_command`);
- **2**: the file cannot be read (missing, unknown type, undecodable, a bad mapping), an option
  is bad, or nothing is usable (no row accepted, no incident left in the time window).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from routes._errors import Problem, ValidationError
from routes.cli._assessment import assessment_summary, with_assessment
from routes.cli._dates import date_window, iso_date

if TYPE_CHECKING:
    import geopandas as gpd

    from routes.incidents import AssessmentRead, ColumnMapping
    from routes.incidents.read import IncidentReadResult

__all__ = [
    "EXIT_OK",
    "EXIT_REJECTED",
    "EXIT_UNUSABLE",
    "NO_DATA_ROWS",
    "PLACES_META",
    "PROGRESS_MIN_BYTES",
    "SHOWN_PROBLEMS",
    "CommandRead",
    "MappingType",
    "UnusableInput",
    "beside",
    "date_window",
    "echo_evidence",
    "echo_evidence_doc",
    "filter_window",
    "incidents_input",
    "infer_option",
    "iso_date",
    "json_option",
    "load_priors",
    "places_lines",
    "priors_option",
    "problems_message",
    "processing_errors",
    "profile_option",
    "progress_option",
    "read_for_command",
    "rejects_option",
    "report_unrouted",
    "resolve_progress",
]

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_UNUSABLE = 2

#: Files at least this large show progress bars (on stderr) unless --no-progress is given.
PROGRESS_MIN_BYTES = 5_000_000

#: Problems listed on stderr; the rejects CSV has them all.
SHOWN_PROBLEMS = 20
NO_DATA_ROWS = (
    "the file has no data rows (a header line at most); put the incidents below the header"
    " (for a workbook, check --sheet; with a mapping, check skip_rows)"
)

F = TypeVar("F", bound=Callable[..., Any])


def problems_message(message: str, problems: list[Problem] | None) -> str:
    """``message``, or the one problem's own line (with the file and the fix) when one."""
    if problems is not None and len(problems) == 1:
        return str(problems[0])
    return message


class UnusableInput(click.ClickException):
    """Nothing usable: unreadable file, bad mapping, no accepted row (exit status 2)."""

    exit_code = EXIT_UNUSABLE

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(problems_message(message, problems))
        self.problems = problems or []


@contextlib.contextmanager
def processing_errors() -> Iterator[None]:
    """Turn a :class:`routes.ValidationError` of a pipeline step into exit status 2."""
    try:
        yield
    except ValidationError as exc:
        raise UnusableInput(str(exc), exc.problems) from exc


# ------------------------------------------------------------------ options


class MappingType(click.ParamType):
    """``-m/--mapping``: a TOML file or the name of a bundled mapping, loaded when parsed."""

    name = "mapping"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from routes.incidents import ColumnMapping, load_mapping

        if isinstance(value, ColumnMapping):
            return value
        try:
            return load_mapping(str(value))
        except ValidationError as exc:
            self.fail(str(exc), param, ctx)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[click.shell_completion.CompletionItem]:
        from routes.incidents import bundled_mappings

        names = [n for n in bundled_mappings() if n.startswith(incomplete)]
        return [click.shell_completion.CompletionItem(n) for n in names] + [
            click.shell_completion.CompletionItem(incomplete, type="file")
        ]


#: Where ``--places`` is kept for :func:`read_for_command` (``click.Context.meta``).
PLACES_META = "salw_routes.places"


def _keep_places(ctx: click.Context, param: click.Parameter, value: Path | None) -> Any:
    ctx.meta[PLACES_META] = value
    return value


def incidents_input(f: F) -> F:
    """The argument INCIDENTS and the options that say how to read it.

    Adds ``incidents`` (Path), ``mapping`` (:class:`routes.ColumnMapping` or None), ``sheet``
    and ``layer`` to the command's parameters. ``--places FILE`` (the user's own places table,
    :func:`routes.read_places`) is taken here and handed to :func:`read_for_command` through
    the click context, so that commands need no parameter of their own for it.
    """

    command = f

    @functools.wraps(command)
    def without_places(*args: Any, **kwargs: Any) -> Any:
        kwargs.pop("places", None)
        return command(*args, **kwargs)

    f = click.option(
        "--places",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        callback=_keep_places,
        metavar="FILE",
        help="Your own places table (code, name(s), latitude, longitude; e.g. "
        "pcode,sortname,serbname,latitude,longitude): place codes and names of the records "
        "resolve through it before the bundled gazetteer. Default: the mapping's [places].",
    )(without_places)  # type: ignore[assignment]
    f = click.option("--layer", default=None, help="GeoPackage layer of the incidents.")(f)
    f = click.option("--sheet", default=None, help="XLSX sheet name or 0-based index.")(f)
    f = click.option(
        "-m",
        "--mapping",
        type=MappingType(),
        default=None,
        help="Column mapping: a TOML file or a bundled name (iom_mmp, policija_bcs).",
    )(f)
    f = with_assessment(f, places_meta=PLACES_META, errors=processing_errors)
    # not exists=True: a missing file gets the reader's message and exit status 2
    return click.argument(
        "incidents", metavar="INCIDENTS", type=click.Path(dir_okay=False, path_type=Path)
    )(f)


def _rejects_folder_exists(ctx: click.Context, param: click.Parameter, value: Path | None) -> Any:
    if value is not None and not value.parent.is_dir():
        raise click.BadParameter(
            f"folder {str(value.parent)!r} does not exist; create it or choose another path",
            ctx,
            param,
        )
    return value


def rejects_option(default: str) -> Callable[[F], F]:
    """``--rejects FILE.csv``: where the rejected rows go; ``default`` says where otherwise."""
    return click.option(
        "--rejects",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        callback=_rejects_folder_exists,
        help=f"CSV file for the rejected rows, one line per problem (default: {default}).",
    )


def profile_option(f: F) -> F:
    """``--profile``: one of :data:`routes.PROFILES`."""
    from routes.routing import PROFILES

    return click.option(
        "--profile",
        type=click.Choice(sorted(PROFILES)),
        default="least_time",
        show_default=True,
        metavar="NAME",
        help=f"Routing cost profile: {', '.join(sorted(PROFILES))}.",
    )(f)


def infer_option(f: Any) -> Any:
    """``--infer none|recorded|priors``: infer the missing legs of one-waypoint records."""
    return click.option(
        "--infer",
        type=click.Choice(("none", "recorded", "priors")),
        default="priors",  # routes.DEFAULT_INFER (a test keeps them equal)
        show_default=True,
        help="Infer the origin/destination of incidents whose record gives one waypoint (the "
        "seizure place): from the recorded routes ('recorded'), plus priors ('priors': --priors, "
        "else the bundled regional corridors). Inferred legs are flagged (column 'inferred'); "
        "see routes.INFERENCE_DOC.",
    )(f)


def priors_option(f: Any) -> Any:
    """``--priors FILE|bundled|none``: the priors of ``--infer priors`` (:func:`load_priors`)."""
    return click.option(
        "--priors",
        "priors",
        default=None,
        metavar="FILE|bundled|none",
        help="Priors of --infer priors: a questionnaire (its reported routes, weighted by "
        "reported seizures) or a corridor table (from,via,to,weight,source; CSV/XLSX); "
        "'bundled': the bundled regional corridors (a modelling assumption, the default "
        "without a questionnaire); 'none': no priors (same as --infer recorded).",
    )(f)


def load_priors(value: str | None, infer: str) -> tuple[str, Any, str | None]:
    """The inference mode, the priors and a note for stderr, from ``--priors`` and ``--infer``.

    ``value``: None or ``"bundled"`` (the bundled corridors), ``"none"`` or a file (a
    questionnaire when it is not a corridor table).

    Raises
    ------
    UnusableInput
        A priors file that cannot be read or has bad rows (exit status 2).
    """
    from routes.routing import route_priors

    key = None if value is None else value.strip().lower()
    if infer != "priors":
        note = None if value is None else f"--priors {value} is not used with --infer {infer}"
        return infer, None, note
    if key == "none":
        return "recorded", None, "--priors none: no priors (inferred from recorded routes only)"
    try:
        if key == "bundled":
            return infer, route_priors("bundled"), None
        if value is None:
            return infer, route_priors(None), None
        priors = route_priors(_priors_source(Path(value)))
    except ValidationError as exc:
        raise UnusableInput(f"--priors: {exc}", exc.problems) from exc
    return infer, priors, f"priors: {priors.label}"


def _priors_source(source: Path) -> Any:
    """A questionnaire read result, or the path of a corridor table, for ``route_priors``."""
    if not source.is_file():
        raise ValidationError(f"priors file {str(source)!r} does not exist; check the path")
    if _is_corridor_table(source):
        return source
    from routes.questionnaire import read_questionnaire

    return read_questionnaire(source)


def _is_corridor_table(path: Path) -> bool:
    """Whether the file's header has from, to and weight (else it is read as a questionnaire)."""
    import pandas as pd

    try:
        if path.suffix.lower() in (".xlsx", ".xls", ".ods"):
            cols = pd.read_excel(path, nrows=0).columns
        else:
            cols = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
    except (ValueError, OSError, UnicodeDecodeError):
        return True  # the corridor-table reader says what is wrong
    return {"from", "to", "weight"} <= {str(c).strip().lower() for c in cols}


def echo_evidence(result: Any, mix: Any = None) -> dict[str, Any]:
    """Print what the route frequency rests on (and the warning when priors carry it).

    ``mix``: the result's :class:`routes.EvidenceMix` when already computed (a map's).
    """
    import routes

    evidence: dict[str, Any] = (mix if mix is not None else routes.evidence_mix(result)).as_dict()
    echo_evidence_doc(evidence)
    return evidence


def echo_evidence_doc(evidence: dict[str, Any], notes: tuple[str, ...] = ()) -> None:
    """Print an evidence mix's JSON form (its ``text``, then ``notes``, then its ``warning``)."""
    _echo(evidence["text"])
    for note in notes:
        _echo(note)
    if evidence["warning"]:
        _echo(f"warning: {evidence['warning']}")


def progress_option(f: F) -> F:
    """``--progress/--no-progress``; None unless given (see :func:`resolve_progress`)."""
    return click.option(
        "--progress/--no-progress",
        default=None,
        help=f"Progress bars on stderr (default: on for files of {PROGRESS_MIN_BYTES // 10**6} "
        "MB or more).",
    )(f)


# ------------------------------------------------------------------ reading


def beside(out: Path, name: str) -> Path:
    """``OUT-stem.<name>`` in the folder of ``out`` (``flows.gpkg`` -> ``flows.rejected.csv``)."""
    return out.parent / f"{out.stem}.{name}"


@dataclass(frozen=True)
class CommandRead:
    """The incidents a command works on and what happened to the rest."""

    result: IncidentReadResult
    rejects_file: Path | None
    assessment: AssessmentRead | None = None

    @property
    def gazetteer(self) -> Any:
        """The user's places table (``--places`` or the mapping's), else None (the bundled)."""
        return self.result.places

    @property
    def accepted(self) -> gpd.GeoDataFrame:
        """The accepted rows (of an assessment: pooled, less merged double reports)."""
        if self.assessment is not None:
            return self.assessment.incidents
        return self.result.accepted

    @property
    def exit_code(self) -> int:
        """0 when every row was accepted, 1 when some were rejected, 2 when none was accepted."""
        if len(self.result.accepted) == 0:
            return EXIT_UNUSABLE
        return EXIT_REJECTED if self.result.rows_rejected else EXIT_OK


def resolve_progress(path: Path, progress: bool | None) -> bool:
    """``--progress``/``--no-progress`` as given, else on for files of 5 MB or more."""
    if progress is not None:
        return progress
    return path.is_file() and path.stat().st_size >= PROGRESS_MIN_BYTES


def _echo(message: str) -> None:
    click.echo(message, err=True)


#: ``--json`` (every command that reads or writes files): one JSON object on stdout instead
#: of the text summary.
json_option = click.option(
    "--json",
    "as_json",
    is_flag=True,
    help=(
        "Print one JSON object on stdout instead of the text summary: what was read, the "
        "counts (e.g. incidents without a route, by reason) and the files written."
    ),
)


def report_unrouted(unrouted: Any, *, layer: str | None = None) -> dict[str, int]:
    """Print the incidents without a route, counted per reason, on stderr; return the counts.

    ``unrouted`` is :attr:`routes.RouteResult.unrouted` (or None when nothing was routed). The
    counts (reason -> incidents, most frequent first) go into the ``--json`` output too.
    """
    if unrouted is None or not len(unrouted):
        return {}
    counts = {str(k): int(v) for k, v in unrouted["reason"].value_counts().items()}
    where = f" (layer {layer!r})" if layer else ""
    _echo(f"{len(unrouted):,} incident(s) could not be routed{where}, by reason:")
    for reason, count in counts.items():
        _echo(f"  {count:,} x {reason}")
    for row in unrouted.head(5).itertuples(index=False):
        _echo(f"  e.g. row {row.source_row} ({row.incident_id}): {row.reason}")
    return counts


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _refuse_to_overwrite_input(path: Path, rejects: Path | None) -> None:
    """Raise before anything is read or written when an output would replace the input file.

    Checks the rejects file and the command's ``--out`` (a GeoPackage or CSV named like the
    incident file would otherwise overwrite the analyst's data).
    """
    ctx = click.get_current_context(silent=True)
    out = ctx.params.get("out") if ctx is not None else None
    for hint, target in (("'--rejects'", rejects), ("'--out'", out)):
        if isinstance(target, Path) and _same_file(path, target):
            raise click.BadParameter(
                f"{str(target)!r} is the incident file being read; writing there would destroy "
                "it; choose another name",
                param_hint=hint,
            )


def places_lines(result: IncidentReadResult) -> list[str]:
    """What the places table gave: places, rows refused (the first few, with row and fix)."""
    own = result.places
    if own is None:
        return []
    s = own.summary()
    lines = [
        f"places: {s['file']}: {s['rows_read']:,} rows, {s['places']:,} places, "
        f"{s['refused']:,} refused"
    ]
    for problem in own.problems()[:SHOWN_PROBLEMS]:
        lines.append(f"  - refused: {problem}")
    return lines


def _echo_places(result: IncidentReadResult) -> None:
    for line in places_lines(result):
        _echo(line)


def read_for_command(
    path: Path,
    *,
    mapping: ColumnMapping | None,
    sheet: str | None,
    layer: str | None,
    progress: bool | None,
    rejects: Path | None,
    summary: bool = True,
    require_rows: bool = True,
) -> CommandRead:
    """Read an incident file for a command; report and write the rejected rows.

    Parameters
    ----------
    path, mapping, sheet, layer
        As :func:`routes.read_incidents`.
    progress
        Progress bars; None: on for files of :data:`PROGRESS_MIN_BYTES` or more.
    rejects
        Where the rejected rows are written (:func:`routes.write_rejects`; the folder is
        created), also when there are none (a header line only), so that a rejects file of an
        earlier run is never mistaken for this one's; None: not written.
    summary
        Print ``FILE: n rows read, a accepted, r rejected`` and the first problems to stderr.
    require_rows
        Raise :class:`UnusableInput` (exit status 2) when no row was accepted.

    Raises
    ------
    UnusableInput
        When the file cannot be read, or (``require_rows``) no row was accepted.
    """
    from routes.incidents import is_assessment_file, load_assessment, read_assessment
    from routes.incidents.read import read_incidents, write_rejects

    _refuse_to_overwrite_input(path, rejects)
    ctx = click.get_current_context(silent=True)
    places = None if ctx is None else ctx.meta.get(PLACES_META)
    pooled = None
    try:
        if is_assessment_file(path):
            assessment = load_assessment(path)
            for source in assessment.sources:  # no output may replace an agency's file either
                _refuse_to_overwrite_input(source.path, rejects)
            pooled = read_assessment(assessment, progress=bool(progress), places=places)
            result: IncidentReadResult = pooled.read
        else:
            result = read_incidents(
                path,
                mapping=mapping,
                places=places,
                strict=False,
                sheet=sheet,
                layer=layer,
                progress=resolve_progress(path, progress),
            )
    except ValidationError as exc:
        raise UnusableInput(str(exc), exc.problems) from exc
    n_rejected = result.rows_rejected
    if summary and pooled is not None:
        for line in assessment_summary(pooled):
            _echo(line)
    if summary:
        _echo(
            f"{path}: {result.rows_read:,} rows read, {len(result.accepted):,} accepted, "
            f"{n_rejected:,} rejected"
        )
        _echo_places(result)
        problems, n_problems = result.problems(limit=SHOWN_PROBLEMS), len(result.rejected)
        if problems:
            _echo(f"problems (first {len(problems)} of {n_problems:,}):")
            for problem in problems:
                _echo(f"  - {problem}")
    written = None
    if rejects is not None:  # also when empty: a rejects file of an earlier run never lingers
        rejects.parent.mkdir(parents=True, exist_ok=True)
        written = write_rejects(result, rejects)
        if summary and n_rejected:
            _echo(f"rejected rows written to {written}")
    if require_rows and result.rows_read == 0:
        raise UnusableInput(f"{path}: {NO_DATA_ROWS}")
    if require_rows and len(result.accepted) == 0:
        raise UnusableInput(
            f"no row of {path} was accepted, so there is nothing to work on"
            + (f"; the reasons are in {written}" if written else "")
            + f"; run 'salw-routes validate {path}' for the summary."
        )
    return CommandRead(result, written, pooled)


def filter_window(
    incidents: gpd.GeoDataFrame, date_from: dt.date | None, date_to: dt.date | None
) -> gpd.GeoDataFrame:
    """Keep the incidents dated within ``--from``/``--to`` (both included); say what was left.

    Raises :class:`UnusableInput` when no incident is left.
    """
    import pandas as pd

    if date_from is None and date_to is None:
        return incidents
    dates = pd.to_datetime(incidents["date"], errors="coerce")
    keep = dates.notna()
    if date_from is not None:
        keep &= dates >= pd.Timestamp(date_from)
    if date_to is not None:
        keep &= dates < pd.Timestamp(date_to) + pd.Timedelta(days=1)
    kept = int(keep.sum())
    _echo(
        f"time window {date_from or '...'} to {date_to or '...'}: {kept} incidents kept, "
        f"{len(keep) - kept} outside the window (or undated) not counted"
    )
    if kept == 0:
        raise UnusableInput("no incident is dated within --from/--to; widen the time window")
    return incidents[keep.to_numpy()]
