"""JSON-LD 1.1 expansion without pyld, for the contexts :class:`ActiveContext` models.

The normalising road's first step (https://www.w3.org/TR/json-ld11-api/#expansion-algorithm):
the document in expanded form, exactly as pyld's ``jsonld.expand`` gives it, for documents
whose contexts use terms, prefixes, ``@vocab``, keyword aliases, ``@id`` coercion and
``@reverse`` (as the bundled contexts do). Documents may use ``@id``, ``@type``, value
objects (``@value``, ``@type``, ``@language``, ``@index``), ``@list``, ``@set``, ``@graph``,
``@reverse``, ``@index``, and ``@context`` anywhere (nested contexts apply to their subtree).

Anything else (containers, typed or language terms, scoped or protected contexts, ``@vocab``
coercion, ``@nest``, ``@included``, ``@json``, ``@direction``, malformed keyword values that
pyld would reject with its own error) raises :class:`UnsupportedError`, and the caller leaves the
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
import math
import re
import sys
from functools import cache
from typing import Any
from weakref import WeakKeyDictionary

from ..errors import ContextError, DataError
from ._context import (
    KEYWORDS,
    ActiveContext,
    Loader,
    active_context,
    build_active_context,
    bundled_loader,
    is_absolute_iri,
    is_iri_reference,
)
from ._nodes import Path, ReadProblem, kind


class UnsupportedError(Exception):
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
_STRUCTURE = frozenset({"@graph", "@list", "@set", "@reverse"})
_CACHE_LIMIT = 256
_NESTED_BUDGET = 1 << 22
"""Characters of nested context JSON a document's distinct context chains may add up to."""

_iri_caches: WeakKeyDictionary[ActiveContext, tuple[dict[str, str | None], ...]] = (
    WeakKeyDictionary()
)
"""Per active context: (keys and types expanded with @vocab, values expanded without)."""
_IRI_CACHE_LIMIT = 4096
_supported: dict[str, tuple[str | None, frozenset[str]]] = {}
"""Frozen context value (bundled loader) -> why it is unsupported, or None."""
_nested: dict[str, ActiveContext] = {}
"""Frozen context chain (bundled loader) -> its active context."""


def expand_iri(ctx: ActiveContext, value: str, *, vocab: bool) -> str | None:
    """IRI expansion (JSON-LD 1.1 API, 5.2.2) with no base IRI: a keyword, an absolute IRI,
    a blank node identifier, or a relative reference left as it is; None when the value means
    nothing (a term mapped to null, a keyword-like ``@word``, a relative key without
    ``@vocab``)."""
    cache = iri_caches(ctx)[0 if vocab else 1]
    try:
        return cache[value]
    except KeyError:
        pass
    result = _expand_iri(ctx, value, vocab)
    if len(cache) < _IRI_CACHE_LIMIT:
        cache[value] = result
    return result


def iri_caches(ctx: ActiveContext) -> tuple[dict[str, str | None], ...]:
    """The memo of :func:`expand_iri` for one active context: (with @vocab, without)."""
    caches = _iri_caches.get(ctx)
    if caches is None:
        caches = _iri_caches[ctx] = ({}, {})
    return caches


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
        if _PYLD_ABSOLUTE.match(value):  # "has the form of an IRI", as pyld tells it
            return value
    if vocab:
        return None if ctx.vocab is None else ctx.vocab + value
    return value  # a relative reference: no base to resolve it against


# -- contexts ------------------------------------------------------------------------------


def root_context(raw: Any, load: Loader) -> ActiveContext:
    """The active context for a document's own ``@context``; UnsupportedError for contexts this
    expansion does not model."""
    return _context_for([] if raw is None else [raw], load)


