"""What route frequency rests on: recorded routes, routes inferred from them, or priors.

:func:`evidence_mix` splits the route frequency of a :class:`routes.RouteResult` (each routed
incident weighs 1, spread over its candidates and alternatives by their probabilities, as in
every flow function) into three classes:

- ``recorded``: the route the record itself gives (no inferred leg);
- ``inferred_from_records``: a leg inferred from the incidents with recorded routes nearby
  (the candidate's source is "recorded");
- ``inferred_from_priors``: a leg the priors decided (source "prior"): the analyst's own
  reported routes or corridor table, or the bundled corridors (a modelling assumption).

Every output that draws flows says the mix (:meth:`EvidenceMix.sentence`) and warns when the
priors carry more than half of it (:attr:`EvidenceMix.priors_dominant`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from routes.routing import RouteResult

__all__ = [
    "EVIDENCE_CLASSES",
    "RECORDED_ONLY_HINT",
    "EvidenceMix",
    "evidence_classes",
    "evidence_mix",
]

#: The evidence classes of a route's frequency, in the order every output lists them.
EVIDENCE_CLASSES = ("recorded", "inferred_from_records", "inferred_from_priors")
#: The one-line way to see the recorded routes only.
RECORDED_ONLY_HINT = (
    "to see the recorded routes only, run with --infer none (or route_incidents(infer='none'))"
)


@dataclass(frozen=True)
class EvidenceMix:
    """The shares of route frequency by evidence class (0-1; they sum to 1 when anything is
    routed).

    Attributes
    ----------
    recorded, inferred_from_records, inferred_from_priors
        Shares of the routed incidents' weight.
    incidents
        The routed incidents' weight (incidents with a route).
    priors
        Short name of the priors in use (``"bundled corridors"``, ``"questionnaire q.csv"``
        ...), None when no priors were used (``infer="none"`` or ``"recorded"``).
    priors_label
        The longer label of the priors (what kind of evidence they are), None without priors.
    priors_kind
        ``"bundled"``, ``"questionnaire"``, ``"table"`` or None.
    """

    recorded: float
    inferred_from_records: float
    inferred_from_priors: float
    incidents: float
    priors: str | None
    priors_label: str | None
    priors_kind: str | None

    @property
    def priors_dominant(self) -> bool:
        """Whether the priors carry more than half of the route frequency."""
        return self.inferred_from_priors > 0.5

    def percent(self) -> dict[str, int]:
        """The shares as whole percentages that add up to 100 (largest remainder)."""
        shares = np.asarray([getattr(self, c) for c in EVIDENCE_CLASSES], dtype=float) * 100
        if shares.sum() <= 0:
            return dict.fromkeys(EVIDENCE_CLASSES, 0)
        floor = np.floor(shares).astype(int)
        rest = 100 - int(floor.sum())
        for i in np.argsort(-(shares - floor), kind="stable")[: max(rest, 0)]:
            floor[i] += 1
        return {c: int(v) for c, v in zip(EVIDENCE_CLASSES, floor, strict=True)}

    def sentence(self) -> str:
        """One line for titles, legends and captions.

        >>> mix = EvidenceMix(0.08, 0.04, 0.88, 50.0, "bundled corridors", None, "bundled")
        >>> mix.sentence()[:52]
        'Route frequency — 8 % recorded, 4 % inferred from re'
        >>> mix.sentence()[52:]
        'cords, 88 % from priors: bundled corridors'
        """
        if self.incidents <= 0:
            return "Route frequency — nothing routed"
        p = self.percent()
        text = (
            f"Route frequency — {p['recorded']} % recorded, {p['inferred_from_records']} % "
            f"inferred from records, {p['inferred_from_priors']} % from priors"
        )
        return text + (f": {self.priors}" if self.priors else " (no priors used)")

    def warning(self) -> str | None:
        """The warning when the priors carry more than half of the route frequency, else None."""
        if not self.priors_dominant:
            return None
        what = (
            f"{self.priors_label or self.priors}"
            if self.priors_kind != "bundled"
            else f"{self.priors_label} (not findings)"
        )
        return (
            f"{self.percent()['inferred_from_priors']} % of the route frequency comes from "
            f"priors: {what}; {RECORDED_ONLY_HINT}"
        )

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (key ``evidence`` of ``--json``)."""
        return {
            **{c: round(float(getattr(self, c)), 4) for c in EVIDENCE_CLASSES},
            "percent": self.percent(),
            "incidents": round(float(self.incidents), 4),
            "priors": self.priors,
            "priors_label": self.priors_label,
            "priors_kind": self.priors_kind,
            "priors_dominant": self.priors_dominant,
            "text": self.sentence(),
            "warning": self.warning(),
        }


