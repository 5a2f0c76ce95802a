"""Per-jurisdiction questionnaire statistics: the threat assessment's first chapter.

Takes a questionnaire file (the long table or the wide workbook of
:mod:`~routes.questionnaire.format`) and gives every value accepted or rejected with its fix and
the inconsistencies between them (:func:`read_questionnaire`); the comparison of the six
jurisdictions (tables, rates per 100,000 inhabitants from the bundled population table, trend
charts, the reported routes as country-to-country flows on the network) and its reconciliation
with incident records (:mod:`~routes.questionnaire.compare`).
"""

from __future__ import annotations

from routes.questionnaire.format import (
    INCONSISTENCY_KINDS,
    INDICATORS,
    QUESTIONNAIRE_CATEGORIES,
    QUESTIONNAIRE_COLUMNS,
    QUESTIONNAIRE_REASONS,
    Indicator,
    QuestionnaireColumn,
    questionnaire_markdown,
)
from routes.questionnaire.read import QuestionnaireReadResult, read_questionnaire

__all__ = [
    "INCONSISTENCY_KINDS",
    "INDICATORS",
    "QUESTIONNAIRE_CATEGORIES",
    "QUESTIONNAIRE_COLUMNS",
    "QUESTIONNAIRE_REASONS",
    "Indicator",
    "QuestionnaireColumn",
    "QuestionnaireReadResult",
    "questionnaire_markdown",
    "read_questionnaire",
]
