"""The base of every model: a JSON-LD node with typed fields and kept extension properties.

A model class names its type with ``type_term`` (the compact term, ``"OrderQuote"`` or
``"imin:CheckoutSession"``); each field's alias is the compact key it is written under
(``"orderedItem"``, ``"imin:initialOrder"``, ``"beta:isWheelchairAccessible"``). IRIs are
derived from those through the bundled contexts, once per class, so the reader can match
any spelling of a key (term, CURIE or full IRI) to its field.

Properties the model does not define are kept in ``model_extra`` under the key they were
read with and written back unchanged.

Pydantic's own API gives the same results as the library's (see ``docs/jsonld.md``, "Using
Pydantic's API"): ``model_validate``/``model_validate_json`` of a document read it with the
reader (``JsonLdNode._read``, set by the reader when it is imported, as ``_write`` is by the
writer); ``model_dump(by_alias=True)`` is the writer's wire form; ``model_json_schema()``
describes that wire form. Constructing a model in code refuses keywords that name no field.
"""

import ast
import difflib
import inspect
import itertools
import textwrap
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    ModelWrapValidatorHandler,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    WrapValidator,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from ..errors import DataError, UnknownFieldError
from ._context import (
    CANONICAL_ORDER,
    IMIN,
    NAMESPACE_CONTEXTS,
    OPENACTIVE,
    ActiveContext,
    active_context,
    is_iri_reference,
)
from ._types import (
    _DATE,
    _DATETIME,
    _DURATION,
    _TIME,
    MISFIT,
    NUMBER_CONVERTERS,
    TEXT_CONVERTERS,
    _date,
    _datetime,
    _duration,
    _time,
)

# Every namespace prefix a model's aliases may use; OpenActive's last, so that its terms
# keep their meaning over ns-extension's (published: `documentation` is schema:documentation
# there, pending:documentation in OpenActive's context, which the models follow).
_MODEL_CONTEXT = [
    *(
        url
        for url in CANONICAL_ORDER
        if url not in ("https://openactive.io/ns-extension", OPENACTIVE)
    ),
    OPENACTIVE,
]


@lru_cache(maxsize=1)
def model_context() -> ActiveContext:
    """The context model aliases and type terms are written in (OpenActive + beta + imin)."""
    return active_context(_MODEL_CONTEXT)


@dataclass(frozen=True)
class FieldSpec:
    """How one model field maps to JSON-LD."""

    name: str
    """The Python attribute."""
    alias: str
    """The compact key it is written under in the canonical contexts."""
    iri: str
    is_list: bool
    coerce_id: bool
    """Whether the canonical context makes a string value an IRI (``"@type": "@id"``)."""
    node_classes: tuple[type["JsonLdNode"], ...]
    """Model classes a nested object may be read as, most general first."""
    allows_string: bool
    """Whether a plain string (a URL reference) is allowed instead of an object."""
    namespace: str | None
    """The context URL the field's IRI needs beyond OpenActive's (imin, ns-beta), if any."""
    plain: type | None = None
    """``str``, ``int`` or ``bool`` when the field (or each item) is exactly that type and
    nothing else, ``JsonLdNode`` when it holds only models (and URL strings if
    ``allows_string``); None when Pydantic must validate the value (dates, enums, numbers)."""
    string_fits: bool = False
    """Whether a plain string is exactly what the field holds (text, or a URL reference)."""
    convert: Callable[[Any], Any] | None = None
    """For a field (or each item) of one validated type (an enumeration, a date, a time, a
    date-time, a duration, a number): a JSON value -> exactly what Pydantic would hold for
    it, or :data:`MISFIT` when Pydantic must validate it (and report why it is wrong)."""
    members: dict[str, Any] | None = None
    """For a field (or each item) of an enumeration (or an enumeration or text): the exact
    member values -> their member, which is what ``convert`` gives for them (the reader
    looks these up without calling it)."""


@dataclass(frozen=True)
class ClassSpec:
    """The JSON-LD view of a model class."""

    fields: tuple[FieldSpec, ...]
    by_iri: dict[str, FieldSpec]
    type_namespace: str | None
    """The context URL the class's type IRI needs beyond OpenActive's, if any."""
    defaults: dict[str, Any] | None
    """Attribute -> None for every field, in model order (lists are given a new [] by
    :func:`construct`, keeping that order, as Pydantic's own ``__dict__`` has it), or None
    when the class cannot be built without Pydantic (validators, required fields)."""
    list_names: tuple[str, ...]


