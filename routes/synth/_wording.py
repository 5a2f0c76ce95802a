"""The words of the synthetic records: spellings, sources, notes and hiding places.

Everything here is invented text in the style of public seizure reports (SEESAC AVMP
bulletins, border-police press releases); weapon models and calibres are the ones those reports
name. Nothing is a real incident.
"""

from __future__ import annotations

import unicodedata

__all__ = ["CATEGORY_NOTES", "CYRILLIC", "HIDING", "LOCAL_NOTES", "SOURCES", "fold"]

#: Serbian / Macedonian Cyrillic spellings written by some units (resolved by the gazetteer).
CYRILLIC = {
    "Belgrade": "Београд",
    "Niš": "Ниш",
    "Novi Sad": "Нови Сад",
    "Kragujevac": "Крагујевац",
    "Subotica": "Суботица",
    "Leskovac": "Лесковац",
    "Vranje": "Врање",
    "Čačak": "Чачак",
    "Kraljevo": "Краљево",
    "Pirot": "Пирот",
    "Skopje": "Скопје",
    "Kumanovo": "Куманово",
    "Bitola": "Битола",
    "Tetovo": "Тетово",
    "Veles": "Велес",
    "Ohrid": "Охрид",
    "Banja Luka": "Бања Лука",
    "Bijeljina": "Бијељина",
    "Trebinje": "Требиње",
    "Podgorica": "Подгорица",
    "Nikšić": "Никшић",
}

SOURCES = (
    "SYNTHETIC - border police report (generated sample, not a real incident)",
    "SYNTHETIC - customs administration report (generated sample, not a real incident)",
    "SYNTHETIC - criminal police case record (generated sample, not a real incident)",
    "SYNTHETIC - media report (generated sample, not a real incident)",
)

CATEGORY_NOTES: dict[str, tuple[str, ...]] = {
    "pistol": (
        "Zastava CZ99 pistol, 9 mm, no licence",
        "Pistol with two magazines",
        "Glock-type pistol, serial number removed",
        "Tokarev-type pistol (7.62x25 mm)",
    ),
    "revolver": ("Revolver .38 Special, unregistered", "Old revolver with 6 rounds"),
    "rifle": ("Hunting rifle without permit", "Bolt-action rifle with telescopic sight"),
    "shotgun": ("Pump-action shotgun, sawn-off barrel", "Shotgun found with 20 cartridges"),
    "automatic_rifle": (
        "Kalashnikov-type automatic rifle (M70), 7.62x39 mm",
        "Automatic rifles from 1990s stock, wrapped in oil cloth",
        "Folding-stock M70AB2 automatic rifle",
    ),
    "submachine_gun": ("Scorpion-type submachine gun (M84)", "Submachine gun with silencer"),
    "machine_gun": ("M84 machine gun", "Light machine gun with belts of ammunition"),
    "converted_weapon": (
        "Zoraki blank-firing pistol converted to fire live 9 mm rounds",
        "Ekol alarm pistol, barrel replaced for live ammunition",
        "Converted gas pistol with 'home-made' barrel",
    ),
    "blank_firing_weapon": (
        "Zoraki 914 blank-firing pistols in original boxes",
        "Ekol blank-firing pistols, Türkiye-made, not marked for conversion checks",
        "Alarm pistols (9 mm P.A.K.) & blank cartridges",
    ),
    "craft_or_3d_printed": (
        "Craft-produced pistol",
        "3D-printed frame with metal parts",
        "Improvised 'pen gun' (single shot)",
    ),
    "hand_grenade": (
        "M75 hand grenades",
        "Hand grenades (M75) with fuses",
        "Defensive hand grenade found in a garage",
    ),
    "rocket_launcher": ("M80 'Zolja' rocket launcher", "Disposable rocket launcher (M80)"),
    "mortar_or_artillery_round": (
        "Mortar rounds 60 mm, unexploded",
        "Artillery shells from a former depot",
    ),
    "ammunition": (
        "Ammunition 7.62x39 mm in boxes",
        "Ammunition 9x19 mm, loose",
        "Mixed ammunition (7.62x39, 9x19, 5.56x45)",
        "Rifle ammunition & loaded magazines",
    ),
    "explosives": (
        "TNT blocks with detonators",
        "Plastic explosive and detonating cord",
        "Commercial explosive (quarry type) without permit",
    ),
    "parts_components": (
        "Barrels and slides for conversion of alarm pistols",
        "Magazines and firing pins",
        "Parts kits ('conversion kits') in a parcel",
    ),
    "other": ("Silencers and optics", "Weapon accessories without permit", "Air gun, modified"),
}

HIDING: dict[str, tuple[str, ...]] = {
    "private_vehicle": (
        "hidden in the door panels",
        "in a purpose-built compartment under the rear seat",
        "in the spare-wheel well",
    ),
    "bus": ("in a passenger's luggage", "in the luggage compartment, no owner identified"),
    "truck": ("among a cargo of furniture", "in the driver's cabin", "in a pallet of tiles"),
    "train": ("in a compartment ceiling panel", "in a passenger's bag"),
    "parcel_post": (
        "declared as 'car parts'",
        "declared as 'toys' (X-ray check)",
        "express courier parcel",
    ),
    "on_foot": (
        "carried in a backpack across the green border",
        "hidden in a field near the border",
    ),
    "boat": ("on a speedboat intercepted at sea", "hidden on a fishing boat"),
    "air": ("in checked baggage", "in air cargo declared as spare parts"),
    "other": ("found during a routine check",),
    "unknown": ("",),
}

LOCAL_NOTES = {
    "RS": "Пронађено приликом претреса, без дозволе",
    "BA": "Pronađeno prilikom pretresa, bez dozvole",
    "ME": "Pronađeno prilikom pretresa, bez dozvole",
    "MK": "Пронајдено при претрес, без дозвола",
    "AL": "Gjetur gjatë kontrollit, pa leje",
    "XK": "Gjetur gjatë kontrollit, pa leje",
}


def fold(text: str) -> str:
    """ASCII-fold a name (``"Niš"`` -> ``"Nis"``), as some units type them."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).replace("đ", "dj")
