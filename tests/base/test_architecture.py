"""The package layout holds: stages in order, no circles, faces respected, sizes bounded.

Every module under ``routes/`` is parsed with :mod:`ast` (imports inside functions and under
``TYPE_CHECKING`` count); the rules and the import collector live in
``tests/fixtures/architecture.py``. The self-tests at the end feed the same checks a synthetic
bad graph and a tiny bad package, so a check that could never fail would be caught.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from fixtures import architecture as arch

import routes

ROOT = Path(__file__).resolve().parents[2]

MAX_TOP_LEVEL_MODULES = 12
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 150

#: Exceptions to the size limits: none. An entry would have to be added here, visibly; a stale
#: entry fails the test.
KNOWN_OVER_LIMIT: frozenset[str] = frozenset()

#: Exceptions to the private-reach rule (source module, private module imported): none.
KNOWN_PRIVATE_REACH: frozenset[tuple[str, str]] = frozenset()


@pytest.fixture(scope="module")
def graph() -> dict[str, list[arch.Import]]:
    return arch.import_graph(ROOT)


# ----------------------------------------------------------------------------- imports


def test_every_subpackage_is_a_stage(graph: dict[str, list[arch.Import]]) -> None:
    folders = {p.name for p in (ROOT / "routes").iterdir() if (p / "__init__.py").is_file()}
    assert folders <= set(arch.STAGES) - {"base"}, folders - set(arch.STAGES)
    top = {m for m in graph if m.count(".") == 1 and arch.stage_of(m) == "base"}
    assert top == set(arch.BASE_MODULES), "a top-level module is neither a base module nor a face"


def test_no_import_cycles(graph: dict[str, list[arch.Import]]) -> None:
    assert arch.check_cycles(graph) == []


def test_no_module_imports_a_higher_stage(graph: dict[str, list[arch.Import]]) -> None:
    assert arch.check_stage_order(graph) == []


def test_no_module_reaches_into_another_stages_private_parts(
    graph: dict[str, list[arch.Import]],
) -> None:
    assert arch.check_private_reach(graph, known=KNOWN_PRIVATE_REACH) == []
    stale = KNOWN_PRIVATE_REACH - arch.private_module_reaches(graph)
    assert sorted(stale) == [], "fixed: remove them from KNOWN_PRIVATE_REACH"


def test_no_module_imports_its_own_face_or_the_top_package(
    graph: dict[str, list[arch.Import]],
) -> None:
    assert arch.check_faces(graph) == []


# ----------------------------------------------------------------------------- shape


def test_top_level_holds_at_most_twelve_modules() -> None:
    top = sorted(p.name for p in (ROOT / "routes").glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


def test_every_module_declares_all() -> None:
    assert arch.check_all_declared(ROOT) == []


def test_modules_and_functions_stay_within_the_size_limits() -> None:
    over = {p for p, n in arch.module_lines(ROOT).items() if n > MAX_MODULE_LINES}
    over |= {f for f, n in arch.function_lengths(ROOT).items() if n > MAX_FUNCTION_LINES}
    assert sorted(over - KNOWN_OVER_LIMIT) == [], "split these (modules <= 600, functions <= 150)"
    assert sorted(KNOWN_OVER_LIMIT - over) == [], "within the limits now: remove them from the set"


def test_every_stage_face_is_one_paragraph_of_what_it_takes_and_gives() -> None:
    faces = sorted((ROOT / "routes").glob("*/__init__.py"))
    assert len(faces) >= 9
    for face in faces:
        doc = ast.get_docstring(ast.parse(face.read_text(encoding="utf-8")))
        assert doc, face
        summary, *paragraphs = doc.split("\n\n")
        assert "\n" not in summary, f"{face}: a one-line summary first"
        assert len(paragraphs) == 1, f"{face}: one paragraph after the summary"
        assert "Takes " in paragraphs[0], face
        assert " gives " in " ".join(paragraphs[0].split()), face


def test_public_api_keeps_its_96_names() -> None:
    assert len(arch.PUBLIC_NAMES) == len(set(arch.PUBLIC_NAMES)) == 96
    assert sorted(set(arch.PUBLIC_NAMES) - set(routes.__all__)) == []
    for name in arch.PUBLIC_NAMES:
        assert hasattr(routes, name), name


# ----------------------------------------------------------------------------- self-tests


def _imp(source: str, target: str, *names: str) -> arch.Import:
    return arch.Import(source, target, names, 1)


def test_the_checks_fail_on_a_synthetic_bad_graph() -> None:
    bad = {
        "routes": [_imp("routes", "routes.cli")],
        "routes._io": [_imp("routes._io", "routes")],  # base imports the top package
        "routes.geo": [_imp("routes.geo", "routes.geo.a")],
        "routes.geo.a": [_imp("routes.geo.a", "routes.geo.b")],
        "routes.geo.b": [_imp("routes.geo.b", "routes.geo.a")],  # circle a <-> b
        "routes.geo.c": [_imp("routes.geo.c", "routes.report.annex")],  # up the stages
        "routes.geo.d": [_imp("routes.geo.d", "routes.geo", "load_borders")],  # own face
        "routes.maps.m": [
            _imp("routes.maps.m", "routes.routing._engine"),  # private module
            _imp("routes.maps.m", "routes.routing", "_closed_nodes"),  # private name
            _imp("routes.maps.m", "routes._io", "atomic_write_text"),  # fine: base
            _imp("routes.maps.m", "routes.maps._encode"),  # fine: own stage
        ],
        "routes.routing._engine": [],
        "routes.routing": [_imp("routes.routing", "routes.routing._engine")],
        "routes.report.annex": [],
        "routes.cli._x": [_imp("routes.cli._x", "routes")],  # fine: the CLI may use routes
    }
    assert arch.check_cycles(bad) == ["routes.geo.a <-> routes.geo.b"]
    up = arch.check_stage_order(bad)
    assert len(up) == 1
    assert "routes.report.annex (report, higher)" in up[0]
    private = arch.check_private_reach(bad)
    assert len(private) == 2
    assert "private module of routing" in private[0]
    assert "['_closed_nodes']" in private[1]
    assert arch.private_module_reaches(bad) == {("routes.maps.m", "routes.routing._engine")}
    known = {("routes.maps.m", "routes.routing._engine")}
    assert len(arch.check_private_reach(bad, known=known)) == 1  # the private name stays
    faces = arch.check_faces(bad)
    assert len(faces) == 2
    assert faces[0].startswith("routes._io:1: imports the top routes package")
    assert faces[1] == "routes.geo.d:1: imports its own stage's face routes.geo"


def test_the_collector_sees_imports_in_functions_type_checking_and_relative_ones() -> None:
    source = textwrap.dedent(
        """
        from __future__ import annotations
        from typing import TYPE_CHECKING
        import numpy as np
        from . import _pack
        from .._errors import Problem
        if TYPE_CHECKING:
            from routes.report import Report
        def draw():
            import routes.routing._engine
            from routes.geo import load_borders, gazetteer
        """
    )
    modules = ["routes", "routes._errors", "routes.geo.gazetteer", "routes.maps._pack"]
    got = {
        (i.target, i.names)
        for i in arch.imports_of("routes.maps.m", ast.parse(source), modules, is_package=False)
    }
    assert got == {
        ("routes.maps._pack", ()),
        ("routes._errors", ("Problem",)),
        ("routes.report", ("Report",)),
        ("routes.routing._engine", ()),
        ("routes.geo.gazetteer", ()),
        ("routes.geo", ("load_borders",)),
    }


def test_the_shape_checks_fail_on_a_tiny_bad_package(tmp_path: Path) -> None:
    pkg = tmp_path / "routes"
    (pkg / "geo").mkdir(parents=True)
    (pkg / "__init__.py").write_text('__all__ = ["x"]\nx = 1\n', encoding="utf-8")
    (pkg / "geo" / "__init__.py").write_text("from routes.geo.big import f\n", encoding="utf-8")
    body = "".join(f"    y = {i}\n" for i in range(MAX_FUNCTION_LINES))
    (pkg / "geo" / "big.py").write_text(f"__all__ = ['f']\ndef f():\n{body}", encoding="utf-8")
    assert arch.check_all_declared(tmp_path) == ["routes.geo"]
    lengths = arch.function_lengths(tmp_path)
    assert lengths == {"routes/geo/big.py::f": MAX_FUNCTION_LINES + 1}
    assert arch.module_lines(tmp_path)["routes/geo/big.py"] == MAX_FUNCTION_LINES + 2
    graph = arch.import_graph(tmp_path)
    assert [i.target for i in graph["routes.geo"]] == ["routes.geo.big"]