def _context_for(chain: list[Any], load: Loader) -> ActiveContext:
    """The active context of context values applied in order (cached for bundled loads)."""
    if load is bundled_loader:
        frozen = json.dumps(chain, sort_keys=True, separators=(",", ":"))
        ctx = _nested.get(frozen)
        if ctx is not None:
            return ctx
    borrowed: set[str] = set()
    for value in chain:
        reason, more = _unsupported_reason(value, load)
        if reason is not None:
            raise UnsupportedError(reason)
        borrowed |= more
    try:
        ctx = active_context(chain) if load is bundled_loader else build_active_context(
            chain, load)  # fmt: skip
    except ContextError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError):
        raise UnsupportedError("a malformed context (pyld says why)") from None
    if not ctx.simple:
        raise UnsupportedError("a context with features beyond terms, prefixes and @vocab")
    if ctx.vocab is not None and not _SCHEME.match(ctx.vocab):
        raise UnsupportedError("a relative @vocab")
    for name, term in ctx.terms.items():
        iri = term.iri
        if iri is not None and iri[:1] != "@" and not _SCHEME.match(iri) and iri[:2] != "_:":
            raise UnsupportedError(f"the term {name!r} has no absolute IRI")
    for prefix in borrowed:
        definition = ctx.terms.get(prefix)
        if definition is not None and not definition.prefix:
            raise UnsupportedError(f"a definition is a CURIE on {prefix!r}, which is no prefix")
    if load is bundled_loader and len(_nested) < _CACHE_LIMIT:
        _nested[frozen] = ctx
    return ctx


