"""Route the distinct sequences, then spread each incident over its paths.

Private. Every incident has one or more *entries* ``(sequence, weight, candidate)``: a record
with a route has one entry of weight 1; an incident whose missing legs were inferred has one
entry per candidate (see :mod:`routes.routing._infer`). An entry's weight is spread over the
sequence's alternatives by their logit probabilities, so an incident's probabilities always sum
to 1 and every expected count stays a sum of probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from routes._io import progress_bar
from routes.routing._options import logit_groups
from routes.routing._router import PathRec, Router

if TYPE_CHECKING:
    from collections.abc import Callable

    from routes.routing._engine import Engine, GraphIndex
    from routes.routing._sequences import Sequences

#: The engine variants, in the order their routers are prepared (rail: trips by train).
VARIANTS = ("road", "rail")
#: The rule prefix of a waypoint inferred by the model of missing legs.
INFERRED_RULE = "infer_"

__all__ = [
    "INFERRED_RULE",
    "VARIANTS",
    "Entries",
    "Routed",
    "assignment_table",
    "path_tables",
    "route_sequences",
]


@dataclass
class Routed:
    """The paths of every sequence (``start[s] : start[s] + count[s]``) and their logit."""

    paths: list[PathRec]
    start: np.ndarray
    count: np.ndarray
    reason: list[str | None]
    prob: np.ndarray


@dataclass
class Entries:
    """Incident -> (sequence, weight, candidate) rows, sorted by incident then candidate."""

    incident: np.ndarray
    sequence: np.ndarray  # -1: none
    weight: np.ndarray
    candidate: np.ndarray
    inferred: np.ndarray  # bool: the sequence has a leg inferred by the model


def route_sequences(
    seqs: Sequences,
    engines: Callable[[str], Engine],
    *,
    k: int,
    theta: float,
    max_stretch: float,
    progress: bool,
) -> Routed:
    """Route every distinct sequence once: plans, reverse trees, then paths and alternatives."""
    sequences, seq_variant = seqs.waypoints, seqs.variant
    routers = {}
    for variant in VARIANTS:
        mine = [sq for sq, v in zip(sequences, seq_variant, strict=True) if v == variant]
        if mine:
            eng = engines(variant)
            routers[variant] = Router(eng, k=k, theta=theta, max_stretch=max_stretch)
            routers[variant].prepare(mine)
    plans = [routers[seq_variant[sid]].plan(sequences[sid]) for sid in range(len(sequences))]
    for variant, router in routers.items():
        router.targets(
            [
                (ch[i], ch[i + 1])
                for (ch, _), v in zip(plans, seq_variant, strict=True)
                if ch is not None and v == variant
                for i in range(len(ch) - 1)
            ]
        )
    paths: list[PathRec] = []
    seq_paths: list[tuple[int, int]] = []  # (first path position, count)
    seq_reason: list[str | None] = []
    iterator: Any = range(len(sequences))
    if progress:
        iterator = progress_bar(iterator, desc="routing sequences", unit="seq")
    for sid in iterator:
        chosen, reason = plans[sid]
        recs = None
        if chosen is not None:
            recs, reason = routers[seq_variant[sid]].build(sequences[sid], chosen)
        if recs is None:
            seq_paths.append((len(paths), 0))
            seq_reason.append(reason)
            continue
        for rec in recs:
            rec.sequence_id = sid
        seq_paths.append((len(paths), len(recs)))
        seq_reason.append(None)
        paths.extend(recs)
    counts = np.fromiter((c for _, c in seq_paths), dtype=np.int64, count=len(seq_paths))
    costs = np.fromiter((p.cost for p in paths), dtype=float, count=len(paths))
    prob = logit_groups(costs, counts[counts > 0], theta)
    return Routed(
        paths,
        np.array([s for s, _ in seq_paths] + [0], dtype=np.int64),
        np.array([c for _, c in seq_paths] + [0], dtype=np.int64),
        seq_reason,
        prob,
    )


def assignment_table(
    entries: Entries, routed: Routed, n: int, reasons: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray]:
    """Assignments (incident, candidate, alternative, path_id, probability, inferred).

    ``reasons`` holds the reason of the incidents known to be unrouted (None elsewhere); the
    returned copy adds the routing failure of the incidents none of whose entries routed.
    Weights are renormalised over the entries that routed.
    """
    n_seq = len(routed.reason)
    seq_safe = np.where(entries.sequence >= 0, entries.sequence, n_seq)
    cnt = routed.count[seq_safe]
    ok = cnt > 0
    total = np.bincount(entries.incident[ok], weights=entries.weight[ok], minlength=n)
    w = np.where(ok, entries.weight / np.where(total > 0, total, 1.0)[entries.incident], 0.0)
    inc_rep = np.repeat(entries.incident, cnt)
    offs = np.arange(len(inc_rep)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    ppos = np.repeat(routed.start[seq_safe], cnt) + offs
    ent_rep = np.repeat(np.arange(len(cnt)), cnt)
    assignments = pd.DataFrame(
        {
            "incident": inc_rep.astype(np.int64),
            "alternative": offs.astype(np.int64),
            "path_id": ppos.astype(np.int64),
            "probability": (w[ent_rep] * routed.prob[ppos]) if len(ppos) else np.zeros(0),
            "candidate": entries.candidate[ent_rep].astype(np.int64),
            "inferred": entries.inferred[ent_rep].astype(bool),
        }
    )
    out = reasons.copy()
    routed_inc = np.zeros(n, dtype=bool)
    routed_inc[entries.incident[ok]] = True
    seq_r = np.asarray([*routed.reason, None], dtype=object)
    # the first entry of each incident carries the routing failure
    first = np.full(n, -1, dtype=np.int64)
    if len(entries.incident):
        pos = np.flatnonzero(np.r_[True, entries.incident[1:] != entries.incident[:-1]])
        first[entries.incident[pos]] = pos
    need = (out == None) & ~routed_inc & (first >= 0)  # noqa: E711
    out[need] = seq_r[seq_safe[first[need]]]
    return assignments, out


def path_tables(
    index: GraphIndex, paths: list[PathRec], seqs: Sequences
) -> tuple[pd.DataFrame, pd.DataFrame, dict[int, np.ndarray]]:
    """Path attributes (no geometry: it is built on demand), legs and edge lists.

    ``inferred`` marks the paths of sequences with a waypoint inferred by the model of missing
    legs (:mod:`routes.routing._infer`) and the legs that start or end at one.
    """
    seq_inferred = np.asarray(
        [any(w.rule.startswith(INFERRED_RULE) for w in wps) for wps in seqs.waypoints] + [False],
        dtype=bool,
    )
    n = len(paths)
    lens = np.fromiter((p.n_edges for p in paths), dtype=np.int64, count=n)
    parts = [part for p in paths for part in p.parts]
    flat = (
        np.concatenate(parts).astype(np.int64, copy=False) if parts else np.zeros(0, dtype=np.int64)
    )
    ends = np.cumsum(lens).tolist()
    edges_of = {
        pid: flat[end - size : end]
        for pid, (end, size) in enumerate(zip(ends, lens.tolist(), strict=True))
    }
    info = pd.DataFrame(
        {
            "path_id": np.arange(n, dtype=np.int64),
            "sequence_id": np.fromiter((p.sequence_id for p in paths), np.int64, count=n),
            "alternative": np.fromiter((p.alternative for p in paths), np.int64, count=n),
            "cost": np.fromiter((p.cost for p in paths), float, count=n),
            "length_m": _path_sums(index.length_m, flat, lens),
            "travel_time_s": _path_sums(index.travel_time_s, flat, lens),
            "green_border": _path_sums(index.green_border, flat, lens) > 0,
            "start_node": np.fromiter((max(p.node, 0) for p in paths), np.int64, count=n),
        }
    )
    info["inferred"] = seq_inferred[info["sequence_id"].to_numpy()]
    n_legs = np.fromiter((len(p.legs) for p in paths), dtype=np.int64, count=n)
    rows = [leg for p in paths for leg in p.legs]
    cols = list(zip(*rows, strict=True)) if rows else [()] * 7
    legs = pd.DataFrame(
        {
            "path_id": np.repeat(np.arange(n, dtype=np.int64), n_legs),
            "leg": np.array(cols[0], dtype=np.int64),
            "start": list(cols[1]),
            "end": list(cols[2]),
            "status": list(cols[3]),
            "rule": list(cols[4]),
            "edge_start": np.array(cols[5], dtype=np.int64),
            "edge_stop": np.array(cols[6], dtype=np.int64),
        }
    )
    legs["inferred"] = legs["rule"].astype(str).str.contains(INFERRED_RULE, regex=False)
    return info, legs, edges_of


def _path_sums(values: np.ndarray, flat: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Per path, the sum of ``values`` over its edges, added in edge order (``bincount``).

    ``flat`` holds the edges of all paths in a row. Done a thousand paths at a time: the
    temporaries then stay small enough for the allocator to reuse, where arrays the size of
    every edge of every path (~2 million at 1e4 incidents) would each be fresh memory.
    """
    n = len(lens)
    out = np.zeros(n)
    ends = np.cumsum(lens)
    step = 1024
    for p0 in range(0, n, step):
        p1 = min(p0 + step, n)
        e0 = int(ends[p0 - 1]) if p0 else 0
        e1 = int(ends[p1 - 1]) if p1 else 0
        owner = np.repeat(np.arange(p1 - p0, dtype=np.intp), lens[p0:p1])
        out[p0:p1] = np.bincount(owner, weights=values[flat[e0:e1]], minlength=p1 - p0)
    return out
