"""Place-name normalisation: case, diacritics, Cyrillic, punctuation and spelling variants.

Two levels of key are used by :mod:`routes.gazetteer`:

* the **exact key** (:func:`normalize_name`): case-folded, Serbian / Macedonian / Bulgarian /
  Russian Cyrillic transliterated to Latin, diacritics removed, punctuation and hyphens turned
  into single spaces (``"Niš"``, ``"Nis"`` and ``"Ниш"`` all give ``"nis"``);
* the **loose key** (:func:`loose_key`): the exact key without spaces and with the common
  English / Albanian digraphs folded (``sh``→``s``, ``ch``→``c``, ``zh``→``z``, ``gj``→``g``,
  ``dj``→``d``, ``kj``→``k``, ``y``→``j``), so ``"Kichevo"`` meets ``"Kičevo"`` and
  ``"Bijelo-Polje"`` meets ``"BijeloPolje"``. It is only consulted when no exact key matches.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ascii_name", "index_keys", "loose_key", "normalize_name"]

# Cyrillic → Latin with the diacritics of the Serbian / Macedonian Latin alphabets (they are
# stripped afterwards, so "Скопје" → "skopje" and "Ђаковица" → "djakovica"). Bulgarian and
# Russian letters are covered too so that any Cyrillic input gives a sensible key.
_CYRILLIC: dict[str, str] = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "ђ": "đ",
    "ѓ": "ǵ",
    "е": "e",
    "ж": "ž",
    "з": "z",
    "ѕ": "dz",
    "и": "i",
    "ј": "j",
    "к": "k",
    "л": "l",
    "љ": "lj",
    "м": "m",
    "н": "n",
    "њ": "nj",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "ћ": "ć",
    "ќ": "ḱ",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "c",
    "ч": "č",
    "џ": "dž",
    "ш": "š",
    # Bulgarian / Russian / Ukrainian / Belarusian letters
    "щ": "št",
    "ъ": "a",
    "ь": "",
    "ю": "ju",
    "я": "ja",
    "й": "j",
    "ы": "y",
    "э": "e",
    "ё": "jo",
    "є": "je",
    "і": "i",
    "ї": "ji",
    "ґ": "g",
    "ў": "u",
    "ѣ": "e",
    "ꙁ": "z",
}

# Latin letters that Unicode decomposition leaves alone. "đ" gives "dj" here; the index also
# stores the "d" spelling (Đakovica = Djakovica = Dakovica).
_LATIN_SPECIAL: dict[str, str] = {
    "đ": "dj",
    "ł": "l",
    "ø": "o",
    "æ": "ae",
    "œ": "oe",
    "ß": "ss",
    "ı": "i",
    "ħ": "h",
    "þ": "th",
    "ð": "d",
}

_CYRILLIC_TABLE = str.maketrans(_CYRILLIC)
_TABLE_DJ = str.maketrans(_LATIN_SPECIAL)
_TABLE_D = str.maketrans({**_LATIN_SPECIAL, "đ": "d"})

_APOSTROPHES = re.compile(r"['’ʼ`´ʻ‘]")
_NON_ALNUM = re.compile(r"[\W_]+")
_LOOSE_FOLDS: tuple[tuple[str, str], ...] = (
    ("dzh", "dz"),
    ("sh", "s"),
    ("ch", "c"),
    ("zh", "z"),
    ("gj", "g"),
    ("dj", "d"),
    ("kj", "k"),
    ("y", "j"),
)


# The combining-mark blocks of Unicode (diacritics left over by NFKD decomposition).
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def _key(text: str, table: dict[int, str]) -> str:
    folded = unicodedata.normalize("NFC", text).casefold()
    folded = folded.translate(_CYRILLIC_TABLE).translate(table)
    stripped = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
    stripped = _APOSTROPHES.sub("", stripped)
    return _NON_ALNUM.sub(" ", stripped).strip()


def normalize_name(s: str) -> str:
    """Return the matching key of a place or country name.

    The key is case-folded, Cyrillic is transliterated to Latin (Serbian and Macedonian letters
    ђ ћ ѓ ќ ѕ џ љ њ ј included), diacritics are removed, apostrophes dropped and any run of
    spaces, hyphens or other punctuation becomes one space.

    Parameters
    ----------
    s
        A name in any script.

    Returns
    -------
    str
        The key; ``""`` when ``s`` holds no letters or digits.

    Raises
    ------
    TypeError
        When ``s`` is not a string.

    Examples
    --------
    >>> normalize_name("Niš"), normalize_name("Ниш"), normalize_name("NIS")
    ('nis', 'nis', 'nis')
    >>> normalize_name("Скопје"), normalize_name("Ђаковица"), normalize_name("Shkodër")
    ('skopje', 'djakovica', 'shkoder')
    >>> normalize_name("  Bijelo-Polje ")
    'bijelo polje'
    """
    if not isinstance(s, str):
        raise TypeError(f"a place name must be a string, instead got {s!r} of type {type(s)}")
    return _key(s, _TABLE_DJ)


def index_keys(s: str) -> set[str]:
    """Return every exact key under which a name is indexed (both spellings of ``đ``)."""
    keys = {_key(s, _TABLE_DJ)}
    if "đ" in s or "Đ" in s or "ђ" in s or "Ђ" in s:
        keys.add(_key(s, _TABLE_D))
    keys.discard("")
    return keys


def loose_key(key: str) -> str:
    """Return the loose key of an exact key (no spaces, common digraphs folded).

    >>> loose_key("kichevo"), loose_key("kicevo"), loose_key("bijelo polje")
    ('kicevo', 'kicevo', 'bijelopolje')
    """
    out = key.replace(" ", "")
    for old, new in _LOOSE_FOLDS:
        out = out.replace(old, new)
    return out


def _map_case(text: str, table: dict[str, str]) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        rep = table.get(low)
        if rep is None:
            out.append(ch)
        elif ch != low and rep:
            out.append(rep[0].upper() + rep[1:])
        else:
            out.append(rep)
    return "".join(out)


def ascii_name(s: str) -> str:
    """Return ``s`` without diacritics and Cyrillic, keeping case (``"Niš"`` → ``"Nis"``).

    >>> ascii_name("Đakovica"), ascii_name("Shkodër"), ascii_name("Ниш"), ascii_name("Ђаковица")
    ('Djakovica', 'Shkoder', 'Nis', 'Djakovica')
    """
    text = _map_case(_map_case(unicodedata.normalize("NFC", s), _CYRILLIC), _LATIN_SPECIAL)
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
