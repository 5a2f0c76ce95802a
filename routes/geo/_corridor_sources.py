"""The public source of each bundled corridor (:data:`routes.geo.CORRIDORS`).

Private: :mod:`routes.geo.route_facts` gives each corridor its ``source`` from here. A source
names what places a route of the region there (the E-road network, the crossing points quoted
by the border police, the public reports on firearms trafficking); the corridors' weights stay
modelling weights.
"""

from __future__ import annotations

__all__ = ["CORRIDOR_SOURCES"]

_EROADS = "UNECE E-road network (AGR Annex I)"
_BORDER = "crossing points as quoted by the region's border police (scripts/facts/crossings.csv)"
_SOCTA = "Europol EU SOCTA and EMPACT Firearms reports"
_SEESAC = "SEESAC Armed Violence Monitoring Platform bulletins (Western Balkans)"
#: The public source of each corridor (what says a route of the region runs there).
CORRIDOR_SOURCES: dict[str, str] = {
    "E75N_MK": f"{_EROADS}: E75 Skopje-Niš-Beograd-Subotica; {_SOCTA}",
    "E75N_XK": f"{_EROADS}: E75 Niš-Beograd-Subotica; Merdare crossing, {_BORDER}; {_SOCTA}",
    "E70W_RS": f"{_EROADS}: E70 Beograd-Batrovci/Bajakovo-Zagreb; {_SOCTA}",
    "E70W_MK": f"{_EROADS}: E75 and E70 via Beograd; {_SOCTA}",
    "BA_GRADISKA": f"{_EROADS}: E661 Banja Luka-Gradiška; {_SEESAC}",
    "BA_BIJACA": f"{_EROADS}: E73 Sarajevo-Mostar; Bijača crossing, {_BORDER}; {_SEESAC}",
    "BA_SVILAJ": f"Pan-European Corridor Vc (Svilaj-Doboj-Sarajevo); {_SEESAC}",
    "BA_RS_RACA": f"Sremska Rača crossing, {_BORDER}; {_SEESAC}",
    "E80_TR": f"{_EROADS}: E80 Niš-Gradina/Kalotina-Sofija; {_SOCTA} (blank-firing pistols)",
    "E80_TR_BA": f"{_EROADS}: E80 and the Drina crossing Karakaj; {_SOCTA}",
    "PARCEL_TR": f"{_SOCTA} (converted pistols sent by post and parcel)",
    "PARCEL_EU": f"{_SOCTA} (parcels from the region to the EU)",
    "FERRY_DURRES": "Adriatic-Ionian ferry line Durrës-Bari (published timetables); " + _SOCTA,
    "FERRY_BAR": "Adriatic-Ionian ferry line Bar-Bari (published timetables); " + _SOCTA,
    "SPEEDBOAT_VLORE": f"{_SEESAC}; {_SOCTA}",
    "ADRIATIC_AL_ME_HR": f"{_EROADS}: E762 Tirana-Podgorica, E65 along the Adriatic; {_SEESAC}",
    "ME_BA": f"{_EROADS}: E762 Podgorica-Sarajevo (Hum crossing); {_SEESAC}",
    "RS_ME_SANDZAK": f"Špiljani crossing, {_BORDER}; {_SEESAC}",
    "RS_ME_E763": f"{_EROADS}: E763 Beograd-Bar; {_SEESAC}",
    "XK_AL": f"Vërmicë-Morinë crossing, {_BORDER}; {_SEESAC}",
    "XK_MK": f"{_EROADS}: E65 Prishtinë-Hani i Elezit-Skopje; {_SEESAC}",
    "XK_RS_JARINJE": f"Jarinje crossing, {_BORDER}; {_SEESAC}",
    "AL_MK": f"Qafë Thanë-Kafasan crossing, {_BORDER}; {_SEESAC}",
    "AL_GR": f"Kakavijë crossing, {_BORDER}; {_SEESAC}",
    "MK_GR": f"{_EROADS}: E75 Skopje-Gevgelija-Thessaloníki; {_SEESAC}",
    "GB_BA_HR": f"{_SOCTA} (small quantities moved by migrants' smugglers); {_SEESAC}",
    "GB_RS_HU": f"{_SOCTA} (small quantities moved by migrants' smugglers); {_SEESAC}",
    "GB_MK_GR": f"{_SOCTA} (small quantities moved by migrants' smugglers); {_SEESAC}",
    "AIR_BEG": f"Belgrade airport; {_SOCTA} (air cargo and passengers' luggage)",
    "AIR_TIA": f"Tirana airport; {_SOCTA} (air cargo and passengers' luggage)",
    "RAIL_SID": f"Šid-Tovarnik rail crossing, {_BORDER}",
    "DANUBE": f"Golubac Danube crossing, {_BORDER}",
}
