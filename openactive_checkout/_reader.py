"""Read any equivalent JSON-LD into models.

Two roads, one result:

* the fast road, for documents whose ``@context`` is already canonical (bundled URLs in
  canonical order, optionally followed by simple inline contexts): keys are resolved with the
  compiled :class:`~openactive_checkout._context.ActiveContext`, no pyld call is made, and
  extension properties are kept verbatim;
* the normalising road, for everything else (legacy or reordered contexts, value objects,
  ``@graph``, nested contexts, several values for a single-valued property, ...): pyld
  expands the document with the bundled loader, and the expanded form is mapped onto the
  models by IRI; what the models cannot hold is kept as extension properties, compacted
  against the output context, so the document's graph is unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from ._context import (
    CANONICAL_ORDER,
    IMIN,
    NAMESPACE_CONTEXTS,
    NS_BETA,
    NS_EXTENSION,
    OPENACTIVE,
    TEST_INTERFACE,
    ActiveContext,
    Loader,
    active_context,
    build_active_context,
    bundled,
    bundled_loader,
    is_absolute_iri,
    pyld_loader_as_loader,
)
from .errors import ContextError, DataError, PathPart
from .vocab._base import (
    ClassSpec,
    FieldSpec,
    GenericNode,
    JsonLdNode,
    namespace_context,
    node_class_for,
    set_context,
    set_types,
)

MAX_DEPTH = 100
"""The deepest nesting of objects and arrays a document may have. Checked before any
recursive processing, so hostile input gets a DataError instead of a RecursionError."""

Path = tuple[PathPart, ...]


class _FallbackError(Exception):
    """The fast road met something it leaves to the normalising road."""


class DocumentContext:
    """The context a document is written back with: its ``@context`` value and keys."""

    __slots__ = ("active", "id_key", "type_key", "urls", "value")

    def __init__(self, urls: tuple[str, ...], inline: tuple[Any, ...], load: Loader) -> None:
        ordered = [u for u in CANONICAL_ORDER if u in urls]
        ordered += [u for u in urls if u not in CANONICAL_ORDER]
        entries: list[Any] = [*ordered, *inline]
        self.urls = tuple(ordered)
        self.value: Any = entries[0] if len(entries) == 1 else entries
        self.active = (
            active_context(self.value) if load is bundled_loader else build_active_context(
                self.value, load)
        )  # fmt: skip
        plain = IMIN in self.urls
        self.type_key = _alias(self.active, "type", "@type", plain)
        self.id_key = _alias(self.active, "id", "@id", plain)

    def with_urls(self, extra: set[str], load: Loader) -> DocumentContext:
        """The same context with more bundled URLs (namespaces the model uses)."""
        inline = [e for e in (self.value if isinstance(self.value, list) else [self.value])
                  if not isinstance(e, str)]  # fmt: skip
        return make_context([*self.urls, *sorted(extra)], inline, load)


def _alias(ctx: ActiveContext, alias: str, keyword: str, plain: bool) -> str:
    if plain:
        term = ctx.terms.get(alias)
        if term is not None and term.iri == keyword:
            return alias
    return keyword


# -- entry point ----------------------------------------------------------------------------


def parse(
    data: str | bytes | bytearray | Mapping[str, Any],
    *,
    document_loader: Callable[[str, dict[str, Any]], Any] | None = None,
) -> JsonLdNode:
    """Read a JSON-LD document into the model of its type (see ``openactive_checkout.loads``)."""
    document = load_json(data)
    check_depth(document)
    if not isinstance(document, dict):
        raise DataError(f"a JSON-LD document must be a JSON object, not {_kind(document)}")
    load: Loader = bundled_loader if document_loader is None else pyld_loader_as_loader(
        document_loader)  # fmt: skip
    raw_context = document.get("@context")
    target, canonical_input, named_urls = (
        _plan_bundled(raw_context) if load is bundled_loader else plan_context(raw_context, load)
    )
    node: JsonLdNode | None = None
    if canonical_input and target.active.simple:
        try:
            node = _FastReader(target).read_root(document)
        except _FallbackError:
            node = None
    if node is None:
        node = _read_expanded(
            document,
            raw_context,
            target,
            load,
            document_loader=document_loader,
            named_urls=named_urls,
        )
    _drop_unused_inline(node, load)
    return node


def load_json(data: str | bytes | bytearray | Mapping[str, Any]) -> Any:
    """Parse JSON text (or accept an already-parsed mapping), raising DataError."""
    if isinstance(data, Mapping):
        return data if isinstance(data, dict) else dict(data)
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DataError(f"the document is not UTF-8 text ({exc.reason})") from None
    if not isinstance(data, str):
        raise DataError(f"expected JSON text, bytes or a mapping, not {type(data).__name__}")
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise DataError(
            f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise DataError(f"the document nests deeper than {MAX_DEPTH} levels") from None


def check_depth(document: Any) -> None:
    """Raise DataError when ``document`` nests deeper than :data:`MAX_DEPTH`."""
    if not _within_depth(document, 0):
        raise DataError(f"the document nests deeper than {MAX_DEPTH} levels",
                        path=_deepest_path(document))  # fmt: skip


def _within_depth(value: Any, depth: int) -> bool:
    if depth > MAX_DEPTH:
        return False
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        if isinstance(item, dict | list) and not _within_depth(item, depth + 1):
            return False
    return True


def _deepest_path(document: Any) -> Path:
    """The path at which ``document`` first passes :data:`MAX_DEPTH` (iteratively)."""
    stack: list[tuple[Any, Path]] = [(document, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_DEPTH:
            return path
        if isinstance(value, dict):
            stack.extend((v, (*path, k)) for k, v in value.items() if isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(value) if isinstance(v, dict | list))
    return ()


def _kind(value: Any) -> str:
    """How a JSON value is named in messages: "an array", "a string", "null", ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return {dict: "an object", list: "an array", str: "a string"}.get(type(value), "a value")


