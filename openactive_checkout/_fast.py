"""The fast road: documents whose context is already canonical, read without pyld.

Keys are resolved with the compiled context (terms, CURIEs, full IRIs, keyword aliases), one
value where an array is expected is accepted, extension properties are kept verbatim.
Anything unexpected (value objects, lists, nested contexts, a second value for a
single-valued field) raises :class:`FallbackError`, and the normalising road takes over.

This is the hot path of every read: each node costs one dict lookup per key, against a plan
cached per (context, class) that says what the key is (type, id, a field, an extension).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ._context import ActiveContext, is_absolute_iri
from ._doc_context import DocumentContext
from ._nodes import ABSENT, MAX_DEPTH, Path, choose_class, kind, validate
from .errors import DataError
from .vocab._base import (
    MISFIT,
    FieldSpec,
    JsonLdNode,
    construct,
    namespace_context,
    set_context,
    set_types,
)


class FallbackError(Exception):
    """The fast road met something it leaves to the normalising road."""


# What a key is, in a plan (a FieldSpec for a field).
_TYPE, _ID, _CONTEXT, _FALLBACK, _EXTRA = range(5)
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


class FastReader:
    """Reads one document on the fast road (see the module docstring)."""

    def __init__(self, target: DocumentContext) -> None:
        self.target = target
        self.ctx: ActiveContext = target.active
        self.used: set[str] = set()

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
        """One node object (and what it holds) as a model.

        The hot path of every read: the node's class, then one plan lookup per key (fields
        that hold one string or one node are read inline), then the model.
        """
        if len(path) > MAX_DEPTH:
            raise DataError(f"the document nests deeper than {MAX_DEPTH} levels", path=path)
        type_iris, cls = self.node_class(obj, path, field)
        plan = self.ctx.key_plans.get(cls)
        if plan is None:
            plan = self.ctx.key_plans[cls] = {}
        data: dict[str, Any] = {}
        extras: dict[str, Any] | None = None
        exact = True  # every value has exactly its field's type: no Pydantic needed
        for key, value in obj.items():
            act = plan.get(key)
            if act is None:
                act = self.plan_key(plan, cls, key, path)
            if type(act) is int:
                if act != _TYPE:  # the type was read first, by node_class
                    extras = self.keyword_or_extra(act, key, value, data, extras, path=path)
                continue
            if value is None:
                continue
            name = act.name
            if name in data:
                raise FallbackError  # the same property under two keys
            kind = type(value)
            if kind is str and not act.is_list and not act.coerce_id:
                if act.string_fits:
                    data[name] = value  # the commonest case, inline
                else:
                    data[name], fits = _converted(act, value)
                    exact = exact and fits
            elif kind is dict and not act.is_list and act.node_classes:
                data[name] = child = self.read_node(value, (*path, key), act)
                exact = exact and isinstance(child, act.node_classes)
            elif kind is list and act.is_list and act.node_classes:
                data[name], fits = self.read_nodes(act, value, path, key)
                exact = exact and fits
            else:
                converted, fits = self.read_value(act, value, path, key)
                if converted is ABSENT:
                    continue
                data[name] = converted
                exact = exact and fits
            if act.namespace is not None:
                self.used.add(act.namespace)
        spec = cls._spec_cache or cls.jsonld_spec()
        if exact and extras is None and spec.defaults is not None and type_iris == cls._type_iris:
            if spec.type_namespace is not None:  # the commonest case, inline
                self.used.add(spec.type_namespace)
            return construct(cls, data, spec)
        return self.make_node(cls, data, exact, type_iris, extras, path=path)

    def keyword_or_extra(
        self,
        act: int,
        key: str,
        value: Any,
        data: dict[str, Any],
        extras: dict[str, Any] | None,
        *,
        path: Path,
    ) -> dict[str, Any] | None:
        """A key that is neither the type nor a field (see :meth:`plan_key`): the ``@id``
        goes into ``data``, an extension property into ``extras`` (made when first needed,
        and returned)."""
        if act == _EXTRA:
            if extras is None:
                extras = {}
            extras[key] = value
        elif act == _ID:
            data["id"] = self.node_id(value, (*path, key))
        elif act == _FALLBACK or (act == _CONTEXT and path):
            raise FallbackError
        return extras

    def node_class(
        self, obj: dict[str, Any], path: Path, field: FieldSpec | None
    ) -> tuple[tuple[str, ...], type[JsonLdNode]]:
        """The node's type IRIs (under whichever key aliases @type) and its class."""
        ctx = self.ctx
        type_value = None
        for type_key in ctx.type_keys:
            if type_key in obj:
                if type_value is not None:
                    raise FallbackError  # types under two keys: let expansion merge them
                type_value = obj[type_key]
        type_iris = ctx.type_cache.get(type_value) if type(type_value) is str else None
        if type_iris is None:
            type_iris = self.type_iris(type_value, path)
        cls = _REGISTRY.get(type_iris[0]) if len(type_iris) == 1 else None
        return type_iris, cls if cls is not None else choose_class(type_iris, field)

    def make_node(
        self,
        cls: type[JsonLdNode],
        data: dict[str, Any],
        exact: bool,
        type_iris: tuple[str, ...],
        extras: dict[str, Any] | None,
        *,
        path: Path,
    ) -> JsonLdNode:
        """The model: built directly when every value fits exactly, else validated; then its
        extension properties, and its types when they differ from the class's."""
        spec = cls._spec_cache or cls.jsonld_spec()
        if exact and spec.defaults is not None:
            node = construct(cls, data, spec)
        else:
            try:
                node = cls.__pydantic_validator__.validate_python(data)
            except ValidationError:
                node = validate(cls, data, path, spec)  # raises our DataError
        if extras is not None:
            self.check_extras_depth(extras, path)
            node.__pydantic_extra__ = extras
        if type_iris != cls._type_iris:
            set_types(node, type_iris)
            self.used.update(filter(None, map(namespace_context, type_iris)))
        elif spec.type_namespace is not None:
            self.used.add(spec.type_namespace)
        return node

    def read_nodes(
        self, field: FieldSpec, values: list[Any], path: Path, key: str
    ) -> tuple[list[Any], bool]:
        """A list field that may hold nodes: its items, and whether they all fit exactly."""
        classes = field.node_classes
        fits = field.plain is JsonLdNode
        items = []
        for index, item in enumerate(values):
            if type(item) is dict:
                child = self.read_node(item, (*path, key, index), field)
                fits = fits and isinstance(child, classes)
            elif item is None:
                continue
            else:
                child = self.read_item(field, item, path, key, index)
                fits = fits and (
                    isinstance(child, classes) or (type(child) is str and field.allows_string)
                )
            items.append(child)
        return items, fits

    def plan_key(self, plan: dict[str, Any], cls: type[JsonLdNode], key: str, path: Path) -> Any:
        """What ``key`` is in a node of class ``cls`` (remembered in ``plan``)."""
        term = self.ctx.resolve_key(key)
        if term is None:
            raise DataError(
                f"the key {key!r} has no meaning under the document's @context and would be "
                "dropped by any JSON-LD processor",
                path=(*path, key),
            )
        iri = term.iri
        act: Any
        if iri == "@type":
            act = _TYPE
        elif iri == "@id":
            act = _ID
        elif iri == "@context":
            act = _CONTEXT
        elif iri is None or iri[0] == "@" or term.reverse or not term.simple:
            act = _FALLBACK
        else:
            field = cls.jsonld_spec().by_iri.get(iri)
            if field is None:
                act = _EXTRA
            elif field.coerce_id != term.coerce_id:
                act = _FALLBACK  # the document gives the value another kind of meaning
            else:
                act = field
        if len(plan) < _PLAN_LIMIT:
            plan[key] = act
        return act

    def read_value(self, field: FieldSpec, value: Any, path: Path, key: str) -> tuple[Any, bool]:
        """A field's value (see :meth:`read_field`) and whether it fits exactly, converted
        (enumerations, dates, numbers) where that is exactly what Pydantic would do."""
        converted = self.read_field(field, value, path, key)
        if converted is ABSENT or (field.plain is not None and _fits(field, converted)):
            return converted, True
        return _converted(field, converted)

    def read_field(self, field: FieldSpec, value: Any, path: Path, key: str) -> Any:
        """A field's value: a list for list fields, one value otherwise (ABSENT for [])."""
        if field.is_list:
            items = value if type(value) is list else [value]
            return [
                self.read_item(field, item, path, key, index)
                for index, item in enumerate(items)
                if item is not None
            ]
        if type(value) is not list:
            return self.read_item(field, value, path, key, None)
        if not value:
            return ABSENT
        if len(value) > 1:
            raise FallbackError  # several values: kept by the normalising road
        return self.read_item(field, value[0], path, key, 0)

    def read_item(
        self, field: FieldSpec, value: Any, path: Path, key: str, index: int | None
    ) -> Any:
        kind_of = type(value)
        if kind_of is str:
            if field.coerce_id:
                iri = self.ctx.expand_iri(value, vocab=False)
                if iri is None or not is_absolute_iri(iri):
                    where = (*path, key) if index is None else (*path, key, index)
                    raise DataError(
                        f"{field.alias} must be an absolute IRI, not {value!r}", path=where
                    )
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
        iri = self.ctx.expand_iri(value, vocab=False)
        if iri is None or not is_absolute_iri(iri):
            raise DataError(f"an @id must be an absolute IRI, not {value!r}", path=path)
        return iri

    @staticmethod
    def check_extras_depth(extras: dict[str, Any], path: Path) -> None:
        from ._reader import check_depth

        for key, value in extras.items():
            if isinstance(value, dict | list):
                check_depth(value, base=(*path, key))
