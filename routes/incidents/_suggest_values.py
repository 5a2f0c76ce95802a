"""Value synonyms for the categorical columns: each file value matched to a vocabulary value.

Values the vocabulary already knows need nothing. The others are matched with rapidfuzz
(``WRatio`` on texts without case, diacritics and punctuation) against every value and
synonym of the vocabulary; a match of at least :data:`MIN_SCORE` is proposed with its score.
Values that name something outside small arms and light weapons (melee weapons, vehicles,
chemicals, arson...) are never forced into a category: they stay unmatched, so the reader
rejects their rows with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from routes.incidents._suggest_columns import best_match, header_key, vocabulary_keys
from routes.incidents._suggest_profile import ColumnProfile
from routes.schema import Vocabulary, outside_salw

__all__ = [
    "MIN_SCORE",
    "NOT_SALW",
    "ValueMatch",
    "match_jurisdictions",
    "match_values",
    "outside",
]

#: Lowest rapidfuzz score (0-100) at which a value synonym is proposed.
MIN_SCORE = 86.0

#: Words of weapon codings that are not small arms or light weapons (never a category).
NOT_SALW = re.compile(
    r"\b(melee|knife|knives|sharp|blunt|fists?|hands|vehicle|car|truck|chemical|biological|"
    r"radiological|nuclear|incendiary|arson|fire|molotov|petrol|gasoline|poison\w*|fake|"
    r"sabotage|hijack\w*|rope|strangl\w*|hoax)\b"
)


def outside(value: object) -> str | None:
    """What a category value names when it is outside SALW (the vocabulary's own list first).

    >>> outside("Melee"), outside("Knife or Other Sharp Object") is not None, outside("Rifle")
    ('a melee weapon', True, None)
    """
    kind = outside_salw(value)
    if kind is None and isinstance(value, str) and NOT_SALW.search(header_key(value)):
        kind = "not a small arm or light weapon"
    return kind


@dataclass
class ValueMatch:
    """One file value of a categorical column and what it maps to."""

    column: str  # canonical column
    value: str  # as written in the file
    rows: int
    target: str | None  # canonical value proposed; None: no good match
    score: float  # rapidfuzz score 0-100 of the best match (100: already known)
    known: bool  # the vocabulary knows the value already (no synonym needed)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "column": self.column,
            "value": self.value,
            "rows": self.rows,
            "target": self.target,
            "score": round(self.score, 1),
            "known": self.known,
            "note": self.note,
        }


def match_values(
    key: str, profile: ColumnProfile, vocab: Vocabulary, *, limit: int = 200
) -> list[ValueMatch]:
    """Match the distinct values of a column (most frequent first) to ``vocab``.

    >>> import pandas as pd
    >>> from routes.incidents._suggest_profile import profile_column
    >>> from routes.schema import vocabularies
    >>> prof = profile_column("w", pd.Series(["Pistoll", "Knife", "pistol"]), ())
    >>> sorted((m.value, m.target, m.known) for m in match_values("category", prof,
    ...     vocabularies()["category"]))
    [('Knife', None, False), ('Pistoll', 'pistol', False), ('pistol', 'pistol', True)]
    """
    keys = vocabulary_keys(vocab)
    out = []
    for value, rows in profile.counts.iloc[:limit].items():
        text = str(value)
        canon = vocab.canonical(text)
        if canon is not None:
            out.append(ValueMatch(key, text, int(rows), canon, 100.0, True))
            continue
        target, score, _matched = best_match(text, keys)
        kind = outside(text) if key == "category" else None
        if kind is not None:
            out.append(
                ValueMatch(
                    key,
                    text,
                    int(rows),
                    None,
                    score,
                    False,
                    f"{kind}: outside SALW, its rows are rejected (outside_salw), never forced "
                    "into a category",
                )
            )
        elif score >= MIN_SCORE:
            out.append(ValueMatch(key, text, int(rows), target, score, False))
        else:
            note = f"no close value (closest {target!r}, score {score:.0f})" if target else ""
            out.append(ValueMatch(key, text, int(rows), None, score, False, note))
    return out


def match_jurisdictions(profile: ColumnProfile, *, limit: int = 200) -> list[ValueMatch]:
    """Match a country column's values that :func:`routes.country_code` does not know.

    Close spellings of the region's country names (any of their languages) are proposed as
    ``[values.jurisdiction]`` synonyms; names of countries that no longer exist
    (``Yugoslavia``) are not guessed.

    >>> import pandas as pd
    >>> from routes.incidents._suggest_profile import profile_column
    >>> prof = profile_column("c", pd.Series(["Sjeverna Makedonija", "BiH", "Yugoslavia"]), ())
    >>> sorted((m.value, m.target) for m in match_jurisdictions(prof))
    [('BiH', 'BA'), ('Sjeverna Makedonija', 'MK'), ('Yugoslavia', None)]
    """
    from routes._constants import ALL_JURISDICTIONS
    from routes.geo import COUNTRY_NAMES, country_code

    keys = {
        header_key(name): code
        for code, (_iso3, names) in COUNTRY_NAMES.items()
        if code in ALL_JURISDICTIONS
        for name in names
    }
    out = []
    for value, rows in profile.counts.iloc[:limit].items():
        text = str(value)
        code = country_code(text)
        if code is not None:
            out.append(ValueMatch("jurisdiction", text, int(rows), code, 100.0, True))
            continue
        target, score, matched = best_match(text, keys)
        if score >= MIN_SCORE:
            out.append(ValueMatch("jurisdiction", text, int(rows), target, score, False))
        else:
            note = f"no close country name (closest {matched!r}, score {score:.0f})"
            out.append(ValueMatch("jurisdiction", text, int(rows), None, score, False, note))
    return out
