"""Month and weekday names in English and the region's languages, Latin and Cyrillic.

Keys are matching keys (casefolded, diacritics removed, see :func:`name_key`); values are month
numbers 1..12 or ISO weekdays 1 (Monday) .. 7. Languages: English; Bosnian, Croatian,
Montenegrin and Serbian (Latin and Cyrillic; Croatian month names and their genitives);
Albanian (indefinite and definite forms); Macedonian.
"""

from __future__ import annotations

import unicodedata

__all__ = ["MONTHS", "WEEKDAYS", "name_key"]


def name_key(word: str) -> str:
    """Return the matching key of a month or weekday word.

    >>> name_key("Nëntor"), name_key("Siječnja."), name_key("Децембар")
    ('nentor', 'sijecnja', 'децембар')
    """
    text = unicodedata.normalize("NFKD", word.casefold().strip(" .,"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_MONTH_WORDS: tuple[tuple[str, ...], ...] = (
    # English, BCS Latin, Croatian (+ genitive), Albanian (+ definite), Cyrillic BCS, Macedonian
    ("january", "jan", "januar", "siječanj", "siječnja", "janar", "janari", "јануар", "јануари"),
    (
        "february",
        "feb",
        "februar",
        "veljača",
        "veljače",
        "shkurt",
        "shkurti",
        "фебруар",
        "февруари",
    ),
    ("march", "mar", "mart", "ožujak", "ožujka", "mars", "marsi", "март"),
    ("april", "apr", "travanj", "travnja", "prill", "prilli", "април"),
    ("may", "maj", "svibanj", "svibnja", "maji", "мај"),
    ("june", "jun", "juni", "lipanj", "lipnja", "qershor", "qershori", "јун", "јуни"),
    ("july", "jul", "juli", "srpanj", "srpnja", "korrik", "korriku", "јул", "јули"),
    ("august", "aug", "avgust", "kolovoz", "kolovoza", "gusht", "gushti", "август"),
    (
        "september",
        "sep",
        "sept",
        "septembar",
        "rujan",
        "rujna",
        "shtator",
        "shtatori",
        "септембар",
        "септември",
    ),
    (
        "october",
        "oct",
        "oktobar",
        "listopad",
        "listopada",
        "tetor",
        "tetori",
        "октобар",
        "октомври",
    ),
    (
        "november",
        "nov",
        "novembar",
        "studeni",
        "studenog",
        "studenoga",
        "nëntor",
        "nëntori",
        "новембар",
        "ноември",
    ),
    (
        "december",
        "dec",
        "decembar",
        "prosinac",
        "prosinca",
        "dhjetor",
        "dhjetori",
        "децембар",
        "декември",
    ),
)

_WEEKDAY_WORDS: tuple[tuple[str, ...], ...] = (
    (
        "monday",
        "mon",
        "ponedjeljak",
        "ponedeljak",
        "pon",
        "e hënë",
        "hënë",
        "понедељак",
        "понеделник",
    ),
    ("tuesday", "tue", "tues", "utorak", "uto", "e martë", "martë", "уторак", "вторник"),
    ("wednesday", "wed", "srijeda", "sreda", "sri", "sre", "e mërkurë", "mërkurë", "среда"),
    (
        "thursday",
        "thu",
        "thur",
        "thurs",
        "četvrtak",
        "čet",
        "e enjte",
        "enjte",
        "четвртак",
        "четврток",
    ),
    ("friday", "fri", "petak", "pet", "e premte", "premte", "петак", "петок"),
    ("saturday", "sat", "subota", "sub", "e shtunë", "shtunë", "субота", "сабота"),
    ("sunday", "sun", "nedjelja", "nedelja", "ned", "e diel", "diel", "недеља", "недела"),
)

#: Month word key -> month number.
MONTHS: dict[str, int] = {
    name_key(w): i for i, words in enumerate(_MONTH_WORDS, start=1) for w in words
}

#: Weekday word key -> ISO weekday (1 = Monday).
WEEKDAYS: dict[str, int] = {
    name_key(w): i for i, words in enumerate(_WEEKDAY_WORDS, start=1) for w in words
}
