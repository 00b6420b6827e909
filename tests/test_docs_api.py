"""The API reference: one page per public module, and docstring roles read as cross-references."""

from __future__ import annotations

import importlib.util
import pkgutil
import re
from collections.abc import Iterator
from types import ModuleType

import griffe
import pytest

import openactive_checkout
from tests.conftest import ROOT

API = ROOT / "docs" / "api"
DIRECTIVE = re.compile(r"^::: (\S+)", re.MULTILINE)
# Modules documented otherwise: the command modules and `python -m` by the command's help.
DOCUMENTED_ELSEWHERE = re.compile(r"^openactive_checkout\.(cli\.\w+|__main__)$")


def _extension() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "rst_docstrings", API.parent / "_ext" / "rst_docstrings.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RST = _extension()


def public_modules() -> Iterator[str]:
    yield openactive_checkout.__name__
    for info in pkgutil.walk_packages(openactive_checkout.__path__, "openactive_checkout."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            yield info.name


def documented() -> set[str]:
    return {name for page in API.rglob("*.md") for name in DIRECTIVE.findall(page.read_text())}


def test_every_public_module_has_its_reference() -> None:
    missing = [m for m in public_modules() if not DOCUMENTED_ELSEWHERE.match(m)]
    assert sorted(set(missing) - documented()) == []


def test_no_private_module_or_name_is_documented() -> None:
    private = [name for name in documented() if any(p.startswith("_") for p in name.split("."))]
    assert private == []


@pytest.fixture(scope="module")
def package() -> griffe.Module:
    loaded = griffe.load("openactive_checkout", search_paths=[str(ROOT)])
    assert isinstance(loaded, griffe.Module)
    return loaded


@pytest.mark.parametrize(
    ("owner", "role", "markdown"),
    [
        (
            "jsonld.loads",
            ":class:`~openactive_checkout.DataError`",
            "[`DataError`][openactive_checkout.errors.DataError]",
        ),
        (
            "jsonld.dumps",
            ":func:`to_jsonld`",
            "[`to_jsonld`][openactive_checkout.jsonld._writer.to_jsonld]",
        ),
        ("vocab", ":mod:`.imin`", "[`.imin`][openactive_checkout.vocab.imin]"),
        (
            "validation",
            ":class:`Issue` s",
            "[`Issue`][openactive_checkout.validation._issues.Issue]s",
        ),
        (
            "rdf",
            ":func:`query <openactive_checkout.rdf.query>`",
            "[`query`][openactive_checkout.rdf.query]",
        ),
        ("rdf.to_graph", ":class:`rdflib.Graph`", "`rdflib.Graph`"),
        ("jsonld.loads", ":exc:`ValueError`", "`ValueError`"),
        ("jsonld.loads", ":func:`no_such_function`", "[`no_such_function`][no_such_function]"),
        (
            "jsonld.loads",
            ":class:`openactive_checkout.NoSuchClass`",
            "[`openactive_checkout.NoSuchClass`][openactive_checkout.NoSuchClass]",
        ),
    ],
)
def test_roles_become_cross_references(
    package: griffe.Module, owner: str, role: str, markdown: str
) -> None:
    obj = package[owner]
    assert isinstance(obj, griffe.Object)
    assert RST.rewrite(f"See {role}.", root=package, owner=obj) == f"See {markdown}."


def test_literal_blocks_and_doctests_become_markdown(package: griffe.Module) -> None:
    text = "Like this::\n\n    code()\n\n::\n\n    more()\n\n>>> 1 + 1\n2\n\nDone."
    assert RST.rewrite(text, root=package, owner=package).split("\n") == [
        "Like this:",
        "",
        "    code()",
        "",
        "",
        "    more()",
        "",
        "```pycon",
        ">>> 1 + 1",
        "2",
        "```",
        "",
        "Done.",
    ]
