"""The fast road: documents whose context is already canonical, read without pyld.

Keys are resolved with the compiled context (terms, CURIEs, full IRIs, keyword aliases), one
value where an array is expected is accepted, extension properties are kept verbatim.
Anything unexpected (value objects, lists, nested contexts, a second value for a
single-valued field) raises :class:`FallbackError`, and the normalising road takes over.

This is the hot path of every read. Each key of a node costs one dict lookup and one call:
a plan, kept per (context, class), maps the key to a small handler made for its field (text,
a date, a nested node, an array of nodes, ...) that stores the value and says whether it is
exactly what the field holds. When every value is, the model is built without Pydantic.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from ..errors import DataError
from ._base import (
    _NEW,
    _SET_DICT,
    _SET_EXTRA,
    _SET_FIELDS_SET,
    _SET_PRIVATE,
    FieldSpec,
    JsonLdNode,
    construct,
    namespace_context,
    set_context,
    set_types,
)
from ._context import ActiveContext, is_absolute_iri
from ._doc_context import DocumentContext
from ._nodes import (
    ABSENT,
    MAX_DEPTH,
    Path,
    ReadProblem,
    add_problems,
    check_depth,
    choose_class,
    kind,
    note_spellings,
    validate,
    validate_leniently,
)
from ._types import MISFIT


class FallbackError(Exception):
    """The fast road met something it leaves to the normalising road."""


Handler = Callable[["FastReader", str, Any, dict[Any, Any], Path], bool]
"""Reads one key's value into a node's data: ``(reader, key, value, data, path)`` -> whether
the value stored is exactly what its field holds (so no validation is needed)."""

_EXTRAS = object()
"""The key under which a node's data collects its extension properties while it is read."""
_SPELLED = object()
"""The key set in a node's data when an enumeration value is spelled otherwise than as its
member's value: the data then holds the text, Pydantic converts it, and the reader notes
the spelling (see ``_nodes.note_spellings``)."""
_PROBLEMS = object()
"""The key under which a node's data collects what a lenient read found (a list)."""
_ASIDE = object()
"""What :meth:`FastReader.read_item` gives, in a lenient read, for a value it keeps aside
(see :attr:`FastReader.aside`): the field does not get it."""
_WEB = ("https://", "http://")
_REGISTRY = JsonLdNode._registry
_PLAN_LIMIT = 1024  # keys remembered per (context, class); documents with more still read


def _fits(field: FieldSpec, value: Any) -> bool:
    """Whether ``value`` has exactly the type the field holds (so no validation is needed)."""
    plain = field.plain
    if plain is None:
        return False
    items = value if field.is_list else (value,)
    if plain is JsonLdNode:
        classes = field.node_classes
        return all(
            isinstance(item, classes) or (type(item) is str and field.allows_string)
            for item in items
        )
    return all(type(item) is plain for item in items)


def _spelled(read: Any, converted: Any) -> bool:
    """Whether an enumeration field's converted value holds a member read from text other
    than its value (``read`` is the text, or a list of items)."""
    if type(read) is list:
        return any(_respelt(r, c) for r, c in zip(read, converted, strict=False))
    return _respelt(read, converted)


def _respelt(read: Any, converted: Any) -> bool:
    if type(read) is not str or converted is read:
        return False
    return bool(getattr(converted, "_value_", read) != read)


def _converted(field: FieldSpec, value: Any) -> tuple[Any, bool]:
    """``value`` (a list for list fields) converted to exactly what Pydantic would hold, and
    True; or ``value`` unchanged and False when Pydantic must validate it."""
    convert = field.convert
    if convert is None:
        return value, False
    if not field.is_list:
        result = convert(value)
        return (value, False) if result is MISFIT else (result, True)
    items = [convert(item) for item in value]
    for item in items:
        if item is MISFIT:
            return value, False
    return items, True


def _type_key(reader: FastReader, key: str, value: Any, data: dict[Any, Any], path: Path) -> bool:
    return True  # the type was read first, by read_node


def _id_key(reader: FastReader, key: str, value: Any, data: dict[Any, Any], path: Path) -> bool:
    data["id"] = reader.node_id(value, path + (key,))
    return True


def _context_key(
    reader: FastReader, key: str, value: Any, data: dict[Any, Any], path: Path
) -> bool:
    if path:
        raise FallbackError  # a nested context: expansion applies it
    return True


