"""The number parser's two paths read every text to the same float (hypothesis).

``routes.incidents._parsers.to_float`` reads a text column of plain numbers with Arrow's cast
and everything else (decimal commas, degree signs, spaces, words) with ``pd.to_numeric`` after
a clean-up; both must give the same numbers and the same "not a number" mask for any column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from fixtures.fuzz import FUZZ
from hypothesis import given
from hypothesis import strategies as st

from routes._pdcompat import STR
from routes.incidents._parsers import _plain_floats, to_float


def _general(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The clean-up path alone (what every column went through before the fast path)."""
    t = s.str.replace(",", ".", regex=False).str.replace("°", "", regex=False)
    num = pd.to_numeric(t, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return num, s.notna().to_numpy() & np.isnan(num)


_plain = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.floats(min_value=-90, max_value=90).map(lambda x: f"{x:.5f}"),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(places=8, allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(
        ["1e3", "-2.5E-3", "+4", ".5", "5.", "inf", "-inf", "+inf", "Infinity", "nan", "-nan"]
    ),
)
_messy = st.one_of(
    _plain.map(lambda t: t.replace(".", ",")),
    _plain.map(lambda t: f" {t} "),
    _plain.map(lambda t: t + "°"),
    st.sampled_from(["", "n/a", "42.1 N", "1_000", "0x10", "4,2,1", "--1"]),
    st.text(max_size=6),
)


@FUZZ
@given(st.lists(st.one_of(_plain, _messy, st.none()), max_size=40))
def test_both_paths_read_the_same_numbers(values: list[str | None]) -> None:
    s = pd.Series(values, dtype=STR)
    got_num, got_bad = to_float(s)
    want_num, want_bad = _general(s)
    np.testing.assert_array_equal(got_num, want_num)  # NaN == NaN here, -0.0 == 0.0 too
    assert np.array_equal(np.signbit(got_num), np.signbit(want_num))
    assert got_bad.tolist() == want_bad.tolist()


@FUZZ
@given(st.lists(st.one_of(_plain, st.none()), min_size=1, max_size=40))
def test_plain_numbers_take_the_arrow_path(values: list[str | None]) -> None:
    fast = _plain_floats(pd.Series(values, dtype=STR))
    assert fast is not None  # the fast path is really used for plain numbers
    np.testing.assert_array_equal(fast, _general(pd.Series(values, dtype=STR))[0])


def test_other_texts_take_the_general_path() -> None:
    for value in ("41,5", " 41.5", "41.5°", "x"):
        assert _plain_floats(pd.Series([value], dtype=STR)) is None, value
    assert _plain_floats(pd.Series(["41.5"], dtype=object)) is None  # not Arrow text
