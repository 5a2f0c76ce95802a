"""routes.routing._infer_rows.expand_picks: picks of keys to entries and candidate rows."""

from __future__ import annotations

import numpy as np

from routes.routing._infer_rows import CANDIDATE_COLUMNS, expand_picks


def _ends(calls: list[tuple[int, int]], groups: list[int]):
    def ends_of(r: int, pick: tuple[int, float, int, str]) -> tuple[str, str, str, str]:
        calls.append((r, pick[2]))
        return (f"o{pick[2]}g{groups[r]}", "AL", f"d{pick[2]}", "DE")

    return ends_of


def test_shared_pick_lists_are_read_once_per_group_and_rows_come_by_incident() -> None:
    shared = [(10, 0.75, 3, "prior"), (11, 0.25, 4, "prior")]
    own = [(12, 1.0, 5, "recorded")]
    chosen = [shared, own, shared, shared]  # keys 0, 2, 3 share one list; key 3 another group
    groups = [7, 7, 7, 8]
    calls: list[tuple[int, int]] = []
    tgt = np.array([100, 101, 102, 103])  # incidents, with the key of each
    tgt_key = np.array([2, 0, 1, 3])  # keys by their number t
    t_keys = np.array([0, 1, 2, 3])
    entries, table = expand_picks(tgt, tgt_key, t_keys, chosen, _ends(calls, groups), groups=groups)
    # the shared list of group 7 once, key 1's own list, the shared list of group 8 once
    assert calls == [(0, 3), (0, 4), (1, 5), (3, 3), (3, 4)]
    assert entries.incident.tolist() == [100, 100, 101, 101, 102, 103, 103]
    assert entries.sequence.tolist() == [10, 11, 10, 11, 12, 10, 11]
    assert entries.candidate.tolist() == [0, 1, 0, 1, 0, 0, 1]
    assert entries.weight.tolist() == [0.75, 0.25, 0.75, 0.25, 1.0, 0.75, 0.25]
    assert entries.inferred.all()
    assert list(table.columns) == list(CANDIDATE_COLUMNS)
    assert table["origin"].tolist() == ["o3g7", "o4g7", "o3g7", "o4g7", "o5g7", "o3g8", "o4g8"]
    assert table["source"].tolist() == ["prior"] * 4 + ["recorded"] + ["prior"] * 2


def test_without_groups_every_key_is_read_on_its_own() -> None:
    shared = [(1, 1.0, 0, "prior")]
    calls: list[tuple[int, int]] = []
    entries, table = expand_picks(
        np.array([5, 6]), np.array([0, 1]), np.array([0, 1]), [shared, shared], _ends(calls, [0, 1])
    )
    assert calls == [(0, 0), (1, 0)]
    assert table["origin"].tolist() == ["o0g0", "o0g1"]
    assert entries.incident.tolist() == [5, 6]


def test_no_picks_give_an_empty_table_with_the_columns() -> None:
    entries, table = expand_picks(
        np.array([1]), np.array([0]), np.array([0]), [[]], _ends([], [0]), groups=[0]
    )
    assert len(entries.incident) == 0
    assert list(table.columns) == list(CANDIDATE_COLUMNS)
    assert table.empty
