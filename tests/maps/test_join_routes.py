"""Joining a result's route alternatives to the map's incidents (routes.maps._route_tables).

The join is array work over ~10⁶ assignment rows: a positional join when the result's incidents
are the map's (in the same order), a look-up of the ids otherwise, runs of rows put in map order
before one sort, path codes by first appearance. Each is checked here against a row-by-row
reference written for clarity, on results drawn by hypothesis.
"""

from __future__ import annotations

import math
import types
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routes._errors import ValidationError
from routes.maps._route_tables import IncidentRoutes, _first_seen, _map_order, join_routes

IDS = [f"i{k}" for k in range(8)]


def reference(ids: list[str], rows: pd.DataFrame) -> dict[str, Any]:
    """Per map position (ids in map order) its rows by alternative (stable), row by row.

    ``rows``: incident_id, alt, path_id, prob, evidence; a row without a path is left out.
    """
    count, picked = [], []
    for iid in ids:
        mine = [r for r in rows.itertuples(index=False) if r.incident_id == iid]
        mine = [r for r in mine if r.path_id is not None and not pd.isna(r.path_id)]
        mine.sort(key=lambda r: r.alt)  # stable: equal alternatives keep the rows' order
        count.append(len(mine))
        picked.extend(mine)
    codes: dict[Any, int] = {}
    path = [codes.setdefault(r.path_id, len(codes)) for r in picked]
    prob = [0.0 if math.isnan(r.prob) else r.prob for r in picked]
    return {
        "count": count,
        "path": path,
        "prob": [int(np.clip(np.round(p * 65535), 0, 65535)) for p in prob],
        "path_ids": list(codes),
        "evidence": [int(r.evidence) for r in picked],
    }


def as_lists(j: IncidentRoutes) -> dict[str, Any]:
    assert j.count.dtype == j.path.dtype == j.prob.dtype == np.int64
    assert j.evidence.dtype == np.int8
    return {
        "count": j.count.tolist(),
        "path": j.path.tolist(),
        "prob": j.prob.tolist(),
        "path_ids": list(j.path_ids),
        "evidence": j.evidence.tolist(),
    }


@st.composite
def results(draw: st.DrawFn) -> dict[str, Any]:
    """A compact result (incidents, assignments, evidence classes) and a map of incidents."""
    n_res = draw(st.integers(0, 6))
    res_ids = draw(st.permutations(IDS))[:n_res]
    n_rows = draw(st.integers(0, 14)) if n_res else 0
    inc = draw(st.lists(st.integers(0, max(n_res - 1, 0)), min_size=n_rows, max_size=n_rows))
    if draw(st.booleans()):  # route_incidents' order: by incident
        inc = sorted(inc)
    rows = pd.DataFrame(
        {
            "incident": np.asarray(inc, dtype=np.int64),
            "alternative": np.asarray(
                draw(st.lists(st.integers(0, 3), min_size=n_rows, max_size=n_rows)),
                dtype=np.int64,
            ),
            "path_id": np.asarray(
                draw(st.lists(st.integers(0, 40), min_size=n_rows, max_size=n_rows)),
                dtype=np.int64,
            ),
            "probability": draw(
                st.lists(
                    st.one_of(st.floats(0, 1), st.just(math.nan)), min_size=n_rows, max_size=n_rows
                )
            ),
        }
    )
    rows["probability"] = rows["probability"].astype(float)
    rows["candidate"] = 0
    rows["inferred"] = False
    classes = np.asarray(
        draw(st.lists(st.integers(0, 2), min_size=n_rows, max_size=n_rows)), dtype=np.int8
    )
    result = types.SimpleNamespace(
        incidents=pd.DataFrame({"incident_id": res_ids}), assignments=rows
    )
    if draw(st.booleans()):  # the map of the incidents routed (a positional join)
        map_ids = list(res_ids)
    else:  # some of them, others, in any order
        map_ids = draw(st.lists(st.sampled_from(IDS), unique=True, max_size=8))
    order = np.asarray(draw(st.permutations(range(len(map_ids)))), dtype=np.int64)
    return {"result": result, "classes": classes, "map_ids": map_ids, "order": order}


