"""What the annex's route frequency rests on: the priors chosen, the evidence mix, the banner.

:func:`report_priors` chooses the priors of ``write_report``: those given, else the routes the
questionnaire reports (``questionnaire=``), else the bundled corridors (a modelling
assumption). :func:`evidence_section` opens the annex with the evidence mix
(:func:`routes.evidence_mix`) and, when the priors carry more than half of the route frequency,
a banner with the one-line way to see the recorded routes only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from routes._errors import ValidationError
from routes.report._html import esc
from routes.report._page import Section

if TYPE_CHECKING:
    from routes.analysis import EvidenceMix

__all__ = ["EVIDENCE_TITLE", "SharedMix", "evidence_section", "report_priors", "shareable_mix"]

EVIDENCE_TITLE = "What the route frequency rests on"


def report_priors(priors: Any, infer: str, answers: Any) -> tuple[str, Any, str | None]:
    """The inference mode, the priors and the annex note saying which priors and why.

    ``priors``: None (the questionnaire's reported routes when ``answers`` reports any, else
    the bundled corridors), ``"bundled"``, ``"none"`` (no priors: ``infer="recorded"``), or
    anything :func:`routes.routing.route_priors` takes.
    """
    from routes.routing import route_priors

    if infer != "priors":
        return infer, None, None
    if isinstance(priors, str) and priors.strip().lower() == "none":
        return "recorded", None, "Priors: none (priors='none'); legs inferred from records only."
    if priors is None and answers is not None:
        try:
            chosen = route_priors(answers)
        except ValidationError:
            return (
                infer,
                route_priors(None),
                "Priors: the questionnaire reports no route, so the bundled corridors "
                "(a regional modelling assumption) are the priors.",
            )
        return (
            infer,
            chosen,
            f"Priors: {chosen.label} — the questionnaire's reported routes are the priors "
            "(priors='bundled' for the bundled corridors, priors='none' for none).",
        )
    chosen = route_priors(priors)
    return infer, chosen, f"Priors: {chosen.label}."


def evidence_section(mix: EvidenceMix | SharedMix | None) -> Section:
    """The evidence mix in one line and the banner when priors carry most of it."""
    if mix is None:
        return Section(EVIDENCE_TITLE)
    body = f'\n<p class="evidence"><strong>{esc(mix.sentence())}.</strong></p>'
    warning = mix.warning()
    if warning:
        body = (
            '\n<div class="evidence-banner" role="alert" style="background:#8a1c1c;color:#fff;'
            f'padding:.6em .9em;border-radius:4px;margin:.8em 0">{esc(warning[0].upper())}'
            f"{esc(warning[1:])}.</div>" + body
        )
    return Section(EVIDENCE_TITLE, body)


@dataclass(frozen=True)
class SharedMix:
    """The evidence mix of a sharing-safe annex where a class holds fewer than ``limit``
    incidents: the shares are left out (they would give the small count), what the priors
    carry is said in words."""

    mix: EvidenceMix
    limit: int

    @property
    def priors(self) -> str | None:
        return self.mix.priors

    def percent(self) -> None:
        return None

    def sentence(self) -> str:
        side = "more" if self.mix.priors_dominant else "not more"
        return (
            f"Route frequency — {side} than half from priors"
            + (f": {self.mix.priors}" if self.mix.priors else " (no priors used)")
            + f" (shares not given: a class holds fewer than {self.limit} incidents; "
            "sharing-safe mode)"
        )

    def warning(self) -> str | None:
        warning = self.mix.warning()
        if warning is None:
            return None
        return "more than half of the route frequency" + warning.split("of the route frequency")[1]

    def as_dict(self) -> dict[str, Any]:
        out = self.mix.as_dict()
        for key in ("recorded", "inferred_from_records", "inferred_from_priors", "percent"):
            out[key] = None
        out.update(text=self.sentence(), warning=self.warning(), incidents=None)
        return out


def shareable_mix(mix: EvidenceMix, limit: int | None) -> Any:
    """``mix``, or a :class:`SharedMix` when sharing-safe mode (``limit``) hides its shares."""
    from routes.analysis import EVIDENCE_CLASSES

    if limit is None:
        return mix
    counts = [getattr(mix, c) * mix.incidents for c in EVIDENCE_CLASSES]
    if any(0 < round(n, 6) < limit for n in counts):
        return SharedMix(mix, limit)
    return mix
