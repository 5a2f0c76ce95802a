"""Griffe extension: the package's Sphinx habits read by mkdocstrings.

- A module constant's ``#:`` comment lines right above the assignment
  (``#: Default number of routes per incident.``) are its docstring; griffe itself reads only a
  string literal after the assignment, so without this the API reference would show the
  constants bare.
- Sphinx roles in docstrings (``:func:`routes.read_incidents```, ``:data:`PROFILES```) become
  links to the API reference when they name a public name (``routes.__all__``) and inline code
  otherwise, so the pages show no raw role markup.

Used by ``mkdocs.yml`` (mkdocstrings' ``extensions``) and by ``tests/base/test_docs.py``.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

__all__ = ["CommentDocstrings", "rewrite_roles"]

ROLE = re.compile(r":(?:func|class|data|meth|attr|mod|obj|exc):`~?([^`]+)`")


def rewrite_roles(text: str, public: set[str]) -> str:
    """Turn Sphinx roles into autorefs to ``routes.NAME`` (public names) or inline code."""

    def repl(match: re.Match[str]) -> str:
        target = match.group(1).strip().removesuffix("()")
        name = target.removeprefix("routes.")
        if name in public and "." not in name:
            return f"[`{target}`][routes.{name}]"
        return f"`{target}`"

    return ROLE.sub(repl, text)


def _walk(obj: griffe.Object, public: set[str]) -> None:
    if obj.docstring is not None:
        obj.docstring.value = rewrite_roles(obj.docstring.value, public)
    for member in obj.members.values():
        if not member.is_alias and isinstance(member, griffe.Object):
            _walk(member, public)


class CommentDocstrings(griffe.Extension):
    """``#:`` comments as constants' docstrings; Sphinx roles as links or code."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Rewrite the Sphinx roles of every docstring of the package once it is loaded."""
        exports = pkg.exports or []
        public = {e if isinstance(e, str) else e.name for e in exports}
        _walk(pkg, public)

    def on_attribute_instance(self, *, attr: griffe.Attribute, **kwargs: Any) -> None:
        """Set ``attr.docstring`` from the ``#:`` lines just above its first line."""
        if attr.docstring is not None or attr.lineno is None or attr.filepath is None:
            return
        try:
            lines = attr.lines_collection[attr.filepath]
        except KeyError:
            return
        comment: list[str] = []
        index = attr.lineno - 2  # the line above the assignment, 0-based
        while index >= 0 and lines[index].lstrip().startswith("#:"):
            comment.insert(0, lines[index].lstrip()[2:].removeprefix(" "))
            index -= 1
        if comment:
            attr.docstring = griffe.Docstring(
                "\n".join(comment), lineno=index + 2, endlineno=attr.lineno - 1, parent=attr
            )
