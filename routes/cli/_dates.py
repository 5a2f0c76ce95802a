"""``--from``/``--to``: the time window options of the incident commands (ISO dates)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any, TypeVar

import click

__all__ = ["date_window", "iso_date"]

F = TypeVar("F", bound=Callable[..., Any])
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """Click callback: an ISO ``YYYY-MM-DD`` option value as a :class:`datetime.date`."""
    if value is None:
        return None
    try:
        if not _ISO_DATE.match(value.strip()):
            raise ValueError(value)
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date; use an ISO date such as 2023-01-31", ctx, param
        ) from None


def date_window(f: F) -> F:
    """``--from``/``--to`` (ISO dates, both ends included) as ``date_from``/``date_to``."""

    @functools.wraps(f)
    def checked(*args: Any, **kwargs: Any) -> Any:
        start, end = kwargs.get("date_from"), kwargs.get("date_to")
        if start is not None and end is not None and start > end:
            raise click.BadParameter(
                f"--from {start} is after --to {end}; swap them", param_hint="'--from'/'--to'"
            )
        return f(*args, **kwargs)

    checked = click.option(
        "--to",
        "date_to",
        default=None,
        metavar="DATE",
        callback=iso_date,
        help="Only incidents on or before this ISO date (undated ones are left out).",
    )(checked)
    checked = click.option(
        "--from",
        "date_from",
        default=None,
        metavar="DATE",
        callback=iso_date,
        help="Only incidents on or after this ISO date (undated ones are left out).",
    )(checked)
    return checked  # type: ignore[return-value]
