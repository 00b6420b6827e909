"""A Griffe extension: the package's reST-flavoured docstrings, read as mkdocstrings Markdown.

The docstrings are written for people reading the source and for ``help()``: Sphinx roles
(``:class:`~openactive_checkout.DataError```), ``::`` literal blocks and doctest examples.
mkdocstrings renders Markdown, so before a docstring is parsed this extension rewrites

* each role into a cross-reference, ``[`DataError`][openactive_checkout.errors.DataError]``,
  naming the object where it is defined (the identifier autorefs knows for every object the
  reference renders, under whichever public name). A target in this package that cannot be
  found is left as a reference to its written name, so ``mkdocs build --strict`` fails on it;
  a target outside the package (``httpx.Client``, a builtin) becomes inline code;
* a paragraph ending in ``::`` into one ending in ``:`` (an indented block after it is already
  a Markdown code block);
* a run of ``>>>`` lines and their output into a ``pycon`` fence.

Nothing in the package changes: only the text the documentation renders.
"""

from __future__ import annotations

import builtins
import importlib.util
import re
from typing import Any

import griffe

PACKAGE = "openactive_checkout"

ROLE = re.compile(
    r":(?:py:)?(?P<kind>class|func|meth|attr|data|mod|exc|obj|const):"
    r"`(?P<tilde>~?)(?P<body>[^`]+)`(?:\\ )?(?P<plural> s\b)?"
)
EXPLICIT = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^>]+)>$")
DOCTEST = re.compile(r"^(?P<indent> *)>>> ")


def _lookup(root: griffe.Module, path: str) -> griffe.Object | griffe.Alias | None:
    """The object at a dotted path under ``root`` (the package), or None."""
    parts = path.split(".")
    if parts[0] != root.name:
        return None
    current: griffe.Object | griffe.Alias = root
    for part in parts[1:]:
        try:
            current = current.members[part]
        except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            return None
    return current


def _defined_at(obj: griffe.Object | griffe.Alias) -> str | None:
    """Where an object is defined (an alias followed to its end); None outside the package."""
    path = obj.path
    if isinstance(obj, griffe.Alias):
        try:
            path = obj.final_target.path
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            path = obj.target_path
    return path if _inside(path) else None


def _inside(path: str) -> bool:
    return path == PACKAGE or path.startswith(PACKAGE + ".")


def _scopes(owner: griffe.Object) -> list[griffe.Object]:
    """The owner, then each object containing it, innermost first."""
    scopes: list[griffe.Object] = []
    current: Any = owner
    while current is not None:
        scopes.append(current)
        current = current.parent
    return scopes


def resolve(root: griffe.Module, owner: griffe.Object, name: str) -> str | None:
    """The identifier a role's target links to, as seen from ``owner``'s docstring.

    None for a target outside the package (rendered as code). A target in the package that
    does not exist keeps its written path: a broken reference, which strict mode reports.
    """
    module = owner if owner.is_module else owner.module
    if name.startswith("."):
        dots = len(name) - len(name.lstrip("."))
        base = module.path.split(".")
        package = base if module.is_init_module else base[:-1]
        absolute = ".".join([*package[: len(package) - dots + 1], name.lstrip(".")])
        target = _lookup(root, absolute)
        return (_defined_at(target) if target else None) or absolute
    if _inside(name):
        target = _lookup(root, name)
        return (_defined_at(target) if target else None) or name
    first = name.partition(".")[0]
    for scope in _scopes(owner):
        if first not in scope.members:
            continue
        member = scope.members[first]
        path = f"{scope.path}.{name}"
        target = _lookup(root, path)
        if target is not None:
            return _defined_at(target)  # None: an import from outside the package
        if isinstance(member, griffe.Alias) and not _inside(member.target_path):
            return None
        return path
    if hasattr(builtins, first) or importlib.util.find_spec(first) is not None:
        return None  # a builtin, or a name in another package (``rdflib.Graph``)
    return name


def rewrite(text: str, *, root: griffe.Module, owner: griffe.Object) -> str:
    """The docstring ``text`` of ``owner`` as mkdocstrings Markdown (see the module docstring)."""

    def role(match: re.Match[str]) -> str:
        body = match["body"].strip()
        explicit = EXPLICIT.match(body)
        target = explicit["target"] if explicit else body
        title = explicit["title"] if explicit else target
        if match["tilde"]:
            title = target.rsplit(".", 1)[-1]
        identifier = resolve(root, owner, target.lstrip("~"))
        plural = "s" if match["plural"] else ""
        if identifier is None:
            return f"`{title}`{plural}"
        return f"[`{title}`][{identifier}]{plural}"

    lines = ROLE.sub(role, text).split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        doctest = DOCTEST.match(line)
        if doctest is not None:
            indent = doctest["indent"]
            out.append(f"{indent}```pycon")
            while index < len(lines) and lines[index].strip():
                out.append(lines[index])
                index += 1
            out.append(f"{indent}```")
            continue
        if line.rstrip().endswith("::"):
            stripped = line.rstrip()[:-2].rstrip()
            if stripped:
                out.append(stripped + ":")
            index += 1
            continue
        out.append(line)
        index += 1
    return "\n".join(out)


class RstDocstrings(griffe.Extension):
    """Rewrite every docstring of the package once it is loaded (see the module docstring)."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Rewrite the docstrings of ``pkg`` and everything it defines."""
        if pkg.name != PACKAGE:
            return
        pending: list[griffe.Object] = [pkg]
        while pending:
            obj = pending.pop()
            if obj.docstring is not None:
                obj.docstring.value = rewrite(obj.docstring.value, root=pkg, owner=obj)
            pending.extend(m for m in obj.members.values() if not m.is_alias)  # type: ignore[misc]
