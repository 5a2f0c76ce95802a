"""Build the bundled questionnaire files in data/questionnaire/ from the project's own code.

    python scripts/build_questionnaire.py

- ``questionnaire_template.xlsx``: the blank wide workbook (routes.questionnaire.template);
- ``synthetic_questionnaire.csv``: the SYNTHETIC questionnaire matching the bundled synthetic
  incident sample (routes.synth: seeded, deterministic).

The population table (``population.csv``) is hand-compiled from the national statistical
offices' census releases (sources per row) and is not built here.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from routes.questionnaire import write_questionnaire_template  # noqa: E402
from routes.synth import write_synthetic_questionnaire  # noqa: E402

OUT = ROOT / "data" / "questionnaire"


def main() -> int:
    template = write_questionnaire_template(OUT / "questionnaire_template.xlsx")
    print(f"wrote {template.relative_to(ROOT)}")
    path = write_synthetic_questionnaire(OUT / "synthetic_questionnaire.csv")
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
