"""Assessment files on the command line: options from the file, what each source gave.

An INCIDENTS argument ending in ``.toml`` is an assessment file
(:func:`routes.incidents.load_assessment`): :func:`with_assessment` lets the file set every
option the command has and the command line did not give; :func:`assessment_summary` and
:func:`assessment_json` say per source what was read and how many double reports were found.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from routes.incidents import AssessmentRead

__all__ = ["assessment_json", "assessment_summary", "with_assessment"]

F = TypeVar("F", bound=Callable[..., Any])

#: Assessment-file keys -> the command parameter they set (when the command has it).
_ASSESSMENT_PARAMS = {
    "from": "date_from",
    "to": "date_to",
    "profile": "profile",
    "infer": "infer",
    "priors": "priors",
    "places": "places",
    "marking": "marking",
    "share_safe": "share_safe",
    "title": "title",
    "questionnaire": "questionnaire",
    "questionnaire_mapping": "questionnaire_mapping",
}


def _assessment_values(path: Path) -> dict[str, Any]:
    """The command options an assessment file sets (key of :data:`_ASSESSMENT_PARAMS`)."""
    from routes.incidents import load_assessment

    a = load_assessment(path)
    values = dict(a.options)
    if a.title:
        values["title"] = a.title
    if a.questionnaire is not None:
        values["questionnaire"] = a.questionnaire.path
        if a.questionnaire.mapping:
            values["questionnaire_mapping"] = a.questionnaire.mapping
    return values


def with_assessment(
    f: F, *, places_meta: str, errors: Callable[[], AbstractContextManager[None]]
) -> F:
    """Let an assessment file (INCIDENTS ending in .toml) set the options not given.

    Command-line options (and environment variables) win over the file; the file wins over
    the defaults. ``--mapping``, ``--sheet`` and ``--layer`` are per source in the file.
    ``places_meta``: the ``click.Context.meta`` key of ``--places``; ``errors``: the context
    manager that turns a :class:`routes.ValidationError` into the commands' exit status 2.
    """

    @functools.wraps(f)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        from click.core import ParameterSource

        from routes.incidents import is_assessment_file

        path = kwargs.get("incidents")
        if not isinstance(path, Path) or not is_assessment_file(path):
            return f(*args, **kwargs)
        ctx = click.get_current_context()
        for name in ("mapping", "sheet", "layer"):
            if kwargs.get(name) is not None:
                raise click.BadParameter(
                    f"{path} is an assessment file: give {name} per source in its "
                    f"[[incidents]] tables, not on the command line",
                    param_hint=f"'--{name}'",
                )
        params = {p.name: p for p in ctx.command.params}
        with errors():
            values = _assessment_values(path)
        for key, value in values.items():
            name = _ASSESSMENT_PARAMS[key]
            if name not in params or name not in kwargs:
                continue
            if ctx.get_parameter_source(name) not in (ParameterSource.DEFAULT, None):
                continue  # the command line wins
            if name not in ("date_from", "date_to"):
                try:
                    value = params[name].type_cast_value(ctx, value)
                except click.BadParameter as exc:
                    raise click.BadParameter(
                        f"{key} in {path}: {exc.message}", param_hint=f"'{key}'"
                    ) from None
            kwargs[name] = value
            if name == "places":  # --places reaches read_for_command through the context
                ctx.meta[places_meta] = value
        start, end = kwargs.get("date_from"), kwargs.get("date_to")
        if start is not None and end is not None and start > end:
            raise click.BadParameter(
                f"from {start} is after to {end} (command line and {path}); swap them",
                param_hint="'--from'/'--to'",
            )
        return f(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def assessment_json(pooled: AssessmentRead | None) -> dict[str, Any]:
    """The ``--json`` entries of an assessment: sources, candidate pairs, dedupe, merged."""
    if pooled is None:
        return {}
    return {
        "sources": pooled.read.summary()["sources"],
        "duplicate_candidates": len(pooled.candidates),
        "dedupe": pooled.assessment.dedupe,
        "merged": len(pooled.merged),
    }


def assessment_summary(pooled: AssessmentRead) -> list[str]:
    """Lines saying what each source gave and how many double reports were found."""
    lines = []
    for row in pooled.sources.itertuples(index=False):
        lines.append(
            f"source {row.reporting!r} ({row.path}): {row.rows_read:,} rows read, "
            f"{row.accepted:,} accepted, {row.rejected:,} rejected"
        )
    n = len(pooled.candidates)
    mode = pooled.assessment.dedupe
    lines.append(
        f"{n:,} candidate double report(s) across sources"
        + (
            f"; {len(pooled.merged):,} pair(s) merged (dedupe = 'merge')"
            if mode == "merge"
            else " (flagged, none dropped; dedupe = 'flag')"
        )
    )
    return lines
