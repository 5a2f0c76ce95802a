"""The router's batched look-ups equal its one-leg look-ups (the speed work of issue 24)."""

from __future__ import annotations

import numpy as np
import pytest

import routes
from routes.routing._index import graph_index
from routes.routing._router import Router


@pytest.fixture(scope="module")
def router() -> tuple[Router, list[tuple[int, int]]]:
    """A k=3 router on the bundled network with trees for 40 starts and 60 ends."""
    ix = graph_index(routes.load_network())
    eng = ix.engine(routes.get_profile("least_time"))
    rng = np.random.default_rng(24)
    road = np.flatnonzero(ix.on_road & ~ix.is_official)
    starts = rng.choice(road, 40, replace=False).tolist()
    ends = rng.choice(road, 60, replace=False).tolist()
    r = Router(eng, k=3, theta=1.0, max_stretch=1.5)
    from routes.routing._waypoints import Waypoint

    seqs = [
        [Waypoint(str(a), (a,), "seizure", str(a)), Waypoint(str(b), (b,), "seizure", str(b))]
        for a in starts
        for b in ends
    ]
    r.prepare(seqs)
    legs = sorted({(a, b) for a in starts for b in ends if a != b})
    r.engine.watch(r._via_exit, reverse=True)
    r.engine.ensure_trees({b for _, b in legs}, reverse=True)
    r._via_exit_col = r.engine.col(reverse=True)[r._via_exit]
    return r, legs


def test_batched_candidates_equal_the_one_leg_candidates(router) -> None:
    r, legs = router
    batch = r._candidates_many(legs, chunk=7)  # several chunks, one of them short
    assert len(batch) >= 0.9 * len(legs)  # nearly every leg has a finite best cost
    for a, b in legs:
        best = float(r.engine.dist(a)[r._fcol[b]])
        if not np.isfinite(best):
            assert (a, b) not in batch
            continue
        want_idx, want_cost = r._candidates(a, b, best)
        got_idx, got_cost = batch[(a, b)]
        assert got_idx.tolist() == want_idx.tolist()
        assert got_cost.tolist() == want_cost.tolist()  # the same floats
    assert any(len(batch[leg][0]) for leg in batch)  # some leg has alternatives to try
