"""The rows of inferred legs: the picks of each target key expanded to its incidents.

Split from :mod:`routes.routing._infer`, which chooses the picks; here they become the
assignment entries and the rows of ``RouteResult.candidates``, by array work.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from routes.routing._assign import Entries

__all__ = ["CANDIDATE_COLUMNS", "expand_picks"]


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
) -> tuple[Entries, pd.DataFrame]:
    """Entries and candidate rows of the target incidents from the picks of their keys.

    ``chosen[r]`` are the picks of key ``t_keys[r]``; ``ends_of(r, pick)`` its four end
    columns. Rows come by incident (in ``tgt`` order), then by pick rank.
    """
    npick = np.fromiter((len(c) for c in chosen), dtype=np.int64, count=len(chosen))
    first = np.r_[0, np.cumsum(npick)[:-1]].astype(np.int64) if len(npick) else npick
    flat = [p for c in chosen for p in c]
    ends = [ends_of(r, p) for r, c in enumerate(chosen) for p in c]
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
        # same dtype as the whole column would infer, built from the few distinct rows
        return pd.Series(values).take(take).reset_index(drop=True)

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
