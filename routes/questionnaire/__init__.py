"""Per-jurisdiction questionnaire statistics: the threat assessment's first chapter.

Takes a questionnaire file (the long table or the wide workbook of
:mod:`~routes.questionnaire.format`) and gives every value accepted or rejected with its fix and
the inconsistencies between them (:func:`read_questionnaire`); the comparison of the six
jurisdictions (tables, rates per 100,000 inhabitants from the bundled population table, trend
charts, the reported routes as country-to-country flows on the network), its reconciliation
with incident records (:mod:`~routes.questionnaire.compare`) and the blank template workbook.
Published tables in another layout (UNODC's IAFQ export) are read through a questionnaire
mapping (``read_questionnaire(..., mapping="unodc_iafq")``, :func:`load_questionnaire_mapping`).
"""

from __future__ import annotations

from routes.questionnaire._mapped import MAPPING_REASONS
from routes.questionnaire._mapping import (
    QuestionnaireMapping,
    load_questionnaire_mapping,
    questionnaire_mappings,
)
from routes.questionnaire.chapter import QuestionnaireChapter, questionnaire_chapter
from routes.questionnaire.charts import questionnaire_trend_chart, reported_routes_map
from routes.questionnaire.compare import (
    FIREARM_CATEGORIES,
    comparison_table,
    converted_share_table,
    coverage_table,
    jurisdiction_table,
    load_population,
    questionnaire_rates,
    reported_routes,
    route_flows,
    weapon_type_table,
)
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
from routes.questionnaire.template import (
    questionnaire_template_path,
    write_questionnaire_template,
    write_questionnaire_workbook,
)

__all__ = [
    "FIREARM_CATEGORIES",
    "INCONSISTENCY_KINDS",
    "INDICATORS",
    "MAPPING_REASONS",
    "QUESTIONNAIRE_CATEGORIES",
    "QUESTIONNAIRE_COLUMNS",
    "QUESTIONNAIRE_REASONS",
    "Indicator",
    "QuestionnaireChapter",
    "QuestionnaireColumn",
    "QuestionnaireMapping",
    "QuestionnaireReadResult",
    "comparison_table",
    "converted_share_table",
    "coverage_table",
    "jurisdiction_table",
    "load_population",
    "load_questionnaire_mapping",
    "questionnaire_chapter",
    "questionnaire_mappings",
    "questionnaire_markdown",
    "questionnaire_rates",
    "questionnaire_template_path",
    "questionnaire_trend_chart",
    "read_questionnaire",
    "reported_routes",
    "reported_routes_map",
    "route_flows",
    "weapon_type_table",
    "write_questionnaire_template",
    "write_questionnaire_workbook",
]
