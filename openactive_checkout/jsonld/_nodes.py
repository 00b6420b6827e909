"""What both reading roads share: choosing a node's class and validating it into a model,
strictly (a DataError) or leniently (what does not fit kept aside, with its problem), and
noting the spellings enumeration values were read with."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import ValidationError

from ..errors import DataError, PathPart, format_json_path
from ._base import ClassSpec, FieldSpec, GenericNode, JsonLdNode, node_class_for
from ._types import Spellings

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
        where, message, _, _ = _problem(cls, exc.errors(include_url=False)[0], path, spec)
        raise DataError(message, path=where) from None


Misfits = dict[str, list[Any]]
"""Field name -> the values (items, for a list field) that do not fit it."""


def validate_leniently(
    cls: type[JsonLdNode], data: dict[str, Any], path: Path, spec: ClassSpec
) -> tuple[JsonLdNode, Misfits, list[ReadProblem]]:
    """The model of every value of ``data`` that fits its field, what does not fit (taken out
    of ``data``, for the reader to keep verbatim as extension properties under the key it was
    read with) and a :class:`ReadProblem` for each, worded as :func:`validate`'s error."""
    misfits: Misfits = {}
    problems: list[ReadProblem] = []
    for _ in range(len(data) + 1):
        try:
            return cls.model_validate(data), misfits, problems
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        taken: dict[str, set[int | None]] = {}
        for error in errors:
            where, message, name, index = _problem(cls, error, path, spec)
            if name is None or name == "id" or name not in data:
                raise DataError(message, path=where) from None
            if index in taken.setdefault(name, set()):
                continue
            value = data[name]
            if type(value) is list and index is not None and index < len(value):
                item = value[index]
            elif type(value) is list:
                index, item = None, value  # the whole array (only items are refused, in fact)
            else:
                index, item = None, value
            taken[name].add(index)
            problems.append(ReadProblem(path=tuple(where), message=message, value=_plain(item)))
        for name, indexes in taken.items():
            value = data[name]
            kept = misfits.setdefault(name, [])
            if type(value) is list and None not in indexes:
                kept.extend(value[i] for i in sorted(i for i in indexes if i is not None))
                data[name] = [item for i, item in enumerate(value) if i not in indexes]
            else:
                kept.extend(value if type(value) is list else [value])
                del data[name]
    raise AssertionError("unreachable: each pass takes a value out")  # pragma: no cover


def _problem(
    cls: type[JsonLdNode], error: Any, path: Path, spec: ClassSpec
) -> tuple[list[PathPart], str, str | None, int | None]:
    """(JSONPath, message, field name, index in a list field) for one Pydantic error."""
    loc = list(error["loc"])
    where: list[PathPart] = list(path)
    name: str | None = None
    index: int | None = None
    if loc:
        name = str(loc.pop(0))
        field = next((f for f in spec.fields if f.name == name), None)
        where.append(field.alias if field is not None else name)
        indexes = [p for p in loc if isinstance(p, int)]
        where.extend(indexes)
        if field is not None and field.is_list and loc and isinstance(loc[0], int):
            index = loc[0]
    message = error["msg"]
    if error["type"] == "is_instance_of" or "instance of" in message:
        message = f"expected {_expected(cls, name or '')}"
    return where, f"{message} (got {_short(error.get('input'))})", name, index


@dataclass(frozen=True)
class ReadProblem:
    """A value a lenient read (``loads(data, strict=False)``) kept verbatim because it does
    not fit its field: where it is, why (the message a strict read raises for it) and what
    it is. See :func:`read_problems`."""

    path: tuple[PathPart, ...]
    """Where the value is in the document, as keys and indexes."""
    message: str
    """Why it does not fit: the reason of the :class:`~openactive_checkout.DataError` a
    strict read raises for it."""
    value: Any
    """The value as the document gives it (JSON; a nested object as a model's JSON-LD)."""

    @property
    def json_path(self) -> str:
        """``path`` as JSONPath (``$.subEvent[0].startDate``)."""
        return format_json_path(self.path)

    def __str__(self) -> str:
        return f"{self.json_path}: {self.message}"


def _plain(value: Any) -> Any:
    if isinstance(value, JsonLdNode):
        return value.to_jsonld()
    return value


def add_problems(node: JsonLdNode, problems: list[ReadProblem]) -> None:
    """Record on ``node`` the problems a lenient read found in it (its ``_problems``)."""
    if problems:
        known = node.__dict__.get("_problems") or ()
        object.__setattr__(node, "_problems", (*known, *problems))


def read_problems(model: JsonLdNode) -> tuple[ReadProblem, ...]:
    """Every value a lenient read of ``model`` (and what it holds) kept verbatim because it
    did not fit its field, in document order as far as the model has it; ``()`` for a model
    read strictly, or built in code.

    The values themselves are in the ``model_extra`` of the node that holds them, under the
    key they were read with, so writing the model writes them back unchanged. The problems
    belong to the nodes: a node taken out of the model takes its problems with it.
    """
    if not isinstance(model, JsonLdNode):
        raise DataError(f"expected a model, not {type(model).__name__}")
    found: list[ReadProblem] = []
    seen: set[int] = set()
    stack: list[Any] = [model]
    while stack:
        item = stack.pop()
        if isinstance(item, JsonLdNode):
            if id(item) in seen:
                continue
            seen.add(id(item))
            found.extend(item.__dict__.get("_problems") or ())
            children = [getattr(item, f.name) for f in item.jsonld_spec().fields]
            children.extend((item.__pydantic_extra__ or {}).values())
            stack.extend(reversed(children))
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
    return tuple(found)


_ENUM_FIELDS: dict[type[JsonLdNode], tuple[FieldSpec, ...]] = {}
"""Per model class, its enumeration fields (a plain dict: it is read for many nodes)."""


def note_spellings(node: JsonLdNode, data: dict[str, Any], spec: ClassSpec) -> None:
    """Record on ``node`` (its ``_spellings``) each enumeration member that ``data`` gives
    as text other than the member's own value (``schema:Monday``, ``Monday``), so the
    writer and ``to_graph`` keep that text: under the OpenActive context it is a plain
    string, and another spelling is another value."""
    cls = type(node)
    fields = _ENUM_FIELDS.get(cls)
    if fields is None:
        fields = _ENUM_FIELDS[cls] = tuple(f for f in spec.fields if f.members is not None)
    if not fields:
        return
    spellings: Spellings = {}
    values = node.__dict__
    for field in fields:
        raw = data.get(field.name)
        if raw is None:
            continue
        held = values.get(field.name)
        pairs = (
            list(enumerate(zip(raw, held, strict=False)))
            if type(raw) is list and type(held) is list
            else [(None, (raw, held))]
        )
        spelled = tuple(
            (index, member, text)
            for index, (text, member) in pairs
            if type(text) is str and isinstance(member, Enum) and member.value != text
        )
        if spelled:
            spellings[field.name] = spelled
    if spellings:
        object.__setattr__(node, "_spellings", spellings)


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
