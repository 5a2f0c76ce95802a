"""The name index of a gazetteer as arrays, so that the bundled one can be cached on disk.

Private to :mod:`routes.geo.gazetteer`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from routes.geo._text import index_keys, loose_key

__all__ = ["name_index", "split_keys", "unpack_keys"]


def name_index(
    names: list[Any], ascii_names: list[Any], alternates: list[Any]
) -> dict[str, np.ndarray]:
    """The name keys of a gazetteer's places as arrays (see :class:`Gazetteer`).

    ``exact`` maps every normalised key of a place's name, ASCII name and alternate names to
    the places carrying it; ``loose`` the same by the looser key; ``primary`` lists the
    (key, place) pairs where the key is the place's own name (exact and loose keys). Arrays,
    not dicts, so that the bundled gazetteer's index can live in the on-disk cache
    (:mod:`routes._cache`): the keys of each mapping joined by NUL into one text, the places
    as one integer array with offsets.
    """
    exact: dict[str, set[int]] = defaultdict(set)
    primary: set[tuple[str, int]] = set()
    # names repeat a lot (name == ascii name, shared alternate names): key each text once
    keys_of: dict[str, frozenset[str]] = {}

    def keys(text: str) -> frozenset[str]:
        got = keys_of.get(text)
        if got is None:
            got = keys_of[text] = frozenset(index_keys(text))
        return got

    for i, (name, ascii_, alts) in enumerate(zip(names, ascii_names, alternates, strict=True)):
        for key in keys(name) | keys(ascii_):
            exact[key].add(i)
            primary.add((key, i))
        for text in alts:
            for key in keys(text):
                exact[key].add(i)
    loose: dict[str, set[int]] = defaultdict(set)
    loose_of: dict[str, str] = {}
    for key, idx in exact.items():
        lk = loose_of[key] = loose_key(key)
        loose[lk].update(idx)
    pairs = sorted(primary | {(loose_of[k], i) for k, i in primary})
    out = {**_pack("exact", exact), **_pack("loose", loose)}
    out["primary_keys"] = _join([k for k, _ in pairs])
    out["primary_places"] = np.array([i for _, i in pairs], dtype=np.int64)
    return out


def _join(texts: list[str]) -> np.ndarray:
    return np.array(["\x00".join(texts)]) if texts else np.array([""])


def split_keys(joined: np.ndarray) -> list[str]:
    text = str(joined[0])
    return text.split("\x00") if text else []


def _pack(name: str, mapping: dict[str, set[int]]) -> dict[str, np.ndarray]:
    keys = sorted(mapping)
    ids = [sorted(mapping[k]) for k in keys]
    sizes = np.array([len(x) for x in ids], dtype=np.int64)
    flat = [i for x in ids for i in x]
    return {
        f"{name}_keys": _join(keys),
        f"{name}_offsets": np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
        f"{name}_places": np.array(flat, dtype=np.int64),
    }


def unpack_keys(index: dict[str, np.ndarray], name: str) -> dict[str, tuple[int, ...]]:
    keys = split_keys(index[f"{name}_keys"])
    offsets = index[f"{name}_offsets"].tolist()
    places = index[f"{name}_places"].tolist()
    return {k: tuple(places[offsets[j] : offsets[j + 1]]) for j, k in enumerate(keys)}