# -- contexts -------------------------------------------------------------------------------


def plan_context(raw: Any, load: Loader) -> tuple[DocumentContext, bool, bool]:
    """The context a document is written back with, whether its own is already that, and
    whether it named any context URL (if not, its root class's namespaces are added, as for
    a model built in code).

    Bundled URLs are written canonically (legacy URLs replaced, canonical order, ns-extension
    left out where another bundled context includes it); an inline object equal to a bundled
    context becomes its URL; inline objects that add nothing to the bundled contexts are
    dropped; other simple inline objects are kept, after the URLs.
    """
    entries = raw if isinstance(raw, list) else ([] if raw is None else [raw])
    urls: list[str] = []
    inline: list[dict[str, Any]] = []
    mapped: list[Any] = []
    for index, entry in enumerate(entries):
        path: Path = ("@context", index) if isinstance(raw, list) else ("@context",)
        if isinstance(entry, str):
            url = bundled().canonical_url(entry)
            if url is None:
                load(entry)  # a caller's loader may allow it; else ContextError naming the URL
                url = entry
            urls.append(url)
            mapped.append(url)
        elif isinstance(entry, dict):
            url = _bundled_equivalent(entry)
            if url is not None:
                urls.append(url)
            else:
                inline.append(entry)
            mapped.append(url or entry)
        elif entry is None:
            mapped.append(None)
        else:
            raise DataError(f"a @context entry must be a URL or an object, not {_kind(entry)}",
                            path=path)  # fmt: skip
    target = make_context(urls, inline, load)
    target_entries = target.value if isinstance(target.value, list) else [target.value]
    return target, mapped == target_entries, bool(urls)


_PLANS: dict[Any, tuple[DocumentContext, bool, bool]] = {}


def _plan_bundled(raw: Any) -> tuple[DocumentContext, bool, bool]:
    """:func:`plan_context` with the bundled loader, cached for contexts made of URLs only."""
    if isinstance(raw, str):
        key: Any = raw
    elif isinstance(raw, list) and all(isinstance(e, str) for e in raw):
        key = tuple(raw)
    else:
        return plan_context(raw, bundled_loader)
    plan = _PLANS.get(key)
    if plan is None:
        plan = plan_context(raw, bundled_loader)
        if len(_PLANS) < 256:
            _PLANS[key] = plan
    return plan