def _fallback_key(
    reader: FastReader, key: str, value: Any, data: dict[Any, Any], path: Path
) -> bool:
    raise FallbackError  # a keyword, reverse property or container the fast road leaves


def _unknown_key(
    reader: FastReader, key: str, value: Any, data: dict[Any, Any], path: Path
) -> bool:
    message = (
        f"the key {key!r} has no meaning under the document's @context and would be "
        "dropped by any JSON-LD processor"
    )
    if reader.strict:
        raise DataError(message, path=(*path, key))
    problems = data.get(_PROBLEMS)
    if problems is None:
        problems = data[_PROBLEMS] = []
    problems.append(ReadProblem(path=(*path, key), message=message, value=value))
    _extra_key(reader, key, value, data, path)  # kept, as any JSON-LD processor ignores it
    return False


def _extra_key(reader: FastReader, key: str, value: Any, data: dict[Any, Any], path: Path) -> bool:
    extras = data.get(_EXTRAS)
    if extras is None:
        extras = data[_EXTRAS] = {}
    extras[key] = value
    return True


def _field_handler(field: FieldSpec) -> Handler:
    """The handler for one field: the commonest kinds of value read inline by one of the
    factories below, anything else by :meth:`FastReader.read_value` (``_general``)."""
    general = _general(field)
    takes_text = not field.is_list and not field.coerce_id  # a string is the value itself
    factory: Callable[[FieldSpec, Handler], Handler]
    if field.is_list and field.node_classes:
        factory = _nodes
    elif field.is_list and field.convert is not None and field.plain is None:
        factory = _general_only if field.coerce_id else _convert_items
    elif not field.is_list and field.plain in (int, bool):
        factory = _plain_value
    elif takes_text and field.string_fits:
        factory = _text_or_node if field.node_classes else _text
    elif takes_text:
        factory = _convert_value
    elif not field.is_list and field.node_classes:
        factory = _node
    else:
        factory = _general_only
    handler = factory(field, general)
    if field.namespace is None:
        return handler
    return _namespaced(handler, field.name, field.namespace)


def _general(field: FieldSpec) -> Handler:
    """Any value, by :meth:`FastReader.read_value`."""
    name = field.name

    def general(reader: FastReader, key: str, value: Any, data: dict[Any, Any], path: Path) -> bool:
        if value is None:
            return True
        read = reader.read_field(field, value, path, key)
        if read is ABSENT:
            return True
        if field.plain is not None and _fits(field, read):
            data[name] = read
            return True
        converted, fits = _converted(field, read)
        if fits and field.members is not None and _spelled(read, converted):
            data[name] = read  # Pydantic converts the text, the reader notes its spelling
            data[_SPELLED] = True
            return False
        data[name] = converted
        return fits

    return general


def _general_only(field: FieldSpec, general: Handler) -> Handler:
    return general


def _text(field: FieldSpec, general: Handler) -> Handler:
    """A field that holds text: a string is kept as it is."""
    return _kept(field.name, str, general)


def _plain_value(field: FieldSpec, general: Handler) -> Handler:
    """A field that holds exactly an ``int`` or a ``bool``."""
    assert field.plain is not None
    return _kept(field.name, field.plain, general)


def _kept(name: str, kind: type, general: Handler) -> Handler:
    """A value of exactly type ``kind`` is kept as it is; anything else goes to ``general``."""

    def kept(reader: FastReader, key: str, value: Any, data: dict[Any, Any], path: Path) -> bool:
        if type(value) is kind:
            data[name] = value
            return True
        return general(reader, key, value, data, path)

    return kept


def _text_or_node(field: FieldSpec, general: Handler) -> Handler:
    """A field that holds a node or its URL: a string is kept, an object read as a node."""
    name, classes = field.name, field.node_classes

    def text_or_node(
        reader: FastReader, key: str, value: Any, data: dict[Any, Any], path: Path
    ) -> bool:
        kind_of = type(value)
        if kind_of is str:
            data[name] = value
            return True
        if kind_of is dict:
            data[name] = child = reader.read_node(value, path + (key,), field)
            return isinstance(child, classes)
        return general(reader, key, value, data, path)

    return text_or_node


def _node(field: FieldSpec, general: Handler) -> Handler:
    """A field that holds a node (a string is an IRI, read by ``general``)."""
    name, classes = field.name, field.node_classes

    def node(reader: FastReader, key: str, value: Any, data: dict[Any, Any], path: Path) -> bool:
        if type(value) is dict:
            data[name] = child = reader.read_node(value, path + (key,), field)
            return isinstance(child, classes)
        return general(reader, key, value, data, path)

    return node


