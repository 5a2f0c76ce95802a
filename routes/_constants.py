"""Jurisdictions of the region, their display names and the Kosovo* designation."""

from __future__ import annotations

__all__ = [
    "ADM0_A3_TO_ISO",
    "ALL_JURISDICTIONS",
    "JURISDICTION_NAMES",
    "KOSOVO_FOOTNOTE",
    "NEIGHBOURS",
    "NETWORK_REACH_KM",
    "WESTERN_BALKANS",
    "display_name",
]

#: The six jurisdictions the tool is built for (ISO 3166-1 alpha-2; XK for Kosovo*).
WESTERN_BALKANS: tuple[str, ...] = ("AL", "BA", "XK", "ME", "MK", "RS")

#: Neighbouring countries whose towns, borders and crossings the tool also knows.
NEIGHBOURS: tuple[str, ...] = ("HR", "SI", "HU", "RO", "BG", "GR", "IT", "AT", "TR")

#: The six jurisdictions followed by their nine neighbours.
ALL_JURISDICTIONS: tuple[str, ...] = WESTERN_BALKANS + NEIGHBOURS

#: How far (km, EPSG:3035) a seizure point may lie from the nearest road junction of the network
#: and still be routed (routes.routing snaps it there). The region test of routes.geo uses the
#: same rule: it accepts only points within this distance of a junction of the bundled network
#: (data/network/reach.parquet), so every accepted point can be routed.
NETWORK_REACH_KM = 50.0

#: English display names; Kosovo carries the asterisk of the designation.
JURISDICTION_NAMES: dict[str, str] = {
    "AL": "Albania",
    "BA": "Bosnia and Herzegovina",
    "XK": "Kosovo*",
    "ME": "Montenegro",
    "MK": "North Macedonia",
    "RS": "Serbia",
    "HR": "Croatia",
    "SI": "Slovenia",
    "HU": "Hungary",
    "RO": "Romania",
    "BG": "Bulgaria",
    "GR": "Greece",
    "IT": "Italy",
    "AT": "Austria",
    "TR": "Türkiye",
}

#: Natural Earth ADM0_A3 codes of the region (never key on NE's ISO_A2: it is -99 for Kosovo).
ADM0_A3_TO_ISO: dict[str, str] = {
    "ALB": "AL",
    "BIH": "BA",
    "KOS": "XK",
    "MNE": "ME",
    "MKD": "MK",
    "SRB": "RS",
    "HRV": "HR",
    "SVN": "SI",
    "HUN": "HU",
    "ROU": "RO",
    "BGR": "BG",
    "GRC": "GR",
    "ITA": "IT",
    "AUT": "AT",
    "TUR": "TR",
}

#: Shown on every map and report that names jurisdictions.
KOSOVO_FOOTNOTE = (
    "*This designation is without prejudice to positions on status, and is in line with "
    "UNSCR 1244/1999 and the ICJ Opinion on the Kosovo declaration of independence."
)


def display_name(code: str) -> str:
    """Return the display name of a jurisdiction code (``"XK"`` → ``"Kosovo*"``).

    Unknown codes are returned unchanged.

    >>> display_name("XK")
    'Kosovo*'
    """
    return JURISDICTION_NAMES.get(code.upper(), code)
