"""Reading date texts into days, once per distinct value, with the column's order checked.

Without declared forms, these are read: ISO ``yyyy-mm-dd`` (with a time), numeric
``dd.mm.yyyy`` / ``dd/mm/yyyy`` / ``dd-mm-yyyy`` (day first unless the mapping says
``order = "month_first"``; an optional leading weekday and trailing time such as
``Thu, 01/01/2026 - 12:00``), month names in English and the region's languages
(``30. decembar 2019.``, ``30 dhjetor 2019``, ``30. децембар 2019.``, ``December 30, 2019``),
month and year (``05.2023``, ``decembar 2019``), a year, and Excel serial days (``36251``,
``36251.5``). Day, month name and year may run together as SAS and Oracle exports write them
(``01Apr1999``, ``25-MAR-1999``, ``01APR1999:00:00:00``).

Two-digit years are read only next to a month name (``01Apr99``, ``25-Mar-99``), where the day
and the month cannot be mistaken, by the pivot :func:`two_digit_year`: a year ``yy`` up to the
last two digits of the current year is ``20yy``, a later one ``19yy`` (in 2026: ``00``..``26``
are 2000..2026, ``27``..``99`` are 1927..1999), so a two-digit year is never read in the future.
Every use of the pivot is reported (``notes`` of :func:`parse_dates`, shown by ``validate``).
Numeric dates with a two-digit year (``01.04.99``) stay refused: their order is not provable.
A mapping's strftime forms with ``%y`` use the same pivot (not Python's 1969/2068 one).

A mapping may declare strftime forms (``[dates] format``), tried in order; month and weekday
names of the region's languages are understood there too (``%B``/``%b``, ``%A``/``%a``).

The order of numeric dates is checked on the whole column: a value whose first part is above
12 proves day first, one whose second part is above 12 (or whose weekday fits only that reading)
proves month first. When the proof contradicts the declared or assumed order, every numeric date
of the column is rejected with the fix (declare the order); a column proving both orders is
reported as mixed, never guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from routes.incidents._monthnames import MONTHS, WEEKDAYS, name_key

__all__ = ["DATE_ORDERS", "declared_order", "parse_dates", "two_digit_year"]

#: Values of ``[dates] order`` in a mapping.
DATE_ORDERS = ("day_first", "month_first")

_TIME = r"(?:\s*(?:,|-|T|\s)\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:h|[ap]\.?m\.?)?)?"
_WD = r"(?:(?P<wd>[^\W\d_]+(?:\s[^\W\d_]+)?)\.?,?\s+)?"
_ISO = re.compile(
    r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_NUM = re.compile(
    rf"^{_WD}(?P<a>\d{{1,2}})\s*(?P<s>[./-])\s*(?P<b>\d{{1,2}})\s*(?P=s)\s*(?P<y>\d{{4}})\.?"
    rf"{_TIME}$",
    re.IGNORECASE,
)
_NUM2 = re.compile(r"^\d{1,2}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{2}\.?$")
_D_MON_Y = re.compile(
    rf"^{_WD}(?P<d>\d{{1,2}})\.?\s*-?\s*(?P<mon>[^\W\d_]+)\.?\s*-?,?\s*(?P<y>\d{{4}})\.?{_TIME}$"
)
_MON_D_Y = re.compile(
    rf"^{_WD}(?P<mon>[^\W\d_]+)\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})"
    rf"{_TIME}$",
    re.IGNORECASE,
)
_MON_Y = re.compile(r"^(?P<mon>[^\W\d_]+)\.?,?\s+(?P<y>\d{4})\.?$")
_MY = re.compile(r"^(?P<m>\d{1,2})\s*[./-]\s*(?P<y>\d{4})\.?$")
_YM = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})$")
_Y = re.compile(r"^(?P<y>\d{4})\.?$")
_SERIAL = re.compile(r"^(?P<s>\d{5})(?:\.\d+)?$")
# 01Apr99, 25-MAR-1999, 25 Mar 99, 01APR1999:00:00:00 (SAS DATETIME)
_DMONY = re.compile(
    r"^(?P<d>\d{1,2})[\s.-]*(?P<mon>[^\W\d_]+)\.?[\s.,-]*(?P<y>\d{4}|\d{2})"
    r"(?::\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_EXCEL_EPOCH = np.datetime64("1899-12-30")
_WORD = re.compile(r"[^\W\d_]+")
_PRECISION_OF_FORM = (("%d", "day"), ("%j", "day"), ("%m", "month"), ("%b", "month"))

_FORMS_TEXT = (
    "day first as dd.mm.yyyy (23.05.2023) or dd/mm/yyyy, as ISO yyyy-mm-dd, with a month name "
    "(23. maj 2023, 23 May 2023, May 23, 2023), as month and year (05.2023) or as a year "
    "(2023); for other forms declare them in the mapping: [dates] format = "
    '["%a, %m/%d/%Y - %H:%M"]'
)


@dataclass
class _Parsed:
    """One distinct value read: y/m/d and precision, or a problem."""

    y: int = 0
    m: int = 0
    d: int = 0
    precision: str = ""
    reason: str | None = None
    message: str | None = None
    ab: tuple[int, int] | None = None  # the two numeric parts of a numeric date, as written
    weekday: int | None = None  # the weekday written in the value (ISO), if any
    two_digit: bool = False  # the year was written with two digits (read by the pivot)


def two_digit_year(yy: int, *, today: dt.date | None = None) -> int:
    """Return the four-digit year of a two-digit year ``yy`` by the pivot (see the module).

    >>> two_digit_year(99, today=dt.date(2026, 1, 1)), two_digit_year(26, today=dt.date(2026, 1, 1))
    (1999, 2026)
    """
    pivot = (today or dt.date.today()).year % 100
    return 2000 + yy if yy <= pivot else 1900 + yy


def declared_order(forms: tuple[str, ...], order: str | None) -> tuple[str, bool]:
    """Return the order numeric dates are read in, and whether the mapping declared it.

    >>> declared_order((), None), declared_order(("%m/%d/%Y",), None)
    (('day_first', False), ('month_first', True))
    """
    if order is not None:
        return order, True
    for form in forms:
        d, m = form.find("%d"), form.find("%m")
        if d >= 0 and m >= 0:
            return ("day_first" if d < m else "month_first"), True
    return "day_first", False


def _weekday_of(word: str | None) -> int | None:
    return None if word is None else WEEKDAYS.get(name_key(word))


def _auto(text: str, order: str) -> _Parsed:
    """Read one value in the automatic forms."""
    m = _ISO.match(text)
    if m:
        return _Parsed(int(m["y"]), int(m["m"]), int(m["d"]), "day")
    m = _NUM.match(text)
    if m and (m["wd"] is None or _weekday_of(m["wd"]) is not None):
        a, b = int(m["a"]), int(m["b"])
        d, mo = (a, b) if order == "day_first" else (b, a)
        return _Parsed(int(m["y"]), mo, d, "day", ab=(a, b), weekday=_weekday_of(m["wd"]))
    m = _SERIAL.match(text)
    if m:
        day = (_EXCEL_EPOCH + np.timedelta64(int(m["s"]), "D")).astype(dt.date)
        return _Parsed(day.year, day.month, day.day, "day")
    for rx in (_D_MON_Y, _MON_D_Y):
        m = rx.match(text)
        if m and name_key(m["mon"]) in MONTHS:
            wd = _weekday_of(m["wd"])
            if m["wd"] is None or wd is not None:
                month = MONTHS[name_key(m["mon"])]
                return _Parsed(int(m["y"]), month, int(m["d"]), "day", weekday=wd)
    m = _DMONY.match(text)
    if m and name_key(m["mon"]) in MONTHS:
        short = len(m["y"]) == 2
        year = two_digit_year(int(m["y"])) if short else int(m["y"])
        return _Parsed(year, MONTHS[name_key(m["mon"])], int(m["d"]), "day", two_digit=short)
    m = _MON_Y.match(text)
    if m and name_key(m["mon"]) in MONTHS:
        return _Parsed(int(m["y"]), MONTHS[name_key(m["mon"])], 1, "month")
    for rx in (_MY, _YM):
        m = rx.match(text)
        if m:
            return _Parsed(int(m["y"]), int(m["m"]), 1, "month")
    m = _Y.match(text)
    if m:
        return _Parsed(int(m["y"]), 1, 1, "year")
    if _NUM2.match(text):
        return _Parsed(
            reason="invalid_date",
            message=f"date {text!r} has a two-digit year and no month name, so neither its "
            "century nor its order is certain; write the year in full, day first (dd.mm.yyyy, "
            'e.g. 23.05.2023), or declare the form in the mapping: [dates] format = ["%d.%m.%y"] '
            "(two-digit years are then read by the pivot and reported)",
        )
    return _Parsed(
        reason="invalid_date", message=f"cannot read date {text!r}; write it {_FORMS_TEXT}"
    )


def _english(text: str) -> tuple[str, int | None]:
    """Month and weekday words -> English full month names / weekday abbreviations."""
    weekday: list[int] = []

    def one(m: re.Match[str]) -> str:
        key = name_key(m.group(0))
        if key in MONTHS:
            return calendar.month_name[MONTHS[key]]
        if key in WEEKDAYS:
            weekday.append(WEEKDAYS[key])
            return calendar.day_abbr[WEEKDAYS[key] - 1]
        return m.group(0)

    out = _WORD.sub(one, text)
    return out, (weekday[0] if weekday else None)


def _with_forms(text: str, forms: tuple[str, ...]) -> _Parsed:
    """Read one value with the declared strftime forms, tried in order."""
    english, weekday = _english(text)
    for form in forms:
        f = form.replace("%b", "%B").replace("%A", "%a")
        try:
            when = dt.datetime.strptime(english, f)
        except ValueError:
            continue
        prec = next(
            (p for code, p in _PRECISION_OF_FORM if code in form.replace("%B", "%b")), "year"
        )
        short = "%y" in form
        if short:
            when = when.replace(year=two_digit_year(when.year % 100))
        numeric = re.search(r"(?<!\d)(\d{1,2})\s*([./-])\s*(\d{1,2})\s*\2\s*\d{4}(?!\d)", text)
        ab = (int(numeric[1]), int(numeric[3])) if numeric and "%m" in form else None
        return _Parsed(
            when.year, when.month, when.day, prec, ab=ab, weekday=weekday, two_digit=short
        )
    listed = ", ".join(repr(f) for f in forms)
    return _Parsed(
        reason="invalid_date",
        message=f"date {text!r} fits none of the mapping's date forms ({listed}); correct the "
        "value, or add its form under [dates] format in the mapping",
    )


def _check_date(text: str, p: _Parsed, today: dt.date) -> tuple[str, str] | None:
    y, m, d = p.y, p.m, p.d
    if y < 1900:
        return "invalid_date", f"date {text!r} has year {y}; check the year (dates from 1900 on)"
    if not 1 <= m <= 12:
        return (
            "impossible_date",
            f"date {text!r} has month {m}, which does not exist; dates are read day first "
            "(dd.mm.yyyy or dd/mm/yyyy) - if this file writes the month first, declare "
            '[dates] order = "month_first" in the mapping',
        )
    last = calendar.monthrange(y, m)[1]
    if not 1 <= d <= last:
        return (
            "impossible_date",
            f"date {text!r} does not exist: {calendar.month_name[m]} {y} has {last} days; "
            "correct the day",
        )
    if p.weekday is not None and dt.date(y, m, d).isoweekday() != p.weekday:
        return (
            "impossible_date",
            f"date {text!r} names a {calendar.day_name[p.weekday - 1]}, but "
            f"{dt.date(y, m, d).isoformat()} is a {calendar.day_name[dt.date(y, m, d).weekday()]}"
            "; check the day, the month and their order",
        )
    if dt.date(y, m, d) > today:
        return (
            "future_date",
            f"date {text!r} lies in the future (today is {today.isoformat()}); check the year",
        )
    return None


def _proves(p: _Parsed) -> str | None:
    """The order a numeric date proves by itself: a part above 12, or its weekday."""
    if p.ab is None:
        return None
    a, b = p.ab
    if a > 12 >= b:
        return "day_first"
    if b > 12 >= a:
        return "month_first"
    if p.weekday is not None and a != b:
        fits = []
        for order, (d, m) in (("day_first", (a, b)), ("month_first", (b, a))):
            try:
                if dt.date(p.y, m, d).isoweekday() == p.weekday:
                    fits.append(order)
            except ValueError:
                pass
        if len(fits) == 1:
            return fits[0]
    return None


def _why(p: _Parsed, order: str) -> str:
    """Why a value proves ``order`` when no part is above 12: its weekday."""
    if p.ab is None or max(p.ab) > 12 or p.weekday is None:
        return ""
    a, b = p.ab
    d, m = (a, b) if order == "day_first" else (b, a)
    return f": its {calendar.day_name[p.weekday - 1]} fits only {d} {calendar.month_name[m]}"


def _order_problems(
    values: list[str], parsed: list[_Parsed], order: str, declared: bool, column: str
) -> dict[int, tuple[str, str]]:
    """Problems of numeric dates whose column proves another order (or both orders)."""
    proofs: dict[str, int] = {}
    for i, p in enumerate(parsed):
        proven = _proves(p)
        if proven is not None:
            proofs.setdefault(proven, i)
    other = "month_first" if order == "day_first" else "day_first"
    if other not in proofs:
        return {}
    words = {"day_first": "day first", "month_first": "month first"}
    how = "as the mapping declares" if declared else "the default when the mapping declares none"
    ex_other = values[proofs[other]]
    out: dict[int, tuple[str, str]] = {}
    if order in proofs:
        ex_own = values[proofs[order]]
        msg = (
            f"column {column!r} mixes date orders: {ex_own!r} can only be {words[order]} and "
            f"{ex_other!r} only {words[other]}, so a date such as this one cannot be read "
            "safely; correct the file so that the column writes one order"
        )
        for i, p in enumerate(parsed):
            if p.ab is not None and (
                _proves(p) == other or (p.ab[0] != p.ab[1] and _proves(p) is None)
            ):
                out[i] = ("invalid_date", msg)
        return out
    msg = (
        f"column {column!r} writes dates {words[other]} ({ex_other!r} cannot be "
        f"{words[order]}{_why(parsed[proofs[other]], other)}), but they are read {words[order]} "
        f"({how}); every numeric date of the column would be misread; declare [dates] "
        f'order = "{other}" in the mapping'
    )
    for i, p in enumerate(parsed):
        if p.ab is not None:
            out[i] = ("invalid_date", msg)
    return out


def parse_dates(
    text: pd.Series,
    *,
    forms: tuple[str, ...] = (),
    order: str | None = None,
    column: str = "date",
    notes: list[str] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parse dates once per distinct value.

    Parameters
    ----------
    text
        The date texts (missing stays missing).
    forms
        strftime forms declared by the mapping, tried in order (empty: the automatic forms).
    order
        ``"day_first"`` or ``"month_first"`` for numeric dates (None: from the forms, else
        day first).
    column
        The column's name, for messages.
    notes
        When given, a line is appended saying how many dates were read with a two-digit year
        and the pivot used (nothing when none was).

    Returns
    -------
    tuple of numpy.ndarray
        datetime64[ns] values, precision (object), reason (object, None when fine) and message
        (object), all aligned with ``text``.

    Examples
    --------
    >>> s = pd.Series(["30. decembar 2019.", "December 30, 2019", "13/01/2020"])
    >>> parse_dates(s)[0].astype("datetime64[D]").astype(str).tolist()
    ['2019-12-30', '2019-12-30', '2020-01-13']
    >>> parse_dates(pd.Series(["01/13/2020", "01/02/2020"]))[2].tolist()
    ['invalid_date', 'invalid_date']
    """
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    today = dt.date.today()
    k = len(uniques)
    read_order, declared = declared_order(forms, order)
    values = [str(v) for v in uniques]
    parsed = [_with_forms(v, forms) if forms else _auto(v, read_order) for v in values]
    by_order = _order_problems(values, parsed, read_order, declared, column)
    dates = np.full(k + 1, np.datetime64("NaT"), dtype="datetime64[ns]")
    prec = np.full(k + 1, None, dtype=object)
    reason = np.full(k + 1, None, dtype=object)
    message = np.full(k + 1, None, dtype=object)
    for i, (value, p) in enumerate(zip(values, parsed, strict=True)):
        problem = (p.reason, p.message) if p.reason else by_order.get(i)
        if problem is None:
            problem = _check_date(value, p, today)
        if problem:
            reason[i], message[i] = problem
            continue
        dates[i] = np.datetime64(dt.date(p.y, p.m, p.d), "ns")
        prec[i] = p.precision
    if notes is not None:
        _note_pivot(notes, values, parsed, reason, codes, column, today)
    return dates[codes], prec[codes], reason[codes], message[codes]


def _note_pivot(
    notes: list[str],
    values: list[str],
    parsed: list[_Parsed],
    reason: np.ndarray,
    codes: np.ndarray,
    column: str,
    today: dt.date,
) -> None:
    """Say how many dates were read with a two-digit year, and by which pivot."""
    used = np.array([p.two_digit and reason[i] is None for i, p in enumerate(parsed)] + [False])
    rows = int(used[codes].sum())
    if not rows:
        return
    first = int(np.flatnonzero(used)[0])
    p, pivot = parsed[first], today.year % 100
    notes.append(
        f"{rows:,} date(s) of column {column!r} have two-digit years, read with the pivot "
        f"{pivot:02d}: 00-{pivot:02d} -> 20yy, {pivot + 1:02d}-99 -> 19yy "
        f"(e.g. {values[first]!r} -> {dt.date(p.y, p.m, p.d).isoformat()}); if that is wrong, "
        "write the years in full"
    )