def make_context(
    urls: list[str], inline: list[Any] | tuple[Any, ...], load: Loader
) -> DocumentContext:
    """A normalised DocumentContext (see :func:`plan_context`)."""
    urls = list(dict.fromkeys([OPENACTIVE, *urls]))
    inline = list(inline)
    for url in (NS_BETA, TEST_INTERFACE, IMIN):  # ns-extension + {"imin": ...} is imin's context
        _, own = bundled().document(url)["@context"]
        if own in inline and (NS_EXTENSION in urls or url in urls):
            inline.remove(own)
            urls.append(url)
    if NS_EXTENSION in urls and any(u in urls for u in (NS_BETA, TEST_INTERFACE, IMIN)):
        urls.remove(NS_EXTENSION)
    target = DocumentContext(tuple(dict.fromkeys(urls)), (), load)
    kept = tuple(e for e in inline if not _redundant(e, target.active))
    if kept:
        with_inline = DocumentContext(target.urls, kept, load)
        if with_inline.active.simple:
            return with_inline
    return target


def _drop_unused_inline(node: JsonLdNode, load: Loader) -> None:
    """Write the document without its inline contexts when nothing kept still needs them."""
    context: DocumentContext = node._context
    if not isinstance(context.value, list) or all(isinstance(e, str) for e in context.value):
        return
    reduced = make_context(list(context.urls), (), load)
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, JsonLdNode):
            extras = item.__pydantic_extra__
            if extras and _depends(extras, context.active, reduced.active):
                return
            for iri in item._types or ():
                if context.active.compact_type(iri) != reduced.active.compact_type(iri):
                    return
            stack.extend(item.__dict__.values())
    set_context(node, reduced)


def _depends(value: Any, full: ActiveContext, reduced: ActiveContext) -> bool:
    """Whether JSON-LD ``value`` means something else without the inline contexts."""
    if isinstance(value, list):
        return any(_depends(v, full, reduced) for v in value)
    if not isinstance(value, dict):
        return False
    for key, item in value.items():
        if key == "@context":
            return True
        term = full.resolve_key(key)
        if term != reduced.resolve_key(key):
            return True
        if term is None:
            continue
        iris_in = (
            (True,) if term.iri == "@type" else (False,) if term.iri == "@id" or term.coerce_id
            else ()
        )  # fmt: skip
        for vocab in iris_in:
            for text in item if isinstance(item, list) else [item]:
                if isinstance(text, str) and full.expand_iri(text, vocab=vocab) != (
                    reduced.expand_iri(text, vocab=vocab)
                ):
                    return True
        if _depends(item, full, reduced):
            return True
    return False


def _redundant(local: dict[str, Any], active: ActiveContext) -> bool:
    """Whether every definition in an inline context is already made by ``active``."""
    try:
        alone = build_active_context(local, bundled_loader)
    except ContextError:
        return False
    if "@vocab" in local and local["@vocab"] != active.vocab:
        return False
    return all(active.terms.get(term) == definition for term, definition in alone.terms.items())


@lru_cache(maxsize=1)
def _bundled_contexts_by_value() -> dict[str, str]:
    found: dict[str, str] = {}
    for url in bundled().files:
        if bundled().canonical_url(url) == url:
            found.setdefault(_freeze(bundled().document(url).get("@context")), url)
    return found


def _bundled_equivalent(entry: dict[str, Any]) -> str | None:
    """The bundled URL whose context is exactly this inline object, if any."""
    return _bundled_contexts_by_value().get(_freeze(entry))


