"""The incident schema: vocabularies, synonyms, suggestions, and the docs page's tables."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import routes
from routes import CANONICAL_COLUMNS, SCHEMA, SYNONYMS, VOCABULARIES


def test_schema_page_renders_the_tables_from_code(repo: Path) -> None:
    """The docs page carries no copy of the tables: the build renders them from the code."""
    page = (repo / "docs" / "schema.md").read_text(encoding="utf-8")
    for name in ("schema_markdown", "synonyms_markdown"):
        assert re.search(rf"^<!-- generated: {name} -->$", page, flags=re.MULTILINE), name
    assert "| `incident_id` |" not in page  # no hand-kept copy beside the marker
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "| `incident_id` |" not in readme


def test_schema_lists_every_column_once() -> None:
    assert CANONICAL_COLUMNS[0] == "source_row"
    assert CANONICAL_COLUMNS[-1] == "geometry"
    assert len(set(CANONICAL_COLUMNS)) == len(CANONICAL_COLUMNS) == 23
    assert [s.name for s in SCHEMA if s.required] == ["incident_id"]
    table = routes.schema_markdown()
    for name in CANONICAL_COLUMNS:
        assert f"| `{name}` |" in table
    for reason in routes.REJECTION_REASONS:
        assert f"| `{reason}` |" in table


def test_every_synonym_maps_to_a_vocabulary_value() -> None:
    for col, synonyms in SYNONYMS.items():
        assert set(synonyms.values()) <= set(VOCABULARIES[col]), col
    vocabs = routes.vocabularies()
    for col, synonyms in SYNONYMS.items():
        for synonym, value in synonyms.items():
            assert vocabs[col].canonical(synonym) == value, (col, synonym)


@pytest.mark.parametrize(
    ("column", "raw", "value"),
    [
        ("category", "Pištolj", "pistol"),
        ("category", "PISTOLJ", "pistol"),
        ("category", "ručna bomba", "hand_grenade"),
        ("category", "Rucna-Bomba", "hand_grenade"),
        ("category", "bomba", "hand_grenade"),
        ("category", "municija", "ammunition"),
        ("category", "kallashnikov", "automatic_rifle"),
        ("category", "AK-47", "automatic_rifle"),
        ("category", "konvertovan", "converted_weapon"),
        ("category", "пиштољ", "pistol"),
        ("category", "Hand Grenade", "hand_grenade"),
        ("category", "hand_grenade", "hand_grenade"),
        ("ocg_involved", "DA", "yes"),
        ("ocg_involved", "ne", "no"),
        ("migrants_involved", "po", "yes"),
        ("migrants_involved", "Jo", "no"),
        ("event", "zapljena", "seizure"),
        ("event", "Pronađeno", "found"),
        ("modus_operandi", "kamion", "truck"),
        ("verification", "potvrđeno", "confirmed"),
        ("location_precision", "opština", "municipality"),
    ],
)
def test_synonyms_and_case(column: str, raw: str, value: str) -> None:
    assert routes.vocabularies()[column].canonical(raw) == value


def test_unknown_values_get_the_closest_suggestion() -> None:
    vocab = routes.vocabularies()["category"]
    assert vocab.canonical("pistoll") is None
    assert vocab.suggest("pistoll") == "pistol"
    assert vocab.suggest("hand granade") == "hand_grenade"
    assert vocab.suggest("zzzzzz") is None
    values, unknown = vocab.map(pd.Series(["Pištolj", None, "pistoll", "bomba"], dtype="str"))
    assert values.tolist()[0] == "pistol"
    assert values.tolist()[3] == "hand_grenade"
    assert values.isna().tolist() == [False, True, True, False]
    assert unknown.tolist() == [False, False, True, False]


def test_vocabularies_are_extendable() -> None:
    vocabs = routes.vocabularies({"category": {"flare_gun": ["raketni pištolj"]}})
    assert vocabs["category"].canonical("Raketni pistolj") == "flare_gun"
    assert vocabs["category"].canonical("flare gun") == "flare_gun"
    assert "flare_gun" not in VOCABULARIES["category"]  # the built-in one is unchanged
    with pytest.raises(ValueError, match=r"column 'categroy'.*did you mean 'category'"):
        routes.vocabularies({"categroy": ["x"]})
    vocab = routes.vocabularies()["category"]
    with pytest.raises(ValueError, match=r"unknown value 'pistoll'.*did you mean 'pistol'"):
        vocab.with_synonyms({"kratka": "pistoll"})
    assert vocab.with_synonyms({"kratka cijev": "Pištolj"}).canonical("kratka cijev") == "pistol"
