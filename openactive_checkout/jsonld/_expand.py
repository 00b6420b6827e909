"""JSON-LD 1.1 expansion without pyld, for the contexts :class:`ActiveContext` models.

The normalising road's first step (https://www.w3.org/TR/json-ld11-api/#expansion-algorithm):
the document in expanded form, exactly as pyld's ``jsonld.expand`` gives it, for documents
whose contexts use terms, prefixes, ``@vocab``, keyword aliases, ``@id`` coercion and
``@reverse`` (as the bundled contexts do). Documents may use ``@id``, ``@type``, value
objects (``@value``, ``@type``, ``@language``, ``@index``), ``@list``, ``@set``, ``@graph``,
``@reverse``, ``@index``, and ``@context`` anywhere (nested contexts apply to their subtree).

Anything else (containers, typed or language terms, scoped or protected contexts, ``@vocab``
coercion, ``@nest``, ``@included``, ``@json``, ``@direction``, malformed keyword values that
pyld would reject with its own error) raises :class:`Unsupported`, and the caller leaves the
document to pyld: the two never silently differ.

Where this library is stricter than JSON-LD, it says so with a DataError naming the place: a
key that means nothing under the context (expansion would drop it), a node ``@id`` that is not
an absolute IRI, a type with no IRI. Relative IRIs are never resolved against a base (pyld
would invent ``http://example.org/base/``): an ``@id``-coerced value that is relative stays
relative, and means the same when written back.

Recursion follows the document's depth, which the reader bounds (``MAX_DEPTH``) beforehand.
"""

from __future__ import annotations

import json
import re
from typing import Any
from weakref import WeakKeyDictionary

from ..errors import ContextError, DataError
from ._context import KEYWORDS, ActiveContext, Loader, active_context, build_active_context
from ._context import bundled_loader as _bundled_loader
from ._context import is_absolute_iri
from ._nodes import Path, kind


class Unsupported(Exception):
    """The document uses a JSON-LD construct this expansion leaves to pyld."""