def _unsupported_reason(value: Any, load: Loader) -> tuple[str | None, frozenset[str]]:
    """Why a context value uses something :class:`ActiveContext` does not model (or None),
    and the prefixes its definitions borrow from other contexts."""
    if load is not bundled_loader:
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

    def __init__(self, load: Loader, *, dropped: list[ReadProblem] | None = None) -> None:
        self.load = load
        self.dropped = dropped
        """None (strict), or where a lenient read lists the keys expansion drops."""
        self.chains: dict[int, list[Any]] = {}
        """id(active context) -> the context values it was made from."""
        self.inner: dict[tuple[int, str], ActiveContext] = {}
        """(id(outer context), a nested context as JSON) -> the context inside."""
        self.sizes: dict[int, int] = {}
        """id(active context) -> the length of its context values as JSON (roughly)."""
        self.budget = _NESTED_BUDGET

    def expand_document(self, document: Any, ctx: ActiveContext, raw: Any) -> list[Any]:
        """The expanded form of a document whose own ``@context`` gave ``ctx``."""
        self.chains[id(ctx)] = [] if raw is None else [raw]
        self.sizes[id(ctx)] = len(json.dumps(raw)) if isinstance(raw, dict | list) else 0
        result = self.expand(document, ctx, None, False, ())
        if isinstance(result, dict) and set(result) == {"@graph"}:
            result = result["@graph"]
        if result is None:
            return []
        return result if isinstance(result, list) else [result]

    def nested(self, ctx: ActiveContext, local: Any) -> ActiveContext:
        """The active context inside an object with its own ``@context``: the values that
        made ``ctx``, then ``local``, processed afresh (each chain once per document)."""
        key = (id(ctx), json.dumps(local, sort_keys=True, separators=(",", ":")))
        inner = self.inner.get(key)
        if inner is None:
            chain = [*self.chains[id(ctx)], local]
            size = self.sizes.get(id(ctx), 0) + len(key[1])
            self.budget -= size
            if self.budget < 0:  # deep chains of large contexts: pyld applies them in turn
                raise UnsupportedError("nested contexts too large to reprocess")
            inner = self.inner[key] = _context_for(chain, self.load)
            self.chains[id(inner)] = chain
            self.sizes[id(inner)] = size
        return inner

    def expand(
        self,
        element: Any,
        ctx: ActiveContext,
        prop: str | None,
        coerce_id: bool,
        path: Path,
        *,
        in_list: bool = False,
    ) -> Any:
        """One element: None (dropped), a value or node object, or a list of them."""
        if element is None:
            return None
        kind_of = type(element)
        if kind_of is list:
            out: list[Any] = []
            for index, item in enumerate(element):
                expanded = self.expand(item, ctx, prop, coerce_id, (*path, index), in_list=in_list)
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
            if iri is None or iri[:1] == "@":
                raise UnsupportedError("an @id-coerced value that is a keyword")
            return {"@id": iri}
        if kind_of is str or kind_of is bool:
            return {"@value": element}
        if kind_of is int or kind_of is float:
            return {"@value": _json_number(element, path)}
        raise UnsupportedError(f"a {kind_of.__name__} value")  # only JSON values expand

    def expand_object(
        self, element: dict[str, Any], ctx: ActiveContext, prop: str | None, coerce_id: bool,
        path: Path,
    ) -> Any:  # fmt: skip
        if "@context" in element and path:  # (the root's own made ``ctx``)
            ctx = self.nested(ctx, element["@context"])
        result: dict[str, Any] = {}
        plan = _plans.get(ctx)
        if plan is None:
            plan = _plans[ctx] = _Plan()
        keys = plan.keys
        for key in sorted(element):
            if key == "@context":
                continue
            value = element[key]
            where = (*path, key)
            meaning = keys.get(key)
            if meaning is None:
                try:
                    meaning = _key_meaning(ctx, key, where)
                except DataError as error:
                    if self.dropped is None:
                        raise
                    self.dropped.append(ReadProblem(path=where, message=error.reason, value=value))
                    continue  # a lenient read: listed, and dropped as JSON-LD drops it
                if len(keys) < _IRI_CACHE_LIMIT:
                    keys[key] = meaning
            iri, coerce, reverse = meaning
            if iri[:1] == "@":
                if prop == "@reverse":
                    raise UnsupportedError("a keyword in a @reverse map")
                if iri in result and iri != "@type":
                    raise UnsupportedError(f"{iri} given under two keys")
                if iri in _STRUCTURE:
                    self.structure(iri, value, result, ctx, prop=prop, coerce_id=coerce_id,
                                   where=where)  # fmt: skip
                else:
                    self.keyword(iri, value, result, ctx, where)
                continue
            expanded = self.expand(value, ctx, iri, coerce, where)
            if expanded is None:
                continue
            if reverse:
                reversed_ = result.setdefault("@reverse", {})  # even for no values, as pyld
                for item in expanded if type(expanded) is list else [expanded]:
                    if "@value" in item or "@list" in item:
                        raise UnsupportedError("a value or list under a reverse property")
                    _add(reversed_, iri, item)
            else:
                _add(result, iri, expanded)
        if (
            "@value" in result
            and "@type" in result
            and any(
                type(value) is list and expand_iri(ctx, key, vocab=True) == "@type"
                for key, value in element.items()
            )
        ):
            raise UnsupportedError("a value object with an array of types")
        return _finish(result, prop)

    def keyword(
        self, iri: str, value: Any, result: dict[str, Any], ctx: ActiveContext, where: Path
    ) -> None:
        """A keyword that says something of the object itself: its id, types, value..."""
        if iri == "@id":
            if type(value) is not str:
                raise DataError(f"an @id must be a string, not {kind(value)}", path=where)
            node_id = expand_iri(ctx, value, vocab=False)
            if node_id is None or not is_iri_reference(node_id):  # a relative one is kept
                raise DataError(f"an @id must be an IRI, not {value!r}", path=where)
            result["@id"] = node_id
        elif iri == "@type":
            if value is None:
                raise UnsupportedError("a null @type")
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
                raise UnsupportedError("a @value that is not a scalar")
            if type(value) is int or type(value) is float:
                value = _json_number(value, where)
            result["@value"] = value
        elif iri == "@language":
            if type(value) is not str or not _LANGUAGE.fullmatch(value):
                raise UnsupportedError("a @language that is not a language tag")
            result["@language"] = value.lower()
        elif iri == "@index":
            if type(value) is not str:
                raise UnsupportedError("a @index that is not a string")
            result["@index"] = value
        else:
            raise UnsupportedError(f"the keyword {iri}")

    def structure(
        self, iri: str, value: Any, result: dict[str, Any], ctx: ActiveContext, *,
        prop: str | None, coerce_id: bool, where: Path,
    ) -> None:  # fmt: skip
        """``@graph``, ``@list``, ``@set`` or ``@reverse``: values in another arrangement."""
        if iri == "@graph":
            graph = self.expand(value, ctx, "@graph", False, where)
            result["@graph"] = [] if graph is None else graph if type(graph) is list else [graph]
        elif iri == "@list":
            if prop is None or prop == "@graph":
                return  # a free-floating list is dropped
            items = self.expand(value, ctx, prop, coerce_id, where, in_list=True)
            if type(items) is not list:
                raise UnsupportedError("a @list whose value is not an array")
            result["@list"] = items
        elif iri == "@set":
            items = self.expand(value, ctx, prop, coerce_id, where)
            if type(items) is not list:
                raise UnsupportedError("a @set whose value is not an array")
            result["@set"] = items
        elif iri == "@reverse":
            if type(value) is not dict:
                raise UnsupportedError("a @reverse that is not an object")
            self.reverse(self.expand(value, ctx, "@reverse", False, where), result)

    def types(self, value: Any, ctx: ActiveContext, where: Path) -> list[str]:
        """The IRIs of a ``@type`` value (a DataError for one that has none)."""
        if type(value) is str:
            plan = _plans.get(ctx)
            known = None if plan is None else plan.types.get(value)
            if known is not None:
                return [known]
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
            if iri[:1] == "@" or not is_absolute_iri(iri):
                raise UnsupportedError("a type that is a keyword or a relative IRI")
            out.append(iri)
            plan = _plans.get(ctx)
            if plan is not None and len(plan.types) < _IRI_CACHE_LIMIT:
                plan.types[item] = iri
        return out

    @staticmethod
    def reverse(expanded: Any, result: dict[str, Any]) -> None:
        if type(expanded) is not dict:
            raise UnsupportedError("an unusual @reverse map")
        for iri, items in expanded.items():
            if iri == "@reverse":
                for forward, values in items.items():
                    _add(result, forward, values)
                continue
            for item in items:
                if "@value" in item or "@list" in item:
                    raise UnsupportedError("a value or list under @reverse")
            _add(result.setdefault("@reverse", {}), iri, items)


