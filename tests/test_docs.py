"""Every ```python block in README.md and docs/**/*.md runs, in order, one namespace per page.

Blocks are found wherever Markdown (and mkdocs-material) allows a fence: at the margin or
indented inside a list item, an admonition (``!!! note``) or a content tab, opened with
backticks or tildes, with attributes after the language (```` ```python title="x" ````).
The examples show the public API only: none imports a private name.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any, NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
PYTHON = frozenset({"python", "py", "python3"})
OPENING = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")


class Block(NamedTuple):
    """One fenced code block: its language (``""`` when none is given), code and first line."""

    language: str
    code: str
    line: int


def fenced_blocks(text: str) -> list[Block]:
    """The fenced blocks of a Markdown page, their indentation removed."""
    blocks: list[Block] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opening = OPENING.match(lines[index])
        index += 1
        if opening is None:
            continue
        indent, fence = len(opening["indent"]), opening["fence"]
        words = opening["info"].strip().lstrip("{").split()
        language = words[0].lstrip(".").lower() if words else ""
        closing = re.compile(rf"^ {{0,{indent + 3}}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        body: list[str] = []
        start = index + 1
        while index < len(lines) and not closing.match(lines[index]):
            line = lines[index]
            body.append(line[min(indent, len(line) - len(line.lstrip(" "))) :])
            index += 1
        index += 1  # the closing fence (or the end of the page)
        blocks.append(Block(language, "\n".join(body) + "\n", start))
    return blocks


def python_blocks(page: Path) -> list[Block]:
    """The page's Python blocks, in order."""
    return [b for b in fenced_blocks(page.read_text(encoding="utf-8")) if b.language in PYTHON]


def private_imports(code: str) -> list[str]:
    """Each imported module path or name (``import``, ``from``, attribute) starting with ``_``."""
    found: list[str] = []

    def private(dotted: str) -> bool:
        return any(part.startswith("_") and not part.startswith("__") for part in dotted.split("."))

    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if private(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if private(module):
                found.append(module)
            found += [f"{module}.{a.name}" for a in node.names if private(a.name)]
        elif isinstance(node, ast.Attribute) and private(node.attr):
            found.append(ast.unparse(node))
    return found


def test_there_are_examples_to_run() -> None:
    assert sum(len(python_blocks(page)) for page in PAGES) >= 5


def test_blocks_are_found_inside_admonitions_tabs_and_lists() -> None:
    page = "\n".join(
        [
            "```python",
            "a = 1",
            "```",
            "!!! note",
            "",
            "    ```python",
            "    b = 2",
            "",
            "    if b:",
            "        c = 3",
            "    ```",
            '=== "Tab"',
            '    ~~~~py title="x.py"',
            "    d = 4",
            "    ~~~~",
            "1. A step:",
            "",
            "    ```json",
            "    {}",
            "    ```",
            "``` { .python .copy }",
            "e = 5",
            "```",
        ]
    )
    blocks = fenced_blocks(page)
    assert [b.language for b in blocks] == ["python", "python", "py", "json", "python"]
    assert blocks[1].code == "b = 2\n\nif b:\n    c = 3\n"
    namespace: dict[str, object] = {}
    for block in blocks:
        if block.language in PYTHON:
            exec(block.code, namespace)
    assert [namespace[name] for name in "abcde"] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES])
def test_every_block_names_its_language(page: Path) -> None:
    """A fence without a language would be skipped silently if it held Python."""
    unnamed = [b.line for b in fenced_blocks(page.read_text(encoding="utf-8")) if not b.language]
    assert unnamed == [], f"fenced blocks without a language at lines {unnamed}"


def test_private_imports_are_found() -> None:
    code = (
        "import openactive_checkout._x\n"
        "from openactive_checkout.jsonld._context import bundled\n"
        "from openactive_checkout.jsonld import _private, loads\n"
        "import openactive_checkout as oc\n"
        "oc.jsonld._reader\n"
        "oc.__version__\n"
    )
    assert private_imports(code) == [
        "openactive_checkout._x",
        "openactive_checkout.jsonld._context",
        "openactive_checkout.jsonld._private",
        "oc.jsonld._reader",
    ]


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES])
def test_page_examples_use_public_names_only(page: Path) -> None:
    found = [name for block in python_blocks(page) for name in private_imports(block.code)]
    assert found == [], f"{page.name} uses private names: {found}"


#: What a page's examples use that a marker names (tests/conftest.py checks the marks).
USES = {
    "network": re.compile(r"MockCheckoutServer|BackgroundServer|mock_checkout_server"),
    "shacl": re.compile(r"[\"']shacl[\"']"),
}


def page_param(page: Path) -> Any:
    code = "".join(block.code for block in python_blocks(page))
    marks = [getattr(pytest.mark, name) for name, uses in USES.items() if uses.search(code)]
    return pytest.param(page, marks=marks, id=page.relative_to(ROOT).as_posix())


@pytest.mark.parametrize("page", [page_param(p) for p in PAGES])
def test_page_examples_run(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for index, block in enumerate(python_blocks(page)):
        code = compile(block.code, f"{page.name}[block {index}, line {block.line}]", "exec")
        exec(code, namespace)  # running our own documentation is the point
