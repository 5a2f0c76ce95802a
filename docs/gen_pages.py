"""mkdocs-gen-files script: pages made from the repository at build time.

- ``api.md``: the API reference, one ``::: routes.NAME`` block for every name of
  ``routes.__all__``, grouped by the stage that defines it (a new public name shows up without
  editing the docs);
- ``data-sources.md``: ``data/README.md`` (sources, licences and build method of every bundled
  file), so the page and the file never differ;
- ``notebooks/*.ipynb``: the committed tutorial notebooks, rendered by mkdocs-jupyter.
"""

from __future__ import annotations

from pathlib import Path

import routes

__all__ = ["STAGES", "api_page", "main"]

REPO = Path(__file__).resolve().parents[1]

#: Stage module -> heading and one sentence, in pipeline order.
STAGES: dict[str, tuple[str, str]] = {
    "routes._constants": ("Jurisdictions", "The jurisdictions, their names and the footnote."),
    "routes._errors": ("Errors", "The one exception bad input raises, and its problems."),
    "routes.schema": ("Incident schema", "The canonical columns and their vocabularies."),
    "routes.geo": ("Reference geography", "Borders, crossings and the offline gazetteer."),
    "routes.incidents": ("Reading incidents", "Files and data frames to canonical incidents."),
    "routes.network": ("Network", "The routable multimodal graph."),
    "routes.routing": ("Routing", "Incidents on the network: paths, alternatives, inference."),
    "routes.analysis": ("Analysis", "Flows, choke points, what-if and statistics."),
    "routes.maps": ("Maps", "Offline interactive HTML maps."),
    "routes.questionnaire": ("Questionnaire", "Official statistics per jurisdiction and year."),
    "routes.report": ("Report", "Figures, tables, the annex and sharing-safe outputs."),
    "routes.synth": ("Synthetic data", "The synthetic sample the demo and notebooks use."),
}


def _stage_of(name: str) -> str:
    module = getattr(routes, "_WHERE", {}).get(name)
    if module is None:
        obj = getattr(routes, name)
        module = getattr(obj, "__module__", "routes")
    for stage in STAGES:
        if module == stage or module.startswith(stage + "."):
            return stage
    return module


def api_page() -> str:
    """The Markdown of the API reference page."""
    names = [n for n in routes.__all__ if n != "__version__"]
    by_stage: dict[str, list[str]] = {}
    for name in names:
        by_stage.setdefault(_stage_of(name), []).append(name)
    unknown = sorted(set(by_stage) - set(STAGES))
    order = [s for s in STAGES if s in by_stage] + unknown
    out = [
        "# API reference",
        "",
        "Every public name of the package, importable from the top: `import routes`, then",
        "`routes.read_incidents(...)`, `routes.route_incidents(...)` and so on. This page is",
        f"generated from `routes.__all__` ({len(names)} names plus `routes.__version__`) and",
        "the docstrings (numpy style) at every build. Options are keyword-only.",
        "",
    ]
    for stage in order:
        title, sentence = STAGES.get(stage, (stage, ""))
        listed = ", ".join(f"[`{n}`](#routes.{n})" for n in sorted(by_stage[stage], key=str.lower))
        out += [f"- **{title}** (`{stage}`): {listed}"]
    for stage in order:
        title, sentence = STAGES.get(stage, (stage, ""))
        out += ["", f"## {title}", "", sentence, ""]
        for name in by_stage[stage]:
            out += [f"::: routes.{name}", ""]
    return "\n".join(out) + "\n"


def main() -> None:
    """Write the generated pages into the build's virtual docs folder."""
    import mkdocs_gen_files

    with mkdocs_gen_files.open("api.md", "w") as f:
        f.write(api_page())

    with mkdocs_gen_files.open("data-sources.md", "w") as f:
        text = (REPO / "data" / "README.md").read_text(encoding="utf-8")
        f.write(text.replace("# Bundled data", "# Data sources and licences", 1))

    for notebook in sorted((REPO / "notebooks").glob("*.ipynb")):
        with mkdocs_gen_files.open(f"notebooks/{notebook.name}", "wb") as f:
            f.write(notebook.read_bytes())


# mkdocs-gen-files runs this file with runpy.run_path (module name "<run_path>"); importing it
# (tests/base/test_docs.py) only defines the functions.
if __name__ in {"__main__", "<run_path>"}:
    main()
