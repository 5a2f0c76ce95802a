"""Closest-name suggestions for a place name the gazetteer does not know."""

from __future__ import annotations

import difflib
import heapq

import numpy as np

from routes._constants import ALL_JURISDICTIONS
from routes.geo._places import Place

__all__ = ["NameSuggester"]


class NameSuggester:
    """Suggests the places whose name keys are closest to a key that matches nothing.

    Parameters
    ----------
    keys
        Every exact name key of the gazetteer, sorted.
    exact
        Key -> indices of the places carrying it.
    places
        The gazetteer's places, by index.

    The character-count table is built on the first suggestion (most runs never need it).
    """

    def __init__(
        self, keys: list[str], exact: dict[str, tuple[int, ...]], places: list[Place]
    ) -> None:
        self._keys = keys
        self._exact = exact
        self._places = places
        self._key_in: dict[str, np.ndarray] = {}
        self._char_counts: np.ndarray | None = None
        self._char_col: dict[str, int] = {}
        self._key_lengths: np.ndarray = np.zeros(0)

    def _build(self) -> np.ndarray:
        """Character counts per key, key lengths and per-jurisdiction key masks."""
        alphabet = sorted({ch for k in self._keys for ch in k})
        self._char_col = {ch: c for c, ch in enumerate(alphabet)}
        counts = np.zeros((len(self._keys), len(alphabet)), dtype=np.int16)
        for r, k in enumerate(self._keys):
            for ch in k:
                counts[r, self._char_col[ch]] += 1
        self._char_counts = counts
        self._key_lengths = np.array([len(k) for k in self._keys], dtype=np.float64)
        key_jurs = [{self._places[i].jurisdiction for i in self._exact[k]} for k in self._keys]
        for c in ALL_JURISDICTIONS:
            self._key_in[c] = np.fromiter((c in js for js in key_jurs), bool, len(key_jurs))
        return counts

    def suggest(self, key: str, code: str | None, n: int = 5) -> list[Place]:
        """The places whose names are closest to ``key`` (of jurisdiction ``code`` if given).

        A character-count bound (difflib's ``quick_ratio``, vectorised) orders the 60 best keys;
        difflib's ``ratio`` ranks them, stopping once the bound falls below the 2n-th best
        ratio; ties go to the more populous place.
        """
        char_counts = self._char_counts if self._char_counts is not None else self._build()
        query = np.zeros(char_counts.shape[1], dtype=np.int16)
        for ch in key:
            col = self._char_col.get(ch)
            if col is not None:
                query[col] += 1
        common = np.minimum(char_counts, query).sum(axis=1)
        bound = 2.0 * common / (self._key_lengths + len(key))
        if code is not None:
            bound = np.where(self._key_in[code], bound, -1.0)
        shortlist = min(60, len(bound))
        top = np.argpartition(-bound, shortlist - 1)[:shortlist]
        top = top[np.argsort(-bound[top], kind="stable")]
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(key)
        scored: list[tuple[float, int, str]] = []
        best: list[float] = []  # min-heap of the 2n best ratios so far
        for k_i in top:
            # ratio <= bound, so nothing further down can enter the 2n best
            threshold = best[0] if len(best) >= 2 * n else 0.6
            if bound[k_i] < threshold:
                break
            k = self._keys[int(k_i)]
            matcher.set_seq1(k)
            ratio = matcher.ratio()
            if ratio >= 0.6:
                pop = max(self._places[i].population for i in self._exact[k])
                scored.append((-round(ratio, 6), -pop, k))
                if len(best) < 2 * n:
                    heapq.heappush(best, ratio)
                elif ratio > best[0]:
                    heapq.heapreplace(best, ratio)
        scored.sort()
        found: list[Place] = []
        for _, _, k in scored:
            for i in sorted(self._exact[k], key=lambda i: -self._places[i].population):
                place = self._places[i]
                if (code is None or place.jurisdiction == code) and place not in found:
                    found.append(place)
            if len(found) >= n:
                break
        return found[:n]