def _rows(result: Any, classes: np.ndarray) -> pd.DataFrame:
    a = result.assignments
    ids = result.incidents["incident_id"].to_numpy()
    return pd.DataFrame(
        {
            "incident_id": ids[a["incident"].to_numpy()] if len(a) else [],
            "alt": a["alternative"],
            "path_id": a["path_id"].astype(object),
            "prob": a["probability"],
            "evidence": classes,
        }
    )


@settings(max_examples=300, deadline=None)
@given(results())
def test_join_equals_the_row_by_row_reference(case: dict[str, Any]) -> None:
    result, classes, order = case["result"], case["classes"], case["order"]
    incidents = pd.DataFrame({"incident_id": case["map_ids"]})
    got = join_routes(incidents, result, order, classes=classes)
    in_map_order = [case["map_ids"][i] for i in order]
    assert as_lists(got) == reference(in_map_order, _rows(result, classes))


@settings(max_examples=150, deadline=None)
@given(results())
def test_a_routes_table_joins_as_the_compact_tables(case: dict[str, Any]) -> None:
    # a result with only a routes table (incident_id per row): the join by id
    result, classes, order = case["result"], case["classes"], case["order"]
    rows = _rows(result, classes)
    routes_only = types.SimpleNamespace(
        routes=pd.DataFrame(
            {
                "incident_id": rows["incident_id"],
                "alternative": rows["alt"],
                "path_id": rows["path_id"].astype("Int64"),
                "probability": rows["prob"],
                "inferred": classes > 0,
            }
        )
    )
    incidents = pd.DataFrame({"incident_id": case["map_ids"]})
    got = as_lists(join_routes(incidents, routes_only, order))
    want = reference([case["map_ids"][i] for i in order], rows.assign(evidence=classes > 0))
    assert got == want


def test_map_order_keeps_the_order_of_equal_keys() -> None:
    # rows of positions 1, 0, 1, 0 in runs; alternatives out of order within a run
    pos = np.array([1, 1, 1, 0, 0, 1, -1, 0])
    alt = np.array([1, 0, 0, 2, 0, 1, 0, 0])
    keep = pos >= 0
    want = sorted(np.flatnonzero(keep).tolist(), key=lambda i: (pos[i], alt[i]))
    assert _map_order(pos, alt, keep).tolist() == want == [4, 7, 3, 1, 2, 0, 5]


@pytest.mark.parametrize(
    "values",
    [
        pd.Series([5, 3, 5, 9, 3, 0], dtype=np.int64),
        pd.Series([10**12, 3, 10**12], dtype=np.int64),  # sparse: pandas' factorize
        pd.Series([7, None, 7, 2], dtype="Int64"),
        pd.Series(["b", "a", "b"]),
        pd.Series([], dtype=np.int64),
    ],
)
def test_first_seen_numbers_as_pandas_factorize(values: pd.Series) -> None:
    picked = np.flatnonzero(values.notna().to_numpy())[::-1]
    codes, uniques = _first_seen(values, picked)
    want_codes, want_uniques = pd.factorize(values.iloc[picked], sort=False)
    assert codes.dtype == np.int64
    assert codes.tolist() == want_codes.tolist()
    assert uniques == list(want_uniques)
    assert [type(u) for u in uniques] == [type(u) for u in list(want_uniques)]


def test_duplicate_ids_are_named_in_map_order() -> None:
    result = types.SimpleNamespace(
        incidents=pd.DataFrame({"incident_id": ["a", "b", "a"]}),
        assignments=pd.DataFrame(
            {"incident": [0], "alternative": [0], "path_id": [0], "probability": [1.0]}
        ),
    )
    incidents = pd.DataFrame({"incident_id": ["a", "b", "a"]})
    with pytest.raises(ValidationError, match=r"incident_id 'a' occurs more than once"):
        join_routes(incidents, result, np.array([2, 1, 0]), classes=np.zeros(1, np.int8))