_KEYWORD_FORM = re.compile(r"@[A-Za-z]+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_PYLD_ABSOLUTE = re.compile(r"([A-Za-z][A-Za-z0-9+-.]*|_):\S*\Z")
"""What pyld keeps as a property IRI (its ``_is_absolute_iri``; ``+-.`` is a range there)."""
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
_VALUE_KEYS = frozenset({"@value", "@type", "@language", "@index"})
_TERM_KEYS = frozenset({"@id", "@type", "@reverse", "@prefix"})
_ALIASABLE = frozenset({"@id", "@type", "@graph", "@list", "@set", "@value", "@language",
                        "@index", "@reverse"})  # fmt: skip
_GEN_DELIMS = frozenset(":/?#[]@")
_CACHE_LIMIT = 256

_iri_caches: WeakKeyDictionary[ActiveContext, dict[tuple[str, bool], str | None]] = (
    WeakKeyDictionary()
)
_supported: dict[str, tuple[str | None, frozenset[str]]] = {}
"""Frozen context value (bundled loader) -> why it is unsupported, or None."""
_nested: dict[str, ActiveContext] = {}
"""Frozen context chain (bundled loader) -> its active context."""


def expand_iri(ctx: ActiveContext, value: str, *, vocab: bool) -> str | None:
    """IRI expansion (JSON-LD 1.1 API, 5.2.2) with no base IRI: a keyword, an absolute IRI,
    a blank node identifier, or a relative reference left as it is; None when the value means
    nothing (a term mapped to null, a keyword-like ``@word``, a relative key without
    ``@vocab``)."""
    cache = _iri_caches.get(ctx)
    if cache is None:
        cache = _iri_caches[ctx] = {}
    key = (value, vocab)
    try:
        return cache[key]
    except KeyError:
        pass
    result = _expand_iri(ctx, value, vocab)
    if len(cache) < 4096:
        cache[key] = result
    return result


def _expand_iri(ctx: ActiveContext, value: str, vocab: bool) -> str | None:
    if value in KEYWORDS:
        return value
    if _KEYWORD_FORM.fullmatch(value):
        return None
    term = ctx.terms.get(value)
    if term is not None and (vocab or (term.iri is not None and term.iri in KEYWORDS)):
        return term.iri
    colon = value.find(":", 1)
    if colon > 0:
        prefix, suffix = value[:colon], value[colon + 1 :]
        if prefix == "_" or suffix.startswith("//"):
            return value
        definition = ctx.terms.get(prefix)
        if definition is not None and definition.iri is not None and definition.prefix:
            return definition.iri + suffix
        if _SCHEME.match(value):
            return value
    if vocab:
        return None if ctx.vocab is None else ctx.vocab + value
    return value  # a relative reference: no base to resolve it against


# -- contexts ------------------------------------------------------------------------------


def root_context(raw: Any, load: Loader) -> ActiveContext:
    """The active context for a document's own ``@context``; Unsupported for contexts this
    expansion does not model."""
    return _context_for([] if raw is None else [raw], load)


def _context_for(chain: list[Any], load: Loader) -> ActiveContext:
    """The active context of context values applied in order (cached for bundled loads)."""
    if load is _bundled_loader:
        frozen = json.dumps(chain, sort_keys=True, separators=(",", ":"))
        ctx = _nested.get(frozen)
        if ctx is not None:
            return ctx
    borrowed: set[str] = set()
    for value in chain:
        reason, more = _unsupported_reason(value, load)
        if reason is not None:
            raise Unsupported(reason)
        borrowed |= more
    try:
        ctx = active_context(chain) if load is _bundled_loader else build_active_context(
            chain, load)  # fmt: skip
    except ContextError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError):
        raise Unsupported("a malformed context (pyld says why)") from None
    if not ctx.simple:
        raise Unsupported("a context with features beyond terms, prefixes and @vocab")
    if ctx.vocab is not None and not _SCHEME.match(ctx.vocab):
        raise Unsupported("a relative @vocab")
    for name, term in ctx.terms.items():
        iri = term.iri
        if iri is not None and iri[0] != "@" and not _SCHEME.match(iri) and iri[:2] != "_:":
            raise Unsupported(f"the term {name!r} has no absolute IRI")
    for prefix in borrowed:
        term = ctx.terms.get(prefix)
        if term is not None and not term.prefix:
            raise Unsupported(f"a definition is a CURIE on {prefix!r}, which is no prefix")
    if load is _bundled_loader and len(_nested) < _CACHE_LIMIT:
        _nested[frozen] = ctx
    return ctx


def _unsupported_reason(value: Any, load: Loader) -> tuple[str | None, frozenset[str]]:
    """Why a context value uses something :class:`ActiveContext` does not model (or None),
    and the prefixes its definitions borrow from other contexts."""
    if load is not _bundled_loader:
        return _scan(value, load, 0)
    frozen = json.dumps(value, sort_keys=True, separators=(",", ":"))
    found = _supported.get(frozen)
    if found is None:
        found = _scan(value, load, 0)
        if len(_supported) >= _CACHE_LIMIT:
            _supported.clear()
        _supported[frozen] = found
    return found


def _scan(value: Any, load: Loader, depth: int) -> tuple[str | None, frozenset[str]]:
    if depth > 16:
        raise ContextError("JSON-LD contexts nest or import each other too deeply")
    if isinstance(value, list):
        borrowed: set[str] = set()
        for item in value:
            if isinstance(item, list):
                return "an array inside a context array", frozenset()
            reason, more = _scan(item, load, depth + 1)
            if reason is not None:
                return reason, frozenset()
            borrowed |= more
        return None, frozenset(borrowed)
    if isinstance(value, str):
        document = load(value)
        if isinstance(document, dict) and "@context" in document:
            return _scan(document["@context"], load, depth + 1)
        return None, frozenset()  # the context processor says what is wrong with it
    if not isinstance(value, dict):
        return None, frozenset()
    reason, borrowed = _scan_local(value)
    return reason, frozenset(borrowed)