def _convert_value(field: FieldSpec, general: Handler) -> Handler:
    """A single-valued field whose text (or number) its converter turns into the value (an
    enumeration member, a date, a ``Decimal``); Pydantic validates what does not convert."""
    name, classes, convert, members = field.name, field.node_classes, field.convert, field.members
    numbers_convert = field.plain is None and convert is not None
    spellable = members is not None

    def converted(
        reader: FastReader, key: str, value: Any, data: dict[Any, Any], path: Path
    ) -> bool:
        if members is not None and type(value) is str:
            member = members.get(value)
            if member is not None:  # an enumeration member by its full IRI: the commonest
                data[name] = member
                return True
        kind_of = type(value)
        if kind_of is str or (
            numbers_convert and kind_of is not dict and kind_of is not list and value is not None
        ):
            result = MISFIT if convert is None else convert(value)
            if result is MISFIT:
                data[name] = value
                return False
            if spellable and result is not value and kind_of is str:
                data[name] = value  # another spelling of a member: see _SPELLED
                data[_SPELLED] = True
                return False
            data[name] = result
            return True
        if kind_of is dict and classes:
            data[name] = child = reader.read_node(value, path + (key,), field)
            return isinstance(child, classes)
        return general(reader, key, value, data, path)

    return converted


def _nodes(field: FieldSpec, general: Handler) -> Handler:
    """A list field of nodes (and URL strings): an array read item by item."""
    name, classes, allows_string = field.name, field.node_classes, field.allows_string
    only_nodes = field.plain is JsonLdNode

    def nodes(reader: FastReader, key: str, value: Any, data: dict[Any, Any], path: Path) -> bool:
        if type(value) is not list:
            return general(reader, key, value, data, path)
        fits = only_nodes
        items = []
        for index, item in enumerate(value):
            if type(item) is dict:
                child = reader.read_node(item, path + (key, index), field)
                fits = fits and isinstance(child, classes)
            elif item is None:
                continue
            else:
                child = reader.read_item(field, item, path, key, index)
                if child is _ASIDE:
                    continue
                fits = fits and (
                    isinstance(child, classes) or (type(child) is str and allows_string)
                )
            items.append(child)
        data[name] = items
        return fits

    return nodes


def _convert_items(field: FieldSpec, general: Handler) -> Handler:
    """A list field whose items its converter makes (enumeration members, dates)."""
    name, convert = field.name, field.convert
    members_get = None if field.members is None else field.members.get
    assert convert is not None

    def converted_items(
        reader: FastReader, key: str, value: Any, data: dict[Any, Any], path: Path
    ) -> bool:
        if type(value) is not list:
            return general(reader, key, value, data, path)
        items = []
        fits = True
        spelled = False
        for item in value:
            if type(item) is not str:
                return general(reader, key, value, data, path)
            converted = members_get(item) if members_get is not None else None
            if converted is None:
                converted = convert(item)
                if converted is MISFIT:
                    fits = False  # Pydantic validates the array (and says what is wrong)
                elif members_get is not None and converted is not item:
                    spelled = True  # another spelling of a member: see _SPELLED
            items.append(converted)
        if spelled and fits:
            data[_SPELLED] = True
            fits = False
        data[name] = items if fits else value
        return fits

    return converted_items


def _namespaced(handler: Handler, name: str, namespace: str) -> Handler:
    """``handler``, noting that the document uses ``namespace`` when the field gets a value."""

    def namespaced(
        reader: FastReader, key: str, value: Any, data: dict[Any, Any], path: Path
    ) -> bool:
        fits = handler(reader, key, value, data, path)
        if name in data:
            reader.used.add(namespace)
        return fits

    return namespaced


def _checked(handler: Handler, name: str) -> Handler:
    """``handler`` for a field that more than one key of the document's context names."""

    def checked(reader: FastReader, key: str, value: Any, data: dict[Any, Any], path: Path) -> bool:
        if value is not None and name in data:
            raise FallbackError  # the same property under two keys: expansion merges them
        return handler(reader, key, value, data, path)

    return checked


_KEYWORD_HANDLERS: dict[str, Handler] = {
    "@type": _type_key, "@id": _id_key, "@context": _context_key,
}  # fmt: skip


