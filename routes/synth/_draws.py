"""Vectorised random draws of the synthetic generator (categorical, per-row, dates, jitter).

Every function takes the generator's ``numpy.random.Generator`` and draws in a fixed order, so
a seed always gives the same table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from routes.synth._facts import MONTH_WEIGHTS, YEAR_WEIGHTS
from routes.synth._templates import inside

__all__ = [
    "choice",
    "dates",
    "grouped_choice",
    "jitter",
    "pick",
    "quantities",
    "row_choice",
]


def choice(
    rng: np.random.Generator, n: int, p: np.ndarray | list[float] | tuple[float, ...]
) -> np.ndarray:
    """Vectorised categorical draw (indices) with probabilities ``p``."""
    cdf = np.cumsum(np.asarray(p, dtype=float))
    cdf /= cdf[-1]
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(cdf) - 1)


def grouped_choice(rng: np.random.Generator, group: np.ndarray, tables: np.ndarray) -> np.ndarray:
    """Per-row categorical draw where row i uses probability row ``tables[group[i]]``."""
    cdf = np.cumsum(tables, axis=1)
    cdf /= cdf[:, -1:]
    u = rng.random(len(group))
    rows = cdf[group]
    return np.minimum((rows < u[:, None]).sum(axis=1), tables.shape[1] - 1)


def pick(rng: np.random.Generator, options_by_key: dict[str, tuple[str, ...]], keys: np.ndarray):
    """Per row, a uniformly chosen string among the options of its key."""
    out = np.empty(len(keys), dtype=object)
    for key, opts in options_by_key.items():
        sel = np.flatnonzero(keys == key)
        if len(sel):
            out[sel] = np.asarray(opts, dtype=object)[rng.integers(0, len(opts), len(sel))]
    return out


def quantities(rng: np.random.Generator, category: np.ndarray) -> np.ndarray:
    """Quantity per row, by category (items; rounds for ammunition)."""
    n = len(category)
    q = np.ones(n, dtype=np.int64)

    def geom(sel: np.ndarray, p: float, cap: int) -> None:
        q[sel] = np.minimum(rng.geometric(p, sel.sum()), cap)

    geom(category == "pistol", 0.72, 8)
    geom(category == "revolver", 0.85, 3)
    geom(category == "rifle", 0.75, 4)
    geom(category == "shotgun", 0.8, 3)
    geom(category == "submachine_gun", 0.7, 5)
    geom(category == "machine_gun", 0.85, 3)
    geom(category == "converted_weapon", 0.55, 12)
    geom(category == "craft_or_3d_printed", 0.8, 4)
    geom(category == "rocket_launcher", 0.7, 6)
    geom(category == "other", 0.6, 10)
    geom(category == "explosives", 0.45, 25)
    geom(category == "parts_components", 0.2, 120)
    geom(category == "mortar_or_artillery_round", 0.3, 60)
    # automatic rifles: mostly 1-3, with occasional caches of 10-40 from 1990s stockpiles
    sel = category == "automatic_rifle"
    q[sel] = np.minimum(rng.geometric(0.6, sel.sum()), 6)
    cache = sel & (rng.random(n) < 0.03)
    q[cache] = rng.integers(10, 41, cache.sum())
    sel = category == "hand_grenade"
    q[sel] = np.minimum(rng.geometric(0.45, sel.sum()), 12)
    cache = sel & (rng.random(n) < 0.03)
    q[cache] = rng.integers(15, 61, cache.sum())
    # blank-firing pistols: single items to shipments of dozens (parcels, trucks)
    sel = category == "blank_firing_weapon"
    q[sel] = np.clip(np.round(rng.lognormal(1.2, 1.1, sel.sum())), 1, 400).astype(np.int64)
    # ammunition: hundreds of rounds (median ~150), occasionally many thousands
    sel = category == "ammunition"
    raw = np.clip(rng.lognormal(np.log(150), 1.1, sel.sum()), 5, 25000)
    q[sel] = np.where(raw >= 100, np.round(raw / 10) * 10, np.round(raw)).astype(np.int64)
    return q


def dates(rng: np.random.Generator, n: int, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """``n`` days from start to end, weighted by the year and month weights of the facts."""
    days = pd.date_range(start, end, freq="D")
    if len(days) == 0:
        raise ValueError(f"start {start.date()} is after end {end.date()}; swap them")
    years = days.year.to_numpy()
    yw = np.array([YEAR_WEIGHTS.get(int(y), 1.15) for y in years])
    mw = np.asarray(MONTH_WEIGHTS)[days.month.to_numpy() - 1]
    idx = choice(rng, n, yw * mw)
    return days.to_numpy()[idx]


def jitter(
    rng: np.random.Generator,
    polys: dict[str, object],
    juris: np.ndarray,
    lat0: np.ndarray,
    lon0: np.ndarray,
    sigma_km: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian jitter (km) kept inside each point's jurisdiction; falls back to the anchor."""
    lat = lat0.copy()
    lon = lon0.copy()
    todo = np.flatnonzero(sigma_km > 0)
    kx = 1.0 / (111.32 * np.cos(np.radians(lat0)))
    scale = np.ones(len(lat0))
    for _ in range(8):
        if len(todo) == 0:
            break
        s = sigma_km[todo] * scale[todo]
        la = lat0[todo] + rng.normal(0.0, 1.0, len(todo)) * s / 110.57
        lo = lon0[todo] + rng.normal(0.0, 1.0, len(todo)) * s * kx[todo]
        ok = inside(polys, juris[todo], la, lo)
        lat[todo[ok]] = la[ok]
        lon[todo[ok]] = lo[ok]
        todo = todo[~ok]
        scale[todo] *= 0.6
    return lat, lon  # rows still in `todo` keep their anchor, which lies inside


def row_choice(rng: np.random.Generator, p: np.ndarray) -> np.ndarray:
    """Per-row categorical draw where row i uses probability row ``p[i]``."""
    cdf = np.cumsum(p, axis=1)
    cdf /= cdf[:, -1:]
    u = rng.random(len(p))
    return np.minimum((cdf < u[:, None]).sum(axis=1), p.shape[1] - 1)
