"""The package's shape: no import circles, and each subpackage imports only what it declares.

Every subpackage's ``__init__`` docstring ends with a ``May import:`` line naming the other
parts of the package it may use (besides the foundation: ``errors``, ``_optional`` and
``_version``). Data flows one way (bytes -> jsonld -> vocab models -> rdf, validation, http
-> testing -> cli), so those declarations form a chain without loops; these tests hold the
code to them. Imports inside functions count (a lazy import is still a dependency); imports
under ``if TYPE_CHECKING:`` do not (they never run).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import openactive_checkout

PACKAGE = Path(openactive_checkout.__file__).parent
NAME = "openactive_checkout"


def _modules() -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (file, is a package __init__)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        found[".".join(parts)] = (path, is_package)
    return found


MODULES = _modules()


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for child in node.body for child in ast.walk(child))
    return skipped


def imports_of(module: str) -> set[str]:
    """The package's modules that ``module`` imports anywhere in its code (but for typing)."""
    path, is_package = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            targets = [source, *(f"{source}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        found.update(t for t in targets if t in MODULES and t != module)
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


FOUNDATION = {"errors", "_optional", "_version"}
"""Root modules any part may import: the exception tree, the guarded import of extras and
the version."""


def part_of(module: str) -> str:
    """The top-level part a module belongs to (``jsonld``, ``errors``, ``graph``, ...)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


SUBPACKAGES = sorted(
    module.split(".")[1]
    for module, (_, is_package) in MODULES.items()
    if is_package and module.count(".") == 1
)


def declared(subpackage: str) -> set[str]:
    """The parts ``subpackage``'s docstring says it may import."""
    doc = ast.get_docstring(ast.parse(MODULES[f"{NAME}.{subpackage}"][0].read_text("utf-8")))
    match = re.search(r"^May import: (.+?)\.$", doc or "", re.MULTILINE)
    assert match, f"{subpackage}/__init__.py's docstring has no 'May import: ...' line"
    return {name.strip() for name in match.group(1).split(",")}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` (its nodes in order, the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    for start in sorted(graph):
        if start in state:
            continue
        path = [start]
        stack = [iter(sorted(graph[start]))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(graph.get(nxt, ()))))
    return None


def test_no_import_circle_between_modules() -> None:
    assert find_cycle(GRAPH) is None


def test_the_cycle_finder_finds_a_circle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("subpackage", SUBPACKAGES)
def test_subpackage_imports_only_what_it_declares(subpackage: str) -> None:
    allowed = declared(subpackage)
    unknown = allowed - {*SUBPACKAGES, *FOUNDATION}
    assert not unknown, f"{subpackage} declares parts that do not exist: {sorted(unknown)}"
    used = {
        (module, part_of(target))
        for module, targets in GRAPH.items()
        if part_of(module) == subpackage
        for target in targets
        if part_of(target) != subpackage
    }
    undeclared = sorted(
        f"{module} -> {part}" for module, part in used if part not in allowed | FOUNDATION
    )
    assert not undeclared


def test_declared_layers_form_a_chain_without_loops() -> None:
    layers = {name: declared(name) - FOUNDATION for name in SUBPACKAGES}
    assert find_cycle(layers) is None


def test_the_foundation_imports_nothing_but_itself() -> None:
    for name in FOUNDATION:
        assert {part_of(target) for target in GRAPH[f"{NAME}.{name}"]} <= FOUNDATION


@pytest.mark.parametrize(
    ("face", "package"), [("graph", "rdf"), ("client", "http"), ("rpde", "http")]
)
def test_public_faces_are_thin_reexports(face: str, package: str) -> None:
    """The older public modules only re-export their package's names (user code keeps working)."""
    module = __import__(f"{NAME}.{face}", fromlist=["__all__"])
    source = __import__(f"{NAME}.{package}", fromlist=["__all__"])
    assert {part_of(target) for target in GRAPH[f"{NAME}.{face}"]} == {package}
    assert set(module.__all__) <= set(source.__all__)
    for name in module.__all__:
        assert getattr(module, name) is getattr(source, name)
