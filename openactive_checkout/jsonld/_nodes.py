"""What both reading roads share: choosing a node's class and validating it into a model."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ..errors import DataError, PathPart
from ._base import ClassSpec, FieldSpec, GenericNode, JsonLdNode, node_class_for

Path = tuple[PathPart, ...]

MAX_DEPTH = 100
"""The deepest nesting of objects and arrays a document may have. Checked before any
recursive processing, so hostile input gets a DataError instead of a RecursionError."""

ABSENT = object()
"""A field value the document does not give (an empty array, for a single-valued field)."""


def kind(value: Any) -> str:
    """How a JSON value is named in messages: "an array", "a string", "null", ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return "a string" if isinstance(value, str) else "a value"


def class_types(cls: type[JsonLdNode]) -> tuple[str, ...]:
    return cls._type_iris


def choose_class(type_iris: tuple[str, ...], field: FieldSpec | None) -> type[JsonLdNode]:
    """The model class for a node with these types, read into ``field`` (None at the root).

    A registered type wins; a node of an unknown type (or none) is read as the field's
    declared class, keeping its own types, or as a :class:`GenericNode` at the root.
    """
    for iri in type_iris:
        cls = node_class_for(iri)
        if cls is not None:
            return cls
    if field is not None and field.node_classes:
        return field.node_classes[0]
    return GenericNode


def validate(
    cls: type[JsonLdNode], data: dict[str, Any], path: Path, spec: ClassSpec
) -> JsonLdNode:
    """``cls.model_validate(data)``, with Pydantic's errors turned into a DataError."""
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        loc = list(error["loc"])
        where: list[PathPart] = list(path)
        if loc:
            name = loc.pop(0)
            field = next((f for f in spec.fields if f.name == name), None)
            where.append(field.alias if field is not None else str(name))
            where.extend(p for p in loc if isinstance(p, int))
        message = error["msg"]
        if error["type"] == "is_instance_of" or "instance of" in message:
            message = f"expected {_expected(cls, str(name) if loc is not None else '')}"
        value = error.get("input")
        raise DataError(f"{message} (got {_short(value)})", path=tuple(where)) from None


def _expected(cls: type[JsonLdNode], name: str) -> str:
    field = next((f for f in cls.jsonld_spec().fields if f.name == name), None)
    if field is None:
        return "a different value"
    kinds = [c.__name__ for c in field.node_classes]
    if field.allows_string:
        kinds.append("a URL string")
    return " or ".join(kinds) or "a different value"


def _short(value: Any) -> str:
    if isinstance(value, JsonLdNode):
        return type(value).__name__
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def check_depth(document: Any, *, base: Path = ()) -> None:
    """Raise DataError when ``document`` (found at ``base``) nests deeper than MAX_DEPTH."""
    if not _within_depth(document, len(base)):
        raise DataError(
            f"the document nests deeper than {MAX_DEPTH} levels",
            path=(*base, *_deepest_path(document, MAX_DEPTH - len(base))),
        )


def _within_depth(value: Any, depth: int) -> bool:
    if depth > MAX_DEPTH:
        return False
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        if isinstance(item, dict | list) and not _within_depth(item, depth + 1):
            return False
    return True


def _deepest_path(document: Any, limit: int) -> Path:
    """The path at which ``document`` first nests deeper than ``limit`` (iteratively)."""
    stack: list[tuple[Any, Path]] = [(document, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > limit:
            return path
        if isinstance(value, dict):
            stack.extend((v, (*path, k)) for k, v in value.items() if isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(value) if isinstance(v, dict | list))
    return ()