def check_numbers(document: Any) -> None:
    """DataError for the first number in ``document`` no JSON text holds (see below)."""
    stack: list[tuple[Any, Path]] = [(document, ())]
    while stack:
        value, path = stack.pop()
        kind_of = type(value)
        if kind_of is dict:
            stack.extend((item, (*path, key)) for key, item in value.items())
        elif kind_of is list:
            stack.extend((item, (*path, index)) for index, item in enumerate(value))
        elif kind_of is int or kind_of is float:
            _json_number(value, path)


def _json_number(value: int | float, path: Path) -> int | float:
    """A number a JSON text can hold; a DataError naming its place otherwise (a mapping given
    to ``loads`` may hold what no JSON text does: NaN, infinities, or integers with more
    digits than Python converts to text, which could neither be written nor validated)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise DataError(f"{value!r} is not a JSON number", path=path)
    elif value.bit_length() > _DIGITS_BITS:
        limit = sys.get_int_max_str_digits()
        if limit and abs(value) >= _power_of_ten(limit):
            raise DataError(
                f"an integer of more than {limit} digits (Python's limit for integer text)",
                path=path,
            )
    return value


_DIGITS_BITS = 2100
"""Integers of at most this many bits have fewer than 640 digits, the lowest limit Python
allows (``sys.int_info.str_digits_check_threshold``), so they need no closer look."""


@cache
def _power_of_ten(exponent: int) -> int:
    return int(10**exponent)


class _Plan:
    """What the expansion has learnt of keys and types under one active context."""

    __slots__ = ("keys", "types")

    def __init__(self) -> None:
        self.keys: dict[str, tuple[str, bool, bool]] = {}
        """Key -> (its IRI or keyword, whether its values are @id-coerced, whether reverse)."""
        self.types: dict[str, str] = {}
        """A type value -> its IRI."""


_plans: WeakKeyDictionary[ActiveContext, _Plan] = WeakKeyDictionary()


def _key_meaning(ctx: ActiveContext, key: str, where: Path) -> tuple[str, bool, bool]:
    """What a key means: (IRI or keyword, @id coercion, reverse); a DataError where JSON-LD
    would drop the key."""
    iri = expand_iri(ctx, key, vocab=True)
    if iri is None or (iri[:1] != "@" and _PYLD_ABSOLUTE.match(iri) is None):
        raise DataError(
            f"the key {key!r} has no meaning under the document's @context and would be "
            "dropped by any JSON-LD processor",
            path=where,
        )
    term = ctx.terms.get(key)
    if term is None or iri[:1] == "@":
        return iri, False, False
    return iri, term.coerce_id, term.reverse


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
            raise UnsupportedError("an unusual value object")
        value = result["@value"]
        if value is None:
            return None
        if "@language" in result and type(value) is not str:
            raise UnsupportedError("a language-tagged value that is not a string")
        if "@type" in result:
            datatype = result["@type"]
            if type(datatype) is not str or datatype.startswith("_:"):
                raise UnsupportedError("an unusual value type")
    elif "@type" in result:
        if type(result["@type"]) is not list:
            result["@type"] = [result["@type"]]
    elif "@set" in result or "@list" in result:
        if len(result) > (2 if "@index" in result else 1):
            raise UnsupportedError("a @set or @list object with other keys")
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