def evidence_mix(result: RouteResult, *, classes: np.ndarray | None = None) -> EvidenceMix:
    """The shares of route frequency that are recorded, inferred from records, from priors.

    Parameters
    ----------
    result
        From :func:`routes.route_incidents`.
    classes
        :func:`evidence_classes` of ``result`` when the caller has them already (the map
        draws them too); computed here otherwise.

    Returns
    -------
    EvidenceMix
        With the priors named (``result.options["priors"]``).
    """
    a = result.assignments
    prob = a["probability"].to_numpy(dtype=float)
    cls = evidence_classes(result) if classes is None else np.asarray(classes)
    if len(cls) != len(a):
        raise ValueError(f"classes has {len(cls)} values for {len(a)} assignment rows")
    total = float(prob.sum())
    shares = [float(prob[cls == i].sum()) for i in range(len(EVIDENCE_CLASSES))]
    shares = [s / total for s in shares] if total > 0 else [0.0, 0.0, 0.0]
    priors = result.options.get("priors") if result.options.get("infer") == "priors" else None
    return EvidenceMix(
        shares[0],
        shares[1],
        shares[2],
        total,
        getattr(priors, "name", None),
        getattr(priors, "label", None),
        getattr(priors, "kind", None),
    )


def evidence_classes(result: RouteResult) -> np.ndarray:
    """The evidence class of every row of ``result.assignments``, as an index into
    :data:`EVIDENCE_CLASSES`: 0 recorded, 1 inferred from records, 2 from priors.

    A row is inferred when its ``inferred`` flag is set, and from priors when its (incident,
    candidate) pair has a candidate row with the source ``"prior"`` in ``result.candidates``
    (none without that table; array work: 10^6 assignment rows in ~50 ms). The maps draw the
    classes apart (:func:`routes.route_map`: dashed and dotted segments) and
    :func:`evidence_mix` sums them.

    Parameters
    ----------
    result
        From :func:`routes.route_incidents`.

    Returns
    -------
    numpy.ndarray
        ``int8``, one value per assignment row.
    """
    a = result.assignments
    inferred = (
        a["inferred"].fillna(False).to_numpy(dtype=bool)
        if "inferred" in a.columns
        else np.zeros(len(a), dtype=bool)
    )
    out = inferred.astype(np.int8)
    cand = getattr(result, "candidates", None)  # a table without one: no row from priors
    if inferred.any() and isinstance(cand, pd.DataFrame) and len(cand) and "source" in cand:
        # one integer key per (incident, candidate)
        c_inc = cand["incident"].to_numpy(dtype=np.int64)
        c_cnd = cand["candidate"].to_numpy(dtype=np.int64)
        is_prior = (cand["source"] == "prior").fillna(False).to_numpy(dtype=bool)
        inc = a["incident"].to_numpy(dtype=np.int64)
        cnd = a["candidate"].to_numpy(dtype=np.int64)
        width = int(max(c_cnd.max(initial=0), cnd.max(initial=0))) + 1
        prior_keys = c_inc[is_prior] * width + c_cnd[is_prior]
        keys = inc * width + cnd
        lo = int(min(keys.min(initial=0), prior_keys.min(initial=0)))
        span = int(max(keys.max(initial=0), prior_keys.max(initial=0))) - lo + 1
        if span > 4 * (len(keys) + len(prior_keys)):  # sparse numbers (not route_incidents')
            hit = np.isin(keys, prior_keys)
        else:  # np.isin by a mask over the span of the keys: no sort
            from_prior = np.zeros(span, dtype=bool)
            from_prior[prior_keys - lo] = True
            hit = from_prior[keys - lo]
        out[inferred & hit] = 2
    return out