class JsonLdNode(BaseModel):
    """A JSON-LD node object: ``@type``, ``@id``, typed fields and extension properties."""

    model_config = ConfigDict(
        strict=True,
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        defer_build=True,
        arbitrary_types_allowed=False,
    )

    type_term: ClassVar[str] = ""
    """The compact type term this class is written with (empty for an untyped node)."""
    namespace_contexts: ClassVar[tuple[str, ...]] = ()
    """Context URLs a document holding this class is written with, beyond those its terms
    need (the imin classes name ``https://imin.co/`` so their documents use imin's form)."""

    # Fields name their compact key with validation_alias + serialization_alias, not alias=:
    # type checkers (pyright, mypy without the pydantic plugin) take a field's ``alias`` as
    # its constructor parameter, and the field name is the one users write.
    id: str | None = Field(
        default=None, validation_alias=AliasChoices("@id", "id"), serialization_alias="@id"
    )
    """The node's IRI (``@id``); absolute, never relative."""

    if TYPE_CHECKING:  # the keyword of __init__ below; at run time, the property below
        extensions: dict[str, Any] = Field(default_factory=dict)
        """Extension properties (keys as written: CURIEs, full IRIs or terms), given in
        code with ``extensions={...}``; the same dict as ``model_extra``."""
    else:

        @property
        def extensions(self) -> dict[str, Any]:
            """Extension properties (keys as written: CURIEs, full IRIs or terms), given in
            code with ``extensions={...}``; the same dict as ``model_extra``."""
            extras = self.__pydantic_extra__
            if extras is None:
                extras = self.__pydantic_extra__ = {}
            return extras

    # Per-node JSON-LD state, kept outside the fields (and out of equality and dumps): set on
    # instances with object.__setattr__ (see set_types / set_context); the class holds None.
    _types: ClassVar[tuple[str, ...] | None] = None
    _context: ClassVar[Any] = None

    _registry: ClassVar[dict[str, type["JsonLdNode"]]] = {}
    _write: ClassVar[Callable[["JsonLdNode"], dict[str, Any]]]
    """The canonical writer, :func:`openactive_checkout.jsonld._writer.to_jsonld`. The writer
    needs this class, so this module does not import it: the writer sets this when it is
    imported (``openactive_checkout.jsonld`` imports it before any model can be used)."""
    _read: ClassVar[Callable[[Any], "JsonLdNode"]]
    """The reader, :func:`openactive_checkout.jsonld._reader.parse` (set by the reader when
    it is imported, as ``_write`` is): what ``model_validate`` reads documents with."""
    _load_json: ClassVar[Callable[[Any], Any]]
    """The reader's JSON text parser (:func:`openactive_checkout.jsonld._reader.load_json`)."""
    _spec_cache: ClassVar[ClassSpec | None] = None
    _init_keys: ClassVar[frozenset[str] | None] = None
    _type_iri: ClassVar[str | None] = None
    _type_iris: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._spec_cache = None
        cls._init_keys = None
        term = cls.type_term
        iri = model_context().expand_iri(term, vocab=True) if term else None
        if term and iri is None:  # pragma: no cover - a definition error in this package
            raise TypeError(f"{cls.__name__}.type_term {term!r} has no IRI")
        cls._type_iri = iri
        cls._type_iris = (iri,) if iri else ()
        if iri is not None and "type_term" in cls.__dict__:
            JsonLdNode._registry[iri] = cls

    def __init__(self, /, **data: Any) -> None:
        """A model built in code: keywords are field names (or their JSON-LD keys), plus
        ``extensions={...}`` for extension properties; any other keyword is an
        :class:`~openactive_checkout.errors.UnknownFieldError`. Documents are read with
        ``loads`` or ``model_validate``, which keep every property."""
        keys = type(self)._init_keys or _init_keys(type(self))
        if not keys.issuperset(data):
            data = _code_arguments(type(self), data, keys)
        self.__pydantic_validator__.validate_python(data, self_instance=self)

    # Pydantic calls __init__ itself for nested values when a class has its own: this one is
    # only for code (nested values are validated, and read, as the base class would).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @field_validator("id", mode="after")
    @classmethod
    def _absolute_id(cls, value: str | None) -> str | None:
        if value is not None and not is_iri_reference(value):  # relative: kept as written
            raise ValueError(f"an @id must be an IRI, not {value!r}")
        return value

    # -- Pydantic's API: reading, writing, JSON Schema -------------------------------------

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> typing.Self:
        """A model from a JSON-LD document (a mapping with ``@context``), read exactly as
        :func:`~openactive_checkout.loads` reads it (a :class:`DataError` naming the JSONPath
        of a problem, or when the document is not of this class); anything else (a model, a
        mapping without ``@context`` such as ``model_dump()``'s) is validated by Pydantic.
        """
        if isinstance(obj, Mapping) and _is_document(obj):
            return cls._read_document(obj)
        return super().model_validate(obj, **kwargs)

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **kwargs: Any) -> typing.Self:
        """A model from JSON text: a JSON-LD document is read as
        :func:`~openactive_checkout.loads` reads it (see :meth:`model_validate`)."""
        document = JsonLdNode._load_json(json_data)
        if type(document) is not dict:
            return cls._read_document(json_data)  # the reader's DataError: not an object
        if _is_document(document):
            return cls._read_document(document)
        return super().model_validate(document, **kwargs)

    @classmethod
    def _read_document(cls, document: Any) -> typing.Self:
        node = JsonLdNode._read(document)
        if not isinstance(node, cls):
            raise DataError(f"expected a {cls.__name__} document, got {type(node).__name__}")
        return node

    @model_validator(mode="wrap")
    @classmethod
    def _validate_wire(cls, value: Any, handler: ModelWrapValidatorHandler[typing.Self]) -> Any:
        # Every Pydantic validation of a model passes here (TypeAdapter, FastAPI, nested
        # values); the reader's own validation (keys by field name) goes straight through.
        if type(value) is dict or (isinstance(value, Mapping) and not isinstance(value, BaseModel)):
            if _is_document(value):
                try:
                    return cls._read_document(value)
                except DataError as error:
                    raise PydanticCustomError(
                        "jsonld",
                        "{json_path}: {reason}",
                        {"json_path": error.json_path, "reason": error.reason},
                    ) from None
            if "type" in value or "@type" in value:
                return _typed_mapping(cls, value, handler)
        return handler(value)

    @model_serializer(mode="wrap")
    def _serialize(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        # by_alias: the wire form, as the writer gives it (dumps); else Pydantic's Python
        # view by field name, with each node's type (so model_validate can tell subclasses).
        if info.by_alias:
            return JsonLdNode._write(self)
        data = handler(self)
        if (
            isinstance(data, dict)
            and not (info.exclude_none or info.exclude_unset or info.exclude_defaults)
            and info.include is None
            and info.exclude is None
            and not type(self).model_fields.keys() <= data.keys()
        ):  # a subclass held by a field of its parent's type (a Barcode among ImageObjects):
            # Pydantic wrote the parent's fields only; the subclass's own serializer writes all
            data = type(self).__pydantic_serializer__.to_python(
                self, mode=info.mode, round_trip=info.round_trip, context=info.context
            )
            if isinstance(data, dict) and "type" in data:
                return data  # its own serializer added the type
        types = self.types
        if types and isinstance(data, dict):
            compact = model_context().compact_type
            data = {"type": compact(types[0]) if len(types) == 1 else [
                compact(t) for t in types], **data}  # fmt: skip
        return data

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The wire form's JSON Schema: ``@context`` and the type key at the root,
        enumerations as their IRIs, numbers as numbers."""
        return _wire_schema(cls, core_schema, handler)

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The JSON Schema of this class's documents in the wire form: ``@context`` and the
        type key required (``type`` for imin documents, ``@type`` for OpenActive ones),
        fields under their JSON-LD keys, enumerations as their IRIs, extension properties
        allowed. Nested nodes (``$defs``, shared with OpenAPI components) accept either type
        key and need no ``@context``."""
        schema = super().model_json_schema(*args, **kwargs)
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):  # a class that holds itself
            definitions = schema.get("$defs", {})
            schema = {**definitions.get(ref[len("#/$defs/") :], {}), "$defs": definitions}
        type_key, _ = _keys(cls)
        return {**schema, "required": ["@context", type_key]}

    # -- type ------------------------------------------------------------------------------

    @classmethod
    def type_iri(cls) -> str | None:
        """The IRI of this class's type term."""
        return cls._type_iri

    @property
    def types(self) -> tuple[str, ...]:
        """The node's type IRIs: the class's own unless it was read with other types."""
        if self._types is not None:
            return self._types
        iri = self._type_iri
        return (iri,) if iri else ()

    def with_types(self, *type_iris: str) -> typing.Self:
        """Set the type IRIs this node is written with (for subtypes no class models)."""
        set_types(self, tuple(type_iris))
        return self

    # -- JSON-LD view ----------------------------------------------------------------------

    @classmethod
    def jsonld_spec(cls) -> ClassSpec:
        """Field-by-field JSON-LD mapping, built on first use."""
        spec = cls._spec_cache  # every subclass sets its own None when it is created
        if spec is None:
            spec = _build_spec(cls)
            cls._spec_cache = spec
        return spec

    def to_jsonld(self) -> dict[str, Any]:
        """The node as a JSON-LD document in the canonical wire form (with ``@context``)."""
        return JsonLdNode._write(self)

    def __repr_args__(self) -> typing.Iterable[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            if value is not None and value != []:
                yield name, value


def _is_document(value: Mapping[str, Any]) -> bool:
    """Whether a mapping is a JSON-LD document, read as ``loads`` reads it: it has a
    ``@context``, or it is in expanded form (``@graph``, or a ``@type`` beside keys that are
    full IRIs), which needs none. Anything else is Pydantic's to validate: keys are field
    names or JSON-LD keys, and a ``type`` or ``@type`` picks the subclass (see
    :func:`_typed_mapping`)."""
    if "@context" in value or "@graph" in value:
        return True
    return "@type" in value and any(type(k) is str and "://" in k for k in value)


# -- construction in code ------------------------------------------------------------------


def _init_keys(cls: type[JsonLdNode]) -> frozenset[str]:
    """The keywords ``cls(...)`` takes as they are: field names and their JSON-LD keys."""
    keys: set[str] = set()
    for name, info in cls.model_fields.items():
        keys.add(name)
        alias = info.validation_alias
        if isinstance(alias, str):
            keys.add(alias)
        elif isinstance(alias, AliasChoices):
            keys.update(choice for choice in alias.choices if isinstance(choice, str))
        if info.alias is not None:
            keys.add(info.alias)
    cls._init_keys = frozen = frozenset(keys)
    return frozen


def _code_arguments(
    cls: type[JsonLdNode], data: dict[str, Any], keys: frozenset[str]
) -> dict[str, Any]:
    """``data`` with ``extensions`` merged in, or an UnknownFieldError for a keyword that
    names no field. A key with a colon (a CURIE or a full IRI) is an extension property."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in keys or (":" in key and not key.startswith("@")):
            out[key] = value
        elif key == "extensions":
            if value is None:
                continue
            if not isinstance(value, Mapping):
                raise UnknownFieldError(
                    f"{cls.__name__}(extensions=...) takes a mapping of extension properties, "
                    f"not {type(value).__name__}"
                )
            for name, extra in value.items():
                if not isinstance(name, str) or not name or name.startswith("@"):
                    raise UnknownFieldError(
                        f"{cls.__name__}(extensions=...): {name!r} is not a property key"
                    )
                if name in keys:
                    raise UnknownFieldError(
                        f"{cls.__name__}(extensions=...): {name!r} is a field of "
                        f"{cls.__name__}; give it as {_field_for(cls, name)}=..."
                    )
                out[name] = extra
        elif key in ("type", "@type") and value in (cls.type_term, cls._type_iri):
            continue  # the class's own type, as model_dump() writes it: nothing to set
        elif key.startswith("@") or key == "type":
            raise UnknownFieldError(
                f"{cls.__name__}() got the JSON-LD keyword {key!r}: a model built in code "
                f"has its class's type; read a document with {cls.__name__}.model_validate("
                "document) or loads(document)",
                field=key,
            )
        else:
            names = [name for name in cls.model_fields if name != "id"] + ["id"]
            close = difflib.get_close_matches(key, names, n=1) or difflib.get_close_matches(
                key, sorted(keys), n=1
            )
            hint = f"; did you mean {_field_for(cls, close[0])!r}?" if close else ""
            raise UnknownFieldError(
                f"{cls.__name__}() got an unexpected keyword argument {key!r}{hint} "
                "(extension properties are given as extensions={...}, keyed by CURIE or "
                "full IRI)",
                field=key,
                suggestion=_field_for(cls, close[0]) if close else None,
            )
    return out


def _field_for(cls: type[JsonLdNode], key: str) -> str:
    """The field name of a field name or JSON-LD key of ``cls``."""
    if key in cls.model_fields:
        return key
    for name, info in cls.model_fields.items():
        alias = info.validation_alias
        choices = alias.choices if isinstance(alias, AliasChoices) else (alias,)
        if key in choices or key == info.serialization_alias:
            return name
    return key


def _typed_mapping(
    cls: type[JsonLdNode], value: Mapping[str, Any], handler: Callable[[Any], Any]
) -> JsonLdNode:
    """A mapping without ``@context`` that names its type (``model_dump()``'s view of a
    node, or a node written without a context): validated as the class its type names when
    that is ``cls`` or a subclass (as the reader chooses classes), else as ``cls`` keeping
    the types. The type keys never become extension properties."""
    data = dict(value)
    given = [data.pop(key) for key in ("@type", "type") if key in data]
    type_iris: list[str] = []
    ctx = model_context()
    for item in given:
        for term in item if isinstance(item, list) else [item]:
            iri = ctx.expand_iri(term, vocab=True) if isinstance(term, str) else None
            if iri is None or iri.startswith("@"):
                raise ValueError(f"the type {term!r} has no IRI")
            type_iris.append(iri)
    target = cls
    for iri in type_iris:
        registered = JsonLdNode._registry.get(iri)
        if registered is not None:
            if not issubclass(registered, cls):
                raise ValueError(f"a {registered.__name__} node where a {cls.__name__} belongs")
            target = registered
            break
    if target is cls:
        node: JsonLdNode = handler(data)
    else:
        node = target.__pydantic_validator__.validate_python(data)
    if type_iris and tuple(type_iris) != target._type_iris:
        set_types(node, tuple(type_iris))
    return node


def set_types(node: JsonLdNode, type_iris: tuple[str, ...]) -> None:
    """Record the type IRIs a node was read with (when they differ from its class's)."""
    object.__setattr__(node, "_types", type_iris)


def set_context(node: JsonLdNode, context: Any) -> None:
    """Record the document context a root node was read with."""
    object.__setattr__(node, "_context", context)


def node_class_for(type_iri: str) -> type[JsonLdNode] | None:
    """The model class registered for a type IRI."""
    return JsonLdNode._registry.get(type_iri)


def registered_classes() -> dict[str, type[JsonLdNode]]:
    """Every registered model class by type IRI."""
    return dict(JsonLdNode._registry)


def _build_spec(cls: type[JsonLdNode]) -> ClassSpec:
    ctx = model_context()
    hints = typing.get_type_hints(cls, include_extras=False)
    full_hints = typing.get_type_hints(cls, include_extras=True)
    fields = []
    for name, info in cls.model_fields.items():
        if name == "id":
            continue
        alias = info.serialization_alias or info.alias or name
        term = ctx.resolve_key(alias)
        if term is None or term.iri is None or term.iri.startswith("@"):
            raise TypeError(f"{cls.__name__}.{name}: alias {alias!r} has no IRI")
        annotation = hints.get(name, info.annotation)
        is_list, node_classes, allows_string = _analyse(annotation)
        fields.append(
            FieldSpec(
                name=name,
                alias=alias,
                iri=term.iri,
                is_list=is_list,
                coerce_id=term.coerce_id,
                node_classes=node_classes,
                allows_string=allows_string,
                namespace=namespace_context(term.iri),
                plain=(plain := _plain_kind(full_hints.get(name, info.annotation))),
                string_fits=plain is str
                or (plain is JsonLdNode and allows_string)
                or (_str_in_union(full_hints.get(name, info.annotation))),
                convert=_converter(full_hints.get(name, info.annotation)),
                members=_direct_members(full_hints.get(name, info.annotation)),
            )
        )
    type_iri = cls.type_iri()
    return ClassSpec(
        fields=tuple(fields),
        by_iri={f.iri: f for f in fields},
        type_namespace=namespace_context(type_iri) if type_iri else None,
        defaults=_defaults(cls),
        list_names=tuple(f.name for f in fields if f.is_list),
    )


def _plain_kind(annotation: Any) -> type | None:
    """See :attr:`FieldSpec.plain`."""
    flat = _flat_members(annotation)
    if any(typing.get_origin(m) is not None for m in flat):
        return None  # Annotated (validated text, enums, numbers) or anything parameterised
    kinds = set(flat)
    if kinds in ({str}, {int}, {bool}):
        return kinds.pop()  # type: ignore[no-any-return]
    nodes = {m for m in kinds if isinstance(m, type) and issubclass(m, JsonLdNode)}
    if nodes and kinds <= nodes | {str}:
        return JsonLdNode
    return None


def _str_in_union(annotation: Any) -> bool:
    """Whether a plain string is exactly what Pydantic holds for a value of this union of
    ``str``, ``int``, ``bool`` and models (an ``identifier``): strict smart unions keep a
    value of exactly one of the members' types as it is (see :func:`_union_converter`)."""
    flat = _flat_members(annotation)
    return str in flat and all(m in (str, int, bool) or _is_node_class(m) for m in flat)


def _flat_members(annotation: Any) -> list[Any]:
    """A field's union members, with a list's item members in place of the list."""
    flat: list[Any] = []
    for member in _union_members(annotation):
        if typing.get_origin(member) is list:
            flat.extend(_union_members(typing.get_args(member)[0]))
        else:
            flat.append(member)
    return flat


def _converter(annotation: Any) -> Callable[[Any], Any] | None:
    """See :attr:`FieldSpec.convert`: for ``Annotated[T, validator]`` (alone, or as the items
    of a list, optional or not) whose validator decides the value Pydantic holds by itself:
    a ``BeforeValidator`` giving an enumeration member or a ``Decimal`` (strict validation of
    an instance of exactly ``T`` returns it unchanged), or one of the date/time/duration
    ``WrapValidator`` functions of ``_types``, which never call Pydantic's handler for text."""
    flat = _flat_members(annotation)
    if len(flat) > 1 and all(m in (str, int, bool) or _is_node_class(m) for m in flat):
        return _union_converter(flat)
    if len(flat) == 2 and flat[1] is str:  # an enumeration member, else the text (WebPage)
        member = _converter(flat[0])
        return None if member is None else _or_text(member)
    if len(flat) != 1 or typing.get_origin(flat[0]) is not typing.Annotated:
        return None
    base, *metadata = typing.get_args(flat[0])
    if len(metadata) != 1:
        return None
    validator = metadata[0]
    if isinstance(validator, WrapValidator) and validator.func in TEXT_CONVERTERS:
        return TEXT_CONVERTERS[validator.func]
    if (
        isinstance(validator, BeforeValidator)
        and isinstance(base, type)
        and (issubclass(base, Enum) or base is Decimal)
    ):
        before = typing.cast(Callable[[Any], Any], validator.func)  # a plain before-validator
        if base is Decimal and before in NUMBER_CONVERTERS:
            return NUMBER_CONVERTERS[before]
        direct = {} if base is Decimal else _member_map(typing.cast(type[Enum], base), before)

        def convert(value: Any) -> Any:
            if type(value) is str:
                member = direct.get(value)
                if member is not None:
                    return member
            try:
                result = before(value)
            except ValueError:  # PydanticCustomError included
                return MISFIT
            return result if type(result) is base else MISFIT

        return convert
    return None


def _member_map(enum: type[Enum], before: Callable[[Any], Any]) -> dict[str, Any]:
    """Exact member values (full IRIs, the common spelling) -> their member, where the
    validator gives that very member for them."""
    return {m.value: m for m in enum if type(m.value) is str and before(m.value) is m}


def _direct_members(annotation: Any) -> dict[str, Any] | None:
    """See :attr:`FieldSpec.members`."""
    flat = _flat_members(annotation)
    if len(flat) == 2 and flat[1] is str:  # an enumeration member, else the text
        flat = flat[:1]
    if len(flat) != 1 or typing.get_origin(flat[0]) is not typing.Annotated:
        return None
    base, *metadata = typing.get_args(flat[0])
    if len(metadata) != 1 or not isinstance(metadata[0], BeforeValidator):
        return None
    if not (isinstance(base, type) and issubclass(base, Enum)):
        return None
    return _member_map(base, typing.cast(Callable[[Any], Any], metadata[0].func)) or None


def _is_node_class(member: Any) -> bool:
    return isinstance(member, type) and issubclass(member, JsonLdNode)


def _or_text(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """For ``X | str`` (``X`` converted by ``convert``): Pydantic's strict smart union takes
    the first member that validates, so ``X`` when it converts, else the text as it is."""

    def convert_or_text(value: Any) -> Any:
        result = convert(value)
        return value if result is MISFIT and type(value) is str else result

    return convert_or_text


def _union_converter(members: list[Any]) -> Callable[[Any], Any]:
    """For a union of models, ``str``, ``int`` and ``bool`` (an ``identifier``): Pydantic's
    strict smart union keeps a value of exactly one of those types as it is."""
    exact = tuple(m for m in members if m is str or m is int or m is bool)
    classes = tuple(m for m in members if _is_node_class(m))

    def convert(value: Any) -> Any:
        return value if type(value) in exact or isinstance(value, classes) else MISFIT

    return convert


def _defaults(cls: type[JsonLdNode]) -> dict[str, Any] | None:
    """See :attr:`ClassSpec.defaults`."""
    decorators = cls.__pydantic_decorators__
    own_validators = [name for name in decorators.field_validators if name != "_absolute_id"]
    own_model_validators = [
        name for name in decorators.model_validators if name != "_validate_wire"
    ]
    if own_validators or own_model_validators or decorators.root_validators:
        return None
    defaults: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        if info.default_factory is not list and (
            info.default_factory is not None or info.is_required() or info.default is not None
        ):
            return None
        defaults[name] = None  # a list's placeholder, replaced by construct
    return defaults


_SET_DICT = BaseModel.__dict__["__dict__"].__set__
_SET_FIELDS_SET = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_SET_EXTRA = BaseModel.__dict__["__pydantic_extra__"].__set__
_SET_PRIVATE = BaseModel.__dict__["__pydantic_private__"].__set__
_NEW = object.__new__
# Pydantic's own slots, set through their descriptors (cheaper than object.__setattr__).


def construct(cls: type[JsonLdNode], data: dict[str, Any], spec: ClassSpec) -> JsonLdNode:
    """A model from values already known to fit their fields exactly, without Pydantic.

    The reader's fast road checks each value's exact type (``FieldSpec.plain``) and calls
    this only when every value fits and ``spec.defaults`` is not None; anything else goes
    through Pydantic validation. ``_fast.FastReader.read_node`` has these lines inline (one
    call less per node, its hottest path): change both together.
    """
    assert spec.defaults is not None
    values = spec.defaults.copy()
    for name in spec.list_names:
        values[name] = []
    values.update(data)
    node: JsonLdNode = _NEW(cls)
    _SET_DICT(node, values)
    _SET_FIELDS_SET(node, set(data))
    _SET_EXTRA(node, {})
    _SET_PRIVATE(node, None)
    return node


def namespace_context(iri: str) -> str | None:
    """The context URL that defines the namespace of ``iri`` (imin, ns-beta, ...), if any."""
    for namespace, url in NAMESPACE_CONTEXTS:
        if iri.startswith(namespace):
            return url
    return None


def _analyse(annotation: Any) -> tuple[bool, tuple[type[JsonLdNode], ...], bool]:
    """(is a list, nested model classes, accepts a plain string) for a field annotation."""
    is_list = False
    members = _union_members(annotation)
    flat: list[Any] = []
    for member in members:
        origin = typing.get_origin(member)
        if origin is list:
            is_list = True
            flat.extend(_union_members(typing.get_args(member)[0]))
        else:
            flat.append(member)
    classes = tuple(m for m in flat if isinstance(m, type) and issubclass(m, JsonLdNode))
    allows_string = any(
        m is str or (typing.get_origin(m) is typing.Annotated and typing.get_args(m)[0] is str)
        for m in flat
    )
    return is_list, classes, allows_string


def _union_members(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_union_members(arg))
        return [a for a in out if a is not type(None)]
    if origin is typing.Annotated:
        inner = typing.get_args(annotation)[0]
        if typing.get_origin(inner) in (typing.Union, types.UnionType, list):
            return _union_members(inner)
    return [annotation]


class GenericNode(JsonLdNode):
    """A node of a type no model class defines: every property is kept as an extra."""


def needed_contexts(node: JsonLdNode, *, class_defaults: bool) -> set[str]:
    """Context URLs that the namespaces used by ``node`` (and what it holds) need.

    ``class_defaults`` (for models built in code) adds each class's ``namespace_contexts``
    and the namespaces of extension keys as the model context reads them; without it only
    types and fields count (their IRIs do not depend on any document's context).
    """
    needed = {OPENACTIVE}
    ctx = model_context()
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, JsonLdNode):
            if class_defaults:
                needed.update(item.namespace_contexts)
            iris = list(item.types)
            for key in (item.__pydantic_extra__ or ()) if class_defaults else ():
                term = ctx.resolve_key(key)
                if term is not None and term.iri is not None:
                    iris.append(term.iri)
            spec = item.jsonld_spec()
            for field in spec.fields:
                value = getattr(item, field.name)
                if value is None or value == []:
                    continue
                iris.append(field.iri)
                stack.append(value)
            for iri in iris:
                url = namespace_context(iri)
                if url is not None:
                    needed.add(url)
        elif isinstance(item, list):
            stack.extend(item)
    return needed


# -- JSON Schema of the wire form ------------------------------------------------------------


def _keys(cls: type[JsonLdNode]) -> tuple[str, str]:
    """The type and id keys of the class's documents: ``type``/``id`` for those written with
    the imin context (as imin's docs do), ``@type``/``@id`` otherwise (as OpenActive requires)."""
    if IMIN in cls.namespace_contexts or namespace_context(cls._type_iri or "") == IMIN:
        return "type", "id"
    return "@type", "@id"


_CONTEXT_SCHEMA: dict[str, Any] = {
    "description": "The JSON-LD context: https://openactive.io/ first, then "
    "https://openactive.io/ns-beta and https://imin.co/ where used (required at the "
    "document's root).",
    "anyOf": [
        {"type": "string"},
        {"type": "object"},
        {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
    ],
}
_TYPES_SCHEMA: dict[str, Any] = {
    "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
}


def _wire_schema(
    cls: type[JsonLdNode], core_schema: CoreSchema, handler: GetJsonSchemaHandler
) -> JsonSchemaValue:
    """A node of ``cls`` as it is on the wire: its type and id keys, fields under their
    JSON-LD keys with their values as written (numbers as numbers, dates as text, enumeration
    members as IRIs, arrays where the model says array), extension properties allowed."""
    type_key, id_key = _keys(cls)
    properties: dict[str, Any] = {"@context": dict(_CONTEXT_SCHEMA)}
    if cls.type_term:
        properties[type_key] = {
            **_TYPES_SCHEMA,
            "description": f"``{cls.type_term}`` (or a subtype's type).",
            "examples": [cls.type_term],
        }
    else:
        properties[type_key] = dict(_TYPES_SCHEMA)
    properties[id_key] = {"type": "string", "format": "iri", "description": "The node's IRI."}
    refs = _node_refs(core_schema, handler)
    hints = typing.get_type_hints(cls, include_extras=True)
    docs = _field_docs(cls)
    for field in cls.jsonld_spec().fields:
        value = _value_schema(hints.get(field.name), refs, field)
        if field.is_list:
            value = {"type": "array", "items": value}
        description = cls.model_fields[field.name].description or docs.get(field.name)
        if description:
            value = {**value, "description": description}
        properties[field.alias] = value
    schema: dict[str, Any] = {
        "type": "object",
        "title": cls.__name__,
        "properties": properties,
        "additionalProperties": True,
    }
    doc = (cls.__doc__ or "").strip().split("\n\n", 1)[0]
    if doc:
        schema["description"] = " ".join(doc.split())
    return schema


def _field_docs(cls: type[JsonLdNode]) -> dict[str, str]:
    """Field name -> the first paragraph of its docstring (the string after the field, as
    the generated classes have them), for the classes in ``cls``'s MRO; empty where the
    source cannot be read (a frozen application, say)."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if not (isinstance(klass, type) and issubclass(klass, JsonLdNode)):
            continue
        docs.update(_own_field_docs(klass))
    return docs


@cache
def _own_field_docs(cls: type[JsonLdNode]) -> dict[str, str]:
    try:
        source = textwrap.dedent(inspect.getsource(cls))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return {}
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for statement, following in itertools.pairwise(body):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            paragraph = inspect.cleandoc(following.value.value).split("\n\n", 1)[0]
            docs[statement.target.id] = " ".join(paragraph.split())
    return docs


def _node_refs(core_schema: Any, handler: GetJsonSchemaHandler) -> dict[type, JsonSchemaValue]:
    """Model class -> the JSON Schema reference Pydantic gives it, for each model the
    class's fields hold (found in its core schema, as Pydantic shares them: inline or by
    reference, so that recursion and OpenAPI's shared definitions work as usual)."""
    classes = {id(c): c for c in _subclasses(JsonLdNode)}
    # The handler given to a class generates a schema without that schema's own hooks: the
    # generator behind it (GenerateJsonSchemaHandler.generate_json_schema) applies each
    # nested class's hook and shares its definition, as for any field Pydantic walks itself.
    generator = getattr(handler, "generate_json_schema", None)
    generate: Callable[[Any], JsonSchemaValue] = (
        handler if generator is None else generator.generate_inner
    )
    refs: dict[type, JsonSchemaValue] = {}
    fields: Any = None
    stack: list[Any] = [core_schema]
    while stack and fields is None:  # down to this model's own fields
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("type") == "model-fields":
                fields = item["fields"]
            elif "schema" in item:
                stack.append(item["schema"])
    if fields is None:
        return refs
    stack = [field["schema"] for field in fields.values()]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):  # a union choice with its tag
            stack.append(item[0])
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            kind = item.get("type")
            ref = item.get("schema_ref") if kind == "definition-ref" else item.get("ref")
            cls = None if ref is None else classes.get(_ref_id(ref))
            if cls is not None:  # a model (or its wrapper, which holds its hooks), or its ref
                refs[cls] = generate(item)
            elif kind == "model":
                refs[item["cls"]] = generate(item)
            elif kind == "definitions":
                stack.append(item["schema"])
            else:
                stack.extend(
                    item[key]
                    for key in ("schema", "choices", "items_schema", "steps")
                    if key in item
                )
    return refs


def _ref_id(ref: str) -> int:
    """The class id at the end of a core schema reference (``module.Class:140234...``)."""
    tail = ref.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else -1


def _subclasses(cls: type[JsonLdNode]) -> list[type[JsonLdNode]]:
    out = [cls]
    for sub in cls.__subclasses__():
        out.extend(_subclasses(sub))
    return out


def _value_schema(
    annotation: Any, refs: dict[type, JsonSchemaValue], field: FieldSpec
) -> dict[str, Any]:
    """One value of a field (each item, for a list) as written."""
    choices: list[dict[str, Any]] = []
    for member in _flat_members(annotation):
        schema = _member_schema(member, refs, field)
        if schema not in choices:
            choices.append(schema)
    if not choices or {} in choices:
        return {}
    return choices[0] if len(choices) == 1 else {"anyOf": choices}


def _member_schema(
    member: Any, refs: dict[type, JsonSchemaValue], field: FieldSpec
) -> dict[str, Any]:
    if member is str:
        return {"type": "string", "format": "iri"} if field.coerce_id else {"type": "string"}
    if member is bool:
        return {"type": "boolean"}
    if member is int:
        return {"type": "integer"}
    if member is float:
        return {"type": "number"}
    if _is_node_class(member):
        return dict(refs.get(member, {"type": "object"}))
    if typing.get_origin(member) is typing.Annotated:
        base, *metadata = typing.get_args(member)
        if isinstance(base, type) and issubclass(base, Enum):
            return {
                "type": "string",
                "enum": [m.value for m in base],
                "title": base.__name__,
            }
        if base is Decimal:
            return {"type": "number"}
        for validator in metadata:
            text = _TEXT_SCHEMAS.get(getattr(validator, "func", None))
            if text is not None:
                return dict(text)
        return _member_schema(base, refs, field)
    return {}


_TEXT_SCHEMAS: dict[Any, dict[str, Any]] = {
    _date: {"type": "string", "pattern": _DATE.pattern},
    _datetime: {"type": "string", "pattern": _DATETIME.pattern},
    _duration: {"type": "string", "pattern": _DURATION.pattern},
    _time: {"type": "string", "pattern": _TIME.pattern},
}
"""The date, date-time, duration and time validators of ``_types``: the text they accept."""
