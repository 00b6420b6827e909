"""The context a document is written back with, decided once when it is read.

Bundled URLs are written canonically (legacy URLs replaced, canonical order, ns-extension left
out where another bundled context includes it); an inline object equal to a bundled context
becomes its URL; inline objects that add nothing, or that nothing in the model uses, are
dropped; other simple inline objects are kept after the URLs.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from ..errors import ContextError, DataError
from ._base import JsonLdNode, set_context
from ._context import (
    IMIN,
    NS_BETA,
    NS_EXTENSION,
    OPENACTIVE,
    SCHEMA_ORG,
    TEST_INTERFACE,
    WRITE_ORDER,
    ActiveContext,
    Loader,
    active_context,
    build_active_context,
    bundled,
    bundled_loader,
    reduce_context,
)
from ._nodes import Path, kind


class DocumentContext:
    """The context a document is written back with: its ``@context`` value and keys."""

    __slots__ = ("active", "id_key", "type_key", "urls", "value")

    def __init__(self, urls: tuple[str, ...], inline: tuple[Any, ...], load: Loader) -> None:
        ordered = [u for u in WRITE_ORDER if u in urls]
        ordered += [u for u in urls if u not in WRITE_ORDER]
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


def plan_context(raw: Any, load: Loader) -> tuple[DocumentContext, bool, bool]:
    """The context a document is written back with, whether its own is already that, and
    whether it named any context URL (if not, its root class's namespaces are added, as for
    a model built in code).

    Bundled URLs are written canonically (legacy URLs replaced, canonical order, ns-extension
    left out where another bundled context includes it); an inline object equal to a bundled
    context becomes its URL; inline objects that add nothing to the bundled contexts are
    dropped; other simple inline objects are kept, after the URLs.
    """
    reduced = reduce_context(raw, None if load is bundled_loader else load)
    entries = reduced if isinstance(reduced, list) else ([] if reduced is None else [reduced])
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
            raise DataError(f"a @context entry must be a URL or an object, not {kind(entry)}",
                            path=path)  # fmt: skip
    target = make_context(urls, inline, load)
    target_entries = target.value if isinstance(target.value, list) else [target.value]
    return target, reduced is raw and mapped == target_entries, bool(urls)


_PLANS: dict[Any, tuple[DocumentContext, bool, bool]] = {}


def plan_bundled(raw: Any) -> tuple[DocumentContext, bool, bool]:
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
    """A normalised DocumentContext (see :func:`plan_context`).

    The OpenActive context is always included, except beside schema.org's alone (a
    DataCatalog's context is schema.org's only; adding OpenActive's would change it).
    """
    only_schema_org = SCHEMA_ORG in urls and OPENACTIVE not in urls
    urls = list(dict.fromkeys(urls if only_schema_org else [OPENACTIVE, *urls]))
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


def drop_unused_inline(node: JsonLdNode, load: Loader) -> None:
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
