"""routes._pdcompat: a text column taken by rows is the column pandas would make of the rows."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from routes._pdcompat import STR, take_text

VALUES = st.one_of(
    st.text(max_size=6),
    st.none(),
    st.just(math.nan),
    st.integers(-5, 5),
    st.floats(allow_nan=False, width=32),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(VALUES, max_size=12),
    st.sampled_from(["object", "str", "mostly text"]),
    st.data(),
)
def test_taken_text_is_what_pandas_makes_of_the_rows(
    values: list[object], kind: str, data: st.DataObject
) -> None:
    if kind == "mostly text":  # text and missing values only: converted once, then taken
        values = [v if v is None or isinstance(v, str) else None for v in values]
    column = pd.Series(np.array(values, dtype=object))
    if kind == "str":
        column = column.map(lambda v: v if isinstance(v, str) else None).astype(STR)
    rows = np.asarray(
        data.draw(st.lists(st.integers(0, max(len(values) - 1, 0)), max_size=20)) if values else [],
        dtype=np.int64,
    )
    new = pd.DataFrame({"c": take_text(column, rows)})["c"]
    old = pd.DataFrame({"c": column.to_numpy()[rows]})["c"]
    assert new.dtype == old.dtype
    assert new.equals(old)
