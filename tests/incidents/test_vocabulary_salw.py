"""Generic firearm and explosives codings; weapons outside SALW rejected with a named reason."""

from __future__ import annotations

import pandas as pd
import pytest

import routes
from routes.schema import VOCABULARIES, outside_salw


def _read(cats: list[str], **mapping: object) -> routes.IncidentReadResult:
    frame = pd.DataFrame(
        {
            "incident_id": [f"w{i}" for i in range(len(cats))],
            "date": "2020-01-01",
            "latitude": 42.66,
            "longitude": 21.16,
            "category": cats,
        }
    )
    return routes.incidents_from_frame(frame, mapping=mapping or None, strict=False)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Firearms", "firearm"),
        ("Unknown Gun Type", "firearm"),
        ("Rifle/Shotgun (non-automatic)", "firearm"),  # a rifle or a shotgun: not forced
        ("Automatic Weapon", "firearm"),  # rifle, SMG or machine gun: not forced
        ("Automatic or semi-automatic rifle", "automatic_rifle"),
        ("Handgun", "pistol"),
        ("Explosives", "explosives"),
        ("Explosives/Bombs/Dynamite", "explosives"),
        ("Unknown Explosive Type", "explosives"),
        ("Dynamite/TNT", "explosives"),
        ("Projectile (rockets, mortars, RPGs, etc.)", "explosives"),
        ("Grenade", "hand_grenade"),
        ("vatreno oružje", "firearm"),
    ],
)
def test_database_codings(text: str, category: str) -> None:
    result = _read([text])
    assert result.accepted["category"].tolist() == [category]


@pytest.mark.parametrize(
    "text",
    [
        "Melee",
        "Knife or Other Sharp Object",
        "Vehicle",
        "Vehicle (not to include vehicle-borne explosives, i.e., car or truck bombs)",
        "Chemical",
        "Biological",
        "Incendiary",
        "Arson/Fire",
        "Sabotage Equipment",
        "Fake Weapons",
        "Unknown",
    ],
)
def test_outside_salw_is_rejected_with_its_reason(text: str) -> None:
    result = _read([text, "Firearms"])
    assert result.accepted["incident_id"].tolist() == ["w1"]
    rej = result.rejected
    assert rej["reason"].tolist() == ["outside_salw"]
    assert rej["value"].tolist() == [text]
    assert f'[values.category] "{text}" = "..."' in rej["message"].iloc[0]
    assert result.rows_read == len(result.accepted) + result.rows_rejected


def test_mapping_may_say_a_vehicle_is_a_car_bomb() -> None:
    result = _read(
        ["Vehicle"],
        columns={"incident_id": "incident_id", "date": "date", "category": "category"},
        values={"category": {"Vehicle": "explosives"}},
    )
    assert result.accepted["category"].tolist() == ["explosives"]


def test_unknown_but_not_outside_stays_unknown_vocabulary() -> None:
    assert _read(["Pistoll"]).rejected["reason"].tolist() == ["unknown_vocabulary"]


def test_firearm_is_a_category_everywhere() -> None:
    from routes.questionnaire.compare import FIREARM_CATEGORIES
    from routes.questionnaire.format import QUESTIONNAIRE_CATEGORIES
    from routes.routing._infer import CATEGORY_GROUPS

    assert "firearm" in VOCABULARIES["category"]
    assert "firearm" in FIREARM_CATEGORIES
    assert "firearm" in QUESTIONNAIRE_CATEGORIES
    assert set(CATEGORY_GROUPS) == set(VOCABULARIES["category"])
    assert CATEGORY_GROUPS["firearm"] == "small_arms"
    assert outside_salw("Pistol") is None


def test_unknown_weapon_may_be_kept_without_a_category() -> None:
    result = _read(["Unknown"])
    assert 'add "Unknown" to na_values' in result.rejected["message"].iloc[0]
    kept = _read(
        ["Unknown"],
        columns={"incident_id": "incident_id", "date": "date", "category": "category"},
        na_values=["", "Unknown"],
    )
    assert kept.rows_rejected == 0
    assert kept.accepted["category"].isna().all()
