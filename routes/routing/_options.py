"""Routing options: checks, closed crossings, the rail variant of a profile, the logit.

Private; the public doors are in :mod:`routes.routing.api`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from routes._errors import Problem, ValidationError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from routes.routing._engine import GraphIndex
    from routes.routing.profiles import CostProfile

__all__ = ["check_options", "closed_nodes", "logit", "logit_groups", "rail_variant"]


def rail_variant(profile: CostProfile) -> CostProfile:
    """The profile for trips by train: rail edges at factor 1 unless the profile sets one."""
    from dataclasses import replace

    mf = dict(profile.mode_factors)
    if math.isinf(mf.get("rail", 1.0)):
        mf["rail"] = 1.0
    return replace(profile, mode_factors=mf)


def check_options(k: Any, theta: Any, max_stretch: Any) -> None:
    """Raise one ValidationError listing every bad routing option (k, theta, max_stretch)."""
    problems = []
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        problems.append(f"k={k!r} must be an integer >= 1 (1 = best route only; default 3)")
    if not isinstance(theta, (int, float)) or not math.isfinite(theta) or theta < 0:
        problems.append(f"theta={theta!r} must be a finite number >= 0 (default 25.0)")
    if not isinstance(max_stretch, (int, float)) or not (max_stretch >= 1.0):
        problems.append(f"max_stretch={max_stretch!r} must be a number >= 1 (default 1.5)")
    if problems:
        raise ValidationError([Problem(p) for p in problems])


def closed_nodes(index: GraphIndex, closed: Sequence[str]) -> tuple[list[int], tuple[str, ...]]:
    """Node positions and normalised ids of the crossings to close; unknown ids are an error."""
    import difflib

    if isinstance(closed, str):
        closed = [closed]
    nodes, ids, problems = [], [], []
    for c in closed:
        cid = str(c).strip().upper()
        if cid in index.crossing_node:
            nodes.append(index.crossing_node[cid])
            ids.append(cid)
        else:
            close = difflib.get_close_matches(cid, list(index.crossing_node), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            problems.append(
                f"crossing {c!r} to close is not a crossing_id of the network{hint} "
                "(see routes.load_crossings())"
            )
    if problems:
        raise ValidationError([Problem(p) for p in problems])
    return nodes, tuple(ids)


def logit(costs: np.ndarray, theta: float) -> np.ndarray:
    """Multinomial-logit probabilities on relative cost (best first)."""
    c = np.asarray(costs, dtype=float)
    if len(c) == 1:
        return np.ones(1)
    if theta == 0:  # uniform (also beside a path of cost 0: not 0 × inf)
        return np.full(len(c), 1.0 / len(c))
    c0 = c.min()
    rel = (c - c0) / c0 if c0 > 0 else np.where(c > c0, np.inf, 0.0)
    w = np.exp(-theta * rel)
    return w / w.sum()


def logit_groups(costs: np.ndarray, sizes: np.ndarray, theta: float) -> np.ndarray:
    """:func:`logit` of consecutive groups of ``costs`` (``sizes``: the length of each, >= 1),
    as one array: the same numbers, computed for all groups at once.

    >>> logit_groups(np.array([10.0, 11.0, 5.0]), np.array([2, 1]), 10.0).round(4).tolist()
    [0.7311, 0.2689, 1.0]
    """
    c = np.asarray(costs, dtype=float)
    if not len(c):
        return np.zeros(0)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    group = np.repeat(np.arange(len(sizes)), sizes)
    c0 = np.minimum.reduceat(c, starts)[group]
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(c0 > 0, (c - c0) / c0, np.where(c > c0, np.inf, 0.0))
    w = np.exp(-theta * rel) if theta != 0 else np.ones(len(c))
    w[(sizes == 1)[group]] = 1.0  # a group of one: probability 1 (as logit)
    # each group's sum added in numpy's own order for short arrays (0 + w0 + w1 + ...; not
    # np.add.reduceat, whose order differs in the last bit); longer groups one by one
    total = np.zeros(len(sizes))
    for j in range(min(int(sizes.max()), 7)):
        has = sizes > j
        total[has] += w[starts[has] + j]
    for g in np.flatnonzero(sizes > 7).tolist():  # pragma: no cover - k > 7 alternatives
        total[g] = w[starts[g] : starts[g] + sizes[g]].sum()
    return w / total[group]
