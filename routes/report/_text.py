"""Text shared by the report's figures and annex: the date range, counts and routing reasons."""

from __future__ import annotations

import numbers
import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["count_text", "date_range_text", "reason_summary"]


def date_range_text(incidents: pd.DataFrame | None, date_range: object) -> str | None:
    """The period a page shows, as ``"05 Jan 2020 – 17 Mar 2023"``.

    ``date_range`` is the text itself, a ``(start, end)`` pair, or None to take the first and
    last ``date`` of ``incidents``; None when there is no date to show.

    >>> date_range_text(None, ("2021-01-01", "2021-12-31"))
    '01 Jan 2021 – 31 Dec 2021'
    """
    import pandas as pd

    if isinstance(date_range, str):
        return date_range
    if isinstance(date_range, tuple) and len(date_range) == 2:
        lo, hi = (pd.Timestamp(d) for d in date_range)
    elif incidents is not None and "date" in incidents.columns:
        d = pd.to_datetime(incidents["date"], errors="coerce").dropna()
        if d.empty:
            return None
        lo, hi = d.min(), d.max()
    else:
        return None
    return f"{lo:%d %b %Y} \u2013 {hi:%d %b %Y}"


def count_text(value: object) -> str:
    """A count for prose: thousands separators (``191,595``); anything else (``<5``) as is.

    >>> count_text(191595), count_text("<5")
    ('191,595', '<5')
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return f"{int(value):,}"
    return str(value)


def _reason_shape(text: str) -> str:
    """A routing reason without the names and ids in it."""
    text = re.sub(r"\(.*?\)", "", text)
    text = re.sub(r"'[^']*'", "…", text)
    text = re.sub(r"from .*? to .*? on the network", "from … to … on the network", text)
    text = text.split(":")[0]
    return " ".join(text.split())


def reason_summary(reasons: Iterable[object], top: int = 5) -> str:
    """Group free-text routing reasons by their shape (names and ids removed), most common first.

    >>> reason_summary(["no path from 'A' to 'B' on the network"] * 2 + ["only one waypoint"])
    '2 × no path from … to … on the network; 1 × only one waypoint'
    """
    counts = Counter(_reason_shape(str(r)) for r in reasons)
    items = [f"{count_text(n)} × {r}" for r, n in counts.most_common(top)]
    rest = sum(counts.values()) - sum(n for _, n in counts.most_common(top))
    if rest:
        items.append(f"{count_text(rest)} other")
    return "; ".join(items)