def _scan_local(local: dict[str, Any]) -> tuple[str | None, set[str]]:
    borrowed: set[str] = set()
    for key, definition in local.items():
        if key.startswith("@"):
            if key not in ("@vocab", "@version"):
                return f"the context keyword {key}", borrowed
            if key == "@version" and definition != 1.1:
                return "a @version other than 1.1", borrowed
            continue
        if ":" in key or "/" in key:
            return f"the term {key!r}, which looks like an IRI", borrowed
        if isinstance(definition, str):
            target: Any = definition
        elif isinstance(definition, dict):
            if not set(definition) <= _TERM_KEYS:
                return f"the term definition of {key!r}", borrowed
            if "@reverse" in definition and "@id" in definition:
                return f"the term {key!r} has both @id and @reverse", borrowed
            coerce = definition.get("@type")
            if coerce is not None and coerce != "@id":
                return f"the term {key!r} gives its values a type", borrowed
            if "@prefix" in definition and not isinstance(definition["@prefix"], bool):
                return f"the @prefix of {key!r}", borrowed
            if "@reverse" in definition:
                target = definition["@reverse"]
            elif "@id" in definition:
                target = definition["@id"]
                if target is None:
                    continue
            elif isinstance(local.get("@vocab"), str):
                continue  # the term's IRI is @vocab + the term
            else:
                return f"the term {key!r} has no IRI", borrowed
        else:
            continue  # null, or an error the context processor reports
        if not isinstance(target, str):
            continue  # the context processor reports it
        if target.startswith("@"):
            if target not in _ALIASABLE:
                return f"the term {key!r} is an alias of {target}", borrowed
            continue
        colon = target.find(":", 1)
        if colon <= 0:
            return f"the term {key!r} is defined by a relative IRI or another term", borrowed
        prefix = target[:colon]
        if prefix == "_" and colon == 1:
            if isinstance(definition, str):
                return f"the term {key!r} is a blank node", borrowed
            continue
        if target[colon + 1 :].startswith("//"):
            continue
        if prefix in local:
            if not _is_prefix(local[prefix]):
                return f"the term {key!r} is defined by a CURIE on {prefix!r}", borrowed
        else:
            borrowed.add(prefix)
    return None, borrowed


def _is_prefix(definition: Any) -> bool:
    """Whether a term definition (in its own context) makes a prefix for compact IRIs."""
    if isinstance(definition, str):
        return definition[-1:] in _GEN_DELIMS
    return isinstance(definition, dict) and definition.get("@prefix") is True


# -- expansion -----------------------------------------------------------------------------


