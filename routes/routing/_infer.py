"""Inference of the missing legs of incidents with fewer than two waypoints.

Private; the model is documented in :data:`routes.routing.INFERENCE_DOC` (the public text) and
its parameters are the constants below. Targets are the incidents whose record resolves to one
waypoint (most often the seizure place alone). Donors are the incidents routed on their own
record. A target borrows the *ends* of the donors' routes (their first and last waypoint, i.e.
origin and destination as recorded), never their crossing: the crossing follows from routing
the target through its own seizure place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from routes._errors import ValidationError
from routes.routing._assign import Entries
from routes.routing._infer_rows import (
    CANDIDATE_COLUMNS,
    PairRows,
    ScoreColumns,
    expand_picks,
    rank_candidates,
    spans,
)
from routes.routing._prior_scores import prior_scores
from routes.routing._priors import chain, chain_key
from routes.routing._sequences import collapse
from routes.routing._waypoints import Waypoint

if TYPE_CHECKING:
    from collections.abc import Iterator

    from routes.routing._engine import GraphIndex
    from routes.routing._priors import RoutePriors
    from routes.routing._sequences import Groups, IncidentKeys
    from routes.routing._waypoints import WaypointResolver

__all__ = [
    "BANDWIDTH_M",
    "CANDIDATE_COLUMNS",
    "CATEGORY_FACTOR",
    "CATEGORY_GROUPS",
    "DEFAULT_INFER",
    "INFER_MODES",
    "JURISDICTION_FACTOR",
    "MAX_CANDIDATES",
    "PERIOD_FACTOR",
    "PERIOD_YEARS",
    "PRIOR_STRENGTH",
    "Inferred",
    "check_infer",
    "infer_entries",
    "waypoint_country",
]

#: The inference modes of ``route_incidents(infer=...)``.
INFER_MODES = ("none", "recorded", "priors")
#: The default: infer the missing legs from the recorded routes and the regional priors, so that
#: a route-frequency map is not built on the minority of records that give a whole route; every
#: inferred leg is flagged, and ``infer="none"`` (or ``inferred=False`` on the flow functions)
#: shows what the records alone say.
DEFAULT_INFER = "priors"
#: Bandwidth of the Gaussian kernel on the distance between seizure places (metres, EPSG:3035);
#: donors farther than three bandwidths are not used.
BANDWIDTH_M = 25_000.0
#: Weight of the regional priors in pseudo-incidents (``infer="priors"``).
PRIOR_STRENGTH = 2.0
#: Factor of a donor of another category group, jurisdiction, or period.
CATEGORY_FACTOR = 0.25
JURISDICTION_FACTOR = 0.5
PERIOD_FACTOR = 0.5
#: Donors dated within this many years of the target are of the same period.
PERIOD_YEARS = 1
#: The most likely candidates kept per incident (their probabilities renormalised).
MAX_CANDIDATES = 5

#: Category groups: what a donor must share with the target to count in full.
CATEGORY_GROUPS: dict[str, str] = {
    # a firearm of unstated type counts with the small arms, the bulk of the region's firearms
    **dict.fromkeys(("pistol", "revolver", "rifle", "shotgun", "firearm"), "small_arms"),
    **dict.fromkeys(("automatic_rifle", "submachine_gun", "machine_gun"), "military_arms"),
    **dict.fromkeys(
        ("converted_weapon", "blank_firing_weapon", "parts_components", "craft_or_3d_printed"),
        "converted_and_parts",
    ),
    **dict.fromkeys(
        ("hand_grenade", "rocket_launcher", "mortar_or_artillery_round", "explosives"),
        "explosives",
    ),
    "ammunition": "ammunition",
    "other": "other",
}


def check_infer(infer: Any) -> str:
    """The inference mode, or a ValidationError naming the valid ones."""
    if isinstance(infer, str) and infer.strip().lower() in INFER_MODES:
        return infer.strip().lower()
    raise ValidationError(
        f"infer={infer!r} is not supported; use one of {list(INFER_MODES)} "
        f"(default {DEFAULT_INFER!r})"
    )


@dataclass
class Inferred:
    """Entries of the incidents with inferred legs and the reasons of those still without."""

    entries: Entries
    routed: np.ndarray  # incident positions that got candidates
    reasons: dict[int, str] = field(default_factory=dict)
    candidates: pd.DataFrame = field(default_factory=pd.DataFrame)


def waypoint_country(wp: Waypoint | None, index: GraphIndex) -> str | None:
    """The country of a waypoint: the code of a country waypoint, else its node's."""
    if wp is None:
        return None
    base = wp.rule.split(":")[-1]
    if base in ("country_hubs", "country_gateway"):
        return wp.label[:2]
    jur = index.jurisdiction[wp.nodes[0]]
    return None if jur is None else str(jur)


