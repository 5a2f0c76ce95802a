"""Modelling weights of the synthetic incident generator (see :mod:`routes.synth`).

The public route facts the generator draws from (settlements, crossings, corridors) live in the
geo stage (:mod:`routes.geo.route_facts`). What is left here are modelling weights, each with
its reasoning stated next to it. Nothing is a real incident.

Sources
-------
- Shares: SEESAC, Armed Violence Monitoring Platform (AVMP) bulletins for the Western Balkans:
  about half of the recorded firearm incidents are weapon seizures; about 72 % involve illegal
  possession; converted blank-firing (alarm) weapons, hand grenades and ammunition recur. SEESAC
  and the Europol EU SOCTA / EMPACT Firearms reports describe converted or convertible
  blank-firing pistols (e.g. Zoraki, Ekol brands made in Türkiye) moving via Bulgaria and Serbia,
  legacy military stock (Kalashnikov-type rifles, M75 hand grenades, M80 "Zolja" launchers)
  moving toward the EU in cars, buses, trucks and parcels, and small quantities moved by
  migrants' smugglers across the green border.
"""

from __future__ import annotations

__all__ = [
    "CATEGORY_PROFILES",
    "DOMESTIC_JURISDICTION_WEIGHTS",
    "MONTH_WEIGHTS",
    "YEAR_WEIGHTS",
]


#: Relative volume of recorded incidents per year. A dip in 2020 (border closures and
#: lockdowns cut traffic on every corridor), recovery from 2021, more recording from 2022.
YEAR_WEIGHTS: dict[int, float] = {
    2017: 0.85,
    2018: 0.9,
    2019: 1.0,
    2020: 0.78,
    2021: 0.95,
    2022: 1.08,
    2023: 1.18,
    2024: 1.22,
    2025: 1.15,
    2026: 1.15,
}

#: Relative volume per month: summer peak of diaspora and tourist traffic on the E75/E70 and
#: the Adriatic ferries; a smaller December peak (holiday travel, celebratory shooting).
MONTH_WEIGHTS: tuple[float, ...] = (
    0.85,
    0.8,
    0.9,
    0.95,
    1.0,
    1.05,
    1.25,
    1.3,
    1.05,
    0.95,
    0.9,
    1.1,
)

#: Share of incidents without a route (possession, finds, surrenders) recorded per jurisdiction.
#: Roughly population-proportional with Montenegro and Kosovo* over-represented, as in the AVMP
#: per-capita figures.
DOMESTIC_JURISDICTION_WEIGHTS: dict[str, float] = {
    "RS": 0.33,
    "BA": 0.19,
    "AL": 0.14,
    "MK": 0.13,
    "XK": 0.12,
    "ME": 0.09,
}

#: Category mix (vocabulary value -> weight) per profile.
CATEGORY_PROFILES: dict[str, dict[str, float]] = {
    # legacy stock found or seized in the jurisdictions: ammunition, pistols, grenades, AK rifles
    "domestic": {
        "ammunition": 27,
        "pistol": 20,
        "hand_grenade": 12,
        "automatic_rifle": 10,
        "rifle": 6,
        "shotgun": 4,
        "revolver": 3,
        "converted_weapon": 4,
        "blank_firing_weapon": 3,
        "explosives": 3.5,
        "parts_components": 2.5,
        "submachine_gun": 1.5,
        "rocket_launcher": 1,
        "mortar_or_artillery_round": 1,
        "machine_gun": 0.5,
        "craft_or_3d_printed": 0.5,
        "other": 1.5,
    },
    # outbound toward the EU: military-grade weapons, grenades, converted pistols, ammunition
    "outbound": {
        "ammunition": 24,
        "pistol": 15,
        "automatic_rifle": 15,
        "hand_grenade": 10,
        "converted_weapon": 10,
        "parts_components": 8,
        "submachine_gun": 4,
        "rifle": 3,
        "explosives": 3,
        "rocket_launcher": 2,
        "blank_firing_weapon": 2,
        "machine_gun": 1,
        "revolver": 1,
        "craft_or_3d_printed": 1,
        "other": 1,
    },
    # inbound from Türkiye via Bulgaria: blank-firing pistols and their conversion kits
    "blank_supply": {
        "blank_firing_weapon": 45,
        "converted_weapon": 18,
        "parts_components": 15,
        "ammunition": 15,
        "pistol": 5,
        "other": 2,
    },
    # postal and courier shipments
    "parcel": {
        "parts_components": 33,
        "blank_firing_weapon": 27,
        "ammunition": 20,
        "converted_weapon": 9,
        "pistol": 5,
        "craft_or_3d_printed": 4,
        "other": 2,
    },
    # small quantities carried by migrants or their smugglers across the green border
    "green_border": {
        "pistol": 30,
        "ammunition": 22,
        "converted_weapon": 14,
        "blank_firing_weapon": 10,
        "other": 8,
        "hand_grenade": 6,
        "rifle": 5,
        "craft_or_3d_printed": 5,
    },
}