class Expander:
    """Expands one document (see the module docstring)."""

    def __init__(self, load: Loader) -> None:
        self.load = load
        self.chains: dict[int, list[Any]] = {}
        """id(active context) -> the context values it was made from."""

    def expand_document(self, document: Any, ctx: ActiveContext, raw: Any) -> list[Any]:
        """The expanded form of a document whose own ``@context`` gave ``ctx``."""
        self.chains[id(ctx)] = [] if raw is None else [raw]
        result = self.expand(document, ctx, None, False, False, ())
        if isinstance(result, dict) and set(result) == {"@graph"}:
            result = result["@graph"]
        if result is None:
            return []
        return result if isinstance(result, list) else [result]

    def nested(self, ctx: ActiveContext, local: Any) -> ActiveContext:
        chain = [*self.chains[id(ctx)], local]
        inner = _context_for(chain, self.load)
        self.chains[id(inner)] = chain
        return inner

    def expand(
        self,
        element: Any,
        ctx: ActiveContext,
        prop: str | None,
        coerce_id: bool,
        in_list: bool,
        path: Path,
    ) -> Any:
        """One element: None (dropped), a value or node object, or a list of them."""
        if element is None:
            return None
        kind_of = type(element)
        if kind_of is list:
            out: list[Any] = []
            for index, item in enumerate(element):
                expanded = self.expand(item, ctx, prop, coerce_id, in_list, (*path, index))
                if in_list and type(expanded) is list:
                    expanded = {"@list": expanded}
                if type(expanded) is list:
                    out.extend(expanded)
                elif expanded is not None:
                    out.append(expanded)
            return out
        if kind_of is dict:
            return self.expand_object(element, ctx, prop, coerce_id, path)
        if prop is None or prop == "@graph":
            return None  # a free-floating value
        if kind_of is str and coerce_id:
            iri = expand_iri(ctx, element, vocab=False)
            if iri is None or iri[0] == "@":
                raise Unsupported("an @id-coerced value that is a keyword")
            return {"@id": iri}
        if kind_of is str or kind_of is int or kind_of is float or kind_of is bool:
            return {"@value": element}
        raise Unsupported(f"a {kind_of.__name__} value")  # only JSON values expand

    def expand_object(
        self, element: dict[str, Any], ctx: ActiveContext, prop: str | None, coerce_id: bool,
        path: Path,
    ) -> Any:  # fmt: skip
        if "@context" in element:
            ctx = self.nested(ctx, element["@context"])
        result: dict[str, Any] = {}
        for key in sorted(element):
            if key == "@context":
                continue
            value = element[key]
            where = (*path, key)
            iri = expand_iri(ctx, key, vocab=True)
            if iri is None or (iri[0] != "@" and _PYLD_ABSOLUTE.match(iri) is None):
                raise DataError(
                    f"the key {key!r} has no meaning under the document's @context and would "
                    "be dropped by any JSON-LD processor",
                    path=where,
                )
            if iri[0] == "@":
                if prop == "@reverse":
                    raise Unsupported("a keyword in a @reverse map")
                if iri in result and iri != "@type":
                    raise Unsupported(f"{iri} given under two keys")
                self.keyword(iri, value, result, ctx, prop, coerce_id, where)
                continue
            term = ctx.terms.get(key)
            expanded = self.expand(
                value, ctx, iri, term is not None and term.coerce_id, False, where
            )
            if expanded is None:
                continue
            if term is not None and term.reverse:
                reverse = result.setdefault("@reverse", {})  # even for no values, as pyld
                for item in expanded if type(expanded) is list else [expanded]:
                    if "@value" in item or "@list" in item:
                        raise Unsupported("a value or list under a reverse property")
                    _add(reverse, iri, item)
            else:
                _add(result, iri, expanded)
        if "@value" in result and "@type" in result and any(
            type(value) is list and expand_iri(ctx, key, vocab=True) == "@type"
            for key, value in element.items()
        ):
            raise Unsupported("a value object with an array of types")
        return _finish(result, prop)

    def keyword(
        self, iri: str, value: Any, result: dict[str, Any], ctx: ActiveContext,
        prop: str | None, coerce_id: bool, where: Path,
    ) -> None:  # fmt: skip
        if iri == "@id":
            if type(value) is not str:
                raise DataError(f"an @id must be a string, not {kind(value)}", path=where)
            node_id = expand_iri(ctx, value, vocab=False)
            if node_id is None or not is_absolute_iri(node_id):
                raise DataError(f"an @id must be an absolute IRI, not {value!r}", path=where)
            result["@id"] = node_id
        elif iri == "@type":
            if value is None:
                raise Unsupported("a null @type")
            for type_iri in self.types(value, ctx, where):  # as pyld's add_value
                present = result.get("@type")
                if present is None:
                    result["@type"] = type_iri
                elif type(present) is list:
                    present.append(type_iri)
                else:
                    result["@type"] = [present, type_iri]
        elif iri == "@value":
            if isinstance(value, dict | list):
                raise Unsupported("a @value that is not a scalar")
            result["@value"] = value
        elif iri == "@language":
            if type(value) is not str or not _LANGUAGE.fullmatch(value):
                raise Unsupported("a @language that is not a language tag")
            result["@language"] = value.lower()
        elif iri == "@index":
            if type(value) is not str:
                raise Unsupported("a @index that is not a string")
            result["@index"] = value
        elif iri == "@graph":
            graph = self.expand(value, ctx, "@graph", False, False, where)
            result["@graph"] = [] if graph is None else graph if type(graph) is list else [graph]
        elif iri == "@list":
            if prop is None or prop == "@graph":
                return  # a free-floating list is dropped
            items = self.expand(value, ctx, prop, coerce_id, True, where)
            if type(items) is not list:
                raise Unsupported("a @list whose value is not an array")
            result["@list"] = items
        elif iri == "@set":
            items = self.expand(value, ctx, prop, coerce_id, False, where)
            if type(items) is not list:
                raise Unsupported("a @set whose value is not an array")
            result["@set"] = items
        elif iri == "@reverse":
            if type(value) is not dict:
                raise Unsupported("a @reverse that is not an object")
            self.reverse(self.expand(value, ctx, "@reverse", False, False, where), result)
        else:
            raise Unsupported(f"the keyword {iri}")

    def types(self, value: Any, ctx: ActiveContext, where: Path) -> list[str]:
        values = value if type(value) is list else [value]
        out = []
        for index, item in enumerate(values):
            at = (*where, index) if type(value) is list else where
            if type(item) is not str:
                raise DataError(f"a type must be a string, not {kind(item)}", path=at)
            iri = expand_iri(ctx, item, vocab=True)
            if iri is None:
                raise DataError(
                    f"the type {item!r} has no IRI under the document's @context", path=at
                )
            if iri[0] == "@" or not is_absolute_iri(iri):
                raise Unsupported("a type that is a keyword or a relative IRI")
            out.append(iri)
        return out

    @staticmethod
    def reverse(expanded: Any, result: dict[str, Any]) -> None:
        if type(expanded) is not dict:
            raise Unsupported("an unusual @reverse map")
        for iri, items in expanded.items():
            if iri == "@reverse":
                for forward, values in items.items():
                    _add(result, forward, values)
                continue
            for item in items:
                if "@value" in item or "@list" in item:
                    raise Unsupported("a value or list under @reverse")
            _add(result.setdefault("@reverse", {}), iri, items)