class _ClassPlan:
    """What the fast road knows of one class under one context: each key's handler (filled
    as keys are met) and how a model of the class is built without Pydantic."""

    __slots__ = (
        "checked", "cls", "defaults", "fresh_lists", "handler_of", "handlers", "key_of_field",
        "type_iris", "type_namespace",
    )  # fmt: skip

    def __init__(self, cls: type[JsonLdNode]) -> None:
        spec = cls.jsonld_spec()
        self.cls = cls
        self.handlers: dict[str, Handler] = {}
        self.handler_of = self.handlers.get
        self.key_of_field: dict[str, str] = {}
        """Field name -> the first key remembered for it."""
        self.checked: set[str] = set()
        """Fields that more than one key names (their handlers check for a second value)."""
        self.type_iris = cls._type_iris
        self.type_namespace = spec.type_namespace
        self.defaults = spec.defaults
        """See :attr:`ClassSpec.defaults` (None: the class is always built by Pydantic)."""
        self.fresh_lists = spec.list_names
        """List fields, each given a new ``[]`` where the document has no value."""


class FastReader:
    """Reads one document on the fast road (see the module docstring)."""

    def __init__(self, target: DocumentContext, *, strict: bool = True) -> None:
        self.target = target
        self.strict = strict
        """False for a lenient read: values that do not fit their fields are kept verbatim
        as extension properties, each with a :class:`ReadProblem` (see ``_nodes``)."""
        self.ctx: ActiveContext = target.active
        self.plans: dict[type, _ClassPlan] = self.ctx.key_plans
        self.type_plans: dict[str, _ClassPlan] = self.ctx.type_plans
        self.type_alias = self.ctx.type_alias
        self.more_type_aliases = self.ctx.more_type_aliases
        self.used: set[str] = set()
        self.aside: list[tuple[Path, str, Any, ReadProblem]] = []
        """Values a lenient read keeps verbatim before their node is built (an IRI that is
        not absolute): (the node's path, the key, the value, its problem)."""
        if not strict:  # the strict road pays nothing for what only a lenient read does
            self.read_node = self.read_node_leniently  # type: ignore[method-assign]

    def read_root(self, document: dict[str, Any]) -> JsonLdNode:
        """The root node; FallbackError if the normalising road must read it."""
        node = self.read_node(document, (), None)
        urls = self.target.urls
        for url in self.used:
            if url not in urls:
                raise FallbackError  # the model uses a namespace the document's context lacks
        set_context(node, self.target)
        return node

    def read_node(self, obj: dict[str, Any], path: Path, field: FieldSpec | None) -> JsonLdNode:
        """One node object (and what it holds) as a model: its class from its type, then
        each key's handler, then the model (built directly when every value fits)."""
        if len(path) > MAX_DEPTH:
            raise DataError(f"the document nests deeper than {MAX_DEPTH} levels", path=path)
        type_value = obj.get("@type")
        alias = self.type_alias  # of @type ("type"), if the context has one
        if alias is not None and alias in obj:
            if type_value is not None:
                raise FallbackError  # types under two keys: let expansion merge them
            type_value = obj[alias]
        for type_key in self.more_type_aliases:
            if type_key in obj:
                if type_value is not None:
                    raise FallbackError
                type_value = obj[type_key]
        plan = self.type_plans.get(type_value) if type(type_value) is str else None
        if plan is None:
            plan, type_iris = self.class_plan(type_value, path, field)
        else:
            type_iris = plan.type_iris
        handler_of = plan.handler_of
        data: dict[Any, Any] = {}
        exact = True  # every value has exactly its field's type: no Pydantic needed
        for key, value in obj.items():
            handler = handler_of(key) or self.plan_key(plan, key, path)
            if not handler(self, key, value, data, path):
                exact = False
        defaults = plan.defaults
        if (
            exact
            and defaults is not None
            and _EXTRAS not in data
            and (type_iris is plan.type_iris or type_iris == plan.type_iris)
        ):  # the commonest case: _base.construct, inline (change both together)
            if plan.type_namespace is not None:
                self.used.add(plan.type_namespace)
            values = defaults.copy()
            for name in plan.fresh_lists:
                values[name] = []
            values.update(data)
            node: JsonLdNode = _NEW(plan.cls)
            _SET_DICT(node, values)
            _SET_FIELDS_SET(node, set(data))
            _SET_EXTRA(node, {})
            _SET_PRIVATE(node, None)
            return node
        extras = data.pop(_EXTRAS, None)
        return self.make_node(plan.cls, data, exact, type_iris, extras, path=path, obj=obj)

    def class_plan(
        self, type_value: Any, path: Path, field: FieldSpec | None
    ) -> tuple[_ClassPlan, tuple[str, ...]]:
        """The plan of the class a node with this type value is read as, and its type IRIs.
        A type value that alone decides the class is remembered with its plan."""
        type_iris = self.type_iris(type_value, path)
        cls = _REGISTRY.get(type_iris[0]) if len(type_iris) == 1 else None
        decided = cls is not None
        if cls is None:
            cls = choose_class(type_iris, field)
        plan = self.plans.get(cls)
        if plan is None:
            plan = self.plans[cls] = _ClassPlan(cls)
        if decided and type(type_value) is str and len(self.type_plans) < _PLAN_LIMIT:
            self.type_plans[type_value] = plan
        return plan, type_iris

    def plan_key(self, plan: _ClassPlan, key: str, path: Path) -> Handler:
        """The handler for ``key`` in a node of the plan's class (remembered in the plan)."""
        term = self.ctx.resolve_key(key)
        iri = None if term is None else term.iri
        remember = len(plan.handlers) < _PLAN_LIMIT
        handler: Handler
        if term is None:
            handler = _unknown_key  # raises, unless the read is lenient
        elif iri in _KEYWORD_HANDLERS:
            handler = _KEYWORD_HANDLERS[iri]
        elif iri is None or iri[0] == "@" or term.reverse or not term.simple:
            handler = _fallback_key
        else:
            field = plan.cls.jsonld_spec().by_iri.get(iri)
            if field is None:
                handler = _extra_key
            elif field.coerce_id != term.coerce_id:
                handler = _fallback_key  # the document gives the value another kind of meaning
            else:
                handler = _field_handler(field)
                name = field.name
                first = plan.key_of_field.get(name)
                if first is None and remember:
                    plan.key_of_field[name] = key
                elif first != key or not remember:
                    if name not in plan.checked and first is not None:
                        plan.checked.add(name)
                        plan.handlers[first] = _checked(plan.handlers[first], name)
                    handler = _checked(handler, name)
        if remember:
            plan.handlers[key] = handler
        return handler

    def make_node(
        self,
        cls: type[JsonLdNode],
        data: dict[str, Any],
        exact: bool,
        type_iris: tuple[str, ...],
        extras: dict[str, Any] | None,
        *,
        path: Path,
        obj: dict[str, Any],
    ) -> JsonLdNode:
        """The model: built directly when every value fits exactly, else validated (and, in
        a lenient read, what does not fit kept verbatim); then its extension properties, and
        its types when they differ from the class's."""
        spec = cls._spec_cache or cls.jsonld_spec()
        spelled = data.pop(_SPELLED, False)  # type: ignore[call-overload]
        problems: list[ReadProblem] = data.pop(_PROBLEMS, None) or []  # type: ignore[call-overload]
        if exact and spec.defaults is not None:
            node = construct(cls, data, spec)
        else:
            try:
                node = cls.__pydantic_validator__.validate_python(data)
            except ValidationError:
                if self.strict:
                    node = validate(cls, data, path, spec)  # raises our DataError
                node, misfits, found = validate_leniently(cls, data, path, spec)
                problems.extend(found)
                kept = extras if extras is not None else {}
                for name, values in misfits.items():
                    field = next(f for f in spec.fields if f.name == name)
                    key = self.key_of(obj, field.iri) or field.alias
                    kept[key] = values[0] if len(values) == 1 and not field.is_list else values
                extras = kept or None
        if spelled or not exact:  # Pydantic converted text (another spelling, maybe)
            note_spellings(node, data, spec)
        if problems:
            add_problems(node, problems)
        if extras is not None:
            self.check_extras_depth(extras, path)
            node.__pydantic_extra__ = extras
        if type_iris != cls._type_iris:
            set_types(node, type_iris)
            self.used.update(filter(None, map(namespace_context, type_iris)))
        elif spec.type_namespace is not None:
            self.used.add(spec.type_namespace)
        return node

    def read_node_leniently(
        self, obj: dict[str, Any], path: Path, field: FieldSpec | None
    ) -> JsonLdNode:
        """:meth:`read_node`, then the values kept aside for the node (see :attr:`aside`)
        moved into its extension properties, each with its problem."""
        node = FastReader.read_node(self, obj, path, field)
        mine = [entry for entry in self.aside if entry[0] == path]
        if not mine:
            return node
        self.aside = [entry for entry in self.aside if entry[0] != path]
        extras = node.__pydantic_extra__
        if extras is None:
            extras = node.__pydantic_extra__ = {}
        for _, key, value, _ in mine:
            kept = extras.get(key)
            extras[key] = value if kept is None else [*_as_list(kept), value]
        add_problems(node, [problem for *_, problem in mine])
        return node

    def key_of(self, obj: dict[str, Any], iri: str) -> str | None:
        """The key of ``obj`` that names the property ``iri`` (the fast road reads no node
        with two keys for one property)."""
        for key in obj:
            term = self.ctx.resolve_key(key)
            if term is not None and term.iri == iri:
                return key
        return None

    def read_field(self, field: FieldSpec, value: Any, path: Path, key: str) -> Any:
        """A field's value: a list for list fields, one value otherwise (ABSENT for [])."""
        if field.is_list:
            items = value if type(value) is list else [value]
            read = [
                self.read_item(field, item, path, key, index)
                for index, item in enumerate(items)
                if item is not None
            ]
            return read if self.strict else [item for item in read if item is not _ASIDE]
        if type(value) is not list:
            item = self.read_item(field, value, path, key, None)
        elif not value:
            return ABSENT
        elif len(value) > 1:
            raise FallbackError  # several values: kept by the normalising road
        else:
            item = self.read_item(field, value[0], path, key, 0)
        return ABSENT if item is _ASIDE else item

    def read_item(
        self, field: FieldSpec, value: Any, path: Path, key: str, index: int | None
    ) -> Any:
        kind_of = type(value)
        if kind_of is str:
            if field.coerce_id:
                iri = self.ctx.expand_reference(value)  # a relative one kept as written
                if iri is None:
                    where = (*path, key) if index is None else (*path, key, index)
                    message = f"{field.alias} must be an IRI, not {value!r}"
                    if self.strict:
                        raise DataError(message, path=where)
                    problem = ReadProblem(path=where, message=message, value=value)
                    self.aside.append((path, key, value, problem))  # free text, a placeholder
                    return _ASIDE
                return iri
            return value
        if kind_of is dict:
            if not field.node_classes:
                raise FallbackError
            where = (*path, key) if index is None else (*path, key, index)
            return self.read_node(value, where, field)  # falls back itself on @value, @list
        if kind_of is list:
            raise FallbackError  # an array inside an array (a JSON-LD list)
        return value

    def type_iris(self, value: Any, path: Path) -> tuple[str, ...]:
        if value is None:
            return ()
        cache = self.ctx.type_cache
        if type(value) is str:
            cached = cache.get(value)
            if cached is not None:
                return cached
        values = value if isinstance(value, list) else [value]
        out = []
        for index, item in enumerate(values):
            where = (*path, "@type", index) if isinstance(value, list) else (*path, "@type")
            if not isinstance(item, str):
                raise DataError(f"a type must be a string, not {kind(item)}", path=where)
            iri = self.ctx.expand_iri(item, vocab=True)
            if iri is None or iri.startswith("@"):
                raise DataError(
                    f"the type {item!r} has no IRI under the document's @context", path=where
                )
            out.append(iri)
        result = tuple(out)
        if type(value) is str and len(cache) < _PLAN_LIMIT:
            cache[value] = result
        return result

    def node_id(self, value: Any, path: Path) -> str:
        if not isinstance(value, str):
            raise DataError(f"an @id must be a string, not {kind(value)}", path=path)
        if value.startswith(_WEB) and self.ctx.web_schemes_are_iris and is_absolute_iri(value):
            return value  # the common case: an http(s) URL is its own IRI
        iri = self.ctx.expand_reference(value)  # a relative one kept as written
        if iri is None:
            raise DataError(f"an @id must be an IRI, not {value!r}", path=path)
        return iri

    @staticmethod
    def check_extras_depth(extras: dict[str, Any], path: Path) -> None:
        for key, value in extras.items():
            if isinstance(value, dict | list):
                check_depth(value, base=(*path, key))


def _as_list(value: Any) -> list[Any]:
    return value if type(value) is list else [value]
