"""Build the synthetic "bring your own file" test files of tests/fixtures/incidents/byof/.

Two shapes that the issue's real files have (the real files are not redistributable or not
at hand, so nothing here is copied from them; see tests/fixtures/incidents/byof/PROVENANCE.md):

- ``terror_export_balkans.csv``: an ETL export of a terrorism-incident database cut to the
  Balkans, 537 rows, columns ``id,date,country,alpha2,city,lat,lon,attack_type,weapon_type,
  weapon_subtype,fatalities_total``; ``UKN`` for unknown in text and number columns; counts
  written ``0.0``. Weapon words are the public codebook categories of such databases.
- ``kosovo1999_records.csv`` + ``kosovo1999_places.csv``: records whose places are codes
  (``pcode``) resolved by a separate places table ``pcode,sortname,serbname,latitude,longitude``;
  dates like ``01Apr99``. The places are the Kosovo* settlements of the bundled GeoNames
  gazetteer (their coordinates), with made-up codes.

Deterministic (seeded). Run from the repository root::

    python scripts/build_byof_fixtures.py
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

__all__ = ["main"]

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "incidents" / "byof"

# (city, country as the database writes it, alpha2 as the ETL wrote it, lat, lon) - city
# coordinates rounded from GeoNames.
CITIES = [
    ("Sarajevo", "Bosnia-Herzegovina", "BA", 43.8486, 18.3564),
    ("Mostar", "Bosnia-Herzegovina", "BA", 43.3433, 17.8081),
    ("Tuzla", "Bosnia-Herzegovina", "BA", 44.5384, 18.6671),
    ("Banja Luka", "Bosnia-Herzegovina", "BA", 44.7758, 17.1858),
    ("Pristina", "Kosovo", "XK", 42.6727, 21.1669),
    ("Prizren", "Kosovo", "XK", 42.2139, 20.7397),
    ("Mitrovica", "Kosovo", "XK", 42.8833, 20.8667),
    ("Pec", "Kosovo", "XK", 42.6591, 20.2883),
    ("Belgrade", "Serbia", "RS", 44.8040, 20.4651),
    ("Novi Sad", "Serbia", "RS", 45.2517, 19.8369),
    ("Nis", "Serbia", "RS", 43.3247, 21.9033),
    ("Presevo", "Serbia", "RS", 42.3092, 21.6497),
    ("Skopje", "Macedonia", "MK", 41.9965, 21.4314),
    ("Tetovo", "Macedonia", "MK", 42.0069, 20.9715),
    ("Kumanovo", "Macedonia", "MK", 42.1322, 21.7144),
    ("Tirana", "Albania", "AL", 41.3275, 19.8189),
    ("Shkoder", "Albania", "AL", 42.0683, 19.5126),
    ("Durres", "Albania", "AL", 41.3231, 19.4414),
    ("Podgorica", "Montenegro", "ME", 42.4411, 19.2636),
    ("Niksic", "Montenegro", "ME", 42.7731, 18.9445),
]
# Country names of the 1990s that an ETL could not turn into an ISO code.
OLD_NAMES = {"RS": "Yugoslavia", "ME": "Serbia-Montenegro"}

ATTACKS = [
    ("Bombing/Explosion", 40),
    ("Armed Assault", 25),
    ("Assassination", 10),
    ("Facility/Infrastructure Attack", 10),
    ("Hostage Taking (Kidnapping)", 4),
    ("Unarmed Assault", 3),
    ("Unknown", 8),
]
WEAPONS: list[tuple[str, int, list[str]]] = [
    (
        "Explosives",
        44,
        [
            "Grenade",
            "Unknown Explosive Type",
            "Dynamite/TNT",
            "Landmine",
            "Projectile (rockets, mortars, RPGs, etc.)",
            "Remote Trigger",
            "Pipe Bomb",
            "Other Explosive Type",
            "UKN",
        ],
    ),
    (
        "Firearms",
        36,
        [
            "Automatic or Semi-Automatic Rifle",
            "Handgun",
            "Rifle/Shotgun (non-automatic)",
            "Unknown Gun Type",
            "UKN",
        ],
    ),
    ("Incendiary", 6, ["Arson/Fire", "Molotov Cocktail/Petrol Bomb", "Gasoline or Alcohol"]),
    ("Melee", 3, ["Knife or Other Sharp Object", "Blunt Object"]),
    ("Unknown", 9, ["UKN"]),
    ("Vehicle (not to include vehicle-borne explosives, i.e., car or truck bombs)", 1, ["UKN"]),
    ("Chemical", 1, ["Poisoning"]),
]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    names = [w[0] for w in weighted]
    return rng.choices(names, weights=[w[1] for w in weighted])[0]


def terror_export(rng: random.Random, n: int = 537) -> list[list[str]]:
    """The rows of the terrorism-database-like export (header first)."""
    rows = [
        [
            "id",
            "date",
            "country",
            "alpha2",
            "city",
            "lat",
            "lon",
            "attack_type",
            "weapon_type",
            "weapon_subtype",
            "fatalities_total",
        ]
    ]
    start = dt.date(1992, 1, 1)
    days = sorted(rng.randrange(0, (dt.date(2019, 12, 31) - start).days) for _ in range(n))
    per_day: dict[dt.date, int] = {}
    for k in range(n):
        day = start + dt.timedelta(days=days[k])
        per_day[day] = per_day.get(day, 0) + 1
        event_id = f"{day:%Y%m%d}{per_day[day]:04d}"
        city, country, alpha2, lat, lon = rng.choice(CITIES)
        if alpha2 in OLD_NAMES and day.year < 2006 and rng.random() < 0.7:
            country, alpha2 = OLD_NAMES[alpha2], "UKN"
        lat_s = f"{lat + rng.uniform(-0.02, 0.02):.6f}"
        lon_s = f"{lon + rng.uniform(-0.02, 0.02):.6f}"
        r = rng.random()
        if r < 0.05:  # coordinates unknown: the city name is all there is
            lat_s = lon_s = "UKN"
        elif r < 0.07:  # nothing known about the place
            lat_s = lon_s = city = "UKN"
        date_s = day.isoformat() if rng.random() > 0.02 else "UKN"
        wtype = _pick(rng, [(w[0], w[1]) for w in WEAPONS])
        subtypes = next(w[2] for w in WEAPONS if w[0] == wtype)
        subtype = rng.choice(subtypes)
        deaths = rng.choices(["0.0", "1.0", "2.0", "3.0", "UKN"], weights=[60, 20, 8, 4, 8])[0]
        rows.append(
            [
                event_id,
                date_s,
                country,
                alpha2,
                city,
                lat_s,
                lon_s,
                _pick(rng, ATTACKS),
                wtype,
                subtype,
                deaths,
            ]
        )
    return rows


def kosovo_places() -> list[list[str]]:
    """The places table: made-up codes for the Kosovo* settlements of the bundled gazetteer."""
    from routes.geo import load_gazetteer

    places = load_gazetteer().places
    xk = places[places["jurisdiction"] == "XK"].sort_values("geonameid")
    rows = [["pcode", "sortname", "serbname", "latitude", "longitude"]]
    for i, p in enumerate(xk.itertuples(index=False), start=1):
        cyr = [a for a in p.alternate_names if any("\u0400" <= ch <= "\u04ff" for ch in a)]
        serb = next(
            (a for a in p.alternate_names if any(ch in a for ch in "čćšžđ")),
            cyr[0] if cyr else p.name,
        )
        rows.append([f"KS{i:04d}", p.ascii_name, serb, f"{p.latitude:.5f}", f"{p.longitude:.5f}"])
    rows.append([f"KS{len(rows):04d}", "Unplaced", "Nepoznato", "0", "0"])  # refused: 0,0
    return rows


def kosovo_records(rng: random.Random, codes: list[str], n: int = 400) -> list[list[str]]:
    """Records dated March-June 1999 whose place is a code of the places table."""
    rows = [["recno", "date", "pcode", "source", "victims"]]
    start = dt.date(1999, 3, 20)
    for k in range(1, n + 1):
        day = start + dt.timedelta(days=rng.randrange(0, 90))
        code = rng.choice(codes)
        if rng.random() < 0.015:
            code = f"KS{9000 + k}"  # a code the places table does not have
        rows.append(
            [
                str(1000 + k),
                day.strftime("%d%b%y"),
                code,
                rng.choice(["ABA", "HRW", "OSCE", "PHR"]),
                str(rng.randint(1, 12)),
            ]
        )
    return rows


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def main() -> None:
    """Write the three files."""
    OUT.mkdir(parents=True, exist_ok=True)
    _write(OUT / "terror_export_balkans.csv", terror_export(random.Random(19)))
    places = kosovo_places()
    _write(OUT / "kosovo1999_places.csv", places)
    codes = [r[0] for r in places[1:-1]]
    _write(OUT / "kosovo1999_records.csv", kosovo_records(random.Random(1999), codes))


if __name__ == "__main__":
    main()