def _freeze(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


# -- the fast road ----------------------------------------------------------------------------


class _FastReader:
    def __init__(self, target: DocumentContext) -> None:
        self.target = target
        self.ctx = target.active
        self.resolve = target.active.resolve_key
        self.used: set[str] = set()

    def read_root(self, document: dict[str, Any]) -> JsonLdNode:
        node = self.read_node(document, (), None)
        if not self.used <= set(self.target.urls):
            raise _FallbackError  # the model uses a namespace the document's context lacks
        set_context(node, self.target)
        return node

    def read_node(self, obj: dict[str, Any], path: Path, field: FieldSpec | None) -> JsonLdNode:
        resolve = self.resolve
        type_value: Any = None
        id_value: Any = None
        props: list[tuple[str, str, bool, Any]] = []
        for key, value in obj.items():
            if key == "@context":
                if path:
                    raise _FallbackError
                continue
            term = resolve(key)
            if term is None:
                raise DataError(
                    f"the key {key!r} has no meaning under the document's @context and would "
                    "be dropped by any JSON-LD processor", path=(*path, key))  # fmt: skip
            iri = term.iri
            assert iri is not None
            if iri == "@type":
                type_value = value
            elif iri == "@id":
                id_value = value
                id_path = (*path, key)
            elif iri[0] == "@" or term.reverse or not term.simple:
                raise _FallbackError
            else:
                props.append((key, iri, term.coerce_id, value))
        type_iris = self.type_iris(type_value, path)
        cls = choose_class(type_iris, field)
        spec = cls.jsonld_spec()
        data, extras = self.read_props(spec, props, path)
        if id_value is not None:
            data["id"] = self.node_id(id_value, id_path)
        node = validate(cls, data, path, spec)
        if extras:
            node.__pydantic_extra__ = extras
        if type_iris != _class_types(cls):
            set_types(node, type_iris)
            self.used.update(filter(None, map(namespace_context, type_iris)))
        elif spec.type_namespace is not None:
            self.used.add(spec.type_namespace)
        return node

    def read_props(
        self, spec: ClassSpec, props: list[tuple[str, str, bool, Any]], path: Path
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """(field values by attribute, extension properties) for a node's properties."""
        by_iri = spec.by_iri
        data: dict[str, Any] = {}
        extras: dict[str, Any] = {}
        for key, iri, coerce_id, value in props:
            spec_field = by_iri.get(iri)
            if spec_field is None:
                extras[key] = value
                continue
            if spec_field.coerce_id != coerce_id or spec_field.name in data:
                raise _FallbackError
            if value is None:
                continue
            converted = self.read_value(spec_field, value, (*path, key))
            if converted is not _ABSENT:
                data[spec_field.name] = converted
                if spec_field.namespace is not None:
                    self.used.add(spec_field.namespace)
        return data, extras

    def type_iris(self, value: Any, path: Path) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            cached = self.ctx.type_cache.get(value)
            if cached is not None:
                return cached
        values = value if isinstance(value, list) else [value]
        out = []
        for index, item in enumerate(values):
            if not isinstance(item, str):
                raise DataError(f"a type must be a string, not {_kind(item)}",
                                path=(*path, "@type", index) if isinstance(value, list)
                                else (*path, "@type"))  # fmt: skip
            iri = self.ctx.expand_iri(item, vocab=True)
            if iri is None or iri.startswith("@"):
                raise DataError(f"the type {item!r} has no IRI under the document's @context",
                                path=(*path, "@type"))  # fmt: skip
            out.append(iri)
        if isinstance(value, str):
            self.ctx.type_cache[value] = tuple(out)
        return tuple(out)

    def node_id(self, value: Any, path: Path) -> str:
        if not isinstance(value, str):
            raise DataError(f"an @id must be a string, not {_kind(value)}", path=path)
        iri = self.ctx.expand_iri(value, vocab=False)
        if iri is None or not is_absolute_iri(iri):
            raise DataError(f"an @id must be an absolute IRI, not {value!r}", path=path)
        return iri

    def read_value(self, field: FieldSpec, value: Any, path: Path) -> Any:
        if field.is_list:
            if isinstance(value, list):
                return [self.read_item(field, v, (*path, i)) for i, v in enumerate(value)
                        if v is not None]  # fmt: skip
            return [self.read_item(field, value, path)]
        if isinstance(value, list):
            if not value:
                return _ABSENT
            if len(value) > 1:
                raise _FallbackError
            value = value[0]
            path = (*path, 0)
        return self.read_item(field, value, path)

    def read_item(self, field: FieldSpec, value: Any, path: Path) -> Any:
        if isinstance(value, dict):
            if not field.node_classes:
                raise _FallbackError
            return self.read_node(value, path, field)  # falls back itself on @value, @list
        if isinstance(value, list):
            raise _FallbackError  # an array inside an array (a JSON-LD list)
        if field.coerce_id and isinstance(value, str):
            iri = self.ctx.expand_iri(value, vocab=False)
            if iri is None or not is_absolute_iri(iri):
                raise DataError(f"{field.alias} must be an absolute IRI, not {value!r}", path=path)
            return iri
        return value


_ABSENT = object()


def _class_types(cls: type[JsonLdNode]) -> tuple[str, ...]:
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


def validate(cls: type[JsonLdNode], data: dict[str, Any], path: Path, spec: Any) -> JsonLdNode:
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


# -- the normalising road ---------------------------------------------------------------------


def _read_expanded(
    document: dict[str, Any],
    raw_context: Any,
    target: DocumentContext,
    load: Loader,
    *,
    document_loader: Callable[[str, dict[str, Any]], Any] | None,
    named_urls: bool,
) -> JsonLdNode:
    _precheck(document, raw_context, load)
    expanded = expand(document, document_loader)
    nodes = [n for n in expanded if isinstance(n, dict)]
    if len(nodes) != 1:
        raise DataError(
            f"the document describes {len(nodes)} top-level nodes; loads() reads exactly one"
        )
    used = _namespaces(nodes[0])
    if not named_urls:
        root_class = choose_class(tuple(nodes[0].get("@type", ())), None)
        used.update(root_class.namespace_contexts)
    if not used <= set(target.urls):
        target = target.with_urls(used, load)
    reader = _ExpandedReader(target)
    node = reader.read_node(nodes[0], (), None)
    set_context(node, target)
    return node


def expand(document: Any, document_loader: Callable[[str, dict[str, Any]], Any] | None) -> Any:
    """pyld expansion with the bundled loader (or the caller's), errors turned into ours."""
    from pyld import jsonld

    from ._context import document_loader as frozen_loader

    loader = frozen_loader() if document_loader is None else _chain(document_loader)
    try:
        return jsonld.expand(document, {"documentLoader": loader, "base": ""})
    except jsonld.JsonLdError as exc:
        raise _translate_pyld_error(exc) from None
    except RecursionError:
        raise DataError(f"the document nests deeper than {MAX_DEPTH} levels") from None


def _chain(document_loader: Callable[[str, dict[str, Any]], Any]) -> Any:
    from ._context import document_loader as frozen_loader

    frozen = frozen_loader()

    def load(url: str, options: dict[str, Any]) -> Any:
        if url in bundled().files:
            return frozen(url, options)
        return document_loader(url, options)

    return load


def _translate_pyld_error(exc: Exception) -> Exception:
    """Find the cause in pyld's error chain and say it our way."""
    seen = exc
    url = None
    while seen is not None:
        details = getattr(seen, "details", None) or {}
        if isinstance(details, dict) and details.get("url"):
            url = details["url"]
        seen = getattr(seen, "cause", None) or seen.__cause__  # type: ignore[assignment]
    if url is not None:
        return ContextError(f"the JSON-LD context {url!r} could not be loaded", url=url)
    code = getattr(exc, "code", None)
    return DataError(f"invalid JSON-LD: {code or exc}")


def _precheck(document: dict[str, Any], raw_context: Any, load: Loader) -> None:
    """Find keys JSON-LD would silently drop and relative ids, with their real paths.

    Only for documents whose contexts this processor models fully (the rest is left to pyld).
    """
    try:
        ctx = build_active_context(raw_context, load) if raw_context is not None else (
            ActiveContext({}, None, True))  # fmt: skip
    except ContextError:
        raise
    except Exception:  # an unusual context; pyld will judge it
        return
    if not ctx.simple:
        return
    stack: list[tuple[Any, Path, ActiveContext]] = [(document, (), ctx)]
    while stack:
        value, path, active = stack.pop()
        if isinstance(value, list):
            stack.extend((v, (*path, i), active) for i, v in enumerate(value))
            continue
        if not isinstance(value, dict):
            continue
        if "@context" in value and path:
            return  # a nested context: pyld decides
        for key, item in value.items():
            if key == "@context":
                continue
            term = active.resolve_key(key)
            if term is None:
                raise DataError(
                    f"the key {key!r} has no meaning under the document's @context and would "
                    "be dropped by any JSON-LD processor", path=(*path, key))  # fmt: skip
            if term.iri == "@id" and isinstance(item, str):
                iri = active.expand_iri(item, vocab=False)
                if iri is None or not is_absolute_iri(iri):
                    raise DataError(f"an @id must be an absolute IRI, not {item!r}",
                                    path=(*path, key))  # fmt: skip
            if term.iri == "@value":
                continue
            if isinstance(item, dict | list):
                stack.append((item, (*path, key), active))


def _namespaces(node: Any) -> set[str]:
    """Context URLs the IRIs of an expanded document need."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            iris = [k for k in item if not k.startswith("@")]
            iris += (
                [t for t in item.get("@type", ()) if isinstance(t, str)]
                if "@value" not in item
                else []
            )
            for iri in iris:
                for namespace, url in NAMESPACE_CONTEXTS:
                    if iri.startswith(namespace):
                        found.add(url)
            stack.extend(v for k, v in item.items() if k != "@type")
    return found


class _ExpandedReader:
    def __init__(self, target: DocumentContext) -> None:
        self.target = target
        self.ctx = target.active

    def read_node(self, node: dict[str, Any], path: Path, field: FieldSpec | None) -> JsonLdNode:
        type_iris = tuple(node.get("@type", ()))
        cls = choose_class(type_iris, field)
        spec = cls.jsonld_spec()
        data: dict[str, Any] = {}
        extras: dict[str, Any] = {}
        for key, values in node.items():
            if key in ("@id", "@type"):
                continue
            if key == "@reverse":
                extras["@reverse"] = {
                    self.ctx.compact_iri(k): self.compact_values(v) for k, v in values.items()
                }
                continue
            if key.startswith("@"):
                raise DataError(f"{key} is not supported inside a node", path=path)
            spec_field = spec.by_iri.get(key)
            if spec_field is None:
                if values:
                    extras[self.ctx.compact_iri(key)] = self.compact_values(values)
                continue
            fit, rest = self.fit(spec_field, values, (*path, spec_field.alias))
            if fit is not _ABSENT:
                data[spec_field.name] = fit
            if rest:
                extras[key] = self.compact_values(rest)
        if "@id" in node:
            if not is_absolute_iri(node["@id"]):
                raise DataError(f"an @id must be an absolute IRI, not {node['@id']!r}",
                                path=(*path, self.target.id_key))  # fmt: skip
            data["id"] = node["@id"]
        result = validate(cls, data, path, spec)
        if extras:
            result.__pydantic_extra__ = extras
        if type_iris != _class_types(cls):
            set_types(result, type_iris)
        return result

    def fit(self, field: FieldSpec, values: list[Any], path: Path) -> tuple[Any, list[Any]]:
        """(what the field holds, expanded values it cannot hold)."""
        held: list[Any] = []
        rest: list[Any] = []
        for index, value in enumerate(values):
            where = (*path, index) if field.is_list else path
            if not field.is_list and held:
                rest.append(value)
                continue
            if "@value" in value:
                if len(value) == 1 and not field.coerce_id:
                    held.append(value["@value"])
                else:
                    rest.append(value)
            elif "@list" in value:
                rest.append(value)
            elif set(value) == {"@id"}:
                if field.coerce_id:
                    held.append(value["@id"])
                elif field.node_classes:
                    held.append(self.read_node(value, where, field))
                else:
                    rest.append(value)
            elif field.node_classes:
                held.append(self.read_node(value, where, field))
            else:
                rest.append(value)
        if field.is_list:
            return held, rest
        return (held[0] if held else _ABSENT), rest

    def compact_values(self, values: list[Any]) -> Any:
        out = [self.compact_value(v) for v in values]
        return out[0] if len(out) == 1 else out

    def compact_value(self, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        if "@value" in value:
            if len(value) == 1:
                return value["@value"]
            out = dict(value)
            if "@type" in out:
                out["@type"] = self.ctx.compact_type(out["@type"])
            return out
        if "@list" in value:
            return {"@list": [self.compact_value(v) for v in value["@list"]]}
        result: dict[str, Any] = {}
        if "@type" in value:
            types = [self.ctx.compact_type(t) for t in value["@type"]]
            result[self.target.type_key] = types[0] if len(types) == 1 else types
        if "@id" in value:
            result[self.target.id_key if len(value) > 1 else "@id"] = value["@id"]
        for key, items in value.items():
            if key in ("@id", "@type"):
                continue
            if key == "@reverse":
                result["@reverse"] = {
                    self.ctx.compact_iri(k): self.compact_values(v) for k, v in items.items()
                }
            else:
                result[self.ctx.compact_iri(key)] = self.compact_values(items)
        return result
