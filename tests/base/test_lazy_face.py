"""The package face is lazy: ``import routes`` and the CLI pay only for the stages they use."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import routes
from routes._paths import data_dir


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [
            sys.executable,
            "-Werror",
            "-c",
            code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode in (0, 1), out.stderr
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_import_routes_imports_no_stage() -> None:
    mods = _modules_after("import routes")
    assert {m for m in mods if m.startswith("routes")} == {"routes"}
    assert not {"pandas", "numpy", "geopandas", "networkx", "folium", "scipy"} & mods


def test_cli_import_leaves_out_heavy_stages() -> None:
    mods = _modules_after("import routes.cli")
    heavy = {"geopandas", "networkx", "folium", "scipy", "matplotlib", "shapely"}
    assert not heavy & mods, heavy & mods
    assert not {m for m in mods if m.startswith(("routes.analysis", "routes.report"))}


def test_map_without_routes_leaves_out_routing_analysis_and_report(tmp_path: Path) -> None:
    sample = data_dir("incidents") / "synthetic_incidents_sample.csv"
    out = tmp_path / "m.html"
    mods = _modules_after(
        "from routes.cli import main\n"
        f"main(['map', {str(sample)!r}, '--out', {str(out)!r}, '--no-routes'], "
        "standalone_mode=False)"
    )
    assert out.is_file()
    assert "routes.maps" in mods
    assert not {"networkx", "matplotlib", "scipy.sparse.csgraph"} & mods
    assert not {m for m in mods if m.startswith(("routes.analysis", "routes.report"))}


def test_every_public_name_is_the_stage_object() -> None:
    for name in routes.__all__:
        if name == "__version__":
            assert isinstance(routes.__version__, str)
            continue
        module = importlib.import_module(routes._WHERE[name])
        assert getattr(routes, name) is getattr(module, name), name
    assert set(routes._WHERE) | {"__version__"} == set(routes.__all__)
    assert set(routes.__all__) <= set(dir(routes))


def test_star_import_and_from_import() -> None:
    namespace: dict[str, object] = {}
    exec("from routes import *", namespace)
    assert set(routes.__all__) <= set(namespace)
    from routes import read_incidents, route_map

    assert callable(read_incidents)
    assert callable(route_map)


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'routes' has no attribute 'no_such_thing'"):
        _ = routes.no_such_thing  # type: ignore[attr-defined]
    with pytest.raises(ImportError, match="no_such_thing"):
        exec("from routes import no_such_thing", {})


def test_type_checking_imports_match_the_lazy_table() -> None:
    tree = ast.parse(Path(routes.__file__).read_text(encoding="utf-8"))
    (block,) = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
    ]
    static = {
        (node.module, alias.name)
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert static == {(module, name) for name, module in routes._WHERE.items()}
