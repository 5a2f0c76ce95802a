"""The documentation: docstrings and help texts exist, the README is short and its links work.

The site itself (``mkdocs build --strict``) is built by ``make docs`` in ``make test``, not here,
to keep the suite fast; these tests check what the build draws from.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import click
import pytest

import routes
from routes.cli import main

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
README_MAX_LINES = 300


def _docs_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"docs_{name}", DOCS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def api() -> object:
    """The package as the API reference reads it: griffe with the ``#:`` comment extension."""
    import griffe

    extensions = griffe.load_extensions(str(DOCS / "griffe_comments.py"))
    return griffe.load("routes", search_paths=[str(REPO)], extensions=extensions)


def _undocumented(package: object, names: list[str]) -> list[str]:
    missing = []
    for name in names:
        obj = package[name]  # type: ignore[index]
        target = obj.final_target if obj.is_alias else obj
        if not (target.docstring and target.docstring.value.strip()):
            missing.append(name)
    return missing


def test_every_public_name_has_a_docstring(api: object) -> None:
    names = [n for n in routes.__all__ if n != "__version__"]
    assert len(names) > 100
    assert _undocumented(api, names) == []


def test_a_public_name_without_a_docstring_is_caught(api: object, tmp_path: Path) -> None:
    import griffe

    (tmp_path / "demo_pkg").mkdir()
    (tmp_path / "demo_pkg" / "__init__.py").write_text(
        '__all__ = ["LIMIT", "bare", "told", "TOLD"]\n'
        "LIMIT = 3\n"
        "def bare(x):\n    return x\n"
        'def told(x):\n    """Say x."""\n    return x\n'
        "#: A documented constant.\nTOLD = 4\n",
        encoding="utf-8",
    )
    extensions = griffe.load_extensions(str(DOCS / "griffe_comments.py"))
    pkg = griffe.load("demo_pkg", search_paths=[str(tmp_path)], extensions=extensions)
    assert _undocumented(pkg, ["LIMIT", "bare", "told", "TOLD"]) == ["LIMIT", "bare"]
    assert pkg["TOLD"].docstring.value == "A documented constant."


def test_sphinx_roles_become_links_or_code() -> None:
    rewrite = _docs_module("griffe_comments").rewrite_roles
    text = "See :func:`routes.read_incidents`, :data:`~PROFILES` and :mod:`routes.geo`."
    assert rewrite(text, {"read_incidents", "PROFILES"}) == (
        "See [`routes.read_incidents`][routes.read_incidents], [`PROFILES`][routes.PROFILES]"
        " and `routes.geo`."
    )


def _commands(group: click.Group) -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        out.append((name, command))
        if isinstance(command, click.Group):
            out += [(f"{name} {n}", c) for n, c in _commands(command)]
    return out


def _without_help(group: click.Group) -> list[str]:
    missing = []
    for name, command in _commands(group):
        if not (command.help or command.short_help):
            missing.append(name)
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden and not param.help:
                missing.append(f"{name} {param.opts[0]}")
    return missing


def test_every_command_and_option_has_help() -> None:
    assert {name for name, _ in _commands(main)} >= {"validate", "routes", "map", "report"}
    assert _without_help(main) == []


def test_an_option_without_help_is_caught() -> None:
    @click.group()
    def group() -> None:
        """A group."""

    @group.command()
    @click.option("--told", help="Has help.")
    @click.option("--bare")
    def sub(told: str, bare: str) -> None:
        """A command."""

    assert _without_help(group) == ["sub --bare"]


def test_readme_is_short_with_the_picture_and_the_two_commands() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= README_MAX_LINES
    assert "make demo   # installs" in text
    assert "make test   # installs" in text
    assert "](docs/images/demo_route_map.png)" in text
    assert "UNSCR\n1244/1999" in text or "UNSCR 1244/1999" in text
    assert "<!-- generated:" not in text  # the generated tables live in the docs site


def test_readme_picture_is_a_wide_small_png() -> None:
    from PIL import Image

    path = DOCS / "images" / "demo_route_map.png"
    with Image.open(path) as img:
        assert img.format == "PNG"
        assert img.width >= 1200
    assert path.stat().st_size < 400_000


def _relative_links(text: str) -> list[str]:
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    return [t for t in targets if not re.match(r"[a-z]+:|#", t)]


def test_readme_links_point_at_files_that_exist() -> None:
    links = _relative_links((REPO / "README.md").read_text(encoding="utf-8"))
    assert len(links) >= 10
    missing = [t for t in links if not (REPO / t.split("#")[0]).exists()]
    assert missing == []


def test_nav_pages_exist() -> None:
    nav = (REPO / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n")[1]
    pages = re.findall(r"([\w./-]+\.(?:md|ipynb))\s*$", nav, flags=re.MULTILINE)
    generated = {"api.md", "data-sources.md"}
    assert {"api.md", "cli.md", "changelog.md", "getting-started.md"} <= set(pages)
    for page in pages:
        if page in generated:
            continue
        if page.startswith("notebooks/") and page.endswith(".ipynb"):
            assert (REPO / page).is_file(), page  # copied into the site by docs/gen_pages.py
        else:
            assert (DOCS / page).is_file(), page


def test_generated_blocks_are_rendered_from_the_code() -> None:
    hooks = _docs_module("hooks")
    page = "# T\n\n<!-- generated: schema_markdown -->\n\ntext\n"
    assert hooks.render(page) == "# T\n\n" + routes.schema_markdown().rstrip("\n") + "\n\ntext\n"
    with pytest.raises(ValueError, match="unknown generated block 'nope'"):
        hooks.render("<!-- generated: nope -->\n")
    used = set()
    for path in DOCS.rglob("*.md"):
        used |= set(hooks.MARKER.findall(path.read_text(encoding="utf-8")))
    assert used == set(hooks.GENERATORS)
    profiles = hooks.profiles_markdown()
    for name in routes.PROFILES:
        assert f"| `{name}`" in profiles


def test_api_page_lists_every_public_name() -> None:
    page = _docs_module("gen_pages").api_page()
    blocks = re.findall(r"^::: routes\.(\w+)$", page, flags=re.MULTILINE)
    assert sorted(blocks) == sorted(n for n in routes.__all__ if n != "__version__")
    assert "::: routes.route_incidents" in page
    assert "::: routes.read_questionnaire" in page