class _Candidates:
    """Distinct (start, end) candidate legs by their node sets."""

    def __init__(self) -> None:
        self.ids: dict[tuple[Any, Any], int] = {}
        self.items: list[tuple[Any, Any]] = []  # ends: a Waypoint, a chain of them or None

    def id(self, start: Any, end: Any) -> int:
        key = (chain_key(start), chain_key(end))
        cid = self.ids.get(key)
        if cid is None:
            cid = self.ids[key] = len(self.items)
            self.items.append((start, end))
        return cid


def _role(role: str) -> str:
    """What is inferred: an origin gives the destination, a destination the origin."""
    return role if role in ("origin", "destination") else "point"


def _project(index: GraphIndex, nodes: np.ndarray) -> np.ndarray:
    """EPSG:3035 coordinates of graph nodes (metres)."""
    from routes._crs import shared_transformer, transform_xy

    x, y = transform_xy(
        shared_transformer("EPSG:4326", "EPSG:3035"), index.x[nodes], index.y[nodes]
    )
    return np.column_stack([x, y])


def _incident_attrs(attrs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Category group, year (-1 unknown) and jurisdiction ("" unknown) of each incident."""
    cat = attrs["category"].astype(object).where(attrs["category"].notna(), "")
    year = pd.to_datetime(attrs["date"], errors="coerce").dt.year.fillna(-1).to_numpy(int)
    jur = attrs["jurisdiction"].astype(object).where(attrs["jurisdiction"].notna(), "")
    if not len(attrs):
        return np.asarray([]), year, np.asarray([], dtype=object)
    # each distinct text once
    codes, uniq = pd.factorize(cat.to_numpy(dtype=object))
    cat_group = np.asarray([CATEGORY_GROUPS.get(str(c).strip().lower(), "") for c in uniq])
    jcodes, juniq = pd.factorize(jur.to_numpy(dtype=object))
    jur_text = np.asarray([str(j).strip().upper() for j in juniq], dtype=object)
    return cat_group[codes], year, jur_text[jcodes]


def _donor_ends(groups: Groups) -> dict[int, tuple[int, Waypoint | None, Waypoint | None]]:
    """Group -> (seizure node or -1, first waypoint, last waypoint) of recorded routes."""
    out = {}
    for g, sid in enumerate(groups.seq):
        if sid < 0:
            continue
        wps = groups.sequences.waypoints[sid]
        seize = [w for w in wps if w.rule == "seizure"]
        start = wps[0] if wps[0].rule != "seizure" else None
        end = wps[-1] if wps[-1].rule != "seizure" and wps[-1].nodes != wps[0].nodes else None
        out[g] = (seize[0].nodes[0] if seize else -1, start, end)
    return out


def _donor_rows(
    keys: IncidentKeys,
    donors: dict[int, tuple[int, Waypoint | None, Waypoint | None]],
    cands: _Candidates,
    role: str,
    per_incident: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> pd.DataFrame:
    """Donor incidents for one role: matching node, candidate, category group, year, jur."""
    node_of, cand_of = {}, {}
    for g, (snode, start, end) in donors.items():
        if role == "point" and snode >= 0 and (start or end):
            node_of[g], cand_of[g] = snode, cands.id(start, end)
        elif role == "origin" and start is not None and end is not None:
            node_of[g], cand_of[g] = start.nodes[0], cands.id(None, end)
        elif role == "destination" and start is not None and end is not None:
            node_of[g], cand_of[g] = end.nodes[0], cands.id(start, None)
    rows = np.flatnonzero(np.isin(keys.group, list(node_of)))
    cat, year, jur = per_incident
    df = pd.DataFrame(
        {
            "dnode": [node_of[int(g)] for g in keys.group[rows]],
            "cand": [cand_of[int(g)] for g in keys.group[rows]],
            "cat_d": cat[rows],
            "year_d": year[rows],
            "jur_d": jur[rows],
        }
    )
    return df.groupby(list(df.columns), sort=False).size().rename("count").reset_index()


def _recorded_scores(
    index: GraphIndex, donors: pd.DataFrame, targets: pd.DataFrame
) -> pd.DataFrame:
    """Kernel-weighted donor counts per (target key, candidate): columns t, cand, score.

    The pairs are scored about :data:`SCORE_ROWS` at a time.
    """
    empty = pd.DataFrame({"t": [], "cand": [], "score": []})
    if donors.empty or targets.empty:
        return empty
    from scipy.spatial import cKDTree  # pairs within a distance: more than NearestPoints

    dn = np.unique(donors["dnode"].to_numpy(np.int64))
    tn = np.unique(targets["tnode"].to_numpy(np.int64))
    pairs = cKDTree(_project(index, tn)).sparse_distance_matrix(
        cKDTree(_project(index, dn)), 3 * BANDWIDTH_M, output_type="ndarray"
    )
    # sparse_distance_matrix leaves out pairs at distance 0 (the same node): add them
    same = np.intersect1d(tn, dn)
    near = pd.DataFrame(
        {
            "tnode": np.r_[tn[pairs["i"]], same],
            "dnode": np.r_[dn[pairs["j"]], same],
            "dist": np.r_[pairs["v"], np.zeros(len(same))],
        }
    ).drop_duplicates(["tnode", "dnode"])
    # every (target key, donor) pair near each other: at 1e5 incidents tens of millions of
    # rows, so a few target nodes at a time (a target key has one node, so each (t, cand)
    # sum sees the same rows in the same order as in one go; the order of the sums differs,
    # which no caller uses)
    parts = []
    chunks = _node_chunks(
        near["tnode"].to_numpy(),
        near["dnode"].to_numpy(),
        targets["tnode"].to_numpy(),
        donors["dnode"].to_numpy(),
        SCORE_ROWS,
    )
    # the text columns as codes of one vocabulary (equal texts, equal codes), once
    cat_codes = pd.factorize(
        np.r_[targets["cat_t"].to_numpy(object), donors["cat_d"].to_numpy(object)]
    )[0]
    jur_codes, jur_uniq = pd.factorize(
        np.r_[targets["jur_t"].to_numpy(object), donors["jur_d"].to_numpy(object)]
    )
    blank = np.flatnonzero(jur_uniq == "")
    nt = len(targets)
    cols = ScoreColumns(
        t=targets["t"].to_numpy(np.int64),
        cat_t=cat_codes[:nt],
        jur_t=jur_codes[:nt],
        year_t=targets["year_t"].to_numpy(np.int64),
        cand=donors["cand"].to_numpy(np.int64),
        count=donors["count"].to_numpy(float),
        cat_d=cat_codes[nt:],
        jur_d=jur_codes[nt:],
        year_d=donors["year_d"].to_numpy(np.int64),
        blank=int(blank[0]) if len(blank) else -2,
    )
    t_node, d_node = targets["tnode"].to_numpy(np.int64), donors["dnode"].to_numpy(np.int64)
    near_t, near_d = near["tnode"].to_numpy(np.int64), near["dnode"].to_numpy(np.int64)
    near_v = near["dist"].to_numpy(float)
    joined = PairRows(t_node, d_node)
    for chunk in chunks:
        pair, ti, di = joined.rows(near_t[chunk], near_d[chunk])
        if len(pair):
            parts.append(_pair_scores(cols, near_v[chunk][pair], ti, di))
    if not parts:
        return empty
    return pd.concat(parts, ignore_index=True)


#: About this many (target key, donor) rows are scored at a time (bounds the memory).
SCORE_ROWS = 200_000


def _node_chunks(
    near_t: np.ndarray, near_d: np.ndarray, target_t: np.ndarray, donor_d: np.ndarray, rows: int
) -> list[np.ndarray]:
    """Masks of ``near`` rows by groups of target nodes, each group ~``rows`` scored rows.

    A near pair (target node, donor node) gives (target keys at the one) x (donor rows at the
    other) rows to score.
    """
    t_nodes, t_keys = np.unique(target_t, return_counts=True)
    d_nodes, d_rows = np.unique(donor_d, return_counts=True)
    tp = np.minimum(np.searchsorted(t_nodes, near_t), max(len(t_nodes) - 1, 0))
    dp = np.minimum(np.searchsorted(d_nodes, near_d), max(len(d_nodes) - 1, 0))
    ok = (t_nodes[tp] == near_t) & (d_nodes[dp] == near_d) if len(near_t) else near_t > 0
    weight = np.where(ok, t_keys[tp] * d_rows[dp], 0)
    load = np.bincount(tp, weights=weight, minlength=len(t_nodes))
    group = (np.cumsum(load) // max(rows, 1)).astype(np.int64)  # consecutive target nodes
    row_group = np.where(ok, group[tp], -1)
    return [row_group == k for k in np.unique(row_group[ok])]


def _pair_scores(c: ScoreColumns, dist: np.ndarray, ti: np.ndarray, di: np.ndarray) -> pd.DataFrame:
    """The kernel weight of each (target key ``ti``, donor ``di``) row, summed per (t, cand)."""
    w = c.count[di] * np.exp(-0.5 * (dist / BANDWIDTH_M) ** 2)
    w *= np.where(c.cat_d[di] == c.cat_t[ti], 1.0, CATEGORY_FACTOR)
    jd, jt = c.jur_d[di], c.jur_t[ti]
    w *= np.where((jd == jt) | (jd == c.blank) | (jt == c.blank), 1.0, JURISDICTION_FACTOR)
    yd, yt = c.year_d[di], c.year_t[ti]
    w *= np.where((np.abs(yd - yt) <= PERIOD_YEARS) | (yd < 0) | (yt < 0), 1.0, PERIOD_FACTOR)
    m = pd.DataFrame({"t": c.t[ti], "cand": c.cand[di], "score": w})
    return m.groupby(["t", "cand"], sort=False)["score"].sum().reset_index()


def _anchor_points(
    index: GraphIndex, anchors: dict[int, tuple[Waypoint, str, str]]
) -> dict[int, np.ndarray]:
    """The point (EPSG:3035) of each anchor's first node."""
    gs = list(anchors)
    nodes = np.asarray([anchors[g][0].nodes[0] for g in gs], dtype=np.int64)
    return dict(zip(gs, _project(index, nodes), strict=True))


def _inferred(wp: Waypoint | None, source: str) -> Waypoint | None:
    """The candidate's waypoint marked as inferred (rule ``infer_<source>:<how resolved>``)."""
    if wp is None:
        return None
    return Waypoint(wp.token, wp.nodes, f"infer_{source}:{wp.rule}", f"{wp.label} (inferred)")


def _anchors(keys: IncidentKeys, groups: Groups) -> dict[int, tuple[Waypoint, str, str]]:
    """Thin group -> (its one waypoint, what is inferred, recorded jurisdiction)."""
    out = {}
    for g in np.flatnonzero(np.asarray(groups.thin, dtype=bool)):
        if groups.waypoints[g]:
            jur = str(keys.cols["jurisdiction"][keys.first[g]]).strip().upper()
            out[int(g)] = (groups.waypoints[g][0], _role(groups.roles[g][0]), jur)
    return out


def _no_candidate_reason(wp: Waypoint, role: str, mode: str) -> str:
    what = {"origin": "destination", "destination": "origin"}.get(role, "origin or destination")
    text = (
        f"only one waypoint ({wp.label}) and no recorded route within "
        f"{3 * BANDWIDTH_M / 1000:.0f} km to infer its {what} from"
    )
    if mode == "recorded":
        return text + " (infer='recorded'; infer='priors' adds the regional corridors)"
    return text + ", and no route of the priors near it or through its jurisdiction"


def _combine(rec: dict[int, float], prior: dict[int, float]) -> list[tuple[int, float, str]]:
    """Candidates by score ``recorded + PRIOR_STRENGTH * prior``, best first, with the source."""
    out = []
    for c in set(rec) | set(prior):
        r, p = rec.get(c, 0.0), PRIOR_STRENGTH * prior.get(c, 0.0)
        out.append((c, r + p, "recorded" if r >= p else "prior"))
    out.sort(key=lambda t: (-t[1], t[0]))
    return out


def infer_entries(
    keys: IncidentKeys,
    groups: Groups,
    attrs: pd.DataFrame,
    resolver: WaypointResolver,
    index: GraphIndex,
    *,
    mode: str,
    priors: RoutePriors | None = None,
) -> Inferred:
    """Candidate sequences of every thin incident, added to ``groups.sequences``."""
    n = len(attrs)
    per = _incident_attrs(attrs)
    cat, year, jur = per
    thin = np.asarray(groups.thin, dtype=bool)
    targets = np.flatnonzero(thin[keys.group]) if n else np.zeros(0, dtype=np.int64)
    anchors = _anchors(keys, groups)
    reasons: dict[int, str] = {}
    has_anchor = np.isin(keys.group[targets], list(anchors))
    for i in targets[~has_anchor]:
        reasons[int(i)] = (
            "no waypoint at all (no seizure location, place, origin, transit, crossing or "
            "destination): nothing to infer a route from"
        )
    tgt = targets[has_anchor]
    tdf = pd.DataFrame(
        {"g": keys.group[tgt], "cat_t": cat[tgt], "year_t": year[tgt], "jur_t": jur[tgt]}
    )
    tdf["t"] = tdf.groupby(["g", "cat_t", "year_t", "jur_t"], sort=False).ngroup().to_numpy()
    tkeys = tdf.drop_duplicates("t").reset_index(drop=True)
    tkeys["tnode"] = [anchors[int(g)][0].nodes[0] for g in tkeys["g"]]
    tkeys["role"] = [anchors[int(g)][1] for g in tkeys["g"]]
    cands = _Candidates()
    donors = _donor_ends(groups)
    scored = []
    for role in ("point", "origin", "destination"):
        sub = tkeys[tkeys["role"] == role]
        if sub.empty:
            continue
        drows = _donor_rows(keys, donors, cands, role, per)
        scored.append(
            _recorded_scores(index, drows, sub[["t", "tnode", "cat_t", "year_t", "jur_t"]])
        )
    priors_by_t = (
        prior_scores(index, resolver, cands, anchors, tkeys, priors, _anchor_points(index, anchors))
        if mode == "priors" and anchors and not tkeys.empty
        else {}
    )
    # the keys recorded routes score, their candidates ranked (with the priors) in one go
    rk_t, rk_c, rk_s, rk_r = rank_candidates(
        pd.concat(scored, ignore_index=True)
        if scored
        else pd.DataFrame({"t": [], "cand": [], "score": []}),
        priors_by_t,
        PRIOR_STRENGTH,
    )
    ranked = spans(rk_t)
    seq_cache: dict[tuple[int, int, str], int | None] = {}

    def sequence_of(g: int, c: int, source: str) -> int | None:
        key = (g, c, source)
        if key not in seq_cache:
            start, end = cands.items[c]
            ends = (*chain(start), None, *chain(end))  # None: the record's own waypoint
            wps = [w for w in (_inferred(e, source) if e else anchors[g][0] for e in ends) if w]
            seq = collapse(wps)
            variant = "rail" if keys.rail[keys.first[g]] else "road"
            seq_cache[key] = (
                None
                if seq[0].nodes == seq[-1].nodes and len(seq) == 2
                else (groups.sequences.add(seq, variant))
            )
        return seq_cache[key]

    # the picks of a target key depend on its recorded scores and its prior scores (shared by
    # the keys of a group and year): a key no recorded route scores takes the picks of its
    # (group, prior scores), computed once
    group_picks: dict[tuple[int, int], list[tuple[int, float, int, str]]] = {}
    no_prior: dict[int, float] = {}

    def ranked_rows(a: int, b: int) -> Iterator[tuple[int, float, str]]:
        for i in range(a, b):  # read one at a time: a key stops after a few
            yield int(rk_c[i]), float(rk_s[i]), "recorded" if rk_r[i] else "prior"

    def picks_of(t: int, g: int) -> list[tuple[int, float, int, str]]:
        span = ranked.get(t)
        recs = span is not None
        prior = priors_by_t.get(t, no_prior)
        gkey = (g, id(prior))
        if not recs and gkey in group_picks:
            return group_picks[gkey]
        picks = []
        rows = ranked_rows(*span) if span is not None else iter(_combine({}, prior))
        for c, score, source in rows:
            sid = sequence_of(g, c, source)
            if sid is not None:
                picks.append((sid, score, c, source))
            if len(picks) >= MAX_CANDIDATES:
                break
        total = sum(p[1] for p in picks)
        out = [(sid, s / total, c, src) for sid, s, c, src in picks] if total > 0 else []
        if not recs:
            group_picks[gkey] = out
        return out

    g_of = tkeys["g"].tolist()
    countries: dict[int, str | None] = {}
    ends_cache: dict[tuple[int, int], tuple[str | None, str | None, str | None, str | None]] = {}

    def ends_of(r: int, pick: tuple[int, float, int, str]) -> tuple[Any, ...]:
        g, c = g_of[r], pick[2]
        key = (c, g if anchors[g][1] in ("origin", "destination") else -1)
        out = ends_cache.get(key)
        if out is None:
            out = ends_cache[key] = _ends(cands.items[c], anchors[g], index, countries)
        return out

    t_keys = tkeys["t"].to_numpy(np.int64)
    chosen = [picks_of(t, g) for t, g in zip(t_keys.tolist(), tkeys["g"].tolist(), strict=True)]
    entries, table = expand_picks(
        tgt, tdf["t"].to_numpy(np.int64), t_keys, chosen, ends_of, groups=g_of
    )
    # the incidents with a candidate, as a mask over the incidents (np.isin/np.unique sort)
    routed = np.zeros(n, dtype=bool)
    routed[entries.incident] = True
    for i in tgt[~routed[tgt]].tolist():
        g = int(keys.group[i])
        reasons[i] = _no_candidate_reason(anchors[g][0], anchors[g][1], mode)
    return Inferred(entries, np.flatnonzero(routed), reasons, table)


def _ends(
    cand: tuple[Any, Any],
    anchor: tuple[Waypoint, str, str],
    index: GraphIndex,
    countries: dict[int, str | None] | None = None,
) -> tuple[str | None, str | None, str | None, str | None]:
    """Origin and destination (label, country) of a candidate; the record's own end if given.

    ``countries`` caches :func:`waypoint_country` by waypoint object (one call's waypoints).
    """
    start, end = (chain(cand[0]) or (None,))[0], (chain(cand[1]) or (None,))[-1]
    wp, role, _ = anchor
    if role == "origin":
        start = wp
    elif role == "destination":
        end = wp
    cache: dict[int, str | None] = {} if countries is None else countries

    def country(w: Waypoint | None) -> str | None:
        if w is None:
            return None
        if id(w) not in cache:
            cache[id(w)] = waypoint_country(w, index)
        return cache[id(w)]

    return (
        start.label if start else None,
        country(start),
        end.label if end else None,
        country(end),
    )