def _add(target: dict[str, Any], key: str, value: Any) -> None:
    items = target.get(key)
    if items is None:
        target[key] = list(value) if type(value) is list else [value]
    elif type(value) is list:
        items.extend(value)
    else:
        items.append(value)


def _finish(result: dict[str, Any], prop: str | None) -> Any:
    """An expanded object's last steps (JSON-LD 1.1 expansion, steps 15 to 19)."""
    if "@value" in result:
        if not set(result) <= _VALUE_KEYS or ("@type" in result and "@language" in result):
            raise Unsupported("an unusual value object")
        value = result["@value"]
        if value is None:
            return None
        if "@language" in result and type(value) is not str:
            raise Unsupported("a language-tagged value that is not a string")
        if "@type" in result:
            datatype = result["@type"]
            if type(datatype) is not str or datatype.startswith("_:"):
                raise Unsupported("an unusual value type")
    elif "@type" in result:
        if type(result["@type"]) is not list:
            result["@type"] = [result["@type"]]
    elif "@set" in result or "@list" in result:
        if len(result) > (2 if "@index" in result else 1):
            raise Unsupported("a @set or @list object with other keys")
        if "@set" in result:
            return result["@set"]
    if len(result) == 1 and "@language" in result:
        return None
    if prop is None or prop == "@graph":
        if not result or "@value" in result or "@list" in result:
            return None
        if len(result) == 1 and "@id" in result:
            return None
    return result
