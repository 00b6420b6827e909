"""Write models as the exact wire form: compacted JSON-LD as imin and OpenActive expect it.

``@context`` first, then the type and id, then fields in model order, then extension
properties; arrays wherever the model says array; no ``null``, ``""`` or ``[]``; ``type``/``id``
in documents that use the imin context (as imin's docs do), ``@type``/``@id`` otherwise (as
OpenActive requires); date-times without fractional seconds; money as JSON numbers.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from ..errors import DataError
from ._base import (
    FieldSpec,
    JsonLdNode,
    model_context,
    namespace_context,
    needed_contexts,
)
from ._context import OPENACTIVE, ActiveContext, bundled_loader
from ._doc_context import DocumentContext
from ._json import encode, finite
from ._types import Spellings, format_date, format_datetime, format_time, respelled


def to_jsonld(node: JsonLdNode) -> dict[str, Any]:
    """``node`` as a JSON-LD document (a dict ready for ``json.dumps``).

    A node read from a document is written with that document's context; one built in code
    with the canonical contexts of the namespaces it uses. Either way, a namespace the node
    uses that the context lacks is added (writing once more, which is rare).
    """
    if type(node) not in _MODEL_CLASSES:
        if not isinstance(node, JsonLdNode):
            raise DataError(f"expected a model, not {type(node).__name__}")
        _MODEL_CLASSES.add(type(node))
    stored = node._context
    built_in_code = type(stored) is not DocumentContext
    if not built_in_code:
        context = stored
    else:
        context = DocumentContext(
            (OPENACTIVE, *type(node).namespace_contexts), (), bundled_loader)  # fmt: skip
    for _ in range(2):
        writer = _Writer(context, built_in_code)
        out: dict[str, Any] = {"@context": context.value}
        writer.write_node(node, out)
        urls = context.urls
        missing = {url for url in writer.used if url not in urls}
        if not missing:
            return out
        context = context.with_urls(missing, bundled_loader)
    raise AssertionError("unreachable: the second pass has every namespace")  # pragma: no cover


_MODEL_CLASSES: set[type] = set()
"""Classes already seen to be models (a set lookup is cheaper than Pydantic's ABC check)."""


def document_context(node: JsonLdNode) -> DocumentContext:
    """The context ``node`` is written with (see :func:`to_jsonld`)."""
    stored = node._context
    if isinstance(stored, DocumentContext):
        needed = needed_contexts(node, class_defaults=False)
        if needed <= set(stored.urls):
            return stored
        return stored.with_urls(needed - set(stored.urls), bundled_loader)
    return DocumentContext(tuple(needed_contexts(node, class_defaults=True)), (), bundled_loader)


def dumps(node: JsonLdNode, *, indent: int | None = None) -> str:
    """``node`` as JSON-LD text: compact by default, pretty with ``indent``."""
    document = to_jsonld(node)
    if indent is None:
        return encode(document)
    try:
        return json.dumps(document, ensure_ascii=False, indent=indent)
    except ValueError as exc:  # an integer with more digits than Python writes as text
        raise DataError(f"the document cannot be written as JSON text: {exc}") from None


class _ClassPlan:
    """How one class is written under one context (computed once, kept on the context)."""

    __slots__ = ("write",)

    def __init__(self, cls: type[JsonLdNode], ctx: ActiveContext) -> None:
        spec = cls.jsonld_spec()
        by_name = {field.name: (field_key(ctx, field), field.namespace) for field in spec.fields}
        iri = cls.type_iri()
        type_term = ctx.compact_type(iri) if iri else None
        self.write = _node_writer(cls.__name__, type_term, spec.type_namespace, by_name)
        """Writes a node of the class into ``out`` (see :func:`_node_writer`)."""


def field_key(ctx: ActiveContext, field: FieldSpec) -> str:
    """The key ``field`` is written under in a document with context ``ctx``: its alias
    where the context gives the alias the field's meaning, else its IRI compacted."""
    term = ctx.resolve_key(field.alias)
    if term is not None and term.iri == field.iri and term.coerce_id == field.coerce_id:
        return field.alias
    return ctx.compact_iri(field.iri, coerce_id=False)


_NodeWriter = Callable[["_Writer", JsonLdNode, dict[str, Any]], dict[str, Any]]


def _node_writer(
    class_name: str,
    type_term: str | None,
    type_namespace: str | None,
    by_name: dict[str, tuple[str, str | None]],
) -> _NodeWriter:
    """A function that writes a node of one class into ``out``: its type, its ``id``, its
    fields in model order (field name -> key written and namespace it needs, in
    ``by_name``), with no null, ``""`` or ``[]``, then its extension properties. Generated
    once per class and context as one straight-line block per field, the key a constant: the
    writer's hottest code (writing took a fifth longer with a loop over the model's fields
    and a lookup of each one's key).

    Every field gets the same block whatever its declared type, since a model may hold
    anything its user assigned: text and lists are tested inline, scalars (numbers, dates,
    enumeration members) written by their type's converter, a node of a class already met
    by its class's function, anything else by :meth:`_Writer.value`.
    """
    namespaces = sorted({ns for _, ns in by_name.values() if ns is not None} | (
        {type_namespace} if type_namespace is not None else set()))  # fmt: skip

    def used(namespace: str | None, indent: str) -> list[str]:
        if namespace is None:
            return []
        return [f"{indent}writer.used.add(NAMESPACE_{namespaces.index(namespace)})"]

    lines = [
        "def write(writer, node, out):",
        "    types = node._types",
        "    if types is None:",
        *([f"        out[writer.type_key] = {type_term!r}", *used(type_namespace, " " * 8)]
          if type_term is not None else ["        pass"]),
        "    elif types:",
        "        writer.write_types(types, out)",
        "    if writer.built_in_code:",
        "        writer.note_code_namespaces(node)",
        "    plans = writer.plans",
        "    values = node.__dict__",
        "    value = values['id']",
        "    if value is not None:",
        "        out[writer.id_key] = value",
    ]  # fmt: skip
    for name, (key, namespace) in by_name.items():
        lines += [
            f"    value = values[{name!r}]",
            "    if value is not None:",
            "        kind = type(value)",
            "        if kind is str:",
            "            if value:",
            f"                out[{key!r}] = value",
            *used(namespace, " " * 16),
            "        elif kind is list:",  # an array whose items are all dropped is not written
            "            if value:",
            "                value = writer.items(value)",
            "                if value:",
            f"                    out[{key!r}] = value",
            *used(namespace, " " * 20),
            "        else:",
            "            convert = SCALARS.get(kind)",
            "            if convert is not None:",
            f"                out[{key!r}] = convert(value)",
            "            else:",
            "                plan = plans.get(kind)",
            f"                out[{key!r}] = writer.value(value) if plan is None else (",
            "                    plan.write(writer, value, {}))",
            *used(namespace, " " * 12),
        ]
    lines += [
        "    if '_spellings' in values:",
        "        writer.respell(values['_spellings'], values, out, KEYS)",
        "    extras = node.__pydantic_extra__",
        "    if extras:",
        "        writer.write_extras(extras, out)",
        "    return out",
    ]
    scope: dict[str, Any] = {f"NAMESPACE_{i}": ns for i, ns in enumerate(namespaces)}
    scope["SCALARS"] = _SCALARS
    scope["KEYS"] = {name: key for name, (key, _) in by_name.items()}
    exec(compile("\n".join(lines), f"<writer of {class_name}>", "exec"), scope)
    return typing.cast(_NodeWriter, scope["write"])


class _Writer:
    def __init__(self, context: DocumentContext, built_in_code: bool) -> None:
        self.ctx: ActiveContext = context.active
        self.type_key = context.type_key
        self.id_key = context.id_key
        self.plans: dict[type, _ClassPlan] = self.ctx.field_keys
        self.built_in_code = built_in_code
        self.used: set[str] = set()

    def write_node(self, node: JsonLdNode, out: dict[str, Any]) -> dict[str, Any]:
        """``node`` written into ``out`` (returned), by its class's generated function."""
        cls = type(node)
        plan = self.plans.get(cls)
        if plan is None:
            plan = self.plans[cls] = _ClassPlan(cls, self.ctx)
        return plan.write(self, node, out)

    def write_types(self, types: tuple[str, ...], out: dict[str, Any]) -> None:
        """The types of a node read with other types than its class's."""
        self.used.update(filter(None, map(namespace_context, types)))
        compact = self.ctx.compact_type
        out[self.type_key] = compact(types[0]) if len(types) == 1 else [
            compact(t) for t in types]  # fmt: skip

    def note_code_namespaces(self, node: JsonLdNode) -> None:
        """A model built in code: its class's contexts and its extension keys' namespaces."""
        self.used.update(type(node).namespace_contexts)
        for key in node.__pydantic_extra__ or ():
            term = model_context().resolve_key(key)
            if term is not None and term.iri is not None:
                namespace = namespace_context(term.iri)
                if namespace is not None:
                    self.used.add(namespace)

    def respell(
        self, spellings: Spellings, values: dict[str, Any], out: dict[str, Any], keys: Any
    ) -> None:
        """Enumeration members read from other text than their value, written as that text
        (see ``_nodes.note_spellings``)."""
        for name in spellings:
            key = keys.get(name)
            if key is None or key not in out:
                continue
            value = respelled(spellings, name, values[name])
            kind = type(value)
            out[key] = value if kind is str else self.items(value) if kind is list else (
                self.value(value))  # fmt: skip

    @staticmethod
    def write_extras(extras: dict[str, Any], out: dict[str, Any]) -> None:
        for key, value in extras.items():
            if value is None:
                continue
            if key in out:  # the same key twice means both values: merge, never drop
                first, more = out[key], _plain(value)
                out[key] = [*_as_list(first), *_as_list(more)]
            else:
                out[key] = _plain(value)

    def value(self, value: Any) -> Any:
        """A field's value that is neither text nor a list: a node, or a scalar."""
        kind = type(value)
        if kind in self.plans or isinstance(value, JsonLdNode):
            return self.write_node(value, {})
        convert = _SCALARS.get(kind)
        return _scalar(value) if convert is None else convert(value)

    def items(self, values: list[Any]) -> list[Any]:
        """A list field's items (no null or "" among them)."""
        plans = self.plans
        out: list[Any] = []
        append = out.append
        for value in values:
            kind = type(value)
            if kind is str:
                if value:
                    append(value)
                continue
            plan = plans.get(kind)
            if plan is not None:
                append(plan.write(self, value, {}))
            elif value is None:
                continue
            elif isinstance(value, JsonLdNode):
                append(self.write_node(value, {}))
            elif kind is list:
                append(self.items(value))
            else:
                convert = _SCALARS.get(kind)
                append(_scalar(value) if convert is None else convert(value))
        return out


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _scalar(value: Any) -> Any:
    convert = _SCALARS.get(type(value))
    if convert is None:
        convert = _SCALARS[type(value)] = _scalar_converter(value)
    return convert(value)


def _same(value: Any) -> Any:
    return value


def _enum_value(value: Enum) -> Any:
    return value._value_  # what .value gives, without the enum module's descriptor


def _scalar_converter(value: Any) -> Callable[[Any], Any]:
    """How values of ``type(value)`` are written (the answer depends only on the type)."""
    if isinstance(value, Enum):
        return _enum_value  # its plain value: the JSON encoder then needs no type checks
    if isinstance(value, float):
        return finite  # NaN and infinities are not JSON numbers
    if isinstance(value, str | bool | int):
        return _same
    if isinstance(value, Decimal):
        return _number
    if isinstance(value, datetime):
        return format_datetime
    if isinstance(value, date):
        return format_date
    if isinstance(value, time):
        return format_time
    raise DataError(f"cannot write a {type(value).__name__} as JSON-LD")


_SCALARS: dict[type, Callable[[Any], Any]] = {}
"""Type -> how its values are written, filled on first use (scalar types are few)."""


def _number(value: Decimal) -> int | float:
    if not value.is_finite():
        raise DataError(f"{value} is not a JSON number")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= 0:
        return int(value)
    return float(value)


def _plain(value: Any) -> Any:
    """Extension values as given (JSON already), with models and scalars made JSON."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return finite(value)
    if isinstance(value, str | bool | int) or value is None:
        return value
    if isinstance(value, JsonLdNode):
        return {k: v for k, v in to_jsonld(value).items() if k != "@context"}
    return _scalar(value)


JsonLdNode._write = to_jsonld  # see JsonLdNode._write: the model's to_jsonld() writes this way
