"""The rows of inferred legs: the picks of each target key expanded to its incidents.

Split from :mod:`routes.routing._infer`, which chooses the picks; here they become the
assignment entries and the rows of ``RouteResult.candidates``, by array work. Also the
(target key, donor) rows of the recorded-route kernel (:class:`PairRows`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from routes.routing._assign import Entries

__all__ = [
    "CANDIDATE_COLUMNS",
    "PairRows",
    "ScoreColumns",
    "expand_picks",
    "rank_candidates",
    "spans",
]


#: Columns of ``RouteResult.candidates``.
CANDIDATE_COLUMNS = (
    "incident",
    "candidate",
    "origin",
    "origin_country",
    "destination",
    "destination_country",
    "probability",
    "source",
)


def expand_picks(
    tgt: np.ndarray,
    tgt_key: np.ndarray,
    t_keys: np.ndarray,
    chosen: list[list[tuple[int, float, int, str]]],
    ends_of: Any,
    *,
    groups: list[int] | None = None,
) -> tuple[Entries, pd.DataFrame]:
    """Entries and candidate rows of the target incidents from the picks of their keys.

    ``chosen[r]`` are the picks of key ``t_keys[r]``; ``ends_of(r, pick)`` its four end
    columns, which depend on the pick and on the key's group ``groups[r]`` only. Keys of one
    group often share one list of picks (the same object): such a list is read, and its ends
    looked up, once. Rows come by incident (in ``tgt`` order), then by pick rank.
    """
    # the distinct (pick list, group) pairs, and the pair of each key
    pair_of: dict[tuple[int, int], int] = {}
    lists: list[list[tuple[int, float, int, str]]] = []
    reps: list[int] = []
    key_pair = np.empty(len(chosen), dtype=np.int64)
    for r, c in enumerate(chosen):
        pk = (id(c), groups[r] if groups is not None else r)
        j = pair_of.get(pk)
        if j is None:
            j = pair_of[pk] = len(lists)
            lists.append(c)
            reps.append(r)
        key_pair[r] = j
    npick_l = np.fromiter((len(c) for c in lists), dtype=np.int64, count=len(lists))
    first_l = np.r_[0, np.cumsum(npick_l)[:-1]].astype(np.int64) if len(lists) else npick_l
    flat = [p for c in lists for p in c]
    ends = [ends_of(r, p) for r, c in zip(reps, lists, strict=True) for p in c]
    npick, first = npick_l[key_pair], first_l[key_pair]
    pos = np.zeros(int(t_keys.max()) + 1 if len(t_keys) else 0, dtype=np.int64)
    pos[t_keys] = np.arange(len(t_keys))
    row = pos[tgt_key] if len(tgt_key) else np.zeros(0, dtype=np.int64)
    counts = npick[row]
    total = int(counts.sum())
    rank = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    take = np.repeat(first[row], counts) + rank
    inc = np.repeat(tgt.astype(np.int64), counts)
    sid = np.asarray([p[0] for p in flat], dtype=np.int64)
    prob = np.asarray([p[1] for p in flat], dtype=float)
    entries = Entries(
        incident=inc,
        sequence=sid[take] if total else np.zeros(0, dtype=np.int64),
        weight=prob[take] if total else np.zeros(0, dtype=float),
        candidate=rank,
        inferred=np.ones(total, dtype=bool),
    )
    if not total:
        return entries, pd.DataFrame([], columns=list(CANDIDATE_COLUMNS))

    def column(values: list[Any]) -> pd.Series:
        # the column of the picks (every pick is taken), then repeated per incident: the
        # same dtype as the whole column would infer, built from the few distinct rows (its
        # array taken: no index to take along)
        return pd.Series(pd.Series(values).array.take(take))

    table = pd.DataFrame(
        {
            "incident": inc,
            "candidate": rank,
            "origin": column([e[0] for e in ends]),
            "origin_country": column([e[1] for e in ends]),
            "destination": column([e[2] for e in ends]),
            "destination_country": column([e[3] for e in ends]),
            "probability": entries.weight,
            "source": column([p[3] for p in flat]),
        }
    )
    return entries, table


class PairRows:
    """The rows of ``near ⋈ targets on tnode ⋈ donors on dnode``, by position.

    Built once from the target rows' nodes and the donor rows' nodes; :meth:`rows` gives,
    for each near pair in order (target node ``near_t[p]``, donor node ``near_d[p]``), every
    target row at that node in its order and, within each, every donor row at the other in
    its order: the rows and the row order of the two inner merges, as three arrays (the near
    pair, the target row, the donor row of each row). Pairs whose node has no target or no
    donor give no rows.

    >>> p, ti, di = PairRows(np.array([7, 5, 5]), np.array([1, 2, 1])).rows(
    ...     np.array([5, 7]), np.array([1, 1]))
    >>> p.tolist(), ti.tolist(), di.tolist()
    ([0, 0, 0, 0, 1, 1], [1, 1, 2, 2, 0, 0], [0, 2, 0, 2, 0, 2])
    """

    def __init__(self, t_node: np.ndarray, d_node: np.ndarray) -> None:
        self.t_order = np.argsort(t_node, kind="stable")
        self.d_order = np.argsort(d_node, kind="stable")
        self.t_u, self.t_start, self.t_count = np.unique(
            t_node[self.t_order], return_index=True, return_counts=True
        )
        self.d_u, self.d_start, self.d_count = np.unique(
            d_node[self.d_order], return_index=True, return_counts=True
        )

    def rows(
        self, near_t: np.ndarray, near_d: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(near pair, target row, donor row) of every row (see the class docstring)."""
        if not len(self.t_u) or not len(self.d_u):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        tp = np.minimum(np.searchsorted(self.t_u, near_t), len(self.t_u) - 1)
        dp = np.minimum(np.searchsorted(self.d_u, near_d), len(self.d_u) - 1)
        hit = (self.t_u[tp] == near_t) & (self.d_u[dp] == near_d)
        tc = np.where(hit, self.t_count[tp], 0)
        dc = np.where(hit, self.d_count[dp], 1)
        rep = tc * dc
        pair = np.repeat(np.arange(len(near_t), dtype=np.int64), rep)
        k = np.arange(int(rep.sum()), dtype=np.int64) - np.repeat(np.cumsum(rep) - rep, rep)
        per = dc[pair]
        ti = self.t_order[self.t_start[tp][pair] + k // per]
        di = self.d_order[self.d_start[dp][pair] + k % per]
        return pair, ti.astype(np.int64), di.astype(np.int64)


def rank_candidates(
    rec: pd.DataFrame, priors_by_t: dict[int, dict[int, float]], strength: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The candidates of every target key that recorded routes score, ranked.

    ``rec``: columns t, cand, score (one row per pair); each key's prior probabilities are
    added with weight ``strength``: score = recorded + strength * prior (0 where absent),
    source "recorded" where the recorded part is at least the prior part. Returns t, cand,
    score and from-records (bool), sorted by t, then score descending, then cand: per key,
    the order of ``_combine`` in :mod:`routes.routing._infer`.

    >>> rec = pd.DataFrame({"t": [0, 0, 1], "cand": [4, 2, 4], "score": [1.0, 3.0, 0.5]})
    >>> t, c, s, r = rank_candidates(rec, {0: {4: 0.5}, 1: {7: 1.0}}, 2.0)
    >>> t.tolist(), c.tolist(), s.tolist(), r.tolist()
    ([0, 0, 1, 1], [2, 4, 7, 4], [3.0, 2.0, 2.0, 0.5], [True, True, False, True])
    """
    pt: list[int] = []
    pc: list[int] = []
    pv: list[float] = []
    for t in np.unique(rec["t"].to_numpy(np.int64)).tolist():
        prior = priors_by_t.get(t)
        if prior:
            pt.extend([t] * len(prior))
            pc.extend(prior)
            pv.extend(prior.values())
    both = pd.DataFrame(
        {
            "t": rec["t"].to_numpy(np.int64),
            "cand": rec["cand"].to_numpy(np.int64),
            "r": rec["score"].to_numpy(float),
        }
    ).merge(
        pd.DataFrame(
            {
                "t": np.asarray(pt, dtype=np.int64),
                "cand": np.asarray(pc, dtype=np.int64),
                "p": np.asarray(pv, dtype=float),
            }
        ),
        on=["t", "cand"],
        how="outer",
    )
    r = both["r"].fillna(0.0).to_numpy(float)
    p = strength * both["p"].fillna(0.0).to_numpy(float)
    score = r + p
    t_all, c_all = both["t"].to_numpy(np.int64), both["cand"].to_numpy(np.int64)
    order = np.lexsort((c_all, -score, t_all))
    return t_all[order], c_all[order], score[order], (r >= p)[order]


def spans(keys: np.ndarray) -> dict[int, tuple[int, int]]:
    """Key -> (start, stop) of each run of equal values in a sorted array.

    >>> spans(np.array([3, 3, 5, 8, 8, 8]))
    {3: (0, 2), 5: (2, 3), 8: (3, 6)}
    """
    if not len(keys):
        return {}
    cut = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1], True]).tolist()
    return {int(keys[a]): (a, b) for a, b in itertools.pairwise(cut)}


@dataclass(frozen=True)
class ScoreColumns:
    """The columns of targets (``*_t``, ``t``) and donors (``*_d``, ``cand``, ``count``) that
    score a pair; categories and jurisdictions as codes, ``blank`` the code of ``""``."""

    t: np.ndarray
    cat_t: np.ndarray
    jur_t: np.ndarray
    year_t: np.ndarray
    cand: np.ndarray
    count: np.ndarray
    cat_d: np.ndarray
    jur_d: np.ndarray
    year_d: np.ndarray
    blank: int
